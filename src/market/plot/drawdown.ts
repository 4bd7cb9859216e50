/**
 * plot.drawdown: the underwater chart of prices or of a drawdown result.
 * No DOM, no Node, no vscode. Conventions: src/market/plot/charts.ts.
 */
import type { DecimationNote } from '../../shared/schemas';
import { Chart } from '../output';
import { Series, formatTime } from '../series';
import { drawdown as drawdownOf } from '../drawdown';
import { compact, describe, findSeries, toColumns, xOut, type Column, type PlotInput, type SeriesLike } from './inputs';
import { DEFAULT_MAX_POINTS, baseLayout, lineTrace, type CommonOptions, type Layout, type LiveList } from './common';

export interface DrawdownOptions extends CommonOptions {
  /** The input already is a drawdown series (values ≤ 0), not prices. Detected for results with a `drawdown` field. */
  isDrawdown?: boolean;
}

/**
 * Underwater chart: drawdown = price / running maximum − 1, filled down from zero, with the
 * deepest point marked. Accepts prices (or an equity curve) or a drawdown result
 * (an object with a `drawdown`/`underwater` series).
 */
export function drawdown(input: SeriesLike | Record<string, unknown>, o: DrawdownOptions = {}): Chart {
  let fromResult = findSeries(input, ['drawdown', 'underwater']);
  // a Drawdown result ({series, max}) holds the drawdown itself in `series`: values in [-1, 0]
  if (!fromResult || fromResult === input) {
    const inner = findSeries(input, ['series']);
    fromResult = inner && inner !== input && isUnderwater(inner.values) ? inner : undefined;
  }
  const src = fromResult ?? findSeries(input);
  let col: Column;
  if (src) col = toColumns(src as PlotInput)[0];
  else if (Array.isArray(input) || ArrayBuffer.isView(input)) col = toColumns(input as PlotInput)[0];
  else throw new TypeError(`plot.drawdown: expected prices (a Series) or a drawdown result, got ${describe(input)}`);
  const already = o.isDrawdown ?? (fromResult !== undefined && fromResult !== input);
  const resultName = typeof (input as any)?.name === 'string' && !findSeries(input as any, []) ? (input as any).name as string : undefined;
  if (resultName && fromResult) col = { ...col, name: resultName };
  // prices: the library's drawdown (x / running max − 1), not a second implementation of it
  const dd: Float64Array = already ? Float64Array.from(col.y) : drawdownOf(new Series(Float64Array.from(col.x), Float64Array.from(col.y), col.name)).series.values;
  let iMin = -1;
  for (let i = 0; i < dd.length; i++) if (Number.isFinite(dd[i]) && (iMin < 0 || dd[i] < dd[iMin])) iMin = i;
  const notes: DecimationNote[] = [];
  const live: LiveList = [];
  const name = col.name;
  const trace = lineTrace({ ...col, y: dd, name: `${name} drawdown` }, 0, o.maxPoints ?? DEFAULT_MAX_POINTS, notes, { fill: 'tozeroy', hovertemplate: '%{x}: %{y:.2%}<extra></extra>' }, live);
  const layout = baseLayout({ ...o, title: o.title ?? `Drawdown of ${name}`, yTitle: o.yTitle ?? 'drawdown' }, col.time);
  (layout.yaxis as Layout).tickformat = '.0%';
  (layout.yaxis as Layout).rangemode = 'nonpositive';
  layout.showlegend = false;
  if (iMin >= 0 && dd[iMin] < 0) {
    const when = col.time ? formatTime(col.x[iMin]) : col.x[iMin];
    // label on the side with more room, so it does not widen the x range
    const right = iMin < dd.length * 0.6;
    layout.annotations = [{ x: xOut(col.x[iMin], col.time), y: compact(dd[iMin]), text: `max drawdown ${(dd[iMin] * 100).toFixed(1)}% (${when})`, showarrow: true, arrowhead: 2, ax: right ? 50 : -50, ay: -24, xanchor: right ? 'left' : 'right' }];
  }
  return new Chart({ data: [trace], layout }, { title: (layout.title as any)?.text, decimation: notes, live });
}

function isUnderwater(v: ArrayLike<number>): boolean {
  let finite = 0;
  for (let i = 0; i < v.length; i++) { const x = v[i]; if (Number.isFinite(x)) { if (x > 1e-12 || x < -1 - 1e-12) return false; finite++; } }
  return finite > 0;
}
