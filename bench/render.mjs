// Renderer benchmark in Chromium (Debian's /usr/bin/chromium via playwright-core).
//   node bench/render.mjs            (all cases)
//   node bench/render.mjs --quick    (skips the slow undecimated SVG case)
// Prints times; it asserts nothing (never a wall-clock threshold in tests). Each case runs in a
// fresh page. "Time to interactive" = from renderOutputItem(...) with the output's JSON text
// (parsed by the renderer, as in VS Code) until the plot is drawn and a frame has painted.
import { startHarness } from '../test/renderer/harness.mjs';
import os from 'node:os';

const quick = process.argv.includes('--quick');
const N = 1_000_000;

const h = await startHarness();
const rows = [];
const print = (name, ms, extra = '') => { rows.push([name, ms, extra]); console.log(`${name.padEnd(58)} ${typeof ms === 'number' ? ms.toFixed(0).padStart(7) + ' ms' : String(ms).padStart(10)}  ${extra}`); };

console.log(`Chromium ${h.browser.version()} · ${os.cpus().length} cores · ${os.cpus()[0]?.model ?? ''}`);
console.log('case'.padEnd(58), '   time', '  notes');

/** Renders one chart from a generated figure; returns { ms, drawn points }. */
async function oneChart(opts) {
  const page = await h.newPage('dark', { width: 1200, height: 900 });
  page.setDefaultTimeout(600_000);
  const r = await page.evaluate(async ({ n, xKind, type, decimate }) => {
    const m = window.chartModule;
    m.rendererOptions.decimate = decimate;
    m.rendererOptions.lazy = false;
    const t0 = Date.UTC(2020, 0, 1);
    const x = new Array(n), y = new Array(n);
    let v = 100;
    for (let i = 0; i < n; i++) {
      v += Math.sin(i * 12.9898) * 0.5;
      y[i] = Math.round(v * 1e4) / 1e4;
      x[i] = xKind === 'iso' ? new Date(t0 + i * 60_000).toISOString().replace('.000Z', 'Z') : t0 + i * 60_000;
    }
    const json = JSON.stringify({ kind: 'chart', version: 1, title: 'bench', figure: { data: [{ type, mode: 'lines', name: 'price', x, y }], layout: { title: { text: `${n} points` }, xaxis: { type: 'date' } } } });
    const el = window.outputEl('bench', 1100);
    const done = new Promise((resolve) => el.addEventListener('mktnb-chart-rendered', resolve, { once: true }));
    const start = performance.now();
    window.renderChart('bench', json);
    const ev = await done;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const ms = performance.now() - start;
    const gd = el.querySelector('.mktnb-plot');
    // interactive: a zoom (what a user does next) and its redraw
    const z0 = performance.now();
    const a = gd._fullLayout.xaxis.range;
    const lo = gd._fullLayout.xaxis.r2l(a[0]), hi = gd._fullLayout.xaxis.r2l(a[1]);
    await m.debug.plotly.relayout(gd, { 'xaxis.range': [lo + (hi - lo) * 0.4, lo + (hi - lo) * 0.41].map((t) => new Date(t).toISOString()) });
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const zoomMs = performance.now() - z0;
    return { ms, drawn: gd.data[0].x.length, zoomMs, zoomDrawn: gd.data[0].x.length, bytes: json.length, detail: ev.detail };
  }, opts);
  await page.close();
  return r;
}

async function tryCase(name, opts) {
  try {
    const r = await oneChart(opts);
    print(name, r.ms, `${(r.bytes / 1e6).toFixed(1)} MB JSON, ${r.drawn.toLocaleString('en-US')} points drawn; zoom to 1% + redraw ${r.zoomMs.toFixed(0)} ms (${r.zoomDrawn.toLocaleString('en-US')} points)`);
  } catch (e) {
    print(name, 'failed', String(e.message).split('\n')[0]);
  }
}

await tryCase('1M-point line, ISO dates, decimated (renderer default)', { n: N, xKind: 'iso', type: 'scatter', decimate: true });
await tryCase('1M-point line, epoch-ms x, decimated', { n: N, xKind: 'ms', type: 'scatter', decimate: true });
await tryCase('1M-point line, ISO dates, NOT decimated, scattergl', { n: N, xKind: 'iso', type: 'scattergl', decimate: false });
if (!quick) await tryCase('1M-point line, ISO dates, NOT decimated, SVG scatter', { n: N, xKind: 'iso', type: 'scatter', decimate: false });
await tryCase('3,000-point line (a stored chart from the cell API)', { n: 3000, xKind: 'iso', type: 'scatter', decimate: true });

// A notebook page of 50 charts (3,000 points each, like stored outputs), 8 px apart.
async function notebook(lazy) {
  const page = await h.newPage('light', { width: 1200, height: 900 });
  page.setDefaultTimeout(600_000);
  const r = await page.evaluate(async (lazy) => {
    const m = window.chartModule;
    m.rendererOptions.lazy = lazy;
    const t0 = Date.UTC(2015, 0, 1);
    const figs = Array.from({ length: 50 }, (_, c) => {
      const x = [], y = [];
      let v = 100;
      for (let i = 0; i < 3000; i++) { v += Math.sin((i + c) * 12.9898) * 0.8; x.push(new Date(t0 + i * 86_400_000).toISOString().slice(0, 10)); y.push(Math.round(v * 100) / 100); }
      return JSON.stringify({ kind: 'chart', version: 1, figure: { data: [{ type: 'scatter', mode: 'lines', name: `series ${c}`, x, y }], layout: { title: { text: `Chart ${c + 1}` }, height: 360 } } });
    });
    let rendered = 0;
    const firstScreen = new Promise((resolve) => {
      document.addEventListener('mktnb-chart-rendered', () => { rendered++; if (rendered === 3) resolve(); if (rendered === 50) allDone(); });
    });
    let allDone; const all = new Promise((r) => { allDone = r; });
    const start = performance.now();
    figs.forEach((f, i) => window.renderChart(`nb${i}`, f));
    const renderCalls = performance.now() - start;
    await firstScreen;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const firstMs = performance.now() - start;
    // scroll through the page like a reader, recording the longest gap between frames
    let worst = 0, last = performance.now(), frames = 0, running = true;
    const tick = () => { const t = performance.now(); worst = Math.max(worst, t - last); last = t; frames++; if (running) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
    const s0 = performance.now();
    const H = document.documentElement.scrollHeight;
    for (let y = 0; y < H; y += 300) { window.scrollTo(0, y); await new Promise((r) => requestAnimationFrame(r)); }
    await all;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    running = false;
    return { renderCalls, firstMs, allMs: performance.now() - start, scrollMs: performance.now() - s0, worst, frames };
  }, lazy);
  await page.close();
  return r;
}

for (const lazy of [true, false]) {
  try {
    const r = await notebook(lazy);
    const tag = lazy ? 'lazy (default)' : 'eager';
    print(`50-chart notebook, ${tag}: first screen interactive`, r.firstMs, `renderOutputItem x50 returned in ${r.renderCalls.toFixed(0)} ms`);
    print(`50-chart notebook, ${tag}: scrolled through, all 50 drawn`, r.allMs, `longest frame gap while scrolling ${r.worst.toFixed(0)} ms over ${r.frames} frames`);
  } catch (e) {
    print(`50-chart notebook, lazy=${lazy}`, 'failed', String(e.message).split('\n')[0]);
  }
}

await h.close();
