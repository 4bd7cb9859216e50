/**
 * Notebook renderer for TABLE_MIME (application/vnd.mktnb.table+json): a sortable table with
 * numbers formatted by the shared per-column rules (src/shared/format.ts), dates, the head and tail of long tables with
 * "… N rows …" between them, the total row count and the footer. Text only through
 * textContent: a cell holding "<img onerror=…>" shows those characters.
 *
 * A long table whose rows the kernel keeps (`live.handle`) is paged: each page, a jump to a row
 * and a sort by any column are asked of the kernel (src/shared/output-requests.ts). Without that
 * kernel (a reopened file, a restart, an HTML export) it shows the stored head and tail and says so.
 *
 * The view and its pager are here; a row's cells, the gap row and the local sort are tableCells.ts.
 */
import { validateTable, type TableOutput, type TableValue } from '../src/shared/schemas';
import { isOutputHandle, type OutputReply, type OutputRequest } from '../src/shared/output-requests';
import { isExtensionToRenderer } from '../src/shared/renderer-messages';
import type { ActivationFunction, RendererContext } from 'vscode-notebook-renderer';
import { tableFormatters } from '../src/shared/format';
import { installStyle } from './style';
import { showError } from './dom';
import { gapRow, pagerButton, rowElement, sortedRows } from './tableCells';

const HEADLINE = 'This table output cannot be shown:';

type SortState = { col: number; dir: 1 | -1 } | null;

/** Tunables; exported for the browser tests. */
// 20 rows: a page is as tall as the stored head and tail (10 + 10), so a notebook keeps its
// layout when the kernel comes or goes, and the cells below stay in reach
export const tableOptions = { pageRows: 20 };

let ctxRef: RendererContext<unknown> | undefined;
let seq = 0;
const waiting = new Map<string, TableView>();

class TableView {
  private sort: SortState = null;
  private readonly tbody: HTMLTableSectionElement;
  private readonly headers: HTMLTableCellElement[] = [];
  private readonly sortNote: HTMLDivElement;
  /** one formatter per column, its rule decided from all its rows */
  private fmt?: Array<(v: unknown) => string>;
  /** the kernel's handle of the full table, while the kernel has it */
  private handle: string | undefined;
  /** the page shown, when it came from the kernel */
  private page: { offset: number; rows: TableValue[][] } | undefined;
  private req: string | undefined;
  private readonly pager: HTMLDivElement;
  private readonly pos: HTMLSpanElement;
  private readonly foot: HTMLDivElement;
  private readonly numHead: HTMLTableCellElement;

  constructor(
    readonly id: string,
    readonly element: HTMLElement,
    readonly t: TableOutput,
  ) {
    this.handle = t.live && isOutputHandle(t.live.handle) && ctxRef?.postMessage ? t.live.handle : undefined;
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
    // row numbers: shown with kernel pages (where "jump to row" needs them)
    this.numHead = document.createElement('th');
    this.numHead.className = 'num rownum';
    this.numHead.textContent = '#';
    this.numHead.scope = 'col';
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
    this.foot = document.createElement('div');
    this.foot.className = 'mktnb-table-footer';
    this.storedFooter();
    this.sortNote = document.createElement('div');
    this.sortNote.className = 'mktnb-table-footer';
    this.sortNote.hidden = true;
    this.pager = document.createElement('div');
    this.pager.className = 'mktnb-pager';
    this.pager.setAttribute('role', 'toolbar');
    this.pos = document.createElement('span');
    this.pos.className = 'mktnb-pager-pos';
    const jump = document.createElement('input');
    jump.type = 'number';
    jump.min = '1';
    jump.max = String(t.totalRows);
    jump.placeholder = 'row';
    jump.setAttribute('aria-label', 'Go to row');
    const go = () => {
      const r = Math.floor(Number(jump.value));
      if (r >= 1) this.fetch(Math.min(r, t.totalRows) - 1);
    };
    jump.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') go();
    });
    const last = () => Math.max(0, t.totalRows - tableOptions.pageRows);
    this.pager.append(
      pagerButton('⏮', 'First page', () => this.fetch(0)),
      pagerButton('◀', 'Previous page', () =>
        this.fetch(Math.max(0, (this.page?.offset ?? 0) - tableOptions.pageRows)),
      ),
      this.pos,
      pagerButton('▶', 'Next page', () =>
        this.fetch(Math.min(last(), (this.page?.offset ?? 0) + (this.page ? tableOptions.pageRows : 0))),
      ),
      pagerButton('⏭', 'Last page', () => this.fetch(last())),
      jump,
      pagerButton('Go', 'Go to row', go),
    );
    this.pager.hidden = !this.handle;
    wrap.append(this.pager, this.sortNote, this.foot);
    element.replaceChildren(wrap);
    this.fill();
    if (this.handle) this.fetch(0);
  }

  private storedFooter(extra = ''): void {
    const t = this.t;
    const shown = t.rows.length;
    this.foot.textContent = `${t.totalRows.toLocaleString('en-US')} row${t.totalRows === 1 ? '' : 's'}${shown < t.totalRows ? ` (first ${t.headRows ?? shown} and last ${shown - (t.headRows ?? shown)} shown)` : ''}${t.footer ? ` · ${t.footer}` : ''}${extra}`;
  }

  /** Asks the kernel for the page starting at row `offset` (in the current sort order); only the latest request counts. */
  private fetch(offset: number): void {
    if (!this.handle) return;
    if (this.req) {
      waiting.delete(this.req);
      ctxRef?.postMessage?.({ type: 'kernel-cancel', requestId: this.req });
    }
    const requestId = `${this.id}:t${++seq}`;
    this.req = requestId;
    waiting.set(requestId, this);
    const request: OutputRequest = {
      op: 'table-page',
      handle: this.handle,
      offset,
      limit: tableOptions.pageRows,
      ...(this.sort ? { sort: { column: this.sort.col, descending: this.sort.dir === -1 } } : {}),
    };
    this.element.querySelector('.mktnb-table-wrap')?.setAttribute('aria-busy', 'true');
    ctxRef?.postMessage?.({ type: 'kernel-request', requestId, request });
  }

  reply(requestId: string, reply: OutputReply): void {
    if (requestId !== this.req) return;
    this.req = undefined;
    this.element.querySelector('.mktnb-table-wrap')?.removeAttribute('aria-busy');
    if (!reply.ok) {
      if (reply.error.code === 'cancelled') return;
      if (reply.error.code === 'gone' || reply.error.code === 'no-kernel') {
        // the kernel no longer has the rows: the stored head and tail, sorted locally
        this.handle = undefined;
        this.page = undefined;
        // a sort the kernel made does not carry over to the stored rows: back to their order
        this.sort = null;
        this.showSort();
        this.pager.hidden = true;
        this.element.dataset.paged = 'stored';
        this.storedFooter(
          ` · the kernel that made this table no longer has its rows (${reply.error.code === 'no-kernel' ? 'no kernel is running' : 'restarted or released'}): rerun the cell to page through all of them`,
        );
        this.fill();
        return;
      }
      this.pos.textContent = `Could not get rows: ${reply.error.message}`;
      return;
    }
    if (reply.result.op !== 'table-page') return;
    const { rows, offset, totalRows } = reply.result;
    if (!rows.every((r) => Array.isArray(r) && r.length === this.t.columns.length)) return;
    this.page = { offset, rows };
    this.element.dataset.paged = 'kernel';
    this.element.dataset.offset = String(offset);
    const end = offset + rows.length;
    this.pos.textContent = `Rows ${(offset + 1).toLocaleString('en-US')}–${end.toLocaleString('en-US')} of ${totalRows.toLocaleString('en-US')}`;
    this.foot.textContent = `${totalRows.toLocaleString('en-US')} rows${this.sort ? `, sorted by ${this.t.columns[this.sort.col].name} ${this.sort.dir === 1 ? 'ascending' : 'descending'}` : ''}${this.t.footer ? ` · ${this.t.footer}` : ''}`;
    this.fill();
  }

  private toggleSort(col: number): void {
    if (!this.sort || this.sort.col !== col) this.sort = { col, dir: 1 };
    else if (this.sort.dir === 1) this.sort = { col, dir: -1 };
    else this.sort = null;
    this.showSort();
    if (this.handle)
      this.fetch(0); // the kernel sorts all rows
    else this.fill();
  }

  private showSort(): void {
    this.headers.forEach((th, i) => {
      const s = this.sort && this.sort.col === i ? this.sort.dir : 0;
      th.setAttribute('aria-sort', s === 1 ? 'ascending' : s === -1 ? 'descending' : 'none');
      th.querySelector('.arrow')!.textContent = s === 1 ? '▲' : s === -1 ? '▼' : '';
    });
  }

  private fill(): void {
    const t = this.t;
    this.fmt ??= tableFormatters(t.columns, t.rows);
    // the row-number column exists only while kernel pages are shown (stored rows have no position)
    if (this.page && !this.numHead.isConnected) this.headers[0]?.before(this.numHead);
    else if (!this.page) this.numHead.remove();
    if (this.page) {
      this.fillPage(this.page);
      return;
    }
    const rows = sortedRows(t.rows, this.sort);
    const elided = t.headRows !== undefined && t.rows.length < t.totalRows;
    this.sortNote.hidden = !(this.sort && elided);
    this.sortNote.textContent =
      this.sort && elided
        ? `Sorted the ${t.rows.length} rows shown, not all ${t.totalRows.toLocaleString('en-US')}.`
        : '';
    const frag = document.createDocumentFragment();
    rows.forEach(({ r }, k) => {
      if (!this.sort && elided && k === t.headRows) frag.append(gapRow(t.columns.length, t.totalRows - t.rows.length));
      frag.append(rowElement(t.columns, this.fmt!, r));
    });
    this.tbody.replaceChildren(frag);
  }

  /** A page from the kernel, each row with its number (in the current order). */
  private fillPage(page: { offset: number; rows: TableValue[][] }): void {
    const frag = document.createDocumentFragment();
    this.sortNote.hidden = true;
    page.rows.forEach((r, k) => {
      const tr = rowElement(this.t.columns, this.fmt!, r);
      const td = document.createElement('td');
      td.className = 'num rownum';
      td.textContent = (page.offset + k + 1).toLocaleString('en-US');
      tr.prepend(td);
      frag.append(tr);
    });
    this.tbody.replaceChildren(frag);
  }
}

export const activate: ActivationFunction = (ctx) => {
  ctxRef = ctx;
  installStyle();
  const elements = new Map<string, HTMLElement>();
  ctx.onDidReceiveMessage?.((m: unknown) => {
    if (!isExtensionToRenderer(m) || m.type !== 'kernel-reply') return;
    const v = waiting.get(m.requestId);
    waiting.delete(m.requestId);
    v?.reply(m.requestId, m.reply);
  });
  return {
    renderOutputItem(item, element) {
      let v: unknown;
      try {
        v = item.json();
      } catch (e) {
        showError(element, HEADLINE, [`the output is not valid JSON: ${(e as Error).message}`]);
        return;
      }
      const problems = validateTable(v);
      if (problems.length) {
        showError(element, HEADLINE, problems);
        return;
      }
      new TableView(item.id, element, v as TableOutput);
      elements.set(item.id, element);
    },
    disposeOutputItem(id) {
      if (id === undefined) {
        for (const e of elements.values()) e.replaceChildren();
        elements.clear();
        return;
      }
      elements.get(id)?.replaceChildren();
      elements.delete(id);
    },
  };
};
