#!/usr/bin/env python3
"""Reference values for packages/query/src/experiments/stats, written to reference-fixtures.ts.

Run from the repository root (it formats the output with the repository's Biome):  python3 packages/query/test/experiments/reference_stats.py
Needs scipy 1.17.1, numpy 2.4, mpmath 1.3. Every value comes from scipy or from mpmath at 50 digits
(or a formula evaluated with them) and, where a second route exists, is cross-checked against it
here before it is written; each fixture says its source.
"""

import json
import math
import os
import subprocess

import mpmath as mp
import numpy as np
import scipy
from scipy import integrate, optimize, stats

mp.mp.dps = 50
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'reference-fixtures.ts')
SCIPY = f'scipy {scipy.__version__}'
MPMATH = f'mpmath {mp.__version__}'


def close(a, b, rel=1e-9, abs_=0.0):
    assert math.isclose(a, b, rel_tol=rel, abs_tol=abs_), (a, b)


def num(x):
    x = float(x)
    if math.isinf(x):
        return 'Number.POSITIVE_INFINITY' if x > 0 else 'Number.NEGATIVE_INFINITY'
    return repr(x)


def ts(value):
    if isinstance(value, dict):
        return '{ ' + ', '.join(f'{k}: {ts(v)}' for k, v in value.items()) + ' }'
    if isinstance(value, (list, tuple)):
        return '[' + ', '.join(ts(v) for v in value) + ']'
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if value is None:
        return 'undefined'
    return num(value)


sections = []


def section(name, doc, rows):
    body = ''.join(
        f'  // {row["source"]}\n  {ts({k: v for k, v in row.items() if k != "source"})},\n' for row in rows)
    sections.append(f'/** {doc} */\nexport const {name} = [\n{body}] as const;\n')


# --- distributions -------------------------------------------------------------------------------

def mp_ncdf(x):
    return mp.ncdf(mp.mpf(x))


rows = []
for x in [-37, -20, -10, -6.5, -3, -1.96, -1, -0.5, 0, 0.3, 1, 1.96, 3, 6, 8.5, 20]:
    cdf = mp_ncdf(x)
    sf = mp_ncdf(-x)
    pdf = mp.npdf(mp.mpf(x))
    close(float(cdf), stats.norm.cdf(x), rel=1e-12)
    rows.append({'x': x, 'cdf': cdf, 'sf': sf, 'pdf': pdf,
                 'source': f'{MPMATH}: ncdf(x), ncdf(-x), npdf(x); cross-checked with {SCIPY} norm.cdf'})
section('NORMAL_CDF', 'Standard normal at x.', [{k: (float(v) if isinstance(v, mp.mpf) else v) for k, v in r.items()} for r in rows])

rows = []
for p in [1e-300, 1e-100, 1e-10, 1e-5, 0.001, 0.02425, 0.025, 0.1, 0.3, 0.5, 0.7, 0.975, 0.999, 1 - 1e-10]:
    # The double p exactly, at 50 digits: Φ⁻¹(p) = √2·erfinv(2p − 1), or −√2·erfinv(1 − 2p) below ½.
    mpp = mp.mpf(p)
    q = -mp.sqrt(2) * mp.erfinv(1 - 2 * mpp) if p < 0.5 else mp.sqrt(2) * mp.erfinv(2 * mpp - 1)
    if p < 1e-15:
        q = mp.findroot(lambda x: mp.log(mp.ncdf(x)) - mp.log(mpp), -math.sqrt(-2 * math.log(p)))
    close(float(mp.ncdf(q)), p, rel=1e-12)
    close(float(q), stats.norm.ppf(p), rel=1e-9)
    rows.append({'p': p, 'quantile': float(q),
                 'source': f'{MPMATH}: sqrt(2)*erfinv(2p-1) at the double p (findroot on log ncdf below 1e-15); cross-checked with {SCIPY} norm.ppf'})
section('NORMAL_QUANTILE', 'Standard normal quantile at p.', rows)


def mp_t_lower(t, df):
    t = mp.mpf(t)
    df = mp.mpf(df)
    tail = mp.betainc(df / 2, mp.mpf(1) / 2, 0, df / (df + t * t), regularized=True) / 2
    return tail if t < 0 else 1 - tail


rows = []
for df in [1, 2.5, 5, 17.3, 30, 1000]:
    for t in [-50, -5, -2.1, -0.5, 0, 0.3, 1, 2.1, 4, 10]:
        cdf = mp_t_lower(t, df)
        sf = mp_t_lower(-t, df)
        close(float(cdf), stats.t.cdf(t, df), rel=1e-10)
        close(float(sf), stats.t.sf(t, df), rel=1e-10)
        rows.append({'t': t, 'df': df, 'cdf': float(cdf), 'sf': float(sf),
                     'source': f'{MPMATH}: betainc(df/2, 1/2, 0, df/(df+t^2), regularized)/2; cross-checked with {SCIPY} t.cdf, t.sf'})
section('STUDENT_T_CDF', 'Student t cdf and survival at (t, df).', rows)

rows = []
for df in [1, 2.5, 5, 17.3, 30, 1000]:
    for p in [1e-10, 1e-4, 0.025, 0.1, 0.4, 0.5, 0.6, 0.9, 0.975, 0.9999, 1 - 1e-10]:
        q = stats.t.ppf(p, df)
        if p != 0.5:
            # mpmath root of the exact cdf at the double p
            root = mp.findroot(lambda x: mp_t_lower(x, df) - mp.mpf(p), q)
            close(float(root), q, rel=1e-8)
        rows.append({'p': p, 'df': df, 'quantile': float(q),
                     'source': f'{SCIPY}: stats.t.ppf(p, df); cross-checked by {MPMATH} findroot on betainc'})
section('STUDENT_T_QUANTILE', 'Student t quantile at (p, df).', rows)

rows = []
for k in [1, 2, 5]:
    for x in [0.001, 0.5, 1, 3.841458820694124, 10, 50, 200]:
        sf = mp.gammainc(mp.mpf(k) / 2, mp.mpf(x) / 2, mp.inf, regularized=True)
        cdf = mp.gammainc(mp.mpf(k) / 2, 0, mp.mpf(x) / 2, regularized=True)
        close(float(sf), stats.chi2.sf(x, k), rel=1e-10)
        rows.append({'x': x, 'k': k, 'cdf': float(cdf), 'sf': float(sf),
                     'source': f'{MPMATH}: gammainc(k/2, x/2, inf, regularized); cross-checked with {SCIPY} chi2.sf'})
section('CHI_SQUARE', 'Chi-square cdf and survival at (x, k).', rows)

rows = []
for x in [0.1, 0.5, 1, 1.5, 2.5, 10, 100.5, 1000]:
    rows.append({'x': x, 'logGamma': float(mp.loggamma(x)),
                 'source': f'{MPMATH}: loggamma(x); cross-checked with {SCIPY} special.gammaln'})
    close(rows[-1]['logGamma'], scipy.special.gammaln(x), rel=1e-12, abs_=1e-14)
section('LOG_GAMMA', 'ln Gamma(x).', rows)

# --- Welch on means and ratios -------------------------------------------------------------------

def mean_stats(a):
    a = np.asarray(a, dtype=float)
    return {'n': int(a.size), 'sum': float(a.sum()), 'sumSq': float((a * a).sum())}


rows = []
cases = [(11, 40, 50, 10.0, 10.6, 3.0, 5.0), (12, 200, 180, 5.0, 5.2, 1.0, 1.5),
         (13, 5, 9, 1.0, 3.0, 2.0, 0.5), (14, 3000, 2500, 100.0, 99.7, 12.0, 11.0)]
for seed, nc, nt, mc, mt, sc, st in cases:
    rng = np.random.default_rng(seed)
    c = rng.normal(mc, sc, nc)
    t = rng.normal(mt, st, nt)
    for alternative, confidence in [('two-sided', 0.95), ('greater', 0.95), ('less', 0.9), ('two-sided', 0.8)]:
        r = stats.ttest_ind(t, c, equal_var=False, alternative=alternative)
        ci = r.confidence_interval(confidence_level=confidence)
        fs = stats.ttest_ind_from_stats(t.mean(), t.std(ddof=1), nt, c.mean(), c.std(ddof=1), nc,
                                        equal_var=False, alternative=alternative)
        close(fs.pvalue, r.pvalue, rel=1e-9)
        rows.append({'control': mean_stats(c), 'treatment': mean_stats(t), 'alpha': 1 - confidence,
                     'alternative': alternative, 'estimate': float(t.mean() - c.mean()),
                     'statistic': float(r.statistic), 'df': float(r.df), 'pValue': float(r.pvalue),
                     'lower': float(ci.low), 'upper': float(ci.high),
                     'source': f'{SCIPY}: ttest_ind(t, c, equal_var=False, alternative={alternative!r}).confidence_interval({confidence}) on raw normal data seed {seed}; p cross-checked with ttest_ind_from_stats'})
section('WELCH_MEAN', 'Welch t-test on absolute mean effects (treatment - control).', rows)


def ratio_arm(m, d):
    return {'n': int(m.size), 'sumM': float(m.sum()), 'sumD': float(d.sum()),
            'sumM2': float((m * m).sum()), 'sumD2': float((d * d).sum()), 'sumMD': float((m * d).sum())}


def ratio_moments(m, d):
    cov = np.cov(np.vstack([m, d]), ddof=1)
    mu_m, mu_d = m.mean(), d.mean()
    r = mu_m / mu_d
    var = (cov[0, 0] - 2 * r * cov[0, 1] + r * r * cov[1, 1]) / (mu_d * mu_d)
    return r, var


rows = []
for seed, nc, nt in [(21, 300, 320), (22, 60, 45)]:
    rng = np.random.default_rng(seed)
    arms = []
    for n, lift in [(nc, 1.0), (nt, 1.08)]:
        d = rng.poisson(4, n).astype(float) + 1
        m = rng.binomial(d.astype(int), 0.3 * lift).astype(float)
        arms.append((m, d))
    (rc, vc), (rt, vt) = ratio_moments(*arms[0]), ratio_moments(*arms[1])
    for scale in ['absolute', 'relative']:
        if scale == 'absolute':
            est, var = rt - rc, vt / nt + vc / nc
        else:
            est = (rt - rc) / rc
            var = vt / (nt * rc ** 2) + rt ** 2 * vc / (nc * rc ** 4)
        a, b = vt / nt, vc / nc
        df = (a + b) ** 2 / (a * a / (nt - 1) + b * b / (nc - 1))
        se = math.sqrt(var)
        stat = est / se
        p = 2 * stats.t.sf(abs(stat), df)
        q = stats.t.ppf(0.975, df)
        rows.append({'control': ratio_arm(*arms[0]), 'treatment': ratio_arm(*arms[1]), 'scale': scale,
                     'controlMean': rc, 'controlVariance': vc, 'treatmentMean': rt, 'treatmentVariance': vt,
                     'estimate': est, 'variance': var, 'df': df, 'statistic': stat, 'pValue': p,
                     'lower': est - q * se, 'upper': est + q * se,
                     'source': f'numpy {np.__version__} np.cov delta method on raw Poisson/binomial data seed {seed}, {SCIPY} t.sf/t.ppf with Welch df'})
section('WELCH_RATIO', 'Welch t-test on ratio metrics (delta method), two-sided, alpha 0.05.', rows)

# --- Two proportions -----------------------------------------------------------------------------

rows = []
for (nc, sc, nt, st, alpha, alternative) in [(1000, 100, 1000, 130, 0.05, 'two-sided'), (5000, 400, 5100, 452, 0.05, 'two-sided'),
                                              (20, 3, 25, 9, 0.05, 'two-sided'), (2000, 1900, 2000, 1870, 0.1, 'less'),
                                              (150, 12, 160, 21, 0.05, 'greater'), (40, 4, 40, 36, 0.01, 'two-sided')]:
    pc, pt = sc / nc, st / nt
    pooled = (sc + st) / (nc + nt)
    se = math.sqrt(pooled * (1 - pooled) * (1 / nc + 1 / nt))
    z = (pt - pc) / se
    unpooled = math.sqrt(pc * (1 - pc) / nc + pt * (1 - pt) / nt)
    if alternative == 'two-sided':
        p = 2 * (1 - stats.norm.cdf(abs(z)))
        close(p, 2 * stats.norm.sf(abs(z)), rel=1e-6, abs_=1e-12)  # 1 - cdf cancels in the tail
        p = 2 * stats.norm.sf(abs(z))
        q = stats.norm.ppf(1 - alpha / 2)
        lo, hi = pt - pc - q * unpooled, pt - pc + q * unpooled
    elif alternative == 'greater':
        p = stats.norm.sf(z)
        lo, hi = pt - pc - stats.norm.ppf(1 - alpha) * unpooled, math.inf
    else:
        p = stats.norm.cdf(z)
        lo, hi = -math.inf, pt - pc + stats.norm.ppf(1 - alpha) * unpooled

    def interval(n, s):
        ph = s / n
        zq = stats.norm.ppf(1 - alpha / 2)
        if n >= 30 and s >= 5 and n - s >= 5:
            h = zq * math.sqrt(ph * (1 - ph) / n)
            return {'method': 'wald', 'lower': ph - h, 'upper': ph + h}
        ci = stats.binomtest(s, n).proportion_ci(confidence_level=1 - alpha, method='wilson')
        den = 1 + zq * zq / n
        centre = (ph + zq * zq / (2 * n)) / den
        h = zq * math.sqrt(ph * (1 - ph) / n + zq * zq / (4 * n * n)) / den
        close(centre - h, ci.low, rel=1e-9)
        close(centre + h, ci.high, rel=1e-9)
        return {'method': 'wilson', 'lower': float(ci.low), 'upper': float(ci.high)}

    rows.append({'control': {'n': nc, 's': sc}, 'treatment': {'n': nt, 's': st}, 'alpha': alpha,
                 'alternative': alternative, 'estimate': pt - pc, 'standardError': se, 'statistic': z,
                 'pValue': float(p), 'lower': lo, 'upper': hi,
                 'controlInterval': interval(nc, sc), 'treatmentInterval': interval(nt, st),
                 'source': f'numpy formula (pooled z, §3.2) with {SCIPY} norm.sf/ppf; Wilson intervals from stats.binomtest(...).proportion_ci(method="wilson")'})
section('TWO_PROPORTION', 'Pooled two-proportion z-test and per-variant Wald/Wilson intervals.', rows)

# --- Bayesian ------------------------------------------------------------------------------------

rows = []
for (est, var, prior, alpha, lower) in [(0.02, 0.0001, None, 0.05, False), (-0.01, 0.0004, None, 0.05, False),
                                        (0.15, 0.01, (0, 0.09), 0.05, False), (0.3, 0.0004, (0.1, 0.05), 0.1, True),
                                        (-2.0, 1e-4, None, 0.05, False), (0.0, 0.25, None, 0.2, False),
                                        (1.0, 1e-4, None, 0.05, True)]:
    if prior is None:
        pv, pm = var, est
    else:
        pv = 1 / (1 / prior[1] + 1 / var)
        pm = (prior[0] / prior[1] + est / var) * pv
    sd = math.sqrt(pv)
    z = pm / sd
    ctw = stats.norm.cdf(-z) if lower else 1 - stats.norm.cdf(-z)
    if abs(z) > 37:
        pos, neg = max(pm, 0), max(-pm, 0)
    else:
        pos = stats.norm.cdf(z) * (pm + sd * stats.norm.pdf(z) / stats.norm.cdf(z))
        neg = stats.norm.sf(z) * -(pm - sd * stats.norm.pdf(z) / stats.norm.sf(z))
    qpos = integrate.quad(lambda d: d * stats.norm.pdf(d, pm, sd), 0, pm + 40 * sd if pm > 0 else 40 * sd, points=[pm] if pm > 0 else None, epsabs=1e-14, epsrel=1e-12)[0]
    qneg = integrate.quad(lambda d: -d * stats.norm.pdf(d, pm, sd), pm - 40 * sd if pm < 0 else -40 * sd, 0, points=[pm] if pm < 0 else None, epsabs=1e-14, epsrel=1e-12)[0]
    close(pos, qpos, rel=1e-7, abs_=1e-12)
    close(neg, qneg, rel=1e-7, abs_=1e-12)
    zq = stats.norm.ppf(1 - alpha / 2)
    row = {'estimate': est, 'variance': var, 'alpha': alpha, 'lowerIsBetter': lower,
           'posteriorMean': pm, 'posteriorSd': sd, 'chanceToWin': float(ctw),
           'lower': pm - zq * sd, 'upper': pm + zq * sd,
           'riskControl': float(neg if lower else pos), 'riskTreatment': float(pos if lower else neg),
           'source': f'formula (§3.3) with {SCIPY} norm.cdf/pdf/ppf; risk cross-checked by integrate.quad of the posterior'}
    if prior is not None:
        row['prior'] = {'mean': prior[0], 'variance': prior[1]}
    rows.append(row)
section('BAYESIAN', 'Gaussian effect posterior, chance to win, credible interval, risk.', rows)

# --- SRM -----------------------------------------------------------------------------------------

rows = []
for observed, weights in [([5000, 5200], [0.5, 0.5]), ([1000, 1100, 950], [1, 1, 1]),
                          ([10100, 9900, 0, 19000], [0.25, 0.25, 0, 0.5]), ([4800, 5200], [0.5, 0.5]),
                          ([300, 700, 1000], [0.2, 0.3, 0.5])]:
    keep = [i for i, w in enumerate(weights) if w > 0]
    o = np.array([observed[i] for i in keep], dtype=float)
    w = np.array([weights[i] for i in keep], dtype=float)
    r = stats.chisquare(o, o.sum() * w / w.sum())
    rows.append({'observed': observed, 'weights': weights, 'chiSquare': float(r.statistic),
                 'df': len(keep) - 1, 'pValue': float(r.pvalue), 'warn': bool(r.pvalue < 0.001),
                 'source': f'{SCIPY}: stats.chisquare(observed, N*w/sum(w)) over arms with w > 0'})
section('SRM', 'Sample ratio mismatch chi-square.', rows)

# --- Power ---------------------------------------------------------------------------------------

rows = []
for variance, mde, alpha, power in [(4, 0.1, 0.05, 0.8), (0.09, 0.02, 0.05, 0.9), (1, -0.05, 0.01, 0.8), (250.0, 1.5, 0.1, 0.95)]:
    z = stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power)
    rows.append({'variance': variance, 'mde': mde, 'alpha': alpha, 'power': power,
                 'sampleSize': math.ceil(2 * z * z * variance / (mde * mde)),
                 'source': f'n = ceil(2(z_(1-a/2) + z_power)^2 var / mde^2) with {SCIPY} norm.ppf'})
section('SAMPLE_SIZE_MEAN', 'Units per variant for a mean metric.', rows)

rows = []
for p, mde, alpha, power in [(0.1, 0.02, 0.05, 0.8), (0.5, 0.01, 0.05, 0.8), (0.03, 0.003, 0.05, 0.9)]:
    z = stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power)
    rows.append({'baselineRate': p, 'mde': mde, 'alpha': alpha, 'power': power,
                 'sampleSize': math.ceil(2 * z * z * p * (1 - p) / (mde * mde)),
                 'source': f'n = ceil(2(z_(1-a/2) + z_power)^2 p(1-p) / mde^2) with {SCIPY} norm.ppf'})
section('SAMPLE_SIZE_PROPORTION', 'Units per variant for a conversion metric.', rows)

rows = []
for variance, n, alpha, power in [(0.09, 5000, 0.05, 0.8), (4.0, 120, 0.1, 0.9)]:
    se = math.sqrt(2 * variance / n)
    mde = se * (stats.norm.ppf(1 - alpha / 2) - stats.norm.ppf(1 - power))
    # the power at the MDE is the requested power (ignoring the far tail)
    close(stats.norm.sf(stats.norm.ppf(1 - alpha / 2) - mde / se), power, rel=1e-9)
    rows.append({'variance': variance, 'sampleSizePerVariant': n, 'alpha': alpha, 'power': power, 'mde': mde,
                 'source': f'SE*(z_(1-a/2) - z_(1-power)), SE = sqrt(2 var/n), {SCIPY} norm.ppf'})
section('MDE', 'Minimum detectable absolute effect.', rows)

rows = []
for mean, variance, n, alpha, power in [(0.1, 0.09, 5000, 0.05, 0.8), (25.0, 400.0, 800, 0.05, 0.9), (-3.0, 1.0, 2000, 0.1, 0.8)]:
    k = stats.norm.ppf(1 - alpha / 2) - stats.norm.ppf(1 - power)

    def gap(lift):
        mu_b = mean * (1 + lift)
        return (mu_b - mean) ** 2 - k * k * mean ** 2 * (variance / (n * mean ** 2) + variance * mu_b ** 2 / (n * mean ** 4))

    lift = optimize.brentq(gap, 1e-12, 10, xtol=1e-15, rtol=1e-15)
    rows.append({'mean': mean, 'variance': variance, 'sampleSizePerVariant': n, 'alpha': alpha, 'power': power, 'lift': lift,
                 'source': f'{SCIPY}: optimize.brentq on the §3.5 equation (mu_B - mu_A)^2 = k^2 mu_A^2 (var/(N mu_A^2) + var mu_B^2/(N mu_A^4)) for the positive lift'})
section('MDE_LIFT', 'Minimum detectable relative lift.', rows)

rows = []
for effect, se, alpha in [(0.02, 0.007, 0.05), (-0.5, 0.2, 0.05), (0.0, 1.0, 0.05), (0.1, 0.02, 0.01)]:
    za = stats.norm.ppf(1 - alpha / 2)
    pw = 1 - stats.norm.cdf(za - effect / se) + stats.norm.cdf(stats.norm.ppf(alpha / 2) - effect / se)
    rows.append({'effect': effect, 'standardError': se, 'alpha': alpha, 'power': float(pw),
                 'source': f'1 - Phi(z_(1-a/2) - d/se) + Phi(z_(a/2) - d/se) with {SCIPY} norm'})
section('POWER', 'Power of a two-sided z-test.', rows)

# --- CUPED ---------------------------------------------------------------------------------------

rows = []
for seed, sizes, rho, lift in [(31, [400, 420], 0.7, 0.3), (32, [150, 160, 140], 0.4, 0.5), (33, [1000, 990], 0.95, 0.1)]:
    rng = np.random.default_rng(seed)
    xs, ys = [], []
    for i, n in enumerate(sizes):
        x = rng.normal(20, 4, n)
        y = 20 + rho * (x - 20) + math.sqrt(1 - rho * rho) * 4 * rng.normal(0, 1, n) + (lift if i > 0 else 0)
        xs.append(x)
        ys.append(y)
    X, Y = np.concatenate(xs), np.concatenate(ys)
    theta = float(np.polyfit(X, Y, 1)[0])
    close(theta, float(np.cov(X, Y, ddof=1)[0, 1] / np.var(X, ddof=1)), rel=1e-9)
    arms = []
    adjusted = []
    for x, y in zip(xs, ys):
        a = y - theta * (x - X.mean())
        adjusted.append(a)
        arms.append({'metric': mean_stats(y),
                     'covariate': {'sumX': float(x.sum()), 'sumX2': float((x * x).sum()), 'sumXY': float((x * y).sum())},
                     'mean': float(a.mean()), 'variance': float(a.var(ddof=1)),
                     'varianceReduction': float(1 - a.var(ddof=1) / y.var(ddof=1))})
    r = stats.ttest_ind(adjusted[1], adjusted[0], equal_var=False)
    ci = r.confidence_interval(0.95)
    rows.append({'arms': arms, 'theta': theta, 'statistic': float(r.statistic), 'df': float(r.df),
                 'pValue': float(r.pvalue), 'lower': float(ci.low), 'upper': float(ci.high),
                 'source': f'numpy {np.__version__}: polyfit slope of Y on X pooled (seed {seed}); adjusted arms Y - theta(X - mean X) from raw data; {SCIPY} ttest_ind(equal_var=False) of arm 1 vs arm 0'})
section('CUPED', 'CUPED on raw data: theta by regression, adjusted moments, Welch test of arms 1 vs 0.', rows)

header = ('// Generated by packages/query/test/experiments/reference_stats.py; do not edit. Regenerate with\n'
          '// `python3 packages/query/test/experiments/reference_stats.py` (scipy, numpy, mpmath).\n\n')
with open(OUT, 'w') as f:
    f.write(header + '\n'.join(sections))
# Format as the repository does so that a regeneration diffs only when a value changes.
subprocess.run(['npx', 'biome', 'format', '--write', OUT], check=True, capture_output=True)
print('wrote', OUT)
