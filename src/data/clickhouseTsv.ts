/**
 * A ClickHouse result as TabSeparatedWithNamesAndTypes (src/data/clickhouse.ts says why text):
 * parsed from the response stream chunk by chunk straight into growing typed arrays (no object
 * per row), the types read from the header; and the result it makes (a Frame, or the table a SQL
 * cell shows). How a type and a field are read (columnType, numbers through the load() scanner's
 * exact fast path, Date/DateTime in the column's or the server's zone) is clickhouseFields.ts.
 */
import type { Frame } from '../market/series';
import { Table, type LazyRows } from '../market/output';
import { formatTime, numOrNull } from '../market/series';
import type { TableColumn, TableValue } from '../shared/schemas';
import type { Columns } from './convert';
import { UnsupportedTypeError, type ColumnPlan } from './plan';
import { toFrame } from './engine';
import { FieldParser } from '../market/load/numbers';
import { ClickHouseQueryError, serverError, tooLarge } from './clickhouseErrors';
import { columnType, parseNumber, parseTime, unescapeTsv, type Parse } from './clickhouseFields';

interface RemoteColumn {
  plan: ColumnPlan;
  parse: Parse;
  zone?: string;
  nums?: Float64Array;
  texts?: string[];
}

const utf8 = new TextDecoder('utf-8');

/** A ClickHouse result: columns as arrays of the exact row count, text columns as strings. */
export class RemoteResult {
  constructor(
    readonly names: string[],
    readonly types: string[],
    private readonly cols: RemoteColumn[],
    readonly rows: number,
    readonly sql: string,
    /** the server's own account of the query (rows and bytes read, elapsed), when it gave one */
    readonly summary: {
      readRows?: number;
      readBytes?: number;
      resultBytes?: number;
      elapsedMs?: number;
      receivedBytes?: number;
    } = {},
  ) {}

  /** the columns in the form toFrame takes; throws UnsupportedTypeError for a text column */
  columns(): Columns {
    for (const c of this.cols) if (c.parse === 'text') throw new UnsupportedTypeError(c.plan.name, c.plan.sqlType);
    return {
      names: this.names,
      plans: this.cols.map((c) => c.plan),
      cols: this.cols.map((c) => c.nums!),
      rows: this.rows,
    };
  }

  /** the result as a Frame (first time column the index, as for DuckDB results) */
  toFrame(name?: string, source = 'clickhouse'): Frame {
    return toFrame(this.columns(), { source, sql: this.sql, ...(name ? { name } : {}) });
  }

  /** the table a SQL cell shows: first and last rows and the row count, made only for the shown rows */
  table(title: string): Table {
    const columns: TableColumn[] = this.cols.map((c) => ({
      name: c.plan.name,
      type: c.parse === 'text' ? 'string' : c.plan.time ? 'date' : 'number',
    }));
    const cols = this.cols;
    const lazy: LazyRows = {
      length: this.rows,
      row: (i) =>
        cols.map((c): TableValue =>
          c.parse === 'text'
            ? c.texts![i] === '\\N'
              ? null
              : unescapeTsv(c.texts![i])
            : c.plan.time
              ? Number.isFinite(c.nums![i])
                ? formatTime(c.nums![i])
                : null
              : numOrNull(c.nums![i]),
        ),
    };
    return new Table(columns, lazy, { title });
  }
}

/** Parses TabSeparatedWithNamesAndTypes from a stream of chunks, byte by byte, into growing typed columns. */
export class TsvColumns {
  private names: string[] | undefined;
  private types: string[] | undefined;
  private cols: RemoteColumn[] = [];
  /** bytes of an unfinished line from the previous chunk */
  private carry: Uint8Array | undefined;
  rows = 0;
  /** bytes of the answer read so far */
  bytes = 0;
  private cap = 1 << 14;
  /** the number fast path's state (where it stopped) */
  private readonly fp = new FieldParser();

  constructor(
    private readonly serverZone: string,
    private readonly maxRows: number,
  ) {}

  /** feeds one chunk; throws ClickHouseQueryError 'too-large' past maxRows, 'server' for an error the server wrote mid-stream */
  push(chunk: Uint8Array): void {
    this.bytes += chunk.length;
    let buf = chunk;
    if (this.carry) {
      buf = new Uint8Array(this.carry.length + chunk.length);
      buf.set(this.carry);
      buf.set(chunk, this.carry.length);
      this.carry = undefined;
    }
    let start = 0;
    const n = buf.length;
    while (!this.types && start < n) {
      const nl = buf.indexOf(10, start);
      if (nl < 0) break;
      this.header(buf, start, nl);
      start = nl + 1;
    }
    if (this.types) start = this.rowsOf(buf, start);
    if (start < n) this.carry = buf.slice(start);
  }

  /** parses the complete lines of buf from `start` in one pass over the bytes; returns where the unfinished line starts */
  private rowsOf(buf: Uint8Array, start: number): number {
    const cols = this.cols,
      nc = cols.length,
      n = buf.length;
    let j = 0,
      at = start,
      line = start;
    for (let i = start; i < n; i++) {
      const c = buf[i];
      if (c !== 9 && c !== 10) continue;
      if (j === 0 && at === line) {
        // a new row, or an error the server appended to the rows it had sent ("Code: 241, … DB::Exception: …")
        if (buf[line] === 67 && this.errorAt(buf, line)) {
          const e = buf.indexOf(10, i);
          if (e < 0) return line;
          this.badLine(buf, line, e);
        }
        if (this.rows >= this.maxRows) throw tooLarge(this.maxRows);
        if (this.rows === this.cap) this.grow();
      }
      if (c === 9 ? j >= nc - 1 : j !== nc - 1) {
        const e = buf.indexOf(10, i);
        if (e < 0) return line; // an error message may still be arriving
        this.badLine(buf, line, e);
      }
      this.field(cols[j], buf, at, i);
      at = i + 1;
      if (c === 9) j++;
      else {
        j = 0;
        line = at;
        this.rows++;
      }
    }
    return line;
  }

  private grow(): void {
    this.cap *= 2;
    for (const c of this.cols)
      if (c.nums) {
        const a = new Float64Array(this.cap);
        a.set(c.nums);
        c.nums = a;
      }
  }

  private field(c: RemoteColumn, buf: Uint8Array, s: number, e: number): void {
    if (c.parse === 'num') c.nums![this.rows] = parseNumber(this.fp, buf, s, e);
    else if (c.parse === 'text') c.texts!.push(utf8.decode(buf.subarray(s, e)));
    else c.nums![this.rows] = parseTime(this.fp, buf, s, e, c.parse === 'date', c.zone);
  }

  /** the result, once the stream ended */
  finish(sql: string, summary: RemoteResult['summary'] = {}): RemoteResult {
    if (this.carry) {
      // the last line without its newline
      const c = new Uint8Array(this.carry.length + 1);
      c.set(this.carry);
      c[c.length - 1] = 10;
      this.carry = undefined;
      this.push(c);
      if (this.carry) throw new ClickHouseQueryError("the server's answer ended in the middle of a row", 'server');
    }
    if (!this.names) return new RemoteResult([], [], [], 0, sql, summary);
    const cols = this.cols.map((c) =>
      c.nums ? { ...c, nums: c.nums.slice(0, this.rows) } : { ...c, texts: c.texts!.slice(0, this.rows) },
    );
    return new RemoteResult(this.names, this.types!, cols, this.rows, sql, summary);
  }

  private header(buf: Uint8Array, s: number, e: number): void {
    const fields = utf8.decode(buf.subarray(s, e)).split('\t').map(unescapeTsv);
    if (!this.names) {
      this.names = fields;
      return;
    }
    this.types = fields;
    const seen = new Map<string, number>();
    this.cols = this.names.map((raw, j) => {
      // duplicate names get a suffix, as DuckDB's deduplicated names do
      const k = seen.get(raw) ?? 0;
      seen.set(raw, k + 1);
      const name = k ? `${raw}_${k}` : raw;
      const t = columnType(fields[j] ?? '');
      const plan: ColumnPlan = {
        name,
        sqlType: fields[j] ?? '',
        kind: 'f64',
        scale: 1,
        div: 1,
        time: t.parse === 'date' || t.parse === 'datetime',
        date: t.parse === 'date',
      };
      return {
        plan,
        parse: t.parse,
        zone: t.zone ?? this.serverZone,
        ...(t.parse === 'text' ? { texts: [] } : { nums: new Float64Array(this.cap) }),
      };
    });
  }

  private errorAt(buf: Uint8Array, s: number): boolean {
    return utf8.decode(buf.subarray(s, Math.min(buf.length, s + 400))).match(/^Code: \d+[.,].*Exception/) !== null;
  }

  /** a line without the announced fields: an error the server appended mid-stream, or a broken answer */
  private badLine(buf: Uint8Array, s: number, e: number): never {
    const l = utf8.decode(buf.subarray(s, e));
    if (/Code: (\d+)/.test(l)) throw serverError(l, '');
    throw new ClickHouseQueryError(
      `the server's answer has a row of ${l.split('\t').length} fields where ${this.cols.length} were announced (row ${this.rows + 1}): ${l.slice(0, 200)}`,
      'server',
    );
  }
}
