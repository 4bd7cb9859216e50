// Displaying a huge Frame: the table output of a 10,000,000-row Frame (what a cell shows when
// its last expression is the Frame), side by side with pandas' repr() of a DataFrame of the same
// shape (which also shows only head and tail), in the same run.
//
//   node bench/display.mjs            (bundles src/market with esbuild first, as for cells)
//   ROWS=1000000 node bench/display.mjs
//
// Before issue 11 the Frame built a JS array per row for all 10,000,000 rows (36 s, 4.8 GB);
// now its table makes only the 20 rows it shows. Figures only, no thresholds.
// Python: Debian's /usr/bin/python3 with pandas.
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { bundled } from './bundle.mjs';

const [{ Frame }] = await bundled('display', ['src/market/index.ts']);
const DISPLAY = Symbol.for('mktnb.display');
const ROWS = Number(process.env.ROWS ?? 10_000_000);

const index = new Float64Array(ROWS);
const close = new Float64Array(ROWS),
  volume = new Float64Array(ROWS);
for (let i = 0; i < ROWS; i++) {
  index[i] = Date.UTC(2000, 0, 1) + i * 60_000;
  close[i] = 100 + Math.sin(i / 1000);
  volume[i] = i % 977;
}
const frame = new Frame(index, { close, volume });

const runs = [];
const heap0 = process.memoryUsage().heapUsed;
for (let k = 0; k < 5; k++) {
  const t0 = performance.now();
  const items = frame[DISPLAY]();
  JSON.stringify(items);
  runs.push(performance.now() - t0);
}
const heapMb = (process.memoryUsage().heapUsed - heap0) / 2 ** 20;
runs.sort((a, b) => a - b);

const py = spawnSync(
  '/usr/bin/python3',
  [
    '-c',
    `
import time, numpy as np, pandas as pd
n = ${ROWS}
idx = pd.date_range('2000-01-01', periods=n, freq='min')
df = pd.DataFrame({'close': 100 + np.sin(np.arange(n) / 1000), 'volume': (np.arange(n) % 977).astype(float)}, index=idx)
ts = []
for _ in range(5):
    t0 = time.perf_counter(); repr(df); ts.append(time.perf_counter() - t0)
ts.sort(); print(ts[len(ts) // 2] * 1000)
`,
  ],
  { encoding: 'utf8' },
);
const pandasMs = py.status === 0 ? Number(py.stdout.trim()) : NaN;

console.log(`display of a ${ROWS.toLocaleString('en-US')}-row Frame (3 columns), median of 5`);
console.log(`  mktnb Frame table output: ${runs[2].toFixed(2)} ms  (heap growth ${heapMb.toFixed(1)} MB)`);
console.log(
  `  pandas repr(DataFrame):   ${Number.isFinite(pandasMs) ? pandasMs.toFixed(2) + ' ms' : 'unavailable: ' + (py.stderr || '').split('\n').slice(-2).join(' ')}`,
);
