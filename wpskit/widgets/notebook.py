"""The questions of one notebook: :class:`Exercises` (modules) and :class:`Assessment` (pre/post).

One object per notebook, named after its responses file::

    import wpskit
    wpskit.use_language("vi")
    from wpskit.widgets import Exercises
    ex = Exercises("01-wps-origins", exercises="01-wps-origins.exercises.yaml")
    ex.language_switch()                   # answers: ./01-wps-origins.responses.json
    ex.show("d1-01-pillars")               # an exercise of the YAML file (wpskit.exercises), by id
    ex.ask({...})                          # any contract-1 item dict, with key and feedback
    ex.confidence("d1-01-conf", {"en": "How sure are you?", "vi": "Bạn chắc chắn đến mức nào?"})
    ex.scenario({...})                     # see wpskit.widgets.scenario
    ex.action_plan("d3-my-plan")           # see wpskit.widgets.plan
    ex.score_board()

The EN and VI twins of a module use the same name, so they share one responses file, and
the same exercises file, so their code cells differ only in ``use_language``.
Each ``show``/``ask``/``confidence``/``rating``/``comment``/``scenario``/``action_plan``/``language_switch``/``score_board`` call displays
its widget and returns it (a cell that ends with the call does not show it twice); pass
``show=False`` to build it without displaying (tests, nbgrader autograde).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Mapping

import ipywidgets as widgets

from wpskit.exercises import ConfidencePrompt, ModuleExercises, PlanExercise, ScenarioSpec, load_exercises
from wpskit.errors import ItemBankError
from wpskit.items import Item, LocalText
from wpskit.language import current_language, forget_language_listener, on_language_change, use_language
from wpskit.widgets.arrange import Matching, Ordering
from wpskit.widgets.base import Mode, _Question
from wpskit.widgets.look import ShownOnce, escape, full_width
from wpskit.widgets.choice import ConfidenceRating, MultipleChoice, SingleChoice, TrueFalse
from wpskit.formats import points
from wpskit.words import label
from wpskit.widgets.spec import QuestionSpec, assessment_spec, confidence_spec, exercise_spec
from wpskit.responses import ResponseStore, utc_now

if TYPE_CHECKING:
    from wpskit.widgets.plan import ActionPlan
    from wpskit.widgets.scenario import Scenario
    from wpskit.widgets.survey import Comment, Rating

# The action plan (with wpskit.plans), scenario and survey widgets are imported when first shown:
# a module page's kernel loads only what its questions use (tests/test_page_kernel.py).
from wpskit.widgets.text import ShortText, WrittenReflection

WIDGET_TYPES: dict[str, type[_Question]] = {
    "single": SingleChoice,
    "multi": MultipleChoice,
    "truefalse": TrueFalse,
    "order": Ordering,
    "match": Matching,
    "text": ShortText,
    "written": WrittenReflection,
    "confidence": ConfidenceRating,
}


def question_widget(spec: QuestionSpec, store: ResponseStore, mode: Mode = "exercise") -> _Question:
    """The widget for `spec`'s type, restored from `store`."""
    return WIDGET_TYPES[spec.type](spec, store, mode)


class LanguageSwitch(ShownOnce, widgets.ToggleButtons):
    """"English | Tiếng Việt": relabels every wpskit widget of the kernel at once."""

    def __init__(self) -> None:
        super().__init__(
            options=[("English", "en"), ("Tiếng Việt", "vi")],
            value=current_language(),
            style={"button_width": "auto"},
        )
        self.tooltips = ["English", "Tiếng Việt"]
        self.observe(lambda change: use_language(change.new), names="value")
        on_language_change(self._follow)
        self._follow(current_language())

    def _follow(self, language: str) -> None:
        self.description = label("language")
        self.style.description_width = "initial"
        if self.value != language:  # type: ignore[has-type]  # a trait mypy cannot see through
            self.value = language

    def close(self) -> None:
        forget_language_listener(self._follow)
        super().close()


BOARD_STYLE = "border: 1px solid var(--jp-border-color2, #ccc); border-radius: 4px; padding: 0.5em 0.8em; line-height: 1.45"


class ScoreBoard(ShownOnce, widgets.HTML):
    """The running score of an :class:`Exercises` notebook; updates on every check."""

    def __init__(self, exercises: "Exercises") -> None:
        super().__init__(layout=full_width())
        self._exercises = exercises
        on_language_change(self._on_language)
        self.update()

    def _on_language(self, _language: str) -> None:
        self.update()

    def update(self, _change: Any = None) -> None:
        earned, total, checked, count = self._exercises.score()
        text = label("score", earned=points(earned), total=points(total), checked=checked, count=count)
        self.value = f'<div class="wpskit-board" role="status" style="{BOARD_STYLE}"><strong>{escape(text)}</strong></div>'

    def close(self) -> None:
        forget_language_listener(self._on_language)
        super().close()


class _Form:
    """The questions of one notebook and their responses file."""

    mode: ClassVar[Mode]

    def __init__(self, form: str, directory: str | Path | None = None, *, clock: Any = utc_now) -> None:
        self.form = form
        self.store = ResponseStore(form, directory, clock=clock)
        self.questions: dict[str, _Question] = {}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.form!r}, {len(self.questions)} questions, file {self.store.path})"

    def language_switch(self, *, show: bool = True) -> LanguageSwitch:
        """Display the EN | Tiếng Việt toggle; it relabels every widget of this kernel."""
        switch = LanguageSwitch()
        if show:
            switch.show()
        return switch

    def _spec(self, entry: Any) -> QuestionSpec:
        raise NotImplementedError

    def ask(self, entry: Mapping[str, Any] | Item, *, show: bool = True) -> _Question:
        """Display the question widget for one item (any contract-1 type) and return it."""
        spec = self._spec(entry)
        return self._add(question_widget(spec, self.store, self.mode), show)

    def confidence(self, item_id: str, prompt: Mapping[str, str] | LocalText, *, show: bool = True) -> ConfidenceRating:
        """A "how sure are you?" rating 1-5, saved as an int under `item_id`, never scored."""
        widget = ConfidenceRating(confidence_spec(item_id, prompt), self.store, self.mode)
        return self._add(widget, show)  # type: ignore[return-value]

    def rating(self, question_id: str, prompt: Mapping[str, str], *, show: bool = True) -> Rating:
        """A "strongly disagree … strongly agree" rating 1-5 (the survey), saved as an int, never scored."""
        from wpskit.widgets.survey import Rating, rating_spec

        widget = Rating(rating_spec(question_id, prompt), self.store, self.mode)
        return self._add(widget, show)  # type: ignore[return-value]

    def comment(self, question_id: str, prompt: Mapping[str, str], *, show: bool = True) -> Comment:
        """An optional open comment (the survey), saved as text, never scored."""
        from wpskit.widgets.survey import Comment, comment_spec

        widget = Comment(comment_spec(question_id, prompt), self.store, self.mode)
        return self._add(widget, show)  # type: ignore[return-value]

    def _add(self, widget: _Question, show: bool) -> _Question:
        """Register the widget; a re-run cell replaces (and closes) the widget it made before."""
        old = self.questions.get(widget.spec.id)
        if old is not None and old is not widget:
            old.close()
        self.questions[widget.spec.id] = widget
        self._added(widget)
        if show:
            widget.show()
        return widget

    def _added(self, widget: _Question) -> None:
        pass

    def widget(self, item_id: str) -> _Question:
        """The widget asked with `item_id`."""
        return self.questions[item_id]

    def answers(self) -> dict[str, Any]:
        """item id -> saved value, as in the responses file now."""
        return self.store.load().values()


class Exercises(_Form):
    """Exercise mode (module notebooks): Check, feedback with the explanation, Try again,
    a running score. Items may be inline dicts with ``key`` and ``feedback`` or ``Item``s
    from the bank; an inline item needs no ``objective``, ``source`` or ``rubric``."""

    mode: ClassVar[Mode] = "exercise"

    def __init__(
        self, form: str, directory: str | Path | None = None, *, exercises: str | Path | None = None, clock: Any = utc_now
    ) -> None:
        super().__init__(form, directory, clock=clock)
        self._boards: list[ScoreBoard] = []
        self.exercises: ModuleExercises | None = None
        if exercises is not None:
            self.exercises = load_exercises(Path(directory or ".") / exercises)

    def show(self, exercise_id: str, *, show: bool = True) -> _Question:
        """Display the exercise `exercise_id` of the module's exercises file and return its widget."""
        if self.exercises is None:
            raise ItemBankError(label("error.notebook_no_exercises", form=self.form))
        exercise = self.exercises[exercise_id]
        if isinstance(exercise, ScenarioSpec):
            return self.scenario(exercise, show=show)
        if isinstance(exercise, ConfidencePrompt):
            return self.confidence(exercise.id, exercise.text, show=show)
        if isinstance(exercise, PlanExercise):
            return self.action_plan(exercise.id, exercise.title, show=show)
        return self.ask(exercise, show=show)

    def _spec(self, entry: Any) -> QuestionSpec:
        return exercise_spec(entry, self.form)

    def scenario(self, spec: Mapping[str, Any] | ScenarioSpec, *, show: bool = True) -> Scenario:
        """Display a branching scenario (format: ``wpskit.widgets.scenario``) and return it."""
        from wpskit.widgets.scenario import Scenario

        return self._add(Scenario(spec, self.store), show)  # type: ignore[return-value]

    def action_plan(self, plan_id: str, title: Mapping[str, str] | LocalText | None = None, *, show: bool = True) -> ActionPlan:
        """Display the action-plan builder (``wpskit.widgets.plan``) saved under `plan_id`, and return it."""
        from wpskit.widgets.plan import ActionPlan

        return self._add(ActionPlan(plan_id, self.store, self.mode, title=title), show)  # type: ignore[return-value]

    def score_board(self, *, show: bool = True) -> ScoreBoard:
        """Display the notebook's running score; it updates on every check."""
        board = ScoreBoard(self)
        self._boards.append(board)
        if show:
            board.show()
        return board

    def score(self) -> tuple[float, float, int, int]:
        """(points earned, points possible, questions checked, questions scored) so far.

        Scored questions are the auto-graded item types and scenarios with points; a
        question counts once it is checked (a scenario once it is finished), including
        answers restored from the responses file.
        """
        scored = [q for q in self.questions.values() if q.max_points > 0]
        checked = [q for q in scored if q.checked and q.score is not None]
        earned = round(sum(q.score for q in checked), 3)  # type: ignore[misc]
        total = round(sum(q.max_points for q in scored), 3)
        return earned, total, len(checked), len(scored)

    def _added(self, widget: _Question) -> None:
        widget.observe(self._update_boards, names=["checked", "score"])
        self._update_boards()

    def _update_boards(self, _change: Any = None) -> None:
        for board in self._boards:
            board.update()


class Assessment(_Form):
    """Assessment mode (pre/post tests): no Check, no feedback, no key anywhere.

    Accepts only public item dicts (``Item.public_dict()``); a dict with ``key``,
    ``feedback`` or ``rubric`` raises ``ItemBankError``. Every change is saved and the
    widget shows a discreet "Saved ✓ / Đã lưu ✓".
    """

    mode: ClassVar[Mode] = "assessment"

    def _spec(self, entry: Any) -> QuestionSpec:
        return assessment_spec(entry)
