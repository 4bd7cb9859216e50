/**
 * A notebook as ONE self-contained HTML file: markdown cells rendered, code cells' source,
 * text / stream / error outputs, tables, and interactive Plotly charts (plotly.js inlined from
 * the `plotlySource` the caller reads from node_modules/plotly.js-dist-min/plotly.min.js), so
 * the page works offline.
 *
 * Safety: everything from the notebook is untrusted.
 *  - markdown-it with html: false (raw HTML in markdown is shown as text, javascript: links refused);
 *  - code, text and table cells are HTML-escaped; text/html outputs go into a sandboxed iframe
 *    (no scripts); chart JSON sits in <script type="application/json"> with <, >, & escaped as
 *    \u003c etc., and its strings are sanitized before Plotly sees them (src/shared/sanitize.ts, the same code as the renderer);
 *  - a Content-Security-Policy allows only the page's own scripts (a per-file nonce) and no
 *    network at all.
 * The escaping template tag is markup.ts; the page's own CSS and script are page.ts; charts and
 * tables are richOutputs.ts.
 * Pure: no Node or vscode APIs (the CLI and the VS Code command both call it).
 */
import MarkdownIt from 'markdown-it';
import type { MktnbCell, MktnbFile, MktnbOutput, MktnbOutputItem } from '../format/types';
import {
  CHART_MIME,
  ERROR_MIME,
  HTML_MIME,
  MARKDOWN_MIME,
  STDERR_MIME,
  STDOUT_MIME,
  TABLE_MIME,
  TEXT_MIME,
} from '../shared/schemas';
import { html, inlineScript, Markup } from './markup';
import { CSS, PAGE_SCRIPT } from './page';
import { asText, chartHtml, tableHtml } from './richOutputs';

export interface HtmlExportOptions {
  /** Page title and heading. */
  title: string;
  /** The text of plotly.min.js (plotly.js-dist-min), inlined once. */
  plotlySource: string;
  /** Show code cells' source (default true). */
  includeCode?: boolean;
}

function nonce(): string {
  const b = new Uint8Array(16);
  globalThis.crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

const ORDER = [
  CHART_MIME,
  TABLE_MIME,
  ERROR_MIME,
  MARKDOWN_MIME,
  'image/png',
  'image/jpeg',
  'image/svg+xml',
  HTML_MIME,
  STDOUT_MIME,
  STDERR_MIME,
  TEXT_MIME,
];

/** The item an output shows: the richest mime this exporter knows (as VS Code picks one). */
function pickItem(o: MktnbOutput): MktnbOutputItem | undefined {
  const items = o.items ?? [];
  for (const m of ORDER) {
    const it = items.find((i) => i.mime === m);
    if (it) return it;
  }
  return items[0];
}

function asJson(d: unknown): unknown {
  if (typeof d !== 'string') return d;
  try {
    return JSON.parse(d);
  } catch {
    return d;
  }
}

function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** Strips ANSI color codes from stream text. */
function stripAnsi(s: string): string {
  return s.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
}

class Exporter {
  readonly md: InstanceType<typeof MarkdownIt>;
  constructor(
    readonly opts: HtmlExportOptions,
    readonly nonce: string,
  ) {
    this.md = new MarkdownIt({ html: false, linkify: true, typographer: false });
  }

  private markdown(src: string): Markup {
    return new Markup(this.md.render(src));
  }

  cell(c: MktnbCell, i: number): Markup {
    const src = Array.isArray(c.source) ? c.source.map(String).join('\n') : String(c.source ?? '');
    if (c.kind === 'markdown')
      return html`<section class="cell markdown" id="cell-${i + 1}">${this.markdown(src)}</section>`;
    const ex = (typeof c.execution === 'object' && c.execution !== null ? c.execution : {}) as NonNullable<
      MktnbCell['execution']
    >;
    // a stored execution order is shown only when it is a whole number; anything else is not ours
    const order = Number.isSafeInteger(ex.order) ? String(ex.order) : ' ';
    const duration =
      typeof ex.durationMs === 'number' && Number.isFinite(ex.durationMs) ? ` ${formatDuration(ex.durationMs)}` : '';
    const lang = typeof c.language === 'string' && /^[\w+#.-]{1,40}$/.test(c.language) ? c.language : 'typescript';
    const code =
      this.opts.includeCode === false
        ? ''
        : html`<div class="source"><span class="prompt">[${order}]${duration}</span><pre><code class="language-${lang}">${src}</code></pre></div>`;
    const outs = (Array.isArray(c.outputs) ? c.outputs : []).map((o) => this.output(o)).filter((m) => m.html !== '');
    return html`<section class="cell code${ex.success === false ? ' failed' : ''}" id="cell-${i + 1}">${code}${outs.length ? html`<div class="outputs">${outs.map((m) => html`${m}\n`)}</div>` : ''}</section>`;
  }

  output(o: MktnbOutput): Markup {
    const it = pickItem(o);
    if (!it) return html``;
    const d = it.data;
    switch (it.mime) {
      case CHART_MIME:
        return chartHtml(asJson(d));
      case TABLE_MIME:
        return tableHtml(asJson(d));
      case ERROR_MIME: {
        const e = asJson(d) as { name?: unknown; message?: unknown; stack?: unknown };
        const text =
          typeof e === 'object' && e
            ? typeof e.stack === 'string' && e.stack
              ? e.stack
              : `${asText(e.name ?? 'Error')}: ${asText(e.message ?? '')}`
            : asText(d);
        return html`<pre class="output error">${stripAnsi(text)}</pre>`;
      }
      case STDOUT_MIME:
        return html`<pre class="output stream">${stripAnsi(asText(d))}</pre>`;
      case STDERR_MIME:
        return html`<pre class="output stream stderr">${stripAnsi(asText(d))}</pre>`;
      case MARKDOWN_MIME:
        return html`<div class="output markdown">${this.markdown(asText(d))}</div>`;
      case HTML_MIME:
        // untrusted HTML: shown in a sandboxed frame that cannot run scripts or reach the page
        return html`<iframe class="output html" sandbox="" referrerpolicy="no-referrer" srcdoc="${asText(d)}"></iframe>`;
      case 'image/png':
      case 'image/jpeg': {
        const b64 = typeof d === 'string' ? d.replace(/\s+/g, '') : '';
        return /^[A-Za-z0-9+/]*={0,2}$/.test(b64) && b64
          ? html`<img class="output image" alt="" src="data:${it.mime};base64,${b64}">`
          : html``;
      }
      case 'image/svg+xml': {
        // as an <img>: an SVG image cannot run scripts or load anything
        const b64 =
          typeof d === 'string'
            ? btoa(Array.from(new TextEncoder().encode(d), (x) => String.fromCharCode(x)).join(''))
            : '';
        return b64 ? html`<img class="output image" alt="" src="data:image/svg+xml;base64,${b64}">` : html``;
      }
      default:
        return html`<pre class="output text">${stripAnsi(asText(d))}</pre>`;
    }
  }
}

/** The notebook as one self-contained, offline HTML page. */
export function notebookToHtml(nb: MktnbFile, opts: HtmlExportOptions): string {
  const n = nonce();
  const ex = new Exporter(opts, n);
  const list = Array.isArray(nb.cells) ? nb.cells : [];
  const cells = list.map((c, i) => html`${ex.cell(c, i)}\n`);
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${n}' 'unsafe-eval'`,
    "style-src 'unsafe-inline'",
    'img-src data: blob:',
    'font-src data:',
    "frame-src 'self' about:",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const script = (js: string) => html`<script nonce="${n}">${new Markup(inlineScript(js))}</script>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${new Markup(csp)}">
<meta name="generator" content="Market Notebooks">
<title>${opts.title}</title>
<style>${new Markup(CSS)}</style>
${script(opts.plotlySource)}
</head>
<body>
<main>
<header class="doc"><h1>${opts.title}</h1><p class="meta">Exported from a Market Notebook · ${list.length} cells</p></header>
${cells}</main>
${script(PAGE_SCRIPT)}
</body>
</html>
`.html;
}
