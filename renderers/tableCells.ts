/**
 * The table renderer's stateless DOM and ordering (table.ts holds the view and its pager): one
 * row's cells with their classes and exact-value titles, the "… N rows …" gap row, a pager
 * button, and the local sort of the stored rows. Text only through textContent.
 */
import type { TableColumn, TableValue } from '../src/shared/schemas';

function isMissing(v: TableValue): boolean {
  return v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v));
}

function compare(a: TableValue, b: TableValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/**
 * The stored rows in display order: as stored, or sorted by one column (stable; missing values
 * last in both directions, as pandas' na_position='last').
 */
export function sortedRows(
  rows: TableValue[][],
  sort: { col: number; dir: 1 | -1 } | null,
): Array<{ r: TableValue[]; i: number }> {
  const out = rows.map((r, i) => ({ r, i }));
  if (sort) {
    const { col, dir } = sort;
    out.sort((a, b) => {
      const ma = isMissing(a.r[col]),
        mb = isMissing(b.r[col]);
      if (ma || mb) return ma && mb ? a.i - b.i : ma ? 1 : -1;
      return dir * compare(a.r[col], b.r[col]) || a.i - b.i;
    });
  }
  return out;
}

/** One row: each value formatted by its column's formatter; numbers right-aligned, negatives and missing values marked. */
export function rowElement(
  columns: TableColumn[],
  fmt: Array<(v: unknown) => string>,
  r: TableValue[],
): HTMLTableRowElement {
  const tr = document.createElement('tr');
  r.forEach((v, j) => {
    const c = columns[j];
    const td = document.createElement('td');
    td.textContent = fmt[j](v);
    const cls: string[] = [];
    if (c.type === 'number') cls.push('num');
    if (v === null) cls.push('missing');
    if (typeof v === 'number' && v < 0 && c.type === 'number') cls.push('neg');
    if (cls.length) td.className = cls.join(' ');
    if (c.type === 'number' && typeof v === 'number') td.title = String(v);
    tr.append(td);
  });
  return tr;
}

/** The row standing for the n rows between the stored head and tail. */
export function gapRow(colSpan: number, n: number): HTMLTableRowElement {
  const tr = document.createElement('tr');
  tr.className = 'gap';
  const td = document.createElement('td');
  td.colSpan = colSpan;
  td.textContent = `… ${n.toLocaleString('en-US')} row${n === 1 ? '' : 's'} …`;
  tr.append(td);
  return tr;
}

export function pagerButton(label: string, title: string, onClick: () => void): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'mktnb-button';
  b.textContent = label;
  b.title = title;
  b.setAttribute('aria-label', title);
  b.addEventListener('click', onClick);
  return b;
}
