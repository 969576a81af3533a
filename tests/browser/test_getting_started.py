"""The getting-started notebook, every widget kind, in both languages, both views, both widths.

Each case answers every question right (by mouse or by keyboard alone), reads the
verdict and the explanation in the notebook's language, then comes back (a reload of
the page; in JupyterLab a kernel restart and Run All) and finds every answer restored
from the responses file.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.hands import HANDS, answer_correctly
from tests.browser.participant import QUESTIONS, SCORE_BOARD, button
from wpskit.words import label

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

GETTING_STARTED = {"en": "00-getting-started/00-getting-started.ipynb",
                   "vi": "00-getting-started/00-getting-started.vi.ipynb"}

CASES = [
    pytest.param("page", "vi", "keyboard", "phone", id="page-vi-keyboard-phone"),
    pytest.param("page", "en", "mouse", "desktop", id="page-en-mouse-desktop"),
    pytest.param("lab", "en", "keyboard", "desktop", id="lab-en-keyboard-desktop"),
    pytest.param("lab", "vi", "mouse", "phone", id="lab-vi-mouse-phone"),
]


@pytest.mark.parametrize("view, language, hand, width", CASES)
def test_every_widget_kind_answered_and_restored(visit, view, language, hand, width):
    participant = visit(GETTING_STARTED[language], view, width)
    participant.open()
    participant.assert_participant_view(phone=width == "phone")

    answered = answer_correctly(participant, HANDS[hand])
    kinds = {q.kind for q in participant.questions}
    assert kinds >= {"single", "truefalse", "multi", "order", "match", "text", "confidence", "written", "scenario"}
    assert len(answered) == len(participant.questions)
    saved = participant.saved_answers()
    assert set(saved["answers"]) == set(answered)
    assert saved["language"] == language
    board = participant.page.locator(SCORE_BOARD).first
    expect(board).to_contain_text(label("score", language, earned=0, total=0, checked=0, count=0).split(":")[0])
    # full marks, every question checked ("8 of 8 points (7 of 7 questions checked)")
    expect(board).to_have_text(re.compile(r"^\D*(\d+)\D+\1\D+(\d+)\D+\2\D*$"))
    before = participant.snapshot()

    participant.reopen()
    participant.assert_participant_view(phone=width == "phone")
    after = participant.wait_until_restored(before)
    assert after == before


def test_language_switch_changes_every_label_and_feedback(visit):
    """On the English page, "Tiếng Việt" relabels the buttons, and feedback comes in Vietnamese."""
    participant = visit(GETTING_STARTED["en"], "page", "desktop")
    participant.open()
    page = participant.page
    expect(button(page, label("check", "en")).first).to_be_visible()
    page.get_by_role("button", name="Tiếng Việt", exact=True).click()
    first = page.locator(QUESTIONS).first
    expect(button(first, label("check", "vi"))).to_be_visible()
    expect(button(page, label("check", "en"))).to_have_count(0)
    question = participant.questions[0]
    vi_options = question.spec["options"]
    # The options follow the switch too: choose the right one by its Vietnamese text.
    HANDS["mouse"].choose(first, vi_options[question.spec["key"]]["vi"])
    button(first, label("check", "vi")).click()
    verdict = first.locator(".wpskit-verdict")
    expect(verdict).to_contain_text(label("correct", "vi"))
    expect(verdict).to_contain_text(question.spec["feedback"]["vi"][:60])


def test_every_control_is_reached_by_tab(visit):
    """From the top of the page, Tab alone reaches every enabled control of every question."""
    participant = visit(GETTING_STARTED["vi"], "page", "phone")
    participant.open()
    page = participant.page
    page.evaluate("""() => {
        let n = 0;
        for (const e of document.querySelectorAll('.widget-vbox.wpskit-question :is(input, select, textarea, button)')) e.dataset.wpskitControl = n++;
        document.activeElement && document.activeElement.blur();
    }""")
    controls = page.evaluate("""() => Array.from(document.querySelectorAll('[data-wpskit-control]'))
        .filter(e => !e.disabled && (e.offsetWidth || e.offsetHeight))
        .filter(e => e.type !== 'radio' || e.checked || (!e.closest('.widget-radio-box').querySelector('input:checked')
                                                          && e === e.closest('.widget-radio-box').querySelector('input')))
        .map(e => e.dataset.wpskitControl)""")
    reached = set()
    for _ in range(len(controls) * 2 + 40):
        page.keyboard.press("Tab")
        control = page.evaluate("() => document.activeElement && document.activeElement.dataset.wpskitControl")
        if control is not None:
            reached.add(control)
        if reached >= set(controls):
            break
    missing = set(controls) - reached
    assert not missing, f"{len(missing)} of {len(controls)} controls cannot be reached with Tab"
