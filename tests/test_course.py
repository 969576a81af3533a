"""The course directory is a real nbgrader course, and init never overwrites."""

from __future__ import annotations

import pytest

from wpskit.course import init_course
from wpskit.layout import open_course
from wpskit.nbgrader_api import open_gradebook
from wpskit.errors import CourseError


def test_init_makes_an_nbgrader_course_that_nbgrader_can_open(tmp_path):
    course = init_course(tmp_path / "course")
    assert {p.name for p in course.root.iterdir()} >= {"nbgrader_config.py", "source", "gradebook.db", "exchange"}
    with open_gradebook(course) as gradebook:
        assert gradebook.students == [] and gradebook.assignments == []


def test_init_again_changes_nothing_that_exists(tmp_path):
    course = init_course(tmp_path / "course")
    course.config_file.write_text("# edited by the facilitator\n", encoding="utf-8")
    with open_gradebook(course) as gradebook:
        gradebook.add_student("p001", first_name="Hương")
    init_course(tmp_path / "course")
    assert course.config_file.read_text(encoding="utf-8") == "# edited by the facilitator\n"
    with open_gradebook(course) as gradebook:
        assert [s.first_name for s in gradebook.students] == ["Hương"]


def test_open_course_explains_how_to_create_it(tmp_path):
    with pytest.raises(CourseError, match="wpskit course init --dir"):
        open_course(tmp_path / "nowhere")


@pytest.mark.slow
def test_the_lab_folder_config_shows_released_forms_in_the_assignments_tab(tmp_path, monkeypatch):
    """`make lab` starts JupyterLab in the project folder: its nbgrader_config.py must lead the
    Assignments tab to the course's exchange, not to nbgrader's default /srv/nbgrader/exchange."""
    import shutil

    from nbgrader.server_extensions.assignment_list.handlers import AssignmentList

    from tests.conftest import REPO
    from wpskit.course import build_course, release

    shutil.copy(REPO / "nbgrader_config.py", tmp_path)
    build_course(tmp_path / "course", REPO / "tests" / "data" / "bank")
    release(tmp_path / "course", "pre")
    monkeypatch.delenv("WPSKIT_COURSE", raising=False)
    monkeypatch.chdir(tmp_path)
    tab = AssignmentList()
    tab.root_dir = str(tmp_path)
    listed = tab.list_released_assignments()
    assert listed["success"], listed
    assert [(a["course_id"], a["assignment_id"]) for a in listed["value"]] == [("wps-vn", "pre")]
