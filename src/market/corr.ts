/**
 * Correlation: corr, rollingCorr, corrMatrix (crossCorr, the lead/lag profile, is crossCorr.ts).
 * Inputs are used as given (prices or returns: correlate returns(x) to compare daily moves;
 * price levels of trending assets correlate spuriously). Pairs are aligned first (default
 * 'inner') and a pair counts only when both values are finite.
 */
import { DISPLAY, type OutputItem, type TableValue } from '../shared/schemas';
import { Frame, Series, type AlignmentInfo } from './series';
import {
  alignArrays,
  alignPair,
  alignmentOf,
  alignmentOfFinite,
  asSeries,
  type AlignHow,
  type SeriesLike,
} from './align';
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

function checkMethod(fn: string, m: string): CorrMethod {
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

/** Result of corrMatrix(). */
export class CorrMatrix {
  constructor(
    public names: string[],
    /** r[i][j]: correlation of names[i] and names[j] (1 on the diagonal, NaN for a zero variance) */
    public r: number[][],
    /** n[i][j]: complete pairs used for r[i][j] */
    public n: number[][],
    public method: CorrMethod,
    public alignment: AlignmentInfo,
  ) {}
  get(a: string, b: string): number {
    const i = this.names.indexOf(a),
      j = this.names.indexOf(b);
    if (i < 0 || j < 0)
      throw new RangeError(`corrMatrix: no series "${i < 0 ? a : b}"; the names are: ${this.names.join(', ')}`);
    return this.r[i][j];
  }
  toString(): string {
    return `${this.method} correlation matrix of ${this.names.length} series (${this.names.join(', ')}), ${this.alignment.n} dates`;
  }
  [DISPLAY](): OutputItem[] {
    const rows: TableValue[][] = this.names.map((nm, i) => [nm, ...this.r[i].map(numOrNull)]);
    const minN = Math.min(...this.n.flat()),
      maxN = Math.max(...this.n.flat());
    return resultOutputs(
      this.toString(),
      [{ name: '', type: 'string' }, ...this.names.map((nm) => ({ name: nm, type: 'number' as const, digits: 3 }))],
      rows,
      `${this.method} correlation`,
      this.alignment,
      [minN === maxN ? `${minN} pairs each` : `pairs per cell: ${minN} .. ${maxN} (pairwise complete)`],
    );
  }
}

/**
 * corrMatrix(frameOrRecordOrList, { method, how }): every pairwise correlation (see corr) of the
 * inputs, aligned first (default 'inner'), each cell over its pairwise-complete observations.
 * pandas: `pd.concat(inputs, axis=1, join='inner').corr(method)`.
 * @param input a Frame (its columns), a record name → series, or a list of series
 * @param options method 'pearson' (default) or 'spearman'; how (alignment)
 * @returns a CorrMatrix: names, r[i][j], n[i][j]; get(a, b)
 * @example
 * const m = corrMatrix({ GLD: returns(load('data/GLD.csv')), GDX: returns(load('data/GDX.csv')), QQQ: returns(load('data/QQQ.csv')) })
 * m.get('GLD', 'QQQ') // => 0.0992320335903
 * m.names // => ["GLD", "GDX", "QQQ"]
 * m.n[0] // => [540, 540, 540]
 */
export function corrMatrix(
  input: Frame | Record<string, SeriesLike> | SeriesLike[],
  options: CorrOptions = {},
): CorrMatrix {
  const method = checkMethod('corrMatrix', options.method ?? 'pearson');
  let names: string[], cols: Float64Array[], index: Float64Array, how: AlignmentInfo['how'];
  if (input instanceof Frame) {
    names = input.names;
    cols = names.map((k) => input.columns[k]);
    index = input.index;
    how = (input.meta.alignment as AlignmentInfo | undefined)?.how ?? 'none';
  } else {
    const entries: Array<[string, Series]> = Array.isArray(input)
      ? input.map((s, k) => {
          const q = asSeries(s, `corrMatrix: item ${k}`);
          return [q.name, q];
        })
      : Object.entries(input).map(([k, v]) => [k, asSeries(v, `corrMatrix: "${k}"`).rename(k)]);
    names = entries.map(([k]) => k);
    how = options.how ?? 'inner';
    const al = alignArrays(
      entries.map(([, s]) => s),
      how,
    );
    cols = al.values;
    index = al.index;
  }
  const k = cols.length;
  const complete = cols.every((c) => {
    for (let i = 0; i < c.length; i++) if (!Number.isFinite(c[i])) return false;
    return true;
  });
  const r = names.map(() => new Array<number>(k).fill(NaN));
  const nn = names.map(() => new Array<number>(k).fill(0));
  const len = index.length;
  if (complete) {
    // rank (spearman) and centre every column once, then one dot product per pair
    const cen = cols.map((c) => {
      const v = method === 'spearman' ? rankAverage(c) : c.slice();
      let m = 0;
      for (let i = 0; i < len; i++) m += v[i];
      m /= len;
      for (let i = 0; i < len; i++) v[i] -= m;
      return v;
    });
    // all the dot products, a block of rows at a time so the columns' block stays in cache
    const dot = new Float64Array(k * k);
    const BLOCK = 2048;
    for (let r0 = 0; r0 < len; r0 += BLOCK) {
      const r1 = Math.min(len, r0 + BLOCK);
      for (let i = 0; i < k; i++) {
        const a = cen[i];
        for (let j = i; j < k; j++) {
          const b = cen[j];
          let s0 = 0,
            s1 = 0,
            t = r0;
          for (; t + 1 < r1; t += 2) {
            s0 += a[t] * b[t];
            s1 += a[t + 1] * b[t + 1];
          }
          if (t < r1) s0 += a[t] * b[t];
          dot[i * k + j] += s0 + s1;
        }
      }
    }
    const ss = cen.map((_, i) => dot[i * k + i]);
    for (let i = 0; i < k; i++)
      for (let j = i; j < k; j++) {
        const s = dot[i * k + j];
        let v = ss[i] > 0 && ss[j] > 0 && len >= 2 ? s / Math.sqrt(ss[i] * ss[j]) : NaN;
        if (i === j && Number.isFinite(v)) v = 1;
        v = v > 1 ? 1 : v < -1 ? -1 : v;
        r[i][j] = r[j][i] = v;
        nn[i][j] = nn[j][i] = len;
      }
  } else {
    for (let i = 0; i < k; i++)
      for (let j = i; j < k; j++) {
        const p = completePairs(cols[i], cols[j]);
        let v = method === 'pearson' ? pearsonArrays(p.x, p.y) : pearsonArrays(rankAverage(p.x), rankAverage(p.y));
        if (i === j && Number.isFinite(v)) v = 1;
        r[i][j] = r[j][i] = v;
        nn[i][j] = nn[j][i] = p.x.length;
      }
  }
  const alignment = alignmentOf(how, index, complete ? undefined : (t) => cols.every((c) => Number.isFinite(c[t])));
  if (!complete) alignment.n = index.length; // rows on the common calendar; each cell's own count is in n[i][j]
  return new CorrMatrix(names, r, nn, method, alignment);
}
