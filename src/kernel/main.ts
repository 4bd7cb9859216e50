/**
 * The kernel process (bundled to dist/kernel.js, started by KernelClient with child_process.fork).
 *
 * Cells run with vm.Script#runInThisContext in this process's own global scope (the same realm as
 * the analysis library and the packages cells import, so instanceof, typed arrays and errors
 * behave as in any Node program). A cell's top-level names become global properties (see
 * transform.ts), so they persist across cells; Restart Kernel starts a fresh process.
 *
 * This file is the start-up (in order: what the kernel captures, the cell's world, then the
 * protocol) and the message loop. The parts: cell.ts (which cell runs), emit.ts (outputs and
 * their cap), interrupt.ts + watchdog.ts (interrupts, parent death), sandbox.ts (globals,
 * timers, stdin, exit/kill), compile.ts (TypeScript → vm.Script).
 */
import { inspect } from 'node:util';
import { setRuntime } from '../market/context';
import { KERNEL_ENV, type CellError, type ToKernel } from './protocol';
import { als, outputCtx, session, type CellContext } from './cell';
import { cellCompiler, CompileError, esbuildLoader } from './compile';
import { toOutputItems } from './display';
import { capNote, displayItems, installStreams, post } from './emit';
import { addInternalFile, installStackMapping, interruptedError, toCellError, withCodeFrame } from './errors';
import { INTERRUPTED, installInterrupt, requestInterrupt, runSync, startWatchdog } from './interrupt';
import {
  installSandbox,
  installStdin,
  installTimers,
  origSetImmediate,
  origSetTimeout,
  realExit,
  realKill,
} from './sandbox';
import { installSql, kernelMemoryMb, setConnections, SqlCellError } from './sql';
import { listVariables } from './variables';
import { interruptQueries } from '../data/index';
import { DEFAULT_OUTPUT_CACHE_MB, installOutputData } from './outputData';
import { liveOutputs } from '../market/output';

// ---------------------------------------------------------------------------------------------
// start-up: what the client passed, captured before any cell can see or change it
const proc = process;
const now = () => performance.now();

const baseDir = process.env[KERNEL_ENV.baseDir] || process.cwd();
const notebookPath = process.env[KERNEL_ENV.notebookPath] || undefined;
setRuntime({ baseDir, notebookPath });
const interruptFd = Number(process.env[KERNEL_ENV.interruptFd]);
// esbuild's service is the kernel's own helper: the client learns its pid (never a process a cell started)
const getEsbuild = esbuildLoader(process.env[KERNEL_ENV.esbuild], (pids) => post({ type: 'helpers', pids }));
const compile = cellCompiler(getEsbuild);
// SQL cells: DuckDB's memory_limit follows the kernel's heap setting; the notebook may name a database file
installSql({
  baseDir,
  memoryLimitMb: kernelMemoryMb(),
  database: process.env[KERNEL_ENV.database] || undefined,
  progress: (percent, rows) =>
    post({ type: 'progress', id: outputCtx()?.id ?? 0, percent, ...(rows !== undefined ? { rows } : {}) }),
});
// cells and the programs they start see the environment of the editor, not the kernel's plumbing
for (const k of Object.values(KERNEL_ENV)) delete process.env[k];
process.title = 'mktnb-kernel';
// kernel frames are dropped from cell stacks: leave room for the user's own
Error.stackTraceLimit = Math.max(Error.stackTraceLimit, 30);
addInternalFile(__filename);
installStackMapping();

// the cell's world
installStreams();
installStdin();
installInterrupt();
installTimers();
const sandbox = installSandbox({ baseDir, notebookPath }, getEsbuild);

/** every name a cell declared at its top level, in first-run order (what the Variables view lists) */
const declaredNames = new Set<string>();

// ---------------------------------------------------------------------------------------------
// running a cell

async function execute(msg: Extract<ToKernel, { type: 'execute' }>): Promise<void> {
  const t0 = now();
  let rejectInterrupt!: (e: unknown) => void;
  const interrupted = new Promise<never>((_, rej) => {
    rejectInterrupt = rej;
  });
  interrupted.catch(() => {
    /* raced below */
  });
  const stop = (): void => {
    ctx.interrupted = true;
    interruptQueries(); // a running DuckDB query stops too (SQL cells, sql``); the database keeps its state
    for (const t of ctx.timers) t.cancel();
    ctx.timers.clear();
    rejectInterrupt(INTERRUPTED);
  };
  const ctx: CellContext = {
    id: msg.id,
    interrupted: false,
    done: false,
    timers: new Set(),
    outSize: 0,
    dropped: 0,
    fail: (error) => {
      if (ctx.done || ctx.interrupted || ctx.failure) return;
      ctx.failure = { error };
      stop();
    },
  };
  Object.defineProperty(ctx, inspect.custom, { value: () => `[cell ${msg.id}]`, enumerable: false });
  const running = (session.running = {
    ctx,
    interrupt: () => {
      if (ctx.interrupted || ctx.done) return;
      stop();
    },
  });
  let ok = false;
  try {
    const { script, imports, declared } = await Promise.race([
      compile(msg.code, msg.language, msg.cellLabel),
      interrupted,
    ]);
    for (const n of declared) declaredNames.add(n);
    if (imports.length) {
      const loaded = new Map<string, unknown>();
      // one after another, in the cell's order, as a module's imports are evaluated
      for (const spec of imports)
        loaded.set(spec, await Promise.race([als.run(ctx, () => sandbox.importModule(spec)), interrupted]));
      sandbox.setPreloaded(loaded);
    }
    const result = await Promise.race([
      als.run(ctx, () => runSync(msg.id, () => script.runInThisContext({ breakOnSigint: true }))),
      interrupted,
    ]);
    if (Array.isArray(result) && result.length === 1 && result[0] !== undefined)
      als.run(ctx, () => displayItems(toOutputItems(result[0]), true));
    // one macrotask (a 0 ms timer, then the check phase) for what the cell set off without
    // awaiting: a rejected promise or a throwing async call fails this cell, not a later one
    await Promise.race([new Promise<void>((r) => origSetTimeout(() => origSetImmediate(r), 0)), interrupted]);
    ok = true;
  } catch (e) {
    let error: CellError;
    if (ctx.failure) error = ctx.failure.error;
    else if (
      ctx.interrupted ||
      e === INTERRUPTED ||
      (e as NodeJS.ErrnoException | null | undefined)?.code === 'ERR_SCRIPT_EXECUTION_INTERRUPTED'
    ) {
      running.interrupt();
      error = interruptedError();
    } else if (e instanceof CompileError || e instanceof SqlCellError) error = e.cellError;
    else error = withCodeFrame(toCellError(e), msg.cellLabel, msg.code);
    post({ type: 'error', id: msg.id, error });
  } finally {
    ctx.done = true;
    ctx.timers.clear();
    session.running = null;
  }
  if (ctx.dropped > 0) post({ type: 'stream', id: msg.id, name: 'stderr', text: capNote(ctx.dropped) });
  post({ type: 'done', id: msg.id, ok, durationMs: now() - t0 });
}

// outputs that ask the kernel (zoom, table pages): answered between a cell's awaits (src/kernel/outputData.ts)
const outputData = installOutputData(
  liveOutputs,
  post,
  Number(process.env[KERNEL_ENV.outputCacheMb]) || DEFAULT_OUTPUT_CACHE_MB,
);

// ---------------------------------------------------------------------------------------------
// the message loop

let queue: Promise<void> = Promise.resolve();
process.on('message', (m: ToKernel) => {
  switch (m.type) {
    case 'outputRequest':
    case 'outputCancel':
    case 'releaseOutputs':
      outputData.handle(m);
      break;
    case 'execute':
      queue = queue.then(() => execute(m));
      break;
    case 'interrupt':
      requestInterrupt(m.id);
      break;
    case 'variables':
      post({ type: 'variables', req: m.req, variables: listVariables(declaredNames, sandbox.g) });
      break;
    case 'setNotebook':
      sandbox.place({ baseDir: m.baseDir, notebookPath: m.notebookPath });
      break;
    case 'connections':
      setConnections(m.json);
      break;
    case 'shutdown':
      realExit(0);
  }
});
// the parent is gone: end the processes the cells started (the kernel's group), then the kernel
process.on('disconnect', () => {
  if (proc.platform !== 'win32') {
    try {
      realKill(-proc.pid, 'SIGKILL');
    } catch {
      /* not a group leader */
    }
  }
  realExit(0);
});

post({ type: 'ready', pid: process.pid, startMs: process.uptime() * 1000 });
// start the watchdog and esbuild's service now, off the critical path of start and first cell
origSetImmediate(() => {
  startWatchdog(interruptFd);
  try {
    getEsbuild();
  } catch {
    /* esbuild is missing: said when a TS cell runs */
  }
});
