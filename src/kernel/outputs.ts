/**
 * From kernel events to the outputs a cell stores: the one place both the VS Code controller
 * (src/notebook/controller.ts) and the headless runner (src/cli/run.ts) turn prints, displayed
 * values, errors and restart notes into outputs. Pure: no vscode, no process.
 *
 *  - consecutive text of one stream (stdout or stderr) joins one output, as in Jupyter;
 *  - a display event becomes one output per group of splitOutputs (src/shared/schemas.ts);
 *  - an error, and the note of a kernel restart, are outputs of their own.
 * Each call returns what changed, so the controller can mirror it into a running cell.
 */
import type { MktnbOutput, OutputKind } from '../format/types';
import type { CellError } from './protocol';
import { ERROR_MIME, splitOutputs, STDERR_MIME, STDOUT_MIME } from '../shared/schemas';
import type { BackgroundEvent, KernelOutputEvent } from './client';

/** An output the accumulator made: its kind is always set. */
export type StoredOutput = MktnbOutput & { kind: Exclude<OutputKind, 'result'> };

/** What adding an event did to the outputs. */
export type OutputChange =
  /** a new output, now the last one */
  | { type: 'add'; output: StoredOutput }
  /** stream text joined onto the (stream) output at `index` */
  | { type: 'extend'; index: number; mime: string; text: string };

export type AddChange = Extract<OutputChange, { type: 'add' }>;

/** An event as it reaches a cell: while it runs (KernelOutputEvent) or after (BackgroundEvent). */
export type CellEvent = KernelOutputEvent | Pick<Extract<BackgroundEvent, { kind: 'error' }>, 'kind' | 'error'>;

/** The stored outputs of one cell run, built event by event. */
export class OutputAccumulator {
  constructor(readonly outputs: MktnbOutput[] = []) {}

  /** Adds a kernel event: a print, a displayed value, or an error. */
  add(e: CellEvent): OutputChange[] {
    if (e.kind === 'error') return [this.error(e.error)];
    if (e.kind === 'stream') {
      const mime = e.name === 'stdout' ? STDOUT_MIME : STDERR_MIME;
      const index = this.outputs.length - 1;
      const last = this.outputs[index];
      if (last?.kind === 'stream' && last.items[0]?.mime === mime) {
        last.items[0].data = String(last.items[0].data) + e.text;
        return [{ type: 'extend', index, mime, text: e.text }];
      }
      return [this.push({ kind: 'stream', items: [{ mime, data: e.text }] })];
    }
    return splitOutputs(e.items).map((group) =>
      this.push({ kind: 'display', items: group.map((it) => ({ mime: it.mime, data: it.data })) }),
    );
  }

  /** The error a cell failed with (name, message and the stack mapped to the cell). */
  error(error: Pick<CellError, 'name' | 'message' | 'stack'>): AddChange {
    return this.push({
      kind: 'error',
      items: [{ mime: ERROR_MIME, data: { name: error.name, message: error.message, stack: error.stack } }],
    });
  }

  /** A sentence on stderr in an output of its own (the kernel had to restart), not joined onto a print before it. */
  note(text: string): AddChange {
    return this.push({ kind: 'stream', items: [{ mime: STDERR_MIME, data: text }] });
  }

  private push(output: StoredOutput): AddChange {
    this.outputs.push(output);
    return { type: 'add', output };
  }
}

/** The outputs one event makes on its own (late output shown as a new execution of its cell). */
export function eventOutputs(e: CellEvent): StoredOutput[] {
  return new OutputAccumulator().add(e).map((c) => (c as AddChange).output);
}
