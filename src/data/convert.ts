/**
 * DuckDB results → the library's typed-array columns, chunk by chunk from DuckDB's vectors (never
 * one JS object per row): the type plans and the vector conversion, and materialized results
 * (resultColumns). Streamed results (streamColumns, GrowableColumn) are stream.ts; the other
 * direction, Series/Frames as tables, is scan.ts.
 *
 * Type mapping, DuckDB → library (every value becomes a double; NULL becomes NaN):
 *   DOUBLE, FLOAT, TINYINT..BIGINT, UTINYINT..UBIGINT, HUGEINT, UHUGEINT, DECIMAL  → number
 *     (integers beyond ±2^53 and DECIMALs lose digits past a double's 15-17 significant ones)
 *   BOOLEAN                                                                    → 1 / 0
 *   DATE                                                                       → epoch ms (UTC midnight)
 *   TIMESTAMP, TIMESTAMP_S, TIMESTAMP_MS, TIMESTAMP_NS, TIMESTAMPTZ (WITH TIME ZONE) → epoch ms (UTC;
 *     µs and ns keep their fraction of a millisecond)
 *   anything else (VARCHAR, BLOB, LIST, STRUCT, INTERVAL, TIME, UUID, ENUM, …)  → UnsupportedTypeError
 * Library → DuckDB (scan.ts): the index is a TIMESTAMP column "date" (UTC), every column (and a
 * Series' values) a DOUBLE; NaN becomes NULL.
 */
import type * as Bindings from '@duckdb/node-bindings';
import type { DuckDBMaterializedResult } from '@duckdb/node-api';
import { bindings } from './native';

type duckdbNS = typeof Bindings;
// loaded on first use: the native addon is ~60 MB, a kernel that runs no SQL never maps it
let duckdb: duckdbNS = new Proxy({} as duckdbNS, {
  get: (_, k) => {
    duckdb = bindings();
    return (duckdb as any)[k];
  },
});
/** DuckDB's type ids (the values of the bindings' Type enum, fixed by its C API) */
const T = {
  INVALID: 0,
  BOOLEAN: 1,
  TINYINT: 2,
  SMALLINT: 3,
  INTEGER: 4,
  BIGINT: 5,
  UTINYINT: 6,
  USMALLINT: 7,
  UINTEGER: 8,
  UBIGINT: 9,
  FLOAT: 10,
  DOUBLE: 11,
  TIMESTAMP: 12,
  DATE: 13,
  TIME: 14,
  INTERVAL: 15,
  HUGEINT: 16,
  UHUGEINT: 32,
  VARCHAR: 17,
  BLOB: 18,
  DECIMAL: 19,
  TIMESTAMP_S: 20,
  TIMESTAMP_MS: 21,
  TIMESTAMP_NS: 22,
  ENUM: 23,
  LIST: 24,
  STRUCT: 25,
  MAP: 26,
  ARRAY: 33,
  UUID: 27,
  UNION: 28,
  BIT: 29,
  TIME_TZ: 30,
  TIMESTAMP_TZ: 31,
  ANY: 34,
  BIGNUM: 35,
  SQLNULL: 36,
  STRING_LITERAL: 37,
  INTEGER_LITERAL: 38,
  TIME_NS: 39,
  GEOMETRY: 40,
  VARIANT: 41,
} as const;
const TWO32 = 4294967296;
const TWO64 = TWO32 * TWO32;

/** How a column's values become doubles. */
type Kind = 'f64' | 'f32' | 'i8' | 'i16' | 'i32' | 'u8' | 'u16' | 'u32' | 'i64' | 'u64' | 'i128' | 'u128' | 'bool';

export interface ColumnPlan {
  name: string;
  /** DuckDB's name of the type, e.g. "DOUBLE", "TIMESTAMP WITH TIME ZONE", "DECIMAL(18,3)" */
  sqlType: string;
  kind: Kind;
  /** multiplier applied to the raw value (unit of times → ms) */
  scale: number;
  /** divisor applied to the raw value (µs, ns → ms; a DECIMAL's 10^scale): a division is correctly rounded, a multiplication by 1e-3 is not */
  div: number;
  /** a time column (epoch ms) */
  time: boolean;
  /** DATE: infinite dates (±int32 max) become NaN */
  date: boolean;
}

/** Error for a result column whose type has no typed-array form. */
export class UnsupportedTypeError extends TypeError {
  constructor(
    public column: string,
    public sqlType: string,
  ) {
    super(
      `column "${column}" is ${sqlType}: query results become Float64Array columns, so only numbers, booleans, DATE and TIMESTAMP columns can be read; ` +
        `CAST it (e.g. CAST("${column}" AS DOUBLE)), aggregate or filter by it in SQL, or read it with db (the DuckDB connection)`,
    );
    this.name = 'UnsupportedTypeError';
  }
}

const NAMES: Record<number, string> = {
  [T.BOOLEAN]: 'BOOLEAN',
  [T.TINYINT]: 'TINYINT',
  [T.SMALLINT]: 'SMALLINT',
  [T.INTEGER]: 'INTEGER',
  [T.BIGINT]: 'BIGINT',
  [T.UTINYINT]: 'UTINYINT',
  [T.USMALLINT]: 'USMALLINT',
  [T.UINTEGER]: 'UINTEGER',
  [T.UBIGINT]: 'UBIGINT',
  [T.FLOAT]: 'FLOAT',
  [T.DOUBLE]: 'DOUBLE',
  [T.TIMESTAMP]: 'TIMESTAMP',
  [T.DATE]: 'DATE',
  [T.TIME]: 'TIME',
  [T.INTERVAL]: 'INTERVAL',
  [T.HUGEINT]: 'HUGEINT',
  [T.UHUGEINT]: 'UHUGEINT',
  [T.VARCHAR]: 'VARCHAR',
  [T.BLOB]: 'BLOB',
  [T.DECIMAL]: 'DECIMAL',
  [T.TIMESTAMP_S]: 'TIMESTAMP_S',
  [T.TIMESTAMP_MS]: 'TIMESTAMP_MS',
  [T.TIMESTAMP_NS]: 'TIMESTAMP_NS',
  [T.ENUM]: 'ENUM',
  [T.LIST]: 'LIST',
  [T.STRUCT]: 'STRUCT',
  [T.MAP]: 'MAP',
  [T.ARRAY]: 'ARRAY',
  [T.UUID]: 'UUID',
  [T.UNION]: 'UNION',
  [T.BIT]: 'BIT',
  [T.TIME_TZ]: 'TIME WITH TIME ZONE',
  [T.TIMESTAMP_TZ]: 'TIMESTAMP WITH TIME ZONE',
  [T.BIGNUM]: 'BIGNUM',
  [T.SQLNULL]: 'NULL',
  [T.TIME_NS]: 'TIME_NS',
};

const INT_KIND: Partial<Record<number, Kind>> = {
  [T.TINYINT]: 'i8',
  [T.SMALLINT]: 'i16',
  [T.INTEGER]: 'i32',
  [T.BIGINT]: 'i64',
  [T.HUGEINT]: 'i128',
  [T.UTINYINT]: 'u8',
  [T.USMALLINT]: 'u16',
  [T.UINTEGER]: 'u32',
  [T.UBIGINT]: 'u64',
  [T.UHUGEINT]: 'u128',
};
const BYTES: Record<Kind, number> = {
  f64: 8,
  f32: 4,
  i8: 1,
  i16: 2,
  i32: 4,
  u8: 1,
  u16: 2,
  u32: 4,
  i64: 8,
  u64: 8,
  i128: 16,
  u128: 16,
  bool: 1,
};

/** The plan for one result column (throws UnsupportedTypeError for types without a typed-array form). */
export function planColumn(name: string, lt: Bindings.LogicalType): ColumnPlan {
  const id = duckdb.get_type_id(lt);
  const base = { name, scale: 1, div: 1, time: false, date: false };
  const sqlType = NAMES[id] ?? `type #${id}`;
  switch (id) {
    case T.DOUBLE:
      return { ...base, sqlType, kind: 'f64' };
    case T.FLOAT:
      return { ...base, sqlType, kind: 'f32' };
    case T.BOOLEAN:
      return { ...base, sqlType, kind: 'bool' };
    case T.DATE:
      return { ...base, sqlType, kind: 'i32', scale: 86_400_000, time: true, date: true };
    case T.TIMESTAMP:
    case T.TIMESTAMP_TZ:
      return { ...base, sqlType, kind: 'i64', div: 1e3, time: true };
    case T.TIMESTAMP_MS:
      return { ...base, sqlType, kind: 'i64', scale: 1, time: true };
    case T.TIMESTAMP_S:
      return { ...base, sqlType, kind: 'i64', scale: 1000, time: true };
    case T.TIMESTAMP_NS:
      return { ...base, sqlType, kind: 'i64', div: 1e6, time: true };
    case T.DECIMAL: {
      const width = duckdb.decimal_width(lt),
        s = duckdb.decimal_scale(lt);
      const kind = INT_KIND[duckdb.decimal_internal_type(lt)];
      if (!kind) throw new UnsupportedTypeError(name, `DECIMAL(${width},${s})`);
      return { ...base, sqlType: `DECIMAL(${width},${s})`, kind, div: 10 ** s };
    }
    case T.SQLNULL:
      return { ...base, sqlType, kind: 'f64' };
    default: {
      const kind = INT_KIND[id];
      if (kind) return { ...base, sqlType, kind };
      throw new UnsupportedTypeError(name, sqlType);
    }
  }
}

/**
 * Writes n values of a vector into out[off..off+n) as doubles. `raw` holds the vector's data
 * (DuckDB copies it out per call), `valid` its validity mask (null: no NULLs).
 */
export function convertVector(
  plan: ColumnPlan,
  raw: Uint8Array,
  valid: Uint8Array | null,
  n: number,
  out: Float64Array,
  off: number,
): void {
  const buf = raw.buffer,
    at = raw.byteOffset;
  const s = plan.scale,
    d = plan.div;
  // aligned views (DuckDB's buffers are aligned; a copy otherwise)
  const view = <A>(
    C: { new (b: ArrayBufferLike, o: number, l: number): A; BYTES_PER_ELEMENT: number },
    len: number,
  ): A => (at % C.BYTES_PER_ELEMENT === 0 ? new C(buf, at, len) : new C(raw.slice().buffer, 0, len));
  switch (plan.kind) {
    case 'f64':
      out.set(view(Float64Array, n), off);
      break;
    case 'f32':
      out.set(view(Float32Array, n), off);
      break;
    case 'i8':
      out.set(view(Int8Array, n), off);
      break;
    case 'u8':
    case 'bool':
      out.set(raw.subarray(0, n), off);
      break;
    case 'i16':
      out.set(view(Int16Array, n), off);
      break;
    case 'u16':
      out.set(view(Uint16Array, n), off);
      break;
    case 'i32':
      out.set(view(Int32Array, n), off);
      break;
    case 'u32':
      out.set(view(Uint32Array, n), off);
      break;
    case 'i64': {
      // hi * 2^32 + lo in doubles: no BigInt per value
      const w = view(Int32Array, 2 * n);
      if (plan.time) {
        // one pass per vector for timestamps (the common index column): TIMESTAMP 'infinity' is
        // int64 max, kept as NaN rather than a date 292,000 years away; v / d or v · s is v · s / d
        // exactly, since the other factor is 1
        if (s === 1)
          for (let i = 0; i < n; i++) {
            const v = w[2 * i + 1] * TWO32 + (w[2 * i] >>> 0);
            out[off + i] = v >= 9.2e18 || v <= -9.2e18 ? NaN : v / d;
          }
        else
          for (let i = 0; i < n; i++) {
            const v = w[2 * i + 1] * TWO32 + (w[2 * i] >>> 0);
            out[off + i] = v >= 9.2e18 || v <= -9.2e18 ? NaN : v * s;
          }
        break;
      }
      for (let i = 0; i < n; i++) {
        const v = w[2 * i + 1] * TWO32 + (w[2 * i] >>> 0);
        // a DECIMAL beyond 2^53 as DuckDB casts it: integer part plus fraction, each rounded once
        out[off + i] =
          d !== 1 && Math.abs(v) >= 2 ** 53
            ? splitDecimal((BigInt(w[2 * i + 1]) << 32n) | BigInt(w[2 * i] >>> 0), d)
            : (v * s) / d;
      }
      break;
    }
    case 'u64': {
      const w = view(Uint32Array, 2 * n);
      for (let i = 0; i < n; i++) out[off + i] = ((w[2 * i + 1] * TWO32 + w[2 * i]) * s) / d;
      break;
    }
    case 'i128':
    case 'u128': {
      // DuckDB's hugeint: lower 64 bits unsigned, upper 64 bits signed (unsigned for UHUGEINT)
      const w = view(Uint32Array, 4 * n);
      const signed = plan.kind === 'i128';
      for (let i = 0; i < n; i++) {
        const hiHi = signed ? w[4 * i + 3] | 0 : w[4 * i + 3];
        if (d !== 1) {
          const big =
            (((BigInt(hiHi) << 32n) | BigInt(w[4 * i + 2])) << 64n) | (BigInt(w[4 * i + 1]) << 32n) | BigInt(w[4 * i]);
          out[off + i] = splitDecimal(big, d);
        } else out[off + i] = (hiHi * TWO32 + w[4 * i + 2]) * TWO64 + (w[4 * i + 1] * TWO32 + w[4 * i]);
      }
      break;
    }
  }
  if (
    (s !== 1 || d !== 1) &&
    plan.kind !== 'i64' &&
    plan.kind !== 'u64' &&
    plan.kind !== 'i128' &&
    plan.kind !== 'u128'
  ) {
    for (let i = 0; i < n; i++) out[off + i] = (out[off + i] * s) / d;
  }
  if (plan.date) {
    // DuckDB's infinity / -infinity dates are int32 max / min + 1
    for (let i = 0; i < n; i++) {
      const v = out[off + i];
      if (v >= 2147483647 * 86_400_000 || v <= -2147483647 * 86_400_000) out[off + i] = NaN;
    }
  }
  if (valid) {
    for (let i = 0; i < n; i++) if ((valid[i >> 3] & (1 << (i & 7))) === 0) out[off + i] = NaN;
  }
}

/** DuckDB's cast of a wide DECIMAL to DOUBLE: integer part + fraction / 10^scale (slow path: BigInt, only for values beyond 2^53). */
function splitDecimal(raw: bigint, div: number): number {
  const p = BigInt(div);
  return Number(raw / p) + Number(raw % p) / div;
}

export interface Columns {
  names: string[];
  plans: ColumnPlan[];
  cols: Float64Array[];
  rows: number;
}

/** Every column of a materialized result as Float64Arrays of the exact row count. */
export function resultColumns(result: DuckDBMaterializedResult): Columns {
  const raw = (result as unknown as { result: Bindings.Result }).result;
  const names = result.deduplicatedColumnNames();
  const plans = names.map((n, i) => planColumn(n, duckdb.column_logical_type(raw, i)));
  const rows = result.rowCount;
  const cols = plans.map(() => new Float64Array(rows));
  let off = 0;
  const chunks = result.chunkCount;
  for (let c = 0; c < chunks; c++) off += convertChunk(duckdb.result_get_chunk(raw, c), plans, cols, off);
  return { names, plans, cols, rows };
}

/** Converts one data chunk into cols[j][off..off+n) (the arrays must have room); returns n. */
export function convertChunk(
  chunk: Bindings.DataChunk,
  plans: ColumnPlan[],
  cols: Float64Array[],
  off: number,
): number {
  const n = duckdb.data_chunk_get_size(chunk);
  for (let j = 0; j < plans.length; j++) {
    const v = duckdb.data_chunk_get_vector(chunk, j);
    // both calls copy (the bindings hand out copies, never views of DuckDB's memory); validity is null without NULLs
    const data = duckdb.vector_get_data(v, n * BYTES[plans[j].kind]);
    const valid = duckdb.vector_get_validity(v, 8 * Math.ceil(n / 64));
    convertVector(plans[j], data, valid, n, cols[j], off);
  }
  return n;
}
