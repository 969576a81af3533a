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

from functools import cached_property
from typing import Any, Mapping

import ipywidgets as widgets
import traitlets
from pydantic import Field, ValidationError, model_validator

from wpskit.errors import ItemBankError
from wpskit.items import LocalText, Slug, StrictModel
from wpskit.language import current_language
from wpskit.widgets.base import _Question, escape, full_width
from wpskit.words import label, number
from wpskit.widgets.spec import QuestionSpec
from wpskit.responses import ResponseStore


class ScenarioChoice(StrictModel):
    id: str = Field(min_length=1)
    text: LocalText
    consequence: LocalText
    next: str | None = None
    points: float = Field(default=0, ge=0)


class ScenarioStep(StrictModel):
    text: LocalText
    choices: list[ScenarioChoice] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_choices(self) -> "ScenarioStep":
        ids = [choice.id for choice in self.choices]
        if len(set(ids)) != len(ids):
            raise ValueError(f"choice ids must be unique within a step: {ids}")
        return self

    def choice(self, choice_id: str) -> ScenarioChoice | None:
        return next((choice for choice in self.choices if choice.id == choice_id), None)


class ScenarioSpec(StrictModel):
    """A validated branching scenario (see the module docstring for the format)."""

    id: Slug
    title: LocalText
    start: str | None = None
    steps: dict[str, ScenarioStep] = Field(min_length=1)

    @model_validator(mode="after")
    def _links(self) -> "ScenarioSpec":
        if self.start is not None and self.start not in self.steps:
            raise ValueError(f"start step '{self.start}' is not one of the steps {sorted(self.steps)}")
        for step_id, step in self.steps.items():
            for choice in step.choices:
                if choice.next is not None and choice.next not in self.steps:
                    raise ValueError(f"step '{step_id}', choice '{choice.id}': next step '{choice.next}' does not exist")
        unreachable = set(self.steps) - self._reachable()
        if unreachable:
            raise ValueError(f"steps {sorted(unreachable)} cannot be reached from the start step")
        return self

    @property
    def first(self) -> str:
        return self.start or next(iter(self.steps))

    def _reachable(self) -> set[str]:
        seen, todo = set(), [self.first]
        while todo:
            step_id = todo.pop()
            if step_id in seen:
                continue
            seen.add(step_id)
            todo.extend(c.next for c in self.steps[step_id].choices if c.next is not None)
        return seen

    def replay(self, path: list[str]) -> tuple[list[tuple[str, ScenarioChoice]], str | None]:
        """Walk `path` from the start: the (step id, choice) pairs taken, and the step the
        participant is at now (None once a choice without ``next`` ended the story).

        Stops at the first choice id that does not exist at its step.
        """
        taken: list[tuple[str, ScenarioChoice]] = []
        at: str | None = self.first
        for choice_id in path:
            if at is None:
                break
            choice = self.steps[at].choice(choice_id)
            if choice is None:
                break
            taken.append((at, choice))
            at = choice.next
        return taken, at

    def valid_prefix(self, path: list[str]) -> list[str]:
        return [choice.id for _step, choice in self.replay(path)[0]]

    def is_finished(self, path: list[str]) -> bool:
        _taken, at = self.replay(path)
        return at is None or not self.steps[at].choices

    def points(self, path: list[str]) -> float:
        return sum(choice.points for _step, choice in self.replay(path)[0])

    @cached_property
    def best_points(self) -> float:
        """The most points any path can earn (a step is not visited twice)."""

        def best(step_id: str | None, visited: frozenset[str]) -> float:
            if step_id is None or step_id in visited:
                return 0.0
            choices = self.steps[step_id].choices
            return max((c.points + best(c.next, visited | {step_id}) for c in choices), default=0.0)

        return best(self.first, frozenset())


def parse_scenario(data: Mapping[str, Any] | ScenarioSpec) -> ScenarioSpec:
    """Validate a scenario dict; ``ItemBankError`` names the scenario and the problem."""
    if isinstance(data, ScenarioSpec):
        return data
    try:
        return ScenarioSpec.model_validate(dict(data))
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        message = first["msg"].removeprefix("Value error, ")
        scenario_id = data.get("id", "?") if isinstance(data, Mapping) else "?"
        raise ItemBankError(f"scenario '{scenario_id}': {where + ': ' if where else ''}{message}") from error


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
        self._story = widgets.HTML(layout=full_width())
        self._choice_box = widgets.VBox(layout=full_width())
        self.choice_buttons: list[widgets.Button] = []
        self.start_again_button = widgets.Button(icon="undo", layout=widgets.Layout(width="auto"))
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
                button = widgets.Button(description=text, tooltip=text, layout=full_width(margin="0.15em 0"))
                button.add_class("wpskit-wrap")
                button.on_click(lambda _b, c=choice.id: self.choose(c))
                buttons.append(button)
        if self.scenario.is_finished(self.path):
            end = label("scenario_end")
            if self.scenario.best_points > 0:
                end += " " + label(
                    "scenario_points",
                    earned=number(self.scenario.points(self.path)),
                    best=number(self.scenario.best_points),
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
