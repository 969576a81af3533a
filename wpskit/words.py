"""Every word wpskit shows people, in English and Vietnamese: one table, ``words.yaml``.

Participants (the widgets' buttons, hints and feedback), facilitators (the paper form) and
trainers (the report, its charts and the reasons a figure is missing) read from the same
table, so one test (``tests/test_words.py``) checks every text for both languages and the
same ``{fields}``, and whoever wants other wording changes it in one place. A name with a
prefix (``report.``, ``chart.``, ...) belongs to one part; :func:`section` gives that part.
"""

from __future__ import annotations

import string
from pathlib import Path
from typing import Any, Mapping, cast

import yaml

from wpskit.errors import InputDataError
from wpskit.formats import is_number, number
from wpskit.language import LANGUAGES, Language, current_language

WORDS: dict[str, dict[str, str]] = yaml.load((Path(__file__).parent / "words.yaml").read_text(encoding="utf-8"),
                                             Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def label(name: str, language: str | None = None, /, **fields: object) -> str:
    """The text called `name` in `language` (default: the current one), fields filled in.

    >>> label("check", "vi")
    'Kiểm tra'
    >>> label("scenario_points", "en", earned=2, best=3)
    'Points: 2 of 3'
    """
    language = language or current_language()
    text = WORDS[name][language]
    return fill(text, language, **fields) if fields else text


class _NumbersInLanguage(string.Formatter):
    def __init__(self, language: str) -> None:
        self.language = language

    def format_field(self, value: Any, format_spec: str) -> str:
        return number(value, self.language, format_spec) if is_number(value) else super().format_field(value, format_spec)


def fill(text: str, language: str, /, **fields: object) -> str:
    """`text` with its ``{fields}`` filled in, numbers written as `language` writes them (``{share:.0%}``, ``{g:.2f}``).

    >>> fill("g = {g:.2f}, {n} people", "vi", g=0.456, n=12)
    'g = 0,46, 12 people'
    """
    return _NumbersInLanguage(language).format(text, **fields)


def counted(name: str, count: int, language: str | None = None, /, **fields: object) -> str:
    """The text `name` for `count` things: ``name.one`` for one, ``name.many`` otherwise (English
    inflects, Vietnamese writes both alike), with ``{count}`` filled in.

    >>> counted("cli.collected", 1, "en", form="pre"), counted("cli.collected", 2, "vi", form="pre")
    ("Collected 'pre': 1 submission.", "Đã thu bài 'pre': 2 bài nộp.")
    """
    return label(f"{name}.{'one' if count == 1 else 'many'}", language, count=count, **fields)


def both_languages(name: str, /, *, english_first: bool = False, **fields: object) -> str:
    """The Vietnamese and the English text, for a notice everybody must understand (English first where the
    page around it reads English first, as the generated notebooks do).

    >>> both_languages("notebook.points", english_first=True)
    'points / điểm'
    """
    languages = ("en", "vi") if english_first else ("vi", "en")
    return " / ".join(label(name, language, **fields) for language in languages)


def section(prefix: str) -> dict[str, dict[str, str]]:
    """The texts of one part, by language then name without the prefix.

    >>> section("chart")["vi"]["pre"]
    'Kiểm tra đầu vào'
    """
    start = prefix + "."
    return {language: {name.removeprefix(start): texts[language] for name, texts in WORDS.items()
                       if name.startswith(start)} for language in LANGUAGES}


def validation_problem(problem: Mapping[str, Any]) -> str:
    """One problem pydantic found (an entry of ``ValidationError.errors()``): where (the field's path,
    ``options.a.en``) and what is wrong, in the current language.

    Our validators' messages come from this table already (pydantic puts ``Value error, `` before
    them). Pydantic's own (``Field required``) are English: in English they stay pydantic's words,
    in Vietnamese the table's ``pydantic.<error type>`` says them; a type it lacks stays English.

    >>> validation_problem({"type": "missing", "loc": ("text", "vi"), "msg": "Field required"})
    'text.vi: Field required'
    >>> from wpskit.language import speaking
    >>> with speaking("vi"):
    ...     validation_problem({"type": "greater_than", "loc": ("points",), "msg": "Input should be greater than 0",
    ...                         "ctx": {"gt": 0.5}})
    'points: giá trị phải lớn hơn 0,5'
    """
    where = ".".join(str(part) for part in problem["loc"])
    message = str(problem["msg"]).removeprefix("Value error, ")
    name = f"pydantic.{problem['type']}"
    language = current_language()
    if language != "en" and name in WORDS:
        context = {key: value.replace(" or ", " hoặc ") if key == "expected" and isinstance(value, str) else value
                   for key, value in (problem.get("ctx") or {}).items()}
        message = label(name, language, **context)
    return f"{where}: {message}" if where else message


def checked_language(language: str, option: str = "--lang") -> Language:
    """`language` if wpskit speaks it; otherwise an ``InputDataError`` naming the option, in the
    current language (here, beside the table that words it).

    >>> checked_language("vi")
    'vi'
    """
    if language not in LANGUAGES:
        raise InputDataError(label("error.language_unknown", option=option, language=language))
    return cast(Language, language)
