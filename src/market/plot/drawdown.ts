/**
 * plot.drawdown: the underwater chart of prices or of a drawdown result.
 * No DOM, no Node, no vscode. Conventions: src/market/plot/charts.ts.
 */
import type { DecimationNote } from '../../shared/schemas';
import { Chart } from '../output';
import { Series, formatTime } from '../series';
import { Drawdown as DrawdownResult, drawdown as drawdownOf } from '../drawdown';
import { compact, describe, isIndexed, toColumns, xOut, type Column, type SeriesLike } from './inputs';
import { DEFAULT_MAX_POINTS, baseLayout, lineTrace, type CommonOptions, type Layout, type LiveList } from './common';

export interface DrawdownOptions extends CommonOptions {
  /** The input already is a drawdown series (values ≤ 0), not prices. Implied for a Drawdown or a DrawdownSeries. */
  isDrawdown?: boolean;
}

/** A drawdown series computed elsewhere (values ≤ 0), drawn as is. */
export interface DrawdownSeries {
  drawdown: SeriesLike;
  /** legend and title name (default: the series' name) */
  name?: string;
}

/** What plot.drawdown draws: prices (or an equity curve), a Drawdown result, or a DrawdownSeries. */
export type DrawdownInput = SeriesLike | DrawdownResult | DrawdownSeries;

/**
 * Underwater chart: drawdown = price / running maximum − 1 (the library's drawdown()), filled
 * down from zero, with the deepest point marked. A Drawdown result or a DrawdownSeries is drawn
 * as is (no drawdown of the drawdown).
 * @param input prices (a Series, an {index, values} look-alike or an array), a Drawdown, or {drawdown, name?}
 * @param o title, axis titles, maxPoints, height; `isDrawdown` when a plain series already is a drawdown
 * @returns a Chart with one filled line and an annotation at the deepest point
 * @example
 * plot.drawdown(load('data/GLD.csv').close).figure.layout.annotations[0].text // => "max drawdown -13.9% (2026-02-02)"
 */
export function drawdown(input: DrawdownInput, o: DrawdownOptions = {}): Chart {
  let col: Column;
  let already: boolean;
  if (input instanceof DrawdownResult) {
    col = { ...toColumns(input.series)[0], name: input.name };
    already = true;
  } else if (isDrawdownSeries(input)) {
    const [c] = toColumns(input.drawdown);
    col = input.name !== undefined ? { ...c, name: input.name } : c;
    already = true;
  } else if (isIndexed(input) || Array.isArray(input) || ArrayBuffer.isView(input)) {
    col = toColumns(input as SeriesLike)[0];
    already = o.isDrawdown ?? false;
  } else
    throw new TypeError(
      `plot.drawdown: expected prices (a Series), a Drawdown result or {drawdown}, got ${describe(input)}`,
    );
  // prices: the library's drawdown (x / running max − 1), not a second implementation of it
  const dd: Float64Array = already
    ? Float64Array.from(col.y)
    : drawdownOf(new Series(Float64Array.from(col.x), Float64Array.from(col.y), col.name)).series.values;
  let iMin = -1;
  for (let i = 0; i < dd.length; i++) if (Number.isFinite(dd[i]) && (iMin < 0 || dd[i] < dd[iMin])) iMin = i;
  const notes: DecimationNote[] = [];
  const live: LiveList = [];
  const name = col.name;
  const trace = lineTrace(
    { ...col, y: dd, name: `${name} drawdown` },
    0,
    o.maxPoints ?? DEFAULT_MAX_POINTS,
    notes,
    { fill: 'tozeroy', hovertemplate: '%{x}: %{y:.2%}<extra></extra>' },
    live,
  );
  const layout = baseLayout(
    { ...o, title: o.title ?? `Drawdown of ${name}`, yTitle: o.yTitle ?? 'drawdown' },
    col.time,
  );
  (layout.yaxis as Layout).tickformat = '.0%';
  (layout.yaxis as Layout).rangemode = 'nonpositive';
  layout.showlegend = false;
  if (iMin >= 0 && dd[iMin] < 0) {
    const when = col.time ? formatTime(col.x[iMin]) : col.x[iMin];
    // label on the side with more room, so it does not widen the x range
    const right = iMin < dd.length * 0.6;
    layout.annotations = [
      {
        x: xOut(col.x[iMin], col.time),
        y: compact(dd[iMin]),
        text: `max drawdown ${(dd[iMin] * 100).toFixed(1)}% (${when})`,
        showarrow: true,
        arrowhead: 2,
        ax: right ? 50 : -50,
        ay: -24,
        xanchor: right ? 'left' : 'right',
      },
    ];
  }
  return new Chart(
    { data: [trace], layout },
    { title: (layout.title as { text?: string } | undefined)?.text, decimation: notes, live },
  );
}

function isDrawdownSeries(v: unknown): v is DrawdownSeries {
  return (
    typeof v === 'object' &&
    v !== null &&
    !isIndexed(v) &&
    'drawdown' in v &&
    (isIndexed(v.drawdown) || Array.isArray(v.drawdown) || ArrayBuffer.isView(v.drawdown))
  );
}
