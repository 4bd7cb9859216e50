/**
 * Rolling Spearman by rank updates (rollingSpearmanComplete) against the brute force that
 * re-ranks every window (average ranks, scipy.stats.spearmanr's definition) on random data with
 * many ties and gaps: fast-check draws the values, the window and the NaN positions. Both
 * engines (the WebAssembly SIMD pass and the plain-JS one) are checked against it and against
 * each other (bit for bit), and the embedded WebAssembly against its .wat source.
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import {
  rollingSpearmanComplete,
  WASM_MAX_WINDOW,
  type SpearmanEngine,
} from '../../../src/market/inference/rollingSpearman';
import { RANK_STEP_WASM } from '../../../src/market/inference/rollingSpearman.wasm';
import { pearsonArrays, rankAverage } from '../../../src/market/stats';

function bruteForce(x: Float64Array, y: Float64Array, w: number): Float64Array {
  const out = new Float64Array(x.length).fill(NaN);
  for (let i = w - 1; i < x.length; i++) {
    const sx = x.subarray(i - w + 1, i + 1),
      sy = y.subarray(i - w + 1, i + 1);
    if (sx.some((v) => !Number.isFinite(v)) || sy.some((v) => !Number.isFinite(v))) continue;
    out[i] = pearsonArrays(rankAverage(sx), rankAverage(sy));
  }
  return out;
}

function agree(fast: Float64Array, slow: Float64Array, w: number, what: string): void {
  assert.equal(fast.length, slow.length);
  for (let i = 0; i < slow.length; i++) {
    if (Number.isNaN(slow[i]))
      assert.ok(Number.isNaN(fast[i]), `${what}: window ending ${i} (w ${w}): ours ${fast[i]}, re-ranked NaN`);
    else
      assert.ok(
        Math.abs(fast[i] - slow[i]) <= 1e-12,
        `${what}: window ending ${i} (w ${w}): ours ${fast[i]}, re-ranked ${slow[i]}`,
      );
  }
}

// values from a small alphabet (ties everywhere, -0 beside 0), sometimes NaN or ±Infinity
// (missing), sometimes any double: long enough arrays for the ring to wrap many times
const value = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: -4, max: 4 }).map((v) => v / 2) },
  { weight: 1, arbitrary: fc.constantFrom(-0, 0) },
  { weight: 1, arbitrary: fc.double({ min: -1e3, max: 1e3, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity) },
);
const series = fc.array(fc.tuple(value, value), { minLength: 1, maxLength: 400 });
const split = (pairs: [number, number][]) =>
  [Float64Array.from(pairs, (p) => p[0]), Float64Array.from(pairs, (p) => p[1])] as const;

describe('rolling Spearman (rank updates) vs re-ranking every window', () => {
  for (const engine of ['wasm', 'js'] as SpearmanEngine[]) {
    it(`${engine} pass: agrees within 1e-12 on random data with ties, gaps and constant stretches`, () => {
      fc.assert(
        fc.property(series, fc.integer({ min: 2, max: 60 }), (pairs, w) => {
          const [x, y] = split(pairs);
          agree(rollingSpearmanComplete(x, y, w, engine), bruteForce(x, y, w), w, engine);
        }),
        { numRuns: 300, seed: 20261201 },
      );
    });
  }

  it('the WebAssembly and the JS pass give identical outputs (bit for bit)', () => {
    fc.assert(
      fc.property(series, fc.integer({ min: 2, max: 100 }), (pairs, w) => {
        const [x, y] = split(pairs);
        const a = rollingSpearmanComplete(x, y, w, 'wasm'),
          b = rollingSpearmanComplete(x, y, w, 'js');
        for (let i = 0; i < x.length; i++)
          assert.ok(Object.is(a[i], b[i]), `w ${w}, window ending ${i}: wasm ${a[i]}, js ${b[i]}`);
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('at the largest WebAssembly window (its i16 ranks and lane sums at their limits) both passes agree with re-ranking', () => {
    // few distinct values (long tie groups) and a random walk; a gap restarts the ring
    const w = WASM_MAX_WINDOW,
      n = w + 300;
    let s = 99;
    const r = () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 2 ** 32;
    };
    const x = new Float64Array(n),
      y = new Float64Array(n);
    let p = 0;
    for (let i = 0; i < n; i++) {
      p += r() - 0.5;
      x[i] = p;
      y[i] = Math.floor(r() * 5) + (i > n - 150 ? 0.5 * p : 0);
    }
    y[w + 100] = NaN;
    const a = rollingSpearmanComplete(x, y, w, 'wasm'),
      b = rollingSpearmanComplete(x, y, w, 'js');
    for (let i = 0; i < n; i++) assert.ok(Object.is(a[i], b[i]), `window ending ${i}: wasm ${a[i]}, js ${b[i]}`);
    // and against re-ranking each of its ~300 complete windows
    const slow = bruteForce(x, y, w);
    assert.ok(slow.filter((v) => !Number.isNaN(v)).length > 100);
    agree(a, slow, w, 'wasm');
  });

  it('windows beyond the WebAssembly limit take the JS pass (auto) or are refused by name (wasm)', () => {
    const w = WASM_MAX_WINDOW + 1,
      n = w + 20;
    const x = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 0.37)),
      y = Float64Array.from({ length: n }, (_, i) => Math.round(Math.cos(i * 0.11) * 3));
    agree(rollingSpearmanComplete(x, y, w), bruteForce(x, y, w), w, 'auto');
    assert.throws(
      () => rollingSpearmanComplete(x, y, w, 'wasm'),
      /WebAssembly pass takes windows up to 16383 \(got 16384\)/,
    );
  });

  it('the embedded WebAssembly is the compiled rollingSpearman.wat (scripts/wasm.mjs), and this runtime runs it', async () => {
    const { compileWat, WASM_SOURCES } = await import('../../../scripts/wasm.mjs');
    const src = WASM_SOURCES.find((s) => s.name === 'RANK_STEP_WASM');
    assert.ok(src, 'scripts/wasm.mjs lists rollingSpearman.wat');
    const bytes = await compileWat(src.wat);
    assert.deepEqual(
      Array.from(RANK_STEP_WASM),
      Array.from(bytes),
      'rollingSpearman.wasm.ts is stale: run node scripts/wasm.mjs',
    );
    // Node 20 (the kernel's runtime) has WebAssembly SIMD: 'auto' must not fall back silently
    assert.ok(
      (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly.validate(
        RANK_STEP_WASM,
      ),
    );
  });
});
