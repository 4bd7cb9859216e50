/**
 * The alignment record every analysis result carries (meta.alignment, result.alignment): the
 * policy used, the number of points used and their first and last dates, and its one-line reading.
 */
import { formatTime, type AlignmentInfo } from './series';

/** The alignment record for an analysis on `index` where `valid[i]` marks the points used. */
export function alignmentOf(
  how: AlignmentInfo['how'],
  index: Float64Array,
  used?: (i: number) => boolean,
): AlignmentInfo {
  let n = 0,
    first = -1,
    last = -1;
  for (let i = 0; i < index.length; i++) {
    if (used && !used(i)) continue;
    n++;
    if (first < 0) first = i;
    last = i;
  }
  const info: AlignmentInfo = { how, n };
  if (first >= 0) {
    info.from = formatTime(index[first]);
    info.to = formatTime(index[last]);
  }
  return info;
}

/** alignmentOf for a result array: the points where it is finite (`finite` = their count when already known). */
export function alignmentOfFinite(
  how: AlignmentInfo['how'],
  index: Float64Array,
  out: Float64Array,
  finite?: number,
): AlignmentInfo {
  let n = 0,
    first = -1,
    last = -1;
  if (finite === undefined) {
    for (let i = 0; i < out.length; i++)
      if (out[i] - out[i] === 0) {
        n++;
        if (first < 0) first = i;
        last = i;
      }
  } else {
    n = finite;
    if (n > 0) {
      first = 0;
      while (out[first] - out[first] !== 0) first++;
      last = out.length - 1;
      while (out[last] - out[last] !== 0) last--;
    }
  }
  const info: AlignmentInfo = { how, n };
  if (first >= 0) {
    info.from = formatTime(index[first]);
    info.to = formatTime(index[last]);
  }
  return info;
}

/**
 * The one-line reading of an alignment record (analysis results show it under their table): the
 * policy, the number of points used and their first and last dates.
 * @param a an AlignmentInfo, e.g. corr(a, b).alignment
 * @returns the text
 * @example
 * describeAlignment({ how: 'inner', n: 2, from: '2024-01-02', to: '2024-01-03' }) // => "alignment: inner; 2 points used, 2024-01-02 .. 2024-01-03"
 * describeAlignment(corr(returns(load('data/BTC-USD.csv')), returns(load('data/GLD.csv'))).alignment) // => "alignment: inner; 540 points used, 2024-01-03 .. 2026-02-27"
 */
export function describeAlignment(a: AlignmentInfo): string {
  const span = a.from ? `, ${a.from} .. ${a.to}` : '';
  const how = a.how === 'none' ? 'no alignment needed (one calendar)' : `alignment: ${a.how}`;
  return `${how}; ${a.n} point${a.n === 1 ? '' : 's'} used${span}`;
}
