/**
 * plot.event: an event study around offset 0.
 * No DOM, no Node, no vscode. Conventions: src/market/plot/charts.ts.
 */
import { EventWindow } from '../events';
import type { EventStudyResult } from '../inference/eventStudy';
import { Chart } from '../output';
import { formatTime } from '../series';
import { compact, describe } from './inputs';
import { baseLayout, hline, type CommonOptions, type Layout, type Trace } from './common';

export interface EventOptions extends CommonOptions {
  /** Draw each event's own path thinly behind the mean (default true up to 50 events). */
  paths?: boolean;
  /** Unit label of the offsets (default 'days'). */
  unit?: string;
}

/** One event's path in an EventAggregate. */
export interface EventPathInput {
  /** legend name (default: `date`, else "event k") */
  label?: string;
  /** the event's date: an ISO date or epoch ms (shown as a date) */
  date?: string | number;
  /** offsets of `values`, when they are not those of the aggregate */
  offsets?: ArrayLike<number>;
  values: ArrayLike<number>;
}

/** A precomputed event study: a mean path over offsets, an optional band, and the paths behind it. */
export interface EventAggregate {
  /** what was studied (titles the chart) */
  name?: string;
  offsets: ArrayLike<number>;
  mean: ArrayLike<number>;
  /** a band around the mean: lower and upper, or ± one standard deviation */
  lower?: ArrayLike<number>;
  upper?: ArrayLike<number>;
  std?: ArrayLike<number>;
  events?: EventPathInput[];
  /** events behind the mean, when `events` is not given (the legend says "mean of n events") */
  count?: number;
}

/** What plot.event draws. */
export type EventInput = EventWindow | EventWindow[] | EventStudyResult | EventAggregate;

/** A drawn path: every field resolved. */
interface Line {
  label: string;
  offsets?: ArrayLike<number>;
  values: ArrayLike<number>;
  dates?: string[];
}

const isNumbers = (v: unknown): v is ArrayLike<number> =>
  Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
const isEventStudy = (v: object): v is EventStudyResult => 'caar' in v && 'caarSe' in v && 'events' in v;
const isAggregate = (v: object): v is EventAggregate =>
  isNumbers((v as EventAggregate).offsets) && isNumbers((v as EventAggregate).mean);

const windowLine = (w: EventWindow): Line => ({
  label: w.eventDate,
  offsets: w.offsets,
  values: w.cumulative,
  dates: w.dates,
});
const pathLine = (p: EventPathInput, i: number): Line => ({
  label: p.label ?? (typeof p.date === 'number' ? formatTime(p.date) : (p.date ?? `event ${i + 1}`)),
  offsets: p.offsets,
  values: p.values,
});

/** 1.96: the two-sided 95% normal quantile of eventStudy's band. */
const Z95 = 1.959963984540054;

/** An eventStudy's chart as an aggregate: the CAAR with its 95% band, and each event's CAR. */
function fromEventStudy(r: EventStudyResult): EventAggregate {
  return {
    name: r.asset,
    offsets: r.offsets,
    mean: r.caar,
    lower: r.caar.map((v, i) => v - Z95 * r.caarSe[i]),
    upper: r.caar.map((v, i) => v + Z95 * r.caarSe[i]),
    events: r.events.map((e) => ({ label: e.eventDate, offsets: e.offsets, values: e.car })),
  };
}

/**
 * An event study around offset 0 (the event). Draws
 *  - an eventWindow result: its cumulative path (value / value at day −1 − 1), in percent;
 *  - several of them (an array): each path thinly, and their mean aligned on offsets;
 *  - an eventStudy result: the average cumulative abnormal return (CAAR) with its 95% band
 *    (CAAR ± 1.96·se) and each event's CAR;
 *  - an EventAggregate {offsets, mean, lower/upper or std?, events?}.
 * A vertical dotted line marks day 0 and a horizontal one zero.
 * @param input an EventWindow, EventWindow[], EventStudyResult or EventAggregate
 * @param o title, axis titles, `paths` (draw each event, default up to 50), `unit` of the offsets
 * @returns a Chart: one trace per drawn path, then the band (two traces) and the mean
 * @example
 * const w = eventWindow(load('data/ORCL.csv'), '2025-09-10', 1, 2)
 * plot.event(w).figure.data[0].y // => [0, 0.35948822, 0.27472982, 0.20980498]
 * plot.event([w, eventWindow(load('data/ORCL.csv'), '2025-12-11', 1, 2)]).figure.data.map((t) => t.name) // => ["2025-09-10", "2025-12-11", "mean of 2 events"]
 * plot.event({ offsets: [-1, 0, 1], mean: [0, 0.02, 0.03], std: [0, 0.01, 0.01] }).figure.data.length // => 3
 */
export function event(input: EventInput, o: EventOptions = {}): Chart {
  const many = Array.isArray(input);
  let agg: EventAggregate | undefined;
  let single: Line | undefined;
  let study: EventStudyResult | undefined;
  const paths: Line[] = [];
  if (many) {
    input.forEach((w, i) => {
      if (!(w instanceof EventWindow))
        throw new TypeError(`plot.event: element ${i} is ${describe(w)}; an array must hold eventWindow results`);
      paths.push(windowLine(w));
    });
  } else if (input instanceof EventWindow) single = windowLine(input);
  else if (typeof input === 'object' && input !== null && isEventStudy(input)) {
    study = input;
    agg = fromEventStudy(input);
  } else if (typeof input === 'object' && input !== null && isAggregate(input)) agg = input;
  if (!many && !single && !agg)
    throw new TypeError(
      `plot.event: expected an eventWindow result, several, an eventStudy result or {offsets, mean, events}, got ${describe(input)}`,
    );
  agg?.events?.forEach((p, i) => paths.push(pathLine(p, i)));
  let offsets: ArrayLike<number> | undefined = agg?.offsets;
  let mean: ArrayLike<number> | undefined = agg?.mean;
  if (!offsets && paths.length && paths.every((p) => p.offsets)) {
    const all = new Set<number>();
    for (const p of paths) for (let k = 0; k < p.offsets!.length; k++) all.add(p.offsets![k]);
    offsets = Array.from(all).sort((a, b) => a - b);
  }
  const len = offsets?.length ?? single?.values.length;
  if (!len) throw new TypeError(`plot.event: nothing to draw (no offsets) in ${describe(input)}`);
  const xs = Array.from(offsets ?? single?.offsets ?? []);
  /** a path's value at each offset of xs */
  const onXs = (p: Line): number[] => {
    if (!p.offsets) return xs.map((_, k) => p.values[k] ?? NaN);
    const at = new Map<number, number>();
    for (let k = 0; k < p.offsets.length; k++) at.set(p.offsets[k], p.values[k]);
    return xs.map((x) => at.get(x) ?? NaN);
  };
  const data: Trace[] = [];
  const showPaths = o.paths ?? paths.length <= 50;
  if (showPaths)
    for (const p of paths) {
      data.push({
        type: 'scatter',
        mode: 'lines',
        name: p.label,
        x: xs,
        y: onXs(p).map(compact),
        line: { width: 1 },
        opacity: 0.45,
        showlegend: paths.length <= 8,
        hovertemplate: `${p.label}, day %{x}: %{y}<extra></extra>`,
      });
    }
  if (!mean && paths.length > 1) {
    const rows = paths.map(onXs);
    mean = xs.map((_, k) => {
      let sum = 0,
        n = 0;
      for (const r of rows)
        if (Number.isFinite(r[k])) {
          sum += r[k];
          n++;
        }
      return n ? sum / n : NaN;
    });
  }
  const { lower, upper, std } = agg ?? {};
  const lo = lower ?? (std && mean ? xs.map((_, k) => mean![k] - std[k]) : undefined);
  const hi = upper ?? (std && mean ? xs.map((_, k) => mean![k] + std[k]) : undefined);
  if (lo && hi) {
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: lower ? 'lower' : 'mean − 1 sd',
      x: xs,
      y: Array.from(lo, compact),
      line: { width: 0 },
      showlegend: false,
      hoverinfo: 'skip',
    });
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: lower ? 'band' : 'mean ± 1 sd',
      x: xs,
      y: Array.from(hi, compact),
      line: { width: 0 },
      fill: 'tonexty',
      opacity: 0.3,
      hoverinfo: 'skip',
    });
  }
  const count = paths.length || agg?.count || 0;
  if (mean)
    data.push({
      type: 'scatter',
      mode: 'lines+markers',
      name: count ? `mean of ${count} events` : 'mean',
      x: xs,
      y: Array.from(mean, compact),
      line: { width: 3 },
    });
  if (single)
    data.push({
      type: 'scatter',
      mode: 'lines+markers',
      name: single.label,
      x: xs,
      y: onXs(single).map(compact),
      line: { width: 2.5 },
      ...(single.dates ? { text: single.dates, hovertemplate: 'day %{x} (%{text}): %{y:.2%}<extra></extra>' } : {}),
    });
  const unit = o.unit ?? 'days';
  const name = single ? (input as EventWindow).name : agg?.name;
  const defaultTitle = study
    ? `${study.asset}: cumulative abnormal return vs ${study.market} (95% band)`
    : single
      ? `${name ?? 'Event'} around ${single.label}`
      : name
        ? `${name}: event window`
        : 'Event window';
  const yTitle = o.yTitle ?? (study ? 'CAR' : single || many ? 'since day −1' : undefined);
  const layout = baseLayout(
    { ...o, title: o.title ?? defaultTitle, xTitle: o.xTitle ?? `${unit} from event`, yTitle },
    false,
  );
  if (single || many || study) (layout.yaxis as Layout).tickformat = '.1%';
  layout.shapes = [
    { type: 'line', xref: 'x', yref: 'paper', x0: 0, x1: 0, y0: 0, y1: 1, line: { width: 1, dash: 'dot' } },
    hline(0),
  ];
  layout.hovermode = 'closest';
  return new Chart({ data, layout }, { title: (layout.title as { text?: string } | undefined)?.text });
}
