// Scenario 9 (issue 18): charts do what they show, in a real VS Code. A cell ending in a
// cascade result shows every part (two tables, three charts) as its own output, in order; Play
// on the replay animates it (the drawn line changes across frames) and the slider moves it, in
// the webview and in the exported HTML; a drag-zoom on a time series keeps the line in view.
// Screenshots (light and dark) of the replay mid-animation and the other fixed views.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { browser, closeWindows, openWindow, shot, workspace } from '../lib/context.mjs';
import {
  clickRunAll,
  closeQuickInput,
  collectChartsByScrolling,
  notebookEditor,
  openNotebook,
  outputFrame,
  pickItem,
  runCommand,
  saveActive,
  scrollChartIntoView,
  textOutputs,
  waitRunDone,
} from '../lib/workbench.mjs';

const CHART_MIME = 'application/vnd.mktnb.chart+json';
const TABLE_MIME = 'application/vnd.mktnb.table+json';

/** Polls fn() (in the test process) until it returns a truthy value. */
async function until(fn, what, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100)); // poll interval
  }
}

/** The drawn state of a replay plot: the SVG path of its price line, its points, the slider position. */
const replayState = (plot) =>
  plot.evaluate((gd) => ({
    d: gd.querySelector('.scatterlayer .trace path.js-line')?.getAttribute('d') ?? '',
    points: gd.data[0].x.length,
    slider: gd._fullLayout.sliders[0].active,
    frames: (gd._transitionData?._frames ?? []).length,
  }));

/** Drags across a plot's drag area from (fx0, fy0) to (fx1, fy1), fractions of its box. */
async function drag(page, plot, [fx0, fy0], [fx1, fy1]) {
  const box = await plot.locator('.nsewdrag').first().boundingBox();
  await page.mouse.move(box.x + box.width * fx0, box.y + box.height * fy0);
  await page.mouse.down();
  for (let k = 1; k <= 12; k++)
    await page.mouse.move(
      box.x + box.width * (fx0 + ((fx1 - fx0) * k) / 12),
      box.y + box.height * (fy0 + ((fy1 - fy0) * k) / 12),
    );
  await page.mouse.up();
  return box;
}

describe('Visual: charts do what they show (issue 18)', function () {
  after(closeWindows);
  let page;
  let ws;

  before(async function () {
    ws = workspace('visual');
    ({ page } = await openWindow('trusted', ws));
    await openNotebook(page, 'fixtures/visual.mktnb');
    await clickRunAll(page);
    await waitRunDone(page, 240_000);
    assert.equal(
      await notebookEditor(page).locator('.cell-statusbar-container .codicon-notebook-state-error').count(),
      0,
      'no cell failed',
    );
  });

  it('a cell ending in a cascade result shows every part as its own output, in order, and no stray text', async function () {
    this.timeout(300_000);
    const charts = await collectChartsByScrolling(page, { timeout: 180_000 });
    const titles = charts.map((c) => c.title ?? '');
    for (const re of [/^Price path and liquidations/, /^Liquidation-level map/, /^Cascade replay/, /^BTC close/])
      assert.ok(
        titles.some((t) => re.test(t)),
        `${re} drawn: ${JSON.stringify(titles)}`,
      );
    const tables = await outputFrame(page).locator('.mktnb-table-title').allTextContents();
    assert.ok(
      tables.some((t) => /^Liquidation cascade: Jan-Feb 2026 \(replay\)/.test(t)),
      `summary table: ${JSON.stringify(tables)}`,
    );
    assert.ok(
      tables.some((t) => /^Which layers went/.test(t)),
      `layers table: ${JSON.stringify(tables)}`,
    );
    const texts = await textOutputs(page);
    assert.ok(
      !texts.some((t) => /^Chart( ".*")? with \d+ traces?$/.test(t)),
      `no stray chart text: ${JSON.stringify(texts)}`,
    );
    // as saved: five outputs, each one part with its text fallback
    await saveActive(page);
    const saved = JSON.parse(fs.readFileSync(path.join(ws, 'fixtures', 'visual.mktnb'), 'utf8'));
    const outs = saved.cells[2].outputs;
    assert.deepEqual(
      outs.map((o) => o.items[0].mime),
      [TABLE_MIME, TABLE_MIME, CHART_MIME, CHART_MIME, CHART_MIME],
    );
    for (const o of outs) assert.deepEqual(o.items.map((i) => i.mime).slice(1), ['text/plain']);
    assert.ok(!JSON.stringify(saved).includes(ws), 'no absolute path of this machine in the saved outputs');
    assert.match(JSON.stringify(saved.cells[1].outputs), /Frame from \.\.\/samples\/data\/BTC-USD\.csv/);
  });

  it('Play animates the cascade replay and the slider moves it (webview)', async function () {
    await scrollChartIntoView(page, 2);
    await page.mouse.wheel(0, 120); // the whole chart with its slider in view
    const plot = outputFrame(page).locator('.js-plotly-plot', {
      has: page.locator('.gtitle', { hasText: /^Cascade replay/ }),
    });
    await until(async () => (await replayState(plot)).frames > 0, 'the replay frames to reach Plotly');
    const start = await replayState(plot);
    assert.equal(start.points, 1, 'the first frame: the first day');
    await plot.locator('.updatemenu-button').first().click(); // Play
    const mid = await until(async () => {
      const s = await replayState(plot);
      return s.points >= 12 ? s : null;
    }, 'the animation to advance');
    await shot('visual-replay-mid-animation-light');
    assert.notEqual(mid.d, start.d, 'the drawn price line changed');
    assert.ok(mid.slider > 0, 'the slider follows the animation');
    await plot.locator('.updatemenu-button').nth(1).click(); // Pause
    const rail = await plot.locator('.slider-rail-rect').boundingBox();
    await page.mouse.click(rail.x + rail.width - 2, rail.y + rail.height / 2);
    const end = await until(async () => {
      const s = await replayState(plot);
      return s.points === s.frames ? s : null;
    }, "the last frame after a click on the slider's end");
    assert.equal(end.slider, end.frames - 1);
    await page.mouse.click(rail.x + 3, rail.y + rail.height / 2);
    await until(
      async () => (await replayState(plot)).points === 1,
      "the first frame after a click on the slider's start",
    );
  });

  it('a drag-zoom on the time series zooms the dates and keeps the line in view', async function () {
    await scrollChartIntoView(page, 3);
    const plot = outputFrame(page).locator('.js-plotly-plot', {
      has: page.locator('.gtitle', { hasText: /^BTC close/ }),
    });
    const full = await plot.evaluate((gd) => gd._fullLayout.yaxis.range.slice());
    await drag(page, plot, [0.8, 0.05], [0.97, 0.95]);
    const r = await until(
      () =>
        plot.evaluate((gd) => {
          const xa = gd._fullLayout.xaxis,
            ya = gd._fullLayout.yaxis;
          if (xa.autorange !== false) return null;
          const lo = xa.r2l(xa.range[0]),
            hi = xa.r2l(xa.range[1]);
          const vis = [];
          gd.data[0].x.forEach((x, i) => {
            const t = xa.d2l(x);
            if (t >= lo && t <= hi) vis.push(gd.data[0].y[i]);
          });
          return { y: ya.range.slice(), min: Math.min(...vis), max: Math.max(...vis), n: vis.length };
        }),
      'the zoom',
    );
    await until(async () => {
      const y = await plot.evaluate((gd) => gd._fullLayout.yaxis.range.slice());
      return y[1] - y[0] < (full[1] - full[0]) * 0.9;
    }, 'y to follow the zoom');
    const y = await plot.evaluate((gd) => gd._fullLayout.yaxis.range.slice());
    await shot('visual-timeseries-zoomed-light');
    assert.ok(r.n > 10, `visible points ${r.n}`);
    assert.ok(y[0] <= r.min && y[1] >= r.max, `the line is inside the plot: y ${y} for ${r.min} .. ${r.max}`);
  });

  it('the exported HTML plays the replay too (Chromium)', async function () {
    await runCommand(page, 'Market Notebooks: Export as HTML');
    // code-server's save dialog: a path box prefilled with fixtures/visual.html
    await page.locator('.quick-input-widget').waitFor({ state: 'visible' });
    await page.keyboard.press('Enter');
    const file = path.join(ws, 'fixtures', 'visual.html');
    await until(() => fs.existsSync(file) && fs.statSync(file).size > 100_000, 'the export to be written', 60_000);
    const html = await (await browser()).newPage({ viewport: { width: 1100, height: 900 } });
    try {
      await html.goto(`file://${file}`);
      // charts draw when scrolled into view: find the replay by its label, then scroll to it
      const plot = html.locator('figure.chart .plot[aria-label^="Cascade replay"]');
      await plot.scrollIntoViewIfNeeded();
      await until(
        async () => (await plot.getAttribute('data-rendered')) === '1' && (await replayState(plot)).frames > 0,
        'the exported replay to draw with its frames',
        60_000,
      );
      const start = await replayState(plot);
      await plot.locator('.updatemenu-button').first().click();
      const mid = await until(async () => {
        const s = await replayState(plot);
        return s.points >= 12 ? s : null;
      }, 'the exported animation to advance');
      assert.notEqual(mid.d, start.d);
      await html.screenshot({
        path: path.join(
          path.dirname(new URL(import.meta.url).pathname),
          '..',
          '..',
          '..',
          'test-results',
          'e2e',
          'visual-export-replay.png',
        ),
      });
      await plot.locator('.updatemenu-button').nth(1).click();
    } finally {
      await html.close();
    }
  });

  it('dark theme: the same views, re-colored', async function () {
    await runCommand(page, 'Preferences: Color Theme');
    await pickItem(page, 'Dark Modern');
    await page.locator('.monaco-workbench.vs-dark').waitFor();
    await closeQuickInput(page);
    await scrollChartIntoView(page, 2);
    await page.mouse.wheel(0, 120);
    const plot = outputFrame(page).locator('.js-plotly-plot', {
      has: page.locator('.gtitle', { hasText: /^Cascade replay/ }),
    });
    const rail = await plot.locator('.slider-rail-rect').boundingBox();
    await page.mouse.click(rail.x + 3, rail.y + rail.height / 2);
    await until(async () => (await replayState(plot)).points === 1, 'the first frame');
    await plot.locator('.updatemenu-button').first().click();
    await until(async () => (await replayState(plot)).points >= 8, 'the animation to advance');
    await plot.locator('.updatemenu-button').nth(1).click();
    // mid-replay for the screenshot: the slider at 55 % (a loaded machine may have played on past the Pause)
    await page.mouse.click(rail.x + rail.width * 0.55, rail.y + rail.height / 2);
    await until(async () => {
      const s = await replayState(plot);
      return s.points > 10 && s.points < s.frames - 5;
    }, 'a frame in the middle');
    await shot('visual-replay-mid-animation-dark');
    await scrollChartIntoView(page, 0);
    await shot('visual-cascade-path-dark');
    await scrollChartIntoView(page, 1);
    await shot('visual-cascade-levels-dark');
  });
});
