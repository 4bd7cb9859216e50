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
 */
import { configureEngine, getEngine, SqlError, toFrame } from '../data/index';
import { resultColumns } from '../data/convert';
import { resultTable } from '../data/table';
import type { Frame } from '../market/series';
import type { CellError } from './protocol';
import { codeFrame } from './errors';
import { text } from './display';
import { sqlBinding } from '../shared/sqlcell';

/** Global the generated script calls (not enumerable: cells do not see it). */
export const SQL_HELPER = '__mktnb_sql__';

/** A SQL cell's error, already in the form the kernel reports (message, position, code frame). */
export class SqlCellError extends Error {
  constructor(public cellError: CellError) { super(cellError.message); this.name = cellError.name; }
}

/** The name a SQL cell binds its result to (undefined: none); throws for a name that is not an identifier. */
export function boundName(code: string, label = 'cell'): string | undefined {
  const b = sqlBinding(code);
  if (!b) return undefined;
  if (!b.valid) {
    throw new SqlCellError({
      name: 'SyntaxError', message: `"-- as ${b.name}": the result's name must be a JavaScript identifier (letters, digits, _ or $, not starting with a digit) (${label}:${b.line}:1)`,
      stack: `SyntaxError: "-- as ${b.name}" is not a valid name\n    at ${label}:${b.line}:1\n\n${codeFrame(code, b.line, b.column)}`,
    });
  }
  return b.name;
}

/** The script a SQL cell runs as (see the file comment). */
export function sqlCellScript(code: string, label: string): string {
  const name = boundName(code, label);
  const call = `await globalThis.${SQL_HELPER}.cell(${JSON.stringify(code)}, ${JSON.stringify(label)}${name ? `, ${JSON.stringify(name)}` : ''})`;
  // the shown value is the result's table (any column type, O(shown)); the name gets the Frame
  return name ? `const ${name} = ${call};\nglobalThis.${SQL_HELPER}.shown()` : `${call};\nglobalThis.${SQL_HELPER}.shown()`;
}

function toCellError(e: unknown, code: string, label: string): SqlCellError {
  if (e instanceof SqlError && e.line !== undefined) {
    const where = `${label}:${e.line}:${e.column ?? 1}`;
    // DuckDB's own context lines ("LINE 2: …" and the caret) are replaced by the cell's code frame
    const message = e.message.replace(/\n*LINE \d+: .*\n *\^\s*$/, '').trimEnd();
    return new SqlCellError({ name: 'SqlError', message: `${message} (${where})`, stack: `SqlError: ${message}\n    at ${where}\n\n${codeFrame(code, e.line, (e.column ?? 1) - 1)}` });
  }
  const err = e as Error;
  const name = err?.name && err.name !== 'Error' ? err.name : 'SqlError';
  const message = String(err?.message ?? e);
  return new SqlCellError({ name, message: `${message} (${label})`, stack: `${name}: ${message}\n    at ${label}` });
}

/**
 * Sets the kernel's database up: memory limit from the kernel's memory setting, the database
 * file (relative to the notebook's folder), names of cell variables as tables.
 */
export function installSql(opts: { memoryLimitMb?: number; database?: string; baseDir: string; progress?: (percent: number) => void }): void {
  configureEngine({
    baseDir: opts.baseDir,
    ...(opts.memoryLimitMb ? { memoryLimitMb: opts.memoryLimitMb } : {}),
    ...(opts.database ? { path: opts.database } : {}),
    lookup: (name) => (Object.prototype.hasOwnProperty.call(globalThis, name) ? (globalThis as any)[name] : undefined),
    ...(opts.progress ? { onProgress: opts.progress } : {}),
  });
  const lookup = (n: string) => (Object.prototype.hasOwnProperty.call(globalThis, n) ? (globalThis as any)[n] : undefined);
  let shown: unknown;
  const helper = {
    async cell(code: string, label: string, name?: string): Promise<Frame | undefined> {
      shown = undefined;
      try {
        const engine = await getEngine();
        const result = await engine.run(code, [], opts.progress ? { onProgress: opts.progress } : {}, lookup);
        if (result.columnCount === 0) return undefined; // CREATE, INSERT, SET, …: nothing to show
        const frame = name ? toFrame(resultColumns(result), { source: 'sql', sql: code, name }) : undefined;
        const type = result.statementType as number; // DuckDB's StatementType: 1 SELECT, 4 EXPLAIN
        if (!name && type !== 1 && type !== 4 && result.columnNames().join() === 'Count') {
          const n = result.rowCount === 1 ? resultColumns(result).cols[0][0] : result.rowsChanged;
          shown = text(`${n} row${n === 1 ? '' : 's'} ${type === 2 ? 'inserted' : type === 3 ? 'updated' : type === 5 ? 'deleted' : 'written'}`);
          return undefined;
        }
        shown = resultTable(result, name ? `${name}: Frame [${frame!.length} rows x ${frame!.names.length} columns]${frame!.meta.indexColumn ? `, indexed by ${String(frame!.meta.indexColumn)}` : ', indexed by row number'}` : 'SQL result');
        return frame;
      } catch (e) {
        throw toCellError(e, code, label);
      }
    },
    /** the table of the last SQL cell (undefined: the statement returned no rows to show) */
    shown(): unknown { const s = shown; shown = undefined; return s; },
  };
  Object.defineProperty(globalThis, SQL_HELPER, { value: helper, enumerable: false, writable: false, configurable: false });
}

/** The kernel's heap limit in MB, from its --max-old-space-size (what the memory setting sets). */
export function kernelMemoryMb(execArgv: readonly string[] = process.execArgv): number | undefined {
  for (const a of execArgv) {
    const m = /^--max-old-space-size=(\d+)$/.exec(a);
    if (m) return Number(m[1]);
  }
  return undefined;
}
