"""The *Submit* button of a form page: it submits through nbgrader's real exchange and says so."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_grading import BANK
from wpskit.build import form_notebook
from wpskit.course import build_course, collect, release
from wpskit.items import load_item_bank
from wpskit.widgets import SubmitButton
from wpskit.responses import ResponseStore


def test_every_form_ends_with_the_submit_button():
    notebook = form_notebook(load_item_bank(BANK), "pre")
    assert notebook.cells[-1].source == "from wpskit.widgets import SubmitButton\nSubmitButton('pre')"
    assert notebook.cells[-1].metadata["nbgrader"]["locked"] is True


def test_the_button_says_submit_in_both_languages():
    button = SubmitButton("pre")
    assert button.button.description == "Nộp bài / Submit" and button.status.value == ""


@pytest.mark.slow
def test_pressing_submit_puts_the_answers_in_the_exchange(tmp_path, monkeypatch):
    course = tmp_path / "course"
    build_course(course, BANK)
    release(course, "pre")
    home = tmp_path / "home"
    home.mkdir()
    # The participant's nbgrader configuration, as the hub gives it: the course and the exchange.
    (home / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.CourseDirectory.course_id = 'wps-vn'\nc.Exchange.root = {str(course / 'exchange')!r}\n"
        f"c.Exchange.cache = {str(home / '.cache')!r}\nc.CourseDirectory.student_id = 'hn-01'\n")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    subprocess.run([sys.executable, "-m", "nbgrader", "fetch_assignment", "pre"], cwd=home, env=env, check=True,
                   capture_output=True)
    ResponseStore("pre", directory=home / "pre").save("t-single", "a", language="vi")
    monkeypatch.chdir(home / "pre")  # where the form notebook's kernel runs

    button = SubmitButton("pre")
    button.button.click()
    assert button.status.value.startswith("<b>✓ Đã nộp bài lúc"), button.status.value
    assert "Submitted at" in button.status.value and not button.button.disabled

    assert collect(course, "pre") == ["hn-01"]
    answers = json.loads((course / "submitted" / "hn-01" / "pre" / "pre.responses.json").read_text())["answers"]
    assert answers["t-single"]["value"] == "a"


@pytest.mark.slow
def test_a_failed_submission_says_why_in_both_languages(tmp_path, monkeypatch):
    home = tmp_path / "home"
    (home / "pre").mkdir(parents=True)
    (home / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.CourseDirectory.course_id = 'wps-vn'\nc.Exchange.root = {str(tmp_path / 'none')!r}\n")
    monkeypatch.chdir(home / "pre")
    button = SubmitButton("pre")
    button.button.click()
    assert button.status.value.startswith("<b>⚠ Chưa nộp được:") and "Not submitted:" in button.status.value
    assert "Unwritable directory, please contact your instructor: " in button.status.value, button.status.value
