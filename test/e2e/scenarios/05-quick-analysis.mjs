// Scenario 5: a quick analysis from the command palette creates a notebook, runs it, and the
// chart is drawn. The quick picks are answered generically: each prompt (placeholder or title)
// is matched against PICKS; a prompt not listed gets its default (Enter).
import assert from 'node:assert/strict';
import { closeWindows, commandByTitle, openWindow, shot, workspace } from '../lib/context.mjs';
import {
  answerInput, collectChartsByScrolling, describeOutputs, scrollChartIntoView, notebookEditor, pickItem, quickInputState, runCommand, waitRunDone,
} from '../lib/workbench.mjs';

const COMMAND = 'Market Notebooks: Quick Analysis: Correlation';
/** prompt → item label (files are listed by name; the workspace copy holds samples/data/). */
const PICKS = [
  [/First series|Asset/i, 'BTC-USD.csv'],
  [/Second series|Benchmark/i, 'AMD.csv'],
  [/Correlate what/i, 'Daily log returns'],
  [/Method/i, 'pearson'],
  [/Dates/i, 'All dates'],
];

async function answerPrompts(page) {
  const widget = page.locator('.quick-input-widget');
  const answered = [];
  // each answer closes the prompt or replaces it with the next; stop when a notebook opened
  for (let step = 0; step < 20; step++) {
    await Promise.race([
      widget.waitFor({ state: 'visible', timeout: 60_000 }),
      page.locator('.tabs-container .tab.active', { hasText: /Untitled/ }).waitFor({ timeout: 60_000 }),
    ]);
    const st = await quickInputState(page);
    if (!st) break;
    const prompt = `${st.placeholder} ${st.title} ${st.message}`;
    const plan = PICKS.find(([re]) => re.test(prompt));
    if (plan && st.labels.length) await pickItem(page, plan[1]);
    else if (st.labels.length) await page.keyboard.press('Enter');
    else await answerInput(page, (await page.locator('.quick-input-widget .quick-input-box input').inputValue()) || '');
    answered.push(`${st.placeholder || st.title} → ${plan ? plan[1] : '(default)'}`);
    // wait for this prompt to be replaced (different placeholder) or closed
    await page.waitForFunction((prev) => {
      const w = [...document.querySelectorAll('.quick-input-widget')].find((e) => e.offsetParent !== null);
      return !w || w.querySelector('.quick-input-box input')?.getAttribute('placeholder') !== prev;
    }, st.placeholder, { polling: 50 });
  }
  return answered;
}

describe('Quick analysis from the command palette', function () {
  after(closeWindows);

  it(`"${COMMAND}" creates a notebook, runs it and draws the chart`, async function () {
    if (!commandByTitle(COMMAND)) this.skip(); // pending: the command has not landed in package.json
    const { page, consoleErrors } = await openWindow('trusted', workspace('quick-analysis'));
    await runCommand(page, COMMAND);
    const answered = await answerPrompts(page);
    console.log(`      picks: ${answered.join('; ')}`);
    await notebookEditor(page).waitFor();
    await page.locator('.tabs-container .tab.active', { hasText: /Untitled/ }).waitFor();
    await waitRunDone(page, 180_000);
    assert.equal(await notebookEditor(page).locator('.cell-statusbar-container .codicon-notebook-state-error').count(), 0, 'no cell failed');
    const charts = await collectChartsByScrolling(page);
    const slots = await notebookEditor(page).locator('[output-mime-type]').evaluateAll((els) => els.map((e) => `${e.getAttribute('output-mime-type')} h=${Math.round(e.getBoundingClientRect().height)}`));
    assert.ok(charts.length >= 1, `a chart is drawn; the output webview holds:\n${await describeOutputs(page)}\nlist output slots: ${slots.join(', ')}\nconsole errors: ${consoleErrors.slice(-5).join('\n')}`);
    assert.ok(charts.every((c) => c.svgTraces >= 1 || c.hasCanvas), `every drawn chart has traces: ${JSON.stringify(charts)}`);
    await scrollChartIntoView(page, 0);
    await shot('quick-analysis-correlation');
  });
});
