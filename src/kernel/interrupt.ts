/**
 * Interrupting a cell, three ways in (docs/kernel.md):
 *  1. the client's `interrupt` message, for a cell that awaits (the message loop calls
 *     requestInterrupt);
 *  2. the loop flag: every loop of a cell checks it (transform.ts), and the watchdog thread
 *     (watchdog.ts) sets it to the cell's id when the client writes that id to the interrupt
 *     pipe, which the thread reads even while the main thread is busy;
 *  3. SIGINT, raised by the watchdog 100 ms later if that cell is still in its synchronous
 *     part, for vm's breakOnSigint (long synchronous work outside the loop checks).
 * The signal alone carries no id: onSigint acts only on the cell named by the last message.
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { session } from './cell';
import { LOOP_FLAG } from './transform';
import type { WatchdogData } from './watchdog';

export class InterruptSignal extends Error {
  override name = 'Interrupted';
}
export const INTERRUPTED = new InterruptSignal('the cell was interrupted');

let lastInterruptId = 0;
export function onSigint(): void {
  if (session.running && session.running.ctx.id === lastInterruptId) session.running.interrupt();
}

/** The client's `interrupt` message: interrupts that cell if it is the one running. */
export function requestInterrupt(id: number): void {
  lastInterruptId = Math.max(lastInterruptId, id);
  if (session.running && session.running.ctx.id === id) session.running.interrupt();
}

/** The loop flag (way 2): 0, or the id of the cell the client interrupted. */
export const interruptFlag = new Int32Array(new SharedArrayBuffer(4));

export function installInterrupt(): void {
  process.on('SIGINT', onSigint);
  Object.defineProperty(globalThis, LOOP_FLAG, {
    value: interruptFlag,
    enumerable: false,
    writable: false,
    configurable: false,
  });
}

/** The loop check: ends the running cell if the flag names it. */
export function stopIfInterrupted(): void {
  const id = Atomics.exchange(interruptFlag, 0, 0);
  if (session.running && session.running.ctx.id === id) {
    session.running.interrupt();
    throw INTERRUPTED;
  }
}

/**
 * The id of the cell whose synchronous part is running in the vm right now (0 otherwise). The
 * watchdog raises SIGINT only while the interrupted cell is still there: a signal sent from
 * the client could arrive after that cell ended and break the NEXT cell's run, since
 * breakOnSigint stops whatever vm run is active (a race seen under load).
 */
const syncRun = new Int32Array(new SharedArrayBuffer(4));

/** Runs the synchronous part of cell `id` (the watchdog may send SIGINT meanwhile). */
export function runSync<T>(id: number, fn: () => T): T {
  Atomics.store(syncRun, 0, id);
  try {
    return fn();
  } finally {
    Atomics.store(syncRun, 0, 0);
  }
}

/** how long the loop checks get before the watchdog falls back to SIGINT */
const SIGINT_DELAY_MS = 100;
/** how often the watchdog checks that the parent process is alive (the pipe's end is seen at once) */
const PARENT_POLL_MS = 500;

/** Starts the watchdog thread (dist/kernel-watchdog.js, beside the kernel's bundle). */
export function startWatchdog(interruptFd: number): void {
  const fd = Number.isInteger(interruptFd) && interruptFd >= 3 ? interruptFd : -1;
  try {
    const workerData: WatchdogData = {
      sab: interruptFlag.buffer as SharedArrayBuffer,
      syncSab: syncRun.buffer as SharedArrayBuffer,
      sigintDelay: SIGINT_DELAY_MS,
      fd,
      ppid: process.ppid,
      pollMs: PARENT_POLL_MS,
    };
    const w = new Worker(path.join(__dirname, 'kernel-watchdog.js'), { workerData, stdout: false, stderr: false });
    w.on('error', () => undefined);
    w.unref();
  } catch {
    /* interrupts still work through SIGINT and messages, and restart as the last resort */
  }
}
