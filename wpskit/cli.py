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


@app.command()
def lab(
    course_dir: Path = CourseOption,
    port: int = typer.Option(8888, help="Port to serve on (127.0.0.1 only)."),
    open_browser: bool = typer.Option(False, "--open/--no-open", help="Open a browser tab."),
) -> None:
    """Start JupyterLab on the modules, with nbgrader's formgrader on the course.

    Example: `wpskit lab --dir course --port 8888`
    """
    from wpskit.workshop import start_lab

    start_lab(course_dir, port=port, open_browser=open_browser)


@course_app.command("build")
def course_build(
    course_dir: Path = CourseOption,
    assessments: Path = typer.Option(Path("assessments"), help="The item bank and forms."),
) -> None:
    """Create the course if needed and generate each form from the item bank; grades are kept.

    Example: `wpskit course build --dir course --assessments assessments`
    """
    from wpskit.course import build_course

    result = build_course(course_dir, assessments)
    console.print(
        f"Course ready in {result.course.root}: generated {', '.join(result.regenerated) or 'nothing'}; "
        f"unchanged {', '.join(result.unchanged) or 'nothing'}"
    )


@app.command()
def report(
    out: Path = typer.Option(..., "--out", help="Folder for report.html, report.xlsx, report.json and charts/."),
    course_dir: Path | None = typer.Option(None, "--course", help="Read scores and roster from this nbgrader course."),
    scores_csv: Path | None = typer.Option(None, "--scores", help="Tidy scores CSV (participant_id, form, item_id, "
                                           "score, max_score, response)."),
    roster_csv: Path | None = typer.Option(None, "--roster", help="Roster CSV (participant_id, gender, stakeholder_group, ...)."),
    as_json: bool = typer.Option(False, "--json", help="Also print report.json on stdout."),
    lang: str = typer.Option("en", "--lang", help="Language of labels and text: en or vi."),
) -> None:
    """Learning-gain report for trainers and donors: HTML (opens offline), XLSX, JSON and charts.

    Example: `wpskit report --scores scores.csv --roster roster.csv --out out/report --lang vi`
    """
    from wpskit.report import report_json, write_report_from_files

    if lang not in ("en", "vi"):
        raise typer.BadParameter("use en or vi", param_hint="--lang")
    result = write_report_from_files(out, course=course_dir, scores=scores_csv, roster=roster_csv, lang=lang)
    if as_json:
        print(report_json(result))
    else:
        cohort = result.data["cohort"]
        console.print(f"Report in {out}/report.html: {cohort['n_paired']} paired of {cohort['n_pre']} pre-test, "
                      f"{cohort['n_post']} post-test participants")


@app.command()
def bench(
    participants: int = typer.Option(10_000, help="Simulated participants."),
    items: int = typer.Option(40, help="Items per form."),
) -> None:
    """Time `wpskit report` on a simulated cohort (pre and post) and print time and peak memory.

    Example: `wpskit bench --participants 10000 --items 40`
    """
    import runpy

    script = Path(__file__).resolve().parents[1] / "bench" / "bench_report.py"
    if not script.is_file():
        raise WpskitError(f"{script}: not found; the benchmark runs from a source checkout of wpskit")
    raise typer.Exit(runpy.run_path(str(script))["main"](["--participants", str(participants), "--items", str(items)]))
