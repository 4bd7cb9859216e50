/**
 * load() of Binance public-data files (data.binance.vision): klines, aggTrades and trades of spot
 * and USD-M futures, as CSV or as the zip archives Binance publishes (one CSV each), one file or a
 * glob of monthly/daily files concatenated in date order. Recognised by name
 * (SYMBOL-1m-2024-01.zip, SYMBOL-aggTrades-2024-01-15.csv, …) and shape (column count, header),
 * or forced with { format: 'binance-klines' | 'binance-aggTrades' | 'binance-trades' }.
 *
 * Column layouts (Binance's documentation of the public data):
 *   klines:    open_time, open, high, low, close, volume, close_time, quote_volume, count,
 *              taker_buy_volume, taker_buy_quote_volume, ignore          (futures: with this header)
 *   aggTrades: agg_trade_id, price, quantity, first_trade_id, last_trade_id, transact_time,
 *              is_buyer_maker, [is_best_match: spot only]                 (futures: with a header)
 *   trades:    id, price, qty, quote_qty, time, is_buyer_maker, [is_best_match: spot only]
 * Spot files from 2025-01-01 on carry times in microseconds, older ones and futures in
 * milliseconds: the unit is detected per file (by magnitude) and said in meta.notes.
 *
 * (Over 300 lines on purpose: one file format's loader, recognising its files by name and shape
 * and reading them, with the layouts table it needs in both.)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Frame, formatTime, type SeriesMeta } from '../market/series';
import { LoadError, resolveDataPath, type LoadOptions } from '../market/load';
import { runtime } from '../market/context';
import { querySync } from './sync';
import { quoteLiteral } from './sqlText';

export type BinanceKind = 'klines' | 'aggTrades' | 'trades';
export type BinanceFormat = `binance-${BinanceKind}`;

const NAME = /^([A-Z0-9]+)-(\d+[smhdwM]|aggTrades|trades)-(\d{4}-\d{2}(?:-\d{2})?)\.(csv|zip)$/;
const INTERVAL_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

const LAYOUT: Record<BinanceKind, { time: string; cols: string[]; bool: string[]; spotExtra?: string }> = {
  klines: {
    time: 'open_time',
    cols: [
      'open_time',
      'open',
      'high',
      'low',
      'close',
      'volume',
      'close_time',
      'quote_volume',
      'count',
      'taker_buy_volume',
      'taker_buy_quote_volume',
      'ignore',
    ],
    bool: [],
  },
  aggTrades: {
    time: 'transact_time',
    cols: ['agg_trade_id', 'price', 'quantity', 'first_trade_id', 'last_trade_id', 'transact_time', 'is_buyer_maker'],
    bool: ['is_buyer_maker'],
    spotExtra: 'is_best_match',
  },
  trades: {
    time: 'time',
    cols: ['id', 'price', 'qty', 'quote_qty', 'time', 'is_buyer_maker'],
    bool: ['is_buyer_maker'],
    spotExtra: 'is_best_match',
  },
};

interface FileInfo {
  file: string;
  kind?: BinanceKind;
  symbol?: string;
  interval?: string;
  period?: string;
}

function parseName(file: string): FileInfo {
  const m = NAME.exec(path.basename(file));
  if (!m) return { file };
  const kind: BinanceKind = m[2] === 'aggTrades' ? 'aggTrades' : m[2] === 'trades' ? 'trades' : 'klines';
  return { file, kind, symbol: m[1], interval: kind === 'klines' ? m[2] : undefined, period: m[3] };
}

const isGlob = (p: string) => /[*?]/.test(p);

/** Whether load() should read `file` as Binance public data (by the format option or by name). */
export function isBinance(file: string, options: LoadOptions): boolean {
  if (typeof options.format === 'string') return options.format.startsWith('binance-');
  if (!isGlob(file)) return !!parseName(file).kind;
  // a glob: by the names of the files it matches
  let files: string[];
  try {
    files = expand(file);
  } catch {
    return false;
  }
  return files.some((f) => !!parseName(f).kind);
}

/** The files a glob names (only the file-name part may hold * and ?), sorted by the period in their names. */
function expand(pattern: string): string[] {
  const abs = path.resolve(runtime.baseDir, pattern);
  const dir = path.dirname(abs);
  if (isGlob(dir)) throw new LoadError(`load("${pattern}"): only the file name may hold * or ?, not the folders`, abs);
  const re = new RegExp(
    `^${path
      .basename(abs)
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  const files = fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((n) => re.test(n))
        .map((n) => path.join(dir, n))
    : [];
  if (!files.length) throw new LoadError(`load("${pattern}"): no file matches ${abs}`, abs);
  const key = (f: string) => parseName(f).period ?? path.basename(f);
  return files.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** The first line of a CSV, or of the single CSV in a zip (for the header and column count). */
function firstLine(file: string): string {
  if (file.toLowerCase().endsWith('.zip')) {
    const { unzipSync } = require('fflate') as typeof import('fflate');
    const entries = unzipSync(fs.readFileSync(file), { filter: (f) => !f.name.endsWith('/') });
    const names = Object.keys(entries);
    if (names.length !== 1)
      throw new LoadError(`${file}: the archive holds ${names.length} files; a Binance archive holds one CSV`, file);
    return new TextDecoder().decode(entries[names[0]].subarray(0, 4096)).split(/\r?\n/)[0];
  }
  const fd = fs.openSync(file, 'r');
  try {
    const b = Buffer.alloc(4096);
    const n = fs.readSync(fd, b, 0, b.length, 0);
    return b.subarray(0, n).toString('utf8').split(/\r?\n/)[0];
  } finally {
    fs.closeSync(fd);
  }
}

interface Part {
  index: Float64Array;
  cols: Float64Array[];
  names: string[];
  unit: 'ms' | 'us';
  header: boolean;
  market: 'spot' | 'futures';
}

function readOne(info: FileInfo, kind: BinanceKind): Part {
  const f = info.file;
  const line = firstLine(f);
  const fields = line.split(',');
  const header = fields.length > 0 && !/^-?\d/.test(fields[0].trim());
  const L = LAYOUT[kind];
  const n = fields.length;
  const names = n === L.cols.length + 1 && L.spotExtra ? [...L.cols, L.spotExtra] : L.cols;
  if (n !== names.length) {
    throw new LoadError(
      `${f}:1: ${n} columns, but Binance ${kind} files have ${L.cols.length}${L.spotExtra ? ` (futures) or ${L.cols.length + 1} (spot)` : ''}; pass { format: 'binance-…' } with the right kind`,
      f,
      1,
    );
  }
  const market = header ? 'futures' : 'spot';
  const columns = `{${names.map((c) => `'${c}': '${L.bool.includes(c) || c === 'is_best_match' ? 'BOOLEAN' : c === L.time || c === 'close_time' || /id$/.test(c) ? 'BIGINT' : 'DOUBLE'}'`).join(', ')}}`;
  const keep = names.filter((c) => c !== 'ignore' && c !== 'is_best_match');
  const src = `read_csv(${info.file.toLowerCase().endsWith('.zip') ? '$FILE' : quoteLiteral(f)}, header = ${header}, columns = ${columns}, delim = ',', quote = '', auto_detect = false)`;
  let r;
  try {
    r = querySync({
      sql: `SELECT ${keep.map((c) => `"${c}"`).join(', ')} FROM ${src}`,
      ...(f.toLowerCase().endsWith('.zip') ? { zip: f } : {}),
    });
  } catch (e) {
    throw new LoadError(
      `${f}: not a Binance ${kind} file DuckDB can read: ${(e as Error).message.split('\n').slice(0, 2).join(' ')}`,
      f,
    );
  }
  const ti = keep.indexOf(L.time);
  const t = r.cols[ti];
  let max = 0;
  for (let i = 0; i < t.length; i++) if (t[i] > max) max = t[i];
  const unit = max >= 1e14 ? 'us' : 'ms';
  const toMs = (a: Float64Array) => {
    if (unit === 'us') for (let i = 0; i < a.length; i++) a[i] /= 1000;
    return a;
  };
  const index = toMs(t);
  const cols: Float64Array[] = [];
  const outNames: string[] = [];
  keep.forEach((c, j) => {
    if (j === ti) return;
    cols.push(c === 'close_time' ? toMs(r.cols[j]) : r.cols[j]);
    outNames.push(c);
  });
  return { index, cols, names: outNames, unit, header, market };
}

/** Reads one Binance file or a glob of them into a Frame (index: open time / trade time, epoch ms). */
export function loadBinance(file: string, options: LoadOptions): Frame {
  const files = isGlob(file) ? expand(file) : [resolveDataPath(file)];
  const infos = files.map(parseName);
  const forced =
    typeof options.format === 'string' && options.format.startsWith('binance-')
      ? (options.format.slice(8) as BinanceKind)
      : undefined;
  if (forced && !LAYOUT[forced])
    throw new LoadError(
      `load("${file}"): unknown format "${options.format}"; use binance-klines, binance-aggTrades or binance-trades`,
      files[0],
    );
  const kinds = new Set(infos.map((i) => forced ?? i.kind));
  if (kinds.size !== 1 || kinds.has(undefined)) {
    throw new LoadError(
      `load("${file}"): ${kinds.has(undefined) ? `${infos.find((i) => !i.kind)!.file} is not named like a Binance file (SYMBOL-1m-2024-01.zip, SYMBOL-aggTrades-…, SYMBOL-trades-…); pass { format: 'binance-klines' } (or -aggTrades, -trades)` : `the files mix ${[...kinds].join(' and ')}`}`,
      files[0],
    );
  }
  const kind = [...kinds][0] as BinanceKind;
  const intervals = new Set(infos.map((i) => i.interval).filter(Boolean));
  if (intervals.size > 1)
    throw new LoadError(`load("${file}"): the files mix intervals ${[...intervals].join(', ')}`, files[0]);
  const interval = [...intervals][0];
  const step = interval ? Number(interval.slice(0, -1)) * (INTERVAL_MS[interval.slice(-1)] ?? NaN) : NaN;

  const parts = infos.map((i) => readOne(i, kind));
  const notes: string[] = [];
  const units = parts.map((p, k) => `${path.basename(files[k])}: ${p.unit === 'us' ? 'microseconds' : 'milliseconds'}`);
  notes.push(
    parts.every((p) => p.unit === parts[0].unit)
      ? `times in ${parts[0].unit === 'us' ? 'microseconds' : 'milliseconds'} in the file${files.length > 1 ? 's' : ''} (converted to epoch ms)`
      : `time units per file (converted to epoch ms): ${units.join(', ')}`,
  );
  // concatenation in date order; rows of a file at or before the previous file's last time overlap and are dropped
  let total = 0;
  const keepFrom: number[] = [];
  let lastT = -Infinity;
  parts.forEach((p, k) => {
    let s = 0;
    const strict = kind === 'klines';
    while (s < p.index.length && (strict ? p.index[s] <= lastT : p.index[s] < lastT)) s++;
    if (s > 0)
      notes.push(
        `overlap: ${s} row${s === 1 ? '' : 's'} of ${path.basename(files[k])} (${formatTime(p.index[0])} .. ${formatTime(p.index[s - 1])}) repeat the previous file and were dropped`,
      );
    if (k > 0 && s < p.index.length && Number.isFinite(step) && p.index[s] - lastT > step) {
      const missing = Math.round((p.index[s] - lastT) / step) - 1;
      notes.push(
        `gap: ${missing} ${interval} bar${missing === 1 ? '' : 's'} missing between ${formatTime(lastT)} (${path.basename(files[k - 1])}) and ${formatTime(p.index[s])} (${path.basename(files[k])})`,
      );
    }
    keepFrom.push(s);
    total += p.index.length - s;
    if (p.index.length) lastT = Math.max(lastT, p.index[p.index.length - 1]);
  });
  const index = new Float64Array(total);
  const cols = parts[0].names.map(() => new Float64Array(total));
  let off = 0;
  parts.forEach((p, k) => {
    const s = keepFrom[k];
    index.set(p.index.subarray(s), off);
    p.cols.forEach((c, j) => cols[j].set(c.subarray(s), off));
    off += p.index.length - s;
  });
  for (let i = 1; i < total; i++) {
    if (index[i] < index[i - 1])
      throw new LoadError(
        `${file}: times go back at row ${i + 1} (${formatTime(index[i])} after ${formatTime(index[i - 1])})`,
        files[0],
      );
  }
  if (Number.isFinite(step)) {
    let inner = 0;
    for (let i = 1; i < total; i++)
      if (index[i] - index[i - 1] > step) inner += Math.round((index[i] - index[i - 1]) / step) - 1;
    const between = notes.filter((n) => n.startsWith('gap:')).reduce((a, n) => a + Number(/gap: (\d+)/.exec(n)![1]), 0);
    if (inner > between)
      notes.push(`${inner - between} ${interval} bar${inner - between === 1 ? '' : 's'} missing inside the files`);
  }
  const first = infos[0];
  const name =
    options.name ??
    (first.symbol
      ? `${first.symbol}${interval ? `-${interval}` : `-${kind}`}`
      : path.basename(files[0]).replace(/\.[^.]*$/, ''));
  const meta: SeriesMeta = {
    source: isGlob(file) ? path.resolve(runtime.baseDir, file) : files[0],
    name,
    calendar: 'crypto',
    format: `binance-${kind}`,
    market: parts[0].market,
    files: files.map((f) => path.basename(f)),
    notes,
    ...(first.symbol ? { symbol: first.symbol } : {}),
    ...(interval ? { interval } : {}),
  };
  const record: Record<string, Float64Array> = {};
  parts[0].names.forEach((n, j) => {
    record[n] = cols[j];
  });
  return new Frame(index, record, meta);
}
