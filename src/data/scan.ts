/**
 * Series and Frames of the program as tables, without a copy of them in DuckDB: one table function,
 * `__mktnb_value('name')`, scans a value's Float64Array columns chunk by chunk while a query runs,
 * and a temporary view under the value's name calls it (`SELECT … FROM btc` reads btc's arrays).
 *
 * What is copied, and when: nothing at registration. During a scan, each 2,048-row chunk of the
 * columns the query uses (projection pushdown: an unused column is never touched) is copied once
 * into DuckDB's output vector: a memcpy for DOUBLE columns, a conversion from epoch ms to
 * TIMESTAMP µs for the index, plus a NULL mask where a value is NaN. DuckDB cannot read JS memory
 * in place (its C API has no external vectors, and the Node bindings copy every buffer they pass),
 * so one copy per chunk is the least there is; it is freed as soon as DuckDB has consumed the chunk.
 * A query that reads the value twice scans it twice.
 *
 * Why a table function rather than DuckDB's appender (the first version): the appender made a
 * full second copy of every value in a temporary table before the first query (1.6 s and 160 MB
 * for 10^7 rows x 2 columns), held until the value changed; the scan costs about as much as one
 * query over that table and holds nothing.
 */
import type * as Bindings from '@duckdb/node-bindings';
import type {
  DuckDBConnection,
  DuckDBTableFunctionBindInfo,
  DuckDBTableFunctionInfo,
  DuckDBTableFunctionInitInfo,
  DuckDBDataChunk,
} from '@duckdb/node-api';
import { bindings, nodeApi } from './native';

/** The table function's name (the views call it; it is not meant for queries). */
export const SCAN_FUNCTION = '__mktnb_value';
const TWO32 = 4294967296;

/** A value as the columns of a table: the index (epoch ms) becomes TIMESTAMP "date", each column a DOUBLE. */
export interface ScanSource {
  names: string[];
  index: Float64Array;
  cols: Float64Array[];
}

interface BindData {
  src: ScanSource;
}
interface InitData {
  pos: number;
  proj: number[];
}

/**
 * Registers the scan on a connection; `source(name)` gives the arrays of a registered value at the
 * time a query binds (so a view always reads the value registered under its name now).
 */
export function installScan(connection: DuckDBConnection, source: (name: string) => ScanSource | undefined): void {
  const api = nodeApi();
  const duckdb = bindings();
  const size = duckdb.vector_size();
  // scratch buffers of one chunk, reused: the index as int64 µs (lo, hi words) and the NULL mask
  const ts = new Int32Array(2 * size);
  const mask = new Uint8Array(8 * Math.ceil(size / 64));
  const fn = api.DuckDBTableFunction.create({
    name: SCAN_FUNCTION,
    parameterTypes: [api.VARCHAR],
    supportsProjectionPushdown: true,
    bindFunction: (info: DuckDBTableFunctionBindInfo) => {
      const name = String(info.getParameter(0));
      const src = source(name);
      if (!src) {
        info.setError(`"${name}" is no longer a Series or Frame of the program`);
        return;
      }
      info.addResultColumn('date', api.TIMESTAMP);
      for (const n of src.names) info.addResultColumn(n, api.DOUBLE);
      info.setBindData({ src } satisfies BindData);
      info.setCardinality(src.index.length, true);
    },
    initFunction: (info: DuckDBTableFunctionInitInfo) => {
      // the callbacks run on the JS thread anyway: one scanning thread keeps the chunks in order
      info.setMaxThreads(1);
      info.setInitData({ pos: 0, proj: info.getColumnIndexes() } satisfies InitData);
    },
    mainFunction: (info: DuckDBTableFunctionInfo, out: DuckDBDataChunk) => {
      try {
        const { src } = info.getBindData() as BindData;
        const st = info.getInitData() as InitData;
        const n = Math.max(0, Math.min(size, src.index.length - st.pos));
        out.rowCount = n;
        if (n === 0) return;
        const chunk = (out as unknown as { chunk: Bindings.DataChunk }).chunk;
        for (let j = 0; j < st.proj.length; j++) {
          const col = st.proj[j];
          const v = duckdb.data_chunk_get_vector(chunk, j);
          let nulls = false;
          if (col === 0) {
            const index = src.index;
            for (let i = 0; i < n; i++) {
              const ms = index[st.pos + i];
              if (!Number.isFinite(ms)) {
                ts[2 * i] = 0;
                ts[2 * i + 1] = 0;
                if (!nulls) {
                  mask.fill(255);
                  nulls = true;
                }
                mask[i >> 3] &= ~(1 << (i & 7));
                continue;
              }
              const us = Math.round(ms * 1000);
              const hi = Math.floor(us / TWO32);
              ts[2 * i + 1] = hi;
              ts[2 * i] = (us - hi * TWO32) | 0;
            }
            duckdb.copy_data_to_vector(v, 0, ts.buffer, 0, n * 8);
          } else {
            const a = src.cols[col - 1];
            duckdb.copy_data_to_vector(v, 0, a.buffer as ArrayBuffer, a.byteOffset + st.pos * 8, n * 8);
            // NaN (the library's missing value) becomes NULL
            for (let i = 0; i < n; i++) {
              if (a[st.pos + i] !== a[st.pos + i]) {
                if (!nulls) {
                  mask.fill(255);
                  nulls = true;
                }
                mask[i >> 3] &= ~(1 << (i & 7));
              }
            }
          }
          if (nulls) {
            duckdb.vector_ensure_validity_writable(v);
            duckdb.copy_data_to_vector_validity(v, 0, mask.buffer, 0, mask.length);
          }
        }
        st.pos += n;
      } catch (e) {
        info.setError(String((e as Error)?.message ?? e));
      }
    },
  });
  connection.registerTableFunction(fn);
}
