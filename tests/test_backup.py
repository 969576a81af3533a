"""`wpskit backup`: one zip of the course that unzips into a course with the same grades; the SQLite
gradebook copied consistently while another connection is mid-transaction; nothing left on failure."""

from __future__ import annotations

import sqlite3
import zipfile

import pytest
from typer.testing import CliRunner

from tests.test_grading import ALL_RIGHT, BANK, PARTLY, submit
from wpskit.backup import backup_course
from wpskit.cli import app
from wpskit.course import build_course, init_course, release
from wpskit.grading import autograde
from wpskit.gradebook import read_scores

GRADES = "SELECT student_id, auto_score FROM grade JOIN submitted_notebook sn ON grade.notebook_id = sn.id " \
         "JOIN submitted_assignment sa ON sn.assignment_id = sa.id ORDER BY 1, 2"


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("backup") / "course"
    build_course(root, BANK)
    release(root, "pre")
    submit(root, "p1", ALL_RIGHT, None)
    submit(root, "p2", PARTLY, None)
    autograde(root, "pre")
    return root


@pytest.mark.slow
def test_the_archive_unzips_into_a_course_with_the_same_grades(graded, tmp_path):
    output = CliRunner().invoke(app, ["backup", "--dir", str(graded), "--out", str(tmp_path / "backups")]).output
    [archive] = (tmp_path / "backups").iterdir()
    assert archive.name.startswith("wpskit-course-") and archive.suffix == ".zip"
    assert archive.stat().st_mode & 0o077 == 0  # everyone's answers and grades: its owner alone reads it
    assert f"to {archive} (" in " ".join(output.split()) and " kB)." in output
    with zipfile.ZipFile(archive) as zipped:
        names = set(zipped.namelist())
        zipped.extractall(tmp_path / "restored")
    assert {"course/gradebook.db", "course/nbgrader_config.py", "course/submitted/p2/pre/pre.responses.json",
            "course/autograded/p1/pre/pre.ipynb", "course/release/pre/pre.ipynb"} <= names
    restored = read_scores(tmp_path / "restored" / "course")
    original = read_scores(graded)
    assert restored.equals(original) and restored.score.sum() == pytest.approx(8 + 5.666)


@pytest.mark.slow
def test_the_gradebook_is_copied_as_committed_while_someone_writes(graded, tmp_path):
    database = sqlite3.connect(graded / "gradebook.db")
    committed = database.execute(GRADES).fetchall()
    database.execute("BEGIN IMMEDIATE")
    database.execute("UPDATE grade SET auto_score = 0")  # not committed: formgrader mid-save
    try:
        result = backup_course(graded, tmp_path)
    finally:
        database.rollback()
        database.close()
    with zipfile.ZipFile(result.archive) as zipped:
        (tmp_path / "copy.db").write_bytes(zipped.read("course/gradebook.db"))
    with sqlite3.connect(tmp_path / "copy.db") as copy:
        assert copy.execute(GRADES).fetchall() == committed and copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert result.gradebook_elsewhere is None and result.size == result.archive.stat().st_size


def test_a_failure_leaves_no_half_archive(course, tmp_path, monkeypatch):
    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(zipfile.ZipFile, "write", full_disk)
    with pytest.raises(OSError, match="No space left"):
        backup_course(course.root, tmp_path / "backups")
    assert list((tmp_path / "backups").iterdir()) == []


def test_the_archive_cannot_go_inside_the_course(course):
    from wpskit.errors import CourseError

    with pytest.raises(CourseError, match="inside the course; choose a folder outside it"):
        backup_course(course.root, course.root / "backups")


def test_a_shared_gradebook_is_named_with_the_command_that_saves_it(tmp_path):
    """The archive cannot hold a PostgreSQL gradebook: the facilitator is told where it is and the
    pg_dump line to save it, in the command's language, without the password."""
    course = init_course(tmp_path / "course")
    config = course.config_file.read_text(encoding="utf-8")
    course.config_file.write_text(config + "c.CourseDirectory.db_url = 'postgresql://wpskit:s3cret@db-host/wps_vn'\n",
                                  encoding="utf-8")
    result = backup_course(course.root, tmp_path / "backups")
    assert result.gradebook_elsewhere.startswith("the gradebook is in postgresql://wpskit:***@db-host/wps_vn, not in")
    assert f"pg_dump --format=custom --file={tmp_path / 'backups'}/gradebook-" in result.gradebook_elsewhere
    assert "'postgresql://wpskit@db-host/wps_vn'" in result.gradebook_elsewhere and "s3cret" not in result.gradebook_elsewhere
    output = CliRunner().invoke(app, ["backup", "--dir", str(course.root), "--out", str(tmp_path / "more"), "--lang", "vi"]).output
    assert "sổ điểm nằm ở postgresql://wpskit:***@db-host/wps_vn" in " ".join(output.split())
