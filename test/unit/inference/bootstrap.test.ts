/**
 * bootstrap(): deterministic per seed, block resampling shapes, and coverage of the 95%
 * interval over 400 seeded simulations of a statistic whose true value is known.
 */
import { strict as assert } from 'node:assert';
import { bootstrap, Series } from '../../../src/market/index';
import { resampleIndices } from '../../../src/market/inference/bootstrap';
import { mulberry32, normals } from '../../../src/market/cascade/rng';

const DAY = 86_400_000;
function sample(n: number, seed: number, mu = 0): Series {
  const g = normals(mulberry32(seed));
  return new Series(
    Float64Array.from({ length: n }, (_, i) => i * DAY),
    Float64Array.from({ length: n }, () => mu + g()),
    'x',
  );
}
const mean = (s: Series) => {
  let t = 0;
  const v = s.values;
  for (let i = 0; i < v.length; i++) t += v[i];
  return t / v.length;
};

describe('bootstrap', () => {
  it('gives the same interval for the same seed and a different one for another seed', () => {
    const x = sample(200, 3);
    const a = bootstrap(mean, x, { seed: 11, reps: 500 }),
      b = bootstrap(mean, x, { seed: 11, reps: 500 }),
      c = bootstrap(mean, x, { seed: 12, reps: 500 });
    assert.deepEqual(a.ci, b.ci);
    assert.deepEqual(Array.from(a.replicates), Array.from(b.replicates));
    assert.notDeepEqual(a.ci, c.ci);
    assert.equal(a.estimate, mean(x));
  });

  it('circular blocks are runs of consecutive rows (wrapping); stationary runs have mean length ≈ block', () => {
    const r = mulberry32(5);
    const idx = resampleIndices(100, 'circular', 10, r);
    for (let i = 0; i < 100; i++) if (i % 10) assert.equal(idx[i], (idx[i - 1] + 1) % 100);
    const st = resampleIndices(100_000, 'stationary', 8, r);
    let breaks = 0;
    for (let i = 1; i < st.length; i++) if (st[i] !== (st[i - 1] + 1) % 100_000) breaks++;
    const meanLen = st.length / (breaks + 1);
    assert.ok(meanLen > 7.5 && meanLen < 8.5, `mean block ${meanLen}`);
  });

  it('BCa only for iid; block methods give percentile intervals', () => {
    const x = sample(120, 9);
    assert.ok(bootstrap(mean, x, { method: 'iid', reps: 400 }).bca);
    assert.equal(bootstrap(mean, x, { method: 'stationary', reps: 400 }).bca, null);
  });

  it('the 95% interval of a mean covers the true mean in 93-97% of 400 seeded simulations (iid percentile, iid BCa, stationary)', function () {
    this.timeout(60_000);
    for (const method of ['iid', 'stationary'] as const) {
      let cover = 0,
        coverBca = 0;
      for (let s = 0; s < 400; s++) {
        const x = sample(100, 1000 + s, 0.3);
        const b = bootstrap(mean, x, { method, reps: 499, seed: s + 1, block: 4 });
        if (b.ci[0] <= 0.3 && 0.3 <= b.ci[1]) cover++;
        if (b.bca && b.bca[0] <= 0.3 && 0.3 <= b.bca[1]) coverBca++;
      }
      console.log(`      ${method}: percentile ${cover}/400${method === 'iid' ? `, BCa ${coverBca}/400` : ''}`);
      assert.ok(cover >= 372 && cover <= 388, `${method} percentile coverage ${cover}/400`);
      if (method === 'iid') assert.ok(coverBca >= 372 && coverBca <= 388, `BCa coverage ${coverBca}/400`);
    }
  });

  it('rejects bad options with a clear message', () => {
    const x = sample(50, 1);
    assert.throws(
      () => bootstrap(mean, x, { method: 'moving' as any }),
      /method must be 'stationary', 'circular' or 'iid'/,
    );
    assert.throws(() => bootstrap(mean, x, { reps: 3 }), /reps must be an integer >= 10/);
    assert.throws(() => bootstrap(mean, x, { block: 0 }), /block must be an integer in 1..50/);
    assert.throws(() => (bootstrap as any)(x), /first argument must be a function/);
  });
});
