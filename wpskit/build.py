"""Render a form of the item bank into an nbgrader source notebook.

Per item, two cells:

1. a question cell (locked, code hidden) that shows the widget from the item's public
   view — no key, no feedback;
2. an "autograder tests" cell whose whole body is a hidden test: it reads the
   participant's responses file and outputs the points earned, which nbgrader takes as
   (partial) credit. Released notebooks keep only the cell's first comment line.

A written item gets a question cell that also shows the answer to the grader during
autograde, and a "manually graded task" cell holding the rubric, so formgrader asks for
a hand grade with the criteria in view.

Grading never depends on what the participant did to these cells: autograde grades
the notebook as released (``wpskit.grading.GradeReleasedNotebook``), and recognises these
cells to score them without a kernel (``wpskit.grading.cell_plan``).
"""

from __future__ import annotations

from pathlib import Path
from pprint import pformat

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from wpskit.files import write_atomically
from wpskit.items import Form, Item, ItemBank
from wpskit.words import both_languages, label

SCHEMA_VERSION = 3
HIDDEN = {"jupyter": {"source_hidden": True}}
TEST_CELL_NOTE = f"# {both_languages('notebook.scored_after_submit', english_first=True)}"


def _nbgrader(grade_id: str, *, grade: bool = False, locked: bool = False, task: bool = False,
              points: float | None = None) -> dict:
    meta = {"grade": grade, "solution": False, "locked": locked or grade or task, "task": task,
            "grade_id": grade_id, "schema_version": SCHEMA_VERSION}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def _literal(data: dict) -> str:
    """A dict as Python source; repr keeps Vietnamese readable in the cell."""
    return pformat(data, width=110, sort_dicts=False)


def intro_cell(form: Form) -> nbformat.NotebookNode:
    text = "\n\n".join(f"# {form.title.in_language(language)}\n\n{label('notebook.form_intro', language)}"
                       for language in ("en", "vi"))
    return new_markdown_cell(text, metadata=_nbgrader(f"{form.id}-intro", locked=True))


def setup_cell(form: Form) -> nbformat.NotebookNode:
    source = (
        "from wpskit.widgets import Assessment\n"
        f"quiz = Assessment({form.id!r})\n"
        "quiz.language_switch()"
    )
    return new_code_cell(source, metadata={**HIDDEN, **_nbgrader(f"{form.id}-setup", locked=True)})


def question_cell(form: Form, item: Item) -> nbformat.NotebookNode:
    source = f"quiz.ask({_literal(item.public_dict())});"
    if not item.is_auto_graded:
        source += f"\nfrom wpskit.autograde import show_to_grader\nshow_to_grader({form.id!r}, {item.id!r})"
    return new_code_cell(source, metadata={**HIDDEN, **_nbgrader(f"{item.id}-question", locked=True)})


def submit_cell(form_id: str) -> nbformat.NotebookNode:
    """The *Submit* button at the end: on a page there is no *Assignments* tab."""
    source = f"from wpskit.widgets import SubmitButton\nSubmitButton({form_id!r})"
    return new_code_cell(source, metadata={**HIDDEN, **_nbgrader(f"{form_id}-submit", locked=True)})


def grading_key(item: Item) -> dict:
    """What the hidden test needs to score an answer: the item without its texts."""
    return item.model_dump(mode="json", include={"id", "objective", "type", "points", "key", "source"}) | {
        "text": {"en": "-", "vi": "-"},
        "options": {key: {"en": key, "vi": key} for key in item.options},
        "targets": {key: {"en": key, "vi": key} for key in item.targets},
    }


def test_cell(form: Form, item: Item) -> nbformat.NotebookNode:
    source = (
        f"{TEST_CELL_NOTE}\n"
        "### BEGIN HIDDEN TESTS\n"
        "from wpskit.autograde import points_for\n"
        f"points_for({form.id!r}, {_literal(grading_key(item))})\n"
        "### END HIDDEN TESTS"
    )
    return new_code_cell(source, metadata={**HIDDEN, **_nbgrader(item.id, grade=True, points=item.points)})


def rubric_cell(item: Item) -> nbformat.NotebookNode:
    lines = [f"**{both_languages('notebook.rubric', english_first=True)} — {item.id}** "
             f"({item.points:g} {both_languages('notebook.points', english_first=True)})", ""]
    lines += [f"- **{c.points:g}** — {c.text.en} / {c.text.vi}" for c in item.rubric]
    return new_markdown_cell("\n".join(lines), metadata=_nbgrader(item.id, task=True, points=item.points))


def form_notebook(bank: ItemBank, form_id: str) -> nbformat.NotebookNode:
    """The nbgrader source notebook of one form, hidden tests included."""
    form = bank.forms[form_id]
    cells = [intro_cell(form), setup_cell(form)]
    for item in bank.form_items(form_id):
        cells.append(question_cell(form, item))
        cells.append(test_cell(form, item) if item.is_auto_graded else rubric_cell(item))
    cells.append(submit_cell(form.id))
    notebook = new_notebook(cells=cells)
    notebook.metadata.kernelspec = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    notebook.metadata.language_info = {"name": "python"}
    return notebook


def write_if_changed(notebook: nbformat.NotebookNode, path: Path) -> bool:
    """Write the notebook only when its content differs, so an unchanged form is not regenerated."""
    text = nbformat.writes(_without_cell_ids(notebook)) + "\n"
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    write_atomically(path, text)
    return True


def _without_cell_ids(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Cell ids are random; derive them from nbgrader's grade ids so rebuilding is byte-identical
    (a module notebook's cells have no grade id but fixed ids of their own, kept)."""
    for cell in notebook.cells:
        if "nbgrader" in cell.metadata:
            cell["id"] = cell.metadata["nbgrader"]["grade_id"][:64]
    return notebook
