"""The library under the ``wpskit`` command: one function per command, with its name and parameters.

As nbgrader's ``NbGraderAPI`` sits under its apps, these functions sit under ``wpskit.cli``,
so a notebook, the trainer's dashboard or a script does exactly what the command does::

    from wpskit import api
    api.course_build("course", "assessments")
    api.release("pre", "course")
    report = api.report("out/report", course="course", lang="vi")

``wpskit roster import`` is :func:`roster_import`, ``wpskit import`` is :func:`import_answers`
(``import`` is Python's), ``wpskit plans gather`` is :func:`plans_gather`, ``wpskit hub users`` is
:func:`hub_users`. Every function
raises a ``WpskitError`` naming the file, row or item when the input is wrong; the command
prints it as one red line. The defaults (``wpskit.layout.DEFAULT_COURSE``, ...) are the commands'.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from wpskit import course as courses
from wpskit import backup as backups, gradebook, grading, imports, paper as paper_forms, plans, regrade as regrading, workshop
from wpskit.errors import InputDataError
from wpskit.feedback import FeedbackResult, write_feedback
from wpskit.hub import accounts, room
from wpskit.hub.settings import DEFAULT_SETTINGS, load_settings
from wpskit.layout import DEFAULT_ASSESSMENTS as ASSESSMENTS, DEFAULT_COURSE as COURSE, Course, open_course, \
    submitted_participants, unreadable_answers
from wpskit.words import checked_language, label

if TYPE_CHECKING:  # the report's modules bring matplotlib and scipy: loaded by the functions that need them,
    from wpskit.report import Report  # so that every other command starts seconds sooner

PathLike = Path | str


def course_init(course: PathLike = COURSE, db_url: str | None = None) -> Course:
    """Create the nbgrader course folder, its config and its gradebook where they are missing;
    `db_url` keeps the gradebook in a shared database instead of ``gradebook.db``.

    Example: ``api.course_init("course", db_url="postgresql://wpskit@db-host/wps_vn")``
    """
    return courses.init_course(course, db_url=db_url)


def course_build(course: PathLike = COURSE, assessments: PathLike = ASSESSMENTS) -> courses.BuildResult:
    """Create the course if needed and generate each form of the item bank; grades are kept.

    Example: ``api.course_build("course", "assessments").regenerated``
    """
    return courses.build_course(course, assessments)


def roster_import(roster_csv: PathLike, course: PathLike = COURSE, dry_run: bool = False) -> courses.RosterChanges:
    """Add or update the participants of a roster CSV; a bad row stops it before anything is written.

    Example: ``api.roster_import("roster.csv", "course", dry_run=True).summary()``
    """
    return courses.import_roster(course, roster_csv, dry_run=dry_run)


def lab(course: PathLike = COURSE, port: int = 8888, open_browser: bool = False,
        lang: str | None = None) -> None:
    """Start JupyterLab and the pages on the modules (replaces this process).

    Example: ``api.lab("course", port=8888, lang="vi")``
    """
    workshop.start_lab(course, port=port, open_browser=open_browser,
                       lab_language=None if lang is None else checked_language(lang))


def report(out: PathLike, course: PathLike | None = None, scores: PathLike | None = None,
           roster: PathLike | None = None, lang: str = "en", assessments: PathLike = ASSESSMENTS) -> Report:
    """Write the learning-gain report (HTML, XLSX, JSON, charts) from a course or a scores CSV.

    Example: ``api.report("out/report", scores="scores.csv", roster="roster.csv", lang="vi").data["gain"]``
    """
    from wpskit.report import write_report_from_files

    return write_report_from_files(out, course=_path(course), scores=_path(scores), roster=_path(roster),
                                   item_bank=Path(assessments), lang=checked_language(lang))


def report_json(report: Report) -> str:
    """A report's figures as report.json's text (contract 4), as ``wpskit report --json`` prints them.

    Example: ``api.report_json(api.report("out/report", course="course"))``
    """
    from wpskit.report import report_json as as_text

    return as_text(report)


def release(form: str, course: PathLike = COURSE) -> Path:
    """Release a form to participants through nbgrader's exchange; returns the released folder.

    Example: ``api.release("pre", "course")``
    """
    return courses.release(course, form)


def collect(form: str, course: PathLike = COURSE) -> list[str]:
    """Collect a form's submissions from the exchange; returns who has submitted.

    Example: ``api.collect("pre", "course")``
    """
    return courses.collect(course, form)


def submitted(form: str, course: PathLike = COURSE) -> list[str]:
    """Who has a collected submission of `form` (what :func:`autograde` will grade).

    Example: ``api.submitted("pre", "course")``
    """
    return submitted_participants(open_course(course), form)


def unreadable(form: str, course: PathLike = COURSE) -> dict[str, str]:
    """Whose collected answers file for `form` is damaged or missing, and which (scored 0 by :func:`autograde`).

    Example: ``api.unreadable("pre", "course")``
    """
    return unreadable_answers(open_course(course), form)


def autograde(form: str, course: PathLike = COURSE, workers: int | None = None, regrade: bool = False,
              on_progress: Callable[[grading.Outcome], None] | None = None) -> grading.AutogradeResult:
    """Score every submission of a form from its responses file with nbgrader, `workers` at a time;
    submissions graded before and unchanged since are left alone unless `regrade`.

    Example: ``api.autograde("pre", "course", workers=2).failed``
    """
    return grading.autograde(course, form, workers=workers, regrade=regrade, on_progress=on_progress)


def regrade(form: str, course: PathLike = COURSE, assessments: PathLike = ASSESSMENTS,
            workers: int | None = None) -> regrading.RegradeResult:
    """After a key was corrected in the item bank: regenerate the form and score every submission
    again (online and imported); returns the scores that changed. Only keys may have changed.

    Example: ``api.regrade("pre", "course", "assessments").changes``
    """
    return regrading.regrade(course, form, assessments, workers=workers)


def feedback(form: str, course: PathLike = COURSE, assessments: PathLike = ASSESSMENTS,
             release: bool = False, lang: str = "en") -> FeedbackResult:
    """Write a feedback page per participant in their language (`lang` when it is unknown);
    optionally release them.

    Example: ``api.feedback("post", "course", release=True).written``
    """
    return write_feedback(course, form, assessments, default_language=checked_language(lang), release=release)


def status(form: str, course: PathLike = COURSE) -> courses.FormStatus:
    """Who has submitted a form, who is missing, and what waits for a hand grade.

    Example: ``api.status("pre", "course").missing``
    """
    return courses.form_status(course, form)


def export(out: PathLike, course: PathLike = COURSE) -> int:
    """Write the course's tidy scores (contract 3) as CSV; returns the number of rows.

    Example: ``api.export("scores.csv", "course")``
    """
    return gradebook.export_scores(course, out)


def backup(out: PathLike = Path("backups"), course: PathLike = COURSE) -> backups.BackupResult:
    """Write the whole course (gradebook, submissions, grades, feedback, imports) to one timestamped zip
    in `out`; nothing is left on failure. A PostgreSQL gradebook is named, with the pg_dump command to save it.

    Example: ``api.backup("backups", "course").archive``
    """
    return backups.backup_course(course, out)


def import_answers(scores_csv: PathLike, course: PathLike = COURSE, assessments: PathLike = ASSESSMENTS,
                   form: str | None = None, replace: bool = False) -> imports.ImportResult:
    """Bring paper or offline-tablet answers into the gradebook (``wpskit import``); a broken cell imports
    nothing. `form` names the form of a file without a 'form' column; `replace` overwrites online answers.

    Example: ``api.import_answers("kobo-export.csv", "course", form="pre").summary()``
    """
    return imports.import_scores(course, scores_csv, assessments, form=form, replace=replace)


def paper(form: str, out: PathLike = Path("paper"), lang: str = "vi", xlsform: bool = False,
          assessments: PathLike = ASSESSMENTS) -> list[Path]:
    """Write a printable form (HTML) and its CSV answer sheet, or with `xlsform` the form for
    KoboToolbox / ODK Central tablets; returns the paths written.

    Example: ``api.paper("pre", "paper", lang="vi")``
    """
    return paper_forms.write_paper_form(form, out, checked_language(lang), assessments, xlsform=xlsform)


def plans_gather(out: PathLike, course: PathLike | None = None, folders: Sequence[PathLike] = (),
                 roster: PathLike | None = None, form: str | None = None, plan: str | None = None,
                 lang: str = "en") -> plans.GatheredPlans:
    """Gather every participant's action plan into one workbook, a sheet per stakeholder group.

    Example: ``api.plans_gather("plans.xlsx", course="course", form="day3-04-action-plan")``
    """
    return plans.gather_plans(out, course=course, folders=list(folders), roster=roster, form=form, plan=plan,
                              language=checked_language(lang))


def hub_start(settings: PathLike = DEFAULT_SETTINGS) -> int:
    """Set up what the room lacks and run its JupyterHub until Ctrl-C (needs root); returns its exit status.

    Example: ``api.hub_start("hub/settings.yaml")``
    """
    return room.start(settings)


def hub_start_servers(settings: PathLike = DEFAULT_SETTINGS, parallel: int = 4) -> room.StartedServers:
    """Start every participant's server before the session, `parallel` at a time (root, hub running).

    Example: ``api.hub_start_servers("hub/settings.yaml").failed``
    """
    return room.start_servers(load_settings(settings), parallel=parallel)


def hub_users(roster_csv: PathLike | None = None, facilitators: Sequence[str] = (), remove: bool = False,
              settings: PathLike = DEFAULT_SETTINGS) -> accounts.UsersResult | list[str]:
    """Create a login and a Unix user for every new participant and facilitator and write the login
    sheet (needs root); with `remove`, take every login of the room away and return who was removed.

    Example: ``api.hub_users("roster.csv", facilitators=["lan"]).sheet``
    """
    room_settings = load_settings(settings)
    if remove:
        return accounts.remove_users(room_settings)
    if roster_csv is None:
        raise InputDataError(label("error.api_hub_users_no_roster"))
    address = room.board_addresses(room_settings)[0]
    return accounts.add_users(room_settings, roster_csv, list(facilitators),
                              hub_url=f"http://{address}:{room_settings.port}/")


def _path(value: PathLike | None) -> Path | None:
    return None if value is None else Path(value)
