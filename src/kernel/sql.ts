/**
 * SQL cells in the kernel. A code cell in language `sql` runs on the kernel's DuckDB database
 * (src/data: in memory, or the file the notebook names) and shows its result as a table; a first
 * line `-- as NAME` also binds the result, a Frame, to the cell variable NAME:
 *
 *   -- as bars
 *   SELECT date, close FROM 'data/BTC-USD.csv' WHERE date >= '2024-01-01'
 *
 * The cell is run as the one-line script `const NAME = await <helper>.cell(text, label); NAME`, so
 * binding, interrupt and the display of the last value are the kernel's own (main.ts). Series
 * and Frames of earlier cells are tables under their names. Errors are DuckDB's message with the
 * line and column in the cell and a code frame.
 *
 * A line `-- on desk` runs the cell on the notebook's connection `desk` instead (a ClickHouse
 * server or another DuckDB database; src/data/connections.ts), with the server's errors and code.
 */
import { configureEngine, getEngine, SqlError } from '../data/index';
import { resultColumns } from '../data/convert';
import { frameTable, resultTable } from '../data/table';
import type { Frame } from '../market/series';
import type { CellError } from './protocol';
import { codeFrame } from './errors';
import { text } from './display';
import { sqlBinding, sqlConnection } from '../shared/sqlcell';
import { KERNEL_ENV } from './protocol';
import type { ResolvedConnection } from '../shared/connections';
import { clickhouse, configureConnections, connectionSpec, duckdbConnection } from '../data/connections';
import { ClickHouseQueryError } from '../data/clickhouseErrors';
import type { RemoteResult } from '../data/clickhouseTsv';
import type { Engine } from '../data/engine';

/** Global the generated script calls (not enumerable: cells do not see it). */
export const SQL_HELPER = '__mktnb_sql__';

/** A SQL cell's error, already in the form the kernel reports (message, position, code frame). */
export class SqlCellError extends Error {
  constructor(public cellError: CellError) {
    super(cellError.message);
    this.name = cellError.name;
  }
}

/** The name a SQL cell binds its result to (undefined: none); throws for a name that is not an identifier. */
export function boundName(code: string, label = 'cell'): string | undefined {
  const b = sqlBinding(code);
  if (!b) return undefined;
  if (!b.valid) {
    throw new SqlCellError({
      name: 'SyntaxError',
      message: `"-- as ${b.name}": the result's name must be a JavaScript identifier (letters, digits, _ or $, not starting with a digit) (${label}:${b.line}:1)`,
      stack: `SyntaxError: "-- as ${b.name}" is not a valid name\n    at ${label}:${b.line}:1\n\n${codeFrame(code, b.line, b.column)}`,
    });
  }
  return b.name;
}

/** The connection a SQL cell runs on (undefined: the kernel's DuckDB); throws for a name that is not an identifier. */
export function connectionName(code: string, label = 'cell'): string | undefined {
  const c = sqlConnection(code);
  if (!c) return undefined;
  if (!c.valid) {
    throw new SqlCellError({
      name: 'SyntaxError',
      message: `"-- on ${c.name}": a connection's name is an identifier, as in the notebook's metadata.connections (${label}:${c.line}:${c.column + 1})`,
      stack: `SyntaxError: "-- on ${c.name}" is not a valid connection name\n    at ${label}:${c.line}:${c.column + 1}\n\n${codeFrame(code, c.line, c.column)}`,
    });
  }
  return c.name;
}

/** The script a SQL cell runs as (see the file comment). */
export function sqlCellScript(code: string, label: string): string {
  const name = boundName(code, label);
  const call = `await globalThis.${SQL_HELPER}.cell(${JSON.stringify(code)}, ${JSON.stringify(label)}${name ? `, ${JSON.stringify(name)}` : ''})`;
  // the shown value is the result's table (any column type, O(shown)); the name gets the Frame
  return name
    ? `const ${name} = ${call};\nglobalThis.${SQL_HELPER}.shown()`
    : `${call};\nglobalThis.${SQL_HELPER}.shown()`;
}

function toCellError(e: unknown, code: string, label: string): SqlCellError {
  if ((e instanceof SqlError || e instanceof ClickHouseQueryError) && e.line !== undefined) {
    const where = `${label}:${e.line}:${e.column ?? 1}`;
    // DuckDB's own context lines ("LINE 2: …" and the caret) are replaced by the cell's code frame
    const message = e.message.replace(/\n*LINE \d+: .*\n *\^\s*$/, '').trimEnd();
    const name = e instanceof ClickHouseQueryError ? e.name : 'SqlError';
    return new SqlCellError({
      name,
      message: `${message} (${where})`,
      stack: `${name}: ${message}\n    at ${where}\n\n${codeFrame(code, e.line, (e.column ?? 1) - 1)}`,
    });
  }
  const err = e as Error;
  const name = err?.name && err.name !== 'Error' ? err.name : 'SqlError';
  const message = String(err?.message ?? e);
  return new SqlCellError({ name, message: `${message} (${label})`, stack: `${name}: ${message}\n    at ${label}` });
}

/** The notebook's named connections, from the client (JSON of ResolvedConnection[]). */
export function setConnections(json: string): void {
  configureConnections(JSON.parse(json) as ResolvedConnection[]);
}

/**
 * Sets the kernel's database up: memory limit from the kernel's memory setting, the database
 * file (relative to the notebook's folder), names of cell variables as tables.
 */
export function installSql(opts: {
  memoryLimitMb?: number;
  database?: string;
  baseDir: string;
  progress?: (percent: number, rows?: number) => void;
}): void {
  // the notebook's named connections with the credentials the client found (never in a file)
  const conns = process.env[KERNEL_ENV.connections];
  if (conns) setConnections(conns);
  // a cell's top-level names are properties of the global object
  const lookup = (n: string): unknown =>
    Object.prototype.hasOwnProperty.call(globalThis, n) ? (globalThis as Record<string, unknown>)[n] : undefined;
  configureEngine({
    baseDir: opts.baseDir,
    ...(opts.memoryLimitMb ? { memoryLimitMb: opts.memoryLimitMb } : {}),
    ...(opts.database ? { path: opts.database } : {}),
    lookup,
    ...(opts.progress ? { onProgress: opts.progress } : {}),
  });
  let shown: unknown;
  const frameTitle = (name: string, frame: Frame, on?: string): string =>
    `${name}: Frame [${frame.length} rows x ${frame.names.length} columns]${frame.meta.indexColumn ? `, indexed by ${String(frame.meta.indexColumn)}` : ', indexed by row number'}${on ? ` (on ${on})` : ''}`;
  const showRemote = (r: RemoteResult | undefined, name: string | undefined, on: string): Frame | undefined => {
    if (!r) {
      shown = text(`done (on ${on})`);
      return undefined;
    }
    const frame = name ? r.toFrame(name) : undefined;
    shown = r.table(name ? frameTitle(name, frame!, on) : `SQL result (on ${on})`);
    return frame;
  };
  const showDuck = async (
    engine: Engine,
    code: string,
    name: string | undefined,
    on?: string,
  ): Promise<Frame | undefined> => {
    const progress = opts.progress ? { onProgress: opts.progress } : {};
    if (name) {
      // a bound result streams into its Frame (no DuckDB copy of it is kept); the table is read from the arrays
      const frame = await engine.query(code, [], { ...progress, name }, lookup);
      if (!frame.names.length && !frame.meta.indexColumn) return undefined; // SET, PRAGMA, …: no columns
      shown = frameTable(frame, frameTitle(name, frame, on));
      return frame;
    }
    const result = await engine.run(code, [], progress, lookup);
    if (result.columnCount === 0) return undefined; // CREATE, INSERT, SET, …: nothing to show
    const type = result.statementType as number; // DuckDB's StatementType: 1 SELECT, 4 EXPLAIN
    if (type !== 1 && type !== 4 && result.columnNames().join() === 'Count') {
      const n = result.rowCount === 1 ? resultColumns(result).cols[0][0] : result.rowsChanged;
      shown = text(
        `${n} row${n === 1 ? '' : 's'} ${type === 2 ? 'inserted' : type === 3 ? 'updated' : type === 5 ? 'deleted' : 'written'}`,
      );
      return undefined;
    }
    shown = resultTable(result, `SQL result${on ? ` (on ${on})` : ''}`);
    return undefined;
  };
  const helper = {
    async cell(code: string, label: string, name?: string): Promise<Frame | undefined> {
      shown = undefined;
      try {
        const on = connectionName(code, label);
        if (on && connectionSpec(on).engine === 'clickhouse') {
          const onProgress = opts.progress
            ? (p: { percent: number; rowsRead: number }) => opts.progress!(p.percent, p.rowsRead)
            : undefined;
          const r = await clickhouse(on).run(code, {}, onProgress ? { onProgress } : {});
          return showRemote(r, name, on);
        }
        const engine = on ? await duckdbConnection(on) : await getEngine();
        return await showDuck(engine, code, name, on);
      } catch (e) {
        throw toCellError(e, code, label);
      }
    },
    /** the table of the last SQL cell (undefined: the statement returned no rows to show) */
    shown(): unknown {
      const s = shown;
      shown = undefined;
      return s;
    },
  };
  Object.defineProperty(globalThis, SQL_HELPER, {
    value: helper,
    enumerable: false,
    writable: false,
    configurable: false,
  });
}

/** The kernel's heap limit in MB, from its --max-old-space-size (what the memory setting sets). */
export function kernelMemoryMb(execArgv: readonly string[] = process.execArgv): number | undefined {
  for (const a of execArgv) {
    const m = /^--max-old-space-size=(\d+)$/.exec(a);
    if (m) return Number(m[1]);
  }
  return undefined;
}
