"""wpskit.gradebook: the tidy scores of a course, answers beside the grades they earned."""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import write_csv
from tests.test_grading import BANK, graded_course  # noqa: F401  (a module fixture: a real autograded course)
from wpskit.gradebook import read_scores
from wpskit.imports import import_scores


@pytest.mark.slow
def test_a_paper_row_brings_its_answer_with_its_score(graded_course, tmp_path):  # noqa: F811
    """Issue #16: the response came from the online file while the score came from the import."""
    root = shutil.copytree(graded_course[0], tmp_path / "c")
    before = read_scores(root).set_index(["participant_id", "form", "item_id"])
    assert before.loc[("p01", "pre", "t-single"), ["score", "response"]].tolist() == [1.0, "a"]
    import_scores(root, write_csv(tmp_path / "paper.csv", "participant_id,form,t-single\np01,pre,b\n"), BANK,
                  replace=True)
    after = read_scores(root).set_index(["participant_id", "form", "item_id"])
    assert after.loc[("p01", "pre", "t-single"), ["score", "response"]].tolist() == [0.0, "b"]
    assert after.loc[("p01", "pre", "t-multi"), "response"] == before.loc[("p01", "pre", "t-multi"), "response"]
