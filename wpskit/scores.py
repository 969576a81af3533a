"""The report's one way in: tidy scores (contract 3) from a course or a CSV, and the roster.

A scores CSV (``read_scores``) and the course's gradebook (``wpskit.gradebook.read_scores``)
pass through one validator (``validate_scores``), so the two give the same table, row for
row, and the same report. The report trusts what it returns: every row has a participant, a form, an
item, a maximum above 0, a score between 0 and that maximum or none, and no participant
answers the same item twice on one form. A problem raises ``InputDataError`` naming the
file, the row (as a spreadsheet shows it: the header is row 1), the column and what to do.

**Written answers waiting for a hand grade** have no score (an empty ``score`` cell).
The rule (``awaiting_hand_grade``): they are left out of both the score and the maximum
until graded, so they lower no one's percentage, and the report's notes count them and
name their items (``notes["scores.awaiting_hand_grade"]``), never the participants.

The roster is read by ``wpskit.roster.read_roster``, the reader of ``wpskit roster
import``, so the report's groups are spelled as the course's are (``nữ``, ``Nam`` and
``female`` are one gender).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from wpskit import roster as roster_csv
from wpskit.errors import InputDataError
from wpskit.words import label

SCORE_COLUMNS = ["participant_id", "form", "item_id", "score", "max_score", "response"]
OPTIONAL_SCORE_COLUMNS = ["objective"]
ROSTER_COLUMNS = list(roster_csv.KNOWN_COLUMNS)
_TEXT = "str"
# The course's scores carry in attrs[UNREADABLE] the submissions left out for a missing or damaged
# answers file, as (form, "missing" | "damaged"): the report counts them in its notes, naming no one.
UNREADABLE = "unreadable_answers"
# `wpskit export` writes those submissions' rows too, with this column saying why they are no real score.
STATUS = "status"
UNREADABLE_STATUSES = ("missing", "damaged")


def read_scores(path: Path | str) -> pd.DataFrame:
    """Load a tidy scores CSV (one row per participant x form x item) and check it.

    ``form`` is lower-cased; an empty ``response`` becomes missing; an empty ``score`` is a
    written answer waiting for its hand grade. An optional ``objective`` column
    (item -> learning objective) is kept.
    """
    path = Path(path)
    header = _read_header(path)
    _require_columns(path, header, SCORE_COLUMNS[:5])
    columns = [c for c in SCORE_COLUMNS + OPTIONAL_SCORE_COLUMNS if c in header]
    scores = _read_as_text(path, columns + ([STATUS] if STATUS in header else []))
    for column in ("score", "max_score"):
        scores[column] = _as_numbers(path, scores, column)
    if STATUS not in scores:
        return validate_scores(scores, path)
    status = scores.pop(STATUS).str.strip()
    unknown = scores.index[~status.isin(["", *UNREADABLE_STATUSES])]
    if len(unknown):
        raise InputDataError(label("error.scores_unknown_status", file=path, row=_row(unknown[0]), column=STATUS,
                                   value=status[unknown[0]], allowed=", ".join(UNREADABLE_STATUSES)))
    validate_scores(scores, path)  # every row checked, named by its row in the file
    left_out = scores.loc[status != "", ["participant_id", "form"]].assign(status=status[status != ""])
    checked = validate_scores(scores[status == ""], path)
    checked.attrs[UNREADABLE] = sorted((row.form.lower(), row.status) for row in
                                       left_out.drop_duplicates(["participant_id", "form"]).itertuples())
    return checked


def validate_scores(scores: pd.DataFrame, source: Path | str) -> pd.DataFrame:
    """The one check of tidy scores, whatever their source; rows sorted by form, participant, item.

    Text columns are stripped strings, the response kept exactly (an empty one is missing), ``score`` and
    ``max_score`` floats (a missing score waits for a hand grade).
    """
    scores = scores.reset_index(drop=True).copy()
    if "response" not in scores:
        scores["response"] = None
    for column in ("participant_id", "form", "item_id", "response", *OPTIONAL_SCORE_COLUMNS):
        if column in scores:
            keep = (lambda v: str(v)) if column == "response" else (lambda v: str(v).strip())
            scores[column] = scores[column].map(lambda v: None if v is None or v != v else keep(v)).astype(object)
    for column in ("participant_id", "form", "item_id"):
        _require_filled(source, scores, column)
    scores["form"] = scores["form"].str.lower()
    scores["response"] = scores["response"].where(scores["response"] != "", None)
    for column in ("score", "max_score"):
        scores[column] = pd.to_numeric(scores[column]).astype("float64")
    _check_score_range(source, scores)
    _check_one_answer_per_item(source, scores)
    scores = scores.sort_values(["form", "participant_id", "item_id"], kind="stable").reset_index(drop=True)
    return scores[[c for c in SCORE_COLUMNS + OPTIONAL_SCORE_COLUMNS if c in scores]]


def awaiting_hand_grade(scores: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(graded rows, rows waiting for a hand grade): the second are left out of score and maximum."""
    waiting = scores["score"].isna()
    return scores[~waiting], scores[waiting]


def awaiting_note(waiting: pd.DataFrame, language: str | None = None) -> str | None:
    """The report's note on answers waiting for a hand grade: how many, on which items; no participant."""
    if waiting.empty:
        return None
    counts = waiting.groupby(["item_id", "form"]).size()
    items = "; ".join(f"{item_id} ({', '.join(f'{form} {n}' for form, n in per_form.droplevel(0).items())})"
                      for item_id, per_form in counts.groupby(level=0))
    return label("note.awaiting_hand_grade", language, count=len(waiting), items=items)


def read_roster(path: Path | str) -> pd.DataFrame:
    """The roster as ``wpskit roster import`` reads it (``wpskit.roster``), as a table of its known columns.

    Blank cells become missing; columns the design does not name are dropped so that
    nothing unexpected travels towards a report.
    """
    return roster_table(roster_csv.read_roster(path))


def roster_table(participants: list[roster_csv.Participant]) -> pd.DataFrame:
    """Participants as a DataFrame of the known roster columns, blanks missing."""
    rows = [{column: getattr(p, column) or None for column in ROSTER_COLUMNS} for p in participants]
    return pd.DataFrame(rows, columns=ROSTER_COLUMNS).astype(object)


def _read_header(path: Path) -> list[str]:
    try:
        header = pd.read_csv(path, encoding="utf-8-sig", nrows=0).columns
    except FileNotFoundError:
        raise InputDataError(label("error.scores_file_not_found", file=path)) from None
    except UnicodeDecodeError as error:
        raise InputDataError(label("error.scores_not_utf8", file=path, reason=error.reason)) from None
    except pd.errors.EmptyDataError:
        raise InputDataError(label("error.scores_empty", file=path)) from None
    return [str(c).strip() for c in header]


def _read_as_text(path: Path, columns: list[str]) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, encoding="utf-8-sig", dtype=_TEXT, keep_default_na=False)
    except pd.errors.ParserError as error:
        raise InputDataError(label("error.scores_unreadable_csv", file=path, reason=str(error).strip())) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame[columns]


def _require_columns(path: Path, header: list[str], required: list[str]) -> None:
    missing = [c for c in required if c not in header]
    if missing:
        raise InputDataError(label("error.scores_missing_columns", file=path, missing=", ".join(missing),
                                   required=", ".join(required)))


def _row(index: int) -> int:
    """Spreadsheet row of a data row: the header is row 1."""
    return int(index) + 2


def _require_filled(path: Path | str, frame: pd.DataFrame, column: str) -> None:
    empty = frame.index[frame[column].isna() | (frame[column] == "")]
    if len(empty):
        raise InputDataError(label("error.scores_empty_cell", file=path, row=_row(empty[0]), column=column))


def _as_numbers(path: Path, frame: pd.DataFrame, column: str) -> pd.Series:
    text = frame[column].str.strip()
    numbers = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce")
    bad = frame.index[numbers.isna() & (text != "")]
    if len(bad):
        value = frame.at[bad[0], column]
        raise InputDataError(label("error.scores_not_a_number", file=path, row=_row(bad[0]), column=column, value=value))
    return numbers.astype("float64")


def _check_score_range(path: Path | str, scores: pd.DataFrame) -> None:
    missing = scores.index[scores["max_score"].isna()]
    if len(missing):
        raise InputDataError(label("error.scores_no_maximum", file=path, row=_row(missing[0])))
    infinite = scores.index[np.isinf(scores["score"]) | np.isinf(scores["max_score"])]
    if len(infinite):
        raise InputDataError(label("error.scores_infinite", file=path, row=_row(infinite[0])))
    no_points = scores.index[scores["max_score"] <= 0]
    if len(no_points):
        raise InputDataError(label("error.scores_no_points", file=path, row=_row(no_points[0])))
    out_of_range = scores.index[(scores["score"] < 0) | (scores["score"] > scores["max_score"])]
    if len(out_of_range):
        row = scores.loc[out_of_range[0]]
        raise InputDataError(label("error.scores_out_of_range", file=path, row=_row(out_of_range[0]),
                                   score=row["score"], maximum=row["max_score"]))


def _check_one_answer_per_item(path: Path | str, frame: pd.DataFrame) -> None:
    keys = ["participant_id", "form", "item_id"]
    repeated = frame.index[frame.duplicated(keys)]
    if len(repeated):
        values = ", ".join(f"{k}={frame.at[repeated[0], k]}" for k in keys)
        raise InputDataError(label("error.scores_same_item_twice", file=path, row=_row(repeated[0]), values=values))


def unreadable_note(unreadable: list[tuple[str, str]], language: str | None = None) -> str | None:
    """The report's note on submissions left out because their answers file is missing or damaged."""
    if not unreadable:
        return None
    counts: dict[str, dict[str, int]] = {}
    for form, problem in unreadable:
        counts.setdefault(form, {}).setdefault(problem, 0)
        counts[form][problem] += 1
    parts = "; ".join(f"{form}: " + ", ".join(f"{label(f'note.unreadable_{p}', language)} {n}" for p, n in sorted(by.items()))
                      for form, by in sorted(counts.items()))
    return label("note.unreadable_answers", language, count=len(unreadable), parts=parts)
