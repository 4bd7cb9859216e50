import { strict as assert } from 'node:assert';
import { decimateSeries, lttbIndices, minMaxIndices } from '../../../src/market/plot/decimate';

/** A deterministic noisy walk with one big spike and one big dip in the middle of buckets. */
function walk(n: number): { x: Float64Array; y: Float64Array; iMax: number; iMin: number } {
  const x = new Float64Array(n),
    y = new Float64Array(n);
  let v = 100,
    seed = 7;
  for (let i = 0; i < n; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    v += seed / 2147483648 - 0.5;
    x[i] = Date.UTC(2020, 0, 1) + i * 60_000;
    y[i] = v;
  }
  const iMax = Math.floor(n * 0.3137),
    iMin = Math.floor(n * 0.7771);
  y[iMax] = 1e4;
  y[iMin] = -1e4;
  return { x, y, iMax, iMin };
}

describe('plot decimation', () => {
  it('LTTB keeps at most the threshold, the end points, and the global extremes', () => {
    const { x, y, iMax, iMin } = walk(100_003);
    const idx = lttbIndices(x, y, 2000);
    assert.ok(idx.length <= 2000, `kept ${idx.length}`);
    assert.ok(idx.length >= 1990);
    assert.equal(idx[0], 0);
    assert.equal(idx[idx.length - 1], y.length - 1);
    assert.ok(idx.includes(iMax), 'global max kept');
    assert.ok(idx.includes(iMin), 'global min kept');
    for (let k = 1; k < idx.length; k++) assert.ok(idx[k] > idx[k - 1], 'strictly increasing');
  });

  it('LTTB keeps extremes that the triangle rule would drop', () => {
    // a plateau with a tiny global max next to a large jump: plain LTTB picks the jump's point
    const n = 1000;
    const x = Float64Array.from({ length: n }, (_, i) => i);
    const y = Float64Array.from({ length: n }, (_, i) => (i % 50 === 0 ? 10 : 0));
    y[501] = 10.5; // the global max, one step from a spike that wins its bucket
    y[777] = -0.1; // the global min, on a flat stretch
    const idx = lttbIndices(x, y, 50);
    assert.ok(idx.includes(501) && idx.includes(777));
    assert.ok(idx.length <= 50);
  });

  it('returns everything when under the threshold', () => {
    assert.deepEqual(lttbIndices([0, 1, 2], [5, 6, 7], 10), [0, 1, 2]);
  });

  it('min/max buckets keep every bucket extreme', () => {
    const y = Float64Array.from({ length: 10_000 }, (_, i) => Math.sin(i / 7) + (i === 4321 ? 50 : 0));
    const idx = minMaxIndices(y, 100);
    assert.ok(idx.length <= 202);
    assert.ok(idx.includes(4321));
    for (let b = 0; b < 100; b++) {
      const s = b * 100,
        e = s + 100;
      let iMax = s;
      for (let j = s; j < e; j++) if (y[j] > y[iMax]) iMax = j;
      assert.ok(idx.includes(iMax), `bucket ${b} max`);
    }
  });

  it('keeps gaps of missing values as null points and drops leading NaNs', () => {
    const n = 20_000;
    const x = Float64Array.from({ length: n }, (_, i) => i);
    const y = Float64Array.from({ length: n }, (_, i) =>
      i < 30 || (i >= 10_000 && i < 10_050) ? NaN : Math.cos(i / 100),
    );
    const d = decimateSeries(x, y, 1000);
    assert.ok(d.decimated);
    assert.ok(d.x.length <= 1000);
    const nulls = d.y.filter((v) => v === null).length;
    assert.equal(nulls, 1, 'one gap in the middle');
    assert.notEqual(d.y[0], null);
    assert.ok(d.x[0] >= 30);
    const gapAt = d.y.indexOf(null);
    assert.ok(d.x[gapAt - 1] < 10_000 && d.x[gapAt + 1] >= 10_050);
  });

  it('does not decimate short series but still marks gaps', () => {
    const d = decimateSeries([1, 2, 3, 4], [1, NaN, 3, 4], 100);
    assert.equal(d.decimated, false);
    assert.deepEqual(d.y, [1, null, 3, 4]);
  });
});
