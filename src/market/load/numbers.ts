/**
 * Numbers and dates from bytes, in place (no string per field): the exact Clinger fast path for
 * numbers (bit-identical to Number(text)) and the fast paths of the CSV scanner (numbers, fixed-layout
 * ISO datetimes; the general ISO date parser is in dates.ts). The state a parse leaves (why a field was refused, where a fast path stopped, the last
 * day converted) lives in a FieldParser object, one per file read, not in module variables.
 */
import { utcTime } from '../series';
import { NA_TOKENS, SPACE, TAB, latin1, quoteField, utf8 } from './common';
import { MONTH_DAYS } from './dates';

const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
  1e21, 1e22,
];

/** Parses the fields of one file; its fields say what the last parse found. */
export class FieldParser {
  /** set by parseNumber when the field is not a number (as opposed to a missing value) */
  bad = false;
  /** set with `bad` when the field is a number but not a finite one ("1e400", "Infinity") */
  infinite = false;
  /** position after the value parsed by fastNum/fastDate, or -1 when the fast path does not apply */
  end = 0;
  // the day fastDate converted last (consecutive rows mostly share it): its ten bytes as three
  // integers (k3 = -1 matches no bytes) and its epoch ms
  private k1 = 0;
  private k2 = 0;
  private k3 = -1;
  private day = 0;

  /**
   * Parses the bytes b[s..e) as a number; NaN for blank/NA tokens; sets `bad` when not a
   * number. One rule for the infinite: a value that is not a finite double ("Infinity", "-inf",
   * "1e400", which overflows) is refused like text (`infinite` tells the message), so a price
   * column never holds ±Infinity.
   */
  parseNumber(b: Uint8Array, s: number, e: number): number {
    while (s < e && (b[s] === SPACE || b[s] === TAB)) s++;
    while (e > s && (b[e - 1] === SPACE || b[e - 1] === TAB)) e--;
    if (s === e) return NaN;
    let i = s;
    let neg = false;
    let c = b[i];
    if (c === 45) {
      neg = true;
      i++;
    } else if (c === 43) i++;
    let m = 0,
      sig = 0,
      exp = 0,
      nd = 0,
      slow = false;
    // jscpd:ignore-start -- the integer and fraction digit loops stay apart: the fraction one also counts the exponent, and one merged loop would test "after the point?" on every digit of the CSV fast path
    while (i < e) {
      c = b[i] - 48;
      if (c < 0 || c > 9) break;
      if (m !== 0 || c !== 0) {
        if (sig < 15) {
          m = m * 10 + c;
          sig++;
        } else {
          slow = true;
        }
      }
      nd++;
      i++;
    }
    if (i < e && b[i] === 46) {
      i++;
      while (i < e) {
        c = b[i] - 48;
        if (c < 0 || c > 9) break;
        if (m !== 0 || c !== 0) {
          if (sig < 15) {
            m = m * 10 + c;
            sig++;
            exp--;
          } else slow = true;
        } else exp--;
        nd++;
        i++;
      }
    }
    // jscpd:ignore-end
    if (nd > 0 && i < e && (b[i] === 101 || b[i] === 69)) {
      i++;
      let eneg = false;
      if (i < e && (b[i] === 45 || b[i] === 43)) {
        eneg = b[i] === 45;
        i++;
      }
      let ev = 0,
        en = 0;
      while (i < e) {
        c = b[i] - 48;
        if (c < 0 || c > 9) break;
        ev = ev * 10 + c;
        en++;
        i++;
      }
      if (en === 0) i = -1; // "1e" is not a number
      exp += eneg ? -ev : ev;
    }
    if (nd > 0 && i === e) {
      if (!slow && exp >= -22 && exp <= 22) {
        const v = exp < 0 ? m / POW10[-exp] : m * POW10[exp];
        return neg ? -v : v;
      }
      const v = Number(latin1(b, s, e));
      if (Number.isFinite(v)) return v;
      this.bad = this.infinite = true;
      return NaN;
    }
    const text = utf8(b, s, e);
    if (NA_TOKENS.has(text)) return NaN;
    const v = Number(text); // e.g. "0x10" is refused below; keep Number's other spellings out
    if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) && Number.isFinite(v)) return v;
    this.bad = true;
    this.infinite =
      /^[+-]?(inf|infinity)$/i.test(text) ||
      (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) && !Number.isFinite(v));
    return NaN;
  }

  /** Why the last field refused by parseNumber is not a number, for the message. */
  notNumberWhy(text: string): string {
    return this.infinite
      ? `value ${quoteField(text)} is not a finite number (an infinite or out-of-range value is refused, like text)`
      : `non-numeric value ${quoteField(text)}`;
  }

  /**
   * Fast path for the common number shape [-]digits[.digits] with at most 15 digits: the digits
   * form an exact integer m < 2^53 and the value is m / 10^k, one correctly rounded division,
   * so the result is bit-identical to Number(text). Anything else sets `end` to -1.
   */
  fastNum(b: Uint8Array, p: number, n: number): number {
    let q = p,
      neg = false;
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
    if (nd === 0 || nd > 15) {
      this.end = -1;
      return NaN;
    }
    this.end = q;
    const v = k === 0 ? m : m / POW10[k];
    return neg ? -v : v;
  }

  /**
   * Fast path for YYYY-MM-DD and YYYY-MM-DD[T ]HH:MM:SS (UTC, no fraction or offset): digits
   * read in place at their fixed positions, the day's epoch from Date.UTC, cached while consecutive
   * rows share the day's ten bytes (compared as three integers, not digit by digit).
   * Anything else (or an invalid date) sets `end` to -1 and the caller uses parseIsoDate.
   */
  fastDate(b: Uint8Array, p: number, n: number): number {
    this.end = -1;
    if (p + 10 > n) return NaN;
    // the ten date bytes as three integers: the same as the last day's, that day (already checked)
    const a1 = (b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3],
      a2 = (b[p + 4] << 24) | (b[p + 5] << 16) | (b[p + 6] << 8) | b[p + 7],
      a3 = (b[p + 8] << 8) | b[p + 9];
    if (a3 !== this.k3 || a1 !== this.k1 || a2 !== this.k2) {
      if (b[p + 4] !== 45 || b[p + 7] !== 45) return NaN;
      const y0 = b[p] - 48,
        y1 = b[p + 1] - 48,
        y2 = b[p + 2] - 48,
        y3 = b[p + 3] - 48,
        m0 = b[p + 5] - 48,
        m1 = b[p + 6] - 48,
        d0 = b[p + 8] - 48,
        d1 = b[p + 9] - 48;
      if ((y0 | y1 | y2 | y3 | m0 | m1 | d0 | d1) < 0 || y0 > 9 || y1 > 9 || y2 > 9 || y3 > 9) return NaN;
      if (m0 > 9 || m1 > 9 || d0 > 9 || d1 > 9) return NaN;
      const y = y0 * 1000 + y1 * 100 + y2 * 10 + y3,
        mo = m0 * 10 + m1,
        d = d0 * 10 + d1;
      if (mo < 1 || mo > 12 || d < 1) return NaN;
      if (d > 28 && d > (mo === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : MONTH_DAYS[mo - 1]))
        return NaN;
      this.day = utcTime(y, mo - 1, d);
      this.k1 = a1;
      this.k2 = a2;
      this.k3 = a3;
    }
    const q = p + 10;
    if (q === n || (b[q] !== 84 && b[q] !== SPACE)) {
      this.end = q;
      return this.day;
    }
    if (q + 9 > n || b[q + 3] !== 58 || b[q + 6] !== 58) return NaN;
    const h0 = b[q + 1] - 48,
      h1 = b[q + 2] - 48,
      i0 = b[q + 4] - 48,
      i1 = b[q + 5] - 48,
      s0 = b[q + 7] - 48,
      s1 = b[q + 8] - 48;
    if ((h0 | h1 | i0 | i1 | s0 | s1) < 0 || h0 > 2 || h1 > 9 || i0 > 5 || i1 > 9 || s0 > 5 || s1 > 9) return NaN;
    const hh = h0 * 10 + h1;
    if (hh > 23) return NaN;
    this.end = q + 9;
    return this.day + hh * 3_600_000 + (i0 * 10 + i1) * 60_000 + (s0 * 10 + s1) * 1000;
  }
}
