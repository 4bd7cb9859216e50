/**
 * Rolling Spearman by rank updates (rollingSpearmanComplete) against the brute force that
 * re-ranks every window (average ranks, scipy.stats.spearmanr's definition) on random data with
 * many ties and gaps: fast-check draws the values, the window and the NaN positions.
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { rollingSpearmanComplete } from '../../../src/market/inference/rollingSpearman';
import { pearsonArrays, rankAverage } from '../../../src/market/stats';

function bruteForce(x: Float64Array, y: Float64Array, w: number): Float64Array {
  const out = new Float64Array(x.length).fill(NaN);
  for (let i = w - 1; i < x.length; i++) {
    const sx = x.subarray(i - w + 1, i + 1), sy = y.subarray(i - w + 1, i + 1);
    if (sx.some((v) => !Number.isFinite(v)) || sy.some((v) => !Number.isFinite(v))) continue;
    out[i] = pearsonArrays(rankAverage(sx), rankAverage(sy));
  }
  return out;
}

describe('rolling Spearman (rank updates) vs re-ranking every window', () => {
  it('agrees within 1e-12 on random data with ties, gaps and constant stretches', () => {
    // values from a small alphabet (ties everywhere), sometimes NaN, sometimes a constant run
    const value = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: -4, max: 4 }).map((v) => v / 2) },
      { weight: 1, arbitrary: fc.double({ min: -1e3, max: 1e3, noNaN: true }) }, { weight: 1, arbitrary: fc.constant(NaN) });
    fc.assert(fc.property(
      fc.array(fc.tuple(value, value), { minLength: 1, maxLength: 160 }), fc.integer({ min: 2, max: 40 }),
      (pairs, w) => {
        const x = Float64Array.from(pairs, (p) => p[0]), y = Float64Array.from(pairs, (p) => p[1]);
        const fast = rollingSpearmanComplete(x, y, w), slow = bruteForce(x, y, w);
        for (let i = 0; i < x.length; i++) {
          if (Number.isNaN(slow[i])) assert.ok(Number.isNaN(fast[i]), `window ending ${i}: ours ${fast[i]}, re-ranked NaN`);
          else assert.ok(Math.abs(fast[i] - slow[i]) <= 1e-12, `window ending ${i} (w ${w}): ours ${fast[i]}, re-ranked ${slow[i]}`);
        }
      }), { numRuns: 400, seed: 20261201 });
  });
});
