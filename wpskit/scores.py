"""Read a contract-3 scores CSV and a roster CSV into validated DataFrames.

The report trusts what this module returns: every row has a participant, a form, an
item, a score between 0 and the item's maximum, and no participant answers the same
item twice on one form. A problem raises ``InputDataError`` naming the file, the row
(as a spreadsheet shows it: the header is row 1), the column and what to do.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from wpskit.errors import InputDataError

SCORE_COLUMNS = ["participant_id", "form", "item_id", "score", "max_score", "response"]
OPTIONAL_SCORE_COLUMNS = ["objective"]
ROSTER_COLUMNS = ["participant_id", "name", "gender", "stakeholder_group", "organisation", "province", "email"]
_TEXT = "str"


def read_scores(path: Path | str) -> pd.DataFrame:
    """Load the tidy scores (one row per participant x form x item) and check them.

    ``form`` is lower-cased; an empty ``response`` becomes missing. An optional
    ``objective`` column (item -> learning objective) is kept.
    """
    path = Path(path)
    header = _read_header(path)
    _require_columns(path, header, SCORE_COLUMNS[:5])
    columns = [c for c in SCORE_COLUMNS + OPTIONAL_SCORE_COLUMNS if c in header]
    text_columns = {c: _TEXT for c in columns if c not in ("score", "max_score")}
    try:
        scores = pd.read_csv(path, encoding="utf-8-sig", usecols=columns, keep_default_na=False,
                             dtype={**text_columns, "score": "float64", "max_score": "float64"})
    except ValueError:
        scores = _read_as_text(path, columns)
        for column in ("score", "max_score"):
            scores[column] = _as_numbers(path, scores, column)
    if "response" not in scores:
        scores["response"] = pd.Series(pd.NA, index=scores.index, dtype=_TEXT)
    for column in ("participant_id", "form", "item_id"):
        scores[column] = scores[column].str.strip()
        _require_filled(path, scores, column)
    scores["form"] = scores["form"].str.lower()
    scores["response"] = scores["response"].where(scores["response"].str.strip() != "")
    _check_score_range(path, scores)
    _check_unique(path, scores, ["participant_id", "form", "item_id"], "answers the same item twice on one form")
    return scores[[c for c in SCORE_COLUMNS + OPTIONAL_SCORE_COLUMNS if c in scores]]


def read_roster(path: Path | str) -> pd.DataFrame:
    """Load the roster: ``participant_id`` (required, unique) and any optional columns.

    Blank optional cells become missing; unknown extra columns are dropped so that
    nothing unexpected travels towards a report.
    """
    path = Path(path)
    header = _read_header(path)
    _require_columns(path, header, ["participant_id"])
    columns = [c for c in ROSTER_COLUMNS if c in header]
    roster = _read_as_text(path, columns)
    for column in columns:
        roster[column] = roster[column].str.strip()
        if column != "participant_id":
            roster[column] = roster[column].where(roster[column] != "")
    _require_filled(path, roster, "participant_id")
    _check_unique(path, roster, ["participant_id"], "appears twice in the roster")
    return roster


def _read_header(path: Path) -> list[str]:
    try:
        header = pd.read_csv(path, encoding="utf-8-sig", nrows=0).columns
    except FileNotFoundError:
        raise InputDataError(f"{path}: file not found; check the path") from None
    except UnicodeDecodeError as error:
        raise InputDataError(f"{path}: not UTF-8 text ({error.reason}); save it as 'CSV UTF-8'") from None
    except pd.errors.EmptyDataError:
        raise InputDataError(f"{path}: the file is empty; it needs a header row") from None
    return [str(c).strip() for c in header]


def _read_as_text(path: Path, columns: list[str]) -> pd.DataFrame:
    frame = pd.read_csv(path, encoding="utf-8-sig", dtype=_TEXT, keep_default_na=False)
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame[columns]


def _require_columns(path: Path, header: list[str], required: list[str]) -> None:
    missing = [c for c in required if c not in header]
    if missing:
        raise InputDataError(
            f"{path}: missing column(s) {', '.join(missing)}; the header row must contain {', '.join(required)}"
        )


def _row(index: int) -> int:
    """Spreadsheet row of a data row: the header is row 1."""
    return int(index) + 2


def _require_filled(path: Path, frame: pd.DataFrame, column: str) -> None:
    empty = frame.index[frame[column].isna() | (frame[column] == "")]
    if len(empty):
        raise InputDataError(f"{path}: row {_row(empty[0])}, column {column}: empty; fill it in or delete the row")


def _as_numbers(path: Path, frame: pd.DataFrame, column: str) -> pd.Series:
    numbers = pd.to_numeric(frame[column].str.strip().str.replace(",", ".", regex=False), errors="coerce")
    bad = frame.index[numbers.isna()]
    if len(bad):
        value = frame.at[bad[0], column]
        raise InputDataError(f"{path}: row {_row(bad[0])}, column {column}: '{value}' is not a number; write e.g. 1 or 0.5")
    return numbers.astype("float64")


def _check_score_range(path: Path, scores: pd.DataFrame) -> None:
    for column in ("score", "max_score"):
        missing = scores.index[scores[column].isna()]
        if len(missing):
            raise InputDataError(f"{path}: row {_row(missing[0])}, column {column}: empty; write a number")
    no_points = scores.index[scores["max_score"] <= 0]
    if len(no_points):
        raise InputDataError(f"{path}: row {_row(no_points[0])}, column max_score: must be more than 0")
    out_of_range = scores.index[(scores["score"] < 0) | (scores["score"] > scores["max_score"])]
    if len(out_of_range):
        row = scores.loc[out_of_range[0]]
        raise InputDataError(
            f"{path}: row {_row(out_of_range[0])}, column score: {row['score']:g} is outside 0..{row['max_score']:g} "
            "(max_score); correct the score or the maximum"
        )


def _check_unique(path: Path, frame: pd.DataFrame, keys: list[str], what: str) -> None:
    repeated = frame.index[frame.duplicated(keys)]
    if len(repeated):
        values = ", ".join(f"{k}={frame.at[repeated[0], k]}" for k in keys)
        raise InputDataError(f"{path}: row {_row(repeated[0])}: {values} {what}; keep one row and delete the other")
