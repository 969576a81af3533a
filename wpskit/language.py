"""The language the participant chose: ``"en"`` or ``"vi"``, one per kernel.

A notebook says which language it is written in with ``wpskit.use_language("vi")``;
the widgets' language switch calls the same function. Widgets that must relabel when
the language changes register a callback with :func:`on_language_change`.

This module imports nothing heavy (no ipywidgets): the ``wpskit`` command imports the
package and must start fast.
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Callable, Literal

# The same two languages as wpskit.items.Language; not imported from there, because
# wpskit.items pulls in pydantic and yaml and `import wpskit` must stay light.
Language = Literal["en", "vi"]
LANGUAGES: tuple[Language, ...] = ("en", "vi")

_current: Language = "en"
_listeners: list[weakref.ref] = []


def use_language(language: str) -> Language:
    """Show every wpskit widget of this kernel in `language` ("en" or "vi") from now on.

    Widgets already on the page relabel at once. Returns the language now in use.

    >>> use_language("vi")
    'vi'
    >>> current_language()
    'vi'
    >>> _ = use_language("en")
    """
    global _current
    if language not in LANGUAGES:
        raise ValueError(f"language must be 'en' or 'vi', not {language!r}")  # developer-facing
    _current = language  # type: ignore[assignment]
    for callback in _live_listeners():
        callback(_current)
    return _current


@contextmanager
def speaking(language: str) -> Iterator[Language]:
    """`language` inside the block, the one before after it: for words that must be English whatever the
    command's ``--lang``, such as the reasons report.json keeps."""
    before = current_language()
    try:
        yield use_language(language)
    finally:
        use_language(before)


def language_from_locale(environ: Mapping[str, str] = os.environ) -> Language:
    """"vi" when the first of ``LC_ALL``, ``LC_MESSAGES`` and ``LANG`` that is set names Vietnamese, else "en":
    a facilitator whose computer speaks Vietnamese gets the commands' output in Vietnamese without ``--lang``.

    >>> language_from_locale({"LANG": "vi_VN.UTF-8"}), language_from_locale({"LC_ALL": "C.UTF-8", "LANG": "vi_VN"})
    ('vi', 'en')
    """
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if environ.get(name):
            return "vi" if environ[name].startswith("vi") else "en"
    return "en"


def current_language() -> Language:
    """The language set by the last :func:`use_language` call ("en" by default)."""
    return _current


def on_language_change(callback: Callable[[Language], None]) -> None:
    """Call `callback(language)` after every :func:`use_language`.

    Only a weak reference is kept (bound methods through ``WeakMethod``), so a closed
    widget that nobody holds any more stops being called.
    """
    ref = weakref.WeakMethod(callback) if hasattr(callback, "__self__") else weakref.ref(callback)
    _listeners.append(ref)


def forget_language_listener(callback: Callable[[Language], None]) -> None:
    """Stop calling `callback` (e.g. when its widget is closed)."""
    _listeners[:] = [ref for ref in _listeners if ref() is not None and ref() != callback]


def _live_listeners() -> list[Callable[[Language], None]]:
    _listeners[:] = [ref for ref in _listeners if ref() is not None]
    return [callback for callback in (ref() for ref in _listeners) if callback is not None]
