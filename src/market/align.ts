/**
 * Calendar alignment of several inputs (resampling and ffill are resample.ts; the alignment
 * record results carry is alignment.ts).
 *
 * Policies (every analysis result records the one it used in `alignment`):
 *  - 'inner' (default): only the dates present in every input. BTC (7 days a week) against
 *    GLD (exchange days) keeps the exchange days, so no weekend is invented.
 *  - 'ffill': the dates of the FIRST input; every other input contributes its last
 *    observation on or before each date (an as-of join), and leading dates before some
 *    input has started are dropped. Use it for mixed frequencies (daily prices against
 *    monthly M2), and put the series whose calendar you want first. Note that carrying an
 *    exchange price over crypto weekends fakes zero returns on those days.
 *  - 'outer': the union of dates, NaN where an input has no observation (no filling).
 */
import { Frame, Series, formatTime, type AlignmentInfo, type SeriesMeta } from './series';
import { alignmentOf } from './alignment';

/** Anything an analysis accepts: a Series, or a Frame (whose default series, the close, is used). */
export type SeriesLike = Series | Frame;
export type AlignHow = 'inner' | 'ffill' | 'outer';
export interface AlignOptions {
  how?: AlignHow;
}

/**
 * The Series of a SeriesLike: the Series itself, or a Frame's default series (its "close"
 * column, else its only column; see Frame.series()). Every analysis takes its inputs through it.
 * pandas: `df['close']`.
 * @param x a Series, or a Frame such as load() returns
 * @param what how an error message names the argument
 * @returns the Series (a Frame's close is named after the file, e.g. "GLD")
 * @throws TypeError naming `what` when x is neither a Series nor a Frame
 * @example
 * const gld = load('data/GLD.csv')
 * asSeries(gld).name // => "GLD"
 * asSeries(gld).values.slice(0, 2) // => [190.72, 189.13]
 */
export function asSeries(x: SeriesLike, what = 'argument'): Series {
  if (x instanceof Series) return x;
  if (x instanceof Frame) return x.series();
  throw new TypeError(`${what}: expected a Series or a Frame (from load()), got ${describe(x)}`);
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  return typeof x === 'object'
    ? `an object (${Object.keys(x as object)
        .slice(0, 5)
        .join(', ')})`
    : typeof x;
}

function isOptions(x: unknown): x is AlignOptions {
  if (typeof x !== 'object' || x === null || x instanceof Series || x instanceof Frame || Array.isArray(x))
    return false;
  const keys = Object.keys(x);
  return keys.every((k) => k === 'how');
}

function sameIndex(a: Float64Array, b: Float64Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  // equal bytes are equal times (an index holds no NaN): one memcmp, ~3x faster than the loop on 10^8 points
  if (
    typeof Buffer !== 'undefined' &&
    Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength))
  )
    return true;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Index of the union or intersection of sorted indexes. */
function combineIndex(idx: Float64Array[], how: 'inner' | 'outer'): Float64Array {
  let cur = idx[0];
  for (let k = 1; k < idx.length; k++) {
    const b = idx[k];
    if (sameIndex(cur, b)) continue;
    const out = new Float64Array(how === 'inner' ? Math.min(cur.length, b.length) : cur.length + b.length);
    let i = 0,
      j = 0,
      m = 0;
    while (i < cur.length && j < b.length) {
      const x = cur[i],
        y = b[j];
      if (x === y) {
        out[m++] = x;
        i++;
        j++;
      } else if (x < y) {
        if (how === 'outer') out[m++] = x;
        i++;
      } else {
        if (how === 'outer') out[m++] = y;
        j++;
      }
    }
    if (how === 'outer') {
      while (i < cur.length) out[m++] = cur[i++];
      while (j < b.length) out[m++] = b[j++];
    }
    cur = out.slice(0, m);
  }
  return cur;
}

/**
 * The values of s on another index: out[i] = s at index[i] when that timestamp is in s, else NaN;
 * with `asof`, the last non-NaN value of s at or before index[i] (NaN before s starts).
 * pandas: `s.reindex(index)`; with asof `s.dropna().reindex(index, method='ffill')` (`s.asof(index)`).
 * @param s the series
 * @param index timestamps (epoch ms, ascending)
 * @param asof carry the last observation forward instead of requiring an exact match
 * @returns a Float64Array of index.length values (s.values itself when the index is the same)
 * @example
 * const s = new Series([1, 3], [10, 30])
 * reindex(s, Float64Array.of(1, 2, 3, 4)) // => [10, NaN, 30, NaN]
 * reindex(s, Float64Array.of(0, 2, 4), true) // => [NaN, 10, 30]
 */
export function reindex(s: Series, index: Float64Array, asof = false): Float64Array {
  if (sameIndex(s.index, index) && !asof) return s.values;
  const out = new Float64Array(index.length);
  const si = s.index,
    sv = s.values;
  let j = 0;
  let last = NaN;
  for (let i = 0; i < index.length; i++) {
    const t = index[i];
    if (asof) {
      while (j < si.length && si[j] <= t) {
        if (!Number.isNaN(sv[j])) last = sv[j];
        j++;
      }
      out[i] = last;
    } else {
      while (j < si.length && si[j] < t) j++;
      out[i] = j < si.length && si[j] === t ? sv[j] : NaN;
    }
  }
  return out;
}

/** Puts several series on one calendar; returns the aligned columns and the shared index. */
export function alignArrays(
  series: Series[],
  how: AlignHow = 'inner',
): { index: Float64Array; values: Float64Array[] } {
  if (series.length === 0) return { index: new Float64Array(0), values: [] };
  if (series.every((s) => sameIndex(s.index, series[0].index)))
    return { index: series[0].index, values: series.map((s) => s.values) };
  if (how === 'ffill') {
    let index = series[0].index;
    let values = series.map((s, k) => (k === 0 ? s.values : reindex(s, index, true)));
    // drop leading dates where a carried series has not started yet
    let start = 0;
    while (start < index.length && values.some((v, k) => k > 0 && Number.isNaN(v[start]))) start++;
    if (start > 0) {
      index = index.slice(start);
      values = values.map((v) => v.slice(start));
    }
    return { index, values };
  }
  if (how !== 'inner' && how !== 'outer')
    throw new RangeError(`align: how must be 'inner', 'ffill' or 'outer', got ${JSON.stringify(how)}`);
  const index = combineIndex(
    series.map((s) => s.index),
    how,
  );
  return { index, values: series.map((s) => reindex(s, index, false)) };
}

function uniqueNames(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((n) => {
    const c = seen.get(n) ?? 0;
    seen.set(n, c + 1);
    return c === 0 ? n : `${n}_${c + 1}`;
  });
}

/**
 * align(a, b, ..., { how }) or align({ BTC: btc, GLD: gld }, { how }): one Frame whose columns
 * are the inputs (named by the record keys, else by the series names, made unique), on one
 * calendar: 'inner' (default) the dates in every input, 'outer' their union with NaN where an
 * input has no value, 'ffill' the first input's dates with the others' last value at or before
 * each (leading dates where one has not started are dropped). The Frame is iterable:
 * `const [b, g] = align(btc, gld)`. meta.alignment records the policy and size, meta.dropped how
 * many dates each input lost.
 * pandas: `pd.concat([a, b], axis=1, join='inner')` (or `join='outer'`); 'ffill' is
 * `pd.merge_asof(a, b, on='date')` on a's dates.
 * @param args Series or Frames (a Frame gives its close), or a record name → input; optionally last `{ how }`
 * @returns a Frame with one column per input
 * @example
 * const a = new Series([1, 2, 3], [1, 2, 3], 'a'), b = new Series([2, 4], [20, 40], 'b')
 * align(a, b).columns // => {"a": [2], "b": [20]}
 * align(a, b, { how: 'outer' }).columns // => {"a": [1, 2, 3, NaN], "b": [NaN, 20, NaN, 40]}
 * align({ x: a, y: b }, { how: 'ffill' }).columns // => {"x": [2, 3], "y": [20, 20]}
 * align(load('data/BTC-USD.csv'), load('data/GLD.csv')).meta // => {"alignment": {"how": "inner", "n": 541}, "dropped": {"BTC-USD": 249, "GLD": 0}}
 */
export function align(...args: Array<SeriesLike | Record<string, SeriesLike> | AlignOptions>): Frame {
  let opts: AlignOptions = {};
  if (args.length > 1 && isOptions(args[args.length - 1])) opts = args.pop() as AlignOptions;
  const named: Array<[string, Series]> = [];
  for (const a of args) {
    if (a instanceof Series || a instanceof Frame) {
      const s = asSeries(a);
      named.push([s.name, s]);
    } else if (typeof a === 'object' && a !== null && !Array.isArray(a)) {
      for (const [k, v] of Object.entries(a)) named.push([k, asSeries(v as SeriesLike, `align: "${k}"`).rename(k)]);
    } else throw new TypeError(`align: expected Series, Frames or a record of them, got ${describe(a)}`);
  }
  if (named.length === 0) throw new RangeError('align: nothing to align');
  const how = opts.how ?? 'inner';
  const { index, values } = alignArrays(
    named.map(([, s]) => s),
    how,
  );
  const names = uniqueNames(named.map(([n]) => n));
  const cols: Record<string, Float64Array> = {};
  names.forEach((n, k) => {
    cols[n] = values[k];
  });
  const dropped: Record<string, number> = {};
  names.forEach((n, k) => {
    dropped[n] = Math.max(
      0,
      named[k][1].length - (how === 'outer' ? named[k][1].length : countIn(named[k][1].index, index)),
    );
  });
  const meta: SeriesMeta = { alignment: alignmentOf(how, index), dropped };
  return new Frame(index, cols, meta);
}

function countIn(a: Float64Array, index: Float64Array): number {
  let i = 0,
    j = 0,
    c = 0;
  while (i < a.length && j < index.length) {
    if (a[i] === index[j]) {
      c++;
      i++;
      j++;
    } else if (a[i] < index[j]) i++;
    else j++;
  }
  return c;
}

/**
 * Two inputs on one calendar (the pair analyses' first step). With equal calendars the
 * arrays are used as they are ('none' is recorded unless a policy was asked for).
 */
export function alignPair(
  a: SeriesLike,
  b: SeriesLike,
  how: AlignHow | undefined,
  fn: string,
): { a: Series; b: Series; index: Float64Array; x: Float64Array; y: Float64Array; how: AlignmentInfo['how'] } {
  const sa = asSeries(a, `${fn}: first argument`),
    sb = asSeries(b, `${fn}: second argument`);
  if (sameIndex(sa.index, sb.index))
    return { a: sa, b: sb, index: sa.index, x: sa.values, y: sb.values, how: how ?? 'none' };
  const h = how ?? 'inner';
  const { index, values } = alignArrays([sa, sb], h);
  if (index.length === 0 && sa.length > 0 && sb.length > 0) {
    const span = (s: Series) =>
      `"${s.name}" ${formatTime(s.index[0])} .. ${formatTime(s.index[s.length - 1])} (${s.length} points)`;
    throw new RangeError(
      `${fn}: the two series have no date in common under how: '${h}': ${span(sa)} and ${span(sb)}. ` +
        `Different frequencies (e.g. monthly data dated the 1st against month-end labels) need resample() on both, or { how: 'ffill' }`,
    );
  }
  return { a: sa, b: sb, index, x: values[0], y: values[1], how: h };
}
