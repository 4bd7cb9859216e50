// The WebAssembly SIMD passes of complete-data rolling Pearson, beta and covariance
// (src/market/rollingComplete.wat) against the plain-JS passes they replace (bit for bit,
// including which blocks are redone and when the general kernel must take over), and against the
// per-window definitions.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { RollKind, rollingComplete, RESTART } from '../../../src/market/rollingComplete';
import { ROLLING_COMPLETE_WASM } from '../../../src/market/rollingComplete.wasm';
import { WASM_MAX_VALUES } from '../../../src/market/rollingCompleteWasm';

const Corr = RollKind.Corr;
const KINDS = [RollKind.Corr, RollKind.Beta, RollKind.Cov] as const;
const KIND_NAME = ['corr', 'beta', 'cov'];

/** Same bits everywhere (NaN equals NaN), or the first index that differs. */
function sameBits(a: Float64Array, b: Float64Array): number {
  if (a.length !== b.length) return -2;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

/** Both engines, for each statistic (or the one given): the same bits, the same finite count, or both give up. */
function bothEngines(x: Float64Array, y: Float64Array, w: number, kinds: readonly RollKind[] = KINDS): void {
  for (const kind of kinds) {
    const what = `${KIND_NAME[kind]}, n ${x.length}, w ${w}`;
    const js = rollingComplete(x, y, w, kind, 'js');
    const wasm = rollingComplete(x, y, w, kind, 'wasm');
    if (js === null || wasm === null) {
      assert.equal(wasm, js, `${what}: one engine gave up on the data, the other did not`);
      continue;
    }
    const at = sameBits(js.out, wasm.out);
    assert.equal(at, -1, `${what}: first difference at ${at}: js ${js.out[at]}, wasm ${wasm.out[at]}`);
    assert.equal(wasm.finite, js.finite, what);
  }
}

/** The centred sums of squares and cross-products of one window, by two passes (means first). */
function windowSums(x: Float64Array, y: Float64Array, e: number, w: number): { sxx: number; syy: number; sxy: number } {
  let mx = 0,
    my = 0;
  for (let j = e - w + 1; j <= e; j++) {
    mx += x[j];
    my += y[j];
  }
  mx /= w;
  my /= w;
  let sxx = 0,
    syy = 0,
    sxy = 0;
  for (let j = e - w + 1; j <= e; j++) {
    sxx += (x[j] - mx) ** 2;
    syy += (y[j] - my) ** 2;
    sxy += (x[j] - mx) * (y[j] - my);
  }
  return { sxx, syy, sxy };
}

/** Pearson of one window, clamped as the kernels clamp. */
function windowCorr(x: Float64Array, y: Float64Array, e: number, w: number): number {
  const { sxx, syy, sxy } = windowSums(x, y, e, w);
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/**
 * Beta (cov/var of x) and covariance (n - 1) of one window, each with its scale (the value it
 * would have at correlation 1: sd(y)/sd(x) and sd(x)·sd(y)), which errors are measured against,
 * since both pass through 0.
 */
function windowBetaCov(x: Float64Array, y: Float64Array, e: number, w: number): [number, number, number, number] {
  const { sxx, syy, sxy } = windowSums(x, y, e, w);
  return [sxy / sxx, Math.sqrt(syy / sxx), sxy / (w - 1), Math.sqrt(sxx * syy) / (w - 1)];
}

/** A random walk of n prices from a seed (values near `level`, steps of `step`). */
function walk(n: number, seed: number, level = 100, step = 0.01): Float64Array {
  const a = new Float64Array(n);
  let v = level,
    s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    v *= Math.exp((s / 2147483648 - 0.5) * step);
    a[i] = v;
  }
  return a;
}

describe('rolling Pearson, beta and covariance in WebAssembly SIMD (rollingComplete.wat)', () => {
  it('the embedded WebAssembly is the compiled rollingComplete.wat (scripts/wasm.mjs), and this runtime runs it', async () => {
    const { compileWat, WASM_SOURCES } = await import('../../../scripts/wasm.mjs');
    const src = WASM_SOURCES.find((s) => s.name === 'ROLLING_COMPLETE_WASM');
    assert.ok(src, 'scripts/wasm.mjs lists rollingComplete.wat');
    const bytes = await compileWat(src.wat);
    assert.deepEqual(
      Array.from(ROLLING_COMPLETE_WASM),
      Array.from(bytes),
      'rollingComplete.wasm.ts is stale: run node scripts/wasm.mjs',
    );
    // Node 20 has WebAssembly SIMD: 'wasm' must run, not throw
    const x = walk(5000, 1),
      y = walk(5000, 2);
    for (const kind of KINDS) assert.ok(rollingComplete(x, y, 10, kind, 'wasm'));
  });

  it('gives the JS passes bit for bit: random walks, lengths around the pairs of blocks, windows 1..60', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 3000 }),
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        // levels far apart, so that one side's variance is below 1e-13 of the other's sum of squares
        fc.constantFrom(1, 100, 40000, 1e-6),
        fc.constantFrom(1e6, 3, 1e-6),
        (w, n, sx, sy, lx, ly) => bothEngines(walk(n, sx, lx), walk(n, sy, ly, 0.05), w),
      ),
      { numRuns: 300 },
    );
  });

  it('gives the JS passes bit for bit with constant stretches, NaN and ±Infinity in either lane of a pair', () => {
    const w = 5,
      L = RESTART * w;
    // blocks of L outputs start at w - 1; a pair is blocks 2k, 2k+1 (lane 0, lane 1)
    const n = w - 1 + 6 * L + 7;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: n - 1 }),
        fc.integer({ min: 1, max: 3 * w }),
        fc.constantFrom<'flat' | 'nan' | 'inf' | '-inf' | 'huge'>('flat', 'nan', 'inf', '-inf', 'huge'),
        fc.boolean(),
        (at, len, what, inY) => {
          const x = walk(n, 3),
            y = walk(n, 4);
          const t = inY ? y : x;
          for (let i = at; i < Math.min(n, at + len); i++)
            t[i] =
              what === 'flat'
                ? t[at]
                : what === 'nan'
                  ? NaN
                  : what === 'inf'
                    ? Infinity
                    : what === '-inf'
                      ? -Infinity
                      : 1e200;
          bothEngines(x, y, w);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('a constant window in lane 1 only redoes that block: NaN there, exact values elsewhere', () => {
    const w = 8,
      L = RESTART * w,
      n = w - 1 + 4 * L;
    const x = walk(n, 11),
      y = walk(n, 12);
    // block 1 (lane 1 of the first pair): its outputs w-1+L .. w-1+2L-1; make one window flat in x
    const e = w - 1 + L + 5;
    for (let j = e - w + 1; j <= e; j++) x[j] = 100;
    const r = rollingComplete(x, y, w, Corr, 'wasm')!;
    assert.ok(Number.isNaN(r.out[e]), 'the flat window is NaN');
    for (let i = w - 1; i < n; i++) {
      if (i === e) continue;
      const want = windowCorr(x, y, i, w);
      if (Number.isNaN(want)) assert.ok(Number.isNaN(r.out[i]), `${i}`);
      else assert.ok(Math.abs(r.out[i] - want) < 1e-9, `${i}: ${r.out[i]} vs ${want}`);
    }
    assert.equal(r.finite, n - (w - 1) - 1);
    // beta: the same flat x window has no variance (NaN); covariance is defined (0 where x is flat)
    const b = rollingComplete(x, y, w, RollKind.Beta, 'wasm')!;
    assert.ok(Number.isNaN(b.out[e]));
    assert.equal(b.finite, n - (w - 1) - 1);
    bothEngines(x, y, w);
  });

  it('agrees with the two-pass definition of every window on a long walk (10^5 points, w = 250)', () => {
    const n = 100_000,
      w = 250;
    const x = walk(n, 21, 40000, 0.002),
      y = walk(n, 22, 2000, 0.004);
    const r = rollingComplete(x, y, w, Corr)!;
    const b = rollingComplete(x, y, w, RollKind.Beta)!;
    const c = rollingComplete(x, y, w, RollKind.Cov)!;
    let worst = 0,
      worstB = 0,
      worstC = 0;
    for (let i = w - 1; i < n; i += 7) {
      worst = Math.max(worst, Math.abs(r.out[i] - windowCorr(x, y, i, w)));
      const [bb, bScale, cc, cScale] = windowBetaCov(x, y, i, w);
      worstB = Math.max(worstB, Math.abs(b.out[i] - bb) / bScale);
      worstC = Math.max(worstC, Math.abs(c.out[i] - cc) / cScale);
    }
    assert.ok(worst < 1e-9, `corr: max abs difference ${worst}`);
    assert.ok(worstB < 1e-9, `beta: max difference ${worstB} of sd(y)/sd(x)`);
    assert.ok(worstC < 1e-9, `cov: max difference ${worstC} of sd(x)·sd(y)`);
  });

  it('calls in a row share one instance: a larger window grows its memory, a smaller one after it still agrees', () => {
    // w = 20,000: 4.3 MB for a pair of blocks (the memory grows); w = 200,000: 43 MB (an instance of its own)
    for (const [w, n] of [
      [5, 1000],
      [20_000, 20_000 * 9],
      [7, 3000],
      [200_000, 200_000 * 9],
      [5, 1000],
    ]) {
      bothEngines(walk(n, w), walk(n, w + 1), w);
    }
  });

  it("windows too large for the pass: 'auto' runs the JS pass, 'wasm' says why", () => {
    const w = WASM_MAX_VALUES / 2; // 2·L + w - 1 > WASM_MAX_VALUES
    const n = w + 10;
    const x = walk(n, 5),
      y = walk(n, 6);
    for (const kind of KINDS) {
      assert.throws(
        () => rollingComplete(x, y, w, kind, 'wasm'),
        /WebAssembly pass cannot run here.*window of 2097152/,
      );
      const auto = rollingComplete(x, y, w, kind)!,
        js = rollingComplete(x, y, w, kind, 'js')!;
      assert.equal(sameBits(auto.out, js.out), -1);
    }
  });
});
