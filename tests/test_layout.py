"""The course folder's layout: where answers are looked for, who has submitted, what is a course."""

from __future__ import annotations

from pathlib import Path

import pytest

from wpskit.errors import CourseError
from wpskit.layout import (Course, imported_participants, open_course, read_course_roster, responses_file,
                           submitted_participants)


def answers(root: Path, step: str, participant: str, form: str) -> Path:
    path = root / step / participant / form / f"{form}.responses.json"
    path.parent.mkdir(parents=True)
    path.write_text("{}", encoding="utf-8")
    return path


def test_the_graded_copy_wins_over_the_submission_and_the_import(tmp_path: Path) -> None:
    imported = answers(tmp_path, "imported", "hn-01", "pre")
    assert responses_file(tmp_path, "hn-01", "pre") == imported
    submitted = answers(tmp_path, "submitted", "hn-01", "pre")
    assert responses_file(tmp_path, "hn-01", "pre") == submitted
    graded = answers(tmp_path, "autograded", "hn-01", "pre")
    assert responses_file(tmp_path, "hn-01", "pre") == graded
    assert responses_file(tmp_path, "hn-01", "post") is None


def test_submitted_and_imported_participants_are_told_apart(tmp_path: Path) -> None:
    answers(tmp_path, "submitted", "hn-02", "pre")
    answers(tmp_path, "submitted", "hn-01", "pre")
    answers(tmp_path, "imported", "hcm-07", "pre")
    course = Course(tmp_path)
    assert submitted_participants(course, "pre") == ["hn-01", "hn-02"]
    assert imported_participants(course, "pre") == ["hcm-07"]
    assert submitted_participants(course, "post") == []
    assert read_course_roster(course) == []


def test_a_folder_without_config_and_gradebook_is_not_a_course(tmp_path: Path) -> None:
    with pytest.raises(CourseError, match="wpskit course init --dir"):
        open_course(tmp_path)
    (tmp_path / "nbgrader_config.py").write_text("", encoding="utf-8")
    (tmp_path / "gradebook.db").write_bytes(b"")
    assert open_course(tmp_path).root == tmp_path.resolve()
