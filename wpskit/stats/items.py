"""Item analysis and reliability of one form: alpha, KR-20, facility, discrimination, options.

Inputs are tidy scores (contract 3): ``participant_id, form, item_id, score, max_score,
response``; each form is analysed on its own, over every participant who took it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from wpskit.stats import notes

CHOICE_TYPES = ("single", "truefalse")
_OPTION_KEY = re.compile(r"^[A-Za-z0-9]{1,8}$")


def item_matrix(scores: pd.DataFrame, form: str) -> pd.DataFrame:
    """Participants x items of one form (raw points): the items every participant has a score for.

    An item someone has no score for yet (a written answer waiting for its hand grade while another
    participant's was marked on paper) is left out, not the participants: dropping every participant
    with a gap left one row of eight, and alpha "needed at least 2 participants". ``attrs["left_out"]``
    lists the items left out.

    >>> scores = pd.DataFrame({"participant_id": ["a", "a", "b", "b"], "form": "pre",
    ...                        "item_id": ["q1", "q2", "q1", "q2"], "score": [1, 2, 0, None]})
    >>> matrix = item_matrix(scores, "pre")
    >>> list(matrix.columns), matrix.attrs["left_out"]
    (['q1'], ['q2'])
    """
    _require_columns(scores, ["participant_id", "form", "item_id", "score"])
    rows = scores[scores["form"] == form]
    matrix = rows.pivot(index="participant_id", columns="item_id", values="score")
    complete = matrix.loc[:, matrix.notna().all()]
    complete.attrs["left_out"] = sorted(set(matrix.columns) - set(complete.columns))
    return complete


def cronbach_alpha(matrix) -> pd.DataFrame:
    """Cronbach's alpha of a participants x items score matrix (complete rows only).

    ``alpha = k / (k - 1) * (1 - sum(var_item) / var_total)`` with sample variances.

    Reference: Cronbach, L. J. (1951). Coefficient alpha and the internal structure of
    tests. Psychometrika, 16(3), 297-334.

    Examples
    --------
    >>> from wpskit.stats import cronbach_alpha
    >>> cronbach_alpha([[1, 1, 1], [1, 1, 0], [1, 0, 0], [0, 0, 0]]).round(4)
           n  n_items  alpha  note
    alpha  4        3   0.75  None
    """
    def coefficient(values: np.ndarray, k: int) -> float:
        return k / (k - 1) * (1 - values.var(axis=0, ddof=1).sum() / values.sum(axis=1).var(ddof=1))

    return _reliability("alpha", _complete_rows(matrix), coefficient)


def kr20(matrix) -> pd.DataFrame:
    """Kuder-Richardson formula 20 for items scored 0/1; equals Cronbach's alpha on such items.

    ``KR-20 = k / (k - 1) * (1 - sum(p * q) / var_total)``, p the share correct, q = 1 - p,
    and the total's variance with denominator n, as p * q has.

    Reference: Kuder, G. F., & Richardson, M. W. (1937). The theory of the estimation of
    test reliability. Psychometrika, 2(3), 151-160.

    Examples
    --------
    >>> from wpskit.stats import kr20
    >>> kr20([[1, 1, 1], [1, 1, 0], [1, 0, 0], [0, 0, 0]]).round(4)
          n  n_items  kr20  note
    kr20  4        3  0.75  None
    """
    values = _complete_rows(matrix)
    if not np.isin(values, (0, 1)).all():
        raise ValueError("KR-20 needs items scored 0 or 1; use cronbach_alpha for other scores")  # developer-facing

    def coefficient(values: np.ndarray, k: int) -> float:
        p = values.mean(axis=0)
        return k / (k - 1) * (1 - (p * (1 - p)).sum() / values.sum(axis=1).var(ddof=0))

    return _reliability("kr20", values, coefficient)


def _reliability(name: str, values: np.ndarray, coefficient: Callable[[np.ndarray, int], float]) -> pd.DataFrame:
    """One row `name`: n, n_items, the coefficient, or NaN and a note where it cannot be computed."""
    n, k = values.shape
    note = _reliability_problem(values)
    value = np.nan if note else coefficient(values, k)
    return pd.DataFrame({"n": n, "n_items": k, name: value, "note": [note]}, index=[name])


def _complete_rows(matrix) -> np.ndarray:
    values = np.asarray(matrix, dtype=float)
    if values.ndim != 2:
        raise ValueError("expected a participants x items matrix")  # developer-facing
    return values[~np.isnan(values).any(axis=1)]


def _reliability_problem(values: np.ndarray) -> str | None:
    n, k = values.shape
    if k < 2:
        return notes.TOO_FEW_ITEMS
    if n < 2:
        return notes.TOO_FEW_PARTICIPANTS
    if values.sum(axis=1).var() == 0:
        return notes.NO_VARIATION
    return None


def item_statistics(scores: pd.DataFrame) -> pd.DataFrame:
    """Facility and discrimination of every item on every form.

    facility = mean of score / max_score (0..1, the share of the points earned);
    discrimination = Pearson correlation of the item's score with the rest of the
    participant's score on the same form (total minus the item), the corrected
    item-rest correlation Moodle's quiz statistics report as "discrimination index".
    Below 0.2 an item hardly separates those who know from those who do not.

    Examples
    --------
    >>> import pandas as pd
    >>> from wpskit.stats import item_statistics
    >>> scores = pd.DataFrame({"participant_id": list("aaabbbcccddd"), "form": "pre",
    ...     "item_id": ["q1", "q2", "q3"] * 4, "score": [1, 1, 1, 1, 1, 0, 1, 0, 0, 0, 0, 1], "max_score": 1})
    >>> item_statistics(scores)[["item_id", "n", "facility", "discrimination"]].round(3)
      item_id  n  facility  discrimination
    0      q1  4      0.75           0.000
    1      q2  4      0.50           0.577
    2      q3  4      0.50          -0.302
    """
    _require_columns(scores, ["participant_id", "form", "item_id", "score", "max_score"])
    frame = scores[["participant_id", "form", "item_id", "score", "max_score"]].copy()
    frame["rest"] = frame.groupby(["participant_id", "form"])["score"].transform("sum") - frame["score"]
    frame["share"] = frame["score"] / frame["max_score"]
    by_item = frame.groupby(["form", "item_id"], sort=True)
    centred_score = frame["score"] - by_item["score"].transform("mean")
    centred_rest = frame["rest"] - by_item["rest"].transform("mean")
    sums = pd.DataFrame({"form": frame["form"], "item_id": frame["item_id"], "xy": centred_score * centred_rest,
                         "xx": centred_score**2, "yy": centred_rest**2}).groupby(["form", "item_id"]).sum()
    table = by_item.agg(n=("share", "size"), facility=("share", "mean")).join(sums)
    no_spread = (table["xx"] <= 1e-12 * table["n"]) | (table["yy"] <= 1e-12 * table["n"])
    too_few = table["n"] < 3
    with np.errstate(divide="ignore", invalid="ignore"):
        correlation = table["xy"] / np.sqrt(table["xx"] * table["yy"])
    table["discrimination"] = correlation.where(~(no_spread | too_few)).clip(-1, 1)
    # too few participants says more than no spread: it is written last
    table["note"] = (pd.Series(None, index=table.index, dtype=object)
                     .mask(no_spread, notes.NO_VARIATION).mask(too_few, notes.TOO_FEW_FOR_CORRELATION))
    table = table.reset_index()[["form", "item_id", "n", "facility", "discrimination", "note"]]
    return table.sort_values(["form", "item_id"], key=_forms_in_order, ignore_index=True)


def _forms_in_order(column: pd.Series) -> pd.Series:
    """Sort key: pre before post, other forms after them alphabetically; other columns as they are."""
    if column.name != "form":
        return column
    return column.map({"pre": "0", "post": "1"}).fillna("2" + column.astype(str))


def option_shares(scores: pd.DataFrame, item_types: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Share of the participants who answered an item that chose each option.

    Only single-choice and true/false items count. ``item_types`` (item_id -> type, from
    the item bank) says which they are; an item it does not list counts when every
    recorded response is a short option key such as ``a`` or ``true``. ``is_key`` marks
    the option that earned full marks.

    Examples
    --------
    >>> import pandas as pd
    >>> from wpskit.stats import option_shares
    >>> scores = pd.DataFrame({"participant_id": list("abcd"), "form": "pre", "item_id": "q1",
    ...     "score": [1, 0, 0, 1], "max_score": 1, "response": ["b", "a", "c", "b"]})
    >>> option_shares(scores)
      form item_id option  count  n  share  is_key
    0  pre      q1      a      1  4   0.25   False
    1  pre      q1      b      2  4   0.50    True
    2  pre      q1      c      1  4   0.25   False
    """
    _require_columns(scores, ["form", "item_id", "score", "max_score", "response"])
    answered = scores[scores["response"].notna()][["form", "item_id", "score", "max_score", "response"]]
    answered = answered.assign(response=answered["response"].astype(str).str.strip())
    looks_like_key = answered["response"].str.fullmatch(_OPTION_KEY.pattern).astype(bool)
    choice = looks_like_key.groupby([answered["form"], answered["item_id"]]).transform("all")
    if item_types is not None:
        known_type = answered["item_id"].map(item_types)
        choice = choice.where(known_type.isna(), known_type.isin(CHOICE_TYPES))
    answered = answered[choice.astype(bool)]
    answered = answered.assign(full=answered["score"] >= answered["max_score"])
    table = (answered.groupby(["form", "item_id", "response"])
             .agg(count=("full", "size"), full_share=("full", "mean")).reset_index())
    table["n"] = table.groupby(["form", "item_id"])["count"].transform("sum")
    table["share"] = table["count"] / table["n"]
    table["is_key"] = table["full_share"] > 0.5
    table = table.rename(columns={"response": "option"})
    return table[["form", "item_id", "option", "count", "n", "share", "is_key"]]


def _require_columns(frame: pd.DataFrame, columns: list[str]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"scores lack the column(s) {missing}")  # developer-facing
