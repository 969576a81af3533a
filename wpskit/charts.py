"""The report's charts, as matplotlib Figures drawn from the ``wpskit.stats`` tables.

Figures are built with ``matplotlib.figure.Figure`` (Agg canvas, no pyplot state), so
they are safe in a report run and free their memory once dropped. Labels come in
English or Vietnamese (DejaVu Sans, matplotlib's default font, has the tone marks).
No chart names a participant: the paired chart draws anonymous lines.
"""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, ScalarFormatter

from wpskit.files import write_atomically
from wpskit.formats import localized
from wpskit.words import label, section

PRE_COLOUR, POST_COLOUR = "#8c8c8c", "#1f5fa8"
UP_COLOUR, DOWN_COLOUR, FLAT_COLOUR, FLAG_COLOUR = "#2a8a4a", "#c0392b", "#9e9e9e", "#c0392b"
LOW_DISCRIMINATION = 0.2
MAX_LINES = 200

LABELS = section("chart")
# strongly disagree .. strongly agree: two reds, a neutral grey, two blues (reads without colour: % written in)
LEVEL_COLOURS = ("#b2182b", "#ef8a62", "#bababa", "#67a9cf", "#2166ac")


def labels(lang: str) -> dict[str, str]:
    """The chart labels of one language; ``ValueError`` for a language we do not ship."""
    if lang not in LABELS:
        raise ValueError(f"language must be one of {sorted(LABELS)}, got {lang!r}")  # developer-facing
    return LABELS[lang]


def paired_chart(paired: pd.DataFrame, lang: str = "en", max_lines: int = MAX_LINES, seed: int = 0) -> Figure:
    """One line per participant from pre to post, coloured by direction, with the class mean.

    Above ``max_lines`` participants a fixed random sample is drawn (the mean uses everyone),
    so the chart stays readable and fast for any cohort.
    """
    text = labels(lang)
    fig = Figure(figsize=(6.5, 5), layout="constrained")
    ax = fig.add_subplot()
    title = text["paired_title"]
    shown = paired
    if len(paired) > max_lines:
        shown = paired.sample(max_lines, random_state=seed)
        title += "\n(" + text["sample"].format(k=max_lines, n=f"{len(paired):,}") + ")"
    change = shown["post"] - shown["pre"]
    alpha = 0.6 if len(shown) <= 40 else 0.3
    for direction, mask, colour in (("improved", change > 0, UP_COLOUR), ("declined", change < 0, DOWN_COLOUR),
                                    ("unchanged", change == 0, FLAT_COLOUR)):
        rows = shown[mask]
        if len(rows):
            segments = np.stack([np.zeros(len(rows)), rows["pre"], np.ones(len(rows)), rows["post"]], axis=1)
            ax.plot(segments[:, [0, 2]].T, segments[:, [1, 3]].T, color=colour, alpha=alpha, linewidth=1)
            ax.plot([], [], color=colour, label=f"{text[direction]} ({mask.sum():,})")
    if len(paired):
        ax.plot([0, 1], [paired["pre"].mean(), paired["post"].mean()], color="black", linewidth=3,
                marker="o", label=text["class_mean"])
    else:
        ax.text(0.5, 50, text["no_data"], ha="center")
    ax.set(xticks=[0, 1], xticklabels=[text["pre"], text["post"]], xlim=(-0.15, 1.15), ylim=(-2, 102),
           ylabel=text["score_axis"], title=title)
    ax.legend(loc="lower right", fontsize="small")
    ax.grid(axis="y", alpha=0.3)
    return fig


def distribution_chart(percentages: pd.DataFrame, lang: str = "en") -> Figure:
    """Histograms of pre and post percentages (everyone who took each form), with the means."""
    text = labels(lang)
    fig = Figure(figsize=(6.5, 4), layout="constrained")
    ax = fig.add_subplot()
    bins = list(range(0, 101, 10))
    for form, colour in (("pre", PRE_COLOUR), ("post", POST_COLOUR)):
        values = percentages.loc[percentages["form"] == form, "pct"]
        if len(values):
            ax.hist(values, bins=bins, color=colour, alpha=0.55, label=f"{text[form]} (n = {len(values):,})")
            ax.axvline(values.mean(), color=colour, linestyle="--", linewidth=2,
                       label=f"{text[form]}: {text['mean']} {values.mean():.0f}%")
    ax.set(xlim=(0, 100), xlabel=text["score_axis"], ylabel=text["participants"], title=text["distribution_title"])
    ax.legend(fontsize="small", loc="upper left")
    return fig


def group_chart(groups: pd.DataFrame, lang: str = "en") -> Figure:
    """Mean change with its 95% interval per stakeholder group and per gender; small groups named, not shown."""
    text = labels(lang)
    variables = [v for v in ("stakeholder_group", "gender") if v in set(groups["variable"])] or ["stakeholder_group"]
    heights = [max(1.5, 0.45 * (groups["variable"] == v).sum() + 0.8) for v in variables]
    fig = Figure(figsize=(7.5, sum(heights) + 0.8), layout="constrained")
    axes = fig.subplots(len(variables), 1, squeeze=False, gridspec_kw={"height_ratios": heights})[:, 0]
    for ax, variable in zip(axes, variables):
        rows = groups[groups["variable"] == variable].reset_index(drop=True)
        y = np.arange(len(rows))[::-1]
        shown = ~rows["suppressed"].astype(bool)
        low = rows["mean_diff_pct"] - rows["ci95_lo_pct"]
        high = rows["ci95_hi_pct"] - rows["mean_diff_pct"]
        ax.errorbar(rows.loc[shown, "mean_diff_pct"], y[shown], xerr=[low[shown].fillna(0), high[shown].fillna(0)],
                    fmt="o", color=POST_COLOUR, capsize=4)
        for position in y[~shown]:
            ax.text(0, position, text["suppressed"], va="center", ha="left", color=FLAT_COLOUR, fontsize="small")
        ax.axvline(0, color="black", linewidth=0.8)
        ax.set_yticks(y, [f"{g} (n = {n})" for g, n in zip(rows["group"], rows["n_paired"])])
        ax.set_ylim(-0.7, max(len(rows), 1) - 0.3)
        ax.set_title(text[variable], loc="left", fontsize="medium")
        ax.grid(axis="x", alpha=0.3)
        if not len(rows):
            ax.text(0.5, 0.5, text["no_data"], transform=ax.transAxes, ha="center")
    axes[-1].set_xlabel(text["change_axis"])
    fig.suptitle(text["group_title"])
    return fig


def objective_chart(objectives: pd.DataFrame, lang: str = "en") -> Figure:
    """Class mean per learning objective, pre beside post."""
    text = labels(lang)
    rows = objectives.sort_values("objective", ascending=False).reset_index(drop=True)
    fig = Figure(figsize=(6.5, max(2.5, 0.55 * len(rows) + 1.3)), layout="constrained")
    ax = fig.add_subplot()
    y = np.arange(len(rows))
    ax.barh(y + 0.2, rows["pre_pct"].fillna(0), height=0.4, color=PRE_COLOUR, label=text["pre"])
    ax.barh(y - 0.2, rows["post_pct"].fillna(0), height=0.4, color=POST_COLOUR, label=text["post"])
    ax.set_yticks(y, rows["objective"])
    ax.set(xlim=(0, 100), xlabel=text["class_mean_axis"], title=text["objective_title"])
    ax.legend(fontsize="small", loc="lower right")
    ax.grid(axis="x", alpha=0.3)
    return fig


def item_chart(items: pd.DataFrame, lang: str = "en", low_discrimination: float = LOW_DISCRIMINATION) -> Figure:
    """Facility of every item on pre and post; items whose discrimination is low get a red label.

    The flag uses the post-test where there is one, else the pre-test.
    """
    text = labels(lang)
    facility = items.pivot(index="item_id", columns="form", values="facility").reindex(columns=["pre", "post"])
    discrimination = items.pivot(index="item_id", columns="form", values="discrimination")
    latest = discrimination["post"] if "post" in discrimination else discrimination.get("pre")
    flagged = (latest < low_discrimination).reindex(facility.index, fill_value=False) if latest is not None else None
    facility = facility.sort_index(ascending=False)
    fig = Figure(figsize=(6.5, max(3, 0.24 * len(facility) + 1.5)), layout="constrained")
    ax = fig.add_subplot()
    y = np.arange(len(facility))
    ax.hlines(y, facility["pre"], facility["post"], color="#cccccc", linewidth=2)
    ax.scatter(facility["pre"], y, color=PRE_COLOUR, label=text["pre"], zorder=3)
    ax.scatter(facility["post"], y, color=POST_COLOUR, label=text["post"], zorder=3)
    ax.set_yticks(y, facility.index, fontsize="small" if len(y) > 20 else "medium")
    if flagged is not None:
        for tick, item_id in zip(ax.get_yticklabels(), facility.index):
            if flagged.get(item_id, False):
                tick.set_color(FLAG_COLOUR)
                tick.set_fontweight("bold")
        ax.scatter([], [], marker="s", color=FLAG_COLOUR, label=text["low_discrimination"])
    ax.set(xlim=(-0.02, 1.02), ylim=(-0.7, len(y) - 0.3), xlabel=text["facility_axis"], title=text["item_title"])
    fig.legend(fontsize="small", loc="outside lower center", ncol=3)
    ax.grid(axis="x", alpha=0.3)
    return fig


def distractor_chart(options: pd.DataFrame, item_ids: list[str], form: str, lang: str = "en") -> Figure | None:
    """Stacked option shares of the given (weak) items on one form; the correct option in green."""
    text = labels(lang)
    rows = options[(options["form"] == form) & options["item_id"].isin(item_ids)]
    if rows.empty:
        return None
    order = [i for i in item_ids if i in set(rows["item_id"])][::-1]
    fig = Figure(figsize=(7, 0.55 * len(order) + 1.6), layout="constrained")
    ax = fig.add_subplot()
    greys = ["#f0a04b", "#e0c068", "#d9825b", "#b5651d", "#f3c89b"]
    for y, item_id in enumerate(order):
        left = 0.0
        wrong = 0
        for option in rows[rows["item_id"] == item_id].sort_values("option").itertuples():
            colour = UP_COLOUR if option.is_key else greys[wrong % len(greys)]
            wrong += not option.is_key
            ax.barh(y, option.share, left=left, color=colour, edgecolor="white")
            if option.share >= 0.06:
                ax.text(left + option.share / 2, y, f"{option.option}\n{option.share:.0%}", ha="center",
                        va="center", fontsize="x-small", color="white" if option.is_key else "black")
            left += option.share
    ax.set_yticks(range(len(order)), order)
    ax.set(xlim=(0, 1), xlabel=text["share_axis"], title=text["distractor_title"].format(form=text[form]))
    ax.xaxis.set_major_formatter(lambda value, _: f"{value:.0%}")
    legend = [Patch(color=UP_COLOUR, label=text["key"]), Patch(color=greys[0], label=text["distractor"])]
    fig.legend(handles=legend, fontsize="small", loc="outside lower center", ncol=2)
    return fig


def _wrapped(text: str, width: int = 38) -> str:
    return textwrap.fill(text, width)


def survey_rating_chart(ratings: list[dict], lang: str = "en") -> Figure:
    """100% bars of the 1-5 answers to each rating statement, % written in each part, n at the end.

    ``ratings`` are ``report.json``'s ``survey.ratings`` records (question, text, n, pct).
    """
    text = labels(lang)
    rows = ratings[::-1]
    fig = Figure(figsize=(8, 0.75 * len(rows) + 1.9), layout="constrained")
    ax = fig.add_subplot()
    for y, row in enumerate(rows):
        left = 0.0
        for level, colour in zip(range(1, 6), LEVEL_COLOURS):
            share = (row["pct"][str(level)] or 0) / 100
            ax.barh(y, share, left=left, color=colour, edgecolor="white")
            if share >= 0.07:
                ax.text(left + share / 2, y, f"{share:.0%}", ha="center", va="center", fontsize="small",
                        color="white" if level in (1, 5) else "black")
            left += share
        ax.text(1.01, y, f"n = {row['n']}", va="center", fontsize="small")
    ax.set_yticks(range(len(rows)), [_wrapped(row["text"][lang]) for row in rows], fontsize="small")
    ax.set(xlim=(0, 1), xlabel=text["survey_share_axis"], title=text["survey_rating_title"])
    ax.xaxis.set_major_formatter(lambda value, _: f"{value:.0%}")
    legend = [Patch(color=colour, label=label(f"rating_{level}", lang)) for level, colour in zip(range(1, 6), LEVEL_COLOURS)]
    fig.legend(handles=legend, fontsize="x-small", loc="outside lower center", ncol=3)
    return fig


def survey_confidence_chart(confidence: list[dict], lang: str = "en") -> Figure:
    """Mean confidence before the workshop and now, per learning objective (a line from one to the other)."""
    text = labels(lang)
    rows = confidence[::-1]
    fig = Figure(figsize=(7, 0.45 * len(rows) + 1.8), layout="constrained")
    ax = fig.add_subplot()
    y = np.arange(len(rows))
    before = np.array([np.nan if r["mean_before"] is None else r["mean_before"] for r in rows], dtype=float)
    after = np.array([np.nan if r["mean_after"] is None else r["mean_after"] for r in rows], dtype=float)
    ax.hlines(y, before, after, color="#cccccc", linewidth=3)
    ax.scatter(before, y, color=PRE_COLOUR, label=text["before"], zorder=3)
    ax.scatter(after, y, color=POST_COLOUR, label=text["now"], zorder=3)
    ax.set_yticks(y, [f"{r['objective']} (n = {r['n']})" for r in rows])
    ax.set(xlim=(0.8, 5.2), xticks=[1, 2, 3, 4, 5], ylim=(-0.7, len(rows) - 0.3), xlabel=text["survey_confidence_axis"],
           title=text["survey_confidence_title"])
    ax.grid(axis="x", alpha=0.3)
    fig.legend(fontsize="small", loc="outside lower center", ncol=2)
    return fig


def png_bytes(fig: Figure, dpi: int = 110) -> bytes:
    """The figure as PNG bytes (for a data URI or an ipywidgets Image)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def in_language(fig: Figure | None, lang: str) -> Figure | None:
    """Number axes written as `lang` writes numbers (Vietnamese ``0,5``); axes with their own labels are left alone."""
    for ax in fig.axes if fig is not None else []:
        for axis in (ax.xaxis, ax.yaxis):
            if isinstance(axis.get_major_formatter(), ScalarFormatter):
                axis.set_major_formatter(FuncFormatter(lambda value, _: localized(f"{value:g}", lang)))
    return fig


def save_png(fig: Figure, path: Path, dpi: int = 110) -> bytes:
    """Write the figure to ``path`` (atomically) and return the same bytes."""
    data = png_bytes(fig, dpi)
    write_atomically(path, data)
    return data
