"""Answers: one codec for the ``response`` column, and an answer as a participant reads it.

**The codec** (``encode_answer``, ``decode_answer``, ``check_answer``) is the only way an
answer becomes text and comes back, used by export, import, feedback and the report:

- a string answer (``single``, ``truefalse``, ``text``, ``written``) is written as it is;
  a list (``multi``, ``order``) or an object (``match``) as JSON; no answer as ``""``;
- a field that a spreadsheet would run as a formula (first character ``= + - @``, tab
  or carriage return) gets one ``'`` in front, and so does a field that starts with ``'``
  itself; decoding removes exactly that one ``'``. Excel and LibreOffice then show the
  text and run nothing, and ``decode_answer(t, encode_answer(x)) == x`` for any text;
- decoding is by the item's type, never guessed from the first character: a ``text``
  answer ``[10]`` stays the string ``[10]``.

**Descriptions** (``describe_answer``, ``describe_key``): option texts in the
participant's language, not option keys; shared by the feedback pages and paper forms.
"""

from __future__ import annotations

import json
from typing import Any, cast

from wpskit.errors import InputDataError
from wpskit.items import Item, ItemType, Language
from wpskit.scoring import is_blank
from wpskit.words import label


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_ESCAPE = "'"
_LISTS = ("multi", "order")


class AnswerFormatError(InputDataError):
    """An answer's text or value does not fit its item; the message says what fits (callers add where)."""


def spreadsheet_safe(text: str) -> str:
    """``text`` with one ``'`` in front when a spreadsheet would read it as a formula (or it starts with ``'``)."""
    return _ESCAPE + text if text.startswith((*FORMULA_STARTS, _ESCAPE)) else text


def from_spreadsheet_safe(text: str) -> str:
    """The inverse of ``spreadsheet_safe``."""
    return text[1:] if text.startswith(_ESCAPE) and text[1:].startswith((*FORMULA_STARTS, _ESCAPE)) else text


def encode_answer(value: Any) -> str:
    """One CSV field for a recorded answer (module docstring): its JSON type, kept by the responses file, says how."""
    if is_blank(value):
        return ""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
    return spreadsheet_safe(text)


def decode_answer(item_type: ItemType, text: str | None) -> Any:
    """The answer back from its field, by the item's type; ``""`` is no answer (None)."""
    if text is None or text == "":
        return None
    text = from_spreadsheet_safe(text)
    if item_type in _LISTS or item_type == "match":
        try:
            value = json.loads(text)
        except json.JSONDecodeError as error:
            example = '["a", "c"]' if item_type in _LISTS else '{"a": "1", "b": "2"}'
            raise AnswerFormatError(f"the {item_type} answer '{text}' is not valid JSON ({error.msg}); "
                                    f"write it like {example}") from None
        _check_shape(item_type, value)
        return value
    return text


def _check_shape(item_type: ItemType, value: Any) -> None:
    if item_type in _LISTS and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        raise AnswerFormatError(f"a {item_type} answer is a list of option keys, like [\"a\", \"c\"]; got {value!r}")
    if item_type == "match" and not (isinstance(value, dict) and all(isinstance(v, str) for v in value.values())):
        raise AnswerFormatError(f"a match answer maps option keys to target keys, like {{\"a\": \"1\"}}; got {value!r}")
    if item_type not in (*_LISTS, "match") and not isinstance(value, str):
        raise AnswerFormatError(f"a {item_type} answer is one piece of text; got {value!r}")


def check_answer(item: Item, value: Any) -> Any:
    """``value`` as the responses file stores it for ``item`` (multi sorted), or AnswerFormatError saying what fits."""
    if is_blank(value):
        return None
    options = set(item.option_keys)
    if item.type in ("single", "truefalse") and value not in options:
        raise AnswerFormatError(f"'{value}' is not an option of {item.id}; options are {sorted(options)}")
    if item.type == "multi":
        if not isinstance(value, list) or not set(map(str, value)) <= options:
            raise AnswerFormatError(f"{value} are not options of {item.id}; options are {sorted(options)}")
        value = sorted(map(str, value))
    if item.type == "order" and (not isinstance(value, list) or sorted(map(str, value)) != sorted(options)):
        raise AnswerFormatError(f"an order answer lists every option of {item.id} once: {sorted(options)}")
    if item.type == "match":
        if not isinstance(value, dict) or not set(value) <= options or not set(map(str, value.values())) <= set(item.targets):
            raise AnswerFormatError(f"a match answer maps options {sorted(options)} to targets {sorted(item.targets)}")
        value = {str(k): str(v) for k, v in value.items()}
    if item.type in ("text", "written") and not isinstance(value, str):
        raise AnswerFormatError(f"a {item.type} answer is text; got {value!r}")
    return value


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
        return item.key if isinstance(item.key, str) else cast(list[str], item.key)[0]
    return describe_answer(item, item.key, language)
