/**
 * An event preset: the crypto crash of 10-11 October 2025, built from stated public figures
 * and calibrated to them. Everything not in the public figures is an assumption, listed in
 * `assumptions` (and shown under the tables), with the calibration's match in `calibration`.
 *
 * Public figures (as widely reported from CoinGlass and order-book data providers; rounded):
 *  - about $19.2bn of leveraged positions liquidated in 24 hours, about $16.7bn of them long
 *    and $2.5bn short, across about 1.6 million accounts;
 *  - order-book depth fell by about 98% at the worst point;
 *  - the BTC path: daily OHLC of 10 and 11 October 2025 in samples/data/BTC-USD.csv.
 *
 * The model, in three calibrated steps:
 *  1. Book size: the book (built on the 100 days before the event, survivorship applied) is
 *     replayed on the two daily bars without feedback; its total open interest is scaled until
 *     the long liquidations equal the reported $16.7bn. The shorts are not calibrated (a book
 *     built before the event cannot hold the shorts opened during the fall; see the report).
 *  2. Accounts: each model position stands for g identical accounts (the tier table is applied
 *     to an account's notional, i.e. its floors are scaled by g); g is set so that the
 *     liquidated positions stand for the reported 1.6m accounts.
 *  3. Depth: an hourly simulation of the crash hour (a stated exogenous "news" shock, then the
 *     liquidations' own impact on a book whose depth withdraws under stress) calibrates the
 *     resting depth so that the trough equals the day's historical low, with the withdrawal's
 *     sensitivity set so that the depth withdrawn at that trough is the reported 98%.
 * The leverage mix is not identified by these totals: it is an assumption, and the preset
 * runs for several mixes so a notebook can say which conclusions depend on it.
 * (Over 300 lines on purpose: one preset, its public figures, options and result types, and
 * october2025() (~200 lines), which runs the three calibration steps in order on shared locals
 * and builds the preset's methods on them; its tables are october2025Tables.ts.)
 */
import { formatTime } from '../series';
import type { Table } from '../output';
import { fmtUsd, type PositionBook } from './book';
import { buildBook, type BuildBookOptions } from './build';
import { DEFAULT_TIERS, type MaintenanceTier } from './tiers';
import { toOHLC, type PathArrays, type PathInput } from './path';
import type { CascadeOptions, CircuitBreaker } from './run';
import type { AdlRule } from './adl';
import { CascadeResult } from './result';
import { runEngine } from './engine';
import { calibrationTable, comparisonTable } from './october2025Tables';

export const OCTOBER_2025_PUBLIC = Object.freeze({
  /** USD liquidated in 24 hours (approximate, as reported) */
  liquidated: 19.2e9,
  liquidatedLong: 16.7e9,
  liquidatedShort: 2.5e9,
  /** accounts liquidated (approximate, as reported) */
  accounts: 1.6e6,
  /** fall in order-book depth at the worst point (approximate, as reported) */
  depthDrop: 0.98,
  source:
    'approximate figures as widely reported for 10-11 October 2025 (CoinGlass liquidation totals; order-book depth from market-data providers); the BTC path from samples/data/BTC-USD.csv',
});

export interface October2025Options {
  /** daily BTC OHLC covering 2025-07-02 .. 2025-10-11 (e.g. load('data/BTC-USD.csv')) */
  btc: PathInput;
  /** candidate leverage mixes (name -> mix); default: moderate, high, very high */
  mixes?: Record<string, Record<number, number>>;
  /** share of the book's notional that is long (default 0.7: an assumption) */
  longShare?: number;
  /** model positions (default 30,000) */
  count?: number;
  seed?: number;
  /** exogenous move of the crash hour before any liquidation feedback (default -0.05: an assumption) */
  newsShock?: number;
  /** hours simulated from the crash hour on (default 24) */
  hours?: number;
  /** insurance fund at the start, USD (default 25e6: an assumption, small enough for ADL to happen in this one-market model) */
  insuranceFund?: number;
  /** hours for withdrawn depth to halve once stress passes (default 2: an assumption) */
  recoveryHalfLife?: number;
  /** hours for consumed depth to refill by half (default 1) */
  refillHalfLife?: number;
  /** share of each impact move that is permanent (default 0.5) */
  permanent?: number;
  /** the breaker compared (default: halt 1 hour when the price moves more than 5% within 1 hour) */
  breaker?: CircuitBreaker;
}

export interface CalibrationRow {
  mix: string;
  totalOI: number;
  accountsPerPosition: number;
  liquidatedLong: number;
  liquidatedShort: number;
  accounts: number;
  /** sqrt-impact volume per hour that makes the simulated trough the historical low */
  hourlyVolume: number;
  troughModel: number;
  /** the trough with a hair less volume (0.1% thinner): differs from troughModel where the cascade jumps */
  troughThinner: number;
  troughHistory: number;
  withdrawnAtTrough: number;
  moveScale: number;
}

export interface October2025Run {
  mix: string;
  breaker: boolean;
  adl: AdlRule;
  result: CascadeResult;
}

export interface October2025Preset {
  publicFigures: typeof OCTOBER_2025_PUBLIC;
  assumptions: string[];
  /** one row per leverage mix */
  calibration: CalibrationRow[];
  books: Record<string, PositionBook>;
  /** the calibrated buildBook options per mix (add e.g. `collateral` and build your own variant) */
  bookOptions: Record<string, BuildBookOptions>;
  /** the daily bars: the 100 days the book was opened over, and 10-11 October 2025 */
  buildPath: PathArrays;
  eventPath: PathArrays;
  /** the cascade options of the hourly crash simulation for a mix (add breaker / adl yourself) */
  options(mix: string, variant?: { breaker?: boolean; adl?: AdlRule }): CascadeOptions;
  /** the daily replay (no feedback) used for the size calibration */
  replay(mix: string): CascadeResult;
  run(mix: string, variant?: { breaker?: boolean; adl?: AdlRule }): CascadeResult;
  /** every mix x with/without breaker x queue/pro-rata */
  compare(): October2025Run[];
  calibrationTable(): Table;
  comparisonTable(runs?: October2025Run[]): Table;
}

const DEFAULT_MIXES: Record<string, Record<number, number>> = {
  moderate: { 2: 0.15, 5: 0.3, 10: 0.3, 20: 0.15, 50: 0.1 },
  high: { 3: 0.1, 5: 0.2, 10: 0.3, 25: 0.25, 50: 0.1, 100: 0.05 },
  'very high': { 5: 0.1, 10: 0.25, 25: 0.3, 50: 0.2, 100: 0.15 },
};

/** The tier table applied to each of g identical accounts a model position stands for. */
export function tiersPerAccount(g: number, tiers: readonly MaintenanceTier[] = DEFAULT_TIERS): MaintenanceTier[] {
  return tiers.map((t) => ({ ...t, floor: t.floor * g, cap: t.cap * g }));
}

/**
 * The 10-11 October 2025 crash preset (see the file's header for the model): books built on the
 * 100 days before the event for each leverage mix, sized so that the long liquidations equal the
 * reported $16.7bn and the accounts the reported 1.6m, and an hourly crash simulation calibrated
 * to the day's low. No pandas equivalent.
 * @param o btc (daily OHLC covering 2025-07-02 .. 2025-10-11), mixes, longShare, count, seed, and the model's stated assumptions
 * @returns an October2025Preset: calibration, books, run(mix), compare(), calibrationTable(), comparisonTable()
 * @throws RangeError when btc lacks a day of that span, or for a newsShock outside (-14%, 0)
 * @example
 * const oct = october2025({ btc: load('data/BTC-USD.csv'), count: 2000 })
 * oct.calibration.map((c) => c.mix) // => ["moderate", "high", "very high"]
 * oct.calibration.map((c) => c.liquidatedLong) // => [16.7e9, 16.7e9, 16.7e9]
 * oct.calibration[0].accounts // => 1600000
 */
export function october2025(o: October2025Options): October2025Preset {
  const P = OCTOBER_2025_PUBLIC;
  const mixes = o.mixes ?? DEFAULT_MIXES;
  const longShare = o.longShare ?? 0.7,
    count = o.count ?? 30_000,
    seed = o.seed ?? 1;
  const newsShock = o.newsShock ?? -0.05,
    hours = Math.floor(o.hours ?? 24),
    fund = o.insuranceFund ?? 25e6;
  const recoveryHalfLife = o.recoveryHalfLife ?? 2,
    refill = o.refillHalfLife ?? 1,
    permanent = o.permanent ?? 0.5;
  const breaker = o.breaker ?? { move: 0.05, within: 1, halt: 1 };
  if (!(newsShock < 0 && newsShock > -0.14))
    throw new RangeError("october2025: newsShock must be a fall smaller than the day's (between -14% and 0)");
  const all = toOHLC(o.btc, 'october2025 btc');
  if (!all.hasTime) throw new RangeError('october2025: btc needs dates');
  const day = (d: string) => Date.parse(d + 'T00:00:00Z');
  const pick = (from: string, to: string) => {
    const a = day(from),
      b = day(to);
    const idx: number[] = [];
    for (let i = 0; i < all.length; i++) if (all.time[i] >= a && all.time[i] <= b) idx.push(i);
    const want = Math.round((b - a) / 86_400_000) + 1;
    if (idx.length !== want)
      throw new RangeError(`october2025: btc must have every day ${from} .. ${to} (found ${idx.length} of ${want})`);
    const f = (x: Float64Array) => idx.map((i) => x[i]);
    return {
      time: idx.map((i) => all.time[i]),
      open: f(all.open),
      high: f(all.high),
      low: f(all.low),
      close: f(all.close),
    };
  };
  const build = pick('2025-07-02', '2025-10-09');
  const event = pick('2025-10-10', '2025-10-11');
  const open10 = event.open[0],
    low10 = event.low[0];
  const troughHistory = low10 / open10 - 1;

  const books: Record<string, PositionBook> = {};
  const bookOptions: Record<string, BuildBookOptions> = {};
  const calibration: CalibrationRow[] = [];
  const hourly: Record<string, { volume: number; moveScale: number }> = {};
  const maxWithdraw = 0.99;
  // S at which maxWithdraw (1 - e^-S) equals the reported drop
  const sDrop = -Math.log(1 - P.depthDrop / maxWithdraw);

  const simOptions = (
    book: PositionBook,
    volume: number,
    moveScale: number,
    variant: { breaker?: boolean; adl?: AdlRule } = {},
    label = '',
  ): CascadeOptions => ({
    book,
    mode: 'simulate',
    start: open10,
    shock: newsShock,
    shockSteps: 1,
    steps: hours,
    impact: { model: 'sqrt', sigma: 0.01, volume, halfLife: refill, permanent },
    liquidity: { maxWithdraw, moveScale, recoveryHalfLife },
    insuranceFund: fund,
    adl: variant.adl ?? 'queue',
    circuitBreaker: variant.breaker ? breaker : undefined,
    label,
  });

  for (const [name, mix] of Object.entries(mixes)) {
    // 1 + 2: size and accounts per position, by fixed-point iteration (the tiers depend on both)
    let totalOI = 100e9,
      g = 10,
      book!: PositionBook,
      rep!: CascadeResult;
    for (let it = 0; it < 3; it++) {
      book = buildBook({ path: build, totalOI, count, leverageMix: mix, longShare, seed, tiers: tiersPerAccount(g) });
      rep = new CascadeResult(runEngine({ book, mode: 'replay', path: event, label: `${name}: daily replay` }));
      const liqL = rep.summary.liquidatedLong;
      if (!(liqL > 0)) throw new RangeError(`october2025: the ${name} book has no long liquidations on the event days`);
      totalOI *= P.liquidatedLong / liqL;
      g = P.accounts / Math.max(1, rep.summary.positionsLiquidated);
    }
    bookOptions[name] = { path: build, totalOI, count, leverageMix: mix, longShare, seed, tiers: tiersPerAccount(g) };
    book = buildBook(bookOptions[name]);
    book.meta.assumptions.push(
      `Calibrated (october2025, mix '${name}'): total OI ${fmtUsd(totalOI)} so that the daily replay of 10-11 Oct 2025 liquidates ${fmtUsd(P.liquidatedLong)} of longs; each model position stands for ${g.toFixed(1)} identical accounts (tier floors x ${g.toFixed(1)}).`,
    );
    rep = new CascadeResult(runEngine({ book, mode: 'replay', path: event, label: `${name}: daily replay` }));
    books[name] = book;
    // 3: depth. The withdrawal's sensitivity: the move at the trough gives S = sDrop.
    const moveScale = Math.abs(Math.log(1 + troughHistory)) / sDrop;
    // (ADL does not move the price: the calibration runs record it as an amount)
    const trough = (volume: number) => {
      const r = runEngine({ ...simOptions(book, volume, moveScale), adl: 'amount' });
      let m = r.startPrice;
      for (let t = 0; t < r.steps; t++) if (r.low[t] < m) m = r.low[t];
      return m / r.startPrice - 1;
    };
    // bisection on log volume: a thinner market (less volume) gives a deeper trough. The
    // trough can jump (a cascade that stops, or one that runs through the next layers): then
    // the bisection ends at the jump, and both sides are reported.
    let lo = Math.log(1e6),
      hi = Math.log(1e13);
    if (trough(Math.exp(hi)) < troughHistory)
      throw new RangeError(
        `october2025: even a very deep market falls below the historical low with the ${name} book; the news shock is too large`,
      );
    for (let it = 0; it < 40 && hi - lo > 1e-3; it++) {
      const mid = (lo + hi) / 2;
      if (trough(Math.exp(mid)) < troughHistory) lo = mid;
      else hi = mid;
    }
    const volume = Math.exp(hi),
      troughThinner = trough(Math.exp(lo));
    hourly[name] = { volume, moveScale };
    const sim = new CascadeResult(runEngine(simOptions(book, volume, moveScale)));
    calibration.push({
      mix: name,
      totalOI,
      accountsPerPosition: g,
      liquidatedLong: rep.summary.liquidatedLong,
      liquidatedShort: rep.summary.liquidatedShort,
      accounts: rep.summary.positionsLiquidated * g,
      hourlyVolume: volume,
      troughModel: sim.summary.troughMove,
      troughThinner,
      troughHistory,
      withdrawnAtTrough: sim.summary.maxWithdrawn,
      moveScale,
    });
  }

  const mixText = (m: Record<number, number>) =>
    Object.entries(m)
      .map(([l, w]) => `${l}x ${Math.round(w * 100)}%`)
      .join(', ');
  const assumptions = [
    `Public figures: ${fmtUsd(P.liquidated)} liquidated (${fmtUsd(P.liquidatedLong)} long, ${fmtUsd(P.liquidatedShort)} short), ${(P.accounts / 1e6).toFixed(1)}m accounts, depth down ${Math.round(P.depthDrop * 100)}% (${P.source}).`,
    "One market: the whole leveraged crypto book is modelled as one BTC-USDT perpetual following BTC's path (altcoins fell much further on the day; their liquidations are folded into this one book, which the calibration absorbs into its size).",
    `Book: ${count.toLocaleString('en')} model positions opened evenly over ${formatTime(build.time[0])} .. ${formatTime(build.time[build.time.length - 1])} at random prices within each day's range, survivors of that path only; ${Math.round(longShare * 100)}% of the notional long; isolated USDT margin; leverage mixes: ${Object.entries(
      mixes,
    )
      .map(([n, m]) => `${n} (${mixText(m)})`)
      .join('; ')}.`,
    'Calibration of size: the daily replay of 10-11 October without feedback liquidates exactly what the daily low and high reach; total OI is scaled so the long liquidations equal the reported figure (shorts are not calibrated).',
    "Accounts: each model position stands for g identical accounts (same liquidation price), g set so the liquidated positions stand for the reported number of accounts; the tier table is applied to one account's notional.",
    `Crash hour: hourly steps from 10 October's open (${open10.toFixed(0)}); a news shock of ${(newsShock * 100).toFixed(1)}% in the first hour (an assumption), then the exogenous price stays flat and only the liquidations move it (square-root impact, ${Math.round(permanent * 100)}% of each move permanent, consumed depth refilling with a half-life of ${refill} hour(s)).`,
    `Depth: the hourly volume of the impact model is calibrated so the simulated trough equals the day's low (${(troughHistory * 100).toFixed(1)}% from the open); depth withdraws as ${maxWithdraw} x (1 - exp(-|move| / moveScale)), moveScale set so that ${Math.round(P.depthDrop * 100)}% is withdrawn at that trough, recovering with a half-life of ${recoveryHalfLife} hour(s).`,
    `Insurance fund ${fmtUsd(fund)} at the start (an assumption); ADL by the stated rule at the bankrupt positions' bankruptcy price; the breaker compared halts trading ${breaker.halt ?? 1} hour(s) when the price moves more than ${(breaker.move * 100).toFixed(0)}% within ${breaker.within ?? 1} hour(s).`,
    'Not modelled: cross margin and portfolio margin, new positions or voluntary closes during the event, market makers other than through the depth curve, several venues with different books, the intraday path of 11 October.',
  ];

  const preset: October2025Preset = {
    publicFigures: P,
    assumptions,
    calibration,
    books,
    bookOptions,
    buildPath: build,
    eventPath: event,
    options(mix, variant = {}) {
      const b = books[mix],
        h = hourly[mix];
      if (!b) throw new RangeError(`october2025: unknown mix '${mix}' (have: ${Object.keys(books).join(', ')})`);
      return simOptions(
        b,
        h.volume,
        h.moveScale,
        variant,
        `${mix}, ${variant.breaker ? 'breaker' : 'no breaker'}, ADL ${variant.adl ?? 'queue'}`,
      );
    },
    replay(mix) {
      const b = books[mix];
      if (!b) throw new RangeError(`october2025: unknown mix '${mix}'`);
      return new CascadeResult(
        runEngine({ book: b, mode: 'replay', path: event, label: `${mix}: daily replay 10-11 Oct 2025` }),
      );
    },
    run(mix, variant = {}) {
      return new CascadeResult(runEngine(preset.options(mix, variant)));
    },
    compare() {
      const out: October2025Run[] = [];
      for (const mix of Object.keys(books))
        for (const br of [false, true])
          for (const adl of ['queue', 'pro-rata'] as const)
            out.push({ mix, breaker: br, adl, result: preset.run(mix, { breaker: br, adl }) });
      return out;
    },
    calibrationTable() {
      return calibrationTable(calibration, P, assumptions.join(' '));
    },
    comparisonTable(runs = preset.compare()) {
      return comparisonTable(runs);
    },
  };
  return preset;
}
