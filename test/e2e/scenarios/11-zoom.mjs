// Scenario 11 (issue 14): outputs that ask the kernel. A cell charts a 10^7-point minute series;
// three drag-zooms down to 0.01% of its range show the raw points of that range, fetched from the
// kernel; a 10^7-row Frame's table pages to its middle and sorts all rows in the kernel. After
// Restart Kernel both fall back to what the notebook stored, and say so.
import assert from 'node:assert/strict';
import { closeWindows, openWindow, shot, workspace } from '../lib/context.mjs';
import {
  answerKernelPickerIfShown,
  openNotebook,
  outputFrame,
  runCellFromUi,
  runCommand,
  scrollChartIntoView,
  waitForCellState,
  waitForCharts,
} from '../lib/workbench.mjs';

const T0 = Date.UTC(2020, 0, 1),
  MIN = 60_000,
  N = 10_000_000;
/** the series the fixture's cell makes (computed here from its definition) */
const value = (i) => Math.round(Math.sin(i / 50_000) * 1000) + (i % 1000);

async function until(f, what, timeout = 60_000) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await f().catch(() => null);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A drag over the plot from fraction fx0 to fx1 of its width (a dates-only zoom on a time series). */
async function dragX(page, plot, fx0, fx1) {
  const box = await plot.locator('.nsewdrag').first().boundingBox();
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * fx0, y);
  await page.mouse.down();
  for (let k = 1; k <= 10; k++) await page.mouse.move(box.x + box.width * (fx0 + ((fx1 - fx0) * k) / 10), y + k);
  await page.mouse.up();
}

const xSpan = (plot) =>
  plot.evaluate((gd) => {
    const xa = gd._fullLayout.xaxis;
    return [xa.r2l(xa.range[0]), xa.r2l(xa.range[1])];
  });

describe('Outputs that ask the kernel', function () {
  this.timeout(600_000);
  after(closeWindows);

  it('zooming a 10^7-point chart to 0.01% shows its raw points; a 10^7-row table pages to its middle; both fall back after a restart', async function () {
    const { page } = await openWindow('trusted', workspace('zoom'));
    await openNotebook(page, 'fixtures/zoom.mktnb');
    await runCellFromUi(page, 0);
    await answerKernelPickerIfShown(page);
    assert.equal(await waitForCellState(page, 0, ['success', 'error'], 180_000), 'success', 'the chart cell runs');
    await waitForCharts(page, 1, 120_000);
    await scrollChartIntoView(page, 0);
    const root = outputFrame(page).locator('.mktnb-chart').first();
    const plot = root.locator('.js-plotly-plot');
    assert.equal(await root.getAttribute('data-live'), '1', 'the chart carries a handle to the kernel series');
    assert.match(
      await root.locator('.mktnb-note').textContent(),
      /3,000 of 10,000,000 points stored.*Zoom asks the kernel for full detail/,
    );
    await shot('zoom-full-range');

    // three drag-zooms: 2% of the range, 2% of that, then a quarter of that ≈ 0.01%
    const [a0, b0] = await xSpan(plot);
    await dragX(page, plot, 0.49, 0.51);
    await until(
      async () => (await root.getAttribute('data-detail')) === 'kernel',
      'detail from the kernel after the first zoom',
    );
    await dragX(page, plot, 0.49, 0.51);
    await until(async () => {
      const [a, b] = await xSpan(plot);
      return b - a < (b0 - a0) * 0.001;
    }, 'the second zoom');
    await dragX(page, plot, 0.375, 0.625);
    await until(async () => {
      const [a, b] = await xSpan(plot);
      return b - a < (b0 - a0) * 0.00015 && (await root.getAttribute('data-detail')) === 'raw';
    }, 'the raw points of 0.01% of the range');
    const [a, b] = await xSpan(plot);
    const fraction = (b - a) / (b0 - a0);
    assert.ok(fraction > 0.00005 && fraction < 0.00015, `zoomed to ${(fraction * 100).toFixed(4)}% of the range`);
    const drawn = await plot.evaluate((gd) => ({
      x: gd.data[0].x.map((s) => gd._fullLayout.xaxis.d2l(s)),
      y: Array.from(gd.data[0].y),
    }));
    // every minute of the range is drawn with its own value: the raw points, not a reduction
    const first = Math.round((drawn.x[0] - T0) / MIN);
    assert.ok(drawn.x.length >= 0.00005 * N && drawn.x.length < 0.0002 * N, `${drawn.x.length} points drawn`);
    drawn.x.forEach((x, k) => assert.equal(Math.round((x - T0) / MIN), first + k, `point ${k} is the next minute`));
    drawn.y.forEach((y, k) => assert.equal(y, value(first + k), `value of minute ${first + k}`));
    assert.ok(drawn.x[0] <= a && drawn.x.at(-1) >= b, 'the drawn points cover the visible range');
    assert.match(await root.locator('.mktnb-status').textContent(), /All [\d,]+ points in view, from the kernel/);
    await shot('zoom-raw-points');

    // the table of a 10^7-row Frame: pages fetched from the kernel, jump to the middle, sort all rows
    await runCellFromUi(page, 1);
    assert.equal(await waitForCellState(page, 1, ['success', 'error'], 120_000), 'success', 'the table cell runs');
    const table = outputFrame(page).locator('.mktnb-table-wrap', { hasText: '10,000,000' }).first();
    await table.waitFor({ state: 'attached', timeout: 60_000 });
    const pos = table.locator('.mktnb-pager-pos');
    await until(async () => (await pos.textContent()) === 'Rows 1–20 of 10,000,000', 'the first page from the kernel');
    await table.locator('input[aria-label="Go to row"]').fill('5000001');
    await table.locator('input[aria-label="Go to row"]').press('Enter');
    await until(async () => (await pos.textContent()) === 'Rows 5,000,001–5,000,020 of 10,000,000', 'the middle page');
    const mid = await table.locator('tbody tr').first().locator('td').allTextContents();
    const iso = new Date(T0 + 5_000_000 * MIN).toISOString();
    assert.deepEqual(mid.slice(0, 2), ['5,000,001', `${iso.slice(0, 10)} ${iso.slice(11, 16)}`]);
    assert.equal(Number(mid[2].replace(/,/g, '')), value(5_000_000));
    await table.scrollIntoViewIfNeeded();
    await shot('zoom-table-middle');
    await table.locator('th button[title="Sort by value"]').click();
    await table.locator('th button[title="Sort by value"]').click();
    await until(
      async () => /sorted by value descending/.test(await table.locator('.mktnb-table-footer').last().textContent()),
      'the kernel to sort all rows',
    );
    const top = Number((await table.locator('tbody tr').first().locator('td').nth(2).textContent()).replace(/,/g, ''));
    let max = -Infinity;
    for (let i = 0; i < N; i += 1) {
      const v = value(i);
      if (v > max) max = v;
    }
    assert.equal(top, max, 'the largest value of all 10^7 rows is first');

    // Restart Kernel: the data is gone; both outputs fall back to what the notebook stored
    await runCommand(page, 'Market Notebooks: Restart Kernel');
    const dialog = page.locator('.monaco-dialog-box');
    if (
      await dialog.waitFor({ state: 'visible', timeout: 5000 }).then(
        () => true,
        () => false,
      )
    ) {
      await dialog.getByRole('button', { name: 'Restart', exact: true }).click();
    }
    await new Promise((r) => setTimeout(r, 3000));
    await table.locator('button[aria-label="Next page"]').press('Enter'); // below the fold of the webview: by keyboard
    await until(
      async () => /no longer has its rows/.test(await table.locator('.mktnb-table-footer').last().textContent()),
      'the table to fall back',
    );
    assert.equal(await table.locator('.mktnb-pager').isHidden(), true);
    assert.match(await table.locator('tr.gap').textContent(), /… 9,999,980 rows …/);
    await shot('zoom-table-after-restart');
    await scrollChartIntoView(page, 0);
    await dragX(page, plot, 0.1, 0.4);
    await until(async () => (await root.getAttribute('data-detail')) === 'stored', 'the chart to fall back');
    assert.match(
      await root.locator('.mktnb-note').textContent(),
      /no longer has its data.*zoom shows the stored points/,
    );
    assert.equal(await plot.evaluate((gd) => gd.data[0].y.length), 3000, 'the stored points are drawn again');
    assert.equal(await root.locator('.mktnb-status').textContent(), '');
    await shot('zoom-chart-after-restart');
  });
});
