/** What cascade(...) returns: numbers, tables and Plotly charts; displays itself in a notebook. */
import { DISPLAY, type OutputItem, type PlotlyFigure, type TableValue } from '../../shared/schemas';
import { formatTime } from '../series';
import { formatFixed } from '../../shared/format';
import { Chart, Table } from '../output';
import { fmtUsd, leverageBuckets, type PositionBook } from './book';
import { describeImpact, DEFAULT_IMPACT } from './impact';
import type { RawRun } from './engine';
import { adlPositionsTable, adlTable, depthChart } from './panels';
import { describeLiquidity } from './liquidity';
import { describeMark } from './mark';

export interface CascadeSummary {
  mode: 'replay' | 'simulate';
  label: string;
  steps: number;
  from?: string;
  to?: string;
  startPrice: number;
  finalPrice: number;
  minPrice: number;
  maxPrice: number;
  /** simulate: the stated initial shock; replay: the historical move open(first) -> close(last) */
  initialShock: number;
  /** move of the exogenous path alone (simulate: shock and noise; replay: historical) */
  exogenousMove: number;
  /** finalPrice / startPrice - 1 */
  finalMove: number;
  /** minPrice / startPrice - 1 */
  troughMove: number;
  /** finalMove / exogenousMove (simulate, replay with feedback); NaN for a replay without feedback */
  amplification: number;
  liquidatedLong: number;
  liquidatedShort: number;
  /** USDT value of the liquidation orders at their fills */
  liquidatedValue: number;
  positionsLiquidated: number;
  partiallyLiquidated: number;
  oiBefore: number;
  oiAfter: number;
  /** steps in which something was liquidated */
  cascadeSteps: number;
  firstStep: number;
  lastStep: number;
  rounds: number;
  maxRoundsInStep: number;
  halts: number;
  haltedSteps: number;
  insuranceStart: number;
  insuranceEnd: number;
  /** losses beyond liquidated positions' margins */
  badDebt: number;
  /** part of badDebt the insurance fund could not pay (auto-deleveraging) */
  adl: number;
  /** ADL rule used ('amount' = recorded only) */
  adlRule: 'queue' | 'pro-rata' | 'amount';
  /** entry notional of opposite positions ADL closed */
  adlClosedLong: number;
  adlClosedShort: number;
  /** positions ADL closed (fully or partly) */
  adlPositions: number;
  /** profit the ADL'd positions gave up (= the socialised loss) */
  adlHaircut: number;
  /** loss no position in profit was left to bear */
  adlUnsocialised: number;
  /** largest withdrawn fraction of the depth in any step (0 without a liquidity model) */
  maxWithdrawn: number;
  /** positions liquidated at a mark the traded price did not reach (mark rule or collateral path) */
  markOnlyLiquidations: number;
}

export interface LayerRow {
  leverage: string;
  side: 'long' | 'short';
  positions: number;
  bookNotional: number;
  liquidatedNotional: number;
  share: number;
  liquidated: number;
  /** step index of the first / last liquidation in this layer (-1 when none) */
  firstStep: number;
  lastStep: number;
  first?: string;
  last?: string;
}

export interface StepRow {
  step: number;
  time?: string;
  open: number; low: number; high: number; close: number;
  histLow: number; histHigh: number;
  liqLong: number; liqShort: number; countLong: number; countShort: number;
  rounds: number; halted: boolean; haltTriggered: boolean; impactPct: number;
  insurance: number; adl: number; oi: number;
}

const NOT_MODELLED = 'Not modelled: cross margin, funding payments, trading and liquidation fees, the maintenance amount (tier deduction) in the liquidation price, position changes other than liquidations and ADL during the run.';

export class CascadeResult {
  readonly raw: RawRun;
  readonly book: PositionBook;
  readonly summary: CascadeSummary;
  readonly layers: LayerRow[];
  private chartCache: Partial<Record<'path' | 'levels' | 'replay' | 'depth', Chart>> = {};

  constructor(raw: RawRun) {
    this.raw = raw;
    this.book = raw.options.book;
    this.summary = summarise(raw);
    this.layers = layersOf(raw);
  }

  /** Charts, built on first use. */
  get charts(): { readonly path: Chart; readonly levels: Chart; readonly replay: Chart; readonly depth: Chart } {
    const self = this;
    return {
      get depth() { return (self.chartCache.depth ??= depthChart(self)); },
      get path() { return (self.chartCache.path ??= pathChart(self)); },
      get levels() { return (self.chartCache.levels ??= levelsChart(self)); },
      get replay() { return (self.chartCache.replay ??= replayChart(self)); },
    };
  }

  /** Label of step t: its date (replay with dates) or the step number. */
  stepLabel(t: number): string { return this.raw.hasTime && Number.isFinite(this.raw.time[t]) ? formatTime(this.raw.time[t]) : String(t); }

  /** Per-step records. */
  stepRows(): StepRow[] {
    const r = this.raw;
    return Array.from({ length: r.steps }, (_, t) => ({
      step: t, time: r.hasTime ? formatTime(r.time[t]) : undefined,
      open: r.open[t], low: r.low[t], high: r.high[t], close: r.close[t], histLow: r.histLow[t], histHigh: r.histHigh[t],
      liqLong: r.liqLongNotional[t], liqShort: r.liqShortNotional[t], countLong: r.liqLongCount[t], countShort: r.liqShortCount[t],
      rounds: r.rounds[t], halted: !!r.halted[t], haltTriggered: !!r.haltTriggered[t], impactPct: r.impactPct[t],
      insurance: r.insurance[t], adl: r.adl[t], oi: r.oiLong[t] + r.oiShort[t],
    }));
  }

  /** Liquidated entry notional by leverage bucket and side. */
  byLeverage(): Record<string, { long: number; short: number }> {
    const out: Record<string, { long: number; short: number }> = {};
    for (const l of this.layers) (out[l.leverage] ??= { long: 0, short: 0 })[l.side] = l.liquidatedNotional;
    return out;
  }

  /** Auto-deleveraging by leverage bucket and side: positions closed, notional, haircuts (panels.ts). */
  adlTable(): Table { return adlTable(this); }

  /** The positions ADL closed, largest haircut first. */
  adlPositionsTable(limit = 50): Table { return adlPositionsTable(this, limit); }

  summaryTable(): Table {
    const s = this.summary;
    const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(2)}%` : 'n/a');
    const px = (v: number) => formatFixed(v, 2);
    const rows: TableValue[][] = [
      ['mode', s.mode + (s.mode === 'replay' ? (this.raw.feedback ? ' (with price feedback)' : ' (historical path, no feedback)') : '')],
      ...(s.from ? [['period', `${s.from} .. ${s.to} (${s.steps} steps)`]] : [['steps', String(s.steps)]]),
      ['start price', px(s.startPrice)],
      ['final price', px(s.finalPrice)],
      ['low / high', `${px(s.minPrice)} / ${px(s.maxPrice)}`],
      [s.mode === 'simulate' ? 'initial shock' : 'historical move', pct(s.initialShock)],
      ...(s.mode === 'simulate' && Math.abs(s.exogenousMove - s.initialShock) > 1e-12 ? [['exogenous move (shock + noise)', pct(s.exogenousMove)]] : []),
      ['final move', pct(s.finalMove)],
      ['trough move', pct(s.troughMove)],
      ['amplification (final / exogenous move)', Number.isFinite(s.amplification) ? s.amplification.toFixed(3) : 'n/a (price follows history)'],
      ['liquidated longs (entry notional)', fmtUsd(s.liquidatedLong)],
      ['liquidated shorts (entry notional)', fmtUsd(s.liquidatedShort)],
      ['liquidation orders (at fills)', fmtUsd(s.liquidatedValue)],
      ['positions liquidated', `${s.positionsLiquidated} of ${this.book.n}${s.partiallyLiquidated ? ` (${s.partiallyLiquidated} partly)` : ''}`],
      ['open interest before -> after', `${fmtUsd(s.oiBefore)} -> ${fmtUsd(s.oiAfter)} (${pct(s.oiAfter / s.oiBefore - 1)})`],
      ['cascade depth', s.cascadeSteps ? `${s.cascadeSteps} step(s) with liquidations, ${this.stepLabel(s.firstStep)} .. ${this.stepLabel(s.lastStep)}; ${s.rounds} rounds (max ${s.maxRoundsInStep} in a step)` : 'no liquidations'],
      ['circuit breaker', this.raw.options.circuitBreaker ? `${s.halts} halt(s), ${s.haltedSteps} halted step(s)` : 'none'],
      ['insurance fund start -> end', `${fmtUsd(s.insuranceStart)} -> ${fmtUsd(s.insuranceEnd)}`],
      ['loss beyond margin (bad debt) / ADL', `${fmtUsd(s.badDebt)} / ${fmtUsd(s.adl)}`],
      ...(s.adlRule !== 'amount' ? [['ADL on positions', `${s.adlRule}: ${s.adlPositions} position(s) closed, ${fmtUsd(s.adlClosedLong + s.adlClosedShort)} notional (long ${fmtUsd(s.adlClosedLong)}, short ${fmtUsd(s.adlClosedShort)}), haircut ${fmtUsd(s.adlHaircut)}${s.adlUnsocialised > 0 ? `, unsocialised ${fmtUsd(s.adlUnsocialised)}` : ''}`]] : []),
      ...(this.raw.options.liquidity ? [['depth withdrawn (largest in a step)', pct(s.maxWithdrawn)]] : []),
      ...(this.raw.options.mark || this.raw.options.collateral ? [['liquidated at the mark only', `${s.markOnlyLiquidations} position(s) the traded price did not reach`]] : []),
    ];
    const o = this.raw.options;
    const footer = [
      describeImpact(o.impact ?? DEFAULT_IMPACT) + (o.liquidity ? `; ${describeLiquidity(o.liquidity)}` : '') + (o.mark || o.collateral ? `; ${describeMark(o.mark, o.collateral)}` : '') + (o.dipBuyers?.length ? `; ${o.dipBuyers.length} dip-buyer level(s)` : '') + (o.partial ? `; positions above ${fmtUsd(o.partial.above)} liquidated ${Math.round((o.partial.fraction ?? 0.2) * 100)}% per step` : '') + (o.circuitBreaker ? `; circuit breaker: halt ${o.circuitBreaker.halt ?? 1} step(s) when the mark moves > ${(o.circuitBreaker.move * 100).toFixed(1)}% within ${o.circuitBreaker.within ?? 1} step(s)` : '') + '.',
      ...this.book.meta.assumptions,
      'Maintenance tiers are illustrative (Binance-like BTCUSDT brackets).',
      NOT_MODELLED,
    ].join(' ');
    return new Table([{ name: 'metric', type: 'string' }, { name: 'value', type: 'string' }], rows, { title: `Liquidation cascade${o.label ? `: ${o.label}` : ''} (${s.mode})`, footer });
  }

  layersTable(): Table {
    const rows = this.layers.map((l) => [l.leverage, l.side, l.positions, l.bookNotional, l.liquidatedNotional, l.share, l.liquidated, l.first ?? '', l.last ?? '']);
    return new Table(
      [{ name: 'leverage', type: 'string' }, { name: 'side', type: 'string' }, { name: 'positions', type: 'number', format: 'integer' }, { name: 'book notional', type: 'number', format: 'currency' },
        { name: 'liquidated notional', type: 'number', format: 'currency' }, { name: 'share liquidated', type: 'number', percent: true }, { name: 'positions hit', type: 'number', format: 'integer' },
        { name: 'first', type: 'string' }, { name: 'last', type: 'string' }],
      rows, { title: 'Which layers went, and when (by leverage and side)' },
    );
  }

  stepsTable(): Table {
    const r = this.raw, o = r.options;
    // the lab's columns only when the run uses them (a mark that is not the trade, withdrawal, ADL on positions)
    const markCols = !!(o.mark || o.collateral), liqCol = !!o.liquidity, adlCol = (o.adl ?? 'amount') !== 'amount';
    const rows: TableValue[][] = [];
    for (let t = 0; t < r.steps; t++) {
      rows.push([this.stepLabel(t), r.low[t], r.close[t], ...(markCols ? [r.markLow[t]] : []), r.liqLongNotional[t], r.liqShortNotional[t], r.liqLongCount[t] + r.liqShortCount[t], r.rounds[t], r.halted[t] ? 'yes' : '', r.impactPct[t] / 100,
        ...(liqCol ? [r.withdrawn[t]] : []), ...(adlCol ? [r.adlClosedLong[t] + r.adlClosedShort[t]] : []), r.oiLong[t] + r.oiShort[t]]);
    }
    return new Table(
      [{ name: r.hasTime ? 'date' : 'step', type: r.hasTime ? 'date' : 'string' }, { name: markCols ? 'trade low' : 'mark low', type: 'number', digits: 2 }, { name: markCols ? 'trade close' : 'mark close', type: 'number', digits: 2 },
        ...(markCols ? [{ name: 'mark low', type: 'number' as const, digits: 2 }] : []),
        { name: 'long liq', type: 'number', format: 'currency' }, { name: 'short liq', type: 'number', format: 'currency' }, { name: 'positions', type: 'number', format: 'integer' }, { name: 'rounds', type: 'number', format: 'integer' },
        { name: 'halted', type: 'string' }, { name: 'impact', type: 'number', percent: true },
        ...(liqCol ? [{ name: 'depth withdrawn', type: 'number' as const, percent: true }] : []), ...(adlCol ? [{ name: 'ADL closed', type: 'number' as const, format: 'currency' as const }] : []),
        { name: 'OI after', type: 'number', format: 'currency' }],
      rows, { title: 'Cascade by step' },
    );
  }

  toString(): string {
    const s = this.summary;
    return `CascadeResult [${s.mode}, ${s.steps} steps, liquidated ${fmtUsd(s.liquidatedLong + s.liquidatedShort)}, final move ${(s.finalMove * 100).toFixed(2)}%]`;
  }

  [DISPLAY](): OutputItem[] {
    return [
      ...this.summaryTable()[DISPLAY](),
      ...this.layersTable()[DISPLAY](),
      ...this.charts.path[DISPLAY](),
      ...this.charts.levels[DISPLAY](),
      ...this.charts.replay[DISPLAY](),
      ...(this.raw.options.liquidity ? this.charts.depth[DISPLAY]() : []),
      ...((this.raw.options.adl ?? 'amount') !== 'amount' && this.raw.adlLog.step.length ? this.adlTable()[DISPLAY]() : []),
    ];
  }
}

function summarise(r: RawRun): CascadeSummary {
  const o = r.options;
  let minP = r.startPrice, maxP = r.startPrice;
  for (let t = 0; t < r.steps; t++) { if (r.low[t] < minP) minP = r.low[t]; if (r.high[t] > maxP) maxP = r.high[t]; }
  let liqL = 0, liqS = 0, val = 0, cascadeSteps = 0, first = -1, last = -1, rounds = 0, maxRounds = 0, halts = 0, haltedSteps = 0;
  for (let t = 0; t < r.steps; t++) {
    liqL += r.liqLongNotional[t]; liqS += r.liqShortNotional[t]; val += r.liqLongValue[t] + r.liqShortValue[t];
    if (r.liqLongCount[t] + r.liqShortCount[t] > 0) { cascadeSteps++; if (first < 0) first = t; last = t; }
    rounds += r.rounds[t]; maxRounds = Math.max(maxRounds, r.rounds[t]); halts += r.haltTriggered[t]; haltedSteps += r.halted[t];
  }
  const hit = new Uint8Array(r.remaining.length);
  let positions = 0, partly = 0;
  for (let k = 0; k < r.evPos.length; k++) if (!hit[r.evPos[k]]) { hit[r.evPos[k]] = 1; positions++; if (r.remaining[r.evPos[k]] > 0) partly++; }
  const finalPrice = r.close[r.steps - 1];
  const finalMove = finalPrice / r.startPrice - 1;
  const exo = r.exoMove;
  const amp = r.mode === 'replay' && !r.feedback ? NaN : finalMove / (exo === 0 ? NaN : exo);
  return {
    mode: r.mode, label: o.label ?? '', steps: r.steps,
    from: r.hasTime ? formatTime(r.time[0]) : undefined, to: r.hasTime ? formatTime(r.time[r.steps - 1]) : undefined,
    startPrice: r.startPrice, finalPrice, minPrice: minP, maxPrice: maxP,
    initialShock: r.initialShock, exogenousMove: exo, finalMove, troughMove: minP / r.startPrice - 1, amplification: amp,
    liquidatedLong: liqL, liquidatedShort: liqS, liquidatedValue: val, positionsLiquidated: positions, partiallyLiquidated: partly,
    oiBefore: r.oiBefore.long + r.oiBefore.short, oiAfter: r.oiLong[r.steps - 1] + r.oiShort[r.steps - 1],
    cascadeSteps, firstStep: first, lastStep: last, rounds, maxRoundsInStep: maxRounds, halts, haltedSteps,
    insuranceStart: r.insuranceStart, insuranceEnd: r.insurance[r.steps - 1], badDebt: r.badDebt[r.steps - 1], adl: r.adl[r.steps - 1],
    ...adlAndStress(r),
  };
}

function adlAndStress(r: RawRun): Pick<CascadeSummary, 'adlRule' | 'adlClosedLong' | 'adlClosedShort' | 'adlPositions' | 'adlHaircut' | 'adlUnsocialised' | 'maxWithdrawn' | 'markOnlyLiquidations'> {
  let cl = 0, cs = 0, w = 0, adlPositions = 0, markOnly = 0;
  for (let t = 0; t < r.steps; t++) { cl += r.adlClosedLong[t]; cs += r.adlClosedShort[t]; if (r.withdrawn[t] > w) w = r.withdrawn[t]; }
  for (let i = 0; i < r.adlLog.qty.length; i++) if (r.adlLog.qty[i] > 0) adlPositions++;
  // a liquidation at a check whose traded price had not reached the position's liquidation price
  const book = r.options.book, seen = new Uint8Array(book.n);
  for (let k = 0; k < r.evPos.length; k++) {
    const i = r.evPos[k];
    if (seen[i]) continue;
    seen[i] = 1;
    const tr = r.cpTrade[r.evCp[k]];
    if (book.side[i] === 1 ? tr > book.liq[i] : tr < book.liq[i]) markOnly++;
  }
  return { adlRule: r.options.adl ?? 'amount', adlClosedLong: cl, adlClosedShort: cs, adlPositions, adlHaircut: r.adlHaircut[r.steps - 1], adlUnsocialised: r.adlUnsocialised[r.steps - 1], maxWithdrawn: w, markOnlyLiquidations: markOnly };
}

function layersOf(r: RawRun): LayerRow[] {
  const book = r.options.book;
  const bk = leverageBuckets(book);
  const nb = bk.labels.length;
  const bucketOf = new Int16Array(book.n);
  for (let i = 0; i < book.n; i++) bucketOf[i] = bk.bucket(book.leverage[i]);
  const rows: LayerRow[] = [];
  const mk = (b: number, side: 'long' | 'short'): LayerRow => ({ leverage: bk.labels[b], side, positions: 0, bookNotional: 0, liquidatedNotional: 0, share: 0, liquidated: 0, firstStep: -1, lastStep: -1 });
  const L = Array.from({ length: nb }, (_, b) => mk(b, 'long')), S = Array.from({ length: nb }, (_, b) => mk(b, 'short'));
  for (let i = 0; i < book.n; i++) { const row = (book.side[i] === 1 ? L : S)[bucketOf[i]]; row.positions++; row.bookNotional += book.size[i] * book.entry[i]; }
  const seen = new Uint8Array(book.n);
  for (let k = 0; k < r.evPos.length; k++) {
    const i = r.evPos[k];
    const row = (book.side[i] === 1 ? L : S)[bucketOf[i]];
    row.liquidatedNotional += r.evQty[k] * book.entry[i];
    if (!seen[i]) { seen[i] = 1; row.liquidated++; }
    if (row.firstStep < 0) row.firstStep = r.evStep[k];
    row.lastStep = r.evStep[k];
  }
  const label = (t: number) => (t < 0 ? undefined : r.hasTime ? formatTime(r.time[t]) : `step ${t}`);
  for (let b = 0; b < nb; b++) for (const row of [L[b], S[b]]) {
    if (!row.positions) continue;
    row.share = row.bookNotional > 0 ? row.liquidatedNotional / row.bookNotional : 0;
    row.first = label(row.firstStep); row.last = label(row.lastStep);
    rows.push(row);
  }
  return rows;
}

const LONG_COLOR = '#d62728', SHORT_COLOR = '#2ca02c';

function xsOf(res: CascadeResult): Array<string | number> {
  return Array.from({ length: res.raw.steps }, (_, t) => (res.raw.hasTime ? formatTime(res.raw.time[t]) : t));
}

function pathChart(res: CascadeResult): Chart {
  const r = res.raw;
  // simulate: x = 0 is the start, step t is drawn at t + 1
  const sim = r.mode === 'simulate';
  const x = sim ? Array.from({ length: r.steps }, (_, t) => t + 1) : xsOf(res);
  const withStart = (a: ArrayLike<number>) => (sim ? [r.startPrice, ...Array.from(a)] : Array.from(a));
  const xs = sim ? [0, ...x] : x;
  const data: Array<Record<string, unknown>> = [];
  if (r.mode === 'replay') {
    data.push({ type: 'scatter', mode: 'lines', name: 'historical high', x, y: Array.from(r.histHigh), line: { width: 0.5 }, showlegend: false, hoverinfo: 'skip' });
    data.push({ type: 'scatter', mode: 'lines', name: 'historical low-high', x, y: Array.from(r.histLow), line: { width: 0.5 }, fill: 'tonexty', opacity: 0.3 });
  }
  data.push({ type: 'scatter', mode: 'lines', name: r.mode === 'replay' && !r.feedback ? 'close' : 'mark (close)', x: xs, y: withStart(r.close) });
  if (sim) data.push({ type: 'scatter', mode: 'lines', name: 'exogenous path', x: xs, y: withStart(r.exo), line: { dash: 'dot' } });
  else if (r.feedback) data.push({ type: 'scatter', mode: 'lines', name: 'historical close', x, y: Array.from(r.exo), line: { dash: 'dot' } });
  data.push({ type: 'scatter', mode: 'lines', name: 'mark low', x, y: Array.from(r.low), line: { width: 1, dash: 'dash' }, visible: r.mode === 'simulate' ? true : 'legendonly' });
  const halts = [] as number[];
  for (let t = 0; t < r.steps; t++) if (r.haltTriggered[t]) halts.push(t);
  if (halts.length) data.push({ type: 'scatter', mode: 'markers', name: 'circuit breaker halt', x: halts.map((t) => x[t]), y: halts.map((t) => r.close[t]), marker: { symbol: 'x', size: 10 } });
  data.push({ type: 'bar', name: 'longs liquidated', x, y: Array.from(r.liqLongValue), yaxis: 'y2', marker: { color: LONG_COLOR } });
  data.push({ type: 'bar', name: 'shorts liquidated', x, y: Array.from(r.liqShortValue), yaxis: 'y2', marker: { color: SHORT_COLOR } });
  const figure: PlotlyFigure = {
    data,
    layout: {
      title: { text: `Price path and liquidations per step${r.options.label ? ` (${r.options.label})` : ''}` },
      // tall enough for two panes that each keep their axis title beside them
      height: 560,
      margin: { t: 120, b: 48 },
      xaxis: { ...(r.hasTime ? { type: 'date' } : { title: { text: sim ? 'step (0 = start)' : 'step' } }), anchor: 'y2', automargin: true },
      yaxis: { title: { text: 'price' }, domain: [0.4, 1], automargin: true, tickformat: ',.0f' },
      yaxis2: { title: { text: 'liquidated' }, domain: [0, 0.3], automargin: true, tickprefix: '$', exponentformat: 'B' },
      barmode: 'stack', hovermode: 'x unified',
      legend: { orientation: 'h', x: 0, xanchor: 'left', y: 1.02, yanchor: 'bottom', traceorder: 'normal' },
    },
  };
  return new Chart(figure);
}

function levelBins(res: CascadeResult, nbins = 80): { lo: number; width: number; nbins: number; bin: Int32Array; centers: number[] } {
  const b = res.book, r = res.raw;
  let lo = Infinity, hi = -Infinity;
  const floor = r.startPrice * 0.25, ceil = r.startPrice * 2.5;
  for (let i = 0; i < b.n; i++) { const v = b.liq[i]; if (v < floor || v > ceil) continue; if (v < lo) lo = v; if (v > hi) hi = v; }
  if (!(hi > lo)) { lo = r.startPrice * 0.8; hi = r.startPrice * 1.2; }
  const width = (hi - lo) / nbins;
  const bin = new Int32Array(b.n);
  for (let i = 0; i < b.n; i++) { const k = Math.floor((b.liq[i] - lo) / width); bin[i] = k < 0 || k > nbins ? -1 : Math.min(k, nbins - 1); }
  return { lo, width, nbins, bin, centers: Array.from({ length: nbins }, (_, k) => lo + (k + 0.5) * width) };
}

function levelsChart(res: CascadeResult): Chart {
  const b = res.book, r = res.raw;
  const { nbins, bin, centers, width } = levelBins(res);
  const longAll = new Float64Array(nbins), shortAll = new Float64Array(nbins), longLiq = new Float64Array(nbins), shortLiq = new Float64Array(nbins);
  for (let i = 0; i < b.n; i++) { const k = bin[i]; if (k < 0) continue; (b.side[i] === 1 ? longAll : shortAll)[k] += b.size[i] * b.entry[i]; }
  for (let e = 0; e < r.evPos.length; e++) { const i = r.evPos[e], k = bin[i]; if (k < 0) continue; (b.side[i] === 1 ? longLiq : shortLiq)[k] += r.evQty[e] * b.entry[i]; }
  const sub = (a: Float64Array, c: Float64Array) => Array.from(a, (v, k) => Math.max(0, v - c[k]));
  const s = res.summary;
  const line = (x: number, name: string) => ({ type: 'line', x0: x, x1: x, yref: 'paper', y0: 0, y1: 1, line: { dash: 'dot', width: 1 }, name });
  const figure: PlotlyFigure = {
    data: [
      { type: 'bar', name: 'longs liquidated', x: centers, y: Array.from(longLiq), width, marker: { color: LONG_COLOR } },
      { type: 'bar', name: 'longs surviving', x: centers, y: sub(longAll, longLiq), width, marker: { color: LONG_COLOR }, opacity: 0.35 },
      { type: 'bar', name: 'shorts liquidated', x: centers, y: Array.from(shortLiq), width, marker: { color: SHORT_COLOR } },
      { type: 'bar', name: 'shorts surviving', x: centers, y: sub(shortAll, shortLiq), width, marker: { color: SHORT_COLOR }, opacity: 0.35 },
    ],
    layout: {
      title: { text: 'Liquidation-level map: entry notional by liquidation price' },
      height: 460,
      margin: { t: 110 },
      xaxis: { title: { text: 'liquidation price' }, automargin: true, tickformat: ',.0f' },
      yaxis: { title: { text: 'notional at entry' }, automargin: true, tickprefix: '$', exponentformat: 'B' },
      legend: { orientation: 'h', x: 0, xanchor: 'left', y: 1.02, yanchor: 'bottom', traceorder: 'normal' },
      barmode: 'stack', bargap: 0,
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

/** Animated replay: the price path grows while the level map empties. */
function replayChart(res: CascadeResult, maxFrames = 120): Chart {
  const b = res.book, r = res.raw;
  const { nbins, bin, centers, width } = levelBins(res);
  // ticks: replay = one per step; simulate = one per checkpoint (rounds inside steps)
  type Tick = { x: string | number; price: number; label: string; cp: number; step: number };
  const ticks: Tick[] = [];
  if (r.mode === 'replay') {
    for (let t = 0; t < r.steps; t++) ticks.push({ x: res.stepLabel(t), price: r.close[t], label: res.stepLabel(t), cp: -1, step: t });
  } else {
    // x = steps since the start (as in the price-path chart): step t's checks sit in (t, t + 1],
    // its last check at t + 1. Labels are "step 3" and "step 3, round 2", never "3.2" (a decimal?)
    ticks.push({ x: 0, price: r.startPrice, label: 'start', cp: 0, step: -1 });
    let k = 1;
    for (let t = 0; t < r.steps; t++) {
      const mine: Array<{ price: number; round: number; cp: number }> = [];
      while (k < r.cpStep.length && r.cpStep[k] === t) {
        if (r.cpRound[k] > 0 || k + 1 >= r.cpStep.length || r.cpStep[k + 1] !== t) mine.push({ price: r.cpMark[k], round: r.cpRound[k], cp: k });
        k++;
      }
      if (!mine.length) mine.push({ price: r.close[t], round: 0, cp: -1 });
      mine.forEach((m, j) => ticks.push({
        x: Number((t + (j + 1) / mine.length).toFixed(6)), price: m.price, cp: m.cp, step: t,
        label: j === mine.length - 1 ? `step ${t + 1}` : `step ${t + 1}, round ${m.round}`,
      }));
    }
  }
  // choose frames (evenly, always the last)
  const nf = Math.min(maxFrames, ticks.length);
  const frameTicks: number[] = [];
  for (let f = 0; f < nf; f++) frameTicks.push(nf === 1 ? ticks.length - 1 : Math.round((f * (ticks.length - 1)) / (nf - 1)));
  const longRem = new Float64Array(nbins), shortRem = new Float64Array(nbins);
  for (let i = 0; i < b.n; i++) { const k = bin[i]; if (k >= 0) (b.side[i] === 1 ? longRem : shortRem)[k] += b.size[i] * b.entry[i]; }
  let ymax = 0;
  for (let k = 0; k < nbins; k++) ymax = Math.max(ymax, longRem[k] + shortRem[k]);
  let e = 0;
  const frames: Array<Record<string, unknown>> = [];
  const xs = ticks.map((t) => t.x), ys = ticks.map((t) => t.price);
  let pmin = Infinity, pmax = -Infinity;
  for (const t of ticks) { pmin = Math.min(pmin, t.price); pmax = Math.max(pmax, t.price); }
  const done = (tick: Tick, ev: number) => (r.mode === 'replay' ? r.evStep[ev] <= tick.step : tick.cp >= 0 ? r.evCp[ev] < tick.cp : r.evStep[ev] <= tick.step);
  // the growing price line keeps at most ~600 points per frame (every k-th tick plus the current one)
  const stride = Math.max(1, Math.ceil(ticks.length / 600));
  const lineUpTo = (ti: number) => {
    const x: Array<string | number> = [], y: number[] = [];
    for (let j = 0; j < ti; j += stride) { x.push(xs[j]); y.push(ys[j]); }
    x.push(xs[ti]); y.push(ys[ti]);
    return { x, y };
  };
  const traces = (ti: number) => {
    const tick = ticks[ti];
    while (e < r.evPos.length && done(tick, e)) {
      const i = r.evPos[e], k = bin[i];
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
      { type: 'bar', name: 'longs still open', ...first[1], width, xaxis: 'x2', yaxis: 'y2', marker: { color: LONG_COLOR } },
      { type: 'bar', name: 'shorts still open', ...first[2], width, xaxis: 'x2', yaxis: 'y2', marker: { color: SHORT_COLOR } },
      { type: 'scatter', mode: 'lines', name: 'current mark', ...first[3], xaxis: 'x2', yaxis: 'y2', line: { dash: 'dot' } },
    ],
    layout: {
      title: { text: `Cascade replay${r.options.label ? ` (${r.options.label})` : ''}: the price path grows while the level map empties` },
      // two panes with room for their own tick labels and titles; Play/Pause beside the slider
      height: 680,
      margin: { t: 96, b: 40 },
      xaxis: {
        domain: [0, 1], anchor: 'y', automargin: true,
        ...(r.mode === 'replay'
          ? { ...(r.hasTime ? { type: 'date' } : { title: { text: 'step' } }), range: [xs[0], xs[xs.length - 1]] }
          : { title: { text: 'step (0 = start)' }, range: [0, Math.max(1, r.steps)] }),
      },
      yaxis: { domain: [0.62, 1], title: { text: 'mark price' }, range: [pmin * 0.98, pmax * 1.02], automargin: true, tickformat: ',.0f' },
      xaxis2: { domain: [0, 1], anchor: 'y2', title: { text: 'liquidation price' }, automargin: true, tickformat: ',.0f' },
      yaxis2: { domain: [0.15, 0.47], title: { text: 'open notional' }, range: [0, ymax * 1.05], automargin: true, tickprefix: '$', exponentformat: 'B' },
      barmode: 'stack', bargap: 0, showlegend: true, legend: { orientation: 'h', x: 0, xanchor: 'left', y: 1.02, yanchor: 'bottom', traceorder: 'normal' },
      updatemenus: [{
        type: 'buttons', showactive: false, x: 0, y: 0, xanchor: 'left', yanchor: 'top', direction: 'left', pad: { t: 36, r: 10 },
        buttons: [
          { label: 'Play', method: 'animate', args: [null, { fromcurrent: true, frame: { duration: 250, redraw: true }, transition: { duration: 0 } }] },
          { label: 'Pause', method: 'animate', args: [[null], { mode: 'immediate', frame: { duration: 0, redraw: false }, transition: { duration: 0 } }] },
        ],
      }],
      sliders: [{
        active: 0, x: 0.14, len: 0.86, y: 0, yanchor: 'top', pad: { t: 20 }, currentvalue: { prefix: r.mode === 'replay' ? (r.hasTime ? '' : 'step ') : '', xanchor: 'left' },
        steps: frames.map((f) => ({ label: f.name, method: 'animate', args: [[f.name], { mode: 'immediate', frame: { duration: 0, redraw: true }, transition: { duration: 0 } }] })),
      }],
    },
    frames,
  };
  return new Chart(figure);
}
