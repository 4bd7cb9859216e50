/**
 * The world a cell runs in, set up once per kernel: the library's public API and display() as
 * globals, import/require/import.meta of the notebook's folder, timers tracked per cell (so an
 * interrupt clears them), stdin that says there is none, and the process functions a cell must
 * not be able to use against the kernel (exit, kill of itself), plus errors nobody awaited
 * routed to the cell that caused them.
 */
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { Console } from 'node:console';
import { createRequire } from 'node:module';
import { constants as osConstants } from 'node:os';
import { pathToFileURL } from 'node:url';
import * as mktnb from '../market/index';
import { setRuntime } from '../market/context';
import type { CellError } from './protocol';
import { als, outputCtx } from './cell';
import type { EsbuildApi } from './compile';
import { toOutputItems, markdown, text } from './display';
import { displayItems, post } from './emit';
import { toCellError } from './errors';
import { INTERRUPTED, InterruptSignal, interruptFlag, onSigint, stopIfInterrupted } from './interrupt';
import { ModuleLoader } from './loader';
import { HELPER } from './transform';

// captured when the kernel starts, before any cell can replace them
const proc = process;
export const realExit = process.exit.bind(process);
export const realKill = process.kill.bind(process);
export const { setTimeout: origSetTimeout, setImmediate: origSetImmediate } = globalThis;
const { setInterval: origSetInterval } = globalThis;
const {
  clearTimeout: origClearTimeout,
  clearInterval: origClearInterval,
  clearImmediate: origClearImmediate,
} = globalThis;

/**
 * stdin: the kernel has no terminal and no input channel. Reading process.stdin fails at once
 * with this error (instead of a silent end of input that looks like an empty file).
 */
const NO_INPUT = 'this kernel has no input: a cell cannot read stdin (pass data through a file or a variable instead)';
export function installStdin(): void {
  let stdin: Readable | undefined,
    stdinCell = -1;
  Object.defineProperty(process, 'stdin', {
    configurable: true,
    enumerable: true,
    get() {
      // one stream per cell, so each cell that tries is told (an ended stream would say nothing)
      const id = outputCtx()?.id ?? 0;
      if (id !== stdinCell) {
        stdin = undefined;
        stdinCell = id;
      }
      // the error, then the end of input (readline's async iterator waits for an end, not an error)
      stdin ??= Object.assign(
        new Readable({
          read() {
            this.emit('error', Object.assign(new Error(NO_INPUT), { code: 'ERR_NO_INPUT' }));
            this.push(null);
          },
        }),
        { fd: 0, isTTY: false },
      );
      return stdin;
    },
  });
}

/** setTimeout/setInterval/setImmediate as tracked() calls them: a callback (or whatever a cell passed), then the rest */
type Scheduler<H> = (this: unknown, callback: unknown, ...rest: unknown[]) => H;

/**
 * `orig` (a timer function returning handles H, cancelled by `clear`) wrapped so that a timer a
 * running cell sets is in that cell's `timers` until it fires (once) or is cancelled.
 */
function tracked<F extends object, H>(orig: F, clear: (h: H) => void, once: boolean): F {
  const schedule = orig as unknown as Scheduler<H>;
  const wrapped = function (this: unknown, fn: unknown, ...rest: unknown[]) {
    const ctx = als.getStore();
    if (!ctx || ctx.done || typeof fn !== 'function') return schedule.call(this, fn, ...rest);
    // cancel runs only once the timer is set (the entry joins the cell's timers after that)
    const entry = { cancel: () => clear(handle) };
    const cb = once
      ? function (this: unknown, ...args: unknown[]) {
          ctx.timers.delete(entry);
          return fn.apply(this, args);
        }
      : fn;
    const handle = schedule.call(this, cb, ...rest);
    ctx.timers.add(entry);
    return handle;
  } as unknown as F;
  for (const k of Reflect.ownKeys(orig))
    if (k !== 'length' && k !== 'name' && k !== 'prototype') {
      try {
        Object.defineProperty(wrapped, k, Object.getOwnPropertyDescriptor(orig, k)!);
      } catch {
        /* non-configurable */
      }
    }
  return wrapped;
}

/** setTimeout/setInterval/setImmediate remember the cell that set them (an interrupt clears them). */
export function installTimers(): void {
  globalThis.setTimeout = tracked(origSetTimeout, origClearTimeout, true);
  globalThis.setInterval = tracked(origSetInterval, origClearInterval, false);
  globalThis.setImmediate = tracked(origSetImmediate, origClearImmediate, true);
}

/** Where the notebook is (its folder resolves data paths, imports and require). */
export interface NotebookPlace {
  baseDir: string;
  notebookPath?: string;
}

/** A cell's globals and module access; `place` moves them when an untitled notebook is saved. */
export interface Sandbox {
  /** the global object cells see (the kernel's own) */
  g: Record<string, unknown>;
  /** loads a module a cell imports (ModuleLoader: the notebook's folder, `mktnb`, built-ins) */
  importModule(spec: string): Promise<unknown>;
  /** the static imports of the cell about to run, loaded before it runs */
  setPreloaded(loaded: Map<string, unknown>): void;
  place(where: Required<NotebookPlace>): void;
}

export function installSandbox(where: NotebookPlace, getEsbuild: () => EsbuildApi): Sandbox {
  const mktnbModule = { ...mktnb, default: mktnb };
  let baseDir = where.baseDir;
  let notebookPath = where.notebookPath;
  const loader = new ModuleLoader(baseDir, { mktnb: mktnbModule }, getEsbuild);
  let notebookFile = notebookPath ?? path.join(baseDir, 'untitled.mktnb');

  let preloaded = new Map<string, unknown>();

  const helper = {
    imp: (spec: string) => loader.import(spec),
    pre(spec: string): unknown {
      if (!preloaded.has(spec)) throw new Error(`internal: the import of '${spec}' was not loaded before the cell ran`);
      return preloaded.get(spec);
    },
    /** `import { name } from spec`: the export of a loaded namespace (an object, or nothing) */
    named(
      ns: Readonly<Record<string, unknown>> | null | undefined,
      name: string,
      spec: string,
      strict: boolean,
    ): unknown {
      if (ns != null && name in ns) return ns[name];
      if (strict) throw new SyntaxError(`The requested module '${spec}' does not provide an export named '${name}'`);
      return undefined;
    },
    stop: stopIfInterrupted,
    /** after each await of a cell: stop the cell's async code once it was interrupted */
    ck<T>(v: T): T {
      if (als.getStore()?.interrupted) throw INTERRUPTED;
      if (interruptFlag[0] !== 0) stopIfInterrupted();
      return v;
    },
    meta: {
      url: pathToFileURL(notebookFile).href,
      filename: notebookFile,
      dirname: baseDir,
      resolve: (spec: string) => pathToFileURL(createRequire(helper.meta.filename).resolve(spec)).href,
    },
  };
  Object.defineProperty(globalThis, HELPER, { value: helper, enumerable: false, writable: false, configurable: false });

  const g = globalThis as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(mktnb)) if (!(k in g)) g[k] = v;
  g.display = Object.assign(
    (...values: unknown[]) => {
      for (const v of values) displayItems(toOutputItems(v));
    },
    {
      /** shows markdown at once (VS Code's markdown renderer sanitises it) */
      markdown: (s: string): void => displayItems(toOutputItems(markdown(s))),
      /** shows text at once, as is (a string as a last expression is shown quoted, like Jupyter) */
      text: (s: string): void => displayItems(toOutputItems(text(s))),
    },
  );
  /** Where the notebook is: set at start, and again when an untitled notebook is saved under a name. */
  function placeNotebook(): void {
    setRuntime({ baseDir, notebookPath });
    loader.baseDir = baseDir;
    helper.meta.url = pathToFileURL(notebookFile).href;
    helper.meta.filename = notebookFile;
    helper.meta.dirname = baseDir;
    g.require = createRequire(notebookFile);
    g.__dirname = baseDir;
    g.__filename = notebookFile;
  }
  placeNotebook();
  g.console = new Console({ stdout: process.stdout, stderr: process.stderr, colorMode: false });
  process.exit = (code?: number | string | null) => {
    throw new Error(
      `process.exit(${code ?? ''}) was called: the kernel keeps running (use Restart Kernel to start afresh)`,
    );
  };
  installUncaught();
  installKill();
  return {
    g,
    importModule: (spec) => loader.import(spec),
    setPreloaded(loaded) {
      preloaded = loaded;
    },
    place(to) {
      notebookPath = to.notebookPath;
      baseDir = to.baseDir;
      notebookFile = to.notebookPath;
      try {
        process.chdir(baseDir);
      } catch {
        /* the folder went away: paths still resolve from baseDir */
      }
      placeNotebook();
    },
  };
}

/**
 * Errors nobody awaited land in the cell whose code caused them (its AsyncLocalStorage context
 * travels with promises and timers): while that cell runs they fail it; after it ended they go
 * to the client as a late `error` for that cell (shown there, never on the cell running now).
 * An error with no cell context (rare: native callbacks) is a late error of cell 0.
 */
function uncaught(e: unknown, how: string): void {
  if (e === INTERRUPTED || e instanceof InterruptSignal) return;
  const ctx = als.getStore();
  const base = toCellError(e);
  const error: CellError = { ...base, stack: `${how} ${base.stack}` };
  if (ctx && !ctx.done) {
    ctx.fail(error);
    return;
  }
  post({ type: 'error', id: ctx?.id ?? 0, error, late: true });
}
function installUncaught(): void {
  process.on('unhandledRejection', (reason) => uncaught(reason, 'Uncaught (in promise)'));
  process.on('uncaughtException', (err) => uncaught(err, 'Uncaught'));
}

/**
 * process.kill(process.pid, 'SIGINT') (or 'SIGTERM', …) from a cell: delivered to the cell's own
 * listeners as an event instead of a real signal. A real SIGINT that arrives after the cell
 * ended would stop the NEXT cell's run (vm's breakOnSigint), and a real SIGTERM would end the
 * kernel; the kernel's own interrupt uses its watchdog thread, not this function.
 */
function installKill(): void {
  process.kill = function kill(pid: number, signal?: string | number): true {
    const self = Number(pid) === proc.pid || (Number(pid) === 0 && proc.platform === 'win32');
    const name =
      signal === undefined
        ? 'SIGTERM'
        : typeof signal === 'number'
          ? Object.entries(osConstants.signals).find(([, n]) => n === signal)?.[0]
          : String(signal);
    if (!self || name === undefined || name === 'SIGKILL' || name === 'SIGSTOP' || signal === 0)
      return realKill(pid, signal);
    proc.nextTick(() => {
      const listeners = proc.listeners(name as NodeJS.Signals).filter((l) => l !== onSigint);
      for (const l of listeners) (l as (s: string) => void)(name);
      if (!listeners.length)
        post({
          type: 'stream',
          id: outputCtx()?.id ?? 0,
          name: 'stderr',
          text: `(process.kill(process.pid, '${name}') from a cell is ignored: it would end the kernel; use Restart Kernel)\n`,
        });
    });
    return true;
  } as typeof process.kill;
}
