"""Pre -> post statistics on paired percentages: gain, change, tests and effect sizes.

Every function takes ``pre`` and ``post`` (array-likes of the same length, one value per
participant, in percent), drops pairs with a missing value, and returns a one-row
DataFrame with fixed columns. A figure the data cannot support is NaN and the ``note``
column says why (see ``wpskit.stats.notes``); malformed input raises ``ValueError``.

Signs, ties and ranks are decided on exact values (``exact_differences``): a change is
computed exactly and rounded to ``PRECISION`` decimals of a percentage point, so two
participants whose changes are equal tie exactly and float noise never moves anyone
between "improved" and "unchanged".
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd
from scipy import optimize, stats

from wpskit.stats import notes

PRECISION = 6
"""Decimals of a percentage point that count in a difference: 10**-PRECISION is one unit."""
_LARGEST_DENOMINATOR = 10**7


def exact_differences(pre, post) -> np.ndarray:
    """``post - pre`` as integers in units of 10**-PRECISION percentage points: exact ties and signs.

    Each percentage is read back as the ratio it is (points over a maximum, in
    thousandths of a point: denominators far below 10**7), the difference is taken
    exactly and rounded to PRECISION decimals. Float subtraction would make
    16.67 - 8.33 and 25 - 16.67 differ in their last bits.

    >>> exact_differences([100 * 1 / 12, 100 * 2 / 12], [100 * 2 / 12, 100 * 3 / 12])
    array([8333333, 8333333])
    """
    def exact(value: float) -> Fraction:
        return Fraction(value).limit_denominator(_LARGEST_DENOMINATOR)

    units = 10**PRECISION
    return np.array([round((exact(b) - exact(a)) * units) for a, b in zip(np.asarray(pre, dtype=float).tolist(),
                                                                           np.asarray(post, dtype=float).tolist())],
                    dtype=np.int64)


def paired_values(pre, post) -> tuple[np.ndarray, np.ndarray]:
    """Check ``pre`` and ``post`` are 1-D and the same length; drop pairs with a NaN."""
    pre, post = np.asarray(pre, dtype=float), np.asarray(post, dtype=float)
    if pre.ndim != 1 or post.ndim != 1:
        raise ValueError("pre and post must be one-dimensional")  # developer-facing
    if pre.shape != post.shape:
        raise ValueError(f"pre and post must have the same length, got {pre.size} and {post.size}")  # developer-facing
    complete = ~(np.isnan(pre) | np.isnan(post))
    return pre[complete], post[complete]


def _row(name: str, note: str | None = None, **figures) -> pd.DataFrame:
    return pd.DataFrame({**figures, "note": [note]}, index=[name])


def describe_percentages(values) -> pd.DataFrame:
    """Count, mean, sample SD (n - 1) and median of one form's percentages.

    Examples
    --------
    >>> from wpskit.stats import describe_percentages
    >>> describe_percentages([40, 60, 80, None])
              n  mean_pct  sd_pct  median_pct  note
    describe  3      60.0    20.0        60.0  None
    """
    values = np.asarray(values, dtype=float)
    values = values[~np.isnan(values)]
    n = values.size
    if n == 0:
        return _row("describe", notes.TOO_FEW_PARTICIPANTS, n=0, mean_pct=np.nan, sd_pct=np.nan, median_pct=np.nan)
    sd = values.std(ddof=1) if n > 1 else np.nan
    note = None if n > 1 else notes.TOO_FEW_PARTICIPANTS
    return _row("describe", note, n=n, mean_pct=values.mean(), sd_pct=sd, median_pct=np.median(values))


def hake_gain(pre, post) -> pd.DataFrame:
    """Hake's normalized gain on the class averages of paired participants.

    ``g = (mean_post - mean_pre) / (100 - mean_pre)``: the share of the possible gain
    the class achieved. Hake (1998) calls g < 0.3 low, 0.3-0.7 medium, >= 0.7 high.

    Reference: Hake, R. R. (1998). Interactive-engagement versus traditional methods.
    American Journal of Physics, 66(1), 64-74.

    Examples
    --------
    >>> from wpskit.stats import hake_gain
    >>> hake_gain([40, 60, 50], [70, 80, 80]).round(3)
          n  mean_pre_pct  mean_post_pct  hake_g  note
    hake  3          50.0         76.667   0.533  None
    """
    pre, post = paired_values(pre, post)
    n = pre.size
    mean_pre = pre.mean() if n else np.nan
    mean_post = post.mean() if n else np.nan
    note = notes.NO_PAIRS if n == 0 else notes.CEILING if mean_pre >= 100 else None
    g = np.nan if note else (mean_post - mean_pre) / (100 - mean_pre)
    return _row("hake", note, n=n, mean_pre_pct=mean_pre, mean_post_pct=mean_post, hake_g=g)


def normalized_change(pre, post) -> np.ndarray:
    """Marx & Cummings' normalized change c of each participant (NaN where dropped).

    ``c = (post - pre) / (100 - pre)`` if post > pre, ``(post - pre) / pre`` if post < pre,
    0 if equal; a participant at 0% or 100% on both tests is dropped (NaN).

    Reference: Marx, J. D., & Cummings, K. (2007). Normalized change. American Journal
    of Physics, 75(1), 87-91.

    Examples
    --------
    >>> from wpskit.stats import normalized_change
    >>> normalized_change([50, 80, 60, 100], [75, 40, 60, 100])
    array([ 0.5, -0.5,  0. ,  nan])
    """
    pre, post = np.asarray(pre, dtype=float), np.asarray(post, dtype=float)
    if pre.shape != post.shape:
        raise ValueError(f"pre and post must have the same length, got {pre.size} and {post.size}")  # developer-facing
    with np.errstate(invalid="ignore"):
        sign = np.sign(exact_differences(np.nan_to_num(pre), np.nan_to_num(post)))
    at_limits = (sign == 0) & ((pre == 0) | (pre == 100))
    with np.errstate(divide="ignore", invalid="ignore"):
        change = np.select([sign > 0, sign < 0], [(post - pre) / (100 - pre), (post - pre) / pre], 0.0)
    return np.where(at_limits | np.isnan(pre) | np.isnan(post), np.nan, change)


def mean_normalized_change(pre, post) -> pd.DataFrame:
    """Average of Marx & Cummings' c over the participants it is defined for.

    Examples
    --------
    >>> from wpskit.stats import mean_normalized_change
    >>> mean_normalized_change([50, 80, 60, 100], [75, 40, 60, 100])
            n  n_dropped  mean_c  note
    marx-c  3          1     0.0  None
    """
    pre, post = paired_values(pre, post)
    change = normalized_change(pre, post)
    kept = change[~np.isnan(change)]
    note = notes.NO_PAIRS if pre.size == 0 else notes.ALL_AT_LIMITS if kept.size == 0 else None
    mean_c = kept.mean() if kept.size else np.nan
    return _row("marx-c", note, n=kept.size, n_dropped=pre.size - kept.size, mean_c=mean_c)


def percent_improved(pre, post) -> pd.DataFrame:
    """Percentage of paired participants whose post score is higher than their pre score.

    The log-frame indicator "% of participants with increased knowledge".

    Examples
    --------
    >>> from wpskit.stats import percent_improved
    >>> percent_improved([50, 80, 60, 100], [75, 40, 60, 100])
              n  n_improved  pct_improved  note
    improved  4           1          25.0  None
    """
    pre, post = paired_values(pre, post)
    improved = int((exact_differences(pre, post) > 0).sum())
    note = notes.NO_PAIRS if pre.size == 0 else None
    pct = 100 * improved / pre.size if pre.size else np.nan
    return _row("improved", note, n=pre.size, n_improved=improved, pct_improved=pct)


def _spread_problem(pre: np.ndarray, post: np.ndarray) -> str | None:
    if pre.size == 0:
        return notes.NO_PAIRS
    if pre.size < 2:
        return notes.ONE_PAIR
    if np.ptp(exact_differences(pre, post)) == 0:
        return notes.NO_VARIATION_IN_CHANGE
    return None


def paired_ttest(pre, post) -> pd.DataFrame:
    """Two-sided paired t-test of post against pre (``scipy.stats.ttest_rel``).

    ``t = mean(d) / (sd(d) / sqrt(n))`` with ``d = post - pre`` and ``df = n - 1``.

    Examples
    --------
    Lakens (2013), Table 1: ratings of two movies by the same 10 people.

    >>> from wpskit.stats import paired_ttest
    >>> movie_2 = [9, 6, 7, 8, 7, 9, 8, 8, 8, 7]
    >>> movie_1 = [9, 7, 8, 9, 8, 9, 9, 10, 9, 9]
    >>> paired_ttest(movie_2, movie_1).round(4)
               n       t  df     p_t  note
    paired-t  10  4.7434   9  0.0011  None
    """
    pre, post = paired_values(pre, post)
    note = _spread_problem(pre, post)
    if note:
        return _row("paired-t", note, n=pre.size, t=np.nan, df=max(pre.size - 1, 0), p_t=np.nan)
    result = stats.ttest_rel(post, pre)
    return _row("paired-t", n=pre.size, t=float(result.statistic), df=pre.size - 1, p_t=float(result.pvalue))


def wilcoxon_test(pre, post) -> pd.DataFrame:
    """Wilcoxon signed-rank test of post against pre, ``scipy.stats.wilcoxon`` with its defaults.

    Two-sided; zero differences are dropped (``zero_method="wilcox"``), W is the smaller
    of the positive and negative rank sums. The test runs on the exact differences
    (``exact_differences``): ranks are scale-free, so W and p are scipy's on the
    percentages, with equal changes tied exactly.

    Examples
    --------
    >>> from wpskit.stats import wilcoxon_test
    >>> movie_2 = [9, 6, 7, 8, 7, 9, 8, 8, 8, 7]
    >>> movie_1 = [9, 7, 8, 9, 8, 9, 9, 10, 9, 9]
    >>> wilcoxon_test(movie_2, movie_1).round(4)
               n  wilcoxon_w  p_wilcoxon  note
    wilcoxon  10         0.0      0.0078  None
    """
    pre, post = paired_values(pre, post)
    note = notes.NO_PAIRS if pre.size == 0 else notes.ONE_PAIR if pre.size < 2 else None
    diff = exact_differences(pre, post)
    if note is None and np.all(diff == 0):
        note = notes.NO_CHANGE
    if note:
        return _row("wilcoxon", note, n=pre.size, wilcoxon_w=np.nan, p_wilcoxon=np.nan)
    result = stats.wilcoxon(diff)
    return _row("wilcoxon", n=pre.size, wilcoxon_w=float(result.statistic), p_wilcoxon=float(result.pvalue))


def cohen_dz(pre, post) -> pd.DataFrame:
    """Cohen's d_z = mean(d) / sd(d) for paired data, with a 95% confidence interval.

    The interval is the exact one from the noncentral t distribution (Steiger &
    Fouladi, 1997; Cumming, 2012): the observed ``t = d_z * sqrt(n)`` is inverted into
    the noncentrality parameters whose 2.5% and 97.5% quantiles it sits on, divided by
    ``sqrt(n)``.

    References: Lakens, D. (2013). Calculating and reporting effect sizes. Frontiers in
    Psychology, 4, 863. Steiger, J. H., & Fouladi, R. T. (1997). Noncentrality interval
    estimation. In What if there were no significance tests? (pp. 221-257).

    Examples
    --------
    >>> from wpskit.stats import cohen_dz
    >>> movie_2 = [9, 6, 7, 8, 7, 9, 8, 8, 8, 7]
    >>> movie_1 = [9, 7, 8, 9, 8, 9, 9, 10, 9, 9]
    >>> cohen_dz(movie_2, movie_1).round(3)
               n  mean_diff  sd_diff  d_z  ci95_lo  ci95_hi  note
    cohen-dz  10        1.0    0.667  1.5    0.561    2.403  None
    """
    pre, post = paired_values(pre, post)
    diff = exact_differences(pre, post) / 10.0**PRECISION
    n = diff.size
    mean_diff = diff.mean() if n else np.nan
    sd_diff = diff.std(ddof=1) if n > 1 else np.nan
    note = _spread_problem(pre, post)
    if note:
        return _row("cohen-dz", note, n=n, mean_diff=mean_diff, sd_diff=sd_diff, d_z=np.nan,
                    ci95_lo=np.nan, ci95_hi=np.nan)
    d_z = mean_diff / sd_diff
    lo, hi = dz_confidence_interval(d_z, n)
    return _row("cohen-dz", n=n, mean_diff=mean_diff, sd_diff=sd_diff, d_z=d_z, ci95_lo=lo, ci95_hi=hi)


def dz_confidence_interval(d_z: float, n: int, level: float = 0.95) -> tuple[float, float]:
    """Noncentral-t confidence interval of d_z for ``n`` pairs (see ``cohen_dz``).

    Each limit is the noncentrality at which the observed t sits on the 97.5% (2.5%)
    quantile, found by bracketing outwards from t in steps of the normal approximation's
    SD. Far from t scipy's noncentral t may give NaN; there the CDF is 1 (below t) or 0
    (above), which is all the bracket needs. Checked against an mpmath integral for
    |d_z| <= 10 and n = 2..10,000 (tests/test_stats.py).

    >>> [round(float(x), 4) for x in dz_confidence_interval(2.3, 12)]
    [1.1831, 3.3907]
    """
    if n < 2 or not np.isfinite(d_z):
        raise ValueError("needs a finite d_z and at least 2 pairs")  # developer-facing
    df, t = n - 1, d_z * np.sqrt(n)
    tail = (1 - level) / 2
    lower = _noncentrality_where(1 - tail, t, df)
    upper = _noncentrality_where(tail, t, df)
    return lower / np.sqrt(n), upper / np.sqrt(n)


def _noncentrality_where(probability: float, t: float, df: int) -> float:
    """The noncentrality ncp with P(T <= t | df, ncp) = probability (the CDF falls as ncp grows)."""
    def excess(ncp: float) -> float:
        cdf = stats.nct.cdf(t, df, ncp)
        return (cdf if np.isfinite(cdf) else float(ncp < t)) - probability

    step = 3 * np.sqrt(1 + t * t / (2 * df))
    low, high = t - step, t + step
    while excess(low) < 0:
        low, step = low - step, step * 2
    while excess(high) > 0:
        high, step = high + step, step * 2
    return optimize.brentq(excess, low, high, xtol=1e-12, rtol=1e-14)


def cohen_dav(pre, post) -> pd.DataFrame:
    """Cohen's d_av and Hedges' g_av: the mean change over the average of the two SDs.

    ``d_av = mean(d) / ((sd_pre + sd_post) / 2)`` and ``g_av = d_av * (1 - 3 / (8n - 9))``,
    with sample SDs of the paired participants. Comparable with between-group d.

    Reference: Lakens, D. (2013), Frontiers in Psychology, 4, 863, formulas 10 and 4.

    Examples
    --------
    >>> from wpskit.stats import cohen_dav
    >>> movie_2 = [9, 6, 7, 8, 7, 9, 8, 8, 8, 7]
    >>> movie_1 = [9, 7, 8, 9, 8, 9, 9, 10, 9, 9]
    >>> cohen_dav(movie_2, movie_1).round(3)
                n  sd_pre  sd_post   d_av   g_av  note
    cohen-dav  10   0.949    0.823  1.129  1.081  None
    """
    pre, post = paired_values(pre, post)
    n = pre.size
    sd_pre = pre.std(ddof=1) if n > 1 else np.nan
    sd_post = post.std(ddof=1) if n > 1 else np.nan
    note = notes.NO_PAIRS if n == 0 else notes.ONE_PAIR if n < 2 else None
    if note is None and sd_pre + sd_post == 0:
        note = notes.NO_VARIATION
    if note:
        return _row("cohen-dav", note, n=n, sd_pre=sd_pre, sd_post=sd_post, d_av=np.nan, g_av=np.nan)
    d_av = (post - pre).mean() / ((sd_pre + sd_post) / 2)
    g_av = d_av * (1 - 3 / (8 * n - 9))
    return _row("cohen-dav", n=n, sd_pre=sd_pre, sd_post=sd_post, d_av=d_av, g_av=g_av)


@dataclass(frozen=True)
class LearningGain:
    """Every gain figure of the report (NaN where not computable) and why each missing one is."""

    figures: dict[str, float]
    notes: dict[str, str]


_FIGURES_OF = {
    "hake": {"mean_pre_pct": "mean_pre_pct", "mean_post_pct": "mean_post_pct", "hake_g": "hake_g"},
    "marx-c": {"mean_c": "mean_c"},
    "improved": {"pct_improved": "pct_improved"},
    "paired-t": {"t": "t", "df": "df", "p_t": "p_t"},
    "wilcoxon": {"wilcoxon_w": "wilcoxon_w", "p_wilcoxon": "p_wilcoxon"},
    "cohen-dz": {"mean_diff": "mean_diff_pct", "sd_diff": "sd_diff_pct", "d_z": "d_z",
                 "ci95_lo": "d_z_ci95_lo", "ci95_hi": "d_z_ci95_hi"},
    "cohen-dav": {"sd_pre": "sd_pre_pct", "sd_post": "sd_post_pct", "d_av": "d_av", "g_av": "g_av"},
}


def learning_gain(pre, post) -> LearningGain:
    """All of the above for one set of paired percentages, under the report's names.

    Examples
    --------
    >>> from wpskit.stats import learning_gain
    >>> gain = learning_gain([50], [75])
    >>> round(gain.figures["hake_g"], 3), gain.notes["d_z"]
    (0.5, 'needs at least 2 paired participants')
    """
    pre, post = paired_values(pre, post)
    figures: dict[str, float] = {"n": float(pre.size)}
    reasons: dict[str, str] = {}
    for name, statistic in _STATISTICS.items():
        try:
            row = statistic(pre, post).iloc[0]
        except Exception as error:  # noqa: BLE001 - one figure's failure never costs the others or the report
            row = pd.Series({**dict.fromkeys(_FIGURES_OF[name], np.nan), "note": notes.failed(error)})
        for column, figure in _FIGURES_OF[name].items():
            figures[figure] = float(row[column])
            if np.isnan(figures[figure]) and row["note"]:
                reasons[figure] = row["note"]
    return LearningGain(figures=figures, notes=reasons)


_STATISTICS = {"hake": hake_gain, "marx-c": mean_normalized_change, "improved": percent_improved,
               "paired-t": paired_ttest, "wilcoxon": wilcoxon_test, "cohen-dz": cohen_dz, "cohen-dav": cohen_dav}
