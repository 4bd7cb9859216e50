// Kernel benchmark: prints figures, asserts nothing.
//   node bench/kernel.mjs [--runs 300]
// Builds the kernel (src/kernel/main.ts) and its client (src/kernel/client.ts) with esbuild into
// node_modules/.cache/mktnb-bench/, then measures:
//   - session start: KernelClient.start() until the kernel is ready (and the first TS cell after it)
//   - overhead of a trivial cell, client round trip (median, p95), TypeScript and JavaScript,
//     with the compiled cell cached (same source re-run) and uncached (a new source every run)
//   - interrupt latency: interrupt() until execute() resolves, for a synchronous loop, an awaiting
//     cell, and a loop that forces a restart
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, def) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const RUNS = Math.max(200, arg('--runs', 300));

const outdir = path.join(root, 'node_modules', '.cache', 'mktnb-bench');
const marketDir = path.join(root, 'src', 'market');
const missing = [];
/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'error',
  legalComments: 'none',
};
await esbuild.build({
  ...common,
  entryPoints: {
    kernel: path.join(root, 'src/kernel/main.ts'),
    'kernel-watchdog': path.join(root, 'src/kernel/watchdog.ts'),
    client: path.join(root, 'src/kernel/client.ts'),
  },
  outdir,
  plugins: [
    {
      // while the analysis library is written, index.ts may re-export files that do not exist yet
      name: 'missing-market-modules',
      setup(b) {
        b.onResolve({ filter: /^\.\/[\w-]+$/ }, (a) => {
          if (a.resolveDir !== marketDir || !a.importer.endsWith('index.ts')) return undefined;
          const base = path.join(marketDir, a.path);
          if (['.ts', '/index.ts'].some((e) => fs.existsSync(base + e))) return undefined;
          missing.push(a.path);
          return { path: base, namespace: 'missing' };
        });
        b.onLoad({ filter: /.*/, namespace: 'missing' }, () => ({ contents: 'export {}', loader: 'ts' }));
      },
    },
  ],
});
if (missing.length)
  console.log(`(note: src/market/index.ts re-exports missing ${missing.join(', ')}; built without them)`);
const { KernelClient } = createRequire(import.meta.url)(path.join(outdir, 'client.js'));
const kernelScript = path.join(outdir, 'kernel.js');
const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'mktnb-bench-'));

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};
const fmt = (x) => `${x.toFixed(2)} ms`;
const line = (label, xs) =>
  console.log(
    `${label.padEnd(46)} median ${fmt(pct(xs, 0.5)).padStart(10)}   p95 ${fmt(pct(xs, 0.95)).padStart(10)}   (n=${xs.length})`,
  );
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const noop = () => {};

console.log(`node ${process.version}, ${os.cpus().length} CPUs, ${os.cpus()[0]?.model ?? ''}`);

// --- session start
const starts = [],
  firstTs = [];
for (let i = 0; i < 10; i++) {
  const t0 = performance.now();
  const k = await KernelClient.start({ cwd, kernelScript });
  starts.push(performance.now() - t0);
  const t1 = performance.now();
  const r = await k.execute('const a: number = 1; a', 'typescript', { cellLabel: 'c', onOutput: noop });
  if (!r.ok) throw new Error(r.error.stack);
  firstTs.push(performance.now() - t1);
  k.dispose();
}
line('session start (start() until ready)', starts);
line('first TypeScript cell after start', firstTs);

// --- trivial cells
const k = await KernelClient.start({ cwd, kernelScript });
async function cells(label, language, code) {
  const wall = [],
    kernel = [];
  for (let i = 0; i < 20; i++) await k.execute(code(i), language, { cellLabel: 'w', onOutput: noop });
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const r = await k.execute(code(i), language, { cellLabel: 'c', onOutput: noop });
    wall.push(performance.now() - t0);
    kernel.push(r.durationMs);
    if (!r.ok) throw new Error(r.error.stack);
  }
  line(`${label}, round trip`, wall);
  line(`${label}, inside the kernel`, kernel);
}
await cells('trivial TS cell `1 + 1` (compiled cache hit)', 'typescript', () => '1 + 1');
await cells('trivial TS cell, new source each run', 'typescript', (i) => `const v: number = ${i}; v + 1`);
await cells('trivial JS cell, new source each run', 'javascript', (i) => `const v = ${i}; v + 1`);

// --- interrupt latency
async function interrupts(label, code, n, waitMs = 100) {
  const lat = [];
  let restarts = 0;
  for (let i = 0; i < n; i++) {
    const p = k.execute(code, 'typescript', { cellLabel: 'i', onOutput: noop });
    await sleep(waitMs);
    const t0 = performance.now();
    k.interrupt();
    const r = await p;
    lat.push(performance.now() - t0);
    if (!r.error?.interrupted) throw new Error(`not interrupted: ${JSON.stringify(r)}`);
    if (r.restarted) restarts++;
  }
  line(`interrupt: ${label}${restarts ? ` (${restarts} restarts)` : ''}`, lat);
}
await interrupts('synchronous while (true) {}', 'while (true) {}', 20);
await interrupts('await new Promise(() => {})', 'await new Promise(() => {})', 20);
await interrupts('async loop of timers', 'for (;;) await new Promise((r) => setTimeout(r, 1))', 20);
await interrupts('await null; while (true) {}', 'await null; while (true) {}', 10);
await interrupts('loop after a timer (loop check)', 'await new Promise((r) => setTimeout(r, 1)); while (true) {}', 20);
fs.mkdirSync(path.join(cwd, 'node_modules', 'spinner'), { recursive: true });
fs.writeFileSync(path.join(cwd, 'node_modules', 'spinner', 'index.js'), 'exports.spin = () => { for (;;) {} };');
await interrupts('busy package code, first sync part (SIGINT)', 'import { spin } from "spinner"; spin()', 10);
// a fresh kernel (after each restart) compiles its first cell more slowly: wait longer before interrupting
await interrupts(
  'busy package code after an await → restart',
  'import { spin } from "spinner"; await new Promise((r) => setTimeout(r, 1)); spin()',
  5,
  500,
);
k.dispose();
fs.rmSync(cwd, { recursive: true, force: true });
