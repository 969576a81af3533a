"""Question widgets driven programmatically, with no browser: values, saving, restoring,
feedback, language, and no key anywhere in assessment mode."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any, Iterator

import ipywidgets as widgets
import pytest

import wpskit
from wpskit.errors import ItemBankError
from wpskit.language import use_language
from wpskit.widgets import Exercises
from wpskit.widgets.scenario import parse_scenario
from wpskit.responses import read_responses

AT = "2024-11-26T02:12:03Z"


def T(en: str, vi: str | None = None) -> dict[str, str]:
    return {"en": en, "vi": vi or f"{en} (tiếng Việt)"}


ITEMS: dict[str, dict[str, Any]] = {
    "single": {
        "id": "q-single", "type": "single", "text": T("When was 1325 adopted?", "Nghị quyết 1325 được thông qua khi nào?"),
        "options": {"a": T("19 June 2008"), "b": T("31 October 2000"), "c": T("29 October 2019")},
        "key": "b", "feedback": T("It was 31 October 2000.", "Ngày 31/10/2000."),
    },
    "truefalse": {"id": "q-tf", "type": "truefalse", "text": T("Answers are saved."), "key": "true", "feedback": T("Yes.")},
    "multi": {
        "id": "q-multi", "type": "multi", "text": T("Which?"),
        "options": {"a": T("A"), "b": T("B"), "c": T("C"), "d": T("D")}, "key": ["a", "c"], "feedback": T("A and C."),
    },
    "order": {
        "id": "q-order", "type": "order", "text": T("Order them."),
        "options": {"r1325": T("1325 (2000)"), "r1820": T("1820 (2008)"), "r2493": T("2493 (2019)")},
        "key": ["r1325", "r1820", "r2493"], "feedback": T("By year."),
    },
    "match": {
        "id": "q-match", "type": "match", "text": T("Match."),
        "options": {"x": T("Peace talks"), "y": T("Shelter")},
        "targets": {"part": T("Participation"), "prot": T("Protection")},
        "key": {"x": "part", "y": "prot"}, "feedback": T("Talks: participation."),
    },
    "text": {"id": "q-text", "type": "text", "text": T("Number?"), "key": ["1325", "nghị quyết 1325"], "feedback": T("1325.")},
    "written": {"id": "q-written", "type": "written", "text": T("Reflect."), "feedback": T("Think about X.")},
}

SCENARIO = {
    "id": "q-scenario",
    "title": T("A story"),
    "steps": {
        "start": {"text": T("You arrive."), "choices": [
            {"id": "listen", "text": T("Listen"), "consequence": T("You learn."), "next": "middle", "points": 1},
            {"id": "leave", "text": T("Leave"), "consequence": T("You miss it.")},
        ]},
        "middle": {"text": T("They ask you."), "choices": [
            {"id": "speak", "text": T("Speak"), "consequence": T("They hear you."), "next": "end", "points": 2},
            {"id": "wait", "text": T("Wait"), "consequence": T("Nothing."), "next": "end"},
        ]},
        "end": {"text": T("The end.")},
    },
}

# one participant's answer per type, in the saved form, and how to give it through the controls
ANSWERS: dict[str, Any] = {
    "q-single": "b", "q-tf": "false", "q-multi": ["a", "c"], "q-order": ["r1325", "r1820", "r2493"],
    "q-match": {"x": "part", "y": "prot"}, "q-text": "nghị quyết 1325", "q-written": "Tôi học được nhiều điều.",
    "q-conf": 4, "q-scenario": ["listen", "speak"],
}


def answer_through_controls(w: Any) -> None:
    """What a participant's clicks do: change the controls, the observers do the rest."""
    kind = getattr(w.spec, "type")
    if kind in ("single", "truefalse", "confidence"):
        w.choices.value = ANSWERS[w.spec.id]
    elif kind == "multi":
        for key in ANSWERS[w.spec.id]:
            w.boxes[key].value = True
    elif kind == "order":
        target = ANSWERS[w.spec.id]
        for _ in range(len(target) ** 2):  # bubble the rows into place with the ↓ buttons
            for position in range(len(target) - 1):
                order = w.shown_order
                if target.index(order[position]) > target.index(order[position + 1]):
                    w.down_buttons[position].click()
    elif kind == "match":
        for option, target in ANSWERS[w.spec.id].items():
            w.dropdowns[option].value = target
    elif kind in ("text", "written"):
        w.input.value = ANSWERS[w.spec.id]
    elif kind == "scenario":
        for choice in ANSWERS[w.spec.id]:
            at = w.scenario.replay(w.path)[1]
            ids = [c.id for c in w.scenario.steps[at].choices]
            w.choice_buttons[ids.index(choice)].click()


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    use_language("en")
    yield
    use_language("en")


def ask_all(ex: Exercises) -> dict[str, Any]:
    made = {item["id"]: ex.ask(item, show=False) for item in ITEMS.values()}
    made["q-conf"] = ex.confidence("q-conf", T("How sure?"), show=False)
    made["q-scenario"] = ex.scenario(SCENARIO, show=False)
    return made


# -- saving and restoring -------------------------------------------------------------


def test_answers_given_through_the_controls_are_saved_exactly(tmp_path: Path) -> None:
    ex = Exercises("01-wps-origins", tmp_path, clock=lambda: AT)
    made = ask_all(ex)
    wpskit.use_language("vi")
    for w in made.values():
        answer_through_controls(w)
    data = json.loads((tmp_path / "01-wps-origins.responses.json").read_text(encoding="utf-8"))
    assert data == {
        "schema": 1,
        "form": "01-wps-origins",
        "language": "vi",
        "answers": {item_id: {"value": ANSWERS[item_id], "at": AT} for item_id in data["answers"]},
        "updated": AT,
    }
    assert set(data["answers"]) == set(ANSWERS)
    assert {w.spec.id: w.value for w in made.values()} == ANSWERS


def test_a_rerun_restores_every_answer_into_the_widgets(tmp_path: Path) -> None:
    first = ask_all(Exercises("m", tmp_path))
    for w in first.values():
        answer_through_controls(w)
    again = ask_all(Exercises("m", tmp_path))
    assert {item_id: w.value for item_id, w in again.items()} == ANSWERS
    assert again["q-single"].choices.value == "b"
    assert again["q-multi"].boxes["c"].value and not again["q-multi"].boxes["b"].value
    assert again["q-order"].shown_order == ANSWERS["q-order"]
    assert again["q-match"].dropdowns["y"].value == "prot"
    assert again["q-written"].input.value == ANSWERS["q-written"]
    assert again["q-conf"].choices.value == 4
    assert "They hear you." in again["q-scenario"]._story.value
    # restored exercise answers are shown checked, so the score survives a restart
    assert again["q-single"].checked and "✓ Correct" in again["q-single"]._feedback.value
    assert "Saved ✓" in again["q-text"]._status_html.value


def test_restoring_does_not_rewrite_the_file(tmp_path: Path) -> None:
    ex = Exercises("m", tmp_path, clock=lambda: AT)
    answer_through_controls(ex.ask(ITEMS["single"], show=False))
    before = (tmp_path / "m.responses.json").read_bytes()
    Exercises("m", tmp_path, clock=lambda: "2030-01-01T00:00:00Z").ask(ITEMS["single"], show=False)
    assert (tmp_path / "m.responses.json").read_bytes() == before


def test_a_fresh_python_process_restores_what_this_one_saved(tmp_path: Path) -> None:
    ex = Exercises("fresh", tmp_path)
    for w in ask_all(ex).values():
        answer_through_controls(w)
    code = textwrap.dedent(
        f"""
        import json, sys
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from test_widgets import ask_all
        from wpskit.widgets import Exercises
        made = ask_all(Exercises("fresh", {str(tmp_path)!r}))
        print(json.dumps({{k: w.value for k, w in made.items()}}))
        """
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(result.stdout) == ANSWERS


def test_two_notebooks_of_the_same_form_lose_nothing(tmp_path: Path) -> None:
    english_twin = Exercises("m", tmp_path)
    vietnamese_twin = Exercises("m", tmp_path)
    a = english_twin.ask(ITEMS["single"], show=False)
    b = vietnamese_twin.ask(ITEMS["multi"], show=False)
    a.value = "a"
    b.value = ["b"]
    a.value = "c"
    assert read_responses(tmp_path / "m.responses.json").values() == {"q-single": "c", "q-multi": ["b"]}


def test_a_corrupt_file_gives_a_short_bilingual_notice_and_the_notebook_goes_on(tmp_path: Path) -> None:
    (tmp_path / "m.responses.json").write_text('{"schema": 1, "answ', encoding="utf-8")
    ex = Exercises("m", tmp_path)
    w = ex.ask(ITEMS["single"], show=False)
    notice = w._status_html.value
    assert "⚠" in notice and "Không đọc được" in notice and "could not be read" in notice
    assert "m.responses.json.corrupt-" in notice
    w.value = "b"
    assert read_responses(tmp_path / "m.responses.json").values() == {"q-single": "b"}
    assert len(list(tmp_path.glob("m.responses.json.corrupt-*"))) == 1


def test_a_save_that_fails_is_shown_under_the_widget_not_raised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ex = Exercises("m", tmp_path)
    w = ex.ask(ITEMS["text"], show=False)

    def disk_full(*_args: Any, **_kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(ex.store, "save", disk_full)
    w.input.value = "1325"
    assert "⚠" in w._status_html.value and "could not be saved" in w._status_html.value


def test_rerunning_a_cell_replaces_its_widget(tmp_path: Path) -> None:
    ex = Exercises("m", tmp_path)
    old = ex.ask(ITEMS["single"], show=False)
    new = ex.ask(ITEMS["single"], show=False)
    assert ex.widget("q-single") is new and old.comm is None


# -- exercise feedback ----------------------------------------------------------------


def test_check_shows_symbol_words_and_the_explanation_in_the_chosen_language(tmp_path: Path) -> None:
    ex = Exercises("m", tmp_path)
    w = ex.ask(ITEMS["single"], show=False)
    w.check()
    assert "Choose or type an answer first." in w._feedback.value and not w.checked
    w.choices.value = "a"
    assert w.check() == 0
    assert "✗ Not quite" in w._feedback.value and "It was 31 October 2000." in w._feedback.value
    assert w.choices.disabled and w.check_button.layout.display == "none"
    wpskit.use_language("vi")
    assert "✗ Chưa đúng" in w._feedback.value and "Ngày 31/10/2000." in w._feedback.value
    assert w.try_again_button.description == "Làm lại"
    w.try_again_button.click()
    assert not w.checked and w._feedback.value == "" and not w.choices.disabled
    w.choices.value = "b"
    w.check_button.click()
    assert "✓ Đúng" in w._feedback.value and w.score == 1


def test_partial_credit_comes_from_the_one_scoring_rule(tmp_path: Path) -> None:
    ex = Exercises("m", tmp_path)
    w = ex.ask({**ITEMS["multi"], "points": 2}, show=False)
    w.value = ["a", "b", "c"]  # 2 right, 1 wrong of 2 in the key: (2 - 1) / 2
    assert w.check() == 1.0
    assert "◐ Partly right: 1 of 2 points" in w._feedback.value


def test_changing_a_checked_answer_withdraws_the_check(tmp_path: Path) -> None:
    ex = Exercises("m", tmp_path)
    w = ex.ask(ITEMS["text"], show=False)
    w.value = "1325"
    w.check()
    w.value = "1820"
    assert not w.checked and w.score is None and w._feedback.value == ""


def test_the_score_board_adds_up_checked_questions_and_finished_scenarios(tmp_path: Path) -> None:
    ex = Exercises("m", tmp_path)
    made = ask_all(ex)
    board = ex.score_board(show=False)
    # 6 scored items of 1 point + a scenario whose best path earns 3
    assert ex.score() == (0, 9, 0, 7)
    made["q-single"].value = "b"
    made["q-single"].check()
    made["q-scenario"].choose("listen")
    assert ex.score() == (1, 9, 1, 7)
    made["q-scenario"].choose("speak")
    assert ex.score() == (4, 9, 2, 7)
    assert "4 of 9 points (2 of 7 questions checked)" in board.value
    wpskit.use_language("vi")
    assert "4/9 điểm (đã kiểm tra 2/7 câu)" in board.value


def test_order_checks_the_order_on_screen_even_if_no_row_was_moved(tmp_path: Path) -> None:
    ex = Exercises("m", tmp_path)
    w = ex.ask(ITEMS["order"], show=False)
    assert w.shown_order != ITEMS["order"]["key"]
    assert w.value is None
    w.check()
    assert w.value == w.shown_order and w.checked
    assert read_responses(tmp_path / "m.responses.json").value("q-order") == w.shown_order


def test_written_reflection_is_saved_not_scored_and_shows_points_to_consider(tmp_path: Path) -> None:
    ex = Exercises("m", tmp_path)
    w = ex.ask(ITEMS["written"], show=False)
    assert w.check_button not in all_widgets(w) and w.max_points == 0
    w.input.value = "Suy nghĩ"
    assert w._feedback.value == ""
    w.points_button.click()
    assert "Think about X." in w._feedback.value and "Points to consider" in w._feedback.value


def test_scenario_start_again_saves_an_empty_path(tmp_path: Path) -> None:
    ex = Exercises("m", tmp_path)
    w = ex.scenario(SCENARIO, show=False)
    w.choose("leave")
    assert w.checked and w.score == 0 and "End of the scenario." in w._story.value
    w.start_again_button.click()
    assert w.value == [] and not w.checked
    assert read_responses(tmp_path / "m.responses.json").value("q-scenario") == []


def test_scenario_restores_the_part_of_a_path_that_still_fits(tmp_path: Path) -> None:
    ex = Exercises("m", tmp_path)
    ex.store.save("q-scenario", ["listen", "dance"], "en")
    w = ex.scenario(SCENARIO, show=False)
    assert w.value == ["listen"] and [b.description for b in w.choice_buttons] == ["Speak", "Wait"]


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda s: s["steps"]["start"]["choices"][0].update(next="nowhere"), "does not exist"),
        (lambda s: s["steps"].update(orphan={"text": T("x")}), "cannot be reached"),
        (lambda s: s["steps"]["start"]["choices"][1].update(id="listen"), "unique"),
        (lambda s: s.update(id="Bad Id"), "lowercase"),
    ],
)
def test_scenario_specs_are_checked(change: Any, message: str) -> None:
    spec = json.loads(json.dumps(SCENARIO))
    change(spec)
    with pytest.raises(ItemBankError, match=message):
        parse_scenario(spec)


def test_scenario_best_points_follow_the_best_path() -> None:
    scenario = parse_scenario(SCENARIO)
    assert scenario.best_points == 3
    assert scenario.points(["listen", "wait"]) == 1
    assert scenario.replay(["leave"])[1] is None


# -- language -------------------------------------------------------------------------


def test_the_language_switch_relabels_every_widget_live(tmp_path: Path) -> None:
    ex = Exercises("m", tmp_path)
    made = ask_all(ex)
    switch = ex.language_switch(show=False)
    switch.value = "vi"
    assert wpskit.language.current_language() == "vi"
    assert made["q-single"].check_button.description == "Kiểm tra"
    assert "Nghị quyết 1325 được thông qua khi nào?" in made["q-single"]._prompt.value
    assert made["q-tf"].choices.options == (("Đúng", "true"), ("Sai", "false"))
    assert made["q-match"].dropdowns["x"].options[0] == ("— chọn —", "")
    assert made["q-conf"].choices.options[0][0] == "1 – Hoàn toàn không chắc"
    assert made["q-written"].input.placeholder == "Viết suy nghĩ của bạn tại đây"
    assert made["q-scenario"].choice_buttons[0].description == "Listen (tiếng Việt)"
    wpskit.use_language("en")
    assert switch.value == "en" and made["q-single"].check_button.description == "Check"


def test_relabelling_keeps_answers_and_does_not_save(tmp_path: Path) -> None:
    ex = Exercises("m", tmp_path, clock=lambda: AT)
    made = ask_all(ex)
    for w in made.values():
        answer_through_controls(w)
    before = (tmp_path / "m.responses.json").read_bytes()
    wpskit.use_language("vi")
    wpskit.use_language("en")
    assert {k: w.value for k, w in made.items()} == ANSWERS
    assert (tmp_path / "m.responses.json").read_bytes() == before


def all_widgets(root: widgets.Widget) -> list[widgets.Widget]:
    """Every widget reachable from `root` through its traits (children, layout, style…)."""
    seen: dict[str, widgets.Widget] = {}
    todo = [root]
    while todo:
        w = todo.pop()
        if w.model_id in seen:
            continue
        seen[w.model_id] = w
        for name in w.keys:
            value = getattr(w, name)
            values = value if isinstance(value, (list, tuple)) else [value]
            todo.extend(v for v in values if isinstance(v, widgets.Widget))
    return list(seen.values())
