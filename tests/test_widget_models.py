"""A page loads every widget model of its kernel before it shows the first widget, so the
module pages make no model they do not need: widgets that look alike share one Layout and
one style model, and a widget that is shown and hidden later keeps its own."""

from __future__ import annotations

import collections
import contextlib
import io
import json
import shutil

import ipywidgets
from IPython.core.interactiveshell import InteractiveShell
from ipywidgets.widgets.widget import _instances

from tests.conftest import REPO

GETTING_STARTED = REPO / "modules" / "00-getting-started"


def run_getting_started(folder) -> collections.Counter:
    """Run the getting-started notebook's code cells as Voilà does; count the models by kind."""
    for path in GETTING_STARTED.glob("00-getting-started.*"):
        if not path.name.endswith(".vi.ipynb"):
            shutil.copy(path, folder / path.name)
    ipywidgets.Widget.close_all()
    shell = InteractiveShell.instance()
    notebook = json.loads((folder / "00-getting-started.ipynb").read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            with contextlib.redirect_stdout(io.StringIO()):
                result = shell.run_cell("".join(cell["source"]), silent=True)
            result.raise_error()
    return collections.Counter(type(model).__name__ for model in _instances.values())


def test_the_getting_started_page_shares_layouts_and_styles(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    models = run_getting_started(tmp_path)
    # 328 models (124 Layouts, 45 HTML styles, 31 button styles) before layouts were shared.
    assert sum(models.values()) < 180, models
    assert models["Layout"] < 40 and models["HTMLStyle"] <= 2 and models["ButtonStyle"] <= 25, models


def test_a_hidden_button_hides_no_other_widget(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run_getting_started(tmp_path)
    from wpskit.widgets.base import _Question

    questions = [w for w in _instances.values() if isinstance(w, _Question)]
    own = [layout for q in questions for layout in (q.check_button.layout, q.try_again_button.layout)]
    assert len({id(layout) for layout in own}) == len(own) == 2 * len(questions)
    shown = {id(w.layout) for q in questions for w in q.children if w not in (q.check_button, q.try_again_button)}
    assert not shown & {id(layout) for layout in own}
