"""A key found wrong after participants submitted: fix it in the item bank, `wpskit regrade`, and the
gradebook's scores change exactly as the corrected key says, online and paper alike (real nbgrader)."""

from __future__ import annotations

import shutil

import pytest
from typer.testing import CliRunner

from tests.conftest import gradebook_digest, write_csv
from tests.test_grading import ALL_RIGHT, ALL_WRONG, BANK, PARTLY, submit
from wpskit.cli import app
from wpskit.course import build_course, import_roster, release
from wpskit.errors import CourseError
from wpskit.grading import autograde
from wpskit.imports import import_scores
from wpskit.layout import open_course
from wpskit.regrade import form_scores, regrade


def run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return result.output


@pytest.fixture
def submitted(tmp_path):
    """Three online participants (t-single answered a, c, a) and one on paper (answered b), graded with
    the item bank's key t-single = a."""
    bank = shutil.copytree(BANK, tmp_path / "bank")
    root = tmp_path / "course"
    build_course(root, bank)
    import_roster(root, write_csv(tmp_path / "roster.csv", "participant_id\np1\np2\np3\np4\n"))
    release(root, "pre")
    for participant, answers in {"p1": ALL_RIGHT, "p2": ALL_WRONG, "p3": PARTLY}.items():
        submit(root, participant, answers, None)
    autograde(root, "pre")
    sheet = "participant_id,form,t-single,t-multi,t-truefalse,t-order,t-match,t-written,t-written_score\n" \
            "p4,pre,b,a;b;d,Sai,b a c,a=1 b=2,Một chương trình phát thanh,2\n"
    import_scores(root, write_csv(tmp_path / "paper.csv", sheet), bank)
    return root, bank


def set_key(bank, item_id: str, old: str, new: str) -> None:
    path = bank / "items" / "test.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index(f"- id: {item_id}\n")
    end = text.index("- id:", start + 1)
    path.write_text(text[:start] + text[start:end].replace(old, new, 1) + text[end:], encoding="utf-8")


@pytest.mark.slow
def test_a_corrected_key_changes_exactly_the_scores_it_should_online_and_on_paper(submitted):
    root, bank = submitted
    before = form_scores(open_course(root), "pre")
    assert {pid: before[(pid, "t-single")] for pid in ("p1", "p2", "p3", "p4")} == \
        {"p1": 1.0, "p2": 0.0, "p3": 1.0, "p4": 0.0}
    set_key(bank, "t-single", "key: a", "key: b")
    with pytest.raises(CourseError, match="already submitted"):
        build_course(root, bank)

    output = run("regrade", "pre", "--dir", str(root), "--assessments", str(bank))

    after = form_scores(open_course(root), "pre")
    assert {pid: after[(pid, "t-single")] for pid in ("p1", "p2", "p3", "p4")} == \
        {"p1": 0.0, "p2": 0.0, "p3": 0.0, "p4": 1.0}
    assert {k: v for k, v in after.items() if k[1] != "t-single"} == \
        {k: v for k, v in before.items() if k[1] != "t-single"}  # p4's paper mark of the written answer kept
    assert "Regraded 'pre' with the corrected key: 4 submissions; 3 scores changed for 3 participants.\n" \
           "  t-single: p1 1 → 0, p3 1 → 0, p4 0 → 1\n" in output
    assert "run `wpskit feedback pre` again" in output
    assert "unchanged post, pre" in " ".join(run("course", "build", "--dir", str(root), "--assessments",
                                                  str(bank)).split())
    result = regrade(root, "pre", bank)  # again: nothing left to change
    assert result.changes == [] and result.failed == {} and result.regraded == ["p1", "p2", "p3", "p4"]


@pytest.mark.slow
def test_a_changed_question_is_refused_and_nothing_changes(submitted):
    root, bank = submitted
    source = (root / "source" / "pre" / "pre.ipynb").read_bytes()
    digest = gradebook_digest(root)
    set_key(bank, "t-single", "When was resolution 1325 adopted?", "In which year was resolution 1325 adopted?")
    with pytest.raises(CourseError, match="form 'pre': the questions of t-single-question changed, not only keys"):
        regrade(root, "pre", bank)
    assert (root / "source" / "pre" / "pre.ipynb").read_bytes() == source and gradebook_digest(root) == digest
