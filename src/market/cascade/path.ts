/** Normalising price-path inputs (a Frame, a Series, or plain arrays) without depending on a loader. */
import { Frame, Series, toTime } from '../series';

/** Explicit arrays; `time` optional (steps are numbered when absent). */
export interface PathArrays {
  time?: Array<number | string | Date> | Float64Array;
  open?: ArrayLike<number>;
  high?: ArrayLike<number>;
  low?: ArrayLike<number>;
  close: ArrayLike<number>;
}

export type PathInput = Frame | Series | PathArrays;

export interface OHLCPath {
  /** epoch ms UTC, or NaN per step when the input had no time */
  time: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  hasTime: boolean;
  length: number;
}

function col(f: Frame, names: string[]): Float64Array | undefined {
  for (const n of names) {
    const hit = Object.keys(f.columns).find((k) => k.toLowerCase() === n);
    if (hit) return f.columns[hit];
  }
  return undefined;
}

/**
 * Accepts a Frame with high/low/close (open optional; 'adj close'/'price' accepted for close),
 * a Series (close only: high = low = close) or {time?, open?, high?, low?, close}.
 * Rows with a non-finite close are dropped; a missing high/low falls back to the close.
 */
export function toOHLC(p: PathInput, what = 'path'): OHLCPath {
  let time: Float64Array,
    close: Float64Array,
    high: Float64Array | undefined,
    low: Float64Array | undefined,
    open: Float64Array | undefined;
  let hasTime = true;
  if (p instanceof Frame) {
    const c = col(p, ['close', 'adj close', 'adj_close', 'price', 'value']);
    if (!c) throw new RangeError(`${what}: the Frame has no close column (columns: ${p.names.join(', ')})`);
    time = p.index;
    close = c;
    high = col(p, ['high']);
    low = col(p, ['low']);
    open = col(p, ['open']);
  } else if (p instanceof Series) {
    time = p.index;
    close = p.values;
  } else if (p && typeof p === 'object' && 'close' in p && p.close) {
    close = Float64Array.from(p.close);
    const n = close.length;
    const arr = (a: ArrayLike<number> | undefined, name: string) => {
      if (!a) return undefined;
      if (a.length !== n) throw new RangeError(`${what}: ${name} has ${a.length} values for ${n} closes`);
      return Float64Array.from(a);
    };
    high = arr(p.high, 'high');
    low = arr(p.low, 'low');
    open = arr(p.open, 'open');
    if (p.time) {
      if (p.time.length !== n) throw new RangeError(`${what}: time has ${p.time.length} values for ${n} closes`);
      time = Float64Array.from(Array.from(p.time as ArrayLike<number | string | Date>, (t) => toTime(t)));
    } else {
      time = new Float64Array(n).fill(NaN);
      hasTime = false;
    }
  } else {
    throw new TypeError(`${what}: expected a Frame (high/low/close), a Series or {time?, high?, low?, close}`);
  }
  const keep: number[] = [];
  for (let i = 0; i < close.length; i++) if (Number.isFinite(close[i]) && close[i] > 0) keep.push(i);
  const n = keep.length;
  const out: OHLCPath = {
    time: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    hasTime,
    length: n,
  };
  for (let j = 0; j < n; j++) {
    const i = keep[j];
    const c = close[i];
    out.time[j] = time[i];
    out.close[j] = c;
    const o = open?.[i],
      h = high?.[i],
      l = low?.[i];
    out.open[j] = o !== undefined && Number.isFinite(o) && o > 0 ? o : j > 0 ? out.close[j - 1] : c;
    out.high[j] = h !== undefined && Number.isFinite(h) ? Math.max(h, c, out.open[j]) : Math.max(c, out.open[j]);
    out.low[j] =
      l !== undefined && Number.isFinite(l) && l > 0 ? Math.min(l, c, out.open[j]) : Math.min(c, out.open[j]);
  }
  if (n === 0) throw new RangeError(`${what}: no valid prices`);
  return out;
}
