"""The satisfaction survey's figures: distributions of 1-5 ratings, confidence before and after.

Input is tidy (``wpskit.survey.SurveyAnswers.answers``): one row per participant x answer,
``participant_id, question, kind, objective, phase, value`` with ``kind`` "rating" or
"confidence", ``phase`` "before"/"after" for confidence ("" for a rating) and ``value`` 1..5.
Groups follow the same rule as the learning-gain groups (``cohort.group_labels``,
``cohort.is_suppressed``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from wpskit.stats import notes
from wpskit.stats.cohort import GROUP_VARIABLES, MIN_GROUP_SIZE, group_labels, is_suppressed
from wpskit.stats.items import _require_columns

LEVELS = (1, 2, 3, 4, 5)
ANSWER_COLUMNS = ["participant_id", "question", "kind", "objective", "phase", "value"]


def _counts(values: pd.Series, prefix: str) -> dict[str, int]:
    counted = values.value_counts()
    return {f"{prefix}{level}": int(counted.get(level, 0)) for level in LEVELS}


def rating_distribution(answers: pd.DataFrame, questions: Sequence[str] | None = None) -> pd.DataFrame:
    """Per rating question: n answering, the count and percentage at each level 1-5, and the mean.

    ``questions`` fixes the rows and their order (a question nobody answered has n = 0
    and a NaN mean); by default the rating questions present.

    Examples
    --------
    >>> import pandas as pd
    >>> from wpskit.stats import rating_distribution
    >>> answers = pd.DataFrame({"participant_id": list("abcd"), "question": "s-pace", "kind": "rating",
    ...     "objective": "", "phase": "", "value": [4, 5, 4, 2]})
    >>> rating_distribution(answers)[["question", "n", "count_4", "pct_4", "mean"]]
      question  n  count_4  pct_4  mean
    0   s-pace  4        2   50.0  3.75
    """
    _require_columns(answers, ANSWER_COLUMNS)
    ratings = answers[answers["kind"] == "rating"]
    order = list(questions) if questions is not None else list(dict.fromkeys(ratings["question"]))
    rows = []
    for question in order:
        values = ratings.loc[ratings["question"] == question, "value"].astype(int)
        n = len(values)
        counts = _counts(values, "count_")
        row = {"question": question, "n": n, **counts}
        row.update({f"pct_{level}": 100 * counts[f"count_{level}"] / n if n else np.nan for level in LEVELS})
        row["mean"] = values.mean() if n else np.nan
        rows.append(row)
    columns = ["question", "n", *(f"count_{lv}" for lv in LEVELS), *(f"pct_{lv}" for lv in LEVELS), "mean"]
    return pd.DataFrame(rows, columns=columns)


def confidence_change(answers: pd.DataFrame, objectives: Sequence[str] | None = None) -> pd.DataFrame:
    """Per learning objective: confidence before and after, over the participants who gave both.

    n = participants with a before *and* an after answer; mean_before, mean_after and
    mean_change (after - before) are over them, and so are the counts at each level
    (``before_1``..``before_5``, ``after_1``..``after_5``).

    Examples
    --------
    >>> import pandas as pd
    >>> from wpskit.stats import confidence_change
    >>> answers = pd.DataFrame({"participant_id": ["a", "a", "b", "b", "c"], "question": "s-conf-d1-1",
    ...     "kind": "confidence", "objective": "D1.1", "phase": ["before", "after"] * 2 + ["before"],
    ...     "value": [2, 4, 3, 4, 1]})
    >>> confidence_change(answers)[["objective", "n", "mean_before", "mean_after", "mean_change", "after_4"]]
      objective  n  mean_before  mean_after  mean_change  after_4
    0      D1.1  2          2.5         4.0          1.5        2
    """
    _require_columns(answers, ANSWER_COLUMNS)
    confidence = answers[answers["kind"] == "confidence"]
    order = list(objectives) if objectives is not None else list(dict.fromkeys(confidence["objective"]))
    rows = []
    for objective in order:
        mine = confidence[confidence["objective"] == objective]
        wide = mine.pivot_table(index="participant_id", columns="phase", values="value", aggfunc="first")
        wide = wide.reindex(columns=["before", "after"]).dropna()
        n = len(wide)
        question = mine["question"].iloc[0] if len(mine) else None
        before, after = (wide["before"].mean(), wide["after"].mean()) if n else (np.nan, np.nan)
        row = {"objective": objective, "question": question, "n": n,
               "mean_before": before, "mean_after": after, "mean_change": after - before}
        row.update(_counts(wide["before"].astype(int), "before_"))
        row.update(_counts(wide["after"].astype(int), "after_"))
        rows.append(row)
    columns = ["objective", "question", "n", "mean_before", "mean_after", "mean_change",
               *(f"before_{lv}" for lv in LEVELS), *(f"after_{lv}" for lv in LEVELS)]
    return pd.DataFrame(rows, columns=columns)


def survey_groups(respondents: Sequence[str], roster: pd.DataFrame, variables: Sequence[str] = GROUP_VARIABLES,
                  min_size: int = MIN_GROUP_SIZE) -> pd.DataFrame:
    """Respondents per stakeholder group and gender: ``variable, group, n, suppressed, note``.

    The same groups and the same privacy rule as the learning-gain groups: a missing roster
    value is "(not recorded)", a group of fewer than ``min_size`` respondents is suppressed.

    Examples
    --------
    >>> import pandas as pd
    >>> from wpskit.stats import survey_groups
    >>> roster = pd.DataFrame({"participant_id": list("abcdefg"), "gender": list("fffffmm")})
    >>> survey_groups(list("abcdefg"), roster, variables=["gender"])[["group", "n", "suppressed"]]
      group  n  suppressed
    0     f  5       False
    1     m  2        True
    """
    _require_columns(roster, ["participant_id"])
    people = pd.Series(list(respondents), dtype=object)
    tables = []
    for variable in variables:
        if variable not in roster.columns or people.empty:
            continue
        sizes = group_labels(people, roster, variable).value_counts().sort_index()
        tables.append(pd.DataFrame({"variable": variable, "group": sizes.index, "n": sizes.to_numpy()}))
    columns = ["variable", "group", "n", "suppressed", "note"]
    if not tables:
        return pd.DataFrame(columns=columns)
    table = pd.concat(tables, ignore_index=True)
    table["suppressed"] = is_suppressed(table["n"], min_size)
    table["note"] = [notes.SURVEY_SUPPRESSED if hidden else None for hidden in table["suppressed"]]
    return table[columns]


def members(respondents: Sequence[str], roster: pd.DataFrame, variable: str, group: str) -> list[str]:
    """The respondents in one group of `variable` (by the same labels as ``survey_groups``)."""
    people = pd.Series(list(respondents), dtype=object)
    return list(people[group_labels(people, roster, variable).to_numpy() == group])
