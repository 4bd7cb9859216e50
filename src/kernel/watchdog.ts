/**
 * The kernel's watchdog thread (bundled to dist/kernel-watchdog.js beside dist/kernel.js and
 * started by interrupt.ts as a worker thread). It runs while the main thread is busy in a cell:
 *  - interrupts: it reads cell ids from the interrupt pipe the client writes, sets the loop flag
 *    every loop of a cell checks (transform.ts), and, if that cell is still in its synchronous
 *    part after `sigintDelay` ms, raises SIGINT for vm's breakOnSigint (long synchronous work
 *    outside the loop checks, e.g. in a package);
 *  - parent death: the parent (extension host, mktnb run) is gone when its end of the pipe
 *    closes or our parent pid changes (re-parented to init or a subreaper). The main thread may
 *    be busy and never see the IPC 'disconnect', so this thread ends the session: the kernel's
 *    process group (the kernel and the processes its cells started), then the kernel itself.
 */
import * as net from 'node:net';
import { workerData } from 'node:worker_threads';

/** What interrupt.ts hands the thread. */
export interface WatchdogData {
  /** the loop flag (Int32Array[1]): set to the id of the cell to stop */
  sab: SharedArrayBuffer;
  /** the id of the cell whose synchronous part runs in the vm now (Int32Array[1]), 0 otherwise */
  syncSab: SharedArrayBuffer;
  /** ms the loop checks get before SIGINT */
  sigintDelay: number;
  /** the interrupt pipe's fd, or -1 when the kernel was started without one */
  fd: number;
  /** the kernel's parent pid when it started */
  ppid: number;
  /** how often the parent pid is checked, ms */
  pollMs: number;
}

function parentGone(): void {
  if (process.platform !== 'win32') {
    try {
      process.kill(-process.pid, 'SIGKILL');
    } catch {
      /* not a group leader */
    }
  }
  try {
    process.kill(process.pid, 'SIGKILL');
  } catch {
    /* gone */
  }
}

function watch(data: WatchdogData): void {
  const flag = new Int32Array(data.sab);
  const syncRun = new Int32Array(data.syncSab);
  if (data.fd >= 0) {
    const sock = new net.Socket({ fd: data.fd, readable: true, writable: false });
    let buf = '';
    sock.setEncoding('utf8');
    sock.on('data', (d: string) => {
      buf += d;
      for (let i; (i = buf.indexOf('\n')) >= 0; buf = buf.slice(i + 1)) {
        const id = Number(buf.slice(0, i));
        if (id > 0) {
          Atomics.store(flag, 0, id);
          // breakOnSigint: long synchronous work outside the loop checks (e.g. in a package)
          if (process.platform !== 'win32')
            setTimeout(() => {
              if (Atomics.load(syncRun, 0) === id) process.kill(process.pid, 'SIGINT');
            }, data.sigintDelay);
        }
      }
    });
    sock.on('error', () => {});
    sock.on('end', parentGone);
    sock.on('close', parentGone);
  }
  const ppid0 = data.ppid;
  setInterval(() => {
    if (process.ppid !== ppid0) parentGone();
  }, data.pollMs);
}

watch(workerData as WatchdogData);
