/**
 * load() of columnar files: Parquet (read by DuckDB in the data worker) and Arrow IPC
 * (.arrow/.feather, read by apache-arrow), into the same Series/Frame as CSV with meta. The date
 * column is chosen as for CSV (options.dateColumn, else date/datetime/timestamp/time/day, else the
 * first DATE/TIMESTAMP column); numeric epoch columns are read in s/ms/µs/ns by magnitude.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LoadOptions, Parsed } from '../market/load';
import { LoadError } from '../market/load';
import { querySync } from './sync';
import { quoteLiteral, quoteIdent } from './sqlText';

export type ColumnarFormat = 'parquet' | 'arrow';

const DATE_NAMES = ['date', 'datetime', 'timestamp', 'time', 'day', 'ts', 'open_time'];
const NUMERIC =
  /^(DOUBLE|FLOAT|REAL|TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|BOOLEAN|DECIMAL\(\d+,\d+\))$/;
const TIME = /^(DATE|TIMESTAMP(_S|_MS|_NS)?|TIMESTAMP WITH TIME ZONE)$/;

/** The columnar format of a path by its extension (undefined: not columnar). */
export function columnarFormat(file: string): ColumnarFormat | undefined {
  const ext = path.extname(file).toLowerCase();
  return ext === '.parquet' || ext === '.pq'
    ? 'parquet'
    : ext === '.arrow' || ext === '.feather' || ext === '.ipc'
      ? 'arrow'
      : undefined;
}

interface Col {
  name: string;
  type: string;
  time: boolean;
  numeric: boolean;
}

function pickColumns(file: string, cols: Col[], options: LoadOptions): { date: Col; keep: Col[] } {
  let date: Col | undefined;
  if (options.dateColumn) {
    date =
      cols.find((c) => c.name === options.dateColumn) ??
      cols.find((c) => c.name.toLowerCase() === options.dateColumn!.toLowerCase());
    if (!date)
      throw new LoadError(
        `${file}: no column "${options.dateColumn}" (dateColumn); the columns are: ${cols.map((c) => c.name).join(', ')}`,
        file,
      );
  } else {
    date =
      DATE_NAMES.map((n) => cols.find((c) => c.name.toLowerCase() === n && (c.time || c.numeric))).find(Boolean) ??
      cols.find((c) => c.time);
    if (!date)
      throw new LoadError(
        `${file}: no date column (none named ${DATE_NAMES.join(', ')} and no DATE/TIMESTAMP column); pass { dateColumn: '…' }. The columns are: ${cols.map((c) => `${c.name} ${c.type}`).join(', ')}`,
        file,
      );
  }
  if (!date.time && !date.numeric)
    throw new LoadError(
      `${file}: the date column "${date.name}" is ${date.type}; it must be a DATE, a TIMESTAMP or epoch numbers`,
      file,
    );
  let keep = cols.filter((c) => c !== date);
  if (options.columns) {
    keep = options.columns.map((n) => {
      const c = cols.find((x) => x.name === n);
      if (!c)
        throw new LoadError(
          `${file}: no column "${n}" (columns); the columns are: ${cols.map((x) => x.name).join(', ')}`,
          file,
        );
      return c;
    });
  }
  const bad = keep.find((c) => !c.numeric && !c.time);
  if (bad)
    throw new LoadError(
      `${file}: column "${bad.name}" is ${bad.type}, not numeric${options.columns ? '' : '; pass { columns: [...] } to load only numeric columns'}`,
      file,
    );
  if (!keep.length) throw new LoadError(`${file}: no numeric column besides the date column "${date.name}"`, file);
  return { date, keep };
}

/** Epoch numbers → ms: the unit from options.dateUnit, else by magnitude (s < 1e11 ≤ ms < 1e14 ≤ µs < 1e17 ≤ ns). */
export function epochToMs(
  index: Float64Array,
  unit?: 's' | 'ms' | 'us' | 'ns',
): { index: Float64Array; unit: 's' | 'ms' | 'us' | 'ns' } {
  let max = 0;
  for (let i = 0; i < index.length; i++) {
    const a = Math.abs(index[i]);
    if (a > max && Number.isFinite(a)) max = a;
  }
  const u = unit ?? (max < 1e11 ? 's' : max < 1e14 ? 'ms' : max < 1e17 ? 'us' : 'ns');
  if (u === 'ms') return { index, unit: u };
  const out = new Float64Array(index.length);
  for (let i = 0; i < index.length; i++) out[i] = u === 's' ? index[i] * 1000 : index[i] / (u === 'us' ? 1e3 : 1e6);
  return { index: out, unit: u };
}

function parsedOf(file: string, names: string[], index: Float64Array, cols: Float64Array[], notes: string[]): Parsed {
  for (let i = 0; i < index.length; i++) {
    if (Number.isNaN(index[i]))
      throw new LoadError(`${file}: row ${i + 1} has no date (NULL in the date column)`, file);
  }
  return { index, names, cols, lines: new Int32Array(index.length), where: (i) => `row ${i + 1}`, notes };
}

/** Reads a Parquet file through DuckDB (in the data worker). */
export function readParquet(file: string, options: LoadOptions): Parsed {
  const src = `read_parquet(${quoteLiteral(file)})`;
  let d;
  try {
    d = querySync({ sql: `SELECT * FROM ${src}`, describe: true });
  } catch (e) {
    throw new LoadError(`${file}: not a Parquet file DuckDB can read: ${(e as Error).message.split('\n')[0]}`, file);
  }
  const cols: Col[] = d.names.map((name, i) => ({
    name,
    type: d.types[i],
    time: TIME.test(d.types[i]),
    numeric: NUMERIC.test(d.types[i]),
  }));
  const { date, keep } = pickColumns(file, cols, options);
  const r = querySync({ sql: `SELECT ${[date, ...keep].map((c) => quoteIdent(c.name)).join(', ')} FROM ${src}` });
  const notes: string[] = [];
  let index = r.cols[0];
  if (!date.time) {
    const e = epochToMs(index, options.dateUnit);
    index = e.index;
    notes.push(
      `dates from the epoch numbers of "${date.name}" in ${e.unit === 'us' ? 'microseconds' : e.unit === 'ns' ? 'nanoseconds' : e.unit === 's' ? 'seconds' : 'milliseconds'}`,
    );
  }
  return parsedOf(
    file,
    keep.map((c) => c.name),
    index,
    r.cols.slice(1),
    notes,
  );
}

/** Reads an Arrow IPC file (.arrow, .feather v2) with apache-arrow. */
export function readArrow(file: string, options: LoadOptions): Parsed {
  // apache-arrow is loaded on first use: most notebooks never read Arrow files
  const arrow = require('apache-arrow') as typeof import('apache-arrow');
  let table: import('apache-arrow').Table;
  try {
    table = arrow.tableFromIPC(fs.readFileSync(file));
  } catch (e) {
    throw new LoadError(`${file}: not an Arrow IPC (Feather v2) file: ${(e as Error).message}`, file);
  }
  const T = arrow.Type;
  const typeOf = (t: import('apache-arrow').DataType): Col['type'] => String(t);
  const cols: Col[] = table.schema.fields.map((f) => {
    const id = f.type.typeId;
    return {
      name: f.name,
      type: typeOf(f.type),
      time: id === T.Timestamp || id === T.Date,
      numeric: id === T.Int || id === T.Float || id === T.Bool || id === T.Decimal,
    };
  });
  const { date, keep } = pickColumns(file, cols, options);
  const read = (c: Col): Float64Array => {
    const v = table.getChild(c.name)!;
    // the fields of the Int (bitWidth, isSigned) and Timestamp (unit) types that typeId selects
    const type = v.type as import('apache-arrow').DataType & { bitWidth?: number; isSigned?: boolean; unit?: number };
    const n = v.length;
    const out = new Float64Array(n);
    const id = type.typeId;
    if (id === T.Timestamp || (id === T.Int && type.bitWidth === 64)) {
      const raw = v.toArray() as BigInt64Array | BigUint64Array;
      const w = new Int32Array(raw.buffer, raw.byteOffset, 2 * n);
      const div = id === T.Timestamp ? [1e-3, 1, 1e3, 1e6][type.unit as number] : 1;
      for (let i = 0; i < n; i++) {
        const x = w[2 * i + 1] * 4294967296 + (w[2 * i] >>> 0);
        out[i] = div < 1 ? x * 1000 : x / div;
      }
      if (id === T.Int && !type.isSigned) for (let i = 0; i < n; i++) if (out[i] < 0) out[i] += 2 ** 64;
    } else if (id === T.Date || id === T.Bool || id === T.Decimal) {
      // apache-arrow gives dates as epoch ms (a number or a Date)
      for (let i = 0; i < n; i++) {
        const x = v.get(i);
        out[i] = x == null ? NaN : Number(x);
      }
    } else {
      out.set(v.toArray() as ArrayLike<number>);
    }
    if (v.nullCount > 0) for (let i = 0; i < n; i++) if (!v.isValid(i)) out[i] = NaN;
    return out;
  };
  const notes: string[] = [];
  let index = read(date);
  if (!date.time) {
    const e = epochToMs(index, options.dateUnit);
    index = e.index;
    notes.push(`dates from the epoch numbers of "${date.name}" in ${e.unit}`);
  }
  return parsedOf(
    file,
    keep.map((c) => c.name),
    index,
    keep.map(read),
    notes,
  );
}
