"""What ``wpskit report`` does: read the scores, compute the figures, draw, write the four outputs."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from wpskit import charts, gradebook
from wpskit.errors import InputDataError
from wpskit.files import write_atomically
from wpskit.items import load_item_bank
from wpskit.layout import open_course, read_course_roster
from wpskit.report.figures import Report, build_report, guarded, report_json, weak_items
from wpskit.report.html import render_html
from wpskit.report.xlsx import write_xlsx
from wpskit.scores import read_roster, read_scores, roster_table
from wpskit.stats import notes
from wpskit.survey import SurveyAnswers, load_survey, read_survey_answers
from wpskit.words import label

def draw_charts(report: Report, lang: str = "en") -> dict[str, Figure]:
    """Every chart the data allows, by name; each comes with a plain-language reading in ``chart_readings``."""
    drawers: dict[str, Callable[[], Figure | None]] = {}
    if len(report.paired):
        drawers["paired"] = lambda: charts.paired_chart(report.paired, lang)
    drawers["distribution"] = lambda: charts.distribution_chart(report.percentages, lang)
    if len(report.groups) and report.groups["suppressed"].astype(bool).all():
        report.notes["charts.groups"] = notes.GROUPS_ALL_SUPPRESSED  # an empty chart would say nothing
    elif len(report.groups):
        drawers["groups"] = lambda: charts.group_chart(report.groups, lang)
    if len(report.objectives):
        drawers["objectives"] = lambda: charts.objective_chart(report.objectives, lang)
    if len(report.items):
        drawers["items"] = lambda: charts.item_chart(report.items, lang)
    form, weak = weak_items(report)
    if weak:
        drawers["distractors"] = lambda: charts.distractor_chart(report.options, weak, form, lang)
    survey = report.data.get("survey")
    if survey and survey["n"]:
        drawers["survey_ratings"] = lambda: charts.survey_rating_chart(survey["ratings"], lang)
        drawers["survey_confidence"] = lambda: charts.survey_confidence_chart(survey["confidence"], lang)
    figures = {name: guarded(lambda draw=draw: charts.in_language(draw(), lang), None, report.notes, f"charts.{name}")
               for name, draw in drawers.items()}
    return {name: figure for name, figure in figures.items() if figure is not None}



def write_report(scores: pd.DataFrame, roster: pd.DataFrame | None, out: Path | str, *,
                 objectives: Mapping[str, str] | None = None, item_types: Mapping[str, str] | None = None,
                 lang: str = "en", survey: SurveyAnswers | None = None) -> Report:
    """Build the report and write OUT/report.json, report.xlsx, report.html and charts/*.png."""
    charts.labels(lang)
    report = build_report(scores, roster, objectives=objectives, item_types=item_types, survey=survey)
    out = Path(out)
    (out / "charts").mkdir(parents=True, exist_ok=True)
    pngs = {name: charts.save_png(figure, out / "charts" / f"{name}.png")
            for name, figure in draw_charts(report, lang).items()}
    report.data["notes"].update({path: reason for path, reason in report.notes.items() if path.startswith("charts.")})
    write_atomically(out / "report.json", report_json(report))
    write_atomically(out / "report.xlsx", lambda path: write_xlsx(report, path, lang))
    write_atomically(out / "report.html", render_html(report, pngs, lang))
    return report



def write_report_from_files(out: Path | str, *, course: Path | None = None, scores: Path | None = None,
                            roster: Path | None = None, item_bank: Path = Path("assessments"),
                            lang: str = "en") -> Report:
    """What ``wpskit report`` does: read the gradebook (``course``) or a scores CSV, then ``write_report``.

    Objectives and item types come from the item bank under ``item_bank`` when it loads;
    otherwise from an ``objective`` column of the scores. With ``course`` and a survey in
    ``item_bank`` (``survey.yaml``), the survey's submissions are read too; each one left
    out (answers file missing or unreadable) gives one line in ``Report.warnings``.
    """
    if (course is None) == (scores is None):
        raise InputDataError(label("error.course_or_scores", lang))
    if course is not None:
        table = gradebook.read_scores(course)
    elif scores is not None:
        table = read_scores(scores)
    if roster:
        people = read_roster(roster)
    elif course is not None:
        people = roster_table(read_course_roster(open_course(course)))
    else:
        people = None
    objectives, item_types = _item_bank_metadata(item_bank)
    answers = None
    if course is not None:
        definition = load_survey(item_bank) if (Path(item_bank) / "objectives.yaml").is_file() else None
        answers = read_survey_answers(Path(course), definition) if definition is not None else None
    report = write_report(table, people, out, objectives=objectives, item_types=item_types, lang=lang, survey=answers)
    if answers is None:
        return report
    warnings = [label("cli.survey_skipped", lang, participant=pid, reason=answers.reason(reason, lang))
                for pid, reason in sorted(answers.skipped.items())]
    warnings += [label("cli.survey_answer_dropped", lang, participant=pid, answer=answer_id,
                       reason=answers.reason(reason, lang)) for pid, answer_id, reason in answers.dropped]
    return dataclasses.replace(report, warnings=tuple(warnings))



def _item_bank_metadata(root: Path) -> tuple[dict[str, str] | None, dict[str, str] | None]:
    """item_id -> objective and item_id -> type from the item bank, or (None, None) where there is none.

    A bank that exists but does not load is an error, not a silent fallback: the report's
    objective table would otherwise quietly change."""
    if not (Path(root) / "objectives.yaml").is_file():
        return None, None
    bank = load_item_bank(root)
    return ({i: item.objective for i, item in bank.items.items()}, {i: item.type for i, item in bank.items.items()})
