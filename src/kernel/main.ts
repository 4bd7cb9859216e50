/**
 * The kernel process (bundled to dist/kernel.js, started by KernelClient with child_process.fork).
 *
 * Cells run with vm.Script#runInThisContext in this process's own global scope (the same realm as
 * the analysis library and the packages cells import, so instanceof, typed arrays and errors
 * behave as in any Node program). A cell's top-level names become global properties (see
 * transform.ts), so they persist across cells; Restart Kernel starts a fresh process.
 */
import * as path from 'node:path';
import * as vm from 'node:vm';
import { AsyncLocalStorage } from 'node:async_hooks';
import { Console } from 'node:console';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import { TraceMap, originalPositionFor } from '@jridgewell/trace-mapping';
import * as mktnb from '../market/index';
import { setRuntime } from '../market/context';
import { KERNEL_ENV, type CellError, type FromKernel, type ToKernel } from './protocol';
import type { OutputItem } from '../shared/schemas';
import { TEXT_MIME } from '../shared/schemas';
import { CellSyntaxError, HELPER, LOOP_FLAG, lineStarts, offsetToLineCol, rewriteCell } from './transform';
import { Worker } from 'node:worker_threads';
import { addInternalFile, installStackMapping, interruptedError, registerScript, syntaxError, toCellError, withCodeFrame } from './errors';
import { listVariables } from './variables';
import { toOutputItems, markdown, text } from './display';
import { ModuleLoader } from './loader';
import { record, SEND_OPTIONS, toWire } from './wire';
import { installSql, kernelMemoryMb, sqlCellScript, SqlCellError } from './sql';
import { interruptQueries } from '../data/index';
import { DEFAULT_OUTPUT_CACHE_MB, installOutputData } from './outputData';
import { liveOutputs } from '../market/output';

type EsbuildApi = typeof import('esbuild');

// ---------------------------------------------------------------------------------------------
// what the kernel needs, captured before any cell can replace it
const proc = process;
const rawSend = process.send!.bind(process) as (m: unknown, h: undefined, o: object) => boolean;
/** protocol messages: null-prototype copies, sent with the 'advanced' (structured clone) channel (see wire.ts) */
const send = (m: FromKernel): boolean => rawSend(record(m), undefined, SEND_OPTIONS);
const realExit = process.exit.bind(process);
const now = () => performance.now();
const { setTimeout: origSetTimeout, setInterval: origSetInterval, setImmediate: origSetImmediate } = globalThis;
const { clearTimeout: origClearTimeout, clearInterval: origClearInterval, clearImmediate: origClearImmediate } = globalThis;

let baseDir = process.env[KERNEL_ENV.baseDir] || process.cwd();
let notebookPath = process.env[KERNEL_ENV.notebookPath] || undefined;
setRuntime({ baseDir, notebookPath });
const interruptFd = Number(process.env[KERNEL_ENV.interruptFd]);
const esbuildPath = process.env[KERNEL_ENV.esbuild];
// SQL cells: DuckDB's memory_limit follows the kernel's heap setting; the notebook may name a database file
installSql({
  baseDir, memoryLimitMb: kernelMemoryMb(), database: process.env[KERNEL_ENV.database] || undefined,
  progress: (percent) => post({ type: 'progress', id: outputCtx()?.id ?? 0, percent }),
});
// cells and the programs they start see the environment of the editor, not the kernel's plumbing
for (const k of Object.values(KERNEL_ENV)) delete process.env[k];
process.title = 'mktnb-kernel';
// kernel frames are dropped from cell stacks: leave room for the user's own
Error.stackTraceLimit = Math.max(Error.stackTraceLimit, 30);
addInternalFile(__filename);
installStackMapping();

// ---------------------------------------------------------------------------------------------
// which cell is running, and which cell an output belongs to

interface CellContext {
  id: number;
  /** short in util.inspect (it shows on promises while async hooks are on) */
  [inspect.custom]?: () => string;
  interrupted: boolean;
  done: boolean;
  /** pending timers the cell created while running: cleared when it is interrupted */
  timers: Set<{ handle: any; clear: (h: any) => void }>;
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

const als = new AsyncLocalStorage<CellContext>();
let running: { ctx: CellContext; interrupt: () => void } | null = null;

/** The cell an output belongs to: the one whose code (or callbacks) is running, else the running cell. */
function outputCtx(): CellContext | undefined {
  return als.getStore() ?? running?.ctx;
}

function post(msg: FromKernel): void {
  try { send(msg); } catch { /* channel closed: the parent is gone and the watchdog ends this process */ }
}

/**
 * Output a cell may keep, in characters (about the size of its JSON in the saved notebook).
 * Beyond it output is dropped and one note says how much ("… 12.3 MB more not kept"), so a
 * cell printing a million lines neither floods the extension host nor makes the notebook too
 * big to open. Documented in docs/kernel.md.
 */
export const OUTPUT_CAP_CHARS = 16 * 1024 * 1024;

/** the value of a cell's last expression passes a full cap when it is at most this big */
const RESULT_ALLOWANCE_CHARS = 1024 * 1024;

function mb(chars: number): string { return `${(chars / (1024 * 1024)).toFixed(1)} MB`; }
function capNote(dropped: number | 'later'): string {
  const what = dropped === 'later' ? 'output that came after the cell ended is' : `${mb(dropped)} more`;
  return `\n… ${what} not kept (a cell keeps at most ${mb(OUTPUT_CAP_CHARS)} of output; write large results to a file)\n`;
}

/** Sends an output of the cell (or notes what the cap dropped). */
function emit(size: number, make: (id: number) => FromKernel, isResult = false): void {
  const ctx = outputCtx();
  if (!ctx) { post(make(0)); return; }
  // the cell's value (its last expression) is shown even after a flood of prints, unless huge itself
  if (ctx.outSize + size > OUTPUT_CAP_CHARS && !(isResult && size <= RESULT_ALLOWANCE_CHARS)) {
    ctx.dropped += size;
    if (ctx.done && !ctx.lateCapNoted) {
      ctx.lateCapNoted = true;
      post({ type: 'stream', id: ctx.id, name: 'stderr', text: capNote('later') });
    }
    return;
  }
  ctx.outSize += size;
  post(make(ctx.id));
}

function streamWrite(name: 'stdout' | 'stderr') {
  return function write(chunk: any, encoding?: any, cb?: any): boolean {
    const textOut = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString(typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
    if (textOut) emit(textOut.length, (id) => ({ type: 'stream', id, name, text: textOut }));
    const done = typeof encoding === 'function' ? encoding : cb;
    if (typeof done === 'function') proc.nextTick(done);
    return true;
  };
}
process.stdout.write = streamWrite('stdout') as any;
process.stderr.write = streamWrite('stderr') as any;

function displayItems(items: OutputItem[], isResult = false): void {
  let wire;
  try { wire = toWire(items); } catch (e) {
    wire = toWire([{ mime: TEXT_MIME, data: `(output could not be sent: ${(e as Error)?.message ?? e})` }]);
  }
  const w = wire;
  emit(w.size, (id) => ({ type: 'display', id, items: w.value as OutputItem[] }), isResult);
}

/**
 * stdin: the kernel has no terminal and no input channel. Reading process.stdin fails at once
 * with this error (instead of a silent end of input that looks like an empty file).
 */
const NO_INPUT = 'this kernel has no input: a cell cannot read stdin (pass data through a file or a variable instead)';
{
  const { Readable } = require('node:stream') as typeof import('node:stream');
  let stdin: import('node:stream').Readable | undefined, stdinCell = -1;
  Object.defineProperty(process, 'stdin', {
    configurable: true, enumerable: true,
    get() {
      // one stream per cell, so each cell that tries is told (an ended stream would say nothing)
      const id = outputCtx()?.id ?? 0;
      if (id !== stdinCell) { stdin = undefined; stdinCell = id; }
      // the error, then the end of input (readline's async iterator waits for an end, not an error)
      stdin ??= Object.assign(new Readable({
        read() {
          this.emit('error', Object.assign(new Error(NO_INPUT), { code: 'ERR_NO_INPUT' }));
          this.push(null);
        },
      }), { fd: 0, isTTY: false });
      return stdin;
    },
  });
}

// ---------------------------------------------------------------------------------------------
// interrupt

class InterruptSignal extends Error { override name = 'Interrupted'; }
const INTERRUPTED = new InterruptSignal('the cell was interrupted');

/**
 * The client sends an `interrupt` message with the cell's id and writes the id to the interrupt
 * pipe; the watchdog thread raises SIGINT if that cell is still in its synchronous part 100 ms
 * later. A synchronous loop is stopped by the loop check or the signal (breakOnSigint);
 * otherwise whichever the event loop sees first ends the cell. The signal alone carries no id:
 * this handler only acts on the cell named by the last `interrupt` message.
 */
let lastInterruptId = 0;
function onSigint(): void {
  if (running && running.ctx.id === lastInterruptId) running.interrupt();
}
process.on('SIGINT', onSigint);

/**
 * The third way in: a loop that never yields, outside what breakOnSigint covers (after an await,
 * in a timer). Every loop of a cell checks this flag (see transform.ts); a watchdog thread sets
 * it to the cell's id when the client writes that id to the interrupt pipe, which the thread
 * reads even while the main thread is busy.
 */
const interruptFlag = new Int32Array(new SharedArrayBuffer(4));
Object.defineProperty(globalThis, LOOP_FLAG, { value: interruptFlag, enumerable: false, writable: false, configurable: false });

function stopIfInterrupted(): void {
  const id = Atomics.exchange(interruptFlag, 0, 0);
  if (running && running.ctx.id === id) {
    running.interrupt();
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
/** how long the loop checks get before the watchdog falls back to SIGINT */
const SIGINT_DELAY_MS = 100;
/** how often the watchdog checks that the parent process is alive (the pipe's end is seen at once) */
const PARENT_POLL_MS = 500;

const WATCHDOG = `
const { workerData } = require('node:worker_threads');
const net = require('node:net');
const flag = new Int32Array(workerData.sab);
const syncRun = new Int32Array(workerData.syncSab);
// The parent (extension host, mktnb run) is gone when its end of the pipe closes or our parent
// pid changes (re-parented to init or a subreaper). The main thread may be busy in a cell and
// never see the IPC 'disconnect', so this thread ends the session: the kernel's process group
// (the kernel and the processes its cells started), then the kernel itself.
function parentGone() {
  if (process.platform !== 'win32') { try { process.kill(-process.pid, 'SIGKILL'); } catch {} }
  try { process.kill(process.pid, 'SIGKILL'); } catch {}
}
if (workerData.fd >= 0) {
const sock = new net.Socket({ fd: workerData.fd, readable: true, writable: false });
let buf = '';
sock.setEncoding('utf8');
sock.on('data', (d) => {
  buf += d;
  for (let i; (i = buf.indexOf('\\n')) >= 0; buf = buf.slice(i + 1)) {
    const id = Number(buf.slice(0, i));
    if (id > 0) {
      Atomics.store(flag, 0, id);
      // breakOnSigint: long synchronous work outside the loop checks (e.g. in a package)
      if (process.platform !== 'win32') setTimeout(() => { if (Atomics.load(syncRun, 0) === id) process.kill(process.pid, 'SIGINT'); }, workerData.sigintDelay);
    }
  }
});
sock.on('error', () => {});
sock.on('end', parentGone);
sock.on('close', parentGone);
}
const ppid0 = workerData.ppid;
setInterval(() => { if (process.ppid !== ppid0) parentGone(); }, workerData.pollMs);
`;

function startWatchdog(): void {
  const fd = Number.isInteger(interruptFd) && interruptFd >= 3 ? interruptFd : -1;
  try {
    const w = new Worker(WATCHDOG, { eval: true, workerData: { sab: interruptFlag.buffer, syncSab: syncRun.buffer, sigintDelay: SIGINT_DELAY_MS, fd, ppid: process.ppid, pollMs: PARENT_POLL_MS }, stdout: false, stderr: false });
    w.on('error', () => undefined);
    w.unref();
  } catch { /* interrupts still work through SIGINT and messages, and restart as the last resort */ }
}

function tracked<F extends (...a: any[]) => any>(orig: F, clear: (h: any) => void, once: boolean): F {
  const wrapped = function (this: unknown, fn: any, ...rest: any[]) {
    const ctx = als.getStore();
    if (!ctx || ctx.done || typeof fn !== 'function') return orig.call(this, fn, ...rest);
    const entry = { handle: undefined as any, clear };
    const cb = once ? function (this: unknown, ...args: any[]) { ctx.timers.delete(entry); return fn.apply(this, args); } : fn;
    entry.handle = orig.call(this, cb, ...rest);
    ctx.timers.add(entry);
    return entry.handle;
  } as unknown as F;
  for (const k of Reflect.ownKeys(orig)) if (k !== 'length' && k !== 'name' && k !== 'prototype') {
    try { Object.defineProperty(wrapped, k, Object.getOwnPropertyDescriptor(orig, k)!); } catch { /* non-configurable */ }
  }
  return wrapped;
}
globalThis.setTimeout = tracked(origSetTimeout, origClearTimeout, true);
globalThis.setInterval = tracked(origSetInterval, origClearInterval, false);
globalThis.setImmediate = tracked(origSetImmediate, origClearImmediate, true);

// ---------------------------------------------------------------------------------------------
// TypeScript: esbuild, loaded on first use (its service process starts once)

let esbuildApi: EsbuildApi | undefined;

/**
 * The cell transform's options, fixed before any cell runs: a null-prototype object (esbuild
 * rejects inherited keys such as a cell's `Object.prototype.x = 1` as "Invalid option") with the
 * tsconfig as text (JSON.stringify would call a planted Object.prototype.toJSON).
 */
const TRANSFORM_OPTIONS = record({
  loader: 'ts', sourcemap: 'external', target: 'es2022', logLevel: 'silent',
  // keep every import: a cell may import a name only a later cell uses
  tsconfigRaw: JSON.stringify({ compilerOptions: { verbatimModuleSyntax: true, useDefineForClassFields: true } }),
} as const);
function getEsbuild(): EsbuildApi {
  if (esbuildApi) return esbuildApi;
  const tries: Array<() => EsbuildApi> = [];
  const fromEnv = esbuildPath;
  if (fromEnv) tries.push(() => createRequire(__filename)(fromEnv));
  // From dist/kernel.js this finds the project's node_modules/esbuild (development, the CLI)
  // or dist/node_modules/esbuild, which scripts/package.mjs puts into each platform's VSIX.
  // Never from the notebook's folder: a shared workspace could plant node_modules/esbuild there
  // and have the kernel load it as the compiler (docs/security.md).
  tries.push(() => createRequire(__filename)('esbuild'));
  const errors: string[] = [];
  for (const t of tries) {
    try { return (esbuildApi = t()); } catch (e) { errors.push((e as Error).message.split('\n')[0]); }
  }
  throw new Error(`TypeScript cells need the esbuild package, which was not found (${errors.join('; ')}). Set ${KERNEL_ENV.esbuild} to its path.`);
}

// ---------------------------------------------------------------------------------------------
// the cell's environment

const mktnbModule = { ...mktnb, default: mktnb };
const loader = new ModuleLoader(baseDir, { mktnb: mktnbModule }, getEsbuild);
let notebookFile = notebookPath ?? path.join(baseDir, 'untitled.mktnb');

/** the static imports of the cell being run, loaded before it runs */
let preloaded = new Map<string, unknown>();

const helper = {
  imp: (spec: string) => loader.import(spec),
  pre(spec: string): unknown {
    if (!preloaded.has(spec)) throw new Error(`internal: the import of '${spec}' was not loaded before the cell ran`);
    return preloaded.get(spec);
  },
  named(ns: any, name: string, spec: string, strict: boolean): any {
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

const g = globalThis as any;
for (const [k, v] of Object.entries(mktnb)) if (!(k in g)) g[k] = v;
g.display = Object.assign((...values: unknown[]) => { for (const v of values) displayItems(toOutputItems(v)); }, {
  /** shows markdown at once (VS Code's markdown renderer sanitises it) */
  markdown: (s: string): void => displayItems(toOutputItems(markdown(s))),
  /** shows text at once, as is (a string as a last expression is shown quoted, like Jupyter) */
  text: (s: string): void => displayItems(toOutputItems(text(s))),
});
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
process.exit = ((code?: number) => {
  throw new Error(`process.exit(${code ?? ''}) was called: the kernel keeps running (use Restart Kernel to start afresh)`);
}) as any;

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
  if (ctx && !ctx.done) { ctx.fail(error); return; }
  post({ type: 'error', id: ctx?.id ?? 0, error, late: true });
}
process.on('unhandledRejection', (reason) => uncaught(reason, 'Uncaught (in promise)'));
process.on('uncaughtException', (err) => uncaught(err, 'Uncaught'));

/**
 * process.kill(process.pid, 'SIGINT') (or 'SIGTERM', …) from a cell: delivered to the cell's own
 * listeners as an event instead of a real signal. A real SIGINT that arrives after the cell
 * ended would stop the NEXT cell's run (vm's breakOnSigint), and a real SIGTERM would end the
 * kernel; the kernel's own interrupt uses its watchdog thread, not this function.
 */
const realKill = process.kill.bind(process);
{
  process.kill = function kill(pid: number, signal?: string | number): true {
    const self = Number(pid) === proc.pid || (Number(pid) === 0 && proc.platform === 'win32');
    const name = signal === undefined ? 'SIGTERM' : typeof signal === 'number' ? Object.entries(require('node:os').constants.signals).find(([, n]) => n === signal)?.[0] : String(signal);
    if (!self || name === undefined || name === 'SIGKILL' || name === 'SIGSTOP' || signal === 0) return realKill(pid, signal as any);
    proc.nextTick(() => {
      const listeners = proc.listeners(name as NodeJS.Signals).filter((l) => l !== onSigint);
      for (const l of listeners) (l as (s: string) => void)(name);
      if (!listeners.length) post({ type: 'stream', id: outputCtx()?.id ?? 0, name: 'stderr', text: `(process.kill(process.pid, '${name}') from a cell is ignored: it would end the kernel; use Restart Kernel)\n` });
    });
    return true;
  } as typeof process.kill;
}

// ---------------------------------------------------------------------------------------------
// compiling a cell

interface Compiled { script: vm.Script; imports: string[]; declared: string[] }
/** every name a cell declared at its top level, in first-run order (what the Variables view lists) */
const declaredNames = new Set<string>();
const compiled = new Map<string, Compiled>();
const COMPILE_CACHE = 500;
let scriptSeq = 0;

class CompileError extends Error { constructor(public cellError: CellError) { super(cellError.message); } }

async function compile(code: string, language: 'typescript' | 'javascript' | 'sql', label: string): Promise<Compiled> {
  const key = `${language}\u0000${label}\u0000${code}`;
  // a SQL cell runs as a one-line script that awaits the query and binds its result (sql.ts)
  if (language === 'sql') { code = sqlCellScript(code, label); language = 'javascript'; }
  const hit = compiled.get(key);
  if (hit) return hit;

  let js = code;
  let map: TraceMap | undefined;
  if (language === 'typescript') {
    try {
      const r = await getEsbuild().transform(code, record({ ...TRANSFORM_OPTIONS, sourcefile: label }));
      js = r.code;
      map = new TraceMap(r.map);
    } catch (e: any) {
      const first = e?.errors?.[0];
      if (!first?.location) throw e;
      throw new CompileError(syntaxError(label, code, first.text, first.location.line, first.location.column));
    }
  }
  const toSource = (line: number, column: number): { line: number; column: number } => {
    if (!map) return { line, column };
    const o = originalPositionFor(map, { line, column });
    return o.line == null ? { line, column } : { line: o.line, column: o.column };
  };

  let rw;
  try {
    rw = rewriteCell(js, { strictImports: language === 'javascript', cellLabel: label });
  } catch (e) {
    if (!(e instanceof CellSyntaxError)) throw e;
    const p = toSource(e.line, e.column);
    throw new CompileError(syntaxError(label, code, e.message, p.line, p.column));
  }

  const filename = `__mktnb_cell_${++scriptSeq}__`;
  let outStarts: number[] | undefined, jsStarts: number[] | undefined;
  const toCell = (line: number, column1: number) => {
    outStarts ??= lineStarts(rw.code);
    jsStarts ??= lineStarts(js);
    const off = (outStarts[line - 1] ?? 0) + column1 - 1;
    if (rw.inWrapper(off)) return null;
    const lc = offsetToLineCol(jsStarts, rw.toInput(off));
    const p = toSource(lc.line, lc.column);
    return { line: p.line, column: p.column + 1 };
  };
  registerScript(filename, { label: (line, column) => { const p = toCell(line, column); return p && { label, ...p }; } });

  let script: vm.Script;
  try {
    script = new vm.Script(rw.code, { filename });
  } catch (e: any) {
    // the rewrite parsed with acorn, but V8 may still refuse (early errors acorn does not check)
    const m = new RegExp(`${filename}:(\\d+)`).exec(String(e?.stack));
    const p = toCell(m ? Number(m[1]) : 1, 1) ?? { line: 1, column: 1 };
    throw new CompileError(syntaxError(label, code, e?.message ?? String(e), p.line, p.column - 1));
  }
  const c = { script, imports: rw.imports, declared: rw.declared };
  if (compiled.size >= COMPILE_CACHE) compiled.delete(compiled.keys().next().value!);
  compiled.set(key, c);
  return c;
}

// ---------------------------------------------------------------------------------------------
// running a cell

async function execute(msg: Extract<ToKernel, { type: 'execute' }>): Promise<void> {
  const t0 = now();
  let rejectInterrupt!: (e: unknown) => void;
  const interrupted = new Promise<never>((_, rej) => { rejectInterrupt = rej; });
  interrupted.catch(() => { /* raced below */ });
  const stop = (): void => {
    ctx.interrupted = true;
    interruptQueries(); // a running DuckDB query stops too (SQL cells, sql``); the database keeps its state
    for (const t of ctx.timers) t.clear(t.handle);
    ctx.timers.clear();
    rejectInterrupt(INTERRUPTED);
  };
  const ctx: CellContext = {
    id: msg.id, interrupted: false, done: false, timers: new Set(), outSize: 0, dropped: 0,
    fail: (error) => {
      if (ctx.done || ctx.interrupted || ctx.failure) return;
      ctx.failure = { error };
      stop();
    },
  };
  Object.defineProperty(ctx, inspect.custom, { value: () => `[cell ${msg.id}]`, enumerable: false });
  running = {
    ctx,
    interrupt: () => {
      if (ctx.interrupted || ctx.done) return;
      stop();
    },
  };
  let ok = false;
  try {
    const { script, imports, declared } = await Promise.race([compile(msg.code, msg.language, msg.cellLabel), interrupted]);
    for (const n of declared) declaredNames.add(n);
    if (imports.length) {
      const loaded = new Map<string, unknown>();
      // one after another, in the cell's order, as a module's imports are evaluated
      for (const spec of imports) loaded.set(spec, await Promise.race([als.run(ctx, () => loader.import(spec)), interrupted]));
      preloaded = loaded;
    }
    const result = await Promise.race([als.run(ctx, () => {
      Atomics.store(syncRun, 0, msg.id);
      try { return script.runInThisContext({ breakOnSigint: true }); } finally { Atomics.store(syncRun, 0, 0); }
    }), interrupted]);
    if (Array.isArray(result) && result.length === 1 && result[0] !== undefined) als.run(ctx, () => displayItems(toOutputItems(result[0]), true));
    // one macrotask (a 0 ms timer, then the check phase) for what the cell set off without
    // awaiting: a rejected promise or a throwing async call fails this cell, not a later one
    await Promise.race([new Promise<void>((r) => origSetTimeout(() => origSetImmediate(r), 0)), interrupted]);
    ok = true;
  } catch (e: any) {
    let error: CellError;
    if (ctx.failure) error = ctx.failure.error;
    else if (ctx.interrupted || e === INTERRUPTED || e?.code === 'ERR_SCRIPT_EXECUTION_INTERRUPTED') {
      running.interrupt();
      error = interruptedError();
    } else if (e instanceof CompileError || e instanceof SqlCellError) error = e.cellError;
    else error = withCodeFrame(toCellError(e), msg.cellLabel, msg.code);
    post({ type: 'error', id: msg.id, error });
  } finally {
    ctx.done = true;
    ctx.timers.clear();
    running = null;
  }
  if (ctx.dropped > 0) post({ type: 'stream', id: msg.id, name: 'stderr', text: capNote(ctx.dropped) });
  post({ type: 'done', id: msg.id, ok, durationMs: now() - t0 });
}

// outputs that ask the kernel (zoom, table pages): answered between a cell's awaits (src/kernel/outputData.ts)
const outputData = installOutputData(liveOutputs, post, Number(process.env[KERNEL_ENV.outputCacheMb]) || DEFAULT_OUTPUT_CACHE_MB);
let queue: Promise<void> = Promise.resolve();
process.on('message', (m: ToKernel) => {
  switch (m.type) {
    case 'outputRequest': case 'outputCancel': case 'releaseOutputs': outputData.handle(m); break;
    case 'execute': queue = queue.then(() => execute(m)); break;
    case 'interrupt':
      lastInterruptId = Math.max(lastInterruptId, m.id);
      if (running && running.ctx.id === m.id) running.interrupt();
      break;
    case 'variables':
      post({ type: 'variables', req: m.req, variables: listVariables(declaredNames, g) });
      break;
    case 'setNotebook':
      notebookPath = m.notebookPath;
      baseDir = m.baseDir;
      notebookFile = m.notebookPath;
      try { process.chdir(baseDir); } catch { /* the folder went away: paths still resolve from baseDir */ }
      placeNotebook();
      break;
    case 'shutdown': realExit(0);
  }
});
// the parent is gone: end the processes the cells started (the kernel's group), then the kernel
process.on('disconnect', () => {
  if (proc.platform !== 'win32') { try { realKill(-proc.pid, 'SIGKILL'); } catch { /* not a group leader */ } }
  realExit(0);
});

post({ type: 'ready', pid: process.pid, startMs: process.uptime() * 1000 });
// start the watchdog and esbuild's service now, off the critical path of start and first cell
origSetImmediate(() => {
  startWatchdog();
  try { getEsbuild().transform('let a: number = 1', { loader: 'ts' }).catch(() => undefined); } catch { /* reported when a TS cell runs */ }
});
