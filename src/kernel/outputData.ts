/**
 * The kernel's side of outputs that ask the kernel (protocol: src/shared/output-requests.ts):
 * what chart and table outputs reference stays here, under an opaque handle, in a bounded LRU
 * cache; zoom and page requests are answered from it.
 *
 *  - Handles are `h1.<nonce>.<n>`: the nonce is 16 random bytes drawn when this process starts,
 *    so a handle read from a file (another session's) is answered "gone", never with data.
 *  - The cache holds references to the cells' own typed arrays (no copies); its size is the sum of
 *    their bytes (arrays shared by two outputs count twice: an upper bound). Past the limit
 *    (`MKTNB_OUTPUT_CACHE_MB`, setting marketNotebooks.kernel.outputCacheMB) the least recently
 *    used entries are dropped, never the one just added. "Clear All Outputs" releases handles
 *    (`releaseOutputs`); a restart drops everything with the process.
 *  - A series-range request is answered with min and max per pixel column (every spike is drawn),
 *    or every point when the range holds few enough. A block index (min/max per 256 points) built
 *    when the output is made keeps a request over 10^8 points to a few milliseconds.
 *  - Requests are answered from the message loop: while a cell awaits (I/O, timers, DuckDB) they
 *    are answered between its steps; a cell in a long synchronous computation delays the answer
 *    until it yields or ends. Requests queue one event-loop turn apart, so a cancel that arrives
 *    before its request is reached drops it.
 *
 * (Over 300 lines: the store, its two answers and their sorting are one cache's code; the protocol is in src/shared.)
 */
import { randomBytes } from 'node:crypto';
import type { LiveSeries, LiveSource, LiveTable } from '../market/output';
import { outputError, parseOutputRequest, type OutputReply, type OutputRequest, type SeriesRangeTrace } from '../shared/output-requests';
import type { TableValue } from '../shared/schemas';

/** Points per block of the min/max index. */
const BLOCK = 256;
/** Series shorter than this are scanned directly (no index). */
const INDEX_FROM = 16 * BLOCK;
/** A range holding at most max(2 × columns, this) points is answered with every point. */
export const RAW_POINTS = 2000;

interface SeriesEntry {
  kind: 'series';
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  time: boolean;
  /** per block: index of its min and max finite y (-1: none), and whether it holds a missing value */
  bMin?: Int32Array;
  bMax?: Int32Array;
  bGap?: Uint8Array;
}

interface TableEntry {
  kind: 'table';
  source: LiveTable;
  /** the last sort asked for: its permutation (rows by position) */
  sorted?: { column: number; descending: boolean; order: Uint32Array };
}

type Entry = (SeriesEntry | TableEntry) & { bytes: number };

function bytesOf(a: ArrayLike<number>): number {
  return ArrayBuffer.isView(a) ? (a as unknown as ArrayBufferView).byteLength : a.length * 8;
}

export class OutputStore {
  readonly nonce: string;
  private seq = 0;
  /** Map order is recency: the first entry is the least recently used */
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  constructor(private maxBytes: number, nonce = randomBytes(16).toString('hex')) {
    this.nonce = nonce;
  }

  get size(): number { return this.entries.size; }
  get usedBytes(): number { return this.bytes; }

  /** Keeps a source and returns its handle, or undefined when it cannot be served (x not increasing). */
  register(source: LiveSource): string | undefined {
    let e: Entry;
    if (source.kind === 'series') {
      const s = seriesEntry(source);
      if (!s) return undefined;
      e = s;
    } else {
      e = { kind: 'table', source, bytes: source.length * 16 };
    }
    const handle = `h1.${this.nonce}.${++this.seq}`;
    this.entries.set(handle, e);
    this.bytes += e.bytes;
    this.evict(handle);
    return handle;
  }

  /** Drops the given handles (all when undefined). */
  release(handles?: readonly string[]): void {
    if (!handles) { this.entries.clear(); this.bytes = 0; return; }
    for (const h of handles) {
      const e = this.entries.get(h);
      if (!e) continue;
      this.entries.delete(h);
      this.bytes -= e.bytes;
    }
  }

  setLimit(maxBytes: number): void { this.maxBytes = maxBytes; this.evict(); }

  private evict(keep?: string): void {
    for (const [h, e] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      if (h === keep) continue;
      this.entries.delete(h);
      this.bytes -= e.bytes;
    }
  }

  private take(handle: string): Entry | undefined {
    if (!handle.startsWith(`h1.${this.nonce}.`)) return undefined;
    const e = this.entries.get(handle);
    if (!e) return undefined;
    this.entries.delete(handle);
    this.entries.set(handle, e); // most recently used now
    return e;
  }

  /** Answers one request (validated again here: the kernel trusts no sender). */
  answer(raw: unknown): OutputReply {
    const parsed = parseOutputRequest(raw);
    if ('problem' in parsed) return outputError('invalid', parsed.problem);
    const r: OutputRequest = parsed.request;
    const gone = (h: string) => outputError('gone', `this kernel session does not hold the output's data (${h.startsWith(`h1.${this.nonce}.`) ? 'it was released or dropped from the output cache' : 'it was made by another kernel session'}); showing what the notebook stored`);
    try {
      if (r.op === 'series-range') {
        const traces: SeriesRangeTrace[] = [];
        for (const h of r.handles) {
          const e = this.take(h);
          if (!e || e.kind !== 'series') return gone(h);
          traces.push(seriesRange(e, r.x0 ?? -Infinity, r.x1 ?? Infinity, r.columns));
        }
        return { ok: true, result: { op: 'series-range', traces } };
      }
      const e = this.take(r.handle);
      if (!e || e.kind !== 'table') return gone(r.handle);
      return { ok: true, result: { op: 'table-page', ...tablePage(e, r.offset, r.limit, r.sort) } };
    } catch (err) {
      return outputError('failed', (err as Error)?.message ?? String(err));
    }
  }
}

function seriesEntry(s: LiveSeries): (SeriesEntry & { bytes: number }) | undefined {
  const { x, y } = s;
  const n = y.length;
  if (x.length !== n) return undefined;
  for (let i = 1; i < n; i++) if (!(x[i] >= x[i - 1])) return undefined;
  const e: SeriesEntry & { bytes: number } = { kind: 'series', x, y, time: s.time, bytes: bytesOf(x) + bytesOf(y) };
  if (n >= INDEX_FROM) {
    const nb = Math.ceil(n / BLOCK);
    const bMin = new Int32Array(nb), bMax = new Int32Array(nb), bGap = new Uint8Array(nb);
    for (let b = 0; b < nb; b++) {
      let iMin = -1, iMax = -1, gap = 0;
      let lo = Infinity, hi = -Infinity;
      const end = Math.min(n, (b + 1) * BLOCK);
      for (let k = b * BLOCK; k < end; k++) {
        const v = y[k];
        if (v !== v) { gap = 1; continue; }
        if (v < lo) { lo = v; iMin = k; }
        if (v > hi) { hi = v; iMax = k; }
      }
      bMin[b] = iMin; bMax[b] = iMax; bGap[b] = gap;
    }
    e.bMin = bMin; e.bMax = bMax; e.bGap = bGap;
    e.bytes += nb * 9;
  }
  return e;
}

/** First k with a[k] >= v. */
function lowerBound(a: ArrayLike<number>, v: number, lo = 0, hi = a.length): number {
  while (lo < hi) { const m = (lo + hi) >>> 1; if (a[m] < v) lo = m + 1; else hi = m; }
  return lo;
}

/** First k with a[k] > v. */
function upperBound(a: ArrayLike<number>, v: number, lo = 0, hi = a.length): number {
  while (lo < hi) { const m = (lo + hi) >>> 1; if (a[m] <= v) lo = m + 1; else hi = m; }
  return lo;
}

/**
 * Points of x ∈ [x0, x1] (plus one on each side, so the line reaches the frame): all of them when
 * few enough, else the min and max of each of `columns` equal x-width columns, in x order, with a
 * null after a column that held missing values. As renderers/decimate.ts does in the webview.
 */
export function seriesRange(e: SeriesEntry, x0: number, x1: number, columns: number): SeriesRangeTrace {
  const { x, y } = e;
  const n = y.length;
  const from = lowerBound(x, x0), end = upperBound(x, x1, from);
  const lo = Math.max(0, from - 1), hi = Math.min(n, end + 1);
  const visible = end - from;
  const outX: number[] = [], outY: (number | null)[] = [];
  const push = (k: number) => { const v = y[k]; outX.push(x[k]); outY.push(v === v ? v : null); };
  if (hi - lo <= Math.max(2 * columns, RAW_POINTS)) {
    for (let k = lo; k < hi; k++) push(k);
    return { x: outX, y: outY, raw: true, visible, total: n, time: e.time };
  }
  const xa = x[lo], xb = x[hi - 1], span = xb - xa || 1;
  let s = lo;
  for (let c = 0; c < columns && s < hi; c++) {
    const edge = c === columns - 1 ? Infinity : xa + (span * (c + 1)) / columns;
    const t = edge === Infinity ? hi : lowerBound(x, edge, s, hi);
    if (t <= s) continue;
    let iMin = -1, iMax = -1, gap = false;
    const scan = (a: number, b: number) => {
      for (let k = a; k < b; k++) {
        const v = y[k];
        if (v !== v) { gap = true; continue; }
        if (iMin < 0 || v < y[iMin]) iMin = k;
        if (iMax < 0 || v > y[iMax]) iMax = k;
      }
    };
    if (e.bMin && t - s > 2 * BLOCK) {
      const b0 = Math.ceil(s / BLOCK), b1 = Math.floor(t / BLOCK);
      scan(s, b0 * BLOCK);
      for (let b = b0; b < b1; b++) {
        if (e.bGap![b]) gap = true;
        const p = e.bMin[b], q = e.bMax![b];
        if (p >= 0 && (iMin < 0 || y[p] < y[iMin])) iMin = p;
        if (q >= 0 && (iMax < 0 || y[q] > y[iMax])) iMax = q;
      }
      scan(b1 * BLOCK, t);
    } else scan(s, t);
    if (iMin >= 0) {
      const a = Math.min(iMin, iMax), b = Math.max(iMin, iMax);
      push(a);
      if (b !== a) push(b);
    }
    if (gap) { outX.push(x[t - 1]); outY.push(null); }
    s = t;
  }
  return { x: outX, y: outY, raw: false, visible, total: n, time: e.time };
}

function tablePage(e: TableEntry, offset: number, limit: number, sort?: { column: number; descending: boolean }): { rows: TableValue[][]; offset: number; totalRows: number } {
  const src = e.source;
  const n = src.length;
  const start = Math.min(offset, Math.max(0, n - 1));
  const stop = Math.min(n, start + limit);
  let at = (i: number) => i;
  if (sort) {
    const width = n ? src.row(0).length : 0;
    if (sort.column >= width) throw new RangeError(`the table has ${width} columns; cannot sort by column ${sort.column + 1}`);
    if (!e.sorted || e.sorted.column !== sort.column || e.sorted.descending !== sort.descending) {
      e.sorted = { ...sort, order: sortOrder(src, sort.column, sort.descending) };
    }
    const order = e.sorted.order;
    at = (i) => order[i];
  }
  const rows: TableValue[][] = [];
  for (let i = start; i < stop; i++) rows.push(src.row(at(i)));
  return { rows, offset: start, totalRows: n };
}

/**
 * Row order sorted by a column, stable, missing values last in both directions (pandas'
 * na_position='last'). Numeric keys (sortKey) go through an LSD radix sort on the IEEE bits:
 * 10^7 rows in well under a second, where a comparator sort takes several.
 */
export function sortOrder(src: LiveTable, column: number, descending: boolean): Uint32Array {
  const n = src.length;
  const key = src.sortKey?.(column);
  if (key && key.length === n) return radixOrder(key, descending);
  const vals: TableValue[] = new Array(n);
  for (let i = 0; i < n; i++) vals[i] = src.row(i)[column];
  const idx = Array.from({ length: n }, (_, i) => i);
  const missing = (v: TableValue) => v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v));
  const dir = descending ? -1 : 1;
  idx.sort((a, b) => {
    const va = vals[a], vb = vals[b];
    const ma = missing(va), mb = missing(vb);
    if (ma || mb) return ma && mb ? a - b : ma ? 1 : -1;
    const c = typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va) < String(vb) ? -1 : String(va) > String(vb) ? 1 : 0;
    return dir * c || a - b;
  });
  return Uint32Array.from(idx);
}

function radixOrder(key: ArrayLike<number>, descending: boolean): Uint32Array {
  const n = key.length;
  // finite values first, NaN rows appended after in their own order
  let m = 0;
  for (let i = 0; i < n; i++) if (key[i] === key[i]) m++;
  const hiW = new Uint32Array(m), loW = new Uint32Array(m), rowOf = new Uint32Array(m);
  // order holds positions into hiW/loW/rowOf
  let order = new Uint32Array(m);
  const f = new Float64Array(1), u = new Uint32Array(f.buffer);
  const nan: number[] = [];
  let j = 0;
  for (let i = 0; i < n; i++) {
    const v = key[i];
    if (v !== v) { nan.push(i); continue; }
    f[0] = v === 0 ? 0 : v; // -0 sorts with 0
    let h = u[1], l = u[0];
    // sortable bits: flip all for negatives, the sign bit for positives; descending: invert
    if (h & 0x80000000) { h = ~h >>> 0; l = ~l >>> 0; } else h = (h | 0x80000000) >>> 0;
    if (descending) { h = ~h >>> 0; l = ~l >>> 0; }
    hiW[j] = h; loW[j] = l; order[j] = j; rowOf[j] = i; j++;
  }
  let tmp = new Uint32Array(m);
  const count = new Uint32Array(65536);
  for (const [words, shift] of [[loW, 0], [loW, 16], [hiW, 0], [hiW, 16]] as const) {
    count.fill(0);
    for (let k = 0; k < m; k++) count[(words[order[k]] >>> shift) & 0xffff]++;
    let sum = 0;
    for (let d = 0; d < 65536; d++) { const c = count[d]; count[d] = sum; sum += c; }
    for (let k = 0; k < m; k++) { const r = order[k]; tmp[count[(words[r] >>> shift) & 0xffff]++] = r; }
    [order, tmp] = [tmp, order];
  }
  const out = new Uint32Array(n);
  for (let k = 0; k < m; k++) out[k] = rowOf[order[k]];
  out.set(nan, m);
  return out;
}

/** Captured before any cell runs (a cell may replace the global). */
const setImmediateOrig = setImmediate;

/** Default of marketNotebooks.kernel.outputCacheMB. */
export const DEFAULT_OUTPUT_CACHE_MB = 1024;

type OutputMessage =
  | { type: 'outputRequest'; req: number; request: unknown }
  | { type: 'outputCancel'; req: number }
  | { type: 'releaseOutputs'; handles?: string[] };

/**
 * Connects the store to the kernel: outputs made by cells register their data (liveOutputs in
 * src/market/output.ts), and `handle` answers the protocol messages, posting `outputReply`.
 */
export function installOutputData(liveOutputs: { register: ((s: LiveSource) => string | undefined) | undefined }, post: (m: { type: 'outputReply'; req: number; reply: OutputReply }) => void, cacheMb: number): { store: OutputStore; handle(m: OutputMessage): void } {
  const store = new OutputStore(Math.max(0, cacheMb) * 1024 * 1024);
  liveOutputs.register = (s) => store.register(s);
  const queue: Array<{ req: number; request: unknown }> = [];
  let scheduled = false;
  const pump = () => {
    scheduled = false;
    const job = queue.shift();
    if (!job) return;
    post({ type: 'outputReply', req: job.req, reply: store.answer(job.request) });
    if (queue.length) { scheduled = true; setImmediateOrig(pump); }
  };
  return {
    store,
    handle(m) {
      if (m.type === 'outputRequest') {
        if (typeof m.req !== 'number') return;
        queue.push({ req: m.req, request: m.request });
        if (!scheduled) { scheduled = true; setImmediateOrig(pump); }
      } else if (m.type === 'outputCancel') {
        const k = queue.findIndex((j) => j.req === m.req);
        if (k >= 0) { queue.splice(k, 1); post({ type: 'outputReply', req: m.req, reply: outputError('cancelled', 'superseded by a newer request') }); }
      } else if (m.type === 'releaseOutputs') {
        store.release(Array.isArray(m.handles) ? m.handles.filter((h): h is string => typeof h === 'string') : undefined);
      }
    },
  };
}
