"""The report as an Excel workbook: one sheet per table, a missing figure an empty cell with its note.

Sheet names, column titles and the summary's figures are in the report's language (``xlsx.`` in words.yaml),
the summary keeps each figure's report.json key beside it. Cells keep numbers, so Excel can compute with them;
a number format rounds them on screen as the HTML does, with the reader's own decimal sign.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from wpskit import charts
from wpskit.formats import EXCEL_FORMATS, percent
from wpskit.report.figures import FORMS, Report
from wpskit.report.text import translate_note
from wpskit.spreadsheets import text_only
from wpskit.stats.survey import LEVELS as SURVEY_LEVELS
from wpskit.words import WORDS, label

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


def write_xlsx(report: Report, path: Path, lang: str = "en") -> None:
    """Sheets summary, participants, items, groups, objectives (and survey, when there is one), titled in `lang`;
    missing figures are empty cells with a note."""
    note = lambda *paths: translate_note(report, next((report.notes[p] for p in paths if report.notes.get(p)), ""), lang) or None  # noqa: E731
    summary = []
    for section in ("cohort", "gain"):
        for key, value in report.data[section].items():
            parts = zip(("_lo", "_hi"), value) if isinstance(value, list) else [("", value)]
            summary += [{"figure": _figure(f"{section}.{key}{end}", lang), "value": part, "key": f"{section}.{key}{end}",
                         "note": note(f"{section}.{key}", section)} for end, part in parts]
    summary += [{"figure": _figure(f"{section}.{key}", lang, form=charts.labels(lang)[form]), "value": value,
                 "key": f"{section}.{form}.{key}", "note": note(f"{section}.{form}.{key}", f"{section}.{form}")}
                for section in ("scores", "reliability") for form in FORMS
                for key, value in report.data[section][form].items()]
    shares = report.options.assign(text=report.options["option"] + ": " + (100 * report.options["share"])
                                   .map(lambda share: percent(share, lang))).groupby(["form", "item_id"])["text"].agg(", ".join)
    items = report.items.join(shares.rename("options"), on=["form", "item_id"])
    by = lambda frame: frame.assign(variable=frame["variable"].map(lambda v: charts.labels(lang).get(v, v)))  # noqa: E731
    sheets = {"summary": pd.DataFrame(summary), "participants": report.participants, "items": items,
              "groups": by(report.groups), "objectives": report.objectives}
    if report.data.get("survey"):
        sheets["survey"] = by(survey_table(report.data["survey"]))
    with pd.ExcelWriter(path, engine="openpyxl") as workbook:
        for name, frame in sheets.items():
            titled = frame.rename(columns=lambda column: _title(column, lang))
            titled.to_excel(workbook, sheet_name=label(f"xlsx.sheet.{name}", lang), index=False)
            sheet = workbook.book.worksheets[-1]
            keys = list(frame["key"]) if name == "summary" else None
            for column, cells in zip(frame.columns, sheet.iter_cols(min_row=2)):
                for row, cell in enumerate(cells):
                    if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                        cell.number_format = EXCEL_FORMATS[_kind(keys[row] if keys else column)]
            sheet.freeze_panes = "A2"
        text_only(workbook.book)


def _title(column: str, lang: str) -> str:
    name = f"xlsx.col.{column}"
    return label(name, lang) if name in WORDS else column


def _figure(path: str, lang: str, **fields: str) -> str:
    name = f"xlsx.figure.{path}"
    return label(name, lang, **fields) if name in WORDS else path


def _kind(key: str) -> str:
    """How a figure is rounded on screen, from its name: percentages 1 decimal, p 3, counts none, the rest 2."""
    last = key.rsplit(".", 1)[-1]
    if last.startswith("p_") or last == "p":
        return "p"
    if last.startswith("n_") or last in ("n", "df", "n_items") or last.startswith("level_"):
        return "count"
    if last.endswith(("_pct", "_pct_lo", "_pct_hi")) or last in ("pct_improved", "median_pct"):
        return "percent"
    return "effect"
