/**
 * Ranks: average ranks (Spearman) and the one index sort of the library (corrMatrix spearman, rolling Spearman, the cascade's
 * position book and ADL queue all use it). Two radix argsorts existed (this one, from the
 * cascade, and a radix on the upper 32 bits with tie runs sorted by the lower bits in stats.ts);
 * bench/argsort.mjs timed both on 10^6 keys: this one was as fast or faster on prices (131 vs
 * 144 ms), 6x faster on integer ties (56 vs 322 ms) and 4x on keys closer than Float32
 * resolution (166 vs 696 ms), slower only on returns (139 vs 96 ms), so it stayed.
 */

/**
 * Index sort by a Float64 key: LSD radix sort on the IEEE-754 bits (4 passes of 16 bits).
 * Stable, O(n); about 20x faster than a comparator sort on a million positions.
 * Keys must be finite; negative keys are handled by the usual sign flip.
 */
function argsortFloat64Full(keys: Float64Array, descending = false, subset?: Uint32Array): Uint32Array {
  let idx: Uint32Array<ArrayBuffer>;
  if (subset) idx = subset.slice();
  else {
    idx = new Uint32Array(keys.length);
    for (let i = 0; i < idx.length; i++) idx[i] = i;
  } // (Uint32Array.from with a map function is ~20x slower)
  const n = idx.length;
  if (n < 2) return idx;
  const u32 = new Uint32Array(keys.buffer, keys.byteOffset, keys.length * 2); // little-endian: [lo, hi]
  const hi = new Uint32Array(n),
    lo = new Uint32Array(n);
  for (let j = 0; j < n; j++) {
    const k = idx[j] * 2;
    let h = u32[k + 1],
      l = u32[k];
    if (h & 0x80000000) {
      h = ~h >>> 0;
      l = ~l >>> 0;
    } else {
      h = (h | 0x80000000) >>> 0;
    }
    if (descending) {
      h = ~h >>> 0;
      l = ~l >>> 0;
    }
    hi[j] = h;
    lo[j] = l;
  }
  let a = idx,
    b = new Uint32Array(n);
  let ha = hi,
    la = lo,
    hb = new Uint32Array(n),
    lb = new Uint32Array(n);
  const count = new Uint32Array(65536);
  for (let pass = 0; pass < 4; pass++) {
    const src = pass < 2 ? la : ha;
    const shift = (pass & 1) * 16;
    count.fill(0);
    for (let j = 0; j < n; j++) count[(src[j] >>> shift) & 0xffff]++;
    exclusivePrefixSum(count);
    for (let j = 0; j < n; j++) {
      const d = count[(src[j] >>> shift) & 0xffff]++;
      b[d] = a[j];
      hb[d] = ha[j];
      lb[d] = la[j];
    }
    [a, b] = [b, a];
    [ha, hb] = [hb, ha];
    [la, lb] = [lb, la];
  }
  return a;
}

/** Turns digit counts into start offsets in place: count[k] becomes the sum of count[0..k-1] (one radix pass's buckets). */
function exclusivePrefixSum(count: Uint32Array): void {
  let sum = 0;
  for (let k = 0; k < count.length; k++) {
    const c = count[k];
    count[k] = sum;
    sum += c;
  }
}

/**
 * Stable index sort by a Float64 key (same order as a stable sort on the exact keys).
 * Fast path: a 2-pass radix sort on the keys rounded to Float32 (rounding is monotone, so it
 * can only leave keys that round to the same Float32 out of order), then one insertion-sort
 * pass on the exact keys, which fixes those few local inversions. When the keys are so close
 * together that the insertion pass would do much work, the full 4-pass sort on the Float64
 * bits is used instead.
 */
export function argsortFloat64(keys: Float64Array, descending = false, subset?: Uint32Array): Uint32Array {
  const n = subset ? subset.length : keys.length;
  if (n < 64) return argsortFloat64Full(keys, descending, subset);
  const k32 = new Float32Array(n);
  const u = new Uint32Array(k32.buffer);
  if (subset) for (let j = 0; j < n; j++) k32[j] = keys[subset[j]];
  else for (let j = 0; j < n; j++) k32[j] = keys[j];
  const c0 = new Uint32Array(65536),
    c1 = new Uint32Array(65536);
  for (let j = 0; j < n; j++) {
    let h = u[j];
    h = h & 0x80000000 ? ~h >>> 0 : (h | 0x80000000) >>> 0;
    if (descending) h = ~h >>> 0;
    u[j] = h;
    c0[h & 0xffff]++;
    c1[h >>> 16]++;
  }
  let a = new Uint32Array(n),
    b = new Uint32Array(n),
    ka = u,
    kb = new Uint32Array(n);
  if (subset) a.set(subset);
  else for (let j = 0; j < n; j++) a[j] = j;
  for (let pass = 0; pass < 2; pass++) {
    const count = pass === 0 ? c0 : c1,
      shift = pass * 16;
    if (count[(ka[0] >>> shift) & 0xffff] === n) continue;
    exclusivePrefixSum(count);
    for (let j = 0; j < n; j++) {
      const d = count[(ka[j] >>> shift) & 0xffff]++;
      b[d] = a[j];
      kb[d] = ka[j];
    }
    let t = a;
    a = b;
    b = t;
    t = ka;
    ka = kb;
    kb = t;
  }
  // insertion pass on the exact keys (stable: moves an element only past strictly larger/smaller keys)
  let budget = 4 * n;
  for (let j = 1; j < n; j++) {
    const x = a[j],
      kx = keys[x];
    let i = j - 1;
    if (descending) {
      while (i >= 0 && keys[a[i]] < kx) {
        a[i + 1] = a[i];
        i--;
        budget--;
      }
    } else {
      while (i >= 0 && keys[a[i]] > kx) {
        a[i + 1] = a[i];
        i--;
        budget--;
      }
    }
    a[i + 1] = x;
    if (budget < 0) return argsortFloat64Full(keys, descending, subset);
  }
  return a;
}

/** Average ranks (1-based, ties share the mean rank) of v, as scipy.stats.rankdata. */
export function rankAverage(v: Float64Array): Float64Array {
  const n = v.length;
  if (n > 4096) {
    const order = argsortFloat64(v);
    const out = new Float64Array(n);
    for (let i = 0; i < n;) {
      const x = v[order[i]];
      let j = i;
      while (j + 1 < n && v[order[j + 1]] === x) j++;
      const r = (i + j) / 2 + 1;
      for (let k = i; k <= j; k++) out[order[k]] = r;
      i = j + 1;
    }
    return out;
  }
  const sorted = v.slice().sort();
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = v[i];
    let lo = 0,
      hi = n;
    while (lo < hi) {
      const m = (lo + hi) >>> 1;
      if (sorted[m] < x) lo = m + 1;
      else hi = m;
    }
    let up = lo;
    if (up + 1 < n && sorted[up + 1] === x) {
      let h = n;
      while (up < h) {
        const m = (up + h) >>> 1;
        if (sorted[m] <= x) up = m + 1;
        else h = m;
      }
      out[i] = (lo + 1 + up) / 2;
    } else out[i] = lo + 1;
  }
  return out;
}
