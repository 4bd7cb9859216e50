/**
 * What the charts DO, in a real browser (Chromium): the cascade replay animates when Play is
 * pressed and when the slider is moved; a drag-zoom on a time series zooms the dates only and
 * keeps the line in view (box zoom still one modebar click away); long titles stay clear of the
 * modebar; hover numbers follow the shared formatter. Figures come from the real sample data
 * through the library (src/market), as a notebook cell would make them.
 * Run: npx mocha --config test/renderer/mocharc.json test/renderer/visual.test.ts
 */
import { strict as assert } from 'node:assert';
import type { Page } from 'playwright-core';
import { sampleFigures } from './figures';

type Harness = {
  newPage(theme?: string, viewport?: { width: number; height: number }): Promise<Page>;
  close(): Promise<void>;
};

async function rendered(page: Page, id: string): Promise<void> {
  await page.waitForFunction(
    (i) => {
      const gd = document.querySelector(`#out-${i} .mktnb-plot`) as any;
      return !!gd && !!gd._fullLayout && !gd.classList.contains('mktnb-pending');
    },
    id,
    { timeout: 60_000 },
  );
}

/** What is drawn of the replay's price line: its SVG path and its number of points. */
const drawnLine = (page: Page, id: string) =>
  page.evaluate((i) => {
    const gd = document.querySelector(`#out-${i} .mktnb-plot`) as any;
    return {
      d: document.querySelector(`#out-${i} .scatterlayer .trace path.js-line`)?.getAttribute('d') ?? '',
      points: gd.data[0].x.length,
      slider: gd._fullLayout.sliders[0].active,
    };
  }, id);

describe('chart behaviour (Chromium)', function () {
  let h: Harness;
  let page: Page;
  let figs: ReturnType<typeof sampleFigures>;

  before(async () => {
    figs = sampleFigures();
    const m = await import('./harness.mjs');
    h = await m.startHarness();
  });
  after(async () => {
    await h?.close();
  });
  beforeEach(async () => {
    page = await h.newPage('light', { width: 1000, height: 900 });
  });
  afterEach(async () => {
    await page?.close();
  });

  it('the cascade replay plays: Play advances the frames and the drawn price line grows', async () => {
    await page.evaluate((f) => (window as any).renderChart('r1', f), figs.replay);
    await rendered(page, 'r1');
    const before = await drawnLine(page, 'r1');
    assert.equal(before.points, 1, 'the first frame shows the first day only');
    assert.ok(
      (await page.evaluate(
        () => ((document.querySelector('#out-r1 .mktnb-plot') as any)._transitionData?._frames ?? []).length,
      )) === figs.replay.figure.frames.length,
      'the frames reached Plotly',
    );
    await page.click('#out-r1 .updatemenu-button >> nth=0'); // Play
    await page.waitForFunction(
      () => {
        const gd = document.querySelector('#out-r1 .mktnb-plot') as any;
        return gd.data[0].x.length >= 6;
      },
      null,
      { timeout: 30_000 },
    );
    const mid = await drawnLine(page, 'r1');
    assert.notEqual(mid.d, before.d, 'the drawn line changed');
    assert.ok(mid.slider > 0, `the slider follows the animation (active ${mid.slider})`);
    await page.click('#out-r1 .updatemenu-button >> nth=1'); // Pause
    const paused = await drawnLine(page, 'r1');
    await page.waitForTimeout(800);
    const later = await drawnLine(page, 'r1');
    assert.ok(later.points - paused.points <= 1, `Pause stops the animation (${paused.points} -> ${later.points})`);
    assert.ok(later.points < figs.replay.figure.frames.length, 'paused before the end');
  });

  it('the replay slider moves the chart: clicking its end shows the last frame', async () => {
    await page.evaluate((f) => (window as any).renderChart('r2', f), figs.replay);
    await rendered(page, 'r2');
    const before = await drawnLine(page, 'r2');
    const rail = await page.locator('#out-r2 .slider-rail-rect').boundingBox();
    assert.ok(rail);
    await page.mouse.click(rail.x + rail.width - 2, rail.y + rail.height / 2);
    const n = figs.replay.figure.frames.length;
    await page.waitForFunction(
      (n) => (document.querySelector('#out-r2 .mktnb-plot') as any).data[0].x.length === n,
      n,
      { timeout: 30_000 },
    );
    const after = await drawnLine(page, 'r2');
    assert.notEqual(after.d, before.d);
    assert.equal(after.slider, n - 1);
    // the level map emptied: fewer long positions still open than at the start
    const longs = await page.evaluate(() =>
      ((document.querySelector('#out-r2 .mktnb-plot') as any).data[1].y as number[]).reduce((a, b) => a + b, 0),
    );
    const longs0 = (figs.replay.figure.data[1].y as number[]).reduce((a, b) => a + b, 0);
    assert.ok(longs < longs0 * 0.9, `${longs} vs ${longs0}`);
  });

  it('drag-zoom on a time series zooms the dates only and keeps the line in view', async () => {
    await page.evaluate((f) => (window as any).renderChart('z1', f), figs.line);
    await rendered(page, 'z1');
    const full = await page.evaluate(() =>
      (document.querySelector('#out-z1 .mktnb-plot') as any)._fullLayout.yaxis.range.slice(),
    );
    const box = (await page.locator('#out-z1 .nsewdrag').first().boundingBox())!;
    // a diagonal drag over the last fifth of the plot, from the top to the bottom
    await page.mouse.move(box.x + box.width * 0.78, box.y + 5);
    await page.mouse.down();
    for (let k = 1; k <= 10; k++)
      await page.mouse.move(box.x + box.width * (0.78 + 0.02 * k), box.y + 5 + ((box.height - 10) * k) / 10);
    await page.mouse.up();
    await page.waitForFunction(
      () => (document.querySelector('#out-z1 .mktnb-plot') as any)._fullLayout.xaxis.autorange === false,
      null,
      { timeout: 30_000 },
    );
    await page.waitForFunction(
      (full) => {
        const r = (document.querySelector('#out-z1 .mktnb-plot') as any)._fullLayout.yaxis.range;
        return r[1] - r[0] < (full[1] - full[0]) * 0.9;
      },
      full,
      { timeout: 30_000 },
    );
    const r = await page.evaluate(() => {
      const gd = document.querySelector('#out-z1 .mktnb-plot') as any;
      const xa = gd._fullLayout.xaxis,
        ya = gd._fullLayout.yaxis;
      const lo = xa.r2l(xa.range[0]),
        hi = xa.r2l(xa.range[1]);
      const vis: number[] = [];
      gd.data[0].x.forEach((x: string, i: number) => {
        const t = xa.d2l(x);
        if (t >= lo && t <= hi) vis.push(gd.data[0].y[i]);
      });
      return { y: ya.range.slice(), min: Math.min(...vis), max: Math.max(...vis), n: vis.length, fixed: ya.fixedrange };
    });
    assert.ok(r.n > 10, `points visible: ${r.n}`);
    assert.ok(
      r.y[0] <= r.min && r.y[1] >= r.max,
      `every visible point inside the y range ${r.y} (${r.min} .. ${r.max})`,
    );
    assert.ok(r.y[0] > full[0] || r.y[1] < full[1], 'y follows the visible data');
    assert.ok((r.max - r.min) / (r.y[1] - r.y[0]) > 0.8, 'and the line fills the plot');
    assert.equal(r.fixed, true, 'the drag did not zoom the values axis');
    // double-click: back to everything
    await page.mouse.dblclick(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForFunction(
      () => {
        const gd = document.querySelector('#out-z1 .mktnb-plot') as any;
        return gd._fullLayout.xaxis.autorange === true && gd._fullLayout.yaxis.autorange === true;
      },
      null,
      { timeout: 30_000 },
    );
  });

  it('box zoom (x and y) is one modebar click away', async () => {
    await page.evaluate((f) => (window as any).renderChart('z2', f), figs.line);
    await rendered(page, 'z2');
    await page.hover('#out-z2 .mktnb-plot');
    const btn = page.locator('#out-z2 .modebar-btn[data-title="Box zoom (dates and values)"]');
    await btn.click();
    await page.waitForFunction(
      () => document.querySelector('#out-z2 .mktnb-chart')?.getAttribute('data-box-zoom') === 'true',
      null,
      { timeout: 10_000 },
    );
    await page.waitForFunction(
      () => (document.querySelector('#out-z2 .mktnb-plot') as any)._fullLayout.yaxis.fixedrange === false,
      null,
      { timeout: 10_000 },
    );
    const box = (await page.locator('#out-z2 .nsewdrag').first().boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.3);
    await page.mouse.down();
    for (let k = 1; k <= 10; k++)
      await page.mouse.move(box.x + box.width * (0.3 + 0.02 * k), box.y + box.height * (0.3 + 0.02 * k));
    await page.mouse.up();
    await page.waitForFunction(
      () => {
        const gd = document.querySelector('#out-z2 .mktnb-plot') as any;
        return gd._fullLayout.yaxis.autorange === false && gd._fullLayout.xaxis.autorange === false;
      },
      null,
      { timeout: 30_000 },
    );
    // the same button goes back to dates-only zoom
    await page.hover('#out-z2 .mktnb-plot');
    await page.locator('#out-z2 .modebar-btn[data-title="Zoom dates only (y follows the data)"]').click();
    await page.waitForFunction(
      () => (document.querySelector('#out-z2 .mktnb-plot') as any)._fullLayout.yaxis.fixedrange === true,
      null,
      { timeout: 10_000 },
    );
  });

  it('a long title is wrapped clear of the modebar; hover numbers use the shared format', async () => {
    await page.evaluate((f) => (window as any).renderChart('t1', f), figs.line);
    await rendered(page, 't1');
    await page.hover('#out-t1 .mktnb-plot');
    await page.waitForSelector('#out-t1 .modebar-btn', { state: 'visible' });
    const r = await page.evaluate(() => {
      const t = document.querySelector('#out-t1 .gtitle')!.getBoundingClientRect();
      const bars = Array.from(document.querySelectorAll('#out-t1 .modebar-btn')).map((g) => g.getBoundingClientRect());
      const plot = document.querySelector('#out-t1 .nsewdrag')!.getBoundingClientRect();
      const gd = document.querySelector('#out-t1 .mktnb-plot') as any;
      return {
        t: { l: t.left, r: t.right, top: t.top, b: t.bottom },
        mb: { l: Math.min(...bars.map((b) => b.left)), b: Math.max(...bars.map((b) => b.bottom)) },
        plotTop: plot.top,
        hover: gd._fullLayout.yaxis.hoverformat,
      };
    });
    assert.ok(r.t.r < r.mb.l || r.t.top > r.mb.b, `title ${JSON.stringify(r.t)} vs modebar ${JSON.stringify(r.mb)}`);
    assert.ok(r.t.b <= r.plotTop + 1, 'the title is above the plot');
    assert.equal(r.hover, ',.2f');
  });
});
