/**
 * The 'mktnb' module: the analysis library's public API, and exactly the globals every cell gets.
 *   import { load, corr, plot } from 'mktnb';
 *
 * An explicit list (as d3-array's index does), never `export *`: a helper a module exports for its
 * siblings (lowerBound, numOrNull, runEngine, …) does not become a name in users' cells by
 * accident. test/unit/market/api.test.ts pins the list, so adding a global is a decision.
 * Internals are imported by path (tests, benchmarks, the kernel).
 */
// data: Series and Frame, and the time helpers cells use to print dates
export { Series, Frame, formatTime, toTime, type SeriesMeta, type AlignmentInfo } from './series';
export { Chart, Table } from './output';
/** the notebook's folder and file, as the kernel set them (read-only for cells) */
export { runtime } from './context';
// loading, aligning, returns, correlation, beta, drawdowns, events, flows
export { load, resolveDataPath, detectCalendar, LoadError, NA_TOKENS, type LoadOptions, type Loaded } from './load';
export { align, asSeries, reindex, type AlignHow, type AlignOptions } from './align';
export { describeAlignment } from './alignment';
export { ffill, resample, type ResampleAgg, type ResampleRule } from './resample';
export { returns, cumulative, rebase, pctChange, valueAsOf, PctChange, type ReturnKind } from './returns';
export { corr, rollingCorr, CorrResult, type CorrMethod, type CorrOptions, type RollingCorrOptions } from './corr';
export { corrMatrix, CorrMatrix } from './corrMatrix';
export { crossCorr, CrossCorr } from './crossCorr';
export { beta, rollingBeta, upDownBeta, BetaResult, UpDownBeta } from './beta';
export { drawdown, volatility, Drawdown, type MaxDrawdown, type VolatilityOptions } from './drawdown';
export { eventWindow, EventWindow } from './events';
export { etfFlows, EtfFlows, type OutflowRun } from './flows';
/** Fisher-z interval of a correlation (corr() shows it beside the exact p-value) */
export { fisher } from './stats';
// statistics with their uncertainty (src/market/inference)
export {
  normCdf,
  normSf,
  normPpf,
  normPdf,
  tCdf,
  tSf,
  tPpf,
  tPdf,
  tTwoSided,
  fCdf,
  fSf,
  chi2Cdf,
  chi2Sf,
  betainc,
  gammainc,
  lgamma,
  lbeta,
  pearsonP,
  spearmanP,
  regress,
  RegressResult,
  CollinearityError,
  rollingRegress,
  RollingRegressResult,
  granger,
  GrangerResult,
  adf,
  coint,
  mackinnonP,
  mackinnonCrit,
  AdfResult,
  CointResult,
  eventStudy,
  EventStudyResult,
  bootstrap,
  BootstrapResult,
  type BootstrapMethod,
  type BootstrapOptions,
  type RegressOptions,
  type Factors,
  type SeKind,
  type GrangerLag,
  type AdfOptions,
  type CointOptions,
  type AutoLag,
  type Trend,
  type EventStudyEvent,
  type EventStudyOptions,
} from './inference';
// charts
export { plot } from './plot';
export type * from './plot';
// liquidation cascades (src/market/cascade)
export {
  cascade,
  CascadeResult,
  PositionBook,
  positionBook,
  buildBook,
  october2025,
  OCTOBER_2025_PUBLIC,
  DEFAULT_TIERS,
  DEFAULT_IMPACT,
  DEFAULT_LIQUIDITY,
  tierFor,
  maintenanceRate,
  liquidationPrice,
  bankruptcyPrice,
} from './cascade';
export type * from './cascade';
// SQL on the kernel's DuckDB (src/data)
export { sql, db, SqlError, UnsupportedTypeError } from '../data/index';
