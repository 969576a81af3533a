"""The nbgrader course directory: create it, and bring the roster into its gradebook.

The course is an ordinary nbgrader course (``nbgrader_config.py``, ``source/``,
``gradebook.db``), so formgrader and every ``nbgrader`` command work on it as usual;
with several facilitators its gradebook can live in PostgreSQL instead (``--db-url``);
wpskit only adds ``roster.csv``, the full roster with the columns nbgrader has no
place for (gender, stakeholder group, ...), which the report reads.

Nothing here overwrites what a facilitator made: ``init`` creates what is missing and
leaves the rest, so building the course twice keeps every grade.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import nbformat
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from wpskit.build import form_notebook, write_if_changed
from wpskit.errors import CourseError
from wpskit.files import write_atomically
from wpskit.items import load_item_bank
from wpskit.layout import (Course, unreadable_answers, imported_participants, open_course, read_course_roster, safe_url,
                           submitted_participants)
from wpskit.nbgrader_api import (CONFIG_BLOCK, CONFIG_MARKER, COURSE_ID, check_nbgrader_result, nbgrader_api,
                                 open_gradebook)
from wpskit.roster import read_roster, write_roster
from wpskit.survey import load_survey, survey_notebook
from wpskit.words import label

CONFIG_TEMPLATE = '''\
# nbgrader configuration of the WPS workshop course, written once by `wpskit course init`.
# wpskit never overwrites this file (`wpskit course build` only appends its grading steps when
# they are missing): edit it freely.
import os

c = get_config()  # noqa: F821 (nbgrader provides get_config)
here = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.course_id = "{course_id}"
c.CourseDirectory.root = here
# Released and submitted assessments pass through this folder. On JupyterHub, point it at the
# shared exchange every user can reach, e.g. "/srv/nbgrader/exchange".
c.Exchange.root = os.path.join(here, "exchange")
c.Exchange.timezone = "Asia/Ho_Chi_Minh"
# The gradebook: nbgrader's default, gradebook.db in this folder. Several facilitators grading at
# once share one in PostgreSQL instead, e.g. "postgresql://wpskit@db.example/wps_vn".
{db_url_line}
# The hidden tests only read the responses file; a minute is ample even on a slow machine.
c.ExecutePreprocessor.timeout = 60
''' + CONFIG_BLOCK


def init_course(root: Path | str = "course", db_url: str | None = None) -> Course:
    """Create the course directory, its config and its gradebook where they are missing, and the
    gradebook indexes nbgrader lacks.

    ``db_url`` (an SQLAlchemy URL such as ``postgresql://user@host/db``) puts the gradebook in a
    shared database; it is written into the new config, and must match an existing one.
    """
    course = Course(Path(root).resolve())
    if course.root.exists() and not course.root.is_dir():
        raise CourseError(label("error.not_a_directory", folder=course.root))
    if db_url is not None:
        try:
            make_url(db_url)
        except ArgumentError:
            raise CourseError(label("error.not_a_database_url", url=repr(db_url))) from None
    for folder in ("source", "exchange"):
        (course.root / folder).mkdir(parents=True, exist_ok=True)
    if not course.config_file.exists():
        line = f"c.CourseDirectory.db_url = {db_url!r}" if db_url else '# c.CourseDirectory.db_url = "postgresql://..."'
        course.config_file.write_text(CONFIG_TEMPLATE.format(course_id=COURSE_ID, db_url_line=line), encoding="utf-8")
    elif db_url is not None and course.gradebook_url != db_url:
        raise CourseError(label("error.gradebook_elsewhere", config=course.config_file, url=safe_url(course.gradebook_url)))
    add_gradebook_indexes(course)
    return course


def add_grading_steps(config_file: Path) -> bool:
    """Append wpskit's grading steps to a course config that lacks them; True when it changed."""
    text = config_file.read_text(encoding="utf-8")
    if CONFIG_MARKER in text:
        return False
    write_atomically(config_file, text.rstrip("\n") + "\n" + CONFIG_BLOCK)
    return True


# Foreign keys nbgrader's tables leave unindexed: without them `nbgrader export`, formgrader and
# `wpskit export` scan whole tables per participant (minutes at 10,000 participants).
GRADEBOOK_INDEXES = {
    "ix_wpskit_grade_notebook_id": "grade (notebook_id)",
    "ix_wpskit_comment_notebook_id": "comment (notebook_id)",
    "ix_wpskit_submitted_notebook_assignment_id": "submitted_notebook (assignment_id)",
    "ix_wpskit_submitted_notebook_notebook_id": "submitted_notebook (notebook_id)",
    "ix_wpskit_submitted_assignment_assignment_id": "submitted_assignment (assignment_id)",
    "ix_wpskit_submitted_assignment_student_id": "submitted_assignment (student_id)",
}


def add_gradebook_indexes(course: Course) -> None:
    """Create the gradebook (nbgrader's schema) if missing and the indexes it lacks."""
    from sqlalchemy import text

    with open_gradebook(course) as gradebook:
        for name, columns in GRADEBOOK_INDEXES.items():
            gradebook.db.execute(text(f"CREATE INDEX IF NOT EXISTS {name} ON {columns}"))
        gradebook.db.commit()


@dataclass(frozen=True)
class RosterChanges:
    added: list[str]
    updated: list[str]
    unchanged: list[str]

    def summary(self) -> str:
        return label("cli.roster_summary", added=len(self.added), updated=len(self.updated),
                     unchanged=len(self.unchanged))


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
    with open_gradebook(course) as gradebook:
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


@dataclass(frozen=True)
class BuildResult:
    course: Course
    regenerated: list[str]
    unchanged: list[str]


def _submission_count(course: Course, form_id: str) -> int:
    with open_gradebook(course) as gradebook:
        try:
            return len(gradebook.find_assignment(form_id).submissions)
        except Exception:  # MissingEntry: the form was never generated
            return 0


# Module notebooks given out and collected as assignments (no grade cells, nothing scored): the
# Day 3 action plan, so ``wpskit plans gather --course`` finds every plan in ``submitted/``.
# Assignment name (= the notebooks' answers file) -> the notebooks, English and Vietnamese.
MODULE_ASSIGNMENTS = {
    "day3-04-action-plan": ("day3-nap-roles/04-resources-action-plan.ipynb",
                            "day3-nap-roles/04-resources-action-plan.vi.ipynb"),
}


def build_course(root: Path | str = "course", assessments: Path | str = "assessments",
                 modules: Path | str | None = None) -> BuildResult:
    """Create the course if needed and turn every form into a generated nbgrader assignment.

    A course made before wpskit's grading steps existed gets them appended to its config.

    The forms of ``assessments/forms/`` and, when ``assessments/survey.yaml`` exists, the
    unscored survey (``wpskit.survey``; an assignment without grade cells), and the module
    notebooks of ``MODULE_ASSIGNMENTS`` found in `modules` (default: ``modules/`` beside
    `assessments`). A form whose notebook has not changed is left alone, so building again
    keeps every grade. A form that changed after participants submitted (collected or
    graded) is refused: their answers would no longer match the questions.
    """
    bank = load_item_bank(assessments)  # everything is read and checked before the course folder is touched
    notebooks = {form_id: {f"{form_id}.ipynb": form_notebook(bank, form_id)} for form_id in sorted(bank.forms)}
    survey = load_survey(assessments, bank.objectives)
    if survey is not None:
        if survey.id in notebooks:
            raise CourseError(label("error.survey_name_taken", folder=f"{assessments}/forms", form=survey.id))
        notebooks[survey.id] = {f"{survey.id}.ipynb": survey_notebook(survey)}
    modules = Path(assessments).parent / "modules" if modules is None else Path(modules)
    for assignment, paths in MODULE_ASSIGNMENTS.items():
        if all((modules / path).is_file() for path in paths):
            notebooks[assignment] = {Path(path).name: nbformat.read(modules / path, as_version=4) for path in paths}
    course = init_course(root)
    add_grading_steps(course.config_file)
    api = nbgrader_api(course)
    regenerated, unchanged = [], []
    for form_id, files in sorted(notebooks.items()):
        folder = course.root / "source" / form_id
        previous = {name: (folder / name).read_bytes() for name in files if (folder / name).is_file()}
        generated = all((course.root / "release" / form_id / name).is_file() for name in files)
        changed = [write_if_changed(notebook, folder / name) for name, notebook in files.items()]
        if not any(changed) and generated:
            unchanged.append(form_id)
            continue
        if generated and (_submission_count(course, form_id) or submitted_participants(course, form_id)):
            for name, content in previous.items():
                (folder / name).write_bytes(content)
            raise CourseError(label("error.form_changed_after_submissions", form=form_id, folder=assessments))
        check_nbgrader_result(api.generate_assignment(form_id, force=True, create=True),
                              label("error.nbgrader_generate", form=form_id))
        regenerated.append(form_id)
    return BuildResult(course=course, regenerated=regenerated, unchanged=unchanged)


def release(course_root: Path | str, form_id: str) -> Path:
    """Copy the generated form to nbgrader's exchange, where participants fetch it."""
    course = open_course(course_root)
    require_generated(course, form_id)
    check_nbgrader_result(nbgrader_api(course).release_assignment(form_id), label("error.nbgrader_release", form=form_id))
    return course.root / "release" / form_id


def collect(course_root: Path | str, form_id: str) -> list[str]:
    """Collect submissions from the exchange into ``submitted/``; return who has submitted."""
    course = open_course(course_root)
    require_generated(course, form_id)
    check_nbgrader_result(nbgrader_api(course).collect(form_id), label("error.nbgrader_collect", form=form_id))
    return submitted_participants(course, form_id)


def require_generated(course: Course, form_id: str) -> None:
    if not (course.root / "release" / form_id).is_dir():
        built = sorted(path.name for path in (course.root / "release").glob("*") if path.is_dir())
        if built:
            raise CourseError(label("error.no_such_form", form=form_id, folder=course.root, forms=", ".join(built)))
        raise CourseError(label("error.no_form_built", folder=course.root))


@dataclass(frozen=True)
class FormStatus:
    """Who has submitted a form, who is missing, and what still needs a hand grade."""

    form: str
    submitted: list[str]
    missing: list[str]
    not_on_roster: list[str]
    autograded: list[str]
    waiting_for_hand_grade: dict[str, int]
    # Submitted to the exchange but not collected yet (`wpskit collect` brings them in).
    not_collected: list[str]
    # Collected online submissions whose answers file is "missing" or "damaged": scored 0, not a real 0.
    unreadable: dict[str, str]


def form_status(course_root: Path | str, form_id: str) -> FormStatus:
    course = open_course(course_root)
    require_generated(course, form_id)
    roster = {p.participant_id for p in read_course_roster(course)}
    with open_gradebook(course) as gradebook:
        roster |= {student.id for student in gradebook.students}
        waiting = {}
        for submission in gradebook.assignment_submissions(form_id):
            count = sum(1 for notebook in submission.notebooks for grade in notebook.grades
                        if grade.needs_manual_grade)
            if count:
                waiting[submission.student.id] = count
    waiting_in_exchange = sorted(set(exchange_submitters(course, form_id)) - set(submitted_participants(course, form_id)))
    submitted = sorted(set(submitted_participants(course, form_id)) | set(imported_participants(course, form_id))
                       | set(waiting_in_exchange))
    autograded = sorted(path.parent.name for path in (course.root / "autograded").glob(f"*/{form_id}") if path.is_dir())
    return FormStatus(
        form=form_id,
        submitted=submitted,
        missing=sorted(roster - set(submitted)),
        not_on_roster=sorted(set(submitted) - roster),
        autograded=autograded,
        waiting_for_hand_grade=waiting,
        not_collected=waiting_in_exchange,
        unreadable=unreadable_answers(course, form_id),
    )



def exchange_submitters(course: Course, form_id: str) -> list[str]:
    """Who has submitted `form_id` to nbgrader's exchange, collected or not: read live from its
    inbound folder, named ``<participant>+<form>+<timestamp>[+<random>]`` as nbgrader's collect reads it."""
    api = nbgrader_api(course)
    collector = api.exchange.Collect(coursedir=api.coursedir, authenticator=api.authenticator, parent=api)
    inbound = Path(collector.root) / api.coursedir.course_id / "inbound"
    if not inbound.is_dir():
        return []
    submitters = set()
    for entry in inbound.iterdir():
        parts = entry.name.rsplit("+", 3)
        if len(parts) >= 3 and parts[1] == form_id:
            submitters.add(parts[0])
    return sorted(submitters)
