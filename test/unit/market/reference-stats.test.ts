/**
 * Reference comparison for the statistics of issue 15 (src/market/inference): every number
 * from test/reference/reference_stats.py (statsmodels 0.13.5 / scipy 1.10 on the real sample
 * data) within 1e-9 relative, except where a comment says why not.
 */
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import {
  adf,
  align,
  beta,
  bootstrap,
  coint,
  eventStudy,
  granger,
  load,
  regress,
  resample,
  returns,
  rollingRegress,
  Frame,
  Series,
} from '../../../src/market/index';
import { setRuntime } from '../../../src/market/context';
import { ROOT, check, referenceData } from './referenceData';

let ref: any;
let S: Record<string, Series>;

/** Prices aligned (inner) first, then simple returns, as reference_stats.rets. */
function rets(names: string[]): Series[] {
  return [...align(...names.map((n) => S[n]))].map((s) => returns(s));
}
const logS = (s: Series) => s.map(Math.log);

describe('reference comparison of the statistics with statsmodels / scipy (real sample data)', function () {
  this.timeout(120_000);
  before(() => {
    ref = referenceData();
    setRuntime({ baseDir: path.join(ROOT, 'samples') });
    S = {};
    for (const n of ['BTC-USD', 'QQQ', 'GLD', 'DXY', 'GDX', 'SPY', 'NVDA', 'ORCL', 'M2SL']) {
      const f = load(`data/${n}.csv`);
      S[n] = f instanceof Frame ? f.close : (f as Series);
    }
  });

  it('regress: statsmodels OLS params, bse, t, p, conf_int, R², adj. R², F, residuals (classic, HC1, HAC)', () => {
    for (const e of ref.regress) {
      const [ry, ...rx] = rets([e.y, ...e.x]);
      const X: Record<string, Series> = {};
      e.x.forEach((nm: string, j: number) => {
        X[nm] = rx[j];
      });
      const r = regress(ry, X, { se: e.se, lags: e.lags ?? undefined });
      const what = `${e.y} ~ ${e.x.join(' + ')} (${e.se}${e.lags ? ` ${e.lags}` : ''})`;
      assert.equal(r.n, e.n, what);
      assert.deepEqual(r.names, ['const', ...e.x]);
      check(`${what} params`, r.coef, e.params);
      check(`${what} bse`, r.se, e.bse);
      check(`${what} t`, r.t, e.t);
      check(`${what} p`, r.p, e.p);
      check(
        `${what} ci low`,
        r.ci.map((c) => c[0]),
        e.lo,
      );
      check(
        `${what} ci high`,
        r.ci.map((c) => c[1]),
        e.hi,
      );
      check(`${what} r2`, r.r2, e.r2);
      check(`${what} adj r2`, r.adjR2, e.adj);
      check(`${what} F`, r.f, e.f);
      check(`${what} F p`, r.fP, e.fp);
      check(`${what} residuals`, r.residuals.values, e.resid);
    }
  });

  it('beta(): the se option gives statsmodels HC1 / HAC standard errors of the slope', () => {
    for (const e of ref.regress.filter((x: any) => x.x.length === 1 || x.se !== 'classic')) {
      if (e.x.length !== 1) continue;
      const [ry, rx] = rets([e.y, e.x[0]]);
      const b = beta(ry, rx, { se: e.se, lags: e.lags });
      check(`beta ${e.y} ${e.x[0]} ${e.se}`, [b.alpha, b.beta], e.params);
      check(`beta ${e.y} ${e.x[0]} ${e.se} stderr`, [b.alphaStderr, b.stderr], e.bse);
    }
  });

  it('rollingRegress: statsmodels RollingOLS params, bse and rsquared per window', () => {
    for (const e of ref.rollregress) {
      const [ry, ...rx] = rets([e.y, ...e.x]);
      const X: Record<string, Series> = {};
      e.x.forEach((nm: string, j: number) => {
        X[nm] = rx[j];
      });
      const r = rollingRegress(ry, X, e.window);
      // RollingOLS was fitted on the complete rows (without the first, NaN, return)
      assert.deepEqual(r.coef('const').dates().slice(1), e.dates);
      const what = `${e.y} ~ ${e.x.join(' + ')}, window ${e.window}`;
      r.names.forEach((_, j) => {
        check(`${what} params[${j}]`, r.params[j].subarray(1), e.params[j]);
        check(`${what} bse[${j}]`, r.bse[j].subarray(1), e.bse[j]);
      });
      check(`${what} r2`, r.r2.subarray(1), e.r2);
    }
  });

  it('granger: statsmodels grangercausalitytests ssr F, ssr chi², LR and params F for lags 1-6', () => {
    const [rb, rq] = rets(['BTC-USD', 'QQQ']);
    const mb = resample(S['BTC-USD'], 'M'),
      mm = resample(S.M2SL, 'M');
    const [ab, am] = [...align(mb, mm)];
    const gb = diffLog(ab),
      gm = diffLog(am);
    const cases: Array<[string, Series, Series]> = [
      ['qqq_btc', rb, rq],
      ['btc_qqq', rq, rb],
      ['m2_btc_monthly', gb, gm],
    ];
    for (const [key, y, x] of cases) {
      const g = granger(y, x, 6),
        e = ref[`granger_${key}`];
      assert.equal(g.lags.length, e.length);
      e.forEach((l: any, i: number) => {
        const o = g.lags[i];
        check(`${key} lag ${l.lag} ssr F`, [o.ssrF.stat, o.ssrF.p, o.ssrF.dfDenom, o.ssrF.dfNum], l.ssr_f);
        check(`${key} lag ${l.lag} ssr chi2`, [o.ssrChi2.stat, o.ssrChi2.p, o.ssrChi2.df], l.ssr_chi2);
        check(`${key} lag ${l.lag} LR`, [o.lr.stat, o.lr.p, o.lr.df], l.lr);
        check(
          `${key} lag ${l.lag} params F`,
          [o.paramsF.stat, o.paramsF.p, o.paramsF.dfDenom, o.paramsF.dfNum],
          l.params_f,
        );
      });
    }
  });

  it('adf: statsmodels adfuller statistic, MacKinnon p, used lag, nobs, critical values, icbest (c, ct, n, ctt; fixed lags and AIC/BIC)', () => {
    const [mb] = [...align(resample(S['BTC-USD'], 'M'), resample(S.M2SL, 'M'))];
    const series: Record<string, Series> = {
      'log BTC daily': logS(S['BTC-USD']),
      'log BTC monthly': logS(mb),
      'log M2 monthly': logS(S.M2SL),
      'BTC returns daily': returns(S['BTC-USD']),
    };
    for (const e of ref.adf) {
      const r = adf(
        series[e.label],
        e.autolag ? { autolag: e.autolag, regression: e.regression } : { lags: e.maxlag, regression: e.regression },
      );
      const what = `${e.label} ${e.regression} ${e.autolag ?? `lags ${e.maxlag}`}`;
      assert.equal(r.usedLag, e.usedlag, `${what} used lag`);
      assert.equal(r.nobs, e.nobs, `${what} nobs`);
      check(`${what} stat`, r.stat, e.stat);
      check(`${what} p`, r.p, e.p);
      check(`${what} crit`, [r.crit['1%'], r.crit['5%'], r.crit['10%']], e.crit);
      if (e.autolag) check(`${what} icbest`, r.icbest, e.icbest);
    }
  });

  it('coint: statsmodels coint (Engle-Granger) statistic, MacKinnon p, critical values', () => {
    const [mb, mm] = [...align(resample(S['BTC-USD'], 'M'), resample(S.M2SL, 'M'))];
    const [gdx, gld] = [...align(S.GDX, S.GLD)];
    const [btc, qqq] = [...align(S['BTC-USD'], S.QQQ)];
    const cases: Record<string, () => ReturnType<typeof coint>> = {
      'log BTC ~ log M2 monthly': () => coint(logS(mb), logS(mm)),
      'log GDX ~ log GLD': () => coint(logS(gdx), logS(gld)),
      'log GDX ~ log GLD ct': () => coint(logS(gdx), logS(gld), { trend: 'ct', autolag: 'BIC' }),
      'log BTC ~ log QQQ lag 2': () => coint(logS(btc), logS(qqq), { lags: 2 }),
    };
    for (const e of ref.coint) {
      const r = cases[e.label]();
      check(`${e.label} stat`, r.stat, e.stat);
      check(`${e.label} p`, r.p, e.p);
      check(`${e.label} crit`, [r.crit['1%'], r.crit['5%'], r.crit['10%']], e.crit);
    }
  });

  it('eventStudy: market model (statsmodels OLS) AR, CAR and their standard errors for three ORCL results days, and the average', () => {
    const [ro, rs] = rets(['ORCL', 'SPY']);
    const es = eventStudy(
      ro,
      rs,
      ref.event_study.events.map((e: any) => e.date),
    );
    ref.event_study.events.forEach((e: any, i: number) => {
      const o = es.events[i];
      assert.equal(o.eventDate, e.event);
      assert.equal(o.estimation.from, e.est_from);
      assert.equal(o.estimation.to, e.est_to);
      check(`${e.date} alpha, beta, s2`, [o.alpha, o.beta, o.sigma2], [e.alpha, e.beta, e.s2]);
      check(`${e.date} AR`, o.ar, e.ar);
      check(`${e.date} AR se`, o.arSe, e.ar_se);
      check(`${e.date} CAR`, o.car, e.car);
      check(`${e.date} CAR se`, o.carSe, e.car_se);
    });
    check('CAAR', es.caar, ref.event_study.caar);
    check('CAAR se', es.caarSe, ref.event_study.caar_se);
  });

  it('bootstrap: on the same resamples (our generator), percentile interval as np.percentile, BCa as scipy _bca_interval, se as np.std(ddof=1)', () => {
    const [ry, rx] = rets(['BTC-USD', 'QQQ']);
    for (const e of ref.bootstrap) {
      const b = bootstrap((y, x) => beta(y, x).beta, ry, rx, {
        method: e.method,
        block: e.method === 'iid' ? undefined : e.block,
        reps: e.reps,
        seed: e.seed,
      });
      const what = `bootstrap ${e.method} block ${e.block} seed ${e.seed}`;
      assert.equal(b.valid, e.reps, what);
      check(`${what} estimate`, b.estimate, e.estimate);
      check(`${what} se`, b.se, e.se);
      check(`${what} percentile ci`, b.ci, e.ci);
      if (e.bca) check(`${what} BCa`, b.bca!, e.bca);
      else assert.equal(b.bca, null, what);
    }
  });
});

/** log(x_t) - log(x_(t-1)), as numpy np.log(x).diff() */
function diffLog(s: Series): Series {
  const v = s.values,
    out = new Float64Array(v.length).fill(NaN);
  for (let i = 1; i < v.length; i++) out[i] = Math.log(v[i]) - Math.log(v[i - 1]);
  return new Series(s.index, out, s.name, s.meta);
}
