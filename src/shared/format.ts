/**
 * The ONE number formatter of Market Notebooks, shared by the table renderer, the HTML export,
 * the charts' hover labels (as a d3-format string) and the library's own summaries. Pure: no
 * DOM, no Node.
 *
 * A table column is formatted with one rule for all its rows, so a column never shows "47,218"
 * beside "43,948.71" and "408.5":
 *  - `percent`: value × 100 with `digits` decimals (default 2) and "%";
 *  - `format: 'currency'`: "$" with k / m / bn (e.g. $1.25bn, $450.2m, $12.3k, $85.40);
 *  - `format: 'pvalue'` (and columns named p, p-value, pvalue): 4 decimals, "<0.0001" below;
 *  - `format: 'integer'`: grouped, no decimals;
 *  - `digits`: grouped with exactly that many decimals;
 *  - otherwise the decimals are chosen once for the column from its values: none when every
 *    value is whole, else enough for 4 significant digits of the column's typical magnitude
 *    (2 for prices in the thousands, 4 for a beta of 1.2345, 6 for a daily return of 0.00123),
 *    exponential for columns whose typical value is below 1e-6.
 * Missing values (null, NaN, ±Infinity) are shown as "—".
 */

/** How a column's numbers are shown (the per-column rule). */
export interface NumberRule {
  /** 'number' (default), 'percent', 'currency' ($ with k/m/bn), 'pvalue', 'integer' */
  style?: NumberStyle;
  /** decimals; for 'number' without it the column's values decide (see autoDigits) */
  digits?: number;
  /** 'number' only: exponential notation (columns of tiny values) */
  exponential?: boolean;
}
export type NumberStyle = 'number' | 'percent' | 'currency' | 'pvalue' | 'integer';

export const MISSING = '—';

const fmts = new Map<string, Intl.NumberFormat>();
function grouped(digits: number): Intl.NumberFormat {
  const k = String(digits);
  let f = fmts.get(k);
  if (!f) {
    f = new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
    fmts.set(k, f);
  }
  return f;
}

/** Fixed decimals with thousands separators: 43948.713 → "43,948.71". "-0.00" is shown as "0.00". */
export function formatFixed(v: number, digits: number): string {
  const s = grouped(Math.max(0, Math.min(20, Math.round(digits)))).format(v);
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}

/** "$1.25bn", "$450.2m", "$12.3k", "$85.40", "$0"; negative as "-$1.25bn". */
export function formatCurrency(v: number): string {
  if (!Number.isFinite(v)) return MISSING;
  const a = Math.abs(v),
    sign = v < 0 ? '-' : '';
  if (a >= 1e9) return `${sign}$${formatFixed(a / 1e9, 2)}bn`;
  if (a >= 1e6) return `${sign}$${(a / 1e6).toFixed(1)}m`;
  if (a >= 1e3) return `${sign}$${(a / 1e3).toFixed(1)}k`;
  return a === 0 ? '$0' : `${sign}$${a.toFixed(2)}`;
}

/** p-values in one style: 4 decimals, "<0.0001" below that. */
export function formatPValue(p: number): string {
  if (!Number.isFinite(p)) return MISSING;
  return p < 0.0001 ? '<0.0001' : p.toFixed(4);
}

/** One number by a rule (a rule without digits for 'number' uses 4 significant digits for this value alone). */
export function formatNumber(v: number | null | undefined, rule: NumberRule = {}): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return MISSING;
  switch (rule.style ?? 'number') {
    case 'percent':
      return `${formatFixed(v * 100, rule.digits ?? 2)}%`;
    case 'currency':
      return formatCurrency(v);
    case 'pvalue':
      return formatPValue(v);
    case 'integer':
      return formatFixed(v, 0);
    default:
      if (rule.exponential) return v.toExponential(rule.digits ?? 3);
      return formatFixed(v, rule.digits ?? autoDigits([v]));
  }
}

/** Median of |v| over the finite non-zero values (NaN when there are none). */
function typicalMagnitude(values: ArrayLike<unknown>): number {
  const a: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'number' && Number.isFinite(v) && v !== 0) a.push(Math.abs(v));
  }
  if (!a.length) return NaN;
  a.sort((x, y) => x - y);
  return a[a.length >> 1];
}

/**
 * Decimals for a column of numbers: 0 when all are whole; else 4 significant digits of the
 * typical (median) magnitude, at least 2 and at most 8: 43,948.71 → 2, 408.5 → 2,
 * 1.2345 → 3 (1.235), 0.0123 → 5, 0.00123 → 6.
 */
export function autoDigits(values: ArrayLike<unknown>): number {
  let whole = true,
    any = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) continue;
    any = true;
    if (!Number.isInteger(v)) {
      whole = false;
      break;
    }
  }
  if (!any || whole) return 0;
  const m = typicalMagnitude(values);
  if (!Number.isFinite(m)) return 2;
  return Math.max(2, Math.min(8, 3 - Math.floor(Math.log10(m))));
}

/** A column as the table schema describes it (kept structural so this file imports nothing). */
export interface ColumnLike {
  name: string;
  type: string;
  digits?: number;
  percent?: boolean;
  format?: 'currency' | 'pvalue' | 'integer';
}

const PVALUE_NAME = /^(p|p[-_ ]?val(ue)?|pvalue|p\(.*\))$/i;

/** The rule of a column: its stated format, else what its name says (p-values), else its values decide the decimals. */
export function ruleFor(col: ColumnLike, values: ArrayLike<unknown> = []): NumberRule {
  // a table read from a shared file may carry anything in these fields: take only what is valid
  const digits = Number.isInteger(col.digits) && col.digits! >= 0 && col.digits! <= 20 ? col.digits : undefined;
  const format =
    col.format === 'currency' || col.format === 'pvalue' || col.format === 'integer' ? col.format : undefined;
  if (col.percent === true) return { style: 'percent', digits: digits ?? 2 };
  if (format) return { style: format, digits };
  if (PVALUE_NAME.test(String(col.name ?? '').trim()) && digits === undefined) return { style: 'pvalue' };
  if (digits !== undefined) return { style: 'number', digits };
  const m = typicalMagnitude(values);
  if (Number.isFinite(m) && m < 1e-6) return { style: 'number', exponential: true, digits: 3 };
  return { style: 'number', digits: autoDigits(values) };
}

/** A formatter for every value of one table column (numbers by the column's rule; dates, booleans and text as shown in tables). */
export function columnFormatter(c: ColumnLike, values: ArrayLike<unknown> = []): (v: unknown) => string {
  const rule = c.type === 'number' ? ruleFor(c, values) : undefined;
  return (v) => {
    if (v === null || v === undefined) return MISSING;
    if (rule && typeof v === 'number') return formatNumber(v, rule);
    if (typeof v === 'number' && !Number.isFinite(v)) return MISSING;
    if (c.type === 'date' && typeof v === 'string') return formatDateText(v);
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    return String(v);
  };
}

/** Formatters for all columns of a table, each rule decided from that column's values. */
export function tableFormatters(columns: ColumnLike[], rows: ArrayLike<unknown>[]): Array<(v: unknown) => string> {
  return columns.map((c, j) => columnFormatter(c, c.type === 'number' ? Array.from(rows, (r) => r[j]) : []));
}

/** 'YYYY-MM-DD' as is; datetimes as 'YYYY-MM-DD HH:MM[:SS]' (UTC). */
export function formatDateText(v: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2})?(\.\d+)?Z?$/.exec(v);
  if (m) return `${m[1]} ${m[2]}${m[3] && m[3] !== ':00' ? m[3] : ''}`;
  return v;
}

/**
 * The same rule as a d3-format string for Plotly (axis hoverformat): grouped fixed decimals,
 * percent, or "$" with SI-like suffixes for currency (Plotly has no "bn", so a hover shows $1.25G).
 */
export function d3Format(rule: NumberRule): string {
  switch (rule.style ?? 'number') {
    case 'percent':
      return `.${rule.digits ?? 2}%`;
    case 'currency':
      return '$.3~s';
    case 'pvalue':
      return '.4f';
    case 'integer':
      return ',.0f';
    default:
      return rule.exponential ? `.${rule.digits ?? 3}e` : `,.${rule.digits ?? 2}f`;
  }
}

/**
 * Hover formats for y axes that state no hoverformat or tickformat: the shared per-column rule
 * applied to the axis's values, so a price reads 43,948.71 and a return 0.001230 in the hover,
 * as in a table. Used by the chart renderer and the HTML export.
 */
export function hoverFormats(data: Record<string, unknown>[], layout: Record<string, unknown>): Record<string, string> {
  const vals = new Map<string, number[]>();
  for (const t of data) {
    if (t.type !== undefined && t.type !== 'scatter' && t.type !== 'scattergl' && t.type !== 'bar') continue;
    if (t.hovertemplate !== undefined || t.orientation === 'h') continue;
    const y = t.y as unknown[] | undefined;
    if (!Array.isArray(y) && !ArrayBuffer.isView(y)) continue;
    const id = `yaxis${String(t.yaxis ?? 'y').slice(1)}`;
    const a = vals.get(id) ?? [];
    // a sample is enough to decide the decimals
    const step = Math.max(1, Math.floor((y as ArrayLike<unknown>).length / 2000));
    for (let i = 0; i < (y as ArrayLike<unknown>).length; i += step) {
      const v = (y as ArrayLike<unknown>)[i];
      if (typeof v === 'number') a.push(v);
    }
    vals.set(id, a);
  }
  const out: Record<string, string> = {};
  for (const [id, a] of vals) {
    const ax = (layout[id] ?? {}) as Record<string, unknown>;
    if (
      ax.hoverformat !== undefined ||
      ax.tickformat !== undefined ||
      ax.type === 'log' ||
      ax.type === 'date' ||
      ax.type === 'category' ||
      !a.length
    )
      continue;
    out[id] = d3Format(ruleFor({ name: '', type: 'number' }, a));
  }
  return out;
}
