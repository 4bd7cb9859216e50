/**
 * The kernel client: starts a notebook's kernel process and runs cells in it. Used by the VS Code
 * controller and by the headless runner (Node only; no 'vscode' import).
 *
 *   const k = await KernelClient.start({ cwd: notebookDir, notebookPath });
 *   const r = await k.execute('const x = 1; x + 1', 'typescript', { cellLabel: 'cell 1', onOutput });
 *
 * Executions are queued and run one at a time. interrupt() stops the running cell (SIGINT: vm's
 * breakOnSigint stops even a synchronous loop; an awaiting cell is ended by the kernel) and cancels
 * the queued ones; when the kernel cannot stop the cell (a loop that never yields, outside the
 * cell's first synchronous part) it is killed and restarted, and the result says so in `restarted`.
 * A kernel that dies (out of memory, crash) is restarted automatically as well.
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KERNEL_ENV, type CellError, type CellLanguage, type FromKernel, type ToKernel } from '../shared/protocol';
import type { OutputItem } from '../shared/schemas';

export type { CellError } from '../shared/protocol';

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
  /** extra environment variables for the kernel process */
  env?: Record<string, string | undefined>;
  /** how long an interrupted cell may take to stop before the kernel is restarted (ms, default 600) */
  interruptGraceMs?: number;
  /** how long the kernel may take to start (ms, default 20000) */
  startTimeoutMs?: number;
}

export type KernelOutputEvent =
  | { kind: 'stream'; name: 'stdout' | 'stderr'; text: string }
  | { kind: 'display'; items: OutputItem[] };

export interface ExecuteResult {
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
}

interface Job {
  id: number;
  code: string;
  language: CellLanguage;
  cellLabel: string;
  onOutput: (e: KernelOutputEvent) => void;
  onProgress?: (percent: number) => void;
  resolve: (r: ExecuteResult) => void;
  error?: CellError;
  sentAt?: number;
}

interface Proc {
  child: ChildProcess;
  pid: number;
  ready: Promise<void>;
  exited: boolean;
  /** set by the client before it kills the process itself */
  killedFor?: KernelExitInfo['kind'];
  stderrTail: string;
  isReady: boolean;
}

const DEFAULT_HEAP_MB = 4096;
const STREAM_FLUSH_MS = 25;
/** the kernel's end of the interrupt pipe (see src/shared/protocol.ts) */
const INTERRUPT_FD = 4;

export class KernelClient {
  private proc!: Proc;
  private seq = 0;
  private queue: Job[] = [];
  private current: Job | undefined;
  private disposed = false;
  private exitListeners: Array<(info: KernelExitInfo) => void> = [];
  private backgroundListeners: Array<(e: KernelOutputEvent & { cellId: number }) => void> = [];
  private finishedCells = new Set<number>();
  private interruptTimer: NodeJS.Timeout | undefined;
  /** stream text not yet delivered: consecutive writes are merged for up to STREAM_FLUSH_MS */
  private pendingStream: { job: Job; name: 'stdout' | 'stderr'; text: string } | undefined;
  private streamTimer: NodeJS.Timeout | undefined;
  private readonly opts: Required<Pick<KernelOptions, 'maxOldSpaceMb' | 'interruptGraceMs' | 'startTimeoutMs'>> & KernelOptions;

  private constructor(opts: KernelOptions) {
    this.opts = {
      ...opts,
      maxOldSpaceMb: opts.maxOldSpaceMb ?? DEFAULT_HEAP_MB,
      interruptGraceMs: opts.interruptGraceMs ?? 600,
      startTimeoutMs: opts.startTimeoutMs ?? 20_000,
    };
  }

  static async start(opts: KernelOptions): Promise<KernelClient> {
    if (!fs.existsSync(opts.cwd)) throw new Error(`cannot start the kernel: the folder ${opts.cwd} does not exist`);
    const k = new KernelClient(opts);
    k.spawn();
    await k.proc.ready;
    return k;
  }

  /** pid of the current kernel process (changes when it restarts) */
  get pid(): number { return this.proc.pid; }

  /** heap limit of the kernel process, MB */
  get maxOldSpaceMb(): number { return this.opts.maxOldSpaceMb; }

  /** whether a cell is running */
  get busy(): boolean { return this.current !== undefined; }

  execute(code: string, language: CellLanguage, opts: { cellLabel: string; onOutput: (e: KernelOutputEvent) => void; onProgress?: (percent: number) => void }): Promise<ExecuteResult> {
    return new Promise<ExecuteResult>((resolve) => {
      if (this.disposed) { resolve({ ok: false, durationMs: 0, error: plainError('KernelDisposed', 'the kernel was shut down') }); return; }
      this.queue.push({ id: ++this.seq, code, language, cellLabel: opts.cellLabel, onOutput: opts.onOutput, onProgress: opts.onProgress, resolve });
      void this.pump();
    });
  }

  /** Stops the running cell (within a second) and cancels the queued ones. */
  interrupt(): void {
    for (const job of this.queue.splice(0)) {
      job.resolve({ ok: false, durationMs: 0, error: { ...plainError('Interrupted', 'not run: the kernel was interrupted before this cell started'), interrupted: true } });
    }
    const job = this.current;
    if (!job) return;
    if (!job.sentAt) {
      this.finish(job, { ok: false, durationMs: 0, error: { ...plainError('Interrupted', 'not run: the kernel was interrupted before this cell started'), interrupted: true } });
      return;
    }
    const p = this.proc;
    // 1. the message (an awaiting cell) and 2. the pipe (loops of cell code: the loop checks)
    this.sendTo(p, { type: 'interrupt', id: job.id });
    const pipe = p.child.stdio[INTERRUPT_FD] as NodeJS.WritableStream | null | undefined;
    if (pipe && !p.exited) { try { pipe.write(`${job.id}\n`); } catch { /* exited */ } }
    // 3. SIGINT for long synchronous work outside the loop checks is raised by the kernel's own
    // watchdog thread (src/kernel/main.ts), which can tell whether this cell is still running.
    if (!this.interruptTimer) {
      this.interruptTimer = setTimeout(() => {
        this.interruptTimer = undefined;
        if (this.current !== job || p.exited) return;
        // the cell keeps the kernel busy (a loop that never yields): only a new process stops it
        p.killedFor = 'interrupt';
        this.kill(p);
        this.spawn();
        const restarted = 'The cell did not stop when interrupted (it kept the kernel busy), so the kernel was restarted; variables from earlier cells were lost.';
        this.finish(job, { ok: false, durationMs: Date.now() - job.sentAt!, error: { ...plainError('Interrupted', 'the cell was interrupted by restarting the kernel'), interrupted: true }, restarted });
      }, this.opts.interruptGraceMs);
    }
  }

  /** Starts a fresh kernel process: all variables are lost; the running and queued cells end. */
  async restart(): Promise<void> {
    if (this.disposed) throw new Error('the kernel was shut down');
    const message = 'the kernel was restarted';
    const queued = this.queue.splice(0);
    const running = this.current;
    this.proc.killedFor = 'restart';
    this.kill(this.proc);
    this.spawn();
    for (const job of queued) job.resolve({ ok: false, durationMs: 0, error: plainError('KernelRestarted', `not run: ${message}`) });
    if (running) this.finish(running, { ok: false, durationMs: Date.now() - (running.sentAt ?? Date.now()), error: plainError('KernelRestarted', message), restarted: 'The kernel was restarted while this cell ran.' });
    await this.proc.ready;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const job of this.queue.splice(0)) job.resolve({ ok: false, durationMs: 0, error: plainError('KernelDisposed', 'not run: the kernel was shut down') });
    if (this.current) this.finish(this.current, { ok: false, durationMs: 0, error: plainError('KernelDisposed', 'the kernel was shut down') });
    this.proc.killedFor = 'dispose';
    this.sendTo(this.proc, { type: 'shutdown' });
    this.kill(this.proc);
  }

  /** Called whenever a kernel process ends (also for restarts the client does itself). */
  onDidExit(cb: (info: KernelExitInfo) => void): void { this.exitListeners.push(cb); }

  /** Output whose cell has already finished (timers, unawaited promises) when no cell is running. */
  onBackgroundOutput(cb: (e: KernelOutputEvent & { cellId: number }) => void): void { this.backgroundListeners.push(cb); }

  // -------------------------------------------------------------------------------------------

  private spawn(): void {
    const o = this.opts;
    const script = o.kernelScript ?? path.join(__dirname, 'kernel.js');
    const env: NodeJS.ProcessEnv = {
      ...process.env, ...o.env, ELECTRON_RUN_AS_NODE: '1', [KERNEL_ENV.baseDir]: o.cwd, [KERNEL_ENV.interruptFd]: String(INTERRUPT_FD),
    };
    if (o.notebookPath) env[KERNEL_ENV.notebookPath] = o.notebookPath; else delete env[KERNEL_ENV.notebookPath];
    if (o.database) env[KERNEL_ENV.database] = o.database; else delete env[KERNEL_ENV.database];
    const child = fork(script, [], {
      cwd: o.cwd, env, execPath: o.execPath, serialization: 'json',
      execArgv: [`--max-old-space-size=${o.maxOldSpaceMb}`],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc', 'pipe'],
    });
    (child.stdio[INTERRUPT_FD] as any)?.on?.('error', () => undefined);
    let readyResolve!: () => void, readyReject!: (e: Error) => void;
    const p: Proc = {
      child, pid: child.pid ?? -1, exited: false, stderrTail: '', isReady: false,
      ready: new Promise<void>((res, rej) => { readyResolve = res; readyReject = rej; }),
    };
    p.ready.catch(() => undefined);
    this.proc = p;
    const startTimer = setTimeout(() => {
      readyReject(new Error(`the kernel did not start within ${o.startTimeoutMs} ms`));
      this.kill(p);
    }, o.startTimeoutMs);

    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (t: string) => this.routeOutput(p, this.current?.id ?? 0, { kind: 'stream', name: 'stdout', text: t }));
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (t: string) => { p.stderrTail = (p.stderrTail + t).slice(-8192); });
    child.on('message', (m: FromKernel) => {
      if (m.type === 'ready') { clearTimeout(startTimer); p.isReady = true; readyResolve(); return; }
      this.onMessage(p, m);
    });
    child.on('error', (e) => { clearTimeout(startTimer); readyReject(e); });
    child.on('exit', (code, signal) => {
      clearTimeout(startTimer);
      p.exited = true;
      const oom = /heap out of memory|Reached heap limit|allocation failed/i.test(p.stderrTail);
      const kind: KernelExitInfo['kind'] = p.killedFor ?? (oom ? 'oom' : 'crash');
      const detail = signal ? `signal ${signal}` : `exit code ${code}`;
      // a process that died before it was ready is not restarted in a loop: the next execute tries again
      const auto = (kind === 'oom' || kind === 'crash') && p.isReady && !this.disposed && this.proc === p;
      const reason = kind === 'oom'
        ? `the kernel ran out of memory (limit ${o.maxOldSpaceMb} MB) and was restarted; variables were lost`
        : kind === 'crash' ? `the kernel process exited unexpectedly (${detail}${signal === 'SIGKILL' ? ', perhaps ended by the system for using too much memory' : ''})${auto ? ' and was restarted; variables were lost' : ''}${tailNote(p.stderrTail)}`
          : kind === 'interrupt' ? 'the kernel was restarted to stop a cell that did not respond to interrupt'
            : kind === 'restart' ? 'the kernel was restarted' : 'the kernel was shut down';
      readyReject(new Error(`the kernel process ended before it was ready (${detail})${tailNote(p.stderrTail)}`));
      for (const cb of this.exitListeners) { try { cb({ code, signal, reason, kind, willRestart: auto || kind === 'interrupt' || kind === 'restart' }); } catch { /* listener */ } }
      if (!auto) return;
      this.spawn();
      const job = this.current;
      if (job) {
        const message = kind === 'oom' ? `the kernel ran out of memory (limit ${o.maxOldSpaceMb} MB) and was restarted; variables were lost` : reason;
        this.finish(job, {
          ok: false, durationMs: Date.now() - (job.sentAt ?? Date.now()),
          error: plainError(kind === 'oom' ? 'OutOfMemory' : 'KernelDied', message),
          restarted: message.charAt(0).toUpperCase() + message.slice(1) + '.',
        });
      }
      void this.pump();
    });
  }

  private kill(p: Proc): void {
    if (p.exited) return;
    try { p.child.kill('SIGKILL'); } catch { /* gone */ }
  }

  private sendTo(p: Proc, m: ToKernel): void {
    if (p.exited || !p.child.connected) return;
    try { p.child.send(m); } catch { /* exited meanwhile */ }
  }

  private async pump(): Promise<void> {
    if (this.current || this.disposed) return;
    const job = this.queue.shift();
    if (!job) return;
    this.current = job;
    if (this.proc.exited && !this.proc.isReady) this.spawn();   // the last start failed: try again
    const p = this.proc;
    try {
      await p.ready;
    } catch (e) {
      this.finish(job, { ok: false, durationMs: 0, error: plainError('KernelStartFailed', (e as Error).message) });
      return;
    }
    if (this.current !== job) return;        // interrupted, restarted or disposed meanwhile
    if (this.proc !== p) { this.current = undefined; this.queue.unshift(job); void this.pump(); return; }
    job.sentAt = Date.now();
    this.sendTo(p, { type: 'execute', id: job.id, code: job.code, language: job.language, cellLabel: job.cellLabel });
  }

  private finish(job: Job, r: ExecuteResult): void {
    this.flushStream();
    if (this.current === job) {
      this.current = undefined;
      if (this.interruptTimer) { clearTimeout(this.interruptTimer); this.interruptTimer = undefined; }
    }
    this.finishedCells.add(job.id);
    job.resolve(r);
    void this.pump();
  }

  private onMessage(p: Proc, m: FromKernel): void {
    if (p !== this.proc) return;
    switch (m.type) {
      case 'stream': this.routeOutput(p, m.id, { kind: 'stream', name: m.name, text: m.text }); break;
      case 'display': this.routeOutput(p, m.id, { kind: 'display', items: m.items }); break;
      case 'error': if (this.current?.id === m.id) this.current.error = m.error; break;
      case 'progress': { const job = this.current; if (job?.id === m.id && job.onProgress) safe(() => job.onProgress!(m.percent)); break; }
      case 'done': {
        const job = this.current;
        if (!job || job.id !== m.id) return;
        this.finish(job, { ok: m.ok, durationMs: m.durationMs, ...(job.error ? { error: job.error } : {}) });
        break;
      }
    }
  }

  /** Output goes to the cell that produced it while it runs, else to the running cell, else to background listeners. */
  private routeOutput(p: Proc, id: number, e: KernelOutputEvent): void {
    if (p !== this.proc) return;
    const job = this.current;
    if (job && (job.id === id || id === 0 || this.finishedCells.has(id))) { this.deliver(job, e); return; }
    this.flushStream();
    for (const cb of this.backgroundListeners) safe(() => cb({ ...e, cellId: id }));
  }

  /** Delivers output in order, merging consecutive stream writes (a cell printing 10,000 lines
   *  gives a few dozen events, not 10,000), at most STREAM_FLUSH_MS late. */
  private deliver(job: Job, e: KernelOutputEvent): void {
    if (e.kind === 'stream') {
      const p = this.pendingStream;
      if (p && p.job === job && p.name === e.name) p.text += e.text;
      else {
        this.flushStream();
        this.pendingStream = { job, name: e.name, text: e.text };
      }
      this.streamTimer ??= setTimeout(() => { this.streamTimer = undefined; this.flushStream(); }, STREAM_FLUSH_MS);
      return;
    }
    this.flushStream();
    safe(() => job.onOutput(e));
  }

  private flushStream(): void {
    if (this.streamTimer) { clearTimeout(this.streamTimer); this.streamTimer = undefined; }
    const p = this.pendingStream;
    if (!p) return;
    this.pendingStream = undefined;
    safe(() => p.job.onOutput({ kind: 'stream', name: p.name, text: p.text }));
  }
}

function safe(f: () => void): void {
  try { f(); } catch { /* a listener's error must not break the kernel client */ }
}

function plainError(name: string, message: string): CellError {
  return { name, message, stack: `${name}: ${message}` };
}

function tailNote(tail: string): string {
  const all = tail.trim().split('\n').filter((l) => l.trim() && !/^\s+at /.test(l) && !/^Node\.js v/.test(l));
  const errs = all.filter((l) => /Error|FATAL/.test(l));
  const lines = (errs.length ? errs : all).slice(-2);
  return lines.length ? `: ${lines.join(' | ').slice(0, 400)}` : '';
}
