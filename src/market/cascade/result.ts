/**
 * What cascade(...) returns: numbers, tables and Plotly charts; displays itself in a notebook.
 * (Over 300 lines on purpose, barely: one class, CascadeResult, its tables and display; the
 * numbers are summary.ts and the charts panels.ts already.)
 */
import { DISPLAY, type OutputItem, type TableValue } from '../../shared/schemas';
import { formatTime } from '../series';
import { formatFixed } from '../../shared/format';
import { type Chart, Table } from '../output';
import { fmtUsd, type PositionBook } from './book';
import { describeImpact, DEFAULT_IMPACT } from './impact';
import type { RawRun } from './run';
import { layersOf, summarise, type CascadeSummary, type LayerRow } from './summary';
import { adlPositionsTable, adlTable, depthChart } from './panels';
import { levelsChart, pathChart } from '../plot/cascade';
import { replayChart } from '../plot/cascadeReplay';
import { describeLiquidity } from './liquidity';
import { describeMark } from './mark';

export interface StepRow {
  step: number;
  time?: string;
  open: number;
  low: number;
  high: number;
  close: number;
  histLow: number;
  histHigh: number;
  liqLong: number;
  liqShort: number;
  countLong: number;
  countShort: number;
  rounds: number;
  halted: boolean;
  haltTriggered: boolean;
  impactPct: number;
  insurance: number;
  adl: number;
  oi: number;
}

const NOT_MODELLED =
  'Not modelled: cross margin, funding payments, trading and liquidation fees, the maintenance amount (tier deduction) in the liquidation price, position changes other than liquidations and ADL during the run.';

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
      get depth() {
        return (self.chartCache.depth ??= depthChart(self));
      },
      get path() {
        return (self.chartCache.path ??= pathChart(self));
      },
      get levels() {
        return (self.chartCache.levels ??= levelsChart(self));
      },
      get replay() {
        return (self.chartCache.replay ??= replayChart(self));
      },
    };
  }

  /** Label of step t: its date (replay with dates) or the step number. */
  stepLabel(t: number): string {
    return this.raw.hasTime && Number.isFinite(this.raw.time[t]) ? formatTime(this.raw.time[t]) : String(t);
  }

  /** Per-step records. */
  stepRows(): StepRow[] {
    const r = this.raw;
    return Array.from({ length: r.steps }, (_, t) => ({
      step: t,
      time: r.hasTime ? formatTime(r.time[t]) : undefined,
      open: r.open[t],
      low: r.low[t],
      high: r.high[t],
      close: r.close[t],
      histLow: r.histLow[t],
      histHigh: r.histHigh[t],
      liqLong: r.liqLongNotional[t],
      liqShort: r.liqShortNotional[t],
      countLong: r.liqLongCount[t],
      countShort: r.liqShortCount[t],
      rounds: r.rounds[t],
      halted: !!r.halted[t],
      haltTriggered: !!r.haltTriggered[t],
      impactPct: r.impactPct[t],
      insurance: r.insurance[t],
      adl: r.adl[t],
      oi: r.oiLong[t] + r.oiShort[t],
    }));
  }

  /** Liquidated entry notional by leverage bucket and side. */
  byLeverage(): Record<string, { long: number; short: number }> {
    const out: Record<string, { long: number; short: number }> = {};
    for (const l of this.layers) (out[l.leverage] ??= { long: 0, short: 0 })[l.side] = l.liquidatedNotional;
    return out;
  }

  /** Auto-deleveraging by leverage bucket and side: positions closed, notional, haircuts (panels.ts). */
  adlTable(): Table {
    return adlTable(this);
  }

  /** The positions ADL closed, largest haircut first. */
  adlPositionsTable(limit = 50): Table {
    return adlPositionsTable(this, limit);
  }

  summaryTable(): Table {
    const s = this.summary;
    const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(2)}%` : 'n/a');
    const px = (v: number) => formatFixed(v, 2);
    const rows: TableValue[][] = [
      [
        'mode',
        s.mode +
          (s.mode === 'replay'
            ? this.raw.feedback
              ? ' (with price feedback)'
              : ' (historical path, no feedback)'
            : ''),
      ],
      ...(s.from ? [['period', `${s.from} .. ${s.to} (${s.steps} steps)`]] : [['steps', String(s.steps)]]),
      ['start price', px(s.startPrice)],
      ['final price', px(s.finalPrice)],
      ['low / high', `${px(s.minPrice)} / ${px(s.maxPrice)}`],
      [s.mode === 'simulate' ? 'initial shock' : 'historical move', pct(s.initialShock)],
      ...(s.mode === 'simulate' && Math.abs(s.exogenousMove - s.initialShock) > 1e-12
        ? [['exogenous move (shock + noise)', pct(s.exogenousMove)]]
        : []),
      ['final move', pct(s.finalMove)],
      ['trough move', pct(s.troughMove)],
      [
        'amplification (final / exogenous move)',
        Number.isFinite(s.amplification) ? s.amplification.toFixed(3) : 'n/a (price follows history)',
      ],
      ['liquidated longs (entry notional)', fmtUsd(s.liquidatedLong)],
      ['liquidated shorts (entry notional)', fmtUsd(s.liquidatedShort)],
      ['liquidation orders (at fills)', fmtUsd(s.liquidatedValue)],
      [
        'positions liquidated',
        `${s.positionsLiquidated} of ${this.book.n}${s.partiallyLiquidated ? ` (${s.partiallyLiquidated} partly)` : ''}`,
      ],
      [
        'open interest before -> after',
        `${fmtUsd(s.oiBefore)} -> ${fmtUsd(s.oiAfter)} (${pct(s.oiAfter / s.oiBefore - 1)})`,
      ],
      [
        'cascade depth',
        s.cascadeSteps
          ? `${s.cascadeSteps} step(s) with liquidations, ${this.stepLabel(s.firstStep)} .. ${this.stepLabel(s.lastStep)}; ${s.rounds} rounds (max ${s.maxRoundsInStep} in a step)`
          : 'no liquidations',
      ],
      [
        'circuit breaker',
        this.raw.options.circuitBreaker ? `${s.halts} halt(s), ${s.haltedSteps} halted step(s)` : 'none',
      ],
      ['insurance fund start -> end', `${fmtUsd(s.insuranceStart)} -> ${fmtUsd(s.insuranceEnd)}`],
      ['loss beyond margin (bad debt) / ADL', `${fmtUsd(s.badDebt)} / ${fmtUsd(s.adl)}`],
      ...(s.adlRule !== 'amount'
        ? [
            [
              'ADL on positions',
              `${s.adlRule}: ${s.adlPositions} position(s) closed, ${fmtUsd(s.adlClosedLong + s.adlClosedShort)} notional (long ${fmtUsd(s.adlClosedLong)}, short ${fmtUsd(s.adlClosedShort)}), haircut ${fmtUsd(s.adlHaircut)}${s.adlUnsocialised > 0 ? `, unsocialised ${fmtUsd(s.adlUnsocialised)}` : ''}`,
            ],
          ]
        : []),
      ...(this.raw.options.liquidity ? [['depth withdrawn (largest in a step)', pct(s.maxWithdrawn)]] : []),
      ...(this.raw.options.mark || this.raw.options.collateral
        ? [['liquidated at the mark only', `${s.markOnlyLiquidations} position(s) the traded price did not reach`]]
        : []),
    ];
    const o = this.raw.options;
    const footer = [
      describeImpact(o.impact ?? DEFAULT_IMPACT) +
        (o.liquidity ? `; ${describeLiquidity(o.liquidity)}` : '') +
        (o.mark || o.collateral ? `; ${describeMark(o.mark, o.collateral)}` : '') +
        (o.dipBuyers?.length ? `; ${o.dipBuyers.length} dip-buyer level(s)` : '') +
        (o.partial
          ? `; positions above ${fmtUsd(o.partial.above)} liquidated ${Math.round((o.partial.fraction ?? 0.2) * 100)}% per step`
          : '') +
        (o.circuitBreaker
          ? `; circuit breaker: halt ${o.circuitBreaker.halt ?? 1} step(s) when the mark moves > ${(o.circuitBreaker.move * 100).toFixed(1)}% within ${o.circuitBreaker.within ?? 1} step(s)`
          : '') +
        '.',
      ...this.book.meta.assumptions,
      'Maintenance tiers are illustrative (Binance-like BTCUSDT brackets).',
      NOT_MODELLED,
    ].join(' ');
    return new Table(
      [
        { name: 'metric', type: 'string' },
        { name: 'value', type: 'string' },
      ],
      rows,
      { title: `Liquidation cascade${o.label ? `: ${o.label}` : ''} (${s.mode})`, footer },
    );
  }

  layersTable(): Table {
    const rows = this.layers.map((l) => [
      l.leverage,
      l.side,
      l.positions,
      l.bookNotional,
      l.liquidatedNotional,
      l.share,
      l.liquidated,
      l.first ?? '',
      l.last ?? '',
    ]);
    return new Table(
      [
        { name: 'leverage', type: 'string' },
        { name: 'side', type: 'string' },
        { name: 'positions', type: 'number', format: 'integer' },
        { name: 'book notional', type: 'number', format: 'currency' },
        { name: 'liquidated notional', type: 'number', format: 'currency' },
        { name: 'share liquidated', type: 'number', percent: true },
        { name: 'positions hit', type: 'number', format: 'integer' },
        { name: 'first', type: 'string' },
        { name: 'last', type: 'string' },
      ],
      rows,
      { title: 'Which layers went, and when (by leverage and side)' },
    );
  }

  stepsTable(): Table {
    const r = this.raw,
      o = r.options;
    // the lab's columns only when the run uses them (a mark that is not the trade, withdrawal, ADL on positions)
    const markCols = !!(o.mark || o.collateral),
      liqCol = !!o.liquidity,
      adlCol = (o.adl ?? 'amount') !== 'amount';
    const rows: TableValue[][] = [];
    for (let t = 0; t < r.steps; t++) {
      rows.push([
        this.stepLabel(t),
        r.low[t],
        r.close[t],
        ...(markCols ? [r.markLow[t]] : []),
        r.liqLongNotional[t],
        r.liqShortNotional[t],
        r.liqLongCount[t] + r.liqShortCount[t],
        r.rounds[t],
        r.halted[t] ? 'yes' : '',
        r.impactPct[t] / 100,
        ...(liqCol ? [r.withdrawn[t]] : []),
        ...(adlCol ? [r.adlClosedLong[t] + r.adlClosedShort[t]] : []),
        r.oiLong[t] + r.oiShort[t],
      ]);
    }
    return new Table(
      [
        { name: r.hasTime ? 'date' : 'step', type: r.hasTime ? 'date' : 'string' },
        { name: markCols ? 'trade low' : 'mark low', type: 'number', digits: 2 },
        { name: markCols ? 'trade close' : 'mark close', type: 'number', digits: 2 },
        ...(markCols ? [{ name: 'mark low', type: 'number' as const, digits: 2 }] : []),
        { name: 'long liq', type: 'number', format: 'currency' },
        { name: 'short liq', type: 'number', format: 'currency' },
        { name: 'positions', type: 'number', format: 'integer' },
        { name: 'rounds', type: 'number', format: 'integer' },
        { name: 'halted', type: 'string' },
        { name: 'impact', type: 'number', percent: true },
        ...(liqCol ? [{ name: 'depth withdrawn', type: 'number' as const, percent: true }] : []),
        ...(adlCol ? [{ name: 'ADL closed', type: 'number' as const, format: 'currency' as const }] : []),
        { name: 'OI after', type: 'number', format: 'currency' },
      ],
      rows,
      { title: 'Cascade by step' },
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
      ...((this.raw.options.adl ?? 'amount') !== 'amount' && this.raw.adlLog.step.length
        ? this.adlTable()[DISPLAY]()
        : []),
    ];
  }
}
