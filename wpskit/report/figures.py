"""The report's figures and ``report.json`` (contract 4), computed once from tidy scores.

Participants appear only as pseudonyms (P001, ..., in the order of their ids), given
once here for every part of the report; names, emails and ids never leave this module.

Beyond contract 4, ``report.json`` has a ``survey`` key: the end-of-workshop
satisfaction survey (``wpskit.survey``), read from the course's ``submitted/`` folder;
``null`` when there is none (a ``--scores`` report, or no ``assessments/survey.yaml``),
with the reason in ``notes.survey``. Levels are 1..5 (ratings: 1 strongly disagree ..
5 strongly agree; confidence: 1 not sure at all .. 5 completely sure)::

    survey.form             the survey's assignment name, "survey"
    survey.n_submitted      participants who submitted the survey
    survey.n                respondents counted: their answers file was read
    survey.n_skipped        submissions left out (answers file missing or unreadable);
                            notes["survey.skipped.P007"] names each by pseudonym, with the reason
    survey.ratings[]        question, text {en, vi}, n (answering), counts {"1".."5"},
                            pct {"1".."5"} (% of n), mean
    survey.confidence[]     objective, question, n (answered both before and now),
                            mean_before, mean_after, mean_change (after - before),
                            counts_before {"1".."5"}, counts_after {"1".."5"} (of those n)
    survey.groups[]         variable (stakeholder_group | gender), group, n (respondents), suppressed,
                            ratings {question: {n, counts {"1".."5"}, mean}},
                            confidence {objective: {n, mean_before, mean_after}};
                            a group of fewer than 5 respondents is suppressed: ratings and
                            confidence null (the same rule as ``groups``)
    survey.comments[]       question, text {en, vi}, answers [the comments, sorted, never linked
                            to a participant]; null when fewer than 5 respondents

A single answer that is not a level 1-5 is left out, with ``notes["survey.answers.P003.s-pace"]``.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from wpskit import charts, stats
from wpskit.errors import InputDataError
from wpskit.scores import UNREADABLE, awaiting_hand_grade, awaiting_note, unreadable_note
from wpskit.stats import notes
from wpskit.stats.survey import LEVELS as SURVEY_LEVELS, members
from wpskit.survey import SurveyAnswers
from wpskit.words import label

FORMS = ("pre", "post")

NO_POST = "no post-test scores yet"

NO_ROSTER = "no roster given"

NO_SURVEY = "no survey answers: they are read from a course (--course) whose assessments define a survey"

SURVEY_NOT_COLLECTED = "nobody has submitted the survey yet (wpskit release survey, then wpskit collect survey)"

SMALL_GROUP = "(small group)"


@dataclass(frozen=True)
class Report:
    """The report's figures: ``data`` is report.json, ``notes`` why a figure is null, the rest the tables.

    ``notes_vi`` holds the Vietnamese of the notes that carry numbers (English text -> Vietnamese text); the
    others are words.yaml's ``note.`` entries as they are."""

    data: dict
    notes: dict[str, str]
    percentages: pd.DataFrame
    paired: pd.DataFrame
    participants: pd.DataFrame
    items: pd.DataFrame
    options: pd.DataFrame
    groups: pd.DataFrame
    objectives: pd.DataFrame
    warnings: tuple[str, ...] = ()
    notes_vi: dict[str, str] = field(default_factory=dict)


def build_report(scores: pd.DataFrame, roster: pd.DataFrame | None = None,
                 objectives: Mapping[str, str] | None = None,
                 item_types: Mapping[str, str] | None = None,
                 survey: SurveyAnswers | None = None) -> Report:
    """Compute every figure of contract 4 from tidy scores (contract 3) and an optional roster.

    ``objectives`` maps item_id -> learning objective (the item bank's); an ``objective``
    column in ``scores`` fills the items it does not cover. ``item_types`` (item_id ->
    type) decides which items get option shares. ``survey`` (``wpskit.survey.read_survey_answers``)
    adds the ``survey`` section (see the module docstring).
    """
    unreadable = [(form, problem) for form, problem in scores.attrs.get(UNREADABLE, []) if form in FORMS]
    scores = scores[scores["form"].isin(FORMS)]
    if scores.empty:
        raise InputDataError(label("error.report_no_pre_post"))
    objective_of = _objective_mapping(scores, objectives)
    reasons: dict[str, str] = {}
    scores, waiting = awaiting_hand_grade(scores)
    vietnamese: dict[str, str] = {}  # by path: report.json keeps the English, the Vietnamese report shows these
    for path, english, in_vietnamese in (
            ("scores.awaiting_hand_grade", awaiting_note(waiting, "en"), awaiting_note(waiting, "vi")),
            ("scores.unreadable_answers", unreadable_note(unreadable, "en"), unreadable_note(unreadable, "vi"))):
        if english and in_vietnamese:
            reasons[path], vietnamese[path] = english, in_vietnamese
    percentages = stats.form_percentages(scores)
    paired = stats.pair_pre_post(percentages)
    ids_by_form = {form: set(percentages.loc[percentages["form"] == form, "participant_id"]) for form in FORMS}
    cohort = {"n_roster": None if roster is None else len(roster), "n_pre": len(ids_by_form["pre"]),
              "n_post": len(ids_by_form["post"]), "n_paired": len(paired)}
    if roster is None:
        reasons["cohort.n_roster"] = NO_ROSTER

    score_summary = {}
    for form in FORMS:
        row = stats.describe_percentages(percentages.loc[percentages["form"] == form, "pct"]).iloc[0]
        score_summary[form] = {"n": int(row["n"]), "mean_pct": row["mean_pct"], "sd_pct": row["sd_pct"],
                               "median_pct": row["median_pct"]}
        if row["note"]:
            reasons[f"scores.{form}"] = NO_POST if form == "post" and row["n"] == 0 else row["note"]

    gain = stats.learning_gain(paired["pre"], paired["post"])
    no_post = cohort["n_post"] == 0
    reasons.update({f"gain.{k}": NO_POST if no_post else v for k, v in gain.notes.items()})

    reliability = {}
    for form in FORMS:
        matrix = guarded(lambda: stats.item_matrix(scores, form), pd.DataFrame(), reasons, f"reliability.{form}.alpha")
        row = guarded(lambda: stats.cronbach_alpha(matrix).iloc[0],
                       pd.Series({"alpha": np.nan, "note": None}), reasons, f"reliability.{form}.alpha")
        if matrix.attrs.get("left_out"):
            reasons[f"reliability.{form}.items_left_out"] = notes.ALPHA_ON_SCORED_ITEMS
        reliability[form] = {"alpha": row["alpha"], "n_items": int(scores.loc[scores["form"] == form, "item_id"].nunique())}
        if row["note"] and f"reliability.{form}.alpha" not in reasons:
            reasons[f"reliability.{form}.alpha"] = NO_POST if form == "post" and no_post else row["note"]

    items = guarded(lambda: stats.item_statistics(scores), pd.DataFrame(
        columns=["form", "item_id", "n", "facility", "discrimination", "note"]), reasons, "items")
    items.insert(2, "objective", items["item_id"].map(objective_of))
    options = guarded(lambda: stats.option_shares(scores, item_types), pd.DataFrame(
        columns=["form", "item_id", "option", "count", "n", "share", "is_key"]), reasons, "items.options")
    for row in items[items["note"].notna()].itertuples():
        reasons[f"items.{row.form}.{row.item_id}.discrimination"] = row.note

    groups = guarded(lambda: stats.group_gains(paired, roster if roster is not None else
                                                pd.DataFrame(columns=["participant_id"])),
                      pd.DataFrame(columns=["variable", "group", "n_paired", "suppressed", "mean_pre_pct",
                                            "mean_post_pct", "hake_g", "d_z", "note"]), reasons, "groups")
    if roster is None:
        reasons["groups"] = NO_ROSTER
    for row in groups[groups["note"].notna()].itertuples():
        reasons[f"groups.{row.variable}.{row.group}"] = row.note

    objective_table = guarded(lambda: stats.objective_percentages(
        scores, objective_of, participants=list(paired["participant_id"]) if len(paired) else None),
        pd.DataFrame(columns=["objective", "n_items", "pre_pct", "post_pct", "hake_g"]), reasons, "objectives")
    if not objective_of:
        reasons["objectives"] = "no item has a learning objective (item bank or objective column)"

    data = {
        "schema": 1,
        "cohort": cohort,
        "scores": score_summary,
        "gain": _gain_json(gain, len(paired), reasons),
        "reliability": reliability,
        "items": _items_json(items, options),
        "groups": _records(groups, ["variable", "group", "n_paired", "suppressed", "mean_pre_pct", "mean_post_pct",
                                    "hake_g", "d_z"]),
        "objectives": _records(objective_table, ["objective", "pre_pct", "post_pct", "hake_g"]),
        "notes": reasons,
    }
    # Participants known only from the survey get a pseudonym too: one name per person in every part.
    extra_ids = [] if survey is None else [*survey.respondents, *survey.skipped]
    pseudonyms = _pseudonyms(set(percentages["participant_id"]) | set(extra_ids)
                             | (set(roster["participant_id"]) if roster is not None else set()))
    participants = _pseudonymised_participants(percentages, roster, pseudonyms)
    if survey is None or not (survey.respondents or survey.skipped):
        data["survey"] = None
        reasons["survey"] = NO_SURVEY if survey is None else SURVEY_NOT_COLLECTED
    else:
        data["survey"] = _survey_json(survey, roster, pseudonyms, reasons, vietnamese)
    _remove_identifiers(reasons, pseudonyms, roster)
    _remove_identifiers(vietnamese, pseudonyms, roster)
    notes_vi = {reasons[path]: text for path, text in vietnamese.items()}
    data["notes"] = data.pop("notes")  # notes stay last
    data = _strict_json_values(data)
    return Report(data=data, notes=reasons, percentages=percentages, paired=paired, participants=participants,
                  items=items, options=options, groups=groups, objectives=objective_table, notes_vi=notes_vi)


def guarded(compute, fallback, reasons: dict[str, str], path: str):
    """``compute()``, or ``fallback`` with the reason in ``reasons[path]``: no figure's failure stops the report."""
    try:
        return compute()
    except Exception as error:  # noqa: BLE001 - the trainer gets the rest of the report and the reason
        reasons[path] = notes.failed(error)
        return fallback


def _objective_mapping(scores: pd.DataFrame, objectives: Mapping[str, str] | None) -> dict[str, str]:
    mapping: dict[str, str] = {}
    if "objective" in scores.columns:
        given = scores[["item_id", "objective"]].dropna()
        given = given[given["objective"].astype(str).str.strip() != ""]
        mapping.update(given.drop_duplicates("item_id").set_index("item_id")["objective"].to_dict())
    mapping.update(objectives or {})
    return mapping


_GAIN_KEYS = ["mean_pre_pct", "mean_post_pct", "sd_pre_pct", "sd_post_pct", "mean_diff_pct", "sd_diff_pct",
              "hake_g", "mean_c", "pct_improved", "t", "df", "p_t", "wilcoxon_w", "p_wilcoxon", "d_z", "d_z_ci95",
              "d_av", "g_av"]


def _gain_json(gain: stats.LearningGain, n_paired: int, reasons: dict[str, str]) -> dict:
    figures: dict[str, Any] = dict(gain.figures)
    figures["df"] = n_paired - 1 if n_paired >= 2 else None
    low, high = figures.pop("d_z_ci95_lo"), figures.pop("d_z_ci95_hi")
    figures["d_z_ci95"] = [low, high] if np.isfinite(low) and np.isfinite(high) else None
    if "gain.d_z_ci95_lo" in reasons:
        reasons["gain.d_z_ci95"] = reasons.pop("gain.d_z_ci95_lo")
        reasons.pop("gain.d_z_ci95_hi", None)
    if figures["df"] is None and "gain.t" in reasons:
        reasons["gain.df"] = reasons["gain.t"]
    return {key: figures[key] for key in _GAIN_KEYS}


def _items_json(items: pd.DataFrame, options: pd.DataFrame) -> list[dict]:
    shares = {key: dict(zip(rows["option"], rows["share"]))
              for key, rows in options.groupby(["form", "item_id"], sort=False)}
    records = _records(items, ["form", "item_id", "objective", "n", "facility", "discrimination"])
    for record in records:
        record["options"] = shares.get((record["form"], record["item_id"]))
    return records


def _records(table: pd.DataFrame, columns: list[str]) -> list[dict]:
    return table[columns].astype(object).to_dict("records")


def _levels(row, prefix: str) -> dict[str, int]:
    return {str(level): int(row[f"{prefix}{level}"]) for level in SURVEY_LEVELS}


def _survey_figures(answers: pd.DataFrame, ratings: list[str], objectives: list[str]) -> tuple[list, list]:
    """The rating distributions and confidence changes of some respondents, as JSON records."""
    rating_rows = [{"question": row["question"], "n": int(row["n"]), "counts": _levels(row, "count_"),
                    "pct": {str(lv): row[f"pct_{lv}"] for lv in SURVEY_LEVELS}, "mean": row["mean"]}
                   for _, row in stats.rating_distribution(answers, ratings).iterrows()]
    confidence_rows = [{"objective": row["objective"], "question": row["question"], "n": int(row["n"]),
                        "mean_before": row["mean_before"], "mean_after": row["mean_after"],
                        "mean_change": row["mean_change"], "counts_before": _levels(row, "before_"),
                        "counts_after": _levels(row, "after_")}
                       for _, row in stats.confidence_change(answers, objectives).iterrows()]
    return rating_rows, confidence_rows


def _survey_json(survey: SurveyAnswers, roster: pd.DataFrame | None, pseudonyms: Mapping[str, str],
                 reasons: dict[str, str], vietnamese: dict[str, str]) -> dict:
    """The ``survey`` section (module docstring): cohort distributions, groups, comments; notes by pseudonym."""
    definition = survey.survey
    ratings = [q.id for q in definition.of_kind("rating")]
    objectives = [q.objective for q in definition.of_kind("confidence") if q.objective]  # each has one (wpskit.survey)
    texts = {q.id: definition.text_of(q).model_dump() for q in definition.questions}
    rating_rows, confidence_rows = _survey_figures(survey.answers, ratings, objectives)
    for row in rating_rows:
        row["text"] = texts[row["question"]]
        if row["n"] == 0:
            reasons[f"survey.ratings.{row['question']}.mean"] = notes.NO_SURVEY_ANSWERS
    for row in confidence_rows:
        if row["n"] == 0:
            reasons[f"survey.confidence.{row['objective']}"] = notes.NO_SURVEY_ANSWERS
    for participant_id, reason in sorted(survey.skipped.items(), key=lambda pair: pseudonyms[pair[0]]):
        path = f"survey.skipped.{pseudonyms[participant_id]}"
        reasons[path], vietnamese[path] = reason, survey.reason(reason, "vi")
    for participant_id, answer_id, reason in survey.dropped:
        path = f"survey.answers.{pseudonyms[participant_id]}.{answer_id}"
        reasons[path], vietnamese[path] = reason, survey.reason(reason, "vi")

    groups = []
    table = stats.survey_groups(survey.respondents, roster if roster is not None else
                                pd.DataFrame(columns=["participant_id"]))
    for row in table.itertuples():
        group = {"variable": row.variable, "group": row.group, "n": int(row.n), "suppressed": bool(row.suppressed),
                 "ratings": None, "confidence": None}
        if row.suppressed:
            reasons[f"survey.groups.{row.variable}.{row.group}"] = row.note
        else:
            people = members(survey.respondents, roster, row.variable, row.group)
            mine = survey.answers[survey.answers["participant_id"].isin(people)]
            group_ratings, group_confidence = _survey_figures(mine, ratings, objectives)
            group["ratings"] = {r["question"]: {"n": r["n"], "counts": r["counts"], "mean": r["mean"]}
                                for r in group_ratings}
            group["confidence"] = {c["objective"]: {"n": c["n"], "mean_before": c["mean_before"],
                                                    "mean_after": c["mean_after"]} for c in group_confidence}
        groups.append(group)
    if roster is None:
        reasons["survey.groups"] = NO_ROSTER

    n = len(survey.respondents)
    comments = None
    if stats.is_suppressed(n):
        reasons["survey.comments"] = notes.SURVEY_SUPPRESSED
    else:
        comments = [{"question": q.id, "text": texts[q.id], "answers": survey.comments.get(q.id, [])}
                    for q in definition.of_kind("comment")]
    return {"form": definition.id, "n_submitted": n + len(survey.skipped), "n": n, "n_skipped": len(survey.skipped),
            "ratings": rating_rows, "confidence": confidence_rows, "groups": groups, "comments": comments}


def _strict_json_values(value):
    """NaN and infinities become None, numpy scalars plain Python: report.json stays strict JSON."""
    if isinstance(value, dict):
        return {str(k): _strict_json_values(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_strict_json_values(v) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    if value is None or value is pd.NA:
        return None
    return value


_PATH = re.compile(r"""['"]?(?:[A-Za-z]:)?[^\s'"]*[/\\][^\s'"]*['"]?""")


def _remove_identifiers(reasons: dict[str, str], pseudonyms: Mapping[str, str], roster: pd.DataFrame | None) -> None:
    """Whatever error text arrives in a note, no path, id, name or email leaves: paths become
    "[file]", ids their pseudonym, names and emails "[participant]" (in place)."""
    replacements = dict(pseudonyms)
    if roster is not None:
        for column in ("name", "email"):
            if column in roster:
                replacements.update({str(v): "[participant]" for v in roster[column].dropna() if str(v).strip()})
    pattern = None
    if replacements:
        words = sorted(replacements, key=len, reverse=True)
        pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, words)) + r")(?![\w-])", re.IGNORECASE)
        lookup = {word.casefold(): replacement for word, replacement in replacements.items()}
    for path, text in reasons.items():
        text = _PATH.sub("[file]", unicodedata.normalize("NFC", str(text)))
        if pattern is not None:
            text = pattern.sub(lambda match: lookup.get(match.group(0).casefold(), "[participant]"), text)
        reasons[path] = text


def _pseudonyms(ids: Iterable[str]) -> dict[str, str]:
    """participant id -> P001, P002, ... in the order of the ids (at least three digits)."""
    ordered = sorted(ids)
    width = max(3, len(str(len(ordered))))
    return {pid: "P" + str(number).zfill(width) for number, pid in enumerate(ordered, start=1)}


def _pseudonymised_participants(percentages: pd.DataFrame, roster: pd.DataFrame | None,
                                pseudonyms: Mapping[str, str]) -> pd.DataFrame:
    """One row per participant under their pseudonym; small groups' labels are masked too."""
    table = pd.DataFrame({"participant_id": sorted(pseudonyms)})
    table.insert(0, "participant", table["participant_id"].map(pseudonyms))
    for variable in stats.GROUP_VARIABLES:
        if roster is not None and variable in roster.columns:
            labels = table["participant_id"].map(roster.set_index("participant_id")[variable]).astype(object)
            labels = labels.fillna(stats.NOT_RECORDED)
            sizes = labels.map(labels.value_counts())
            table[variable] = labels.where(sizes >= stats.MIN_GROUP_SIZE, SMALL_GROUP)
    wide = percentages.pivot(index="participant_id", columns="form", values="pct").reindex(columns=FORMS)
    table["pre_pct"] = table["participant_id"].map(wide["pre"])
    table["post_pct"] = table["participant_id"].map(wide["post"])
    table["change_pct"] = table["post_pct"] - table["pre_pct"]
    table["normalized_change"] = stats.normalized_change(table["pre_pct"], table["post_pct"])
    return table.drop(columns="participant_id")


def weak_items(report: Report, limit: int = 8) -> tuple[str, list[str]]:
    """Items of the latest form answered correctly by fewer than half, or with discrimination < 0.2."""
    form = "post" if report.data["cohort"]["n_post"] else "pre"
    items = report.items[(report.items["form"] == form)
                         & report.items["item_id"].isin(report.options.loc[report.options["form"] == form, "item_id"])]
    weak = items[(items["facility"] < 0.5) | (items["discrimination"] < charts.LOW_DISCRIMINATION)]
    return form, list(weak.sort_values("facility")["item_id"].head(limit))


def report_json(report: Report) -> str:
    """report.json as text; ``allow_nan=False`` guarantees strict JSON."""
    return json.dumps(report.data, ensure_ascii=False, indent=2, allow_nan=False)
