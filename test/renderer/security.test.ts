/**
 * The hostile-file corpus (test/security) in Chromium (issue 10), two of its three places:
 *  1. every chart and table output of every corpus notebook drawn by the real renderers in the
 *     harness page, with every updatemenu button clicked and the plot hovered;
 *  2. the HTML export of every corpus notebook opened as a page.
 * In both, a listener on 127.0.0.1 records any request, the canaries (window.__pwned,
 * document.title, the clipboard) stay untouched and no dialog opens. The third place is
 * test/e2e/scenarios/07-security.mjs (code-server, trusted workspace).
 */
import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { notebookToHtml } from '../../src/export/html';
import { decodeNotebookBytes, NotebookFormatError, parseNotebook } from '../../src/format/serialize';
import { storedOutputForDisplay } from '../../src/format/items';
import { handleRendererMessage } from '../../src/notebook/rendererRequests';
import { CHART_MIME, TABLE_MIME } from '../../src/shared/schemas';
import type { MktnbFile } from '../../src/format/types';
import { launchChromium } from '../lib/chromium.mjs';

type Listener = { url: string; requests: string[]; close(): Promise<void> };
type Harness = {
  newPage(theme?: string, viewport?: { width: number; height: number }): Promise<Page>;
  close(): Promise<void>;
  requests: string[];
  url: string;
};
const CANARY = 'canary-clipboard-text';

async function canaries(page: Page) {
  return page.evaluate(async () => ({
    pwned: (window as any).__pwned ?? 0,
    title: document.title,
    clipboard: await navigator.clipboard.readText().catch((e) => `unreadable: ${e}`),
  }));
}

describe('security: hostile corpus in Chromium', function () {
  let corpus: typeof import('../security/corpus.mjs');
  let listener: Listener;
  let dir: string;
  const notebooks = new Map<string, MktnbFile>();

  before(async () => {
    corpus = await import('../security/corpus.mjs');
    listener = await corpus.startListener();
    dir = corpus.materialize(fs.mkdtempSync(path.join(os.tmpdir(), 'mktnb-corpus-')), listener.url);
    for (const f of corpus.OPENING_NOTEBOOKS)
      notebooks.set(f, parseNotebook(decodeNotebookBytes(fs.readFileSync(path.join(dir, f)), f), f));
    assert.ok(notebooks.size >= 5, 'the corpus notebooks were read');
  });
  after(async () => {
    await listener?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the invalid-UTF-8 notebook is refused with its byte offset', () => {
    const bytes = fs.readFileSync(path.join(dir, corpus.INVALID_UTF8));
    assert.throws(
      () => decodeNotebookBytes(bytes, corpus.INVALID_UTF8),
      (e: unknown) => e instanceof NotebookFormatError && /not valid UTF-8 at byte offset \d+/.test(e.message),
    );
  });

  describe('renderer harness', () => {
    let h: Harness;
    let page: Page;
    const dialogs: string[] = [];
    before(async () => {
      const m = await import('./harness.mjs');
      h = await m.startHarness();
      page = await h.newPage('light', { width: 1000, height: 900 });
      page.on('dialog', (d) => {
        dialogs.push(`${d.type()}: ${d.message()}`);
        void d.dismiss();
      });
      await page.evaluate((t) => navigator.clipboard.writeText(t), CANARY);
    });
    after(async () => {
      await page?.close();
      await h?.close();
    });

    it('draws every chart and table of the corpus with no request, no script, no dialog', async () => {
      let charts = 0,
        tables = 0;
      for (const [name, nb] of notebooks) {
        for (const [ci, cell] of nb.cells.entries())
          for (const [oi, o] of (cell.outputs ?? []).entries()) {
            // what VS Code hands to the renderers: the allowlist decides (src/format/items.ts)
            for (const it of storedOutputForDisplay(o.items).items) {
              const id = `${name.slice(0, 2)}-${ci}-${oi}`;
              if (it.mime === CHART_MIME) {
                charts++;
                await page.evaluate(([i, d]) => (window as any).renderChart(i, d), [id, it.data] as const);
                await page.waitForFunction(
                  (i) => {
                    const el = document.querySelector(`#out-${i}`);
                    return (
                      !!el &&
                      (!!el.querySelector('.mktnb-error') || !!(el.querySelector('.mktnb-plot') as any)?._fullLayout)
                    );
                  },
                  id,
                  { timeout: 60_000 },
                );
                // click every button of every updatemenu, hover the plot
                const buttons = await page.$$(`#out-${id} .updatemenu-button`);
                for (const b of buttons) await b.click({ force: true });
                const box = await page.$(`#out-${id} .nsewdrag`);
                if (box) {
                  const bb = (await box.boundingBox())!;
                  for (let k = 1; k < 6; k++) await page.mouse.move(bb.x + (bb.width * k) / 6, bb.y + bb.height / 2);
                }
              } else if (it.mime === TABLE_MIME) {
                tables++;
                await page.evaluate(([i, d]) => (window as any).renderTable(i, d), [id, it.data] as const);
              }
            }
          }
      }
      assert.ok(charts >= 2 && tables >= 1, `charts ${charts}, tables ${tables}`);
      // give anything a payload could have scheduled a chance to run: a painted frame and a macrotask
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50))));
      const c = await canaries(page);
      assert.deepEqual(c, { pwned: 0, title: 'mktnb renderer harness', clipboard: CANARY });
      assert.deepEqual(listener.requests, [], 'no request reached the listener');
      assert.deepEqual(
        h.requests.filter((u) => !u.startsWith(h.url) && !u.startsWith('data:')),
        [],
        'no request left the harness',
      );
      assert.deepEqual(dialogs, []);
      const svg = await page.evaluate(() => ({
        links: document.querySelectorAll('#outputs svg a').length,
        urlStyles: Array.from(document.querySelectorAll('#outputs svg [style]')).filter((e) =>
          /url\(/i.test(e.getAttribute('style') ?? ''),
        ).length,
        images: Array.from(document.querySelectorAll('#outputs svg image')).map(
          (i) => i.getAttribute('href') ?? i.getAttribute('xlink:href'),
        ),
        notes: Array.from(document.querySelectorAll('#outputs .mktnb-note')).map((n) => n.textContent),
        title: document.querySelector('#outputs .gtitle')?.textContent,
      }));
      assert.equal(svg.links, 0, 'no link in the drawn SVG');
      assert.equal(svg.urlStyles, 0, 'no style with url() in the drawn SVG');
      assert.deepEqual(
        svg.images.filter((s) => !String(s).startsWith('data:')),
        [],
      );
      assert.ok(
        svg.notes.some((n) => /^Not drawn from this notebook file/.test(n ?? '')),
        `a note says what the allowlist removed: ${JSON.stringify(svg.notes)}`,
      );
      assert.match(svg.title ?? '', /composed title/, 'the composed title is drawn, as text');
    });

    it("the images the renderer exports pass the extension's checks (real Plotly output)", async () => {
      await page.evaluate(() => {
        (window as any).__messages.length = 0;
      });
      const id = (await page.$$eval(
        '#outputs .out',
        (els) => els.find((e) => e.querySelector('.js-plotly-plot'))?.id,
      ))!.replace(/^out-/, '');
      for (const label of ['PNG', 'SVG']) {
        await page.click(`#out-${id} .mktnb-toolbar button:text-is("${label}")`);
        await page.waitForFunction((n) => (window as any).__messages.length >= n, label === 'PNG' ? 1 : 2, {
          timeout: 60_000,
        });
      }
      const messages = await page.evaluate(() => (window as any).__messages);
      const writes: string[] = [];
      for (const m of messages) {
        await handleRendererMessage(m, {
          notebookFolder: () => '/nb',
          chartFigures: () => [],
          join: path.posix.join,
          info: () => undefined,
          reply: () => undefined,
          log: (msg) => assert.fail(msg),
          showSaveDialog: async (o) => o.defaultPath,
          writeFile: async (p) => {
            writes.push(p);
          },
          writeClipboard: async () => assert.fail('no clipboard'),
        });
      }
      assert.equal(writes.length, 2, JSON.stringify(writes));
      assert.ok(writes[0].endsWith('.png') && writes[1].endsWith('.svg'), JSON.stringify(writes));
      assert.deepEqual(listener.requests, []);
    });
  });

  describe('HTML export', () => {
    let browser: Browser;
    before(async () => {
      browser = await launchChromium();
    });
    after(async () => {
      await browser?.close();
    });

    it('every corpus notebook exports to a page that requests nothing, runs nothing and opens no dialog', async () => {
      const plotlySource = fs.readFileSync(
        path.resolve(__dirname, '../../node_modules/plotly.js-dist-min/plotly.min.js'),
        'utf8',
      );
      for (const [name, nb] of notebooks) {
        const file = path.join(dir, name.replace(/\.mktnb$/, '.html'));
        fs.writeFileSync(file, notebookToHtml(nb, { title: `Export of ${name}`, plotlySource }));
        const context = await browser.newContext({
          viewport: { width: 1100, height: 900 },
          permissions: ['clipboard-read', 'clipboard-write'],
        });
        const page = await context.newPage();
        const requests: string[] = [],
          dialogs: string[] = [],
          errors: string[] = [];
        page.on('request', (r) => {
          if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) requests.push(r.url());
        });
        page.on('dialog', (d) => {
          dialogs.push(d.message());
          void d.dismiss();
        });
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto('file://' + file, { waitUntil: 'load' });
        await page.evaluate((t) => navigator.clipboard.writeText(t), CANARY);
        const plots = await page.$$eval('figure.chart .plot', (els) => els.length);
        for (let k = 0; k < plots; k++) {
          await page.evaluate((i) => document.querySelectorAll('figure.chart .plot')[i].scrollIntoView(), k);
          await page.waitForFunction(
            (i) => {
              const el = document.querySelectorAll('figure.chart .plot')[i] as HTMLElement;
              return el.dataset.rendered === '1' || el.textContent !== '';
            },
            k,
            { timeout: 60_000 },
          );
        }
        for (const b of await page.$$('.updatemenu-button')) await b.click({ force: true });
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50))));
        const c = await canaries(page);
        assert.deepEqual(c, { pwned: 0, title: `Export of ${name}`, clipboard: CANARY }, name);
        assert.deepEqual(requests, [], `${name}: no request`);
        assert.deepEqual(dialogs, [], `${name}: no dialog`);
        assert.deepEqual(errors, [], `${name}: no page error`);
        assert.equal(page.url(), 'file://' + file, `${name}: the page was not navigated away`);
        const drawn = await page.evaluate(() =>
          Array.from(document.querySelectorAll('figure.chart .plot')).map((p: any) =>
            (p.data ?? []).map((t: any) => t.name),
          ),
        );
        if (name.startsWith('04'))
          assert.deepEqual(drawn, [['real']], 'the real (sanitized) figure is drawn, not the planted one');
        assert.equal(
          await page.$$eval(
            'main a[href^="javascript:"], main img:not([src^="data:"]), main link, main meta, main iframe:not([sandbox=""])',
            (e) => e.length,
          ),
          0,
          name,
        );
        await context.close();
      }
      assert.deepEqual(listener.requests, [], 'no request reached the listener');
    });
  });
});
