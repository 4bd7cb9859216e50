/**
 * Rich output values a cell can return: a Chart (Plotly figure) and a Table.
 * Both follow the display protocol in src/shared/schemas.ts.
 */
import {
  CHART_MIME,
  CHART_SCHEMA_VERSION,
  DISPLAY,
  TABLE_MIME,
  TABLE_SCHEMA_VERSION,
  TEXT_MIME,
  type ChartOutput,
  type DecimationNote,
  type OutputItem,
  type PlotlyFigure,
  type TableColumn,
  type LiveTrace,
  type TableOutput,
  type TableValue,
} from '../shared/schemas';

/** A chart trace's full data, kept by the kernel for zoom requests (x increasing; epoch ms when time). */
export interface LiveSeries {
  kind: 'series';
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  time: boolean;
}

/** A table's full rows, kept by the kernel for page requests; `sortKey(j)`: numbers to sort column j by (dates as epoch ms). */
export interface LiveTable {
  kind: 'table';
  length: number;
  row(i: number): TableValue[];
  sortKey?(column: number): ArrayLike<number> | undefined;
}

export type LiveSource = LiveSeries | LiveTable;

/**
 * Where outputs leave their full data. The kernel installs a registry (src/kernel/outputData.ts)
 * that returns an opaque handle; elsewhere (a plain Node program, the CLI's export) there is
 * none and outputs hold only what they store.
 */
export const liveOutputs: { register: ((source: LiveSource) => string | undefined) | undefined } = {
  register: undefined,
};

function registerLive(source: LiveSource): string | undefined {
  try {
    return liveOutputs.register?.(source);
  } catch {
    return undefined;
  }
}

/**
 * A Plotly figure as a cell output (CHART_MIME, drawn by the chart renderer): what every plot.*
 * builder returns. Show it with display(chart) or as a cell's last value. `options.title` names
 * it in text outputs; `decimation` records the points dropped for storage.
 * @example
 * new Chart({ data: [{ type: 'bar', x: ['a', 'b'], y: [1, 2] }], layout: { title: { text: 'Two bars' } } }).toJSON() // => {"kind": "chart", "title": "Two bars"}
 */
export class Chart {
  constructor(
    public figure: PlotlyFigure,
    public options: {
      title?: string;
      decimation?: DecimationNote[];
      live?: Array<{ trace: number; source: LiveSeries }>;
    } = {},
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
    const out = this.toJSON();
    // handles are made when shown (each display of the chart is an output of its own)
    const live: LiveTrace[] = [];
    for (const l of this.options.live ?? []) {
      const handle = registerLive(l.source);
      if (handle) live.push({ trace: l.trace, handle, points: l.source.y.length });
    }
    if (live.length) out.live = live;
    return [
      { mime: CHART_MIME, data: out },
      { mime: TEXT_MIME, data: `Chart${t ? ` "${t}"` : ''} with ${traces} trace${traces === 1 ? '' : 's'}` },
    ];
  }
}

function titleOf(f: PlotlyFigure): string | undefined {
  const t = f.layout?.title;
  if (typeof t === 'string') return t;
  const text = (t as { text?: unknown } | null | undefined)?.text;
  return typeof text === 'string' ? text : undefined;
}

/** Rows shown at each end of a long table. */
export const TABLE_EDGE_ROWS = 10;

/** Rows made on demand (a 10,000,000-point Series shows 20 of them: only those are built); `sortKey` as in LiveTable. */
export interface LazyRows {
  length: number;
  row(i: number): TableValue[];
  sortKey?(column: number): ArrayLike<number> | undefined;
}

/**
 * A table as a cell output (TABLE_MIME, drawn by the table renderer), with a text rendering for
 * text outputs. A long table stores its first and last `edgeRows` rows (default 10); the kernel
 * keeps the rest for paging.
 * @example
 * const t = new Table([{ name: 'asset', type: 'string' }, { name: 'r', type: 'number' }], Array.from({ length: 30 }, (_, i) => [`A${i}`, i]))
 * t.toJSON() // => {"kind": "table", "totalRows": 30, "headRows": 10}
 * t.toJSON().rows.length // => 20
 */
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
    const pick = (from: number, to: number): TableValue[][] => {
      const r: TableValue[][] = [];
      for (let i = from; i < to; i++) r.push(at(i));
      return r;
    };
    const long = n > 2 * edge + 1;
    const rows = long ? [...pick(0, edge), ...pick(n - edge, n)] : Array.isArray(src) ? src : pick(0, n);
    const out: TableOutput = {
      kind: 'table',
      version: TABLE_SCHEMA_VERSION,
      columns: this.columns,
      rows,
      totalRows: n,
    };
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
    if (t.headRows !== undefined)
      body.splice(
        t.headRows,
        0,
        t.columns.map(() => '…'),
      );
    const all = [t.columns.map((c) => c.name), ...body];
    const widths = t.columns.map((_, i) => Math.max(...all.map((r) => r[i].length)));
    const lines = all.map((r) =>
      r
        .map((s, i) => (t.columns[i].type === 'number' ? s.padStart(widths[i]) : s.padEnd(widths[i])))
        .join('  ')
        .trimEnd(),
    );
    const head = t.title ? [t.title] : [];
    const foot = [`[${t.totalRows} row${t.totalRows === 1 ? '' : 's'}]`, ...(t.footer ? [t.footer] : [])];
    return [...head, ...lines, ...foot].join('\n');
  }

  [DISPLAY](): OutputItem[] {
    const out = this.toJSON();
    // a long table leaves its rows in the kernel, so the renderer can page through all of them
    if (out.headRows !== undefined) {
      const src = this.rows;
      const handle = registerLive(
        Array.isArray(src)
          ? { kind: 'table', length: src.length, row: (i) => src[i] }
          : {
              kind: 'table',
              length: src.length,
              row: (i) => src.row(i),
              sortKey: src.sortKey ? (j) => src.sortKey!(j) : undefined,
            },
      );
      if (handle) out.live = { handle };
    }
    return [
      { mime: TABLE_MIME, data: out },
      { mime: TEXT_MIME, data: this.toText() },
    ];
  }
}
