/**
 * Returns: point-over-previous-point returns, cumulative returns, rebasing, change between dates.
 */
import { DISPLAY, type OutputItem } from '../shared/schemas';
import { Series, formatTime, lowerBound, toTime, upperBound, type SeriesMeta } from './series';
import { asSeries, type SeriesLike } from './align';
import { numOrNull, pct, resultOutputs } from './stats';

export type ReturnKind = 'simple' | 'log';

/**
 * returns(x, 'simple' | 'log'): r[i] = x[i]/x[i-1] - 1 (pandas pct_change) or ln(x[i]/x[i-1]).
 * Same index as x; r[0] is NaN, and r[i] is NaN when x[i] or x[i-1] is missing (no filling:
 * the return across a gap is not invented). Over the points of the series, so after an
 * 'inner' alignment a Monday return spans the weekend. A return from or to a price <= 0 is NaN
 * (not ±Infinity or a fake -100%), and meta.notes says how many there were.
 * pandas: `x.pct_change()` (pandas ≥ 2.1: `fill_method=None`); log: `np.log(x / x.shift())`.
 * @param x prices: a Series, or a Frame (its close)
 * @param kind 'simple' (default) or 'log'
 * @returns a Series on x's index, meta.returns = kind
 * @example
 * const s = new Series(['2024-01-01', '2024-01-02', '2024-01-03'].map(toTime), [100, 110, 99])
 * returns(s).values // => [NaN, 0.1, -0.1]
 * returns(s, 'log').values // => [NaN, 0.0953101798043, -0.105360515658]
 * returns(load('data/BTC-USD.csv')).at('2024-01-02') // => 0.01790101417
 */
export function returns(x: SeriesLike, kind: ReturnKind = 'simple'): Series {
  if (kind !== 'simple' && kind !== 'log')
    throw new RangeError(`returns: kind must be 'simple' or 'log', got ${JSON.stringify(kind)}`);
  const s = asSeries(x, 'returns');
  const v = s.values,
    n = v.length;
  const out = new Float64Array(n);
  if (n) out[0] = NaN;
  let nonPositive = 0;
  for (let i = 1; i < n; i++) {
    const a = v[i - 1],
      b = v[i];
    if (a <= 0 || b <= 0) {
      out[i] = NaN;
      nonPositive++;
      continue;
    }
    out[i] = kind === 'simple' ? b / a - 1 : Math.log(b / a);
  }
  const meta: SeriesMeta = { ...s.meta, returns: kind };
  if (nonPositive) {
    const notes = Array.isArray(s.meta.notes) ? (s.meta.notes as string[]) : [];
    meta.notes = [...notes, `${nonPositive} return${nonPositive === 1 ? '' : 's'} from or to a price <= 0 left NaN`];
  }
  return new Series(s.index, out, s.name, meta);
}

/**
 * cumulative(r, kind): growth since the start from a returns series: Π(1 + r) - 1 for simple
 * returns, exp(Σr) - 1 for log returns. NaN returns count as 0 but stay NaN in the output.
 * pandas: `(1 + r).cumprod() - 1`; log: `np.expm1(r.cumsum())` (both skip NaN).
 * @param r returns (a Series from returns())
 * @param kind 'simple' or 'log'; default: what returns() recorded in r.meta.returns, else 'simple'
 * @returns a Series on r's index
 * @example
 * const s = new Series(['2024-01-01', '2024-01-02', '2024-01-03'].map(toTime), [100, 110, 99])
 * cumulative(returns(s)).values // => [NaN, 0.1, -0.01]
 * cumulative(returns(s, 'log')).last() // => -0.01
 * cumulative(returns(load('data/BTC-USD.csv'))).last() // => 0.5168646146
 */
export function cumulative(r: SeriesLike, kind?: ReturnKind): Series {
  const s = asSeries(r, 'cumulative');
  const k = kind ?? (s.meta.returns as ReturnKind | undefined) ?? 'simple';
  const n = s.length,
    v = s.values;
  const out = new Float64Array(n);
  let acc = k === 'simple' ? 1 : 0;
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(v[i])) {
      out[i] = NaN;
      continue;
    }
    if (k === 'simple') {
      acc *= 1 + v[i];
      out[i] = acc - 1;
    } else {
      acc += v[i];
      out[i] = Math.expm1(acc);
    }
  }
  return new Series(s.index, out, s.name, { ...s.meta, cumulative: k });
}

/**
 * rebase(x, 100, at?): x scaled so that its first finite value (or its value as of `at`: the last
 * one at or before that date) is `base`: out = x · base / x(ref).
 * pandas: `x / x.dropna().iloc[0] * 100`, or `x / x.asof(at) * 100`.
 * @param x a Series, or a Frame (its close)
 * @param base the value at the reference point (default 100)
 * @param at the reference date (default: the first finite value)
 * @returns a Series on x's index
 * @throws RangeError when the reference value is missing or 0
 * @example
 * const s = new Series(['2024-01-01', '2024-01-02', '2024-01-03'].map(toTime), [50, 75, 60])
 * rebase(s).values // => [100, 150, 120]
 * rebase(s, 1, '2024-01-02').values // => [0.6666666666667, 1, 0.8]
 * rebase(load('data/BTC-USD.csv'), 100, '2025-01-01').last() // => 70.95533816
 */
export function rebase(x: SeriesLike, base = 100, at?: string | number | Date): Series {
  const s = asSeries(x, 'rebase');
  let ref = NaN;
  if (at === undefined) {
    for (let i = 0; i < s.length; i++)
      if (Number.isFinite(s.values[i])) {
        ref = s.values[i];
        break;
      }
  } else ref = valueAsOf(s, toTime(at)).value;
  if (!Number.isFinite(ref) || ref === 0)
    throw new RangeError(
      `rebase: no usable reference value for "${s.name}"${at !== undefined ? ` as of ${String(at)}` : ''}`,
    );
  const f = base / ref;
  return s.map((v) => v * f);
}

/**
 * The last non-NaN observation at or before t, and its time ({ value: NaN, time: NaN } when
 * there is none). pandas: `s.asof(t)` (which returns the value only).
 * @param s the series
 * @param t a time, epoch ms (toTime('2024-01-02') from a date)
 * @returns the value and the time it was observed
 * @example
 * const s = new Series(['2024-01-01', '2024-01-02', '2024-01-04'].map(toTime), [1, 2, 4])
 * valueAsOf(s, toTime('2024-01-03')) // => {"value": 2, "time": 1704153600000}
 * valueAsOf(s, toTime('2023-12-31')) // => {"value": NaN, "time": NaN}
 */
export function valueAsOf(s: Series, t: number): { value: number; time: number } {
  let i = upperBound(s.index, t) - 1;
  while (i >= 0 && Number.isNaN(s.values[i])) i--;
  return i < 0 ? { value: NaN, time: NaN } : { value: s.values[i], time: s.index[i] };
}

/** Result of pctChange(): the change as a fraction (0.05 = +5%) and the observations it used. valueOf() is the change. */
export class PctChange {
  constructor(
    public change: number,
    /** dates of the observations used (the last ones on or before the dates asked for) */
    public from: string,
    public to: string,
    public fromValue: number,
    public toValue: number,
    public name: string,
  ) {}
  valueOf(): number {
    return this.change;
  }
  toString(): string {
    return `${this.name}: ${pct(this.change)} from ${this.from} (${this.fromValue}) to ${this.to} (${this.toValue})`;
  }
  [DISPLAY](): OutputItem[] {
    return resultOutputs(
      this.toString(),
      [
        { name: 'from', type: 'date' },
        { name: 'to', type: 'date' },
        { name: 'from value', type: 'number' },
        { name: 'to value', type: 'number' },
        { name: 'change', type: 'number', percent: true },
      ],
      [[this.from, this.to, numOrNull(this.fromValue), numOrNull(this.toValue), numOrNull(this.change)]],
      `change of ${this.name}`,
    );
  }
}

/**
 * pctChange(x, from, to): x(to)/x(from) - 1, each value being the last observation on or
 * before the date asked (so a weekend date uses Friday's close).
 * pandas: `x.asof(to) / x.asof(from) - 1`.
 * @param x prices: a Series, or a Frame (its close)
 * @param from the start date
 * @param to the end date
 * @returns a PctChange (change, from, to, fromValue, toValue); it compares and prints as the change
 * @throws RangeError when `from` or `to` is before the series starts
 * @example
 * pctChange(load('data/GLD.csv'), '2025-01-04', '2025-06-30') // => {"change": 0.2519199967, "from": "2025-01-03", "to": "2025-06-30", "fromValue": 243.49, "toValue": 304.83}
 */
export function pctChange(x: SeriesLike, from: string | number | Date, to: string | number | Date): PctChange {
  const s = asSeries(x, 'pctChange');
  const a = valueAsOf(s, toTime(from)),
    b = valueAsOf(s, toTime(to));
  if (Number.isNaN(a.time))
    throw new RangeError(
      `pctChange: "${s.name}" has no value on or before ${String(from)} (it starts ${s.length ? formatTime(s.index[lowerBound(s.index, -Infinity)]) : 'nowhere: it is empty'})`,
    );
  if (Number.isNaN(b.time)) throw new RangeError(`pctChange: "${s.name}" has no value on or before ${String(to)}`);
  return new PctChange(b.value / a.value - 1, formatTime(a.time), formatTime(b.time), a.value, b.value, s.name);
}
