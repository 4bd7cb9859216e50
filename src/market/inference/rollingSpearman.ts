/**
 * Rolling Spearman correlation with ranks updated per step instead of re-ranked per window.
 *
 * Spearman = Pearson of the (doubled, integer) average ranks R, S within the window. Σ R and,
 * through the tie groups, Σ(R - (w+1))² = (w³ - w - Σ(t³ - t))/3 are O(1) per step from window
 * counts per value (Fenwick trees also give the newcomer's ranks in O(log n)). The cross term
 * Σ R·S is the one that costs: when the window slides, the leaver and the newcomer shift the
 * ranks of every other point by 0, 1 or 2 in each variable, so the ranks are kept in a ring and
 * adjusted in one branch-free pass that sums R·S exactly (integers): O(w) per step, O(n·w) in
 * all, without sorting, equal to scipy's per-window spearmanr to the last bits of the division.
 *
 * Why not O(n log w): the change of Σ R·S when a point p enters is
 *   Σ_(x_i > x_p) S_i + Σ_(x_i ≥ x_p) S_i + (the same with x and y swapped) + quadrant counts + R_p S_p,
 * and Σ_(x_i > X) S_i (the y-ranks summed over an x half-plane) equals |U|(|U|+1)/2 plus the
 * number of concordant pairs straddling the cut x = X, a count of PAIRS in a dynamic set. A
 * Fenwick tree over x holding S_i would need O(w) point updates per step, since every S_i above
 * y_p moves; a 2-d tree counts points, not pairs. Known O(log n) online Spearman algorithms
 * (e.g. the "monotonic" ones of the fast-corr library) need one variable to arrive in sorted
 * order (time as x), which a rolling window of two price series does not give. Blocked
 * (sqrt-decomposition) structures over x/y blocks cost ~10·√(2w) + 40·block operations per
 * update, about 2,700 at w = 1,440: an estimated 4-5x over this pass, not the 20x that the
 * sub-second goal needs, for much more code; not built. See docs/analysis.md.
 */
import { argsortFloat64, rankAverage } from '../stats';

/**
 * Spearman correlation of x and y over each window of w points ending at i (NaN where the
 * window holds a non-finite value, for the first w-1 points, or where ranks are constant).
 */
export function rollingSpearmanComplete(x: Float64Array, y: Float64Array, w: number): Float64Array {
  const n = x.length;
  const out = new Float64Array(n).fill(NaN);
  // values replaced by their dense order ids (equal values share one): the inner loop then
  // compares and adds Int32s, with comparisons turned into 0/1 by unary + (branch-free): ~1.7x
  // faster in V8 than the loop on doubles with branches (measured side by side)
  const gx = denseIds(x), gy = denseIds(y);
  const rx = new Int32Array(w), ry = new Int32Array(w); // doubled ranks 2·less + equal + 1
  const bx = new Int32Array(w), by = new Int32Array(w); // window ids in ring order
  // window counts per id (Fenwick trees give the newcomer's rank; the counts give the ties):
  // Σ(R - (w+1))² = (w³ - w - Σ_groups (t³ - t))/3 for doubled average ranks, so only Σ R·S
  // is summed in the pass
  const fx = new Fenwick(maxId(gx) + 1), fy = new Fenwick(maxId(gy) + 1);
  let tx = 0, ty = 0; // Σ (t³ - t) over the tie groups in the window
  const m = w + 1, base = w * m * m; // mean doubled rank w + 1; Σ R·S - w(w+1)² is the centred sum
  const full = w * w * w - w;
  let head = 0; // ring slot of the oldest point
  let valid = false; // ring holds the complete window ending at i-1
  for (let i = w - 1; i < n; i++) {
    if (!valid) {
      // (re)start: the window ending at i must be complete
      let ok = true;
      for (let j = i - w + 1; j <= i; j++) if (gx[j] < 0 || gy[j] < 0) { ok = false; break; }
      if (!ok) continue;
      fx.clear(); fy.clear(); tx = 0; ty = 0;
      for (let j = i - w + 1; j <= i; j++) { tx += 3 * fx.add(gx[j], 1); ty += 3 * fy.add(gy[j], 1); }
      const ax = rankAverage(x.slice(i - w + 1, i + 1)), ay = rankAverage(y.slice(i - w + 1, i + 1));
      let srs = 0;
      for (let j = 0; j < w; j++) { bx[j] = gx[i - w + 1 + j]; by[j] = gy[i - w + 1 + j]; rx[j] = 2 * ax[j]; ry[j] = 2 * ay[j]; srs += rx[j] * ry[j]; }
      head = 0; valid = true;
      out[i] = fromSums(srs - base, full - tx, full - ty);
      continue;
    }
    const xn = gx[i], yn = gy[i];
    if (xn < 0 || yn < 0) { valid = false; continue; }
    const xo = bx[head], yo = by[head];
    // counts: the leaver out, the newcomer in (add returns c(c+1) for a count going c -> c+1, so
    // 3·that is the change of t³ - t; removing gives -(c-1)c for c -> c-1)
    tx += 3 * fx.add(xo, -1); ty += 3 * fy.add(yo, -1);
    tx += 3 * fx.add(xn, 1); ty += 3 * fy.add(yn, 1);
    const srs = pass(rx, ry, bx, by, 0, head, xn, yn, xo, yo) + pass(rx, ry, bx, by, head + 1, w, xn, yn, xo, yo);
    // the newcomer: 2·less + equal (itself included) + 1
    const r = 2 * fx.prefix(xn - 1) + fx.count[xn] + 1, q = 2 * fy.prefix(yn - 1) + fy.count[yn] + 1;
    bx[head] = xn; by[head] = yn; rx[head] = r; ry[head] = q;
    head = head + 1 === w ? 0 : head + 1;
    out[i] = fromSums(srs + r * q - base, full - tx, full - ty);
  }
  return out;
}

/**
 * The pass over the ring slots [from, to): shifts each rank for the leaver (xo, yo) and the
 * newcomer (xn, yn) (+2 above, +1 equal) and sums the products R·S.
 */
function pass(rx: Int32Array, ry: Int32Array, bx: Int32Array, by: Int32Array, from: number, to: number, xn: number, yn: number, xo: number, yo: number): number {
  let srs = 0;
  for (let s = from; s < to; s++) {
    const a = bx[s], b = by[s];
    const r = (rx[s] + (+(a > xn) + +(a >= xn)) - (+(a > xo) + +(a >= xo))) | 0;
    const q = (ry[s] + (+(b > yn) + +(b >= yn)) - (+(b > yo) + +(b >= yo))) | 0;
    rx[s] = r; ry[s] = q;
    srs += r * q;
  }
  return srs;
}

/** Counts per id with prefix sums (a Fenwick tree). */
class Fenwick {
  tree: Int32Array;
  count: Int32Array;
  constructor(public size: number) { this.tree = new Int32Array(size + 1); this.count = new Int32Array(size); }
  clear(): void { this.tree.fill(0); this.count.fill(0); }
  /** adds d (±1) at id; returns c·(c+1) for a count going c -> c+1, -(c-1)·c for c -> c-1 */
  add(id: number, d: number): number {
    const c = this.count[id];
    this.count[id] = c + d;
    for (let i = id + 1; i <= this.size; i += i & -i) this.tree[i] += d;
    return d > 0 ? c * (c + 1) : -(c - 1) * c;
  }
  /** number of window values with id <= id */
  prefix(id: number): number { let s = 0; for (let i = id + 1; i > 0; i -= i & -i) s += this.tree[i]; return s; }
}

function maxId(ids: Int32Array): number { let m = -1; for (let i = 0; i < ids.length; i++) if (ids[i] > m) m = ids[i]; return m; }

/** Dense order ids of the finite values (equal values share one id), -1 elsewhere. */
function denseIds(v: Float64Array): Int32Array {
  const n = v.length, ids = new Int32Array(n).fill(-1);
  let m = 0;
  for (let i = 0; i < n; i++) if (v[i] - v[i] === 0) m++;
  const pos = new Int32Array(m), vals = new Float64Array(m);
  for (let i = 0, j = 0; i < n; i++) if (v[i] - v[i] === 0) { pos[j] = i; vals[j++] = v[i]; }
  const order = argsortFloat64(vals);
  let id = -1, prev = NaN;
  for (let k = 0; k < m; k++) { const val = vals[order[k]]; if (!(val === prev)) { id++; prev = val; } ids[pos[order[k]]] = id; }
  return ids;
}

/** r from the centred sums Σ(R-m)(S-m), Σ(R-m)², Σ(S-m)² (times 3 for the last two: exact integers). */
function fromSums(cxy: number, cxx3: number, cyy3: number): number {
  return cxx3 > 0 && cyy3 > 0 ? clamp((3 * cxy) / Math.sqrt(cxx3 * cyy3)) : NaN;
}

function clamp(r: number): number { return r > 1 ? 1 : r < -1 ? -1 : r; }
