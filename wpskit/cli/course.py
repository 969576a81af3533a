"""The commands that set up and keep the course: ``course init/build``, ``roster import``, ``lab``, ``export``, ``backup``."""

from __future__ import annotations

from pathlib import Path

import typer

from wpskit.cli.common import AssessmentsOption, CourseOption, LanguageOption, api, console, lab_language, print_warnings
from wpskit.layout import safe_url
from wpskit.words import label


def course_init(
    course_dir: Path = CourseOption,
    db_url: str | None = typer.Option(None, "--db-url", help="Keep the gradebook in this shared database "
                                      "(e.g. postgresql://wpskit@db-host/wps_vn) instead of gradebook.db."),
    lang: str = LanguageOption,
) -> None:
    """Create an nbgrader course directory ready for formgrader; existing files are kept.

    Example: `wpskit course init --dir course --db-url postgresql://wpskit@db-host/wps_vn`
    """
    course = api().course_init(course_dir, db_url=db_url)
    console.print(label("cli.course_ready", folder=course.root, gradebook=safe_url(course.gradebook_url)))


def roster_import(
    roster_csv: Path = typer.Argument(..., help="UTF-8 CSV with participant_id and optional name, gender, "
                                      "stakeholder_group, organisation, province, email."),
    course_dir: Path = CourseOption,
    dry_run: bool = typer.Option(False, "--dry-run", help="Check the file and say what would change; write nothing."),
    lang: str = LanguageOption,
) -> None:
    """Add or update participants in the course; a bad row stops the import before anything is written.

    Example: `wpskit roster import roster.csv --dir course --dry-run`
    """
    changes = api().roster_import(roster_csv, course_dir, dry_run=dry_run)
    console.print(label("cli.roster_dry_run" if dry_run else "cli.roster_imported", summary=changes.summary()))


def lab(
    course_dir: Path = CourseOption,
    port: int = typer.Option(8888, help="Port to serve on (127.0.0.1 only)."),
    open_browser: bool = typer.Option(False, "--open/--no-open", help="Open a browser tab."),
    lab_language: str | None = typer.Option(None, "--lang", callback=lab_language, help="Switch JupyterLab's menus to vi (Vietnamese) "
                                            "or en for this environment; kept for the next start."),
) -> None:
    """Start JupyterLab on the modules (formgrader on the course) and the same modules as pages
    with no code for participants (Voilà, /voila/render/...); prints both URLs.

    Example: `wpskit lab --dir course --port 8888 --lang vi`
    """
    api().lab(course_dir, port=port, open_browser=open_browser, lang=lab_language)


def course_build(
    course_dir: Path = CourseOption,
    assessments: Path = AssessmentsOption,
    lang: str = LanguageOption,
) -> None:
    """Create the course if needed and generate each form from the item bank; grades are kept.

    Example: `wpskit course build --dir course --assessments assessments`
    """
    result = api().course_build(course_dir, assessments)
    console.print(label("cli.course_built", folder=result.course.root,
                        generated=", ".join(result.regenerated) or label("cli.nothing"),
                        unchanged=", ".join(result.unchanged) or label("cli.nothing")))


def export(out: Path = typer.Argument(..., help="The CSV to write."), course_dir: Path = CourseOption,
           lang: str = LanguageOption) -> None:
    """Write every score and answer of the course as tidy CSV (participant_id, form, item_id, score, max_score, response).

    Example: `wpskit export scores.csv --dir course`
    """
    rows = api().export(out, course_dir)
    console.print(label("cli.exported", rows=rows, file=out))


def backup(
    out: Path = typer.Option(Path("backups"), "--out", help="Folder for the archive (outside the course)."),
    course_dir: Path = CourseOption,
    lang: str = LanguageOption,
) -> None:
    """Save the whole course in one timestamped zip: gradebook, submissions, grades, feedback, imported answers.
    Run it at the end of each day; unzip the archive to get the course back.

    Example: `wpskit backup --dir course --out backups`
    """
    result = api().backup(out, course_dir)
    console.print(result.summary(), highlight=False, soft_wrap=True)
    if result.gradebook_elsewhere:
        print_warnings([result.gradebook_elsewhere])
