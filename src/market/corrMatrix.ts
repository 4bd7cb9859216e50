/**
 * corrMatrix: every pairwise correlation (pearson or spearman) of several series aligned on one
 * calendar, each cell over its pairwise-complete observations, and the matrix's display.
 */
import { DISPLAY, type OutputItem, type TableValue } from '../shared/schemas';
import { Frame, type Series, type AlignmentInfo } from './series';
import { alignArrays, asSeries, type SeriesLike } from './align';
import { alignmentOf } from './alignment';
import { checkMethod, type CorrMethod, type CorrOptions } from './corr';
import { completePairs, numOrNull, pearsonArrays, rankAverage, resultOutputs } from './stats';

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
