"""axe-core (the engine of the axe browser extension) on what participants use.

Pages (Voilà) are scanned whole, before and after answering (feedback, verdict colours
and score board on screen). In JupyterLab only the widget areas are scanned
(``.jp-OutputArea-output``): JupyterLab's own shell is not wpskit's to fix, and its
toolbars have known axe findings of their own. A serious or critical violation fails.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.browser.hands import HANDS, answer_correctly

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

axe_playwright = pytest.importorskip("axe_playwright_python.sync_playwright",
                                     reason="axe-playwright-python is not installed (pip install -e '.[test]')")

INDEX = yaml.safe_load((Path(__file__).resolve().parents[2] / "modules" / "index.yaml").read_text(encoding="utf-8"))
FIRST_OF_DAY = {entry["day"]: entry for entry in reversed(INDEX)}  # day -> its first module


def serious(page, context=None) -> list[str]:
    results = axe_playwright.Axe().run(page, context=context)
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] in ("serious", "critical"):
            for node in violation["nodes"][:3]:
                found.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {node['target']}: "
                             f"{node.get('failureSummary', '')[:200]}")
    return found


CASES = [
    pytest.param(INDEX[0]["path"], "page", "desktop", id="getting-started-page-en-desktop"),
    pytest.param(INDEX[0]["path_vi"], "page", "phone", id="getting-started-page-vi-phone"),
    pytest.param(INDEX[0]["path_vi"], "lab", "desktop", id="getting-started-lab-vi-widgets"),
    *(pytest.param(FIRST_OF_DAY[day]["path_vi"], "page", "phone", id=f"{FIRST_OF_DAY[day]['id']}-page-vi-phone")
      for day in (1, 2, 3) if day in FIRST_OF_DAY),
]


@pytest.mark.parametrize("notebook, view, width", CASES)
def test_no_serious_or_critical_axe_violations(visit, notebook, view, width):
    participant = visit(notebook, view, width)
    participant.open()
    context = {"include": [[".jp-OutputArea-output"]]} if view == "lab" else None
    assert serious(participant.page, context) == [], "before answering"
    answer_correctly(participant, HANDS["mouse"])
    assert serious(participant.page, context) == [], "after answering (feedback on screen)"
