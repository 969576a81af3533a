"""A branching scenario: read a situation, choose, see the consequence, go on.

The spec is a dict (or YAML) like this; every text is ``{en, vi}``::

    {"id": "d3-advocacy-meeting",                 # [a-z0-9-], the key in the responses file
     "title": {"en": "...", "vi": "..."},
     "start": "invited",                          # optional: the first step by default
     "steps": {
        "invited": {"text": {...}, "choices": [
            {"id": "prepare", "text": {...}, "consequence": {...}, "next": "meeting", "points": 1},
            {"id": "decline", "text": {...}, "consequence": {...}}        # no next: the story ends
        ]},
        "meeting": {"text": {...}, "choices": [...]},
        "done": {"text": {...}}                   # no choices: an ending
     }}

``points`` (default 0) add up along the path; the score board counts the points of a
finished path out of the best path's. Choice ids are unique within a step.

Saved value: the **path**, the list of choice ids taken from the start step, e.g.
``["prepare", "listen"]``; ``[]`` after "Start again". Replaying the path from the start
step gives every step and consequence seen, so the answer can be restored and scored.
"""

from __future__ import annotations

from typing import Any, Mapping

import ipywidgets as widgets
from ipywidgets.widgets.widget_string import HTMLStyle
import traitlets
from pydantic import ValidationError

from wpskit.errors import ItemBankError
from wpskit.exercises import ScenarioSpec
from wpskit.language import current_language
from wpskit.widgets.base import _Question
from wpskit.widgets.look import escape, full_width, own_layout, shared
from wpskit.formats import points
from wpskit.words import label, validation_problem
from wpskit.widgets.spec import QuestionSpec
from wpskit.responses import ResponseStore


def parse_scenario(data: Mapping[str, Any] | ScenarioSpec) -> ScenarioSpec:
    """Validate a scenario dict; ``ItemBankError`` names the scenario and the problem."""
    if isinstance(data, ScenarioSpec):
        return data
    try:
        return ScenarioSpec.model_validate(dict(data))
    except ValidationError as error:
        scenario_id = data.get("id", "?") if isinstance(data, Mapping) else "?"
        raise ItemBankError(label("error.scenario_invalid", id=scenario_id,
                                  problem=validation_problem(error.errors()[0]))) from error


class Scenario(_Question):
    """A branching scenario (exercise mode): choose, see the consequence, go on.

    Every choice saves the path so far; "Start the scenario again" saves ``[]``.
    Finished paths count on the score board with their points out of ``best_points``.
    """

    checkable = False

    def __init__(self, scenario: Mapping[str, Any] | ScenarioSpec, store: ResponseStore, **kwargs: Any) -> None:
        self.scenario = parse_scenario(scenario)
        spec = QuestionSpec(
            id=self.scenario.id, type="scenario", text=self.scenario.title, options={}, targets={}, points=0
        )
        super().__init__(spec, store, mode="exercise", **kwargs)

    def _build_controls(self) -> list[widgets.Widget]:
        self._story = widgets.HTML(layout=full_width(), style=shared(HTMLStyle))
        self._choice_box = widgets.VBox(layout=full_width())
        self.choice_buttons: list[widgets.Button] = []
        self.start_again_button = widgets.Button(icon="undo", layout=own_layout(width="auto"))
        self.start_again_button.on_click(lambda _b: self.start_again())
        return [self._story, self._choice_box, self.start_again_button]

    @traitlets.validate("value")
    def _valid_value(self, proposal: traitlets.Bunch) -> Any:
        path = proposal.value
        if path is None:
            return None
        if isinstance(path, str) or not all(isinstance(step, str) for step in path):
            raise traitlets.TraitError(f"{self.spec.id}: a scenario answer is the list of choice ids taken")
        if self.scenario.valid_prefix(list(path)) != list(path):
            raise traitlets.TraitError(f"{self.spec.id}: {list(path)} is not a path through the scenario")
        return list(path)

    @property
    def path(self) -> list[str]:
        return list(self.value or [])

    def choose(self, choice_id: str) -> None:
        """Take the choice `choice_id` at the current step (what a choice button does)."""
        _taken, at = self.scenario.replay(self.path)
        if at is not None and self.scenario.steps[at].choice(choice_id) is not None:
            self.value = self.path + [choice_id]

    def start_again(self) -> None:
        self.value = []

    def _fit_saved(self, saved: Any) -> Any:
        """Keep the part of a saved path that still fits the scenario (if it was edited since)."""
        if isinstance(saved, list) and all(isinstance(step, str) for step in saved):
            return self.scenario.valid_prefix(saved)
        return saved

    def _value_settled(self) -> None:
        finished = self.value is not None and self.scenario.is_finished(self.path)
        self.checked = finished
        self.score = self.scenario.points(self.path) if finished else None

    @property
    def max_points(self) -> float:
        return self.scenario.best_points

    def _hint_text(self) -> str:
        return ""  # each step's text asks its own question

    def _read_controls(self) -> Any:
        return self.path

    def _show_value(self, value: Any) -> None:
        self._render_story()

    def _label_controls(self) -> None:
        self._render_story()

    def _render_story(self) -> None:
        language = current_language()
        taken, at = self.scenario.replay(self.path)
        parts = []
        for step_id, choice in taken:
            parts.append(
                f"<p>{escape(self.scenario.steps[step_id].text.in_language(language))}</p>"
                f'<p class="wpskit-muted"><strong>{escape(label("you_chose"))}:</strong> '
                f"{escape(choice.text.in_language(language))}</p>"
                f'<div class="wpskit-verdict wpskit-partly">{escape(choice.consequence.in_language(language))}</div>'
            )
        buttons: list[widgets.Button] = []
        if at is not None:
            step = self.scenario.steps[at]
            parts.append(f"<p><strong>{escape(step.text.in_language(language))}</strong></p>")
            for choice in step.choices:
                text = choice.text.in_language(language)
                button = widgets.Button(description=text, tooltip=text, layout=full_width(margin="0.15em 0"),
                                        style=shared(widgets.ButtonStyle))
                button.add_class("wpskit-wrap")
                button.on_click(lambda _b, c=choice.id: self.choose(c))
                buttons.append(button)
        if self.scenario.is_finished(self.path):
            end = label("scenario_end")
            if self.scenario.best_points > 0:
                end += " " + label(
                    "scenario_points",
                    earned=points(self.scenario.points(self.path)),
                    best=points(self.scenario.best_points),
                )
            parts.append(f'<p role="status"><strong>{escape(end)}</strong></p>')
        self._story.value = "".join(parts)
        for old in self.choice_buttons:
            old.close()
        self.choice_buttons = buttons
        self._choice_box.children = buttons
        self.start_again_button.description = label("start_again")
        self.start_again_button.tooltip = label("start_again")
        self.start_again_button.layout.display = None if self.path else "none"
