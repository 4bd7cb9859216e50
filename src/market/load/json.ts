/**
 * The JSON reader of load(): an array of records with a date field; errors name the record and,
 * where it can be found, its line and column.
 */
import { DATE_NAMES, LoadError, quoteField, type LoadOptions, type Parsed } from './common';
import { FieldParser } from './numbers';
import { parseIsoDate } from './dates';

export function parseJson(buf: Buffer, file: string, options: LoadOptions): Parsed {
  const text = buf.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new LoadError(`load: ${file} is empty`, file);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec(String((e as Error).message));
    const { line, column } = m ? lineCol(text, +m[1]) : { line: undefined, column: undefined };
    throw new LoadError(
      `${file}${line ? `:${line}:${column}` : ''}: invalid JSON: ${(e as Error).message}`,
      file,
      line,
      column,
    );
  }
  if (!Array.isArray(data))
    throw new LoadError(
      `${file}: expected a JSON array of records like [{"date": "2024-01-02", "close": 1.5}, ...], got ${data === null ? 'null' : typeof data}`,
      file,
    );
  if (data.length === 0) throw new LoadError(`${file}: the array has no records`, file);
  const at = (i: number): string => {
    const { line, column } = recordPos(text, i);
    return line ? `${file}:${line}:${column}` : `${file}: record ${i}`;
  };
  const first = data[0];
  if (typeof first !== 'object' || first === null || Array.isArray(first))
    throw new LoadError(`${at(0)}: record 0 is not an object`, file);
  const keys = Object.keys(first);
  const lowerKeys = keys.map((k) => k.toLowerCase());
  let dateKey: string | undefined;
  if (options.dateColumn !== undefined) {
    dateKey = keys.includes(options.dateColumn)
      ? options.dateColumn
      : keys[lowerKeys.indexOf(options.dateColumn.toLowerCase())];
  } else
    for (const c of DATE_NAMES) {
      const k = lowerKeys.indexOf(c);
      if (k >= 0) {
        dateKey = keys[k];
        break;
      }
    }
  if (dateKey === undefined)
    throw new LoadError(
      `${at(0)}: no date field: looked for ${options.dateColumn ?? DATE_NAMES.join(', ')} in the keys of the first record (${keys.join(', ')}); pass { dateColumn: 'name' }`,
      file,
    );
  const names = options.columns ?? keys.filter((k) => k !== dateKey);
  if (names.length === 0) throw new LoadError(`${at(0)}: no value fields besides the date "${dateKey}"`, file);
  const n = data.length;
  const index = new Float64Array(n);
  const cols = names.map(() => new Float64Array(n));
  let unitMul = 0;
  const fp = new FieldParser();
  for (let i = 0; i < n; i++) {
    const r = data[i];
    if (typeof r !== 'object' || r === null || Array.isArray(r))
      throw new LoadError(`${at(i)}: record ${i} is not an object`, file);
    const field = (k: string): unknown =>
      Object.prototype.hasOwnProperty.call(r, k) ? (r as Record<string, unknown>)[k] : undefined;
    const dv = field(dateKey);
    let t = NaN;
    if (typeof dv === 'string') {
      const bb = Buffer.from(dv, 'utf8');
      t = parseIsoDate(bb, 0, bb.length);
    } else if (typeof dv === 'number' && Number.isFinite(dv)) {
      if (unitMul === 0)
        unitMul = options.dateUnit === 'ms' ? 1 : options.dateUnit === 's' ? 1000 : Math.abs(dv) < 1e11 ? 1000 : 1;
      t = dv * unitMul;
    }
    if (Number.isNaN(t))
      throw new LoadError(
        `${at(i)}: ${dv === undefined || dv === null || dv === '' ? 'missing date' : `unparsable date ${quoteField(typeof dv === 'string' ? dv : (JSON.stringify(dv) ?? String(dv)))}`} in field ${quoteField(dateKey)} of record ${i}`,
        file,
      );
    index[i] = t;
    for (let j = 0; j < names.length; j++) {
      const v = field(names[j]);
      let x: number;
      if (typeof v === 'number') {
        // JSON.parse turns 1e400 into Infinity: refused, as in CSV (one rule for the infinite)
        if (!Number.isFinite(v))
          throw new LoadError(
            `${at(i)}: value in field ${quoteField(names[j])} of record ${i} is not a finite number (an out-of-range value such as 1e400 is refused)`,
            file,
          );
        x = v;
      } else if (v === null || v === undefined) x = NaN;
      else if (typeof v === 'string') {
        fp.bad = false;
        fp.infinite = false;
        const bb = Buffer.from(v, 'utf8');
        x = fp.parseNumber(bb, 0, bb.length);
        if (fp.bad)
          throw new LoadError(`${at(i)}: ${fp.notNumberWhy(v)} in field ${quoteField(names[j])} of record ${i}`, file);
      } else
        throw new LoadError(
          `${at(i)}: non-numeric value ${quoteField(typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v)))} in field ${quoteField(names[j])} of record ${i}`,
          file,
        );
      cols[j][i] = x;
    }
  }
  const lines = new Int32Array(n);
  return {
    index,
    names,
    cols,
    lines,
    where: (i) => {
      const { line } = recordPos(text, i);
      return line ? `line ${line} (record ${i})` : `record ${i}`;
    },
    notes: [],
  };
}

function lineCol(text: string, pos: number): { line: number; column: number } {
  let line = 1,
    ls = 0;
  for (let i = 0; i < pos && i < text.length; i++)
    if (text.charCodeAt(i) === 10) {
      line++;
      ls = i + 1;
    }
  return { line, column: pos - ls + 1 };
}

/** Line and column of the i-th element of the top-level array (error path only). */
function recordPos(text: string, k: number): { line?: number; column?: number } {
  let depth = 0,
    inStr = false,
    count = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inStr) {
      if (c === '\\') i++;
      else if (c === '"') inStr = false;
      continue;
    }
    if (c === '"') {
      inStr = true;
      if (depth === 1) {
        count++;
        if (count === k) return lineCol(text, i);
      }
      continue;
    }
    if (c === '[' || c === '{') {
      if (depth === 1) {
        count++;
        if (count === k) return lineCol(text, i);
      }
      depth++;
    } else if (c === ']' || c === '}') depth--;
  }
  return {};
}
