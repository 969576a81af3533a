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
from wpskit.words import label

COURSE_ID = "wps-vn"
# nbgrader's default Autograde pipelines with wpskit's two steps (course config and API).
SANITIZE_STEPS = [
    "wpskit.grading.GradeReleasedNotebook",
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "nbgrader.preprocessors.OverwriteCells",
    "nbgrader.preprocessors.CheckCellMetadata",
]
AUTOGRADE_STEPS = [
    "wpskit.grading.ScoreResponses",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]


def _lines(steps: list[str]) -> str:
    return "\n".join(f"    {step!r}," for step in steps)


CONFIG_BLOCK = f'''
# wpskit's grading steps: whichever door starts autograde (wpskit autograde, nbgrader autograde,
# formgrader's button), grade the notebook as released against the participant's responses file,
# and score the hidden tests in-process when every code cell is wpskit's (wpskit/grading.py).
c.Autograde.sanitize_preprocessors = [
{_lines(SANITIZE_STEPS)}
]
c.Autograde.autograde_preprocessors = [
{_lines(AUTOGRADE_STEPS)}
]
'''
CONFIG_MARKER = "wpskit.grading.GradeReleasedNotebook"


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
    """Turn a failed NbGraderAPI call into a ``CourseError`` naming what failed (`what`: a step of words.yaml,
    e.g. ``label("error.nbgrader_release", form=...)``)."""
    if not result["success"]:
        raise CourseError(label("error.nbgrader_failed", step=what, reason=result["error"].strip().splitlines()[-1],
                                log=result["log"]))


def _wpskit_nbgrader_config(root: Path) -> Config:
    """Settings wpskit relies on, whatever the course's config file says."""
    config = Config()
    config.CourseDirectory.root = str(root)
    config.CourseDirectory.course_id = COURSE_ID
    config.Autograde.sanitize_preprocessors = SANITIZE_STEPS
    config.Autograde.autograde_preprocessors = AUTOGRADE_STEPS
    return config


def _put_python_scripts_on_path() -> None:
    """nbgrader's Gradebook runs the `alembic` command to stamp a new database. It sits
    beside this Python, which need not be on PATH (`.venv/bin/wpskit` called directly)."""
    scripts = str(Path(sys.executable).parent)
    if scripts not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = scripts + os.pathsep + os.environ.get("PATH", "")
