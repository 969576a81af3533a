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


def test_the_gradebook_follows_the_course_config_db_url(tmp_path):
    course = init_course(tmp_path / "course")
    assert course.gradebook_url == f"sqlite:///{course.root / 'gradebook.db'}"
    other = tmp_path / "elsewhere.db"
    config = course.config_file.read_text(encoding="utf-8")
    course.config_file.write_text(config + f"c.CourseDirectory.db_url = 'sqlite:///{other}'\n", encoding="utf-8")
    with open_gradebook(open_course(course.root)) as gradebook:
        gradebook.add_student("p001")
    assert other.is_file()


def test_a_bad_or_conflicting_db_url_is_refused_before_anything_is_written(tmp_path):
    with pytest.raises(CourseError, match="not a database URL; write it as postgresql://"):
        init_course(tmp_path / "new", db_url="postgres at the office")
    assert not (tmp_path / "new").exists()
    init_course(tmp_path / "course")
    with pytest.raises(CourseError, match="nbgrader_config.py: the course keeps its gradebook at sqlite:///"):
        init_course(tmp_path / "course", db_url="postgresql://wpskit@db-host/wps_vn")


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
