"""What the hidden tests compute: one item's points from the participant's responses file.

The hidden test of each item calls ``points_for``, which reads the responses file
(contract 2) in the submission's folder and returns the points earned; nbgrader records
that number as the cell's (partial) credit. So the grade depends only on the answers the
participant gave, never on the state of their notebook. ``wpskit.grading`` calls the same
functions in-process, so a kernel and the fast path cannot disagree.
"""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import Any

from IPython.display import HTML, display

from wpskit.errors import WpskitError
from wpskit.items import parse_item
from wpskit.scoring import score_answer
from wpskit.responses import answers_file_problem, read_responses
from wpskit.words import both_languages


def responses_path(form: str, folder: Path | None = None) -> Path:
    return (folder or Path.cwd()) / f"{form}.responses.json"


def _answer(form: str, item_id: str, folder: Path | None = None) -> tuple[Any, str | None]:
    """The participant's answer and, when there is none, why."""
    path = responses_path(form, folder)
    if not path.is_file():
        if answers_file_problem(path.parent, form) == "damaged":
            return None, both_languages("autograde.answers_damaged", english_first=True, file=path.name)
        return None, both_languages("autograde.no_answers_file", english_first=True, file=path.name)
    try:
        responses = read_responses(path)
    except WpskitError as error:
        return None, both_languages("autograde.answers_unreadable", english_first=True, reason=error)
    answer = responses.answers.get(item_id)
    if answer is None:
        return None, both_languages("autograde.not_answered", english_first=True)
    return answer.value, None


def points_and_reason(form: str, item_data: dict[str, Any], folder: Path | None = None) -> tuple[float | None, str | None]:
    """Points the participant earned on one item (None for a written one), and why they are 0 when no answer counts."""
    item = parse_item(item_data, source="hidden test")
    value, reason = _answer(form, item.id, folder)
    return (0.0, reason) if reason else (score_answer(item, value), None)


def points_for(form: str, item_data: dict[str, Any]) -> float | None:
    """Points the participant earned on one item; the reason is printed when it is 0 by default."""
    points, reason = points_and_reason(form, item_data)
    if reason:
        print(reason)
    return points


def grader_view(form: str, item_id: str, folder: Path | None = None) -> str:
    """A written answer as HTML for formgrader (or why there is none)."""
    value, reason = _answer(form, item_id, folder)
    text = reason or str(value)
    return ("<div style='border-left: 4px solid #888; padding-left: 8px'>"
            f"<strong>{both_languages('autograde.participant_answer', english_first=True)}:</strong>"
            f"<div style='white-space: pre-wrap'>{html.escape(text)}</div></div>")


def show_to_grader(form: str, item_id: str) -> None:
    """During autograde only, show a written answer as text so formgrader displays it."""
    if os.environ.get("NBGRADER_EXECUTION") != "autograde":
        return
    display(HTML(grader_view(form, item_id)))
