"""The nbgrader course directory: create it, and bring the roster into its gradebook.

The course is an ordinary nbgrader course (``nbgrader_config.py``, ``source/``,
``gradebook.db``), so formgrader and every ``nbgrader`` command work on it as usual;
wpskit only adds ``roster.csv``, the full roster with the columns nbgrader has no
place for (gender, stakeholder group, ...), which the report reads.

Nothing here overwrites what a facilitator made: ``init`` creates what is missing and
leaves the rest, so building the course twice keeps every grade.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from nbgrader.api import Gradebook

from wpskit.errors import CourseError
from wpskit.roster import Participant, read_roster, write_roster

COURSE_ID = "wps-vn"
CONFIG_TEMPLATE = '''\
# nbgrader configuration of the WPS workshop course, written once by `wpskit course init`.
# wpskit never overwrites this file: edit it freely.
import os

c = get_config()  # noqa: F821 (nbgrader provides get_config)
here = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.course_id = "{course_id}"
c.CourseDirectory.root = here
# Released and submitted assessments pass through this folder. On JupyterHub, point it at the
# shared exchange every user can reach, e.g. "/srv/nbgrader/exchange".
c.Exchange.root = os.path.join(here, "exchange")
c.Exchange.timezone = "Asia/Ho_Chi_Minh"
# The hidden tests only read the responses file; a minute is ample even on a slow machine.
c.ExecutePreprocessor.timeout = 60
'''
ROSTER_FILE = "roster.csv"


@dataclass(frozen=True)
class Course:
    """An nbgrader course directory on disk."""

    root: Path

    @property
    def config_file(self) -> Path:
        return self.root / "nbgrader_config.py"

    @property
    def gradebook_url(self) -> str:
        return f"sqlite:///{(self.root / 'gradebook.db').resolve()}"

    @property
    def roster_file(self) -> Path:
        return self.root / ROSTER_FILE

    def gradebook(self) -> Gradebook:
        _put_python_scripts_on_path()
        return Gradebook(self.gradebook_url, course_id=COURSE_ID)


def _put_python_scripts_on_path() -> None:
    """nbgrader's Gradebook runs the `alembic` command to stamp a new database. It sits
    beside this Python, which need not be on PATH (`.venv/bin/wpskit` called directly)."""
    scripts = str(Path(sys.executable).parent)
    if scripts not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = scripts + os.pathsep + os.environ.get("PATH", "")


def init_course(root: Path | str = "course") -> Course:
    """Create the course directory, its config and its gradebook where they are missing."""
    course = Course(Path(root).resolve())
    if course.root.exists() and not course.root.is_dir():
        raise CourseError(f"{course.root}: exists but is not a directory; choose another --dir")
    for folder in ("source", "exchange"):
        (course.root / folder).mkdir(parents=True, exist_ok=True)
    if not course.config_file.exists():
        course.config_file.write_text(CONFIG_TEMPLATE.format(course_id=COURSE_ID), encoding="utf-8")
    with course.gradebook():
        pass
    return course


def open_course(root: Path | str) -> Course:
    """An existing course; a clear error if `wpskit course init` has not been run there."""
    course = Course(Path(root).resolve())
    if not course.config_file.is_file() or not (course.root / "gradebook.db").is_file():
        raise CourseError(f"{course.root}: not a wpskit course; create it with `wpskit course init --dir {root}`")
    return course


@dataclass(frozen=True)
class RosterChanges:
    added: list[str]
    updated: list[str]
    unchanged: list[str]

    def summary(self) -> str:
        return f"{len(self.added)} added, {len(self.updated)} updated, {len(self.unchanged)} unchanged"


def _name_parts(name: str) -> tuple[str | None, str | None]:
    """nbgrader keeps a last and a first name. A Vietnamese name is written family name
    first, so the first word goes to last_name and the rest to first_name: formgrader
    then shows "Nguyễn, Thị Hương", and joining them back gives the name as written."""
    if not name:
        return None, None
    family, _, given = name.partition(" ")
    return family, given


def name_from_parts(last_name: str | None, first_name: str | None) -> str:
    return " ".join(part for part in (last_name, first_name) if part)


def read_course_roster(course: Course) -> list[Participant]:
    return read_roster(course.roster_file) if course.roster_file.is_file() else []


def import_roster(course_root: Path | str, roster_csv: Path | str, dry_run: bool = False) -> RosterChanges:
    """Add or update every participant of `roster_csv` in the course's gradebook and roster.

    The whole file is validated before anything is written, so a bad row leaves the
    gradebook and ``roster.csv`` exactly as they were. Participants already in the course
    but absent from the file are kept (they may have grades).
    """
    course = open_course(course_root)
    incoming = read_roster(roster_csv)
    known = {p.participant_id: p for p in read_course_roster(course)}
    added = [p.participant_id for p in incoming if p.participant_id not in known]
    updated = [p.participant_id for p in incoming if p.participant_id in known and known[p.participant_id] != p]
    unchanged = [p.participant_id for p in incoming if known.get(p.participant_id) == p]
    changes = RosterChanges(added=added, updated=updated, unchanged=unchanged)
    if dry_run or not (added or updated):
        return changes
    with course.gradebook() as gradebook:
        for participant in incoming:
            last_name, first_name = _name_parts(participant.name)
            gradebook.update_or_create_student(
                participant.participant_id,
                last_name=last_name,
                first_name=first_name,
                email=participant.email or None,
            )
    merged = {**known, **{p.participant_id: p for p in incoming}}
    write_roster(course.roster_file, list(merged.values()))
    return changes
