// Driving VS Code's web workbench (served by code-server) with playwright-core + Debian Chromium.
// Every wait here is on a condition in the page, never a fixed sleep.
import fs from 'node:fs';
import path from 'node:path';

export const RESULTS_DIR = path.resolve(
  path.dirname(new URL(import.meta.url).pathname),
  '..',
  '..',
  '..',
  'test-results',
  'e2e',
);

/**
 * Opens the workbench on `folder` in a fresh page; resolves when the workbench is usable.
 * @param {import('playwright-core').Browser} browser
 * @param {{ url: string }} server
 * @param {string} folder
 * @param {{ trustPrompt?: 'trust' | 'dont' }} [options] answer the workspace-trust dialog this way (it must appear)
 */
export async function openWorkbench(browser, server, folder, { trustPrompt } = {}) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  const consoleErrors = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  await page.goto(`${server.url}/?folder=${encodeURIComponent(folder)}`);
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 90_000 });
  if (trustPrompt) {
    // the workspace-trust modal: "Yes, I trust the authors" / "No, I don't trust the authors"
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 60_000 });
    await dialog.getByRole('button', { name: trustPrompt === 'trust' ? /Yes, I trust/ : /No, I don.t trust/ }).click();
    await dialog.waitFor({ state: 'hidden' });
  }
  // the explorer has resolved the folder: the workbench has restored its layout
  await page
    .locator('.explorer-folders-view, .explorer-viewlet')
    .first()
    .waitFor({ state: 'visible', timeout: 60_000 });
  await page.locator('.statusbar').waitFor({ state: 'visible' });
  return { context, page, consoleErrors };
}

const reEscape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The row of the open quick input whose label is exactly `label` (after the list filtered). */
function exactRow(page, label) {
  return page
    .locator('.quick-input-widget .quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${reEscape(label)}\\s*$`) }) })
    .first();
}

/**
 * F1, type a command's title, pick the row with exactly that title. Commands contributed by
 * extensions are listed once the extension host has registered them: if the row is not there,
 * the palette is reopened (its list is computed when it opens) until `timeout`.
 */
export async function runCommand(page, title, { timeout = 60_000 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    await closeQuickInput(page);
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${title}`);
    const row = exactRow(page, title);
    try {
      await row.waitFor({ state: 'visible', timeout: Math.min(5_000, Math.max(1, deadline - Date.now())) });
    } catch (e) {
      if (Date.now() >= deadline) throw new Error(`command "${title}" is not in the command palette`);
      continue;
    }
    await row.click();
    return;
  }
}

export async function closeQuickInput(page) {
  const w = page.locator('.quick-input-widget');
  if (await w.isVisible()) {
    await page.keyboard.press('Escape');
    await w.waitFor({ state: 'hidden' });
  }
}

/**
 * In an open quick pick: type the label to filter, then accept the row whose label is exactly
 * `label` (or, with exact:false, the first row containing it). For input boxes (no list) use
 * `answerInput`.
 */
export async function pickItem(page, label, { exact = true } = {}) {
  const widget = page.locator('.quick-input-widget');
  await widget.waitFor({ state: 'visible' });
  const input = widget.locator('.quick-input-box input');
  await input.fill(label);
  const row = exact
    ? exactRow(page, label)
    : widget.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
  await row.waitFor({ state: 'visible' });
  const before = await promptNow(page);
  await row.click();
  await promptGone(page, before);
}

/**
 * In an open input box: type a value and press Enter; returns once the box has gone or shows
 * another prompt. (Without that wait, the next answer could be typed into this box while VS
 * Code validates it and swaps in the next one: on a loaded machine the ClickHouse scenario
 * typed its database name into the URL box.)
 */
export async function answerInput(page, value) {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible' });
  await input.fill(value);
  const before = await promptNow(page);
  await input.press('Enter');
  await promptGone(page, before);
}

/** What the quick input shows now: title, placeholder, message and value, as one string. */
function promptNow(page) {
  return page.evaluate(() => {
    const w = document.querySelector('.quick-input-widget');
    const box = /** @type {HTMLInputElement | null | undefined} */ (w?.querySelector('.quick-input-box input'));
    return `${w?.querySelector('.quick-input-title')?.textContent ?? ''}|${box?.getAttribute('placeholder') ?? ''}|${w?.querySelector('.quick-input-message')?.textContent ?? ''}|${box?.value ?? ''}`;
  });
}

/** Waits until the quick input is hidden or asks something other than `before` (at most 15 s: two steps may ask alike). */
async function promptGone(page, before) {
  await page
    .waitForFunction(
      (b) => {
        const w = /** @type {HTMLElement | null} */ (document.querySelector('.quick-input-widget'));
        if (!w || w.offsetParent === null || getComputedStyle(w).display === 'none') return true;
        const box = /** @type {HTMLInputElement | null} */ (w.querySelector('.quick-input-box input'));
        const now = `${w.querySelector('.quick-input-title')?.textContent ?? ''}|${box?.getAttribute('placeholder') ?? ''}|${w.querySelector('.quick-input-message')?.textContent ?? ''}|${box?.value ?? ''}`;
        return now !== b;
      },
      before,
      { polling: 100, timeout: 15_000 },
    )
    .catch(() => {});
}

/**
 * Answers VS Code's own (simple) save dialog, the path box code-server shows for "Save As", with
 * `target` (an absolute path), and waits until `tabName` is the active tab.
 *
 * The dialog lists the folder of the path it suggests and re-lists when the typed path names
 * another folder; an Enter that lands while it re-lists is taken as "the list changed" and
 * does not save (simpleFileDialog.ts, onDidAccept). On a loaded machine that happens: CI saw
 * the tab never appear. So: wait until the dialog is not busy, press Enter, and if the dialog
 * is still open with our path and no validation message, press Enter again.
 */
export async function answerSaveDialog(page, target, tabName, { timeout = 90_000 } = {}) {
  const deadline = Date.now() + timeout;
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('.quick-input-box input');
  const tab = page.locator('.tabs-container .tab.active', { hasText: tabName });
  const value = () =>
    page.evaluate(
      () =>
        /** @type {HTMLInputElement | null} */ (document.querySelector('.quick-input-widget .quick-input-box input'))
          ?.value ?? '',
    );
  const notBusy = () =>
    page
      .waitForFunction(
        () => {
          const bar = document.querySelector('.quick-input-widget .quick-input-progress');
          return !bar || !bar.classList.contains('active');
        },
        undefined,
        { polling: 100, timeout: 20_000 },
      )
      .catch(() => {});
  let tries = 0;
  while (Date.now() < deadline) {
    if (await tab.isVisible()) return;
    if (!(await widget.isVisible())) {
      // the dialog closed: either it saved (the tab is on its way) or something hid it
      if (
        await tab.waitFor({ state: 'visible', timeout: 10_000 }).then(
          () => true,
          () => false,
        )
      )
        return;
      throw new Error(
        `the save dialog closed and "${tabName}" did not open: ${JSON.stringify(await quickInputState(page))}`,
      );
    }
    await notBusy();
    if ((await value()) !== target) {
      // (CI once saw fill time out here: the box was not editable for 30 s; look again)
      const filled = await input
        .fill(target, { timeout: 15_000 })
        .then(() =>
          page.waitForFunction(
            (t) =>
              /** @type {HTMLInputElement | null} */ (
                document.querySelector('.quick-input-widget .quick-input-box input')
              )?.value === t,
            target,
            { polling: 100, timeout: 10_000 },
          ),
        )
        .then(
          () => true,
          () => false,
        );
      if (!filled) continue;
      await notBusy();
    }
    const st = await quickInputState(page);
    if (st?.message && /does not exist|already exists|not valid/i.test(st.message))
      throw new Error(`the save dialog refused ${target}: ${st.message}`);
    await input.press('Enter');
    tries++;
    if (
      await tab.waitFor({ state: 'visible', timeout: 10_000 }).then(
        () => true,
        () => false,
      )
    )
      return;
  }
  throw new Error(
    `"${tabName}" did not open after ${tries} Enter(s) in the save dialog: ${JSON.stringify(await quickInputState(page))}`,
  );
}

/** The current quick input's prompt/title text and its rows' labels (for generic pick sequences). */
export async function quickInputState(page) {
  const widget = page.locator('.quick-input-widget');
  if (!(await widget.isVisible())) return null;
  const title =
    (await widget
      .locator('.quick-input-title')
      .textContent()
      .catch(() => '')) ?? '';
  const placeholder = (await widget.locator('.quick-input-box input').getAttribute('placeholder')) ?? '';
  const message =
    (await widget
      .locator('.quick-input-message')
      .textContent()
      .catch(() => '')) ?? '';
  const labels = await widget.locator('.quick-input-list .monaco-list-row .label-name').allTextContents();
  return { title: title.trim(), placeholder, message: message.trim(), labels: labels.map((s) => s.trim()) };
}

/** Ctrl+P, type the file name, Enter; waits for the matching editor tab to be active. */
export async function openFile(page, relPath) {
  await closeQuickInput(page);
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible' });
  await input.fill(relPath);
  const base = path.basename(relPath);
  await page
    .locator('.quick-input-widget .quick-input-list .monaco-list-row.focused', { hasText: base })
    .waitFor({ state: 'visible' });
  await input.press('Enter');
  await page
    .locator(
      `.tabs-container .tab.active[aria-label^="${base}"], .tabs-container .tab.active[data-resource-name="${base}"]`,
    )
    .first()
    .waitFor({ state: 'visible' });
}

/** The visible notebook editor (two .notebook-editor nodes can exist; the first may be hidden). */
export function notebookEditor(page) {
  return page.locator('.notebook-editor >> visible=true');
}

export async function openNotebook(page, relPath) {
  await openFile(page, relPath);
  await notebookEditor(page).waitFor({ state: 'visible' });
  await notebookEditor(page).locator('.cell-list-container .monaco-list-row').first().waitFor({ state: 'attached' });
}

/** Frame locator for the notebook's output webview (two iframes deep). */
export function outputFrame(page) {
  return page.frameLocator('iframe.webview.ready >> visible=true').frameLocator('#active-frame');
}

/** The n-th code cell row of the visible notebook (0-based, counting only code cells). */
export function codeCell(page, n) {
  return notebookEditor(page).locator('.cell-list-container .monaco-list-row.code-cell-row').nth(n);
}

const STATE_SELECTOR = {
  success: '.codicon-notebook-state-success',
  error: '.codicon-notebook-state-error',
  running: '.codicon-notebook-state-executing',
  pending: '.codicon-notebook-state-pending',
};

/** Waits until the n-th code cell's status bar shows one of `states` (success|error|running|pending). */
export async function waitForCellState(page, n, states, timeout = 90_000) {
  const want = Array.isArray(states) ? states : [states];
  const sel = want.map((s) => `.cell-statusbar-container ${STATE_SELECTOR[s]}`).join(', ');
  await codeCell(page, n).locator(sel).first().waitFor({ state: 'attached', timeout });
  for (const s of want)
    if (await codeCell(page, n).locator(`.cell-statusbar-container ${STATE_SELECTOR[s]}`).count()) return s;
  return want[0];
}

/** If VS Code asks which kernel to use, take the first (ours is the only one): press Enter. */
export async function answerKernelPickerIfShown(page) {
  const st = await quickInputState(page);
  if (st && /kernel/i.test(`${st.title} ${st.placeholder}`)) {
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    return true;
  }
  return false;
}

/** The notebook toolbar's "Run All" action, clicked as a user would. */
export async function clickRunAll(page) {
  await notebookEditor(page)
    .locator('.notebook-toolbar-container')
    .getByRole('button', { name: /^Run All/ })
    .click();
}

/**
 * Waits until a Run All is over: some cell has run, no cell is pending or executing, and the
 * toolbar's Interrupt action is gone. Answers a kernel picker if one appears.
 */
export async function waitRunDone(page, timeout = 180_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    await answerKernelPickerIfShown(page);
    const done = await page
      .waitForFunction(
        () => {
          // the notebook editor a person sees: non-empty box, with cells (another one may be hidden)
          const ed = [...document.querySelectorAll('.notebook-editor')].find((e) => {
            const r = e.getBoundingClientRect();
            return r.width > 0 && r.height > 0 && e.querySelector('.cell-list-container .monaco-list-row');
          });
          if (!ed) return false;
          const shown = (sel) => [...ed.querySelectorAll(sel)].some((e) => e.getClientRects().length > 0);
          const busy = shown(
            '.cell-statusbar-container .codicon-notebook-state-executing, .cell-statusbar-container .codicon-notebook-state-pending, .notebook-toolbar-container .codicon-notebook-stop',
          );
          const ran = shown(
            '.cell-statusbar-container .codicon-notebook-state-success, .cell-statusbar-container .codicon-notebook-state-error',
          );
          const picker = [...document.querySelectorAll('.quick-input-widget')].some(
            (/** @type {HTMLElement} */ w) =>
              w.offsetParent !== null &&
              getComputedStyle(w).display !== 'none' &&
              /kernel/i.test(
                `${w.querySelector('.quick-input-title')?.textContent ?? ''} ${w.querySelector('.quick-input-box input')?.getAttribute('placeholder') ?? ''}`,
              ),
          );
          return picker ? 'picker' : !busy && !!ran;
        },
        undefined,
        { timeout: Math.max(1000, deadline - Date.now()), polling: 100 },
      )
      .then((h) => h.jsonValue());
    if (done === true) return;
    if (Date.now() > deadline) throw new Error('Run All did not finish');
  }
}

/** Clicks the n-th code cell's own run button. */
export async function runCellFromUi(page, n) {
  const cell = codeCell(page, n);
  await cell.scrollIntoViewIfNeeded();
  await cell.hover();
  await cell
    .locator('.run-button-container')
    .getByRole('button', { name: /^Execute Cell/ })
    .click();
}

/** Clicks the n-th code cell's stop button (shown while it runs). */
export async function stopCellFromUi(page, n) {
  const cell = codeCell(page, n);
  await cell.hover();
  await cell
    .locator('.run-button-container')
    .getByRole('button', { name: /^Stop Cell Execution/ })
    .click();
}

/** Plotly charts drawn in the output webview: trace counts (from the DOM), titles, colors. */
export async function drawnCharts(page) {
  return outputFrame(page)
    .locator('.js-plotly-plot')
    .evaluateAll((els) =>
      els.map((el) => {
        const svg = el.querySelector('.main-svg');
        const bg = el.querySelector('.main-svg .bg');
        const title = el.querySelector('.gtitle');
        const tick = el.querySelector('.xtick text, .ytick text');
        const r = el.getBoundingClientRect();
        return {
          outputId: el.closest('.output')?.id ?? null,
          hasSvg: !!svg,
          hasCanvas: !!el.querySelector('.gl-container canvas'),
          svgTraces: el.querySelectorAll(
            '.scatterlayer .trace, .barlayer .trace, .heatmaplayer .hm, .boxlayer .trace, .pielayer .trace',
          ).length,
          dataTraces: Array.isArray(el.data) ? el.data.length : null,
          title: title ? title.textContent : null,
          paperBg: svg ? svg.style.background || getComputedStyle(svg).backgroundColor : null,
          plotBg: bg ? bg.style.fill || bg.getAttribute('fill') : null,
          fontColor: tick
            ? tick.style.fill || getComputedStyle(tick).fill
            : title
              ? title.style.fill || getComputedStyle(title).fill
              : null,
          inView: r.height > 0 && r.bottom > 0 && r.top < innerHeight,
        };
      }),
    );
}

/** Waits until at least `count` charts are drawn (Plotly's SVG inside .js-plotly-plot). */
export async function waitForCharts(page, count = 1, timeout = 60_000) {
  await outputFrame(page)
    .locator('.js-plotly-plot .main-svg')
    .nth(count - 1)
    .waitFor({ state: 'attached', timeout });
}

/** True when the visible notebook's list is scrolled to its end (scrollbar slider at the bottom). */
async function atListBottom(page) {
  // the list's own scrollbar is the tallest one (cell editors have their own, small ones)
  return notebookEditor(page)
    .locator('.cell-list-container .scrollbar.vertical')
    .evaluateAll((bars) => {
      const bar = bars.sort((a, b) => b.getBoundingClientRect().height - a.getBoundingClientRect().height)[0];
      const slider = bar?.querySelector('.slider');
      if (!slider) return true; // no scrollbar: everything fits
      const b = bar.getBoundingClientRect();
      const s = slider.getBoundingClientRect();
      return s.height === 0 || s.bottom >= b.bottom - 1;
    });
}

/**
 * Scrolls the visible notebook from top to bottom, as a person does, and collects every chart
 * drawn on the way (by output id). The renderer draws charts lazily, when they enter the page's
 * viewport: at each position this waits until every chart output in view (the notebook list
 * marks each output's slot with its mime type) has a drawn Plotly plot over it.
 */
export async function collectChartsByScrolling(page, { timeout = 30_000 } = {}) {
  const deadline = Date.now() + timeout;
  const seen = new Map();
  // a notebook that has just opened may not have laid out its cells yet: an empty list has no
  // scrollbar and would count as "at the bottom" before anything was seen
  await page.waitForFunction(
    () =>
      [...document.querySelectorAll('.notebook-editor')].some((e) => {
        const box = e.querySelector('.cell-list-container')?.getBoundingClientRect();
        if (!box || box.height === 0) return false;
        const rows = [...e.querySelectorAll('.cell-list-container .monaco-list-row')];
        if (!rows.length) return false;
        const slider = e.querySelector('.cell-list-container .scrollbar.vertical .slider');
        const fits = Math.max(...rows.map((r) => r.getBoundingClientRect().bottom)) <= box.bottom;
        return (slider && slider.getBoundingClientRect().height > 0) || fits; // scrollable, or everything fits
      }),
    undefined,
    { timeout, polling: 100 },
  );
  const list = await notebookEditor(page).locator('.cell-list-container').first().boundingBox();
  const webview = page.locator('iframe.webview.ready >> visible=true');
  // the list side reserves a slot for every output, marked with its mime type
  const slots = notebookEditor(page).locator('[output-mime-type="application/vnd.mktnb.chart+json"]');
  // the gutter left of the cells: wheel events there scroll the list (not the output webview)
  await page.mouse.move(list.x + 8, list.y + list.height / 2);
  for (let step = 0; step < 500; step++) {
    // every chart slot in view has a drawn plot (or a visible error) over it in the webview
    for (;;) {
      const frameBox = await webview.boundingBox();
      const inView = (
        await slots.evaluateAll((els) =>
          els.map((e) => {
            const r = e.getBoundingClientRect();
            return [r.top, r.bottom];
          }),
        )
      ).filter(([t, b]) => b >= list.y && t < list.y + list.height - 1); // an empty (0 px) slot counts too: it waits for its chart
      // (a slot starting exactly at the list's bottom edge is not in view: the renderer draws a chart when it
      // intersects the viewport, and a cross-origin webview's IntersectionObserver ignores rootMargin)
      const done = await outputFrame(page)
        .locator('.js-plotly-plot:has(.main-svg), .mktnb-error')
        .evaluateAll((els) =>
          els.map((e) => {
            const r = e.getBoundingClientRect();
            return [r.top, r.bottom];
          }),
        );
      const drawnBoxes = done.map(([t, b]) => [frameBox.y + t, frameBox.y + b]);
      // the slot marks where the output starts (it may be a 0 px marker); the plot sits just below it
      const missing = inView.filter(([t, b]) => !drawnBoxes.some(([dt, db]) => db >= t - 30 && dt <= b + 60));
      if (!missing.length) break;
      if (Date.now() > deadline) {
        throw new Error(
          `${missing.length} chart output(s) in view were not drawn; slots ${JSON.stringify(missing.map((r) => r.map(Math.round)))}, drawn plots ${JSON.stringify(drawnBoxes.map((r) => r.map(Math.round)))}, list ${Math.round(list.y)}..${Math.round(list.y + list.height)}; the output webview holds:\n${await describeOutputs(page)}`,
        );
      }
      await page.waitForTimeout(100); // poll interval while the charts in view draw
    }
    for (const c of await drawnCharts(page)) if (c.hasSvg || c.hasCanvas) seen.set(c.outputId ?? `#${seen.size}`, c);
    if (await atListBottom(page)) break;
    const before = (await webview.boundingBox()).y;
    for (let k = 0; k < 10; k++) await page.mouse.wheel(0, 100); // about 500 px (list height 760)
    // the list (and the webview with it) has moved, or the end was reached
    const moveBy = Date.now() + 10_000;
    while ((await webview.boundingBox()).y === before && !(await atListBottom(page))) {
      if (Date.now() > moveBy) throw new Error('the notebook did not scroll');
      await page.waitForTimeout(50); // poll interval
    }
  }
  return [...seen.values()];
}

/**
 * Scrolls the visible notebook so that the n-th drawn chart's top is near the top of the
 * notebook (for screenshots a person would take). Scrolls up to the start first.
 */
export async function scrollChartIntoView(page, n = 0) {
  const list = await notebookEditor(page).locator('.cell-list-container').first().boundingBox();
  const webview = page.locator('iframe.webview.ready >> visible=true');
  await page.mouse.move(list.x + 8, list.y + list.height / 2);
  const chartTop = async () => {
    const tops = await outputFrame(page)
      .locator('.mktnb-chart')
      .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().top));
    if (tops.length <= n) return null;
    return (await webview.boundingBox()).y + tops.sort((a, b) => a - b)[n];
  };
  for (let i = 0; i < 400; i++) {
    const top = await chartTop();
    if (top !== null && top >= list.y && top <= list.y + 120) return true;
    const before = (await webview.boundingBox()).y;
    const dy = top === null || top > list.y + 120 ? 100 : -100;
    await page.mouse.wheel(0, dy);
    const until = Date.now() + 5_000;
    while ((await webview.boundingBox()).y === before) {
      if (Date.now() > until) return false; // cannot scroll further that way
      await page.waitForTimeout(50); // poll interval
    }
  }
  return false;
}

/** A short description of what the output webview holds (for failure messages). */
export async function describeOutputs(page) {
  return outputFrame(page)
    .locator('body')
    .evaluate((body) =>
      [...body.querySelectorAll('.output')]
        .map((o) => {
          const r = o.getBoundingClientRect();
          const kind = o.querySelector('.js-plotly-plot')
            ? 'plotly'
            : o.querySelector('.mktnb-plot.mktnb-pending')
              ? 'chart-pending'
              : o.querySelector('.mktnb-error')
                ? `chart-error: ${o.querySelector('.mktnb-error').textContent.slice(0, 200)}`
                : (o.textContent ?? '').trim().slice(0, 60);
          return `${o.id.slice(0, 8)} h=${Math.round(r.height)} vis=${getComputedStyle(o.closest('.output_container') ?? o).visibility}: ${kind}`;
        })
        .join('\n'),
    )
    .catch((e) => `(no output webview: ${e.message})`);
}

/** Plain-text and stream outputs in the webview, trimmed. */
export async function textOutputs(page) {
  const t = await outputFrame(page).locator('.output-plaintext, .output-stream').allTextContents();
  return t.map((s) => s.trim());
}

/** Waits until a text/stream output contains `text` (string or RegExp). */
export async function waitForTextOutput(page, text, timeout = 60_000) {
  const loc = outputFrame(page).locator('.output-plaintext, .output-stream', { hasText: text }).first();
  await loc.waitFor({ state: 'attached', timeout });
  return loc;
}

/** Saves the active editor ("File: Save") and waits until its tab is no longer dirty. */
export async function saveActive(page) {
  await runCommand(page, 'File: Save');
  await page.locator('.tabs-container .tab.active.dirty').waitFor({ state: 'detached' });
}

/** Closes the active editor through the command palette ("View: Close Editor"). */
export async function closeActiveEditor(page, name) {
  await runCommand(page, 'View: Close Editor');
  await page.locator(`.tabs-container .tab[aria-label^="${name}"]`).waitFor({ state: 'detached' });
}

/** A notification toast whose message contains `text`. */
export function notification(page, text) {
  return page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
}

let shotCounter = 0;
export async function screenshot(page, name) {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(
    RESULTS_DIR,
    `${String(++shotCounter).padStart(2, '0')}-${name.replace(/[^a-z0-9-]+/gi, '-')}.png`,
  );
  await page.screenshot({ path: file });
  return file;
}
