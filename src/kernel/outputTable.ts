/**
 * The table answer of the output cache (outputData.ts): a page of a registered table's rows
 * in the order asked for, the sort computed once per column and direction and kept.
 */
import type { LiveTable } from '../market/output';
import type { TableValue } from '../shared/schemas';

export interface TableEntry {
  kind: 'table';
  source: LiveTable;
  /** the last sort asked for: its permutation (rows by position) */
  sorted?: { column: number; descending: boolean; order: Uint32Array };
}

export function tablePage(
  e: TableEntry,
  offset: number,
  limit: number,
  sort?: { column: number; descending: boolean },
): { rows: TableValue[][]; offset: number; totalRows: number } {
  const src = e.source;
  const n = src.length;
  const start = Math.min(offset, Math.max(0, n - 1));
  const stop = Math.min(n, start + limit);
  let at = (i: number) => i;
  if (sort) {
    const width = n ? src.row(0).length : 0;
    if (sort.column >= width)
      throw new RangeError(`the table has ${width} columns; cannot sort by column ${sort.column + 1}`);
    if (!e.sorted || e.sorted.column !== sort.column || e.sorted.descending !== sort.descending) {
      e.sorted = { ...sort, order: sortOrder(src, sort.column, sort.descending) };
    }
    const order = e.sorted.order;
    at = (i) => order[i];
  }
  const rows: TableValue[][] = [];
  for (let i = start; i < stop; i++) rows.push(src.row(at(i)));
  return { rows, offset: start, totalRows: n };
}

/**
 * Row order sorted by a column, stable, missing values last in both directions (pandas'
 * na_position='last'). Numeric keys (sortKey) go through an LSD radix sort on the IEEE bits:
 * 10^7 rows in well under a second, where a comparator sort takes several.
 */
export function sortOrder(src: LiveTable, column: number, descending: boolean): Uint32Array {
  const n = src.length;
  const key = src.sortKey?.(column);
  if (key && key.length === n) return radixOrder(key, descending);
  const vals: TableValue[] = new Array(n);
  for (let i = 0; i < n; i++) vals[i] = src.row(i)[column];
  const idx = Array.from({ length: n }, (_, i) => i);
  const missing = (v: TableValue) => v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v));
  const dir = descending ? -1 : 1;
  idx.sort((a, b) => {
    const va = vals[a],
      vb = vals[b];
    const ma = missing(va),
      mb = missing(vb);
    if (ma || mb) return ma && mb ? a - b : ma ? 1 : -1;
    const c =
      typeof va === 'number' && typeof vb === 'number'
        ? va - vb
        : String(va) < String(vb)
          ? -1
          : String(va) > String(vb)
            ? 1
            : 0;
    return dir * c || a - b;
  });
  return Uint32Array.from(idx);
}

function radixOrder(key: ArrayLike<number>, descending: boolean): Uint32Array {
  const n = key.length;
  // finite values first, NaN rows appended after in their own order
  let m = 0;
  for (let i = 0; i < n; i++) if (key[i] === key[i]) m++;
  const hiW = new Uint32Array(m),
    loW = new Uint32Array(m),
    rowOf = new Uint32Array(m);
  // order holds positions into hiW/loW/rowOf
  let order = new Uint32Array(m);
  const f = new Float64Array(1),
    u = new Uint32Array(f.buffer);
  const nan: number[] = [];
  let j = 0;
  for (let i = 0; i < n; i++) {
    const v = key[i];
    if (v !== v) {
      nan.push(i);
      continue;
    }
    f[0] = v === 0 ? 0 : v; // -0 sorts with 0
    let h = u[1],
      l = u[0];
    // sortable bits: flip all for negatives, the sign bit for positives; descending: invert
    if (h & 0x80000000) {
      h = ~h >>> 0;
      l = ~l >>> 0;
    } else h = (h | 0x80000000) >>> 0;
    if (descending) {
      h = ~h >>> 0;
      l = ~l >>> 0;
    }
    hiW[j] = h;
    loW[j] = l;
    order[j] = j;
    rowOf[j] = i;
    j++;
  }
  let tmp = new Uint32Array(m);
  const count = new Uint32Array(65536);
  for (const [words, shift] of [
    [loW, 0],
    [loW, 16],
    [hiW, 0],
    [hiW, 16],
  ] as const) {
    count.fill(0);
    for (let k = 0; k < m; k++) count[(words[order[k]] >>> shift) & 0xffff]++;
    let sum = 0;
    for (let d = 0; d < 65536; d++) {
      const c = count[d];
      count[d] = sum;
      sum += c;
    }
    for (let k = 0; k < m; k++) {
      const r = order[k];
      tmp[count[(words[r] >>> shift) & 0xffff]++] = r;
    }
    [order, tmp] = [tmp, order];
  }
  const out = new Uint32Array(n);
  for (let k = 0; k < m; k++) out[k] = rowOf[order[k]];
  out.set(nan, m);
  return out;
}
