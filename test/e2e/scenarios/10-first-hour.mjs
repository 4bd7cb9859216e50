// Scenario 10: a new user's first hour (issue 18, extension side). Everything starts in an
// untitled notebook, as it does for a new user:
//  - IntelliSense across cells in the untitled notebook offers an earlier cell's name and not a
//    name from another open notebook (sample 03 declares btcPeak);
//  - a type error (`corr(btc)`, one argument short) is underlined before the cell runs;
//  - saving the untitled notebook under a name keeps its kernel: the next cell sees the earlier
//    variables;
//  - the Variables view lists them, the status bar shows the kernel busy and idle, Save a Copy
//    without Outputs says where it saved, and Restart Kernel asks before it throws them away.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { closeWindows, openWindow, shot, workspace } from '../lib/context.mjs';
import {
  answerKernelPickerIfShown,
  answerSaveDialog,
  codeCell,
  notebookEditor,
  notification,
  openNotebook,
  runCellFromUi,
  runCommand,
  waitForCellState,
} from '../lib/workbench.mjs';

/** Focuses the last code cell, inserts a code cell below it and types `text` (one line); returns its index among code cells. */
async function addCell(page, text) {
  const cells = notebookEditor(page).locator('.cell-list-container .monaco-list-row.code-cell-row');
  let n = 0;
  // the list may re-render under us (a notebook that was just saved is a new editor): retry
  for (let attempt = 0; ; attempt++) {
    try {
      await cells.first().waitFor({ state: 'attached' });
      n = await cells.count();
      const last = cells.nth(n - 1);
      await last.scrollIntoViewIfNeeded({ timeout: 5_000 });
      await last.locator('.monaco-editor .view-lines').click({ timeout: 5_000 });
      break;
    } catch (e) {
      if (attempt >= 4) throw e;
    }
  }
  await runCommand(page, 'Notebook: Insert Code Cell Below');
  await cells.nth(n).waitFor({ state: 'attached' });
  await page.keyboard.type(text, { delay: 15 });
  // the text landed in the new cell (the editor shows spaces as U+00A0)
  const lines = cells.nth(n).locator('.view-lines');
  const deadline = Date.now() + 10_000;
  for (;;) {
    const shown = ((await lines.textContent()) ?? '').replace(/\u00a0/g, ' ');
    if (shown.includes(text)) break;
    if (Date.now() > deadline) throw new Error(`cell ${n} shows "${shown}", not "${text}"`);
    await page.waitForTimeout(100); // poll interval
  }
  return n;
}

/** Waits until some notebook output webview shows a text output matching `re`. */
async function waitForOutputText(page, re, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    for (const f of page.frames()) {
      const texts = await f
        .locator('.output-plaintext, .output-stream')
        .allTextContents()
        .catch(() => []);
      if (texts.some((t) => re.test(t.trim()))) return;
    }
    if (Date.now() > deadline) throw new Error(`no output matches ${re}`);
    await page.waitForTimeout(200); // poll interval
  }
}

/**
 * Ctrl+Space at the end of code cell `n` until the suggestion list holds `want` (TypeScript may
 * still be loading the project: the first lists can be word-based). Returns the last labels seen.
 */
async function suggestionsUntil(page, n, want, timeout = 90_000) {
  const widget = page.locator('.suggest-widget.visible >> visible=true').first();
  const deadline = Date.now() + timeout;
  let labels = [];
  while (Date.now() < deadline) {
    if (!(await widget.isVisible())) {
      // (re)focus the cell's editor, cursor at its end: Escape or a click elsewhere may have left it
      await codeCell(page, n).locator('.monaco-editor .view-lines').click();
      await page.keyboard.press('End');
      await page.keyboard.press('Control+Space');
    }
    try {
      await widget.locator('.monaco-list-row').first().waitFor({ state: 'visible', timeout: 10_000 });
    } catch {
      continue;
    }
    labels = await widget.locator('.monaco-list-row .label-name').allTextContents();
    if (labels.includes(want)) return labels;
    await page.keyboard.press('Escape'); // closes the list; the cell editor keeps the focus
    await widget.waitFor({ state: 'hidden' });
    await page.waitForTimeout(1000); // let tsserver finish loading before asking again
  }
  return labels;
}

describe('First hour in an untitled notebook', function () {
  after(closeWindows);

  it('completions across cells, a type error before Run, Save As keeps the kernel, Variables view, restart asks first', async function () {
    this.timeout(480_000);
    const ws = workspace('first-hour');
    const { page } = await openWindow('trusted', ws);

    // another notebook is open: its names must not show up in the new one
    await openNotebook(page, 'samples/03-anatomy-of-a-crypto-crash.mktnb');

    await runCommand(page, 'Market Notebooks: New Market Notebook');
    await page.locator('.tabs-container .tab.active', { hasText: /Untitled/ }).waitFor();
    await notebookEditor(page).waitFor();

    // --- IntelliSense across cells of the untitled notebook
    await addCell(page, "const btcHere = load('samples/data/BTC-USD.csv');");
    const asked = await addCell(page, 'btc');
    const labels = await suggestionsUntil(page, asked, 'btcHere');
    await shot('first-hour-completions-untitled');
    assert.ok(labels.includes('btcHere'), `an earlier cell's name is offered: ${labels.join(', ')}`);
    assert.ok(!labels.includes('btcPeak'), `no name of another open notebook: ${labels.join(', ')}`);
    await page.keyboard.press('Escape');

    // --- a type error is underlined before the cell runs
    const errCell = await addCell(page, 'const c = corr(btcHere);');
    const squiggle = codeCell(page, errCell).locator('.squiggly-error');
    await squiggle.first().waitFor({ state: 'attached', timeout: 90_000 });
    assert.equal(
      await codeCell(page, errCell)
        .locator(
          '.cell-statusbar-container .codicon-notebook-state-success, .cell-statusbar-container .codicon-notebook-state-error',
        )
        .count(),
      0,
      'the cell has not run',
    );
    await page.keyboard.press('Control+Shift+M'); // Problems panel
    const problem = page
      .locator('.markers-panel .monaco-list-row', { hasText: /Expected 2-3 arguments, but got 1/ })
      .first();
    await problem.waitFor({ state: 'visible', timeout: 30_000 });
    await shot('first-hour-type-error-before-run');

    // run the first cells (not the broken one): x and btcHere live in the kernel
    await runCellFromUi(page, 0);
    await answerKernelPickerIfShown(page);
    assert.equal(await waitForCellState(page, 0, ['success', 'error']), 'success');
    await runCellFromUi(page, 1);
    assert.equal(await waitForCellState(page, 1, ['success', 'error']), 'success');

    // --- Save As: the untitled notebook becomes first-hour.mktnb with the same kernel
    const target = path.join(ws, 'first-hour.mktnb');
    await runCommand(page, 'File: Save');
    // VS Code's own (simple) save dialog: a path box that fills in the suggested name first
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await page.waitForFunction(
      () =>
        /Untitled-1\.mktnb$/.test(
          /** @type {HTMLInputElement | null} */ (document.querySelector('.quick-input-widget .quick-input-box input'))
            ?.value ?? '',
        ),
      undefined,
      { polling: 100 },
    );
    await shot('first-hour-save-as-dialog');
    await answerSaveDialog(page, target, 'first-hour.mktnb');
    await notebookEditor(page).waitFor();
    const next = await addCell(page, 'x * 21 + btcHere.length * 0');
    await runCellFromUi(page, next);
    const state = await waitForCellState(page, next, ['success', 'error']);
    await shot('first-hour-saved-as-keeps-variables');
    assert.equal(state, 'success', "the cell after Save As sees the earlier cells' variables (no ReferenceError)");
    // the output "42" (two output webviews exist now: the untitled editor's and the file's)
    await waitForOutputText(page, /^\s*42\s*$/);

    // --- kernel status and Variables view
    await page.locator('.statusbar-item', { hasText: 'Kernel: idle' }).first().waitFor({ timeout: 30_000 });
    await runCommand(page, 'Market Notebooks: Show Variables');
    // the panel tab "Notebook Variables" holds the one view
    await page.locator('.panel .composite-bar .action-item.checked', { hasText: /Notebook Variables/i }).waitFor();
    const view = page
      .locator('.panel .pane-body')
      .filter({ has: page.locator('.monaco-list') })
      .first();
    const row = (name) =>
      view
        .locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${name}$`) }) })
        .first();
    await row('btcHere').waitFor({ state: 'visible', timeout: 30_000 });
    await row('x').waitFor({ state: 'visible' });
    const btcRow = (await row('btcHere').textContent()) ?? '';
    assert.match(
      btcRow,
      /Frame\s+\d{3,} × 5 · open, high, low, close, volume/,
      `type, shape and columns of btcHere: ${btcRow}`,
    );
    assert.match(btcRow, /\d{4}-\d{2}-\d{2} \.\. \d{4}-\d{2}-\d{2}/, `its date range: ${btcRow}`);
    assert.match((await row('x').textContent()) ?? '', /number\s*·\s*2/);
    await shot('first-hour-variables-view');

    // --- the status bar shows the kernel busy while a cell runs, idle after
    const slow = await addCell(page, 'await new Promise((r) => setTimeout(r, 4000)); x + 1');
    await runCellFromUi(page, slow);
    await page.locator('.statusbar-item', { hasText: 'Kernel: busy' }).first().waitFor({ timeout: 10_000 });
    await shot('first-hour-kernel-busy');
    assert.equal(await waitForCellState(page, slow, ['success', 'error']), 'success');
    await page.locator('.statusbar-item', { hasText: 'Kernel: idle' }).first().waitFor({ timeout: 10_000 });

    // --- Save a Copy without Outputs says where it saved; the copy has no outputs
    await runCommand(page, 'Market Notebooks: Save a Copy without Outputs');
    await input.waitFor({ state: 'visible' });
    await page.waitForFunction(
      () =>
        /first-hour\.clean\.mktnb$/.test(
          /** @type {HTMLInputElement | null} */ (document.querySelector('.quick-input-widget .quick-input-box input'))
            ?.value ?? '',
        ),
      undefined,
      { polling: 100 },
    );
    await input.press('Enter');
    await notification(page, 'Saved a copy without outputs: first-hour.clean.mktnb').waitFor({ timeout: 30_000 });
    await shot('first-hour-saved-copy-feedback');
    const copy = JSON.parse(fs.readFileSync(path.join(ws, 'first-hour.clean.mktnb'), 'utf8'));
    assert.ok(
      copy.cells.length >= 6 && copy.cells.every((c) => !c.outputs?.length),
      'the copy holds the cells and no outputs',
    );
    await page.keyboard.press('Escape');

    // --- Restart Kernel asks first; Cancel keeps the variables, Restart clears them
    await runCommand(page, 'Market Notebooks: Restart Kernel');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible' });
    assert.match((await dialog.textContent()) ?? '', /Restart the kernel of first-hour\.mktnb\?.*variables/s);
    await shot('first-hour-restart-asks');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await runCommand(page, 'Market Notebooks: Show Variables');
    await row('x').waitFor({ state: 'visible' });

    await runCommand(page, 'Market Notebooks: Restart Kernel');
    await dialog.waitFor({ state: 'visible' });
    await dialog.getByRole('button', { name: 'Restart', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await runCommand(page, 'Market Notebooks: Show Variables');
    await view.getByText(/No variables yet/).waitFor({ timeout: 30_000 });
    await row('x').waitFor({ state: 'detached', timeout: 10_000 }); // the restart cleared the variables
    await page.locator('.statusbar-item', { hasText: 'Kernel: idle' }).first().waitFor();
    await shot('first-hour-after-restart');
  });
});
