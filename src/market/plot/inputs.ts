/**
 * Turning what a cell passes to plot.* into named x/y columns. Accepts exactly the shapes of
 * PlotInput: Series and Frame (by their fields), plain arrays and typed arrays, {index, values}
 * look-alikes, arrays and records of those. Builders that take an analysis result (plot.drawdown,
 * plot.rolling, plot.event, plot.heatmap) declare its type and unwrap it themselves: nothing
 * here guesses which field of an object holds a series.
 */
import { Frame, type Series, formatTime } from '../series';

/** Something plot.* can draw as one line. */
export type SeriesLike =
  Series | ArrayLike<number> | { index: ArrayLike<number>; values: ArrayLike<number>; name?: string };

/** One or several lines. */
export type PlotInput = SeriesLike | Frame | SeriesLike[] | Record<string, SeriesLike>;

export interface Column {
  name: string;
  /** epoch ms when time is true, else positions or plain numbers */
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** x is a UTC timestamp (epoch ms) */
  time: boolean;
}

function isArrayLikeNumbers(v: unknown): v is ArrayLike<number> {
  if (ArrayBuffer.isView(v)) return true;
  return Array.isArray(v) && (v.length === 0 || typeof v[0] === 'number' || v[0] === null);
}

/** An indexed series: a Series or an {index, values} look-alike. */
export type Indexed = { index: ArrayLike<number>; values: ArrayLike<number>; name?: string };

export function isIndexed(v: unknown): v is Indexed {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Partial<Indexed>;
  return isArrayLikeNumbers(o.index) && isArrayLikeNumbers(o.values);
}

function isFrameLike(v: unknown): v is { index: ArrayLike<number>; columns: Record<string, ArrayLike<number>> } {
  if (v instanceof Frame) return true;
  if (typeof v !== 'object' || v === null) return false;
  const o = v as { index?: unknown; columns?: unknown };
  return (
    isArrayLikeNumbers(o.index) &&
    typeof o.columns === 'object' &&
    o.columns !== null &&
    !Array.isArray(o.columns) &&
    Object.values(o.columns).every(isArrayLikeNumbers)
  );
}

/** Timestamps look like epoch ms from 1971 onward (a positional 0..n-1 index does not). */
function looksLikeTime(index: ArrayLike<number>): boolean {
  return index.length > 0 && index[0] > 3.2e10;
}

export function toColumns(input: PlotInput, fallbackName = 'value'): Column[] {
  if (isFrameLike(input)) {
    const idx = input.index;
    return Object.entries(input.columns).map(([name, y]) => ({ name, x: idx, y, time: looksLikeTime(idx) }));
  }
  if (isArrayLikeNumbers(input)) {
    return [{ name: fallbackName, x: positions(input.length), y: input, time: false }];
  }
  if (Array.isArray(input)) {
    return input.flatMap((s, i) => toColumns(s as PlotInput, `${fallbackName} ${i + 1}`));
  }
  if (isIndexed(input))
    return [{ name: input.name ?? fallbackName, x: input.index, y: input.values, time: looksLikeTime(input.index) }];
  if (typeof input === 'object' && input !== null) {
    const entries = Object.entries(input as Record<string, unknown>);
    const cols: Column[] = [];
    for (const [k, v] of entries) {
      if (isArrayLikeNumbers(v) || isIndexed(v))
        cols.push(...toColumns(v as PlotInput, k).map((c) => ({ ...c, name: k })));
    }
    if (cols.length) return cols;
  }
  throw new TypeError(
    `plot: cannot draw ${describe(input)}; pass a Series, a Frame, an array of numbers, or {name: Series}`,
  );
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v !== 'object') return `a ${typeof v}`;
  const ctor = (v as object).constructor?.name;
  const keys = Object.keys(v as object)
    .slice(0, 6)
    .join(', ');
  return `${ctor && ctor !== 'Object' ? `a ${ctor}` : 'an object'}${keys ? ` with fields ${keys}` : ''}`;
}

export function positions(n: number): Float64Array {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

/** Numbers rounded for storage (8 significant digits), non-finite as null. */
export function compact(v: number | null | undefined): number | null {
  if (v === null || v === undefined || !Number.isFinite(v)) return null;
  return v === 0 || Number.isInteger(v) ? v : Number(v.toPrecision(8));
}

export function xOut(x: number, time: boolean): string | number {
  return time ? formatTime(x) : x;
}

/** Inner join of two time-indexed columns on equal timestamps (both indexes increasing). */
export function innerJoin(a: Column, b: Column): { x: number[]; ya: number[]; yb: number[] } {
  const x: number[] = [],
    ya: number[] = [],
    yb: number[] = [];
  if (!a.time || !b.time) {
    if (a.y.length !== b.y.length)
      throw new RangeError(
        `plot.scatter: y has ${a.y.length} points and x has ${b.y.length}; pass Series (aligned on dates) or arrays of equal length`,
      );
    for (let i = 0; i < a.y.length; i++) {
      x.push(i);
      ya.push(a.y[i]);
      yb.push(b.y[i]);
    }
    return { x, ya, yb };
  }
  let i = 0,
    j = 0;
  while (i < a.x.length && j < b.x.length) {
    if (a.x[i] < b.x[j]) i++;
    else if (a.x[i] > b.x[j]) j++;
    else {
      x.push(a.x[i]);
      ya.push(a.y[i]);
      yb.push(b.y[j]);
      i++;
      j++;
    }
  }
  return { x, ya, yb };
}
