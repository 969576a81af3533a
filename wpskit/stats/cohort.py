"""From tidy scores to percentages, pairs, groups and learning objectives.

A participant's score on a form is ``sum(score) / sum(max_score) * 100``; "paired" means
a participant with both a pre and a post score. Scores count in whole thousandths of a point
(contract 1 rounds them to 3 decimals) and a percentage is one correctly rounded division
of two such integers, so equal ratios (1/12 and 2/24) give the same number to the last
bit; differences are then exact (``wpskit.stats.paired.exact_differences``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from wpskit.stats import notes
from wpskit.stats.items import _require_columns
from wpskit.stats.paired import PRECISION, exact_differences

GROUP_VARIABLES = ("stakeholder_group", "gender")
MIN_GROUP_SIZE = 5
NOT_RECORDED = "(not recorded)"


def form_percentages(scores: pd.DataFrame) -> pd.DataFrame:
    """Each participant's percentage of the form's maximum, one row per participant x form.

    Examples
    --------
    >>> import pandas as pd
    >>> from wpskit.stats import form_percentages
    >>> scores = pd.DataFrame({"participant_id": ["a", "a", "a", "a"], "form": ["pre", "pre", "post", "post"],
    ...     "item_id": ["q1", "q2", "q1", "q2"], "score": [1, 0, 1, 1.5], "max_score": [1, 2, 1, 2]})
    >>> form_percentages(scores).round(2)
      participant_id  form  score  max_score    pct
    0              a  post    2.5        3.0  83.33
    1              a   pre    1.0        3.0  33.33
    """
    _require_columns(scores, ["participant_id", "form", "score", "max_score"])
    milli = scores.assign(score=_thousandths(scores["score"]), max_score=_thousandths(scores["max_score"]))
    totals = milli.groupby(["participant_id", "form"], as_index=False)[["score", "max_score"]].sum()
    totals["pct"] = 100 * totals["score"] / totals["max_score"]
    totals[["score", "max_score"]] = totals[["score", "max_score"]] / 1000
    return totals


def _thousandths(points: pd.Series) -> pd.Series:
    """Points as whole thousandths (int64): sums of them are exact."""
    return np.rint(points.astype(float) * 1000).astype("int64")


def pair_pre_post(percentages: pd.DataFrame) -> pd.DataFrame:
    """Participants with both a pre and a post percentage: ``participant_id, pre, post``.

    Examples
    --------
    >>> import pandas as pd
    >>> from wpskit.stats import pair_pre_post
    >>> percentages = pd.DataFrame({"participant_id": ["a", "a", "b"], "form": ["pre", "post", "pre"],
    ...     "pct": [40.0, 70.0, 50.0]})
    >>> pair_pre_post(percentages)
      participant_id   pre  post
    0              a  40.0  70.0
    """
    _require_columns(percentages, ["participant_id", "form", "pct"])
    wide = percentages[percentages["form"].isin(["pre", "post"])].pivot(
        index="participant_id", columns="form", values="pct")
    wide = wide.reindex(columns=["pre", "post"]).dropna()
    wide.columns.name = None
    return wide.reset_index()


def group_labels(participant_ids: pd.Series, roster: pd.DataFrame, variable: str) -> pd.Series:
    """Each participant's group on `variable` (a roster column); a missing value is "(not recorded)".

    >>> import pandas as pd
    >>> roster = pd.DataFrame({"participant_id": ["a", "b"], "gender": ["female", None]})
    >>> list(group_labels(pd.Series(["a", "b", "c"]), roster, "gender"))
    ['female', '(not recorded)', '(not recorded)']
    """
    labels = roster.set_index("participant_id")[variable]
    return participant_ids.map(labels).astype(object).fillna(NOT_RECORDED)


def is_suppressed(n, min_size: int = MIN_GROUP_SIZE):
    """The privacy rule of every group figure in the report: a group of fewer than
    `min_size` people is named, with its size, but shows no figures. Works on a number or a Series.

    >>> is_suppressed(4), is_suppressed(5)
    (True, False)
    """
    return n < min_size


def group_gains(paired: pd.DataFrame, roster: pd.DataFrame,
                variables: Sequence[str] = GROUP_VARIABLES, min_size: int = MIN_GROUP_SIZE) -> pd.DataFrame:
    """Gain of each stakeholder group and gender; groups under ``min_size`` are suppressed.

    Per group: n_paired, class means, Hake's g, d_z and the mean change in percentage
    points with its t-based 95% interval. A missing roster value is its own group,
    "(not recorded)". Suppressed rows keep only their name and size.

    Examples
    --------
    >>> import pandas as pd
    >>> from wpskit.stats import group_gains
    >>> paired = pd.DataFrame({"participant_id": list("abcdefg"),
    ...     "pre": [40, 50, 60, 50, 40, 30, 70], "post": [60, 80, 70, 60, 70, 60, 80]})
    >>> roster = pd.DataFrame({"participant_id": list("abcdefg"), "gender": list("fffffmm")})
    >>> table = group_gains(paired, roster, variables=["gender"])
    >>> table[["group", "n_paired", "suppressed", "hake_g", "d_z"]].round(3)
      group  n_paired  suppressed  hake_g  d_z
    0     f         5       False   0.385  2.0
    1     m         2        True     NaN  NaN
    """
    _require_columns(paired, ["participant_id", "pre", "post"])
    _require_columns(roster, ["participant_id"])
    tables = []
    for variable in variables:
        if variable not in roster.columns:
            continue
        group = group_labels(paired["participant_id"], roster, variable)
        frame = paired.assign(group=group.to_numpy(),
                              diff=exact_differences(paired["pre"], paired["post"]) / 10.0**PRECISION)
        table = frame.groupby("group").agg(
            n_paired=("diff", "size"), mean_pre_pct=("pre", "mean"), mean_post_pct=("post", "mean"),
            mean_diff_pct=("diff", "mean"), sd_diff_pct=("diff", "std"))
        tables.append(table.reset_index().assign(variable=variable))
    columns = ["variable", "group", "n_paired", "suppressed", "mean_pre_pct", "mean_post_pct", "hake_g", "d_z",
               "mean_diff_pct", "ci95_lo_pct", "ci95_hi_pct", "note"]
    if not tables:
        return pd.DataFrame(columns=columns)
    table = pd.concat(tables, ignore_index=True)
    return _add_group_figures(table, min_size)[columns]


def _add_group_figures(table: pd.DataFrame, min_size: int) -> pd.DataFrame:
    n = table["n_paired"]
    sd = table["sd_diff_pct"]
    with np.errstate(divide="ignore", invalid="ignore"):
        table["hake_g"] = (table["mean_post_pct"] - table["mean_pre_pct"]) / (100 - table["mean_pre_pct"])
        table["d_z"] = table["mean_diff_pct"] / sd
        half_width = stats.t.ppf(0.975, n - 1) * sd / np.sqrt(n)
    table["ci95_lo_pct"] = table["mean_diff_pct"] - half_width
    table["ci95_hi_pct"] = table["mean_diff_pct"] + half_width
    table["suppressed"] = is_suppressed(n, min_size)
    ceiling = table["mean_pre_pct"] >= 100
    no_spread = ~(sd > 0)
    table.loc[ceiling, "hake_g"] = np.nan
    table.loc[no_spread, ["d_z", "ci95_lo_pct", "ci95_hi_pct"]] = np.nan
    note = np.select([table["suppressed"], ceiling, no_spread],
                     [notes.SUPPRESSED, notes.CEILING, notes.NO_VARIATION_IN_CHANGE], "")
    table["note"] = [text or None for text in note]
    figures = ["mean_pre_pct", "mean_post_pct", "hake_g", "d_z", "mean_diff_pct", "ci95_lo_pct", "ci95_hi_pct"]
    table.loc[table["suppressed"], figures] = np.nan
    return table


def objective_percentages(scores: pd.DataFrame, objectives: Mapping[str, str],
                          participants: Sequence[str] | None = None) -> pd.DataFrame:
    """Class mean percentage per learning objective on pre and post, and Hake's g.

    Each participant's percentage on an objective is their points on its items over
    the items' maximum; the class mean is taken over ``participants`` (the paired ones,
    in the report) or over everyone who took the form. Items without an objective are
    left out.

    Examples
    --------
    >>> import pandas as pd
    >>> from wpskit.stats import objective_percentages
    >>> scores = pd.DataFrame({"participant_id": ["a"] * 4 + ["b"] * 4, "form": ["pre", "pre", "post", "post"] * 2,
    ...     "item_id": ["q1", "q2"] * 4, "score": [0, 1, 1, 1, 1, 0, 1, 1], "max_score": 1})
    >>> objective_percentages(scores, {"q1": "D1.1", "q2": "D1.1"})
      objective  n_items  pre_pct  post_pct  hake_g
    0      D1.1        2     50.0     100.0     1.0
    """
    _require_columns(scores, ["participant_id", "form", "item_id", "score", "max_score"])
    frame = scores[scores["form"].isin(["pre", "post"])]
    if participants is not None:
        frame = frame[frame["participant_id"].isin(participants)]
    frame = frame.assign(objective=frame["item_id"].map(objectives)).dropna(subset=["objective"])
    per_person = frame.groupby(["objective", "form", "participant_id"])[["score", "max_score"]].sum()
    per_person["pct"] = 100 * per_person["score"] / per_person["max_score"]
    means = per_person["pct"].groupby(["objective", "form"]).mean().unstack("form")
    means = means.reindex(columns=["pre", "post"]).rename(columns={"pre": "pre_pct", "post": "post_pct"})
    means.columns.name = None
    with np.errstate(divide="ignore", invalid="ignore"):
        g = (means["post_pct"] - means["pre_pct"]) / (100 - means["pre_pct"])
    means["hake_g"] = g.where(means["pre_pct"] < 100)
    n_items = frame.groupby("objective")["item_id"].nunique().rename("n_items")
    return means.join(n_items).reset_index()[["objective", "n_items", "pre_pct", "post_pct", "hake_g"]]
