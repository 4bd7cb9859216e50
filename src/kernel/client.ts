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
 *
 * Longer than 300 lines on purpose (about 570, nearly all of it the KernelClient class): what is
 * left is one state machine, the queue of cells and the ways the running one ends (done,
 * interrupt, restart, time limit, the kernel's death, which race each other) over `current`,
 * `queue` and `proc`; split, its invariants would be in two places. The rest has its own files:
 * one process (kernelProcess.ts), requests besides cells (replies.ts), merged stream output
 * (streamMerge.ts), the types users see (clientTypes.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  KERNEL_ENV,
  type CellError,
  type CellLanguage,
  type FromKernel,
  type ToKernel,
  type VariableInfo,
} from './protocol';
import type {
  BackgroundEvent,
  ExecuteOptions,
  ExecuteResult,
  KernelExitInfo,
  KernelOptions,
  KernelOutputEvent,
} from './clientTypes';
import { INTERRUPT_FD, killKernel, spawnKernel, tailNote, type Proc } from './kernelProcess';
import { Replies } from './replies';
import { StreamMerge } from './streamMerge';
import { outputError, type OutputReply } from '../shared/output-requests';

export type { CellError, VariableInfo } from './protocol';
export type {
  BackgroundEvent,
  ExecuteOptions,
  ExecuteResult,
  KernelExitInfo,
  KernelOptions,
  KernelOutputEvent,
} from './clientTypes';

interface Job {
  id: number;
  code: string;
  language: CellLanguage;
  cellLabel: string;
  onOutput: (e: KernelOutputEvent) => void;
  onProgress?: (percent: number, rows?: number) => void;
  resolve: (r: ExecuteResult) => void;
  error?: CellError;
  sentAt?: number;
  timeoutMs?: number;
  timer?: NodeJS.Timeout;
  timedOut?: boolean;
}

const DEFAULT_HEAP_MB = 4096;
const STREAM_FLUSH_MS = 25;

export class KernelClient {
  private proc!: Proc;
  private seq = 0;
  private queue: Job[] = [];
  private current: Job | undefined;
  private disposed = false;
  private exitListeners: Array<(info: KernelExitInfo) => void> = [];
  /** dispose() waits for the exit report of its process */
  private exitWaiters = new Map<Proc, (info: KernelExitInfo) => void>();
  private backgroundListeners: Array<(e: BackgroundEvent) => void> = [];
  private interruptTimer: NodeJS.Timeout | undefined;
  /** stream text not yet delivered: consecutive writes are merged for up to STREAM_FLUSH_MS */
  private readonly streams = new StreamMerge<Job>(
    (job, name, text) => safe(() => job.onOutput({ kind: 'stream', name, text })),
    STREAM_FLUSH_MS,
  );
  private readonly variableRequests = new Replies<VariableInfo[] | undefined>();
  private readonly outputRequests = new Replies<OutputReply>();
  private readonly opts: Required<Pick<KernelOptions, 'maxOldSpaceMb' | 'interruptGraceMs' | 'startTimeoutMs'>> &
    KernelOptions;

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
  get pid(): number {
    return this.proc.pid;
  }

  /**
   * Pids of the kernel's own helper processes (esbuild's service, once it has started), as the
   * kernel reports them: never counted among the processes the cells started (KernelExitInfo.endedProcesses),
   * ended with the kernel all the same.
   */
  get helperPids(): readonly number[] {
    return this.proc.helpers;
  }

  /** heap limit of the kernel process, MB */
  get maxOldSpaceMb(): number {
    return this.opts.maxOldSpaceMb;
  }

  /** whether a cell is running */
  get busy(): boolean {
    return this.current !== undefined;
  }

  execute(code: string, language: CellLanguage, opts: ExecuteOptions): Promise<ExecuteResult> {
    return new Promise<ExecuteResult>((resolve) => {
      if (this.disposed) {
        resolve({ ok: false, durationMs: 0, error: plainError('KernelDisposed', 'the kernel was shut down') });
        return;
      }
      const timeoutMs =
        opts.timeoutMs && opts.timeoutMs > 0 && Number.isFinite(opts.timeoutMs) ? opts.timeoutMs : undefined;
      this.queue.push({
        id: ++this.seq,
        code,
        language,
        cellLabel: opts.cellLabel,
        onOutput: opts.onOutput,
        onProgress: opts.onProgress,
        resolve,
        timeoutMs,
      });
      void this.pump();
    });
  }

  /** Stops the running cell (within a second) and cancels the queued ones. */
  interrupt(): void {
    for (const job of this.queue.splice(0)) {
      job.resolve({
        ok: false,
        durationMs: 0,
        error: {
          ...plainError('Interrupted', 'not run: the kernel was interrupted before this cell started'),
          interrupted: true,
        },
      });
    }
    this.interruptCurrent();
  }

  /** Stops the running cell only (a time limit): the queued cells still run. */
  private interruptCurrent(): void {
    const job = this.current;
    if (!job) return;
    if (!job.sentAt) {
      this.finish(job, {
        ok: false,
        durationMs: 0,
        error: {
          ...plainError('Interrupted', 'not run: the kernel was interrupted before this cell started'),
          interrupted: true,
        },
      });
      return;
    }
    const p = this.proc;
    // 1. the message (an awaiting cell) and 2. the pipe (loops of cell code: the loop checks)
    this.sendTo(p, { type: 'interrupt', id: job.id });
    const pipe = p.child.stdio[INTERRUPT_FD] as NodeJS.WritableStream | null | undefined;
    if (pipe && !p.exited) {
      try {
        pipe.write(`${job.id}\n`);
      } catch {
        /* exited */
      }
    }
    // 3. SIGINT for long synchronous work outside the loop checks is raised by the kernel's own
    // watchdog thread (src/kernel/main.ts), which can tell whether this cell is still running.
    if (!this.interruptTimer) {
      this.interruptTimer = setTimeout(() => {
        this.interruptTimer = undefined;
        if (this.current !== job || p.exited) return;
        // the cell keeps the kernel busy (a loop that never yields): only a new process stops it
        p.killedFor = 'interrupt';
        killKernel(p);
        this.spawn();
        const restarted =
          'The cell did not stop when interrupted (it kept the kernel busy), so the kernel was restarted; variables from earlier cells were lost.';
        this.finish(job, {
          ok: false,
          durationMs: Date.now() - job.sentAt!,
          error: {
            ...plainError('Interrupted', 'the cell was interrupted by restarting the kernel'),
            interrupted: true,
          },
          restarted,
        });
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
    killKernel(this.proc);
    this.spawn();
    for (const job of queued)
      job.resolve({ ok: false, durationMs: 0, error: plainError('KernelRestarted', `not run: ${message}`) });
    if (running)
      this.finish(running, {
        ok: false,
        durationMs: Date.now() - (running.sentAt ?? Date.now()),
        error: plainError('KernelRestarted', message),
        restarted: 'The kernel was restarted while this cell ran.',
      });
    await this.proc.ready;
  }

  /** Ends the kernel (and the processes its cells left running); resolves once it has exited. */
  dispose(): Promise<KernelExitInfo | undefined> {
    if (this.disposed) return this.disposedExit ?? Promise.resolve(undefined);
    this.disposed = true;
    for (const job of this.queue.splice(0))
      job.resolve({
        ok: false,
        durationMs: 0,
        error: plainError('KernelDisposed', 'not run: the kernel was shut down'),
      });
    if (this.current)
      this.finish(this.current, {
        ok: false,
        durationMs: 0,
        error: plainError('KernelDisposed', 'the kernel was shut down'),
      });
    const p = this.proc;
    this.disposedExit = p.reported
      ? Promise.resolve(undefined)
      : new Promise((res) => {
          this.exitWaiters.set(p, res);
        });
    p.killedFor = 'dispose';
    this.sendTo(p, { type: 'shutdown' });
    killKernel(p);
    return this.disposedExit;
  }
  private disposedExit: Promise<KernelExitInfo | undefined> | undefined;

  /**
   * The names cells declared, with type, shape and a summary (the Variables view). Undefined when
   * the kernel does not answer within `timeoutMs` (a cell keeps it busy) or is not running.
   */
  variables(timeoutMs = 2000): Promise<VariableInfo[] | undefined> {
    const p = this.proc;
    if (this.disposed || p.exited || !p.isReady) return Promise.resolve(undefined);
    return this.variableRequests.ask(
      p,
      timeoutMs,
      () => undefined,
      (req) => this.sendTo(p, { type: 'variables', req }),
    ).reply;
  }

  /**
   * The notebook now lives at `notebookPath` (an untitled notebook was saved): the running kernel
   * keeps its variables and resolves relative paths from the new folder, as will a restarted one.
   */
  setNotebook(notebookPath: string): void {
    this.opts.notebookPath = notebookPath;
    this.opts.cwd = path.dirname(notebookPath);
    this.sendTo(this.proc, { type: 'setNotebook', notebookPath, baseDir: this.opts.cwd });
  }

  /** The notebook's named connections changed (JSON for KERNEL_ENV.connections): the running kernel and a restarted one use them. */
  setConnections(json: string): void {
    this.opts.env = { ...this.opts.env, [KERNEL_ENV.connections]: json };
    this.sendTo(this.proc, { type: 'connections', json });
  }

  /**
   * Asks the kernel for data an output references (src/shared/output-requests.ts; the kernel
   * validates `request`). Not queued behind cells: the kernel answers while a cell awaits, or when
   * a synchronous one yields. Resolves with an error reply when there is no kernel ('no-kernel'),
   * the kernel ends first ('gone'), `cancel()` is called ('cancelled') or no answer comes in `timeoutMs`.
   */
  outputRequest(request: unknown, timeoutMs = 60_000): { reply: Promise<OutputReply>; cancel(): void } {
    const p = this.proc;
    if (this.disposed || p.exited || !p.isReady)
      return { reply: Promise.resolve(outputError('no-kernel', 'the kernel is not running')), cancel: () => undefined };
    const { req, reply } = this.outputRequests.ask(
      p,
      timeoutMs,
      () =>
        outputError(
          'failed',
          `the kernel did not answer within ${Math.round(timeoutMs / 1000)} s (a cell keeps it busy)`,
        ),
      (r) => this.sendTo(p, { type: 'outputRequest', req: r, request }),
    );
    return {
      reply,
      cancel: () => {
        if (!this.outputRequests.waiting(req)) return;
        this.sendTo(p, { type: 'outputCancel', req });
        this.outputRequests.settle(req, outputError('cancelled', 'superseded by a newer request'));
      },
    };
  }

  /** The outputs holding these handles are gone (undefined: all, after "Clear All Outputs"): the kernel drops their data. */
  releaseOutputs(handles?: string[]): void {
    this.sendTo(this.proc, handles ? { type: 'releaseOutputs', handles } : { type: 'releaseOutputs' });
  }

  /** Called whenever a kernel process ends (also for restarts the client does itself). */
  onDidExit(cb: (info: KernelExitInfo) => void): void {
    this.exitListeners.push(cb);
  }

  /**
   * Output and errors of a cell that has already finished (timers, un-awaited promises), with
   * that cell's id (ExecuteResult.cellId; 0 when no cell is known). Never given to the cell
   * running at the time.
   */
  onBackgroundOutput(cb: (e: BackgroundEvent) => void): void {
    this.backgroundListeners.push(cb);
  }

  // -------------------------------------------------------------------------------------------

  private spawn(): void {
    const o = this.opts;
    const p = spawnKernel(o, {
      stdout: (q, t) => this.routeOutput(q, this.current?.id ?? 0, { kind: 'stream', name: 'stdout', text: t }),
      message: (q, m) => this.onMessage(q, m),
      // the data outputs referenced ended with the process
      exited: (q) => {
        this.outputRequests.ended(q, outputError('gone', 'the kernel that held this data has ended'));
        this.variableRequests.ended(q, undefined);
      },
      exitReport: (q, code, signal, endedProcesses) => this.onExit(q, code, signal, endedProcesses),
    });
    this.proc = p;
  }

  private onExit(p: Proc, code: number | null, signal: string | null, endedProcesses: number[]): void {
    const o = this.opts;
    const oom = /heap out of memory|Reached heap limit|allocation failed/i.test(p.stderrTail);
    const kind: KernelExitInfo['kind'] = p.killedFor ?? (oom ? 'oom' : 'crash');
    const detail = signal ? `signal ${signal}` : `exit code ${code}`;
    // a process that died before it was ready is not restarted in a loop: the next execute tries again
    const auto = (kind === 'oom' || kind === 'crash') && p.isReady && !this.disposed && this.proc === p;
    const reason =
      kind === 'oom'
        ? `the kernel ran out of memory (limit ${o.maxOldSpaceMb} MB) and was restarted; variables were lost`
        : kind === 'crash'
          ? `the kernel process exited unexpectedly (${detail}${signal === 'SIGKILL' ? ', perhaps ended by the system for using too much memory' : ''})${auto ? ' and was restarted; variables were lost' : ''}${tailNote(p.stderrTail)}`
          : kind === 'interrupt'
            ? 'the kernel was restarted to stop a cell that did not respond to interrupt'
            : kind === 'restart'
              ? 'the kernel was restarted'
              : 'the kernel was shut down';
    const ended = endedProcesses.length
      ? `; ${endedProcesses.length} process${endedProcesses.length === 1 ? '' : 'es'} the cells had started (pid ${endedProcesses.join(', ')}) ${endedProcesses.length === 1 ? 'was' : 'were'} ended with it`
      : '';
    const info: KernelExitInfo = {
      code,
      signal,
      reason: reason + ended,
      kind,
      willRestart: auto || kind === 'interrupt' || kind === 'restart',
      endedProcesses,
    };
    for (const cb of this.exitListeners) {
      try {
        cb(info);
      } catch {
        /* listener */
      }
    }
    this.exitWaiters.get(p)?.(info);
    this.exitWaiters.delete(p);
    if (!auto) return;
    this.spawn();
    const job = this.current;
    if (job) {
      const message =
        kind === 'oom'
          ? `the kernel ran out of memory (limit ${o.maxOldSpaceMb} MB) and was restarted; variables were lost`
          : reason;
      this.finish(job, {
        ok: false,
        durationMs: Date.now() - (job.sentAt ?? Date.now()),
        error: plainError(kind === 'oom' ? 'OutOfMemory' : 'KernelDied', message),
        restarted: message.charAt(0).toUpperCase() + message.slice(1) + '.',
      });
    }
    void this.pump();
  }

  private sendTo(p: Proc, m: ToKernel): void {
    if (p.exited || !p.child.connected) return;
    // an own `cmd` (undefined): Node's channel code in the kernel asks message.cmd whether a message
    // is internal (NODE_HANDLE…), and a cell may have planted Object.prototype.cmd there
    try {
      p.child.send({ cmd: undefined, ...m });
    } catch {
      /* exited meanwhile */
    }
  }

  private async pump(): Promise<void> {
    if (this.current || this.disposed) return;
    // it crashed and its exit report is on the way: that report restarts it and pumps again
    if (this.proc.exited && this.proc.isReady && !this.proc.reported) return;
    const job = this.queue.shift();
    if (!job) return;
    this.current = job;
    if (this.proc.exited && !this.proc.isReady) this.spawn(); // the last start failed: try again
    const p = this.proc;
    try {
      await p.ready;
    } catch (e) {
      this.finish(job, { ok: false, durationMs: 0, error: plainError('KernelStartFailed', (e as Error).message) });
      return;
    }
    if (this.current !== job) return; // interrupted, restarted or disposed meanwhile
    if (this.proc !== p) {
      this.current = undefined;
      this.queue.unshift(job);
      void this.pump();
      return;
    }
    job.sentAt = Date.now();
    this.sendTo(p, { type: 'execute', id: job.id, code: job.code, language: job.language, cellLabel: job.cellLabel });
    if (job.timeoutMs) {
      job.timer = setTimeout(() => {
        if (this.current !== job) return;
        job.timedOut = true;
        this.interruptCurrent();
      }, job.timeoutMs);
    }
  }

  private finish(job: Job, r: ExecuteResult): void {
    this.streams.flush();
    if (job.timer) {
      clearTimeout(job.timer);
      job.timer = undefined;
    }
    if (job.timedOut && !r.ok) {
      const secs = +(job.timeoutMs! / 1000).toFixed(3);
      const how = r.restarted
        ? 'the kernel was restarted to stop it; variables from earlier cells were lost'
        : 'the cell was interrupted';
      r = {
        ...r,
        error: {
          ...plainError('TimeoutError', `timed out after ${secs} s (the time limit per cell); ${how}`),
          interrupted: true,
          timedOut: true,
        },
      };
    }
    r = { cellId: job.id, ...r };
    if (this.current === job) {
      this.current = undefined;
      if (this.interruptTimer) {
        clearTimeout(this.interruptTimer);
        this.interruptTimer = undefined;
      }
    }
    job.resolve(r);
    void this.pump();
  }

  private onMessage(p: Proc, m: FromKernel): void {
    if (p !== this.proc) return;
    switch (m.type) {
      case 'stream':
        this.routeOutput(p, m.id, { kind: 'stream', name: m.name, text: m.text });
        break;
      case 'display':
        this.routeOutput(p, m.id, { kind: 'display', items: m.items });
        break;
      case 'error':
        if (!m.late && this.current?.id === m.id) {
          this.current.error = m.error;
          break;
        }
        this.streams.flush();
        for (const cb of this.backgroundListeners) safe(() => cb({ kind: 'error', error: m.error, cellId: m.id }));
        break;
      case 'variables':
        this.variableRequests.settle(m.req, m.variables);
        break;
      case 'outputReply':
        this.outputRequests.settle(m.req, m.reply);
        break;
      case 'progress': {
        const job = this.current;
        if (job?.id === m.id && job.onProgress) safe(() => job.onProgress!(m.percent, m.rows));
        break;
      }
      case 'done': {
        const job = this.current;
        if (!job || job.id !== m.id) return;
        this.finish(job, { ok: m.ok, durationMs: m.durationMs, ...(job.error ? { error: job.error } : {}) });
        break;
      }
    }
  }

  /** Output goes to the cell that produced it while it runs (or to the running cell when its origin is unknown); output of a finished cell goes to background listeners, never to an innocent running cell. */
  private routeOutput(p: Proc, id: number, e: KernelOutputEvent): void {
    if (p !== this.proc) return;
    const job = this.current;
    if (job && (job.id === id || id === 0)) {
      this.deliver(job, e);
      return;
    }
    this.streams.flush();
    for (const cb of this.backgroundListeners) safe(() => cb({ ...e, cellId: id }));
  }

  /** Delivers output in order, stream writes merged (StreamMerge). */
  private deliver(job: Job, e: KernelOutputEvent): void {
    if (e.kind === 'stream') {
      this.streams.add(job, e.name, e.text);
      return;
    }
    this.streams.flush();
    safe(() => job.onOutput(e));
  }
}

function safe(f: () => void): void {
  try {
    f();
  } catch {
    /* a listener's error must not break the kernel client */
  }
}

function plainError(name: string, message: string): CellError {
  return { name, message, stack: `${name}: ${message}` };
}
