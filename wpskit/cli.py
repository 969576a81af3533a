"""The `wpskit` command: a thin layer over the library API (``wpskit.api``).

Each command parses its arguments, calls the API function of the same name and prints
what it did. A ``WpskitError`` becomes one red line and exit status 1; anything else is a bug
and keeps its traceback.
"""

from __future__ import annotations

import getpass
import importlib
import logging
import os
import runpy
import sys
import tempfile
from pathlib import Path
from types import ModuleType

import typer
from rich.console import Console

from wpskit.errors import InputDataError, WpskitError
from wpskit.language import checked_language
from wpskit.layout import DEFAULT_ASSESSMENTS, DEFAULT_COURSE, safe_url

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
app.add_typer(course_app, name="course")
app.add_typer(hub_app, name="hub")
app.add_typer(roster_app, name="roster")
app.add_typer(plans_app, name="plans")


def api() -> ModuleType:
    """``wpskit.api``, loaded by the command that needs it: it brings nbgrader, pandas and
    matplotlib (seconds), and ``wpskit --help`` should answer at once."""
    return importlib.import_module("wpskit.api")


AssessmentsOption = typer.Option(DEFAULT_ASSESSMENTS, help="The item bank and forms.")


def parsed_language(value: str | None) -> str | None:
    """--lang as typed, checked where the options are parsed (exit status 2 and usage, as for any bad option)."""
    try:
        return None if value is None else checked_language(value)
    except InputDataError:
        raise typer.BadParameter("use en or vi") from None


console = Console()
error_console = Console(stderr=True)

CourseOption = typer.Option(DEFAULT_COURSE, "--dir", "--course", help="The nbgrader course directory.")


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
        error_console.print(f"[bold red]error:[/] {error}", highlight=False, soft_wrap=True)
        sys.exit(1)


@course_app.command("init")
def course_init(
    course_dir: Path = CourseOption,
    db_url: str | None = typer.Option(None, "--db-url", help="Keep the gradebook in this shared database "
                                      "(e.g. postgresql://wpskit@db-host/wps_vn) instead of gradebook.db."),
) -> None:
    """Create an nbgrader course directory ready for formgrader; existing files are kept.

    Example: `wpskit course init --dir course --db-url postgresql://wpskit@db-host/wps_vn`
    """
    course = api().course_init(course_dir, db_url=db_url)
    console.print(f"Course ready in {course.root}; gradebook {safe_url(course.gradebook_url)}")


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
    changes = api().roster_import(roster_csv, course_dir, dry_run=dry_run)
    prefix = "Would change (dry run): " if dry_run else "Roster imported: "
    console.print(prefix + changes.summary())


@app.command()
def lab(
    course_dir: Path = CourseOption,
    port: int = typer.Option(8888, help="Port to serve on (127.0.0.1 only)."),
    open_browser: bool = typer.Option(False, "--open/--no-open", help="Open a browser tab."),
    lab_language: str | None = typer.Option(None, "--lang", callback=parsed_language, help="Switch JupyterLab's menus to vi (Vietnamese) "
                                            "or en for this environment; kept for the next start."),
) -> None:
    """Start JupyterLab on the modules (formgrader on the course) and the same modules as pages
    with no code for participants (Voilà, /voila/render/...); prints both URLs.

    Example: `wpskit lab --dir course --port 8888 --lang vi`
    """
    api().lab(course_dir, port=port, open_browser=open_browser, lang=lab_language)


@course_app.command("build")
def course_build(
    course_dir: Path = CourseOption,
    assessments: Path = AssessmentsOption,
) -> None:
    """Create the course if needed and generate each form from the item bank; grades are kept.

    Example: `wpskit course build --dir course --assessments assessments`
    """
    result = api().course_build(course_dir, assessments)
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
    lang: str = typer.Option("en", "--lang", callback=parsed_language, help="Language of labels and text: en or vi."),
) -> None:
    """Learning-gain report for trainers and donors: HTML (opens offline), XLSX, JSON and charts.

    Example: `wpskit report --scores scores.csv --roster roster.csv --out out/report --lang vi`
    """
    result = api().report(out, course=course_dir, scores=scores_csv, roster=roster_csv, lang=lang)
    for warning in result.warnings:
        error_console.print(f"[yellow]warning:[/] {warning}", highlight=False, soft_wrap=True)
    if as_json:
        print(api().report_json(result))
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
    script = Path(__file__).resolve().parents[1] / "bench" / "bench_report.py"
    if not script.is_file():
        raise WpskitError(f"{script}: not found; the benchmark runs from a source checkout of wpskit")
    raise typer.Exit(runpy.run_path(str(script))["main"](["--participants", str(participants), "--items", str(items)]))


FormArgument = typer.Argument(..., help="The form: pre, post, or another form in assessments/forms/.")


@app.command()
def release(form: str = FormArgument, course_dir: Path = CourseOption) -> None:
    """Release a form to participants through nbgrader's exchange.

    Example: `wpskit release pre --dir course`
    """
    folder = api().release(form, course_dir)
    console.print(f"Released '{form}' from {folder}; participants fetch it in the Assignments tab.")


@app.command()
def collect(form: str = FormArgument, course_dir: Path = CourseOption) -> None:
    """Collect the submissions of a form from the exchange.

    Example: `wpskit collect pre --dir course`
    """
    submitted = api().collect(form, course_dir)
    console.print(f"Collected '{form}': {len(submitted)} {'submission' if len(submitted) == 1 else 'submissions'}.")


@app.command()
def autograde(
    form: str = FormArgument,
    course_dir: Path = CourseOption,
    workers: int | None = typer.Option(None, "--workers", min=1, help="Submissions graded at once "
                                       "(default: the number of cores)."),
    regrade: bool = typer.Option(False, "--all", help="Grade again submissions already graded and unchanged since."),
) -> None:
    """Score every submission of a form from its responses file, with nbgrader, several at once;
    written answers wait for formgrader. Run it again after new submissions or an interruption.

    Example: `wpskit autograde pre --dir course --workers 2`
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    total = len(api().submitted(form, course_dir))
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("[green]{task.fields[done]} done[/] [red]{task.fields[failed]} failed[/] "
                          "{task.fields[left]} left"), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task(f"Autograding '{form}'", total=total, done=0, failed=0, left=total)

        def advance(outcome) -> None:
            state = progress.tasks[task].fields
            failed = state["failed"] + (outcome.status == "failed")
            done = state["done"] + (outcome.status != "failed")
            progress.update(task, advance=1, done=done, failed=failed, left=total - done - failed)
            if outcome.status == "failed":
                progress.console.print(f"[red]{outcome.participant_id}[/]: {outcome.reason}", highlight=False,
                                       soft_wrap=True)

        result = api().autograde(form, course_dir, workers=workers, regrade=regrade, on_progress=advance)
    unchanged = f" ({len(result.unchanged)} unchanged since they were graded)" if result.unchanged else ""
    unreadable = api().unreadable(form, course_dir)
    counted = len(result.graded) + len(result.unchanged) - len(unreadable)
    apart = f", {len(unreadable)} without readable answers (below)" if unreadable else ""
    console.print(f"Autograded '{form}': {counted} of {total} {'submission' if total == 1 else 'submissions'}"
                  f"{unchanged}{apart}.", highlight=False, soft_wrap=True)
    for problem, words in UNREADABLE_WORDS.items():
        whom = sorted(pid for pid, found in unreadable.items() if found == problem)
        if whom:
            console.print(f"{words} (scored 0, left out of the learning gain): " + ", ".join(whom), highlight=False,
                          soft_wrap=True)
    if result.failed:
        error_console.print(f"Not graded: {', '.join(sorted(result.failed))} (reasons above).", highlight=False,
                            soft_wrap=True)
        raise typer.Exit(1)


@app.command()
def regrade(
    form: str = FormArgument,
    course_dir: Path = CourseOption,
    assessments: Path = AssessmentsOption,
    workers: int | None = typer.Option(None, "--workers", min=1, help="Submissions graded at once "
                                       "(default: the number of cores)."),
) -> None:
    """A key was wrong and participants have submitted: fix the key in the item bank, then score every
    submission of the form again (online and paper) and see which scores changed. Hand grades are kept.

    Example: `wpskit regrade pre --dir course --assessments assessments`
    """
    result = api().regrade(form, course_dir, assessments, workers=workers)
    for line in result.lines():
        console.print(line, highlight=False, soft_wrap=True)
    if result.failed:
        for participant_id, reason in sorted(result.failed.items()):
            error_console.print(f"[red]{participant_id}[/]: {reason}", highlight=False, soft_wrap=True)
        raise typer.Exit(1)
    console.print(f"Feedback pages written before show the old key: run `wpskit feedback {form}` again.",
                  highlight=False, soft_wrap=True)


@app.command()
def feedback(
    form: str = FormArgument,
    course_dir: Path = CourseOption,
    assessments: Path = AssessmentsOption,
    release_pages: bool = typer.Option(False, "--release", help="Also release the pages through nbgrader."),
    lang: str = typer.Option("en", "--lang", callback=parsed_language, help="Language of a page whose participant's language is unknown "
                             "(answers file missing or damaged): en or vi."),
) -> None:
    """Write a feedback page per participant, in their language; keys wait until the post-test is collected.

    Example: `wpskit feedback post --dir course --release`
    """
    result = api().feedback(form, course_dir, assessments, release=release_pages, lang=lang)
    console.print(f"Wrote {len(result.written)} feedback pages for '{form}': "
                  f"{Path(course_dir) / 'feedback'}/<participant>/{form}/{form}.html (open or print them).")
    if result.released:
        console.print(f"Released {len(result.deliverable)} through nbgrader: participants fetch them in the "
                      "Assignments tab.")
    elif release_pages:
        console.print("Nothing released: no one submitted this form through the exchange.")
    if result.print_only:
        console.print(f"Answered on paper or a tablet, print their pages: {', '.join(result.print_only)}.")
    if result.keys_held_back_for:
        console.print(f"Right answers and explanations are held back until {', '.join(result.keys_held_back_for)} "
                      "is collected (the forms share questions).")


@app.command()
def status(form: str = FormArgument, course_dir: Path = CourseOption) -> None:
    """Who has submitted a form, who is missing, and what waits for a hand grade.

    Example: `wpskit status pre --dir course`
    """
    state = api().status(form, course_dir)
    console.print(f"'{form}': {len(state.submitted)} submitted, {len(state.autograded)} autograded, "
                  f"{len(state.missing)} missing.")
    if state.not_collected:
        console.print(f"Not collected yet (run `wpskit collect {form}`): " + ", ".join(state.not_collected))
    if state.missing:
        console.print("Missing: " + ", ".join(state.missing))
    if state.not_on_roster:
        console.print("Submitted but not on the roster: " + ", ".join(state.not_on_roster))
    for problem, words in UNREADABLE_WORDS.items():
        whom = sorted(pid for pid, found in state.unreadable.items() if found == problem)
        if whom:
            console.print(f"{words} (scored 0, left out of the learning gain): " + ", ".join(whom), highlight=False,
                          soft_wrap=True)
    if state.waiting_for_hand_grade:
        console.print("Waiting for a hand grade in formgrader: " + ", ".join(
            f"{pid} ({count})" for pid, count in sorted(state.waiting_for_hand_grade.items())))


UNREADABLE_WORDS = {"damaged": "Answers file damaged (set aside as .corrupt-…, or unreadable)",
                    "missing": "No answers file submitted"}


@app.command("export")
def export_command(out: Path = typer.Argument(..., help="The CSV to write."), course_dir: Path = CourseOption) -> None:
    """Write every score and answer of the course as tidy CSV (participant_id, form, item_id, score, max_score, response).

    Example: `wpskit export scores.csv --dir course`
    """
    rows = api().export(out, course_dir)
    console.print(f"Wrote {rows} rows to {out}.")


@app.command()
def backup(
    out: Path = typer.Option(Path("backups"), "--out", help="Folder for the archive (outside the course)."),
    course_dir: Path = CourseOption,
) -> None:
    """Save the whole course in one timestamped zip: gradebook, submissions, grades, feedback, imported answers.
    Run it at the end of each day; unzip the archive to get the course back.

    Example: `wpskit backup --dir course --out backups`
    """
    result = api().backup(out, course_dir)
    console.print(result.summary(), highlight=False, soft_wrap=True)
    if result.gradebook_elsewhere:
        error_console.print(f"[yellow]warning:[/] {result.gradebook_elsewhere}", highlight=False, soft_wrap=True)


@app.command("import")
def import_command(
    scores_csv: Path = typer.Argument(..., help="A paper answer sheet, a KoboToolbox or ODK Central export "
                                                "(CSV, ',' or ';'), or tidy scores."),
    course_dir: Path = CourseOption,
    assessments: Path = AssessmentsOption,
    form: str = typer.Option(None, "--form", help="The form, when the file has no 'form' column, e.g. pre."),
    replace: bool = typer.Option(False, "--replace", help="Replace answers a participant also gave online."),
) -> None:
    """Bring paper-form or offline-tablet answers into the gradebook; a broken cell imports nothing.

    Example: `wpskit import kobo-export.csv --dir course` (or `paper/pre.answers.csv`)
    """
    result = api().import_answers(scores_csv, course_dir, assessments, form=form, replace=replace)
    for warning in result.warnings:
        error_console.print(f"[yellow]warning:[/] {warning}", highlight=False, soft_wrap=True)
    console.print(result.summary(), highlight=False, soft_wrap=True)


@app.command()
def paper(
    form: str = FormArgument,
    out: Path = typer.Option(Path("paper"), "--out", help="Folder for the printable form and the answer sheet."),
    lang: str = typer.Option("vi", "--lang", callback=parsed_language, help="Language of the printed form: vi or en."),
    xlsform: bool = typer.Option(False, "--xlsform", help="Write the form as an XLSForm for KoboToolbox / "
                                                          "ODK Central tablets instead."),
    assessments: Path = AssessmentsOption,
) -> None:
    """A printable form (HTML: print it from a browser) and a CSV answer sheet for days without network.

    Example: `wpskit paper pre --lang vi --out paper`; for tablets: `wpskit paper pre --xlsform`
    """
    for path in api().paper(form, out, lang, xlsform=xlsform, assessments=assessments):
        console.print(f"Wrote {path}")


@plans_app.command("gather")
def plans_gather(
    out: Path = typer.Option(..., "--out", help="The workbook to write, e.g. plans.xlsx."),
    course_dir: Path | None = typer.Option(None, "--course", "--dir", help="Read the plans submitted to this nbgrader "
                                           "course (the Day 3 notebook released and collected as an assignment)."),
    folders: list[Path] = typer.Option([], "--from", help="A folder with one folder per participant "
                                       "(<DIR>/<participant id>/**/*.responses.json); repeat for several."),
    roster_csv: Path | None = typer.Option(None, "--roster", help="Roster CSV for names and stakeholder groups "
                                           "(default: the course's)."),
    form: str | None = typer.Option(None, "--form", help="Only this notebook's responses file, e.g. day3-04-action-plan."),
    plan: str | None = typer.Option(None, "--plan", help="Only the plan with this id, e.g. d3-04-my-plan."),
    lang: str = typer.Option("en", "--lang", callback=parsed_language, help="Language of column titles and NAP areas: en or vi."),
) -> None:
    """Gather every participant's action plan into one workbook, one sheet per stakeholder group (with names).

    Example: `wpskit plans gather --course course --out plans.xlsx --form day3-04-action-plan`
    """
    result = api().plans_gather(out, course=course_dir, folders=folders, roster=roster_csv, form=form, plan=plan,
                                lang=lang)
    for problem in result.problems:
        error_console.print(f"[yellow]warning:[/] {problem}", highlight=False, soft_wrap=True)
    console.print(result.summary(), highlight=False, soft_wrap=True)


HubSettingsOption = typer.Option(Path("hub/settings.yaml"), "--settings", help="The room's settings file.")


@hub_app.command("start")
def hub_start(settings_file: Path = HubSettingsOption) -> None:
    """Set up what is missing (course, exchange, configuration) and run the room's JupyterHub until Ctrl-C.

    Prints the address to write on the board. Needs root (one server per participant, as their own user).

    Example: `wpskit hub start --settings hub/settings.yaml` (as root: `sudo .venv/bin/wpskit hub start`)
    """
    raise typer.Exit(api().hub_start(settings_file))


@hub_app.command("users")
def hub_users(
    roster_csv: Path = typer.Argument(None, help="The roster (UTF-8 CSV with participant_id, name, ...)."),
    facilitators: list[str] = typer.Option([], "--facilitator", help="A facilitator's login; repeat for several."),
    remove: bool = typer.Option(False, "--remove", help="Take every login of the room away again "
                                "(Unix users and homes); the course and its grades stay."),
    settings_file: Path = HubSettingsOption,
) -> None:
    """Create a login and a Unix user for every new participant and facilitator, and the login sheet.

    Running it again adds only new people and never changes a password.

    Example: `wpskit hub users roster.csv --facilitator lan --facilitator minh` (as root, with sudo)
    """
    if roster_csv is None and not remove:
        raise typer.BadParameter("give the roster CSV (or --remove)", param_hint="ROSTER_CSV")
    result = api().hub_users(roster_csv, facilitators, remove=remove, settings=settings_file)
    if isinstance(result, list):
        console.print(f"Removed {len(result)} logins and their homes.", highlight=False)
        return
    console.print(f"{len(result.added)} added, {len(result.kept)} kept (their passwords unchanged). "
                  f"Print the login sheet: {result.sheet}", highlight=False, soft_wrap=True)


if __name__ == "__main__":  # python -m wpskit.cli, e.g. with a Python whose scripts are not on PATH
    main()
