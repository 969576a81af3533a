"""Each day's module notebooks in the browser, as listed in modules/index.yaml.

The first module of every day opens both as a page (Vietnamese, phone width) and in
JupyterLab (English, desktop, Run All from the menu); every other module of the day as a
page, alternating language and width. Each time: every widget renders with no error
text and no code, every question is answered right by mouse and gives its verdict and
explanation in the notebook's language, and after a reload (JupyterLab: a kernel
restart and Run All) every answer is back from the responses file.
A day whose notebooks are not written yet is skipped, with the reason in the summary.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.browser.hands import HANDS, answer_correctly

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

INDEX = yaml.safe_load((Path(__file__).resolve().parents[2] / "modules" / "index.yaml").read_text(encoding="utf-8"))


def cases() -> list:
    params = []
    for day in (1, 2, 3):
        modules = [entry for entry in INDEX if entry["day"] == day]
        if not modules:
            params.append(pytest.param(None, "page", "vi", "phone", id=f"day{day}-not-written-yet",
                                       marks=pytest.mark.skip(reason=f"no Day {day} module in modules/index.yaml yet")))
            continue
        first = modules[0]
        params.append(pytest.param(first["path_vi"], "page", "vi", "phone", id=f"{first['id']}-page-vi-phone"))
        params.append(pytest.param(first["path"], "lab", "en", "desktop", id=f"{first['id']}-lab-en-desktop"))
        for number, entry in enumerate(modules[1:]):
            language, width = ("en", "desktop") if number % 2 == 0 else ("vi", "phone")
            path = entry["path"] if language == "en" else entry["path_vi"]
            params.append(pytest.param(path, "page", language, width, id=f"{entry['id']}-page-{language}-{width}"))
    return params


@pytest.mark.parametrize("notebook, view, language, width", cases())
def test_module_renders_answers_and_restores(visit, notebook, view, language, width):
    participant = visit(notebook, view, width)
    assert participant.language == language
    participant.open()
    participant.assert_participant_view(phone=width == "phone")

    answered = answer_correctly(participant, HANDS["mouse"])
    assert answered == [q.spec["id"] for q in participant.questions]
    assert set(participant.saved_answers()["answers"]) == set(answered)
    before = participant.snapshot()

    participant.reopen()
    participant.assert_participant_view(phone=width == "phone")
    assert participant.wait_until_restored(before) == before


def test_page_index_links_every_module_page(site, browser):
    """``/voila/tree/modules`` (the participants' index that `wpskit lab` prints) links each
    module's page, English and Vietnamese."""
    import shutil

    shutil.copytree(site.modules, site.root / "modules", dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("*.responses.json*", ".ipynb_checkpoints"))
    context = browser.new_context()
    page = context.new_page()
    try:
        for folder in sorted({entry["path"].split("/")[0] for entry in INDEX}):
            page.goto(f"{site.url}/voila/tree/modules/{folder}?token={site.token}")
            page.locator("a[href*='/voila/render/']").first.wait_for()
            hrefs = page.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
            for entry in INDEX:
                for key in ("path", "path_vi"):
                    if entry[key].startswith(folder + "/"):
                        assert any(h and h.split("?")[0].endswith(f"/voila/render/modules/{entry[key]}") for h in hrefs), \
                            f"{folder}: no link to the page of {entry[key]} in {hrefs}"
    finally:
        context.close()
