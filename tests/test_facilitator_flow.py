"""The facilitator's whole path on the command line, through nbgrader's real exchange:
build, roster, release; participants fetch and submit with nbgrader's own commands;
collect, status, autograde, export, feedback, report."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from tests.conftest import write_csv
from tests.test_grading import ALL_RIGHT, BANK, PARTLY
from wpskit.cli import app
from wpskit.responses import ResponseStore

ROSTER = (
    "participant_id,name,gender,stakeholder_group\n"
    "hn-01,Nguyễn Thị Hương,nữ,CSO\n"
    "hn-02,Trần Văn Nam,nam,media\n"
    "hn-03,Lê Thị Mai,nữ,academia\n"
)


def wpskit(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def participant(home: Path, participant_id: str, course: Path, *command: str) -> None:
    """Run an nbgrader command as a participant would in their own JupyterLab."""
    env = {**os.environ, "JUPYTER_DATA_DIR": str(home / ".jupyter-data"),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    subprocess.run(
        [sys.executable, "-m", "nbgrader", *command, "--CourseDirectory.course_id=wps-vn",
         f"--Exchange.root={course / 'exchange'}", f"--Exchange.cache={home / '.cache'}"],
        cwd=home, env=env, check=True, capture_output=True,
    )


def fetch_answer_submit(homes: Path, participant_id: str, course: Path, form: str, answers: dict,
                        damage: str | None = None) -> Path:
    """A participant fetches `form` with nbgrader, answers through the widgets' store (in Vietnamese) and
    submits with nbgrader. `damage`: "truncated" cuts the answers file short; "set-aside" also renames it
    as the widgets do with a damaged file. Returns the participant's home."""
    home = homes / participant_id
    home.mkdir(parents=True, exist_ok=True)
    participant(home, participant_id, course, "fetch_assignment", form)
    store = ResponseStore(form, directory=home / form)
    for item_id, value in answers.items():
        store.save(item_id, value, language="vi")
    saved = home / form / f"{form}.responses.json"
    if damage:
        saved.write_bytes(saved.read_bytes()[:45])
    if damage == "set-aside":
        saved.rename(saved.with_name(f"{form}.responses.json.corrupt-20241128T090000Z"))
    participant(home, participant_id, course, "submit", form, f"--student={participant_id}")
    return home


@pytest.mark.slow
def test_release_submit_collect_autograde_export_report(tmp_path):
    course = tmp_path / "course"
    wpskit("course", "build", "--dir", str(course), "--assessments", str(BANK))
    output = wpskit("roster", "import", str(write_csv(tmp_path / "roster.csv", ROSTER)), "--dir", str(course))
    assert "3 added" in output
    wpskit("release", "pre", "--dir", str(course))

    for participant_id, answers in {"hn-01": ALL_RIGHT, "hn-02": PARTLY}.items():
        fetch_answer_submit(tmp_path / "home", participant_id, course, "pre", answers)

    status = wpskit("status", "pre", "--dir", str(course))  # live from the exchange, before collect
    assert "2 submitted" in status and "Not collected yet (run `wpskit collect pre`): hn-01, hn-02" in status
    assert "Missing: hn-03" in status
    assert "2 submissions" in wpskit("collect", "pre", "--dir", str(course))
    status = wpskit("status", "pre", "--dir", str(course))
    assert "2 submitted, 0 autograded, 1 missing" in status and "Missing: hn-03" in status
    assert "2 of 2 submissions" in wpskit("autograde", "pre", "--dir", str(course))
    status = wpskit("status", "pre", "--dir", str(course))
    assert "hn-01 (1), hn-02 (1)" in status  # the written item waits for formgrader

    wpskit("export", str(tmp_path / "scores.csv"), "--dir", str(course))
    scores = pd.read_csv(tmp_path / "scores.csv", encoding="utf-8")
    totals = scores.groupby("participant_id").score.sum().round(3).to_dict()
    assert totals == {"hn-01": 8.0, "hn-02": 5.666}
    assert scores.query("participant_id == 'hn-02' and item_id == 't-multi'").response.item() == '["a", "b"]'

    feedback = wpskit("feedback", "pre", "--dir", str(course), "--assessments", str(BANK), "--release")
    assert "Wrote 2 feedback pages" in feedback and "held back until post" in feedback
    assert "Released 2 through nbgrader" in feedback
    home = tmp_path / "home" / "hn-02"
    participant(home, "hn-02", course, "fetch_feedback", "pre", "--student=hn-02")
    [page] = (home / "pre" / "feedback").glob("*/pre.html")
    assert "Tổng điểm" in page.read_text(encoding="utf-8")  # hn-02 answered in Vietnamese

    out = tmp_path / "report"
    wpskit("report", "--course", str(course), "--out", str(out))
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert data["cohort"]["n_roster"] == 3 and data["cohort"]["n_pre"] == 2 and data["cohort"]["n_post"] == 0
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Nguyễn Thị Hương" not in html and "hn-01" not in html


def test_paper_form_lists_every_question_and_an_answer_sheet(tmp_path):
    output = wpskit("paper", "pre", "--lang", "vi", "--out", str(tmp_path), "--assessments", str(BANK))
    page = (tmp_path / "pre.vi.html").read_text(encoding="utf-8")
    assert "Nghị quyết 1325 được thông qua khi nào?" in page and "31 tháng 10 năm 2000" in page
    assert "Đã ghi" in output  # --lang vi: the form and what the command says
    header = (tmp_path / "pre.answers.csv").read_text(encoding="utf-8").strip()
    assert header == "participant_id,form,t-single,t-multi,t-truefalse,t-order,t-match,t-written,t-written_score"


def test_every_command_has_help_with_an_example():
    commands = ["course init", "course build", "roster import", "lab", "report", "bench", "release", "collect",
                "autograde", "regrade", "feedback", "status", "export", "import", "backup", "paper", "plans gather", "hub start", "hub users"]
    for command in commands:
        result = CliRunner().invoke(app, [*command.split(), "--help"])
        assert result.exit_code == 0 and "Example: wpskit" in result.output.replace("`", ""), command


@pytest.mark.slow
def test_a_damaged_or_missing_answers_file_is_named_and_never_a_real_0_in_the_gain(tmp_path):
    """hn-01 answers; hn-02's answers file was truncated; hn-03's kernel set the damaged file aside as
    .corrupt-… and nothing was saved after: status, autograde and the report count both apart."""
    course = tmp_path / "course"
    wpskit("course", "build", "--dir", str(course), "--assessments", str(BANK))
    wpskit("roster", "import", str(write_csv(tmp_path / "roster.csv", ROSTER)), "--dir", str(course))
    wpskit("release", "pre", "--dir", str(course))
    for participant_id, damage in (("hn-01", None), ("hn-02", "truncated"), ("hn-03", "set-aside")):
        fetch_answer_submit(tmp_path / "home", participant_id, course, "pre", ALL_RIGHT, damage)
    wpskit("collect", "pre", "--dir", str(course))
    status = wpskit("status", "pre", "--dir", str(course))
    assert "Answers file damaged (set aside as .corrupt-…, or unreadable) (scored 0, left out of the learning gain): " \
           "hn-02, hn-03" in status
    graded = wpskit("autograde", "pre", "--dir", str(course))
    assert "Autograded 'pre': 1 of 3 submissions, 2 without readable answers (below)." in graded
    assert "hn-02, hn-03" in graded
    [notebook] = (course / "autograded" / "hn-03" / "pre").glob("pre.ipynb")
    assert "was damaged and set aside" in notebook.read_text(encoding="utf-8")

    out = tmp_path / "report"
    wpskit("report", "--course", str(course), "--out", str(out))
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert data["cohort"]["n_pre"] == 1
    assert data["notes"]["scores.unreadable_answers"].endswith("pre: answers file damaged 2")

    wpskit("export", str(tmp_path / "scores.csv"), "--dir", str(course))  # the file keeps what the course knows
    exported = pd.read_csv(tmp_path / "scores.csv", encoding="utf-8", keep_default_na=False)
    assert list(exported.columns) == ["participant_id", "form", "item_id", "score", "max_score", "response", "status"]
    assert exported.groupby("participant_id").status.agg(set).to_dict() == \
        {"hn-01": {""}, "hn-02": {"damaged"}, "hn-03": {"damaged"}}
    wpskit("report", "--scores", str(tmp_path / "scores.csv"), "--out", str(tmp_path / "from-csv"))
    from_csv = json.loads((tmp_path / "from-csv" / "report.json").read_text(encoding="utf-8"))
    assert from_csv["notes"]["scores.unreadable_answers"] == data["notes"]["scores.unreadable_answers"]
    assert from_csv["scores"] == data["scores"] and from_csv["cohort"]["n_pre"] == 1
