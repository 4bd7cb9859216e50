// Scenario 5: every notebook-making command of the palette (issue 7). Each quick analysis is
// invoked by its title, its quick picks are answered, and the new untitled notebook must run
// without a failed cell and draw a chart. Each prompt (placeholder or title) is matched against
// the command's PICKS; a prompt not listed gets its default (Enter).
import assert from 'node:assert/strict';
import { closeWindows, commandByTitle, openWindow, shot, workspace } from '../lib/context.mjs';
import {
  answerInput,
  collectChartsByScrolling,
  describeOutputs,
  scrollChartIntoView,
  notebookEditor,
  pickItem,
  quickInputState,
  runCommand,
  waitRunDone,
} from '../lib/workbench.mjs';

/** @type {[RegExp, string]} */
const DATES_ALL = [/Dates/i, 'All dates'];
/** command title → prompt → item label (files are listed by name; the workspace copy holds samples/data/). */
/** @type {Array<[string, Array<[RegExp, string]>]>} command title and the answers to its prompts */
const QUICK = [
  [
    'Market Notebooks: Quick Analysis: Correlation',
    [
      [/First series/i, 'BTC-USD.csv'],
      [/Second series/i, 'AMD.csv'],
      [/Correlate what/i, 'Daily log returns'],
      [/Method/i, 'pearson'],
      DATES_ALL,
    ],
  ],
  [
    'Market Notebooks: Quick Analysis: Rolling Correlation',
    [
      [/First series/i, 'BTC-USD.csv'],
      [/Second series/i, 'QQQ.csv'],
      [/Correlate what/i, 'Daily log returns'],
      [/Method/i, 'spearman'],
      [/Rolling window/i, '63'],
      DATES_ALL,
    ],
  ],
  [
    'Market Notebooks: Quick Analysis: Beta',
    [[/Asset/i, 'GDX.csv'], [/Benchmark/i, 'GLD.csv'], [/Rolling window/i, '63'], DATES_ALL],
  ],
  [
    'Market Notebooks: Quick Analysis: Lead/Lag',
    [[/First series/i, 'BTC-USD.csv'], [/Second series/i, 'GLD.csv'], DATES_ALL],
  ],
  [
    'Market Notebooks: Quick Analysis: Drawdowns',
    [
      [/^Series/i, 'BTC-USD.csv'],
      [/Dates/i, 'Last 6 months'],
    ],
  ],
  [
    'Market Notebooks: Quick Analysis: Liquidation Cascade Replay',
    [
      [/^Series/i, 'BTC-USD.csv'],
      [/Dates/i, 'Last 90 days'],
    ],
  ],
  ['Market Notebooks: Analyze Price File', [[/^Series/i, 'GLD.csv'], DATES_ALL]],
];

async function answerPrompts(page, PICKS) {
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
    await page.waitForFunction(
      (prev) => {
        const w = [...document.querySelectorAll('.quick-input-widget')].find(
          (e) => /** @type {HTMLElement} */ (e).offsetParent !== null,
        );
        return !w || w.querySelector('.quick-input-box input')?.getAttribute('placeholder') !== prev;
      },
      st.placeholder,
      { polling: 50 },
    );
  }
  return answered;
}

describe('Quick analyses from the command palette', function () {
  after(closeWindows);

  for (const [COMMAND, PICKS] of QUICK) {
    it(`"${COMMAND}" creates a notebook, runs it and draws the chart`, async function () {
      this.timeout(360_000); // a hang guard: the cascade notebook runs a 90-day replay and draws five outputs on a shared machine
      assert.ok(commandByTitle(COMMAND), `the command "${COMMAND}" is not contributed in package.json`);
      const { page, consoleErrors } = await openWindow('trusted', workspace(`quick-${COMMAND.replace(/\W+/g, '-')}`));
      await runCommand(page, COMMAND);
      const answered = await answerPrompts(page, PICKS);
      console.log(`      picks: ${answered.join('; ')}`);
      await notebookEditor(page).waitFor();
      await page.locator('.tabs-container .tab.active', { hasText: /Untitled/ }).waitFor();
      await waitRunDone(page, 180_000);
      assert.equal(
        await notebookEditor(page).locator('.cell-statusbar-container .codicon-notebook-state-error').count(),
        0,
        'no cell failed',
      );
      const charts = await collectChartsByScrolling(page);
      const slots = await notebookEditor(page)
        .locator('[output-mime-type]')
        .evaluateAll((els) =>
          els.map((e) => `${e.getAttribute('output-mime-type')} h=${Math.round(e.getBoundingClientRect().height)}`),
        );
      assert.ok(
        charts.length >= 1,
        `a chart is drawn; the output webview holds:\n${await describeOutputs(page)}\nlist output slots: ${slots.join(', ')}\nconsole errors: ${consoleErrors.slice(-5).join('\n')}`,
      );
      assert.ok(
        charts.every((c) => c.svgTraces >= 1 || c.hasCanvas),
        `every drawn chart has traces: ${JSON.stringify(charts)}`,
      );
      await scrollChartIntoView(page, 0);
      await shot(`quick-${COMMAND.split(': ').pop().replace(/\W+/g, '-').toLowerCase()}`);
      await closeWindows();
    });
  }

  it('"Market Notebooks: New Market Notebook" opens an untitled notebook that runs', async function () {
    const { page } = await openWindow('trusted', workspace('new-notebook'));
    await runCommand(page, 'Market Notebooks: New Market Notebook');
    await page.locator('.tabs-container .tab.active', { hasText: /Untitled/ }).waitFor();
    await notebookEditor(page).waitFor();
    await notebookEditor(page)
      .locator('.notebook-toolbar-container')
      .getByRole('button', { name: /^Run All/ })
      .click();
    await waitRunDone(page, 120_000);
    assert.equal(
      await notebookEditor(page).locator('.cell-statusbar-container .codicon-notebook-state-error').count(),
      0,
      'no cell failed',
    );
    await shot('new-notebook');
    await closeWindows();
  });

  it('"Market Notebooks: Open Sample Notebook" copies a sample with its data and shows its saved charts', async function () {
    const { page } = await openWindow('trusted', workspace('open-sample'));
    await runCommand(page, 'Market Notebooks: Open Sample Notebook');
    // the command reads the samples' titles before it shows its pick
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('.quick-input-widget')].some(
          (w) =>
            /** @type {HTMLElement} */ (w).offsetParent !== null &&
            /bundled real daily data/.test(
              w.querySelector('.quick-input-box input')?.getAttribute('placeholder') ?? '',
            ),
        ),
      undefined,
      { timeout: 60_000, polling: 100 },
    );
    const st = await quickInputState(page);
    assert.ok(st && st.labels.length >= 3, `three samples are offered: ${JSON.stringify(st)}`);
    await pickItem(page, 'Gold miners and Bitcoin falling together');
    await page.locator('.tabs-container .tab.active', { hasText: /01-gold-miners-and-bitcoin/ }).waitFor();
    await notebookEditor(page).waitFor();
    // saved outputs live in the notebook's output webview; charts draw as they scroll into view
    await page.locator('iframe.webview.ready >> visible=true').waitFor({ timeout: 60_000 });
    const charts = await collectChartsByScrolling(page);
    assert.ok(charts.length >= 3, `the saved charts are drawn without running: ${charts.length}`);
    await shot('open-sample');
    await closeWindows();
  });
});
