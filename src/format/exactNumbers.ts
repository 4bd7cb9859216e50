/**
 * Numbers kept as written: a number token a double cannot hold (1e400, 12345678901234567890,
 * 1e-400, more than 17 significant digits) is read as { "$mktnb.number": "<its text>" } (a
 * RawNumber) by an exact JSON reader, so a save writes the text back unchanged. Output items
 * (which renderers read as values) get plain numbers again. Used by serialize.ts.
 */

/** The key of a number kept as written: { "$mktnb.number": "1e400" }. */
export const RAW_NUMBER_KEY = '$mktnb.number';
export interface RawNumber {
  [RAW_NUMBER_KEY]: string;
}
const NUMBER_TOKEN = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/** A number kept as its text (see RAW_NUMBER_KEY). */
export function isRawNumber(v: unknown): v is RawNumber {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  if (keys.length !== 1 || keys[0] !== RAW_NUMBER_KEY) return false;
  const text = (v as Partial<RawNumber>)[RAW_NUMBER_KEY];
  return typeof text === 'string' && NUMBER_TOKEN.test(text);
}

/** A number token whose value a double does not hold: what JSON.parse would silently change. */
function inexact(tok: string): boolean {
  const v = Number(tok);
  if (!Number.isFinite(v)) return true; // 1e400
  const m = /^-?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(tok);
  if (!m) return false;
  const digits = (m[1] + (m[2] ?? '')).replace(/^0+/, '').replace(/0+$/, '');
  if (digits.length > 17) return true; // more than a double's digits
  if (v === 0 && digits.length > 0) return true; // 1e-400 underflows to 0
  if (m[2] === undefined && m[3] === undefined && Math.abs(v) >= 2 ** 53) return BigInt(tok) !== BigInt(v); // 2^53 + 1
  return false;
}

/** Whether text may hold such a number (a cheap test first, then each number-like token). */
export function hasInexactNumber(text: string): boolean {
  if (!/\d{16}|[eE][+-]?\d{3}/.test(text)) return false;
  const re = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;
  for (let m; (m = re.exec(text));) {
    const t = m[0];
    if ((t.length >= 16 || /[eE][+-]?\d{3}/.test(t)) && inexact(t)) return true;
  }
  return false;
}

/**
 * JSON.parse that keeps inexact numbers as RawNumber objects. Iterative (any depth); used only
 * when hasInexactNumber says so, on text JSON.parse has already accepted.
 */
export function parseExact(text: string): unknown {
  let i = 0;
  const n = text.length;
  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };
  const str = (): string => {
    const s = i;
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 92) i += 2;
      else if (c === 34) break;
      else i++;
    }
    i++;
    return JSON.parse(text.slice(s, i)) as string;
  };
  const num = (): unknown => {
    const m = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    m.lastIndex = i;
    const tok = m.exec(text)![0];
    i += tok.length;
    return inexact(tok) ? { [RAW_NUMBER_KEY]: tok } : Number(tok);
  };
  type Frame = { c: unknown[] | Record<string, unknown>; key?: string };
  const stack: Frame[] = [];
  let result: unknown;
  const put = (v: unknown): void => {
    const top = stack[stack.length - 1];
    if (!top) {
      result = v;
      return;
    }
    if (Array.isArray(top.c)) top.c.push(v);
    else Object.defineProperty(top.c, top.key!, { value: v, enumerable: true, writable: true, configurable: true });
  };
  for (;;) {
    ws();
    const top = stack[stack.length - 1];
    if (top && !Array.isArray(top.c) && top.key === undefined) {
      // in an object, before a key: a key, or the end
      if (text[i] === '}') {
        i++;
        stack.pop();
        put(top.c);
      } else {
        if (text[i] === ',') {
          i++;
          ws();
        }
        top.key = str();
        ws();
        i++;
        /* : */ continue;
      }
    } else if (top && Array.isArray(top.c) && text[i] === ']') {
      i++;
      stack.pop();
      put(top.c);
    } else {
      if (top && Array.isArray(top.c) && text[i] === ',') {
        i++;
        ws();
      }
      const c = text[i];
      if (c === '{') {
        i++;
        stack.push({ c: {} });
        continue;
      }
      if (c === '[') {
        i++;
        stack.push({ c: [] });
        continue;
      }
      let v: unknown;
      if (c === '"') v = str();
      else if (c === 't') {
        v = true;
        i += 4;
      } else if (c === 'f') {
        v = false;
        i += 5;
      } else if (c === 'n') {
        v = null;
        i += 4;
      } else v = num();
      put(v);
    }
    const parent = stack[stack.length - 1];
    if (!parent) return result;
    if (!Array.isArray(parent.c)) parent.key = undefined;
  }
}

/** Output items are data for renderers: numbers there are plain numbers, as JSON.parse gives them. */
export function keepOutputNumbers(raw: unknown): unknown {
  type Parts = { cells?: unknown; outputs?: unknown; items?: unknown } | null | undefined;
  const cells = (raw as Parts)?.cells;
  if (!Array.isArray(cells)) return raw;
  for (const c of cells as unknown[]) {
    const outputs = (c as Parts)?.outputs;
    for (const o of Array.isArray(outputs) ? (outputs as unknown[]) : []) {
      const items = (o as Parts)?.items;
      if (!Array.isArray(items)) continue;
      // arrays and objects below the items: their entries by index or key
      const stack: object[] = [items];
      while (stack.length) {
        const v = stack.pop() as Record<string, unknown>;
        for (const k of Object.keys(v)) {
          const x = v[k];
          if (isRawNumber(x)) v[k] = Number(x[RAW_NUMBER_KEY]);
          else if (typeof x === 'object' && x !== null) stack.push(x);
        }
      }
    }
  }
  return raw;
}
