/**
 * Stream output of a cell, merged: consecutive writes to the same stream of the same cell are
 * delivered as one event, at most `ms` late (a cell printing 10,000 lines gives a few dozen
 * events, not 10,000). Any other output flushes first, so the order is kept. Used by client.ts.
 */
export class StreamMerge<K> {
  private pending: { key: K; name: 'stdout' | 'stderr'; text: string } | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly emit: (key: K, name: 'stdout' | 'stderr', text: string) => void,
    private readonly ms = 25,
  ) {}

  /** Adds a write of `key` (a cell) to `name`. */
  add(key: K, name: 'stdout' | 'stderr', text: string): void {
    const p = this.pending;
    if (p && p.key === key && p.name === name) p.text += text;
    else {
      this.flush();
      this.pending = { key, name, text };
    }
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.ms);
  }

  /** Delivers the merged text now (before other output, or when the cell ends). */
  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    this.emit(p.key, p.name, p.text);
  }
}
