"""Question widgets in assessment mode, with no browser: no key, no feedback and no correct flag
reach the browser, whatever the item; the saved answers follow contract 2."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pytest

import wpskit
from tests.test_widgets import AT, ITEMS, T, all_widgets, english  # noqa: F401  (english: an autouse fixture)
from wpskit.errors import ItemBankError
from wpskit.items import parse_item
from wpskit.widgets import Assessment
from wpskit.widgets.spec import QuestionSpec, assessment_spec, exercise_spec, normalise_value, shuffled_order
from wpskit.responses import read_responses


SECRET_KEY_TEXT = "zebra-kangaroo-7731"
SECRET_FEEDBACK = "FEEDBACK-GIVES-IT-AWAY"
DISTINCTIVE = [
    {"id": "a-single", "objective": "D1.1", "type": "single", "points": 1, "text": T("Q"),
     "options": {"opt1": T("One"), "kq9zx": T("Two"), "opt3": T("Three")}, "key": "kq9zx",
     "feedback": T(SECRET_FEEDBACK), "source": "test"},
    {"id": "a-multi", "objective": "D1.1", "type": "multi", "points": 1, "text": T("Q"),
     "options": {"kq9zx": T("One"), "opt2": T("Two"), "kw8yv": T("Three")}, "key": ["kq9zx", "kw8yv"],
     "feedback": T(SECRET_FEEDBACK), "source": "test"},
    {"id": "a-order", "objective": "D1.1", "type": "order", "points": 1, "text": T("Q"),
     "options": {"kq9zx": T("First"), "kw8yv": T("Second"), "kv7ut": T("Third")}, "key": ["kq9zx", "kw8yv", "kv7ut"],
     "feedback": T(SECRET_FEEDBACK), "source": "test"},
    {"id": "a-match", "objective": "D1.1", "type": "match", "points": 1, "text": T("Q"),
     "options": {"o1": T("One"), "o2": T("Two")}, "targets": {"kq9zx": T("T1"), "kw8yv": T("T2")},
     "key": {"o1": "kq9zx", "o2": "kw8yv"}, "feedback": T(SECRET_FEEDBACK), "source": "test"},
    {"id": "a-text", "objective": "D1.1", "type": "text", "points": 1, "text": T("Q"),
     "key": [SECRET_KEY_TEXT], "feedback": T(SECRET_FEEDBACK), "source": "test"},
    {"id": "a-tf", "objective": "D1.1", "type": "truefalse", "points": 1, "text": T("Q"),
     "key": "true", "feedback": T(SECRET_FEEDBACK), "source": "test"},
    {"id": "a-written", "objective": "D1.1", "type": "written", "points": 2, "text": T("Q"),
     "rubric": [{"id": "r", "points": 2, "text": T("RUBRIC-SECRET")}], "feedback": T(SECRET_FEEDBACK), "source": "test"},
]
NEVER_SHOWN = ["kq9zx", "kw8yv", "kv7ut", SECRET_KEY_TEXT, SECRET_FEEDBACK, "RUBRIC-SECRET", "correct", "wpskit-verdict wpskit-"]


def _everything_sent_to_the_browser(root: widgets.Widget) -> str:
    states = [json.dumps(w.get_state(), default=str, ensure_ascii=False) for w in all_widgets(root)]
    return "\n".join(states) + json.dumps(root._repr_mimebundle_(), default=str)


@pytest.mark.parametrize("data", DISTINCTIVE, ids=[d["id"] for d in DISTINCTIVE])
def test_an_assessment_widget_holds_no_key_no_feedback_and_no_correct_flag(data: dict[str, Any], tmp_path: Path) -> None:
    quiz = Assessment("pre", tmp_path)
    public = parse_item(data).public_dict()
    w = quiz.ask(public, show=False)
    for moment in ("fresh", "answered", "relabelled"):
        if moment == "answered":
            answer = {"single": "opt1", "multi": ["opt2"], "truefalse": "false", "text": "1325", "written": "Tôi nghĩ",
                      "order": None, "match": {"o1": "kw8yv"}}[w.spec.type]
            if w.spec.type == "order":
                w.down_buttons[0].click()
            else:
                w.value = answer
        if moment == "relabelled":
            wpskit.use_language("vi")
        sent = _everything_sent_to_the_browser(w)
        for secret in NEVER_SHOWN:
            assert secret not in sent, (moment, secret)
        assert not hasattr(w.spec.item, "key")
    assert w.check_button not in all_widgets(w)
    assert "Đã lưu ✓" in w._status_html.value
    assert not any(isinstance(x, widgets.Button) and x.description in ("Check", "Kiểm tra") for x in all_widgets(w))


def test_an_assessment_order_question_never_opens_in_the_listed_order(tmp_path: Path) -> None:
    w = Assessment("pre", tmp_path).ask(parse_item(DISTINCTIVE[2]).public_dict(), show=False)
    assert w.shown_order != ["kq9zx", "kw8yv", "kv7ut"]
    w.keep_button.click()
    assert read_responses(tmp_path / "pre.responses.json").value("a-order") == w.shown_order


@pytest.mark.parametrize("secret", ["key", "feedback", "rubric"])
def test_an_assessment_refuses_an_item_with_a_key_or_feedback(secret: str, tmp_path: Path) -> None:
    data = {**parse_item(DISTINCTIVE[0]).public_dict(), secret: DISTINCTIVE[0].get(secret, [])}
    with pytest.raises(ItemBankError, match=secret):
        Assessment("pre", tmp_path).ask(data, show=False)


def test_an_assessment_refuses_an_item_object(tmp_path: Path) -> None:
    with pytest.raises(ItemBankError, match="public_dict"):
        Assessment("pre", tmp_path).ask(parse_item(DISTINCTIVE[0]), show=False)


def test_an_assessment_saves_every_change_in_the_contract_format(tmp_path: Path) -> None:
    quiz = Assessment("pre", tmp_path, clock=lambda: AT)
    wpskit.use_language("vi")
    w = quiz.ask(parse_item(DISTINCTIVE[1]).public_dict(), show=False)
    w.boxes["kw8yv"].value = True
    w.boxes["opt2"].value = True
    assert json.loads((tmp_path / "pre.responses.json").read_text(encoding="utf-8")) == {
        "schema": 1, "form": "pre", "language": "vi",
        "answers": {"a-multi": {"value": ["kw8yv", "opt2"], "at": AT}}, "updated": AT,
    }


# -- pure helpers (no widgets) --------------------------------------------------------


def test_normalise_value_gives_the_saved_form_of_each_type() -> None:
    spec = exercise_spec(ITEMS["multi"])
    assert normalise_value(spec, ("d", "a", "a")) == ["a", "d"]
    assert normalise_value(exercise_spec(ITEMS["truefalse"]), True) == "true"
    match = exercise_spec(ITEMS["match"])
    assert normalise_value(match, {"y": "prot", "x": "part"}) == {"x": "part", "y": "prot"}
    with pytest.raises(ValueError):
        normalise_value(spec, ["z"])
    with pytest.raises(ValueError):
        normalise_value(exercise_spec(ITEMS["order"]), ["r1325"])
    with pytest.raises(ValueError):
        normalise_value(match, {"x": "nowhere"})


def test_inline_exercises_need_no_objective_source_or_rubric() -> None:
    spec = exercise_spec(ITEMS["written"], "01-wps-origins")
    assert spec.item is not None and spec.item.feedback is not None


def test_shuffled_order_is_stable_and_never_the_listed_order() -> None:
    for n in range(2, 7):
        template = exercise_spec(ITEMS["order"])
        options = {f"o{i}": template.options["r1325"] for i in range(n)}
        spec = QuestionSpec(f"id-{n}", "order", template.text, options, {}, 1)
        assert shuffled_order(spec) == shuffled_order(spec) != list(options)
        assert sorted(shuffled_order(spec)) == sorted(options)


def test_assessment_spec_takes_exactly_a_public_dict() -> None:
    public = parse_item(DISTINCTIVE[3]).public_dict()
    spec = assessment_spec(public)
    assert spec.item is None and list(spec.targets) == ["kq9zx", "kw8yv"]
    with pytest.raises(ItemBankError):
        assessment_spec({**public, "surprise": 1})
