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
 * The two answers are outputSeries.ts (zoom) and outputTable.ts (pages and sorts); the protocol is
 * in src/shared/output-requests.ts.
 */
import { randomBytes } from 'node:crypto';
import type { LiveSource } from '../market/output';
import {
  outputError,
  parseOutputRequest,
  type OutputReply,
  type OutputRequest,
  type SeriesRangeTrace,
} from '../shared/output-requests';
import { seriesEntry, seriesRange, type SeriesEntry } from './outputSeries';
import { tablePage, type TableEntry } from './outputTable';

type Entry = (SeriesEntry | TableEntry) & { bytes: number };

export class OutputStore {
  readonly nonce: string;
  private seq = 0;
  /** Map order is recency: the first entry is the least recently used */
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  constructor(
    private maxBytes: number,
    nonce = randomBytes(16).toString('hex'),
  ) {
    this.nonce = nonce;
  }

  get size(): number {
    return this.entries.size;
  }
  get usedBytes(): number {
    return this.bytes;
  }

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
    if (!handles) {
      this.entries.clear();
      this.bytes = 0;
      return;
    }
    for (const h of handles) {
      const e = this.entries.get(h);
      if (!e) continue;
      this.entries.delete(h);
      this.bytes -= e.bytes;
    }
  }

  setLimit(maxBytes: number): void {
    this.maxBytes = maxBytes;
    this.evict();
  }

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
    const gone = (h: string) =>
      outputError(
        'gone',
        `this kernel session does not hold the output's data (${h.startsWith(`h1.${this.nonce}.`) ? 'it was released or dropped from the output cache' : 'it was made by another kernel session'}); showing what the notebook stored`,
      );
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
export function installOutputData(
  liveOutputs: { register: ((s: LiveSource) => string | undefined) | undefined },
  post: (m: { type: 'outputReply'; req: number; reply: OutputReply }) => void,
  cacheMb: number,
): { store: OutputStore; handle(m: OutputMessage): void } {
  const store = new OutputStore(Math.max(0, cacheMb) * 1024 * 1024);
  liveOutputs.register = (s) => store.register(s);
  const queue: Array<{ req: number; request: unknown }> = [];
  let scheduled = false;
  const pump = () => {
    scheduled = false;
    const job = queue.shift();
    if (!job) return;
    post({ type: 'outputReply', req: job.req, reply: store.answer(job.request) });
    if (queue.length) {
      scheduled = true;
      setImmediateOrig(pump);
    }
  };
  return {
    store,
    handle(m) {
      if (m.type === 'outputRequest') {
        if (typeof m.req !== 'number') return;
        queue.push({ req: m.req, request: m.request });
        if (!scheduled) {
          scheduled = true;
          setImmediateOrig(pump);
        }
      } else if (m.type === 'outputCancel') {
        const k = queue.findIndex((j) => j.req === m.req);
        if (k >= 0) {
          queue.splice(k, 1);
          post({ type: 'outputReply', req: m.req, reply: outputError('cancelled', 'superseded by a newer request') });
        }
      } else if (m.type === 'releaseOutputs') {
        store.release(
          Array.isArray(m.handles) ? m.handles.filter((h): h is string => typeof h === 'string') : undefined,
        );
      }
    },
  };
}
