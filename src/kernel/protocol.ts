/**
 * Messages between a kernel client (extension host or CLI) and a kernel process.
 * Transport: Node IPC (child_process.fork, 'advanced' serialization: V8's structured clone, so a
 * cell that plants Object.prototype.toJSON cannot change what is sent; see src/kernel/wire.ts). Node only: the kernel,
 * its client and their users (controller, CLI) import it. The client sends one `execute` at a time (it queues the rest) and waits for `done`.
 *
 * Interrupt, in three ways, each naming the cell (a late one never stops the next cell):
 *  - an `interrupt` message: handled whenever the kernel's event loop is free (an awaiting cell);
 *  - "<id>\n" on the interrupt pipe (fd KERNEL_ENV.interruptFd): a watchdog thread sets a flag that
 *    every loop of the cell checks, so a loop stops even after an await or in a timer callback;
 *  - SIGINT (not on Windows), 100 ms later if the cell still runs: stops long synchronous work
 *    outside cell loops (a package's) through vm's breakOnSigint. Not sent at once: a SIGINT
 *    that arrives just as a vm run ends (the loop check stopped it) would end the process.
 * If the kernel does not answer with `done` soon (a loop in library code), the client kills and
 * restarts it.
 */
import type { OutputItem } from '../shared/schemas';
import type { OutputReply } from '../shared/output-requests';

/** Languages of code cells: TypeScript/JavaScript run as scripts, SQL on the kernel's DuckDB (src/kernel/sql.ts). */
export type CellLanguage = 'typescript' | 'javascript' | 'sql';

/** The language a cell with this language id runs as (anything but JavaScript and SQL runs as TypeScript). */
export function cellLanguage(languageId: string): CellLanguage {
  return languageId === 'javascript' || languageId === 'sql' ? languageId : 'typescript';
}

export type ToKernel =
  | { type: 'execute'; id: number; code: string; language: CellLanguage; cellLabel: string }
  | { type: 'interrupt'; id: number }
  /** asks for the names cells declared (answered with `variables` carrying the same `req`) */
  | { type: 'variables'; req: number }
  /** the notebook was saved under a new name (an untitled one saved): paths resolve from its folder now */
  | { type: 'setNotebook'; notebookPath: string; baseDir: string }
  /** the notebook's named connections changed (JSON of ResolvedConnection[], as KERNEL_ENV.connections) */
  | { type: 'connections'; json: string }
  /** a request of an output for data the kernel keeps (src/shared/output-requests.ts; `request` validated by the kernel) */
  | { type: 'outputRequest'; req: number; request: unknown }
  | { type: 'outputCancel'; req: number }
  /** the outputs holding these handles are gone (all when undefined: "Clear All Outputs"): the kernel drops their data */
  | { type: 'releaseOutputs'; handles?: string[] }
  | { type: 'shutdown' };

export type FromKernel =
  | { type: 'ready'; pid: number; startMs: number }
  /**
   * the kernel's own helper processes now running (esbuild's service: it starts after `ready` and
   * joins the kernel's group): the client ends them with the kernel but never counts them among
   * the processes the cells started. Sent again, with the new list, whenever it changes.
   */
  | { type: 'helpers'; pids: number[] }
  /** `id` is the cell whose code produced the output (0: none known); it may arrive after that cell's `done` (timers, promises) */
  | { type: 'stream'; id: number; name: 'stdout' | 'stderr'; text: string }
  | { type: 'display'; id: number; items: OutputItem[] }
  /** the cell's error; `late`: raised by its code after it ended (a timer, an un-awaited promise), or with no known cell (id 0) */
  | { type: 'error'; id: number; error: CellError; late?: boolean }
  /** how far the cell's running query is (0..100), where the engine reports it (SQL cells, sql``); rows: rows read so far (ClickHouse) */
  | { type: 'progress'; id: number; percent: number; rows?: number }
  | { type: 'done'; id: number; ok: boolean; durationMs: number }
  | { type: 'variables'; req: number; variables: VariableInfo[] }
  | { type: 'outputReply'; req: number; reply: OutputReply };

/** One name a cell declared, as the Variables view shows it. */
export interface VariableInfo {
  name: string;
  /** 'Series', 'Frame', 'number', 'string', 'Array', 'function', a class name, … */
  type: string;
  /** '731', '731 × 4', '3 keys', '' when the value has no size */
  shape: string;
  /** one line: the value, or its range and first values (at most ~120 characters) */
  summary: string;
}

export interface CellError {
  name: string;
  message: string;
  /** Stack with frames mapped to the cell's own source lines ("cell 3:12:5"), header line included. */
  stack: string;
  /** True when the error was an interrupt. */
  interrupted?: boolean;
  /** True when the cell ran longer than its time limit (the kernel interrupted it). */
  timedOut?: boolean;
}

/** Environment variables the client passes to the kernel process. */
export const KERNEL_ENV = {
  /** absolute path of the notebook file (unset for untitled notebooks) */
  notebookPath: 'MKTNB_NOTEBOOK_PATH',
  /** folder relative paths resolve against (the process's cwd is set to it too) */
  baseDir: 'MKTNB_BASE_DIR',
  /** optional: path of the esbuild package to transpile TypeScript with */
  esbuild: 'MKTNB_ESBUILD',
  /** file descriptor of the interrupt pipe: the client writes "<cell id>\n" to interrupt that cell */
  interruptFd: 'MKTNB_INTERRUPT_FD',
  /** optional: the .duckdb file SQL cells run on (relative to baseDir); unset: an in-memory database */
  database: 'MKTNB_DATABASE',
  /** optional: the notebook's named connections with their credentials, JSON of ResolvedConnection[] (src/shared/connections.ts) */
  connections: 'MKTNB_CONNECTIONS',
  /** optional: MB of data the kernel keeps for outputs that ask it (zoom, pages); default 1024 */
  outputCacheMb: 'MKTNB_OUTPUT_CACHE_MB',
} as const;

/**
 * How errors and stack frames name a cell: by the execution count shown beside it ("cell [3]"),
 * the one number a user sees (positions would count markdown cells nobody numbers). The VS Code
 * controller and the headless runner both use it.
 */
export function cellLabel(executionOrder: number): string {
  return `cell [${executionOrder}]`;
}

/**
 * The .duckdb file a notebook's metadata names for its SQL cells (`"metadata": { "database": "data/x.duckdb" }`,
 * relative to the notebook's folder), when it names one.
 */
export function notebookDatabase(metadata: Record<string, unknown> | undefined): string | undefined {
  const v = metadata?.database;
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}
