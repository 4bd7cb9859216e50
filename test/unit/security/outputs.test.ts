/**
 * Outputs read from a .mktnb file are data, never markup (issue 10, docs/security.md): only the
 * allowlisted mimes reach VS Code as they are, stored errors are re-created as inert text, and
 * the file gets its original items back on save. VS Code's error renderer itself is exercised
 * with the hostile corpus in code-server (test/e2e/scenarios/07-security.mjs).
 */
import assert from 'node:assert/strict';
import MarkdownIt from 'markdown-it';
import { guardMarkdownIt } from '../../../renderers/markdown';
import {
  inertErrorText,
  isShownMime,
  itemFromBytes,
  itemToBytes,
  recreateError,
  restoreErrorText,
  storedOutputForDisplay,
} from '../../../src/format/items';
import { decodeNotebookBytes, firstInvalidUtf8, NotebookFormatError } from '../../../src/format/serialize';
import { quoteField, load, LoadError } from '../../../src/market/load';
import { ERROR_MIME } from '../../../src/shared/schemas';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const PAYLOAD = '<a href="#x"><img src=x onerror="window.__pwned=1"></a>';

/** The patterns VS Code's built-in error renderer turns into HTML in a trusted workspace
 * (extensions/notebook-renderers: an `<a href>` run, and Python-style File/Cell/Input lines). */
const HTML_TRIGGERS = [
  /<a\s+(?:[^>]*?\s+)?href=(["'])(.*?)\1[^>]*?>.*?<\/a>/i,
  /File\s+(.+):(\d+)/,
  /Cell\s+In\s*\[\d+\]/,
  /Input\s+/,
  /<[a-zA-Z!/?]/,
  /&[a-zA-Z#]/,
];

describe('security: output mimes read from a file', () => {
  it("allows only the project's own, text, stream, markdown and raster mimes", () => {
    for (const m of [
      'application/vnd.mktnb.chart+json',
      'application/vnd.mktnb.table+json',
      'text/plain',
      'text/markdown',
      'application/vnd.code.notebook.stdout',
      'application/vnd.code.notebook.stderr',
      'image/png',
      'image/jpeg',
    ])
      assert.ok(isShownMime(m), m);
    for (const m of [
      'text/html',
      'image/svg+xml',
      'application/javascript',
      'application/vnd.code.notebook.error',
      'application/x-custom',
      'text/x-javascript',
      'application/vnd.jupyter.widget-view+json',
      'text/latex',
      'image/gif',
      'TEXT/PLAIN',
    ])
      assert.ok(!isShownMime(m), m);
  });

  it('shows an unknown or script-capable mime as a text note and keeps the items for the file', () => {
    for (const mime of [
      'text/html',
      'application/vnd.jupyter.widget-view+json',
      'application/x-anything',
      'image/svg+xml',
    ]) {
      const r = storedOutputForDisplay([
        { mime, data: PAYLOAD },
        { mime: 'text/plain', data: 'alt' },
      ]);
      assert.equal(r.rewritten, true, mime);
      assert.deepEqual(
        r.items.map((i) => i.mime),
        ['text/plain'],
        mime,
      );
      assert.match(
        String(r.items[0].data),
        new RegExp(`this output \\(${mime.replace(/[+.]/g, '\\$&')}\\) was not rendered`),
      );
    }
    const ok = [{ mime: 'text/plain', data: '<b>x</b>' }];
    assert.deepEqual(storedOutputForDisplay(ok), { items: ok, rewritten: false });
  });

  it('re-creates a stored error from name, message and stack only, with no markup VS Code would parse', () => {
    const stored = {
      name: `E${PAYLOAD}`,
      message: PAYLOAD,
      stack: `Error: ${PAYLOAD}\nFile x' onmouseover='window.__pwned=2:3\n  3 boom\nCell In [1], line 2\n&lt;img src=x onerror=alert(1)&gt;`,
      extra: '<script>',
      toString: 1,
    };
    const r = storedOutputForDisplay([{ mime: ERROR_MIME, data: stored }]);
    assert.equal(r.rewritten, true);
    const e = r.items[0].data as Record<string, unknown>;
    assert.deepEqual(Object.keys(e), ['name', 'message', 'stack']);
    for (const k of ['name', 'message', 'stack'] as const) {
      const s = e[k] as string;
      for (const t of HTML_TRIGGERS) assert.ok(!t.test(s), `${k} still matches ${t}: ${s}`);
      // it reads the same (the joiner is zero-width) and converts back exactly
      assert.equal(s.replace(/\u2060/g, ''), stored[k]);
      assert.equal(restoreErrorText(s), stored[k]);
    }
    // a stored error that is not even an object still shows as text
    assert.equal(recreateError('<img src=x>').message, '<\u2060img src=x>');
  });

  it("markdown outputs carry no HTML for VS Code's renderer (markdown-it with html: true, unsanitized when trusted)", () => {
    const md = new MarkdownIt({ html: true, linkify: true });
    const stored = `**bold** ${PAYLOAD} <script>window.__pwned=3</script>\n\n<div onmouseover="x">block</div>\n\n\`a<b\` <http://127.0.0.1:9/x>`;
    const r = storedOutputForDisplay([{ mime: 'text/markdown', data: stored }]);
    assert.equal(r.rewritten, true);
    const html = md.render(String(r.items[0].data));
    assert.ok(!/<(img|script|div|iframe)[\s>]|<a (?!href="https?:)/i.test(html), html); // a bare URL is still linkified, as text is
    assert.match(html, /<strong>bold<\/strong>/);
    assert.equal(html.replace(/\u2060/g, '').includes('&lt;img src=x onerror='), true, 'the payload is shown as text');
    // the file gets the original text back
    assert.deepEqual(itemFromBytes('text/markdown', itemToBytes(r.items[0])), { mime: 'text/markdown', data: stored });
  });

  it('writes the original error text back to the file (inert text is for display only)', () => {
    const orig = {
      name: 'LoadError',
      message: `bad <b> & File x:1`,
      stack: 'LoadError: bad <b> & File x:1\n    at cell 1:1:1',
    };
    const shown = recreateError(orig);
    const bytes = itemToBytes({ mime: ERROR_MIME, data: shown });
    assert.deepEqual(itemFromBytes(ERROR_MIME, bytes), { mime: ERROR_MIME, data: orig });
    // inverse on any text, including text that already holds joiners
    for (const s of ['', 'a<\u2060b', '&&\u2060&', 'FileFile\u2060 Cell\u2060\u2060', 'Input In [3]'])
      assert.equal(restoreErrorText(inertErrorText(s)), s);
  });

  it('a CSV field quoted by a LoadError carries no markup', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mktnb-sec-'));
    try {
      const f = path.join(dir, 'evil.csv');
      fs.writeFileSync(f, `date,close\n2024-01-01,1\n2024-01-02,${PAYLOAD.replace(/"/g, "'")}\n`);
      let err: unknown;
      try {
        load(f);
      } catch (e) {
        err = e;
      }
      assert.ok(err instanceof LoadError, String(err));
      const msg = (err as Error).message;
      assert.match(
        msg,
        /evil\.csv:3:12: non-numeric value "\\u003ca href='#x'\\u003e\\u003cimg src=x onerror='window.__pwned=1'\\u003e/,
      );
      assert.ok(!/[<>]/.test(msg), msg);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    assert.equal(quoteField('a'.repeat(100)), JSON.stringify('a'.repeat(80) + '…'));
  });
});

describe('security: .mktnb bytes are strict UTF-8', () => {
  it('refuses invalid UTF-8 with the byte offset and line instead of decoding lossily', () => {
    const good = new TextEncoder().encode('{"format":"mktnb",\n"x":"é€😀"}');
    assert.equal(decodeNotebookBytes(good), '{"format":"mktnb",\n"x":"é€😀"}');
    assert.equal(firstInvalidUtf8(good), good.length);
    const bad = new Uint8Array([...new TextEncoder().encode('{"a":\n"b'), 0xff, 0x22, 0x7d]);
    assert.throws(
      () => decodeNotebookBytes(bad, 'x.mktnb'),
      (e: unknown) =>
        e instanceof NotebookFormatError &&
        /x\.mktnb: not valid UTF-8 at byte offset 8 \(line 2: bytes ff 22 7d\)/.test(e.message) &&
        /not changed/.test(e.message) &&
        e.line === 2,
    );
    // overlong, surrogate, truncated and out-of-range sequences
    for (const [bytes, at] of [
      [[0x41, 0xc0, 0xaf], 1],
      [[0xed, 0xa0, 0x80], 0],
      [[0x41, 0x42, 0xe2, 0x82], 2],
      [[0xf4, 0x90, 0x80, 0x80], 0],
      [[0xe0, 0x80, 0x80], 0],
    ] as const) {
      assert.equal(firstInvalidUtf8(new Uint8Array(bytes)), at, String(bytes));
      assert.throws(() => decodeNotebookBytes(new Uint8Array(bytes)), new RegExp(`byte offset ${at} `));
    }
  });
});

describe('security: markdown cells read from a file (renderers/markdown.ts)', () => {
  it('raw HTML of a marked cell renders as text; other cells render as VS Code renders them', () => {
    const md = new MarkdownIt({ html: true, linkify: true }); // as vscode.markdown-it-renderer
    guardMarkdownIt(md as any);
    const src = `# T\n\n${PAYLOAD}\n\n<details open ontoggle="x"><summary>s</summary></details>\n\ntext <b onclick="x">b</b> **ok**`;
    const marked = md.render(src, { outputItem: { metadata: { mktnb: { inertHtml: true } } } });
    assert.ok(!/<(a|img|details|b)[\s>]/i.test(marked), marked);
    assert.match(marked, /&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;/);
    assert.match(marked, /<strong>ok<\/strong>/);
    const other = md.render(src, { outputItem: { metadata: {} } });
    assert.match(
      other,
      /<img src="x" onerror=|<img src=x onerror=/,
      'cells typed in the session (and other notebook types) are left alone',
    );
  });
});
