"""An answer as a participant reads it: option texts in their language, not option keys.

Shared by the feedback pages and the paper forms.
"""

from __future__ import annotations

from typing import Any

from wpskit.items import Item, Language
from wpskit.scoring import is_blank
from wpskit.widgets.labels import label


def option_text(item: Item, key: str, language: Language) -> str:
    if item.type == "truefalse":
        return label(key, language)
    option = item.options.get(key)
    return f"{key}. {option.in_language(language)}" if option else key


def describe_answer(item: Item, value: Any, language: Language) -> str:
    """'b. 31 October 2000'; a list joined by ' → ' for an order; 'a → 1. Participation' for a match."""
    if is_blank(value):
        return "—"
    if item.type in ("single", "truefalse"):
        return option_text(item, str(value), language)
    if item.type == "multi":
        return "; ".join(option_text(item, str(v), language) for v in value)
    if item.type == "order":
        return " → ".join(option_text(item, str(v), language) for v in value)
    if item.type == "match":
        return "; ".join(
            f"{option_text(item, str(k), language)} → {option_text_target(item, str(v), language)}" for k, v in value.items()
        )
    return str(value)


def option_text_target(item: Item, key: str, language: Language) -> str:
    target = item.targets.get(key)
    return f"{key}. {target.in_language(language)}" if target else key


def describe_key(item: Item, language: Language) -> str:
    if item.type == "text":
        return item.key if isinstance(item.key, str) else item.key[0]
    return describe_answer(item, item.key, language)
