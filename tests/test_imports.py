"""Paper and offline forms into a real gradebook: the same scores as online, all or nothing."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from tests.conftest import gradebook_digest, write_csv
from tests.test_grading import BANK, CASES
from wpskit.course import build_course, import_roster
from wpskit.errors import InputDataError
from wpskit.gradebook import export_scores, read_scores
from wpskit.imports import import_scores

ROSTER = "participant_id,name\n" + "".join(f"{p},Người {p}\n" for p in sorted(CASES))


@pytest.fixture(scope="module")
def fresh_course(tmp_path_factory):
    """A built course with the roster and no submissions, copied for each test."""
    root = tmp_path_factory.mktemp("fresh") / "course"
    build_course(root, BANK)
    import_roster(root, write_csv(root.parent / "roster.csv", ROSTER))
    return root


@pytest.fixture
def course_root(fresh_course, tmp_path):
    return shutil.copytree(fresh_course, tmp_path / "course")


WIDE = (
    "participant_id,form,t-single,t-multi,t-truefalse,t-order,t-match\n"
    "p01,pre,a,a;b;d,false,\"b,a,c\",a=1;b=2\n"
    "p03,pre,a,a;b,FALSE,\"a,b,c\",a=1;b=1\n"
    "p02,pre,c,,true,,\n"
)


def test_wide_answer_sheet_is_scored_like_the_online_test(course_root, tmp_path):
    result = import_scores(course_root, write_csv(tmp_path / "kobo.csv", WIDE, bom=True), BANK)
    assert result.submissions == 3
    scores = read_scores(course_root).set_index(["participant_id", "item_id"])
    assert scores.loc[("p01", "t-multi"), "score"] == 2
    assert scores.loc[("p03", "t-order"), "score"] == 1.333
    assert scores.loc[("p03", "t-match"), "score"] == 1
    assert scores.loc[("p02", "t-multi"), "score"] == 0
    assert scores.loc[("p03", "t-multi"), "response"] == '["a", "b"]'
    assert pd.isna(scores.loc[("p01", "t-written"), "score"])  # still waits for a hand grade


def test_reimporting_the_same_file_changes_nothing(course_root, tmp_path):
    sheet = write_csv(tmp_path / "kobo.csv", WIDE)
    import_scores(course_root, sheet, BANK)
    before = read_scores(course_root)
    again = import_scores(course_root, sheet, BANK)
    assert again.changed == 0
    pd.testing.assert_frame_equal(read_scores(course_root), before)


def test_export_then_import_into_a_fresh_course_gives_identical_scores(course_root, fresh_course, tmp_path):
    import_scores(course_root, write_csv(tmp_path / "paper.csv", WIDE), BANK)
    first = read_scores(course_root)
    exported = tmp_path / "scores.csv"
    assert export_scores(course_root, exported) == len(first)
    other = shutil.copytree(fresh_course, tmp_path / "other")
    import_scores(other, exported, BANK)
    pd.testing.assert_frame_equal(read_scores(other), first)


BROKEN = {
    "unknown participant": ("p01,pre,a\np99,pre,b\n", r"line 3: participant 'p99' is not in the course"),
    "unknown option": ("p01,pre,a\np02,pre,z\n", r"line 3, item t-single: 'z' is not an option"),
    "duplicate row": ("p01,pre,a\np01,pre,b\n", r"line 3: p01 / pre / t-single is already on line 2"),
    "unknown form": ("p01,pre,a\np02,mid,a\n", r"line 3: no form 'mid'"),
}


@pytest.mark.parametrize("fault", sorted(BROKEN))
def test_a_broken_row_is_named_and_nothing_is_imported(course_root, tmp_path, fault):
    rows, message = BROKEN[fault]
    bad = write_csv(tmp_path / "bad.csv", "participant_id,form,t-single\n" + rows)
    before = gradebook_digest(course_root)
    with pytest.raises(InputDataError, match=message):
        import_scores(course_root, bad, BANK)
    assert gradebook_digest(course_root) == before
    assert not (course_root / "imported").exists()


def test_a_score_out_of_range_is_refused(course_root, tmp_path):
    bad = write_csv(tmp_path / "bad.csv", "participant_id,form,item_id,score,max_score,response\np01,pre,t-written,5,3,\n")
    with pytest.raises(InputDataError, match=r"line 2, item t-written: score 5 is outside 0..3"):
        import_scores(course_root, bad, BANK)
