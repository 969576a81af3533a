"""The commands for days without network: ``paper`` prints a form, ``import`` brings its answers back."""

from __future__ import annotations

from pathlib import Path

import typer

from wpskit.cli.common import (AssessmentsOption, CourseOption, FormArgument, LanguageOption, api, console,
                               output_language, print_warnings)
from wpskit.words import label


def import_answers(
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
    print_warnings(result.warnings)
    console.print(result.summary(), highlight=False, soft_wrap=True)


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
