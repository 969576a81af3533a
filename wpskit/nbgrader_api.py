"""nbgrader's gradebook and API, opened on a course folder with the settings wpskit relies on."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from nbgrader.api import Gradebook
from nbgrader.apps.api import NbGraderAPI
from nbgrader.coursedir import CourseDirectory
from sqlalchemy.exc import ArgumentError, OperationalError
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from wpskit.errors import CourseError
from wpskit.layout import CONFIG_FILE, Course

COURSE_ID = "wps-vn"


def open_gradebook(course: Course) -> Gradebook:
    """nbgrader's gradebook of the course (a context manager)."""
    _put_python_scripts_on_path()
    try:
        return Gradebook(course.gradebook_url, course_id=COURSE_ID)
    except (OperationalError, ArgumentError, ModuleNotFoundError) as error:  # no server, bad URL, no driver
        raise course.gradebook_unreachable(error) from error


def nbgrader_api(course: Course) -> NbGraderAPI:
    """nbgrader's own API on this course, with the course's config file and wpskit's steps."""
    _put_python_scripts_on_path()
    config = PyFileConfigLoader(CONFIG_FILE, path=str(course.root)).load_config()
    config.merge(_wpskit_nbgrader_config(course.root))
    return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)


def check_nbgrader_result(result: dict[str, Any], what: str) -> None:
    """Turn a failed NbGraderAPI call into a ``CourseError`` naming what failed."""
    if not result["success"]:
        raise CourseError(f"nbgrader could not {what}: {result['error'].strip().splitlines()[-1]}\n{result['log']}")


def _wpskit_nbgrader_config(root: Path) -> Config:
    """Settings wpskit relies on, whatever the course's config file says."""
    config = Config()
    config.CourseDirectory.root = str(root)
    config.CourseDirectory.course_id = COURSE_ID
    return config


def _put_python_scripts_on_path() -> None:
    """nbgrader's Gradebook runs the `alembic` command to stamp a new database. It sits
    beside this Python, which need not be on PATH (`.venv/bin/wpskit` called directly)."""
    scripts = str(Path(sys.executable).parent)
    if scripts not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = scripts + os.pathsep + os.environ.get("PATH", "")
