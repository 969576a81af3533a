"""The real pre/post forms, built from the item bank and run in a real kernel as a
participant would: the released notebook and everything it shows hold no key."""

from __future__ import annotations

import json
import shutil

import nbformat
import pytest
from nbclient import NotebookClient

from tests.conftest import REPO
from wpskit.course import build_course
from wpskit.items import load_item_bank

BANK = load_item_bank(REPO / "assessments")


def secrets(form_id: str) -> set[str]:
    """Texts that would give an answer away: explanations and accepted typed answers."""
    found = set()
    for item in BANK.form_items(form_id):
        if item.feedback:
            found |= {item.feedback.en, item.feedback.vi}
        if item.type == "text":
            found |= set([item.key] if isinstance(item.key, str) else item.key)
    return found


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    root = tmp_path_factory.mktemp("released") / "course"
    build_course(root, REPO / "assessments")
    return root / "release"


@pytest.mark.slow
@pytest.mark.parametrize("form_id", sorted(BANK.forms))
def test_released_form_runs_and_shows_no_key(released, tmp_path, form_id):
    folder = shutil.copytree(released / form_id, tmp_path / form_id)
    notebook = nbformat.read(folder / f"{form_id}.ipynb", as_version=4)
    assert not [c for c in notebook.cells if "HIDDEN TESTS" in c.source or "points_for" in c.source]
    NotebookClient(notebook, timeout=120, resources={"metadata": {"path": str(folder)}},
                   store_widget_state=True).execute()
    errors = [o for c in notebook.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors == []
    shown = json.dumps(notebook, ensure_ascii=False)
    widget_views = shown.count("application/vnd.jupyter.widget-view+json")
    assert widget_views >= len(BANK.forms[form_id].items)
    leaked = sorted(text for text in secrets(form_id) if text in shown)
    assert leaked == []
