// Scenario 9: the cascade lab in VS Code: a cell runs a cascade with stress-responsive depth and
// ADL and shows the depth-over-time panel and the ADL table; the October 2025 sample opens with
// saved depth panels drawn.
import assert from 'node:assert/strict';
import { closeWindows, openWindow, shot, workspace } from '../lib/context.mjs';
import {
  clickRunAll,
  collectChartsByScrolling,
  openNotebook,
  outputFrame,
  runCommand,
  scrollChartIntoView,
  waitForTextOutput,
  waitRunDone,
} from '../lib/workbench.mjs';

describe('Cascade lab', function () {
  after(closeWindows);
  let page;

  before(async function () {
    ({ page } = await openWindow('trusted', workspace('cascade-lab')));
  });

  it('the October 2025 sample shows its saved depth panels and calibration', async function () {
    this.timeout(420_000); // a long notebook scrolled through on a shared machine
    await openNotebook(page, 'samples/05-october-2025-cascade.mktnb');
    const drawn = await collectChartsByScrolling(page, { timeout: 300_000 });
    const titles = drawn.map((d) => d.title);
    for (const t of [
      'Resting depth over time (high, no breaker, ADL queue)',
      'Resting depth over time (high, breaker, ADL queue)',
    ])
      assert.ok(titles.includes(t), `${t} drawn: ${JSON.stringify(titles)}`);
    const k = titles.indexOf('Resting depth over time (high, no breaker, ADL queue)');
    assert.ok(drawn[k].svgTraces >= 3, 'bid, ask and withdrawn traces drawn');
    await scrollChartIntoView(page, k);
    await shot('cascade-lab-sample-depth');
  });

  it('a cell shows the depth-over-time panel and the ADL table', async function () {
    await runCommand(page, 'View: Close All Editors');
    await openNotebook(page, 'fixtures/cascade-lab.mktnb');
    await clickRunAll(page);
    await waitRunDone(page);
    // the queue case of test/unit/cascade/mechanisms.test.ts on a book whose depth flees: the -12% move
    // withdraws 0.9 (1 - e^(-ln(1/0.88)/0.05)) = 83.02% of the depth, so A's 88,000 USDT walk 0.5182%:
    // fill 88000 e^-0.002591 = 87772.27, loss beyond margin 2227.73, closed at 90,000 instead of
    // 87545.13 (h = 2454.87): 0.9075 BTC of shorts, S3 whole and 0.4075 of S1
    await waitForTextOutput(page, 'ADL closed 2 positions, haircut 2227.73');
    const table = outputFrame(page).locator('table').filter({ hasText: '20x' });
    await table.first().waitFor();
    await shot('cascade-lab-adl-table');
    const drawn = await collectChartsByScrolling(page);
    const depth = drawn.find((d) => d.title === 'Resting depth over time (lab fixture)');
    assert.ok(depth, `the depth panel is drawn: ${JSON.stringify(drawn.map((d) => d.title))}`);
    await scrollChartIntoView(page, drawn.indexOf(depth));
    assert.equal(depth.title, 'Resting depth over time (lab fixture)');
    assert.ok(depth.svgTraces >= 3, `bid, ask and withdrawn traces drawn: ${JSON.stringify(depth)}`);
    const text = await outputFrame(page).locator('body').innerText();
    assert.match(text, /Auto-deleveraging: who was closed \(queue\)/);
    assert.match(text, /20x\s+short/);
    await shot('cascade-lab-cell');
  });
});
