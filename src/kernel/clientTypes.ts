/**
 * What a user of the kernel client (the VS Code controller, the headless runner) passes and gets
 * back: start options, output events, a cell's result, why a kernel process ended. The client
 * itself is client.ts (which re-exports these).
 */
import type { CellError } from './protocol';
import type { OutputItem } from '../shared/schemas';

export interface KernelOptions {
  /** the notebook's folder: relative imports and data paths resolve here (also the process's cwd) */
  cwd: string;
  /** absolute path of the .mktnb (undefined for untitled) */
  notebookPath?: string;
  /** path of the built kernel entry; default: kernel.js next to this (bundled) file */
  kernelScript?: string;
  /** heap limit of the kernel process in MB (default 4096); DuckDB's memory_limit follows it */
  maxOldSpaceMb?: number;
  /** the .duckdb file SQL cells run on (relative to cwd); default: an in-memory database */
  database?: string;
  /** Node executable; default process.execPath (run as Node also inside Electron) */
  execPath?: string;
  /** extra environment variables for the kernel process (set as given) */
  env?: Record<string, string | undefined>;
  /** names of variables of this process's environment to pass on, besides the allowlist (src/kernel/env.ts) */
  passEnv?: readonly string[];
  /** how long an interrupted cell may take to stop before the kernel is restarted (ms, default 600) */
  interruptGraceMs?: number;
  /** how long the kernel may take to start (ms, default 20000) */
  startTimeoutMs?: number;
  /** MB of data the kernel keeps for outputs that ask it (zoom, table pages; marketNotebooks.kernel.outputCacheMB) */
  outputCacheMb?: number;
}

export type KernelOutputEvent =
  { kind: 'stream'; name: 'stdout' | 'stderr'; text: string } | { kind: 'display'; items: OutputItem[] };

export interface ExecuteResult {
  /** the kernel's id of this execution (late output of the cell names it; see onBackgroundOutput) */
  cellId?: number;
  ok: boolean;
  error?: CellError;
  durationMs: number;
  /** set when the kernel had to restart (interrupt of a hang, OOM, crash): a sentence for the user */
  restarted?: string;
}

export interface KernelExitInfo {
  code: number | null;
  signal: string | null;
  /** a sentence saying why the process ended */
  reason: string;
  /** 'oom' | 'crash' | 'interrupt' (killed to stop a cell) | 'restart' | 'dispose' */
  kind: 'oom' | 'crash' | 'interrupt' | 'restart' | 'dispose';
  /** whether the client starts a new kernel by itself */
  willRestart: boolean;
  /** pids of processes the cells had started that were still running and were ended with the kernel */
  endedProcesses: number[];
}

/** Output or an error of a cell that had already finished (a timer, an un-awaited promise); cellId 0: no known cell. */
export type BackgroundEvent = (KernelOutputEvent | { kind: 'error'; error: CellError }) & { cellId: number };

export interface ExecuteOptions {
  cellLabel: string;
  onOutput: (e: KernelOutputEvent) => void;
  /** stop the cell when it runs longer (ms; 0 or undefined: no limit); its error says "timed out after N s" */
  timeoutMs?: number;
  /** how far a running DuckDB query is (0..100), where DuckDB reports it (SQL cells, sql``) */
  onProgress?: (percent: number, rows?: number) => void;
}
