/**
 * Reading and writing .mktnb files (format documented in docs/format.md). Pure: no Node APIs,
 * no vscode, so the serializer, the CLI and other tools share it.
 *
 * Writing is deterministic: known keys in a fixed order, every other object's keys sorted,
 * 2-space indent (growing to at most 200 spaces, so deep nesting stays linear in size), arrays of
 * plain values (numbers, short strings) kept on one line so a chart's data does not become
 * thousands of lines, and a final newline. The writer is iterative: any depth of nesting.
 *
 * Numbers a double cannot hold (1e400, 12345678901234567890, 1e-400, more than 17 significant
 * digits) are kept as written everywhere but in output items (which renderers read as values):
 * the reader gives them as { "$mktnb.number": "1e400" } (see RawNumber) and the writer writes
 * the text back unchanged (exactNumbers.ts).
 */
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { FORMAT_NAME, FORMAT_VERSION, type MktnbCell, type MktnbFile } from './types';
import { hasInexactNumber, isRawNumber, keepOutputNumbers, parseExact, RAW_NUMBER_KEY } from './exactNumbers';

export class NotebookFormatError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
    this.name = 'NotebookFormatError';
  }
}

const SUPPORTED_MAJOR = 1;

/**
 * The text of a .mktnb file's bytes, decoded as strict UTF-8: an invalid byte sequence is an
 * error naming its byte offset (and line), never a silent U+FFFD that a save would write back.
 */
export function decodeNotebookBytes(bytes: Uint8Array, file = 'notebook.mktnb'): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    let line = 1;
    for (let i = 0; i < at; i++) if (bytes[i] === 10) line++;
    const hex = Array.from(bytes.subarray(at, at + 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new NotebookFormatError(
      `${file}: not valid UTF-8 at byte offset ${at} (line ${line}: bytes ${hex}). Save the file as UTF-8. The file was not changed.`,
      file,
      line,
    );
  }
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence (RFC 3629). */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let n: number, min: number;
    if (c >= 0xc2 && c <= 0xdf) {
      n = 1;
      min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      min = 0x10000;
    } else return i;
    let cp = c & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const x = b[i + k];
      if (x === undefined || (x & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (x & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return b.length;
}

/** Parses the text of a .mktnb file. An empty (or all-whitespace) file is an empty notebook. */
export function parseNotebook(text: string, file = 'notebook.mktnb'): MktnbFile {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') return { format: FORMAT_NAME, version: FORMAT_VERSION, metadata: {}, cells: [] };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
    if (hasInexactNumber(text)) raw = keepOutputNumbers(parseExact(text));
  } catch (e) {
    // V8's message carries no position on Node 20; jsonc-parser (strict mode) finds the offset.
    const { line, column, reason } = locateJsonError(text, (e as Error).message);
    const where = line ? `line ${line}, column ${column}` : 'an unknown position';
    throw new NotebookFormatError(
      `${file}: not valid JSON at ${where}: ${reason}. The file was not changed.`,
      file,
      line,
      column,
    );
  }
  const fail = (msg: string): never => {
    throw new NotebookFormatError(`${file}: ${msg}. The file was not changed.`, file);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    fail('not a Market Notebook: the top level must be a JSON object with "format": "mktnb"');
  const nb = raw as Record<string, unknown>;
  if (nb.format !== FORMAT_NAME) {
    const hint = 'nbformat' in nb ? ' (this looks like a Jupyter .ipynb file)' : '';
    fail(`not a Market Notebook: "format" is ${JSON.stringify(nb.format)}, expected "${FORMAT_NAME}"${hint}`);
  }
  if (typeof nb.version !== 'string' || !/^\d+\.\d+$/.test(nb.version))
    fail(`"version" must be a string like "1.0" (got ${JSON.stringify(nb.version)})`);
  const major = Number((nb.version as string).split('.')[0]);
  if (major > SUPPORTED_MAJOR)
    fail(
      `format version ${nb.version} is newer than this version of Market Notebooks supports (${SUPPORTED_MAJOR}.x); update the extension to open it`,
    );
  if (!Array.isArray(nb.cells)) fail('"cells" must be an array');
  if (nb.metadata !== undefined && !isObject(nb.metadata)) fail('"metadata" must be an object');
  (nb.cells as unknown[]).forEach((c, i) => validateCell(c, i, fail));
  return nb as unknown as MktnbFile;
}

function validateCell(c: unknown, i: number, fail: (m: string) => never): void {
  const at = `cells[${i}]`;
  if (!isObject(c)) fail(`${at} must be an object`);
  const cell = c as Record<string, unknown>;
  if (cell.kind !== 'code' && cell.kind !== 'markdown')
    fail(`${at}.kind must be "code" or "markdown" (got ${JSON.stringify(cell.kind)})`);
  if (typeof cell.language !== 'string') fail(`${at}.language must be a string`);
  if (typeof cell.source === 'string') cell.source = (cell.source as string).split(/\r?\n/); // tolerate a single string
  if (!Array.isArray(cell.source) || !(cell.source as unknown[]).every((l) => typeof l === 'string'))
    fail(`${at}.source must be an array of lines (strings)`);
  if (cell.metadata !== undefined && !isObject(cell.metadata)) fail(`${at}.metadata must be an object`);
  if (cell.outputs !== undefined) {
    if (!Array.isArray(cell.outputs)) fail(`${at}.outputs must be an array`);
    (cell.outputs as unknown[]).forEach((o, j) => {
      if (!isObject(o) || !Array.isArray(o.items)) fail(`${at}.outputs[${j}] must be an object with an "items" array`);
      (o as { items: unknown[] }).items.forEach((it, k) => {
        if (!isObject(it) || typeof it.mime !== 'string')
          fail(`${at}.outputs[${j}].items[${k}] must have a "mime" string`);
      });
    });
  }
}

/** Serializes a notebook to its canonical text. */
export function serializeNotebook(nb: MktnbFile, opts: { saveOutputs?: boolean } = {}): string {
  const saveOutputs = opts.saveOutputs ?? true;
  const cells = nb.cells.map((c) => {
    const cell: MktnbCell = { ...c };
    if (!saveOutputs || cell.kind === 'markdown') {
      delete cell.outputs;
      delete cell.execution;
    }
    if (cell.outputs && cell.outputs.length === 0) delete cell.outputs;
    if (cell.metadata && Object.keys(cell.metadata).length === 0) delete cell.metadata;
    return ordered(cell, ['kind', 'language', 'source', 'metadata', 'execution', 'outputs']);
  });
  const top = ordered(
    { ...nb, format: FORMAT_NAME, version: nb.version || FORMAT_VERSION, metadata: nb.metadata ?? {}, cells },
    ['format', 'version', 'metadata', 'cells'],
  );
  return stringify(top, '') + '\n';
}

/** Splits cell text into source lines (no line breaks kept) and joins them back. */
export function toSourceLines(text: string): string[] {
  return text.split(/\r?\n/);
}
export function fromSourceLines(lines: string[]): string {
  return lines.join('\n');
}

// A marker for objects whose first keys come in a fixed order.
const ORDER = Symbol('order');
function ordered<T extends object>(o: T, keys: string[]): T {
  Object.defineProperty(o, ORDER, { value: keys, enumerable: false });
  return o;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const INLINE_WIDTH = 100;
/** indentation stops growing at this depth (200 spaces): 10,000 levels stay a few MB, not 100 */
const MAX_INDENT_DEPTH = 100;

function plainText(x: unknown): string {
  return isRawNumber(x) ? x[RAW_NUMBER_KEY] : (JSON.stringify(x ?? null) ?? 'null');
}

/** Iterative: a stack of pending pieces (text to write, or a value to write at an indent). */
function stringify(root: unknown, rootIndent: string): string {
  type Task = string | { v: unknown; depth: number; key: string };
  const out: string[] = [];
  const stack: Task[] = [{ v: root, depth: rootIndent.length / 2, key: '' }];
  const pad = (d: number) => '  '.repeat(Math.min(d, MAX_INDENT_DEPTH));
  while (stack.length) {
    const t = stack.pop()!;
    if (typeof t === 'string') {
      out.push(t);
      continue;
    }
    const { v, depth, key } = t;
    if (v === null || typeof v !== 'object' || isRawNumber(v)) {
      out.push(plainText(v));
      continue;
    }
    const indent = pad(depth),
      inner = pad(depth + 1);
    if (Array.isArray(v)) {
      if (v.length === 0) {
        out.push('[]');
        continue;
      }
      // Arrays of numbers / booleans / nulls stay on one line (chart data); so do short string arrays.
      const allPlain = v.every((x) => x === null || typeof x === 'number' || typeof x === 'boolean' || isRawNumber(x));
      if (allPlain) {
        out.push('[' + v.map(plainText).join(', ') + ']');
        continue;
      }
      // Source stays one line per line (diff-friendly); short labels and dates go on one line.
      const allShortStrings = key !== 'source' && v.every((x) => typeof x === 'string' && x.length <= 30);
      if (allShortStrings) {
        const one = '[' + v.map((x) => JSON.stringify(x)).join(', ') + ']';
        if (one.length + indent.length <= INLINE_WIDTH || v.length > 20) {
          out.push(one);
          continue;
        }
      }
      stack.push('\n' + indent + ']');
      for (let i = v.length - 1; i >= 0; i--) {
        stack.push({ v: v[i], depth: depth + 1, key: '' });
        stack.push((i === 0 ? '[\n' : ',\n') + inner);
      }
      continue;
    }
    const obj = v as Record<string | symbol, unknown>;
    const first = (obj[ORDER] as string[] | undefined) ?? [];
    const keys = [
      ...first.filter((k) => obj[k] !== undefined),
      ...Object.keys(obj)
        .filter((k) => !first.includes(k) && obj[k] !== undefined)
        .sort(),
    ];
    if (keys.length === 0) {
      out.push('{}');
      continue;
    }
    stack.push('\n' + indent + '}');
    for (let i = keys.length - 1; i >= 0; i--) {
      stack.push({ v: obj[keys[i]], depth: depth + 1, key: keys[i] });
      stack.push(`${i === 0 ? '{\n' : ',\n'}${inner}${JSON.stringify(keys[i])}: `);
    }
  }
  return out.join('');
}

/** Line, column (1-based) and a short reason for the first JSON syntax error in text. */
export function locateJsonError(text: string, fallback: string): { line?: number; column?: number; reason: string } {
  const errors: ParseError[] = [];
  parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (!errors.length) return { reason: fallback };
  const { offset, error } = errors[0];
  let line = 1,
    column = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      column = 1;
    } else column++;
  }
  const reasons: Record<string, string> = {
    InvalidSymbol: 'unexpected character',
    ValueExpected: 'a value is expected',
    PropertyNameExpected: 'a property name is expected',
    ColonExpected: 'a colon is expected',
    CommaExpected: 'a comma is expected',
    CloseBraceExpected: 'a closing } is expected',
    CloseBracketExpected: 'a closing ] is expected',
    EndOfFileExpected: 'unexpected content after the end',
    UnexpectedEndOfString: 'unterminated string',
    InvalidCommentToken: 'comments are not allowed',
    UnexpectedEndOfComment: 'comments are not allowed',
    InvalidEscapeCharacter: 'invalid escape in a string',
  };
  const code = printParseErrorCode(error);
  return { line, column, reason: reasons[code] ?? code };
}
