"""Score one answer against its item's key — the one rule used by exercise feedback,
the hidden autograder tests and paper-form imports, so all three always agree.

Partial credit, as a share of the item's points:

- multi: (right options chosen − wrong options chosen) / options in the key, at least 0,
  so ticking every box earns nothing;
- order: the share of pairs of options placed in the right order relative to each other,
  so one item out of place costs little and a reversed list earns nothing;
- match: the share of options matched to the right target.

Scores are rounded to 3 decimals. A blank answer scores 0; a written answer is graded by
hand and scores None here.
"""

from __future__ import annotations

import unicodedata
from itertools import combinations
from typing import Any, cast

from wpskit.items import Item


def is_blank(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _normalise_text(text: str) -> str:
    """Compare typed answers without caring about case, spacing or Unicode composition
    (Vietnamese keyboards may send either composed or decomposed tone marks)."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _share_multi(key: list[str], chosen: list[str]) -> float:
    right = len(set(chosen) & set(key))
    wrong = len(set(chosen) - set(key))
    return max(0.0, (right - wrong) / len(key))


def _share_order(key: list[str], given: list[str]) -> float:
    position = {option: index for index, option in enumerate(given)}
    if set(position) != set(key):
        return 0.0
    pairs = list(combinations(key, 2))
    return sum(position[first] < position[second] for first, second in pairs) / len(pairs)


def _share_match(key: dict[str, str], given: dict[str, str]) -> float:
    return sum(given.get(option) == target for option, target in key.items()) / len(key)


def answer_share(item: Item, value: Any) -> float | None:
    """The share (0..1) of the item's points that `value` earns; None for written items."""
    if item.type == "written":
        return None
    if is_blank(value):
        return 0.0
    if item.type in ("single", "truefalse"):
        return float(str(value) == item.key)
    # The item bank's model checks that each type's key has its shape (items.Item).
    if item.type == "multi":
        return _share_multi(cast(list[str], item.key), [str(v) for v in value]) if isinstance(value, list) else 0.0
    if item.type == "order":
        return _share_order(cast(list[str], item.key), [str(v) for v in value]) if isinstance(value, list) else 0.0
    if item.type == "match":
        key = cast(dict[str, str], item.key)
        return _share_match(key, {str(k): str(v) for k, v in value.items()}) if isinstance(value, dict) else 0.0
    accepted = [item.key] if isinstance(item.key, str) else cast(list[str], item.key)
    return float(_normalise_text(str(value)) in {_normalise_text(a) for a in accepted})


def score_answer(item: Item, value: Any) -> float | None:
    """Points earned by `value` for `item`, rounded to 3 decimals; None for written items."""
    share = answer_share(item, value)
    return None if share is None else round(share * item.points, 3)
