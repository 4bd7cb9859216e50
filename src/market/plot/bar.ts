/**
 * plot.bar: bars from a record, names and values, or a Series.
 * No DOM, no Node, no vscode. Conventions: src/market/plot/charts.ts.
 */
import { Chart } from '../output';
import { compact, describe, findSeries, toColumns, xOut, type PlotInput, type SeriesLike } from './inputs';
import { baseLayout, fmtNum, type CommonOptions, type Layout, type Trace } from './common';

export interface BarOptions extends CommonOptions {
  horizontal?: boolean;
  percent?: boolean;
  /** Sort bars by value, descending. */
  sort?: boolean;
}

/** Bars from {name: value}, {names, values}, [{name, value}] or a Series (dates on x). */
export function bar(input: Record<string, number> | { names: string[]; values: ArrayLike<number> } | Array<{ name: string; value: number }> | SeriesLike, o: BarOptions = {}): Chart {
  let labels: (string | number)[], values: number[];
  const s = findSeries(input);
  let time = false;
  if (s) {
    const [c] = toColumns(s as PlotInput);
    time = c.time;
    labels = Array.from(c.x, (v) => xOut(v, c.time)); values = Array.from(c.y);
  } else if (Array.isArray(input) && input.every((r) => typeof r === 'object' && r !== null && 'value' in r)) {
    labels = (input as any[]).map((r) => String(r.name ?? r.label)); values = (input as any[]).map((r) => Number(r.value));
  } else if (Array.isArray(input) || ArrayBuffer.isView(input)) {
    values = Array.from(input as ArrayLike<number>); labels = values.map((_, i) => i);
  } else if (typeof input === 'object' && input !== null && Array.isArray((input as any).names)) {
    labels = (input as any).names; values = Array.from((input as any).values as ArrayLike<number>);
  } else if (typeof input === 'object' && input !== null && Object.values(input).every((v) => typeof v === 'number')) {
    labels = Object.keys(input); values = Object.values(input as Record<string, number>);
  } else throw new TypeError(`plot.bar: expected {name: value}, {names, values} or a Series, got ${describe(input)}`);
  if (o.sort) {
    const order = values.map((_, i) => i).sort((a, b) => values[b] - values[a]);
    labels = order.map((i) => labels[i]); values = order.map((i) => values[i]);
  }
  const v = values.map(compact);
  const tr: Trace = o.horizontal ? { type: 'bar', orientation: 'h', y: labels, x: v } : { type: 'bar', x: labels, y: v };
  if (labels.length <= 40) { tr.text = values.map((x) => (Number.isFinite(x) ? (o.percent ? `${(x * 100).toFixed(1)}%` : fmtNum(x, Math.abs(x) >= 100 ? 0 : 3)) : '')); tr.textposition = 'auto'; }
  const layout = baseLayout(o, time);
  layout.hovermode = 'closest';
  layout.showlegend = false;
  const valueAxis = (o.horizontal ? layout.xaxis : layout.yaxis) as Layout;
  if (o.percent) valueAxis.tickformat = '.0%';
  if (o.horizontal) (layout.yaxis as Layout).autorange = 'reversed';
  return new Chart({ data: [tr], layout }, { title: o.title });
}
