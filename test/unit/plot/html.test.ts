import { strict as assert } from 'node:assert';
import { notebookToHtml } from '../../../src/export/html';
import { jsonForScript } from '../../../src/export/markup';
import { sanitizeText as sanitizePlotlyText } from '../../../src/shared/sanitize';
import type { MktnbFile } from '../../../src/format/types';
import { CHART_MIME, DISPLAY, TABLE_MIME } from '../../../src/shared/schemas';
import { Table } from '../../../src/market/output';
import { plot } from '../../../src/market/plot';

const EVIL = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">';
const PLOTLY =
  '/* fake plotly */ window.Plotly = { newPlot: () => Promise.resolve() }; var s = "</script><script>bad()</script>";';

function nb(): MktnbFile {
  const chart = plot.line([1, 2, 3], { title: `Title ${EVIL}` });
  const table = new Table(
    [
      { name: `col ${EVIL}`, type: 'string' },
      { name: 'v', type: 'number', percent: true },
    ],
    [[EVIL, 0.0123]],
  );
  return {
    format: 'mktnb',
    version: '1.0',
    cells: [
      {
        kind: 'markdown',
        language: 'markdown',
        source: ['# Report', '', `Some ${EVIL} text and [a link](javascript:alert(1)) and **bold**.`],
      },
      {
        kind: 'code',
        language: 'typescript',
        source: [`const s = "${EVIL}";`, 'plot.line(x)'],
        execution: { order: 3, success: true },
        outputs: [
          { items: [{ mime: 'text/plain', data: `text ${EVIL}` }] },
          { items: chart[DISPLAY]().map((i) => ({ mime: i.mime, data: JSON.parse(JSON.stringify(i.data)) })) },
          { items: table[DISPLAY]().map((i) => ({ mime: i.mime, data: JSON.parse(JSON.stringify(i.data)) })) },
          { items: [{ mime: 'application/vnd.code.notebook.stdout', data: `out ${EVIL}\n` }] },
          {
            items: [
              {
                mime: 'application/vnd.code.notebook.error',
                data: { name: 'Error', message: EVIL, stack: `Error: ${EVIL}\n    at cell 2:1:1` },
              },
            ],
          },
          { items: [{ mime: 'text/html', data: `<p>hi</p>${EVIL}` }] },
          { items: [{ mime: CHART_MIME, data: { kind: 'chart', version: 1 } }] },
        ],
      },
    ],
  };
}

describe('notebookToHtml', () => {
  const html = notebookToHtml(nb(), { title: `My <script>alert(1)</script> report`, plotlySource: PLOTLY });

  it('has only its own scripts: plotly, the page script, and JSON data blocks', () => {
    // the (trusted) plotly source is inlined as is, except for its '</script'; leave it out of the scan
    const inlined = PLOTLY.replace(/<\/script/g, '<\\/script');
    assert.ok(html.includes(inlined));
    const tags = html.replace(inlined, '').match(/<script\b[^>]*>/gi) ?? [];
    const nonce = /<script nonce="([0-9a-f]{32})">/.exec(html)![1];
    const own = tags.filter((t) => t === `<script nonce="${nonce}">`);
    const data = tags.filter((t) => /^<script type="application\/json" class="figure-data">$/.test(t));
    assert.equal(own.length, 2, 'plotly + page script');
    assert.equal(data.length, 1, 'one valid chart');
    assert.equal(tags.length, own.length + data.length, `unexpected script tags: ${tags.join(' ')}`);
    assert.match(html, new RegExp(`script-src 'nonce-${nonce}'`));
    assert.match(html, /default-src 'none'/);
  });

  it('escapes the title, markdown HTML, code, text, stream, error and table cells', () => {
    assert.match(html, /<title>My &lt;script&gt;alert\(1\)&lt;\/script&gt; report<\/title>/);
    assert.ok(!/<img src=x/i.test(html), 'no live img tag from the notebook');
    assert.ok(!html.includes('onerror="window'), 'no live event handler attribute');
    assert.match(html, /<h1>Report<\/h1>/);
    assert.match(html, /<strong>bold<\/strong>/);
    assert.ok(!html.includes('href="javascript:'), 'javascript: links are not linked');
    assert.match(html, /<pre><code class="language-typescript">const s = &quot;&lt;script&gt;/);
    assert.match(html, /<pre class="output text">text &lt;script&gt;/);
    assert.match(html, /<pre class="output stream">out &lt;script&gt;/);
    assert.match(html, /<pre class="output error">Error: &lt;script&gt;/);
    assert.match(html, /<th>col &lt;script&gt;/);
    assert.match(html, /<td class="num">1.23%<\/td>/);
  });

  it('puts text/html outputs in a sandboxed frame, escaped', () => {
    assert.match(
      html,
      /<iframe class="output html" sandbox="" referrerpolicy="no-referrer" srcdoc="&lt;p&gt;hi&lt;\/p&gt;&lt;script&gt;/,
    );
  });

  it('embeds chart JSON that cannot close its script element, with sanitized strings', () => {
    const m = /<script type="application\/json" class="figure-data">([^<]*)<\/script>/.exec(html);
    assert.ok(m, 'chart data block present and free of "<"');
    const fig = JSON.parse(m![1]);
    assert.equal(
      fig.layout.title.text,
      'Title &lt;script>window.__pwned=1&lt;/script>&lt;img src=x onerror="window.__pwned=2">',
    );
    assert.equal(fig.data.length, 1);
  });

  it('inlines plotly so that a "</script>" inside it cannot end the element', () => {
    assert.ok(html.includes('var s = "<\\/script><script>bad()<\\/script>"'));
    assert.ok(!html.includes('"</script><script>bad()'));
  });

  it('shows a malformed chart as an error, not a blank', () => {
    assert.match(html, /This chart output cannot be shown:<\/b><ul><li>&quot;figure&quot; is missing/);
  });

  it('shows long tables with the elision row and total', () => {
    const rows = Array.from({ length: 100 }, (_, i) => [i]);
    const t = new Table([{ name: 'i', type: 'number' }], rows).toJSON();
    const h = notebookToHtml(
      {
        format: 'mktnb',
        version: '1.0',
        cells: [
          { kind: 'code', language: 'typescript', source: [], outputs: [{ items: [{ mime: TABLE_MIME, data: t }] }] },
        ],
      },
      { title: 't', plotlySource: '' },
    );
    assert.match(h, /… 80 rows …/);
    assert.match(h, /100 rows/);
  });

  it('json and text helpers', () => {
    assert.equal(jsonForScript({ a: '</script>&' }), '{"a":"\\u003c/script\\u003e\\u0026"}');
    assert.equal(
      sanitizePlotlyText('<b>bold</b> <B onclick=x>b</B> <a href="javascript:x">l</a> <br/> x<5'),
      '<b>bold</b> <b>b</b> &lt;a href="javascript:x">l&lt;/a> <br> x&lt;5',
    );
  });
});
