"""A workshop room may have a network but no internet: a participant page must ask
nothing of any host but the workshop's own server (no CDN stylesheet, no MathJax)."""

from __future__ import annotations

import pytest

from tests.browser.hands import HANDS, answer_correctly
from tests.browser.test_accessibility import INDEX

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
LOCAL = ("http://127.0.0.1", "http://localhost", "data:", "blob:", "about:")


@pytest.mark.parametrize("view", ["page", "lab"])
def test_a_module_asks_nothing_of_the_internet(visit, view):
    participant = visit(INDEX[0]["path_vi"], view, "phone" if view == "page" else "desktop")
    elsewhere = []
    participant.page.on("request", lambda request: None if request.url.startswith(LOCAL) else elsewhere.append(request.url))
    participant.open()
    answer_correctly(participant, HANDS["mouse"])
    assert elsewhere == []
    icon = participant.page.locator(".widget-button i.fa").first
    assert "Font Awesome" in icon.evaluate("e => getComputedStyle(e, '::before').fontFamily")
