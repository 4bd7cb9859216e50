/**
 * Streamed DuckDB results → typed-array columns: chunks arrive one async fetch at a time and
 * convert (convert.ts) straight into arrays sized from DuckDB's row estimate, or into growable
 * columns when there is no estimate or the result outgrows it.
 */
import type * as Bindings from '@duckdb/node-bindings';
import { bindings } from './native';
import { convertChunk, type Columns } from './convert';
import { planColumn } from './plan';

/** The largest resizable ArrayBuffer Node 20 allows (2^32 bytes: 536,870,912 doubles); beyond it a column grows by copying. */
const MAX_RESIZABLE = 2 ** 32;
/** Rows moved per step when a grown column becomes its final array (8 MB). */
const MOVE_ROWS = 1 << 20;
type Resizable = ArrayBuffer & { resize(n: number): void; resizable: boolean };

/**
 * A column of unknown final length that grows without copying: a resizable ArrayBuffer reserves
 * address space up to its maximum and commits memory only as it grows. finish() moves it into a
 * plain Float64Array of the exact length from the top down, shrinking the growable buffer after each
 * 8 MB step: the plain array's pages are committed only as they are written (the allocator's zeroed
 * pages are lazy), so the column's memory never exceeds its size plus 8 MB. The final arrays are
 * plain ones on purpose: V8 (Node 20) runs loops over views of resizable buffers several times
 * slower, and cannot structuredClone them. Without resizable buffers (or beyond 4 GB per
 * column) the column grows by doubling with a copy.
 */
export class GrowableColumn {
  private ab: ArrayBuffer;
  private resizable: boolean;
  private cap: number;
  /** `resizable: false` forces the fallback (growth by copying), as where resizable buffers are missing */
  constructor(initialRows = 2048, resizable = true) {
    this.cap = initialRows;
    try {
      if (!resizable) throw new Error('not resizable');
      this.ab = new (ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => ArrayBuffer)(
        initialRows * 8,
        { maxByteLength: MAX_RESIZABLE },
      );
      this.resizable = (this.ab as Resizable).resizable === true;
    } catch {
      this.ab = new ArrayBuffer(initialRows * 8);
      this.resizable = false;
    }
  }
  /** Copies `src` to rows [off, off + src.length), growing as needed. */
  write(src: Float64Array, off: number): void {
    const rows = off + src.length;
    if (rows > this.cap) this.grow(rows);
    new Float64Array(this.ab, off * 8, src.length).set(src);
  }
  private grow(rows: number): void {
    // by 1/8 at least, so that resizes stay few (each may be a system call)
    const want = Math.max(rows, Math.ceil(this.cap * 1.125));
    if (this.resizable && rows * 8 <= MAX_RESIZABLE) {
      this.cap = Math.min(want, MAX_RESIZABLE / 8);
      (this.ab as Resizable).resize(this.cap * 8);
      return;
    }
    const next = new Float64Array(Math.max(rows, 2 * this.cap));
    next.set(new Float64Array(this.ab, 0, Math.min(this.cap, this.ab.byteLength / 8)));
    this.ab = next.buffer as ArrayBuffer;
    this.cap = next.length;
    this.resizable = false;
  }
  /** The first `rows` values as a plain Float64Array of exactly that length (the growable buffer is emptied). */
  finish(rows: number): Float64Array {
    if (!this.resizable)
      return rows === this.cap && this.ab.byteLength === rows * 8
        ? new Float64Array(this.ab)
        : new Float64Array(this.ab, 0, rows).slice();
    const out = new Float64Array(rows);
    const ab = this.ab as Resizable;
    for (let end = rows; end > 0; end -= MOVE_ROWS) {
      const start = Math.max(0, end - MOVE_ROWS);
      out.set(new Float64Array(ab, start * 8, end - start), start);
      ab.resize(start * 8);
    }
    this.cap = 0;
    return out;
  }
}

/** How far a streamed result may run ahead of its reader (DuckDB's streaming_buffer_size, set on the engine's and the worker's connections): a bounded part of a query's peak memory. */
export const STREAM_BUFFER = '4MB';

/** Most rows a column is allocated for up front from DuckDB's estimate (4 GB of doubles); beyond it a column grows. */
const MAX_DIRECT = 2 ** 29;
/** A result this much smaller than its direct allocation is copied to its exact length (1 MB): beyond it a view is returned, see streamColumns. */
const SMALL_COPY_ROWS = 1 << 17;

/**
 * Every column of a streaming result (@duckdb/node-api's `stream()`), converted chunk by chunk as
 * DuckDB produces them: no materialized copy of the result in DuckDB. The next chunk is requested
 * before the current one is converted, so DuckDB's threads work meanwhile.
 *
 * Where the rows go: `expectRows` (DuckDB's progress estimate of the rows the query processes,
 * `total_rows_to_process`: exact, plus one, for a scan) sizes plain Float64Arrays once, when the
 * first chunk arrives, and every chunk is converted straight into them: one copy per value and
 * each page of memory touched once (page faults, not copies, were most of the conversion's cost:
 * growing, then moving into exact-length arrays, touched every page twice). A plain array's
 * pages are committed only as they are written, so an estimate above the result costs address
 * space, not memory: a result shorter than its arrays is returned as a view of them (a copy of
 * the exact length when it is below 1 MB). A result longer than the estimate (a join that
 * multiplies rows), or one without an estimate, grows in place instead (GrowableColumn).
 */
export async function streamColumns(
  raw: Bindings.Result,
  names: string[],
  expectRows?: () => number,
): Promise<Columns> {
  const duckdb = bindings();
  const plans = names.map((n, i) => planColumn(n, duckdb.column_logical_type(raw, i)));
  const size = duckdb.vector_size();
  let direct: Float64Array[] | undefined;
  let grow: GrowableColumn[] | undefined;
  let scratch: Float64Array[] | undefined;
  let rows = 0;
  let next: Promise<Bindings.DataChunk | null> | undefined = duckdb.fetch_chunk(raw);
  try {
    for (;;) {
      const chunk = await next;
      next = undefined;
      if (!chunk) break;
      const n = duckdb.data_chunk_get_size(chunk);
      if (n === 0) break;
      if (n > size) throw new Error(`internal: a DuckDB chunk of ${n} rows exceeds the vector size ${size}`);
      // asked before the next fetch is in flight
      if (rows === 0 && expectRows) direct = directColumns(plans.length, expectRows(), n);
      next = duckdb.fetch_chunk(raw);
      if (direct && rows + n <= direct[0].length) {
        convertChunk(chunk, plans, direct, rows);
      } else {
        if (!grow) {
          // more rows than estimated (or no estimate): grow from here on, starting with what the direct arrays hold
          grow = plans.map(() => new GrowableColumn(Math.max(size, Math.ceil((rows + n) * 1.125))));
          if (direct) for (let j = 0; j < grow.length; j++) grow[j].write(direct[j].subarray(0, rows), 0);
          direct = undefined;
          scratch = plans.map(() => new Float64Array(size));
        }
        convertChunk(chunk, plans, scratch!, 0);
        for (let j = 0; j < grow.length; j++)
          grow[j].write(n === size ? scratch![j] : scratch![j].subarray(0, n), rows);
      }
      rows += n;
    }
  } finally {
    // a conversion that failed leaves a fetch in flight: its outcome no longer matters
    next?.catch(() => undefined);
  }
  let cols: Float64Array[];
  if (grow) cols = grow.map((g) => g.finish(rows));
  else if (direct)
    cols = direct.map((a) =>
      rows === a.length ? a : rows <= SMALL_COPY_ROWS ? a.slice(0, rows) : a.subarray(0, rows),
    );
  else cols = plans.map(() => new Float64Array(0));
  return { names, plans, cols, rows };
}

/** Plain arrays for `expected` rows (DuckDB's estimate), or undefined when there is none usable or the allocation fails. */
function directColumns(count: number, expected: number, first: number): Float64Array[] | undefined {
  if (count === 0 || !(expected >= first) || expected > MAX_DIRECT) return undefined;
  try {
    return Array.from({ length: count }, () => new Float64Array(expected));
  } catch {
    return undefined;
  } // address space refused (a huge estimate): grow instead
}

/** DuckDB's estimate of the rows the running query of `connection` processes (0 when it has none); see streamColumns. */
export function expectedRows(connection: { progress: { total_rows_to_process: bigint | number } }): () => number {
  return () => {
    try {
      return Number(connection.progress.total_rows_to_process);
    } catch {
      return 0;
    }
  };
}
