/**
 * The hot loop of the CSV reader (csv.ts): rows of the common shape in one loop, without the
 * general row parser's per-field bookkeeping (quotes, error positions, missing values). Every field
 * unquoted, numbers [-]digits[.digits] of at most 15 digits (FieldParser.fastNum), the date a
 * fixed-layout YYYY-MM-DD[T ]HH:MM:SS (FieldParser.fastDate) or an epoch number once the first row
 * has chosen its unit, one physical line per row. It stops, leaving the row untouched for parseCsv's
 * general row parser, at the first row of another shape (a quoted field, a blank or missing value, a
 * bad value, a wrong field count, a blank line) or when the arrays are full: that parser then reads
 * the row, or throws the error naming its line and column, so the values and errors are those of the
 * general parser, only sooner (bench/csv.mjs; test/unit/market/load-fast.test.ts compares the two).
 */
import { CR, LF, QUOTE } from './common';
import type { FieldParser } from './numbers';

/** Where the scan is: the next byte (a row's start), its physical line and the rows filled. */
export interface RowState {
  pos: number;
  line: number;
  rows: number;
}

/** Columns the rows go to: the date index and the value columns by slot. */
export interface RowSink {
  index: Float64Array;
  cols: Float64Array[];
}

/**
 * Parses rows from st.pos while they have the common shape and st.rows < the arrays' length;
 * advances st past the rows it stored (row k of them on line st.line + k: one physical line each).
 * @param slot per file column: its value column, -1 skipped, -2 the date
 * @param D the delimiter's byte
 * @param dateMul 0: ISO dates; else epoch numbers times this (1000 for seconds, 1 for ms)
 */
export function fastRows(
  b: Uint8Array,
  st: RowState,
  out: RowSink,
  slot: Int32Array,
  D: number,
  dateMul: number,
  fp: FieldParser,
): void {
  const n = b.length;
  const { index, cols } = out;
  const cap = index.length;
  const ncol = slot.length;
  const last = ncol - 1;
  let pos = st.pos,
    line = st.line,
    rows = st.rows;
  rows: while (rows < cap && pos < n) {
    let q = pos,
      t = 0;
    for (let f = 0; f < ncol; f++) {
      const sl = slot[f];
      if (sl >= 0 || (sl === -2 && dateMul !== 0)) {
        const v = fp.fastNum(b, q, n);
        if (fp.end < 0) break rows;
        q = fp.end;
        if (sl >= 0) cols[sl][rows] = v;
        else t = v * dateMul;
      } else if (sl === -2) {
        t = fp.fastDate(b, q, n);
        if (fp.end < 0) break rows;
        q = fp.end;
      } else {
        // a skipped column: anything up to the delimiter, unless it is quoted
        if (q < n && b[q] === QUOTE) break rows;
        while (q < n) {
          const c = b[q];
          if (c === D || c === LF || c === CR) break;
          q++;
        }
      }
      if (f < last) {
        if (q < n && b[q] === D) q++;
        else break rows;
      }
    }
    // the end of the row: LF, CRLF, a lone CR or the end of the file
    if (q < n) {
      const c = b[q];
      if (c === LF) q++;
      else if (c === CR) q += q + 1 < n && b[q + 1] === LF ? 2 : 1;
      else break;
    }
    index[rows] = t;
    rows++;
    line++;
    pos = q;
  }
  st.pos = pos;
  st.line = line;
  st.rows = rows;
}
