/**
 * The analysis library (issue 4): load → align → returns → corr / beta / drawdown / flows.
 * Plain TypeScript, no 'vscode', no I/O except load(). Documented in docs/analysis.md.
 * Named exports (not `export *`) so that internal helpers never collide with the chart API's
 * names in the 'mktnb' module (src/market/index.ts re-exports this file).
 */
export { load, resolveDataPath, detectCalendar, LoadError, NA_TOKENS, type LoadOptions, type Loaded } from './load';
export { align, alignArrays, alignPair, asSeries, ffill, reindex, resample, describeAlignment, type AlignHow, type AlignOptions, type ResampleAgg, type ResampleRule } from './align';
export { returns, cumulative, rebase, pctChange, valueAsOf, PctChange, type ReturnKind } from './returns';
export { corr, rollingCorr, corrMatrix, crossCorr, CorrResult, CorrMatrix, CrossCorr, type CorrMethod, type CorrOptions, type RollingCorrOptions } from './corr';
export { beta, rollingBeta, upDownBeta, BetaResult, UpDownBeta } from './beta';
export { drawdown, volatility, Drawdown, type MaxDrawdown, type VolatilityOptions } from './drawdown';
export { eventWindow, EventWindow } from './events';
export { etfFlows, EtfFlows, type OutflowRun } from './flows';
export { erfc, normalSf, fisher, rankAverage, rollingKernel, RollKind } from './stats';
export {
  normCdf, normSf, normPpf, normPdf, tCdf, tSf, tPpf, tPdf, tTwoSided, fCdf, fSf, chi2Cdf, chi2Sf, betainc, gammainc, lgamma, lbeta, pearsonP, spearmanP,
  regress, RegressResult, CollinearityError, rollingRegress, RollingRegressResult, granger, GrangerResult, adf, coint, mackinnonP, mackinnonCrit,
  AdfResult, CointResult, eventStudy, EventStudyResult, bootstrap, BootstrapResult, type BootstrapMethod, type BootstrapOptions,
  type RegressOptions, type Factors, type SeKind, type GrangerLag, type AdfOptions, type CointOptions, type AutoLag, type Trend, type EventStudyEvent, type EventStudyOptions,
} from './inference';
