"""Reference values for the statistics of issue 15 (src/market/inference): exact correlation
p-values (scipy), OLS with classic / HC1 / HAC errors, RollingOLS with standard errors, Granger
causality, ADF, Engle-Granger cointegration (statsmodels 0.13.5) and a market-model event study
(MacKinlay 1997, fitted with statsmodels OLS), on the real sample data. Imported by reference.py.
"""
import math

import numpy as np
import pandas as pd
import scipy.stats as st
import statsmodels.api as sm
from statsmodels.regression.rolling import RollingOLS
from statsmodels.tsa.stattools import adfuller, coint, grangercausalitytests


def compute(S, out, clean, dates):
    def inner(*ss):
        return pd.concat(ss, axis=1, join='inner')

    def rets(names):
        """Prices aligned inner first, then simple returns, complete rows."""
        p = inner(*(S[n] for n in names))
        return p.pct_change().dropna()

    # --- exact p-values of corr (pearsonr, spearmanr), same pairs as the corr_ cases
    for x, y in [('BTC-USD', 'GLD'), ('BTC-USD', 'QQQ'), ('GDX', 'GLD'), ('GDXJ', 'GLD'), ('NVDA', 'QQQ'), ('BTC-USD', 'ETH-USD'), ('IBIT', 'BTC-USD')]:
        d = rets([x, y])
        out['corrp_%s_%s' % (x, y)] = {'pearson': clean(st.pearsonr(d[x], d[y])[1]), 'spearman': clean(st.spearmanr(d[x], d[y])[1])}

    # --- regress: OLS(y, add_constant(X)).fit(cov_type=...)
    def ols_case(y, xs, se, lags=None):
        d = rets([y] + xs)
        X = sm.add_constant(d[xs])
        if se == 'classic':
            r = sm.OLS(d[y], X).fit()
        elif se == 'hc1':
            r = sm.OLS(d[y], X).fit(cov_type='HC1')
        else:
            r = sm.OLS(d[y], X).fit(cov_type='HAC', cov_kwds={'maxlags': lags})
        ci = r.conf_int()
        return {'y': y, 'x': xs, 'se': se, 'lags': lags, 'params': clean(r.params.values), 'bse': clean(r.bse.values), 't': clean(r.tvalues.values),
                'p': clean(r.pvalues.values), 'lo': clean(ci.iloc[:, 0].values), 'hi': clean(ci.iloc[:, 1].values), 'r2': clean(r.rsquared),
                'adj': clean(r.rsquared_adj), 'f': clean(r.fvalue), 'fp': clean(r.f_pvalue), 'n': int(r.nobs), 'resid': clean(r.resid.values)}

    cases = [('BTC-USD', ['QQQ', 'GLD', 'DXY'], 'classic', None), ('BTC-USD', ['QQQ', 'GLD', 'DXY'], 'hc1', None),
             ('BTC-USD', ['QQQ', 'GLD', 'DXY'], 'hac', 5), ('GDX', ['GLD', 'SPY'], 'classic', None), ('GDX', ['GLD', 'SPY'], 'hac', 3),
             ('NVDA', ['QQQ', 'SPY', 'DXY', 'GLD'], 'hac', int(np.floor(4 * (len(rets(['NVDA', 'QQQ', 'SPY', 'DXY', 'GLD'])) / 100) ** (2 / 9)))),
             ('ORCL', ['QQQ'], 'hac', 1)]
    out['regress'] = [ols_case(*c) for c in cases]

    # --- rolling regression: RollingOLS params and bse
    out['rollregress'] = []
    for y, xs, w in [('BTC-USD', ['QQQ', 'GLD', 'DXY'], 60), ('GDX', ['GLD', 'SPY'], 120), ('NVDA', ['QQQ'], 30)]:
        d = rets([y] + xs)
        r = RollingOLS(d[y], sm.add_constant(d[xs]), window=w).fit()
        out['rollregress'].append({'y': y, 'x': xs, 'window': w, 'dates': dates(d), 'params': clean(r.params.values.T.tolist()), 'bse': clean(r.bse.values.T.tolist()),
                                   'r2': clean(r.rsquared.values)})

    # --- Granger: grangercausalitytests(data[[y, x]], maxlag) (does x help predict y?)
    def granger_case(label, d, maxlag):
        g = grangercausalitytests(d.values, maxlag, verbose=False)
        res = []
        for lag in range(1, maxlag + 1):
            t = g[lag][0]
            res.append({'lag': lag, 'ssr_f': clean(list(t['ssr_ftest'])), 'ssr_chi2': clean(list(t['ssr_chi2test'])), 'lr': clean(list(t['lrtest'])),
                        'params_f': clean([float(t['params_ftest'][0]), float(t['params_ftest'][1]), t['params_ftest'][2], t['params_ftest'][3]])})
        out['granger_' + label] = res

    d = rets(['BTC-USD', 'QQQ'])
    granger_case('qqq_btc', d[['BTC-USD', 'QQQ']], 6)  # QQQ -> BTC
    granger_case('btc_qqq', d[['QQQ', 'BTC-USD']], 6)  # BTC -> QQQ
    bm = S['BTC-USD'].resample('M').last()
    m2 = S['M2SL'].resample('M').last()
    mm = inner(bm, m2)
    gm = np.log(mm).diff().dropna()
    granger_case('m2_btc_monthly', gm[['BTC-USD', 'M2SL']], 6)

    # --- ADF: adfuller(x, maxlag, regression, autolag)
    out['adf'] = []

    def adf_case(label, x, regression, maxlag, autolag):
        r = adfuller(x.values, maxlag=maxlag, regression=regression, autolag=autolag)
        out['adf'].append({'label': label, 'regression': regression, 'maxlag': maxlag, 'autolag': autolag, 'stat': clean(r[0]), 'p': clean(r[1]),
                           'usedlag': int(r[2]), 'nobs': int(r[3]), 'crit': clean([r[4]['1%'], r[4]['5%'], r[4]['10%']]),
                           'icbest': clean(r[5]) if autolag else None})

    series = {'log BTC daily': np.log(S['BTC-USD']), 'log BTC monthly': np.log(mm['BTC-USD']), 'log M2 monthly': np.log(S['M2SL']),
              'BTC returns daily': S['BTC-USD'].pct_change().dropna()}
    for label, x in series.items():
        for regression in ['c', 'ct']:
            for lag in ([1, 2, 3, 4, 5, 6] if 'daily' in label else [1, 3]):
                adf_case(label, x, regression, lag, None)
            for al in ['AIC', 'BIC']:
                adf_case(label, x, regression, None, al)
    adf_case('log BTC daily', np.log(S['BTC-USD']), 'n', 2, None)
    adf_case('log BTC daily', np.log(S['BTC-USD']), 'ctt', None, 'AIC')

    # --- Engle-Granger: coint(y, x, trend='c', autolag='aic')
    out['coint'] = []
    lg = np.log(inner(S['GDX'], S['GLD']))
    lq = np.log(inner(S['BTC-USD'], S['QQQ']))
    for label, y, x, trend, maxlag, autolag in [('log BTC ~ log M2 monthly', np.log(mm['BTC-USD']), np.log(mm['M2SL']), 'c', None, 'aic'),
                                                ('log GDX ~ log GLD', lg['GDX'], lg['GLD'], 'c', None, 'aic'),
                                                ('log GDX ~ log GLD ct', lg['GDX'], lg['GLD'], 'ct', None, 'bic'),
                                                ('log BTC ~ log QQQ lag 2', lq['BTC-USD'], lq['QQQ'], 'c', 2, None)]:
        r = coint(y.values, x.values, trend=trend, maxlag=maxlag, autolag=autolag)
        out['coint'].append({'label': label, 'trend': trend, 'maxlag': maxlag, 'autolag': autolag, 'stat': clean(r[0]), 'p': clean(r[1]), 'crit': clean(list(r[2]))})

    # --- event study: market model on [-250, -30], window [-5, 10] (MacKinlay 1997)
    d = rets(['ORCL', 'SPY'])
    ev = []
    for date in ['2025-06-12', '2025-09-10', '2025-12-11']:
        e = d.index.searchsorted(pd.Timestamp(date))
        est = d.iloc[e - 250:e - 30 + 1]
        win = d.iloc[e - 5:e + 10 + 1]
        fit = sm.OLS(est['ORCL'], sm.add_constant(est['SPY'])).fit()
        s2 = fit.ssr / fit.df_resid
        Xe = sm.add_constant(est['SPY']).values
        Xw = np.column_stack([np.ones(len(win)), win['SPY'].values])
        xtxi = np.linalg.inv(Xe.T @ Xe)
        ar = win['ORCL'].values - Xw @ fit.params.values
        V = s2 * (np.eye(len(win)) + Xw @ xtxi @ Xw.T)
        car = np.cumsum(ar)
        var_path = [float(np.ones(t + 1) @ V[:t + 1, :t + 1] @ np.ones(t + 1)) for t in range(len(win))]
        ev.append({'date': date, 'event': d.index[e].strftime('%Y-%m-%d'), 'alpha': clean(fit.params.iloc[0]), 'beta': clean(fit.params.iloc[1]), 's2': clean(s2),
                   'ar': clean(ar), 'ar_se': clean(np.sqrt(np.diag(V))), 'car': clean(car), 'car_se': clean(np.sqrt(var_path)),
                   'est_from': est.index[0].strftime('%Y-%m-%d'), 'est_to': est.index[-1].strftime('%Y-%m-%d')})
    caar = np.mean([np.array(x['car']) for x in ev], axis=0)
    caar_se = np.sqrt(np.sum([np.array(x['car_se']) ** 2 for x in ev], axis=0)) / len(ev)
    out['event_study'] = {'events': ev, 'caar': clean(caar), 'caar_se': clean(caar_se)}

    # --- bootstrap: the same resamples as ours (mulberry32 ported below, the generator is ours, not
    # a reference), then the intervals by numpy / scipy: percentile = np.percentile (linear), BCa =
    # scipy.stats._resampling._bca_interval (Efron & Tibshirani 14.3, jackknife acceleration)
    from scipy.stats import _resampling as rs

    def mulberry32(seed):
        a = [seed & 0xffffffff]

        def imul(x, y):
            return (x * y) & 0xffffffff

        def nxt():
            a[0] = (a[0] + 0x6d2b79f5) & 0xffffffff
            t = a[0]
            t = imul(t ^ (t >> 15), t | 1)
            t ^= (t + imul(t ^ (t >> 7), t | 61)) & 0xffffffff
            return ((t ^ (t >> 14)) & 0xffffffff) / 4294967296
        return nxt

    def resample(n, method, block, rand):
        pick = lambda: int(math.floor(rand() * n)) % n  # noqa: E731
        if method == 'iid':
            return np.array([pick() for _ in range(n)])
        if method == 'circular':
            out = []
            while len(out) < n:
                s = pick()
                out += [(s + j) % n for j in range(block)][:n - len(out)]
            return np.array(out)
        out = [pick()]
        for _ in range(1, n):
            out.append(pick() if rand() < 1 / block else (out[-1] + 1) % n)
        return np.array(out)

    def slope(y, x, axis=-1):
        xm = x - x.mean(axis=axis, keepdims=True)
        return (xm * (y - y.mean(axis=axis, keepdims=True))).sum(axis=axis) / (xm * xm).sum(axis=axis)

    out['bootstrap'] = []
    d = rets(['BTC-USD', 'QQQ'])
    y, x = d['BTC-USD'].values, d['QQQ'].values
    n = len(y)
    for method, block, reps, seed in [('iid', 1, 1000, 7), ('stationary', 5, 1000, 3), ('circular', 10, 500, 11)]:
        rand = mulberry32(seed)
        idx = np.array([resample(n, method, block, rand) for _ in range(reps)])
        theta = np.sort(slope(y[idx], x[idx]))
        e = {'method': method, 'block': block, 'reps': reps, 'seed': seed, 'n': n, 'estimate': clean(slope(y, x)), 'se': clean(np.std(theta, ddof=1)),
             'ci': clean([np.percentile(theta, 2.5), np.percentile(theta, 97.5)])}
        if method == 'iid':
            stat = lambda i, axis=-1: slope(y[i], x[i], axis)  # noqa: E731
            a1, a2, _ = rs._bca_interval((np.arange(n),), stat, -1, 0.025, theta, None)
            e['bca'] = clean([np.percentile(theta, a1 * 100), np.percentile(theta, a2 * 100)])
        out['bootstrap'].append(e)
