"""Questions answered by choosing: one option, several options, true/false, a 1-5 rating."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from wpskit.language import current_language
from wpskit.widgets.base import _Question
from wpskit.widgets.look import full_width, hide_label
from wpskit.words import label
from wpskit.widgets.spec import CONFIDENCE_LEVELS


class _OneOf(_Question):
    """One option of several, as radio buttons (arrow keys move, labels wrap)."""

    def _option_labels(self) -> list[tuple[str, Any]]:
        language = current_language()
        return [(text.in_language(language), key) for key, text in self.spec.options.items()]

    def _build_controls(self) -> list[widgets.Widget]:
        self.choices = widgets.RadioButtons(options=self._option_labels(), value=None, layout=full_width())
        self.choices.observe(self._from_controls, names="value")
        return [self.choices]

    def _read_controls(self) -> Any:
        return self.choices.value

    def _show_value(self, value: Any) -> None:
        self.choices.value = value

    def _label_controls(self) -> None:
        hide_label(self.choices, self.spec.text.in_language(current_language()))
        self.choices.options = self._option_labels()
        self.choices.value = self.value

    def _set_locked(self, locked: bool) -> None:
        self.choices.disabled = locked


class SingleChoice(_OneOf):
    """Single choice: exactly one option is the answer. Saved value: the option key, e.g. ``"b"``."""

    hint = "hint_single"


class TrueFalse(_OneOf):
    """True or false, labelled in the current language. Saved value: ``"true"`` or ``"false"``."""

    hint = "hint_truefalse"

    def _option_labels(self) -> list[tuple[str, Any]]:
        return [(label("true"), "true"), (label("false"), "false")]


class ConfidenceRating(_OneOf):
    """"How sure are you?" on a 1-5 scale. Saved value: an int; never scored, no Check button."""

    hint = "hint_confidence"
    checkable = False

    def _option_labels(self) -> list[tuple[str, Any]]:
        return [(label(f"confidence_{level}"), level) for level in CONFIDENCE_LEVELS]


class MultipleChoice(_Question):
    """Multiple choice: tick every option that applies, one checkbox each.

    Saved value: the ticked option keys as a sorted list, e.g. ``["a", "c"]``.
    """

    hint = "hint_multi"

    def _build_controls(self) -> list[widgets.Widget]:
        self.boxes: dict[str, widgets.Checkbox] = {}
        for key in self.spec.options:
            box = widgets.Checkbox(value=False, indent=False, layout=full_width())
            box.observe(self._from_controls, names="value")
            self.boxes[key] = box
        return [widgets.VBox(list(self.boxes.values()), layout=full_width())]

    def _read_controls(self) -> Any:
        return [key for key, box in self.boxes.items() if box.value]

    def _show_value(self, value: Any) -> None:
        chosen = set(value or [])
        for key, box in self.boxes.items():
            box.value = key in chosen

    def _label_controls(self) -> None:
        language = current_language()
        for key, box in self.boxes.items():
            box.description = self.spec.options[key].in_language(language)

    def _set_locked(self, locked: bool) -> None:
        for box in self.boxes.values():
            box.disabled = locked
