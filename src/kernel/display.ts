/**
 * How the kernel shows a value (the last expression of a cell, or an argument of display()).
 *
 *  - a value with a [DISPLAY]() method (src/shared/schemas.ts) chooses its own output items;
 *    the kernel sends all of them (a text/plain item is added when the value gave none);
 *  - anything else is shown as text/plain with util.inspect (compact, no colours), as the
 *    Node REPL and Jupyter do: strings are shown quoted ('abc'), like Jupyter's repr;
 *    console.log prints them raw. display.text(s) / display.markdown(s) show s at once, as is.
 *    There is deliberately no display.html: VS Code's HTML renderer runs scripts, and a notebook
 *    shared with its outputs must never run script when a colleague opens it.
 *  - undefined as the last expression shows nothing (display(undefined) shows "undefined").
 */
import { inspect } from 'node:util';
import { DISPLAY, isDisplayable, MARKDOWN_MIME, TEXT_MIME, type OutputItem } from '../shared/schemas';

export const INSPECT_OPTIONS = {
  colors: false,
  depth: 4,
  maxArrayLength: 100,
  maxStringLength: 10_000,
  breakLength: 100,
  compact: 3,
} as const;

/** A value that shows a fixed list of output items (what display.text/markdown show). */
class RawOutput {
  constructor(private readonly items: OutputItem[]) {}
  [DISPLAY](): OutputItem[] {
    return this.items;
  }
}

export function rawOutput(mime: string, text: string): unknown {
  const items: OutputItem[] = [{ mime, data: String(text) }];
  if (mime !== TEXT_MIME) items.push({ mime: TEXT_MIME, data: String(text) });
  return new RawOutput(items);
}

export const markdown = (s: string) => rawOutput(MARKDOWN_MIME, s);
export const text = (s: string) => rawOutput(TEXT_MIME, s);

/** Symbols Node's async hooks put on promises (AsyncLocalStorage is on in the kernel). */
const HOOK_SYMBOLS = new Set(['async_id_symbol', 'trigger_async_id_symbol', 'kResourceStore']);

/** util.inspect as a cell's reader expects it: a promise without the kernel's bookkeeping. */
export function inspectValue(value: unknown): string {
  if (value instanceof Promise) {
    for (const s of Object.getOwnPropertySymbols(value)) {
      if (!HOOK_SYMBOLS.has(s.description ?? '')) continue;
      Reflect.defineProperty(value, s, { enumerable: false }); // false when frozen: nothing to hide then
    }
  }
  return inspect(value, INSPECT_OPTIONS);
}

export function toOutputItems(value: unknown): OutputItem[] {
  if (isDisplayable(value)) {
    let items: unknown;
    try {
      items = value[DISPLAY]();
    } catch (e) {
      return [
        {
          mime: TEXT_MIME,
          data: `${inspectValue(value)}\n(its [DISPLAY]() method threw: ${(e as Error)?.message ?? e})`,
        },
      ];
    }
    if (Array.isArray(items)) {
      const ok = items.filter(
        (i): i is OutputItem => !!i && typeof i === 'object' && typeof (i as Partial<OutputItem>).mime === 'string',
      );
      for (const i of ok) if (i.mime.startsWith('text/') && typeof i.data !== 'string') i.data = String(i.data);
      if (ok.length) {
        if (!ok.some((i) => i.mime === TEXT_MIME)) ok.push({ mime: TEXT_MIME, data: inspectValue(value) });
        return ok;
      }
    }
  }
  return [{ mime: TEXT_MIME, data: inspectValue(value) }];
}
