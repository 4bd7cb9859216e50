/**
 * Event windows: how a series moved around a date (earnings, a Fed decision, ...).
 */
import { DISPLAY, type OutputItem } from '../shared/schemas';
import { Series, formatTime, lowerBound, toTime, type AlignmentInfo } from './series';
import { asSeries, type SeriesLike } from './align';
import { alignmentOf } from './alignment';
import { fmt, numOrNull, pct, resultOutputs } from './stats';

/** Result of eventWindow(): one entry per observation from offset -before to +after. */
export class EventWindow {
  constructor(
    public name: string,
    /** the date asked for */
    public date: string,
    /** the observation used as day 0: the date itself, or the first observation after it when it is not a trading day */
    public eventDate: string,
    /** offsets in observations relative to day 0 */
    public offsets: number[],
    public dates: string[],
    public values: number[],
    /** simple return of each observation over the previous one (NaN before the first point) */
    public returns: number[],
    /** value / value at offset -1 (the last close before day 0) - 1 */
    public cumulative: number[],
    public alignment: AlignmentInfo,
  ) {}
  /** the return on day 0 (offset 0): the event's immediate reaction */
  get eventReturn(): number {
    const i = this.offsets.indexOf(0);
    return i < 0 ? NaN : this.returns[i];
  }
  /** cumulative return from the close before day 0 to the last day of the window */
  get total(): number {
    return this.cumulative[this.cumulative.length - 1];
  }
  /** the cumulative returns as a Series (dated), for charts */
  get series(): Series {
    return new Series(
      this.dates.map((d) => toTime(d)),
      this.cumulative,
      `${this.name} around ${this.eventDate}`,
      { alignment: this.alignment },
    );
  }
  toString(): string {
    return `${this.name} around ${this.eventDate}${this.eventDate !== this.date ? ` (asked ${this.date}, not a trading day)` : ''}: day 0 ${pct(this.eventReturn)}, ${this.offsets[0]}..+${this.offsets[this.offsets.length - 1]} ${pct(this.total)}`;
  }
  [DISPLAY](): OutputItem[] {
    return resultOutputs(
      this.toString(),
      [
        { name: 'offset', type: 'number' },
        { name: 'date', type: 'date' },
        { name: this.name, type: 'number' },
        { name: 'return', type: 'number', percent: true },
        { name: 'since day -1', type: 'number', percent: true },
      ],
      this.offsets.map((o, i) => [
        o,
        this.dates[i],
        numOrNull(this.values[i]),
        numOrNull(this.returns[i]),
        numOrNull(this.cumulative[i]),
      ]),
      `${this.name} around ${this.eventDate}`,
      this.alignment,
      [`base: the value at offset -1 (${fmt(this.values[this.offsets.indexOf(-1)] ?? NaN)})`],
    );
  }
}

/**
 * eventWindow(x, date, before, after): the observations from `before` points before the event
 * to `after` points after it (pass prices). Day 0 is the event date or, when the series has
 * no observation that day, the next one. Returns are simple, over the previous observation;
 * cumulative is relative to the value at offset -1, so cumulative[day 0] is the reaction.
 * A window running past either end of the data is cut (offsets say what is there).
 * pandas: `i = x.index.searchsorted(date); w = x.iloc[i - before : i + after + 1]`,
 * `w.pct_change()` and `w / w.iloc[before - 1] - 1`.
 * @param x prices: a Series, or a Frame (its close)
 * @param date the event
 * @param before observations before day 0 (>= 1 for a base)
 * @param after observations after day 0
 * @returns an EventWindow: offsets, dates, values, returns, cumulative; eventReturn, total, series
 * @example
 * const w = eventWindow(load('data/ORCL.csv'), '2025-09-10', 1, 2)
 * w // => {"eventDate": "2025-09-10", "offsets": [-1, 0, 1, 2], "values": [241.51, 328.33, 307.86, 292.18]}
 * w.returns // => [0.0127054679638, 0.359488219949, -0.0623458106174, -0.0509322419281]
 * w.eventReturn // => 0.359488219949
 * w.total // => 0.20980497702
 */
export function eventWindow(x: SeriesLike, date: string | number | Date, before: number, after: number): EventWindow {
  const s = asSeries(x, 'eventWindow');
  if (!Number.isInteger(before) || before < 0 || !Number.isInteger(after) || after < 0)
    throw new RangeError('eventWindow: before and after must be integers >= 0');
  const t = toTime(date);
  const e = lowerBound(s.index, t);
  if (e >= s.length)
    throw new RangeError(
      `eventWindow: ${formatTime(t)} is after the last observation of "${s.name}" (${s.length ? formatTime(s.index[s.length - 1]) : 'empty'})`,
    );
  if (e === 0)
    throw new RangeError(
      `eventWindow: "${s.name}" has no observation before ${formatTime(t)}, so there is no base for the event's return`,
    );
  const lo = Math.max(0, e - before),
    hi = Math.min(s.length - 1, e + after);
  const base = s.values[e - 1];
  const offsets: number[] = [],
    dates: string[] = [],
    values: number[] = [],
    rets: number[] = [],
    cum: number[] = [];
  for (let i = lo; i <= hi; i++) {
    offsets.push(i - e);
    dates.push(formatTime(s.index[i]));
    values.push(s.values[i]);
    rets.push(i > 0 ? s.values[i] / s.values[i - 1] - 1 : NaN);
    cum.push(s.values[i] / base - 1);
  }
  const alignment = alignmentOf('none', s.index.subarray(lo, hi + 1));
  return new EventWindow(
    s.name,
    typeof date === 'string' ? date : formatTime(t),
    formatTime(s.index[e]),
    offsets,
    dates,
    values,
    rets,
    cum,
    alignment,
  );
}
