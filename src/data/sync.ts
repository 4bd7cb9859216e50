/**
 * Synchronous queries for load(), which returns its Series/Frame at once: the query runs in the
 * data worker (worker.ts, its own DuckDB) while this thread waits on a shared flag; the columns
 * come back with their buffers transferred. The worker starts on first use and does not keep
 * the process alive.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';

export interface WorkerRequest {
  sql: string;
  /** a zip archive whose single member replaces $FILE in the query */
  zip?: string;
  /** only the names and DuckDB types of the query's columns (no rows) */
  describe?: boolean;
}
export type WorkerReply =
  | { ok: true; names: string[]; types: string[]; time: boolean[]; cols: Float64Array[]; rows: number; member?: string }
  | { ok: false; message: string; name?: string };

let state: { worker: Worker; port: MessagePort; flag: Int32Array } | undefined;

/** The worker's script: dist/data-worker.js next to the bundle, or the TypeScript source (tests, through tsx). */
function workerSource(): string {
  const built = path.join(__dirname, 'data-worker.js');
  if (fs.existsSync(built)) return `require(${JSON.stringify(built)});`;
  const src = path.join(__dirname, 'worker.ts');
  if (fs.existsSync(src)) return `require('tsx/cjs'); require(${JSON.stringify(src)});`;
  throw new Error(`the data worker was not found (${built})`);
}

function start(): NonNullable<typeof state> {
  if (state) return state;
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(workerSource(), {
    eval: true,
    workerData: { flag: flag.buffer, port: port2 },
    transferList: [port2],
    stdout: false,
    stderr: false,
  });
  worker.unref();
  port1.unref();
  worker.on('error', () => {
    state = undefined;
  });
  worker.on('exit', () => {
    state = undefined;
  });
  state = { worker, port: port1, flag };
  return state;
}

/** Runs a query in the data worker and waits for its columns. */
export function querySync(req: WorkerRequest): Extract<WorkerReply, { ok: true }> {
  const s = start();
  Atomics.store(s.flag, 0, 0);
  s.worker.postMessage(req);
  for (;;) {
    // wake up now and then: a worker that died leaves the flag unset
    if (Atomics.wait(s.flag, 0, 0, 1000) !== 'timed-out') break;
    if (state !== s) throw new Error('the data worker stopped while reading');
  }
  const msg = receiveMessageOnPort(s.port)?.message as WorkerReply | undefined;
  if (!msg) throw new Error('internal: the data worker answered without a message');
  if (!msg.ok) {
    const e = new Error(msg.message);
    if (msg.name) e.name = msg.name;
    throw e;
  }
  return msg;
}
