"""Where things live in a course folder: one place, so no reader needs ``wpskit.course``.

The folder is an ordinary nbgrader course plus wpskit's own files::

    course/
      nbgrader_config.py   gradebook.db   roster.csv (the full roster, wpskit's)
      source/<form>/  release/<form>/  exchange/
      submitted/<participant>/<form>/    autograded/<participant>/<form>/
      feedback/<participant>/<form>/     imported/<participant>/<form>/  (paper and tablet answers)

Each submission carries ``<form>.responses.json`` (contract 2, ``wpskit.responses``).
With several facilitators the gradebook can live in PostgreSQL instead of ``gradebook.db``:
nbgrader's ``CourseDirectory.db_url`` in the course's config says where, for nbgrader and
wpskit alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from traitlets.config.loader import PyFileConfigLoader

from wpskit.errors import CourseError
from wpskit.responses import answers_file_problem
from wpskit.responses import SUFFIX
from wpskit.roster import Participant, read_roster
from wpskit.words import label

# The folders the commands work on unless told otherwise (run from the project's root).
DEFAULT_COURSE = Path("course")
DEFAULT_ASSESSMENTS = Path("assessments")
CONFIG_FILE = "nbgrader_config.py"
GRADEBOOK_FILE = "gradebook.db"
ROSTER_FILE = "roster.csv"
# Answers that came from paper or offline forms (wpskit import), beside nbgrader's own "submitted/".
IMPORTED = "imported"
# Where a participant's answers to a form are looked for, the graded copy first.
ANSWER_STEPS = ("autograded", "submitted", IMPORTED)


@dataclass(frozen=True)
class Course:
    """An nbgrader course folder on disk: its paths, nothing opened."""

    root: Path

    @property
    def config_file(self) -> Path:
        return self.root / CONFIG_FILE

    @cached_property
    def gradebook_url(self) -> str:
        """nbgrader's ``CourseDirectory.db_url`` from the course's config; by default, as in
        nbgrader, the SQLite file ``gradebook.db`` in the course folder."""
        config = PyFileConfigLoader(CONFIG_FILE, path=str(self.root)).load_config() if self.config_file.is_file() else {}
        url = config.get("CourseDirectory", {}).get("db_url") if config else None
        return url or f"sqlite:///{(self.root / GRADEBOOK_FILE).resolve()}"

    @property
    def roster_file(self) -> Path:
        return self.root / ROSTER_FILE

    @property
    def gradebook_is_sqlite(self) -> bool:
        return self.gradebook_url.startswith("sqlite:")

    def gradebook_unreachable(self, error: Exception) -> CourseError:
        """The one-line error for a gradebook that cannot be opened, with any password hidden."""
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        return CourseError(label("error.gradebook_unreachable", config=self.config_file,
                                 url=safe_url(self.gradebook_url), reason=reason))


def safe_url(url: str) -> str:
    """A database URL fit for a message: the password replaced by ***."""
    from sqlalchemy.engine import make_url  # here: the widgets' kernels import this module, never SQLAlchemy
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def open_course(root: Path | str) -> Course:
    """An existing course; a clear error if `wpskit course init` has not been run there."""
    course = Course(Path(root).resolve())
    if not course.config_file.is_file() or (course.gradebook_is_sqlite and not (course.root / GRADEBOOK_FILE).is_file()):
        raise CourseError(label("error.not_a_course", folder=course.root))
    return course


def read_course_roster(course: Course) -> list[Participant]:
    """The course's full roster (``roster.csv``); empty before one is imported."""
    return read_roster(course.roster_file) if course.roster_file.is_file() else []


def submitted_participants(course: Course, form_id: str) -> list[str]:
    """Who has a submission of `form_id` collected in ``submitted/``."""
    return sorted(path.parent.name for path in (course.root / "submitted").glob(f"*/{form_id}") if path.is_dir())


def imported_participants(course: Course, form_id: str) -> list[str]:
    """Who has answers to `form_id` imported from paper or tablets."""
    return sorted(path.parent.name for path in (course.root / IMPORTED).glob(f"*/{form_id}") if path.is_dir())


def responses_file(course_root: Path, participant_id: str, form: str) -> Path | None:
    """Where a participant's answers to a form are: graded copy first, then submission, then import."""
    for step in ANSWER_STEPS:
        path = course_root / step / participant_id / form / f"{form}{SUFFIX}"
        if path.is_file():
            return path
    return None


def unreadable_answers(course: Course, form_id: str) -> dict[str, str]:
    """Collected online submissions without answers that count: participant -> "missing" or "damaged".
    One whose answers were imported from paper has them there, so is not listed."""
    imported = set(imported_participants(course, form_id))
    found = {pid: answers_file_problem(course.root / "submitted" / pid / form_id, form_id)
             for pid in submitted_participants(course, form_id) if pid not in imported}
    return {pid: problem for pid, problem in found.items() if problem}
