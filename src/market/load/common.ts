/**
 * What the readers of load() share: its options, its error, the parsed-columns shape every reader
 * returns, and the byte helpers of error messages (lines, character columns, quoting).
 */
import type { ColumnarFormat } from '../../data/files';
import type { BinanceFormat } from '../../data/binance';

export interface LoadOptions {
  /** name of the date column; default: the first of date, datetime, timestamp, time, day (case-insensitive) */
  dateColumn?: string;
  /** numeric columns to keep (default: every column but the date) */
  columns?: string[];
  /** unit of numeric (epoch) dates; default: seconds when every value is below 1e11, else milliseconds */
  dateUnit?: 's' | 'ms';
  /** what to do with several rows on one date: 'error' (default), keep the 'first' or the 'last' */
  duplicates?: 'error' | 'first' | 'last';
  /** rows out of date order: false (default) is an error naming the line, true sorts them (stable). A file entirely in descending order is always reversed (and says so in meta.notes). */
  sort?: boolean;
  /** field delimiter of CSV files; default ',' (';' and '\t' are detected from the header when it has no comma) */
  delimiter?: string;
  /** name of the result (default: the file name without extension, or the key in the record form) */
  name?: string;
  /** file format; default from the extension (.json → json, .parquet → parquet, .arrow/.feather → arrow, anything else → csv) */
  format?: 'csv' | 'json' | ColumnarFormat | BinanceFormat;
}

export const QUOTE = 34,
  CR = 13,
  LF = 10,
  SPACE = 32,
  TAB = 9;

/**
 * Error thrown by load(); `file`, `line` and `column` are set when known. Lines are 1-based
 * physical lines (LF, CRLF or a lone CR end one); columns are 1-based and count characters
 * (Unicode code points), not bytes: "file.csv:3:7" is the 7th character of line 3.
 */
export class LoadError extends Error {
  /** what `column` counts */
  readonly columnUnit = 'character';
  constructor(
    message: string,
    public file: string,
    public line?: number,
    public column?: number,
  ) {
    super(message);
    this.name = 'LoadError';
  }
}

/**
 * A value from a data file quoted for an error message: a JSON string literal, cut at 80
 * characters, with '<', '>' and '&' as \u escapes, so a crafted field carries no markup into
 * the notebook (where the error is shown and saved) and the message stays unambiguous.
 */
export function quoteField(text: string): string {
  const cut = text.length > 80 ? `${text.slice(0, 80)}…` : text;
  return JSON.stringify(cut).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

/** Tokens read as a missing value (NaN), besides a blank field: pandas' default NA strings plus FRED's ".". */
export const NA_TOKENS: ReadonlySet<string> = new Set([
  '',
  '.',
  'NaN',
  'nan',
  '-NaN',
  '-nan',
  'NA',
  'N/A',
  'n/a',
  '#N/A',
  '#N/A N/A',
  '#NA',
  'NULL',
  'null',
  '<NA>',
  'None',
  '-1.#IND',
  '1.#IND',
  '-1.#QNAN',
  '1.#QNAN',
]);

/** Column names taken as the date column, in this order (case-insensitive). */
export const DATE_NAMES = ['date', 'datetime', 'timestamp', 'time', 'day'];

export interface Parsed {
  index: Float64Array;
  names: string[];
  cols: Float64Array[];
  /** source line of each row (for errors about order and duplicates); 0 when unknown */
  lines?: Int32Array;
  /** source line of row i, for readers that keep no array of them (the CSV reader) */
  line?: (i: number) => number;
  /** textual description of where row i is, e.g. "line 12" or "record 3" */
  where: (i: number) => string;
  /** what the reader changed or decided, for meta.notes (duplicate column names renamed, encoding) */
  notes?: string[];
}

/** Source line of row i of a reader's rows, or undefined when the reader does not know it. */
export function rowLine(p: Parsed, i: number): number | undefined {
  return (p.line ? p.line(i) : p.lines?.[i]) || undefined;
}

/** 1-based line and character column of byte offset `at` (error paths only). */
export function byteLineCol(b: Uint8Array, at: number): { line: number; column: number } {
  let line = 1,
    ls = 0;
  for (let i = 0; i < at && i < b.length; i++) {
    const c = b[i];
    if (c === LF || (c === CR && b[i + 1] !== LF)) {
      line++;
      ls = i + 1;
    }
  }
  return { line, column: charColumn(b, ls, at) };
}

/** 1-based column in characters (code points) of byte offset `at` on the line starting at byte `lineStart`. */
export function charColumn(b: Uint8Array, lineStart: number, at: number): number {
  let k = 0;
  // count the bytes that start a UTF-8 sequence (not 10xxxxxx continuation bytes)
  for (let i = lineStart; i < at && i < b.length; i++) if ((b[i] & 0xc0) !== 0x80) k++;
  return k + 1;
}

export function latin1(b: Uint8Array, s: number, e: number): string {
  return Buffer.prototype.latin1Slice.call(b, s, e) as string;
}
export function utf8(b: Uint8Array, s: number, e: number): string {
  return Buffer.prototype.utf8Slice.call(b, s, e) as string;
}
