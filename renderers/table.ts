/**
 * Notebook renderer for TABLE_MIME (application/vnd.mktnb.table+json): a sortable table with
 * numbers formatted by the shared per-column rules (src/shared/format.ts), dates, the head and tail of long tables with
 * "… N rows …" between them, the total row count and the footer. Text only through
 * textContent: a cell holding "<img onerror=…>" shows those characters.
 */
import { validateTable, type TableColumn, type TableOutput, type TableValue } from '../src/shared/schemas';
import type { ActivationFunction } from './api';
import { tableFormatters } from '../src/shared/format';
import { installStyle } from './style';

function isMissing(v: TableValue): boolean {
  return v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v));
}

function compare(a: TableValue, b: TableValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

type SortState = { col: number; dir: 1 | -1 } | null;

class TableView {
  private sort: SortState = null;
  private readonly tbody: HTMLTableSectionElement;
  private readonly headers: HTMLTableCellElement[] = [];
  private readonly sortNote: HTMLDivElement;
  /** one formatter per column, its rule decided from all its rows */
  private fmt?: Array<(v: unknown) => string>;

  constructor(readonly element: HTMLElement, readonly t: TableOutput) {
    const wrap = document.createElement('div');
    wrap.className = 'mktnb-table-wrap';
    if (t.title) {
      const h = document.createElement('div');
      h.className = 'mktnb-table-title';
      h.textContent = t.title;
      wrap.append(h);
    }
    const table = document.createElement('table');
    table.className = 'mktnb-table';
    const thead = table.createTHead();
    const hr = thead.insertRow();
    t.columns.forEach((c, i) => {
      const th = document.createElement('th');
      th.scope = 'col';
      if (c.type === 'number') th.className = 'num';
      th.setAttribute('aria-sort', 'none');
      const b = document.createElement('button');
      b.type = 'button';
      b.title = `Sort by ${c.name}`;
      const label = document.createElement('span');
      label.textContent = c.name;
      const arrow = document.createElement('span');
      arrow.className = 'arrow';
      b.append(label, arrow);
      b.addEventListener('click', () => this.toggleSort(i));
      th.append(b);
      hr.append(th);
      this.headers.push(th);
    });
    this.tbody = table.createTBody();
    wrap.append(table);
    const foot = document.createElement('div');
    foot.className = 'mktnb-table-footer';
    const shown = t.rows.length;
    foot.textContent = `${t.totalRows.toLocaleString('en-US')} row${t.totalRows === 1 ? '' : 's'}${shown < t.totalRows ? ` (first ${t.headRows ?? shown} and last ${shown - (t.headRows ?? shown)} shown)` : ''}${t.footer ? ` · ${t.footer}` : ''}`;
    this.sortNote = document.createElement('div');
    this.sortNote.className = 'mktnb-table-footer';
    this.sortNote.hidden = true;
    wrap.append(this.sortNote, foot);
    element.replaceChildren(wrap);
    this.fill();
  }

  private toggleSort(col: number): void {
    if (!this.sort || this.sort.col !== col) this.sort = { col, dir: 1 };
    else if (this.sort.dir === 1) this.sort = { col, dir: -1 };
    else this.sort = null;
    this.headers.forEach((th, i) => {
      const s = this.sort && this.sort.col === i ? this.sort.dir : 0;
      th.setAttribute('aria-sort', s === 1 ? 'ascending' : s === -1 ? 'descending' : 'none');
      th.querySelector('.arrow')!.textContent = s === 1 ? '▲' : s === -1 ? '▼' : '';
    });
    this.fill();
  }

  private fill(): void {
    const t = this.t;
    const rows = t.rows.map((r, i) => ({ r, i }));
    const elided = t.headRows !== undefined && t.rows.length < t.totalRows;
    if (this.sort) {
      const { col, dir } = this.sort;
      // missing values last in both directions (as pandas' na_position='last')
      rows.sort((a, b) => {
        const ma = isMissing(a.r[col]), mb = isMissing(b.r[col]);
        if (ma || mb) return ma && mb ? a.i - b.i : ma ? 1 : -1;
        return dir * compare(a.r[col], b.r[col]) || a.i - b.i;
      });
    }
    this.sortNote.hidden = !(this.sort && elided);
    this.sortNote.textContent = this.sort && elided ? `Sorted the ${t.rows.length} rows shown, not all ${t.totalRows.toLocaleString('en-US')}.` : '';
    const frag = document.createDocumentFragment();
    this.fmt ??= tableFormatters(t.columns, t.rows);
    const fmt = this.fmt;
    rows.forEach(({ r }, k) => {
      if (!this.sort && elided && k === t.headRows) frag.append(this.gapRow(t.totalRows - t.rows.length));
      const tr = document.createElement('tr');
      r.forEach((v, j) => {
        const c = t.columns[j];
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
      frag.append(tr);
    });
    this.tbody.replaceChildren(frag);
  }

  private gapRow(n: number): HTMLTableRowElement {
    const tr = document.createElement('tr');
    tr.className = 'gap';
    const td = document.createElement('td');
    td.colSpan = this.t.columns.length;
    td.textContent = `… ${n.toLocaleString('en-US')} row${n === 1 ? '' : 's'} …`;
    tr.append(td);
    return tr;
  }
}

function showError(element: HTMLElement, problems: string[]): void {
  const box = document.createElement('div');
  box.className = 'mktnb-error';
  box.setAttribute('role', 'alert');
  const h = document.createElement('div');
  h.className = 'mktnb-error-title';
  h.textContent = 'This table output cannot be shown:';
  const ul = document.createElement('ul');
  for (const p of problems) { const li = document.createElement('li'); li.textContent = p; ul.append(li); }
  box.append(h, ul);
  element.replaceChildren(box);
}

export const activate: ActivationFunction = () => {
  installStyle();
  const elements = new Map<string, HTMLElement>();
  return {
    renderOutputItem(item, element) {
      let v: unknown;
      try { v = item.json(); } catch (e) { showError(element, [`the output is not valid JSON: ${(e as Error).message}`]); return; }
      const problems = validateTable(v);
      if (problems.length) { showError(element, problems); return; }
      new TableView(element, v as TableOutput);
      elements.set(item.id, element);
    },
    disposeOutputItem(id) {
      if (id === undefined) { for (const e of elements.values()) e.replaceChildren(); elements.clear(); return; }
      elements.get(id)?.replaceChildren();
      elements.delete(id);
    },
  };
};
