"""Putting options in order by keyboard: the focus follows the option that moved, so a
participant can press ↑ again and again to carry it up the list."""

from __future__ import annotations

import re

import pytest

from tests.browser.test_accessibility import INDEX

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_focus_follows_the_option_moved_up(visit):
    from playwright.sync_api import expect

    participant = visit(INDEX[0]["path"], "page", "desktop")
    participant.open()
    page = participant.page
    rows = page.locator(".widget-hbox").filter(has=page.locator("button", has_text="↑"))
    last = rows.count() - 1
    moving = re.sub(r"^\d+\.\s*", "", rows.nth(last).locator(".widget-html-content").inner_text().strip())
    rows.nth(last).get_by_role("button", name="↑", exact=True).focus()
    for position in range(last, 0, -1):
        page.keyboard.press("Enter")
        above = rows.nth(position - 1)
        expect(above.locator(".widget-html-content")).to_contain_text(moving)
        key = "↑" if position > 1 else "↓"  # at the top ↑ is disabled; the focus goes to ↓
        expect(above.get_by_role("button", name=key, exact=True)).to_be_focused()
    expect(rows.nth(0).locator(".widget-html-content")).to_contain_text(moving)
