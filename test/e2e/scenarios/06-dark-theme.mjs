// Scenario 6: switching the color theme to "Dark Modern" re-colors a drawn chart (background
// and font colors follow the theme) without rerunning anything.
import assert from 'node:assert/strict';
import { closeWindows, openWindow, shot, workspace } from '../lib/context.mjs';
import { closeQuickInput, drawnCharts, openNotebook, pickItem, runCommand, waitForCharts } from '../lib/workbench.mjs';

/** Relative luminance (0 black .. 1 white) of a CSS color: rgb(), rgba() or #rrggbb. */
function luminance(css) {
  if (!css) return NaN;
  /** @type {unknown[] | null} */
  let m = /rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/.exec(css);
  if (!m) {
    const h = /#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})/i.exec(css);
    if (h) m = [null, ...h.slice(1).map((x) => parseInt(x, 16))];
  }
  if (!m) return NaN;
  const [r, g, b] = m.slice(1, 4).map((v) => {
    const c = Number(v) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

describe('Color theme', function () {
  after(closeWindows);

  it('switching to Dark Modern re-colors the chart', async function () {
    const { page } = await openWindow('trusted', workspace('theme'));
    await page.locator('.monaco-workbench.vs').waitFor(); // starts light (settings: Default Light Modern)
    await openNotebook(page, 'fixtures/saved-outputs.mktnb');
    await waitForCharts(page, 1);
    const [light] = await drawnCharts(page);
    await shot('theme-light');

    await runCommand(page, 'Preferences: Color Theme');
    await pickItem(page, 'Dark Modern');
    await page.locator('.monaco-workbench.vs-dark').waitFor();
    await closeQuickInput(page);
    // the renderer re-colors when the webview's theme variables change: wait for the colors to move
    const deadline = Date.now() + 30_000;
    let dark;
    for (;;) {
      [dark] = await drawnCharts(page);
      if (
        dark &&
        (dark.fontColor !== light.fontColor || dark.paperBg !== light.paperBg || dark.plotBg !== light.plotBg)
      )
        break;
      if (Date.now() > deadline) break;
      await page.waitForTimeout(100); // poll interval of the condition above
    }
    await shot('theme-dark');
    const lf = luminance(light.fontColor);
    const df = luminance(dark.fontColor);
    assert.ok(df > lf, `font color lighter on the dark theme: light ${light.fontColor} → dark ${dark.fontColor}`);
    const lightBg = luminance(light.plotBg ?? light.paperBg);
    const darkBg = luminance(dark.plotBg ?? dark.paperBg);
    if (!Number.isNaN(lightBg) && !Number.isNaN(darkBg)) {
      assert.ok(
        darkBg < lightBg || darkBg === 0,
        `background darker or transparent on the dark theme: ${light.plotBg ?? light.paperBg} → ${dark.plotBg ?? dark.paperBg}`,
      );
    }
    assert.equal(dark.svgTraces, light.svgTraces, 'the same traces are drawn');
  });
});
