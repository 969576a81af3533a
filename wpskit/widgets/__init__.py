"""Question widgets for module notebooks and pre/post assessments.

Public API (see ``notebook`` for the full example)::

    from wpskit.widgets import Exercises, Assessment
    ex = Exercises("01-wps-origins")   # exercise mode, ./01-wps-origins.responses.json
    quiz = Assessment("pre")           # assessment mode, ./pre.responses.json

Modules: ``spec`` (what a widget is built from, pure rules about answers),
``base`` (the private base class), ``choice``, ``arrange``, ``text``, ``scenario``,
``plan`` (the action-plan builder), ``survey`` (rating, comment) (the question types), ``notebook`` (``Exercises``, ``Assessment``),
``submit`` (the *Submit* button of a pre/post test or survey page: nbgrader's exchange).

They save to the responses file (``wpskit.responses``, contract 2) and show the words of
``wpskit.words``. Names are imported lazily, so ``import wpskit.widgets`` alone loads no ipywidgets.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "Exercises": "notebook",
    "Assessment": "notebook",
    "LanguageSwitch": "notebook",
    "ScoreBoard": "notebook",
    "question_widget": "notebook",
    "SingleChoice": "choice",
    "MultipleChoice": "choice",
    "TrueFalse": "choice",
    "ConfidenceRating": "choice",
    "Ordering": "arrange",
    "Matching": "arrange",
    "ShortText": "text",
    "WrittenReflection": "text",
    "Scenario": "scenario",
    "ActionPlan": "plan",
    "Rating": "survey",
    "Comment": "survey",
    "parse_scenario": "scenario",
    "SubmitButton": "submit",
    "submit_form": "submit",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'wpskit.widgets' has no attribute {name!r}")
    value = getattr(import_module(f"wpskit.widgets.{_EXPORTS[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
