/**
 * The embedded SQL engine: one DuckDB database per kernel (or per Node program), with its
 * connection, its memory limit, interrupt and progress, Frames and Series of the program
 * queryable by name, and results as Frames of Float64Array columns (see convert.ts).
 *
 * Why DuckDB (@duckdb/node-api): an embedded columnar engine that reads Parquet, CSV and JSON
 * itself (both extensions are statically linked in the npm build: no download at first use),
 * streams larger-than-memory scans, and ships its native binary in npm packages per platform.
 *
 * (Over 300 lines on purpose: most of it is one class, the Engine, whose query(), run() and
 * register() of Frames for scans share one connection, its memory limit, interrupt and progress.)
 */
import * as path from 'node:path';
import type * as Bindings from '@duckdb/node-bindings';
import type {
  DuckDBConnection,
  DuckDBInstance,
  DuckDBMaterializedResult,
  DuckDBResult,
  DuckDBValue,
} from '@duckdb/node-api';
import { bindings, nodeApi } from './native';
import { Frame, Series, type SeriesMeta } from '../market/series';
import { runtime } from '../market/context';
import { resultColumns, type Columns } from './convert';
import { UnsupportedTypeError } from './plan';
import { expectedRows, STREAM_BUFFER, streamColumns } from './stream';
import { installScan, SCAN_FUNCTION, type ScanSource } from './scan';
import { errorPosition, explainError, identifiers, quoteIdent, quoteLiteral, splitStatements } from './sqlText';

export interface EngineOptions {
  /** a .duckdb file to open (created when missing); default: an in-memory database */
  path?: string;
  /** DuckDB's memory_limit in MB (default: DuckDB's own, 80% of RAM) */
  memoryLimitMb?: number;
  /** DuckDB's threads (default: DuckDB's own, the number of cores) */
  threads?: number;
  /** folder relative file names in queries resolve against (default: the library's runtime.baseDir) */
  baseDir?: string;
  /** extra DuckDB settings (e.g. { extension_directory: '…' }) */
  settings?: Record<string, string>;
}

/** How a name in a query finds a Series or Frame of the program (the kernel looks at cell globals). */
export type TableLookup = (name: string) => unknown;

/** Error of a query: DuckDB's own message, plus where in the query text it points (1-based). */
export class SqlError extends Error {
  constructor(
    message: string,
    public readonly sql: string,
    public readonly line?: number,
    public readonly column?: number,
  ) {
    super(message);
    this.name = 'SqlError';
  }
}

export interface QueryOptions {
  /** called about every 250 ms with DuckDB's progress (0..100) while the query runs, when DuckDB reports it */
  onProgress?: (percent: number) => void;
  /** name of the result (meta.name) */
  name?: string;
}

/** DuckDB's StatementType of a SELECT */
const STATEMENT_SELECT = 1;

export class Engine {
  /** registered program values: table name → the object its contents came from */
  private readonly registered = new Map<string, object>();
  private active = 0;
  /** interrupt() was called during the running query (a streaming read ends without saying why) */
  private interrupted = false;
  private closed = false;

  private constructor(
    readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
    readonly options: EngineOptions,
  ) {}

  static async open(options: EngineOptions = {}): Promise<Engine> {
    const settings: Record<string, string> = { ...options.settings };
    if (options.memoryLimitMb) settings.memory_limit = `${Math.floor(options.memoryLimitMb)}MiB`;
    if (options.threads) settings.threads = String(options.threads);
    const file = options.path ? path.resolve(options.baseDir ?? runtime.baseDir, options.path) : ':memory:';
    let instance: DuckDBInstance;
    try {
      instance = await nodeApi().DuckDBInstance.create(file, settings);
    } catch (e) {
      throw new SqlError(
        `DuckDB could not open ${file === ':memory:' ? 'an in-memory database' : file}: ${(e as Error).message}`,
        '',
      );
    }
    const connection = await instance.connect();
    // relative paths in queries ('data/x.parquet') resolve against the notebook's folder, as load() does
    const base = options.baseDir ?? runtime.baseDir;
    await connection.run(`SET file_search_path = ${quoteLiteral(base)}`);
    // progress of long queries for onProgress (polled), never printed to the process's stdout
    await connection.run('SET enable_progress_bar = true; SET enable_progress_bar_print = false');
    // a streamed result may run 4 MB ahead of its reader (DuckDB's default is ~1 MB): DuckDB's threads
    // then work while the reader's round trips wait, ~8% of a streamed read at 10^7 rows for ~3 MB of
    // peak memory (32 MB gained no more and cost ~50 MB of peak)
    if (!('streaming_buffer_size' in settings)) await connection.run(`SET streaming_buffer_size = '${STREAM_BUFFER}'`);
    const engine = new Engine(instance, connection, { ...options, baseDir: base });
    installScan(connection, (name) => {
      const v = engine.registered.get(name);
      return v instanceof Series || v instanceof Frame ? describe(v) : undefined;
    });
    return engine;
  }

  /** whether a query is running */
  get busy(): boolean {
    return this.active > 0;
  }

  /** Stops the running query (DuckDB's interrupt): it fails with "INTERRUPT Error"; the database keeps its state. */
  interrupt(): void {
    if (this.active > 0) {
      this.interrupted = true;
      this.connection.interrupt();
    }
  }

  /**
   * Runs a query (several statements: the result of the last) with bound parameters and
   * returns the result as a Frame (see toFrame).
   */
  async query(
    text: string,
    params: DuckDBValue[] = [],
    options: QueryOptions = {},
    lookup?: TableLookup,
  ): Promise<Frame> {
    // the last statement streams: its chunks become arrays as DuckDB produces them (no materialized copy)
    const cols = await this.execute(text, params, options, lookup, true, async (r, rerun) => {
      const raw = (r as unknown as { result: Bindings.Result }).result;
      const duckdb = bindings();
      const streaming = duckdb.result_is_streaming(raw);
      const type = r.statementType as number;
      // DuckDB's estimate of the rows sizes the arrays once (see streamColumns)
      const c = await streamColumns(raw, r.deduplicatedColumnNames(), expectedRows(this.connection));
      // A streaming result that fails mid-way (a runtime error, out of memory, interrupt) ends like
      // one that is exhausted: the bindings' fetch_chunk returns an empty chunk and do not expose
      // duckdb_result_error. The result then stops being a streaming result, which is the tell.
      if (streaming && !duckdb.result_is_streaming(raw)) {
        if (this.interrupted) throw new Error('INTERRUPT Error: Interrupted!');
        // a SELECT is run again, materialized, for DuckDB's own message (or, were the failure transient, its rows)
        if (type === STATEMENT_SELECT) return resultColumns(await rerun());
        throw new Error(
          "the statement failed while its result was read, and DuckDB's streaming API does not say why; run it with db.run(…) to see the error",
        );
      }
      return c;
    });
    return toFrame(cols, { source: 'sql', sql: text, ...(options.name ? { name: options.name } : {}) });
  }

  /** Runs a query and returns DuckDB's materialized result (for callers that convert it themselves). */
  async run(
    text: string,
    params: DuckDBValue[] = [],
    options: QueryOptions = {},
    lookup?: TableLookup,
  ): Promise<DuckDBMaterializedResult> {
    return this.execute(text, params, options, lookup, false, async (r) => r as DuckDBMaterializedResult);
  }

  /**
   * Runs the statements of `text` in order (one at a time: DuckDB's error positions are within the
   * statement it ran) and hands the last one's result to `consume`, streaming or materialized.
   * Errors of the statements and of `consume` (a streaming result fails while it is read) become
   * SqlErrors with the position in `text`; progress and interrupt cover both.
   */
  private async execute<R>(
    text: string,
    params: DuckDBValue[],
    options: QueryOptions,
    lookup: TableLookup | undefined,
    stream: boolean,
    consume: (result: DuckDBResult, rerun: () => Promise<DuckDBMaterializedResult>) => Promise<R>,
  ): Promise<R> {
    if (this.closed) throw new SqlError('the database was closed', text);
    if (lookup) await this.registerReferenced(text, lookup);
    this.active++;
    if (this.active === 1) this.interrupted = false;
    let last = -1;
    const timer = options.onProgress
      ? setInterval(() => {
          try {
            const p = Math.floor(this.connection.progress.percentage);
            if (p >= 0 && p !== last) {
              last = p;
              options.onProgress!(p);
            }
          } catch {
            /* no progress */
          }
        }, 250)
      : undefined;
    (timer as { unref?: () => void } | undefined)?.unref?.();
    let offset = 0;
    const cleanup: Array<() => void> = [];
    try {
      const stmts = splitStatements(text);
      if (!stmts.length) throw new SqlError('the query has no statement', text);
      let result: DuckDBResult | undefined;
      for (let i = 0; i < stmts.length; i++) {
        const st = stmts[i];
        offset = st.offset;
        const streaming = stream && i === stmts.length - 1;
        result = params.length
          ? await this.runPrepared(st.text, params, streaming, cleanup)
          : streaming
            ? await this.connection.stream(st.text)
            : await this.connection.run(st.text);
      }
      const lastSt = stmts[stmts.length - 1];
      return await consume(
        result!,
        async () =>
          (params.length
            ? await this.runPrepared(lastSt.text, params, false, cleanup)
            : await this.connection.run(lastSt.text)) as DuckDBMaterializedResult,
      );
    } catch (e) {
      if (e instanceof SqlError || e instanceof UnsupportedTypeError) throw e;
      const msg = explainError(String((e as Error)?.message ?? e));
      const pos = errorPosition(msg, text, offset);
      throw new SqlError(msg, text, pos?.line, pos?.column);
    } finally {
      if (timer) clearInterval(timer);
      for (const f of cleanup) f();
      this.active--;
    }
  }

  /** A statement with bound values; `cleanup` gets what to destroy once a streaming result has been read. */
  private async runPrepared(
    text: string,
    params: DuckDBValue[],
    stream: boolean,
    cleanup: Array<() => void>,
  ): Promise<DuckDBResult> {
    const p = await this.connection.prepare(text);
    // a streaming result is read after this returns: its statement lives until then
    if (stream) cleanup.push(() => p.destroySync());
    try {
      // $n refers to the n-th value of the whole query: a statement binds the values up to its highest $n
      const n = p.parameterCount;
      if (n > params.length) throw new Error(`the statement uses $${n} but only ${params.length} values were given`);
      if (n) p.bind(params.slice(0, n));
      return stream ? await p.stream() : await p.run();
    } finally {
      if (!stream) p.destroySync();
    }
  }

  /**
   * Makes a Series or Frame queryable as the table `name` (index → TIMESTAMP "date", values → DOUBLE):
   * a temporary view over the scan of its arrays (scan.ts: nothing is copied until a query reads
   * it, then one chunk at a time). Registering the same object again does nothing.
   */
  async register(name: string, value: Series | Frame): Promise<void> {
    if (this.registered.get(name) === value) return;
    const before = this.registered.get(name);
    this.registered.set(name, value);
    // the view's columns are fixed when it is created: a value of other columns needs a new view
    if (before && sameColumns(before as Series | Frame, value)) return;
    try {
      await this.connection.run(
        `CREATE OR REPLACE TEMP VIEW ${quoteIdent(name)} AS SELECT * FROM ${SCAN_FUNCTION}(${quoteLiteral(name)})`,
      );
    } catch (e) {
      this.registered.delete(name);
      throw e;
    }
  }

  /** Drops a registered value's view. */
  async unregister(name: string): Promise<void> {
    if (!this.registered.delete(name)) return;
    await this.connection.run(`DROP VIEW IF EXISTS temp.main.${quoteIdent(name)}`);
  }

  /** Registers the Series/Frames a query names (identifiers outside strings and comments) that the database has no table or view for. */
  async registerReferenced(text: string, lookup: TableLookup): Promise<void> {
    const names = identifiers(text).filter((n) => {
      const v = lookup(n);
      return v instanceof Series || v instanceof Frame;
    });
    if (!names.length) return;
    const own = await this.connection.runAndReadAll(
      `SELECT table_name FROM duckdb_tables() UNION ALL SELECT view_name FROM duckdb_views() WHERE NOT internal AND NOT (temporary AND database_name = 'temp' AND sql LIKE '%${SCAN_FUNCTION}(%')`,
    );
    const taken = new Set(own.getRows().map((r) => String(r[0]).toLowerCase()));
    for (const n of names) {
      // the database's own table or view wins: a registration of the name would shadow it (temp comes first)
      if (taken.has(n.toLowerCase())) {
        await this.unregister(n);
        continue;
      }
      await this.register(n, lookup(n) as Series | Frame);
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.connection.closeSync();
    } catch {
      /* closed */
    }
    try {
      this.instance.closeSync();
    } catch {
      /* closed */
    }
  }
}

/** A value as the columns of its table (scan.ts). */
function describe(value: Series | Frame): ScanSource {
  if (value instanceof Series) return { names: [value.name || 'value'], index: value.index, cols: [value.values] };
  return { names: value.names, index: value.index, cols: value.names.map((n) => value.columns[n]) };
}

function sameColumns(a: Series | Frame, b: Series | Frame): boolean {
  return describe(a).names.join('\u0000') === describe(b).names.join('\u0000');
}

/**
 * A result as a Frame: the first DATE/TIMESTAMP column is the index (its name in meta.indexColumn),
 * the others are columns (other time columns as epoch ms). A result without a time column is
 * indexed by row number (0, 1, …; meta.index = 'row').
 */
export function toFrame(c: Columns, meta: SeriesMeta = {}): Frame {
  const ti = c.plans.findIndex((p) => p.time);
  const columns: Record<string, Float64Array> = {};
  let index: Float64Array;
  const m: SeriesMeta = { ...meta, rows: c.rows, types: Object.fromEntries(c.plans.map((p) => [p.name, p.sqlType])) };
  if (ti >= 0) {
    index = c.cols[ti];
    m.indexColumn = c.names[ti];
  } else {
    index = new Float64Array(c.rows);
    for (let i = 0; i < c.rows; i++) index[i] = i;
    m.index = 'row';
  }
  c.names.forEach((n, j) => {
    if (j !== ti) columns[n] = c.cols[j];
  });
  return new Frame(index, columns, m);
}

/** A JS value for a bound parameter: Dates become TIMESTAMP values (UTC), everything else as @duckdb/node-api binds it. */
export function toParam(v: unknown): DuckDBValue {
  if (v instanceof Date) {
    const ms = v.getTime();
    if (!Number.isFinite(ms)) throw new RangeError('an invalid Date was passed as a query parameter');
    return new (nodeApi().DuckDBTimestampValue)(BigInt(Math.round(ms)) * 1000n);
  }
  return v as DuckDBValue;
}
