/**
 * The numerical building blocks the analyses share, one module per seam:
 *   normal.ts   erfc, the normal tail, the Fisher z interval
 *   ranks.ts    the index sort and average ranks
 *   pearson.ts  Pearson's r of plain arrays, complete pairs
 *   rolling.ts  the O(n) sliding-window kernel, rolling std, window checks
 *   display.ts  result tables with a one-line summary, number formats
 * This file only re-exports them, so the analyses (and src/market/inference) import one name.
 */
export { erfc, normalSf, Z_975, fisher } from './normal';
export { argsortFloat64, rankAverage } from './ranks';
export { completePairs, pearsonArrays, pearsonIfComplete } from './pearson';
export { rollingKernel, rollingStats, rollingStd, checkWindow, checkMinPeriods } from './rolling';
export { RollKind, allFinite } from './rollingComplete';
export { resultOutputs, numOrNull, fmt, pct } from './display';
