/**
 * Resampling to a calendar (one value per bin: pandas' resample) and carrying values forward
 * over gaps (ffill). Calendar alignment of several inputs is align.ts.
 */
import { Frame, Series, DAY_MS } from './series';
import { asSeries, type SeriesLike } from './align';

export type ResampleRule =
  'H' | 'D' | 'W' | 'W-MON' | 'W-TUE' | 'W-WED' | 'W-THU' | 'W-FRI' | 'W-SAT' | 'W-SUN' | 'M' | 'Q' | 'A' | 'Y';
export type ResampleAgg = 'last' | 'first' | 'mean' | 'sum' | 'max' | 'min';
const HOUR_MS = 3_600_000;
const WEEKDAYS: Record<string, number> = { SUN: 0, MON: 1, TUE: 2, WED: 3, THU: 4, FRI: 5, SAT: 6 };

/** Label (epoch ms, UTC midnight) of the bin holding t, pandas style: right-closed, right-labelled. */
function binLabel(rule: ResampleRule, t: number): number {
  // hours: left-closed and labelled by their start, as pandas does for 'h' (intraday bars)
  if (rule === 'H') return Math.floor(t / HOUR_MS) * HOUR_MS;
  const day = Math.floor(t / DAY_MS);
  if (rule === 'D') return day * DAY_MS;
  if (rule === 'W' || rule.startsWith('W-')) {
    const anchor = rule === 'W' ? 0 : WEEKDAYS[rule.slice(2)];
    const wd = (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
    return (day + ((anchor - wd + 7) % 7)) * DAY_MS;
  }
  const d = new Date(day * DAY_MS);
  const y = d.getUTCFullYear(),
    m = d.getUTCMonth();
  if (rule === 'M') return Date.UTC(y, m + 1, 0);
  if (rule === 'Q') return Date.UTC(y, Math.floor(m / 3) * 3 + 3, 0);
  return Date.UTC(y, 12, 0);
}

/** Next label after `label`. */
function nextLabel(rule: ResampleRule, label: number): number {
  if (rule === 'H') return label + HOUR_MS;
  if (rule === 'D') return label + DAY_MS;
  if (rule === 'W' || rule.startsWith('W-')) return label + 7 * DAY_MS;
  return binLabel(rule, label + DAY_MS);
}

/**
 * resample(x, 'W-FRI' | 'M' | ..., 'last'): one value per calendar bin. Bins are right-closed
 * and labelled by their last day (W-FRI: the Friday; M: the month's last day). 'last'/'first'
 * take the last/first non-NaN value in the bin; empty bins between the first and the last are
 * NaN (0 for 'sum', like pandas). A Frame is resampled column by column. 'H' (hours of intraday
 * bars) bins are left-closed and labelled by their start, as pandas' 'h'.
 * pandas: `x.resample(rule).last()` (or .first(), .mean(), .sum(), .max(), .min()); 'M' is pandas 'ME' from 2.2.
 * @param x a Series or a Frame
 * @param rule 'H', 'D', 'W' (= 'W-SUN'), 'W-MON' .. 'W-SAT', 'M', 'Q', 'A' or 'Y'
 * @param agg how a bin's values become one (default 'last')
 * @returns a Series (or Frame) dated by the bin labels; meta.resampled says how
 * @throws RangeError for an unknown rule or aggregation
 * @example
 * const s = new Series(['2024-01-30', '2024-01-31', '2024-02-01', '2024-03-04'].map(toTime), [1, 2, 3, 4])
 * resample(s, 'M').dates() // => ["2024-01-31", "2024-02-29", "2024-03-31"]
 * resample(s, 'M').values // => [2, 3, 4]
 * resample(s, 'M', 'sum').values // => [3, 3, 4]
 * resample(load('data/BTC-USD.csv').close, 'M').values.slice(-2) // => [78621.12, 66995.86]
 */
export function resample(x: Series, rule: ResampleRule, agg?: ResampleAgg): Series;
export function resample(x: Frame, rule: ResampleRule, agg?: ResampleAgg): Frame;
export function resample(x: SeriesLike, rule: ResampleRule, agg: ResampleAgg = 'last'): Series | Frame {
  const ok =
    ['H', 'D', 'W', 'M', 'Q', 'A', 'Y'].includes(rule) ||
    (rule.startsWith('W-') && WEEKDAYS[rule.slice(2)] !== undefined);
  if (!ok)
    throw new RangeError(
      `resample: unknown rule ${JSON.stringify(rule)}; use 'H', 'D', 'W-FRI' (or another W-day), 'M', 'Q' or 'A'`,
    );
  if (!['last', 'first', 'mean', 'sum', 'max', 'min'].includes(agg))
    throw new RangeError(`resample: unknown aggregation ${JSON.stringify(agg)}`);
  if (x instanceof Frame) {
    const cols: Record<string, Float64Array> = {};
    let index: Float64Array = new Float64Array(0);
    for (const n of x.names) {
      const r = resampleSeries(x.get(n), rule, agg);
      cols[n] = r.values;
      index = r.index;
    }
    return new Frame(index, cols, { ...x.meta, resampled: `${rule} ${agg}` });
  }
  return resampleSeries(asSeries(x, 'resample'), rule, agg);
}

function resampleSeries(s: Series, rule: ResampleRule, agg: ResampleAgg): Series {
  const n = s.length;
  if (n === 0) return s;
  const labels: number[] = [];
  let lab = binLabel(rule, s.index[0]);
  const lastLab = binLabel(rule, s.index[n - 1]);
  while (lab <= lastLab) {
    labels.push(lab);
    lab = nextLabel(rule, lab);
  }
  const out = new Float64Array(labels.length);
  let i = 0;
  for (let k = 0; k < labels.length; k++) {
    let acc = agg === 'sum' ? 0 : NaN,
      cnt = 0;
    while (i < n && binLabel(rule, s.index[i]) === labels[k]) {
      const v = s.values[i++];
      if (Number.isNaN(v)) continue;
      if (agg === 'last') acc = v;
      else if (agg === 'first') {
        if (cnt === 0) acc = v;
      } else if (agg === 'max') acc = cnt === 0 || v > acc ? v : acc;
      else if (agg === 'min') acc = cnt === 0 || v < acc ? v : acc;
      else acc = cnt === 0 && agg === 'mean' ? v : acc + v;
      cnt++;
    }
    out[k] = agg === 'mean' ? (cnt ? acc / cnt : NaN) : acc;
  }
  return new Series(Float64Array.from(labels), out, s.name, { ...s.meta, resampled: `${rule} ${agg}` });
}

/**
 * Carries the last non-NaN value forward over NaN points: out[i] = the last non-NaN x[j], j <= i
 * (NaN before the first value). pandas: `x.ffill()`.
 * @param x a Series or a Frame (its close)
 * @returns a Series on the same index
 * @example
 * ffill(new Series([1, 2, 3, 4], [NaN, 1, NaN, 4])).values // => [NaN, 1, 1, 4]
 */
export function ffill(x: SeriesLike): Series {
  const s = asSeries(x, 'ffill');
  let last = NaN;
  return s.map((v) => (Number.isNaN(v) ? last : (last = v)));
}
