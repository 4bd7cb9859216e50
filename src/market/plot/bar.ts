/**
 * plot.bar: bars from a record, names and values, or a Series.
 * No DOM, no Node, no vscode. Conventions: src/market/plot/charts.ts.
 */
import { Chart } from '../output';
import { compact, describe, isIndexed, toColumns, xOut, type SeriesLike } from './inputs';
import { baseLayout, fmtNum, type CommonOptions, type Layout, type Trace } from './common';

export interface BarOptions extends CommonOptions {
  horizontal?: boolean;
  percent?: boolean;
  /** Sort bars by value, descending. */
  sort?: boolean;
}

/** Bars with their labels: names (or numbers) beside values. */
export interface NamedValues {
  names: Array<string | number>;
  values: ArrayLike<number>;
}

/** What plot.bar draws: {name: value}, {names, values}, [{name, value}], or a Series / numbers (dates or positions on x). */
export type BarInput = Record<string, number> | NamedValues | Array<{ name: string; value: number }> | SeriesLike;

const isNamedValues = (v: object): v is NamedValues => Array.isArray((v as NamedValues).names);

/**
 * Bars from {name: value}, {names, values}, [{name, value}] or a Series (dates on x).
 * @param input the bars' labels and values
 * @param o sort (descending), percent (0.05 → 5.0%), horizontal, title, axis titles
 * @returns a Chart with one bar trace (values written on the bars up to 40 bars)
 * @example
 * plot.bar({ BTC: 0.5, ETH: 0.8, SOL: -0.1 }, { sort: true }).figure.data[0].x // => ["ETH", "BTC", "SOL"]
 * plot.bar({ names: ['lag -1', 'lag 0'], values: [0.1, 0.6] }, { percent: true }).figure.data[0].text // => ["10.0%", "60.0%"]
 */
export function bar(input: BarInput, o: BarOptions = {}): Chart {
  let labels: (string | number)[], values: number[];
  let time = false;
  if (isIndexed(input)) {
    const [c] = toColumns(input);
    time = c.time;
    labels = Array.from(c.x, (v) => xOut(v, c.time));
    values = Array.from(c.y);
  } else if (Array.isArray(input) && input.every((r) => typeof r === 'object' && r !== null && 'value' in r)) {
    const rows = input as Array<{ name: string; value: number }>;
    labels = rows.map((r) => String(r.name));
    values = rows.map((r) => Number(r.value));
  } else if (Array.isArray(input) || ArrayBuffer.isView(input)) {
    values = Array.from(input as ArrayLike<number>);
    labels = values.map((_, i) => i);
  } else if (typeof input === 'object' && input !== null && isNamedValues(input)) {
    labels = input.names;
    values = Array.from(input.values);
  } else if (typeof input === 'object' && input !== null && Object.values(input).every((v) => typeof v === 'number')) {
    labels = Object.keys(input);
    values = Object.values(input as Record<string, number>);
  } else throw new TypeError(`plot.bar: expected {name: value}, {names, values} or a Series, got ${describe(input)}`);
  if (o.sort) {
    const order = values.map((_, i) => i).sort((a, b) => values[b] - values[a]);
    labels = order.map((i) => labels[i]);
    values = order.map((i) => values[i]);
  }
  const v = values.map(compact);
  const tr: Trace = o.horizontal
    ? { type: 'bar', orientation: 'h', y: labels, x: v }
    : { type: 'bar', x: labels, y: v };
  if (labels.length <= 40) {
    tr.text = values.map((x) =>
      Number.isFinite(x) ? (o.percent ? `${(x * 100).toFixed(1)}%` : fmtNum(x, Math.abs(x) >= 100 ? 0 : 3)) : '',
    );
    tr.textposition = 'auto';
  }
  const layout = baseLayout(o, time);
  layout.hovermode = 'closest';
  layout.showlegend = false;
  const valueAxis = (o.horizontal ? layout.xaxis : layout.yaxis) as Layout;
  if (o.percent) valueAxis.tickformat = '.0%';
  if (o.horizontal) (layout.yaxis as Layout).autorange = 'reversed';
  return new Chart({ data: [tr], layout }, { title: o.title });
}
