"""The satisfaction survey's question widgets: an agreement rating and an open comment.

Both are saved like every answer (contract 2) and never scored; with
:class:`~wpskit.widgets.choice.ConfidenceRating` they are all the survey needs
(``wpskit.survey`` builds the survey notebook from ``assessments/survey.yaml``)::

    quiz = Assessment("survey")
    quiz.rating("s-relevance", {"en": "The workshop was relevant to my work.", "vi": "..."})
    quiz.confidence("s-d1-1-before", {...})
    quiz.comment("s-comment-best", {"en": "What was most useful?", "vi": "..."})

Saved values: a rating an int 1..5 (1 = strongly disagree, 5 = strongly agree); a comment
the text as typed.
"""

from __future__ import annotations

from typing import Any, Mapping

from wpskit.errors import ItemBankError
from wpskit.items import ID_PATTERN, LocalText
from wpskit.widgets.choice import ConfidenceRating
from wpskit.words import label
from wpskit.widgets.spec import CONFIDENCE_LEVELS, QuestionSpec, confidence_spec
from wpskit.widgets.text import WrittenReflection


def rating_spec(question_id: str, prompt: Mapping[str, str] | LocalText) -> QuestionSpec:
    """A 1-5 agreement rating: the same saved form as a confidence rating (an int 1..5)."""
    return confidence_spec(question_id, prompt)


def comment_spec(question_id: str, prompt: Mapping[str, str] | LocalText) -> QuestionSpec:
    """An open comment: saved as text, never scored, no points to consider."""
    if not ID_PATTERN.match(question_id):
        raise ItemBankError(label("error.survey_comment_id", id=question_id))
    text = prompt if isinstance(prompt, LocalText) else LocalText.model_validate(dict(prompt))
    return QuestionSpec(id=question_id, type="written", text=text, options={}, targets={}, points=0)


class Rating(ConfidenceRating):
    """"Strongly disagree … strongly agree" on a 1-5 scale. Saved value: an int; never scored."""

    hint = "hint_rating"

    def _option_labels(self) -> list[tuple[str, Any]]:
        return [(label(f"rating_{level}"), level) for level in CONFIDENCE_LEVELS]


class Comment(WrittenReflection):
    """An open comment (optional). Saved value: the text as typed; never scored."""

    hint = "hint_comment"
    placeholder = "placeholder_comment"

    def _build_controls(self):
        controls = super()._build_controls()
        return [control for control in controls if control is not self.points_button]
