/**
 * The CSV reader of load(): one pass over the bytes (no JS string of the file, none per field but
 * for errors), numbers and dates converted in place (numbers.ts), RFC 4180 quoted fields ("" escapes,
 * line breaks inside quotes), exact "file:line:column" errors. See load.ts for why it is hand-written.
 *
 * (Over 300 lines on purpose: parseCsv is one pass over the bytes (header row, column slots,
 * then the hot row loop, sharing one cursor and its locals), read best in one function;
 * readQuoted and uniqueNames are its only helpers.)
 */
import {
  CR,
  DATE_NAMES,
  LF,
  LoadError,
  QUOTE,
  SPACE,
  charColumn,
  quoteField,
  utf8,
  type LoadOptions,
  type Parsed,
} from './common';
import { fastRows, type RowState } from './fastRows';
import { FieldParser } from './numbers';
import { isIsoStart, parseIsoDate } from './dates';
import { upperBound } from '../series';

/** Scanner position: byte offset, current line number and where that line starts. */
interface Cursor {
  p: number;
  line: number;
  lineStart: number;
}

/**
 * Parses a CSV file's bytes into the rows load() finishes (order.ts).
 * @param fast false reads every row with the general row parser (the tests compare the two; the
 *   results and errors are the same)
 */
export function parseCsv(buf: Buffer, file: string, options: LoadOptions, fast = true): Parsed {
  const b: Uint8Array = buf;
  const n = b.length;
  let p = 0;
  if (n >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) p = 3;
  // skip leading blank lines (LF, CRLF or a lone CR ends a line)
  let line = 1;
  while (p < n && (b[p] === LF || b[p] === CR)) {
    if (b[p] === LF || b[p + 1] !== LF) line++;
    p++;
  }
  if (p >= n) throw new LoadError(`load: ${file} is empty`, file);

  // the delimiter, from the header's first physical line
  const headerLine = line;
  let hEnd = p;
  while (hEnd < n && b[hEnd] !== LF && b[hEnd] !== CR) hEnd++;
  const firstLine = utf8(b, p, hEnd);
  const delim =
    options.delimiter ??
    (firstLine.includes(',') ? ',' : firstLine.includes(';') ? ';' : firstLine.includes('\t') ? '\t' : ',');
  if (delim.length !== 1)
    throw new LoadError(`load: delimiter must be one character, got ${JSON.stringify(delim)}`, file);
  const D = delim.charCodeAt(0);
  // the header row: quoted names may hold the delimiter, "" and line breaks
  const hc: Cursor = { p, line, lineStart: p };
  const names: string[] = [];
  for (;;) {
    if (hc.p < n && b[hc.p] === QUOTE) names.push(readQuoted(b, hc, file, D).trim());
    else {
      let q = hc.p;
      while (q < n && b[q] !== D && b[q] !== LF && b[q] !== CR) q++;
      names.push(utf8(b, hc.p, q).trim());
      hc.p = q;
    }
    if (hc.p < n && b[hc.p] === D) {
      hc.p++;
      continue;
    }
    if (hc.p < n && b[hc.p] === CR) hc.p++;
    if (hc.p < n && b[hc.p] === LF) hc.p++;
    break;
  }
  p = hc.p;
  line = hc.line + 1;
  const notes: string[] = [];
  const header = uniqueNames(names, notes);

  const lower = header.map((h) => h.toLowerCase());
  let dateIdx: number;
  if (options.dateColumn !== undefined) {
    dateIdx = header.indexOf(options.dateColumn);
    if (dateIdx < 0) dateIdx = lower.indexOf(options.dateColumn.toLowerCase());
    if (dateIdx < 0)
      throw new LoadError(
        `${file}:${headerLine}: no date column ${quoteField(options.dateColumn)}; the columns are: ${header.map(quoteField).join(', ')}`,
        file,
        headerLine,
      );
  } else {
    dateIdx = -1;
    for (const cand of DATE_NAMES) {
      dateIdx = lower.indexOf(cand);
      if (dateIdx >= 0) break;
    }
    if (dateIdx < 0)
      throw new LoadError(
        `${file}:${headerLine}: no date column: looked for ${DATE_NAMES.join(', ')} in the header (${header.map(quoteField).join(', ')}); pass { dateColumn: 'name' }`,
        file,
        headerLine,
      );
  }
  const ncol = header.length;
  const keep: number[] = [];
  if (options.columns) {
    for (const c of options.columns) {
      const k = header.indexOf(c);
      if (k < 0)
        throw new LoadError(
          `${file}:${headerLine}: no column ${quoteField(c)}; the columns are: ${header.map(quoteField).join(', ')}`,
          file,
          headerLine,
        );
      keep.push(k);
    }
  } else for (let k = 0; k < ncol; k++) if (k !== dateIdx) keep.push(k);
  if (keep.length === 0)
    throw new LoadError(
      `${file}:${headerLine}: no value columns besides the date column ${quoteField(header[dateIdx])}`,
      file,
      headerLine,
    );
  // slot of each file column in the output (-1 = skipped, -2 = date)
  const slot = new Int32Array(ncol).fill(-1);
  keep.forEach((k, j) => {
    slot[k] = j;
  });
  slot[dateIdx] = -2;

  // capacity estimate from the first lines' length
  let cap = 16;
  {
    let q = p,
      k = 0;
    while (q < n && k < 64) {
      const r = b.indexOf(LF, q);
      if (r < 0) {
        q = n;
        k++;
        break;
      }
      q = r + 1;
      k++;
    }
    if (k > 0 && q > p) cap = Math.ceil(((n - p) / ((q - p) / k)) * 1.05) + 16;
  }
  let index = new Float64Array(cap);
  let cols = keep.map(() => new Float64Array(cap));
  // each row's line, as the rows where (line - row) changes (a blank line, a quoted line break): no array per row
  const jumpRow: number[] = [],
    jumpOff: number[] = [];
  let lineOff = NaN;
  let rows = 0;
  let dateUnitMul = 0; // for numeric dates: 1000 (seconds) or 1 (ms), decided on the first row
  let dateKind: 'iso' | 'epoch' | undefined;

  const fp = new FieldParser();
  const st: RowState = { pos: p, line, rows: 0 };
  const cur: Cursor = { p, line, lineStart: p };
  // hot loop state in locals (cur is synced around the rare quoted fields)
  let pos = p,
    lineNo = line,
    lineStart = p;
  while (pos < n) {
    // blank line: skip
    const c0 = b[pos];
    if (c0 === LF) {
      pos++;
      lineNo++;
      lineStart = pos;
      continue;
    }
    if (c0 === CR) {
      pos += pos + 1 < n && b[pos + 1] === LF ? 2 : 1;
      lineNo++;
      lineStart = pos;
      continue;
    }
    if (rows === cap) {
      cap = cap * 2;
      const ni = new Float64Array(cap);
      ni.set(index);
      index = ni;
      cols = cols.map((c) => {
        const nc = new Float64Array(cap);
        nc.set(c);
        return nc;
      });
    }
    // rows of the common shape in one tight loop (fastRows.ts); it stops at the first other row, read below
    if (fast && (dateKind === 'iso' || dateUnitMul !== 0)) {
      if (lineNo - rows !== lineOff) {
        lineOff = lineNo - rows;
        jumpRow.push(rows);
        jumpOff.push(lineOff);
      }
      st.pos = pos;
      st.line = lineNo;
      st.rows = rows;
      fastRows(b, st, { index, cols }, slot, D, dateKind === 'iso' ? 0 : dateUnitMul, fp);
      if (st.rows !== rows) {
        pos = lineStart = st.pos;
        lineNo = st.line;
        rows = st.rows;
        continue;
      }
    }
    const rowLine = lineNo;
    let t = NaN;
    // every value column of a complete row is written below (a missing value as NaN): no pre-fill
    let f = 0;
    for (;;) {
      // one field
      const s = pos;
      if (f >= ncol) {
        const col = charColumn(b, lineStart, s);
        throw new LoadError(
          `${file}:${rowLine}:${col}: this row has more fields than the header (${ncol}: ${header.join(', ')})`,
          file,
          rowLine,
          col,
        );
      }
      const sl = slot[f];
      let done = false;
      if (s < n && b[s] !== QUOTE) {
        // fast paths: a plain number, an ISO date(time) without offset, a skipped column
        if (sl >= 0) {
          const v = fp.fastNum(b, s, n);
          const end = fp.end;
          if (end >= 0 && (end === n || b[end] === D || b[end] === LF || b[end] === CR)) {
            cols[sl][rows] = v;
            pos = end;
            done = true;
          }
        } else if (sl === -2 && dateKind === 'iso') {
          const v = fp.fastDate(b, s, n);
          const end = fp.end;
          if (end >= 0 && (end === n || b[end] === D || b[end] === LF || b[end] === CR)) {
            t = v;
            pos = end;
            done = true;
          }
        } else if (sl === -1) {
          let q = s;
          while (q < n) {
            const c = b[q];
            if (c === D || c === LF || c === CR) break;
            q++;
          }
          pos = q;
          done = true;
        }
      }
      if (!done) {
        let e: number;
        let quoted: string | undefined;
        const fieldStart = lineStart;
        const fieldLine = lineNo;
        if (s < n && b[s] === QUOTE) {
          cur.p = pos;
          cur.line = lineNo;
          cur.lineStart = lineStart;
          quoted = readQuoted(b, cur, file, D);
          pos = cur.p;
          lineNo = cur.line;
          lineStart = cur.lineStart;
          e = pos;
        } else {
          let q = s;
          while (q < n) {
            const c = b[q];
            if (c === D || c === LF || c === CR) break;
            q++;
          }
          e = q;
          pos = q;
        }
        if (sl === -2) {
          let qb = b,
            qs = s,
            qe = e;
          if (quoted !== undefined) {
            qb = Buffer.from(quoted, 'utf8');
            qs = 0;
            qe = qb.length;
          }
          if (dateKind === undefined) dateKind = isIsoStart(qb, qs, qe) ? 'iso' : 'epoch';
          if (dateKind === 'iso') t = parseIsoDate(qb, qs, qe);
          else {
            fp.bad = false;
            fp.infinite = false;
            const v = fp.parseNumber(qb, qs, qe);
            if (!fp.bad && Number.isFinite(v)) {
              if (dateUnitMul === 0)
                dateUnitMul =
                  options.dateUnit === 'ms' ? 1 : options.dateUnit === 's' ? 1000 : Math.abs(v) < 1e11 ? 1000 : 1;
              t = v * dateUnitMul;
            } else t = NaN;
          }
          if (Number.isNaN(t)) {
            const text = quoted ?? utf8(b, s, e);
            const why =
              text.trim() === ''
                ? 'missing date'
                : `unparsable date ${quoteField(text)} (expected YYYY-MM-DD, an ISO datetime, or epoch seconds/milliseconds${dateKind === 'epoch' ? '' : ' as in the first row'})`;
            const fieldCol = charColumn(b, fieldStart, s);
            throw new LoadError(
              `${file}:${fieldLine}:${fieldCol}: ${why} in column ${quoteField(header[dateIdx])}`,
              file,
              fieldLine,
              fieldCol,
            );
          }
        } else if (sl >= 0) {
          fp.bad = false;
          fp.infinite = false;
          let v: number;
          if (quoted !== undefined) {
            const qb = Buffer.from(quoted, 'utf8');
            v = fp.parseNumber(qb, 0, qb.length);
          } else v = fp.parseNumber(b, s, e);
          if (fp.bad) {
            const text = quoted ?? utf8(b, s, e);
            const fieldCol = charColumn(b, fieldStart, s);
            throw new LoadError(
              `${file}:${fieldLine}:${fieldCol}: ${fp.notNumberWhy(text)} in column ${quoteField(header[f])}${options.columns ? '' : '; pass { columns: [...] } to load only numeric columns'}`,
              file,
              fieldLine,
              fieldCol,
            );
          }
          cols[sl][rows] = v;
        }
      }
      f++;
      const c = pos < n ? b[pos] : LF;
      if (c === D) {
        pos++;
        continue;
      }
      // end of row
      if (c === CR) {
        pos++;
        if (pos < n && b[pos] === LF) pos++;
      } else if (pos < n) pos++;
      lineNo++;
      lineStart = pos;
      break;
    }
    if (f !== ncol) {
      throw new LoadError(
        `${file}:${rowLine}:1: this row has ${f} field${f === 1 ? '' : 's'} but the header has ${ncol} (${header.join(', ')})`,
        file,
        rowLine,
        1,
      );
    }
    index[rows] = t;
    if (rowLine - rows !== lineOff) {
      lineOff = rowLine - rows;
      jumpRow.push(rows);
      jumpOff.push(lineOff);
    }
    rows++;
  }
  if (rows === 0)
    throw new LoadError(`${file}: has a header (${header.join(', ')}) but no data rows`, file, headerLine);
  // trim to the rows read: a view when the estimate was close (saves copying ~50 MB), else a copy
  const trim = (a: Float64Array): Float64Array => (rows > 0.8 * cap ? a.subarray(0, rows) : a.slice(0, rows));
  // row i's line: i plus the offset of the last jump at or before it (series.ts's upperBound)
  const jumps = Float64Array.from(jumpRow);
  const lineOf = (i: number): number => i + jumpOff[upperBound(jumps, i) - 1];
  return {
    index: trim(index),
    names: keep.map((k) => header[k]),
    cols: cols.map(trim),
    line: lineOf,
    where: (i) => `line ${lineOf(i)}`,
    notes,
  };
}

/**
 * Reads a quoted field at cur.p (which is a quote); leaves cur.p after the closing quote (and
 * any spaces). Line breaks inside (LF, CRLF, lone CR) are kept and counted. Anything but the
 * delimiter or the end of the row after the closing quote ("1"2) is an error naming it.
 */
function readQuoted(b: Uint8Array, cur: Cursor, file: string, D: number): string {
  const startLine = cur.line,
    startCol = charColumn(b, cur.lineStart, cur.p);
  let q = cur.p + 1;
  const parts: string[] = [];
  let s = q;
  for (;;) {
    if (q >= b.length)
      throw new LoadError(`${file}:${startLine}:${startCol}: unterminated quoted field`, file, startLine, startCol);
    const c = b[q];
    if (c === QUOTE) {
      if (b[q + 1] === QUOTE) {
        parts.push(utf8(b, s, q + 1));
        q += 2;
        s = q;
        continue;
      }
      parts.push(utf8(b, s, q));
      q++;
      break;
    }
    if (c === LF || (c === CR && b[q + 1] !== LF)) {
      cur.line++;
      cur.lineStart = q + 1;
    }
    q++;
  }
  // allow spaces after the closing quote
  while (q < b.length && b[q] === SPACE) q++;
  if (q < b.length && b[q] !== D && b[q] !== LF && b[q] !== CR) {
    const col = charColumn(b, cur.lineStart, q);
    let e = q;
    while (e < b.length && e - q < 20 && b[e] !== D && b[e] !== LF && b[e] !== CR) e++;
    throw new LoadError(
      `${file}:${cur.line}:${col}: unexpected ${JSON.stringify(utf8(b, q, e))} after the closing quote of the field that starts at line ${startLine}, column ${startCol} (a quote inside a quoted field is written "")`,
      file,
      cur.line,
      col,
    );
  }
  cur.p = q;
  return parts.join('');
}

/**
 * Header names made unique as pandas does: a repeated "close" becomes "close.1", "close.2", …
 * (skipping names the header already has), so no column silently replaces another; a note says so.
 */
function uniqueNames(names: string[], notes: string[]): string[] {
  const used = new Set<string>();
  const out: string[] = [];
  const renamed: string[] = [];
  const all = new Set(names);
  for (const name of names) {
    if (!used.has(name)) {
      used.add(name);
      out.push(name);
      continue;
    }
    let k = 1;
    while (used.has(`${name}.${k}`) || all.has(`${name}.${k}`)) k++;
    const nn = `${name}.${k}`;
    used.add(nn);
    out.push(nn);
    renamed.push(`"${nn}"`);
  }
  if (renamed.length)
    notes.push(`duplicate column names in the header: the repeats were renamed ${renamed.join(', ')} (as pandas does)`);
  return out;
}
