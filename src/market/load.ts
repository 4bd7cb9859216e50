/**
 * load(): the only I/O of the analysis library. Reads CSV and JSON (array of records) files
 * with a date column into Series (date,value files) or Frames (several numeric columns,
 * e.g. OHLCV, whose default series is the close).
 *
 * Why a hand-written CSV reader instead of udsv or papaparse: bench/load.mjs measures all
 * three on the same 1,000,000-row (66 MB) OHLCV file, each producing the same Float64Array
 * columns and epoch-ms dates. CPU time on this machine: this reader ~0.22 s, udsv 0.7
 * typedCols ~0.85 s (~3.8x), papaparse 5 fastMode ~2 s (8-10x), pandas read_csv ~0.6 s. The libraries
 * first build a JS string of the whole file and then strings (or untyped numbers) per field,
 * and neither can say on which line and column a bad value was. Scanning the bytes once and
 * converting numbers and dates in place is both what meets the 0.5 s target and what gives
 * exact "file:line:column" errors. Quoted fields (RFC 4180, "" escapes, newlines inside quotes)
 * are handled; numbers use the exact Clinger fast path (<= 15 significant digits and a
 * power of ten <= 22, where one IEEE division is correctly rounded) and fall back to
 * Number() on the text otherwise, so every value is bit-identical to Number(text).
 */
import { readFileSync, existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { Frame, Series } from './series';
import { displayPath, runtime } from './context';
// columnar files (Parquet through DuckDB, Arrow IPC through apache-arrow) are read in src/data
import { columnarFormat, readArrow, readParquet } from '../data/files';
// Binance public-data dumps (klines, aggTrades, trades; zip; globs of monthly files)
import { isBinance, loadBinance } from '../data/binance';
import { LoadError, byteLineCol, type LoadOptions } from './load/common';
import { parseCsv } from './load/csv';
import { parseJson } from './load/json';
import { finish } from './load/order';

// the readers live in ./load/: common.ts (options, errors), csv.ts (the scanner), fastRows.ts (its
// loop for rows of the common shape), numbers.ts (numbers from bytes, the fast paths), dates.ts (ISO
// dates from bytes), json.ts, order.ts (order and duplicates policy, the result)
export { LoadError, NA_TOKENS, quoteField, type LoadOptions, type Parsed } from './load/common';
export { detectCalendar } from './load/order';

/** What load() returns for one file: a Series for date,value files, a Frame for several numeric columns. */
export type Loaded = Series | Frame;

/**
 * Loads one file, or several ({ NAME: path }) into a record of the same shape. A file with one
 * value column becomes a Series, one with several a Frame (default series: close); dates become
 * the epoch-ms index, in ascending order (a descending file is reversed; other disorder is an
 * error unless { sort: true }), one row per date unless { duplicates } says which to keep.
 * Reads CSV, JSON (array of records), Parquet, Arrow/Feather and Binance public-data dumps
 * (docs/data.md). Relative paths resolve against runtime.baseDir (the notebook's folder).
 * pandas: `pd.read_csv(path, parse_dates=['date'], index_col='date')` (plus the checks above).
 * @param file a path, or a record { NAME: path } of several
 * @param options date column, columns, unit of epoch dates, duplicates and order policy, delimiter, name, format
 * @returns a Series or a Frame (meta: source, name, calendar, notes), or a record of them
 * @example
 * load('data/BTC-USD.csv').names // => ["open", "high", "low", "close", "volume"]
 * @example
 * load('data/GLD.csv').meta.calendar // => "exchange"
 * @example
 * Object.keys(load({ btc: 'data/BTC-USD.csv', gld: 'data/GLD.csv' })) // => ["btc", "gld"]
 */
export function load(file: string, options?: LoadOptions): Loaded;
export function load<K extends string>(files: Record<K, string>, options?: LoadOptions): Record<K, Loaded>;
export function load(
  file: string | Record<string, string>,
  options: LoadOptions = {},
): Loaded | Record<string, Loaded> {
  if (typeof file === 'string') return loadOne(file, options);
  if (typeof file !== 'object' || file === null)
    throw new TypeError('load(path) or load({ NAME: path, ... }) expected');
  const out: Record<string, Loaded> = {};
  for (const [k, p] of Object.entries(file)) out[k] = loadOne(p, { ...options, name: k });
  return out;
}

/**
 * Resolves a path as load() does (against runtime.baseDir, the notebook's folder) and, when it is
 * missing or not a file, throws the LoadError load() throws (naming the absolute path tried).
 * pandas: none (os.path.abspath plus a check).
 * @param file a path, relative to the notebook's folder or absolute
 * @returns the absolute path of an existing file
 * @example
 * resolveDataPath('data/BTC-USD.csv').endsWith('data/BTC-USD.csv') // => true
 */
export function resolveDataPath(file: string): string {
  const abs = path.resolve(runtime.baseDir, file);
  if (!existsSync(abs) || !statSync(abs).isFile()) {
    const where = runtime.notebookPath
      ? `relative to the notebook ${runtime.notebookPath} (folder ${runtime.baseDir})`
      : `relative to the working directory ${runtime.baseDir} (no notebook)`;
    const what = existsSync(abs) ? 'is not a file' : 'not found';
    throw new LoadError(
      `load("${file}"): ${what}: ${abs}\n  the path was resolved ${where}; fetch the file to that place or fix the path`,
      abs,
    );
  }
  return abs;
}

function loadOne(file: string, options: LoadOptions): Loaded {
  if (isBinance(file, options)) return loadBinance(file, options);
  const abs = resolveDataPath(file);
  const columnar =
    options.format === 'parquet' || options.format === 'arrow'
      ? options.format
      : options.format
        ? undefined
        : columnarFormat(abs);
  if (columnar) {
    const name = options.name ?? path.basename(abs).replace(/\.[^.]*$/, '');
    return finish(columnar === 'parquet' ? readParquet(abs, options) : readArrow(abs, options), abs, name, options);
  }
  const fmt = options.format ?? (abs.toLowerCase().endsWith('.json') ? 'json' : 'csv');
  const name = options.name ?? path.basename(abs).replace(/\.[^.]*$/, '');
  const { buf, notes } = asUtf8Text(readFileSync(abs), displayPath(abs));
  // messages name the file as outputs show paths: relative to the notebook (no /home/<user>/… in saved errors)
  const shown = displayPath(abs);
  const parsed = fmt === 'json' ? parseJson(buf, shown, options) : parseCsv(buf, shown, options);
  (parsed.notes ??= []).unshift(...notes);
  return finish(parsed, abs, name, options);
}

/**
 * The file's bytes as UTF-8 text. UTF-16 (LE or BE, with its byte-order mark) is decoded; UTF-32
 * is refused by name; a file with NUL bytes and no such mark is "not a text file" (a spreadsheet,
 * an archive, Parquet …): the message never quotes its bytes.
 */
function asUtf8Text(buf: Buffer, file: string): { buf: Buffer; notes: string[] } {
  const b0 = buf[0],
    b1 = buf[1];
  if (
    (b0 === 0xff && b1 === 0xfe && buf[2] === 0 && buf[3] === 0) ||
    (b0 === 0 && b1 === 0 && buf[2] === 0xfe && buf[3] === 0xff)
  ) {
    throw new LoadError(
      `${file}: the file is UTF-32 text (byte-order mark ${b0 === 0 ? '00 00 FE FF' : 'FF FE 00 00'}), which load() does not read; save it as UTF-8`,
      file,
    );
  }
  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff)) {
    const enc = b0 === 0xff ? 'utf-16le' : 'utf-16be';
    let text: string;
    try {
      text = new TextDecoder(enc, { fatal: true }).decode(buf.subarray(2));
    } catch {
      throw new LoadError(
        `${file}: the file starts with a ${enc.toUpperCase()} byte-order mark but is not valid ${enc.toUpperCase()} text`,
        file,
      );
    }
    return { buf: Buffer.from(text, 'utf8'), notes: [`decoded from ${enc.toUpperCase()} (byte-order mark)`] };
  }
  const probe = buf.subarray(0, 65536);
  const nul = probe.indexOf(0);
  if (nul >= 0) {
    const kind =
      buf[0] === 0x50 && buf[1] === 0x4b
        ? ' (it looks like a ZIP archive or an Excel .xlsx file)'
        : buf.subarray(0, 4).toString('latin1') === 'PAR1'
          ? ' (it looks like a Parquet file)'
          : buf[0] === 0xd0 && buf[1] === 0xcf
            ? ' (it looks like an old Excel .xls file)'
            : '';
    const { line, column } = byteLineCol(buf, nul);
    throw new LoadError(
      `${file}: not a text file${kind}: it has a NUL byte at line ${line}, column ${column}; load() reads CSV and JSON text (UTF-8 or UTF-16 with a byte-order mark)`,
      file,
      line,
      column,
    );
  }
  return { buf, notes: [] };
}
