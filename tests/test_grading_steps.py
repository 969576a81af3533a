"""wpskit's steps in nbgrader's autograde pipeline, without a kernel: which cells the fast path
recognises, the course config that carries the steps, and the gradebook's indexes."""

from __future__ import annotations

import sqlite3

import pytest

from tests.conftest import REPO
from tests.test_grading import responses_json
from wpskit import build
from wpskit.course import GRADEBOOK_INDEXES, add_grading_steps, init_course
from wpskit.nbgrader_api import CONFIG_MARKER
from wpskit.grading import cell_plan
from wpskit.items import load_item_bank

BANK = REPO / "tests" / "data" / "bank"


@pytest.fixture(scope="module")
def bank():
    return load_item_bank(BANK)


def test_every_code_cell_wpskit_builds_is_recognised(bank):
    notebook = build.form_notebook(bank, "pre")
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code and all(cell_plan(cell.source) is not None for cell in code)


@pytest.mark.parametrize("source", [
    "open('x.txt', 'w').write('x')",
    "import os\npoints_for('pre', {})",
    "points_for('pre', dict(id='x'))",
    "quiz.ask(__import__('os').system('true'))",
    "from wpskit.autograde import points_for\npoints_for('pre', {'id': 't-single'}, folder='/')",
    "def points_for(*a): return 2\npoints_for('pre', {})",
])
def test_any_other_code_needs_a_kernel(source):
    assert cell_plan(source) is None


def test_a_hidden_test_computed_in_process_prints_and_returns_what_the_kernel_would(bank, tmp_path):
    form = bank.forms["pre"]
    item = next(i for i in bank.form_items("pre") if i.id == "t-multi")
    (step,) = cell_plan(build.test_cell(form, item).source)
    (tmp_path / "pre.responses.json").write_text(responses_json("pre", {"t-multi": ["a", "b"]}), encoding="utf-8")
    assert [(o.output_type, o.data["text/plain"]) for o in step(tmp_path)] == [("execute_result", "1.333")]
    missing = step(tmp_path / "nowhere")
    assert [o.output_type for o in missing] == ["stream", "execute_result"]
    assert "No answers file (pre.responses.json)" in missing[0].text and missing[1].data["text/plain"] == "0.0"
    assert cell_plan(build.setup_cell(form).source) == [] == cell_plan(build.question_cell(form, item).source)


def test_build_appends_the_grading_steps_once_and_keeps_the_facilitators_lines(tmp_path):
    config = tmp_path / "nbgrader_config.py"
    config.write_text("c = get_config()\nc.Exchange.root = '/srv/nbgrader/exchange'  # mine\n", encoding="utf-8")
    assert add_grading_steps(config) and not add_grading_steps(config)
    text = config.read_text(encoding="utf-8")
    assert text.startswith("c = get_config()\nc.Exchange.root = '/srv/nbgrader/exchange'  # mine\n")
    assert text.count(CONFIG_MARKER) == 1


def test_a_new_course_has_the_steps_and_the_gradebook_indexes(tmp_path):
    course = init_course(tmp_path / "course")
    assert CONFIG_MARKER in course.config_file.read_text(encoding="utf-8")
    with sqlite3.connect(course.root / "gradebook.db") as connection:
        indexes = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        plan = " ".join(str(r) for r in connection.execute(
            "EXPLAIN QUERY PLAN SELECT * FROM grade WHERE notebook_id = 'x'"))
    assert set(GRADEBOOK_INDEXES) <= indexes and "ix_wpskit_grade_notebook_id" in plan
