"""What a module page's kernel imports before its first widget, checked in a real kernel.

Every page starts with the setup cell (``import wpskit`` ... ``Exercises(...)``); on the room's
laptop forty of them start within a minute, so whatever that cell imports costs forty times
(``make bench-first-widget``, ``make bench-room``). The heavy libraries wpskit uses elsewhere
(the report's pandas and matplotlib, the spreadsheets, nbgrader, the action plan's gathering)
must stay out of it, and so must a Day 2 page's chart, drawn ahead of time
(``wpskit.widgets.practice``, ``tests/test_practice_charts.py``).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

pytestmark = pytest.mark.slow  # a real kernel each

REPO = Path(__file__).resolve().parent.parent
HEAVY = ("pandas", "matplotlib", "numpy", "scipy", "openpyxl", "jinja2", "nbformat", "nbgrader", "wpskit.plans",
         "wpskit.widgets.plan", "wpskit.report", "wpskit.gradebook")
PROBE = f"import json, sys\nprint(json.dumps(sorted(name for name in {HEAVY!r} if name in sys.modules)))"


def _loaded_after(cells: list[str], folder: Path) -> list[str]:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in [*cells, PROBE]])
    NotebookClient(notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(folder)}}).execute()
    for cell in notebook.cells:
        errors = [o for o in cell.outputs if o.output_type == "error"]
        assert not errors, f"{cell.source[:60]}: {errors[0].ename}: {errors[0].evalue}"
    (stdout,) = [o.text for o in notebook.cells[-1].outputs if o.output_type == "stream"]
    return json.loads(stdout)


def _code(path: Path) -> list[str]:
    return [cell.source for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code"]


@pytest.mark.parametrize("module", ["00-getting-started/00-getting-started.ipynb",
                                    "day2-nts/01-what-security-means.ipynb",
                                    "day3-nap-roles/04-resources-action-plan.ipynb"])
def test_the_setup_cell_imports_none_of_the_heavy_libraries(module: str, tmp_path: Path) -> None:
    source = REPO / "modules" / module
    shutil.copytree(source.parent, tmp_path / source.parent.name, ignore=shutil.ignore_patterns("*.responses.json*"))
    setup = [cell for cell in _code(source) if "Exercises(" in cell]
    assert len(setup) == 1, f"{module}: one setup cell expected"
    assert _loaded_after(setup, tmp_path / source.parent.name) == []


@pytest.mark.parametrize("module", ["00-getting-started/00-getting-started.ipynb",
                                    "day2-nts/01-what-security-means.vi.ipynb",
                                    "day2-nts/04-gender-analysis.ipynb"])
def test_the_whole_page_runs_without_them(module: str, tmp_path: Path) -> None:
    """The first page a participant opens, and Day 2's pages with their charts: every cell."""
    source = REPO / "modules" / module
    shutil.copytree(source.parent, tmp_path / "page", ignore=shutil.ignore_patterns("*.responses.json*"))
    assert _loaded_after(_code(source), tmp_path / "page") == []
