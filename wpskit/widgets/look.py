"""How every question widget looks and shows itself: the style sheet, escaping, shared layouts, ``show()``."""

from __future__ import annotations

import html
from typing import Any, Callable

import ipywidgets as widgets
from IPython import get_ipython
from IPython.display import display

# Scoped to .wpskit-question: long option texts wrap, participant text is never in a
# monospace font (many Linux monospace fonts lack Vietnamese tone marks), nothing is wider
# than the page (480 px phones in Voilà): a 100%-wide child plus ipywidgets' 2 px margins
# would overflow its box and give every question a sideways scroll bar.
STYLE = """<style>
.wpskit-question { width: 100%; max-width: 100%; box-sizing: border-box; margin: 0.4em 0 1em 0;
  padding: 0.6em 0.8em; border: 1px solid var(--jp-border-color2, #ccc); border-radius: 4px; }
.wpskit-question .jupyter-widgets { max-width: calc(100% - 2 * var(--jp-widgets-margin, 2px)) !important; }
.wpskit-question, .wpskit-question input, .wpskit-question textarea, .wpskit-question select,
.wpskit-question button, .wpskit-question label, .wpskit-question .widget-html-content {
  font-family: var(--jp-ui-font-family, system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif) !important; }
.wpskit-question .widget-html-content, .wpskit-question .jupyter-widget-html-content {
  line-height: 1.45; white-space: normal; overflow-wrap: anywhere; }
.wpskit-question .widget-radio-box label, .wpskit-question .jupyter-widget-radio-box label {
  height: auto !important; line-height: 1.4 !important; white-space: normal !important; margin: 0.25em 0; }
.wpskit-question .widget-checkbox, .wpskit-question .jupyter-widget-checkbox { height: auto !important; }
.wpskit-question .widget-label-basic, .wpskit-question .jupyter-widget-label-basic {
  white-space: normal !important; overflow: visible !important; line-height: 1.4 !important; }
.wpskit-question .wpskit-wrap { white-space: normal !important; height: auto !important;
  min-height: var(--jp-widgets-inline-height, 28px); line-height: 1.4 !important; text-align: left !important;
  padding: 0.35em 0.8em !important; }
.wpskit-question .wpskit-prompt p { margin: 0 0 0.3em 0; font-size: 1.05em; }
.wpskit-question .wpskit-muted { color: var(--jp-ui-font-color2, #555); font-size: 0.95em; }
.wpskit-question .wpskit-verdict { border-left: 4px solid; padding: 0.2em 0 0.2em 0.6em; margin: 0.3em 0; }
.wpskit-question .wpskit-right { border-color: #1a7f37; }
.wpskit-question .wpskit-partly { border-color: #9a6700; }
.wpskit-question .wpskit-wrong { border-color: #b35900; }
.wpskit-question .wpskit-status { font-size: 0.9em; color: var(--jp-ui-font-color2, #555); }
.wpskit-question .wpskit-sr-label > .widget-label, .wpskit-question .wpskit-sr-label > .jupyter-widget-label {
  position: absolute !important; width: 1px !important; height: 1px !important; margin: -1px !important;
  padding: 0 !important; overflow: hidden !important; clip: rect(0, 0, 0, 0) !important; border: 0 !important; }
.wpskit-question .wpskit-notice { border: 1px solid #9a6700; padding: 0.3em 0.5em; margin: 0.3em 0; }
</style>"""


def escape(text: str) -> str:
    """Authored and participant text goes into HTML widgets as text, never as markup."""
    return html.escape(text, quote=False)


_SHARED: dict[tuple[type, tuple[tuple[str, Any], ...]], widgets.Widget] = {}


def shared(kind: type[widgets.Widget], **settings: Any) -> Any:
    """One Layout or style model for every widget that looks alike and never changes it.

    A page loads every widget model of its kernel before it shows the first widget, and each
    ipywidget brings its own Layout and style model unless given one: the getting-started page
    made 328 models, 124 of them Layouts. Never assign to an attribute of a shared model
    (``w.layout.display = ...`` would hide every widget that shares it): use ``own_layout``.
    """
    key = (kind, tuple(sorted(settings.items())))
    model = _SHARED.get(key)
    if model is None or model.comm is None:  # closed with the kernel's widgets: make it again
        model = _SHARED[key] = kind(**settings)
    return model


def full_width(**extra: Any) -> widgets.Layout:
    """The shared full-width layout (with `extra` settings); see ``shared``."""
    return shared(widgets.Layout, width="100%", max_width="100%", **extra)


def own_layout(**settings: Any) -> widgets.Layout:
    """A layout of the widget's own, for one that is shown and hidden later."""
    return widgets.Layout(**settings)


def hide_label(control: widgets.DOMWidget, text: str) -> None:
    """Give a control an accessible description without spending screen width on it.

    The label element stays in the page, linked to the control (screen readers read it),
    but is visually hidden by the ``wpskit-sr-label`` rule of ``STYLE``: the visible text
    is the question or option in an HTML widget next to the control.
    """
    control.description = text
    control.tooltip = text
    control.add_class("wpskit-sr-label")


class ShownOnce:
    """Mixin: ``show()`` displays the widget now, and a cell ending in the same call does
    not display it a second time (``ex.ask(...)`` both displays and returns the widget)."""

    _shown_in: Any = None
    _repr_mimebundle_: Callable[..., Any]  # the widget's, from the class this is mixed into

    def show(self) -> None:
        shell = get_ipython()
        self._shown_in = getattr(shell, "execution_count", None) if shell is not None else None
        self._pending_result = shell is not None
        display(self._repr_mimebundle_(), raw=True)

    def _ipython_display_(self) -> None:
        shell = get_ipython()
        count = getattr(shell, "execution_count", None) if shell is not None else None
        if getattr(self, "_pending_result", False) and count == self._shown_in:
            self._pending_result = False
            return
        display(self._repr_mimebundle_(), raw=True)
