// Browser harness for the renderers: builds renderers/chart.ts and renderers/table.ts with
// esbuild's JS API into a temp dir (same options as esbuild.mjs), serves them with a page that
// mimics a VS Code notebook webview (theme CSS variables on <html>, vscode-light/dark classes on
// <body>, a fake renderer context), and opens it in Debian's Chromium via playwright-core.
// Used by test/renderer/*.test.ts and bench/render.mjs.
import * as esbuild from 'esbuild';
import { launchChromium } from '../lib/chromium.mjs';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const THEMES = {
  light: {
    cls: 'vscode-light',
    vars: {
      '--vscode-editor-background': '#ffffff',
      '--vscode-editor-foreground': '#3b3b3b',
      '--vscode-foreground': '#3b3b3b',
      '--vscode-font-family': '"DejaVu Sans", sans-serif',
      '--vscode-font-size': '13px',
      '--vscode-charts-blue': '#1a85ff',
      '--vscode-charts-orange': '#d18616',
      '--vscode-charts-green': '#388a34',
      '--vscode-charts-red': '#e51400',
      '--vscode-charts-purple': '#652d90',
      '--vscode-charts-yellow': '#bf8803',
      '--vscode-focusBorder': '#005fb8',
      '--vscode-editorHoverWidget-background': '#f8f8f8',
      '--vscode-editorHoverWidget-foreground': '#3b3b3b',
      '--vscode-editorHoverWidget-border': '#c8c8c8',
      '--vscode-errorForeground': '#f85149',
      '--vscode-editorWidget-border': '#c8c8c8',
      '--vscode-button-secondaryBackground': '#e5e5e5',
      '--vscode-button-secondaryForeground': '#3b3b3b',
    },
  },
  dark: {
    cls: 'vscode-dark',
    vars: {
      '--vscode-editor-background': '#1f1f1f',
      '--vscode-editor-foreground': '#cccccc',
      '--vscode-foreground': '#cccccc',
      '--vscode-font-family': '"DejaVu Sans", sans-serif',
      '--vscode-font-size': '13px',
      '--vscode-charts-blue': '#3794ff',
      '--vscode-charts-orange': '#d18616',
      '--vscode-charts-green': '#89d185',
      '--vscode-charts-red': '#f14c4c',
      '--vscode-charts-purple': '#b180d7',
      '--vscode-charts-yellow': '#cca700',
      '--vscode-focusBorder': '#0078d4',
      '--vscode-editorHoverWidget-background': '#202020',
      '--vscode-editorHoverWidget-foreground': '#cccccc',
      '--vscode-editorHoverWidget-border': '#454545',
      '--vscode-errorForeground': '#f85149',
      '--vscode-editorWidget-border': '#454545',
      '--vscode-button-secondaryBackground': '#313131',
      '--vscode-button-secondaryForeground': '#cccccc',
    },
  },
  hc: {
    cls: 'vscode-high-contrast',
    vars: {
      '--vscode-editor-background': '#000000',
      '--vscode-editor-foreground': '#ffffff',
      '--vscode-foreground': '#ffffff',
      '--vscode-font-family': '"DejaVu Sans", sans-serif',
      '--vscode-font-size': '13px',
      '--vscode-contrastBorder': '#6fc3df',
      '--vscode-charts-blue': '#3794ff',
      '--vscode-charts-orange': '#d18616',
      '--vscode-charts-green': '#89d185',
      '--vscode-charts-red': '#f14c4c',
      '--vscode-charts-purple': '#b180d7',
      '--vscode-charts-yellow': '#cca700',
      '--vscode-focusBorder': '#f38518',
      '--vscode-errorForeground': '#f48771',
    },
  },
};

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>mktnb renderer harness</title>
<style>body{margin:0;padding:12px;background:var(--vscode-editor-background);color:var(--vscode-foreground);font-family:var(--vscode-font-family)}
.out{margin:0 0 16px}</style></head>
<body>
<div id="outputs"></div>
<script type="module">
  import * as chart from './chart.js';
  import * as table from './table.js';
  const THEMES = ${JSON.stringify(THEMES)};
  window.__messages = [];
  window.__pwned = 0;
  // each renderer has its own context in VS Code: both listeners hear what is sent here
  const listeners = new Set();
  const ctx = {
    postMessage: (m) => window.__messages.push(m),
    onDidReceiveMessage: (cb) => { listeners.add(cb); return { dispose() { listeners.delete(cb); } }; },
    workspace: { isTrusted: true },
  };
  window.sendToRenderer = (m) => { for (const l of listeners) l(m); };
  window.setTheme = (name) => {
    const t = THEMES[name];
    for (const th of Object.values(THEMES)) document.body.classList.remove(th.cls);
    document.body.classList.add(t.cls);
    document.body.dataset.vscodeThemeKind = t.cls;
    for (const [k, v] of Object.entries(t.vars)) document.documentElement.style.setProperty(k, v);
  };
  window.setTheme(new URLSearchParams(location.search).get('theme') || 'light');
  window.chartModule = chart;
  window.tableModule = table;
  const chartApi = await chart.activate(ctx);
  const tableApi = await table.activate(ctx);
  const item = (id, mime, data) => ({
    id, mime, metadata: {},
    json: () => (typeof data === 'string' ? JSON.parse(data) : data),
    text: () => (typeof data === 'string' ? data : JSON.stringify(data)),
    data: () => new TextEncoder().encode(typeof data === 'string' ? data : JSON.stringify(data)),
    blob: () => new Blob([typeof data === 'string' ? data : JSON.stringify(data)]),
  });
  window.outputEl = (id, width) => {
    let el = document.getElementById('out-' + id);
    if (!el) { el = document.createElement('div'); el.className = 'out'; el.id = 'out-' + id; document.getElementById('outputs').append(el); }
    if (width) el.style.width = width + 'px';
    return el;
  };
  window.renderChart = (id, data, width) => chartApi.renderOutputItem(item(id, 'application/vnd.mktnb.chart+json', data), window.outputEl(id, width));
  window.renderTable = (id, data) => tableApi.renderOutputItem(item(id, 'application/vnd.mktnb.table+json', data), window.outputEl(id));
  window.disposeChart = (id) => chartApi.disposeOutputItem(id);
  window.disposeTable = (id) => tableApi.disposeOutputItem(id);
  window.harnessReady = true;
</script>
</body></html>`;

/** Builds the renderer bundles into dir (browser ESM, plotly bundled, CSS as text). */
export async function buildRenderers(dir) {
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: { chart: 'renderers/chart.ts', table: 'renderers/table.ts' },
    outdir: dir,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'error',
    loader: { '.css': 'text' },
  });
}

/** Starts the harness: { browser, url, newPage(theme?), dir, close() }. */
export async function startHarness() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mktnb-renderer-'));
  await buildRenderers(dir);
  fs.writeFileSync(path.join(dir, 'index.html'), PAGE);
  const server = http.createServer((req, res) => {
    const p = new URL(req.url, 'http://x').pathname;
    const file = path.join(dir, p === '/' ? 'index.html' : path.normalize(p).replace(/^([/\\])+/, ''));
    if (!file.startsWith(dir) || !fs.existsSync(file)) {
      res.writeHead(404);
      res.end('not found');
      return;
    }
    const type = file.endsWith('.js')
      ? 'text/javascript'
      : file.endsWith('.html')
        ? 'text/html'
        : 'application/octet-stream';
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', () => r(undefined)));
  const url = `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}/`;
  const browser = await launchChromium();
  const requests = [];
  async function newPage(theme = 'light', viewport = { width: 1000, height: 800 }) {
    const page = await browser.newPage({ viewport, permissions: ['clipboard-read', 'clipboard-write'] });
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`${url}?theme=${theme}`);
    await page.waitForFunction(() => window.harnessReady === true);
    return page;
  }
  async function close() {
    await browser.close().catch(() => {});
    await new Promise((r) => server.close(r));
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { browser, url, dir, newPage, close, requests };
}
