/**
 * What load() does with the rows every reader returns: the order policy (ascending as is, a
 * descending file reversed, anything else an error naming the lines unless { sort: true }), the
 * duplicates policy ('error', 'first', 'last'), the calendar guess, and the Series or Frame.
 */
import { Frame, Series, formatTime, DAY_MS, type SeriesMeta } from '../series';
import { displayPath } from '../context';
import { LoadError, rowLine, type LoadOptions, type Parsed } from './common';

/** The Series (one value column) or Frame of parsed rows, in ascending date order with the duplicates policy applied. */
export function finish(p: Parsed, file: string, name: string, options: LoadOptions): Series | Frame {
  let { index, cols } = p;
  const notes: string[] = [...(p.notes ?? [])];
  const n = index.length;
  let asc = true,
    desc = true,
    equal = 0; // equal neighbours: the duplicates when the file is in ascending order
  for (let i = 1; i < n; i++) {
    if (index[i] < index[i - 1]) asc = false;
    else if (index[i] > index[i - 1]) desc = false;
    else if (index[i] === index[i - 1]) equal++;
  }
  let order: Int32Array | undefined;
  if (!asc && desc) {
    order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = n - 1 - i;
    // keep duplicates in file order after the reversal
    notes.push('the file lists dates in descending order; rows were reversed to ascending order');
  } else if (!asc) {
    let bad = 1;
    while (bad < n && index[bad] >= index[bad - 1]) bad++;
    if (!options.sort) {
      throw new LoadError(
        `${displayPath(file)}: dates are not in ascending order: ${p.where(bad)} (${formatTime(index[bad])}) comes after ${p.where(bad - 1)} (${formatTime(index[bad - 1])}); pass { sort: true } to sort the rows by date`,
        file,
        rowLine(p, bad),
      );
    }
    order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    const ix = index;
    order.sort((a, b) => ix[a] - ix[b] || a - b);
    notes.push('rows were sorted by date (options.sort)');
  }
  if (order) {
    // stable for descending files: equal dates keep file order
    if (!asc && desc) {
      let i = 0;
      while (i < n) {
        let j = i;
        while (j + 1 < n && index[order[j + 1]] === index[order[i]]) j++;
        order.subarray(i, j + 1).reverse();
        i = j + 1;
      }
    }
    const o = order;
    index = Float64Array.from(o, (k) => p.index[k]);
    cols = cols.map((c) => Float64Array.from(o, (k) => c[k]));
  }
  // duplicates
  let dups = order ? 0 : equal;
  if (order) for (let i = 1; i < n; i++) if (index[i] === index[i - 1]) dups++;
  if (dups > 0) {
    const mode = options.duplicates ?? 'error';
    if (mode === 'error') {
      let i = 1;
      while (index[i] !== index[i - 1]) i++;
      const a = order ? order[i - 1] : i - 1,
        b = order ? order[i] : i;
      throw new LoadError(
        `${displayPath(file)}: duplicate date ${formatTime(index[i])} at ${p.where(a)} and ${p.where(b)} (${dups} duplicate${dups === 1 ? '' : 's'} in all); pass { duplicates: 'first' } or { duplicates: 'last' } to keep one row per date`,
        file,
        rowLine(p, a),
      );
    }
    const keepIdx: number[] = [];
    for (let i = 0; i < n; i++) {
      if (mode === 'first') {
        if (i === 0 || index[i] !== index[i - 1]) keepIdx.push(i);
      } else if (i === n - 1 || index[i] !== index[i + 1]) keepIdx.push(i);
    }
    const ix = index;
    index = Float64Array.from(keepIdx, (k) => ix[k]);
    cols = cols.map((c) => Float64Array.from(keepIdx, (k) => c[k]));
    notes.push(`${dups} duplicate date${dups === 1 ? '' : 's'} dropped, keeping the ${mode} row of each`);
  }
  const meta: SeriesMeta = { source: file, name, calendar: detectCalendar(index) };
  if (notes.length) meta.notes = notes;
  if (p.names.length === 1) return new Series(index, cols[0], name, { ...meta, column: p.names[0] });
  // keyed by header text: a null prototype, so "__proto__" or "constructor" is a column like any other
  const record: Record<string, Float64Array> = Object.create(null);
  p.names.forEach((k, j) => {
    record[k] = cols[j];
  });
  return new Frame(index, record, meta);
}

/**
 * The calendar of an index: 'crypto' for daily data (at least 80% of the gaps are 4 days or less)
 * with more than 10% of the dates on a weekend, 'exchange' for daily data without, else 'unknown'
 * (fewer than 10 dates, or intraday/weekly data). load() puts it in meta.calendar.
 * pandas: none (compare `index.dayofweek >= 5`).
 * @param index epoch-ms dates in ascending order
 * @returns 'crypto', 'exchange' or 'unknown'
 * @example
 * detectCalendar(Float64Array.from({ length: 14 }, (_, i) => i * 86400000)) // => "crypto"
 * @example
 * detectCalendar(Float64Array.of(0, 60000, 120000)) // => "unknown"
 */
export function detectCalendar(index: Float64Array): 'crypto' | 'exchange' | 'unknown' {
  const n = index.length;
  if (n < 10) return 'unknown';
  let daily = 0,
    weekend = 0;
  // one pass; the weekday (a floating-point remainder, slow) once per day, not per row: intraday files have many rows a day
  let last = NaN,
    we = false;
  for (let i = 0; i < n; i++) {
    if (i > 0 && index[i] - index[i - 1] <= 4 * DAY_MS) daily++;
    const day = Math.floor(index[i] / DAY_MS);
    if (day !== last) {
      const wd = (day + 4) % 7; // 0 = Sunday
      we = wd === 0 || wd === 6;
      last = day;
    }
    if (we) weekend++;
  }
  if (daily < 0.8 * (n - 1)) return 'unknown';
  return weekend > 0.1 * n ? 'crypto' : 'exchange';
}
