"""Round trip through real nbgrader: build, generate, release, submit, autograde, read the gradebook.

Eleven simulated participants write responses files (contract 2) the way the widgets do,
some also damage their notebooks; every item's score in the gradebook must equal the
score their answers earn, computed here by hand.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest

from tests.conftest import REPO
from wpskit.course import build_course, release
from wpskit.grading import autograde
from wpskit.gradebook import read_scores

BANK = REPO / "tests" / "data" / "bank"
ALL_RIGHT = {"t-single": "a", "t-multi": ["a", "b", "d"], "t-truefalse": "false", "t-order": ["b", "a", "c"],
             "t-match": {"a": "1", "b": "2"}, "t-written": "Hold a radio show on the NAP; indicator: listeners."}
ALL_WRONG = {"t-single": "c", "t-multi": ["c"], "t-truefalse": "true", "t-order": ["c", "a", "b"],
             "t-match": {"a": "2", "b": "1"}}
FULL = {"t-single": 1, "t-multi": 2, "t-truefalse": 1, "t-order": 2, "t-match": 2}
ZERO = dict.fromkeys(FULL, 0)
PARTLY = {"t-single": "a", "t-multi": ["a", "b"], "t-truefalse": "false", "t-order": ["a", "b", "c"],
          "t-match": {"a": "1", "b": "1"}}

# participant -> (answers or None for no file or "corrupt", damage to the notebook, expected auto scores)
CASES = {
    "p01": (ALL_RIGHT, None, FULL),
    "p02": (ALL_WRONG, None, ZERO),
    "p03": (PARTLY, None, {"t-single": 1, "t-multi": 1.333, "t-truefalse": 1, "t-order": 1.333, "t-match": 1}),
    "p04": ({}, None, ZERO),
    "p05": (None, None, ZERO),
    "p06": ({**ALL_RIGHT, "zz-not-an-item": "b"}, None, FULL),
    "p07": (ALL_WRONG, "edit-tests", ZERO),
    "p08": (ALL_RIGHT, "delete-cells", FULL),
    "p09": (ALL_RIGHT, "add-code", FULL),
    "p10": ({**ALL_RIGHT, "t-multi": ["a", "b", "c", "d"]}, "duplicate-cells", {**FULL, "t-multi": 1.333}),
    "p11": ("corrupt", None, ZERO),
}


# A missing (p05) or damaged (p11) answers file is left out of the course's scores, never a real 0 (issue #14).
READABLE = {p: case for p, case in CASES.items() if case[0] not in (None, "corrupt")}


def responses_json(form: str, answers: dict) -> str:
    return json.dumps({"schema": 1, "form": form, "language": "vi", "updated": "2024-11-26T02:12:03Z",
                       "answers": {k: {"value": v, "at": "2024-11-26T02:12:03Z"} for k, v in answers.items()}},
                      ensure_ascii=False)


def damage(notebook: nbformat.NotebookNode, how: str | None) -> None:
    tests = [c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade")]
    if how == "edit-tests":
        for cell in tests:
            cell.source = "2  # I give myself full marks"
    elif how == "delete-cells":
        notebook.cells = [c for c in notebook.cells if c not in tests][:3]
    elif how == "add-code":
        notebook.cells.insert(3, nbformat.v4.new_code_cell("open('participant-code-ran.txt', 'w').write('x')"))
    elif how == "duplicate-cells":
        notebook.cells = notebook.cells + [nbformat.from_dict(dict(c)) for c in notebook.cells]


def submit(course_root: Path, participant: str, answers, how: str | Callable[[nbformat.NotebookNode], None] | None) -> None:
    """A submission of the released form: its answers file, its notebook damaged as `how` says (a name or a function)."""
    folder = course_root / "submitted" / participant / "pre"
    folder.mkdir(parents=True)
    notebook = nbformat.read(course_root / "release" / "pre" / "pre.ipynb", as_version=4)
    if callable(how):
        how(notebook)
    else:
        damage(notebook, how)
    nbformat.write(notebook, folder / "pre.ipynb")
    (folder / "timestamp.txt").write_text("2024-11-26 09:12:03.000000 UTC")
    if answers == "corrupt":
        (folder / "pre.responses.json").write_text('{"schema": 1, "answers": {"t-single": ')
    elif answers is not None:
        (folder / "pre.responses.json").write_text(responses_json("pre", answers), encoding="utf-8")


@pytest.fixture(scope="module")
def graded_course(tmp_path_factory):
    root = tmp_path_factory.mktemp("grading") / "course"
    build_course(root, BANK)
    release(root, "pre")
    for participant, (answers, how, _) in CASES.items():
        submit(root, participant, answers, how)
    result = autograde(root, "pre")
    return root, result


@pytest.mark.slow
def test_every_item_scores_what_the_answers_earn(graded_course):
    root, result = graded_course
    assert sorted(result.graded) == sorted(CASES) and result.failed == {}
    scores = read_scores(root)
    auto = scores[scores.item_id != "t-written"]
    got = {(r.participant_id, r.item_id): round(r.score, 3) for r in auto.itertuples()}
    expected = {(p, item): float(points) for p, (_, _, items) in READABLE.items() for item, points in items.items()}
    assert got == expected
    assert set(auto.max_score.astype(int)) <= {1, 2}


@pytest.mark.slow
def test_written_items_wait_for_a_hand_grade(graded_course):
    root, _ = graded_course
    written = read_scores(root).query("item_id == 't-written'")
    assert len(written) == len(READABLE) and written.score.isna().all() and set(written.max_score) == {3.0}
    assert written.set_index("participant_id").loc["p01", "response"] == ALL_RIGHT["t-written"]


@pytest.mark.slow
def test_code_a_participant_added_never_runs(graded_course):
    root, _ = graded_course
    assert not list(root.glob("**/participant-code-ran.txt"))


@pytest.mark.slow
def test_missing_answers_file_is_explained_in_the_graded_notebook(graded_course):
    root, _ = graded_course
    notebook = nbformat.read(root / "autograded" / "p05" / "pre" / "pre.ipynb", as_version=4)
    printed = [o.get("text", "") for c in notebook.cells for o in c.get("outputs", []) if o.output_type == "stream"]
    assert any("No answers file (pre.responses.json) was submitted" in text for text in printed)


@pytest.mark.slow
def test_released_notebook_holds_no_key(graded_course):
    root, _ = graded_course
    released = (root / "release" / "pre" / "pre.ipynb").read_text(encoding="utf-8")
    for secret in ("HIDDEN TESTS", "points_for", "'key'", '"key"', "feedback", "Hold a radio show"):
        assert secret not in released
    source = (root / "source" / "pre" / "pre.ipynb").read_text(encoding="utf-8")
    assert "points_for" in source  # the check above would catch a leak


@pytest.mark.slow
def test_building_again_keeps_grades_and_refuses_changed_forms(graded_course, tmp_path):
    root, _ = graded_course
    before = read_scores(root)
    assert build_course(root, BANK).unchanged == ["post", "pre"]
    pd_equal = before.fillna(-1).equals(read_scores(root).fillna(-1))
    assert pd_equal
    changed = tmp_path / "bank"
    shutil.copytree(BANK, changed)
    form = changed / "forms" / "pre.yaml"
    form.write_text(form.read_text().replace("t-written]", "]").replace(", ]", "]"))
    from wpskit.errors import CourseError
    with pytest.raises(CourseError, match="already submitted"):
        build_course(root, changed)
    assert read_scores(root).fillna(-1).equals(before.fillna(-1))


@pytest.mark.slow
def test_feedback_holds_keys_back_until_the_post_test_is_collected(graded_course, tmp_path):
    from wpskit.feedback import write_feedback

    root, _ = graded_course
    result = write_feedback(root, "pre", BANK)
    assert result.keys_held_back_for == ["post"] and len(result.written) == len(READABLE)
    page = (root / "feedback" / "p03" / "pre" / "pre.html").read_text(encoding="utf-8")
    assert "Tổng điểm: 5,7 / 11" in page  # p03 answered in Vietnamese (decimal comma); written item waits
    assert "Đáp án:" not in page and "31/10/2000" not in page

    post = root / "submitted" / "p01" / "post"
    post.mkdir(parents=True)
    try:
        (post / "timestamp.txt").write_text("2024-11-28 15:00:00.000000 UTC")
        assert write_feedback(root, "pre", BANK).keys_held_back_for == []
    finally:
        shutil.rmtree(post)
    page = (root / "feedback" / "p03" / "pre" / "pre.html").read_text(encoding="utf-8")
    assert "Đáp án: a. 31 tháng 10 năm 2000" in page
    assert "Nghị quyết 1325 (2000) được thông qua ngày 31/10/2000." in page
