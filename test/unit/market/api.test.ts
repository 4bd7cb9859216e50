import assert from 'node:assert/strict';
import * as mktnb from '../../../src/market/index';

/**
 * The names every cell gets as globals (and `import { … } from 'mktnb'` offers): the public API
 * of src/market/index.ts. This list is pinned on purpose: a new global is a decision (document it
 * in docs/analysis.md and here), and an internal helper never leaks into users' cells.
 */
const PUBLIC = [
  'AdfResult',
  'BetaResult',
  'BootstrapResult',
  'CascadeResult',
  'Chart',
  'CointResult',
  'CollinearityError',
  'CorrMatrix',
  'CorrResult',
  'CrossCorr',
  'DEFAULT_IMPACT',
  'DEFAULT_LIQUIDITY',
  'DEFAULT_TIERS',
  'Drawdown',
  'EtfFlows',
  'EventStudyResult',
  'EventWindow',
  'Frame',
  'GrangerResult',
  'LoadError',
  'NA_TOKENS',
  'OCTOBER_2025_PUBLIC',
  'PctChange',
  'PositionBook',
  'RegressResult',
  'RollingRegressResult',
  'Series',
  'SqlError',
  'Table',
  'UnsupportedTypeError',
  'UpDownBeta',
  'adf',
  'align',
  'asSeries',
  'bankruptcyPrice',
  'beta',
  'betainc',
  'bootstrap',
  'buildBook',
  'cascade',
  'chi2Cdf',
  'chi2Sf',
  'coint',
  'corr',
  'corrMatrix',
  'crossCorr',
  'cumulative',
  'db',
  'describeAlignment',
  'detectCalendar',
  'drawdown',
  'etfFlows',
  'eventStudy',
  'eventWindow',
  'fCdf',
  'fSf',
  'ffill',
  'fisher',
  'formatTime',
  'gammainc',
  'granger',
  'lbeta',
  'lgamma',
  'liquidationPrice',
  'load',
  'mackinnonCrit',
  'mackinnonP',
  'maintenanceRate',
  'normCdf',
  'normPdf',
  'normPpf',
  'normSf',
  'october2025',
  'pctChange',
  'pearsonP',
  'plot',
  'positionBook',
  'rebase',
  'regress',
  'reindex',
  'resample',
  'resolveDataPath',
  'returns',
  'rollingBeta',
  'rollingCorr',
  'rollingRegress',
  'runtime',
  'spearmanP',
  'sql',
  'tCdf',
  'tPdf',
  'tPpf',
  'tSf',
  'tTwoSided',
  'tierFor',
  'toTime',
  'upDownBeta',
  'valueAsOf',
  'volatility',
];

describe('the public API (cell globals)', () => {
  it('is exactly the pinned list', () => {
    const actual = Object.keys(mktnb).sort();
    const extra = actual.filter((n) => !PUBLIC.includes(n));
    const missing = PUBLIC.filter((n) => !actual.includes(n));
    assert.deepEqual(
      { extra, missing },
      { extra: [], missing: [] },
      'src/market/index.ts changed the cell globals: update the list only on purpose',
    );
  });

  it('holds none of the internals that used to leak into cells', () => {
    for (const n of [
      'lowerBound',
      'upperBound',
      'textItem',
      'numOrNull',
      'setRuntime',
      'runEngine',
      'cascadeReference',
      'RollKind',
      'rollingKernel',
      'checkIndex',
    ]) {
      assert.ok(!(n in mktnb), `${n} is internal`);
    }
  });
});
