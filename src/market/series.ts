/**
 * Core time-series types of the analysis library.
 *
 * A Series is an ascending UTC timestamp index (epoch milliseconds, Float64Array; checkIndex
 * refuses NaN and descending times, load() decides about duplicates) and a Float64Array of
 * values; NaN is a missing value. A Frame is several columns on one
 * index. Both are immutable by convention: operations return new objects.
 *
 * (Over 300 lines on purpose: the two core types, whose methods are most of the file, with the
 * time helpers and index searches every module imports from here; splitting those off would only
 * move imports around.)
 */
import { displayPath } from './context';
import { DISPLAY, TEXT_MIME, type OutputItem, type TableColumn, type TableValue } from '../shared/schemas';
import { Table } from './output';

export const DAY_MS = 86_400_000;

/** Node's util.inspect hook: console.log(series) and arrays of series print one summary line. */
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** How a result's inputs were put on one calendar (recorded on every analysis result). */
export interface AlignmentInfo {
  how: 'inner' | 'ffill' | 'outer' | 'none';
  /** number of points the analysis stood on (after alignment and dropping NaNs) */
  n: number;
  from?: string;
  to?: string;
}

export interface SeriesMeta {
  /** file the data came from */
  source?: string;
  /** column of the source file */
  column?: string;
  /** 'crypto' when the data trades every day, 'exchange' for weekdays */
  calendar?: 'crypto' | 'exchange' | 'unknown';
  /** free-form notes that travel with the series */
  [key: string]: unknown;
}

/**
 * A timestamp as outputs show it: the ISO date (YYYY-MM-DD) when it is a UTC midnight, else the
 * ISO datetime in UTC (without milliseconds when they are 0); 'NaT' for a missing time.
 * pandas: `pd.Timestamp(t, unit='ms').isoformat()` (pandas prints no 'Z').
 * @param t epoch milliseconds, UTC
 * @returns the text
 * @example
 * formatTime(1704067200000) // => "2024-01-01"
 * formatTime(toTime('2024-01-01T09:30:00Z')) // => "2024-01-01T09:30:00Z"
 * formatTime(NaN) // => "NaT"
 */
export function formatTime(t: number): string {
  if (!Number.isFinite(t)) return 'NaT';
  const iso = new Date(t).toISOString();
  return t % DAY_MS === 0 ? iso.slice(0, 10) : iso.replace('.000Z', 'Z');
}

/**
 * Date.UTC for any year: Date.UTC maps years 0-99 to 1900-1999, so "0001-01-01" would load as
 * 1901. 400 Gregorian years are exactly 146097 days: shift into range and back.
 */
export function utcTime(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number {
  if (y >= 0 && y < 100) return Date.UTC(y + 400, mo, d, h, mi, s, ms) - 146097 * DAY_MS;
  return Date.UTC(y, mo, d, h, mi, s, ms);
}

/**
 * A date as epoch milliseconds (UTC): 'YYYY-MM-DD' is that day's UTC midnight (any year, 0001
 * included), an ISO datetime without an offset is read as UTC, a Date or a number is taken as is.
 * pandas: `pd.Timestamp(d, tz='UTC').value // 10**6`.
 * @param d 'YYYY-MM-DD', an ISO datetime, a Date or epoch ms
 * @returns epoch milliseconds
 * @throws RangeError when the text is not a date
 * @example
 * toTime('2024-01-01') // => 1704067200000
 * toTime('2024-01-01T09:30:00') // => 1704101400000
 * toTime('0001-01-01') // => -62135596800000
 */
export function toTime(d: string | number | Date): number {
  if (typeof d === 'number') return d;
  if (d instanceof Date) return d.getTime();
  const s = d.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  const t = m ? utcTime(+m[1], +m[2] - 1, +m[3]) : Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(s) ? s : s + 'Z');
  if (!Number.isFinite(t)) throw new RangeError(`not a date: ${JSON.stringify(d)}`);
  return t;
}

/** Indexes already checked by checkIndex (the same array is shared by every series derived from one). */
const checkedIndexes = new WeakSet<Float64Array>();

/**
 * Refuses an index that is not a time axis: a NaN or infinite timestamp, or one earlier than the
 * point before it (everything here, from at() to drawdown's peak and trough, relies on binary
 * search over ascending times). Equal neighbours are allowed (load() decides about duplicates).
 */
export function checkIndex(index: Float64Array, what: string): void {
  if (checkedIndexes.has(index)) return;
  for (let i = 0; i < index.length; i++) {
    const t = index[i];
    if (!Number.isFinite(t))
      throw new RangeError(
        `${what}: index[${i}] is ${t}, not a time; every timestamp must be a finite number (epoch ms)`,
      );
    if (i > 0 && t < index[i - 1])
      throw new RangeError(
        `${what}: the index is not in ascending order: index[${i}] (${formatTime(t)}) comes before index[${i - 1}] (${formatTime(index[i - 1])}); sort the points by date first`,
      );
  }
  checkedIndexes.add(index);
}

/**
 * A time series: an ascending UTC index (epoch ms) and its values (NaN = missing), with a
 * name and metadata (source file, column, calendar). Immutable by convention. load() makes them
 * from files; analyses take them (or a Frame, via its close) and return new ones.
 * pandas: `pd.Series(values, index=pd.to_datetime(index, unit='ms'), name=name)`.
 * @example
 * const s = new Series(['2024-01-01', '2024-01-02', '2024-01-03'].map(toTime), [1, NaN, 3], 'x')
 * s.dates() // => ["2024-01-01", "2024-01-02", "2024-01-03"]
 * s.at('2024-01-03') // => 3
 * s.dropna().values // => [1, 3]
 * s.slice('2024-01-02').length // => 2
 * s.map((v) => v * 2).values // => [2, NaN, 6]
 */
export class Series {
  readonly index: Float64Array;
  readonly values: Float64Array;
  readonly name: string;
  readonly meta: SeriesMeta;

  constructor(index: Float64Array | number[], values: Float64Array | number[], name = 'value', meta: SeriesMeta = {}) {
    this.index = index instanceof Float64Array ? index : Float64Array.from(index);
    this.values = values instanceof Float64Array ? values : Float64Array.from(values);
    if (this.index.length !== this.values.length) {
      throw new RangeError(
        `Series "${name}": index has ${this.index.length} points but values has ${this.values.length}`,
      );
    }
    checkIndex(this.index, `Series "${name}"`);
    this.name = name;
    this.meta = meta;
  }

  get length(): number {
    return this.values.length;
  }

  /** Dates as ISO strings. */
  dates(): string[] {
    return Array.from(this.index, formatTime);
  }

  /** Value at a date (exact match), or NaN when the date is not in the index. */
  at(date: string | number | Date): number {
    const i = indexOfTime(this.index, toTime(date));
    return i >= 0 ? this.values[i] : NaN;
  }

  /** Points with from <= date <= to (either bound optional). */
  slice(from?: string | number | Date, to?: string | number | Date): Series {
    const lo = from === undefined ? 0 : lowerBound(this.index, toTime(from));
    const hi = to === undefined ? this.length : upperBound(this.index, toTime(to));
    return new Series(this.index.slice(lo, hi), this.values.slice(lo, hi), this.name, this.meta);
  }

  rename(name: string): Series {
    return new Series(this.index, this.values, name, this.meta);
  }

  /** Drops missing (NaN) values. */
  dropna(): Series {
    let k = 0;
    for (let i = 0; i < this.length; i++) if (!Number.isNaN(this.values[i])) k++;
    if (k === this.length) return this;
    const idx = new Float64Array(k),
      val = new Float64Array(k);
    for (let i = 0, j = 0; i < this.length; i++)
      if (!Number.isNaN(this.values[i])) {
        idx[j] = this.index[i];
        val[j++] = this.values[i];
      }
    return new Series(idx, val, this.name, this.meta);
  }

  map(f: (v: number, t: number, i: number) => number, name = this.name): Series {
    const out = new Float64Array(this.length);
    for (let i = 0; i < this.length; i++) out[i] = f(this.values[i], this.index[i], i);
    return new Series(this.index, out, name, this.meta);
  }

  first(): number {
    return this.values[0];
  }
  last(): number {
    return this.values[this.length - 1];
  }

  /** The series itself: with Frame.series() / Frame.close, code can treat whatever load() returned alike. */
  series(): Series {
    return this;
  }
  /** The series itself (see Frame.close), so `load(path).close` works for date,value files too. */
  get close(): Series {
    return this;
  }

  toTable(): Table {
    const cols: TableColumn[] = [
      { name: 'date', type: 'date' },
      { name: this.name, type: 'number' },
    ];
    // rows made on demand: showing 10,000,000 points builds only the ones the table shows
    const rows = {
      length: this.length,
      row: (i: number): TableValue[] => [formatTime(this.index[i]), numOrNull(this.values[i])],
      sortKey: (j: number) => (j === 0 ? this.index : this.values),
    };
    const src = this.meta.source ? ` from ${displayPath(this.meta.source)}` : '';
    return new Table(cols, rows, { title: `Series "${this.name}"${src}` });
  }

  toString(): string {
    return this.length
      ? `Series "${this.name}" [${this.length} points, ${formatTime(this.index[0])} .. ${formatTime(this.index[this.length - 1])}]`
      : `Series "${this.name}" [empty]`;
  }

  [DISPLAY](): OutputItem[] {
    return this.toTable()[DISPLAY]();
  }
  [INSPECT](): string {
    return this.toString();
  }
}

/**
 * Several columns on one index (what load() returns for an OHLCV file, and align() for several
 * series). Analyses given a Frame use its close (series()); get(name) picks another column.
 * It iterates its columns as Series: `const [b, g] = align(btc, gld)`.
 * pandas: `pd.DataFrame(columns, index=pd.to_datetime(index, unit='ms'))`.
 * @example
 * const f = new Frame(['2024-01-01', '2024-01-02'].map(toTime), { open: [1, 2], close: [3, 4] })
 * f.names // => ["open", "close"]
 * f.close.values // => [3, 4]
 * f.get('open').values // => [1, 2]
 * load('data/GLD.csv').names // => ["open", "high", "low", "close", "volume"]
 */
export class Frame {
  readonly index: Float64Array;
  readonly columns: Record<string, Float64Array>;
  readonly meta: SeriesMeta;

  constructor(index: Float64Array | number[], columns: Record<string, Float64Array | number[]>, meta: SeriesMeta = {}) {
    this.index = index instanceof Float64Array ? index : Float64Array.from(index);
    checkIndex(this.index, 'Frame');
    // keyed by column name with a null prototype: a column named "__proto__" or "constructor" is kept
    this.columns = Object.create(null);
    for (const k of Object.keys(columns)) {
      const v = columns[k];
      const arr = v instanceof Float64Array ? v : Float64Array.from(v);
      if (arr.length !== this.index.length)
        throw new RangeError(`Frame column "${k}" has ${arr.length} values for an index of ${this.index.length}`);
      this.columns[k] = arr;
    }
    this.meta = meta;
  }

  get length(): number {
    return this.index.length;
  }
  get names(): string[] {
    return Object.keys(this.columns);
  }

  /** One column as a Series. */
  get(name: string): Series {
    const col = Object.prototype.hasOwnProperty.call(this.columns, name) ? this.columns[name] : undefined;
    if (!col) throw new RangeError(`no column "${name}"; the columns are: ${this.names.join(', ')}`);
    return new Series(this.index, col, name, { ...this.meta, column: name });
  }

  dates(): string[] {
    return Array.from(this.index, formatTime);
  }

  slice(from?: string | number | Date, to?: string | number | Date): Frame {
    const lo = from === undefined ? 0 : lowerBound(this.index, toTime(from));
    const hi = to === undefined ? this.length : upperBound(this.index, toTime(to));
    const cols: Record<string, Float64Array> = Object.create(null);
    for (const k of this.names) cols[k] = this.columns[k].slice(lo, hi);
    return new Frame(this.index.slice(lo, hi), cols, this.meta);
  }

  toTable(): Table {
    const names = this.names;
    const cols: TableColumn[] = [
      { name: 'date', type: 'date' },
      ...names.map((n) => ({ name: n, type: 'number' as const })),
    ];
    const data = names.map((n) => this.columns[n]);
    const rows = {
      length: this.length,
      row: (i: number): TableValue[] => [formatTime(this.index[i]), ...data.map((c) => numOrNull(c[i]))],
      sortKey: (j: number) => (j === 0 ? this.index : data[j - 1]),
    };
    const src = this.meta.source ? ` from ${displayPath(this.meta.source)}` : '';
    return new Table(cols, rows, { title: `Frame${src}` });
  }

  toString(): string {
    return `Frame [${this.length} rows x ${this.names.length} columns: ${this.names.join(', ')}]`;
  }

  /**
   * The default series of the frame: the "close" column (case-insensitive) when there is
   * one, else the only column. Named after meta.name (e.g. the file name "BTC-USD") when set.
   * Every analysis function accepts a Frame and uses this series.
   */
  series(): Series {
    const names = this.names;
    const close = names.find((n) => n.toLowerCase() === 'close');
    const col = close ?? (names.length === 1 ? names[0] : undefined);
    if (col === undefined) {
      throw new RangeError(
        `${this.meta.name ? `"${String(this.meta.name)}": ` : ''}this frame has no "close" column and ${names.length} columns (${names.join(', ')}); pick one with frame.get(name)`,
      );
    }
    const s = this.get(col);
    return typeof this.meta.name === 'string' ? s.rename(this.meta.name) : s;
  }

  /** The close column as a Series (named after the frame, e.g. "BTC-USD"). Same as series() for OHLCV data. */
  get close(): Series {
    return this.series();
  }

  /** Iterates the columns as Series, so `const [a, b] = align(x, y)` works. */
  *[Symbol.iterator](): IterableIterator<Series> {
    for (const k of this.names) yield this.get(k);
  }

  [DISPLAY](): OutputItem[] {
    return this.toTable()[DISPLAY]();
  }
  [INSPECT](): string {
    return this.toString();
  }
}

export function numOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

/** First i with a[i] >= t. */
export function lowerBound(a: Float64Array, t: number): number {
  let lo = 0,
    hi = a.length;
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if (a[m] < t) lo = m + 1;
    else hi = m;
  }
  return lo;
}
/** First i with a[i] > t. */
export function upperBound(a: Float64Array, t: number): number {
  let lo = 0,
    hi = a.length;
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if (a[m] <= t) lo = m + 1;
    else hi = m;
  }
  return lo;
}
export function indexOfTime(a: Float64Array, t: number): number {
  const i = lowerBound(a, t);
  return i < a.length && a[i] === t ? i : -1;
}

/** Makes a text/plain output for any value (used for display fallbacks). */
export function textItem(s: string): OutputItem {
  return { mime: TEXT_MIME, data: s };
}
