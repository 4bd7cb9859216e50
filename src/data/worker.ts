/**
 * The data worker: a thread with its own DuckDB (in memory) that reads files for load(), which
 * is synchronous: the caller blocks on a shared flag until the worker posts the columns
 * (their buffers transferred, not copied). See sync.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { unzipSync } from 'fflate';
import type { DuckDBConnection } from '@duckdb/node-api';
import type * as Bindings from '@duckdb/node-bindings';
import { bindings, nodeApi } from './native';
import { resultColumns } from './convert';
import { expectedRows, STREAM_BUFFER, streamColumns } from './stream';
import type { WorkerReply, WorkerRequest } from './sync';

const flag = new Int32Array(workerData.flag as SharedArrayBuffer);
const port = workerData.port as import('node:worker_threads').MessagePort;
let conn: Promise<DuckDBConnection> | undefined;

function connection(): Promise<DuckDBConnection> {
  // progress tracking gives DuckDB's estimate of a query's rows, which sizes the result's arrays once (streamColumns)
  conn ??= nodeApi()
    .DuckDBInstance.create(':memory:')
    .then((i) => i.connect())
    .then(async (c) => {
      await c.run(
        `SET enable_progress_bar = true; SET enable_progress_bar_print = false; SET streaming_buffer_size = '${STREAM_BUFFER}'`,
      );
      return c;
    });
  return conn;
}

function reply(r: WorkerReply, transfer: ArrayBuffer[] = []): void {
  port.postMessage(r, transfer);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}

/** A zip archive's single CSV, extracted to a temporary file (DuckDB reads files, not zip members). */
function extract(zip: string): { file: string; member: string; cleanup: () => void } {
  const entries = unzipSync(fs.readFileSync(zip), { filter: (f) => !f.name.endsWith('/') });
  const names = Object.keys(entries);
  if (names.length !== 1)
    throw new Error(
      `${zip}: the archive holds ${names.length} files (${names.slice(0, 5).join(', ')}); load() reads archives of exactly one CSV`,
    );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mktnb-zip-'));
  const file = path.join(dir, path.basename(names[0]));
  fs.writeFileSync(file, entries[names[0]]);
  return { file, member: names[0], cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

async function handle(req: WorkerRequest): Promise<void> {
  const c = await connection();
  let cleanup = () => {};
  try {
    let sql = req.sql;
    let member: string | undefined;
    if (req.zip) {
      const x = extract(req.zip);
      cleanup = x.cleanup;
      member = x.member;
      sql = sql.split('$FILE').join(`'${x.file.replace(/'/g, "''")}'`);
    }
    if (req.describe) {
      const d = await c.runAndReadAll(`DESCRIBE ${sql}`);
      const rows = d.getRowObjectsJS();
      reply({
        ok: true,
        names: rows.map((r) => String(r.column_name)),
        types: rows.map((r) => String(r.column_type)),
        time: [],
        cols: [],
        rows: 0,
        member,
      });
      return;
    }
    // streamed into the columns (no materialized copy in DuckDB beside them); a read that failed
    // mid-way ends like a finished one, except that the result stops streaming: then the query is
    // run again, materialized, for DuckDB's message (see Engine.query)
    const s = await c.stream(sql);
    const raw = (s as unknown as { result: Bindings.Result }).result;
    const streaming = bindings().result_is_streaming(raw);
    let cols = await streamColumns(raw, s.deduplicatedColumnNames(), expectedRows(c));
    if (streaming && !bindings().result_is_streaming(raw)) cols = resultColumns(await c.run(sql));
    reply(
      {
        ok: true,
        names: cols.names,
        types: cols.plans.map((p) => p.sqlType),
        time: cols.plans.map((p) => p.time),
        cols: cols.cols,
        rows: cols.rows,
        member,
      },
      cols.cols.map((a) => a.buffer as ArrayBuffer),
    );
  } catch (e) {
    reply({ ok: false, message: String((e as Error)?.message ?? e), name: (e as Error)?.name });
  } finally {
    cleanup();
  }
}

parentPort!.on('message', (req: WorkerRequest) => {
  void handle(req);
});
