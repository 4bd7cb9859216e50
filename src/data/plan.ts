/**
 * The plan for reading one DuckDB result column as doubles: its DuckDB type → the kind of its
 * vector's values and the unit conversion (convert.ts applies the plan to the vectors).
 *
 * Type mapping, DuckDB → library (every value becomes a double; NULL becomes NaN):
 *   DOUBLE, FLOAT, TINYINT..BIGINT, UTINYINT..UBIGINT, HUGEINT, UHUGEINT, DECIMAL  → number
 *     (integers beyond ±2^53 and DECIMALs lose digits past a double's 15-17 significant ones)
 *   BOOLEAN                                                                    → 1 / 0
 *   DATE                                                                       → epoch ms (UTC midnight)
 *   TIMESTAMP, TIMESTAMP_S, TIMESTAMP_MS, TIMESTAMP_NS, TIMESTAMPTZ (WITH TIME ZONE) → epoch ms (UTC;
 *     µs and ns keep their fraction of a millisecond)
 *   anything else (VARCHAR, BLOB, LIST, STRUCT, INTERVAL, TIME, UUID, ENUM, …)  → UnsupportedTypeError
 */
import type * as Bindings from '@duckdb/node-bindings';
import { bindings } from './native';
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

/** How a column's values become doubles. */
export type Kind =
  'f64' | 'f32' | 'i8' | 'i16' | 'i32' | 'u8' | 'u16' | 'u32' | 'i64' | 'u64' | 'i128' | 'u128' | 'bool';

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
/** Bytes per value of each kind in a DuckDB vector. */
export const KIND_BYTES: Record<Kind, number> = {
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
  const duckdb = bindings();
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
