/**
 * Variable names for the generated quick-analysis cells: a JavaScript identifier from a series
 * label that never shadows a reserved word, a library or JavaScript global, or a name the
 * generated cells declare themselves.
 */
import * as market from '../market/index';

/**
 * A JavaScript identifier from a label: "BTC-USD" -> "BTC_USD", "2x" -> "_2x". It never is a
 * reserved word, a literal, a global of the kernel (the analysis library's names, JavaScript's
 * own globals) or a name the generated cells declare themselves; those get a trailing "_".
 */
export function identifier(label: string, taken: Set<string> = new Set()): string {
  let id =
    label
      .replace(/\.[a-z]+$/i, '')
      .replace(/[^A-Za-z0-9_$]+/g, '_')
      .replace(/^_+|_+$/g, '') || 'series';
  if (/^[0-9]/.test(id)) id = '_' + id;
  if (isReservedName(id)) id = id + '_';
  let out = id,
    k = 2;
  while (taken.has(out) || isReservedName(out)) out = `${id}_${k++}`;
  taken.add(out);
  return out;
}

/** Whether a generated variable may not be named `id` (see identifier). */
export function isReservedName(id: string): boolean {
  return RESERVED.has(id) || LIBRARY_GLOBALS.has(id) || JS_GLOBALS.has(id) || id in globalThis;
}

/** Reserved words (also in strict mode and modules) and literals. */
const RESERVED = new Set([
  'break',
  'case',
  'catch',
  'class',
  'const',
  'continue',
  'debugger',
  'default',
  'delete',
  'do',
  'else',
  'enum',
  'export',
  'extends',
  'false',
  'finally',
  'for',
  'function',
  'if',
  'import',
  'in',
  'instanceof',
  'new',
  'null',
  'return',
  'super',
  'switch',
  'this',
  'throw',
  'true',
  'try',
  'typeof',
  'var',
  'void',
  'while',
  'with',
  'yield',
  'let',
  'static',
  'implements',
  'interface',
  'package',
  'private',
  'protected',
  'public',
  'await',
  'async',
  'of',
  'as',
  'from',
  'get',
  'set',
  'type',
  'declare',
  'namespace',
  'module',
  'abstract',
  'readonly',
  'keyof',
  'infer',
  'is',
  'asserts',
  'satisfies',
  'unique',
  'never',
  'unknown',
  'any',
  'symbol',
  'object',
  'number',
  'string',
  'boolean',
  'bigint',
  'undefined',
  'NaN',
  'Infinity',
  'arguments',
  'eval',
  // names the generated cells declare
  'data',
  'prices',
  'aligned',
  'ohlc',
  'book',
  'impact',
  'replay',
  'rc',
  'cc',
]);
/** The analysis library's names: globals in every cell, plus the kernel's own (display, mktnb). */
export const LIBRARY_GLOBALS: ReadonlySet<string> = new Set([...Object.keys(market), 'display', 'mktnb', 'window']);
/** JavaScript's and Node's globals (also when the generating process is not the kernel). */
const JS_GLOBALS = new Set([
  'globalThis',
  'console',
  'process',
  'require',
  'exports',
  'Buffer',
  'setTimeout',
  'setInterval',
  'clearTimeout',
  'clearInterval',
  'queueMicrotask',
  'Math',
  'Date',
  'JSON',
  'Object',
  'Array',
  'Number',
  'String',
  'Boolean',
  'Symbol',
  'BigInt',
  'Promise',
  'Error',
  'TypeError',
  'RangeError',
  'Map',
  'Set',
  'WeakMap',
  'WeakSet',
  'RegExp',
  'Function',
  'Reflect',
  'Proxy',
  'Intl',
  'Atomics',
  'fetch',
  'URL',
  'structuredClone',
  'isNaN',
  'isFinite',
  'parseInt',
  'parseFloat',
  'encodeURIComponent',
  'decodeURIComponent',
  'escape',
  'unescape',
  'self',
  'global',
  '__dirname',
  '__filename',
]);
