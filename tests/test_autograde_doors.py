"""One grading path, whichever door starts autograde: ``wpskit autograde``, ``nbgrader autograde``
and formgrader's button (which calls ``NbGraderAPI(coursedir).autograde``).

Each door grades the same damaged submission: test cells deleted, the rest duplicated, and a
cell added that writes a file. The score is what the responses file earns, and the file never
appears (nbgrader#1941, #483).
"""

from __future__ import annotations

import os
import subprocess
import sys

import nbformat
import pytest

from tests.conftest import REPO
from tests.test_grading import ALL_RIGHT, BANK, FULL, submit
from wpskit.course import build_course, release
from wpskit.gradebook import read_scores

TRAP = "participant-code-ran.txt"
pytestmark = pytest.mark.xdist_group("autograde-doors")


def damaged_submission(course_root, participant: str) -> None:
    """All answers right, two hidden tests deleted, code that leaves a file if it runs, every cell twice."""
    def damage(notebook: nbformat.NotebookNode) -> None:
        tests = [c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade")]
        kept = [c for c in notebook.cells if c not in tests[:2]]
        trap = nbformat.v4.new_code_cell(f"open({TRAP!r}, 'w').write('x')\n"
                                         f"open({str(course_root / TRAP)!r}, 'w').write('x')")
        notebook.cells = kept[:4] + [trap] + kept[4:] + [nbformat.from_dict(dict(c)) for c in kept]

    submit(course_root, participant, ALL_RIGHT, damage)


@pytest.fixture(scope="module")
def course_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("doors") / "course"
    build_course(root, BANK)
    release(root, "pre")
    return root


def nbgrader_env() -> dict:
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}


def auto_scores(root, participant: str) -> dict[str, float]:
    scores = read_scores(root).query("participant_id == @participant and item_id != 't-written'")
    return {row.item_id: round(row.score, 3) for row in scores.itertuples()}


def submit_ungraded(root, participant: str) -> None:
    damaged_submission(root, participant)
    assert auto_scores(root, participant) == {}


def assert_graded_from_responses(root, participant: str) -> None:
    assert auto_scores(root, participant) == {item: float(points) for item, points in FULL.items()}
    assert not list(root.rglob(TRAP)) and not (REPO / TRAP).exists()


@pytest.mark.slow
def test_wpskit_autograde(course_root):
    from wpskit.grading import autograde

    submit_ungraded(course_root, "by-wpskit")
    result = autograde(course_root, "pre", workers=2)
    assert "by-wpskit" in result.graded and result.failed == {}
    assert_graded_from_responses(course_root, "by-wpskit")


@pytest.mark.slow
@pytest.mark.parametrize("participant, options", [("by-nbgrader", []),
                                                  ("by-nbgrader-kernel", ["--ScoreResponses.in_process=False"])])
def test_nbgrader_autograde_command(course_root, participant, options):
    """As nbgrader's documentation teaches, in the course folder; the second run uses a real kernel."""
    submit_ungraded(course_root, participant)
    done = subprocess.run([sys.executable, "-m", "nbgrader", "autograde", "pre", "--student", participant, "--force",
                           *options], cwd=course_root, env=nbgrader_env(), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Grading pre as released" in done.stderr
    assert_graded_from_responses(course_root, participant)


@pytest.mark.slow
def test_formgrader_autograde_button(course_root, monkeypatch):
    """Formgrader's handler: config loaded by an NbGrader app from the folder it serves, then
    ``NbGraderAPI(coursedir, authenticator, parent=app).autograde(assignment, student)``."""
    from nbgrader.apps import NbGrader
    from nbgrader.apps.api import NbGraderAPI
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory

    submit_ungraded(course_root, "by-formgrader")
    monkeypatch.chdir(course_root)
    app = NbGrader()
    app.load_config_file()
    coursedir = CourseDirectory(parent=app)
    result = NbGraderAPI(coursedir, Authenticator(parent=app), parent=app).autograde("pre", "by-formgrader")
    assert result["success"], result["log"][-2000:]
    assert_graded_from_responses(course_root, "by-formgrader")
