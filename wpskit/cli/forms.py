"""The commands of a form's round: ``release``, ``collect``, ``autograde``, ``status``, ``regrade``, ``feedback``."""

from __future__ import annotations

from pathlib import Path

import typer

from wpskit.cli.common import (AssessmentsOption, CourseOption, FormArgument, LanguageOption, api, console,
                               error_console, output_language)
from wpskit.words import counted, label

WorkersOption = typer.Option(None, "--workers", min=1, help="Submissions graded at once (default: the number of cores).")


def release(form: str = FormArgument, course_dir: Path = CourseOption, lang: str = LanguageOption) -> None:
    """Release a form to participants through nbgrader's exchange.

    Example: `wpskit release pre --dir course`
    """
    folder = api().release(form, course_dir)
    console.print(label("cli.released", form=form, folder=folder))


def collect(form: str = FormArgument, course_dir: Path = CourseOption, lang: str = LanguageOption) -> None:
    """Collect the submissions of a form from the exchange.

    Example: `wpskit collect pre --dir course`
    """
    submitted = api().collect(form, course_dir)
    console.print(counted("cli.collected", len(submitted), form=form))


def autograde(
    form: str = FormArgument,
    course_dir: Path = CourseOption,
    workers: int | None = WorkersOption,
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


def regrade(
    form: str = FormArgument,
    course_dir: Path = CourseOption,
    assessments: Path = AssessmentsOption,
    workers: int | None = WorkersOption,
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
