// Scenario 9 (issue 11): faults a user meets in VS Code.
//  - A timer that throws after its cell finished: the error shows in THAT cell (marked failed),
//    while the cell running at the time succeeds.
//  - The time-limit setting (marketNotebooks.kernel.cellTimeoutSeconds): a busy loop fails with
//    "timed out after 7 s" without anyone pressing stop.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { closeWindows, openWindow, shot, workspace } from '../lib/context.mjs';
import {
  answerKernelPickerIfShown,
  codeCell,
  openNotebook,
  outputFrame,
  runCellFromUi,
  waitForCellState,
  waitForTextOutput,
} from '../lib/workbench.mjs';

/** Runs cell n from its run button; again if an output arriving above moved it away mid-click. */
async function runCell(page, n) {
  for (let i = 0; ; i++) {
    const cell = codeCell(page, n);
    await cell.scrollIntoViewIfNeeded();
    await cell.hover();
    try {
      await cell
        .locator('.run-button-container')
        .getByRole('button', { name: /^Execute Cell/ })
        .click({ timeout: 5000 });
      return;
    } catch (e) {
      if (i >= 4) throw e;
    }
  }
}

describe('Faults in VS Code', function () {
  after(closeWindows);

  it('a late timer error lands in its own cell; the time-limit setting stops a busy loop', async function () {
    const ws = workspace('faults');
    fs.mkdirSync(path.join(ws, '.vscode'), { recursive: true });
    fs.writeFileSync(
      path.join(ws, '.vscode', 'settings.json'),
      JSON.stringify({ 'marketNotebooks.kernel.cellTimeoutSeconds': 7 }),
    );
    const { page } = await openWindow('trusted', ws);
    await openNotebook(page, 'fixtures/faults.mktnb');

    await runCellFromUi(page, 0); // setTimeout(() => { throw … }, 3000); 'first'
    await answerKernelPickerIfShown(page);
    assert.equal(await waitForCellState(page, 0, ['success', 'error']), 'success', 'the cell itself ends fine');
    await runCell(page, 1); // await 5 s; 'second' — running when the timer throws
    await outputFrame(page)
      .locator('text=late boom from the timer')
      .first()
      .waitFor({ state: 'attached', timeout: 30_000 });
    assert.equal(
      await waitForCellState(page, 1, ['success', 'error'], 30_000),
      'success',
      'the cell running at the time is not blamed',
    );
    await waitForTextOutput(page, "'second'");
    assert.equal(await waitForCellState(page, 0, ['error'], 10_000), 'error', "the timer's cell is marked failed");
    assert.equal(await codeCell(page, 1).locator('text=late boom').count(), 0, 'the error is not in the innocent cell');
    await shot('faults-late-error');

    await runCell(page, 2); // console.log('spinning'); while (true) {}
    await waitForTextOutput(page, 'spinning');
    assert.equal(await waitForCellState(page, 2, ['error'], 30_000), 'error');
    await outputFrame(page)
      .locator('text=/timed out after 7 s/')
      .first()
      .waitFor({ state: 'attached', timeout: 15_000 });
    await shot('faults-timeout');
  });
});
