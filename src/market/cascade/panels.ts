/**
 * The cascade lab's extra panels: depth over time (stress-responsive liquidity) and the
 * auto-deleveraging tables (who was closed, by leverage bucket and side, and per position).
 * Kept apart from result.ts, whose existing charts have their own layout owner.
 */
import type { PlotlyFigure, TableValue } from '../../shared/schemas';
import { Chart, Table } from '../output';
import { fmtUsd, leverageBuckets } from './book';
import type { RawRun } from './run';

/** What the panels need from a result (CascadeResult satisfies it). */
export interface PanelSource {
  raw: RawRun;
  stepLabel(t: number): string;
}

export interface AdlRow {
  leverage: string;
  side: 'long' | 'short';
  /** positions of this layer that ADL closed (fully or partly) */
  positions: number;
  /** of which closed completely */
  closedFully: number;
  /** entry notional closed */
  closedNotional: number;
  /** share of the layer's open entry notional (at the start) that ADL closed */
  share: number;
  /** haircut borne: profit given up by closing at the bankruptcy price instead of the market */
  haircut: number;
  haircutPerPosition: number;
  maxHaircut: number;
}

/** ADL per leverage bucket and side (only layers ADL touched). */
export function adlRows(src: PanelSource): AdlRow[] {
  const r = src.raw,
    book = r.options.book,
    log = r.adlLog;
  const bk = leverageBuckets(book);
  const rows = new Map<string, AdlRow & { book: number }>();
  for (let i = 0; i < book.n; i++) {
    const label = bk.labels[bk.bucket(book.leverage[i])] ?? `${book.leverage[i]}x`;
    const side = book.side[i] === 1 ? 'long' : 'short';
    const key = `${label}|${side}`;
    let row = rows.get(key);
    if (!row) {
      row = {
        leverage: label,
        side,
        positions: 0,
        closedFully: 0,
        closedNotional: 0,
        share: 0,
        haircut: 0,
        haircutPerPosition: 0,
        maxHaircut: 0,
        book: 0,
      };
      rows.set(key, row);
    }
    row.book += book.size[i] * book.entry[i];
    const q = log.qty[i];
    if (!(q > 0)) continue;
    row.positions++;
    if (q >= book.size[i] * (1 - 1e-12)) row.closedFully++;
    row.closedNotional += q * book.entry[i];
    row.haircut += log.haircut[i];
    if (log.haircut[i] > row.maxHaircut) row.maxHaircut = log.haircut[i];
  }
  const out: AdlRow[] = [];
  for (const row of rows.values()) {
    if (!row.positions) continue;
    const { book: b, ...rest } = row;
    rest.share = b > 0 ? rest.closedNotional / b : 0;
    rest.haircutPerPosition = rest.haircut / rest.positions;
    out.push(rest);
  }
  return out.sort((a, b) => b.haircut - a.haircut);
}

/** The ADL table by leverage bucket and side, with the totals and the rule in the footer. */
export function adlTable(src: PanelSource): Table {
  const r = src.raw,
    log = r.adlLog;
  const rows = adlRows(src);
  const rule = r.options.adl ?? 'amount';
  const total = r.adlHaircut[r.steps - 1],
    unsoc = r.adlUnsocialised[r.steps - 1];
  let positions = 0,
    fully = 0;
  for (const x of rows) {
    positions += x.positions;
    fully += x.closedFully;
  }
  const footer =
    rule === 'amount'
      ? `ADL rule 'amount': the loss the insurance fund could not pay (${fmtUsd(r.adl[r.steps - 1])}) is recorded, no position is closed. Pass adl: 'queue' or 'pro-rata' to close positions.`
      : `ADL rule '${rule}': ${log.step.length} ADL action(s); ${positions} position(s) closed (${fully} completely) at the bankrupt positions' bankruptcy price; total haircut ${fmtUsd(total)}${unsoc > 0 ? `, ${fmtUsd(unsoc)} left unsocialised (no more positions in profit)` : ''}. Haircut = profit given up by closing at the bankruptcy price instead of the traded price.`;
  return new Table(
    [
      { name: 'leverage', type: 'string' },
      { name: 'side', type: 'string' },
      { name: 'positions closed', type: 'number' },
      { name: 'of which fully', type: 'number' },
      { name: 'closed notional', type: 'number', digits: 0 },
      { name: 'share of layer', type: 'number', percent: true },
      { name: 'haircut', type: 'number', digits: 0 },
      { name: 'haircut per position', type: 'number', digits: 2 },
      { name: 'largest haircut', type: 'number', digits: 2 },
    ],
    rows.map((x): TableValue[] => [
      x.leverage,
      x.side,
      x.positions,
      x.closedFully,
      x.closedNotional,
      x.share,
      x.haircut,
      x.haircutPerPosition,
      x.maxHaircut,
    ]),
    { title: `Auto-deleveraging: who was closed (${rule})`, footer },
  );
}

/** The positions ADL closed, largest haircut first (at most `limit`). */
export function adlPositionsTable(src: PanelSource, limit = 50): Table {
  const r = src.raw,
    book = r.options.book,
    log = r.adlLog;
  const idx: number[] = [];
  for (let i = 0; i < book.n; i++) if (log.qty[i] > 0) idx.push(i);
  idx.sort((a, b) => log.haircut[b] - log.haircut[a] || a - b);
  const rows = idx
    .slice(0, limit)
    .map((i): TableValue[] => [
      i,
      book.side[i] === 1 ? 'long' : 'short',
      book.leverage[i],
      book.entry[i],
      book.size[i],
      log.qty[i],
      log.qty[i] / book.size[i],
      log.haircut[i],
      src.stepLabel(log.firstStep[i]),
    ]);
  return new Table(
    [
      { name: 'position', type: 'number' },
      { name: 'side', type: 'string' },
      { name: 'leverage', type: 'number' },
      { name: 'entry', type: 'number', digits: 2 },
      { name: 'size', type: 'number', digits: 6 },
      { name: 'closed by ADL', type: 'number', digits: 6 },
      { name: 'share closed', type: 'number', percent: true },
      { name: 'haircut', type: 'number', digits: 2 },
      { name: 'first ADL', type: 'string' },
    ],
    rows,
    {
      title: `Positions closed by ADL (${idx.length}${idx.length > limit ? `, largest ${limit} haircuts shown` : ''})`,
    },
  );
}

/**
 * Depth over time: the stated top-2% book still resting on each side at each step's end
 * ((1 - withdrawn) x (D(2%) - consumed, not yet refilled)), and the withdrawn fraction.
 */
export function depthChart(src: PanelSource): Chart {
  const r = src.raw;
  const x = Array.from({ length: r.steps }, (_, t) => src.stepLabel(t));
  const halted: number[] = [];
  for (let t = 0; t < r.steps; t++) if (r.halted[t]) halted.push(t);
  const data: Array<Record<string, unknown>> = [
    {
      type: 'scatter',
      mode: 'lines',
      name: 'bid depth (top 2% still resting)',
      x,
      y: Array.from(r.depthBid),
      line: { color: '#1f77b4' },
    },
    {
      type: 'scatter',
      mode: 'lines',
      name: 'ask depth (top 2% still resting)',
      x,
      y: Array.from(r.depthAsk),
      line: { color: '#ff7f0e', dash: 'dot' },
    },
    {
      type: 'bar',
      name: 'withdrawn fraction (max in step)',
      x,
      y: Array.from(r.withdrawn),
      yaxis: 'y2',
      marker: { color: '#7f7f7f' },
      opacity: 0.6,
    },
  ];
  if (halted.length)
    data.push({
      type: 'scatter',
      mode: 'markers',
      name: 'trading halted',
      x: halted.map((t) => x[t]),
      y: halted.map(() => 1),
      yaxis: 'y2',
      marker: { symbol: 'line-ns-open', size: 14, color: '#d62728' },
    });
  const figure: PlotlyFigure = {
    data,
    layout: {
      title: { text: `Resting depth over time${r.options.label ? ` (${r.options.label})` : ''}` },
      xaxis: { title: { text: r.hasTime ? 'date' : 'step' }, anchor: 'y2' },
      yaxis: { title: { text: 'USDT (top 2%)' }, domain: [0.44, 1], rangemode: 'tozero' },
      yaxis2: { title: { text: 'withdrawn' }, domain: [0, 0.28], range: [0, 1], tickformat: '.0%' },
      hovermode: 'x unified',
      legend: { orientation: 'h' },
    },
  };
  return new Chart(figure);
}
