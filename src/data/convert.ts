/**
 * DuckDB results → the library's typed-array columns, chunk by chunk from DuckDB's vectors (never
 * one JS object per row): the vector conversion and materialized results (resultColumns). The type
 * plans (which DuckDB types are read, and how) are plan.ts; streamed results (streamColumns,
 * GrowableColumn) are stream.ts; the other direction, Series/Frames as tables, is scan.ts.
 *
 * Library → DuckDB (scan.ts): the index is a TIMESTAMP column "date" (UTC), every column (and a
 * Series' values) a DOUBLE; NaN becomes NULL.
 */
import type * as Bindings from '@duckdb/node-bindings';
import type { DuckDBMaterializedResult } from '@duckdb/node-api';
import { bindings } from './native';
import { KIND_BYTES, planColumn, type ColumnPlan } from './plan';

type duckdbNS = typeof Bindings;
// loaded on first use: the native addon is ~60 MB, a kernel that runs no SQL never maps it
let duckdb: duckdbNS = new Proxy({} as duckdbNS, {
  get: (_, k) => {
    duckdb = bindings();
    return Reflect.get(duckdb, k);
  },
});
const TWO32 = 4294967296;
const TWO64 = TWO32 * TWO32;

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
    const data = duckdb.vector_get_data(v, n * KIND_BYTES[plans[j].kind]);
    const valid = duckdb.vector_get_validity(v, 8 * Math.ceil(n / 64));
    convertVector(plans[j], data, valid, n, cols[j], off);
  }
  return n;
}
