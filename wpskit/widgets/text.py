"""Questions answered by typing: a short answer, a longer written reflection."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from wpskit.language import current_language
from wpskit.widgets.base import _Question
from wpskit.widgets.look import escape, full_width, hide_label, shared
from wpskit.words import label


class _Typed(_Question):
    """A text box saved on every keystroke, so nothing typed is lost when a tab closes."""

    placeholder = "placeholder_text"

    def _make_input(self) -> widgets.Widget:
        raise NotImplementedError

    def _build_controls(self) -> list[widgets.Widget]:
        self.input = self._make_input()
        self.input.observe(self._from_controls, names="value")
        return [self.input]

    def _read_controls(self) -> Any:
        return self.input.value

    def _show_value(self, value: Any) -> None:
        self.input.value = value or ""

    def _label_controls(self) -> None:
        hide_label(self.input, self.spec.text.in_language(current_language()))
        self.input.placeholder = label(self.placeholder)

    def _set_locked(self, locked: bool) -> None:
        self.input.disabled = locked


class ShortText(_Typed):
    """A short typed answer, checked against the accepted answers in exercise mode
    (case, spacing and Unicode composition do not matter). Saved value: the text as typed."""

    hint = "hint_text"

    def _make_input(self) -> widgets.Widget:
        return widgets.Text(value="", continuous_update=True, layout=full_width())


class WrittenReflection(_Typed):
    """A written reflection: saved, never scored here (graded by hand with a rubric in an
    assessment). In exercise mode "Show points to consider" reveals the item's
    ``feedback`` as a model answer. Saved value: the text as typed."""

    hint = "hint_written"
    placeholder = "placeholder_written"
    checkable = False

    def _make_input(self) -> widgets.Widget:
        return widgets.Textarea(value="", rows=6, continuous_update=True, layout=full_width())

    def _build_controls(self) -> list[widgets.Widget]:
        controls = super()._build_controls()
        self.points_button = widgets.Button(icon="lightbulb-o", layout=shared(widgets.Layout, width="auto"),
                                            style=shared(widgets.ButtonStyle))
        self.points_button.on_click(lambda _b: self.show_points_to_consider())
        self._points_shown = False
        return controls + ([self.points_button] if self.mode == "exercise" else [])

    def show_points_to_consider(self) -> None:
        """Exercise mode: show the model answer / points to consider under the reflection."""
        if self.mode == "exercise":
            self._points_shown = True
            self._render_feedback()

    def _label_controls(self) -> None:
        super()._label_controls()
        self.points_button.description = label("show_points")
        self.points_button.tooltip = label("show_points")

    def _feedback_html(self) -> str:
        if not self._points_shown or self.spec.item is None:
            return ""
        feedback = self.spec.item.feedback
        if feedback is None:
            return f'<div class="wpskit-muted" role="status">{escape(label("no_points_to_consider"))}</div>'
        text = escape(feedback.in_language(current_language())).replace("\n", "<br>")
        return (
            f'<div class="wpskit-verdict wpskit-partly" role="status"><strong>{escape(label("points_to_consider"))}:</strong>'
            f"<br>{text}</div>"
        )
