"""The `wpskit` command: a thin layer over the library.

Each command checks its arguments, calls one library function and prints what it
did. A ``WpskitError`` becomes one red line and exit status 1; anything else is a bug
and keeps its traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.console import Console

from wpskit.errors import WpskitError

app = typer.Typer(
    help="Notebooks, pre/post assessments and learning-gain reports for the WPS workshop.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="markdown",
)
course_app = typer.Typer(help="Create and build the nbgrader course.", no_args_is_help=True)
roster_app = typer.Typer(help="Import the participants into the course.", no_args_is_help=True)
app.add_typer(course_app, name="course")
app.add_typer(roster_app, name="roster")

console = Console()
error_console = Console(stderr=True)

CourseOption = typer.Option(Path("course"), "--dir", "--course", help="The nbgrader course directory.")


def main() -> None:
    """Entry point of the console script: run the app, turn our errors into one red line."""
    try:
        app()
    except WpskitError as error:
        error_console.print(f"[bold red]error:[/] {error}", highlight=False, soft_wrap=True)
        sys.exit(1)


@course_app.command("init")
def course_init(course_dir: Path = CourseOption) -> None:
    """Create an nbgrader course directory ready for formgrader; existing files are kept.

    Example: `wpskit course init --dir course`
    """
    from wpskit.course import init_course

    course = init_course(course_dir)
    console.print(f"Course ready in {course.root}")


@roster_app.command("import")
def roster_import(
    roster_csv: Path = typer.Argument(..., help="UTF-8 CSV with participant_id and optional name, gender, "
                                      "stakeholder_group, organisation, province, email."),
    course_dir: Path = CourseOption,
    dry_run: bool = typer.Option(False, "--dry-run", help="Check the file and say what would change; write nothing."),
) -> None:
    """Add or update participants in the course; a bad row stops the import before anything is written.

    Example: `wpskit roster import roster.csv --dir course --dry-run`
    """
    from wpskit.course import import_roster

    changes = import_roster(course_dir, roster_csv, dry_run=dry_run)
    prefix = "Would change (dry run): " if dry_run else "Roster imported: "
    console.print(prefix + changes.summary())
