"""Start the workshop's JupyterLab: modules for participants, formgrader for facilitators."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from wpskit.course import open_course


def lab_command(port: int, open_browser: bool) -> list[str]:
    return [
        sys.executable, "-m", "jupyter", "lab",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        f"--ServerApp.open_browser={open_browser}",
        "--ServerApp.root_dir=.",
        "--LabApp.default_url=/lab/tree/modules",
    ] + (["--ServerApp.allow_root=True"] if os.geteuid() == 0 else [])


def start_lab(course_dir: Path | str, port: int = 8888, open_browser: bool = False) -> None:
    """Replace this process with JupyterLab started in the current folder.

    JupyterLab prints the URL to open (with its access token). The course must be inside
    the folder JupyterLab serves, or formgrader cannot show it.
    """
    course = open_course(course_dir)
    os.environ["WPSKIT_COURSE"] = str(course.root)
    command = lab_command(port, open_browser)
    os.execv(command[0], command)
