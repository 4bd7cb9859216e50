/**
 * The book build and the sort it relies on, against independent references: a comparator
 * sort, and the rejection sampler that the direct survivorship sampling replaced (drawn here
 * from scratch: day by weight, price uniform in the day's range, redraw until the position
 * survives the rest of the path).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildBook, liquidationPrice, type PathArrays } from '../../../src/market/cascade';
import { argsortFloat64 } from '../../../src/market/ranks';
import { mulberry32 } from '../../../src/market/cascade/rng';

function btcPath(from: string, to: string): PathArrays & { time: string[] } {
  const [head, ...lines] = readFileSync(join(__dirname, '../../../samples/data/BTC-USD.csv'), 'utf8')
    .trim()
    .split(/\r?\n/);
  const cols = head.split(',');
  const rows = lines.map((l) => l.split(',')).filter((f) => f[0] >= from && f[0] <= to);
  const col = (n: string) => rows.map((f) => +f[cols.indexOf(n)]);
  return { time: rows.map((f) => f[0]), open: col('open'), high: col('high'), low: col('low'), close: col('close') };
}

describe('cascade: argsortFloat64', () => {
  const reference = (k: Float64Array, desc: boolean) =>
    Array.from({ length: k.length }, (_, i) => i).sort((a, b) => (desc ? k[b] - k[a] : k[a] - k[b]) || a - b);
  it('equals a stable comparator sort: wide ranges, signs, zeros, ties, keys closer than Float32 resolution', () => {
    const rnd = mulberry32(4);
    const cases: Float64Array[] = [
      Float64Array.from({ length: 5000 }, () => (rnd() - 0.5) * 10 ** Math.floor(rnd() * 12 - 6)),
      Float64Array.from({ length: 5000 }, () => Math.floor(rnd() * 20)), // many ties
      Float64Array.from({ length: 5000 }, () => 90_000 * (1 + 1e-12 * Math.floor(rnd() * 1000))), // all equal in Float32
      Float64Array.from({ length: 300 }, () => 100 + rnd()),
    ];
    // (no -0: the comparator ties it with 0, the bit sort puts it first)
    cases[0][3] = 0;
    cases[0][4] = 0;
    cases[0][5] = 1e300;
    cases[0][6] = -1e300;
    for (const k of cases)
      for (const desc of [false, true]) assert.deepEqual(Array.from(argsortFloat64(k, desc)), reference(k, desc));
  });
  it('sorts a subset', () => {
    const k = Float64Array.from([5, 1, 4, 2, 3, 0]);
    assert.deepEqual(Array.from(argsortFloat64(k, true, Uint32Array.from([0, 2, 4, 5]))), [0, 2, 4, 5]);
    assert.deepEqual(Array.from(argsortFloat64(k, false, Uint32Array.from([0, 1, 2, 3]))), [1, 3, 2, 0]);
  });
});

describe('cascade: buildBook survivorship sampling', () => {
  const path = btcPath('2025-08-01', '2025-10-09');
  const T = path.close.length;
  it('every position survives the rest of its build path, and the book is stored in sweep order', () => {
    const book = buildBook({ path, totalOI: 1e9, count: 20_000, leverageMix: { 5: 0.3, 25: 0.4, 100: 0.3 }, seed: 3 });
    const day = new Map(path.time.map((d, t) => [Date.parse(d + 'T00:00:00Z'), t]));
    for (let i = 0; i < book.n; i++) {
      const d = day.get(book.opened[i])!;
      assert.ok(
        d !== undefined && book.entry[i] >= path.low![d] && book.entry[i] <= path.high![d],
        `position ${i} entry within its day`,
      );
      for (let t = d + 1; t < T; t++)
        assert.ok(
          book.side[i] === 1 ? book.liq[i] < path.low![t] : book.liq[i] > path.high![t],
          `position ${i} would have been liquidated on day ${t}`,
        );
      if (i > 0 && book.side[i] === book.side[i - 1])
        assert.ok(book.side[i] === 1 ? book.liq[i] <= book.liq[i - 1] : book.liq[i] >= book.liq[i - 1]);
    }
  });
  it('draws entry days and prices with the distribution of the rejection sampler it replaced', function () {
    // one leverage, one side, one tier: 50x longs of $10k (m 0.4%)
    const L = 50,
      m = 0.004,
      N = 20_000;
    this.timeout(20_000);
    const book = buildBook({
      path,
      totalOI: 10_000 * N,
      count: N,
      leverageMix: { [L]: 1 },
      longShare: 1,
      sizeSigma: 1e-9,
      seed: 11,
    });
    assert.ok(book.mmr.every((v) => v === m));
    // the rejection sampler, from scratch
    const sufLow = new Float64Array(T).fill(Infinity);
    for (let t = T - 2; t >= 0; t--) sufLow[t] = Math.min(sufLow[t + 1], path.low![t + 1]);
    const rnd = mulberry32(12);
    const refDays: number[] = [],
      refPos: number[] = [];
    while (refDays.length < N) {
      const d = Math.floor(rnd() * T),
        e = path.low![d] + rnd() * (path.high![d] - path.low![d]);
      if (liquidationPrice('long', e, L, m) < sufLow[d]) {
        refDays.push(d);
        refPos.push((e - path.low![d]) / (path.high![d] - path.low![d]));
      }
    }
    const day = new Map(path.time.map((d, t) => [Date.parse(d + 'T00:00:00Z'), t]));
    const ourDays = Array.from(book.opened, (t) => day.get(t)!);
    const ourPos = Array.from(
      book.entry,
      (e, i) => (e - path.low![ourDays[i]]) / (path.high![ourDays[i]] - path.low![ourDays[i]]),
    );
    // total variation distance between the two histograms (weeks; price position in deciles)
    const tv = (a: number[], b: number[], bins: number, f: (v: number) => number) => {
      const ha = new Float64Array(bins),
        hb = new Float64Array(bins);
      for (const v of a) ha[f(v)] += 1 / a.length;
      for (const v of b) hb[f(v)] += 1 / b.length;
      return ha.reduce((s, v, k) => s + Math.abs(v - hb[k]), 0) / 2;
    };
    const weeks = Math.ceil(T / 7);
    // both samples are random: with 20,000 draws each the distance is ~0.01 by chance
    assert.ok(tv(ourDays, refDays, weeks, (d) => Math.floor(d / 7)) < 0.03, 'entry weeks');
    assert.ok(tv(ourPos, refPos, 10, (p) => Math.min(9, Math.floor(p * 10))) < 0.03, 'entry price within the day');
    // high leverage survives only on recent days: most of the mass in the last two weeks, both ways
    const late = (ds: number[]) => ds.filter((d) => d >= T - 14).length / ds.length;
    assert.ok(
      Math.abs(late(ourDays) - late(refDays)) < 0.02 && late(refDays) > 0.3,
      `late share ${late(ourDays)} vs ${late(refDays)}`,
    );
  });
});
