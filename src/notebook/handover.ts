/**
 * Handing a kernel session from an untitled notebook to the file it was saved as.
 *
 * VS Code (checked in 1.100 / code-server 4.100) saves an untitled notebook by closing the
 * untitled document and opening the file as a new document: the extension sees
 * onDidCloseNotebookDocument(untitled) and onDidOpenNotebookDocument(file), in either order, and
 * no event links the two. The link is made by content: the saved file holds the same cells
 * (kind, language, text) the untitled notebook had when it closed, within a few seconds. The
 * file's document may open empty and receive its cells a moment later, so an opened notebook's
 * signature is read when it is compared (and `opened` is called again when its cells change).
 *
 * Plain logic (no 'vscode' import), so it is tested on its own (test/unit/notebook/handover.test.ts).
 */

/** The cells of a notebook as far as the handover compares them. */
export interface CellsLike {
  getCells(): ReadonlyArray<{ kind: number; document: { languageId: string; getText(): string } }>;
}

/** A string equal for two notebooks exactly when their cells have equal kinds, languages and texts. */
export function cellsSignature(nb: CellsLike): string {
  return JSON.stringify(nb.getCells().map((c) => [c.kind, c.document.languageId, c.document.getText()]));
}

/** How long a closed untitled notebook's session waits for its saved file to open (and vice versa). */
export const HANDOVER_MS = 10_000;

interface Parked<S> {
  session: S;
  signature: string;
  timer: ReturnType<typeof setTimeout>;
}
interface Opened {
  key: string;
  signature: () => string;
  at: number;
}

export class SessionHandover<S> {
  private parked: Parked<S>[] = [];
  private opens: Opened[] = [];

  /** @param release called with a parked session nobody claimed in time (it is to be disposed) */
  constructor(
    private readonly release: (s: S) => void,
    private readonly waitMs = HANDOVER_MS,
    private readonly now = () => Date.now(),
  ) {}

  /**
   * An untitled notebook with a session closed. Returns the key of a file notebook that opened
   * moments ago with the same cells (the session goes to it); otherwise the session is parked
   * until such a notebook opens, or released after the wait.
   */
  closed(session: S, signature: string): string | undefined {
    this.expireOpens();
    const i = this.opens.findIndex((o) => {
      try {
        return o.signature() === signature;
      } catch {
        return false;
      }
    });
    if (i >= 0) return this.opens.splice(i, 1)[0].key;
    const entry: Parked<S> = {
      session,
      signature,
      timer: setTimeout(() => {
        this.parked = this.parked.filter((p) => p !== entry);
        this.release(session);
      }, this.waitMs),
    };
    (entry.timer as { unref?: () => void }).unref?.();
    this.parked.push(entry);
    return undefined;
  }

  /**
   * A file notebook without a session opened, or its cells changed. Returns a parked session of an untitled notebook
   * with the same cells (the most recently closed), or remembers the notebook for a while in case
   * the untitled one closes after it.
   */
  opened(key: string, signature: () => string): S | undefined {
    const now = this.parked.length ? signature() : undefined;
    for (let i = this.parked.length - 1; i >= 0; i--) {
      const p = this.parked[i];
      if (p.signature !== now) continue;
      clearTimeout(p.timer);
      this.parked.splice(i, 1);
      return p.session;
    }
    this.expireOpens();
    const known = this.opens.find((o) => o.key === key);
    if (known)
      known.signature = signature; // its cells arrived: keep the time it opened
    else this.opens.push({ key, signature, at: this.now() });
    return undefined;
  }

  private expireOpens(): void {
    const t = this.now();
    this.opens = this.opens.filter((o) => t - o.at < this.waitMs);
  }

  /** Releases every parked session. */
  dispose(): void {
    for (const p of this.parked.splice(0)) {
      clearTimeout(p.timer);
      this.release(p.session);
    }
    this.opens = [];
  }
}
