"""One cell of a scores file: an answer as written on paper or stored by a tablet, or a score."""

from __future__ import annotations

import math
import re
from typing import Any

from wpskit.answers import AnswerFormatError, check_answer, decode_answer
from wpskit.errors import InputDataError
from wpskit.items import Item
from wpskit.roster import clean_text
from wpskit.words import WORDS, label

TRUE_WORDS = {"true", "t", "yes", "1", *(WORDS["true"][lang].casefold() for lang in ("en", "vi")), "đ"}
FALSE_WORDS = {"false", "f", "no", "0", *(WORDS["false"][lang].casefold() for lang in ("en", "vi")), "s"}
LIST_SEPARATORS = re.compile(r"[\s,;→>]+")
PAIR_SEPARATORS = re.compile(r"\s*(?:=|:|→|-)\s*")


def _words(text: str) -> list[str]:
    return [part.casefold() for part in LIST_SEPARATORS.split(text) if part]


def option_key(item: Item, word: str, where: str, known: dict | None = None) -> str:
    """An option key as written on paper: ``b``, ``B``, ``b.`` or ``(b)``."""
    known = item.options if known is None else known
    key = word.strip("().").casefold()
    if key not in known:
        name = "error.not_a_target" if known is item.targets else "error.not_an_option"
        raise InputDataError(label(name, where=where, word=word, item=item.id, known=", ".join(known)))
    return key


def parse_response(item: Item, text: str, where: str) -> Any:
    """A recorded answer from its cell, as written on paper or stored by a tablet.

    ``b`` or ``B``; ``Đúng``/``Sai``/``True``/``False``; ``a;c``, ``a c``; ``c,a,b``;
    ``a=1;b=2`` or ``a-1 b-2``; and whatever ``wpskit export`` wrote (the answer codec,
    ``wpskit.answers``, so an exported file reads back exactly). A blank cell is None (not
    answered); anything else that cannot be read is an error naming `where`.
    """
    try:
        if item.type in ("text", "written") or text.strip().startswith(("[", "{")):
            return check_answer(item, decode_answer(item.type, text if text.strip() else ""))
        return check_answer(item, _paper_answer(item, clean_text(text), where))
    except AnswerFormatError as error:
        raise InputDataError(f"{where}: {error}") from None


def _paper_answer(item: Item, text: str, where: str) -> Any:
    if not text:
        return None
    if item.type == "truefalse":
        word = text.casefold().strip(".")
        if word in TRUE_WORDS | FALSE_WORDS:
            return "true" if word in TRUE_WORDS else "false"
        raise InputDataError(label("error.not_true_or_false", where=where, text=text))
    if item.type == "single":
        return option_key(item, text, where)
    words = _words(text)
    if item.type == "multi":
        return sorted({option_key(item, word, where) for word in words})
    if item.type == "order":
        return [option_key(item, word, where) for word in words]
    pairs = {}
    for pair in re.split(r"[\s,;]+", text):
        parts = PAIR_SEPARATORS.split(pair, maxsplit=1) if pair else []
        if len(parts) != 2 or not all(parts):
            raise InputDataError(label("error.unreadable_match", where=where, pair=pair, text=text))
        pairs[option_key(item, parts[0], where)] = option_key(item, parts[1], where, item.targets)
    return pairs


def parse_score(item: Item, text: str, where: str) -> float | None:
    text = text.strip().replace(",", ".")  # a Vietnamese Excel writes 1,5
    if not text:
        return None
    try:
        score = float(text)
    except ValueError as error:
        raise InputDataError(label("error.score_not_a_number", where=where, text=text)) from error
    if math.isnan(score) or not 0 <= score <= item.points:
        raise InputDataError(label("error.score_out_of_range", where=where, text=text, points=f"{item.points:g}",
                                   item=item.id))
    return score
