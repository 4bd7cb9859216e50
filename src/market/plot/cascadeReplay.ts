/**
 * The liquidation cascade's animated replay chart (cascade(...).charts.replay): the price path
 * grows while the level map of cascade.ts empties, one frame per step or checkpoint.
 */
import type { PlotlyFigure } from '../../shared/schemas';
import type { CascadeResult } from '../cascade/result';
import { Chart } from '../output';
import { LONG_COLOR, SHORT_COLOR, levelBins } from './cascade';

/** Animated replay: the price path grows while the level map empties (at most `maxFrames` frames, the last always). */
export function replayChart(res: CascadeResult, maxFrames = 120): Chart {
  const b = res.book,
    r = res.raw;
  const { nbins, bin, centers, width } = levelBins(res);
  // ticks: replay = one per step; simulate = one per checkpoint (rounds inside steps)
  type Tick = { x: string | number; price: number; label: string; cp: number; step: number };
  const ticks: Tick[] = [];
  if (r.mode === 'replay') {
    for (let t = 0; t < r.steps; t++)
      ticks.push({ x: res.stepLabel(t), price: r.close[t], label: res.stepLabel(t), cp: -1, step: t });
  } else {
    // x = steps since the start (as in the price-path chart): step t's checks sit in (t, t + 1],
    // its last check at t + 1. Labels are "step 3" and "step 3, round 2", never "3.2" (a decimal?)
    ticks.push({ x: 0, price: r.startPrice, label: 'start', cp: 0, step: -1 });
    let k = 1;
    for (let t = 0; t < r.steps; t++) {
      const mine: Array<{ price: number; round: number; cp: number }> = [];
      while (k < r.cpStep.length && r.cpStep[k] === t) {
        if (r.cpRound[k] > 0 || k + 1 >= r.cpStep.length || r.cpStep[k + 1] !== t)
          mine.push({ price: r.cpMark[k], round: r.cpRound[k], cp: k });
        k++;
      }
      if (!mine.length) mine.push({ price: r.close[t], round: 0, cp: -1 });
      mine.forEach((m, j) =>
        ticks.push({
          x: Number((t + (j + 1) / mine.length).toFixed(6)),
          price: m.price,
          cp: m.cp,
          step: t,
          label: j === mine.length - 1 ? `step ${t + 1}` : `step ${t + 1}, round ${m.round}`,
        }),
      );
    }
  }
  // choose frames (evenly, always the last)
  const nf = Math.min(maxFrames, ticks.length);
  const frameTicks: number[] = [];
  for (let f = 0; f < nf; f++)
    frameTicks.push(nf === 1 ? ticks.length - 1 : Math.round((f * (ticks.length - 1)) / (nf - 1)));
  const longRem = new Float64Array(nbins),
    shortRem = new Float64Array(nbins);
  for (let i = 0; i < b.n; i++) {
    const k = bin[i];
    if (k >= 0) (b.side[i] === 1 ? longRem : shortRem)[k] += b.size[i] * b.entry[i];
  }
  let ymax = 0;
  for (let k = 0; k < nbins; k++) ymax = Math.max(ymax, longRem[k] + shortRem[k]);
  let e = 0;
  const frames: Array<Record<string, unknown>> = [];
  const xs = ticks.map((t) => t.x),
    ys = ticks.map((t) => t.price);
  let pmin = Infinity,
    pmax = -Infinity;
  for (const t of ticks) {
    pmin = Math.min(pmin, t.price);
    pmax = Math.max(pmax, t.price);
  }
  const done = (tick: Tick, ev: number) =>
    r.mode === 'replay' ? r.evStep[ev] <= tick.step : tick.cp >= 0 ? r.evCp[ev] < tick.cp : r.evStep[ev] <= tick.step;
  // the growing price line keeps at most ~600 points per frame (every k-th tick plus the current one)
  const stride = Math.max(1, Math.ceil(ticks.length / 600));
  const lineUpTo = (ti: number) => {
    const x: Array<string | number> = [],
      y: number[] = [];
    for (let j = 0; j < ti; j += stride) {
      x.push(xs[j]);
      y.push(ys[j]);
    }
    x.push(xs[ti]);
    y.push(ys[ti]);
    return { x, y };
  };
  const traces = (ti: number) => {
    const tick = ticks[ti];
    while (e < r.evPos.length && done(tick, e)) {
      const i = r.evPos[e],
        k = bin[i];
      if (k >= 0) (b.side[i] === 1 ? longRem : shortRem)[k] -= r.evQty[e] * b.entry[i];
      e++;
    }
    return [
      lineUpTo(ti),
      { x: centers, y: Array.from(longRem, (v) => Math.max(0, v)) },
      { x: centers, y: Array.from(shortRem, (v) => Math.max(0, v)) },
      { x: [tick.price, tick.price], y: [0, ymax] },
    ];
  };
  const first = traces(frameTicks[0]);
  for (const ti of frameTicks) frames.push({ name: ticks[ti].label, data: traces(ti), traces: [0, 1, 2, 3] });
  const figure: PlotlyFigure = {
    data: [
      { type: 'scatter', mode: 'lines+markers', name: 'mark', ...first[0], xaxis: 'x', yaxis: 'y' },
      {
        type: 'bar',
        name: 'longs still open',
        ...first[1],
        width,
        xaxis: 'x2',
        yaxis: 'y2',
        marker: { color: LONG_COLOR },
      },
      {
        type: 'bar',
        name: 'shorts still open',
        ...first[2],
        width,
        xaxis: 'x2',
        yaxis: 'y2',
        marker: { color: SHORT_COLOR },
      },
      {
        type: 'scatter',
        mode: 'lines',
        name: 'current mark',
        ...first[3],
        xaxis: 'x2',
        yaxis: 'y2',
        line: { dash: 'dot' },
      },
    ],
    layout: {
      title: {
        text: `Cascade replay${r.options.label ? ` (${r.options.label})` : ''}: the price path grows while the level map empties`,
      },
      // two panes with room for their own tick labels and titles; Play/Pause beside the slider
      height: 680,
      margin: { t: 96, b: 40 },
      xaxis: {
        domain: [0, 1],
        anchor: 'y',
        automargin: true,
        ...(r.mode === 'replay'
          ? { ...(r.hasTime ? { type: 'date' } : { title: { text: 'step' } }), range: [xs[0], xs[xs.length - 1]] }
          : { title: { text: 'step (0 = start)' }, range: [0, Math.max(1, r.steps)] }),
      },
      yaxis: {
        domain: [0.62, 1],
        title: { text: 'mark price' },
        range: [pmin * 0.98, pmax * 1.02],
        automargin: true,
        tickformat: ',.0f',
      },
      xaxis2: {
        domain: [0, 1],
        anchor: 'y2',
        title: { text: 'liquidation price' },
        automargin: true,
        tickformat: ',.0f',
      },
      yaxis2: {
        domain: [0.15, 0.47],
        title: { text: 'open notional' },
        range: [0, ymax * 1.05],
        automargin: true,
        tickprefix: '$',
        exponentformat: 'B',
      },
      barmode: 'stack',
      bargap: 0,
      showlegend: true,
      legend: { orientation: 'h', x: 0, xanchor: 'left', y: 1.02, yanchor: 'bottom', traceorder: 'normal' },
      updatemenus: [
        {
          type: 'buttons',
          showactive: false,
          x: 0,
          y: 0,
          xanchor: 'left',
          yanchor: 'top',
          direction: 'left',
          pad: { t: 36, r: 10 },
          buttons: [
            {
              label: 'Play',
              method: 'animate',
              args: [null, { fromcurrent: true, frame: { duration: 250, redraw: true }, transition: { duration: 0 } }],
            },
            {
              label: 'Pause',
              method: 'animate',
              args: [[null], { mode: 'immediate', frame: { duration: 0, redraw: false }, transition: { duration: 0 } }],
            },
          ],
        },
      ],
      sliders: [
        {
          active: 0,
          x: 0.14,
          len: 0.86,
          y: 0,
          yanchor: 'top',
          pad: { t: 20 },
          currentvalue: { prefix: r.mode === 'replay' ? (r.hasTime ? '' : 'step ') : '', xanchor: 'left' },
          steps: frames.map((f) => ({
            label: f.name,
            method: 'animate',
            args: [[f.name], { mode: 'immediate', frame: { duration: 0, redraw: true }, transition: { duration: 0 } }],
          })),
        },
      ],
    },
    frames,
  };
  return new Chart(figure);
}
