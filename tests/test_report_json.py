"""Contract 4: the keys of report.json, as design.md and docs/contracts.md list them, and its nulls with reasons."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.test_report import GAIN_KEYS, cohort, strict_json
from wpskit.errors import InputDataError
from wpskit.report import build_report, write_report

FORM_SCORES = {"n", "mean_pct", "sd_pct", "median_pct"}
GROUP_KEYS = {"variable", "group", "n_paired", "suppressed", "mean_pre_pct", "mean_post_pct", "hake_g", "d_z"}


def test_report_json_has_every_key_of_the_contract(tmp_path):
    scores, roster = cohort(n=30, seed=11)
    write_report(scores, roster, tmp_path, objectives={f"item-{k:02d}": "D1.1" for k in range(15)})
    data = strict_json((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert data["schema"] == 1
    assert {"cohort", "scores", "gain", "reliability", "items", "groups", "objectives", "notes"} <= set(data)
    assert set(data["cohort"]) == {"n_roster", "n_pre", "n_post", "n_paired"}
    assert set(data["scores"]) == {"pre", "post"} and all(FORM_SCORES <= set(data["scores"][f]) for f in ("pre", "post"))
    assert GAIN_KEYS <= set(data["gain"])
    assert {"mean_pre_pct", "mean_post_pct", "sd_pre_pct", "sd_post_pct"} <= set(data["gain"])
    assert all({"alpha", "n_items"} <= set(data["reliability"][f]) for f in ("pre", "post"))
    assert {"form", "item_id", "objective", "n", "facility", "discrimination", "options"} <= set(data["items"][0])
    assert all(set(group) == GROUP_KEYS for group in data["groups"])
    assert set(data["objectives"][0]) == {"objective", "pre_pct", "post_pct", "hake_g"}
    assert data["cohort"] == {"n_roster": 30, "n_pre": 30, "n_post": 22, "n_paired": 22}


def _frame(rows):
    return pd.DataFrame(rows, columns=["participant_id", "form", "item_id", "score", "max_score", "response"])


def test_only_the_pre_test_gives_nulls_with_reasons_and_still_item_analysis(tmp_path):
    scores = _frame([(p, "pre", i, s, 1, None) for p, row in zip("abcd", [[1, 0, 1], [0, 0, 1], [1, 1, 1], [0, 1, 0]])
                     for i, s in zip(["q1", "q2", "q3"], row)])
    report = write_report(scores, None, tmp_path)
    data = strict_json((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert data["cohort"]["n_post"] == 0 and data["cohort"]["n_roster"] is None
    assert all(data["gain"][key] is None for key in GAIN_KEYS)
    assert data["scores"]["post"]["mean_pct"] is None and data["scores"]["pre"]["n"] == 4
    assert data["notes"]["gain.hake_g"] == "no post-test scores yet"
    assert len(data["items"]) == 3 and data["reliability"]["pre"]["alpha"] is not None
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "no post-test scores yet" in html and "Only the pre-test so far" in html
    assert report.data["groups"] == []


@pytest.mark.parametrize(("rows", "figure", "reason"), [
    ([("a", "pre", "q1", 0, 1), ("a", "post", "q1", 1, 1)], "d_z", "needs at least 2 paired participants"),
    ([(p, f, "q1", s, 2) for p, f, s in [("a", "pre", 0), ("a", "post", 1), ("b", "pre", 1), ("b", "post", 2)]],
     "t", "every participant changed by the same amount, so the change has no spread"),
    ([(p, f, "q1", 1, 1) for p in "abc" for f in ("pre", "post")], "hake_g",
     "the class averaged 100% on the pre-test, so there was no room to gain"),
])
def test_edge_cases_are_null_with_a_reason(tmp_path, rows, figure, reason):
    scores = _frame([row + (None,) for row in rows])
    write_report(scores, None, tmp_path)
    data = strict_json((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert data["gain"][figure] is None
    assert data["notes"][f"gain.{figure}"] == reason
    assert reason in (tmp_path / "report.html").read_text(encoding="utf-8")


def test_participants_with_pre_but_no_post_are_counted_but_not_paired():
    scores = _frame([(p, "pre", "q1", s, 1, None) for p, s in zip("abc", [0, 1, 0])]
                    + [(p, "post", "q1", 1, 1, None) for p in "ab"])
    report = build_report(scores)
    assert report.data["cohort"] == {"n_roster": None, "n_pre": 3, "n_post": 2, "n_paired": 2}
    assert report.data["gain"]["pct_improved"] == 50.0


def test_objective_column_in_the_scores_is_used_without_an_item_bank():
    scores = _frame([(p, f, "q1", s, 1, None) for p, f, s in [("a", "pre", 0), ("a", "post", 1)]])
    report = build_report(scores.assign(objective="D2.1"))
    assert report.data["objectives"] == [{"objective": "D2.1", "pre_pct": 0.0, "post_pct": 100.0, "hake_g": 1.0}]


def test_no_pre_or_post_rows_is_an_input_error():
    with pytest.raises(InputDataError, match="form 'pre' or 'post'"):
        build_report(_frame([("a", "survey", "q1", 1, 1, None)]))
