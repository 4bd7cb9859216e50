/**
 * ISO dates and datetimes from bytes, in place (no string per field): the general parser every
 * reader falls back to (offsets, fractions, "/" separators), and the days of the months that
 * FieldParser.fastDate (numbers.ts) checks too.
 */
import { utcTime } from '../series';
import { SPACE } from './common';

/** Days of each month in a common year. */
export const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digits(b: Uint8Array, i: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) {
    const c = b[i + k] - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * Parses an ISO date or datetime from bytes: YYYY-MM-DD, optionally followed by T or space
 * and HH:MM[:SS[.fraction]] and Z or ±HH[:]MM. Slashes are accepted as date separators.
 * Returns NaN when the text is not such a date. Times without an offset are UTC.
 */
export function parseIsoDate(b: Uint8Array, s: number, e: number): number {
  while (s < e && b[s] === SPACE) s++;
  while (e > s && b[e - 1] === SPACE) e--;
  if (e - s < 10) return NaN;
  const y = digits(b, s, 4),
    mo = digits(b, s + 5, 2),
    d = digits(b, s + 8, 2);
  const sep = b[s + 4];
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || (sep !== 45 && sep !== 47) || b[s + 7] !== sep) return NaN;
  const dim = mo === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : MONTH_DAYS[mo - 1];
  if (d > dim) return NaN;
  if (e - s === 10) return utcTime(y, mo - 1, d);
  let i = s + 10;
  if (b[i] !== 84 && b[i] !== SPACE && b[i] !== 116) return NaN;
  i++;
  if (e - i < 5) return NaN;
  const hh = digits(b, i, 2),
    mm = digits(b, i + 3, 2);
  if (hh < 0 || hh > 24 || mm < 0 || mm > 59 || b[i + 2] !== 58) return NaN;
  i += 5;
  let ss = 0,
    ms = 0;
  if (i < e && b[i] === 58) {
    ss = digits(b, i + 1, 2);
    if (ss < 0 || ss > 60 || i + 3 > e) return NaN;
    i += 3;
    if (i < e && (b[i] === 46 || b[i] === 44)) {
      i++;
      let scale = 100,
        any = false;
      while (i < e && b[i] >= 48 && b[i] <= 57) {
        ms += (b[i] - 48) * scale;
        scale /= 10;
        i++;
        any = true;
      }
      if (!any) return NaN;
      ms = Math.round(ms * 1000) / 1000;
    }
  }
  let off = 0;
  if (i < e) {
    const c = b[i];
    if (c === 90 || c === 122) {
      i++;
    } else if (c === 43 || c === 45) {
      const oh = digits(b, i + 1, 2);
      let om: number;
      if (b[i + 3] === 58) {
        om = digits(b, i + 4, 2);
        i += 6;
      } else {
        om = e - i >= 5 ? digits(b, i + 3, 2) : 0;
        i += e - i >= 5 ? 5 : 3;
      }
      if (oh < 0 || om < 0) return NaN;
      off = (c === 45 ? -1 : 1) * (oh * 60 + om) * 60_000;
    } else return NaN;
  }
  if (i !== e) return NaN;
  return utcTime(y, mo - 1, d, hh, mm, ss, ms) - off;
}

/** Whether a date field looks like an ISO date (else the file's dates are epoch numbers). */
export function isIsoStart(b: Uint8Array, s: number, e: number): boolean {
  while (s < e && b[s] === SPACE) s++;
  return e - s >= 10 && (b[s + 4] === 45 || b[s + 4] === 47);
}
