/**
 * A ClickHouse result as TabSeparatedWithNamesAndTypes (src/data/clickhouse.ts says why text):
 * parsed from the response stream chunk by chunk straight into growing typed arrays (no object
 * per row), the types read from the header (columnType), numbers through the load() scanner's
 * exact fast path, Date/DateTime in the column's or the server's zone; and the result it makes
 * (a Frame, or the table a SQL cell shows).
 */
import type { Frame } from '../market/series';
import { Table, type LazyRows } from '../market/output';
import { formatTime, numOrNull } from '../market/series';
import type { TableColumn, TableValue } from '../shared/schemas';
import type { Columns } from './convert';
import { UnsupportedTypeError, type ColumnPlan } from './plan';
import { toFrame } from './engine';
import { FieldParser } from '../market/load/numbers';
import { latin1 } from '../market/load/common';
import { ClickHouseQueryError, serverError, tooLarge } from './clickhouseErrors';

type Parse = 'num' | 'date' | 'datetime' | 'text';
interface RemoteColumn {
  plan: ColumnPlan;
  parse: Parse;
  zone?: string;
  nums?: Float64Array;
  texts?: string[];
}

/** How a ClickHouse type (as the TSV header writes it) is read. */
export function columnType(sqlType: string): { parse: Parse; zone?: string } {
  let t = sqlType.trim();
  for (let m; (m = /^(?:Nullable|LowCardinality)\((.*)\)$/.exec(t));) t = m[1];
  if (/^(U?Int(8|16|32|64)|Float(32|64)|Decimal(32|64|128)?\(.*\))$/.test(t)) return { parse: 'num' };
  if (t === 'Date') return { parse: 'date' };
  const dt = /^DateTime(?:64)?(?:\((?:\d+\s*,?\s*)?(?:'([^']*)')?\))?$/.exec(t);
  if (dt) return dt[1] ? { parse: 'datetime', zone: dt[1] } : { parse: 'datetime' };
  if (t === 'Nothing') return { parse: 'num' };
  return { parse: 'text' };
}

/** TSV escapes (\t \n \\ \' \0 …) undone, for text shown in a table. */
function unescapeTsv(s: string): string {
  if (!s.includes('\\')) return s;
  return s.replace(
    /\\(.)/g,
    (_, c: string) =>
      (({ t: '\t', n: '\n', r: '\r', b: '\b', f: '\f', '0': '\0', a: '\x07', v: '\v' }) as Record<string, string>)[c] ??
      c,
  );
}

const zoneCache = new Map<string, Intl.DateTimeFormat>();
const isUtc = (zone: string | undefined): boolean =>
  !zone ||
  zone === 'UTC' ||
  zone === 'Etc/UTC' ||
  zone === 'GMT' ||
  zone === 'Etc/GMT' ||
  zone === 'Etc/UCT' ||
  zone === 'UCT';
/** Epoch ms of a wall-clock time in an IANA zone (UTC fast path). */
export function zonedToEpoch(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  ms: number,
  zone: string | undefined,
): number {
  const guess = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  if (!zone || isUtc(zone)) return guess;
  let f = zoneCache.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    zoneCache.set(zone, f);
  }
  const offset = (t: number): number => {
    const p = Object.fromEntries(f!.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
    return Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second) - Math.floor(t / 1000) * 1000;
  };
  // two steps find the offset in force at the wall time (exact except inside a DST gap)
  const o1 = offset(guess);
  const o2 = offset(guess - o1);
  return guess - o2;
}

/**
 * A TSV number field buf[s..e) as a double. The fast path (what market data mostly is: an
 * optional minus, at most 15 digits with an optional decimal point) is the CSV scanner's, exact
 * and bit-identical to Number(text) (FieldParser.fastNum, src/market/load/numbers.ts). The rest
 * follows ClickHouse's spellings, not CSV's rules: exponents and 16+ digits through Number(),
 * nan → NaN, inf/-inf → ±Infinity (a Float64 column may hold them), \N (NULL) → NaN.
 */
function parseNumber(fp: FieldParser, buf: Uint8Array, s: number, e: number): number {
  const v = fp.fastNum(buf, s, e);
  if (fp.end === e) return v;
  const t = latin1(buf, s, e);
  if (t === '\\N') return NaN;
  const x = Number(t);
  if (x === x) return x;
  return t === 'inf' || t === '+inf' ? Infinity : t === '-inf' ? -Infinity : NaN;
}

const utf8 = new TextDecoder('utf-8');

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil): Date.UTC without a call per row. */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}
const d2 = (b: Uint8Array, i: number): number => (b[i] - 48) * 10 + (b[i + 1] - 48);

/** A Date or DateTime field ('YYYY-MM-DD', 'YYYY-MM-DD hh:mm:ss[.fff]') as epoch ms; '\N' NaN; the zero date 0. */
function parseTime(
  fp: FieldParser,
  buf: Uint8Array,
  s: number,
  e: number,
  date: boolean,
  zone: string | undefined,
): number {
  if (e - s < 10 || buf[s + 4] !== 45)
    return latin1(buf, s, e) === '\\N' ? NaN : parseNumber(fp, buf, s, e) * (date ? 86_400_000 : 1000);
  const y = d2(buf, s) * 100 + d2(buf, s + 2),
    mo = d2(buf, s + 5),
    d = d2(buf, s + 8);
  if (y === 0) return 0; // 0000-00-00: ClickHouse's zero date/time, the value 0
  if (date) return daysFromCivil(y, mo, d) * 86_400_000;
  const h = d2(buf, s + 11),
    mi = d2(buf, s + 14),
    sec = d2(buf, s + 17);
  const frac = e - s > 20 ? Number(`0${latin1(buf, s + 19, e)}`) * 1000 : 0;
  return (
    (isUtc(zone)
      ? daysFromCivil(y, mo, d) * 86_400_000 + ((h * 60 + mi) * 60 + sec) * 1000
      : zonedToEpoch(y, mo, d, h, mi, sec, 0, zone)) + frac
  );
}

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
