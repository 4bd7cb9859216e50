/**
 * The fields of a ClickHouse TabSeparatedWithNamesAndTypes result (clickhouseTsv.ts splits the
 * stream into them): how a column's type, as the header writes it, is read (columnType), and one
 * field buf[s..e) as a double, numbers through the load() scanner's exact fast path, Date/DateTime
 * in the column's or the server's zone, or as text with its escapes undone.
 */
import type { FieldParser } from '../market/load/numbers';
import { latin1 } from '../market/load/common';

/** How a column's fields are read. */
export type Parse = 'num' | 'date' | 'datetime' | 'text';

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
export function unescapeTsv(s: string): string {
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
export function parseNumber(fp: FieldParser, buf: Uint8Array, s: number, e: number): number {
  const v = fp.fastNum(buf, s, e);
  if (fp.end === e) return v;
  const t = latin1(buf, s, e);
  if (t === '\\N') return NaN;
  const x = Number(t);
  if (x === x) return x;
  return t === 'inf' || t === '+inf' ? Infinity : t === '-inf' ? -Infinity : NaN;
}
/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil): Date.UTC without a call per row. */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}
const d2 = (b: Uint8Array, i: number): number => (b[i] - 48) * 10 + (b[i + 1] - 48);

/** A Date or DateTime field ('YYYY-MM-DD', 'YYYY-MM-DD hh:mm:ss[.fff]') as epoch ms; '\N' NaN; the zero date 0. */
export function parseTime(
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
