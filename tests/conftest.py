"""Shared fixtures: a real nbgrader course in a temporary directory."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from wpskit.course import init_course
from wpskit.layout import Course

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def empty_course_template(tmp_path_factory) -> Path:
    """nbgrader stamps a new gradebook by running `alembic` (about a second), so each
    worker makes one empty course and every test gets a copy of it."""
    return init_course(tmp_path_factory.mktemp("template") / "course").root


@pytest.fixture
def course(tmp_path: Path, empty_course_template: Path) -> Course:
    shutil.copytree(empty_course_template, tmp_path / "course")
    return Course((tmp_path / "course").resolve())


def write_csv(path: Path, text: str, bom: bool = False) -> Path:
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def gradebook_digest(course_root: Path) -> str:
    """A fingerprint of the gradebook, to show that a refused input wrote nothing."""
    return hashlib.sha256((Path(course_root) / "gradebook.db").read_bytes()).hexdigest()
