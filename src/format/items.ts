/**
 * How an output item's bytes are stored in a .mktnb file: JSON mimes as JSON values, text mimes
 * as strings, anything else as base64. Pure (TextEncoder/TextDecoder and btoa are in Node and browsers).
 */
import { ERROR_MIME, STDERR_MIME, STDOUT_MIME } from '../shared/schemas';
import type { MktnbOutputItem } from './types';

export function isJsonMime(mime: string): boolean {
  return mime === 'application/json' || mime.endsWith('+json') || mime === ERROR_MIME;
}

export function isTextMime(mime: string): boolean {
  return mime.startsWith('text/') || mime === STDOUT_MIME || mime === STDERR_MIME || mime.endsWith('+xml') || mime === 'application/javascript';
}

/**
 * Mimes whose renderers run script (HTML, JavaScript, SVG). The kernel never produces them; when a
 * notebook file holds them, viewers show them as inert text so opening a shared notebook never
 * runs script (the items are kept unchanged in the file).
 */
export function isScriptCapable(mime: string): boolean {
  return /^(text\/html|application\/xhtml\+xml|(application|text)\/(x-)?javascript|application\/ecmascript|image\/svg\+xml)$/i.test(mime.trim());
}

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Bytes of an output item (as VS Code holds them) to the stored form. */
export function itemFromBytes(mime: string, bytes: Uint8Array): MktnbOutputItem {
  if (isJsonMime(mime)) {
    const text = dec.decode(bytes);
    try { return { mime, data: JSON.parse(text) }; } catch { return { mime, data: text }; }
  }
  if (isTextMime(mime)) return { mime, data: dec.decode(bytes) };
  return { mime, data: toBase64(bytes), encoding: 'base64' } as MktnbOutputItem;
}

/** Stored form to bytes. */
export function itemToBytes(item: MktnbOutputItem): Uint8Array {
  if ((item as any).encoding === 'base64' && typeof item.data === 'string') return fromBase64(item.data);
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
