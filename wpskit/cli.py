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
