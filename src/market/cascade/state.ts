/**
 * The book's state during a run, as the engine and the selectors share it: each position's
 * remaining size and the step of its last partial chunk, the collateral's value now, and what
 * follows from them (margin factor, liquidation price now, taking a position). A selector
 * (sweep.ts, the reference scan in reference.ts) finds the positions a mark triggers.
 */
import type { PositionBook } from './book';
import { grow } from '../grow';

/** Engine state the selectors read and update. */
export interface EngineState {
  book: PositionBook;
  remaining: Float64Array;
  lastChunk: Int32Array;
  partialAbove: number;
  partialFraction: number;
  /** share of each position's margin held in the collateral (book.collateral), if any */
  coll?: Float64Array;
  /** the collateral's value at the current check (1 = par) */
  cval: number;
}

/** Margin multiplier k of position i at the current collateral value (1 without collateral). */
export function marginFactor(st: EngineState, i: number): number {
  return st.coll && st.cval !== 1 ? 1 - st.coll[i] * (1 - st.cval) : 1;
}

/** Liquidation price of position i now: book.liq unless its collateral is marked below par. */
export function liqNow(st: EngineState, i: number): number {
  const b = st.book;
  if (!st.coll || st.cval === 1 || st.coll[i] === 0) return b.liq[i];
  const k = 1 - st.coll[i] * (1 - st.cval);
  return b.side[i] === 1
    ? (b.entry[i] * (1 - k / b.leverage[i])) / (1 - b.mmr[i])
    : (b.entry[i] * (1 + k / b.leverage[i])) / (1 + b.mmr[i]);
}

/** Liquidates (fully, or one partial chunk) position i at this step; returns the quantity. */
export function take(st: EngineState, i: number, step: number): number {
  const b = st.book;
  const rem = st.remaining[i];
  let q = rem;
  if (b.size[i] * b.entry[i] > st.partialAbove) {
    q = Math.min(rem, st.partialFraction * b.size[i]);
    if (rem - q <= b.size[i] * 1e-12) q = rem;
  }
  st.remaining[i] = q === rem ? 0 : rem - q;
  st.lastChunk[i] = step;
  return q;
}

/** The positions a round liquidates: index and quantity (typed, growable). */
export class Sink {
  pos = new Int32Array(4096);
  qty = new Float64Array(4096);
  n = 0;
  add(i: number, q: number): void {
    if (this.n === this.pos.length) {
      this.pos = grow(this.pos, this.n + 1);
      this.qty = grow(this.qty, this.n + 1);
    }
    this.pos[this.n] = i;
    this.qty[this.n++] = q;
  }
}

/** Finds the positions of one side a mark triggers and liquidates them via `take`. */
export interface Selector {
  /** adds to `out` every position of `side` the mark triggers this round (after `take`) */
  collect(side: 1 | -1, mark: number, step: number, out: Sink): void;
}

export type SelectorFactory = (st: EngineState) => Selector;
