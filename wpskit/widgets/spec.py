"""What a question widget is built from, and the pure rules about its answers.

A :class:`QuestionSpec` is what the participant may see of an item (id, type, text,
options, targets, points) plus, in exercise mode only, the full :class:`~wpskit.items.Item`
with its key and feedback. In assessment mode the spec is built from a *public* item dict
(``Item.public_dict()``) and anything secret passed in is refused, so the key cannot reach
the widget, its state or the notebook's output.

Everything here is plain Python (no ipywidgets), tested without a kernel.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from typing import Any, Literal, Mapping

from pydantic import ValidationError

from wpskit.errors import ItemBankError
from wpskit.exercises import exercise_item
from wpskit.items import ID_PATTERN, TRUE_FALSE_KEYS, Item, LocalText, PublicItem
from wpskit.words import label, validation_problem

QuestionType = Literal["single", "multi", "truefalse", "order", "match", "text", "written", "confidence", "scenario", "plan"]
SECRET_FIELDS = ("key", "feedback", "rubric", "correct", "answer", "explanation")
CONFIDENCE_LEVELS = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class QuestionSpec:
    """What a question widget shows; `item` (with key and feedback) only in exercise mode."""

    id: str
    type: QuestionType
    text: LocalText
    options: Mapping[str, LocalText]
    targets: Mapping[str, LocalText]
    points: float
    item: Item | None = None

    @property
    def option_keys(self) -> list[str]:
        if self.type == "truefalse":
            return list(TRUE_FALSE_KEYS)
        if self.type == "confidence":
            return [str(level) for level in CONFIDENCE_LEVELS]
        return list(self.options)

    @property
    def is_scored(self) -> bool:
        """Counts on the exercise score board (written and confidence do not)."""
        return self.type not in ("written", "confidence", "scenario")


# -- exercise mode -------------------------------------------------------------------


def exercise_spec(entry: Item | Mapping[str, Any], form: str = "exercises") -> QuestionSpec:
    """A spec from an item-bank entry or an inline contract-1 dict (key and feedback allowed)."""
    item = entry if isinstance(entry, Item) else exercise_item(dict(entry), f"{form} notebook")
    return _spec_of(item, keyed=True)


def _spec_of(item: PublicItem, keyed: bool) -> QuestionSpec:
    """What a widget shows of `item`; the item itself (with its key) only in exercise mode."""
    return QuestionSpec(
        id=item.id,
        type=item.type,
        text=item.text,
        options=dict(item.options),
        targets=dict(item.targets),
        points=item.points,
        item=item if keyed and isinstance(item, Item) else None,
    )


# -- assessment mode -----------------------------------------------------------------


def assessment_spec(data: Mapping[str, Any] | Item) -> QuestionSpec:
    """A spec from a public item dict; raises ``ItemBankError`` if it carries a key or feedback."""
    if isinstance(data, Item):
        raise ItemBankError(label("error.spec_item_with_key", id=data.id))
    if not isinstance(data, Mapping):
        raise ItemBankError(label("error.spec_not_a_dict", type=type(data).__name__))
    secret = [name for name in SECRET_FIELDS if name in data]
    if secret:
        raise ItemBankError(label("error.spec_secret_fields", id=data.get("id", "?"), fields=", ".join(secret)))
    try:
        item = PublicItem.model_validate({"objective": "", **data})
    except ValidationError as error:
        raise ItemBankError(label("error.spec_invalid", id=data.get("id", "?"),
                                  problem=validation_problem(error.errors()[0]))) from error
    needs = {"single": 2, "multi": 2, "order": 2, "match": 2}
    if item.type in needs and len(item.options) < needs[item.type]:
        raise ItemBankError(label("error.spec_too_few_options", id=item.id, type=item.type))
    if item.type == "match" and len(item.targets) < 2:
        raise ItemBankError(label("error.spec_too_few_targets", id=item.id))
    return _spec_of(item, keyed=False)


def confidence_spec(item_id: str, prompt: Mapping[str, str] | LocalText) -> QuestionSpec:
    """A 1-5 "how sure are you?" rating: saved, never scored."""
    if not ID_PATTERN.match(item_id):
        raise ItemBankError(label("error.spec_confidence_id", id=item_id))
    text = prompt if isinstance(prompt, LocalText) else LocalText.model_validate(dict(prompt))
    return QuestionSpec(id=item_id, type="confidence", text=text, options={}, targets={}, points=0)


# -- answers -------------------------------------------------------------------------


def normalise_value(spec: QuestionSpec, value: Any) -> Any:
    """The answer in its saved form (see ``store``), or ``ValueError`` if it cannot be one.

    ``None`` means "not answered yet" for every type. Its messages are developer-facing: only a widget's value
    reaches it, and a restore from the responses file drops the error (the question starts blank).

    >>> from wpskit.items import LocalText
    >>> t = LocalText(en="x", vi="x")
    >>> spec = QuestionSpec("q", "multi", t, {"a": t, "b": t, "c": t}, {}, 1)
    >>> normalise_value(spec, ("c", "a"))
    ['a', 'c']
    """
    if value is None:
        return None
    keys = spec.option_keys
    kind = spec.type
    if kind in ("single", "truefalse"):
        if isinstance(value, bool) and kind == "truefalse":
            value = "true" if value else "false"
        if not isinstance(value, str) or value not in keys:
            raise ValueError(f"{spec.id}: {value!r} is not one of the options {keys}")  # developer-facing
        return value
    if kind == "multi":
        chosen = [value] if isinstance(value, str) else list(value)
        unknown = [v for v in chosen if v not in keys]
        if unknown:
            raise ValueError(f"{spec.id}: {unknown} are not options {keys}")  # developer-facing
        return sorted(set(chosen))
    if kind == "order":
        order = list(value)
        if sorted(order) != sorted(keys):
            raise ValueError(f"{spec.id}: an order must list every option once: {keys}")  # developer-facing
        return order
    if kind == "match":
        if not isinstance(value, Mapping):
            raise ValueError(f"{spec.id}: a match answer is a dict option -> target")  # developer-facing
        matched = {str(k): str(v) for k, v in value.items() if v is not None}
        bad = [k for k, v in matched.items() if k not in keys or v not in spec.targets]
        if bad:
            raise ValueError(f"{spec.id}: options {bad} are unknown or matched to an unknown target")  # developer-facing
        return {k: matched[k] for k in keys if k in matched}
    if kind in ("text", "written"):
        if not isinstance(value, str):
            raise ValueError(f"{spec.id}: a {kind} answer is a string")  # developer-facing
        return value
    if kind == "scenario":
        if isinstance(value, str) or not all(isinstance(step, str) for step in value):
            raise ValueError(f"{spec.id}: a scenario answer is the list of choice ids taken")  # developer-facing
        return list(value)
    if kind == "confidence":
        if isinstance(value, bool) or not isinstance(value, (int, str)) or int(value) not in CONFIDENCE_LEVELS:
            raise ValueError(f"{spec.id}: confidence is 1, 2, 3, 4 or 5")  # developer-facing
        return int(value)
    raise ValueError(f"{spec.id}: unknown question type {kind!r}")  # developer-facing


def shuffled_order(spec: QuestionSpec) -> list[str]:
    """The order in which an ``order`` question first shows its options.

    Stable for an item id (the same in every kernel and in both languages) and never the
    order the bank lists them in, which authors often write in the right order: so the
    widget never opens with the key on display.

    >>> from wpskit.items import LocalText
    >>> t = LocalText(en="x", vi="x")
    >>> spec = QuestionSpec("q", "order", t, {"a": t, "b": t, "c": t}, {}, 1)
    >>> shuffled_order(spec) != ["a", "b", "c"], sorted(shuffled_order(spec))
    (True, ['a', 'b', 'c'])
    """
    listed = list(spec.options)
    seed = int.from_bytes(hashlib.sha256(spec.id.encode("utf-8")).digest()[:8], "big")
    order = listed[:]
    random.Random(seed).shuffle(order)
    if order == listed and len(order) > 1:
        order = order[1:] + order[:1]
    if spec.item is not None and order == spec.item.key and len(order) > 1:
        order = order[1:] + order[:1]
    return order
