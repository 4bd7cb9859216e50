/**
 * Values of sql.on('name')`…` sent to ClickHouse (src/data/clickhouse.ts): as typed `{pN:Type}`
 * parameters the server binds (servers with query parameters, a 19.x feature), or as typed
 * literals made by chLiteral(), the one escaping function (fuzz-tested), on older servers.
 */

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
  if (ms < 0 || ms > DATETIME_MAX_MS)
    throw new RangeError(
      `the Date ${d.toISOString()} is outside ClickHouse's DateTime range (1970-01-01 … 2105-12-31 UTC)`,
    );
  if (literal && ms % 1000 !== 0) {
    throw new RangeError(
      `the Date ${d.toISOString()} has milliseconds, which this server's DateTime cannot hold (whole seconds; DateTime64 needs ClickHouse 20.1): ` +
        'round it (new Date(Math.floor(d.getTime() / 1000) * 1000)) or compare with epoch milliseconds as a number',
    );
  }
}

function quoteString(s: string): string {
  let out = "'";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        out += s[i] + s[i + 1];
        i++;
        continue;
      }
      throw new RangeError(
        `the string has a lone surrogate (\\u${c.toString(16)}) at ${i}: it has no UTF-8 form, so the server could not receive it as written`,
      );
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
    if (!Number.isFinite(v))
      throw new RangeError(
        `${v} is not a finite number: ClickHouse literals are finite numerals (write nan or inf in the SQL, or filter NaN out first)`,
      );
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
  if (v instanceof Date) {
    checkDate(v, true);
    return `toDateTime(${quoteString(utcText(v, false))}, 'UTC')`;
  }
  if (Array.isArray(v)) return `[${v.map(chLiteral).join(', ')}]`;
  throw new TypeError(
    `a query value must be a number, bigint, string, boolean, Date, array or null; got ${v === undefined ? 'undefined' : typeof v === 'object' ? ((v as object).constructor?.name ?? 'an object') : typeof v}`,
  );
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
  if (typeof v === 'string') {
    quoteString(v);
    return { type: 'String', value: v };
  }
  if (v instanceof Date) {
    checkDate(v, false);
    return v.getTime() % 1000
      ? { type: "DateTime64(3, 'UTC')", value: utcText(v, true) }
      : { type: "DateTime('UTC')", value: utcText(v, false) };
  }
  if (Array.isArray(v)) {
    const inner = v.length ? chParam(v[0]).type : 'String';
    return { type: `Array(${inner})`, value: v.map((x) => (x instanceof Date ? chParam(x).value : x)) };
  }
  return { type: 'String', value: chLiteral(v) }; // throws the same TypeError
}

/** A query text with its values: `{pN:Type}` placeholders and params, or typed literals. */
export function bindValues(
  strings: readonly string[],
  values: readonly unknown[],
  serverParams: boolean,
): { text: string; params: Record<string, unknown> } {
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
