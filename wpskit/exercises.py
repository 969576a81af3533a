"""A module's exercises as data: ``<notebook>.exercises.yaml`` beside its two notebooks.

The questions, options, keys, feedback and explanations of a module live once, in both
languages, in a YAML file a translator can read; the EN and VI notebooks only name them
(``ex.show("d1-01-pillars-in-practice")``), so a fix of wording is one line in one file.

The file is a list of exercises, each with an ``id`` and a ``type``::

    - id: gs-workshop-days          # [a-z0-9-], unique in the file; the key in the responses file
      type: single                  # any item type of the item bank (contract 1): validated as an Item
      text: {en: "...", vi: "..."}  # no objective, source or rubric needed in a module
      options: {a: {en: ..., vi: ...}, b: {...}}
      key: b
      feedback: {en: "...", vi: "..."}
    - id: gs-confidence
      type: confidence              # a "how sure are you?" rating 1-5, never scored
      text: {en: "...", vi: "..."}
    - id: gs-battery
      type: scenario                # a branching scenario: title, start, steps (see ScenarioSpec)
      title: {en: "...", vi: "..."}
      steps: {...}
    - id: d3-04-my-plan
      type: plan                    # the action-plan builder; title optional
      title: {en: "...", vi: "..."}

Errors are :class:`~wpskit.errors.ItemBankError` naming the file and the exercise id.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Iterator, Literal, Mapping, Union, get_args

from pydantic import Field, model_validator

from wpskit.errors import ItemBankError
from wpskit.items import Item, ItemType, LocalText, Slug, StrictModel, read_yaml, validate_entry
from wpskit.language import LANGUAGES
from wpskit.words import label

EXERCISES_SUFFIX = ".exercises.yaml"
REFLECTION_RUBRIC = {"id": "reflection", "text": {language: label("reflection_rubric", language) for language in LANGUAGES}}


def exercise_item(data: Mapping[str, Any], source: str) -> Item:
    """An item of a module: the bank's ``Item`` model, without the objective, source or rubric
    a module exercise does not need (a written reflection is never graded)."""
    filled = {"objective": "", "source": source, **data}
    if filled.get("type") == "written" and not filled.get("rubric"):
        filled["rubric"] = [{**REFLECTION_RUBRIC, "points": filled.get("points", 1)}]
    return validate_entry(Item, filled, Path(source), label("error.exercises_which", id=filled.get("id", "?")))


class ConfidencePrompt(StrictModel):
    """A 1-5 "how sure are you?" rating: saved, never scored."""

    id: Slug
    type: Literal["confidence"]
    text: LocalText


class PlanExercise(StrictModel):
    """The action-plan builder (``wpskit.widgets.plan``); no title means the default one."""

    id: Slug
    type: Literal["plan"]
    title: LocalText | None = None


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
            raise ValueError(label("error.exercises_choice_twice", ids=ids))
        return self

    def choice(self, choice_id: str) -> ScenarioChoice | None:
        return next((choice for choice in self.choices if choice.id == choice_id), None)


class ScenarioSpec(StrictModel):
    """A validated branching scenario (format and saved value: ``wpskit.widgets.scenario``)."""

    id: Slug
    type: Literal["scenario"] = "scenario"
    title: LocalText
    start: str | None = None
    steps: dict[str, ScenarioStep] = Field(min_length=1)

    @model_validator(mode="after")
    def _links(self) -> "ScenarioSpec":
        if self.start is not None and self.start not in self.steps:
            raise ValueError(label("error.exercises_start_step", start=self.start, steps=sorted(self.steps)))
        for step_id, step in self.steps.items():
            for choice in step.choices:
                if choice.next is not None and choice.next not in self.steps:
                    raise ValueError(label("error.exercises_next_step", step=step_id, choice=choice.id, next=choice.next))
        unreachable = set(self.steps) - self._reachable()
        if unreachable:
            raise ValueError(label("error.exercises_unreachable", steps=sorted(unreachable)))
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


Exercise = Union[Item, ConfidencePrompt, ScenarioSpec, PlanExercise]
_MODELS: dict[str, type[StrictModel]] = {"confidence": ConfidencePrompt, "scenario": ScenarioSpec, "plan": PlanExercise}
EXERCISE_TYPES = (*get_args(ItemType), *_MODELS)


@dataclass(frozen=True)
class ModuleExercises:
    """The exercises of one module, by id, in the order of the file."""

    path: Path
    exercises: dict[str, Exercise]

    def __getitem__(self, exercise_id: str) -> Exercise:
        if exercise_id not in self.exercises:
            raise ItemBankError(label("error.exercises_no_such_exercise", file=self.path, id=exercise_id,
                                      ids=list(self.exercises)))
        return self.exercises[exercise_id]

    def __iter__(self) -> Iterator[Exercise]:
        return iter(self.exercises.values())


def parse_exercise(data: Any, path: Path, position: int = 1) -> Exercise:
    """One entry of an exercises file, validated by the model of its ``type``."""
    if not isinstance(data, dict):
        raise ItemBankError(label("error.exercises_not_a_mapping", file=path, position=position))
    which = label("error.exercises_which", id=data.get("id", f"#{position}"))
    kind = data.get("type")
    if kind in _MODELS:
        return validate_entry(_MODELS[kind], data, path, which)
    if kind not in EXERCISE_TYPES:
        raise ItemBankError(label("error.exercises_unknown_type", file=path, which=which, kind=kind,
                                  types=", ".join(EXERCISE_TYPES)))
    return exercise_item(data, str(path))


def load_exercises(path: Path | str) -> ModuleExercises:
    """Read and validate a module's ``*.exercises.yaml``; ``ItemBankError`` names the file and the id."""
    path = Path(path)
    if not path.is_file():
        raise ItemBankError(label("error.exercises_no_file", file=path, suffix=EXERCISES_SUFFIX))
    data = read_yaml(path)
    if not isinstance(data, list):
        raise ItemBankError(label("error.exercises_not_a_list", file=path))
    exercises: dict[str, Exercise] = {}
    for position, entry in enumerate(data, start=1):
        exercise = parse_exercise(entry, path, position)
        if exercise.id in exercises:
            raise ItemBankError(label("error.exercises_id_twice", file=path, id=exercise.id))
        exercises[exercise.id] = exercise
    return ModuleExercises(path, exercises)
