/**
 * The chart API for cells:  plot.line(btc), plot.scatter(eth, btc, { fit: true }), btc.plot() …
 * Every helper returns a Chart (src/market/output.ts) that displays as an interactive Plotly
 * chart in the notebook (CHART_MIME). See docs/charts.md.
 *
 * Importing this module also gives Series and Frame a `plot()` method (module augmentation
 * below; series.ts itself is not edited).
 */
import type { Chart } from '../output';
import { Frame, Series } from '../series';
import * as charts from './charts';
import { decimateSeries, lttbIndices, minMaxIndices } from './decimate';

export type {
  BarInput,
  BarOptions,
  CommonOptions,
  DrawdownInput,
  DrawdownOptions,
  DrawdownSeries,
  EventAggregate,
  EventInput,
  EventOptions,
  EventPathInput,
  FigureOptions,
  HeatmapOptions,
  LabelledMatrix,
  LinearFit,
  LineOptions,
  MatrixInput,
  NamedValues,
  RollingOptions,
  RollingResult,
  ScatterOptions,
} from './charts';
export type { PlotInput, SeriesLike } from './inputs';

/** The `plot` namespace available in cells (and `import { plot } from 'mktnb'`). */
export const plot = {
  /** Lines for one or several series; `secondary` names go on a right-hand axis; `rebase` compares growth. */
  line: charts.line,
  /** y against x (aligned on dates), `fit: true` adds the OLS line and its equation. */
  scatter: charts.scatter,
  /** Labelled matrix with values in the cells (correlation matrices). */
  heatmap: charts.heatmap,
  /** A rolling statistic with a zero line. */
  rolling: charts.rolling,
  /** Underwater chart from prices, a Drawdown result or {drawdown}. */
  drawdown: charts.drawdown,
  /** Event study around offset 0: an eventWindow (or several), an eventStudy result, or {offsets, mean, events}. */
  event: charts.event,
  /** Bars from {name: value}, {names, values} or a Series. */
  bar: charts.bar,
  /** Any Plotly figure (escape hatch); long lines are still decimated for storage. */
  figure: charts.figure,
  /** Ordinary least squares y = a + b·x (used by scatter's fit). */
  linearFit: charts.linearFit,
  /** Decimation helpers (LTTB with extremes kept; min/max per bucket). */
  decimate: { series: decimateSeries, lttbIndices, minMaxIndices },
  /** Points kept per line trace in stored charts. */
  DEFAULT_MAX_POINTS: charts.DEFAULT_MAX_POINTS,
};

declare module '../series' {
  interface Series {
    /** This series as a line chart (options as plot.line). */
    plot(opts?: charts.LineOptions): Chart;
  }
  interface Frame {
    /** Every column as a line (options as plot.line, e.g. { secondary: ['volume'] }). */
    plot(opts?: charts.LineOptions): Chart;
  }
}

Object.defineProperty(Series.prototype, 'plot', {
  configurable: true,
  writable: true,
  enumerable: false,
  value: function plotSeries(this: Series, opts?: charts.LineOptions): Chart {
    return charts.line(this, opts);
  },
});
Object.defineProperty(Frame.prototype, 'plot', {
  configurable: true,
  writable: true,
  enumerable: false,
  value: function plotFrame(this: Frame, opts?: charts.LineOptions): Chart {
    return charts.line(this, opts);
  },
});
