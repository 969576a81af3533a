"""wpskit.stats against published values, hand computations and scipy."""

import doctest

import numpy as np
import pandas as pd
import pytest
from scipy import stats as scipy_stats

import wpskit.stats.cohort
import wpskit.stats.items
import wpskit.stats.paired
from wpskit import stats
from wpskit.stats import notes

# Lakens (2013), Table 1: the same 10 people rate two movies.
MOVIE_1 = [9, 7, 8, 9, 8, 9, 9, 10, 9, 9]
MOVIE_2 = [9, 6, 7, 8, 7, 9, 8, 8, 8, 7]


@pytest.mark.parametrize("module", [wpskit.stats.paired, wpskit.stats.items, wpskit.stats.cohort])
def test_docstring_examples_show_real_output(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0


def test_lakens_table_1_paired_t_and_effect_sizes():
    t = stats.paired_ttest(MOVIE_2, MOVIE_1).iloc[0]
    dz = stats.cohen_dz(MOVIE_2, MOVIE_1).iloc[0]
    dav = stats.cohen_dav(MOVIE_2, MOVIE_1).iloc[0]
    assert (round(t["t"], 2), t["df"]) == (4.74, 9)
    assert round(dz["d_z"], 2) == 1.50
    assert round(dav["d_av"], 2) == 1.13
    assert round(dav["g_av"], 2) == 1.08


def test_dz_interval_inverts_the_noncentral_t_at_both_ends():
    n = 10
    dz = stats.cohen_dz(MOVIE_2, MOVIE_1).iloc[0]
    t = dz["d_z"] * np.sqrt(n)
    assert scipy_stats.nct.sf(t, n - 1, dz["ci95_lo"] * np.sqrt(n)) == pytest.approx(0.025, abs=1e-6)
    assert scipy_stats.nct.cdf(t, n - 1, dz["ci95_hi"] * np.sqrt(n)) == pytest.approx(0.025, abs=1e-6)


def test_dz_interval_approaches_the_normal_approximation_for_large_samples():
    rng = np.random.default_rng(3)
    pre = rng.normal(50, 15, 4000)
    post = pre + rng.normal(6, 12, 4000)
    dz = stats.cohen_dz(pre, post).iloc[0]
    half = 1.96 * np.sqrt(1 / 4000 + dz["d_z"] ** 2 / (2 * 4000))
    assert dz["ci95_lo"] == pytest.approx(dz["d_z"] - half, abs=0.005)
    assert dz["ci95_hi"] == pytest.approx(dz["d_z"] + half, abs=0.005)


def test_wilcoxon_is_scipy_with_its_defaults():
    rng = np.random.default_rng(5)
    pre, post = rng.integers(0, 100, 30).astype(float), rng.integers(0, 100, 30).astype(float)
    expected = scipy_stats.wilcoxon(post, pre)
    row = stats.wilcoxon_test(pre, post).iloc[0]
    assert (row["wilcoxon_w"], row["p_wilcoxon"]) == (expected.statistic, expected.pvalue)


def test_hake_gain_by_hand():
    row = stats.hake_gain([40, 60, 50], [70, 80, 80]).iloc[0]
    assert row["hake_g"] == pytest.approx((230 / 3 - 50) / (100 - 50))


def test_normalized_change_by_hand():
    change = stats.normalized_change([50, 80, 60, 100, 0, 100, 0], [75, 40, 60, 100, 50, 80, 0])
    np.testing.assert_allclose(change, [0.5, -0.5, 0.0, np.nan, 0.5, -0.2, np.nan])
    row = stats.mean_normalized_change([50, 80, 60, 100, 0, 100, 0], [75, 40, 60, 100, 50, 80, 0]).iloc[0]
    assert (row["n"], row["n_dropped"], row["mean_c"]) == (5, 2, pytest.approx(0.3 / 5))


def test_percent_improved_counts_only_strict_improvement():
    assert stats.percent_improved([50, 50, 50, 50], [60, 50, 40, 51]).iloc[0]["pct_improved"] == 50.0


def test_missing_pairs_are_dropped_and_bad_shapes_rejected():
    assert stats.cohen_dz([1, 2, np.nan, 4], [2, 4, 5, np.nan]).iloc[0]["n"] == 2
    with pytest.raises(ValueError, match="same length"):
        stats.paired_ttest([1, 2, 3], [1, 2])


ALPHA_MATRIX = [[1, 1, 1], [1, 1, 0], [1, 0, 0], [0, 0, 0]]


def test_cronbach_alpha_by_hand():
    # item variances 0.25 + 1/3 + 0.25, total variance 5/3: alpha = 1.5 * (1 - 0.5)
    assert stats.cronbach_alpha(ALPHA_MATRIX).iloc[0]["alpha"] == pytest.approx(0.75)


def test_alpha_matches_the_covariance_formula_and_kr20_on_binary_items():
    rng = np.random.default_rng(11)
    ability = rng.normal(size=(50, 1))
    matrix = (rng.normal(size=(50, 8)) + ability > 0).astype(float)
    covariance = np.cov(matrix, rowvar=False)
    expected = 8 / 7 * (1 - np.trace(covariance) / covariance.sum())
    assert stats.cronbach_alpha(matrix).iloc[0]["alpha"] == pytest.approx(expected)
    assert stats.kr20(matrix).iloc[0]["kr20"] == pytest.approx(expected)


def test_kr20_refuses_partial_credit():
    with pytest.raises(ValueError, match="0 or 1"):
        stats.kr20([[0.5, 1], [1, 0]])


def _scores(rows, form="pre"):
    return pd.DataFrame([{"participant_id": p, "form": form, "item_id": i, "score": s, "max_score": m,
                          "response": r} for p, i, s, m, r in rows])


def test_item_facility_and_rest_correlation_by_hand():
    points = {"a": [1, 2, 1], "b": [1, 1, 0], "c": [0, 2, 0], "d": [0, 0, 1], "e": [1, 0, 0]}
    maxima = [1, 2, 1]
    scores = _scores([(p, f"q{k + 1}", s[k], maxima[k], None) for p, s in points.items() for k in range(3)])
    table = stats.item_statistics(scores).set_index("item_id")
    matrix = np.array(list(points.values()), dtype=float)
    for k, item in enumerate(["q1", "q2", "q3"]):
        rest = matrix.sum(axis=1) - matrix[:, k]
        assert table.loc[item, "facility"] == pytest.approx((matrix[:, k] / maxima[k]).mean())
        assert table.loc[item, "discrimination"] == pytest.approx(np.corrcoef(matrix[:, k], rest)[0, 1])
    assert table.loc["q2", "facility"] == pytest.approx(5 / 10)


def test_item_everyone_got_right_has_no_discrimination_and_says_why():
    scores = _scores([(p, i, 1 if i == "q1" else s, 1, None)
                      for p, s in zip("abcd", [1, 0, 1, 0]) for i in ("q1", "q2", "q3")])
    row = stats.item_statistics(scores).set_index("item_id").loc["q1"]
    assert row["facility"] == 1.0 and np.isnan(row["discrimination"]) and row["note"] == notes.NO_VARIATION


def test_option_shares_count_each_key_and_mark_the_correct_one():
    scores = _scores([("a", "q1", 1, 1, "b"), ("b", "q1", 0, 1, "a"), ("c", "q1", 1, 1, "b"),
                      ("d", "q1", 0, 1, None), ("a", "q2", 1, 1, "the 1325 resolution")])
    table = stats.option_shares(scores)
    assert set(table["item_id"]) == {"q1"}
    shares = table.set_index("option")
    assert shares.loc["b", "share"] == pytest.approx(2 / 3) and shares.loc["b", "is_key"]
    assert shares.loc["a", "share"] == pytest.approx(1 / 3) and not shares.loc["a", "is_key"]


def test_option_shares_follow_item_types_when_given():
    scores = _scores([("a", "q1", 1, 1, "true"), ("b", "q1", 0, 1, "false"), ("a", "q2", 1, 1, "b")])
    table = stats.option_shares(scores, {"q1": "truefalse", "q2": "text"})
    assert set(table["item_id"]) == {"q1"}


def test_groups_under_five_are_suppressed_and_others_computed_by_hand():
    paired = pd.DataFrame({"participant_id": list("abcdefg"), "pre": [40, 50, 60, 50, 40, 30, 70],
                           "post": [60, 80, 70, 60, 70, 60, 80]})
    roster = pd.DataFrame({"participant_id": list("abcdefg"), "gender": ["nữ"] * 5 + [None] * 2})
    table = stats.group_gains(paired, roster).set_index("group")
    women = table.loc["nữ"]
    diff = np.array([20, 30, 10, 10, 30])
    assert women["hake_g"] == pytest.approx((68 - 48) / 52)
    assert women["d_z"] == pytest.approx(diff.mean() / diff.std(ddof=1))
    half = scipy_stats.t.ppf(0.975, 4) * diff.std(ddof=1) / np.sqrt(5)
    assert women["ci95_hi_pct"] == pytest.approx(diff.mean() + half)
    hidden = table.loc[stats.NOT_RECORDED]
    assert hidden["suppressed"] and hidden["n_paired"] == 2 and np.isnan(hidden["mean_pre_pct"])


def test_percentages_use_the_forms_maximum_and_pairs_need_both_forms():
    scores = pd.concat([_scores([("a", "q1", 1, 1, None), ("a", "q2", 1, 3, None), ("b", "q1", 1, 1, None)]),
                        _scores([("a", "q1", 1, 1, None), ("a", "q2", 3, 3, None)], form="post")])
    percentages = stats.form_percentages(scores)
    paired = stats.pair_pre_post(percentages)
    assert paired.to_dict("records") == [{"participant_id": "a", "pre": 50.0, "post": 100.0}]


def test_objective_percentages_are_class_means_of_participants():
    scores = pd.concat([_scores([("a", "q1", 0, 1, None), ("a", "q2", 2, 2, None), ("b", "q1", 1, 1, None),
                                 ("b", "q2", 0, 2, None)]),
                        _scores([("a", "q1", 1, 1, None), ("a", "q2", 2, 2, None), ("b", "q1", 1, 1, None),
                                 ("b", "q2", 1, 2, None)], form="post")])
    table = stats.objective_percentages(scores, {"q1": "D1.1", "q2": "D2.1"}).set_index("objective")
    assert table.loc["D1.1", ["pre_pct", "post_pct", "hake_g"]].tolist() == [50.0, 100.0, 1.0]
    assert table.loc["D2.1", ["pre_pct", "post_pct"]].tolist() == [50.0, 75.0]


@pytest.mark.parametrize(("pre", "post", "figure", "reason"), [
    ([], [], "hake_g", notes.NO_PAIRS),
    ([50], [75], "d_z", notes.ONE_PAIR),
    ([50], [75], "t", notes.ONE_PAIR),
    ([40, 50, 60], [50, 60, 70], "d_z", notes.NO_VARIATION_IN_CHANGE),
    ([40, 50, 60], [50, 60, 70], "t", notes.NO_VARIATION_IN_CHANGE),
    ([100, 100, 100], [100, 100, 100], "hake_g", notes.CEILING),
    ([100, 100, 100], [100, 100, 100], "mean_c", notes.ALL_AT_LIMITS),
    ([100, 100, 100], [100, 100, 100], "wilcoxon_w", notes.NO_CHANGE),
    ([100, 100, 100], [100, 100, 100], "d_av", notes.NO_VARIATION),
])
def test_figures_that_cannot_be_computed_are_nan_with_a_reason(pre, post, figure, reason):
    gain = stats.learning_gain(pre, post)
    assert np.isnan(gain.figures[figure])
    assert gain.notes[figure] == reason


def test_one_participant_still_gets_the_figures_that_exist():
    gain = stats.learning_gain([50], [75])
    assert gain.figures["hake_g"] == 0.5 and gain.figures["pct_improved"] == 100.0
    assert gain.figures["mean_diff_pct"] == 25.0 and "mean_diff_pct" not in gain.notes


# --- exact values: ties, signs and the d_z interval far out (issue #16) ---

def _twelve_items_cohort(points_pre, points_post):
    """Tidy scores of participants who answered 12 one-point items on each form."""
    rows = []
    for index, (pre, post) in enumerate(zip(points_pre, points_post)):
        for form, points in (("pre", pre), ("post", post)):
            rows += [(f"p{index:02d}", form, f"q{k:02d}", float(k < points), 1.0) for k in range(12)]
    return pd.DataFrame(rows, columns=["participant_id", "form", "item_id", "score", "max_score"])


def test_equal_changes_tie_exactly_and_wilcoxon_is_scipy_on_the_points():
    points_pre = [1, 2, 3, 1, 5, 2, 4, 0, 6, 3]
    points_post = [2, 3, 4, 3, 6, 2, 7, 1, 5, 5]
    paired = stats.pair_pre_post(stats.form_percentages(_twelve_items_cohort(points_pre, points_post)))
    row = stats.wilcoxon_test(paired["pre"], paired["post"]).iloc[0]
    expected = scipy_stats.wilcoxon(points_post, points_pre)
    assert (row["wilcoxon_w"], row["p_wilcoxon"]) == (expected.statistic, expected.pvalue)
    # the float route (100 * 2 / 12 - 100 * 1 / 12 and so on) does not tie: the reason for exact values
    diffs = [100 * b / 12 - 100 * a / 12 for a, b in zip(points_pre, points_post)]
    assert len({d for d in diffs if round(d, 6) == round(100 / 12, 6)}) > 1


def test_percentages_of_equal_ratios_are_equal_to_the_last_bit():
    scores = pd.DataFrame({"participant_id": ["a"] * 12 + ["b"] * 2, "form": "pre", "item_id": [*range(12), 0, 1],
                           "score": [1.0] + [0.0] * 11 + [0.25, 0.0], "max_score": [1.0] * 12 + [1.5, 1.5]})
    pct = stats.form_percentages(scores).set_index("participant_id")["pct"]
    assert pct["a"] == pct["b"] == 100 / 12


def test_float_noise_never_moves_a_participant_between_improved_and_unchanged():
    pre = [100 * 7 / 12, 50.0]
    post = [(0.1 + 0.2) * 100 * 7 / 12 / 0.30000000000000004, 50.0 + 1e-12]
    assert stats.percent_improved(pre, post).iloc[0]["n_improved"] == 0
    assert stats.wilcoxon_test(pre, post).iloc[0]["note"] == notes.NO_CHANGE


def test_dz_interval_of_a_workshop_that_gained_a_lot():
    """Issue #16: 12 participants, d_z about 2.3 stopped the report with a NaN from scipy."""
    lo, hi = stats.dz_confidence_interval(2.3, 12)
    assert 1.18 < lo < 1.19 and 3.39 < hi < 3.40
    lo, hi = stats.dz_confidence_interval(-10, 3)
    assert lo == pytest.approx(-19.2617, abs=1e-4) and hi == pytest.approx(-1.48813, abs=1e-5)


@pytest.mark.slow
def test_dz_interval_matches_an_mpmath_integral_for_large_effects_and_any_n():
    """Property: at each limit the noncentral t CDF, integrated independently with mpmath, is 97.5% / 2.5%."""
    hypothesis = pytest.importorskip("hypothesis")
    mpmath = pytest.importorskip("mpmath")
    from hypothesis import strategies as st

    def nct_cdf(t, df, ncp):
        """P(T <= t): the normal CDF of t*s - ncp averaged over s = sqrt(chi2_df / df)."""
        df, t, ncp = mpmath.mpf(df), mpmath.mpf(t), mpmath.mpf(ncp)
        log_c = mpmath.log(2) + df / 2 * mpmath.log(df / 2) - mpmath.loggamma(df / 2)
        density = lambda s: mpmath.exp(log_c + (df - 1) * mpmath.log(s) - df * s * s / 2) if s > 0 else 0
        sd = 1 / mpmath.sqrt(2 * df)
        breaks = sorted({mpmath.mpf(0), *(max(mpmath.mpf(0), 1 + k * sd) for k in (-12, -6, -3, 0, 3, 6, 12))})
        return mpmath.quad(lambda s: mpmath.ncdf(t * s - ncp) * density(s), [*breaks, mpmath.inf])

    @hypothesis.settings(max_examples=25, deadline=None, derandomize=True)
    @hypothesis.given(d_z=st.floats(-10, 10), n=st.one_of(st.integers(2, 30), st.integers(2, 10_000)))
    def check(d_z, n):
        lo, hi = stats.dz_confidence_interval(d_z, n)
        assert lo < d_z < hi
        with mpmath.workdps(20):
            t = d_z * mpmath.sqrt(n)
            assert float(nct_cdf(t, n - 1, lo * mpmath.sqrt(n))) == pytest.approx(0.975, abs=1e-9)
            assert float(nct_cdf(t, n - 1, hi * mpmath.sqrt(n))) == pytest.approx(0.025, abs=1e-9)

    check()
