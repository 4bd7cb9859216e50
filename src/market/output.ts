/**
 * Rich output values a cell can return: a Chart (Plotly figure) and a Table.
 * Both follow the display protocol in src/shared/schemas.ts.
 */
import {
  CHART_MIME, CHART_SCHEMA_VERSION, DISPLAY, TABLE_MIME, TABLE_SCHEMA_VERSION, TEXT_MIME,
  type ChartOutput, type DecimationNote, type OutputItem, type PlotlyFigure, type TableColumn,
  type TableOutput, type TableValue,
} from '../shared/schemas';

export class Chart {
  constructor(
    public figure: PlotlyFigure,
    public options: { title?: string; decimation?: DecimationNote[] } = {},
  ) {}

  toJSON(): ChartOutput {
    const out: ChartOutput = { kind: 'chart', version: CHART_SCHEMA_VERSION, figure: this.figure };
    const title = this.options.title ?? titleOf(this.figure);
    if (title) out.title = title;
    if (this.options.decimation?.length) out.decimation = this.options.decimation;
    return out;
  }

  [DISPLAY](): OutputItem[] {
    const traces = this.figure.data.length;
    const t = this.options.title ?? titleOf(this.figure);
    return [
      { mime: CHART_MIME, data: this.toJSON() },
      { mime: TEXT_MIME, data: `Chart${t ? ` "${t}"` : ''} with ${traces} trace${traces === 1 ? '' : 's'}` },
    ];
  }
}

function titleOf(f: PlotlyFigure): string | undefined {
  const t = (f.layout as any)?.title;
  if (typeof t === 'string') return t;
  if (t && typeof t.text === 'string') return t.text;
  return undefined;
}

/** Rows shown at each end of a long table. */
export const TABLE_EDGE_ROWS = 10;

/** Rows made on demand (a 10,000,000-point Series shows 20 of them: only those are built). */
export interface LazyRows { length: number; row(i: number): TableValue[] }

export class Table {
  constructor(
    public columns: TableColumn[],
    /** all rows, or a way to make row i; only head and tail are stored in the output */
    public rows: TableValue[][] | LazyRows,
    public options: { title?: string; footer?: string; edgeRows?: number } = {},
  ) {}

  toJSON(): TableOutput {
    const edge = this.options.edgeRows ?? TABLE_EDGE_ROWS;
    const n = this.rows.length;
    const src = this.rows;
    const at = Array.isArray(src) ? (i: number) => src[i] : (i: number) => src.row(i);
    const pick = (from: number, to: number): TableValue[][] => { const r: TableValue[][] = []; for (let i = from; i < to; i++) r.push(at(i)); return r; };
    const long = n > 2 * edge + 1;
    const rows = long ? [...pick(0, edge), ...pick(n - edge, n)] : Array.isArray(src) ? src : pick(0, n);
    const out: TableOutput = { kind: 'table', version: TABLE_SCHEMA_VERSION, columns: this.columns, rows, totalRows: n };
    if (long) out.headRows = edge;
    if (this.options.title) out.title = this.options.title;
    if (this.options.footer) out.footer = this.options.footer;
    return out;
  }

  /** Plain-text rendering (also used by the headless runner and for text/plain fallbacks). */
  toText(): string {
    const t = this.toJSON();
    const fmt = (v: TableValue, c: TableColumn): string => {
      if (v === null) return 'NaN';
      if (typeof v === 'number') {
        if (c.percent) return `${(v * 100).toFixed(c.digits ?? 2)}%`;
        if (c.digits !== undefined) return v.toFixed(c.digits);
        return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
      }
      return String(v);
    };
    const body = t.rows.map((r) => r.map((v, i) => fmt(v, t.columns[i])));
    if (t.headRows !== undefined) body.splice(t.headRows, 0, t.columns.map(() => '…'));
    const all = [t.columns.map((c) => c.name), ...body];
    const widths = t.columns.map((_, i) => Math.max(...all.map((r) => r[i].length)));
    const lines = all.map((r) => r.map((s, i) => (t.columns[i].type === 'number' ? s.padStart(widths[i]) : s.padEnd(widths[i]))).join('  ').trimEnd());
    const head = t.title ? [t.title] : [];
    const foot = [`[${t.totalRows} row${t.totalRows === 1 ? '' : 's'}]`, ...(t.footer ? [t.footer] : [])];
    return [...head, ...lines, ...foot].join('\n');
  }

  [DISPLAY](): OutputItem[] {
    return [
      { mime: TABLE_MIME, data: this.toJSON() },
      { mime: TEXT_MIME, data: this.toText() },
    ];
  }
}
