"""Questions answered by arranging: put options in order, match options to targets."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
from ipywidgets.widgets.widget_string import HTMLStyle

from wpskit.language import current_language
from wpskit.widgets.base import _Question
from wpskit.widgets.look import escape, full_width, hide_label, shared
from wpskit.words import label
from wpskit.widgets.spec import shuffled_order

NOT_MATCHED = ""  # the value of the "— choose —" entry of a matching dropdown


class Ordering(_Question):
    """Ordering (e.g. put resolutions on a timeline) with ↑ / ↓ buttons on every row,
    so it works by keyboard and touch, not only by dragging.

    The options first appear in a stable shuffled order (``spec.shuffled_order``), never
    the bank's. Moving a row saves; in an assessment "This order is my answer" saves the
    order as it stands, in an exercise Check does. Saved value: the option keys in the
    participant's order, e.g. ``["c", "a", "b"]``.
    """

    hint = "hint_order"

    def _build_controls(self) -> list[widgets.Widget]:
        self._order: list[str] = shuffled_order(self.spec)
        self._texts: list[widgets.HTML] = []
        self.up_buttons: list[widgets.Button] = []
        self.down_buttons: list[widgets.Button] = []
        rows = []
        for position in range(len(self._order)):
            text = widgets.HTML(layout=shared(widgets.Layout, flex="1 1 auto", min_width="0"),
                                style=shared(HTMLStyle))
            up = widgets.Button(description="↑", layout=shared(widgets.Layout, width="2.8em", flex="0 0 auto"),
                                style=shared(widgets.ButtonStyle))
            down = widgets.Button(description="↓", layout=shared(widgets.Layout, width="2.8em", flex="0 0 auto"),
                                  style=shared(widgets.ButtonStyle))
            up.on_click(lambda _b, p=position: self.move(p, -1))
            down.on_click(lambda _b, p=position: self.move(p, +1))
            self._texts.append(text)
            self.up_buttons.append(up)
            self.down_buttons.append(down)
            rows.append(widgets.HBox([text, up, down], layout=full_width(align_items="center")))
        self.keep_button = widgets.Button(icon="check", layout=shared(widgets.Layout, width="auto"),
                                          style=shared(widgets.ButtonStyle))
        self.keep_button.on_click(lambda _b: self.keep_order())
        extra = [self.keep_button] if self.mode == "assessment" else []
        return [widgets.VBox(rows, layout=full_width()), *extra]

    @property
    def shown_order(self) -> list[str]:
        """The order on screen now (the saved value once the participant has moved a row)."""
        return list(self._order)

    def move(self, position: int, step: int) -> None:
        """Move the option at `position` (0 = top) one row up (-1) or down (+1), and save."""
        other = position + step
        if self.checked or not 0 <= other < len(self._order):
            return
        order = list(self._order)
        order[position], order[other] = order[other], order[position]
        self.value = order
        # Rows keep their place and their texts swap: move the keyboard focus with the option,
        # so pressing the same key again moves it one row further (at the end of the list the
        # key that still works: a disabled button cannot hold the focus).
        same, opposite = (self.up_buttons, self.down_buttons) if step < 0 else (self.down_buttons, self.up_buttons)
        (opposite[other] if same[other].disabled else same[other]).focus()

    def keep_order(self) -> None:
        """Take the order on screen as the answer, as it is."""
        self.value = list(self._order)

    def _read_controls(self) -> Any:
        return list(self._order)

    def _answer_for_check(self) -> Any:
        return list(self._order)

    def _show_value(self, value: Any) -> None:
        if value is not None:
            self._order = list(value)
        self._label_controls()
        self._set_locked(self.checked)

    def _label_controls(self) -> None:
        language = current_language()
        for position, key in enumerate(self._order):
            option = self.spec.options[key].in_language(language)
            self._texts[position].value = f"<strong>{position + 1}.</strong> {escape(option)}"
            self.up_buttons[position].tooltip = f"{label('move_up')}: {option}"
            self.down_buttons[position].tooltip = f"{label('move_down')}: {option}"
        self.keep_button.description = label("keep_order")
        self.keep_button.tooltip = label("keep_order")

    def _set_locked(self, locked: bool) -> None:
        last = len(self._order) - 1
        for position, (up, down) in enumerate(zip(self.up_buttons, self.down_buttons)):
            up.disabled = locked or position == 0
            down.disabled = locked or position == last


class Matching(_Question):
    """Matching (e.g. situation -> pillar): one dropdown of targets under each option.

    Saved value: an object option key -> target key, with only the options matched so
    far, e.g. ``{"x": "1", "y": "3"}``.
    """

    hint = "hint_match"

    def _build_controls(self) -> list[widgets.Widget]:
        self._texts: dict[str, widgets.HTML] = {}
        self.dropdowns: dict[str, widgets.Dropdown] = {}
        rows = []
        for number, key in enumerate(self.spec.options, start=1):
            text = widgets.HTML(layout=full_width(), style=shared(HTMLStyle))
            dropdown = widgets.Dropdown(
                options=self._target_labels(), value=NOT_MATCHED, layout=widgets.Layout(width="calc(100% - 8px)")
            )
            dropdown.observe(self._from_controls, names="value")
            self._texts[key] = text
            self.dropdowns[key] = dropdown
            rows.append(widgets.VBox([text, dropdown], layout=full_width(margin="0 0 0.5em 0")))
        return [widgets.VBox(rows, layout=full_width())]

    def _target_labels(self) -> list[tuple[str, Any]]:
        language = current_language()
        return [(label("choose"), NOT_MATCHED)] + [(text.in_language(language), key) for key, text in self.spec.targets.items()]

    def _read_controls(self) -> Any:
        return {key: dropdown.value for key, dropdown in self.dropdowns.items() if dropdown.value != NOT_MATCHED}

    def _show_value(self, value: Any) -> None:
        value = value or {}
        for key, dropdown in self.dropdowns.items():
            dropdown.value = value.get(key, NOT_MATCHED)

    def _label_controls(self) -> None:
        language = current_language()
        targets = self._target_labels()
        for number, (key, dropdown) in enumerate(self.dropdowns.items(), start=1):
            option = self.spec.options[key].in_language(language)
            self._texts[key].value = f"<strong>{number}.</strong> {escape(option)}"
            hide_label(dropdown, label("answer_for", option=option))
            dropdown.options = targets
            dropdown.value = (self.value or {}).get(key, NOT_MATCHED)

    def _set_locked(self, locked: bool) -> None:
        for dropdown in self.dropdowns.values():
            dropdown.disabled = locked
