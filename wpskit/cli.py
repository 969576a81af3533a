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
from wpskit.language import Language, checked_language, current_language, language_from_locale, use_language
from wpskit.layout import DEFAULT_ASSESSMENTS, DEFAULT_COURSE, safe_url
from wpskit.words import counted, label

# jsonschema (under nbformat and nbgrader) imports rfc3987_syntax when installed, which builds ~35 Earley
# parsers at import: a second or two of every command's start (several under load), for the "iri" format
# that no notebook or nbgrader schema uses (python-jsonschema/jsonschema#1428). Marked absent, it is
# skipped and jsonschema leaves that one format unchecked.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

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


def output_language(ctx: typer.Context, value: str | None) -> Language:
    """The language the command speaks: --lang, else the locale's (``LANG``/``LC_ALL`` starting ``vi``), checked where
    the options are parsed (exit status 2 and usage, as for any bad option). Everything the command prints, its errors
    included, is in it; the language before is back when the command ends (a notebook or a test calling the app)."""
    try:
        language = language_from_locale() if value is None else checked_language(value)
    except InputDataError:
        raise typer.BadParameter(label("cli.use_en_or_vi")) from None
    before = current_language()
    ctx.call_on_close(lambda: use_language(before))
    global error_language
    error_language = use_language(language)
    return language


def lab_language(ctx: typer.Context, value: str | None) -> str | None:
    """`wpskit lab --lang` also switches JupyterLab's menus, and only when given: None leaves them as they are."""
    output_language(ctx, value)
    return value


LanguageOption = typer.Option(None, "--lang", callback=output_language, show_default="from LANG / LC_ALL",
                              help="Language of what the command prints and writes: en or vi.")
error_language: Language = "en"  # the language of the last command, for the red line main() prints after it ended


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
        error_console.print(f"[bold red]{label('cli.error', error_language)}[/] {error}", highlight=False, soft_wrap=True)
        sys.exit(1)


@course_app.command("init")
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


@roster_app.command("import")
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


@app.command()
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


@course_app.command("build")
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


@app.command()
def report(
    out: Path = typer.Option(..., "--out", help="Folder for report.html, report.xlsx, report.json and charts/."),
    course_dir: Path | None = typer.Option(None, "--course", help="Read scores and roster from this nbgrader course."),
    scores_csv: Path | None = typer.Option(None, "--scores", help="Tidy scores CSV (participant_id, form, item_id, "
                                           "score, max_score, response)."),
    roster_csv: Path | None = typer.Option(None, "--roster", help="Roster CSV (participant_id, gender, stakeholder_group, ...)."),
    as_json: bool = typer.Option(False, "--json", help="Also print report.json on stdout."),
    lang: str = LanguageOption,
) -> None:
    """Learning-gain report for trainers and donors: HTML (opens offline), XLSX, JSON and charts.

    Example: `wpskit report --scores scores.csv --roster roster.csv --out out/report --lang vi`
    """
    result = api().report(out, course=course_dir, scores=scores_csv, roster=roster_csv, lang=lang)
    for warning in result.warnings:
        error_console.print(f"[yellow]{label('cli.warning')}[/] {warning}", highlight=False, soft_wrap=True)
    if as_json:
        print(api().report_json(result))
    else:
        cohort = result.data["cohort"]
        console.print(label("cli.report_written", file=f"{out}/report.html", paired=cohort["n_paired"],
                            pre=cohort["n_pre"], post=cohort["n_post"]))


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
        raise WpskitError(label("cli.bench_needs_source", script=script))
    raise typer.Exit(runpy.run_path(str(script))["main"](["--participants", str(participants), "--items", str(items)]))


FormArgument = typer.Argument(..., help="The form: pre, post, or another form in assessments/forms/.")


@app.command()
def release(form: str = FormArgument, course_dir: Path = CourseOption, lang: str = LanguageOption) -> None:
    """Release a form to participants through nbgrader's exchange.

    Example: `wpskit release pre --dir course`
    """
    folder = api().release(form, course_dir)
    console.print(label("cli.released", form=form, folder=folder))


@app.command()
def collect(form: str = FormArgument, course_dir: Path = CourseOption, lang: str = LanguageOption) -> None:
    """Collect the submissions of a form from the exchange.

    Example: `wpskit collect pre --dir course`
    """
    submitted = api().collect(form, course_dir)
    console.print(counted("cli.collected", len(submitted), form=form))


@app.command()
def autograde(
    form: str = FormArgument,
    course_dir: Path = CourseOption,
    workers: int | None = typer.Option(None, "--workers", min=1, help="Submissions graded at once "
                                       "(default: the number of cores)."),
    regrade: bool = typer.Option(False, "--all", help="Grade again submissions already graded and unchanged since."),
    lang: str = LanguageOption,
) -> None:
    """Score every submission of a form from its responses file, with nbgrader, several at once;
    written answers wait for formgrader. Run it again after new submissions or an interruption.

    Example: `wpskit autograde pre --dir course --workers 2`
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    total = len(api().submitted(form, course_dir))
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn(label("cli.progress", done="{task.fields[done]}", failed="{task.fields[failed]}",
                                left="{task.fields[left]}")), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task(label("cli.autograding", form=form), total=total, done=0, failed=0, left=total)

        def advance(outcome) -> None:
            state = progress.tasks[task].fields
            failed = state["failed"] + (outcome.status == "failed")
            done = state["done"] + (outcome.status != "failed")
            progress.update(task, advance=1, done=done, failed=failed, left=total - done - failed)
            if outcome.status == "failed":
                progress.console.print(f"[red]{outcome.participant_id}[/]: {outcome.reason}", highlight=False,
                                       soft_wrap=True)

        result = api().autograde(form, course_dir, workers=workers, regrade=regrade, on_progress=advance)
    unchanged = " " + label("cli.autograded_unchanged", count=len(result.unchanged)) if result.unchanged else ""
    unreadable = api().unreadable(form, course_dir)
    apart = label("cli.autograded_apart", count=len(unreadable)) if unreadable else ""
    console.print(counted("cli.autograded", total, form=form, unchanged=unchanged, apart=apart,
                          counted=len(result.graded) + len(result.unchanged) - len(unreadable)),
                  highlight=False, soft_wrap=True)
    print_unreadable(unreadable)
    if result.failed:
        error_console.print(label("cli.not_graded", whom=", ".join(sorted(result.failed))), highlight=False,
                            soft_wrap=True)
        raise typer.Exit(1)


@app.command()
def regrade(
    form: str = FormArgument,
    course_dir: Path = CourseOption,
    assessments: Path = AssessmentsOption,
    workers: int | None = typer.Option(None, "--workers", min=1, help="Submissions graded at once "
                                       "(default: the number of cores)."),
    lang: str = LanguageOption,
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
    console.print(label("cli.feedback_again", form=form), highlight=False, soft_wrap=True)


@app.command()
def feedback(
    form: str = FormArgument,
    course_dir: Path = CourseOption,
    assessments: Path = AssessmentsOption,
    release_pages: bool = typer.Option(False, "--release", help="Also release the pages through nbgrader."),
    lang: str = typer.Option(None, "--lang", callback=output_language, show_default="from LANG / LC_ALL",
                             help="Language of what the command prints, and of a page whose participant's language is "
                             "unknown (answers file missing or damaged): en or vi."),
) -> None:
    """Write a feedback page per participant, in their language; keys wait until the post-test is collected.

    Example: `wpskit feedback post --dir course --release`
    """
    result = api().feedback(form, course_dir, assessments, release=release_pages, lang=lang)
    console.print(label("cli.feedback_written", count=len(result.written), form=form,
                        pattern=f"{Path(course_dir) / 'feedback'}/<participant>/{form}/{form}.html"))
    if result.released:
        console.print(label("cli.feedback_released", count=len(result.deliverable)))
    elif release_pages:
        console.print(label("cli.feedback_nothing_released"))
    if result.print_only:
        console.print(label("cli.feedback_print_only", whom=", ".join(result.print_only)))
    if result.keys_held_back_for:
        console.print(label("cli.feedback_keys_held_back", forms=", ".join(result.keys_held_back_for)))


@app.command()
def status(form: str = FormArgument, course_dir: Path = CourseOption, lang: str = LanguageOption) -> None:
    """Who has submitted a form, who is missing, and what waits for a hand grade.

    Example: `wpskit status pre --dir course`
    """
    state = api().status(form, course_dir)
    console.print(label("cli.status", form=form, submitted=len(state.submitted), autograded=len(state.autograded),
                        missing=len(state.missing)))
    if state.not_collected:
        console.print(label("cli.status_not_collected", form=form, whom=", ".join(state.not_collected)))
    if state.missing:
        console.print(label("cli.status_missing", whom=", ".join(state.missing)))
    if state.not_on_roster:
        console.print(label("cli.status_not_on_roster", whom=", ".join(state.not_on_roster)))
    print_unreadable(state.unreadable)
    if state.waiting_for_hand_grade:
        console.print(label("cli.status_waiting", whom=", ".join(
            f"{pid} ({count})" for pid, count in sorted(state.waiting_for_hand_grade.items()))))


def print_unreadable(unreadable: dict[str, str]) -> None:
    """Who has a damaged or a missing answers file (``damaged``/``missing``), a line for each problem."""
    for problem in ("damaged", "missing"):
        whom = sorted(pid for pid, found in unreadable.items() if found == problem)
        if whom:
            console.print(label(f"cli.answers_{problem}", whom=", ".join(whom)), highlight=False, soft_wrap=True)


@app.command("export")
def export_command(out: Path = typer.Argument(..., help="The CSV to write."), course_dir: Path = CourseOption,
                   lang: str = LanguageOption) -> None:
    """Write every score and answer of the course as tidy CSV (participant_id, form, item_id, score, max_score, response).

    Example: `wpskit export scores.csv --dir course`
    """
    rows = api().export(out, course_dir)
    console.print(label("cli.exported", rows=rows, file=out))


@app.command()
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
        error_console.print(f"[yellow]{label('cli.warning')}[/] {result.gradebook_elsewhere}", highlight=False, soft_wrap=True)


@app.command("import")
def import_command(
    scores_csv: Path = typer.Argument(..., help="A paper answer sheet, a KoboToolbox or ODK Central export "
                                                "(CSV, ',' or ';'), or tidy scores."),
    course_dir: Path = CourseOption,
    assessments: Path = AssessmentsOption,
    form: str = typer.Option(None, "--form", help="The form, when the file has no 'form' column, e.g. pre."),
    replace: bool = typer.Option(False, "--replace", help="Replace answers a participant also gave online."),
    lang: str = LanguageOption,
) -> None:
    """Bring paper-form or offline-tablet answers into the gradebook; a broken cell imports nothing.

    Example: `wpskit import kobo-export.csv --dir course` (or `paper/pre.answers.csv`)
    """
    result = api().import_answers(scores_csv, course_dir, assessments, form=form, replace=replace)
    for warning in result.warnings:
        error_console.print(f"[yellow]{label('cli.warning')}[/] {warning}", highlight=False, soft_wrap=True)
    console.print(result.summary(), highlight=False, soft_wrap=True)


@app.command()
def paper(
    form: str = FormArgument,
    out: Path = typer.Option(Path("paper"), "--out", help="Folder for the printable form and the answer sheet."),
    lang: str = typer.Option(None, "--lang", callback=output_language, show_default="from LANG / LC_ALL",
                             help="Language of the printed form, and of what the command prints: vi or en."),
    xlsform: bool = typer.Option(False, "--xlsform", help="Write the form as an XLSForm for KoboToolbox / "
                                                          "ODK Central tablets instead."),
    assessments: Path = AssessmentsOption,
) -> None:
    """A printable form (HTML: print it from a browser) and a CSV answer sheet for days without network.

    Example: `wpskit paper pre --lang vi --out paper`; for tablets: `wpskit paper pre --xlsform`
    """
    for path in api().paper(form, out, lang, xlsform=xlsform, assessments=assessments):
        console.print(label("cli.wrote", file=path))


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
    lang: str = typer.Option(None, "--lang", callback=output_language, show_default="from LANG / LC_ALL",
                             help="Language of column titles and NAP areas, and of what the command prints: en or vi."),
) -> None:
    """Gather every participant's action plan into one workbook, one sheet per stakeholder group (with names).

    Example: `wpskit plans gather --course course --out plans.xlsx --form day3-04-action-plan`
    """
    result = api().plans_gather(out, course=course_dir, folders=folders, roster=roster_csv, form=form, plan=plan,
                                lang=lang)
    for problem in result.problems:
        error_console.print(f"[yellow]{label('cli.warning')}[/] {problem}", highlight=False, soft_wrap=True)
    console.print(result.summary(), highlight=False, soft_wrap=True)


HubSettingsOption = typer.Option(Path("hub/settings.yaml"), "--settings", help="The room's settings file.")


@hub_app.command("start")
def hub_start(settings_file: Path = HubSettingsOption, lang: str = LanguageOption) -> None:
    """Set up what is missing (course, exchange, configuration) and run the room's JupyterHub until Ctrl-C.

    Prints the address to write on the board. Needs root (one server per participant, as their own user).

    Example: `wpskit hub start --settings hub/settings.yaml` (as root: `sudo .venv/bin/wpskit hub start`)
    """
    raise typer.Exit(api().hub_start(settings_file))


@hub_app.command("start-servers")
def hub_start_servers(
    parallel: int = typer.Option(4, "--parallel", min=1, help="Servers starting at the same time."),
    settings_file: Path = HubSettingsOption,
    lang: str = LanguageOption,
) -> None:
    """Start every participant's server before the session, so that the room's logins find their pages ready.

    Run it as root in a second terminal once `make hub` is up (a few minutes for 40 participants).

    Example: `sudo .venv/bin/wpskit hub start-servers --parallel 4`
    """
    result = api().hub_start_servers(settings_file, parallel=parallel)
    for login, why in sorted(result.failed.items()):
        error_console.print(f"[red]{login}:[/] {why}", highlight=False, soft_wrap=True)
    console.print(label("cli.servers_started", ready=len(result.ready), seconds=round(result.seconds),
                        failed=len(result.failed)), highlight=False)
    if result.failed:
        raise typer.Exit(1)


@hub_app.command("users")
def hub_users(
    roster_csv: Path = typer.Argument(None, help="The roster (UTF-8 CSV with participant_id, name, ...)."),
    facilitators: list[str] = typer.Option([], "--facilitator", help="A facilitator's login; repeat for several."),
    remove: bool = typer.Option(False, "--remove", help="Take every login of the room away again "
                                "(Unix users and homes); the course and its grades stay."),
    settings_file: Path = HubSettingsOption,
    lang: str = LanguageOption,
) -> None:
    """Create a login and a Unix user for every new participant and facilitator, and the login sheet.

    Running it again adds only new people and never changes a password.

    Example: `wpskit hub users roster.csv --facilitator lan --facilitator minh` (as root, with sudo)
    """
    if roster_csv is None and not remove:
        raise typer.BadParameter(label("cli.give_roster"), param_hint="ROSTER_CSV")
    result = api().hub_users(roster_csv, facilitators, remove=remove, settings=settings_file)
    if isinstance(result, list):
        console.print(label("cli.logins_removed", count=len(result)), highlight=False)
        return
    console.print(label("cli.logins_added", added=len(result.added), kept=len(result.kept), sheet=result.sheet),
                  highlight=False, soft_wrap=True)


if __name__ == "__main__":  # python -m wpskit.cli, e.g. with a Python whose scripts are not on PATH
    main()
