"""The `wpskit` command: a thin layer over the library API (``wpskit.api``).

Each command parses its arguments, calls the API function of the same name and prints
what it did. A ``WpskitError`` becomes one red line and exit status 1; anything else is a bug
and keeps its traceback. The commands live by group in this package's modules (``course``,
``forms``, ``paper``, ``report``, ``plans``, ``hub``; what they share in ``common``); the whole
tree of commands is registered below, in the order ``wpskit --help`` lists them.
"""

from __future__ import annotations

import getpass
import logging
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from wpskit.jupyter_start import leave_out_iri_parser

# jsonschema (under nbformat and nbgrader) would build ~35 Earley parsers for its "iri" format at import:
# a second or two of every command's start (wpskit/jupyter_start.py says why, for the servers too).
leave_out_iri_parser()

import typer  # noqa: E402  (after the line above, which must run before anything imports jsonschema)

from wpskit.cli import common, course, forms, hub, paper, plans, report  # noqa: E402
from wpskit.errors import WpskitError  # noqa: E402
from wpskit.words import label  # noqa: E402

app = typer.Typer(
    help="Notebooks, pre/post assessments and learning-gain reports for the WPS workshop.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="markdown",
)
course_app = typer.Typer(help="Create and build the nbgrader course.", no_args_is_help=True)
roster_app = typer.Typer(help="Import the participants into the course.", no_args_is_help=True)
plans_app = typer.Typer(help="Participants' action plans (Day 3).", no_args_is_help=True)
hub_app = typer.Typer(help="The workshop room: JupyterHub for participants and facilitators.", no_args_is_help=True)

top_level: list[tuple[str, Callable[..., None]]] = [
    ("lab", course.lab), ("report", report.report), ("bench", report.bench),
    ("release", forms.release), ("collect", forms.collect), ("autograde", forms.autograde),
    ("regrade", forms.regrade), ("feedback", forms.feedback), ("status", forms.status),
    ("export", course.export), ("backup", course.backup), ("import", paper.import_answers),
    ("paper", paper.paper)]
for name, command in top_level:
    app.command(name)(command)
course_app.command("init")(course.course_init)
course_app.command("build")(course.course_build)
roster_app.command("import")(course.roster_import)
plans_app.command("gather")(plans.plans_gather)
hub_app.command("start")(hub.hub_start)
hub_app.command("start-servers")(hub.hub_start_servers)
hub_app.command("users")(hub.hub_users)
app.add_typer(course_app, name="course")
app.add_typer(hub_app, name="hub")
app.add_typer(roster_app, name="roster")
app.add_typer(plans_app, name="plans")


# One per user: on the workshop hub facilitators share /tmp, and a log file another user made first
# cannot be opened for writing (autograde in a facilitator's terminal failed on it).
LOG_FILE = Path(tempfile.gettempdir()) / f"wpskit-{getpass.getuser()}.log"


@app.callback()
def options(verbose: bool = typer.Option(
        False, "--verbose", help=f"Show the libraries' warnings and log messages here; otherwise they go to {LOG_FILE} "
        "(or the file named by WPSKIT_LOG).")) -> None:
    """Notebooks, pre/post assessments and learning-gain reports for the WPS workshop."""
    route_library_messages(verbose)


def route_library_messages(verbose: bool) -> None:
    """Library warnings (nbgrader's SQLAlchemy ones) and log records go to the log file, or to stderr with --verbose:
    a facilitator sees wpskit's own lines only."""
    logging.captureWarnings(True)
    if verbose:
        handler: logging.Handler = logging.StreamHandler(sys.stderr)
    else:
        handler = logging.FileHandler(os.environ.get("WPSKIT_LOG") or LOG_FILE, encoding="utf-8", delay=True)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "wpskit", False)]:
        root.removeHandler(old)
    handler.wpskit = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(logging.INFO if verbose else logging.WARNING)


def main() -> None:
    """Entry point of the console script: run the app, turn our errors into one red line."""
    try:
        app()
    except WpskitError as error:
        common.error_console.print(f"[bold red]{label('cli.error', common.error_language)}[/] {error}",
                                   highlight=False, soft_wrap=True)
        sys.exit(1)
