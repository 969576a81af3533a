"""The `wpskit` command as a facilitator runs it: wpskit's own lines only, library warnings in a log file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import write_csv
from tests.test_grading import BANK
from wpskit.course import build_course, import_roster

ROOT = Path(__file__).resolve().parents[1]


def wpskit(*args: str, log: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "WPSKIT_LOG": str(log)}
    return subprocess.run([sys.executable, "-c", "from wpskit.cli import main; main()", *args],
                          capture_output=True, text=True, env=env, timeout=180)


def test_import_prints_no_sqlalchemy_warnings_they_go_to_the_log_or_to_verbose(tmp_path):
    root = tmp_path / "course"
    build_course(root, BANK)
    import_roster(root, write_csv(tmp_path / "roster.csv", "participant_id\np01\np02\n"))
    sheet = write_csv(tmp_path / "paper.csv", "participant_id,form,t-single\np01,pre,a\n")
    quiet = wpskit("import", str(sheet), "--dir", str(root), "--assessments", str(BANK), log=tmp_path / "quiet.log")
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stderr == "" and "Warning" not in quiet.stdout
    assert "SAWarning" in (tmp_path / "quiet.log").read_text(encoding="utf-8")  # nbgrader's, kept for whoever debugs

    sheet = write_csv(tmp_path / "paper2.csv", "participant_id,form,t-single\np02,pre,b\n")
    loud = wpskit("--verbose", "import", str(sheet), "--dir", str(root), "--assessments", str(BANK),
                  log=tmp_path / "loud.log")
    assert loud.returncode == 0 and "SAWarning" in loud.stderr and not (tmp_path / "loud.log").exists()
