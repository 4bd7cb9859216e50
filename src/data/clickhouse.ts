/**
 * SQL on a ClickHouse server (docs/data.md, "ClickHouse"): a notebook's named connection runs
 * queries through the official client (@clickhouse/client, HTTP interface; no protocol code of
 * ours), and results come back column by column into the library's Float64Array columns.
 *
 * Format: TabSeparatedWithNamesAndTypes, parsed from the response stream chunk by chunk straight
 * into growing typed arrays (no object per row). Why text, not RowBinary: the client streams
 * RowBinary only as opaque bytes and the types needed to decode it come with
 * RowBinaryWithNamesAndTypes, which ClickHouse 18.16 (Debian's package) does not have; TSV with
 * names and types works on every server version and carries the types in its second line.
 *
 * Type mapping, ClickHouse → library (every value a double; NULL and nan → NaN):
 *   (U)Int8..(U)Int64, Float32/64, Decimal*          → number (beyond ±2^53 rounded to a double)
 *   Date                                              → epoch ms at UTC midnight
 *   DateTime, DateTime('tz'), DateTime64(p[, 'tz'])   → epoch ms (the column's zone, else the server's)
 *   Nullable(T), LowCardinality(T)                    → as T
 *   String, FixedString, Enum, UUID, Array, Tuple, …  → shown in a cell's table; a Frame cannot hold
 *                                                        them (UnsupportedTypeError, as for DuckDB)
 *
 * Parameters: on servers with query parameters (a 19.x feature, asked once) every ${} of sql.on('x')`…` is a
 * typed `{pN:Type}` bound by the server; on older ones (18.16 says "Unknown setting param_…") it
 * becomes a typed literal made by chLiteral(), the one escaping function (fuzz-tested).
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { Frame } from '../market/series';
import { Table, type LazyRows } from '../market/output';
import { formatTime, numOrNull } from '../market/series';
import type { TableColumn, TableValue } from '../shared/schemas';
import { passwordEnvName, type ResolvedConnection } from '../shared/connections';
import { UnsupportedTypeError, type ColumnPlan, type Columns } from './convert';
import { splitStatements, toFrame } from './engine';
import { FieldParser } from '../market/load/numbers';
import { latin1 } from '../market/load/common';

/** Default cap on a result's rows (setting marketNotebooks.sql.maxResultRows). */
export const DEFAULT_MAX_ROWS = 10_000_000;
/** Default time a request may take (ms) before it fails with "did not answer within". */
export const DEFAULT_TIMEOUT_MS = 300_000;

export type ClickHouseErrorKind = 'server' | 'unreachable' | 'auth' | 'timeout' | 'cancelled' | 'too-large' | 'credentials';

/** A failed ClickHouse query: what happened in words, plus the server's code and message when it sent one. */
export class ClickHouseQueryError extends Error {
  constructor(message: string, readonly kind: ClickHouseErrorKind, readonly code?: number, readonly serverMessage?: string,
    /** 1-based line and column in the query text the server's "position N" points at */
    readonly line?: number, readonly column?: number) {
    super(message);
    this.name = 'ClickHouseError';
  }
}

/** Progress of a running query, from the server's system.processes. */
export interface ClickHouseProgress { rowsRead: number; totalRows: number; percent: number }

export interface ClickHouseQueryOptions {
  onProgress?: (p: ClickHouseProgress) => void;
  /** cap on the result's rows (default: the connection's, else DEFAULT_MAX_ROWS) */
  maxRows?: number;
  /** name of the result (meta.name) */
  name?: string;
}

// ---------------------------------------------------------------------------------------------
// literals and parameters

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
/** 'YYYY-MM-DD hh:mm:ss' in UTC, plus '.mmm' when the time has milliseconds and `ms` is set */
function utcText(d: Date, ms: boolean): string {
  const t = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return ms && d.getUTCMilliseconds() ? `${t}.${pad(d.getUTCMilliseconds(), 3)}` : t;
}
/** DateTime's range: 1970-01-01 00:00:00 … 2105-12-31 23:59:59 UTC (UInt32 seconds) */
const DATETIME_MAX_MS = 4291747199000;

function checkDate(d: Date, literal: boolean): void {
  const ms = d.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('an invalid Date was passed as a query value');
  if (ms < 0 || ms > DATETIME_MAX_MS) throw new RangeError(`the Date ${d.toISOString()} is outside ClickHouse's DateTime range (1970-01-01 … 2105-12-31 UTC)`);
  if (literal && ms % 1000 !== 0) {
    throw new RangeError(`the Date ${d.toISOString()} has milliseconds, which this server's DateTime cannot hold (whole seconds; DateTime64 needs ClickHouse 20.1): `
      + 'round it (new Date(Math.floor(d.getTime() / 1000) * 1000)) or compare with epoch milliseconds as a number');
  }
}

function quoteString(s: string): string {
  let out = "'";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) { out += s[i] + s[i + 1]; i++; continue; }
      throw new RangeError(`the string has a lone surrogate (\\u${c.toString(16)}) at ${i}: it has no UTF-8 form, so the server could not receive it as written`);
    }
    if (c === 0x5c) out += '\\\\';
    else if (c === 0x27) out += "\\'";
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += s[i];
  }
  return out + "'";
}

/**
 * The one escaping function for values sent as SQL text (servers without query parameters): a
 * typed ClickHouse literal, never raw text. Finite numbers as numerals (negative ones in
 * parentheses; subnormals, which the server cannot parse, as their exact bits), bigints as integers, booleans as 1/0, strings quoted with \\ \' and \xHH escapes,
 * Dates as toDateTime('YYYY-MM-DD hh:mm:ss', 'UTC') (whole seconds), arrays as [a, b], null as
 * NULL. Throws for NaN/±Infinity, invalid or out-of-range Dates, lone surrogates, undefined,
 * functions and plain objects.
 * @param v the value of a ${} in sql.on('name')`…`
 * @returns the literal's SQL text, e.g. chLiteral("it's") is 'it\'s'
 */
export function chLiteral(v: unknown): string {
  if (v === null) return 'NULL';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new RangeError(`${v} is not a finite number: ClickHouse literals are finite numerals (write nan or inf in the SQL, or filter NaN out first)`);
    if (v !== 0 && Math.abs(v) < 2.2250738585072014e-308) {
      // subnormals: the server's parser rejects "5e-324" (and toFloat64('5e-324') is 0), so the exact bits
      const b = Buffer.alloc(8);
      b.writeDoubleLE(v);
      return `reinterpretAsFloat64(unhex('${b.toString('hex').toUpperCase()}'))`;
    }
    const t = String(Object.is(v, -0) ? 0 : v);
    return v < 0 ? `(${t})` : t;
  }
  if (typeof v === 'bigint') return v < 0n ? `(${v})` : String(v);
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (typeof v === 'string') return quoteString(v);
  if (v instanceof Date) { checkDate(v, true); return `toDateTime(${quoteString(utcText(v, false))}, 'UTC')`; }
  if (Array.isArray(v)) return `[${v.map(chLiteral).join(', ')}]`;
  throw new TypeError(`a query value must be a number, bigint, string, boolean, Date, array or null; got ${v === undefined ? 'undefined' : typeof v === 'object' ? (v as object).constructor?.name ?? 'an object' : typeof v}`);
}

/** The ClickHouse type of a bound parameter and its text value (servers with query parameters). */
export function chParam(v: unknown): { type: string; value: unknown } {
  if (v === null) return { type: 'Nullable(String)', value: null };
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new RangeError(`${v} is not a finite number`);
    return Number.isSafeInteger(v) ? { type: 'Int64', value: v } : { type: 'Float64', value: v };
  }
  if (typeof v === 'bigint') return { type: v < 0n ? 'Int64' : 'UInt64', value: v.toString() };
  if (typeof v === 'boolean') return { type: 'UInt8', value: v ? 1 : 0 };
  if (typeof v === 'string') { quoteString(v); return { type: 'String', value: v }; }
  if (v instanceof Date) {
    checkDate(v, false);
    return v.getTime() % 1000 ? { type: "DateTime64(3, 'UTC')", value: utcText(v, true) } : { type: "DateTime('UTC')", value: utcText(v, false) };
  }
  if (Array.isArray(v)) {
    const inner = v.length ? chParam(v[0]).type : 'String';
    return { type: `Array(${inner})`, value: v.map((x) => (x instanceof Date ? chParam(x).value : x)) };
  }
  return { type: 'String', value: chLiteral(v) }; // throws the same TypeError
}

/** A query text with its values: `{pN:Type}` placeholders and params, or typed literals. */
export function bindValues(strings: readonly string[], values: readonly unknown[], serverParams: boolean): { text: string; params: Record<string, unknown> } {
  let text = strings[0];
  const params: Record<string, unknown> = {};
  for (let i = 1; i < strings.length; i++) {
    const v = values[i - 1];
    if (serverParams) {
      const p = chParam(v);
      params[`p${i}`] = p.value;
      text += `{p${i}:${p.type}}` + strings[i];
    } else text += chLiteral(v) + strings[i];
  }
  return { text, params };
}

// ---------------------------------------------------------------------------------------------
// results

type Parse = 'num' | 'date' | 'datetime' | 'text';
interface RemoteColumn { plan: ColumnPlan; parse: Parse; zone?: string; nums?: Float64Array; texts?: string[] }

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
  return s.replace(/\\(.)/g, (_, c: string) => ({ t: '\t', n: '\n', r: '\r', b: '\b', f: '\f', '0': '\0', a: '\x07', v: '\v' } as Record<string, string>)[c] ?? c);
}

const zoneCache = new Map<string, Intl.DateTimeFormat>();
const isUtc = (zone: string | undefined): boolean => !zone || zone === 'UTC' || zone === 'Etc/UTC' || zone === 'GMT' || zone === 'Etc/GMT' || zone === 'Etc/UCT' || zone === 'UCT';
/** Epoch ms of a wall-clock time in an IANA zone (UTC fast path). */
export function zonedToEpoch(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number, zone: string | undefined): number {
  const guess = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  if (!zone || isUtc(zone)) return guess;
  let f = zoneCache.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
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
function parseTime(fp: FieldParser, buf: Uint8Array, s: number, e: number, date: boolean, zone: string | undefined): number {
  if (e - s < 10 || buf[s + 4] !== 45) return latin1(buf, s, e) === '\\N' ? NaN : parseNumber(fp, buf, s, e) * (date ? 86_400_000 : 1000);
  const y = d2(buf, s) * 100 + d2(buf, s + 2), mo = d2(buf, s + 5), d = d2(buf, s + 8);
  if (y === 0) return 0; // 0000-00-00: ClickHouse's zero date/time, the value 0
  if (date) return daysFromCivil(y, mo, d) * 86_400_000;
  const h = d2(buf, s + 11), mi = d2(buf, s + 14), sec = d2(buf, s + 17);
  const frac = e - s > 20 ? Number(`0${latin1(buf, s + 19, e)}`) * 1000 : 0;
  return (isUtc(zone) ? daysFromCivil(y, mo, d) * 86_400_000 + ((h * 60 + mi) * 60 + sec) * 1000 : zonedToEpoch(y, mo, d, h, mi, sec, 0, zone)) + frac;
}

/** A ClickHouse result: columns as arrays of the exact row count, text columns as strings. */
export class RemoteResult {
  constructor(readonly names: string[], readonly types: string[], private readonly cols: RemoteColumn[], readonly rows: number, readonly sql: string,
    /** the server's own account of the query (rows and bytes read, elapsed), when it gave one */
    readonly summary: { readRows?: number; readBytes?: number; resultBytes?: number; elapsedMs?: number; receivedBytes?: number } = {}) {}

  /** the columns in the form toFrame takes; throws UnsupportedTypeError for a text column */
  columns(): Columns {
    for (const c of this.cols) if (c.parse === 'text') throw new UnsupportedTypeError(c.plan.name, c.plan.sqlType);
    return { names: this.names, plans: this.cols.map((c) => c.plan), cols: this.cols.map((c) => c.nums!), rows: this.rows };
  }

  /** the result as a Frame (first time column the index, as for DuckDB results) */
  toFrame(name?: string, source = 'clickhouse'): Frame {
    return toFrame(this.columns(), { source, sql: this.sql, ...(name ? { name } : {}) });
  }

  /** the table a SQL cell shows: first and last rows and the row count, made only for the shown rows */
  table(title: string): Table {
    const columns: TableColumn[] = this.cols.map((c) => ({ name: c.plan.name, type: c.parse === 'text' ? 'string' : c.plan.time ? 'date' : 'number' }));
    const cols = this.cols;
    const lazy: LazyRows = {
      length: this.rows,
      row: (i) => cols.map((c): TableValue => (c.parse === 'text' ? (c.texts![i] === '\\N' ? null : unescapeTsv(c.texts![i])) : c.plan.time ? (Number.isFinite(c.nums![i]) ? formatTime(c.nums![i]) : null) : numOrNull(c.nums![i]))),
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

  constructor(private readonly serverZone: string, private readonly maxRows: number) {}

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
    const cols = this.cols, nc = cols.length, n = buf.length;
    let j = 0, at = start, line = start;
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
      else { j = 0; line = at; this.rows++; }
    }
    return line;
  }

  private grow(): void {
    this.cap *= 2;
    for (const c of this.cols) if (c.nums) { const a = new Float64Array(this.cap); a.set(c.nums); c.nums = a; }
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
      if (this.carry) throw new ClickHouseQueryError('the server\'s answer ended in the middle of a row', 'server');
    }
    if (!this.names) return new RemoteResult([], [], [], 0, sql, summary);
    const cols = this.cols.map((c) => (c.nums ? { ...c, nums: c.nums.slice(0, this.rows) } : { ...c, texts: c.texts!.slice(0, this.rows) }));
    return new RemoteResult(this.names, this.types!, cols, this.rows, sql, summary);
  }

  private header(buf: Uint8Array, s: number, e: number): void {
    const fields = utf8.decode(buf.subarray(s, e)).split('\t').map(unescapeTsv);
    if (!this.names) { this.names = fields; return; }
    this.types = fields;
    const seen = new Map<string, number>();
    this.cols = this.names.map((raw, j) => {
      // duplicate names get a suffix, as DuckDB's deduplicated names do
      const k = seen.get(raw) ?? 0;
      seen.set(raw, k + 1);
      const name = k ? `${raw}_${k}` : raw;
      const t = columnType(fields[j] ?? '');
      const plan: ColumnPlan = { name, sqlType: fields[j] ?? '', kind: 'f64', scale: 1, div: 1, time: t.parse === 'date' || t.parse === 'datetime', date: t.parse === 'date' };
      return { plan, parse: t.parse, zone: t.zone ?? this.serverZone, ...(t.parse === 'text' ? { texts: [] } : { nums: new Float64Array(this.cap) }) };
    });
  }

  private errorAt(buf: Uint8Array, s: number): boolean {
    return utf8.decode(buf.subarray(s, Math.min(buf.length, s + 400))).match(/^Code: \d+[.,].*Exception/) !== null;
  }

  /** a line without the announced fields: an error the server appended mid-stream, or a broken answer */
  private badLine(buf: Uint8Array, s: number, e: number): never {
    const l = utf8.decode(buf.subarray(s, e));
    if (/Code: (\d+)/.test(l)) throw serverError(l, '');
    throw new ClickHouseQueryError(`the server's answer has a row of ${l.split('\t').length} fields where ${this.cols.length} were announced (row ${this.rows + 1}): ${l.slice(0, 200)}`, 'server');
  }
}

function tooLarge(maxRows: number): ClickHouseQueryError {
  return new ClickHouseQueryError(`the result has more than ${maxRows.toLocaleString('en-US')} rows, the cap on what a query brings into the kernel (setting marketNotebooks.sql.maxResultRows): `
    + 'add a LIMIT, aggregate on the server (GROUP BY), or raise the cap', 'too-large');
}

// ---------------------------------------------------------------------------------------------
// errors

/** The server's code and message from its error text ("Code: 62, e.displayText() = DB::Exception: …"), or undefined. */
export function parseServerError(text: string): { code: number; message: string } | undefined {
  const m = /Code: (\d+)[.,]\s*(?:e\.displayText\(\) = )?(?:DB::Exception: )?([\s\S]*?)(?:,? e\.what\(\) = DB::Exception)?\s*(?:\(version [^)]*\))?\s*$/.exec(text.trim());
  return m ? { code: Number(m[1]), message: m[2].trim() } : undefined;
}

function serverError(text: string, sql: string, offset = 0): ClickHouseQueryError {
  const p = parseServerError(text);
  if (!p) return new ClickHouseQueryError(text, 'server');
  if (p.code === 396) return new ClickHouseQueryError(p.message, 'too-large', p.code, p.message); // the caller says it in words (it knows the cap)
  if (p.code === 394) return new ClickHouseQueryError(`the query was cancelled on the server (${p.message})`, 'cancelled', p.code, p.message);
  if (p.code === 159) return new ClickHouseQueryError(`the query ran longer than the server allows (max_execution_time): ${p.message} (code 159)`, 'timeout', p.code, p.message);
  // "failed at position 8" counts characters of the statement from 1
  const pos = /position (\d+)/.exec(p.message);
  let line: number | undefined, column: number | undefined;
  if (pos && sql) {
    const at = offset + Number(pos[1]) - 1;
    const before = sql.slice(0, at).split(/\r?\n/);
    line = before.length;
    column = before[before.length - 1].length + 1;
  }
  // the FORMAT clause the product appends is not the user's: keep it out of the message
  const message = p.message.replace(/\s*FORMAT TabSeparatedWithNamesAndTypes/g, '');
  return new ClickHouseQueryError(`ClickHouse error ${p.code}: ${message}`, 'server', p.code, message, line, column);
}

// ---------------------------------------------------------------------------------------------
// the connection

const STARTS_RESULT = /^\s*(SELECT|WITH|SHOW|DESC|DESCRIBE|EXISTS|EXPLAIN|\()/i;
let queries = 0;

/** One named ClickHouse connection of a notebook (or a Node program). */
export class ClickHouse {
  private client: ClickHouseClient | undefined;
  private server: Promise<{ version: string; major: number; minor: number; zone: string }> | undefined;
  private readonly running = new Map<string, AbortController>();
  /** queries interrupt() stopped: their failure says "stopped", not the client's abort message */
  private readonly cancelled = new Set<string>();
  readonly timeoutMs: number;

  constructor(readonly spec: ResolvedConnection & { timeoutMs?: number }) {
    this.timeoutMs = spec.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  private get c(): ClickHouseClient {
    if (!this.client) {
      // required on first use: a kernel that never talks to ClickHouse never loads the client
      const { createClient, ClickHouseLogLevel } = require('@clickhouse/client') as typeof import('@clickhouse/client');
      this.client = createClient({
        url: this.spec.url, username: this.spec.user ?? 'default', password: this.spec.password ?? '',
        ...(this.spec.database ? { database: this.spec.database } : {}),
        request_timeout: this.timeoutMs, application: 'market-notebooks',
        // errors reach the cell as ClickHouseQueryError; the client's own console log would repeat them on the kernel's stderr
        log: { level: ClickHouseLogLevel.OFF },
      });
    }
    return this.client;
  }

  /** the server's version and time zone (asked once) */
  serverInfo(): Promise<{ version: string; major: number; minor: number; zone: string }> {
    if (!this.server) {
      this.server = (async () => {
        const r = await this.exec('SELECT version(), timezone() FORMAT TabSeparated', '', 0);
        const [version, zone] = (await streamText(r.stream)).trim().split('\t');
        const [major, minor] = version.split('.').map(Number);
        return { version, major, minor, zone: zone || 'UTC' };
      })();
      this.server.catch(() => { this.server = undefined; });
    }
    return this.server;
  }

  private params: Promise<boolean> | undefined;

  /**
   * Whether the server binds `{name:Type}` parameters (a 19.x feature; 18.16 says "Unknown setting
   * param_…"): 20 and later do; older versions are asked once with a one-parameter query.
   */
  supportsParams(): Promise<boolean> {
    this.params ??= (async () => {
      if ((await this.serverInfo()).major >= 20) return true;
      try {
        const r = await this.exec('SELECT {p:UInt8} FORMAT TabSeparated', '', 0, { p: 1 });
        return (await streamText(r.stream)).trim() === '1';
      } catch (e) {
        if (e instanceof ClickHouseQueryError && (e.code === 115 || /param_/.test(e.message))) return false;
        throw e;
      }
    })();
    this.params.catch(() => { this.params = undefined; });
    return this.params;
  }

  /**
   * Runs SQL text (several statements: in order, the last one's result returned). The text is sent
   * as written (comments included) so the server's positions point into it.
   */
  async run(text: string, params: Record<string, unknown> = {}, opts: ClickHouseQueryOptions = {}): Promise<RemoteResult | undefined> {
    const info = await this.serverInfo();
    const stmts = splitStatements(text);
    if (!stmts.length) throw new ClickHouseQueryError('the query has no statement', 'server');
    let last: RemoteResult | undefined;
    for (const st of stmts) {
      const body = st.text.replace(/;\s*$/, '');
      last = STARTS_RESULT.test(body.replace(/^(\s*(--[^\n]*\n|\/\*[\s\S]*?\*\/))*/, ''))
        ? await this.select(body, text, st.offset, params, info.zone, opts)
        : (await this.command(body, text, st.offset, params), undefined);
    }
    return last;
  }

  /** Runs a query and returns its result as a Frame. */
  async query(text: string, params: Record<string, unknown> = {}, opts: ClickHouseQueryOptions = {}): Promise<Frame> {
    const r = await this.run(text, params, opts);
    if (!r) throw new ClickHouseQueryError('the last statement returned no result (it was not a SELECT)', 'server');
    const f = r.toFrame(opts.name);
    if (r.summary.receivedBytes !== undefined) f.meta.receivedBytes = r.summary.receivedBytes;
    return f;
  }

  private async select(body: string, whole: string, offset: number, params: Record<string, unknown>, zone: string, opts: ClickHouseQueryOptions): Promise<RemoteResult> {
    const maxRows = opts.maxRows ?? this.spec.maxRows ?? DEFAULT_MAX_ROWS;
    const id = `mktnb-${process.pid}-${++queries}-${Date.now()}`;
    const stop = this.poll(id, opts.onProgress);
    const parser = new TsvColumns(zone, maxRows);
    try {
      // the server stops at the cap too, before it has sent more than that (error 396)
      const r = await this.exec(`${body}\nFORMAT TabSeparatedWithNamesAndTypes`, whole, offset, params, id,
        { max_result_rows: String(maxRows + 1), result_overflow_mode: 'throw' });
      try {
        for await (const chunk of r.stream as AsyncIterable<Buffer>) parser.push(chunk);
      } catch (e) {
        if (e instanceof ClickHouseQueryError) { r.stream.destroy(); void this.kill(id); throw e; }
        throw this.explain(e, whole, offset, id);
      }
      return parser.finish(body, { ...summaryOf(r.summary), receivedBytes: parser.bytes });
    } catch (e) {
      throw e instanceof ClickHouseQueryError && e.kind === 'too-large' && e.code ? tooLarge(maxRows) : e;
    } finally {
      stop();
      this.running.delete(id);
    }
  }

  private async command(body: string, whole: string, offset: number, params: Record<string, unknown>): Promise<void> {
    const id = `mktnb-${process.pid}-${++queries}-${Date.now()}`;
    try {
      const r = await this.exec(body, whole, offset, params, id);
      await streamText(r.stream);
    } finally { this.running.delete(id); }
  }

  /** sends a query; with `tracked` (a cell's query) interrupt() can stop it until the caller removes it from `running` */
  private async exec(query: string, whole: string, offset: number, params: Record<string, unknown> = {}, tracked?: string, settings: Record<string, string> = {}) {
    const ac = new AbortController();
    const id = tracked ?? `mktnb-${process.pid}-${++queries}-${Date.now()}`;
    if (tracked) this.running.set(id, ac);
    try {
      return await this.c.exec({
        query, query_id: id, abort_signal: ac.signal,
        ...(Object.keys(params).length ? { query_params: params } : {}),
        ...(Object.keys(settings).length ? { clickhouse_settings: settings as never } : {}),
      });
    } catch (e) {
      throw this.explain(e, whole, offset, id);
    }
  }

  /** polls system.processes for the query's rows read while it runs; returns the stop function */
  private poll(id: string, onProgress?: (p: ClickHouseProgress) => void): () => void {
    if (!onProgress) return () => undefined;
    let busy = false;
    const timer = setInterval(() => {
      if (busy) return;
      busy = true;
      this.c.exec({ query: `SELECT read_rows, total_rows_approx FROM system.processes WHERE query_id = ${chLiteral(id)} FORMAT TabSeparated` })
        .then((r) => streamText(r.stream))
        .then((t) => {
          const [read, total] = t.trim().split('\t').map(Number);
          if (Number.isFinite(read)) onProgress({ rowsRead: read, totalRows: total || 0, percent: total > 0 ? Math.min(100, Math.floor((100 * read) / total)) : 0 });
        }, () => undefined)
        .finally(() => { busy = false; });
    }, 500);
    (timer as { unref?: () => void }).unref?.();
    return () => clearInterval(timer);
  }

  /** Stops every running query: the request is aborted and the server told to KILL it. */
  interrupt(): void {
    for (const [id, ac] of [...this.running]) {
      this.cancelled.add(id);
      ac.abort();
      void this.kill(id);
    }
  }

  private async kill(id: string): Promise<void> {
    try { await this.c.command({ query: `KILL QUERY WHERE query_id = ${chLiteral(id)} ASYNC` }); } catch { /* the server is gone or the query is done */ }
  }

  private explain(e: unknown, sql: string, offset: number, id: string): ClickHouseQueryError {
    if (e instanceof ClickHouseQueryError) return e;
    const err = e as Error & { code?: string | number };
    const msg = String(err?.message ?? e);
    const where = `connection "${this.spec.name}" (${this.spec.url})`;
    if (this.cancelled.delete(id)) {
      return new ClickHouseQueryError(`the query was stopped (it was cancelled on the server of ${where})`, 'cancelled');
    }
    if (typeof err?.code === 'string' && /^(ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|ECONNRESET|EPIPE)$/.test(err.code)) {
      const why = { ECONNREFUSED: 'connection refused: is the server running, and is that its HTTP port (8123 by default)?', ENOTFOUND: 'no such host', EAI_AGAIN: 'the host name could not be resolved (offline?)' }[err.code as 'ECONNREFUSED'] ?? err.code;
      return new ClickHouseQueryError(`cannot reach the ClickHouse server of ${where}: ${why}`, 'unreachable');
    }
    if (/^Timeout error/i.test(msg)) {
      return new ClickHouseQueryError(`the ClickHouse server of ${where} did not answer within ${this.timeoutMs / 1000} s (the connection's timeout, setting marketNotebooks.sql.timeoutSeconds); `
        + 'the query may still run there: aggregate more on the server or raise the timeout', 'timeout');
    }
    const p = parseServerError(msg);
    if (p && (p.code === 193 || p.code === 192 || p.code === 516)) {
      const src = this.spec.password === undefined
        ? `no password was given: set ${passwordEnvName(this.spec)}, or in VS Code run "Market Notebooks: Add Connection…" for "${this.spec.name}"`
        : `the password came from ${this.spec.passwordSource ?? 'the connection'}`;
      return new ClickHouseQueryError(`the ClickHouse server of ${where} refused user "${this.spec.user ?? 'default'}": wrong password or unknown user (${src}). `
        + `Server said: code ${p.code}: ${p.message}`, 'auth', p.code, p.message);
    }
    return p ? serverError(msg, sql, offset) : new ClickHouseQueryError(`ClickHouse (${where}): ${msg}`, 'server');
  }

  async close(): Promise<void> {
    this.interrupt();
    const c = this.client;
    this.client = undefined;
    await c?.close();
  }
}

async function streamText(s: NodeJS.ReadableStream): Promise<string> {
  let out = '';
  for await (const c of s as AsyncIterable<Buffer | string>) out += typeof c === 'string' ? c : c.toString('utf8');
  return out;
}

function summaryOf(s: { read_rows?: string; read_bytes?: string; result_bytes?: string; elapsed_ns?: string } | undefined): RemoteResult['summary'] {
  if (!s) return {};
  const n = (x?: string) => (x === undefined ? undefined : Number(x));
  const out: RemoteResult['summary'] = {};
  if (s.read_rows !== undefined) out.readRows = n(s.read_rows);
  if (s.read_bytes !== undefined) out.readBytes = n(s.read_bytes);
  if (s.result_bytes !== undefined) out.resultBytes = n(s.result_bytes);
  if (s.elapsed_ns !== undefined) out.elapsedMs = n(s.elapsed_ns)! / 1e6;
  return out;
}
