"""Numbers as people read them, in their language: the one place wpskit writes a number for a person.

English writes ``1,234.5``; Vietnamese writes ``1.234,5`` (decimal comma, dot between thousands, as Vietnamese
Excel and the national standard TCVN do). Rounded as readers use them: points and percentages to 1 decimal, effect
sizes, Hake's g and Cronbach's alpha to 2, p-values to 2 significant digits (``p < 0.001`` below that). A missing
figure is ``-``. Machine-readable outputs (``report.json``, the tidy CSV, the XLSX cells, which keep numbers and
get a number format) never pass through here.
"""

from __future__ import annotations

import math
from numbers import Real
from typing import Any

from wpskit.language import current_language

MISSING = "-"
# Excel number formats: Excel shows each with the reader's own separators, so the cell stays a number.
EXCEL_FORMATS = {"points": "0.0", "percent": "0.0", "effect": "0.00", "p": "0.000", "count": "0"}


def is_number(value: Any) -> bool:
    """True for an int, float or numpy number, not for a bool (a yes/no is not a figure)."""
    return isinstance(value, Real) and not isinstance(value, bool)


def localized(text: str, language: str) -> str:
    """A number Python wrote (``1,234.5``) in `language`'s separators.

    >>> localized("1,234.5", "vi"), localized("-0.25", "en")
    ('1.234,5', '-0.25')
    """
    return text.translate(str.maketrans(",.", ".,")) if language == "vi" else text


def number(value: Any, language: str, spec: str = "", /) -> str:
    """`value` formatted by the Python format `spec`, in `language`'s separators; ``-`` when missing.

    >>> number(0.0370, "vi", ".2f"), number(12345.678, "vi", ",.1f"), number(None, "en", ".1f")
    ('0,04', '12.345,7', '-')
    """
    if value is None or (is_number(value) and math.isnan(value)):
        return MISSING
    return localized(format(value, spec), language)


def decimal(value: Any, language: str, digits: int = 2, *, signed: bool = False) -> str:
    """Fixed `digits` decimals (effect sizes, Hake's g, alpha: 2), a ``+`` in front of a gain when `signed`.

    >>> decimal(0.456, "vi"), decimal(3.25, "en", 1, signed=True)
    ('0,46', '+3.2')
    """
    return number(value, language, f"{'+' if signed else ''},.{digits}f")


def points(value: Any, language: str | None = None) -> str:
    """Points or a score: 1 decimal, none when whole (``20.334 / 60`` reads ``20.3 / 60``, ``2.0`` reads ``2``);
    a widget's score in the participant's current language.

    >>> points(20.334, "vi"), points(2.0, "en"), points(1.333, "en"), points(0.5, "vi")
    ('20,3', '2', '1.3', '0,5')
    """
    text = number(value, "en", ".1f")
    return localized(text.removesuffix(".0"), language or current_language())


def percent(value: Any, language: str, digits: int = 1) -> str:
    """A percentage already in 0..100, with its sign: ``45.3%``, Vietnamese ``45,3%``.

    >>> percent(45.25, "vi"), percent(None, "en")
    ('45,2%', '-')
    """
    text = number(value, language, f",.{digits}f")
    return text if text == MISSING else text + "%"


def p_value(p: Any, language: str) -> str:
    """``p = `` with 2 significant digits, ``p < 0.001`` below that: a reader compares it with 0.05, no more.

    >>> p_value(0.0370, "vi"), p_value(0.12345, "en"), p_value(0.00002, "vi"), p_value(1.0, "en")
    ('p = 0,037', 'p = 0.12', 'p < 0,001', 'p = 1')
    """
    if p is None or (is_number(p) and math.isnan(p)):
        return MISSING
    if p < 0.001:
        return "p < " + localized("0.001", language)
    return "p = " + localized(f"{p:.2g}", language)
