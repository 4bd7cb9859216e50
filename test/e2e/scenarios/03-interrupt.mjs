// Scenario 3: a `while (true) {}` cell is stopped from the UI (the cell's stop button), and a
// later cell still sees a variable defined by an earlier cell: the kernel kept its state.
import assert from 'node:assert/strict';
import { closeWindows, openWindow, shot, workspace } from '../lib/context.mjs';
import {
  codeCell,
  openNotebook,
  runCellFromUi,
  stopCellFromUi,
  textOutputs,
  waitForCellState,
  waitForTextOutput,
  answerKernelPickerIfShown,
} from '../lib/workbench.mjs';

describe('Interrupting a cell', function () {
  after(closeWindows);

  it("stops a busy loop from the cell's stop button; the next cell uses an earlier variable", async function () {
    const { page } = await openWindow('trusted', workspace('interrupt'));
    await openNotebook(page, 'fixtures/interrupt.mktnb');
    await runCellFromUi(page, 0); // const base = 20
    await answerKernelPickerIfShown(page);
    assert.equal(await waitForCellState(page, 0, ['success', 'error']), 'success', 'const base = 20 runs');

    await runCellFromUi(page, 1); // console.log('loop started'); while (true) {}
    await waitForTextOutput(page, 'loop started'); // streamed while the cell runs
    await waitForCellState(page, 1, ['running']);
    await shot('interrupt-loop-running');
    await stopCellFromUi(page, 1);
    const after = await waitForCellState(page, 1, ['error', 'success'], 30_000);
    assert.equal(after, 'error', 'the interrupted cell is marked as not successful');
    assert.equal(
      await codeCell(page, 1).locator('.codicon-notebook-state-executing').count(),
      0,
      'the loop cell is no longer running',
    );

    await runCellFromUi(page, 2); // base + 22
    assert.equal(await waitForCellState(page, 2, ['success', 'error']), 'success', 'the cell after the interrupt runs');
    await waitForTextOutput(page, /^\s*42\s*$/);
    assert.ok((await textOutputs(page)).includes('42'), 'base (from cell 1) + 22 = 42');
  });
});
