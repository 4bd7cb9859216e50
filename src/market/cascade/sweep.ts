import { liqNow, take, type SelectorFactory, type Sink } from './state';

/**
 * The sweep selector: sorted once, one pointer per side, plus the few partially liquidated
 * positions; positions that post a collateral are also scanned while it is marked below par
 * (their liquidation price then moves), and positions ADL has closed are skipped.
 */
export const sweepSelector: SelectorFactory = (st) => {
  const { longs, shorts } = st.book.order();
  const liq = st.book.liq,
    size = st.book.size,
    entry = st.book.entry,
    remaining = st.remaining,
    lastChunk = st.lastChunk;
  const above = st.partialAbove;
  let pL = 0,
    pS = 0;
  let activeL: number[] = [],
    activeS: number[] = [];
  // positions with a collateral share, by side
  let collL: number[] = [],
    collS: number[] = [];
  if (st.coll) for (let i = 0; i < st.book.n; i++) if (st.coll[i] > 0) (st.book.side[i] === 1 ? collL : collS).push(i);
  const partials = (active: number[], side: 1 | -1, mark: number, step: number, out: Sink): number[] => {
    const keep: number[] = [];
    for (const i of active) {
      if (remaining[i] > 0 && lastChunk[i] !== step && (side === 1 ? mark <= liq[i] : mark >= liq[i]))
        out.add(i, take(st, i, step));
      if (remaining[i] > 0) keep.push(i);
    }
    return keep;
  };
  const collScan = (group: number[], side: 1 | -1, mark: number, step: number, out: Sink): number[] => {
    const keep: number[] = [];
    for (const i of group) {
      if (remaining[i] > 0 && lastChunk[i] !== step && (side === 1 ? mark <= liqNow(st, i) : mark >= liqNow(st, i)))
        out.add(i, take(st, i, step));
      if (remaining[i] > 0) keep.push(i);
    }
    return keep;
  };
  const pass = (i: number, step: number, out: Sink, active: number[]) => {
    if (!(remaining[i] > 0)) return; // closed by ADL, or already by the collateral scan
    const big = size[i] * entry[i] > above;
    if (lastChunk[i] === step) {
      if (big) active.push(i);
      return;
    } // taken this step by the collateral scan
    if (big) {
      out.add(i, take(st, i, step));
      if (remaining[i] > 0) active.push(i);
    } else {
      out.add(i, remaining[i]);
      remaining[i] = 0;
      lastChunk[i] = step;
    }
  };
  return {
    collect(side, mark, step, out) {
      const below = st.cval !== 1;
      if (side === 1) {
        if (below && collL.length) collL = collScan(collL, 1, mark, step, out);
        if (activeL.length) activeL = partials(activeL, 1, mark, step, out);
        while (pL < longs.length && liq[longs[pL]] >= mark) pass(longs[pL++], step, out, activeL);
      } else {
        if (below && collS.length) collS = collScan(collS, -1, mark, step, out);
        if (activeS.length) activeS = partials(activeS, -1, mark, step, out);
        while (pS < shorts.length && liq[shorts[pS]] <= mark) pass(shorts[pS++], step, out, activeS);
      }
    },
  };
};
