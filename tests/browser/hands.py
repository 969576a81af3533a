"""How a participant answers, in a real browser: two hands and the right answers.

- :class:`Mouse` and :class:`Keyboard` are two hands that answer the same questions:
  clicks, or key presses only (Space, arrows, Enter, typing). A keyboard user reaches a
  control with Tab; the hand puts the focus on it directly, and
  ``test_every_control_is_reached_by_tab`` checks that Tab does get there.
- :func:`answer_correctly` answers every question of a :class:`~tests.browser.participant.Visit`
  with one hand and checks the feedback it gets.
"""

from __future__ import annotations

import re
import time

from tests.browser.participant import Question, Visit, button, words
from wpskit.words import label

# -- the two hands --------------------------------------------------------------------------------


class Mouse:
    name = "mouse"

    def choose(self, radios, text: str) -> None:
        radios.get_by_role("radio", name=text, exact=True).click()

    def tick(self, box) -> None:
        box.click()

    def press(self, button) -> None:
        button.click()

    def select(self, select, text: str) -> None:
        select.click()  # opens the list; the choice itself goes through the element
        select.select_option(label=text)

    def type(self, box, text: str) -> None:
        box.click()
        box.page.keyboard.type(text)


class Keyboard:
    """Only key presses change anything; ``focus()`` stands for the Tab presses that reach a control."""

    name = "keyboard"

    def choose(self, radios, text: str) -> None:
        buttons = radios.get_by_role("radio")
        names = [words(name) for name in buttons.evaluate_all("els => els.map(e => e.closest('label').textContent)")]
        assert words(text) in names, f"{text!r} is not one of the options {names}"
        target = names.index(words(text))
        checked = buttons.evaluate_all("els => els.findIndex(e => e.checked)")
        if checked < 0:
            buttons.first.focus()
            buttons.first.press("Space")
            checked = 0
        else:
            buttons.nth(checked).focus()
        page = radios.page
        for _ in range(abs(target - checked)):
            page.keyboard.press("ArrowDown" if target > checked else "ArrowUp")

    def tick(self, box) -> None:
        box.focus()
        box.press("Space")

    def press(self, button) -> None:
        button.focus()
        button.press("Enter")

    def select(self, select, text: str) -> None:
        select.focus()
        options = [words(o) for o in select.evaluate("s => Array.from(s.options).map(o => o.text)")]
        target = options.index(words(text))
        current = select.evaluate("s => s.selectedIndex")
        for _ in range(abs(target - current)):
            select.press("ArrowDown" if target > current else "ArrowUp")

    def type(self, box, text: str) -> None:
        box.focus()
        box.page.keyboard.type(text)


HANDS = {"mouse": Mouse(), "keyboard": Keyboard()}


# -- answering ----------------------------------------------------------------------------------------


def answer_correctly(visit: Visit, hand: Mouse | Keyboard, questions: list[Question] | None = None) -> list[str]:
    """Answer every question of the notebook with `hand`, the right answer, and check the
    feedback: a verdict in the notebook's language with the item's own explanation. Returns the ids answered."""
    from playwright.sync_api import expect

    language = visit.language
    answered = []
    for question in questions if questions is not None else visit.questions:
        spec = question.spec
        widget = visit.question(question)
        widget.scroll_into_view_if_needed()
        check = button(widget, label("check", language))
        kind = question.kind
        if kind in ("single", "truefalse", "confidence"):
            if kind == "single":
                text = spec["options"][spec["key"]][language]
            elif kind == "truefalse":
                text = label(str(spec["key"]).lower(), language)
            else:
                text = label("confidence_3", language)
            hand.choose(widget, text)
            expect(widget.get_by_role("radio", name=text, exact=True)).to_be_checked()
        elif kind == "multi":
            for key in spec["key"]:
                box = widget.get_by_role("checkbox", name=spec["options"][key][language], exact=True)
                hand.tick(box)
                expect(box).to_be_checked()
        elif kind == "order":
            _put_in_order(widget, hand, [spec["options"][key][language] for key in spec["key"]])
        elif kind == "match":
            selects = widget.locator("select")
            for number, option in enumerate(spec["options"]):
                target = spec["targets"][spec["key"][option]][language]
                hand.select(selects.nth(number), target)
                expect(selects.nth(number)).to_have_value(re.compile(".+"))
        elif kind in ("text", "written"):
            key = spec.get("key")
            text = (key[0] if isinstance(key, list) else key) if kind == "text" else (
                "Tôi sẽ chia sẻ với đồng nghiệp về Nghị quyết 1325 — hòa bình và an ninh." if language == "vi"
                else "I will share resolution 1325 with my colleagues — peace and security.")
            box = widget.locator("input[type=text], textarea").first
            hand.type(box, text)
            expect(box).to_have_value(text)
        elif kind == "scenario":
            _play_scenario(widget, hand, language)
        elif kind == "action_plan":
            hand.press(button(widget, label("plan_add", language)))
            # "Add an action" puts the cursor in the new row's first field (a message from the
            # kernel, so it comes a moment later): type there, as a participant would.
            focused = widget.locator("input[type=text]:focus, textarea:focus")
            try:
                focused.wait_for(timeout=5_000)
                fields = widget.locator("input[type=text], textarea")
                box = fields.nth(fields.evaluate_all("els => els.indexOf(document.activeElement)"))
            except Exception:  # no field took the focus: the first one will do
                box = widget.locator("textarea").first
            expect(box).to_be_visible()
            text = "Tập huấn cho hội viên phụ nữ ở xã" if language == "vi" else "Training for women members in the commune"
            hand.type(box, text)
            expect(box).to_have_value(text)
        else:
            raise AssertionError(f"unknown question kind {kind!r}")

        expected = {"single": spec.get("key"), "truefalse": spec.get("key"), "confidence": 3,
                    "multi": sorted(spec.get("key") or []), "order": spec.get("key"), "match": spec.get("key"),
                    "text": locals().get("text"), "written": locals().get("text")}.get(kind)
        if kind == "action_plan":
            expected = None  # a list of rows: its presence is enough here
        visit.wait_until_saved(spec["id"], expected)
        if kind in ("confidence", "scenario", "action_plan"):
            pass  # nothing to check: no Check button
        elif kind == "written":
            hand.press(button(widget, label("show_points", language)))
            feedback = widget.locator(".wpskit-verdict")
            expect(feedback).to_contain_text(label("points_to_consider", language))
            if spec.get("feedback"):
                expect(feedback).to_contain_text(words(spec["feedback"][language])[:80])
        else:
            hand.press(check)
            verdict = widget.locator(".wpskit-verdict")
            expect(verdict).to_contain_text(label("correct", language))
            expect(verdict).to_contain_text(label("explanation", language))
            if spec.get("feedback"):
                expect(verdict).to_contain_text(words(spec["feedback"][language])[:80])
            expect(button(widget, label("try_again", language))).to_be_visible()
        expect(widget.locator(".wpskit-status")).to_contain_text(label("saved", language))
        answered.append(spec["id"])
    return answered


def _put_in_order(widget, hand, wanted: list[str]) -> None:
    rows = widget.locator(".widget-hbox").filter(has=widget.page.locator("button", has_text="↑"))

    def shown() -> list[str]:
        texts = rows.locator(".widget-html-content").all_inner_texts()
        return [re.sub(r"^\d+\.\s*", "", words(text)) for text in texts]

    def settled() -> list[str]:
        """The list once the page has finished drawing it: two readings 150 ms apart agree and hold
        every row (a reading caught mid-render once sent the top row's disabled button a click)."""
        before, deadline = shown(), time.monotonic() + 10
        while time.monotonic() < deadline:
            widget.page.wait_for_timeout(150)
            now = shown()
            if now == before and sorted(now) == sorted(words(text) for text in wanted):
                return now
            before = now
        return before

    for position, text in enumerate(wanted):
        for _ in range(len(wanted)):
            current = settled()
            if current[position] == words(text):
                break
            at = current.index(words(text))
            hand.press(rows.nth(at).get_by_role("button", name="↑", exact=True))
            deadline = time.monotonic() + 10
            while shown() == current and time.monotonic() < deadline:
                widget.page.wait_for_timeout(50)
    assert shown() == [words(text) for text in wanted], shown()


def _play_scenario(widget, hand, language: str) -> None:
    """Take the first choice at every step until the story ends."""
    from playwright.sync_api import expect

    end = widget.get_by_text(label("scenario_end", language))
    chosen = widget.locator("p.wpskit-muted")  # one "You chose: ..." line per step taken
    for _ in range(20):
        choices = widget.locator("button.wpskit-wrap")
        expect(choices.first.or_(end).first).to_be_visible()  # a step's choices are on screen, or the end
        if end.count():
            break
        taken, offered = chosen.count(), choices.all_inner_texts()
        hand.press(choices.first)
        expect(chosen).to_have_count(taken + 1)
        # the story is redrawn first, the buttons after it: wait for the new step's buttons
        deadline = time.monotonic() + 10
        while choices.all_inner_texts() == offered and not end.count() and time.monotonic() < deadline:
            widget.page.wait_for_timeout(50)
    expect(widget).to_contain_text(label("scenario_end", language))
    expect(widget).to_contain_text(label("you_chose", language))
