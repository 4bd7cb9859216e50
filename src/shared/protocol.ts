/**
 * Messages between a kernel client (extension host or CLI) and a kernel process.
 * Transport: Node IPC (child_process.fork). Shared by src/kernel/* only on the Node side.
 */
import type { OutputItem } from './schemas';

export type ToKernel =
  | { type: 'execute'; id: number; code: string; language: 'typescript' | 'javascript'; cellLabel: string }
  | { type: 'shutdown' };

export type FromKernel =
  | { type: 'ready'; pid: number }
  | { type: 'stream'; id: number; name: 'stdout' | 'stderr'; text: string }
  | { type: 'display'; id: number; items: OutputItem[] }
  | { type: 'error'; id: number; error: CellError }
  | { type: 'done'; id: number; ok: boolean; durationMs: number };

export interface CellError {
  name: string;
  message: string;
  /** Stack with frames mapped to the cell's own source lines ("cell 3:12:5"). */
  stack: string;
  /** True when the error was an interrupt. */
  interrupted?: boolean;
}
