"""The item bank (contract 1): questions, learning objectives and forms, loaded once and validated.

Every question exists once, in YAML under ``assessments/``, in both languages, with its
learning objective and its key. Assessment notebooks, hidden tests, paper forms and the
report's item tables are all derived from the typed objects this module returns, so a
mistake is caught here, with the file and the item id, before anything is built.

Layout::

    assessments/objectives.yaml      [{id, day, text: {en, vi}}]
    assessments/items/*.yaml         [{id, objective, type, points, text, options, key, ...}]
    assessments/forms/<form>.yaml    {title: {en, vi}, items: [item ids], scored: true}
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, Union

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from wpskit.errors import ItemBankError
from wpskit.words import label, validation_problem

Language = Literal["en", "vi"]
LANGUAGES: tuple[Language, ...] = ("en", "vi")
ItemType = Literal["single", "multi", "truefalse", "order", "match", "text", "written"]
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
TRUE_FALSE_KEYS = ("true", "false")


def _slug(value: str) -> str:
    if not ID_PATTERN.match(value):
        raise ValueError(label("error.items_id"))
    return value


# An id that names a file, a cell or an answer: stable, lowercase, [a-z0-9-].
Slug = Annotated[str, AfterValidator(_slug)]


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LocalText(StrictModel):
    """A text in both workshop languages; neither may be empty."""

    en: str = Field(min_length=1)
    vi: str = Field(min_length=1)

    def in_language(self, language: Language) -> str:
        return self.vi if language == "vi" else self.en


class RubricCriterion(StrictModel):
    """One criterion of a written answer's rubric, as the grader sees it in formgrader."""

    id: str
    points: float = Field(gt=0)
    text: LocalText


class Rationale(StrictModel):
    """Why an item measures what it claims, for the reviewers of the item bank (not shown to participants).

    `distractors` explains every wrong option of a single or multi item (the check below makes sure none
    is forgotten); for order and match items it names the options most often misplaced and why.
    """

    measures: str = Field(min_length=1)
    key: str = Field(min_length=1)
    distractors: dict[str, str] = Field(default_factory=dict)

    @field_validator("distractors", mode="before")
    @classmethod
    def _keys_as_strings(cls, value: Any) -> Any:
        return {_as_key(k): v for k, v in value.items()} if isinstance(value, dict) else value


class Objective(StrictModel):
    id: str = Field(pattern=r"^D[1-3]\.\d+$")
    day: int = Field(ge=1, le=3)
    text: LocalText


def _as_key(value: Any) -> str:
    """YAML reads `true`, `1` and `a` as different types; option keys are always strings."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class PublicItem(StrictModel):
    """What a participant may see of a question in an assessment: no key, no feedback, no rubric."""

    id: Slug
    objective: str
    type: ItemType
    points: float = Field(default=1, gt=0)
    text: LocalText
    options: dict[str, LocalText] = Field(default_factory=dict)
    targets: dict[str, LocalText] = Field(default_factory=dict)

    @field_validator("options", "targets", mode="before")
    @classmethod
    def _keys_as_strings(cls, value: Any) -> Any:
        return {_as_key(k): v for k, v in value.items()} if isinstance(value, dict) else value


class Item(PublicItem):
    """One question. `key` is normalised: single/truefalse a key, multi a sorted list,
    order a list, match a dict, text a list of accepted answers, written none."""

    key: Union[str, list[str], dict[str, str], None] = None
    rubric: list[RubricCriterion] = Field(default_factory=list)
    feedback: LocalText | None = None
    source: str = Field(min_length=1)
    rationale: Rationale | None = None

    @field_validator("key", mode="before")
    @classmethod
    def _key_as_strings(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {_as_key(k): _as_key(v) for k, v in value.items()}
        if isinstance(value, list):
            return [_as_key(v) for v in value]
        return None if value is None else _as_key(value)

    @model_validator(mode="after")
    def _key_fits_type(self) -> "Item":
        check = _KEY_CHECKS[self.type]
        problem = check(self)
        if problem:
            raise ValueError(problem)
        problem = _check_rationale(self)
        if problem:
            raise ValueError(problem)
        if self.type == "written":
            total = sum(c.points for c in self.rubric)
            if abs(total - self.points) > 1e-9:
                raise ValueError(label("error.items_rubric_total", total=total, points=self.points))
        return self

    @property
    def is_auto_graded(self) -> bool:
        return self.type != "written"

    @property
    def option_keys(self) -> list[str]:
        return list(TRUE_FALSE_KEYS) if self.type == "truefalse" else list(self.options)

    def public_dict(self) -> dict[str, Any]:
        """What a participant may see in an assessment: no key, no feedback, no rubric."""
        return self.model_dump(mode="json", include=set(PublicItem.model_fields))


def _check_rationale(item: Item) -> str | None:
    """A rationale explains each wrong option exactly once, and names only options the item has."""
    if item.rationale is None:
        return None
    explained = set(item.rationale.distractors)
    if item.type in ("single", "multi"):
        keys = {item.key} if isinstance(item.key, str) else set(item.key or [])
        wrong = set(item.options) - keys
        if explained != wrong:
            return label("error.items_distractors_wrong", wrong=sorted(wrong), explained=sorted(explained))
    elif item.type == "truefalse":
        wrong_answer = "false" if item.key == "true" else "true"
        if explained - {wrong_answer}:
            return label("error.items_distractors_truefalse", wrong=wrong_answer)
    elif not explained <= set(item.options):
        return label("error.items_distractors_unknown", options=sorted(explained - set(item.options)))
    return None


def _check_single(item: Item) -> str | None:
    if len(item.options) < 2:
        return label("error.items_single_options")
    if not isinstance(item.key, str) or item.key not in item.options:
        return label("error.items_key_one_of", options=sorted(item.options))
    return None


def _check_multi(item: Item) -> str | None:
    if len(item.options) < 2:
        return label("error.items_multi_options")
    if not isinstance(item.key, list) or not item.key or not set(item.key) <= set(item.options):
        return label("error.items_key_some_of", options=sorted(item.options))
    if len(set(item.key)) != len(item.key):
        return label("error.items_key_twice")
    return None


def _check_truefalse(item: Item) -> str | None:
    if item.options:
        return label("error.items_truefalse_options")
    if item.key not in TRUE_FALSE_KEYS:
        return label("error.items_key_true_false")
    return None


def _check_order(item: Item) -> str | None:
    if len(item.options) < 2:
        return label("error.items_order_options")
    if not isinstance(item.key, list) or sorted(item.key) != sorted(item.options):
        return label("error.items_key_order", options=sorted(item.options))
    return None


def _check_match(item: Item) -> str | None:
    if len(item.options) < 2 or len(item.targets) < 2:
        return label("error.items_match_options")
    if not isinstance(item.key, dict) or set(item.key) != set(item.options):
        return label("error.items_key_match", options=sorted(item.options))
    unknown = sorted(set(item.key.values()) - set(item.targets))
    if unknown:
        return label("error.items_key_unknown_targets", unknown=unknown, targets=sorted(item.targets))
    return None


def _check_text(item: Item) -> str | None:
    if isinstance(item.key, str):
        return None
    if not isinstance(item.key, list) or not item.key:
        return label("error.items_key_text")
    return None


def _check_written(item: Item) -> str | None:
    if item.key is not None:
        return label("error.items_written_key")
    if not item.rubric:
        return label("error.items_written_rubric")
    return None


_KEY_CHECKS = {
    "single": _check_single,
    "multi": _check_multi,
    "truefalse": _check_truefalse,
    "order": _check_order,
    "match": _check_match,
    "text": _check_text,
    "written": _check_written,
}


class Form(StrictModel):
    """An assessment or survey: an ordered list of item ids and a title."""

    id: str
    title: LocalText
    items: list[str] = Field(min_length=1)
    scored: bool = True


@dataclass(frozen=True)
class ItemBank:
    """Everything under ``assessments/``, validated and cross-checked."""

    objectives: dict[str, Objective]
    items: dict[str, Item]
    forms: dict[str, Form]

    def form_items(self, form_id: str) -> list[Item]:
        if form_id not in self.forms:
            raise ItemBankError(label("error.unknown_form", form=form_id, forms=sorted(self.forms)))
        return [self.items[item_id] for item_id in self.forms[form_id].items]

    def objective_of(self) -> dict[str, str]:
        """item id -> objective id, for the report's objective table."""
        return {item.id: item.objective for item in self.items.values()}


def read_yaml(path: Path) -> Any:
    try:
        # libyaml's parser when PyYAML has it: a module page's kernel reads its exercises file first thing.
        return yaml.load(path.read_text(encoding="utf-8-sig"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except UnicodeDecodeError as error:
        raise ItemBankError(label("error.items_not_utf8", file=path, reason=error.reason)) from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or "cannot be parsed"
        if mark is None:
            raise ItemBankError(label("error.items_not_yaml", file=path, problem=problem)) from error
        raise ItemBankError(label("error.items_not_yaml_at", file=path, line=mark.line + 1, column=mark.column + 1,
                                  problem=problem)) from error


def validate_entry(model: type[BaseModel], data: Any, path: Path, what: str) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise ItemBankError(label("error.items_entry", file=path, what=what,
                                  problem=validation_problem(error.errors()[0]))) from error


def parse_item(data: dict[str, Any], source: str = "<inline item>") -> Item:
    """Validate one item given as a dict, e.g. the item a hidden test cell carries."""
    item_id = data.get("id", "?") if isinstance(data, dict) else "?"
    return validate_entry(Item, data, Path(source), label("error.items_what_item", id=item_id))


def _load_list(path: Path, model: type[BaseModel], kind: str) -> list[Any]:
    data = read_yaml(path)
    if not isinstance(data, list):
        raise ItemBankError(label(f"error.items_not_a_list_of_{kind}s", file=path))
    entries = []
    for position, entry in enumerate(data, start=1):
        entry_id = entry.get("id", f"#{position}") if isinstance(entry, dict) else f"#{position}"
        entries.append(validate_entry(model, entry, path, label(f"error.items_what_{kind}", id=entry_id)))
    return entries


def _index_unique(entries: list[tuple[Path, Any]], kind: str) -> dict[str, Any]:
    index: dict[str, Any] = {}
    seen_in: dict[str, Path] = {}
    for path, entry in entries:
        if entry.id in index:
            raise ItemBankError(label(f"error.items_duplicate_{kind}_id", file=path, id=entry.id, other=seen_in[entry.id]))
        index[entry.id] = entry
        seen_in[entry.id] = path
    return index


def load_item_bank(root: Path | str = "assessments") -> ItemBank:
    """Load and cross-check objectives, items and forms under `root`.

    Raises ItemBankError naming the file and the item id on the first problem found.
    """
    root = Path(root)
    objectives_file = root / "objectives.yaml"
    if not objectives_file.is_file():
        raise ItemBankError(label("error.items_no_objectives", file=objectives_file))
    objectives = _index_unique(
        [(objectives_file, o) for o in _load_list(objectives_file, Objective, "objective")], "objective"
    )
    located = [(path, item) for path in sorted((root / "items").glob("*.yaml")) for item in _load_list(path, Item, "item")]
    items = _index_unique(located, "item")
    for path, item in located:
        if item.objective not in objectives:
            raise ItemBankError(label("error.items_unknown_objective", file=path, item=item.id, objective=item.objective,
                                      objectives=objectives_file))
    forms = {}
    for path in sorted((root / "forms").glob("*.yaml")):
        data = read_yaml(path)
        if isinstance(data, dict):
            data = {"id": path.stem, **data}
        form = validate_entry(Form, data, path, label("error.items_what_form"))
        unknown = [item_id for item_id in form.items if item_id not in items]
        if unknown:
            raise ItemBankError(label("error.items_form_unknown_items", file=path, form=form.id, unknown=unknown))
        if len(set(form.items)) != len(form.items):
            raise ItemBankError(label("error.items_form_item_twice", file=path, form=form.id))
        forms[form.id] = form
    return ItemBank(objectives=objectives, items=items, forms=forms)
