import { strict as assert } from 'node:assert';
import {
  align,
  beta,
  corr,
  corrMatrix,
  crossCorr,
  cumulative,
  drawdown,
  etfFlows,
  eventWindow,
  pctChange,
  rebase,
  resample,
  returns,
  rollingBeta,
  rollingCorr,
  upDownBeta,
  volatility,
  Series,
  Frame,
} from '../../../src/market/index';
import { erfc, rankAverage } from '../../../src/market/stats';
import { DAY_MS } from '../../../src/market/series';
import { argsortFloat64 } from '../../../src/market/stats';
import { DISPLAY, TABLE_MIME, TEXT_MIME, validateTable } from '../../../src/shared/schemas';

const T0 = Date.UTC(2024, 0, 1);
function daily(values: ArrayLike<number>, name = 'x', start = T0): Series {
  return new Series(
    Float64Array.from({ length: values.length }, (_, i) => start + i * DAY_MS),
    Float64Array.from(values),
    name,
  );
}
/** Deterministic pseudo-random numbers in (-0.5, 0.5). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}
/** Direct two-pass correlation of one window (the definition). */
function windowCorr(x: ArrayLike<number>, y: ArrayLike<number>, lo: number, hi: number): number {
  let mx = 0,
    my = 0;
  const n = hi - lo;
  for (let i = lo; i < hi; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxx = 0,
    syy = 0,
    sxy = 0;
  for (let i = lo; i < hi; i++) {
    const a = x[i] - mx,
      b = y[i] - my;
    sxx += a * a;
    syy += b * b;
    sxy += a * b;
  }
  return sxy / Math.sqrt(sxx * syy);
}
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));

describe('analysis: numerical stability', () => {
  it('rollingCorr and rollingBeta keep their digits with 100,000 added to both series and tiny returns', () => {
    const r = rng(7),
      n = 20_000,
      w = 250;
    const x = new Float64Array(n),
      y = new Float64Array(n);
    let px = 100_000,
      py = 100_000;
    for (let i = 0; i < n; i++) {
      const e = r();
      px *= 1 + 1e-7 * e;
      py *= 1 + 1e-7 * (0.6 * e + 0.8 * r());
      x[i] = px;
      y[i] = py;
    }
    const ours = rollingCorr(daily(x), daily(y), w).values;
    const b = rollingBeta(daily(y), daily(x), w).values;
    let worst = 0,
      worstB = 0;
    for (let i = w - 1; i < n; i += 7) {
      worst = Math.max(worst, rel(ours[i], windowCorr(x, y, i - w + 1, i + 1)));
      // beta from the same window: cov/var by two-pass
      let mx = 0,
        my = 0;
      for (let k = i - w + 1; k <= i; k++) {
        mx += x[k];
        my += y[k];
      }
      mx /= w;
      my /= w;
      let sxx = 0,
        sxy = 0;
      for (let k = i - w + 1; k <= i; k++) {
        sxx += (x[k] - mx) ** 2;
        sxy += (x[k] - mx) * (y[k] - my);
      }
      worstB = Math.max(worstB, rel(b[i], sxy / sxx));
    }
    assert.ok(worst < 1e-9, `rolling corr relative error ${worst}`);
    assert.ok(worstB < 1e-9, `rolling beta relative error ${worstB}`);
    // and the naive raw-sum formula really does lose the digits on this data (the trap exists)
    const i = n - 1,
      lo = i - w + 1;
    let sx = 0,
      sy = 0,
      sxx = 0,
      syy = 0,
      sxy = 0;
    for (let k = lo; k <= i; k++) {
      sx += x[k];
      sy += y[k];
      sxx += x[k] * x[k];
      syy += y[k] * y[k];
      sxy += x[k] * y[k];
    }
    const naive = (w * sxy - sx * sy) / Math.sqrt((w * sxx - sx * sx) * (w * syy - sy * sy));
    assert.ok(!(rel(naive, windowCorr(x, y, lo, i + 1)) < 1e-6), `naive formula unexpectedly accurate: ${naive}`);
  });

  it('adding 100,000 to both series changes nothing (values chosen so the shifted data is exact)', () => {
    // multiples of 2^-20 below 2^-9 stay exact when 100,000 (< 2^17) is added: the true
    // correlations and betas of the shifted series are exactly those of the originals
    const r = rng(21),
      n = 20_000,
      w = 250,
      q = 2 ** -20;
    const x = new Float64Array(n),
      y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const e = Math.round(r() * 1000);
      x[i] = e * q;
      y[i] = Math.round(0.5 * e + r() * 800) * q;
    }
    const X = x.map((v) => v + 100_000),
      Y = y.map((v) => v + 100_000);
    for (let i = 0; i < n; i++) assert.ok(X[i] - 100_000 === x[i], `not exact at ${i}`);
    const a = rollingCorr(daily(x), daily(y), w).values,
      A = rollingCorr(daily(X), daily(Y), w).values;
    const b = rollingBeta(daily(y), daily(x), w).values,
      B = rollingBeta(daily(Y), daily(X), w).values;
    const v = volatility(daily(x), w, { annualize: false }).values,
      V = volatility(daily(X), w, { annualize: false }).values;
    let worst = 0;
    for (let i = w - 1; i < n; i++) worst = Math.max(worst, rel(a[i], A[i]), rel(b[i], B[i]), rel(v[i], V[i]));
    assert.ok(worst < 1e-9, `worst relative difference ${worst}`);
    assert.ok(rel(corr(daily(x), daily(y)).r, corr(daily(X), daily(Y)).r) < 1e-12);
    assert.ok(rel(beta(daily(y), daily(x)).beta, beta(daily(Y), daily(X)).beta) < 1e-12);
  });

  it('the complete-data fast path and the general (missing-value) kernel agree', () => {
    const r = rng(9),
      n = 3000,
      w = 50;
    const x = new Float64Array(n),
      y = new Float64Array(n);
    let px = 50_000,
      py = 3_000;
    for (let i = 0; i < n; i++) {
      const e = r();
      px *= 1 + 0.01 * e;
      py *= 1 + 0.01 * (0.7 * e + 0.7 * r());
      x[i] = px;
      y[i] = py;
    }
    const xg = x.slice();
    xg[2500] = NaN; // forces the general kernel for the whole series
    const fast = rollingCorr(daily(x), daily(y), w).values,
      gen = rollingCorr(daily(xg), daily(y), w).values;
    const fb = rollingBeta(daily(y), daily(x), w).values,
      gb = rollingBeta(daily(y), daily(xg), w).values;
    const fv = volatility(daily(x), w, { annualize: false }).values,
      gv = volatility(daily(xg), w, { annualize: false }).values;
    for (let i = 0; i < n; i++) {
      const hit = i >= 2500 && i < 2500 + w;
      if (i < w - 1 || hit) {
        assert.ok(Number.isNaN(gen[i]) && Number.isNaN(gb[i]) && Number.isNaN(gv[i]), `NaN expected at ${i}`);
        continue;
      }
      // correlations near zero: compare absolutely (both are within ~1e-13 of the exact value)
      assert.ok(
        Math.abs(fast[i] - gen[i]) < 1e-12 && rel(fb[i], gb[i]) < 1e-10 && rel(fv[i], gv[i]) < 1e-11,
        `at ${i}: ${fast[i]} ${gen[i]} / ${fb[i]} ${gb[i]} / ${fv[i]} ${gv[i]}`,
      );
      if (i % 97 === 0) assert.ok(Math.abs(fast[i] - windowCorr(x, y, i - w + 1, i + 1)) < 1e-12);
    }
  });

  it('rollingCorr: constant stretches inside complete data give NaN exactly where a window is constant, as the general kernel', () => {
    const r = rng(11),
      n = 4000,
      w = 40;
    const x = Float64Array.from({ length: n }, () => 100 + r()),
      y = Float64Array.from(x, (v) => 0.5 * v + r());
    x.fill(101.25, 1000, 1100); // constant x for 100 points: the windows inside it are constant
    y.fill(-3, 2990, 3030); // constant y for exactly one window
    const xg = x.slice();
    xg[n - 1] = NaN; // the general kernel everywhere
    const fast = rollingCorr(daily(x), daily(y), w).values,
      gen = rollingCorr(daily(xg), daily(y), w).values;
    for (let i = w - 1; i < n - 1; i++) {
      const constant = (i - w + 1 >= 1000 && i < 1100) || (i - w + 1 >= 2990 && i < 3030);
      if (constant) {
        assert.ok(Number.isNaN(fast[i]) && Number.isNaN(gen[i]), `NaN expected at ${i}: ${fast[i]}`);
        continue;
      }
      // both kernels against the definition (right after a constant stretch a window has few digits of variance: ~1e-12 from either)
      const exact = windowCorr(x, y, i - w + 1, i + 1);
      assert.ok(
        Math.abs(fast[i] - exact) < 1e-10 && Math.abs(gen[i] - exact) < 1e-10,
        `at ${i}: ${fast[i]} ${gen[i]} ${exact}`,
      );
    }
  });

  it('two series on equal but separate indexes need no join (also +0 against -0); different ones are joined', () => {
    const idx = Float64Array.from({ length: 500 }, (_, i) => i * DAY_MS),
      idx2 = idx.slice();
    idx2[0] = -0;
    const r = rng(5),
      a = new Series(
        idx,
        Float64Array.from(idx, () => r()),
        'a',
      ),
      b = new Series(
        idx2,
        Float64Array.from(idx, () => r()),
        'b',
      );
    const rc = rollingCorr(a, b, 20);
    assert.equal(rc.length, 500);
    assert.equal(rc.index, a.index, "the first series' index, not a joined copy");
    assert.equal((rc.meta.alignment as { how: string }).how, 'none');
    const shifted = new Series(
      Float64Array.from(idx, (t) => t + DAY_MS),
      b.values,
      'c',
    );
    const joined = rollingCorr(a, shifted, 20);
    assert.equal(joined.length, 499);
    assert.equal((joined.meta.alignment as { how: string }).how, 'inner');
  });

  it('rollingCorr equals the per-window definition on returns, with a long series and a big window', () => {
    const r = rng(3),
      n = 5000,
      w = 1440;
    const x = Float64Array.from({ length: n }, () => r()),
      y = Float64Array.from(x, (v) => 0.3 * v + r());
    const ours = rollingCorr(daily(x), daily(y), w).values;
    for (let i = 0; i < w - 1; i++) assert.ok(Number.isNaN(ours[i]));
    for (let i = w - 1; i < n; i += 13) assert.ok(rel(ours[i], windowCorr(x, y, i - w + 1, i + 1)) < 1e-12, `at ${i}`);
  });

  it('argsortFloat64 / rankAverage (radix path for long columns) agree with a comparison sort, ties averaged', () => {
    const r = rng(5);
    const gens = [
      () => r() * 1e6,
      () => Math.round(r() * 10),
      () => 1 + r() * 1e-12,
      () => (r() < 0.5 ? -0 : 0) + Math.round(r() * 3),
      () => r() * 1e-300,
      () => -r() * 1e300,
    ];
    for (const gen of gens) {
      const v = Float64Array.from({ length: 6000 }, gen);
      const o = argsortFloat64(v);
      for (let i = 1; i < v.length; i++) assert.ok(v[o[i]] >= v[o[i - 1]], `unsorted at ${i}`);
      assert.equal(new Set(o).size, v.length);
      const rk = rankAverage(v),
        sorted = v.slice().sort();
      for (let i = 0; i < v.length; i += 37) {
        let lo = 0,
          hi = 0;
        for (const x of sorted) {
          if (x < v[i]) lo++;
          if (x <= v[i]) hi++;
        }
        assert.equal(rk[i], (lo + 1 + hi) / 2);
      }
    }
  });

  it('erfc is accurate in the tails (p-values of strong correlations)', () => {
    // known values: erfc(0.5), erfc(1), erfc(3), erfc(10)
    assert.ok(rel(erfc(0.5), 0.4795001221869534) < 1e-14);
    assert.ok(rel(erfc(1), 0.15729920705028513) < 1e-14);
    assert.ok(rel(erfc(3), 2.209049699858544e-5) < 1e-13);
    assert.ok(rel(erfc(10), 2.088487583762545e-45) < 1e-13);
    assert.ok(rel(erfc(-1), 1.8427007929497148) < 1e-15);
  });
});

describe('analysis: NaN rules', () => {
  it('the first window-1 points are NaN; a window longer than the data gives only NaN', () => {
    const a = daily([1, 2, 4, 3, 5, 7]),
      b = daily([2, 1, 3, 5, 4, 8]);
    const r = rollingCorr(a, b, 3).values;
    assert.ok(Number.isNaN(r[0]) && Number.isNaN(r[1]) && Number.isFinite(r[2]));
    assert.ok(Array.from(rollingCorr(a, b, 10).values).every(Number.isNaN));
    assert.ok(Array.from(rollingBeta(a, b, 10).values).every(Number.isNaN));
    assert.ok(Array.from(volatility(a, 10, { annualize: 252 }).values).every(Number.isNaN));
  });

  it('a missing value makes every window containing it NaN (pandas min_periods = window); minPeriods lowers that', () => {
    const a = daily([1, 2, NaN, 3, 5, 7, 6, 8]),
      b = daily([2, 1, 3, 5, 4, 8, 9, 7]);
    const r = rollingCorr(a, b, 3).values;
    assert.deepEqual(
      Array.from(r, (v) => Number.isNaN(v)),
      [true, true, true, true, true, false, false, false],
    );
    const m = rollingCorr(a, b, 3, { minPeriods: 2 }).values;
    // with minPeriods 2, windows with two complete pairs count (pandas rolling(3, min_periods=2))
    assert.ok(Number.isNaN(m[0]) && Array.from(m).slice(1).every(Number.isFinite));
    assert.ok(Math.abs(m[4] - windowCorr([3, 5], [5, 4], 0, 2)) < 1e-12); // the pairs (3,5), (5,4) around the gap
  });

  it('a series that starts later: pairs exist only from its first date (inner); corr counts only complete pairs', () => {
    const a = daily([1, 2, 3, 5, 4, 6, 8, 7]);
    const b = daily([3, 1, 4, 1, 5], 'y', T0 + 3 * DAY_MS);
    const c = corr(a, b);
    assert.equal(c.n, 5);
    assert.equal(c.alignment.from, '2024-01-04');
    const r = rollingCorr(a, b, 3);
    assert.equal(r.length, 5);
    assert.equal(r.dates()[0], '2024-01-04');
    const withNaN = corr(daily([1, 2, NaN, 4, 5, 7]), daily([2, 1, 3, NaN, 6, 5]));
    assert.equal(withNaN.n, 4);
    assert.equal(withNaN.alignment.n, 4);
  });

  it('zero variance gives NaN, never Infinity', () => {
    const flat = daily([5, 5, 5, 5, 5, 5]),
      moving = daily([1, 3, 2, 5, 4, 6]);
    const c = corr(flat, moving);
    assert.ok(Number.isNaN(c.r) && Number.isNaN(c.p) && Number.isNaN(c.ci[0]));
    assert.ok(Number.isNaN(corr(flat, moving, { method: 'spearman' }).r));
    assert.ok(Array.from(rollingCorr(flat, moving, 3).values).every(Number.isNaN));
    assert.ok(Array.from(rollingCorr(moving, flat, 3, { method: 'spearman' }).values).every(Number.isNaN));
    const b = beta(moving, flat);
    assert.ok([b.beta, b.alpha, b.r2, b.stderr].every(Number.isNaN));
    assert.ok(Array.from(rollingBeta(moving, flat, 3).values).every(Number.isNaN));
    assert.equal(volatility(flat, 3, { annualize: 252 }).values[5], 0);
    const m = corrMatrix({ a: flat, b: moving });
    assert.ok(Number.isNaN(m.r[0][0]) && Number.isNaN(m.r[0][1]) && m.r[1][1] === 1);
    // a flat stretch inside a moving series: the windows entirely inside it are NaN, the others finite
    const part = daily([1, 2, 7, 7, 7, 7, 3, 9]);
    const rp = rollingCorr(part, daily([2, 1, 3, 5, 4, 8, 6, 7]), 3).values;
    assert.deepEqual(
      Array.from(rp, (v) => (Number.isNaN(v) ? 'NaN' : Number.isFinite(v) ? 'ok' : 'inf')),
      ['NaN', 'NaN', 'ok', 'ok', 'NaN', 'NaN', 'ok', 'ok'],
    );
    // a flat stretch at a huge level (shifted sums): still exactly NaN, not a rounding artefact
    const big = daily([1e5 + 0.1, 1e5 + 0.3, 1e5 + 0.2, 1e5 + 0.2, 1e5 + 0.2, 1e5 + 0.2, 1e5 + 0.2]);
    const rb = rollingCorr(big, daily([1, 2, 3, 4, 5, 6, 7]), 3).values;
    assert.ok(Number.isNaN(rb[4]) && Number.isNaN(rb[5]) && Number.isFinite(rb[2]));
  });

  it('returns: NaN at the start and across missing values, never filled', () => {
    const r = returns(daily([100, 110, NaN, 121]));
    assert.ok(Number.isNaN(r.values[0]) && Number.isNaN(r.values[2]) && Number.isNaN(r.values[3]));
    assert.ok(Math.abs(r.values[1] - 0.1) < 1e-15);
    const c = cumulative(returns(daily([100, 110, 121])));
    assert.ok(Number.isNaN(c.values[0]) && Math.abs(c.values[2] - 0.21) < 1e-15);
    assert.deepEqual(Array.from(rebase(daily([NaN, 50, 75])).values).slice(1), [100, 150]);
  });
});

describe('analysis: semantics', () => {
  it('align: inner keeps common dates, ffill uses the first calendar with as-of values, outer keeps all', () => {
    const btc = daily([1, 2, 3, 4, 5, 6, 7], 'BTC'); // Mon 2024-01-01 .. Sun
    const gld = new Series([T0, T0 + DAY_MS, T0 + 4 * DAY_MS], [10, 11, 14], 'GLD');
    const i = align(btc, gld);
    assert.deepEqual(i.names, ['BTC', 'GLD']);
    assert.equal(i.length, 3);
    const [b, g] = i;
    assert.deepEqual(Array.from(b.values), [1, 2, 5]);
    assert.deepEqual(Array.from(g.values), [10, 11, 14]);
    const f = align(btc, gld, { how: 'ffill' });
    assert.deepEqual(Array.from(f.columns.GLD), [10, 11, 11, 11, 14, 14, 14]);
    const o = align(gld, btc, { how: 'outer' });
    assert.equal(o.length, 7);
    assert.ok(Number.isNaN(o.columns.GLD[2]));
    const rec = align({ A: btc, B: gld });
    assert.deepEqual(rec.names, ['A', 'B']);
    assert.equal((rec.meta.alignment as any).how, 'inner');
    assert.throws(
      () => corr(daily([1, 2, 3], 'a'), daily([1, 2, 3], 'b', T0 + 10 * DAY_MS)),
      /no date in common.*resample/s,
    );
  });

  it('resample: W-FRI labels bins by their Friday, M by the month end; empty bins are NaN', () => {
    // 2024-01-01 is a Monday
    const s = daily(
      Array.from({ length: 40 }, (_, i) => i),
      'x',
    );
    const w = resample(s, 'W-FRI');
    assert.deepEqual(w.dates().slice(0, 3), ['2024-01-05', '2024-01-12', '2024-01-19']);
    assert.deepEqual(Array.from(w.values).slice(0, 3), [4, 11, 18]);
    const m = resample(s, 'M');
    assert.deepEqual(m.dates(), ['2024-01-31', '2024-02-29']);
    assert.deepEqual(Array.from(m.values), [30, 39]);
    const gap = resample(new Series([T0, T0 + 70 * DAY_MS], [1, 2]), 'M');
    assert.deepEqual(gap.dates(), ['2024-01-31', '2024-02-29', '2024-03-31']);
    assert.ok(Number.isNaN(gap.values[1]));
    assert.throws(() => resample(s, 'X' as any), /unknown rule/);
  });

  it('crossCorr: a series that leads by 2 is found at lag +2 with the right words', () => {
    const r = rng(11),
      n = 400;
    const lead = Float64Array.from({ length: n }, () => r());
    const follow = Float64Array.from(lead, (_, i) => (i >= 2 ? lead[i - 2] : 0) + 0.1 * r());
    const c = crossCorr(daily(follow, 'follower'), daily(lead, 'leader'), 4);
    assert.equal(c.best.lag, 2);
    assert.ok(c.best.r > 0.9);
    assert.match(c.leader, /^leader leads follower by 2/);
    const d = crossCorr(daily(lead, 'leader'), daily(follow, 'follower'), 4);
    assert.equal(d.best.lag, -2);
    assert.match(d.leader, /^leader leads follower by 2/);
  });

  it('beta and upDownBeta on constructed data', () => {
    const x = [0.01, -0.02, 0.03, -0.01, 0.02, -0.03, 0.015, -0.005];
    const y = x.map((v) => (v > 0 ? 2 * v : 0.5 * v) + 0.001);
    const ud = upDownBeta(daily(y, 'y'), daily(x, 'x'));
    assert.ok(Math.abs(ud.up.beta - 2) < 1e-12 && Math.abs(ud.down.beta - 0.5) < 1e-12);
    assert.equal(ud.up.n + ud.down.n, 8);
    assert.ok(Math.abs(ud.ratio - 4) < 1e-10);
    const b = beta(
      daily(
        x.map((v) => 3 * v - 0.002),
        'y',
      ),
      daily(x, 'x'),
    );
    assert.ok(Math.abs(b.beta - 3) < 1e-12 && Math.abs(b.alpha + 0.002) < 1e-15 && Math.abs(b.r2 - 1) < 1e-12);
  });

  it('drawdown: depth, peak, trough, recovery', () => {
    const d = drawdown(daily([100, 120, 90, 60, 80, 125, 110], 'p'));
    assert.equal(d.max.depth, 60 / 120 - 1);
    assert.equal(d.max.peak, '2024-01-02');
    assert.equal(d.max.trough, '2024-01-04');
    assert.equal(d.max.recovery, '2024-01-06');
    assert.equal(d.max.daysToRecovery, 4);
    const n = drawdown(daily([100, 90, 95], 'q'));
    assert.equal(n.max.recovery, null);
    assert.equal(drawdown(daily([1, 2, 3])).max.depth, 0);
  });

  it('volatility needs explicit periods and annualises by their square root', () => {
    const r = daily([0.01, -0.02, 0.015, 0.005, -0.01]);
    assert.throws(() => volatility(r, 3, undefined as any), /365.*crypto.*252/);
    const raw = volatility(r, 3, { annualize: false }).values[4];
    const ann = volatility(r, 3, { annualize: 365 }).values[4];
    assert.ok(rel(ann, raw * Math.sqrt(365)) < 1e-15);
  });

  it('eventWindow: day 0 is the next observation when the date is not in the series', () => {
    const s = new Series([T0, T0 + DAY_MS, T0 + 4 * DAY_MS, T0 + 5 * DAY_MS], [100, 110, 99, 104.5], 'S');
    const e = eventWindow(s, '2024-01-03', 1, 1);
    assert.equal(e.eventDate, '2024-01-05');
    assert.deepEqual(e.offsets, [-1, 0, 1]);
    assert.ok(Math.abs(e.eventReturn - (99 / 110 - 1)) < 1e-15);
    assert.ok(Math.abs(e.total - (104.5 / 110 - 1)) < 1e-15);
    assert.throws(() => eventWindow(s, '2024-02-01', 1, 1), /after the last observation/);
    assert.throws(() => eventWindow(s, '2023-12-01', 1, 1), /no observation before/);
  });

  it('etfFlows: average-cost basis and the longest outflow run', () => {
    const flows = daily([100, 50, -30, -20, 0, -10, -5, -1, 10], 'flows');
    const price = daily([10, 20, 25, 30, 30, 40, 40, 40, 50], 'BTC');
    const f = etfFlows(flows, price);
    // 100 at 10 = 10 units, 50 at 20 = 2.5 units: cost 150 for 12.5 units = 12
    assert.ok(Math.abs(f.costBasis.values[1] - 12) < 1e-12);
    // outflows sell at the average cost: the basis stays 12
    assert.ok(Math.abs(f.costBasis.values[3] - 12) < 1e-12);
    assert.equal(f.total, 94);
    assert.deepEqual(f.longestOutflow, { days: 3, total: -16, start: '2024-01-06', end: '2024-01-08' });
    assert.ok(Math.abs(f.premium.values[1] - (20 / 12 - 1)) < 1e-12);
  });

  it('pctChange uses the last observation on or before each date', () => {
    const s = new Series([T0, T0 + 2 * DAY_MS], [100, 150], 'S');
    const p = pctChange(s, '2024-01-02', '2024-01-05');
    assert.equal(p.change, 0.5);
    assert.equal(p.from, '2024-01-01');
    assert.equal(+p, 0.5);
    assert.throws(() => pctChange(s, '2023-01-01', '2024-01-05'), /no value on or before/);
  });

  it('results display as a valid table plus readable text', () => {
    const a = daily([1, 3, 2, 5, 4, 6, 8, 7], 'a'),
      b = daily([2, 1, 4, 3, 6, 5, 7, 9], 'b');
    const fr = new Frame(a.index, { open: a.values, close: b.values }, { name: 'F' });
    for (const res of [
      corr(a, b),
      corrMatrix([a, b]),
      beta(a, b),
      upDownBeta(a, b),
      crossCorr(a, b, 2),
      drawdown(fr),
      eventWindow(a, '2024-01-04', 2, 2),
      etfFlows(a, b),
      pctChange(a, '2024-01-02', '2024-01-05'),
    ] as any[]) {
      const items = res[DISPLAY]();
      assert.equal(items[0].mime, TABLE_MIME);
      assert.deepEqual(validateTable(items[0].data), []);
      assert.equal(items[1].mime, TEXT_MIME);
      assert.ok(String(items[1].data).startsWith(String(res)), `${String(res)}`);
      assert.ok(!String(res).includes('[object'), String(res));
    }
    assert.match(String(corr(a, b)), /^pearson corr\(a, b\) = 0\.\d+ \[95% CI .* n = 8$/);
    assert.equal(drawdown(fr).name, 'F'); // a Frame is used through its close
  });
});
