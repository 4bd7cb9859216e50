/**
 * Statistics with honest uncertainty (issue 15): distributions, regression with robust errors,
 * rolling regression, Granger / ADF / Engle-Granger tests, bootstrap intervals, event studies.
 * Each function matches its statsmodels / scipy twin (test/unit/market/reference.test.ts).
 */
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
  pearsonP,
  spearmanP,
} from './distributions';
export { betainc, gammainc, lgamma, lbeta } from './special';
export { regress, RegressResult, type RegressOptions, type Factors, type SeKind } from './regress';
export { CollinearityError } from './ols';
export { rollingRegress, RollingRegressResult } from './rollingRegress';
export { granger, GrangerResult, type GrangerLag } from './granger';
export { adf, mackinnonP, mackinnonCrit, AdfResult, type AdfOptions, type AutoLag, type Trend } from './adf';
export { coint, CointResult, type CointOptions } from './coint';
export { eventStudy, EventStudyResult, type EventStudyEvent, type EventStudyOptions } from './eventStudy';
export { bootstrap, BootstrapResult, resampleIndices, type BootstrapMethod, type BootstrapOptions } from './bootstrap';
