/**
 * Output schemas shared by the kernel (Node), the extension host and the renderers (browser).
 * This is the ONE place these shapes are defined: renderers import the types from here and
 * must not redeclare them. Keep this file free of Node and DOM APIs.
 */

/** Mime type of a chart output: JSON matching {@link ChartOutput}. */
export const CHART_MIME = 'application/vnd.mktnb.chart+json';
/** Mime type of a table output: JSON matching {@link TableOutput}. */
export const TABLE_MIME = 'application/vnd.mktnb.table+json';
/** Mime types VS Code knows natively. */
export const TEXT_MIME = 'text/plain';
export const MARKDOWN_MIME = 'text/markdown';
export const HTML_MIME = 'text/html';
export const ERROR_MIME = 'application/vnd.code.notebook.error';
export const STDOUT_MIME = 'application/vnd.code.notebook.stdout';
export const STDERR_MIME = 'application/vnd.code.notebook.stderr';

export const CHART_SCHEMA_VERSION = 1;
export const TABLE_SCHEMA_VERSION = 1;

/** A Plotly figure, kept structurally loose: renderers validate what they draw. */
export interface PlotlyFigure {
  data: Array<Record<string, unknown>>;
  layout?: Record<string, unknown>;
  frames?: Array<Record<string, unknown>>;
  config?: Record<string, unknown>;
}

/** Where a trace's points were reduced for display, the original size is recorded here. */
export interface DecimationNote {
  /** index of the trace in figure.data */
  trace: number;
  /** points in the original series */
  originalPoints: number;
  /** points stored in the output */
  storedPoints: number;
  /** method used to reduce them */
  method: 'lttb' | 'minmax';
}

export interface ChartOutput {
  kind: 'chart';
  version: number;
  figure: PlotlyFigure;
  /** Present when one or more traces were decimated before being stored. */
  decimation?: DecimationNote[];
  /** Optional title for exports (file names, HTML report headings). */
  title?: string;
  /**
   * Traces whose full data stays in the kernel that drew them: on zoom the renderer asks for the
   * visible range by handle (src/shared/output-requests.ts). Without that kernel the stored points are drawn.
   */
  live?: LiveTrace[];
}

/** A chart trace backed by kernel data: an opaque handle valid for the kernel session that made it. */
export interface LiveTrace {
  trace: number;
  handle: string;
  /** points of the full series */
  points: number;
}

export type ColumnType = 'date' | 'number' | 'string' | 'boolean';

export interface TableColumn {
  name: string;
  type: ColumnType;
  /** For numbers: digits after the decimal point to show (renderer default otherwise). */
  digits?: number;
  /** For numbers: show as percentage (value 0.05 -> 5.00%). */
  percent?: boolean;
  /** For numbers: 'currency' ($ with k/m/bn), 'pvalue' (4 decimals, <0.0001), 'integer'. See src/shared/format.ts. */
  format?: 'currency' | 'pvalue' | 'integer';
}

/** A cell value as stored: dates are ISO strings, missing numbers are null. */
export type TableValue = string | number | boolean | null;

export interface TableOutput {
  kind: 'table';
  version: number;
  title?: string;
  columns: TableColumn[];
  /** Rows shown. For long tables, the head rows then the tail rows. */
  rows: TableValue[][];
  /** Total number of rows in the underlying data. */
  totalRows: number;
  /** When rows were elided: how many head rows precede the gap (the rest are tail rows). */
  headRows?: number;
  /** Free text shown under the table (alignment used, number of points, notes). */
  footer?: string;
  /** The full table stays in the kernel: pages are fetched by this handle (src/shared/output-requests.ts). */
  live?: { handle: string };
}

/** One item of a cell output: a mime type and its data (string for text mimes, JSON otherwise). */
export interface OutputItem {
  mime: string;
  data: unknown;
}

/**
 * The display protocol. A value that has a method under this symbol chooses its own outputs:
 * the kernel calls it and shows every returned item, in order. An output is one thing shown in
 * a rich mime (a table, a chart, markdown …) plus its text/plain fallback, in either order
 * (VS Code picks the best mime it can render; text/plain is what every output should carry).
 * So [table, text, chart, text] and [text, table, text, chart] are both two outputs: the table
 * and the chart, each with its text. See {@link splitOutputs}.
 */
export const DISPLAY = Symbol.for('mktnb.display');

export interface Displayable {
  [DISPLAY](): OutputItem[];
}

/**
 * Groups display items into outputs, in order, losing none. An output is complete once it holds
 * a text/plain item and a richer one: the next item starts a new output. A mime already in the
 * current output also starts a new one (two charts in a row are two outputs). Items before the
 * text that are not text (image/png then image/svg+xml) stay alternatives of one output. The one
 * place this rule lives: the VS Code controller and the CLI both call it.
 */
export function splitOutputs(items: OutputItem[]): OutputItem[][] {
  const out: OutputItem[][] = [];
  let cur: OutputItem[] = [];
  const complete = () => cur.some((c) => c.mime === TEXT_MIME) && cur.some((c) => c.mime !== TEXT_MIME);
  for (const it of items) {
    if (cur.length && (complete() || cur.some((c) => c.mime === it.mime))) {
      out.push(cur);
      cur = [];
    }
    cur.push(it);
  }
  if (cur.length) out.push(cur);
  return out;
}

export function isDisplayable(v: unknown): v is Displayable {
  return (
    (typeof v === 'object' || typeof v === 'function') &&
    v !== null &&
    typeof (v as Partial<Displayable>)[DISPLAY] === 'function'
  );
}

/** Checks a chart output, returning a list of problems (empty when valid). Used by renderers and tests. */
export function validateChart(v: unknown): string[] {
  const errs: string[] = [];
  if (typeof v !== 'object' || v === null) return ['chart output is not a JSON object'];
  const c = v as Partial<ChartOutput>;
  if (c.kind !== 'chart') errs.push(`"kind" must be "chart" (got ${JSON.stringify(c.kind)})`);
  if (typeof c.version !== 'number') errs.push('"version" is missing');
  else if (c.version > CHART_SCHEMA_VERSION)
    errs.push(
      `chart schema version ${c.version} is newer than this renderer (${CHART_SCHEMA_VERSION}); update Market Notebooks`,
    );
  const f = c.figure as PlotlyFigure | undefined;
  if (typeof f !== 'object' || f === null) errs.push('"figure" is missing or not an object');
  else {
    if (!Array.isArray(f.data)) errs.push('"figure.data" must be an array of traces');
    else
      f.data.forEach((t, i) => {
        if (typeof t !== 'object' || t === null) errs.push(`figure.data[${i}] is not an object`);
      });
    if (f.layout !== undefined && (typeof f.layout !== 'object' || f.layout === null))
      errs.push('"figure.layout" must be an object');
    if (f.frames !== undefined && !Array.isArray(f.frames)) errs.push('"figure.frames" must be an array');
  }
  return errs;
}

/** Checks a table output, returning a list of problems (empty when valid). */
export function validateTable(v: unknown): string[] {
  const errs: string[] = [];
  if (typeof v !== 'object' || v === null) return ['table output is not a JSON object'];
  const t = v as Partial<TableOutput>;
  if (t.kind !== 'table') errs.push(`"kind" must be "table" (got ${JSON.stringify(t.kind)})`);
  if (typeof t.version !== 'number') errs.push('"version" is missing');
  else if (t.version > TABLE_SCHEMA_VERSION)
    errs.push(`table schema version ${t.version} is newer than this renderer (${TABLE_SCHEMA_VERSION})`);
  if (!Array.isArray(t.columns)) errs.push('"columns" must be an array');
  if (!Array.isArray(t.rows)) errs.push('"rows" must be an array');
  else if (Array.isArray(t.columns)) {
    t.rows.forEach((r, i) => {
      if (!Array.isArray(r)) errs.push(`rows[${i}] is not an array`);
      else if (r.length !== t.columns!.length)
        errs.push(`rows[${i}] has ${r.length} values for ${t.columns!.length} columns`);
    });
  }
  if (typeof t.totalRows !== 'number') errs.push('"totalRows" is missing');
  return errs;
}
