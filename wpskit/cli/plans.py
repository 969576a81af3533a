"""``plans gather``: the participants' Day 3 action plans in one workbook."""

from __future__ import annotations

from pathlib import Path

import typer

from wpskit.cli.common import api, console, output_language, print_warnings


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
    print_warnings(result.problems)
    console.print(result.summary(), highlight=False, soft_wrap=True)
