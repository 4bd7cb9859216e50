/**
 * The reference selector: scans every position at every check. O(book) per check, so only
 * for verifying the sweep (bench/cascade.mjs and the unit tests assert they agree).
 */
import { runEngine } from './engine';
import type { CascadeOptions, RawRun } from './run';
import { liqNow, take, type SelectorFactory } from './state';

export const scanSelector: SelectorFactory = (st) => {
  const { side, liq } = st.book;
  const n = st.book.n;
  return {
    collect(s, mark, step, out) {
      for (let i = 0; i < n; i++) {
        if (side[i] !== s || !(st.remaining[i] > 0) || st.lastChunk[i] === step) continue;
        // a position posting a collateral marked below par has a moved liquidation price
        const L = st.coll && st.cval !== 1 ? liqNow(st, i) : liq[i];
        const hit = s === 1 ? mark <= L : mark >= L;
        if (hit) out.add(i, take(st, i, step));
      }
    },
  };
};

/** Runs the engine with the naive scan (same options as cascade, raw result). */
export function cascadeReference(o: CascadeOptions): RawRun {
  return runEngine(o, scanSelector);
}

/** Compares two runs' liquidations: per-position liquidated quantity, per-step notional and marks. */
export function compareRuns(
  a: RawRun,
  b: RawRun,
  tol = 1e-9,
): { equal: boolean; maxRelDiff: number; details: string[] } {
  const details: string[] = [];
  let worst = 0;
  const rel = (x: number, y: number) => Math.abs(x - y) / Math.max(Math.abs(x), Math.abs(y), 1e-300);
  const check = (what: string, x: ArrayLike<number>, y: ArrayLike<number>, absFloor = 0) => {
    if (x.length !== y.length) {
      details.push(`${what}: lengths ${x.length} vs ${y.length}`);
      worst = Infinity;
      return;
    }
    for (let i = 0; i < x.length; i++) {
      if (x[i] === y[i]) continue;
      const d = Math.abs(x[i] - y[i]) <= absFloor ? 0 : rel(x[i], y[i]);
      if (d > worst) worst = d;
      if (d > tol && details.length < 10) details.push(`${what}[${i}]: ${x[i]} vs ${y[i]}`);
    }
  };
  check('remaining size', a.remaining, b.remaining, 1e-12);
  check('long liquidated notional per step', a.liqLongNotional, b.liqLongNotional, 1e-6);
  check('short liquidated notional per step', a.liqShortNotional, b.liqShortNotional, 1e-6);
  check('liquidations per step (long)', a.liqLongCount, b.liqLongCount);
  check('liquidations per step (short)', a.liqShortCount, b.liqShortCount);
  check('close mark', a.close, b.close);
  check('events', [a.evPos.length], [b.evPos.length]);
  // ADL on positions: per position closed quantity and haircut, per step closed notional
  check('ADL closed quantity', a.adlLog.qty, b.adlLog.qty, 1e-12);
  check('ADL haircut', a.adlLog.haircut, b.adlLog.haircut, 1e-9);
  check('ADL closed long notional per step', a.adlClosedLong, b.adlClosedLong, 1e-6);
  check('ADL closed short notional per step', a.adlClosedShort, b.adlClosedShort, 1e-6);
  check('withdrawn depth per step', a.withdrawn, b.withdrawn, 1e-12);
  // which step each position was (first) liquidated in
  const firstStep = (r: RawRun) => {
    const f = new Int32Array(r.remaining.length).fill(-1);
    for (let k = 0; k < r.evPos.length; k++) if (f[r.evPos[k]] < 0) f[r.evPos[k]] = r.evStep[k];
    return f;
  };
  check('first liquidation step', firstStep(a), firstStep(b));
  return { equal: worst <= tol, maxRelDiff: worst, details };
}
