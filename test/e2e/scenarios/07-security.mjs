// Scenario 7: the hostile-file corpus (test/security) in a real VS Code, in a TRUSTED workspace
// (issue 10, docs/security.md). Opening each crafted notebook runs no script, sends no request
// and opens no dialog; the invalid-UTF-8 notebook is refused and not overwritten; cells that
// load crafted CSV files fail with plain-text errors, and the saved file carries no markup.
// A listener on 127.0.0.1 records any request; the canaries are window.__pwned and
// document.title in every frame (the workbench and the output webviews) and the clipboard.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { closeWindows, openWindow, shot, workspace } from '../lib/context.mjs';
import {
  codeCell,
  notebookEditor,
  openFile,
  openNotebook,
  outputFrame,
  runCellFromUi,
  runCommand,
  saveActive,
  waitForCellState,
  waitForCharts,
} from '../lib/workbench.mjs';
import { INVALID_UTF8, materialize, startListener } from '../../security/corpus.mjs';

const CANARY = 'canary-clipboard-text';

describe('Security: hostile files in a trusted workspace', function () {
  let listener, ws, page, context;
  const dialogs = [];

  before(async function () {
    listener = await startListener();
    ws = workspace('security');
    materialize(path.join(ws, 'security'), listener.url);
    ({ page, context } = await openWindow('trusted', ws));
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    page.on('dialog', (d) => {
      dialogs.push(`${d.type()}: ${d.message()}`);
      void d.dismiss();
    });
    await page.evaluate((t) => navigator.clipboard.writeText(t), CANARY);
    await assertUntouched('the workbench before any notebook');
  });
  after(async () => {
    await closeWindows();
    await listener?.close();
  });

  /** Every canary, in every frame of the workbench (output webviews included). */
  async function assertUntouched(what) {
    for (const f of page.frames()) {
      const c = await f
        .evaluate(() => ({
          pwned: String(/** @type {any} */ (window).__pwned ?? 0),
          title: document.title,
          url: location.href,
          text: (document.body?.innerText ?? '').slice(0, 300),
        }))
        .catch(() => null);
      if (!c) continue; // a frame that went away
      assert.equal(c.pwned, '0', `${what}: window.__pwned was set (${c.pwned}) in ${c.url.slice(0, 80)}: ${c.text}`);
      assert.notEqual(c.title, 'pwned', `${what}: document.title changed in ${c.url}`);
    }
    // the workbench title names the open editor; a payload would set it to 'pwned'
    assert.ok(!/pwned/.test(await page.title()), `${what}: the workbench title changed: ${await page.title()}`);
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), CANARY, `${what}: the clipboard changed`);
    assert.deepEqual(listener.requests, [], `${what}: requests reached the listener`);
    assert.deepEqual(dialogs, [], `${what}: a browser dialog opened`);
    assert.equal(await page.locator('.monaco-dialog-box').count(), 0, `${what}: a VS Code dialog opened`);
    assert.ok(!(await page.locator('.quick-input-widget').isVisible()), `${what}: a file dialog or picker opened`);
  }

  /** One notebook at a time: the output webview of the visible editor only. */
  async function openOnly(rel) {
    await runCommand(page, 'View: Close All Editors');
    await openNotebook(page, rel);
  }

  /** Outputs of the visible notebook's webview as text, and what markup they hold. */
  async function outputsState() {
    return outputFrame(page)
      .locator('body')
      .evaluate((b) => ({
        text: b.innerText.replace(/\u2060/g, ''), // the zero-width joiners of inert error text read as nothing
        imgs: [...b.querySelectorAll('.output img')].map((i) => i.getAttribute('src')),
        handlers: [...b.querySelectorAll('.output *')].filter((e) => [...e.attributes].some((a) => /^on/i.test(a.name)))
          .length,
        links: [...b.querySelectorAll('.output a[href]')]
          .map((a) => a.getAttribute('href'))
          .filter((h) => !/^https?:\/\/127\.0\.0\.1:\d+\/file'/.test(h ?? '')),
        notes: [...b.querySelectorAll('.mktnb-note')].map((n) => n.textContent),
      }));
  }

  it('stored errors show as plain text and run nothing', async function () {
    await openOnly('security/01-stored-error.mktnb');
    await outputFrame(page)
      .getByText(/not even an object/)
      .first()
      .waitFor({ state: 'attached', timeout: 60_000 });
    await outputFrame(page)
      .getByText(/non-numeric value/)
      .first()
      .waitFor({ state: 'attached' });
    // hover over every output, as a reader does
    for (const o of await outputFrame(page).locator('.output').all())
      await o.hover({ force: true }).catch(() => undefined);
    const s = await outputsState();
    assert.match(s.text, /boom <a href="#x"><img src=x onerror=/, 'the payload is shown as text');
    assert.deepEqual(s.imgs, [], 'no image element from an error');
    assert.equal(s.handlers, 0, 'no event handler attribute');
    assert.deepEqual(
      s.links.filter((h) => /^javascript:|#x/.test(h)),
      [],
      `no link from the stack: ${JSON.stringify(s.links)}`,
    );
    await shot('security-stored-errors');
    await assertUntouched('01-stored-error');
  });

  it('script-capable and unknown output types show as inert notes', async function () {
    await openOnly('security/02-script-mimes.mktnb');
    await outputFrame(page)
      .getByText(/application\/x-mktnb-evil\) was not rendered/)
      .first()
      .waitFor({ state: 'attached', timeout: 60_000 });
    const s = await outputsState();
    for (const m of [
      'text/html',
      'image/svg+xml',
      'application/javascript',
      'application/vnd.jupyter.widget-view+json',
      'image/gif',
    ])
      assert.ok(s.text.includes(`(${m}`), `${m} is held: ${s.text}`);
    assert.deepEqual(s.imgs, []);
    await shot('security-script-mimes');
    await assertUntouched('02-script-mimes');
  });

  it('a crafted Plotly figure draws as text, loads nothing, even when its buttons are clicked', async function () {
    await openOnly('security/03-plotly-composition.mktnb');
    await waitForCharts(page, 1);
    const frame = outputFrame(page);
    for (const b of await frame.locator('.updatemenu-button').all()) await b.click({ force: true });
    const plot = frame.locator('.js-plotly-plot .nsewdrag').first();
    const bb = await plot.boundingBox();
    if (bb) for (let k = 1; k < 6; k++) await page.mouse.move(bb.x + (bb.width * k) / 6, bb.y + bb.height / 2);
    const s = await outputsState();
    assert.ok(
      s.notes.some((n) => /Not drawn from this notebook file/.test(n ?? '')),
      `the chart says what was removed: ${JSON.stringify(s.notes)}`,
    );
    assert.equal(await frame.locator('.js-plotly-plot svg a').count(), 0, 'no link in the drawn chart');
    await shot('security-plotly-composition');
    await assertUntouched('03-plotly-composition');
  });

  it('export-field tricks and raw HTML in a markdown output open as a normal notebook', async function () {
    await openOnly('security/04-export-fields.mktnb');
    await waitForCharts(page, 1);
    await outputFrame(page)
      .getByText(/markdown output/)
      .first()
      .waitFor({ state: 'attached' });
    await shot('security-export-fields');
    await assertUntouched('04-export-fields');
  });

  it('a notebook that is not valid UTF-8 is refused with the byte offset and not overwritten', async function () {
    const file = path.join(ws, 'security', INVALID_UTF8);
    const before = fs.readFileSync(file);
    await runCommand(page, 'View: Close All Editors');
    await openFile(page, `security/${INVALID_UTF8}`).catch(() => undefined);
    await page
      .locator('.notifications-toasts .notification-toast, .editor-container', {
        hasText: /not valid UTF-8 at byte offset \d+/,
      })
      .first()
      .waitFor({ timeout: 60_000 });
    await shot('security-invalid-utf8');
    await runCommand(page, 'File: Save All Files');
    assert.deepEqual(fs.readFileSync(file), before, 'the file is unchanged');
    await assertUntouched('05-invalid-utf8');
  });

  it('raw HTML in a markdown cell runs nothing', async function () {
    await openOnly('security/07-markdown-cell.mktnb');
    await page.locator('.notebook-editor >> visible=true').waitFor();
    await outputFrame(page)
      .getByText(/Markdown cell with HTML/)
      .first()
      .waitFor({ state: 'attached', timeout: 60_000 });
    await shot('security-markdown-cell');
    await assertUntouched('07-markdown-cell');
  });

  it('errors from crafted CSV files are plain text, and the saved notebook carries the original text', async function () {
    await openOnly('security/06-load-evil-csv.mktnb');
    for (const n of [0, 1]) {
      await runCellFromUi(page, n);
      await waitForCellState(page, n, 'error');
    }
    await outputFrame(page)
      .getByText(/unparsable date/)
      .first()
      .waitFor({ state: 'attached' });
    const s = await outputsState();
    assert.match(s.text, /non-numeric value "\\u003ca href=\\"#x\\"\\u003e/, s.text);
    assert.deepEqual(s.imgs, []);
    assert.equal(s.handlers, 0);
    await shot('security-csv-errors');
    await saveActive(page);
    const saved = fs.readFileSync(path.join(ws, 'security', '06-load-evil-csv.mktnb'), 'utf8');
    assert.ok(!saved.includes('\u2060'), 'the zero-width joiners used for display are not saved');
    assert.ok(!/<img|<a /.test(saved), 'no markup in the saved errors');
    assert.match(saved, /LoadError/);
    assert.equal((await notebookEditor(page).locator('.cell-list-container .monaco-list-row').count()) >= 3, true);
    await assertUntouched('06-load-evil-csv');
    assert.ok(await codeCell(page, 1).isVisible());
  });
});
