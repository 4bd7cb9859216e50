/**
 * The liquidation cascade's charts (cascade(...).charts.path / .levels, shown by its display;
 * .replay is cascadeReplay.ts, on the same level bins): Plotly figures built from a
 * CascadeResult's recorded run, computing nothing the engine did not record except the binning
 * of the book by liquidation price.
 */
import type { PlotlyFigure } from '../../shared/schemas';
import type { CascadeResult } from '../cascade/result';
import { Chart } from '../output';
import { formatTime } from '../series';

export const LONG_COLOR = '#d62728',
  SHORT_COLOR = '#2ca02c';

function xsOf(res: CascadeResult): Array<string | number> {
  return Array.from({ length: res.raw.steps }, (_, t) => (res.raw.hasTime ? formatTime(res.raw.time[t]) : t));
}

/** Price path (mark, exogenous or historical path, halts) above the liquidations per step, longs and shorts stacked. */
export function pathChart(res: CascadeResult): Chart {
  const r = res.raw;
  // simulate: x = 0 is the start, step t is drawn at t + 1
  const sim = r.mode === 'simulate';
  const x = sim ? Array.from({ length: r.steps }, (_, t) => t + 1) : xsOf(res);
  const withStart = (a: ArrayLike<number>) => (sim ? [r.startPrice, ...Array.from(a)] : Array.from(a));
  const xs = sim ? [0, ...x] : x;
  const data: Array<Record<string, unknown>> = [];
  if (r.mode === 'replay') {
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: 'historical high',
      x,
      y: Array.from(r.histHigh),
      line: { width: 0.5 },
      showlegend: false,
      hoverinfo: 'skip',
    });
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: 'historical low-high',
      x,
      y: Array.from(r.histLow),
      line: { width: 0.5 },
      fill: 'tonexty',
      opacity: 0.3,
    });
  }
  data.push({
    type: 'scatter',
    mode: 'lines',
    name: r.mode === 'replay' && !r.feedback ? 'close' : 'mark (close)',
    x: xs,
    y: withStart(r.close),
  });
  if (sim)
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: 'exogenous path',
      x: xs,
      y: withStart(r.exo),
      line: { dash: 'dot' },
    });
  else if (r.feedback)
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: 'historical close',
      x,
      y: Array.from(r.exo),
      line: { dash: 'dot' },
    });
  data.push({
    type: 'scatter',
    mode: 'lines',
    name: 'mark low',
    x,
    y: Array.from(r.low),
    line: { width: 1, dash: 'dash' },
    visible: r.mode === 'simulate' ? true : 'legendonly',
  });
  const halts = [] as number[];
  for (let t = 0; t < r.steps; t++) if (r.haltTriggered[t]) halts.push(t);
  if (halts.length)
    data.push({
      type: 'scatter',
      mode: 'markers',
      name: 'circuit breaker halt',
      x: halts.map((t) => x[t]),
      y: halts.map((t) => r.close[t]),
      marker: { symbol: 'x', size: 10 },
    });
  data.push({
    type: 'bar',
    name: 'longs liquidated',
    x,
    y: Array.from(r.liqLongValue),
    yaxis: 'y2',
    marker: { color: LONG_COLOR },
  });
  data.push({
    type: 'bar',
    name: 'shorts liquidated',
    x,
    y: Array.from(r.liqShortValue),
    yaxis: 'y2',
    marker: { color: SHORT_COLOR },
  });
  const figure: PlotlyFigure = {
    data,
    layout: {
      title: { text: `Price path and liquidations per step${r.options.label ? ` (${r.options.label})` : ''}` },
      // tall enough for two panes that each keep their axis title beside them
      height: 560,
      margin: { t: 120, b: 48 },
      xaxis: {
        ...(r.hasTime ? { type: 'date' } : { title: { text: sim ? 'step (0 = start)' : 'step' } }),
        anchor: 'y2',
        automargin: true,
      },
      yaxis: { title: { text: 'price' }, domain: [0.4, 1], automargin: true, tickformat: ',.0f' },
      yaxis2: {
        title: { text: 'liquidated' },
        domain: [0, 0.3],
        automargin: true,
        tickprefix: '$',
        exponentformat: 'B',
      },
      barmode: 'stack',
      hovermode: 'x unified',
      legend: { orientation: 'h', x: 0, xanchor: 'left', y: 1.02, yanchor: 'bottom', traceorder: 'normal' },
    },
  };
  return new Chart(figure);
}

export function levelBins(
  res: CascadeResult,
  nbins = 80,
): { lo: number; width: number; nbins: number; bin: Int32Array; centers: number[] } {
  const b = res.book,
    r = res.raw;
  let lo = Infinity,
    hi = -Infinity;
  const floor = r.startPrice * 0.25,
    ceil = r.startPrice * 2.5;
  for (let i = 0; i < b.n; i++) {
    const v = b.liq[i];
    if (v < floor || v > ceil) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(hi > lo)) {
    lo = r.startPrice * 0.8;
    hi = r.startPrice * 1.2;
  }
  const width = (hi - lo) / nbins;
  const bin = new Int32Array(b.n);
  for (let i = 0; i < b.n; i++) {
    const k = Math.floor((b.liq[i] - lo) / width);
    bin[i] = k < 0 || k > nbins ? -1 : Math.min(k, nbins - 1);
  }
  return { lo, width, nbins, bin, centers: Array.from({ length: nbins }, (_, k) => lo + (k + 0.5) * width) };
}

/** The liquidation-level map: entry notional by liquidation price, liquidated vs surviving, with the start, low and high marked. */
export function levelsChart(res: CascadeResult): Chart {
  const b = res.book,
    r = res.raw;
  const { nbins, bin, centers, width } = levelBins(res);
  const longAll = new Float64Array(nbins),
    shortAll = new Float64Array(nbins),
    longLiq = new Float64Array(nbins),
    shortLiq = new Float64Array(nbins);
  for (let i = 0; i < b.n; i++) {
    const k = bin[i];
    if (k < 0) continue;
    (b.side[i] === 1 ? longAll : shortAll)[k] += b.size[i] * b.entry[i];
  }
  for (let e = 0; e < r.evPos.length; e++) {
    const i = r.evPos[e],
      k = bin[i];
    if (k < 0) continue;
    (b.side[i] === 1 ? longLiq : shortLiq)[k] += r.evQty[e] * b.entry[i];
  }
  const sub = (a: Float64Array, c: Float64Array) => Array.from(a, (v, k) => Math.max(0, v - c[k]));
  const s = res.summary;
  const line = (x: number, name: string) => ({
    type: 'line',
    x0: x,
    x1: x,
    yref: 'paper',
    y0: 0,
    y1: 1,
    line: { dash: 'dot', width: 1 },
    name,
  });
  const figure: PlotlyFigure = {
    data: [
      {
        type: 'bar',
        name: 'longs liquidated',
        x: centers,
        y: Array.from(longLiq),
        width,
        marker: { color: LONG_COLOR },
      },
      {
        type: 'bar',
        name: 'longs surviving',
        x: centers,
        y: sub(longAll, longLiq),
        width,
        marker: { color: LONG_COLOR },
        opacity: 0.35,
      },
      {
        type: 'bar',
        name: 'shorts liquidated',
        x: centers,
        y: Array.from(shortLiq),
        width,
        marker: { color: SHORT_COLOR },
      },
      {
        type: 'bar',
        name: 'shorts surviving',
        x: centers,
        y: sub(shortAll, shortLiq),
        width,
        marker: { color: SHORT_COLOR },
        opacity: 0.35,
      },
    ],
    layout: {
      title: { text: 'Liquidation-level map: entry notional by liquidation price' },
      height: 460,
      margin: { t: 110 },
      xaxis: { title: { text: 'liquidation price' }, automargin: true, tickformat: ',.0f' },
      yaxis: { title: { text: 'notional at entry' }, automargin: true, tickprefix: '$', exponentformat: 'B' },
      legend: { orientation: 'h', x: 0, xanchor: 'left', y: 1.02, yanchor: 'bottom', traceorder: 'normal' },
      barmode: 'stack',
      bargap: 0,
      shapes: [line(s.startPrice, 'start'), line(s.minPrice, 'low'), line(s.maxPrice, 'high')],
      annotations: [
        // inside the plot, beside their lines (start on the left, low and high on the right), clear of the legend
        { x: s.startPrice, y: 1, yref: 'paper', text: 'start', showarrow: false, yanchor: 'top', xanchor: 'right' },
        { x: s.minPrice, y: 1, yref: 'paper', text: 'low', showarrow: false, yanchor: 'top', xanchor: 'left' },
        { x: s.maxPrice, y: 0.93, yref: 'paper', text: 'high', showarrow: false, yanchor: 'top', xanchor: 'left' },
      ],
    },
  };
  return new Chart(figure);
}
