"""The satisfaction survey: its definition, its notebook, its answers, and its section of the report,
end to end through nbgrader's real exchange."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import nbformat
import openpyxl
import pandas as pd
import pytest
from nbclient import NotebookClient
from typer.testing import CliRunner

from tests.conftest import REPO, write_csv
from wpskit.cli import app
from wpskit.errors import ItemBankError
from wpskit.items import load_item_bank
from wpskit.language import current_language, speaking
from wpskit.report import build_report
from wpskit.report.text import translate_note
from wpskit.survey import load_survey, survey_answers, survey_notebook
from wpskit.responses import ResponseStore
from wpskit.words import section

ASSESSMENTS = REPO / "assessments"
COLUMN_KEYS = {title: name for name, title in section("xlsx.col")["en"].items()}  # the workbook's titles -> keys
RATINGS = ["s-relevance", "s-usefulness", "s-facilitation", "s-venue", "s-pace"]
AT = "2024-11-28T09:00:00Z"


# -- the definition and its notebook --------------------------------------------------


def test_the_survey_asks_confidence_before_and_now_for_every_objective():
    survey = load_survey(ASSESSMENTS)
    objectives = load_item_bank(ASSESSMENTS).objectives
    assert survey.id == "survey"
    assert [q.id for q in survey.of_kind("rating")] == RATINGS
    assert sorted(q.objective for q in survey.of_kind("confidence")) == sorted(objectives)
    assert len(survey.of_kind("comment")) == 2
    question = survey.of_kind("confidence")[0]
    assert question.answer_ids() == ["s-conf-d1-1-before", "s-conf-d1-1-after"]
    before = survey.prompt(question, "before")
    assert before.en.startswith("BEFORE the workshop") and objectives["D1.1"].text.vi in before.vi


def test_a_skipped_survey_file_is_explained_in_english_whatever_the_language(tmp_path):
    """report.json keeps its notes in English: `wpskit report --lang vi` must not write a Vietnamese reason there."""
    broken = tmp_path / "survey.responses.json"
    broken.write_text('{"schema": 1, "answers": {}}', encoding="utf-8")
    with speaking("vi"):
        answers = survey_answers(load_survey(ASSESSMENTS), {"p01": broken})
        assert current_language() == "vi"
    assert answers.skipped == {"p01": "'form' is missing; it is not a wpskit responses file (contract 2)"}
    assert current_language() == "en"


def test_the_survey_notebook_has_no_grade_cell_and_every_question_hidden_and_locked():
    survey = load_survey(ASSESSMENTS)
    notebook = survey_notebook(survey)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert all(not c.metadata.nbgrader["grade"] and c.metadata.nbgrader["locked"] for c in notebook.cells)
    assert all(c.metadata.jupyter["source_hidden"] for c in code)
    sources = "\n".join(c.source for c in code)
    assert sources.count("survey.rating(") == 5 and sources.count("survey.confidence(") == 24
    assert sources.count("survey.comment(") == 2
    grade_ids = [c.metadata.nbgrader["grade_id"] for c in notebook.cells]
    assert len(set(grade_ids)) == len(grade_ids)


def broken_bank(tmp_path: Path, edit) -> Path:
    root = tmp_path / "assessments"
    shutil.copytree(ASSESSMENTS, root)
    path = root / "survey.yaml"
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    return root


@pytest.mark.parametrize("edit, message", [
    (lambda t: t.replace("  - {id: s-conf-d2-3, kind: confidence, objective: D2.3}\n", ""),
     r"no confidence question for the objectives \['D2.3'\]"),
    (lambda t: t.replace("objective: D2.3}", "objective: D9.9}"), "objective 'D9.9' is not in"),
    (lambda t: t.replace("objective: D2.3}", "objective: D2.2}"), "D2.2 already has a confidence question"),
    (lambda t: t.replace("id: s-usefulness", "id: s-relevance"), "s-relevance is used twice"),
    (lambda t: t.replace("  - id: s-pace\n    kind: rating\n", "  - id: s-pace\n    kind: rating\n    objective: D1.1\n"),
     "only a confidence question has an objective"),
    (lambda t: t.replace("kind: comment", "kind: essay", 1), "question 's-comment-useful': kind"),
    (lambda t: t.replace("{objective}", "", 1), "must contain {objective}"),
])
def test_a_broken_survey_names_the_file_and_the_question(tmp_path, edit, message):
    with pytest.raises(ItemBankError, match=message) as error:
        load_survey(broken_bank(tmp_path, edit))
    assert "survey.yaml" in str(error.value)


# -- answers and the report, without nbgrader ------------------------------------------


def answers_of(k: int, survey) -> dict:
    """Participant k's answers: fixed patterns, so every count can be computed independently."""
    answers = {question: 1 + (k + offset) % 5 for offset, question in enumerate(RATINGS)}
    for question in survey.of_kind("confidence"):
        answers[f"{question.id}-before"] = 1 + k % 3
        answers[f"{question.id}-after"] = 3 + k % 3
    if k % 2:
        answers["s-comment-useful"] = f"Phần thảo luận nhóm {k} rất hữu ích"
    return answers


def write_responses(path: Path, answers: dict, form: str = "survey") -> Path:
    path.write_text(json.dumps({"schema": 1, "form": form, "language": "vi", "updated": AT,
                                "answers": {k: {"value": v, "at": AT} for k, v in answers.items()}},
                               ensure_ascii=False), encoding="utf-8")
    return path


def test_answers_are_counted_and_bad_files_or_values_are_left_out_with_a_reason(tmp_path):
    survey = load_survey(ASSESSMENTS)
    files = {f"p{k}": write_responses(tmp_path / f"p{k}.json", answers_of(k, survey)) for k in range(3)}
    write_responses(files["p2"], {**answers_of(2, survey), "s-pace": 7, "s-venue": True})
    files["p3"] = write_responses(tmp_path / "p3.json", {"s-pace": 3}, form="pre")
    files["p4"] = None
    (tmp_path / "p5.json").write_text("{", encoding="utf-8")
    files["p5"] = tmp_path / "p5.json"
    answers = survey_answers(survey, files)
    assert answers.respondents == ["p0", "p1", "p2"]
    assert set(answers.skipped) == {"p3", "p4", "p5"}
    assert "for form 'pre'" in answers.skipped["p3"] and "no answers file" in answers.skipped["p4"]
    assert "not valid JSON" in answers.skipped["p5"] and str(tmp_path) not in answers.skipped["p5"]
    assert sorted((pid, q) for pid, q, _ in answers.dropped) == [("p2", "s-pace"), ("p2", "s-venue")]
    pace = answers.answers.query("question == 's-pace'")
    assert list(pace["value"]) == [5, 1]  # p0: 1 + (0 + 4) % 5, p1: 1 + (1 + 4) % 5
    assert answers.comments["s-comment-useful"] == ["Phần thảo luận nhóm 1 rất hữu ích"]


def test_the_vietnamese_report_gives_the_survey_reasons_in_vietnamese_and_report_json_keeps_english(tmp_path):
    """The reasons a survey file or answer was left out, as the Vietnamese page, workbook and warnings show them."""
    survey = load_survey(ASSESSMENTS)
    files = {f"p{k}": write_responses(tmp_path / f"p{k}.json", answers_of(k, survey)) for k in range(2)}
    write_responses(files["p1"], {**answers_of(1, survey), "s-pace": 7})
    files["p3"] = write_responses(tmp_path / "p3.json", {"s-pace": 3}, form="pre")
    files["p4"] = None
    (tmp_path / "p5.json").write_text("{", encoding="utf-8")
    files["p5"] = tmp_path / "p5.json"
    answers = survey_answers(survey, files)
    assert [answers.reason(answers.skipped[p], "vi") for p in ("p3", "p4")] == [
        "tệp câu trả lời là của bài 'pre', không phải của 'survey'",
        "không có tệp câu trả lời (survey.responses.json) trong bài nộp"]
    assert answers.reason(answers.skipped["p5"], "vi").startswith("không phải JSON hợp lệ (")
    assert answers.reason(answers.dropped[0][2], "vi") == "câu trả lời 7 không phải một mức từ 1 đến 5; không được tính"
    assert answers.reason(answers.dropped[0][2], "en") == "answer 7 is not a level 1-5; left out"
    scores = pd.DataFrame([(pid, form, "q1", float(form == "post"), 1.0, "a") for pid in files for form in ("pre", "post")],
                          columns=["participant_id", "form", "item_id", "score", "max_score", "response"])
    report = build_report(scores, survey=answers)
    english = {path: note for path, note in report.notes.items() if path.startswith(("survey.skipped", "survey.answers"))}
    assert sorted(english.values()) == sorted([*answers.skipped.values(), answers.dropped[0][2]])
    shown = {path: translate_note(report, note, "vi") for path, note in english.items()}
    assert sorted(shown.values()) == sorted(answers.reason(note, "vi") for note in english.values())
    assert all(shown[path] != english[path] for path in english)


def scores_for(ids) -> pd.DataFrame:
    return pd.DataFrame([(pid, form, "q1", float(form == "post"), 1.0, "") for pid in ids for form in ("pre", "post")],
                        columns=["participant_id", "form", "item_id", "score", "max_score", "response"])


def test_report_without_a_survey_says_why_and_comments_need_five_respondents(tmp_path):
    report = build_report(scores_for(["a", "b"]))
    assert report.data["survey"] is None and "--course" in report.notes["survey"]
    survey = load_survey(ASSESSMENTS)
    files = {pid: write_responses(tmp_path / f"{pid}.json", answers_of(1, survey)) for pid in ("a", "b")}
    data = build_report(scores_for(["a", "b"]), survey=survey_answers(survey, files)).data
    assert data["survey"]["comments"] is None and "fewer than 5" in data["notes"]["survey.comments"]
    assert data["survey"]["groups"] == [] and data["notes"]["survey.groups"] == "no roster given"


# -- end to end through nbgrader's exchange -------------------------------------------

# 14 participants: sv-13's answers file is broken, sv-14 submits without answering.
# CSO 7 respondents (shown); media 4 (suppressed); academia 1 counted (suppressed).
# female 8 respondents (shown); male 4 (suppressed).
GROUPS = {**{f"sv-{k:02d}": "CSO" for k in range(1, 8)}, **{f"sv-{k:02d}": "media" for k in range(8, 12)},
          **{f"sv-{k:02d}": "academia" for k in range(12, 15)}}
MALE = {"sv-07", "sv-10", "sv-11", "sv-12", "sv-14"}
NAMES = {pid: f"Nguyễn Thị Số {pid[-2:]}" for pid in GROUPS}
RESPONDENTS = [f"sv-{k:02d}" for k in range(1, 13)]


def roster_csv(tmp_path: Path) -> Path:
    lines = ["participant_id,name,gender,stakeholder_group"]
    lines += [f"{pid},{NAMES[pid]},{'male' if pid in MALE else 'female'},{group}" for pid, group in GROUPS.items()]
    return write_csv(tmp_path / "roster.csv", "\n".join(lines) + "\n")


def wpskit(*args: str):
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def participant(home: Path, participant_id: str, course: Path, *command: str) -> None:
    env = {**os.environ, "JUPYTER_DATA_DIR": str(home / ".jupyter-data"),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    subprocess.run([sys.executable, "-m", "nbgrader", *command, "--CourseDirectory.course_id=wps-vn",
                    f"--Exchange.root={course / 'exchange'}", f"--Exchange.cache={home / '.cache'}"],
                   cwd=home, env=env, check=True, capture_output=True)


@pytest.fixture(scope="module")
def surveyed(tmp_path_factory):
    """Build the real course, import the roster and pre/post scores, release the survey, let 14
    participants fetch and submit it through the exchange, collect, and run `wpskit report`."""
    tmp_path = tmp_path_factory.mktemp("survey")
    course = tmp_path / "course"
    built = wpskit("course", "build", "--dir", str(course), "--assessments", str(ASSESSMENTS)).output
    assert "survey" in built
    wpskit("roster", "import", str(roster_csv(tmp_path)), "--dir", str(course))
    rows = [f"{pid},{form},b" for pid in GROUPS for form in ("pre", "post")]
    wpskit("import", str(write_csv(tmp_path / "scores.csv", "participant_id,form,d1-1325-year\n" + "\n".join(rows) + "\n")),
           "--dir", str(course), "--assessments", str(ASSESSMENTS))
    assert "Released 'survey'" in wpskit("release", "survey", "--dir", str(course)).output
    survey = load_survey(ASSESSMENTS)
    given = {}
    for k, pid in enumerate(GROUPS):
        home = tmp_path / "home" / pid
        home.mkdir(parents=True)
        participant(home, pid, course, "fetch_assignment", "survey")
        folder = home / "survey"
        if pid == "sv-13":
            (folder / "survey.responses.json").write_text('{"schema": 1, "form": "survey", "answers": {', encoding="utf-8")
        elif pid != "sv-14":
            given[pid] = answers_of(k, survey)
            store = ResponseStore("survey", folder)
            for answer_id, value in given[pid].items():
                store.save(answer_id, value, language="vi")
        participant(home, pid, course, "submit", "survey", f"--student={pid}")
    assert "14 submissions" in wpskit("collect", "survey", "--dir", str(course)).output
    out = tmp_path / "report"
    result = CliRunner().invoke(app, ["report", "--course", str(course), "--out", str(out), "--json"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return course, out, result, given


def expected_counts(given: dict, question: str, people) -> dict[str, int]:
    counted = Counter(given[pid][question] for pid in people)
    return {str(level): counted.get(level, 0) for level in range(1, 6)}


@pytest.mark.slow
def test_survey_answers_reach_the_report_with_the_right_counts(surveyed, monkeypatch):
    _, out, result, given = surveyed
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    survey = data["survey"]
    assert (survey["form"], survey["n_submitted"], survey["n"], survey["n_skipped"]) == ("survey", 14, 12, 2)
    for rating in survey["ratings"]:
        counts = expected_counts(given, rating["question"], RESPONDENTS)
        assert rating["counts"] == counts and rating["n"] == 12, rating["question"]
        assert rating["pct"] == {lv: pytest.approx(100 * c / 12) for lv, c in counts.items()}
        assert rating["mean"] == pytest.approx(sum(given[p][rating["question"]] for p in RESPONDENTS) / 12)
    d11 = next(c for c in survey["confidence"] if c["objective"] == "D1.1")
    befores = [given[p]["s-conf-d1-1-before"] for p in RESPONDENTS]
    afters = [given[p]["s-conf-d1-1-after"] for p in RESPONDENTS]
    assert d11["n"] == 12 and d11["mean_before"] == pytest.approx(sum(befores) / 12)
    assert d11["mean_after"] == pytest.approx(sum(afters) / 12)
    assert d11["counts_after"] == {str(lv): afters.count(lv) for lv in range(1, 6)}
    assert len(survey["confidence"]) == 12
    comments = survey["comments"][0]
    assert comments["answers"] == sorted(given[p]["s-comment-useful"] for p in RESPONDENTS if "s-comment-useful" in given[p])


@pytest.mark.slow
def test_small_groups_are_suppressed_and_shown_groups_count_their_own_members(surveyed):
    _, out, _, given = surveyed
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    groups = {(g["variable"], g["group"]): g for g in data["survey"]["groups"]}
    assert {key: (g["n"], g["suppressed"]) for key, g in groups.items()} == {
        ("stakeholder_group", "CSO"): (7, False), ("stakeholder_group", "media"): (4, True),
        ("stakeholder_group", "academia"): (1, True), ("gender", "female"): (8, False), ("gender", "male"): (4, True)}
    cso = [pid for pid in RESPONDENTS if GROUPS[pid] == "CSO"]
    assert groups[("stakeholder_group", "CSO")]["ratings"]["s-venue"]["counts"] == expected_counts(given, "s-venue", cso)
    female = [pid for pid in RESPONDENTS if pid not in MALE]
    assert groups[("gender", "female")]["confidence"]["D3.4"]["mean_after"] == pytest.approx(
        sum(given[p]["s-conf-d3-4-after"] for p in female) / len(female))
    for key in [("stakeholder_group", "media"), ("stakeholder_group", "academia"), ("gender", "male")]:
        assert groups[key]["ratings"] is None and groups[key]["confidence"] is None
        assert "fewer than 5 respondents" in data["notes"][f"survey.groups.{key[0]}.{key[1]}"]


@pytest.mark.slow
def test_broken_and_missing_files_are_named_by_pseudonym_and_warned_about(surveyed):
    _, out, result, _ = surveyed
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    # pseudonyms follow the ids: sv-13 is P013, sv-14 P014
    assert "not valid JSON" in data["notes"]["survey.skipped.P013"]
    assert "no answers file (survey.responses.json)" in data["notes"]["survey.skipped.P014"]
    warnings = [line for line in result.output.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 2 and "sv-13" in warnings[0] and "sv-14" in warnings[1]
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "12 of 14 submitted surveys counted" in html and "chart-survey-ratings" in html
    for pid, name in NAMES.items():
        for text in (html, json.dumps(data, ensure_ascii=False)):
            assert name not in text and pid not in text
    sheet = openpyxl.load_workbook(out / "report.xlsx")["Survey"]
    titles, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = [COLUMN_KEYS[title] for title in titles]
    first = dict(zip(header, rows[0]))
    assert (first["variable"], first["part"], first["question"], first["n"]) == ("all", "rating", "s-relevance", 12)
    assert sheet.cell(2, titles.index("Mean") + 1).number_format == "0.00"
    suppressed = [dict(zip(header, r)) for r in rows if dict(zip(header, r))["suppressed"]]
    assert {(r["group"], r["n_group"]) for r in suppressed} == {("media", 4), ("academia", 1), ("male", 4)}
    assert all(r["level_1"] is None and r["mean"] is None for r in suppressed)


@pytest.mark.slow
def test_the_released_survey_runs_headless_and_shows_every_question(surveyed, tmp_path):
    course, *_ = surveyed
    notebook = nbformat.read(course / "release" / "survey" / "survey.ipynb", as_version=4)
    NotebookClient(notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert not [o for c in code for o in c.outputs if o.output_type in ("error", "stream")]
    views = [c for c in code if any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in c.outputs)]
    assert len(views) == len(code)  # the language switch and 31 questions
    assert not (tmp_path / "survey.responses.json").exists()


# -- on paper ----------------------------------------------------------------------------


def test_the_paper_survey_prints_every_question_and_its_sheet_imports_into_the_report(course, tmp_path):
    from wpskit.course import import_roster
    from wpskit.imports import import_scores
    from wpskit.paper import write_paper_form
    from wpskit.survey import read_survey_answers

    import_roster(course.root, write_csv(tmp_path / "r.csv", "participant_id\nhn-01\nhn-02\n"))
    page, sheet = write_paper_form("survey", tmp_path / "paper", "vi", ASSESSMENTS)
    survey = load_survey(ASSESSMENTS)
    header = sheet.read_text(encoding="utf-8").strip().split(",")
    assert header[:4] == ["participant_id", "form", "s-relevance", "s-usefulness"] and len(header) == 2 + 5 + 24 + 2
    assert page.read_text(encoding="utf-8").count('class="question"') == 5 + 24 + 2
    assert survey.prompt(survey.of_kind("confidence")[0], "before").vi in page.read_text(encoding="utf-8")

    blank = [""] * (len(header) - 2)
    first = ["hn-01", "survey", "5", "4", *blank[2:-1], "Rất bổ ích"]
    bad = ["hn-02", "survey", "6", *blank[1:]]
    write_csv(sheet, "\n".join(",".join(row) for row in (header, first, bad)) + "\n")
    with pytest.raises(Exception, match=r"line 3, column C \(s-relevance\): '6' is not a level"):
        import_scores(course.root, sheet, ASSESSMENTS)
    assert not (course.root / "imported").exists()

    write_csv(sheet, "\n".join(",".join(row) for row in (header, first)) + "\n")
    result = import_scores(course.root, sheet, ASSESSMENTS)
    assert result.summary() == "3 answers written, 0 unchanged, for 1 participant's form"
    answers = read_survey_answers(course.root, survey)
    assert answers.respondents == ["hn-01"]
    assert sorted(answers.answers["value"]) == [4, 5] and answers.comments["s-comment-useful"] == []
    assert sum(answers.comments.values(), []) == ["Rất bổ ích"]
    assert import_scores(course.root, sheet, ASSESSMENTS).summary().startswith("0 answers written, 3 unchanged")
