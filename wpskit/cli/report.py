"""The learning-gain report: ``report`` writes it, ``bench`` times it on a simulated cohort."""

from __future__ import annotations

import runpy
from pathlib import Path

import typer

from wpskit.cli.common import LanguageOption, api, console, print_warnings
from wpskit.errors import WpskitError
from wpskit.words import label


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
    print_warnings(result.warnings)
    if as_json:
        print(api().report_json(result))
    else:
        cohort = result.data["cohort"]
        console.print(label("cli.report_written", file=f"{out}/report.html", paired=cohort["n_paired"],
                            pre=cohort["n_pre"], post=cohort["n_post"]))


def bench(
    participants: int = typer.Option(10_000, help="Simulated participants."),
    items: int = typer.Option(40, help="Items per form."),
) -> None:
    """Time `wpskit report` on a simulated cohort (pre and post) and print time and peak memory.

    Example: `wpskit bench --participants 10000 --items 40`
    """
    script = Path(__file__).resolve().parents[2] / "bench" / "bench_report.py"
    if not script.is_file():
        raise WpskitError(label("cli.bench_needs_source", script=script))
    raise typer.Exit(runpy.run_path(str(script))["main"](["--participants", str(participants), "--items", str(items)]))
