// Scenario 9: the cascade lab in VS Code: a cell runs a cascade with stress-responsive depth and
// ADL and shows the depth-over-time panel and the ADL table; the October 2025 sample opens with
// its saved depth panels, ADL tables and calibration drawn.
import assert from 'node:assert/strict';
import { closeWindows, openWindow, shot, workspace } from '../lib/context.mjs';
import {
  clickRunAll, collectChartsByScrolling, drawnCharts, openNotebook, outputFrame, runCommand, scrollChartIntoView, textOutputs, waitForCharts, waitForTextOutput, waitRunDone,
} from '../lib/workbench.mjs';

describe('Cascade lab', function () {
  after(closeWindows);
  let page;

  before(async function () {
    ({ page } = await openWindow('trusted', workspace('cascade-lab')));
  });

  it('a cell shows the depth-over-time panel and the ADL table', async function () {
    await openNotebook(page, 'fixtures/cascade-lab.mktnb');
    await clickRunAll(page);
    await waitRunDone(page);
    await waitForCharts(page, 1);
    // the hand-worked queue case (test/unit/cascade/mechanisms.test.ts): S3 and part of S1, 2038.71 socialised
    await waitForTextOutput(page, 'ADL closed 2 positions, haircut 2038.71');
    const [depth] = await drawnCharts(page);
    assert.equal(depth.title, 'Resting depth over time (lab fixture)');
    assert.ok(depth.svgTraces >= 3, `bid, ask and withdrawn traces drawn: ${JSON.stringify(depth)}`);
    const table = outputFrame(page).locator('table').filter({ hasText: '20x' });
    await table.first().waitFor();
    const text = await outputFrame(page).locator('body').innerText();
    assert.match(text, /Auto-deleveraging: who was closed \(queue\)/);
    assert.match(text, /20x\s+short/);
    await shot('cascade-lab-cell');
  });

  it('the October 2025 sample shows its saved depth panels and ADL tables', async function () {
    await runCommand(page, 'View: Close All Editors');
    await openNotebook(page, 'samples/05-october-2025-cascade.mktnb');
    const drawn = await collectChartsByScrolling(page);
    const titles = drawn.map((d) => d.title);
    for (const t of ["Resting depth over time (high, no breaker, ADL queue)", "Resting depth over time (high, breaker, ADL queue)"]) assert.ok(titles.includes(t), `${t} drawn: ${JSON.stringify(titles)}`);
    const k = titles.indexOf('Resting depth over time (high, no breaker, ADL queue)');
    await scrollChartIntoView(page, k);
    await shot('cascade-lab-sample-depth');
    const text = (await textOutputs(page)).join('\n') + (await outputFrame(page).locator('body').innerText());
    assert.match(text, /calibration to the public totals/);
    assert.match(text, /Auto-deleveraging: who was closed \(pro-rata\)/);
  });
});
