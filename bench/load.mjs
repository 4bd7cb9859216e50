// Benchmark of load() on a 1,000,000-row OHLCV CSV (~65 MB), side by side with the two CSV
// libraries in node_modules (udsv, papaparse) and with pandas read_csv, in the same run.
//
//   node bench/load.mjs             (bundles src/market with esbuild first, as for cells)
//   ROWS=200000 node bench/load.mjs (smaller file)
//
// The libraries are given the same job as load(): a date column parsed to epoch ms (by the
// same digit-by-digit Date.UTC conversion, not Date.parse) and five Float64Array columns.
// This benchmark is why src/market/load.ts reads the bytes itself (see the comment there).
// Figures only, no thresholds. Python: Debian's /usr/bin/python3 with pandas 1.5.3.
import { mkdtempSync, readFileSync, rmSync, openSync, writeSync, closeSync, statSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { bundled } from './bundle.mjs';
import * as udsv from 'udsv';
import Papa from 'papaparse';

const [{ load }] = await bundled('load', ['src/market/load.ts']);
const ROWS = Number(process.env.ROWS ?? 1_000_000);
const REPEAT = 3;

const dir = mkdtempSync(join(tmpdir(), 'mktnb-bench-load-'));
const file = join(dir, 'ohlcv.csv');
try {
  // --- the file: one-minute bars from 2020-01-01, a random walk near 40,000
  let s = 0x9e3779b9 >>> 0;
  const rnd = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  // written in chunks so that no big array of strings stays on the heap (it would slow every GC of the timed runs)
  const fd = openSync(file, 'w');
  writeSync(fd, 'date,open,high,low,close,volume\n');
  let p = 40000;
  const t0 = Date.UTC(2020, 0, 1);
  for (let c0 = 0; c0 < ROWS; c0 += 10_000) {
    let chunk = '';
    for (let i = c0; i < Math.min(ROWS, c0 + 10_000); i++) {
      const o = p;
      p *= 1 + (rnd() - 0.5) * 0.002;
      const h = Math.max(o, p) * (1 + rnd() * 0.001),
        l = Math.min(o, p) * (1 - rnd() * 0.001);
      const d = new Date(t0 + i * 60_000).toISOString();
      chunk += `${d.slice(0, 10)} ${d.slice(11, 19)},${o.toFixed(2)},${h.toFixed(2)},${l.toFixed(2)},${p.toFixed(2)},${Math.floor(rnd() * 1e9)}\n`;
    }
    writeSync(fd, chunk);
  }
  closeSync(fd);
  const mb = statSync(file).size / 1e6;

  // best of REPEAT after a warm-up, as [CPU ms of this process, wall ms]: on a shared machine the
  // CPU time is the steadier figure (it still includes GC and file reading)
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const best = (fn) => {
    fn(); // warm-up
    let b = Infinity,
      bw = Infinity;
    for (let k = 0; k < REPEAT; k++) {
      const c = cpu(),
        t = performance.now();
      fn();
      b = Math.min(b, cpu() - c);
      bw = Math.min(bw, performance.now() - t);
    }
    return [b, bw];
  };
  // the date conversion the libraries get (same as load()'s: digits -> Date.UTC)
  const dig = (str, i, n) => {
    let v = 0;
    for (let k = 0; k < n; k++) v = v * 10 + str.charCodeAt(i + k) - 48;
    return v;
  };
  const isoToMs = (str) =>
    Date.UTC(dig(str, 0, 4), dig(str, 5, 2) - 1, dig(str, 8, 2), dig(str, 11, 2), dig(str, 14, 2), dig(str, 17, 2));

  /** @type {Array<[string, number[]]>} method, [CPU ms, wall ms] */
  const results = [];
  let ours;
  results.push([
    'load() (hand-written byte scanner, dates parsed)',
    best(() => {
      ours = load(file);
    }),
  ]);

  results.push([
    'udsv 0.7 typedCols + date conversion (incl. readFileSync+utf8)',
    best(() => {
      const text = readFileSync(file, 'utf8');
      const schema = udsv.inferSchema(text);
      schema.cols[0].type = 's';
      for (let k = 1; k < schema.cols.length; k++) schema.cols[k].type = 'n';
      const cols = udsv.initParser(schema).typedCols(text);
      const n = cols[0].length;
      const idx = new Float64Array(n);
      for (let i = 0; i < n; i++) idx[i] = isoToMs(cols[0][i]);
      const out = cols.slice(1).map((c) => Float64Array.from(c));
      if (out[3][n - 1] !== ours.columns.close[n - 1] || idx[n - 1] !== ours.index[n - 1])
        throw new Error('udsv result differs');
    }),
  ]);

  results.push([
    'papaparse 5 fastMode + Number() + date conversion',
    best(() => {
      const text = readFileSync(file, 'utf8');
      const rows = Papa.parse(text, { fastMode: true, skipEmptyLines: true }).data;
      const n = rows.length - 1;
      const idx = new Float64Array(n),
        cols = [0, 1, 2, 3, 4].map(() => new Float64Array(n));
      for (let i = 0; i < n; i++) {
        const r = rows[i + 1];
        idx[i] = isoToMs(r[0]);
        for (let k = 0; k < 5; k++) cols[k][i] = r[k + 1] === '' ? NaN : Number(r[k + 1]);
      }
      if (cols[3][n - 1] !== ours.columns.close[n - 1]) throw new Error('papaparse result differs');
    }),
  ]);

  const py = `
import time, pandas as pd
f = ${JSON.stringify(file)}
def best(fn, k=${REPEAT}):
    fn()
    b = bw = 1e9
    for _ in range(k):
        c = time.process_time(); t = time.perf_counter(); fn()
        b = min(b, time.process_time() - c); bw = min(bw, time.perf_counter() - t)
    return '%f %f' % (b * 1000, bw * 1000)
print(best(lambda: pd.read_csv(f)))
print(best(lambda: pd.read_csv(f, parse_dates=['date'])))
print(best(lambda: pd.read_csv(f, parse_dates=['date'], infer_datetime_format=True)))
`;
  const r = spawnSync('/usr/bin/python3', ['-c', py], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  const [pn, pd1, pd2] = r.stdout
    .trim()
    .split('\n')
    .map((l) => l.split(' ').map(Number));
  results.push(['pandas 1.5 read_csv, dates as text', pn]);
  results.push(['pandas 1.5 read_csv, parse_dates=[date]', pd1]);
  results.push(['pandas 1.5 read_csv, parse_dates + infer_datetime_format', pd2]);

  console.log(
    `load: ${ROWS.toLocaleString('en')} rows, ${mb.toFixed(1)} MB OHLCV CSV; best of ${REPEAT} after a warm-up; node ${process.version}; load average ${loadavg()
      .map((v) => v.toFixed(1))
      .join(' ')}`,
  );
  const w = Math.max(...results.map(([n]) => n.length));
  console.log(
    `${'method'.padEnd(w)}  ${'CPU ms'.padStart(8)}  ${'wall ms'.padStart(8)}  ${'CPU vs load()'.padStart(13)}`,
  );
  for (const [n, [c, wall]] of results)
    console.log(
      `${n.padEnd(w)}  ${c.toFixed(0).padStart(8)}  ${wall.toFixed(0).padStart(8)}  ${(c / results[0][1][0]).toFixed(1).padStart(12)}x`,
    );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
