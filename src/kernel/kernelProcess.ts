/**
 * One kernel process, as the client (client.ts) starts it: the environment it gets (an allowlist,
 * env.ts), fork as the leader of a process group (procgroup.ts), its start-up and stderr tail, the
 * pids of its own helpers (esbuild's service, reported by the kernel: protocol.ts `helpers`), and
 * its end: the group is killed at once, and the exit is reported once the kernel's last messages
 * are in, with the processes the cells had started, never the kernel's helpers.
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { kernelEnv } from './env';
import { endGroup } from './procgroup';
import { KERNEL_ENV, type FromKernel } from './protocol';

/** the kernel's end of the interrupt pipe (see protocol.ts) */
export const INTERRUPT_FD = 4;

/** How long the exit report waits for the kernel's last messages when its channel does not close. */
const DRAIN_MS = 1000;

export interface SpawnOptions {
  cwd: string;
  notebookPath?: string;
  kernelScript?: string;
  maxOldSpaceMb: number;
  database?: string;
  execPath?: string;
  env?: Record<string, string | undefined>;
  passEnv?: readonly string[];
  startTimeoutMs: number;
  outputCacheMb?: number;
}

export interface Proc {
  child: ChildProcess;
  pid: number;
  ready: Promise<void>;
  exited: boolean;
  /** its exit has been reported (ProcHandlers.exitReport) */
  reported: boolean;
  /** set by the client before it kills the process itself */
  killedFor?: 'interrupt' | 'restart' | 'dispose';
  stderrTail: string;
  isReady: boolean;
  /** the kernel's own helper processes (esbuild's service), as it last reported them */
  helpers: readonly number[];
}

export interface ProcHandlers {
  stdout(p: Proc, text: string): void;
  /** every message but `ready` and `helpers`, which this module handles */
  message(p: Proc, m: FromKernel): void;
  /** the process exited; the client's own bookkeeping that cannot wait (pending requests) */
  exited(p: Proc): void;
  /** after the exit: `endedProcesses` are the group's processes the cells had started (helpers excluded), all ended */
  exitReport(p: Proc, code: number | null, signal: NodeJS.Signals | null, endedProcesses: number[]): void;
}

/** Starts a kernel process (see the file comment). */
export function spawnKernel(o: SpawnOptions, on: ProcHandlers): Proc {
  const script = o.kernelScript ?? path.join(__dirname, 'kernel.js');
  const env: NodeJS.ProcessEnv = {
    // an allowlist of this process's environment, never all of it (src/kernel/env.ts)
    ...kernelEnv(process.env, [...(o.passEnv ?? []), KERNEL_ENV.esbuild]),
    ...o.env,
    ELECTRON_RUN_AS_NODE: '1',
    [KERNEL_ENV.baseDir]: o.cwd,
    [KERNEL_ENV.interruptFd]: String(INTERRUPT_FD),
  };
  if (o.notebookPath) env[KERNEL_ENV.notebookPath] = o.notebookPath;
  else delete env[KERNEL_ENV.notebookPath];
  if (o.database) env[KERNEL_ENV.database] = o.database;
  else delete env[KERNEL_ENV.database];
  if (o.outputCacheMb !== undefined) env[KERNEL_ENV.outputCacheMb] = String(o.outputCacheMb);
  const child = fork(script, [], {
    // 'advanced': structured clone, immune to a cell's Object.prototype.toJSON (src/kernel/wire.ts);
    // detached: the kernel leads a process group that holds the processes its cells start (procgroup.ts)
    cwd: o.cwd,
    env,
    execPath: o.execPath,
    serialization: 'advanced',
    detached: process.platform !== 'win32',
    execArgv: [`--max-old-space-size=${o.maxOldSpaceMb}`],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc', 'pipe'],
  });
  (child.stdio[INTERRUPT_FD] as NodeJS.WritableStream | null)?.on?.('error', () => undefined);
  let readyResolve!: () => void, readyReject!: (e: Error) => void;
  const p: Proc = {
    child,
    pid: child.pid ?? -1,
    exited: false,
    reported: false,
    stderrTail: '',
    isReady: false,
    helpers: [],
    ready: new Promise<void>((res, rej) => {
      readyResolve = res;
      readyReject = rej;
    }),
  };
  p.ready.catch(() => undefined);
  const startTimer = setTimeout(() => {
    readyReject(new Error(`the kernel did not start within ${o.startTimeoutMs} ms`));
    killKernel(p);
  }, o.startTimeoutMs);

  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (t: string) => on.stdout(p, t));
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (t: string) => {
    p.stderrTail = (p.stderrTail + t).slice(-8192);
  });
  child.on('message', (m: FromKernel) => {
    if (m.type === 'ready') {
      clearTimeout(startTimer);
      p.isReady = true;
      readyResolve();
      return;
    }
    if (m.type === 'helpers') {
      p.helpers = m.pids.filter((x) => Number.isInteger(x) && x > 0);
      return;
    }
    on.message(p, m);
  });
  child.on('error', (e) => {
    clearTimeout(startTimer);
    readyReject(e);
  });
  child.on('exit', (code, signal) => {
    clearTimeout(startTimer);
    p.exited = true;
    // what the cells started and left running, and the kernel's helpers, end with it now
    const members = endGroup(p.pid);
    readyReject(
      new Error(
        `the kernel process ended before it was ready (${signal ? `signal ${signal}` : `exit code ${code}`})${tailNote(p.stderrTail)}`,
      ),
    );
    on.exited(p);
    // the report names the cells' processes, so it waits for the kernel's last messages (a
    // `helpers` sent just before it died): the channel closes after delivering them
    const report = (): void => {
      if (p.reported) return;
      p.reported = true;
      clearTimeout(drainTimer);
      // Windows has no process groups: the helpers are ended by pid (elsewhere the group held them)
      if (process.platform === 'win32')
        for (const h of p.helpers) {
          try {
            process.kill(h, 'SIGKILL');
          } catch {
            /* gone */
          }
        }
      on.exitReport(
        p,
        code,
        signal,
        members.filter((m) => !p.helpers.includes(m)),
      );
    };
    const drainTimer = setTimeout(report, DRAIN_MS);
    if (child.connected) child.once('disconnect', report);
    else report();
  });
  return p;
}

/** Kills the kernel process (SIGKILL); its exit ends its group (spawnKernel). */
export function killKernel(p: Proc): void {
  if (p.exited) return;
  try {
    p.child.kill('SIGKILL');
  } catch {
    /* gone */
  }
}

/** The last one or two error lines of the kernel's stderr, for a sentence about why it ended ('' when none). */
export function tailNote(tail: string): string {
  const all = tail
    .trim()
    .split('\n')
    .filter((l) => l.trim() && !/^\s+at /.test(l) && !/^Node\.js v/.test(l));
  const errs = all.filter((l) => /Error|FATAL/.test(l));
  const lines = (errs.length ? errs : all).slice(-2);
  return lines.length ? `: ${lines.join(' | ').slice(0, 400)}` : '';
}
