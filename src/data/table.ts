/**
 * The table a SQL cell shows: the first and last rows of a result and its row count, built from
 * only the chunks those rows are in (O(shown), whatever the result's size), with every column
 * type DuckDB has (text, lists, … shown as DuckDB prints them).
 */
import type { DuckDBMaterializedResult } from '@duckdb/node-api';
import type { TableColumn, TableOutput, TableValue } from '../shared/schemas';
import { Table, TABLE_EDGE_ROWS } from '../market/output';
import { formatTime, numOrNull, type Frame } from '../market/series';
import { convertVector } from './convert';
import { KIND_BYTES, planColumn, type ColumnPlan } from './plan';
import { bindings } from './native';

/** A Table whose rows are already the shown ones (head, then tail) of `total` rows. */
class ShownTable extends Table {
  constructor(
    columns: TableColumn[],
    shown: TableValue[][],
    private readonly total: number,
    private readonly head: number | undefined,
    title: string,
    footer?: string,
  ) {
    super(columns, shown, { title, ...(footer ? { footer } : {}) });
  }
  override toJSON(): TableOutput {
    const out: TableOutput = {
      kind: 'table',
      version: super.toJSON().version,
      columns: this.columns,
      rows: this.rows as TableValue[][],
      totalRows: this.total,
    };
    if (this.head !== undefined) out.headRows = this.head;
    if (this.options.title) out.title = this.options.title;
    if (this.options.footer) out.footer = this.options.footer;
    return out;
  }
}

export function resultTable(
  result: DuckDBMaterializedResult,
  title: string,
  footer?: string,
  edge = TABLE_EDGE_ROWS,
): Table {
  const duckdb = bindings();
  const raw = (result as unknown as { result: import('@duckdb/node-bindings').Result }).result;
  const names = result.deduplicatedColumnNames();
  const plans: Array<ColumnPlan | null> = names.map((n, i) => {
    try {
      return planColumn(n, duckdb.column_logical_type(raw, i));
    } catch {
      return null;
    }
  });
  const columns: TableColumn[] = names.map((name, i) => {
    const p = plans[i];
    return { name, type: !p ? 'string' : p.time ? 'date' : p.kind === 'bool' ? 'boolean' : 'number' };
  });
  const total = result.rowCount;
  const chunks = result.chunkCount;
  const rowsOf = (c: number, from: number, to: number | undefined): TableValue[][] => {
    const chunk = result.getChunk(c);
    const n = chunk.rowCount;
    const lo = Math.max(0, from),
      hi = Math.min(n, to ?? n);
    const cols: TableValue[][] = names.map((_, j) => {
      const p = plans[j];
      if (p) {
        const v = duckdb.data_chunk_get_vector(chunk.chunk, j);
        const bytes = KIND_BYTES[p.kind];
        const out = new Float64Array(n);
        convertVector(
          p,
          duckdb.vector_get_data(v, n * bytes),
          duckdb.vector_get_validity(v, 8 * Math.ceil(n / 64)),
          n,
          out,
          0,
        );
        return Array.from(out.subarray(lo, hi), (x) =>
          p.time
            ? Number.isFinite(x)
              ? formatTime(x)
              : null
            : p.kind === 'bool'
              ? Number.isNaN(x)
                ? null
                : x === 1
              : numOrNull(x),
        );
      }
      return chunk
        .getColumnValues(j)
        .slice(lo, hi)
        .map((x) => (x === null ? null : typeof x === 'object' ? String(x) : (x as TableValue)));
    });
    return Array.from({ length: Math.max(0, hi - lo) }, (_, r) => cols.map((c) => c[r]));
  };
  const headRows: TableValue[][] = [];
  const all = total <= 2 * edge + 1;
  const want = all ? total : edge;
  for (let c = 0; c < chunks && headRows.length < want; c++) headRows.push(...rowsOf(c, 0, want - headRows.length));
  if (all) return new ShownTable(columns, headRows, total, undefined, title, footer);
  const tail: TableValue[][] = [];
  for (let c = chunks - 1; c >= 0 && tail.length < edge; c--) {
    const rows = rowsOf(c, 0, undefined);
    tail.unshift(...rows.slice(Math.max(0, rows.length - (edge - tail.length))));
  }
  return new ShownTable(columns, [...headRows, ...tail], total, edge, title, footer);
}

/**
 * The same table for a result already converted to a Frame (a SQL cell that binds its result
 * streams it into the Frame, so no DuckDB result is kept): its first and last rows, read from the
 * arrays, with the result's columns in their order (meta.indexColumn where it was) and types.
 */
export function frameTable(frame: Frame, title: string, footer?: string, edge = TABLE_EDGE_ROWS): Table {
  const types = (frame.meta.types ?? {}) as Record<string, string>;
  const indexName = frame.meta.indexColumn as string | undefined;
  const order = Object.keys(types).length ? Object.keys(types) : [...(indexName ? [indexName] : []), ...frame.names];
  const isTime = (t: string | undefined) => !!t && /^(DATE|TIMESTAMP)/.test(t);
  const cols = order.map((name) => ({
    name,
    values: name === indexName ? frame.index : frame.columns[name],
    type: types[name],
  }));
  const columns: TableColumn[] = cols.map((c) => ({
    name: c.name,
    type: isTime(c.type) || c.name === indexName ? 'date' : c.type === 'BOOLEAN' ? 'boolean' : 'number',
  }));
  const cell = (c: (typeof cols)[number], i: number): TableValue => {
    const x = c.values[i];
    if (isTime(c.type) || c.name === indexName) return Number.isFinite(x) ? formatTime(x) : null;
    if (c.type === 'BOOLEAN') return Number.isNaN(x) ? null : x === 1;
    return numOrNull(x);
  };
  const total = frame.length;
  const all = total <= 2 * edge + 1;
  const shown = all
    ? Array.from({ length: total }, (_, i) => i)
    : [...Array.from({ length: edge }, (_, i) => i), ...Array.from({ length: edge }, (_, i) => total - edge + i)];
  return new ShownTable(
    columns,
    shown.map((i) => cols.map((c) => cell(c, i))),
    total,
    all ? undefined : edge,
    title,
    footer,
  );
}
