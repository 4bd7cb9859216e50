/**
 * How an output item's bytes are stored in a .mktnb file: JSON mimes as JSON values, text mimes
 * as strings, anything else as base64. Pure (TextEncoder/TextDecoder and btoa are in Node and browsers).
 *
 * Trust (docs/security.md): an output read from a file is data, never markup. Only the mimes in
 * SHOWN_MIMES reach VS Code's renderers; error items are re-created from their name, message and
 * stack as inert text (inertErrorText), markdown items lose the power to carry HTML
 * (inertMarkdown); anything else is shown as a plain text note and written back unchanged.
 */
import {
  CHART_MIME,
  ERROR_MIME,
  MARKDOWN_MIME,
  STDERR_MIME,
  STDOUT_MIME,
  TABLE_MIME,
  TEXT_MIME,
} from '../shared/schemas';
import type { MktnbOutputItem } from './types';

export function isJsonMime(mime: string): boolean {
  return mime === 'application/json' || mime.endsWith('+json') || mime === ERROR_MIME;
}

export function isTextMime(mime: string): boolean {
  return (
    mime.startsWith('text/') ||
    mime === STDOUT_MIME ||
    mime === STDERR_MIME ||
    mime.endsWith('+xml') ||
    mime === 'application/javascript'
  );
}

/**
 * The output mimes a notebook file may hand to VS Code's renderers unchanged: the project's own
 * chart and table types (drawn by our renderers, which sanitize), plain text, streams, markdown
 * (VS Code's markdown renderer sanitizes) and raster images. An allowlist, not a denylist: a
 * mime nobody thought of (VS Code's error type with HTML in its stack was one) is held.
 */
export const SHOWN_MIMES: ReadonlySet<string> = new Set([
  CHART_MIME,
  TABLE_MIME,
  TEXT_MIME,
  STDOUT_MIME,
  STDERR_MIME,
  MARKDOWN_MIME,
  'image/png',
  'image/jpeg',
]);

/** Whether a mime read from a file is shown as it is (see SHOWN_MIMES; errors are re-created). */
export function isShownMime(mime: string): boolean {
  return SHOWN_MIMES.has(mime);
}

/**
 * Mimes whose renderers run script (HTML, JavaScript, SVG). Kept for callers that describe why an
 * output is held; the decision itself is the allowlist above.
 */
export function isScriptCapable(mime: string): boolean {
  return /^(text\/html|application\/xhtml\+xml|(application|text)\/(x-)?javascript|application\/ecmascript|image\/svg\+xml)$/i.test(
    mime.trim(),
  );
}

/**
 * Text for VS Code's built-in error renderer that it cannot turn into markup, and that reads the
 * same. In a trusted workspace that renderer parses `<a href=…>…</a>` runs of a stack as HTML,
 * and turns Python-style "File x:1" / "Cell In [1]" / "Input In [1]" lines into links whose href
 * is built from the text (a quote in it adds attributes). HTML entities would not help: the rest
 * of the stack is shown as text nodes, so `&lt;` would appear literally. Instead a WORD JOINER
 * (U+2060, zero width, invisible) follows every '<' and '&' (an HTML parser then sees plain text:
 * '<' not followed by a letter opens no tag, '&' followed by it starts no entity) and the three
 * trigger words. restoreErrorText is the exact inverse, so files keep the original text.
 */
const WJ = '\u2060';
const INERT = /[<&]|File|Cell|Input/g;
const RESTORE = /([<&]|File|Cell|Input)\u2060/g;
export function inertErrorText(s: string): string {
  return s.replace(INERT, (m) => m + WJ);
}
export function restoreErrorText(s: string): string {
  return s.replace(RESTORE, '$1');
}

/**
 * Markdown for VS Code's markdown output renderer that holds no HTML. In a trusted workspace that
 * renderer runs markdown-it with `html: true` and puts the result into the page unsanitized, so an
 * `<img onerror>` in a stored (or kernel-made) text/markdown output would run. A WORD JOINER after
 * every '<' makes markdown-it see text instead of a tag (or an autolink) and reads the same;
 * restoreMarkdown is the exact inverse, applied when saving.
 */
export function inertMarkdown(s: string): string {
  return s.replace(/</g, '<\u2060');
}
export function restoreMarkdown(s: string): string {
  return s.replace(/<\u2060/g, '<');
}

/** The item VS Code gets for a stored or kernel-made item: errors and markdown made inert, the rest as is. */
export function displayItem(it: MktnbOutputItem): MktnbOutputItem {
  if (it.mime === ERROR_MIME)
    return { mime: ERROR_MIME, data: recreateError(typeof it.data === 'string' ? safeJson(it.data) : it.data) };
  if (it.mime === MARKDOWN_MIME)
    return {
      mime: MARKDOWN_MIME,
      data: inertMarkdown(typeof it.data === 'string' ? it.data : (JSON.stringify(it.data) ?? '')),
    };
  return it;
}

/** A VS Code error item's JSON, re-created from any value: three strings, nothing else. */
export function recreateError(
  v: unknown,
  transform: (s: string) => string = inertErrorText,
): { name: string; message: string; stack: string } {
  const o = (
    typeof v === 'object' && v !== null ? v : { message: typeof v === 'string' ? v : JSON.stringify(v) }
  ) as Record<string, unknown>;
  const str = (x: unknown) => (typeof x === 'string' ? x : x === undefined || x === null ? '' : JSON.stringify(x));
  const name = str(o.name) || 'Error';
  const message = str(o.message);
  const stack = str(o.stack) || `${name}: ${message}`;
  return { name: transform(name), message: transform(message), stack: transform(stack) };
}

/**
 * What a stored output shows in VS Code. `items` are the items to hand to VS Code; `rewritten`
 * says they differ from the stored ones (which the caller keeps aside and writes back unchanged).
 */
export function storedOutputForDisplay(items: MktnbOutputItem[]): { items: MktnbOutputItem[]; rewritten: boolean } {
  const foreign = items.filter((it) => it.mime !== ERROR_MIME && !isShownMime(it.mime));
  if (foreign.length) {
    const mimes = [...new Set(foreign.map((it) => it.mime))].join(', ');
    const why = foreign.some((it) => isScriptCapable(it.mime))
      ? 'it could run script'
      : 'Market Notebooks shows only its own output types from a file';
    const note = `[Market Notebooks: this output (${mimes}) was not rendered because ${why}. It is kept unchanged in the file; rerun the cell to see a fresh output.]`;
    return { items: [{ mime: TEXT_MIME, data: note }], rewritten: true };
  }
  if (items.some((it) => it.mime === ERROR_MIME || it.mime === MARKDOWN_MIME))
    return { items: items.map(displayItem), rewritten: true };
  return { items, rewritten: false };
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Bytes of an output item (as VS Code holds them) to the stored form. */
export function itemFromBytes(mime: string, bytes: Uint8Array): MktnbOutputItem {
  if (mime === ERROR_MIME) {
    // errors shown in VS Code carry inertErrorText; the file gets the original text back
    const text = dec.decode(bytes);
    try {
      return { mime, data: recreateError(JSON.parse(text), restoreErrorText) };
    } catch {
      return { mime, data: restoreErrorText(text) };
    }
  }
  if (isJsonMime(mime)) {
    const text = dec.decode(bytes);
    try {
      return { mime, data: JSON.parse(text) };
    } catch {
      return { mime, data: text };
    }
  }
  if (mime === MARKDOWN_MIME) return { mime, data: restoreMarkdown(dec.decode(bytes)) };
  if (isTextMime(mime)) return { mime, data: dec.decode(bytes) };
  return { mime, data: toBase64(bytes), encoding: 'base64' } as MktnbOutputItem;
}

/** Stored form to bytes. */
export function itemToBytes(item: MktnbOutputItem): Uint8Array {
  // a binary item is stored as base64 text with `encoding: 'base64'` beside its mime and data
  if ((item as { encoding?: unknown }).encoding === 'base64' && typeof item.data === 'string')
    return fromBase64(item.data);
  if (typeof item.data === 'string' && !isJsonMime(item.mime)) return enc.encode(item.data);
  return enc.encode(JSON.stringify(item.data));
}

function toBase64(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000));
  return btoa(s);
}
function fromBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
