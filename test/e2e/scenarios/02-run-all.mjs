// Scenarios 1 and 2: Run All draws the chart and shows the numbers; saved outputs come back
// after save, close and reopen without any cell running again.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { closeWindows, openWindow, sampleNotebooks, shot, workspace } from '../lib/context.mjs';
import {
  clickRunAll,
  closeActiveEditor,
  codeCell,
  collectChartsByScrolling,
  describeOutputs,
  drawnCharts,
  scrollChartIntoView,
  notebookEditor,
  openNotebook,
  outputFrame,
  runCommand,
  saveActive,
  textOutputs,
  waitForCharts,
  waitForTextOutput,
  waitRunDone,
} from '../lib/workbench.mjs';

const CHART_MIME = 'application/vnd.mktnb.chart+json';

/** Reads a saved notebook once its file holds outputs (the save has reached the disk). */
async function savedNotebook(file, predicate, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      const nb = JSON.parse(fs.readFileSync(file, 'utf8'));
      if (predicate(nb)) return nb;
    } catch {
      /* being written */
    }
    if (Date.now() > deadline) throw new Error(`${file} was not saved with outputs`);
    await new Promise((r) => setTimeout(r, 100)); // poll the file
  }
}

const outputsOf = (nb) => nb.cells.flatMap((c) => c.outputs ?? []).flatMap((o) => o.items ?? []);

describe('Run All on a notebook', function () {
  after(closeWindows);

  let ws;
  let page;
  let runId;

  before(async function () {
    ws = workspace('run-all');
    ({ page } = await openWindow('trusted', ws));
  });

  it('draws the chart in the output webview and shows the text outputs', async function () {
    await openNotebook(page, 'fixtures/basic.mktnb');
    await clickRunAll(page);
    await waitRunDone(page);
    for (let i = 0; i < 3; i++) {
      assert.equal(
        await codeCell(page, i).locator('.cell-statusbar-container .codicon-notebook-state-success').count(),
        1,
        `code cell ${i} ran successfully`,
      );
    }
    await waitForCharts(page, 1);
    const charts = await drawnCharts(page);
    assert.equal(charts.length, 1, 'one chart');
    assert.equal(charts[0].svgTraces, 2, `two traces drawn in Plotly's SVG: ${JSON.stringify(charts[0])}`);
    assert.equal(charts[0].title, 'E2E fixture chart');
    await waitForTextOutput(page, 'x times 21 = 42');
    const texts = await textOutputs(page);
    assert.ok(texts.includes('2'), `the value of x is shown: ${JSON.stringify(texts)}`);
    runId = texts.join('\n').match(/run id (\w+)/)?.[1];
    assert.ok(runId, `the printed run id is shown: ${JSON.stringify(texts)}`);
    await outputFrame(page).locator('.js-plotly-plot').first().scrollIntoViewIfNeeded();
  });

  it('after save, close and reopen, shows the saved outputs without running again', async function () {
    assert.ok(runId, 'needs the previous scenario');
    await saveActive(page);
    const file = path.join(ws, 'fixtures', 'basic.mktnb');
    const saved = await savedNotebook(file, (nb) => outputsOf(nb).some((i) => i.mime === CHART_MIME));
    assert.ok(JSON.stringify(saved).includes(runId), "the saved file holds this run's outputs");
    await closeActiveEditor(page, 'basic.mktnb');
    await openNotebook(page, 'fixtures/basic.mktnb');
    await waitForCharts(page, 1);
    const charts = await drawnCharts(page);
    assert.equal(charts.length, 1);
    assert.equal(charts[0].svgTraces, 2, 'the saved chart is drawn with its two traces');
    const line = await waitForTextOutput(page, /run id \w+/);
    assert.equal(
      (await line.textContent()).match(/run id (\w+)/)[1],
      runId,
      'the same run id: the cell did not run again',
    );
    assert.equal(
      await notebookEditor(page).locator('.codicon-notebook-state-executing, .codicon-notebook-state-pending').count(),
      0,
      'nothing is running',
    );
    assert.equal(
      await page.locator('.tabs-container .tab.active.dirty').count(),
      0,
      'the reopened notebook is not modified',
    );
  });

  // every bundled sample runs in VS Code too (issues 6 and 7), not only headless
  for (const rel of sampleNotebooks())
    it(`runs the sample notebook ${rel}: every cell succeeds and its charts are drawn`, async function () {
      this.timeout(420_000); // the run alone may take up to 300 s (waitRunDone below), then every chart is scrolled into view
      const tag = path.basename(rel, '.mktnb').slice(0, 2);
      await runCommand(page, 'View: Close All Editors');
      await openNotebook(page, rel);
      // samples carry saved outputs: clear them first, so "done" means this run is done
      await notebookEditor(page)
        .locator('.notebook-toolbar-container')
        .getByRole('button', { name: /^Clear All Outputs/ })
        .click();
      await notebookEditor(page)
        .locator(
          '.cell-statusbar-container .codicon-notebook-state-success, .cell-statusbar-container .codicon-notebook-state-error',
        )
        .first()
        .waitFor({ state: 'detached' });
      await clickRunAll(page);
      await waitRunDone(page, 300_000);
      await shot(`sample-${tag}-run-all`);
      assert.equal(
        await notebookEditor(page).locator('.cell-statusbar-container .codicon-notebook-state-error').count(),
        0,
        'no visible cell failed',
      );
      await saveActive(page);
      const saved = await savedNotebook(path.join(ws, rel), (nb) => nb.cells.some((c) => c.outputs?.length));
      const code = saved.cells.filter((c) => c.kind === 'code');
      const failed = code.filter((c) => c.execution && c.execution.success === false);
      const why = (c) =>
        (c.outputs ?? [])
          .flatMap((o) => o.items)
          .filter((i) => i.mime === 'application/vnd.code.notebook.error')
          .map((i) => i.data?.message ?? JSON.stringify(i.data))
          .join(' ');
      assert.equal(
        failed.length,
        0,
        `cells failed:\n${failed.map((c) => `${c.source.join('\n').slice(0, 60)}… → ${why(c)}`).join('\n')}`,
      );
      const onDisk = outputsOf(saved)
        .filter((i) => i.mime === CHART_MIME)
        .map((i) => i.data);
      assert.ok(onDisk.length >= 1, 'the sample makes at least one chart');
      // charts draw as they scroll into view: scroll through the notebook and collect them
      const drawn = await collectChartsByScrolling(page);
      await scrollChartIntoView(page, 0);
      await shot(`sample-${tag}-first-chart`);
      assert.equal(
        drawn.length,
        onDisk.length,
        `every chart output is drawn (${drawn.length} of ${onDisk.length}); the output webview holds:\n${await describeOutputs(page)}`,
      );
      for (const d of drawn) {
        assert.ok(d.svgTraces >= 1 || d.hasCanvas, `chart "${d.title}" has drawn traces`);
        const match = onDisk.find(
          (c) => (c.title ?? c.figure.layout?.title?.text ?? c.figure.layout?.title) === d.title,
        );
        if (match && d.dataTraces !== null)
          assert.equal(d.dataTraces, match.figure.data.length, `chart "${d.title}" draws all its traces`);
      }
    });
});
