/**
 * The hot loop of the CSV reader (csv.ts): rows of the common shape, parsed with no call per field.
 * Every field unquoted, numbers [-]digits[.digits] of at most 15 digits, the date a fixed-layout
 * YYYY-MM-DD[T ]HH:MM:SS (or an epoch number once the first row has chosen its unit), one physical
 * line per row. It stops, leaving the row untouched for parseCsv's general row parser, at the first
 * row of another shape (a quoted field, a blank or missing value, a bad value, a wrong field count,
 * a blank line) or when the arrays are full: that parser then reads the row, or throws the error
 * naming its line and column, so the values and errors are those of the general parser, only
 * sooner (bench/csv.mjs: ~8 ns per byte before, 10^7 rows of date,close,volume).
 */
import { utcTime } from '../series';
import { CR, LF, QUOTE } from './common';

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

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
): void {
  const n = b.length;
  const { index, cols } = out;
  const cap = index.length;
  const ncol = slot.length;
  const last = ncol - 1;
  let pos = st.pos,
    line = st.line,
    rows = st.rows;
  // the previous row's date bytes (the four of the year, "-MM-", "DD") and its day: k3 = -1 matches none
  let k1 = 0,
    k2 = 0,
    k3 = -1,
    day = 0;
  rows: while (rows < cap && pos < n) {
    let q = pos,
      t = 0;
    for (let f = 0; f < ncol; f++) {
      const sl = slot[f];
      if (sl >= 0 || (sl === -2 && dateMul !== 0)) {
        // jscpd:ignore-start -- FieldParser.fastNum's arithmetic, inlined: the same value bit for bit
        let neg = false;
        if (q < n && b[q] === 45) {
          neg = true;
          q++;
        }
        let m = 0,
          nd = 0,
          k = 0,
          c = 0;
        while (q < n) {
          c = b[q] - 48;
          if (c < 0 || c > 9) break;
          m = m * 10 + c;
          nd++;
          q++;
        }
        if (q < n && b[q] === 46) {
          q++;
          while (q < n) {
            c = b[q] - 48;
            if (c < 0 || c > 9) break;
            m = m * 10 + c;
            nd++;
            k++;
            q++;
          }
        }
        // jscpd:ignore-end
        if (nd === 0 || nd > 15) break rows;
        let v = k === 0 ? m : m / POW10[k];
        if (neg) v = -v;
        if (sl >= 0) cols[sl][rows] = v;
        else t = v * dateMul;
      } else if (sl === -2) {
        if (q + 10 > n) break rows;
        const a1 = (b[q] << 24) | (b[q + 1] << 16) | (b[q + 2] << 8) | b[q + 3],
          a2 = (b[q + 4] << 24) | (b[q + 5] << 16) | (b[q + 6] << 8) | b[q + 7],
          a3 = (b[q + 8] << 8) | b[q + 9];
        if (a3 !== k3 || a1 !== k1 || a2 !== k2) {
          // a new day: YYYY-MM-DD, each a digit, a real date (else the general parser decides)
          if (b[q + 4] !== 45 || b[q + 7] !== 45) break rows;
          const y0 = b[q] - 48,
            y1 = b[q + 1] - 48,
            y2 = b[q + 2] - 48,
            y3 = b[q + 3] - 48,
            m0 = b[q + 5] - 48,
            m1 = b[q + 6] - 48,
            d0 = b[q + 8] - 48,
            d1 = b[q + 9] - 48;
          if ((y0 | y1 | y2 | y3 | m0 | m1 | d0 | d1) < 0 || y0 > 9 || y1 > 9 || y2 > 9 || y3 > 9) break rows;
          if (m0 > 9 || m1 > 9 || d0 > 9 || d1 > 9) break rows;
          const y = y0 * 1000 + y1 * 100 + y2 * 10 + y3,
            mo = m0 * 10 + m1,
            d = d0 * 10 + d1;
          if (mo < 1 || mo > 12 || d < 1) break rows;
          if (d > 28 && d > (mo === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : MONTH_DAYS[mo - 1]))
            break rows;
          day = utcTime(y, mo - 1, d);
          k1 = a1;
          k2 = a2;
          k3 = a3;
        }
        q += 10;
        t = day;
        if (q < n && (b[q] === 84 || b[q] === 32)) {
          if (q + 9 > n || b[q + 3] !== 58 || b[q + 6] !== 58) break rows;
          const h0 = b[q + 1] - 48,
            h1 = b[q + 2] - 48,
            i0 = b[q + 4] - 48,
            i1 = b[q + 5] - 48,
            s0 = b[q + 7] - 48,
            s1 = b[q + 8] - 48;
          if ((h0 | h1 | i0 | i1 | s0 | s1) < 0 || h0 > 2 || h1 > 9 || i0 > 5 || i1 > 9 || s0 > 5 || s1 > 9) break rows;
          const hh = h0 * 10 + h1;
          if (hh > 23) break rows;
          t += hh * 3_600_000 + (i0 * 10 + i1) * 60_000 + (s0 * 10 + s1) * 1000;
          q += 9;
        }
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
