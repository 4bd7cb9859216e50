/**
 * eventStudy(): market-model abnormal returns and cumulative abnormal returns around events,
 * with their standard errors and t statistics (MacKinlay 1997, "Event studies in economics and
 * finance", J. Economic Literature 35).
 */
import { DISPLAY, type OutputItem, type TableValue } from '../../shared/schemas';
import { formatTime, lowerBound, toTime, type AlignmentInfo } from '../series';
import { asSeries, type AlignHow, type SeriesLike } from '../align';
import { fmt, numOrNull, pct, resultOutputs } from '../stats';
import type { Chart } from '../output';
import { event as eventChart } from '../plot/charts';
import { normSf } from './distributions';
import { olsFit } from './ols';
import { completeDesign } from './regress';

export interface EventStudyOptions {
  /** estimation window in observations relative to day 0, inclusive (default [-250, -30]) */
  estimation?: [number, number];
  /** event window, inclusive (default [-5, 10]) */
  window?: [number, number];
  how?: AlignHow;
}

/** One event of an eventStudy. */
export interface EventStudyEvent {
  /** the date asked for, and day 0 (that date or the next observation) */
  date: string;
  eventDate: string;
  /** market model fitted on the estimation window */
  alpha: number;
  beta: number;
  /** residual variance of the market model, SSR/(L1 - 2) */
  sigma2: number;
  estimation: { from: string; to: string; n: number };
  offsets: number[];
  dates: string[];
  /** abnormal returns R - α - βRm and their standard errors (including the estimation error of α, β) */
  ar: number[];
  arSe: number[];
  /** cumulative abnormal return from the window's first day to each day, with its standard error */
  car: number[];
  carSe: number[];
}

/** Result of eventStudy(). */
export class EventStudyResult {
  constructor(
    public asset: string,
    public market: string,
    public events: EventStudyEvent[],
    public offsets: number[],
    /** average CAR path across events (CAAR) and its standard error sqrt(Σ Var(CAR_i)) / N */
    public caar: number[],
    public caarSe: number[],
    public estimationWindow: [number, number],
    public window: [number, number],
    public alignment: AlignmentInfo,
  ) {}
  /** CAR over the whole window: per event and (with several events) averaged, with t = CAR/se and a two-sided normal p */
  get summary(): Array<{ label: string; car: number; se: number; t: number; p: number }> {
    const last = this.offsets.length - 1;
    const row = (label: string, car: number, se: number) => ({
      label,
      car,
      se,
      t: car / se,
      p: 2 * normSf(Math.abs(car / se)),
    });
    const each = this.events.map((e) => row(e.eventDate, e.car[last], e.carSe[last]));
    return this.events.length > 1
      ? [...each, row(`average of ${this.events.length}`, this.caar[last], this.caarSe[last])]
      : each;
  }
  get reading(): string {
    const s = this.summary[this.summary.length - 1];
    const [a, b] = this.window;
    return (
      `${this.events.length > 1 ? 'average ' : ''}CAR over [${a}, +${b}] ${pct(s.car)} (t ${fmt(s.t, 3)}, p ${fmt(s.p, 3)}): ${s.p < 0.05 ? 'abnormal at 5%' : 'not distinguishable from zero at 5%'}` +
      `; market model on [${this.estimationWindow.join(', ')}] against ${this.market}; errors assume no event-induced variance change and non-overlapping events; ${this.events.length} event${this.events.length === 1 ? '' : 's'}`
    );
  }
  toString(): string {
    return `eventStudy(${this.asset} vs ${this.market}, ${this.events.length} events)`;
  }
  [DISPLAY](): OutputItem[] {
    const d0 = this.offsets.indexOf(0);
    const rows: TableValue[][] = this.events.map((e) => [
      e.eventDate,
      numOrNull(e.alpha),
      numOrNull(e.beta),
      numOrNull(e.ar[d0]),
      numOrNull(e.ar[d0] / e.arSe[d0]),
    ]);
    if (this.events.length > 1) {
      const m = mean(this.events.map((e) => e.ar[d0])),
        se = Math.sqrt(this.events.reduce((s, e) => s + e.arSe[d0] ** 2, 0)) / this.events.length;
      rows.push([`average of ${this.events.length}`, null, null, numOrNull(m), numOrNull(m / se)]);
    }
    this.summary.forEach((s, i) => rows[i].push(numOrNull(s.car), numOrNull(s.se), numOrNull(s.t), numOrNull(s.p)));
    const table = resultOutputs(
      `${this.toString()}\n${this.reading}`,
      [
        { name: 'event (day 0)', type: 'string' },
        { name: 'alpha', type: 'number', digits: 5 },
        { name: 'beta', type: 'number', digits: 3 },
        { name: 'AR day 0', type: 'number', percent: true },
        { name: 't AR0', type: 'number', digits: 2 },
        { name: `CAR [${this.window[0]}, ${this.window[1]}]`, type: 'number', percent: true },
        { name: 'se', type: 'number', percent: true },
        { name: 't', type: 'number', digits: 2 },
        { name: 'p', type: 'number' },
      ],
      rows,
      `event study of ${this.asset} against ${this.market} (market model)`,
      this.alignment,
      [this.reading],
    );
    // two outputs, each ending with its text fallback (the display protocol in src/shared/schemas.ts)
    return [...table, ...this.chart()[DISPLAY]()];
  }
  /** the average CAR path with its 95% band and each event's CAR (plot.event of this result) */
  chart(): Chart {
    return eventChart(this);
  }
}

function mean(v: number[]): number {
  return v.reduce((a, b) => a + b, 0) / v.length;
}

/**
 * eventStudy(asset, market, events, { estimation, window }): for each event, the market model
 * R_t = α + β·Rm_t + e_t fitted by OLS on the estimation window, abnormal returns
 * AR_t = R_t - α - β·Rm_t over the event window, and CAR(τ1, τ) = Σ AR.
 *
 * Formula (MacKinlay 1997, eqs. 7-20): V = s²(I + X*(X'X)⁻¹X*'), with X the estimation design
 * [1, Rm] and X* the event-window one; Var(AR_t) = V_tt, Var(CAR) = ι'Vι over the days summed;
 * across N events CAAR = ΣCAR_i/N with Var = ΣVar(CAR_i)/N². t = CAR/se, p from the normal.
 * Offsets count observations of the aligned returns; day 0 is the event date or the next one.
 *
 * @param asset returns of the asset, @param market returns of the market (e.g. SPY)
 * @param events dates ('2025-12-11') of the events
 * @returns EventStudyResult: events[] (alpha, beta, ar, arSe, car, carSe), caar, caarSe, summary, chart()
 * statsmodels: `OLS(r[est], add_constant(rm[est])).fit()` per event, then the formulas above
 * @example
 * eventStudy(new Series(Array.from({ length: 40 }, (_, i) => i), Array.from({ length: 40 }, (_, i) => 0.01 * Math.sin(i * i) + (i === 30 ? 0.05 : 0))), new Series(Array.from({ length: 40 }, (_, i) => i), Array.from({ length: 40 }, (_, i) => 0.01 * Math.cos(i * i))), [30], { estimation: [-25, -5], window: [-2, 2] }).events[0].car[4] // => 0.0435248579859
 */
export function eventStudy(
  asset: SeriesLike,
  market: SeriesLike,
  events: Array<string | number | Date> | string,
  options: EventStudyOptions = {},
): EventStudyResult {
  const est = options.estimation ?? [-250, -30],
    win = options.window ?? [-5, 10];
  const list = typeof events === 'string' ? [events] : events;
  if (!Array.isArray(list) || list.length === 0) throw new RangeError('eventStudy: give at least one event date');
  for (const [nm, w] of [
    ['estimation', est],
    ['window', win],
  ] as const) {
    if (!Array.isArray(w) || w.length !== 2 || !w.every(Number.isInteger) || w[0] > w[1])
      throw new RangeError(
        `eventStudy: ${nm} must be [from, to] integer offsets with from <= to, got ${JSON.stringify(w)}`,
      );
  }
  if (est[1] >= win[0])
    throw new RangeError(
      `eventStudy: the estimation window [${est}] must end before the event window [${win}] starts, or the event contaminates the model`,
    );
  const mname = asSeries(market, 'eventStudy: market').name;
  const D = completeDesign(asset, { [mname]: market }, options.how, 'eventStudy');
  const r = D.y,
    rm = D.X[0],
    idx = D.index,
    n = r.length;
  const offsets = Array.from({ length: win[1] - win[0] + 1 }, (_, i) => win[0] + i);
  const out: EventStudyEvent[] = list.map((d) => {
    const t = toTime(d),
      e = lowerBound(idx, t);
    const date = typeof d === 'string' ? d : formatTime(t);
    if (e >= n)
      throw new RangeError(
        `eventStudy: event ${date} is after the last complete observation (${formatTime(idx[n - 1])})`,
      );
    if (e + est[0] < 0)
      throw new RangeError(
        `eventStudy: event ${date} needs ${-est[0]} observations before it for the estimation window [${est}]; only ${e} (data from ${formatTime(idx[0])})`,
      );
    if (e + win[1] >= n)
      throw new RangeError(
        `eventStudy: the window [${win}] of event ${date} runs past the last observation (${formatTime(idx[n - 1])}); shorten it`,
      );
    const a = e + est[0],
      b = e + est[1],
      L1 = b - a + 1;
    const ey = r.slice(a, b + 1),
      ex = rm.slice(a, b + 1);
    const fit = olsFit([new Float64Array(L1).fill(1), ex], ey, ['const', mname], 'eventStudy');
    const s2 = fit.ssr / (L1 - 2);
    const [alpha, beta] = fit.params,
      M = fit.xtxInv;
    const rows = offsets.map((o) => e + o);
    const ar = rows.map((i) => r[i] - alpha - beta * rm[i]);
    // V_st = s²(δ_st + x_s'(X'X)⁻¹x_t), x = (1, Rm)
    const q = (i: number, j: number) => M[0] + M[1] * (rm[i] + rm[j]) + M[3] * rm[i] * rm[j];
    const arSe = rows.map((i) => Math.sqrt(s2 * (1 + q(i, i))));
    const car: number[] = [],
      carSe: number[] = [];
    let c = 0,
      v = 0;
    rows.forEach((i, k) => {
      c += ar[k];
      // ι'Vι grows by V_kk + 2 Σ_(j<k) V_jk
      let cross = 0;
      for (let j = 0; j < k; j++) cross += q(rows[j], i);
      v += s2 * (1 + q(i, i)) + 2 * s2 * cross;
      car.push(c);
      carSe.push(Math.sqrt(v));
    });
    return {
      date,
      eventDate: formatTime(idx[e]),
      alpha,
      beta,
      sigma2: s2,
      estimation: { from: formatTime(idx[a]), to: formatTime(idx[b]), n: L1 },
      offsets,
      dates: rows.map((i) => formatTime(idx[i])),
      ar,
      arSe,
      car,
      carSe,
    };
  });
  const N = out.length;
  const caar = offsets.map((_, k) => mean(out.map((e) => e.car[k])));
  const caarSe = offsets.map((_, k) => Math.sqrt(out.reduce((s, e) => s + e.carSe[k] ** 2, 0)) / N);
  return new EventStudyResult(D.name, mname, out, offsets, caar, caarSe, est, win, D.alignment);
}
