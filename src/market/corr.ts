/**
 * Correlation: corr, rollingCorr (corrMatrix is corrMatrix.ts; crossCorr, the lead/lag profile, is crossCorr.ts).
 * Inputs are used as given (prices or returns: correlate returns(x) to compare daily moves;
 * price levels of trending assets correlate spuriously). Pairs are aligned first (default
 * 'inner') and a pair counts only when both values are finite.
 */
import { DISPLAY, type OutputItem } from '../shared/schemas';
import { Series, type AlignmentInfo } from './series';
import { alignPair, type AlignHow, type SeriesLike } from './align';
import { alignmentOf, alignmentOfFinite } from './alignment';
import { pearsonP, spearmanP } from './inference/distributions';
import { rollingSpearmanComplete } from './inference/rollingSpearman';
import {
  checkMinPeriods,
  checkWindow,
  completePairs,
  fisher,
  fmt,
  numOrNull,
  pearsonArrays,
  pearsonIfComplete,
  rankAverage,
  resultOutputs,
  rollingStats,
  RollKind,
} from './stats';

export type CorrMethod = 'pearson' | 'spearman';
export interface CorrOptions {
  method?: CorrMethod;
  how?: AlignHow;
}

/** Result of corr(): plain numeric fields. */
export class CorrResult {
  constructor(
    /** correlation coefficient (NaN when a variance is zero or n < 2) */
    public r: number,
    /** number of complete pairs used */
    public n: number,
    /** 95% confidence interval (Fisher z, an approximation: tanh(atanh r ± 1.96/√(n-3)); NaN when n < 4) */
    public ci: [number, number],
    /** two-sided p-value of r = 0: Student-t with n-2 df, as scipy.stats.pearsonr (Pearson) and spearmanr (Spearman) */
    public p: number,
    public method: CorrMethod,
    /** names of the two inputs */
    public a: string,
    public b: string,
    public alignment: AlignmentInfo,
  ) {}
  valueOf(): number {
    return this.r;
  }
  toString(): string {
    return `${this.method} corr(${this.a}, ${this.b}) = ${fmt(this.r)} [95% CI ${fmt(this.ci[0])} .. ${fmt(this.ci[1])} (Fisher z)], p = ${fmt(this.p, 3)} (t test, n-2 df), n = ${this.n}`;
  }
  [DISPLAY](): OutputItem[] {
    return resultOutputs(
      this.toString(),
      [
        { name: 'method', type: 'string' },
        { name: 'r', type: 'number', digits: 4 },
        { name: 'ci_low', type: 'number', digits: 4 },
        { name: 'ci_high', type: 'number', digits: 4 },
        { name: 'p', type: 'number' },
        { name: 'n', type: 'number' },
      ],
      [[this.method, numOrNull(this.r), numOrNull(this.ci[0]), numOrNull(this.ci[1]), numOrNull(this.p), this.n]],
      `corr(${this.a}, ${this.b})`,
      this.alignment,
      [
        `ci: Fisher z approximation; p: two-sided t test with n-2 df (scipy.stats.${this.method === 'pearson' ? 'pearsonr' : 'spearmanr'}), which assumes independent pairs`,
      ],
    );
  }
}

export function checkMethod(fn: string, m: string): CorrMethod {
  if (m !== 'pearson' && m !== 'spearman')
    throw new RangeError(`${fn}: method must be 'pearson' or 'spearman', got ${JSON.stringify(m)}`);
  return m;
}

/**
 * corr(a, b, { method, how }): the correlation of the aligned complete pairs,
 * Pearson r = Σ(a-ā)(b-b̄) / √(Σ(a-ā)² Σ(b-b̄)²) (Spearman: Pearson of the average ranks), with n,
 * a 95% CI tanh(atanh r ± 1.96/√(n-3)) (Fisher z) and the two-sided p-value of r = 0 (Student-t
 * with n-2 df). Correlate returns, not prices: trending price levels correlate spuriously.
 * pandas: `a.corr(b, method=...)`; scipy: `scipy.stats.pearsonr(a, b)` / `spearmanr(a, b)` (r and p).
 * @param a a Series, or a Frame (its close)
 * @param b the other one
 * @param options method 'pearson' (default) or 'spearman'; how the calendars are aligned (default 'inner')
 * @returns a CorrResult (r, n, ci, p, alignment); it compares and prints as r
 * @example
 * const gdx = returns(load('data/GDX.csv')), gld = returns(load('data/GLD.csv'))
 * corr(gdx, gld) // => {"r": 0.815804822949, "n": 540, "p": 4.7186039380e-130, "ci": [0.785497458943, 0.842208449583]}
 * corr(gdx, gld, { method: 'spearman' }) // => {"r": 0.800507317891, "n": 540, "p": 1.0330290788e-121}
 */
export function corr(a: SeriesLike, b: SeriesLike, options: CorrOptions = {}): CorrResult {
  const method = checkMethod('corr', options.method ?? 'pearson');
  const P = alignPair(a, b, options.how, 'corr');
  if (method === 'pearson') {
    const r = pearsonIfComplete(P.x, P.y);
    if (r !== undefined) {
      const n = P.x.length,
        { ci } = fisher(r, n),
        p = pearsonP(r, n);
      return new CorrResult(r, n, ci, p, method, P.a.name, P.b.name, alignmentOf(P.how, P.index));
    }
  }
  const { x, y, mask } = completePairs(P.x, P.y);
  const r = method === 'pearson' ? pearsonArrays(x, y) : pearsonArrays(rankAverage(x), rankAverage(y));
  const { ci } = fisher(r, x.length),
    p = method === 'pearson' ? pearsonP(r, x.length) : spearmanP(r, x.length);
  return new CorrResult(
    r,
    x.length,
    ci,
    p,
    method,
    P.a.name,
    P.b.name,
    alignmentOf(P.how, P.index, mask ? (i) => mask[i] === 1 : undefined),
  );
}

export interface RollingCorrOptions {
  method?: CorrMethod;
  how?: AlignHow;
  /** complete pairs needed in a window (default: the window) */ minPeriods?: number;
}

/**
 * rollingCorr(a, b, window, { method }): the correlation (see corr) over each window of the
 * aligned pairs: NaN for the first window-1 points and for every window with a missing value
 * (unless minPeriods is lowered). Pearson is O(n) whatever the window (see rollingKernel).
 * Spearman updates the window's ranks per step (rollingSpearmanComplete): O(n·w) without sorting;
 * with minPeriods below the window it ranks each window (O(n·w·log w)).
 * Returns a Series on the aligned calendar; meta.alignment records the policy.
 * pandas: `a.rolling(window).corr(b)`; Spearman (pandas has none): `scipy.stats.spearmanr` of
 * each window.
 * @param a a Series, or a Frame (its close)
 * @param b the other one
 * @param window points per window (>= 2)
 * @param options method, how (alignment), minPeriods (complete pairs a window needs; default the window)
 * @returns a Series: the correlation of the window ending at each date
 * @example
 * const gdx = returns(load('data/GDX.csv')), gld = returns(load('data/GLD.csv'))
 * rollingCorr(gdx, gld, 60).last() // => 0.853652651762
 * rollingCorr(gdx, gld, 60).values.slice(0, 2) // => [NaN, NaN]
 */
export function rollingCorr(a: SeriesLike, b: SeriesLike, window: number, options: RollingCorrOptions = {}): Series {
  checkWindow('rollingCorr', window);
  const method = checkMethod('rollingCorr', options.method ?? 'pearson');
  const P = alignPair(a, b, options.how, 'rollingCorr');
  const minp = checkMinPeriods('rollingCorr', options.minPeriods, window);
  const { out, finite } =
    method === 'pearson'
      ? rollingStats(P.x, P.y, window, minp, RollKind.Corr)
      : { out: rollingSpearman(P.x, P.y, window, minp), finite: undefined };
  const alignment = alignmentOfFinite(P.how, P.index, out, finite);
  return new Series(
    P.index,
    out,
    `${method === 'spearman' ? 'spearman ' : ''}corr(${P.a.name}, ${P.b.name}, ${window})`,
    { alignment, window, method },
  );
}

/** Rolling Spearman: Pearson correlation of the average ranks within each window. */
function rollingSpearman(x: Float64Array, y: Float64Array, w: number, minp: number): Float64Array {
  if (minp >= w) return rollingSpearmanComplete(x, y, w);
  const n = x.length;
  const out = new Float64Array(n).fill(NaN);
  const bx = new Float64Array(w),
    by = new Float64Array(w);
  for (let i = Math.max(0, minp - 1); i < n; i++) {
    let c = 0;
    for (let j = Math.max(0, i - w + 1); j <= i; j++)
      if (Number.isFinite(x[j]) && Number.isFinite(y[j])) {
        bx[c] = x[j];
        by[c++] = y[j];
      }
    if (c < minp || c < 2) continue;
    out[i] = pearsonArrays(rankAverage(bx.subarray(0, c)), rankAverage(by.subarray(0, c)));
  }
  return out;
}
