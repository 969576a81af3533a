"""The commands speak the facilitator's language: --lang vi, or a Vietnamese locale (LANG=vi_VN.UTF-8)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import write_csv
from tests.test_grading import BANK
from wpskit.cli import app
from wpskit.course import build_course, import_roster
from wpskit.language import current_language, language_from_locale
from wpskit.words import WORDS

ROOT = Path(__file__).resolve().parents[1]
VIETNAMESE = {"LANG": "vi_VN.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}
ENGLISH = {"LANG": "C.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}


def wpskit(*args: str, locale: dict[str, str]) -> subprocess.CompletedProcess:
    """The command as a facilitator's terminal runs it, in its own process and locale."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "WPSKIT_LOG": os.devnull, **locale}
    return subprocess.run([sys.executable, "-m", "wpskit.cli", *args], capture_output=True, text=True, env=env,
                          timeout=180)


def nfc(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text)


@pytest.mark.parametrize(("environ", "expected"), [
    ({"LANG": "vi_VN.UTF-8"}, "vi"), ({"LANG": "vi"}, "vi"), ({"LANG": "en_GB.UTF-8"}, "en"), ({}, "en"),
    ({"LC_ALL": "vi_VN.UTF-8", "LANG": "en_US.UTF-8"}, "vi"), ({"LC_ALL": "C", "LANG": "vi_VN.UTF-8"}, "en"),
    ({"LC_ALL": "", "LC_MESSAGES": "vi_VN", "LANG": "en_US"}, "vi"),
])
def test_the_language_comes_from_the_locale_when_not_given(environ, expected):
    assert language_from_locale(environ) == expected


@pytest.mark.parametrize("how", ["--lang", "LANG"])
def test_wrong_folder_is_said_in_vietnamese_with_what_to_do(tmp_path, how):
    args = ("status", "pre", "--dir", str(tmp_path / "nowhere"))
    result = wpskit(*args, "--lang", "vi", locale=ENGLISH) if how == "--lang" else wpskit(*args, locale=VIETNAMESE)
    assert result.returncode == 1 and result.stdout == ""
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("lỗi: ") and "không phải khoá học wpskit" in line and "--dir" in line, line
    assert nfc(line) and "Traceback" not in result.stderr


def test_an_import_error_names_line_and_column_in_vietnamese(tmp_path, course):
    import_roster(course.root, write_csv(tmp_path / "roster.csv", "participant_id\np01\n"))
    sheet = write_csv(tmp_path / "paper.csv", "participant_id,form,t-single,t-multi\np01,pre,z,a\n")
    result = CliRunner().invoke(app, ["import", str(sheet), "--dir", str(course.root), "--assessments", str(BANK),
                                      "--lang", "vi"])
    assert result.exit_code == 1
    message = str(result.exception)
    assert f"{sheet}: dòng 2, cột C (t-single): 'z' không phải là phương án của câu t-single" in message, message
    assert current_language() == "en"  # the command's language ends with it


@pytest.mark.slow
def test_status_and_autograde_speak_vietnamese_by_option_and_by_locale(tmp_path):
    root = tmp_path / "course"
    build_course(root, BANK)
    import_roster(root, write_csv(tmp_path / "roster.csv", "participant_id\nhn-01\nhn-02\n"))
    status = wpskit("status", "pre", "--dir", str(root), "--lang", "vi", locale=ENGLISH)
    assert status.returncode == 0, status.stderr
    assert "'pre': 0 đã nộp, 0 đã chấm tự động, 2 chưa nộp." in status.stdout
    assert "Chưa nộp: hn-01, hn-02" in status.stdout and nfc(status.stdout)
    graded = wpskit("autograde", "pre", "--dir", str(root), locale=VIETNAMESE)
    assert graded.returncode == 0, graded.stderr
    assert "Đã chấm tự động 'pre': 0 trên 0 bài nộp." in graded.stdout and nfc(graded.stdout)
    english = wpskit("status", "pre", "--dir", str(root), locale=ENGLISH)
    assert "'pre': 0 submitted, 0 autograded, 2 missing." in english.stdout


def _names_looked_up() -> set[str]:
    """Every table name the package looks up with a literal: label("x"), counted("x", n), section-free."""
    names = set()
    for path in (ROOT / "wpskit").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("label", "counted")
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                names.add(node.args[0].value)
                if node.func.id == "counted":
                    names -= {node.args[0].value}
                    names |= {node.args[0].value + ".one", node.args[0].value + ".many"}
    return names


def test_every_name_the_package_looks_up_is_in_the_table_in_both_languages():
    names = _names_looked_up()
    assert len(names) > 50
    assert sorted(name for name in names if name not in WORDS) == []
