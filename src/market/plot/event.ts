/**
 * plot.event: an event study around offset 0.
 * No DOM, no Node, no vscode. Conventions: src/market/plot/charts.ts.
 */
import { Chart } from '../output';
import { formatTime } from '../series';
import { compact, describe, positions } from './inputs';
import { baseLayout, hline, type CommonOptions, type Layout, type Trace } from './common';

export interface EventOptions extends CommonOptions {
  /** Draw each event's own path thinly behind the mean (default true up to 50 events). */
  paths?: boolean;
  /** Unit label of the offsets (default 'days'). */
  unit?: string;
}

const pick = (o: any, names: string[]) => { for (const n of names) if (o?.[n] !== undefined) return o[n]; return undefined; };
const arr = (v: unknown): ArrayLike<number> | undefined => (Array.isArray(v) || ArrayBuffer.isView(v) ? (v as ArrayLike<number>) : (v as any)?.values && isNumArr((v as any).values) ? (v as any).values : undefined);
const isNumArr = (v: unknown) => Array.isArray(v) || ArrayBuffer.isView(v);

/** One event's path: offsets and values (an eventWindow result, or {offsets, values|cumulative}). */
interface EventPath { label: string; offsets?: ArrayLike<number>; values: ArrayLike<number>; dates?: string[] }

function eventPath(p: any, i: number): EventPath | undefined {
  const values = arr(Array.isArray(p) || ArrayBuffer.isView(p) ? p : pick(p, ['cumulative', 'values', 'path', 'returns', 'series']));
  if (!values) return undefined;
  const lab = pick(p, ['label', 'eventDate', 'date', 'name', 'time', 'at']);
  return {
    label: typeof lab === 'number' ? formatTime(lab) : lab !== undefined ? String(lab) : `event ${i + 1}`,
    offsets: arr(pick(p, ['offsets', 'days'])), values,
    dates: Array.isArray(p?.dates) ? p.dates.map(String) : undefined,
  };
}

/**
 * An event study around offset 0 (the event). Accepts:
 *  - an eventWindow result (offsets, dates, cumulative = value / value at day −1 − 1): its path;
 *  - several of them (an array): each path thinly, and their mean aligned on offsets;
 *  - an aggregate {offsets, mean, median?, lower/upper or std?, events|paths: [...]}.
 * Values are drawn as percentages when they are cumulative returns.
 */
export function event(result: Record<string, unknown> | Array<Record<string, unknown>>, o: EventOptions = {}): Chart {
  const many = Array.isArray(result);
  const agg: any = many ? {} : result;
  const paths: EventPath[] = [];
  const rawPaths = many ? result : (pick(agg, ['events', 'paths', 'windows']) as unknown[] | undefined);
  if (Array.isArray(rawPaths)) rawPaths.forEach((p, i) => { const e = eventPath(p, i); if (e) paths.push(e); });
  let offsets = arr(pick(agg, ['offsets', 'days', 'x', 'offset', 'relative']));
  let mean = arr(pick(agg, ['mean', 'average', 'avg', 'car']));
  let single: EventPath | undefined;
  if (!many && !mean && paths.length === 0 && arr(pick(agg, ['cumulative', 'values']))) {
    single = eventPath(agg, 0);  // one eventWindow result: its own path is the line
  }
  if (!offsets && paths.length && paths.every((p) => p.offsets)) {
    const all = new Set<number>();
    for (const p of paths) for (let k = 0; k < p.offsets!.length; k++) all.add(p.offsets![k]);
    offsets = Array.from(all).sort((a, b) => a - b);
  }
  const len = offsets?.length ?? mean?.length ?? single?.values.length ?? paths[0]?.values.length;
  if (!len) throw new TypeError(`plot.event: expected an eventWindow result, several, or {offsets, mean, events}, got ${describe(result)}`);
  const xs = Array.from(offsets ?? single?.offsets ?? positions(len));
  /** a path's value at each offset of xs */
  const onXs = (p: EventPath): number[] => {
    if (!p.offsets) return xs.map((_, k) => p.values[k] ?? NaN);
    const at = new Map<number, number>();
    for (let k = 0; k < p.offsets.length; k++) at.set(p.offsets[k], p.values[k]);
    return xs.map((x) => at.get(x) ?? NaN);
  };
  const data: Trace[] = [];
  const showPaths = o.paths ?? paths.length <= 50;
  if (showPaths) for (const p of paths) {
    data.push({ type: 'scatter', mode: 'lines', name: p.label, x: xs, y: onXs(p).map(compact), line: { width: 1 }, opacity: 0.45, showlegend: paths.length <= 8, hovertemplate: `${p.label}, day %{x}: %{y}<extra></extra>` });
  }
  if (!mean && paths.length > 1) {
    const rows = paths.map(onXs);
    mean = xs.map((_, k) => { let sum = 0, n = 0; for (const r of rows) if (Number.isFinite(r[k])) { sum += r[k]; n++; } return n ? sum / n : NaN; });
  }
  const lower = arr(pick(agg, ['lower', 'lo', 'p5', 'q05']));
  const upper = arr(pick(agg, ['upper', 'hi', 'p95', 'q95']));
  const std = arr(pick(agg, ['std', 'stdev', 'sd']));
  const lo = lower ?? (std && mean ? xs.map((_, k) => mean![k] - std[k]) : undefined);
  const hi = upper ?? (std && mean ? xs.map((_, k) => mean![k] + std[k]) : undefined);
  if (lo && hi) {
    data.push({ type: 'scatter', mode: 'lines', name: lower ? 'lower' : 'mean − 1 sd', x: xs, y: Array.from(lo, compact), line: { width: 0 }, showlegend: false, hoverinfo: 'skip' });
    data.push({ type: 'scatter', mode: 'lines', name: lower ? 'band' : 'mean ± 1 sd', x: xs, y: Array.from(hi, compact), line: { width: 0 }, fill: 'tonexty', opacity: 0.3, hoverinfo: 'skip' });
  }
  const count = paths.length || Number(pick(agg, ['count', 'n'])) || 0;
  if (mean) data.push({ type: 'scatter', mode: 'lines+markers', name: count ? `mean of ${count} events` : 'mean', x: xs, y: Array.from(mean, compact), line: { width: 3 } });
  if (single) data.push({ type: 'scatter', mode: 'lines+markers', name: single.label, x: xs, y: onXs(single).map(compact), line: { width: 2.5 }, ...(single.dates ? { text: single.dates, hovertemplate: 'day %{x} (%{text}): %{y:.2%}<extra></extra>' } : {}) });
  const unit = o.unit ?? 'days';
  const name = typeof agg.name === 'string' ? agg.name : undefined;
  const defaultTitle = single ? `${name ?? 'Event'} around ${single.label}` : name ? `${name}: event window` : 'Event window';
  const layout = baseLayout({ ...o, title: o.title ?? defaultTitle, xTitle: o.xTitle ?? `${unit} from event`, yTitle: o.yTitle ?? (single || many || pick(agg, ['cumulative']) ? 'since day −1' : undefined) }, false);
  if (single || many) (layout.yaxis as Layout).tickformat = '.1%';
  layout.shapes = [{ type: 'line', xref: 'x', yref: 'paper', x0: 0, x1: 0, y0: 0, y1: 1, line: { width: 1, dash: 'dot' } }, hline(0)];
  layout.hovermode = 'closest';
  return new Chart({ data, layout }, { title: (layout.title as any)?.text });
}
