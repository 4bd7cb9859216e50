/**
 * Which kernel handles a notebook's outputs still hold (src/shared/output-requests.ts), so the
 * kernel can drop the data of outputs that are gone: "Clear All Outputs", a cleared or re-run
 * cell, a deleted cell. Plain Node (no vscode import): the controller hands in the output items.
 *
 * Only handles that were seen in the notebook and then vanished are released; a handle the
 * kernel made for an output still on its way to the notebook was never seen, so it is safe.
 */
import { CHART_MIME, TABLE_MIME } from '../shared/schemas';
import { isOutputHandle } from '../shared/output-requests';

interface Item {
  readonly mime: string;
  readonly data: Uint8Array;
}

const parsed = new WeakMap<Uint8Array, string[]>();

/** The handles of one output item (chart `live[].handle`, table `live.handle`). */
export function itemHandles(it: Item): string[] {
  if (it.mime !== CHART_MIME && it.mime !== TABLE_MIME) return [];
  const known = parsed.get(it.data);
  if (known) return known;
  let out: string[] = [];
  try {
    const text = new TextDecoder().decode(it.data);
    if (text.includes('"live"')) {
      const v = JSON.parse(text) as { live?: unknown };
      const live = v.live;
      const raw = Array.isArray(live)
        ? live.map((l) => (l as { handle?: unknown })?.handle)
        : [(live as { handle?: unknown } | undefined)?.handle];
      out = raw.filter(isOutputHandle);
    }
  } catch {
    /* not JSON: holds no handle */
  }
  parsed.set(it.data, out);
  return out;
}

export class OutputHandles {
  private seen = new Map<string, Set<string>>();

  /** The notebook's outputs now; returns the handles that were there before and are gone. */
  update(notebook: string, items: Iterable<Item>): string[] {
    const now = new Set<string>();
    for (const it of items) for (const h of itemHandles(it)) now.add(h);
    const before = this.seen.get(notebook);
    this.seen.set(notebook, now);
    return before ? [...before].filter((h) => !now.has(h)) : [];
  }

  forget(notebook: string): void {
    this.seen.delete(notebook);
  }
}
