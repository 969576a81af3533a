"""The report as an Excel workbook: one sheet per table, a missing figure an empty cell with its note."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from wpskit.report.figures import FORMS, Report
from wpskit.spreadsheets import text_only
from wpskit.stats.survey import LEVELS as SURVEY_LEVELS

def survey_table(survey: Mapping) -> pd.DataFrame:
    """The survey sheet: one row per (everyone | group) x rating statement or objective x before/now.

    Columns: variable ("all", stakeholder_group, gender), group, n_group (respondents),
    suppressed, part (rating | confidence_before | confidence_after), question, objective,
    n (answering), level_1..level_5 (counts), mean. A suppressed group has one row, no figures.
    """
    levels = [str(level) for level in SURVEY_LEVELS]
    rows = []

    def add(variable, group, n_group, part, question, objective, n, counts, mean):
        rows.append({"variable": variable, "group": group, "n_group": n_group, "suppressed": False, "part": part,
                     "question": question, "objective": objective, "n": n,
                     **{f"level_{lv}": (counts or {}).get(lv) for lv in levels}, "mean": mean})

    for r in survey["ratings"]:
        add("all", "", survey["n"], "rating", r["question"], "", r["n"], r["counts"], r["mean"])
    for c in survey["confidence"]:
        for phase, key in (("before", "counts_before"), ("after", "counts_after")):
            add("all", "", survey["n"], f"confidence_{phase}", c["question"], c["objective"], c["n"], c[key],
                c[f"mean_{phase}"])
    for g in survey["groups"]:
        if g["suppressed"]:
            rows.append({"variable": g["variable"], "group": g["group"], "n_group": g["n"], "suppressed": True})
            continue
        for question, r in g["ratings"].items():
            add(g["variable"], g["group"], g["n"], "rating", question, "", r["n"], r["counts"], r["mean"])
        for objective, c in g["confidence"].items():
            for phase in ("before", "after"):
                add(g["variable"], g["group"], g["n"], f"confidence_{phase}", "", objective, c["n"], None,
                    c[f"mean_{phase}"])
    columns = ["variable", "group", "n_group", "suppressed", "part", "question", "objective", "n",
               *(f"level_{lv}" for lv in levels), "mean"]
    return pd.DataFrame(rows, columns=columns)


def write_xlsx(report: Report, path: Path) -> None:
    """Sheets summary, participants, items, groups, objectives (and survey, when there is one);
    missing figures are empty cells with a note."""
    summary = [{"figure": f"{section}.{key}", "value": _cell(value),
                "note": report.notes.get(f"{section}.{key}") or report.notes.get(section)}
               for section in ("cohort", "gain") for key, value in report.data[section].items()]
    summary += [{"figure": f"{section}.{form}.{key}", "value": value,
                 "note": report.notes.get(f"{section}.{form}.{key}") or report.notes.get(f"{section}.{form}")}
                for section in ("scores", "reliability") for form in FORMS
                for key, value in report.data[section][form].items()]
    shares = report.options.assign(text=report.options["option"] + ": " + (100 * report.options["share"]).round(1)
                                   .astype(str) + "%").groupby(["form", "item_id"])["text"].agg(", ".join)
    items = report.items.join(shares.rename("options"), on=["form", "item_id"])
    with pd.ExcelWriter(path, engine="openpyxl") as workbook:
        pd.DataFrame(summary).to_excel(workbook, sheet_name="summary", index=False)
        report.participants.to_excel(workbook, sheet_name="participants", index=False)
        items.to_excel(workbook, sheet_name="items", index=False)
        report.groups.to_excel(workbook, sheet_name="groups", index=False)
        report.objectives.to_excel(workbook, sheet_name="objectives", index=False)
        if report.data.get("survey"):
            survey_table(report.data["survey"]).to_excel(workbook, sheet_name="survey", index=False)
        text_only(workbook.book)


def _cell(value):
    return ", ".join(f"{v:.6g}" for v in value) if isinstance(value, list) else value
