"""The report (contract 4): every JSON figure against an independent scipy computation, edge cases, privacy."""

import json
import re
import zipfile
from fractions import Fraction
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
from nbclient import NotebookClient
from scipy import stats as scipy_stats
from typer.testing import CliRunner

import wpskit.stats.paired
from wpskit.cli import app
from wpskit.errors import InputDataError
from wpskit.report import write_report

GAIN_KEYS = {"mean_diff_pct", "sd_diff_pct", "hake_g", "mean_c", "pct_improved", "t", "df", "p_t", "wilcoxon_w",
             "p_wilcoxon", "d_z", "d_z_ci95", "d_av", "g_av"}


def strict_json(text: str) -> dict:
    def reject(constant):
        raise ValueError(f"non-strict JSON constant {constant}")
    return json.loads(text, parse_constant=reject)


def cohort(n=60, n_items=15, seed=42, post_missing=8):
    """An independent data set: partial credit (some items worth 2 points), names and emails in the roster."""
    rng = np.random.default_rng(seed)
    ids = [f"id-{k:03d}" for k in range(n)]
    maxima = np.where(np.arange(n_items) % 4 == 0, 2.0, 1.0)
    ability = rng.normal(0, 1, n)
    rows = []
    for form, shift, people in (("pre", 0.0, ids), ("post", 0.9, ids[post_missing:])):
        for pid in people:
            theta = ability[ids.index(pid)] + shift + rng.normal(0, 0.3)
            for k in range(n_items):
                p = 1 / (1 + np.exp(-(theta - (k - 7) / 5)))
                score = rng.binomial(int(maxima[k]), p)
                rows.append((pid, form, f"item-{k:02d}", float(score), maxima[k], "abcd"[rng.integers(4)]))
    scores = pd.DataFrame(rows, columns=["participant_id", "form", "item_id", "score", "max_score", "response"])
    roster = pd.DataFrame({"participant_id": ids, "name": [f"Nguyễn Văn {k}" for k in range(n)],
                           "email": [f"person{k}@example.org" for k in range(n)],
                           "gender": rng.choice(["nữ", "nam"], n),
                           "stakeholder_group": rng.choice(["media", "academia", "NGO", "tiny"], n, p=[.3, .3, .35, .05])})
    return scores, roster


def expected_figures(scores):
    totals = scores.groupby(["participant_id", "form"])[["score", "max_score"]].sum()
    pct = (100 * totals["score"] / totals["max_score"]).unstack()
    paired = pct.dropna()
    pre, post = paired["pre"].to_numpy(), paired["post"].to_numpy()
    diff = post - pre
    n = len(diff)
    c = [(b - a) / (100 - a) if b > a else (b - a) / a if b < a else 0.0
         for a, b in zip(pre, post) if not (a == b and a in (0, 100))]
    d_av = diff.mean() / ((pre.std(ddof=1) + post.std(ddof=1)) / 2)
    # ranks and signs on exact differences (integer points here): equal changes tie exactly
    exact = {form: {pid: Fraction(100 * int(row["score"]), int(row["max_score"]))
                    for (pid, f), row in totals.iterrows() if f == form} for form in ("pre", "post")}
    exact_diff = [float(exact["post"][pid] - exact["pre"][pid]) for pid in paired.index]
    wilcoxon = scipy_stats.wilcoxon(exact_diff)
    ttest = scipy_stats.ttest_rel(post, pre)
    return {"mean_diff_pct": diff.mean(), "sd_diff_pct": diff.std(ddof=1),
            "hake_g": (post.mean() - pre.mean()) / (100 - pre.mean()), "mean_c": np.mean(c),
            "pct_improved": 100 * np.mean(np.array(exact_diff) > 0), "t": ttest.statistic, "df": n - 1, "p_t": ttest.pvalue,
            "wilcoxon_w": wilcoxon.statistic, "p_wilcoxon": wilcoxon.pvalue, "d_z": diff.mean() / diff.std(ddof=1),
            "d_av": d_av, "g_av": d_av * (1 - 3 / (8 * n - 9))}, pct


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    scores, roster = cohort()
    out = tmp_path_factory.mktemp("report")
    objectives = {f"item-{k:02d}": f"D{1 + k % 3}.1" for k in range(15)}
    report = write_report(scores, roster, out, objectives=objectives)
    return scores, roster, out, report


def test_every_gain_figure_matches_scipy_to_3_decimals(written):
    scores, _, out, _ = written
    data = strict_json((out / "report.json").read_text(encoding="utf-8"))
    expected, pct = expected_figures(scores)
    assert GAIN_KEYS <= set(data["gain"])
    for key, value in expected.items():
        assert round(data["gain"][key], 3) == round(float(value), 3), key
    assert data["cohort"] == {"n_roster": 60, "n_pre": 60, "n_post": 52, "n_paired": 52}
    assert round(data["scores"]["pre"]["sd_pct"], 3) == round(pct["pre"].std(ddof=1), 3)
    assert round(data["scores"]["post"]["median_pct"], 3) == round(pct["post"].median(), 3)


def test_dz_interval_brackets_the_estimate(written):
    data = written[3].data
    low, high = data["gain"]["d_z_ci95"]
    assert low < data["gain"]["d_z"] < high


def test_reliability_and_items_match_independent_computation(written):
    scores, _, _, report = written
    maxima = scores.groupby("item_id")["max_score"].first()
    for form in ("pre", "post"):
        matrix = scores[scores["form"] == form].pivot(index="participant_id", columns="item_id", values="score")
        covariance = np.cov(matrix.to_numpy(), rowvar=False)
        alpha = 15 / 14 * (1 - np.trace(covariance) / covariance.sum())
        assert round(report.data["reliability"][form]["alpha"], 3) == round(alpha, 3)
        assert report.data["reliability"][form]["n_items"] == 15
        for item in [i for i in report.data["items"] if i["form"] == form]:
            column = matrix[item["item_id"]]
            rest = matrix.sum(axis=1) - column
            assert round(item["facility"], 3) == round((column / maxima[item["item_id"]]).mean(), 3)
            assert round(item["discrimination"], 3) == round(np.corrcoef(column, rest)[0, 1], 3)
            assert item["objective"] == f"D{1 + int(item['item_id'][-2:]) % 3}.1"
            assert sum(item["options"].values()) == pytest.approx(1)


def test_groups_and_objectives_follow_the_contract(written):
    scores, roster, _, report = written
    groups = {(g["variable"], g["group"]): g for g in report.data["groups"]}
    assert set(next(iter(groups.values()))) == {"variable", "group", "n_paired", "suppressed", "mean_pre_pct",
                                                 "mean_post_pct", "hake_g", "d_z"}
    tiny = groups[("stakeholder_group", "tiny")]
    assert tiny["suppressed"] and tiny["n_paired"] < 5 and tiny["hake_g"] is None and tiny["mean_pre_pct"] is None
    _, pct = expected_figures(scores)
    paired = pct.dropna().join(roster.set_index("participant_id")["gender"])
    women = paired[paired["gender"] == "nữ"]
    g = (women["post"].mean() - women["pre"].mean()) / (100 - women["pre"].mean())
    assert round(groups[("gender", "nữ")]["hake_g"], 3) == round(g, 3)
    assert [o["objective"] for o in report.data["objectives"]] == ["D1.1", "D2.1", "D3.1"]
    assert set(report.data["objectives"][0]) == {"objective", "pre_pct", "post_pct", "hake_g"}


def test_no_name_email_or_id_anywhere_in_the_outputs(written):
    _, roster, out, _ = written
    with zipfile.ZipFile(out / "report.xlsx") as workbook:
        xlsx_text = "".join(workbook.read(name).decode("utf-8") for name in workbook.namelist()
                            if name.endswith(".xml"))
    for text in [(out / "report.html").read_text(encoding="utf-8"), (out / "report.json").read_text(encoding="utf-8"),
                 xlsx_text]:
        assert "Nguyễn Văn" not in text and "@example.org" not in text and "id-0" not in text
    assert "P001" in xlsx_text and "P060" in xlsx_text
    sheets = pd.read_excel(out / "report.xlsx", sheet_name=None)
    assert list(sheets) == ["Summary", "Participants", "Items", "Groups", "Objectives"]
    assert "(small group)" in set(sheets["Participants"]["Stakeholder group"])


def test_html_is_self_contained_with_every_chart_embedded(written):
    out = written[2]
    html = (out / "report.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", html)
    assert "@import" not in html and "url(" not in html
    images = re.findall(r'<img src="data:image/png;base64,', html)
    charts = sorted(path.stem for path in (out / "charts").glob("*.png"))
    assert len(images) == len(charts) >= 5
    assert "medium gain (0.3-0.7)" in html or "low gain" in html or "high gain" in html


def test_vietnamese_report(tmp_path):
    scores, roster = cohort(n=30, seed=7)
    write_report(scores, roster, tmp_path, lang="vi")
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert '<html lang="vi">' in html and "Báo cáo kết quả học tập" in html and "Kiểm định t ghép cặp" in html


def test_cli_prints_strict_json_and_writes_the_files(tmp_path, monkeypatch):
    scores, roster = cohort(n=20, seed=3)
    scores.to_csv(tmp_path / "scores.csv", index=False)
    roster.to_csv(tmp_path / "roster.csv", index=False)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["report", "--scores", "scores.csv", "--roster", "roster.csv",
                                      "--out", "out", "--json"])
    assert result.exit_code == 0, result.output
    assert strict_json(result.stdout)["cohort"]["n_pre"] == 20
    assert {p.name for p in (tmp_path / "out").iterdir()} == {"report.html", "report.xlsx", "report.json", "charts"}


def test_cli_needs_exactly_one_source(tmp_path):
    result = CliRunner().invoke(app, ["report", "--out", str(tmp_path)])
    assert result.exit_code != 0
    assert isinstance(result.exception, InputDataError)


DASHBOARD = Path(__file__).parents[1] / "facilitator_guide" / "dashboard.ipynb"


def test_dashboard_is_committed_clean_with_hidden_code():
    notebook = nbformat.read(DASHBOARD, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code and all(cell.metadata["jupyter"]["source_hidden"] for cell in code)
    assert all(not cell.outputs and cell.execution_count is None for cell in code)


@pytest.mark.slow
def test_dashboard_runs_headless_and_filters_redraw_the_charts():
    notebook = nbformat.read(DASHBOARD, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(
        "everyone = len(pictures.children)\n"
        "gender_filter.value = 'female'\n"
        "female = (len(pictures.children), summary.value)\n"
        "group_filter.value = 'academia'\n"
        "print(everyone, female[0], 'Hake' in female[1], 'not shown' in summary.value)"))
    NotebookClient(notebook, timeout=180, kernel_name="python3",
                   resources={"metadata": {"path": str(DASHBOARD.parent)}}).execute()
    assert notebook.cells[-1].outputs[0]["text"].split() == ["6", "6", "True", "True"]


def test_a_broken_item_bank_is_an_error_not_a_silent_fallback(tmp_path):
    from wpskit.errors import ItemBankError
    from wpskit.report.write import _item_bank_metadata

    (tmp_path / "objectives.yaml").write_text("- id: D1.1\n  day: one\n", encoding="utf-8")
    with pytest.raises(ItemBankError, match="objectives.yaml"):
        _item_bank_metadata(tmp_path)
    assert _item_bank_metadata(tmp_path / "nothing-here") == (None, None)


# --- no identifier in any report output, whatever error text arrives (issue #16) ---

PERSON = {"participant_id": "nguyen-thi-hoa", "name": "Nguyễn Thị Hoa", "email": "hoa.nguyen@example.org"}


def test_no_identifier_reaches_any_output_whatever_the_error_text(tmp_path):
    """Every error path of the survey is fed a file under a folder named after a participant."""
    from tests.test_survey import ASSESSMENTS, answers_of, write_responses
    from wpskit.survey import load_survey, survey_answers

    survey = load_survey(ASSESSMENTS)
    ids = [PERSON["participant_id"], *(f"{PERSON['participant_id']}-{k}" for k in range(2, 9))]
    roster = pd.DataFrame({"participant_id": ids, "name": [PERSON["name"], *(f"Trần Văn {k}" for k in range(2, 9))],
                           "email": [PERSON["email"], *(f"p{k}@example.org" for k in range(2, 9))],
                           "gender": ["female", "male"] * 4})
    files = {}
    for k, pid in enumerate(ids):
        folder = tmp_path / "submitted" / pid / "survey"
        folder.mkdir(parents=True)
        files[pid] = write_responses(folder / "survey.responses.json", answers_of(k, survey))
    a, b, c, d, e, f, g, h = ids
    (files[a]).unlink()
    files[a].mkdir()                                                       # a folder: the OS error names the path
    files[b].write_bytes(b"\xff\xfe not utf-8 " + PERSON["name"].encode("utf-16"))  # undecodable
    files[c].write_text("{" + PERSON["email"], encoding="utf-8")          # not JSON
    write_responses(files[d], answers_of(3, survey), form=a)               # a form named after a participant
    files[e] = None                                                        # no file
    write_responses(files[f], {**answers_of(5, survey), "s-pace": PERSON["name"], "s-venue": str(files[f])})
    answers = survey_answers(survey, files)
    assert len(answers.skipped) == 5

    scores = pd.DataFrame([(pid, form, f"q{k}", float((k + i + (form == "post")) % 2), 1.0, "a")
                           for i, pid in enumerate(ids) for form in ("pre", "post") for k in range(4)],
                          columns=["participant_id", "form", "item_id", "score", "max_score", "response"])
    out = tmp_path / "out"
    write_report(scores, roster, out, survey=answers)

    texts = {"report.json": (out / "report.json").read_text(encoding="utf-8"),
             "report.html": (out / "report.html").read_text(encoding="utf-8")}
    with zipfile.ZipFile(out / "report.xlsx") as workbook:
        texts["report.xlsx"] = "".join(workbook.read(name).decode("utf-8") for name in workbook.namelist()
                                       if name.endswith(".xml"))
    texts["charts"] = "".join(png.read_bytes().decode("latin-1") for png in (out / "charts").glob("*.png"))
    forbidden = [*ids, *roster["name"], *roster["email"], str(tmp_path), "submitted/", "Trần Văn"]
    for output, text in texts.items():
        for word in forbidden:
            assert word not in text, f"{word!r} in {output}"
    notes = json.loads(texts["report.json"])["notes"]
    skipped = {key: value for key, value in notes.items() if key.startswith("survey.skipped.")}
    assert len(skipped) == 5 and any("[file]" in value for value in skipped.values())


# --- a report on any valid data (issue #16) ---

def test_a_workshop_that_gained_a_lot_gets_its_report_with_a_d_z_interval(tmp_path):
    """12 participants, pre about 10%, post about 15%, every one improved: d_z about 2.3."""
    pre_points = [4, 3, 5, 4, 4, 3, 5, 4, 6, 4, 3, 5]
    gains = [2, 2, 3, 2, 1, 2, 3, 2, 2, 3, 2, 1]
    rows = [(f"p{i:02d}", form, f"q{k:02d}", float(k < points), 1.0, "")
            for i, (pre, gain) in enumerate(zip(pre_points, gains))
            for form, points in (("pre", pre), ("post", pre + gain)) for k in range(40)]
    scores = pd.DataFrame(rows, columns=["participant_id", "form", "item_id", "score", "max_score", "response"])
    gain = write_report(scores, None, tmp_path).data["gain"]
    assert gain["pct_improved"] == 100 and 2 < gain["d_z"] < 4
    low, high = gain["d_z_ci95"]
    assert low < gain["d_z"] < high


def test_a_figure_or_chart_that_fails_is_null_with_its_reason_and_the_rest_is_written(tmp_path, monkeypatch):
    from wpskit import charts, stats

    def broken(*args, **kwargs):
        raise FloatingPointError(f"overflow in /home/{PERSON['participant_id']}/x")

    monkeypatch.setitem(wpskit.stats.paired._STATISTICS, "cohen-dz", broken)
    monkeypatch.setattr(stats, "group_gains", broken)
    monkeypatch.setattr(charts, "item_chart", broken)
    scores, roster = cohort()
    report = write_report(scores, roster, tmp_path)
    data = strict_json((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert data["gain"]["d_z"] is None and data["gain"]["d_z_ci95"] is None and data["gain"]["t"] is not None
    assert "could not be computed" in data["notes"]["gain.d_z"] and data["groups"] == []
    assert "FloatingPointError" in data["notes"]["groups"] and "charts.items" in data["notes"]
    assert not (tmp_path / "charts" / "items.png").exists() and (tmp_path / "charts" / "paired.png").exists()
    assert PERSON["participant_id"] not in (tmp_path / "report.json").read_text(encoding="utf-8")
    assert (tmp_path / "report.html").is_file() and (tmp_path / "report.xlsx").is_file() and report.data


def test_eight_participants_one_written_answer_marked_alpha_on_the_items_all_have(tmp_path):
    """Issue #14: a paper participant's written answer was marked, seven others wait for formgrader; alpha
    said 'needs at least 2 participants' with 8. It is computed on the scored items, saying so; the
    group chart, every group under 5 paired, is left out with the reason instead of drawn empty."""
    scores, roster = cohort(n=8, n_items=5, post_missing=0)
    roster["gender"], roster["stakeholder_group"] = ["nữ", "nam"] * 4, ["media", "academia"] * 4
    written = pd.DataFrame({"participant_id": sorted(set(scores.participant_id)), "form": "pre", "item_id": "w",
                            "score": [2.0] + [None] * 7, "max_score": 3.0, "response": "text"})
    report = write_report(pd.concat([scores, written], ignore_index=True), roster, tmp_path)
    matrix = scores.query("form == 'pre'").pivot(index="participant_id", columns="item_id", values="score")
    k = matrix.shape[1]
    alpha = k / (k - 1) * (1 - matrix.var(ddof=1).sum() / matrix.sum(axis=1).var(ddof=1))
    assert report.data["reliability"]["pre"]["alpha"] == pytest.approx(alpha)
    assert "written answers still waiting" in report.notes["reliability.pre.items_left_out"]
    assert "reliability.pre.alpha" not in report.notes
    assert all(group["suppressed"] for group in report.data["groups"])
    assert not (tmp_path / "charts" / "groups.png").exists()
    assert "every group has fewer than 5 paired participants" in report.data["notes"]["charts.groups"]
