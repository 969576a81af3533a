"""The report's words and readings: what each figure means, in English and Vietnamese."""

from __future__ import annotations

import math

from wpskit import charts
from wpskit.report.figures import FORMS, Report
from wpskit.formats import MISSING, decimal, p_value, percent, points
from wpskit.words import fill, section

TEXT = section("report")
# Why a figure is missing: report.json keeps the English; the Vietnamese page shows its translation.
NOTES_VI = dict(zip(section("note")["en"].values(), section("note")["vi"].values()))
SURVEY_TEXT = section("report_survey")


def translate_note(report: Report, note: str, lang: str) -> str:
    """`note` (one of `report`'s, in English) as the page in `lang` shows it."""
    return report.notes_vi.get(note) or NOTES_VI.get(note, note) if lang == "vi" else note


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




def summary_rows(report: Report, lang: str) -> list[dict]:
    """The key figures of the HTML report, each with its value and a plain-language reading or the reason it is missing."""
    text, data, gain = TEXT[lang], report.data, report.data["gain"]
    note = lambda path: translate_note(report, report.notes.get(path, ""), lang)  # noqa: E731
    n = data["cohort"]["n_paired"]
    p_reading = lambda p: None if p is None else text["p_small"] if p < 0.05 else text["p_large"]  # noqa: E731
    d = lambda value: decimal(value, lang)  # noqa: E731  effect sizes, g, alpha: 2 decimals
    # one list separator that cannot be read as a decimal sign: Vietnamese writes 0,25, so a CI reads [0,25; 0,75]
    pair = lambda a, b: f"{d(a)}; {d(b)}" if lang == "vi" else f"{d(a)}, {d(b)}"  # noqa: E731
    rows = [
        (text["mean_pre"], percent(gain["mean_pre_pct"], lang), note("gain.mean_pre_pct")),
        (text["mean_post"], percent(gain["mean_post_pct"], lang), note("gain.mean_post_pct")),
        (text["mean_diff"], MISSING if gain["mean_diff_pct"] is None else
         f"{decimal(gain['mean_diff_pct'], lang, 1, signed=True)} {text['pp']}", note("gain.mean_diff_pct")),
        (text["hake_g"], d(gain["hake_g"]), note("gain.hake_g") if gain["hake_g"] is None else
         fill(text["hake_reading"], lang, band=hake_band(gain["hake_g"], text), share=gain["hake_g"])),
        (text["mean_c"], d(gain["mean_c"]), note("gain.mean_c") if gain["mean_c"] is None else
         fill(text["c_reading"], lang, dropped=_dropped_count(report))),
        (text["pct_improved"], percent(gain["pct_improved"], lang, 0), note("gain.pct_improved") if gain["pct_improved"]
         is None else fill(text["improved_reading"], lang, k=round(gain["pct_improved"] * n / 100), n=n)),
        (text["ttest"], MISSING if gain["t"] is None else f"t({gain['df']}) = {d(gain['t'])}, {p_value(gain['p_t'], lang)}",
         note("gain.t") if gain["t"] is None else p_reading(gain["p_t"])),
        (text["wilcoxon"], MISSING if gain["wilcoxon_w"] is None else
         f"W = {points(gain['wilcoxon_w'], lang)}, {p_value(gain['p_wilcoxon'], lang)}",
         note("gain.wilcoxon_w") if gain["wilcoxon_w"] is None else p_reading(gain["p_wilcoxon"])),
        (text["d_z"], MISSING if gain["d_z"] is None else f"{d(gain['d_z'])} [{pair(*gain['d_z_ci95'])}]",
         note("gain.d_z") if gain["d_z"] is None else fill(text["d_z_reading"], lang, band=effect_band(gain["d_z"], text))),
        (text["d_av"], MISSING if gain["d_av"] is None else f"{d(gain['d_av'])} / {d(gain['g_av'])}",
         note("gain.d_av") if gain["d_av"] is None else fill(text["d_av_reading"], lang, band=effect_band(gain["d_av"], text))),
    ]
    for form in FORMS:
        alpha = data["reliability"][form]["alpha"]
        rows.append((text[f"alpha_{form}"], d(alpha), alpha_band(alpha, text) or note(f"reliability.{form}.alpha")))
    return [{"label": label, "value": value, "reading": reading} for label, value, reading in rows]


def _dropped_count(report: Report) -> int:
    return int(report.participants["normalized_change"].isna().sum()
               - report.participants[["pre_pct", "post_pct"]].isna().any(axis=1).sum())


def cautions(report: Report, lang: str) -> list[str]:
    text, cohort = TEXT[lang], report.data["cohort"]
    groups = report.groups
    cautions = []
    if cohort["n_post"] == 0:
        cautions.append(text["caution_pre_only"])
    elif cohort["n_pre"] > cohort["n_paired"]:
        cautions.append(fill(text["caution_unpaired"], lang, k=cohort["n_pre"] - cohort["n_paired"]))
    if cohort["n_pre"] and cohort["n_post"] > cohort["n_paired"]:
        cautions.append(fill(text["caution_post_only"], lang, k=cohort["n_post"] - cohort["n_paired"]))
    if 0 < cohort["n_paired"] < 20:
        cautions.append(fill(text["caution_small_cohort"], lang, n=cohort["n_paired"]))
    small = groups[~groups["suppressed"].astype(bool) & (groups["n_paired"] < 10)]
    if len(small):
        cautions.append(fill(text["caution_small_groups"], lang, groups=", ".join(small["group"].astype(str))))
    if groups["suppressed"].astype(bool).any():
        cautions.append(fill(text["caution_suppressed"], lang, k=int(groups["suppressed"].astype(bool).sum())))
    return cautions


def chart_readings(report: Report, lang: str = "en") -> dict[str, str]:
    text, data = TEXT[lang], report.data
    gain, scores = data["gain"], data["scores"]
    readings = {"groups": text["groups_reading"], "distractors": text["distractors_reading"]}
    if len(report.paired):
        readings["paired"] = fill(text["paired_reading"], lang, k=int((report.paired["post"] > report.paired["pre"]).sum()),
                                  n=len(report.paired), pre=gain["mean_pre_pct"], post=gain["mean_post_pct"])
    if scores["post"]["n"]:
        readings["distribution"] = fill(text["distribution_reading"], lang, pre=scores["pre"]["median_pct"] or 0,
                                        post=scores["post"]["median_pct"])
    elif scores["pre"]["n"]:
        readings["distribution"] = fill(text["distribution_pre_only"], lang, pre=scores["pre"]["median_pct"])
    objectives = report.objectives
    if len(objectives) and objectives["post_pct"].notna().any() and objectives["hake_g"].notna().any():
        weakest = objectives.loc[objectives["post_pct"].idxmin()]
        best = objectives.loc[objectives["hake_g"].idxmax()]
        readings["objectives"] = fill(text["objectives_reading"], lang, objective=weakest["objective"],
                                      pct=weakest["post_pct"], best=best["objective"], g=best["hake_g"])
    elif len(objectives) and objectives["pre_pct"].notna().any():
        weakest = objectives.loc[objectives["pre_pct"].idxmin()]
        readings["objectives"] = fill(text["objectives_pre_only"], lang, objective=weakest["objective"],
                                      pct=weakest["pre_pct"])
    form = "post" if data["cohort"]["n_post"] else "pre"
    latest = report.items[report.items["form"] == form]
    readings["items"] = fill(text["items_reading"], lang, k=int((latest["discrimination"] < charts.LOW_DISCRIMINATION).sum()))
    return readings
