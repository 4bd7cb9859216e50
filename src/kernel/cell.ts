/**
 * Which cell is running, and which cell an output belongs to: the context every part of the
 * kernel (outputs, interrupts, timers, errors nobody awaited) looks up.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { inspect } from 'node:util';
import type { CellError } from './protocol';

export interface CellContext {
  id: number;
  /** short in util.inspect (it shows on promises while async hooks are on) */
  [inspect.custom]?: () => string;
  interrupted: boolean;
  done: boolean;
  /** pending timers the cell created while running: cancelled when it is interrupted */
  timers: Set<{ cancel: () => void }>;
  /** the first error the cell's un-awaited code raised while it ran (a rejection, a timer's throw) */
  failure?: { error: CellError };
  /** ends the running cell with that error */
  fail: (e: CellError) => void;
  /** output sent for this cell so far (characters, about the JSON length) and what the cap dropped */
  outSize: number;
  dropped: number;
  /** the cap note was sent for output that came after the cell ended */
  lateCapNoted?: boolean;
}

/** The context of the cell whose code (or callbacks: it travels with promises and timers) runs. */
export const als = new AsyncLocalStorage<CellContext>();

/** The cell being executed now, and how to interrupt it (null between cells). */
export const session: { running: { ctx: CellContext; interrupt: () => void } | null } = { running: null };

/** The cell an output belongs to: the one whose code (or callbacks) is running, else the running cell. */
export function outputCtx(): CellContext | undefined {
  return als.getStore() ?? session.running?.ctx;
}
