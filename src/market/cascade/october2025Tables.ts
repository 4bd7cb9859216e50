/**
 * The October 2025 preset's two tables (october2025.ts): its calibration to the public totals,
 * and the comparison of its runs with / without the breaker and by ADL rule.
 */
import { Table } from '../output';
import type { CascadeResult } from './result';
import type { CalibrationRow, October2025Run } from './october2025';

/** The calibration table: one row per leverage mix, each total beside the reported figure. */
export function calibrationTable(
  calibration: CalibrationRow[],
  reported: { liquidatedLong: number; liquidatedShort: number },
  footer: string,
): Table {
  const rows = calibration.map((c) => [
    c.mix,
    c.totalOI,
    c.accountsPerPosition,
    c.liquidatedLong,
    c.liquidatedLong / reported.liquidatedLong - 1,
    c.liquidatedShort,
    c.liquidatedShort / reported.liquidatedShort - 1,
    c.accounts,
    c.hourlyVolume,
    c.troughModel,
    c.troughThinner,
    c.troughHistory,
    c.withdrawnAtTrough,
  ]);
  return new Table(
    [
      { name: 'leverage mix', type: 'string' },
      { name: 'total OI', type: 'number', digits: 0 },
      { name: 'accounts per position', type: 'number', digits: 1 },
      { name: 'long liquidated', type: 'number', digits: 0 },
      { name: 'vs reported', type: 'number', percent: true },
      { name: 'short liquidated', type: 'number', digits: 0 },
      { name: 'vs reported ', type: 'number', percent: true },
      { name: 'accounts liquidated', type: 'number', digits: 0 },
      { name: 'hourly volume (depth)', type: 'number', digits: 0 },
      { name: 'trough (model)', type: 'number', percent: true },
      { name: 'trough, 0.1% thinner', type: 'number', percent: true },
      { name: 'trough (history)', type: 'number', percent: true },
      { name: 'depth withdrawn at trough', type: 'number', percent: true },
    ],
    rows,
    { title: 'October 2025 preset: calibration to the public totals', footer },
  );
}

/** The comparison table: one row per run (mix x breaker x ADL rule). */
export function comparisonTable(runs: October2025Run[]): Table {
  const rows = runs.map((x) => {
    const s = x.result.summary;
    return [
      x.mix,
      x.breaker ? 'yes' : 'no',
      x.adl,
      s.troughMove,
      s.finalMove,
      s.liquidatedLong + s.liquidatedShort,
      s.badDebt,
      s.adl,
      s.adlPositions,
      s.adlHaircut,
      topShare(x.result, 0.01),
      s.maxWithdrawn,
      s.halts,
    ];
  });
  return new Table(
    [
      { name: 'leverage mix', type: 'string' },
      { name: 'breaker', type: 'string' },
      { name: 'ADL rule', type: 'string' },
      { name: 'trough', type: 'number', percent: true },
      { name: 'after 24h', type: 'number', percent: true },
      { name: 'liquidated', type: 'number', digits: 0 },
      { name: 'bad debt', type: 'number', digits: 0 },
      { name: 'fund could not pay', type: 'number', digits: 0 },
      { name: 'positions ADL-closed', type: 'number' },
      { name: 'ADL haircut', type: 'number', digits: 0 },
      { name: 'haircut on top 1% of ADL-closed', type: 'number', percent: true },
      { name: 'max depth withdrawn', type: 'number', percent: true },
      { name: 'halts', type: 'number' },
    ],
    rows,
    { title: 'October 2025 preset: with / without the breaker, queue / pro-rata ADL' },
  );
}

/** Share of the total ADL haircut borne by the top `q` fraction of the ADL-closed positions (by haircut). */
export function topShare(r: CascadeResult, q: number): number {
  const h = Array.from(r.raw.adlLog.haircut)
    .filter((v) => v > 0)
    .sort((a, b) => b - a);
  if (!h.length) return 0;
  const k = Math.max(1, Math.ceil(q * h.length));
  let top = 0,
    tot = 0;
  for (let i = 0; i < h.length; i++) {
    tot += h[i];
    if (i < k) top += h[i];
  }
  return top / tot;
}
