"""The trainer's report (contract 4): ``report.json``, ``report.xlsx``, ``report.html`` and charts.

``build_report`` turns tidy scores and a roster into the figures; ``write_report``
writes them to a folder; ``report`` is what ``wpskit report`` runs (reads the course's
gradebook or a scores CSV first). Participants appear only as pseudonyms (P001, ...,
in the order of their ids); names, emails and ids never leave this module.

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

import base64
import dataclasses
import datetime as dt
import json
import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
import numpy as np
import pandas as pd

from wpskit import charts, stats
from wpskit.errors import InputDataError
from wpskit.items import load_item_bank
from wpskit.scores import awaiting_hand_grade, awaiting_note
from wpskit.spreadsheets import text_only
from wpskit.stats import notes
from wpskit.stats.survey import LEVELS as SURVEY_LEVELS, members
from wpskit.words import label

if TYPE_CHECKING:
    from wpskit.survey import SurveyAnswers

FORMS = ("pre", "post")
NO_POST = "no post-test scores yet"
NO_ROSTER = "no roster given"
NO_SURVEY = "no survey answers: they are read from a course (--course) whose assessments define a survey"
SURVEY_NOT_COLLECTED = "nobody has submitted the survey yet (wpskit release survey, then wpskit collect survey)"
SMALL_GROUP = "(small group)"


@dataclass(frozen=True)
class Report:
    """The report's figures: ``data`` is report.json, ``notes`` why a figure is null, the rest the tables."""

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
    scores = scores[scores["form"].isin(FORMS)]
    if scores.empty:
        raise InputDataError("the scores have no rows with form 'pre' or 'post'; check the form column")
    objective_of = _objective_mapping(scores, objectives)
    reasons: dict[str, str] = {}
    scores, waiting = awaiting_hand_grade(scores)
    if awaiting_note(waiting):
        reasons["scores.awaiting_hand_grade"] = awaiting_note(waiting)
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
        row = _guarded(lambda: stats.cronbach_alpha(stats.item_matrix(scores, form)).iloc[0],
                       pd.Series({"alpha": np.nan, "note": None}), reasons, f"reliability.{form}.alpha")
        reliability[form] = {"alpha": row["alpha"], "n_items": int(scores.loc[scores["form"] == form, "item_id"].nunique())}
        if row["note"] and f"reliability.{form}.alpha" not in reasons:
            reasons[f"reliability.{form}.alpha"] = NO_POST if form == "post" and no_post else row["note"]

    items = _guarded(lambda: stats.item_statistics(scores), pd.DataFrame(
        columns=["form", "item_id", "n", "facility", "discrimination", "note"]), reasons, "items")
    items.insert(2, "objective", items["item_id"].map(objective_of))
    options = _guarded(lambda: stats.option_shares(scores, item_types), pd.DataFrame(
        columns=["form", "item_id", "option", "count", "n", "share", "is_key"]), reasons, "items.options")
    for row in items[items["note"].notna()].itertuples():
        reasons[f"items.{row.form}.{row.item_id}.discrimination"] = row.note

    groups = _guarded(lambda: stats.group_gains(paired, roster if roster is not None else
                                                pd.DataFrame(columns=["participant_id"])),
                      pd.DataFrame(columns=["variable", "group", "n_paired", "suppressed", "mean_pre_pct",
                                            "mean_post_pct", "hake_g", "d_z", "note"]), reasons, "groups")
    if roster is None:
        reasons["groups"] = NO_ROSTER
    for row in groups[groups["note"].notna()].itertuples():
        reasons[f"groups.{row.variable}.{row.group}"] = row.note

    objective_table = _guarded(lambda: stats.objective_percentages(
        scores, objective_of, participants=list(paired["participant_id"]) if len(paired) else None),
        pd.DataFrame(columns=["objective", "n_items", "pre_pct", "post_pct", "hake_g"]), reasons, "objectives")
    if not objective_of:
        reasons["objectives"] = "no item has a learning objective (item bank or objective column)"

    data = {
        "schema": 1,
        "cohort": cohort,
        "scores": score_summary,
        "gain": _gain_json(gain, cohort["n_paired"], reasons),
        "reliability": reliability,
        "items": _items_json(items, options),
        "groups": _records(groups, ["variable", "group", "n_paired", "suppressed", "mean_pre_pct", "mean_post_pct",
                                    "hake_g", "d_z"]),
        "objectives": _records(objective_table, ["objective", "pre_pct", "post_pct", "hake_g"]),
        "notes": reasons,
    }
    extra_ids = [] if survey is None else [*survey.respondents, *survey.skipped]
    participants = _pseudonymised_participants(percentages, paired, roster, extra_ids)
    if survey is None or not (survey.respondents or survey.skipped):
        data["survey"] = None
        reasons["survey"] = NO_SURVEY if survey is None else SURVEY_NOT_COLLECTED
    else:
        pseudonyms = _pseudonyms(set(percentages["participant_id"]) | set(extra_ids)
                                 | (set(roster["participant_id"]) if roster is not None else set()))
        data["survey"] = _survey_json(survey, roster, pseudonyms, reasons)
    known_ids = set(percentages["participant_id"]) | set(extra_ids) | (
        set(roster["participant_id"]) if roster is not None else set())
    _remove_identifiers(reasons, _pseudonyms(known_ids), roster)
    data["notes"] = data.pop("notes")  # notes stay last
    data = _strict_json_values(data)
    return Report(data=data, notes=reasons, percentages=percentages, paired=paired, participants=participants,
                  items=items, options=options, groups=groups, objectives=objective_table)


def _guarded(compute, fallback, reasons: dict[str, str], path: str):
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
    figures = dict(gain.figures)
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
                 reasons: dict[str, str]) -> dict:
    """The ``survey`` section (module docstring): cohort distributions, groups, comments; notes by pseudonym."""
    definition = survey.survey
    ratings = [q.id for q in definition.of_kind("rating")]
    objectives = [q.objective for q in definition.of_kind("confidence")]
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
        reasons[f"survey.skipped.{pseudonyms[participant_id]}"] = reason
    for participant_id, answer_id, reason in survey.dropped:
        reasons[f"survey.answers.{pseudonyms[participant_id]}.{answer_id}"] = reason

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


def _pseudonyms(ids) -> dict[str, str]:
    """participant id -> P001, P002, ... in the order of the ids (at least three digits)."""
    ordered = sorted(ids)
    width = max(3, len(str(len(ordered))))
    return {pid: "P" + str(number).zfill(width) for number, pid in enumerate(ordered, start=1)}


def _pseudonymised_participants(percentages: pd.DataFrame, paired: pd.DataFrame,
                                roster: pd.DataFrame | None, extra_ids=()) -> pd.DataFrame:
    """One row per participant under a pseudonym; small groups' labels are masked too.

    ``extra_ids``: participants known only from elsewhere (the survey), so that a
    pseudonym means the same person in every part of the report."""
    ids = set(percentages["participant_id"]) | set(extra_ids) | (
        set(roster["participant_id"]) if roster is not None else set())
    table = pd.DataFrame({"participant_id": sorted(ids)})
    table.insert(0, "participant", table["participant_id"].map(_pseudonyms(ids)))
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


TEXT = {
    "en": {
        "title": "Learning gain report", "generated": "Generated {date} by wpskit. Participants appear under pseudonyms.",
        "cohort": "Cohort", "n_roster": "on the roster", "n_pre": "took the pre-test", "n_post": "took the post-test",
        "n_paired": "took both (paired)", "cautions": "Read with care", "summary": "Key figures",
        "figure": "Figure", "value": "Value", "reading": "What it means",
        "mean_pre": "Pre-test mean (paired)", "mean_post": "Post-test mean (paired)",
        "mean_diff": "Mean change", "hake_g": "Normalized gain (Hake's g)",
        "mean_c": "Mean normalized change (Marx & Cummings' c)", "pct_improved": "Participants who improved",
        "ttest": "Paired t-test", "wilcoxon": "Wilcoxon signed-rank test", "d_z": "Effect size d_z (95% CI)",
        "d_av": "Effect size d_av / Hedges' g_av", "alpha_pre": "Reliability of the pre-test (Cronbach's alpha)",
        "alpha_post": "Reliability of the post-test (Cronbach's alpha)",
        "hake_loss": "scores fell", "hake_low": "low gain (below 0.3)", "hake_medium": "medium gain (0.3-0.7)",
        "hake_high": "high gain (0.7 or more)",
        "hake_reading": "{band}: the class gained {share:.0%} of the points it could still gain.",
        "c_reading": "Averaged over each participant's own room to improve; {dropped} at 0% or 100% on both tests left out.",
        "improved_reading": "{k} of {n} paired participants scored higher on the post-test (log-frame: % with increased knowledge).",
        "p_small": "very unlikely to be chance alone (p < 0.05)", "p_large": "could be chance (p >= 0.05)",
        "d_negligible": "negligible effect", "d_small": "small effect (0.2-0.5)", "d_medium": "medium effect (0.5-0.8)",
        "d_large": "large effect (0.8 or more)",
        "d_z_reading": "{band}: the typical change measured against how much the changes varied.",
        "d_av_reading": "{band}, measured against the spread of the scores; comparable with studies of two separate groups.",
        "alpha_low": "low (below 0.5): the items measure rather different things; read total scores with care",
        "alpha_modest": "modest (0.5-0.7)", "alpha_ok": "acceptable (0.7-0.8)", "alpha_good": "good (0.8 or more)",
        "pp": "points",
        "charts": "Charts", "paired_reading": "Each line is one participant (green: improved, red: declined). "
        "{k} of {n} improved; the class mean moved from {pre:.0f}% to {post:.0f}%.",
        "distribution_reading": "Pre-test median {pre:.0f}%, post-test median {post:.0f}%. Bars further right mean higher scores.",
        "distribution_pre_only": "Pre-test median {pre:.0f}%; the post-test is not in yet.",
        "groups_reading": "A dot is a group's mean change; the bar is its 95% interval. Where the bar crosses 0, "
        "the change could be chance. Groups of fewer than 5 paired participants are named but not shown.",
        "objectives_reading": "Weakest objective after the course: {objective} ({pct:.0f}%). Strongest gain: {best} (g = {g:.2f}).",
        "objectives_pre_only": "Weakest objective on the pre-test: {objective} ({pct:.0f}%): a topic to spend time on.",
        "items_reading": "Facility is the share of an item's points earned. {k} item(s) with low discrimination (< 0.2) "
        "have red labels: strong and weak participants did about equally well on them; check their wording and key.",
        "distractors_reading": "Items answered correctly by fewer than half, or with low discrimination. A wrong option "
        "chosen by many points to a shared misconception worth revisiting.",
        "groups": "Stakeholder groups and gender", "variable": "Grouped by", "group": "Group",
        "n_paired_col": "Paired", "pre": "Pre (%)", "post": "Post (%)", "suppressed": "not shown: fewer than 5",
        "objectives": "Learning objectives", "objective": "Objective", "items": "Items", "form": "Form",
        "item": "Item", "n": "n", "facility": "Facility", "discrimination": "Discrimination", "options": "Options",
        "notes": "Figures that could not be computed", "method": "How the figures are computed",
        "method_text": "Scores are percentages of each form's maximum. Paired = took both tests. SDs are sample SDs "
        "(n - 1). Hake's g = (post mean - pre mean) / (100 - pre mean) on paired class means. d_z = mean change / SD "
        "of change, 95% CI from the noncentral t distribution; d_av = mean change / mean of the two SDs, "
        "g_av = d_av (1 - 3 / (8n - 9)) (Lakens 2013). Discrimination = correlation of an item with the rest of the form.",
        "caution_pre_only": "Only the pre-test so far: pre-test scores and item analysis are shown; gain figures follow "
        "once the post-test is collected.",
        "caution_unpaired": "{k} participant(s) took the pre-test but not the post-test; they are left out of the gain figures.",
        "caution_post_only": "{k} participant(s) took the post-test without the pre-test; they are left out of the gain figures.",
        "caution_small_cohort": "Only {n} paired participants: one or two people can move these figures a lot.",
        "caution_small_groups": "Small groups (5-9 paired: {groups}): their intervals are wide; read with caution.",
        "caution_suppressed": "{k} group(s) with fewer than 5 paired participants are not shown, to protect privacy.",
        "none": "-",
    },
    "vi": {
        "title": "Báo cáo kết quả học tập", "generated": "Tạo ngày {date} bằng wpskit. Người tham dự được ghi bằng mã ẩn danh.",
        "cohort": "Khoá học", "n_roster": "trong danh sách", "n_pre": "làm bài đầu vào", "n_post": "làm bài đầu ra",
        "n_paired": "làm cả hai bài (ghép cặp)", "cautions": "Lưu ý khi đọc", "summary": "Số liệu chính",
        "figure": "Chỉ số", "value": "Giá trị", "reading": "Ý nghĩa",
        "mean_pre": "Điểm trung bình đầu vào (ghép cặp)", "mean_post": "Điểm trung bình đầu ra (ghép cặp)",
        "mean_diff": "Mức thay đổi trung bình", "hake_g": "Mức tiến bộ chuẩn hoá (g của Hake)",
        "mean_c": "Thay đổi chuẩn hoá trung bình (c của Marx & Cummings)", "pct_improved": "Người tham dự có tiến bộ",
        "ttest": "Kiểm định t ghép cặp", "wilcoxon": "Kiểm định hạng có dấu Wilcoxon", "d_z": "Hệ số ảnh hưởng d_z (KTC 95%)",
        "d_av": "Hệ số ảnh hưởng d_av / g_av của Hedges", "alpha_pre": "Độ tin cậy bài đầu vào (alpha của Cronbach)",
        "alpha_post": "Độ tin cậy bài đầu ra (alpha của Cronbach)",
        "hake_loss": "điểm giảm", "hake_low": "tiến bộ thấp (dưới 0,3)", "hake_medium": "tiến bộ trung bình (0,3-0,7)",
        "hake_high": "tiến bộ cao (từ 0,7 trở lên)",
        "hake_reading": "{band}: cả lớp đạt được {share:.0%} số điểm còn có thể đạt thêm.",
        "c_reading": "Tính trên khoảng tiến bộ còn lại của từng người; bỏ {dropped} người đạt 0% hoặc 100% ở cả hai bài.",
        "improved_reading": "{k} trong {n} người ghép cặp có điểm đầu ra cao hơn (khung logic: % người có kiến thức tăng lên).",
        "p_small": "rất khó là do ngẫu nhiên (p < 0,05)", "p_large": "có thể do ngẫu nhiên (p >= 0,05)",
        "d_negligible": "ảnh hưởng không đáng kể", "d_small": "ảnh hưởng nhỏ (0,2-0,5)",
        "d_medium": "ảnh hưởng trung bình (0,5-0,8)", "d_large": "ảnh hưởng lớn (từ 0,8 trở lên)",
        "d_z_reading": "{band}: mức thay đổi điển hình so với độ dao động của các mức thay đổi.",
        "d_av_reading": "{band}, so với độ phân tán của điểm; so sánh được với nghiên cứu trên hai nhóm riêng biệt.",
        "alpha_low": "thấp (dưới 0,5): các câu hỏi đo những nội dung khá khác nhau; thận trọng khi đọc tổng điểm",
        "alpha_modest": "vừa phải (0,5-0,7)", "alpha_ok": "chấp nhận được (0,7-0,8)", "alpha_good": "tốt (từ 0,8 trở lên)",
        "pp": "điểm",
        "charts": "Biểu đồ", "paired_reading": "Mỗi đường là một người tham dự (xanh: tiến bộ, đỏ: giảm). "
        "{k} trong {n} người tiến bộ; điểm trung bình lớp tăng từ {pre:.0f}% lên {post:.0f}%.",
        "distribution_reading": "Trung vị đầu vào {pre:.0f}%, trung vị đầu ra {post:.0f}%. Cột càng về bên phải, điểm càng cao.",
        "distribution_pre_only": "Trung vị đầu vào {pre:.0f}%; chưa có bài đầu ra.",
        "groups_reading": "Mỗi chấm là mức thay đổi trung bình của một nhóm; thanh ngang là khoảng tin cậy 95%. "
        "Nếu thanh cắt qua 0, thay đổi có thể do ngẫu nhiên. Nhóm dưới 5 người ghép cặp chỉ được nêu tên, không hiển thị số liệu.",
        "objectives_reading": "Mục tiêu yếu nhất sau khoá học: {objective} ({pct:.0f}%). Tiến bộ nhiều nhất: {best} (g = {g:.2f}).",
        "objectives_pre_only": "Mục tiêu yếu nhất ở bài đầu vào: {objective} ({pct:.0f}%): nội dung cần dành thêm thời gian.",
        "items_reading": "Độ dễ là tỉ lệ điểm đạt được của câu hỏi. {k} câu hỏi có độ phân biệt thấp (< 0,2) được ghi "
        "màu đỏ: người giỏi và người yếu làm tốt gần như nhau; hãy kiểm tra lại cách diễn đạt và đáp án.",
        "distractors_reading": "Các câu hỏi có dưới một nửa số người trả lời đúng hoặc có độ phân biệt thấp. Một phương án "
        "sai được nhiều người chọn cho thấy một hiểu lầm chung, nên ôn lại.",
        "groups": "Nhóm bên liên quan và giới tính", "variable": "Phân theo", "group": "Nhóm",
        "n_paired_col": "Ghép cặp", "pre": "Đầu vào (%)", "post": "Đầu ra (%)", "suppressed": "không hiển thị: dưới 5 người",
        "objectives": "Mục tiêu học tập", "objective": "Mục tiêu", "items": "Câu hỏi", "form": "Bài",
        "item": "Câu hỏi", "n": "n", "facility": "Độ dễ", "discrimination": "Độ phân biệt", "options": "Lựa chọn",
        "notes": "Các chỉ số không tính được", "method": "Cách tính",
        "method_text": "Điểm là phần trăm của điểm tối đa mỗi bài. Ghép cặp = làm cả hai bài. Độ lệch chuẩn là độ lệch "
        "chuẩn mẫu (n - 1). g của Hake = (TB đầu ra - TB đầu vào) / (100 - TB đầu vào) trên điểm trung bình của nhóm ghép "
        "cặp. d_z = thay đổi trung bình / độ lệch chuẩn của thay đổi, KTC 95% theo phân phối t phi trung tâm; d_av = thay "
        "đổi trung bình / trung bình hai độ lệch chuẩn, g_av = d_av (1 - 3 / (8n - 9)) (Lakens 2013). Độ phân biệt = "
        "tương quan giữa câu hỏi và phần còn lại của bài.",
        "caution_pre_only": "Mới có bài đầu vào: báo cáo hiện điểm đầu vào và phân tích câu hỏi; các chỉ số tiến bộ sẽ có "
        "sau khi thu bài đầu ra.",
        "caution_unpaired": "{k} người làm bài đầu vào nhưng chưa làm bài đầu ra; họ không được tính vào các chỉ số tiến bộ.",
        "caution_post_only": "{k} người làm bài đầu ra mà không làm bài đầu vào; họ không được tính vào các chỉ số tiến bộ.",
        "caution_small_cohort": "Chỉ có {n} người ghép cặp: một hai người cũng có thể làm các số liệu thay đổi nhiều.",
        "caution_small_groups": "Nhóm nhỏ (5-9 người ghép cặp: {groups}): khoảng tin cậy rộng; đọc thận trọng.",
        "caution_suppressed": "{k} nhóm có dưới 5 người ghép cặp không được hiển thị, để bảo vệ quyền riêng tư.",
        "none": "-",
    },
}

NOTES_VI = {
    notes.NO_PAIRS: "chưa có người nào có cả điểm đầu vào và đầu ra",
    notes.ONE_PAIR: "cần ít nhất 2 người ghép cặp",
    notes.NO_VARIATION_IN_CHANGE: "mọi người thay đổi như nhau nên không có độ dao động",
    notes.NO_VARIATION: "điểm không có độ phân tán (mọi người cùng điểm)",
    notes.CEILING: "cả lớp đạt trung bình 100% ở bài đầu vào, không còn chỗ để tiến bộ",
    notes.ALL_AT_LIMITS: "mọi người đạt 0% hoặc 100% ở cả hai bài",
    notes.NO_CHANGE: "không ai thay đổi điểm",
    notes.TOO_FEW_ITEMS: "cần ít nhất 2 câu hỏi",
    notes.TOO_FEW_PARTICIPANTS: "cần ít nhất 2 người",
    notes.TOO_FEW_FOR_CORRELATION: "cần ít nhất 3 người",
    notes.SUPPRESSED: "dưới 5 người ghép cặp: không hiển thị để bảo vệ quyền riêng tư và vì quá ít kết quả",
    NO_POST: "chưa có điểm bài đầu ra",
    NO_ROSTER: "không có danh sách người tham dự",
    notes.SURVEY_SUPPRESSED: "dưới 5 người trả lời: không hiển thị để bảo vệ quyền riêng tư",
    notes.NO_SURVEY_ANSWERS: "chưa ai trả lời câu này",
    NO_SURVEY: "không có câu trả lời khảo sát: chúng được đọc từ khóa học (--course) có định nghĩa phiếu khảo sát",
    SURVEY_NOT_COLLECTED: "chưa ai nộp phiếu khảo sát (wpskit release survey, rồi wpskit collect survey)",
}


def translate_note(note: str, lang: str) -> str:
    return NOTES_VI.get(note, note) if lang == "vi" else note


def _band(value: float | None, limits: list[tuple[float, str]], text: dict) -> str | None:
    if value is None:
        return None
    for limit, key in limits:
        if value < limit:
            return text[key]
    return text[limits[-1][1]]


def hake_band(g: float | None, text: dict) -> str | None:
    """Hake's (1998) bands: low < 0.3 <= medium < 0.7 <= high."""
    return _band(g, [(0, "hake_loss"), (0.3, "hake_low"), (0.7, "hake_medium"), (math.inf, "hake_high")], text)


def effect_band(d: float | None, text: dict) -> str | None:
    """Cohen's (1988) conventional bands of |d|: 0.2 small, 0.5 medium, 0.8 large."""
    d = None if d is None else abs(d)
    return _band(d, [(0.2, "d_negligible"), (0.5, "d_small"), (0.8, "d_medium"), (math.inf, "d_large")], text)


def alpha_band(alpha: float | None, text: dict) -> str | None:
    return _band(alpha, [(0.5, "alpha_low"), (0.7, "alpha_modest"), (0.8, "alpha_ok"), (math.inf, "alpha_good")], text)


def _number(value, digits: int = 2, suffix: str = "") -> str:
    return "-" if value is None else f"{value:.{digits}f}{suffix}"


def _p(p: float) -> str:
    return "p < 0.0001" if p < 0.0001 else f"p = {p:.4f}"


def _summary_rows(report: Report, lang: str) -> list[dict]:
    """The key figures of the HTML report, each with its value and a plain-language reading or the reason it is missing."""
    text, data, gain = TEXT[lang], report.data, report.data["gain"]
    note = lambda path: translate_note(report.notes.get(path, ""), lang)  # noqa: E731
    n = data["cohort"]["n_paired"]
    p_reading = lambda p: None if p is None else text["p_small"] if p < 0.05 else text["p_large"]  # noqa: E731
    rows = [
        (text["mean_pre"], _number(gain["mean_pre_pct"], 1, "%"), note("gain.mean_pre_pct")),
        (text["mean_post"], _number(gain["mean_post_pct"], 1, "%"), note("gain.mean_post_pct")),
        (text["mean_diff"], "-" if gain["mean_diff_pct"] is None else f"{gain['mean_diff_pct']:+.1f} {text['pp']}",
         note("gain.mean_diff_pct")),
        (text["hake_g"], _number(gain["hake_g"]), note("gain.hake_g") if gain["hake_g"] is None else
         text["hake_reading"].format(band=hake_band(gain["hake_g"], text), share=gain["hake_g"])),
        (text["mean_c"], _number(gain["mean_c"]), note("gain.mean_c") if gain["mean_c"] is None else
         text["c_reading"].format(dropped=_dropped_count(report))),
        (text["pct_improved"], _number(gain["pct_improved"], 0, "%"), note("gain.pct_improved") if gain["pct_improved"]
         is None else text["improved_reading"].format(k=round(gain["pct_improved"] * n / 100), n=n)),
        (text["ttest"], "-" if gain["t"] is None else f"t({gain['df']}) = {gain['t']:.2f}, {_p(gain['p_t'])}",
         note("gain.t") if gain["t"] is None else p_reading(gain["p_t"])),
        (text["wilcoxon"], "-" if gain["wilcoxon_w"] is None else
         f"W = {gain['wilcoxon_w']:g}, {_p(gain['p_wilcoxon'])}",
         note("gain.wilcoxon_w") if gain["wilcoxon_w"] is None else p_reading(gain["p_wilcoxon"])),
        (text["d_z"], "-" if gain["d_z"] is None else
         f"{gain['d_z']:.2f} [{gain['d_z_ci95'][0]:.2f}, {gain['d_z_ci95'][1]:.2f}]",
         note("gain.d_z") if gain["d_z"] is None else text["d_z_reading"].format(band=effect_band(gain["d_z"], text))),
        (text["d_av"], "-" if gain["d_av"] is None else f"{gain['d_av']:.2f} / {gain['g_av']:.2f}",
         note("gain.d_av") if gain["d_av"] is None else text["d_av_reading"].format(band=effect_band(gain["d_av"], text))),
    ]
    for form in FORMS:
        alpha = data["reliability"][form]["alpha"]
        rows.append((text[f"alpha_{form}"], _number(alpha), alpha_band(alpha, text) or note(f"reliability.{form}.alpha")))
    return [{"label": label, "value": value, "reading": reading} for label, value, reading in rows]


def _dropped_count(report: Report) -> int:
    return int(report.participants["normalized_change"].isna().sum()
               - report.participants[["pre_pct", "post_pct"]].isna().any(axis=1).sum())


def _cautions(report: Report, lang: str) -> list[str]:
    text, cohort = TEXT[lang], report.data["cohort"]
    groups = report.groups
    cautions = []
    if cohort["n_post"] == 0:
        cautions.append(text["caution_pre_only"])
    elif cohort["n_pre"] > cohort["n_paired"]:
        cautions.append(text["caution_unpaired"].format(k=cohort["n_pre"] - cohort["n_paired"]))
    if cohort["n_pre"] and cohort["n_post"] > cohort["n_paired"]:
        cautions.append(text["caution_post_only"].format(k=cohort["n_post"] - cohort["n_paired"]))
    if 0 < cohort["n_paired"] < 20:
        cautions.append(text["caution_small_cohort"].format(n=cohort["n_paired"]))
    small = groups[~groups["suppressed"].astype(bool) & (groups["n_paired"] < 10)]
    if len(small):
        cautions.append(text["caution_small_groups"].format(groups=", ".join(small["group"].astype(str))))
    if groups["suppressed"].astype(bool).any():
        cautions.append(text["caution_suppressed"].format(k=int(groups["suppressed"].astype(bool).sum())))
    return cautions


def weak_items(report: Report, limit: int = 8) -> tuple[str, list[str]]:
    """Items of the latest form answered correctly by fewer than half, or with discrimination < 0.2."""
    form = "post" if report.data["cohort"]["n_post"] else "pre"
    items = report.items[(report.items["form"] == form)
                         & report.items["item_id"].isin(report.options.loc[report.options["form"] == form, "item_id"])]
    weak = items[(items["facility"] < 0.5) | (items["discrimination"] < charts.LOW_DISCRIMINATION)]
    return form, list(weak.sort_values("facility")["item_id"].head(limit))


def draw_charts(report: Report, lang: str = "en") -> dict[str, object]:
    """Every chart the data allows, by name; each comes with a plain-language reading in ``chart_readings``."""
    drawers = {}
    if len(report.paired):
        drawers["paired"] = lambda: charts.paired_chart(report.paired, lang)
    drawers["distribution"] = lambda: charts.distribution_chart(report.percentages, lang)
    if len(report.groups):
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
    figures = {name: _guarded(draw, None, report.notes, f"charts.{name}") for name, draw in drawers.items()}
    return {name: figure for name, figure in figures.items() if figure is not None}


def chart_readings(report: Report, lang: str = "en") -> dict[str, str]:
    text, data = TEXT[lang], report.data
    gain, scores = data["gain"], data["scores"]
    readings = {"groups": text["groups_reading"], "distractors": text["distractors_reading"]}
    if len(report.paired):
        readings["paired"] = text["paired_reading"].format(
            k=int((report.paired["post"] > report.paired["pre"]).sum()), n=len(report.paired),
            pre=gain["mean_pre_pct"], post=gain["mean_post_pct"])
    if scores["post"]["n"]:
        readings["distribution"] = text["distribution_reading"].format(pre=scores["pre"]["median_pct"] or 0,
                                                                       post=scores["post"]["median_pct"])
    elif scores["pre"]["n"]:
        readings["distribution"] = text["distribution_pre_only"].format(pre=scores["pre"]["median_pct"])
    objectives = report.objectives
    if len(objectives) and objectives["post_pct"].notna().any() and objectives["hake_g"].notna().any():
        weakest = objectives.loc[objectives["post_pct"].idxmin()]
        best = objectives.loc[objectives["hake_g"].idxmax()]
        readings["objectives"] = text["objectives_reading"].format(
            objective=weakest["objective"], pct=weakest["post_pct"], best=best["objective"], g=best["hake_g"])
    elif len(objectives) and objectives["pre_pct"].notna().any():
        weakest = objectives.loc[objectives["pre_pct"].idxmin()]
        readings["objectives"] = text["objectives_pre_only"].format(objective=weakest["objective"], pct=weakest["pre_pct"])
    form = "post" if data["cohort"]["n_post"] else "pre"
    latest = report.items[report.items["form"] == form]
    readings["items"] = text["items_reading"].format(
        k=int((latest["discrimination"] < charts.LOW_DISCRIMINATION).sum()))
    return readings


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
    environment = jinja2.Environment(loader=jinja2.PackageLoader("wpskit", "templates"),
                                     autoescape=True, undefined=jinja2.StrictUndefined)
    environment.filters["number"] = _number
    environment.filters["note"] = lambda path: translate_note(report.notes.get(path, ""), lang)
    environment.globals["zip"] = zip
    return environment.get_template("report.html.j2").render(
        t=text, lang=lang, data=report.data, variable_labels={v: chart_text[v] for v in stats.GROUP_VARIABLES}, date=dt.date.today().isoformat(), figures=figures,
        summary=_summary_rows(report, lang), cautions=_cautions(report, lang),
        notes=[(path, translate_note(reason, lang)) for path, reason in report.notes.items()],
        st=SURVEY_TEXT[lang], survey=_survey_view(report, lang, survey_charts))


SURVEY_TEXT = {
    "en": {
        "title": "Satisfaction survey (Kirkpatrick level 1)",
        "counted": "{n} of {submitted} submitted surveys counted.",
        "skipped": "{k} left out: answers file missing or unreadable (see the notes below).",
        "ratings": "How far participants agree", "statement": "Statement", "mean": "Mean (1-5)",
        "ratings_reading": "Each bar is one statement: red = disagree, grey = neither, blue = agree. "
        "Cells give the number of answers and their share.",
        "confidence": "Confidence before the workshop and now",
        "confidence_reading": "Participants rated, at the end, how sure they had been before the workshop and how "
        "sure they are now (1 = not sure at all, 5 = completely sure). A self-assessment, read beside the test scores.",
        "before": "Before (mean)", "after": "Now (mean)", "change": "Change",
        "before_levels": "Before: answers at 1-5", "after_levels": "Now: answers at 1-5",
        "groups": "By stakeholder group and gender (mean rating)", "confidence_row": "Confidence, mean of all objectives",
        "suppressed": "fewer than 5: not shown",
        "comments": "Comments", "comments_suppressed": "Fewer than 5 respondents: comments not shown.",
        "no_comments": "No comments.",
        "none": "The survey has not been collected: {reason}",
    },
    "vi": {
        "title": "Khảo sát mức độ hài lòng (cấp độ 1 theo Kirkpatrick)",
        "counted": "Đã tính {n} trong {submitted} phiếu khảo sát đã nộp.",
        "skipped": "{k} phiếu không được tính: thiếu tệp câu trả lời hoặc không đọc được (xem ghi chú bên dưới).",
        "ratings": "Mức độ đồng ý của người tham dự", "statement": "Nhận định", "mean": "Trung bình (1-5)",
        "ratings_reading": "Mỗi thanh là một nhận định: đỏ = không đồng ý, xám = phân vân, xanh = đồng ý. "
        "Mỗi ô ghi số câu trả lời và tỉ lệ.",
        "confidence": "Mức độ tự tin trước hội thảo và bây giờ",
        "confidence_reading": "Cuối hội thảo, người tham dự tự đánh giá trước hội thảo họ chắc chắn đến mức nào và "
        "bây giờ thì sao (1 = hoàn toàn không chắc, 5 = hoàn toàn chắc chắn). Đây là tự đánh giá, nên đọc cùng điểm kiểm tra.",
        "before": "Trước (trung bình)", "after": "Bây giờ (trung bình)", "change": "Thay đổi",
        "before_levels": "Trước: số câu trả lời ở mức 1-5", "after_levels": "Bây giờ: số câu trả lời ở mức 1-5",
        "groups": "Theo nhóm bên liên quan và giới tính (điểm trung bình)",
        "confidence_row": "Mức tự tin, trung bình các mục tiêu",
        "suppressed": "dưới 5 người: không hiển thị",
        "comments": "Góp ý", "comments_suppressed": "Dưới 5 người trả lời: không hiển thị góp ý.",
        "no_comments": "Không có góp ý.",
        "none": "Chưa thu phiếu khảo sát: {reason}",
    },
}


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
        confidence_means = []
        for g in groups:
            if g["suppressed"]:
                confidence_means.append(None)
                continue
            befores = [c["mean_before"] for c in g["confidence"].values() if c["mean_before"] is not None]
            afters = [c["mean_after"] for c in g["confidence"].values() if c["mean_after"] is not None]
            confidence_means.append(f"{np.mean(befores):.1f} → {np.mean(afters):.1f}" if befores and afters else "-")
        tables.append({"variable": variable, "groups": groups, "rows": rows, "confidence": confidence_means})
    comments = None if survey["comments"] is None else [
        {"text": c["text"][lang], "answers": c["answers"]} for c in survey["comments"]]
    return {"data": survey, "ratings": ratings, "confidence": confidence, "tables": tables, "comments": comments,
            "charts": chart_sources, "levels": [label(f"rating_{lv}", lang) for lv in levels]}


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


def report_json(report: Report) -> str:
    """report.json as text; ``allow_nan=False`` guarantees strict JSON."""
    return json.dumps(report.data, ensure_ascii=False, indent=2, allow_nan=False)


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
    (out / "report.json").write_text(report_json(report), encoding="utf-8")
    write_xlsx(report, out / "report.xlsx")
    (out / "report.html").write_text(render_html(report, pngs, lang), encoding="utf-8")
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
    from wpskit import gradebook
    from wpskit.scores import read_roster, read_scores, roster_table

    if (course is None) == (scores is None):
        raise InputDataError("give either --course DIR or --scores scores.csv (one of them)")
    table = gradebook.read_scores(course) if course is not None else read_scores(scores)
    if roster:
        people = read_roster(roster)
    elif course is not None:
        from wpskit.layout import open_course, read_course_roster

        people = roster_table(read_course_roster(open_course(course)))
    else:
        people = None
    objectives, item_types = _item_bank_metadata(item_bank)
    answers = None
    if course is not None:
        from wpskit.survey import load_survey, read_survey_answers

        definition = load_survey(item_bank) if (Path(item_bank) / "objectives.yaml").is_file() else None
        answers = read_survey_answers(Path(course), definition) if definition is not None else None
    report = write_report(table, people, out, objectives=objectives, item_types=item_types, lang=lang, survey=answers)
    if answers is None:
        return report
    warnings = [f"survey answers of {pid} left out: {reason}" for pid, reason in sorted(answers.skipped.items())]
    warnings += [f"survey answer {answer_id} of {pid} left out: {reason}" for pid, answer_id, reason in answers.dropped]
    return dataclasses.replace(report, warnings=tuple(warnings))


def _item_bank_metadata(root: Path) -> tuple[dict[str, str] | None, dict[str, str] | None]:
    """item_id -> objective and item_id -> type from the item bank, or (None, None) where there is none.

    A bank that exists but does not load is an error, not a silent fallback: the report's
    objective table would otherwise quietly change."""
    if not (Path(root) / "objectives.yaml").is_file():
        return None, None
    bank = load_item_bank(root)
    return ({i: item.objective for i, item in bank.items.items()}, {i: item.type for i, item in bank.items.items()})
