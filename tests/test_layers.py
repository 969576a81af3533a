"""The package's structure, read from its own imports (design.md, "Layers").

The layers live in ``pyproject.toml`` as an import-linter contract; this test runs it, and
checks with grimp (import-linter's graph) that no two modules import each other, however
indirectly, even from inside a function.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_imports_flow_one_way_through_the_layers_of_pyproject_toml() -> None:
    result = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), "--no-cache"],
        cwd=ROOT, capture_output=True, text=True, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


@pytest.mark.parametrize("package", ["wpskit", "wpskit.widgets", "wpskit.stats", "wpskit.imports", "wpskit.grading", "wpskit.plans"])
def test_no_two_modules_import_each_other(package: str) -> None:
    graph = grimp.build_graph("wpskit", cache_dir=None)
    assert graph.nominate_cycle_breakers(package) == set(), "a circle of imports: break it at one of these"


def test_the_back_end_never_imports_the_widgets() -> None:
    graph = grimp.build_graph("wpskit", cache_dir=None)
    importers = {module.split(".")[1] for module in graph.find_downstream_modules("wpskit.widgets", as_package=True)}
    assert importers <= {"cli", "api"}, f"only the widgets themselves may import wpskit.widgets, not {importers}"
