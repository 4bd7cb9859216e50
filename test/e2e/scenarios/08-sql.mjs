// Scenario 8 (issue 12): a SQL cell shows its result as a table and binds it (-- as bars); a
// TypeScript cell charts it; a long query stops with the cell's stop button (DuckDB's interrupt)
// and the kernel keeps `bars`; a SQL error names the line and column in the cell.
import assert from 'node:assert/strict';
import { closeWindows, openWindow, shot, workspace } from '../lib/context.mjs';
import {
  answerKernelPickerIfShown,
  drawnCharts,
  notebookEditor,
  openNotebook,
  outputFrame,
  runCellFromUi,
  scrollChartIntoView,
  stopCellFromUi,
  waitForCellState,
  waitForCharts,
  waitForTextOutput,
} from '../lib/workbench.mjs';

/** The code cell whose text contains `text` (rows are virtualised: an index would shift when the list scrolls). */
const cellWith = (page, text) =>
  notebookEditor(page).locator('.cell-list-container .monaco-list-row.code-cell-row', { hasText: text }).first();

/** Runs the cell containing `target`, below the cell containing `from`: focus moves down from the keyboard (Escape, Down) so VS Code scrolls it into view, then its run button is clicked. */
async function runCellBelow(page, from, target) {
  await cellWith(page, from).locator('.monaco-editor').first().click();
  await page.keyboard.press('Escape');
  await page.keyboard.press('ArrowDown');
  const cell = cellWith(page, target);
  await cell.waitFor({ state: 'attached' });
  await cell.hover();
  await cell
    .locator('.run-button-container')
    .getByRole('button', { name: /^Execute Cell/ })
    .click();
}

/** Waits until the cell containing `text` shows one of the states. */
async function cellState(page, text, states, timeout = 90_000) {
  const sel = { success: '.codicon-notebook-state-success', error: '.codicon-notebook-state-error' };
  await cellWith(page, text)
    .locator(states.map((st) => `.cell-statusbar-container ${sel[st]}`).join(', '))
    .first()
    .waitFor({ state: 'attached', timeout });
  for (const st of states)
    if (await cellWith(page, text).locator(`.cell-statusbar-container ${sel[st]}`).count()) return st;
  return states[0];
}

describe('SQL cells', function () {
  this.timeout(420_000); // the first SQL cell starts the kernel and loads DuckDB
  after(closeWindows);

  it("a SQL cell's result is a table and a Frame; Stop ends a long query, the kernel keeps it; errors name line and column; a TypeScript cell charts it", async function () {
    const { page } = await openWindow('trusted', workspace('sql'));
    await openNotebook(page, 'fixtures/sql.mktnb');

    await runCellFromUi(page, 0);
    await answerKernelPickerIfShown(page);
    assert.equal(await waitForCellState(page, 0, ['success', 'error']), 'success', 'the SQL cell runs');
    const table = outputFrame(page).locator('.mktnb-table-wrap', { hasText: 'bars: Frame' }).first();
    await table.waitFor({ state: 'attached', timeout: 60_000 });
    const title = await table.locator('.mktnb-table-title').textContent();
    assert.match(title, /^bars: Frame \[\d+ rows x 1 columns\], indexed by date/);
    assert.deepEqual(
      await table
        .locator('thead th')
        .allTextContents()
        .then((t) =>
          t.map((s) =>
            s
              .trim()
              .replace(/[▲▼↑↓]/g, '')
              .trim(),
          ),
        ),
      ['date', 'close'],
    );
    assert.match(await table.locator('tbody tr').first().textContent(), /2026-02-24/);
    await shot('sql-table');

    await runCellFromUi(page, 1);
    await waitForCellState(page, 1, ['running']);
    await new Promise((r) => setTimeout(r, 1500)); // the query is running in DuckDB
    await stopCellFromUi(page, 1);
    assert.equal(
      await waitForCellState(page, 1, ['error', 'success'], 30_000),
      'error',
      'the stopped query ends as not successful',
    );

    await runCellFromUi(page, 2);
    assert.equal(await waitForCellState(page, 2, ['success', 'error']), 'success', 'the kernel kept its state');
    await waitForTextOutput(page, /bars still has 5 rows/);

    await runCellBelow(page, 'bars still has', 'missing_table');
    assert.equal(await cellState(page, 'missing_table', ['error', 'success']), 'error');
    const err = outputFrame(page).locator('.output', { hasText: 'missing_table' }).first();
    await err.waitFor({ state: 'attached', timeout: 30_000 });
    assert.match(await err.textContent(), /Table with name missing_table does not exist.*cell \[4\]:2:6/s);
    await shot('sql-error-position');

    await runCellBelow(page, 'missing_table', 'BTC from a SQL cell');
    assert.equal(
      await cellState(page, 'BTC from a SQL cell', ['success', 'error']),
      'success',
      'the TypeScript cell using bars runs',
    );
    await waitForCharts(page, 1);
    const charts = await drawnCharts(page);
    assert.equal(charts.length, 1);
    assert.equal(charts[0].title, 'BTC from a SQL cell: 5 days');
    assert.equal(charts[0].svgTraces, 1);
    await scrollChartIntoView(page, 0);
    await shot('sql-chart');
  });
});
