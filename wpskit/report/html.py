"""The report as one self-contained HTML page: inline CSS, charts as data URIs, nothing fetched."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Mapping

import numpy as np

from wpskit import charts, stats
from wpskit.report.figures import Report, weak_items
from wpskit.formats import decimal, percent
from wpskit.pages import Filters, render
from wpskit.report.text import SURVEY_TEXT, TEXT, cautions, chart_readings, summary_rows, translate_note
from wpskit.stats.survey import LEVELS as SURVEY_LEVELS
from wpskit.words import label

_CHART_TITLES = {"paired": "paired_title", "distribution": "distribution_title", "groups": "group_title",
                 "objectives": "objective_title", "items": "item_title", "distractors": "distractor_title"}


def render_html(report: Report, pngs: Mapping[str, bytes], lang: str = "en") -> str:
    """The self-contained HTML page: inline CSS, charts as base64 data URIs, nothing fetched."""
    text, chart_text = TEXT[lang], charts.labels(lang)
    readings = chart_readings(report, lang)
    form, _ = weak_items(report)
    figures = [{"name": name, "title": chart_text[_CHART_TITLES[name]].format(form=chart_text[form]),
                "src": "data:image/png;base64," + base64.b64encode(png).decode("ascii"),
                "reading": readings.get(name, "")} for name, png in pngs.items() if name in _CHART_TITLES]
    survey_charts = {name: "data:image/png;base64," + base64.b64encode(png).decode("ascii")
                     for name, png in pngs.items() if name.startswith("survey_")}
    filters: Filters = {"number": lambda value, digits=2, signed=False: decimal(value, lang, digits, signed=signed),
                        "percent": lambda value, digits=0: percent(value, lang, digits),
                        "note": lambda path: translate_note(report, report.notes.get(path, ""), lang)}
    return render(
        "report.html.j2", strict=True, filters=filters, t=text, lang=lang, data=report.data, variable_labels={v: chart_text[v] for v in stats.GROUP_VARIABLES}, date=dt.date.today().isoformat(), figures=figures,
        summary=summary_rows(report, lang), cautions=cautions(report, lang),
        notes=[(path, translate_note(report, reason, lang)) for path, reason in report.notes.items()],
        st=SURVEY_TEXT[lang], survey=_survey_view(report, lang, survey_charts))


def _survey_view(report: Report, lang: str, chart_sources: Mapping[str, str]) -> dict | None:
    """What the survey section of the HTML shows, ready for the template (None: no survey)."""
    survey = report.data.get("survey")
    if not survey:
        return None
    levels = [str(level) for level in SURVEY_LEVELS]
    ratings = [{"text": r["text"][lang], "n": r["n"], "mean": r["mean"],
                "cells": [(r["counts"][lv], r["pct"][lv]) for lv in levels]} for r in survey["ratings"]]
    confidence = [{**c, "before_levels": " · ".join(str(c["counts_before"][lv]) for lv in levels),
                   "after_levels": " · ".join(str(c["counts_after"][lv]) for lv in levels)}
                  for c in survey["confidence"]]
    tables = []
    for variable in stats.GROUP_VARIABLES:
        groups = [g for g in survey["groups"] if g["variable"] == variable]
        if not groups:
            continue
        rows = [{"text": r["text"][lang], "means": [None if g["suppressed"] else g["ratings"][r["question"]]["mean"]
                                                    for g in groups]} for r in survey["ratings"]]
        confidence_means: list[str | None] = []
        for g in groups:
            if g["suppressed"]:
                confidence_means.append(None)
                continue
            befores = [c["mean_before"] for c in g["confidence"].values() if c["mean_before"] is not None]
            afters = [c["mean_after"] for c in g["confidence"].values() if c["mean_after"] is not None]
            confidence_means.append(f"{decimal(np.mean(befores), lang, 1)} → {decimal(np.mean(afters), lang, 1)}"
                                    if befores and afters else "-")
        tables.append({"variable": variable, "groups": groups, "rows": rows, "confidence": confidence_means})
    comments = None if survey["comments"] is None else [
        {"text": c["text"][lang], "answers": c["answers"]} for c in survey["comments"]]
    return {"data": survey, "ratings": ratings, "confidence": confidence, "tables": tables, "comments": comments,
            "charts": chart_sources, "levels": [label(f"rating_{lv}", lang) for lv in levels]}
