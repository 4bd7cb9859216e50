#!/usr/bin/python3
"""Reference values for the analysis library, computed with pandas / statsmodels / scipy on
the real sample data (samples/data). Run with Debian's python3 (pandas 1.5.3, statsmodels
0.13.5, scipy):

    /usr/bin/python3 test/reference/reference.py [out.json]

test/unit/market/reference.test.ts runs this script and compares every number with the
TypeScript library (within 1e-9 relative, or explains the difference). NaN is written as
null. Every case here has a twin in the test with the same key.
"""
import json
import math
import os
import sys

import numpy as np
import pandas as pd
import scipy.stats as st
import statsmodels.api as sm
from statsmodels.regression.rolling import RollingOLS
from statsmodels.tsa.stattools import ccf

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
DATA = os.path.join(ROOT, 'samples', 'data')


def load(name):
    df = pd.read_csv(os.path.join(DATA, name + '.csv'))
    df['date'] = pd.to_datetime(df['date'], format='%Y-%m-%d')
    df = df.set_index('date')
    col = 'close' if 'close' in df.columns else 'value'
    return df[col].astype(float).rename(name)


def clean(v):
    if isinstance(v, (list, tuple, np.ndarray, pd.Series)):
        return [clean(x) for x in list(v)]
    if v is None:
        return None
    if isinstance(v, (pd.Timestamp,)):
        return v.strftime('%Y-%m-%d')
    if isinstance(v, (np.integer,)):
        return int(v)
    v = float(v)
    return None if math.isnan(v) or math.isinf(v) else v


def dates(s):
    return [d.strftime('%Y-%m-%d') for d in s.index]


out = {}
NAMES = ['BTC-USD', 'ETH-USD', 'GLD', 'GDX', 'GDXJ', 'QQQ', 'SPY', 'NVDA', 'ORCL', 'AMD', 'IBIT', 'IXIC', 'GSPC',
         'NDX', 'GOLD_GC_F', 'DXY', 'DTWEXBGS', 'M2SL', 'WM2NS', 'GOLD_MONTHLY_WB', 'CME_BTC_OI_WEEKLY', 'BTC_SPOT_ETF_NETFLOW_USDM']
S = {n: load(n) for n in NAMES}

# --- load: every file, the default series and its dates (exact)
out['load'] = {n: {'dates': dates(s), 'values': clean(s.values)} for n, s in S.items()}
ohlc = pd.read_csv(os.path.join(DATA, 'BTC-USD.csv'))
out['load_btc_volume'] = clean(ohlc['volume'].astype(float).values)

btc, eth, gld, gdx, gdxj, qqq, spy, nvda, orcl = (S[k] for k in ['BTC-USD', 'ETH-USD', 'GLD', 'GDX', 'GDXJ', 'QQQ', 'SPY', 'NVDA', 'ORCL'])


def inner(*ss):
    return pd.concat(ss, axis=1, join='inner')


# --- alignment
a = inner(btc, gld)
out['align_inner_btc_gld'] = {'n': len(a), 'first': dates(a)[0], 'last': dates(a)[-1]}
# ffill: GLD's calendar, BTC as of each date
f = pd.merge_asof(gld.reset_index(), btc.reset_index(), on='date').set_index('date').dropna()
out['align_ffill_gld_btc'] = {'n': len(f), 'btc': clean(f['BTC-USD'].values)}
# ffill: BTC's daily calendar, monthly M2 carried
f2 = pd.merge_asof(btc.reset_index(), S['M2SL'].reset_index(), on='date').set_index('date').dropna()
out['align_ffill_btc_m2'] = {'n': len(f2), 'first': dates(f2)[0], 'm2': clean(f2['M2SL'].values)}
o = pd.concat([btc, gld], axis=1, join='outer')
out['align_outer_btc_gld'] = {'n': len(o), 'gld_nan': int(o['GLD'].isna().sum())}

# --- resample
for rule in ['W-FRI', 'M']:
    r = btc.resample(rule).last()
    out['resample_btc_' + rule] = {'dates': dates(r), 'values': clean(r.values)}
r = S['WM2NS'].resample('M').mean()
out['resample_wm2_M_mean'] = {'dates': dates(r), 'values': clean(r.values)}

# --- returns
out['returns_btc_simple'] = clean(btc.pct_change().values)
out['returns_btc_log'] = clean(np.log(btc / btc.shift(1)).values)
out['cumulative_btc_simple'] = clean(((1 + btc.pct_change()).cumprod() - 1).values)
out['cumulative_btc_log'] = clean(np.expm1(np.log(btc / btc.shift(1)).cumsum()).values)
out['rebase_gld'] = clean((gld / gld.iloc[0] * 100).values)


def asof(s, d):
    return s[:pd.Timestamp(d)].dropna().iloc[-1]


out['pctchange_btc_2025'] = clean(asof(btc, '2025-12-31') / asof(btc, '2025-01-01') - 1)
out['pctchange_gld_weekend'] = clean(asof(gld, '2025-06-01') / asof(gld, '2024-06-01') - 1)  # both Sundays/Saturdays

# --- correlation: align prices first, then returns
PAIRS = [('BTC-USD', 'GLD'), ('BTC-USD', 'QQQ'), ('GDX', 'GLD'), ('GDXJ', 'GLD'), ('NVDA', 'QQQ'), ('BTC-USD', 'ETH-USD'), ('IBIT', 'BTC-USD')]


def aligned_returns(x, y):
    p = inner(S[x], S[y])
    return p[x].pct_change(), p[y].pct_change()


def fisher(r, n):
    z = np.arctanh(r)
    se = 1 / np.sqrt(n - 3)
    q = st.norm.ppf(0.975)
    return [np.tanh(z - q * se), np.tanh(z + q * se)], 2 * st.norm.sf(abs(z) / se)


for x, y in PAIRS:
    rx, ry = aligned_returns(x, y)
    m = rx.notna() & ry.notna()
    n = int(m.sum())
    rp = rx.corr(ry)
    rs = rx.corr(ry, method='spearman')
    rs2 = st.spearmanr(rx[m], ry[m]).correlation
    cip, pp = fisher(rp, n)
    cis, ps = fisher(rs, n)
    out['corr_%s_%s' % (x, y)] = {'n': n, 'pearson': clean(rp), 'ci': clean(cip), 'p': clean(pp), 'spearman': clean(rs), 'spearman_scipy': clean(rs2), 'ci_s': clean(cis), 'p_s': clean(ps)}
    # levels (large numbers, trending)
    p = inner(S[x], S[y])
    out['corr_levels_%s_%s' % (x, y)] = clean(p[x].corr(p[y]))


def two_pass_rolling_corr(x, y, w):
    x = np.asarray(x, float)
    y = np.asarray(y, float)
    res = np.full(len(x), np.nan)
    for i in range(w - 1, len(x)):
        a = x[i - w + 1:i + 1]
        b = y[i - w + 1:i + 1]
        if np.isnan(a).any() or np.isnan(b).any():
            continue
        da = a - a.mean()
        db = b - b.mean()
        sa = (da * da).sum()
        sb = (db * db).sum()
        if sa == 0 or sb == 0:
            continue
        res[i] = (da * db).sum() / math.sqrt(sa * sb)
    return res


# --- rolling correlation
for x, y, w in [('BTC-USD', 'QQQ', 30), ('GDX', 'GLD', 60), ('BTC-USD', 'GLD', 90)]:
    rx, ry = aligned_returns(x, y)
    out['rollcorr_%s_%s_%d' % (x, y, w)] = {'pandas': clean(rx.rolling(w).corr(ry).values), 'twopass': clean(two_pass_rolling_corr(rx, ry, w))}
    rs = [np.nan] * len(rx)
    for i in range(w, len(rx)):  # the first window holds the NaN first return
        rs[i] = st.spearmanr(rx.values[i - w + 1:i + 1], ry.values[i - w + 1:i + 1]).correlation
    out['rollspearman_%s_%s_%d' % (x, y, w)] = clean(rs)
    p = inner(S[x], S[y])
    out['rollcorr_levels_%s_%s_%d' % (x, y, w)] = {'pandas': clean(p[x].rolling(w).corr(p[y]).values), 'twopass': clean(two_pass_rolling_corr(p[x], p[y], w))}

# --- correlation matrix
M = inner(*(S[k] for k in ['BTC-USD', 'ETH-USD', 'GLD', 'GDX', 'QQQ', 'NVDA', 'IBIT'])).pct_change()
out['corrmatrix_pearson'] = {'names': list(M.columns), 'r': clean(M.corr().values.tolist())}
out['corrmatrix_spearman'] = {'names': list(M.columns), 'r': clean(M.corr(method='spearman').values.tolist())}
out['corrmatrix_n'] = clean(M.notna().astype(int).T.dot(M.notna().astype(int)).values.tolist())

# --- beta
for y, x in [('GDX', 'GLD'), ('GDXJ', 'GLD'), ('NVDA', 'QQQ'), ('BTC-USD', 'QQQ')]:
    ry, rx = aligned_returns(y, x)
    d = pd.concat([ry, rx], axis=1).dropna()
    res = sm.OLS(d.iloc[:, 0], sm.add_constant(d.iloc[:, 1])).fit()
    out['beta_%s_%s' % (y, x)] = {'beta': clean(res.params.iloc[1]), 'alpha': clean(res.params.iloc[0]), 'r2': clean(res.rsquared),
                                  'stderr': clean(res.bse.iloc[1]), 'alphaStderr': clean(res.bse.iloc[0]), 'n': int(res.nobs)}
    ud = {}
    for side, mask in [('up', d.iloc[:, 1] > 0), ('down', d.iloc[:, 1] < 0)]:
        rr = sm.OLS(d.iloc[:, 0][mask], sm.add_constant(d.iloc[:, 1][mask])).fit()
        ud[side] = {'beta': clean(rr.params.iloc[1]), 'alpha': clean(rr.params.iloc[0]), 'r2': clean(rr.rsquared), 'stderr': clean(rr.bse.iloc[1]), 'n': int(rr.nobs)}
    out['updown_%s_%s' % (y, x)] = ud

for y, x, w in [('GDX', 'GLD', 60), ('NVDA', 'QQQ', 30)]:
    ry, rx = aligned_returns(y, x)
    d = pd.concat([ry, rx], axis=1).iloc[1:]  # RollingOLS needs no NaN: drop the first (NaN) return
    ro = RollingOLS(d.iloc[:, 0], sm.add_constant(d.iloc[:, 1]), window=w).fit()
    out['rollbeta_%s_%s_%d' % (y, x, w)] = {'statsmodels': clean(ro.params.iloc[:, 1].values),
                                            'pandas': clean((ry.rolling(w).cov(rx) / rx.rolling(w).var()).values)}

# --- cross-correlation (statsmodels ccf, direct sums rather than FFT)
def cross(x, y, maxlag):
    x = np.asarray(x, float)
    y = np.asarray(y, float)
    pos = ccf(x, y, adjusted=True, fft=False)[:maxlag + 1]
    neg = ccf(y, x, adjusted=True, fft=False)[1:maxlag + 1][::-1]
    return list(neg) + list(pos)


rb, rq = aligned_returns('BTC-USD', 'QQQ')
d = pd.concat([rb, rq], axis=1).dropna()
out['crosscorr_btc_qqq_5'] = clean(cross(d.iloc[:, 0], d.iloc[:, 1], 5))
bm = btc.resample('M').last().pct_change()
m2 = S['M2SL'].resample('M').last().pct_change()
d = pd.concat([bm, m2], axis=1, join='inner').dropna()
out['crosscorr_btc_m2_6'] = {'n': len(d), 'values': clean(cross(d.iloc[:, 0], d.iloc[:, 1], 6))}

# --- drawdown
def dd(s):
    d = s / s.cummax() - 1
    trough = d.idxmin()
    peak = s[:trough].idxmax()
    after = s[trough:]
    rec = after[after >= s[peak]]
    return {'series': clean(d.values), 'depth': clean(d.min()), 'peak': peak.strftime('%Y-%m-%d'), 'trough': trough.strftime('%Y-%m-%d'),
            'recovery': rec.index[0].strftime('%Y-%m-%d') if len(rec) else None}


for k in ['BTC-USD', 'NVDA', 'GLD', 'ORCL']:
    out['drawdown_' + k] = dd(S[k])

# --- volatility
out['vol_btc_30_365'] = clean((btc.pct_change().rolling(30).std() * math.sqrt(365)).values)
out['vol_qqq_20_252'] = clean((np.log(qqq / qqq.shift(1)).rolling(20).std() * math.sqrt(252)).values)

# --- event window: ORCL results day 2025-12-11, and a Saturday for BTC-less exchange series
def event(s, date, before, after):
    e = s.index.searchsorted(pd.Timestamp(date))
    lo, hi = max(0, e - before), min(len(s) - 1, e + after)
    w = s.iloc[lo:hi + 1]
    rets = s.pct_change().iloc[lo:hi + 1]
    return {'dates': dates(w), 'returns': clean(rets.values), 'cumulative': clean((w / s.iloc[e - 1] - 1).values), 'event': s.index[e].strftime('%Y-%m-%d')}


out['event_orcl'] = event(orcl, '2025-12-11', 5, 10)
out['event_qqq_sat'] = event(qqq, '2025-04-05', 3, 3)

# --- ETF flows: cumulative, average-cost basis, longest outflow run
fl = S['BTC_SPOT_ETF_NETFLOW_USDM']
j = pd.concat([fl, btc], axis=1, join='inner')
units = cost = 0.0
basis = []
for f_, p_ in zip(j.iloc[:, 0], j.iloc[:, 1]):
    q = f_ / p_
    if f_ >= 0:
        units += q
        cost += f_
    elif units > 0:
        sold = min(-q, units)
        cost -= sold * (cost / units)
        units -= sold
    basis.append(cost / units if units > 0 else np.nan)
neg = (j.iloc[:, 0] < 0).values
best = (0, 0.0, None, None)
i = 0
while i < len(neg):
    if neg[i]:
        k = i
        while k + 1 < len(neg) and neg[k + 1]:
            k += 1
        tot = float(j.iloc[i:k + 1, 0].sum())
        if k - i + 1 > best[0] or (k - i + 1 == best[0] and tot < best[1]):
            best = (k - i + 1, tot, dates(j)[i], dates(j)[k])
        i = k + 1
    else:
        i += 1
out['flows'] = {'cumulative': clean(j.iloc[:, 0].cumsum().values), 'basis': clean(basis), 'total': clean(j.iloc[:, 0].sum()),
                'run': {'days': best[0], 'total': best[1], 'start': best[2], 'end': best[3]}}

# --- statistics of issue 15 (regress, granger, adf, coint, event study, exact corr p-values)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference_stats  # noqa: E402
reference_stats.compute(S, out, clean, dates)

text = json.dumps(out, allow_nan=False)
if len(sys.argv) > 1:
    with open(sys.argv[1], 'w') as fh:
        fh.write(text)
else:
    sys.stdout.write(text)
