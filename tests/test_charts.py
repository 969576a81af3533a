"""Charts: readable (title, labels, legend), Vietnamese glyphs present, fast for large cohorts."""

import warnings

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from wpskit import charts, stats
from wpskit.report import build_report, draw_charts


def small_cohort(n=30, seed=0):
    rng = np.random.default_rng(seed)
    rows = []
    for pid in range(n):
        for form, p in (("pre", 0.4), ("post", 0.7)):
            for k in range(6):
                score = float(rng.random() < p)
                response = "b" if score else "acd"[rng.integers(3)]
                rows.append((f"id{pid}", form, f"q{k}", score, 1.0, response, f"D{1 + k // 2}.1"))
    scores = pd.DataFrame(rows, columns=["participant_id", "form", "item_id", "score", "max_score", "response",
                                         "objective"])
    roster = pd.DataFrame({"participant_id": [f"id{k}" for k in range(n)],
                           "gender": rng.choice(["nữ", "nam"], n), "stakeholder_group": rng.choice(["media", "NGO"], n)})
    return build_report(scores, roster)


@pytest.fixture(scope="module")
def report():
    return small_cohort()


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_every_chart_has_title_axis_labels_and_legend(report, lang):
    figures = draw_charts(report, lang)
    assert set(figures) == {"paired", "distribution", "groups", "objectives", "items", "distractors"}
    for name, fig in figures.items():
        assert isinstance(fig, Figure)
        axes = fig.axes
        titles = [fig.get_suptitle()] + [ax.get_title() for ax in axes]
        assert any(titles), name
        assert all(ax.get_xlabel() or ax.get_ylabel() or ax.get_xticklabels() for ax in axes), name


def test_vietnamese_labels_render_with_every_tone_mark(report):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for fig in draw_charts(report, "vi").values():
            assert charts.png_bytes(fig).startswith(b"\x89PNG")
    assert "Điểm (% điểm tối đa)" == charts.labels("vi")["score_axis"]


def test_paired_chart_samples_large_cohorts_but_keeps_everyone_in_the_mean():
    rng = np.random.default_rng(1)
    paired = pd.DataFrame({"participant_id": range(10_000), "pre": rng.uniform(0, 100, 10_000)})
    paired["post"] = paired["pre"] + 10
    fig = charts.paired_chart(paired)
    lines = fig.axes[0].get_lines()
    mean_line = [line for line in lines if line.get_label() == "class mean"][0]
    assert len(lines) <= charts.MAX_LINES + 5
    assert mean_line.get_ydata()[1] - mean_line.get_ydata()[0] == pytest.approx(10)
    assert "random sample of 200" in fig.axes[0].get_title()


def test_suppressed_groups_are_named_without_figures():
    paired = pd.DataFrame({"participant_id": list("abcdefg"), "pre": [40, 50, 60, 50, 40, 30, 70],
                           "post": [60, 80, 70, 60, 70, 60, 80]})
    roster = pd.DataFrame({"participant_id": list("abcdefg"), "gender": list("fffffmm")})
    fig = charts.group_chart(stats.group_gains(paired, roster))
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts == ["not shown (fewer than 5)"]
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["f (n = 5)", "m (n = 2)"]


def test_low_discrimination_items_get_red_labels():
    items = pd.DataFrame({"form": ["pre", "pre", "post", "post"], "item_id": ["q1", "q2", "q1", "q2"],
                          "facility": [0.3, 0.5, 0.6, 0.9], "discrimination": [0.4, 0.5, 0.1, 0.6]})
    fig = charts.item_chart(items)
    colours = {t.get_text(): t.get_color() for t in fig.axes[0].get_yticklabels()}
    assert colours["q1"] == charts.FLAG_COLOUR and colours["q2"] != charts.FLAG_COLOUR


def test_distractor_legend_shows_the_key_colour(report):
    fig = draw_charts(report)["distractors"]
    handles = fig.legends[0].legend_handles
    assert handles[0].get_facecolor()[:3] == pytest.approx((42 / 255, 138 / 255, 74 / 255))


def test_distractor_chart_is_none_without_option_data():
    empty = pd.DataFrame(columns=["form", "item_id", "option", "count", "n", "share", "is_key"])
    assert charts.distractor_chart(empty, ["q1"], "post") is None


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="language"):
        charts.labels("fr")
