/**
 * HTML export of a crafted notebook (issue 10): every field is escaped by the one template tag,
 * chart data is found by element reference, odd field types do not crash the export. The page
 * itself is opened in Chromium with the hostile corpus in test/renderer/security.test.ts.
 */
import assert from 'node:assert/strict';
import { notebookToHtml } from '../../../src/export/html';
import { html, Markup } from '../../../src/export/markup';
import type { MktnbFile } from '../../../src/format/types';

const ORDER =
  '1]</span><meta http-equiv="refresh" content="0;url=http://127.0.0.1:9/"><link rel=stylesheet href=http://127.0.0.1:9/x.css><script type="application/json" id="chart-1-data">{"data":[{"type":"scatter","y":[6,6,6]}]}</script><span>[';

const nb = {
  format: 'mktnb',
  version: '1.0',
  cells: [
    {
      kind: 'code',
      language: 'typescript"><script>alert(1)</script>',
      source: ['x'],
      execution: { order: ORDER, durationMs: '<b>', success: false },
      outputs: [
        {
          items: [
            {
              mime: 'application/vnd.mktnb.chart+json',
              data: {
                kind: 'chart',
                version: 1,
                title: '"><img src=x>',
                decimation: [{ trace: 0, storedPoints: '<i>', originalPoints: 5, method: 'lttb' }],
                figure: {
                  data: [{ type: 'scatter', y: [1, 2, 3] }],
                  layout: { height: '1px;background:url(http://127.0.0.1:9/)' },
                },
              },
            },
          ],
        },
      ],
    },
    {
      kind: 'code',
      language: 'typescript',
      source: ['t'],
      outputs: [
        {
          items: [
            {
              mime: 'application/vnd.mktnb.table+json',
              data: {
                kind: 'table',
                version: 1,
                title: 7,
                columns: [
                  { name: 5, type: 'number' },
                  { name: { a: '<b>' }, type: 'string' },
                  { name: null, type: 'string' },
                ],
                rows: [[1, '<x>', null]],
                totalRows: 1,
                footer: 3,
              },
            },
          ],
        },
      ],
    },
    {
      kind: 'code',
      language: 'typescript',
      source: 'not lines <script>' as unknown as string[],
      outputs: [
        {
          items: [
            {
              mime: 'application/vnd.code.notebook.error',
              data: { name: 1, message: ['<img src=x onerror=alert(1)>'], stack: 5 },
            },
          ],
        },
      ],
    },
  ],
} as unknown as MktnbFile;

describe('security: HTML export', () => {
  const page = notebookToHtml(nb, { title: 'T', plotlySource: '/* plotly */' });
  const body = page.slice(page.indexOf('<body>'));

  it('escapes every notebook field: no element, attribute or link from the notebook', () => {
    assert.ok(
      !/<meta|<link|<img|<b>|<i>|<x>|<script>alert/i.test(
        body.replace(/<script nonce="[0-9a-f]+">[\s\S]*?<\/script>/g, ''),
      ),
      'no element from the notebook in the body',
    );
    assert.ok(!body.includes('http-equiv'), 'no meta refresh');
    // the bogus order is not shown at all (only whole numbers are), the bogus language falls back
    assert.match(body, /<span class="prompt">\[ \]<\/span><pre><code class="language-typescript">x<\/code><\/pre>/);
    assert.match(body, /min-height:420px/);
    assert.match(body, /aria-label="&quot;&gt;&lt;img src=x&gt;"/);
    assert.match(body, /Reduced for storage: &lt;i&gt; of 5 points stored \(LTTB\)/);
  });

  it('finds chart data by element reference: one data block per figure, no ids', () => {
    assert.equal((body.match(/<script type="application\/json" class="figure-data">/g) ?? []).length, 1);
    assert.ok(!/id="chart-/.test(body));
    assert.match(page, /el\.parentElement\.querySelector\(':scope > script\.figure-data'\)/);
  });

  it('does not crash on non-string column names, titles, sources and error fields', () => {
    assert.match(body, /<th class="num">5<\/th><th>\{&quot;a&quot;:&quot;&lt;b&gt;&quot;\}<\/th><th><\/th>/);
    assert.match(body, /<div class="table-title">7<\/div>/);
    assert.match(body, /not lines &lt;script&gt;/);
    assert.match(
      body,
      /<pre class="output error">1: \[\n  &quot;&lt;img src=x onerror=alert\(1\)&gt;&quot;\n\]<\/pre>/,
    );
  });

  it('the template tag escapes what it is given and keeps only its own markup', () => {
    assert.equal(
      html`<p title="${'"x'}">${'<b>'}${[html`<i>${1}</i>`, '<u>']}${null}${undefined}${false}${0}</p>`.html,
      '<p title="&quot;x">&lt;b&gt;<i>1</i>&lt;u&gt;0</p>',
    );
    assert.equal(html`${new Markup('<br>')}`.html, '<br>');
  });
});
