"""A module's exercises as data (``wpskit.exercises``): the loader, its errors, the files
under ``modules/`` and their use by the notebooks, and a change of wording that is one line
in one file and shows on the rendered page."""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
from pathlib import Path
from typing import Any, Iterator

import nbformat
import pytest
import yaml
from pydantic import BaseModel

from tests.test_items import RESOLUTION_WITH_YEAR, VIETNAMESE_LETTERS, WRONG_NAP_DATES, facts_table, numbers
from tests.test_modules import ALL, EXERCISES_FILE, Module, code, question_ids
from wpskit.errors import ItemBankError
from wpskit.exercises import ConfidencePrompt, ModuleExercises, PlanExercise, ScenarioSpec, load_exercises
from wpskit.items import Item, LocalText


def exercises_file(module: Module, language: str = "en") -> Path:
    """The exercises file the setup cell of `module`'s notebook names."""
    names = EXERCISES_FILE.findall(code(module.notebook(language))[0].source)
    assert names, f"{module.path(language).name}: the setup cell opens Exercises(..., exercises='<notebook>.exercises.yaml')"
    return module.path(language).parent / names[0]


def shown_ids(module: Module, language: str = "en") -> list[str]:
    return question_ids(module.notebook(language))


# Texts whose languages give one figure in different words, checked by hand.
SAME_NUMBERS_IN_OTHER_WORDS = {
    "03-trafficking-pandemics-online.exercises.yaml: d2-03-read-the-calls.feedback",  # "the mid-30s" / "trên dưới 35"
}


def texts(value: Any, where: str) -> Iterator[tuple[str, LocalText]]:
    """Every text of an exercise in both languages, with where it is (``gs-steps.options.run``)."""
    if isinstance(value, LocalText):
        yield where, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from texts(getattr(value, name), f"{where}.{name}")
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield from texts(inner, f"{where}.{key}")
    elif isinstance(value, list):
        for position, inner in enumerate(value):
            yield from texts(inner, f"{where}[{position}]")


def module_texts(exercises: ModuleExercises) -> Iterator[tuple[str, LocalText]]:
    for exercise in exercises:
        yield from texts(exercise, f"{exercises.path.name}: {exercise.id}")


# --- the modules' files ----------------------------------------------------------------------


@pytest.mark.parametrize("module", ALL, ids=str)
def test_every_exercise_shown_exists_and_every_exercise_is_shown(module: Module) -> None:
    path = exercises_file(module)
    assert path == exercises_file(module, "vi"), f"{module.id}: the twins name different exercises files"
    assert path.name == module.path("en").name.removesuffix(".ipynb") + ".exercises.yaml"
    exercises = load_exercises(path)
    shown = shown_ids(module)
    assert shown == shown_ids(module, "vi")
    assert len(shown) == len(set(shown)), f"{module.id}: an exercise is shown twice: {shown}"
    assert not set(shown) - set(exercises.exercises), f"{path.name} lacks {sorted(set(shown) - set(exercises.exercises))}"
    assert shown == list(exercises.exercises), f"{path.name}: every exercise is shown once, in the file's order"


@pytest.mark.parametrize("module", ALL, ids=str)
def test_exercise_texts_keep_the_facts_and_the_diacritics(module: Module) -> None:
    table = facts_table()
    for where, text in module_texts(load_exercises(exercises_file(module))):
        for language in ("en", "vi"):
            value = text.in_language(language)
            assert unicodedata.is_normalized("NFC", value), f"{where} ({language}): not NFC"
            for number, year in RESOLUTION_WITH_YEAR.findall(value):
                assert table.get(number) == year, f"{where} ({language}): {number} ({year}) should be ({table.get(number)})"
            assert not [w for w in WRONG_NAP_DATES if w in value], f"{where} ({language}): the NAP date is 25 January 2024"
        if re.search(r"[A-Za-z]{2}", text.vi) and text.vi != text.en:
            assert VIETNAMESE_LETTERS & set(text.vi), f"{where}: Vietnamese text without diacritics: {text.vi!r}"
        en, vi = numbers(text.en, english=True), numbers(text.vi, english=False)
        if where not in SAME_NUMBERS_IN_OTHER_WORDS:
            assert en == vi, f"{where}: numbers differ, en {sorted(en.elements())} vi {sorted(vi.elements())}"


# --- the loader --------------------------------------------------------------------------------

GOOD = """
- id: x-single
  type: single
  text: {en: Pick one, vi: Chọn một}
  options: {a: {en: A, vi: A}, b: {en: B, vi: B}}
  key: b
  feedback: {en: B it is, vi: Đúng là B}
- id: x-sure
  type: confidence
  text: {en: "How sure?", vi: "Chắc chắn đến mức nào?"}
- id: x-story
  type: scenario
  title: {en: A story, vi: Một câu chuyện}
  steps:
    start:
      text: {en: "Go?", vi: "Đi không?"}
      choices:
        - {id: go, text: {en: Go, vi: Đi}, consequence: {en: Gone, vi: Đã đi}, points: 1}
- id: x-plan
  type: plan
- id: x-reflect
  type: written
  text: {en: Think, vi: Suy nghĩ}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "01-x.exercises.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_each_kind_loads_as_its_model(tmp_path: Path) -> None:
    exercises = load_exercises(write(tmp_path, GOOD))
    kinds = {e.id: type(e) for e in exercises}
    assert kinds == {"x-single": Item, "x-sure": ConfidencePrompt, "x-story": ScenarioSpec, "x-plan": PlanExercise,
                     "x-reflect": Item}
    assert exercises["x-single"].key == "b" and exercises["x-single"].feedback.vi == "Đúng là B"
    assert exercises["x-story"].best_points == 1
    assert exercises["x-reflect"].rubric[0].points == 1  # a reflection is never graded, yet a valid Item


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda t: t.replace("key: b", "key: c"), "exercise 'x-single': key must be one of the options"),
        (lambda t: t.replace("id: x-plan", "id: x-sure"), "exercise id 'x-sure' is used twice"),
        (lambda t: t.replace("id: x-plan", "id: X Plan"), "exercise 'X Plan': id: use only lowercase"),
        (lambda t: t.replace("\"Chắc chắn đến mức nào?\"", "''"), "exercise 'x-sure': text.vi"),
        (lambda t: t.replace("points: 1}", "points: 1, next: nowhere}"), "exercise 'x-story': step 'start', choice 'go': next step 'nowhere'"),
        (lambda t: t.replace("type: plan", "type: survey"), "exercise 'x-plan': type 'survey' is not one of single, multi"),
        (lambda t: "id: x-single\n", "expected a list of exercises"),
    ],
)
def test_a_mistake_names_the_file_and_the_exercise(tmp_path: Path, edit, message: str) -> None:
    path = write(tmp_path, edit(GOOD))
    with pytest.raises(ItemBankError) as error:
        load_exercises(path)
    assert str(error.value).startswith(f"{path}: ") and message in str(error.value), str(error.value)


def test_an_unknown_id_or_a_missing_file_says_what_to_do(tmp_path: Path) -> None:
    exercises = load_exercises(write(tmp_path, GOOD))
    with pytest.raises(ItemBankError, match=r"01-x\.exercises\.yaml: no exercise 'x-nope'; add it there or use one of"):
        exercises["x-nope"]
    with pytest.raises(ItemBankError, match=r"nothing\.exercises\.yaml: missing"):
        load_exercises(tmp_path / "nothing.exercises.yaml")


def test_show_builds_the_widget_of_each_kind(tmp_path: Path) -> None:
    from wpskit.widgets import Exercises

    write(tmp_path, GOOD)
    ex = Exercises("01-x", tmp_path, exercises="01-x.exercises.yaml")
    made = {e.id: type(ex.show(e.id, show=False)).__name__ for e in ex.exercises}
    assert made == {"x-single": "SingleChoice", "x-sure": "ConfidenceRating", "x-story": "Scenario",
                    "x-plan": "ActionPlan", "x-reflect": "WrittenReflection"}
    assert ex.widget("x-single").spec.item.feedback.en == "B it is"
    with pytest.raises(ItemBankError, match="no exercise 'x-nope'"):
        ex.show("x-nope")


# --- a change of wording: one line, one file, on the page ------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("language", ["en", "vi"])
def test_a_change_of_wording_is_one_line_in_one_file_and_shows_on_the_page(language: str, tmp_path: Path) -> None:
    from nbclient import NotebookClient

    module = ALL[1]
    source = exercises_file(module)
    folder = tmp_path / source.parent.name
    shutil.copytree(source.parent, folder, ignore=shutil.ignore_patterns("*.responses.json*", ".ipynb_checkpoints"))
    exercise = next(e for e in load_exercises(source) if isinstance(e, Item))
    old = exercise.text.in_language(language)
    new = {"en": "Which pillar fits best? (reworded)", "vi": "Trụ cột nào phù hợp nhất? (đã sửa câu chữ)"}[language]
    before = (folder / source.name).read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(before) if text.strip().startswith(f"{language}:")
                and yaml.safe_load(text.strip()) == {language: old})
    after = before[:line] + [f"{before[line].split(':')[0]}: {new}"] + before[line + 1:]
    (folder / source.name).write_text("\n".join(after) + "\n", encoding="utf-8")
    assert sum(a != b for a, b in zip(before, after)) == 1, "the wording of one text is one line of the file"

    notebook = nbformat.read(folder / module.path(language).name, as_version=4)
    NotebookClient(notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(folder)}}).execute()
    state = json.dumps(notebook.metadata.widgets, ensure_ascii=False)
    assert new in state, "the new wording is in the page's widgets"
    assert old not in state
