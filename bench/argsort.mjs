// The library's index sort (src/market/ranks.ts argsortFloat64) against a stable comparator
// sort, on the key shapes the library sorts: shuffled prices (the cascade's liquidation
// prices), returns (Spearman ranks), small-integer ties, and keys closer together than Float32
// resolution (the fallback to the full 4-pass radix). Order checked equal to the comparator's.
//
//   node --import tsx bench/argsort.mjs [n]
//
// Prints timings (median of 5); never asserts on them. Exits 1 if an order differs.
import { argsortFloat64 } from '../src/market/ranks.ts';
import { mulberry32 } from '../src/market/cascade/rng.ts';

const N = Number(process.argv[2] ?? 1_000_000);
const rnd = mulberry32(7);
const shapes = {
  'prices 60k..120k': () => 60_000 + rnd() * 60_000,
  'daily returns': () => (rnd() - 0.5) * 0.1,
  'integer ties 0..19': () => Math.floor(rnd() * 20),
  'within Float32 step': () => 90_000 * (1 + 1e-12 * Math.floor(rnd() * 1000)),
};
const median = (xs) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];
const time = (fn) =>
  median(
    Array.from({ length: 5 }, () => {
      const t = performance.now();
      fn();
      return performance.now() - t;
    }),
  );
const comparator = (k) => Array.from({ length: k.length }, (_, i) => i).sort((a, b) => k[a] - k[b] || a - b);
for (const [name, gen] of Object.entries(shapes)) {
  const k = Float64Array.from({ length: N }, gen);
  const ref = comparator(k);
  const same = argsortFloat64(k).every((x, i) => x === ref[i]);
  if (!same) process.exitCode = 1;
  console.log(
    `${name.padEnd(20)} n=${N.toLocaleString('en')}: ours ${time(() => argsortFloat64(k)).toFixed(1)} ms, reference comparator sort ${time(() => comparator(k)).toFixed(1)} ms, same order: ${same ? 'YES' : 'NO'}`,
  );
}
