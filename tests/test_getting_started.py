"""The participant's first notebook, in English and Vietnamese: its shape, a headless run
top to bottom, and answers written in one real kernel read back by a fresh one."""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
from collections import Counter
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from wpskit.exercises import load_exercises
from wpskit.items import Item, load_item_bank
from wpskit.responses import read_responses

REPO = Path(__file__).resolve().parent.parent
FOLDER = REPO / "modules" / "00-getting-started"
EN = FOLDER / "00-getting-started.ipynb"
VI = FOLDER / "00-getting-started.vi.ipynb"
EXERCISES = FOLDER / "00-getting-started.exercises.yaml"
FORM = "00-getting-started"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def read(path: Path) -> nbformat.NotebookNode:
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    return notebook


def code_cells(notebook: nbformat.NotebookNode) -> list[str]:
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


@pytest.mark.parametrize("path", [EN, VI], ids=["en", "vi"])
def test_committed_without_outputs_and_with_every_code_cell_hidden(path: Path) -> None:
    for cell in read(path).cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
            assert cell.metadata.get("jupyter", {}).get("source_hidden") is True, cell.source[:40]


def test_the_twins_have_the_same_cells_and_code_except_the_language() -> None:
    en, vi = read(EN), read(VI)
    assert [c.cell_type for c in en.cells] == [c.cell_type for c in vi.cells]
    assert [c.id for c in en.cells] == [c.id for c in vi.cells]
    en_code = [s.replace('use_language("en")', "LANG") for s in code_cells(en)]
    vi_code = [s.replace('use_language("vi")', "LANG") for s in code_cells(vi)]
    assert en_code == vi_code
    assert 'use_language("en")' in code_cells(en)[0] and 'use_language("vi")' in code_cells(vi)[0]


def test_each_widget_type_is_used_once() -> None:
    code = "\n".join(code_cells(read(EN)))
    kinds = Counter(exercise.type for exercise in load_exercises(EXERCISES))
    assert kinds == Counter(["single", "multi", "truefalse", "order", "match", "text", "written", "confidence", "scenario"])
    for call in ("ex.language_switch()", "ex.score_board()"):
        assert code.count(call) == 1, call
    ids = re.findall(r'ex\.show\("(gs-[a-z0-9-]+)"\)', code)
    assert len(ids) == len(set(ids)) == 9


@pytest.mark.parametrize(
    "path, run_all, saved_in",
    [
        (EN, "Run → Run All Cells", "00-getting-started.responses.json"),
        (VI, "Chạy → Run All Cells", "00-getting-started.responses.json"),
    ],
    ids=["en", "vi"],
)
def test_the_first_cell_says_run_all_and_the_last_where_answers_are_saved(path: Path, run_all: str, saved_in: str) -> None:
    cells = read(path).cells
    assert cells[0].cell_type == "markdown" and run_all in cells[0].source
    assert cells[-1].cell_type == "markdown" and saved_in in cells[-1].source


def test_the_vietnamese_text_is_written_with_full_diacritics() -> None:
    text = "\n".join(c.source for c in read(VI).cells if c.cell_type == "markdown")
    for phrase in ("Bắt đầu", "câu trả lời", "Kiểm tra", "Làm lại", "Tiếng Việt", "được lưu", "ngôn ngữ"):
        assert phrase in text
    assert not re.search(r"\b(cau tra loi|Kiem tra|Lam lai|ngon ngu)\b", text)


def _run(path: Path, directory: Path, extra_code: str | None = None) -> nbformat.NotebookNode:
    """Execute a copy of `path` in `directory` (beside its exercises) in a fresh kernel, optionally with one more cell."""
    shutil.copy(EXERCISES, directory / EXERCISES.name)
    notebook = read(path)
    if extra_code:
        notebook.cells.append(nbformat.v4.new_code_cell(extra_code))
    client = NotebookClient(
        notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(directory)}}
    )
    client.execute()
    return notebook


def _last_stdout(notebook: nbformat.NotebookNode) -> str:
    return "".join(o.text for o in notebook.cells[-1].outputs if o.output_type == "stream" and o.name == "stdout")


@pytest.mark.slow
@pytest.mark.parametrize("path", [EN, VI], ids=["en", "vi"])
def test_the_notebook_runs_headless_top_to_bottom(path: Path, tmp_path: Path) -> None:
    notebook = _run(path, tmp_path)
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        kinds = [o.output_type for o in cell.outputs]
        assert "error" not in kinds, cell.source[:60]
        assert not [o for o in cell.outputs if o.output_type == "stream"], cell.source[:60]
        views = [o for o in cell.outputs if WIDGET_VIEW in o.get("data", {})]
        # every cell but the setup shows exactly one widget, once
        assert len(views) == (0 if "Exercises(" in cell.source else 1), cell.source[:60]
    assert not (tmp_path / f"{FORM}.responses.json").exists()  # nothing answered, nothing written


# What the first kernel does: answer every widget through its controls, as clicks would.
ANSWER_EVERYTHING = """
import json
w = ex.questions
w["gs-workshop-days"].choices.value = "b"
w["gs-workshop-days"].check_button.click()
w["gs-autosave"].choices.value = "true"
w["gs-get-answers-back"].boxes["b"].value = True
w["gs-get-answers-back"].boxes["a"].value = True
order = w["gs-steps"]
target = ["run", "read", "answer", "check"]
for _ in range(16):
    for p in range(3):
        if target.index(order.shown_order[p]) > target.index(order.shown_order[p + 1]):
            order.down_buttons[p].click()
w["gs-what-to-do"].dropdowns["language"].value = "switch"
w["gs-what-to-do"].dropdowns["empty"].value = "run"
w["gs-founding-resolution"].input.value = "Nghị quyết 1325"
w["gs-confidence"].choices.value = 4
w["gs-hopes"].input.value = "Tôi muốn áp dụng lăng kính giới vào kế hoạch của tổ chức — “ố ể ử”."
w["gs-battery"].choice_buttons[0].click()
w["gs-battery"].choice_buttons[0].click()
print(json.dumps({k: q.value for k, q in w.items()}, ensure_ascii=False))
"""

READ_BACK = """
import json
print(json.dumps({k: q.value for k, q in ex.questions.items()}, ensure_ascii=False))
print(json.dumps(ex.score()))
"""

EXPECTED = {
    "gs-workshop-days": "b",
    "gs-autosave": "true",
    "gs-get-answers-back": ["a", "b"],
    "gs-steps": ["run", "read", "answer", "check"],
    "gs-what-to-do": {"language": "switch", "empty": "run"},
    "gs-founding-resolution": "Nghị quyết 1325",
    "gs-confidence": 4,
    "gs-hopes": "Tôi muốn áp dụng lăng kính giới vào kế hoạch của tổ chức — “ố ể ử”.",
    "gs-battery": ["reopen", "twin"],
}


@pytest.mark.slow
def test_answers_written_in_one_kernel_are_read_back_identically_by_a_fresh_one(tmp_path: Path) -> None:
    shutil.copy(EN, tmp_path / EN.name)
    written = _run(EN, tmp_path, ANSWER_EVERYTHING)
    assert json.loads(_last_stdout(written)) == EXPECTED

    saved = read_responses(tmp_path / f"{FORM}.responses.json")
    assert saved.values() == EXPECTED
    assert saved.form == FORM and saved.language == "en"
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", a.at) for a in saved.answers.values())

    # the Vietnamese twin, in a new kernel, shows the same answers
    read_back = _run(VI, tmp_path, READ_BACK)
    lines = _last_stdout(read_back).splitlines()
    assert json.loads(lines[0]) == EXPECTED
    earned, total, checked, count = json.loads(lines[1])
    # restored answers count as checked: the whole of workshop-days, autosave, answers-back,
    # steps, founding-resolution, 1 of 3 matches wrong-free (2 of 3 right), scenario 2 of 2
    assert (total, count) == (8, 7)
    assert earned == pytest.approx(1 + 1 + 1 + 1 + 1 + 2 / 3 + 2, abs=0.01)
    assert checked == 7
    # reading back changed nothing on disk
    assert read_responses(tmp_path / f"{FORM}.responses.json") == saved


def _key_texts(item, language: str) -> list[str]:
    """What a participant would have to know to answer a pre-test item, as text."""
    if item.type in ("single", "multi"):
        keys = [item.key] if isinstance(item.key, str) else item.key
        return [item.options[k].in_language(language) for k in keys]
    if item.type == "text":
        return list(item.key) if isinstance(item.key, list) else [item.key]
    return []


# Words of the instructions, not of the content: "Match each … with what …", "Chọn tất cả các đáp án đúng".
_INSTRUCTION_WORDS = {"match", "each", "with", "what", "which", "choose", "that", "apply", "order", "these", "from",
                      "first", "last", "put", "type", "true", "false", "mỗi", "với", "những", "chọn", "đúng", "sắp", "xếp"}


def _words(text: str) -> set[str]:
    words = re.findall(r"\w+", unicodedata.normalize("NFC", text).casefold())
    return {w for w in words if len(w) > 3 and w not in _INSTRUCTION_WORDS}


def test_no_example_gives_away_a_pre_test_item() -> None:
    """The baseline must measure what participants knew before the workshop: no example may show a pre-test
    answer (e.g. 'When was 1325 adopted?' answers d1-1325-year) or ask nearly the same question."""
    bank = load_item_bank(REPO / "assessments")
    examples = [e for e in load_exercises(EXERCISES) if isinstance(e, Item)]
    for example in examples:
        for language in ("en", "vi"):
            shown = " ".join(
                [example.text.in_language(language)]
                + [o.in_language(language) for o in example.options.values()]
                + ([example.feedback.in_language(language)] if example.feedback else [])
            ).casefold()
            for item in bank.form_items("pre"):
                for answer in _key_texts(item, language):
                    assert not re.search(rf"(?<!\w){re.escape(answer.casefold())}(?!\w)", shown), (
                        f"{example.id} ({language}) shows '{answer}', the answer to pre-test item {item.id}"
                    )
                asked, asks = _words(example.text.in_language(language)), _words(item.text.in_language(language))
                overlap = len(asked & asks) / max(1, len(asked | asks))
                assert overlap < 0.5, f"{example.id} ({language}) asks nearly what pre-test item {item.id} asks"


def test_the_check_catches_an_example_that_answers_the_baseline() -> None:
    """The old example 'When was resolution 1325 adopted?' shows '2000', the key of d1-1325-year."""
    item = load_item_bank(REPO / "assessments").items["d1-1325-year"]
    shown = "Resolution 1325 was adopted on 31 October 2000.".casefold()
    assert any(re.search(rf"(?<!\w){re.escape(a.casefold())}(?!\w)", shown) for a in _key_texts(item, "en"))
