"""The instructions of the pre-test, post-test and survey name the menu as JupyterLab's
Vietnamese language pack really shows it: the pack translates the menu "Run" as "Chạy" but
leaves the command "Run All Cells" in English."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from tests.conftest import REPO
from wpskit.build import form_notebook
from wpskit.items import load_item_bank
from wpskit.survey import load_survey, survey_notebook


def catalogue() -> dict[str, list[str]]:
    spec = importlib.util.find_spec("jupyterlab_language_pack_vi_VN")
    if spec is None or spec.origin is None:
        pytest.skip("jupyterlab-language-pack-vi-VN is not installed (pyproject.toml installs it)")
    path = Path(spec.origin).parent / "locale" / "vi_VN" / "LC_MESSAGES" / "jupyterlab.json"
    return json.loads(path.read_text(encoding="utf-8"))


def vi_menu_path() -> str:
    words = catalogue()
    menu = words["menu\x04Run"][0]
    command = words.get("Run All Cells", ["Run All Cells"])[0]
    return f"{menu} → {command}"


def intros() -> dict[str, str]:
    bank = load_item_bank(REPO / "assessments")
    found = {form: form_notebook(bank, form).cells[0].source for form in ("pre", "post")}
    survey = load_survey(REPO / "assessments")
    assert survey is not None
    found["survey"] = survey_notebook(survey).cells[0].source
    return found


@pytest.mark.parametrize("form", ["pre", "post", "survey"])
def test_the_vietnamese_instructions_name_the_menu_as_the_language_pack_shows_it(form: str) -> None:
    text = intros()[form]
    assert f"*{vi_menu_path()}*" in text
    assert "Chạy tất cả ô" not in text
