/**
 * SQL for cells and Node programs, on one embedded DuckDB database per process (per kernel):
 *
 *   const bars = await sql`SELECT * FROM 'data/btc.parquet' WHERE ts >= ${from}`;   // → Frame
 *   const c = await db.connection();      // @duckdb/node-api: prepare, appenders, EXPLAIN, …
 *
 * Every ${} of sql`` is a bound parameter ($1, $2, …), never text spliced into the query.
 * Series and Frames are queryable by name: in a notebook every cell variable holding one is found
 * by the name the query uses; a Node program registers them with db.register(name, value).
 * See docs/data.md.
 */
import type { DuckDBConnection, DuckDBMaterializedResult } from '@duckdb/node-api';
import type { Frame, Series } from '../market/series';
import { Engine, toParam, type EngineOptions, type QueryOptions, type TableLookup } from './engine';
import { interruptConnections, on } from './connections';

export { Engine, SqlError, toFrame } from './engine';
export { explainError, errorPosition, identifiers } from './sqlText';
export type { EngineOptions, QueryOptions, TableLookup } from './engine';
export { UnsupportedTypeError } from './plan';

let options: EngineOptions = {};
let lookup: TableLookup | undefined;
let engine: Promise<Engine> | undefined;
let progress: ((percent: number) => void) | undefined;

/**
 * Sets how the process's database opens (before its first use; the kernel sets the memory limit
 * and the notebook's database file) and how query names find program values.
 */
export function configureEngine(
  opts: EngineOptions & { lookup?: TableLookup; onProgress?: (percent: number) => void },
): void {
  const { lookup: l, onProgress: p, ...rest } = opts;
  if (l) lookup = l;
  if (p) progress = p;
  if (engine && rest.path !== undefined && rest.path !== options.path) {
    throw new Error(
      `the database is already open (${options.path ?? 'in memory'}); restart the kernel to open ${rest.path}`,
    );
  }
  options = { ...options, ...rest };
}

/** The process's database, opened on first use. */
export function getEngine(): Promise<Engine> {
  if (!engine) {
    engine = Engine.open(options);
    engine.catch(() => {
      engine = undefined;
    });
  }
  return engine;
}

/** Stops the running query of the process's database, if any (kernel interrupt). */
export function interruptQueries(): void {
  void engine?.then(
    (e) => e.interrupt(),
    () => undefined,
  );
  interruptConnections(); // and those of named connections (ClickHouse: cancelled on the server)
}

/** Runs a query with its ${} values as bound parameters; resolves to a Frame (docs/data.md). */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): Promise<Frame> {
  if (!Array.isArray(strings) || !Array.isArray((strings as TemplateStringsArray).raw)) {
    throw new TypeError('sql is a tagged template: write sql`SELECT …` (values go in ${}, bound as parameters)');
  }
  let text = strings[0];
  for (let i = 1; i < strings.length; i++) text += `$${i}` + strings[i];
  return getEngine().then((e) => e.query(text, values.map(toParam), progress ? { onProgress: progress } : {}, lookup));
}
/** sql.on('desk')`…`: the same on the notebook's connection named desk (ClickHouse or DuckDB; src/data/connections.ts). */
sql.on = on;

/** The process's DuckDB database. */
export const db = {
  /** the @duckdb/node-api connection (prepared statements, appenders, EXPLAIN, streaming reads) */
  async connection(): Promise<DuckDBConnection> {
    return (await getEngine()).connection;
  },
  /** runs SQL text (no parameters interpolated) and returns the Frame of its last statement */
  async query(text: string, params: unknown[] = [], opts: QueryOptions = {}): Promise<Frame> {
    return (await getEngine()).query(text, params.map(toParam), opts, lookup);
  },
  /** runs SQL and returns DuckDB's own materialized result (rows of any type) */
  async run(text: string, params: unknown[] = []): Promise<DuckDBMaterializedResult> {
    return (await getEngine()).run(text, params.map(toParam), {}, lookup);
  },
  /** makes a Series or Frame queryable as a table (index → TIMESTAMP "date", values → DOUBLE) */
  async register(name: string, value: Series | Frame): Promise<void> {
    await (await getEngine()).register(name, value);
  },
  /** stops the running query */
  interrupt(): void {
    interruptQueries();
  },
  /** the database file (undefined: in memory) */
  get path(): string | undefined {
    return options.path;
  },
};
