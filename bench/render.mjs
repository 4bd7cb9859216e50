// Renderer benchmark in Chromium (Debian's /usr/bin/chromium via playwright-core).
//   node bench/render.mjs            (all cases)
//   node bench/render.mjs --quick    (skips the slow undecimated SVG case)
//   node bench/render.mjs --zoom     (only the zoom round trip: kernel detail vs local re-decimation)
//        [--points 100000000]        (points of the kernel-side series; default 10^8)
// Prints times; it asserts nothing (never a wall-clock threshold in tests). Each case runs in a
// fresh page. "Time to interactive" = from renderOutputItem(...) with the output's JSON text
// (parsed by the renderer, as in VS Code) until the plot is drawn and a frame has painted.
import { startHarness } from '../test/renderer/harness.mjs';
import os from 'node:os';

const quick = process.argv.includes('--quick');
const zoomOnly = process.argv.includes('--zoom');
const N = 1_000_000;

const h = await startHarness();
const rows = [];
const print = (name, ms, extra = '') => {
  rows.push([name, ms, extra]);
  console.log(
    `${name.padEnd(58)} ${typeof ms === 'number' ? ms.toFixed(0).padStart(7) + ' ms' : String(ms).padStart(10)}  ${extra}`,
  );
};

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
    const x = new Array(n),
      y = new Array(n);
    let v = 100;
    for (let i = 0; i < n; i++) {
      v += Math.sin(i * 12.9898) * 0.5;
      y[i] = Math.round(v * 1e4) / 1e4;
      x[i] = xKind === 'iso' ? new Date(t0 + i * 60_000).toISOString().replace('.000Z', 'Z') : t0 + i * 60_000;
    }
    const json = JSON.stringify({
      kind: 'chart',
      version: 1,
      title: 'bench',
      figure: {
        data: [{ type, mode: 'lines', name: 'price', x, y }],
        layout: { title: { text: `${n} points` }, xaxis: { type: 'date' } },
      },
    });
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
    const lo = gd._fullLayout.xaxis.r2l(a[0]),
      hi = gd._fullLayout.xaxis.r2l(a[1]);
    await m.debug.plotly.relayout(gd, {
      'xaxis.range': [lo + (hi - lo) * 0.4, lo + (hi - lo) * 0.41].map((t) => new Date(t).toISOString()),
    });
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const zoomMs = performance.now() - z0;
    return {
      ms,
      drawn: gd.data[0].x.length,
      zoomMs,
      zoomDrawn: gd.data[0].x.length,
      bytes: json.length,
      detail: ev.detail,
    };
  }, opts);
  await page.close();
  return r;
}

async function tryCase(name, opts) {
  try {
    const r = await oneChart(opts);
    print(
      name,
      r.ms,
      `${(r.bytes / 1e6).toFixed(1)} MB JSON, ${r.drawn.toLocaleString('en-US')} points drawn; zoom to 1% + redraw ${r.zoomMs.toFixed(0)} ms (${r.zoomDrawn.toLocaleString('en-US')} points)`,
    );
  } catch (e) {
    print(name, 'failed', String(e.message).split('\n')[0]);
  }
}

if (!zoomOnly) {
  await tryCase('1M-point line, ISO dates, decimated (renderer default)', {
    n: N,
    xKind: 'iso',
    type: 'scatter',
    decimate: true,
  });
  await tryCase('1M-point line, epoch-ms x, decimated', { n: N, xKind: 'ms', type: 'scatter', decimate: true });
  await tryCase('1M-point line, ISO dates, NOT decimated, scattergl', {
    n: N,
    xKind: 'iso',
    type: 'scattergl',
    decimate: false,
  });
  if (!quick)
    await tryCase('1M-point line, ISO dates, NOT decimated, SVG scatter', {
      n: N,
      xKind: 'iso',
      type: 'scatter',
      decimate: false,
    });
  await tryCase('3,000-point line (a stored chart from the cell API)', {
    n: 3000,
    xKind: 'iso',
    type: 'scatter',
    decimate: true,
  });
}

// A notebook page of 50 charts (3,000 points each, like stored outputs), 8 px apart.
/** @param {boolean} lazy */
async function notebookPage(lazy) {
  const page = await h.newPage('light', { width: 1200, height: 900 });
  page.setDefaultTimeout(600_000);
  const r = await page.evaluate(async (lazy) => {
    const m = window.chartModule;
    m.rendererOptions.lazy = lazy;
    const t0 = Date.UTC(2015, 0, 1);
    const figs = Array.from({ length: 50 }, (_, c) => {
      const x = [],
        y = [];
      let v = 100;
      for (let i = 0; i < 3000; i++) {
        v += Math.sin((i + c) * 12.9898) * 0.8;
        x.push(new Date(t0 + i * 86_400_000).toISOString().slice(0, 10));
        y.push(Math.round(v * 100) / 100);
      }
      return JSON.stringify({
        kind: 'chart',
        version: 1,
        figure: {
          data: [{ type: 'scatter', mode: 'lines', name: `series ${c}`, x, y }],
          layout: { title: { text: `Chart ${c + 1}` }, height: 360 },
        },
      });
    });
    let rendered = 0;
    const firstScreen = new Promise((resolve) => {
      document.addEventListener('mktnb-chart-rendered', () => {
        rendered++;
        if (rendered === 3) resolve();
        if (rendered === 50) allDone();
      });
    });
    let allDone;
    const all = new Promise((r) => {
      allDone = r;
    });
    const start = performance.now();
    figs.forEach((f, i) => window.renderChart(`nb${i}`, f));
    const renderCalls = performance.now() - start;
    await firstScreen;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const firstMs = performance.now() - start;
    // scroll through the page like a reader, recording the longest gap between frames
    let worst = 0,
      last = performance.now(),
      frames = 0,
      running = true;
    const tick = () => {
      const t = performance.now();
      worst = Math.max(worst, t - last);
      last = t;
      frames++;
      if (running) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    const s0 = performance.now();
    const H = document.documentElement.scrollHeight;
    for (let y = 0; y < H; y += 300) {
      window.scrollTo(0, y);
      await new Promise((r) => requestAnimationFrame(r));
    }
    await all;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    running = false;
    return { renderCalls, firstMs, allMs: performance.now() - start, scrollMs: performance.now() - s0, worst, frames };
  }, lazy);
  await page.close();
  return r;
}

for (const lazy of zoomOnly ? [] : [true, false]) {
  try {
    const r = await notebookPage(lazy);
    const tag = lazy ? 'lazy (default)' : 'eager';
    print(
      `50-chart notebook, ${tag}: first screen interactive`,
      r.firstMs,
      `renderOutputItem x50 returned in ${r.renderCalls.toFixed(0)} ms`,
    );
    print(
      `50-chart notebook, ${tag}: scrolled through, all 50 drawn`,
      r.allMs,
      `longest frame gap while scrolling ${r.worst.toFixed(0)} ms over ${r.frames} frames`,
    );
  } catch (e) {
    print(`50-chart notebook, lazy=${lazy}`, 'failed', String(e.message).split('\n')[0]);
  }
}

// ---------------------------------------------------------------------------------------------
// Zoom round trip: renderer → extension → kernel → redraw, on a 10^8-point series that lives in a
// real kernel process (the cell API stored 3,000 points of it), printed beside the local
// re-decimation of 1M stored points in the renderer, over the same zoom ranges. The extension hop
// is src/notebook/rendererRequests.ts (the same validation as in VS Code), reached through a
// Playwright binding standing in for VS Code's postMessage. Debounce is set to 0 (a user's drag
// adds rendererOptions.zoomDebounceMs = 120 ms on top, on purpose).
const ZOOM_POINTS = (() => {
  const i = process.argv.indexOf('--points');
  return i >= 0 ? Number(process.argv[i + 1]) : 100_000_000;
})();
/** fractions of the full range, centred at varying places: wide, medium, narrow, raw */
const ZOOMS = [0.5, 0.1, 0.02, 0.005, 0.001, 0.0002, 0.00002].flatMap((w, k) =>
  [0.2, 0.5, 0.8].map((c) => [Math.max(0, c - w / 2 + k * 0.003), Math.min(1, c + w / 2 + k * 0.003)]),
);
const median = (a) => {
  const s = [...a].sort((p, q) => p - q);
  return s[Math.floor(s.length / 2)];
};
const p95 = (a) => {
  const s = [...a].sort((p, q) => p - q);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.95))];
};

async function buildKernelSide() {
  const esbuild = await import('esbuild');
  const path = await import('node:path');
  const { fileURLToPath } = await import('node:url');
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const outdir = path.join(root, 'node_modules', '.cache', 'mktnb-bench-render');
  await esbuild.build({
    entryPoints: {
      kernel: path.join(root, 'src/kernel/main.ts'),
      client: path.join(root, 'src/kernel/client.ts'),
      requests: path.join(root, 'src/notebook/rendererRequests.ts'),
    },
    outdir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'error',
    external: ['@duckdb/node-bindings-*'],
  });
  const { createRequire } = await import('node:module');
  const req = createRequire(import.meta.url);
  return { outdir, root, client: req(path.join(outdir, 'client.js')), requests: req(path.join(outdir, 'requests.js')) };
}

/** Times each zoom in the page: relayout → (kernel reply →) restyle → two painted frames. */
async function zoomTimes(page, live) {
  return page.evaluate(
    async ({ zooms, live }) => {
      const gd = /** @type {any} */ (document.querySelector('#out-zoom .mktnb-plot'));
      const root = document.querySelector('#out-zoom .mktnb-chart');
      const xa = gd._fullLayout.xaxis;
      const lo = xa.r2l(xa.range[0]),
        hi = xa.r2l(xa.range[1]);
      const plotly = window.chartModule.debug.plotly;
      const out = [];
      for (const [f0, f1] of zooms) {
        const got = live
          ? new Promise((r) =>
              root.addEventListener('mktnb-chart-detail', (e) => r(/** @type {CustomEvent} */ (e).detail), {
                once: true,
              }),
            )
          : Promise.resolve(null);
        const t0 = performance.now();
        await plotly.relayout(gd, {
          'xaxis.range': [lo + (hi - lo) * f0, lo + (hi - lo) * f1].map((t) =>
            new Date(t).toISOString().slice(0, 23).replace('T', ' '),
          ),
        });
        const d = await got;
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        out.push({ ms: performance.now() - t0, points: d ? d.points : gd.data[0].y.length, raw: d?.raw ?? false });
      }
      return out;
    },
    { zooms: ZOOMS, live },
  );
}

async function zoomBench() {
  const { outdir, root, client, requests } = await buildKernelSide();
  const k = await client.KernelClient.start({
    cwd: root,
    kernelScript: `${outdir}/kernel.js`,
    maxOldSpaceMb: 8192,
    outputCacheMb: 8192,
  });
  try {
    /** @type {any} */
    let chartJson;
    const t0 = Date.now();
    const r = await k.execute(
      [
        `const n = ${ZOOM_POINTS}; const t0 = Date.UTC(2020, 0, 1);`,
        'const idx = new Float64Array(n), v = new Float64Array(n); let p = 100;',
        'for (let i = 0; i < n; i++) { idx[i] = t0 + i * 1000; p += Math.sin(i * 12.9898) * 0.05; v[i] = p; }',
        "plot.line(new Series(idx, v, 'price'), { title: 'bench' })",
      ].join('\n'),
      'typescript',
      {
        cellLabel: 'bench',
        onOutput: (e) => {
          if (e.kind === 'display')
            chartJson ??= e.items.find((i) => i.mime === 'application/vnd.mktnb.chart+json')?.data;
        },
      },
    );
    if (!r.ok || !chartJson?.live) throw new Error(`the bench cell failed: ${r.error?.message ?? 'no live chart'}`);
    print(
      `${ZOOM_POINTS.toExponential(0)}-point series: cell making it + plot.line (kernel)`,
      Date.now() - t0,
      `stored ${chartJson.figure.data[0].y.length} points, handle ${chartJson.live[0].handle.slice(0, 12)}…`,
    );
    const page = await h.newPage('dark', { width: 1200, height: 900 });
    page.setDefaultTimeout(600_000);
    const kernelMs = [];
    // the extension's side, as in VS Code: validate, forward to the kernel, reply to the renderer
    await page.exposeFunction('__toExtension', async (m) => {
      await requests.handleRendererMessage(m, {
        notebookFolder: () => undefined,
        chartFigures: () => [],
        showSaveDialog: async () => undefined,
        writeFile: async () => undefined,
        writeClipboard: async () => undefined,
        info: () => undefined,
        log: () => undefined,
        join: (a, b) => `${a}/${b}`,
        reply: (rep) => {
          void page.evaluate((x) => window.sendToRenderer(x), rep);
        },
        kernelRequest: async (request) => {
          const s = performance.now();
          const rep = await k.outputRequest(request).reply;
          kernelMs.push(performance.now() - s);
          return rep;
        },
      });
    });
    await page.evaluate((json) => {
      const msgs = window.__messages,
        push = msgs.push.bind(msgs);
      msgs.push = (m) => {
        push(m);
        if (m.type === 'kernel-request' || m.type === 'kernel-cancel') void window.__toExtension(m);
        return msgs.length;
      };
      const m = window.chartModule;
      m.rendererOptions.lazy = false;
      m.rendererOptions.zoomDebounceMs = 0;
      const el = window.outputEl('zoom', 1100);
      const done = new Promise((r) => el.addEventListener('mktnb-chart-rendered', r, { once: true }));
      window.renderChart('zoom', JSON.stringify(json));
      return done.then(() => undefined);
    }, chartJson);
    const live = await zoomTimes(page, true);
    await page.close();
    const ms = live.map((z) => z.ms);
    print(
      `zoom round trip, ${ZOOM_POINTS.toExponential(0)} points in the kernel (renderer → kernel → redraw)`,
      median(ms),
      `median of ${ms.length} zooms (50% … 0.002% of the range); p95 ${p95(ms).toFixed(0)} ms; kernel hop median ${median(kernelMs).toFixed(1)} ms; ${median(live.map((z) => z.points))} points drawn (median), raw points for ${live.filter((z) => z.raw).length} zooms`,
    );
  } finally {
    await k.dispose();
  }
  // the reference: the renderer re-decimating 1M points the output stores itself
  const page = await h.newPage('dark', { width: 1200, height: 900 });
  page.setDefaultTimeout(600_000);
  await page.evaluate(async (n) => {
    const m = window.chartModule;
    m.rendererOptions.lazy = false;
    const t0 = Date.UTC(2020, 0, 1);
    const x = new Array(n),
      y = new Array(n);
    let v = 100;
    for (let i = 0; i < n; i++) {
      v += Math.sin(i * 12.9898) * 0.05;
      y[i] = v;
      x[i] = new Date(t0 + i * 100_000).toISOString().slice(0, 19).replace('T', ' ');
    }
    const el = window.outputEl('zoom', 1100);
    const done = new Promise((r) => el.addEventListener('mktnb-chart-rendered', r, { once: true }));
    window.renderChart(
      'zoom',
      JSON.stringify({
        kind: 'chart',
        version: 1,
        figure: {
          data: [{ type: 'scatter', mode: 'lines', name: 'price', x, y }],
          layout: { title: { text: 'local' } },
        },
      }),
    );
    await done;
  }, 1_000_000);
  const local = await zoomTimes(page, false);
  await page.close();
  const lms = local.map((z) => z.ms);
  print(
    'zoom, local re-decimation of 1M stored points (renderer only)',
    median(lms),
    `median of ${lms.length} zooms, same ranges; p95 ${p95(lms).toFixed(0)} ms; ${median(local.map((z) => z.points))} points drawn (median)`,
  );
}

if (zoomOnly || !quick) {
  try {
    await zoomBench();
  } catch (e) {
    print('zoom round trip', 'failed', String(e.message).split('\n')[0]);
  }
}

await h.close();
