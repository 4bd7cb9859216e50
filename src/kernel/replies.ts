/**
 * Requests the client sends a kernel besides cells (the Variables view's `variables`, outputs'
 * `outputRequest`): each gets an id the kernel's reply carries, a time limit, and an answer when
 * the kernel that was asked ends first. Used by client.ts.
 */
import type { Proc } from './kernelProcess';

export class Replies<T> {
  private seq = 0;
  private readonly open = new Map<number, { proc: Proc; resolve: (v: T) => void; timer: NodeJS.Timeout }>();

  /**
   * A new request to `proc`: `send(req)` sends it; the promise resolves with the reply (settle),
   * or with `late()` after `timeoutMs`.
   */
  ask(proc: Proc, timeoutMs: number, late: () => T, send: (req: number) => void): { req: number; reply: Promise<T> } {
    const req = ++this.seq;
    const reply = new Promise<T>((resolve) => {
      const timer = setTimeout(() => this.settle(req, late()), timeoutMs);
      this.open.set(req, { proc, resolve, timer });
      send(req);
    });
    return { req, reply };
  }

  /** Whether request `req` still waits for its answer. */
  waiting(req: number): boolean {
    return this.open.has(req);
  }

  /** Answers request `req` (the kernel's reply, a cancel); later answers are ignored. */
  settle(req: number, v: T): void {
    const o = this.open.get(req);
    if (!o) return;
    this.open.delete(req);
    clearTimeout(o.timer);
    o.resolve(v);
  }

  /** `proc` ended: its open requests are answered with `v`. */
  ended(proc: Proc, v: T): void {
    for (const [req, o] of this.open) if (o.proc === proc) this.settle(req, v);
  }
}
