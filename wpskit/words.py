"""Every word wpskit shows people, in English and Vietnamese: one table, ``words.yaml``.

Participants (the widgets' buttons, hints and feedback), facilitators (the paper form) and
trainers (the report, its charts and the reasons a figure is missing) read from the same
table, so one test (``tests/test_words.py``) checks every text for both languages and the
same ``{fields}``, and whoever wants other wording changes it in one place. A name with a
prefix (``report.``, ``chart.``, ...) belongs to one part; :func:`section` gives that part.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from wpskit.language import LANGUAGES, current_language

WORDS: dict[str, dict[str, str]] = yaml.load((Path(__file__).parent / "words.yaml").read_text(encoding="utf-8"),
                                             Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def label(name: str, language: str | None = None, /, **fields: object) -> str:
    """The text called `name` in `language` (default: the current one), fields filled in.

    >>> label("check", "vi")
    'Kiểm tra'
    >>> label("scenario_points", "en", earned=2, best=3)
    'Points: 2 of 3'
    """
    text = WORDS[name][language or current_language()]
    return text.format(**fields) if fields else text


def counted(name: str, count: int, language: str | None = None, /, **fields: object) -> str:
    """The text `name` for `count` things: ``name.one`` for one, ``name.many`` otherwise (English
    inflects, Vietnamese writes both alike), with ``{count}`` filled in.

    >>> counted("cli.collected", 1, "en", form="pre"), counted("cli.collected", 2, "vi", form="pre")
    ("Collected 'pre': 1 submission.", "Đã thu bài 'pre': 2 bài nộp.")
    """
    return label(f"{name}.{'one' if count == 1 else 'many'}", language, count=count, **fields)


def both_languages(name: str, /, **fields: object) -> str:
    """The English and the Vietnamese text, for a notice everybody must understand."""
    return " / ".join(label(name, language, **fields) for language in ("vi", "en"))


def number(value: float, language: str | None = None) -> str:
    """A score for people: 2 not 2.0, 0.5 not 0.500; Vietnamese writes a decimal comma.

    >>> number(2.0, "en"), number(0.5, "en"), number(1.333, "en"), number(0.5, "vi")
    ('2', '0.5', '1.33', '0,5')
    """
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if (language or current_language()) == "vi" else text


def section(prefix: str) -> dict[str, dict[str, str]]:
    """The texts of one part, by language then name without the prefix.

    >>> section("chart")["vi"]["pre"]
    'Kiểm tra đầu vào'
    """
    start = prefix + "."
    return {language: {name.removeprefix(start): texts[language] for name, texts in WORDS.items()
                       if name.startswith(start)} for language in LANGUAGES}
