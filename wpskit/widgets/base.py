"""The private base of every question widget: value, saving, restoring and feedback.

Like ipywidgets' ``_Selection``, one base class owns the behaviour and each question type
only builds its controls and says how to read and show a value:

- ``value`` (a Python-side trait, never synced to the browser) holds the answer in its
  saved form; ``@validate`` normalises it (``spec.normalise_value``) and ``@observe``
  saves it to the responses file on every change, pushes it into the controls and, in
  exercise mode, withdraws an earlier check;
- :meth:`_Question.restore` reads the saved answer back when the notebook runs again;
- in exercise mode :meth:`_Question.check` scores the answer with ``wpskit.scoring`` (the
  one scoring rule) and shows a verdict with a symbol *and* words plus the explanation;
  :meth:`_Question.try_again` hides it and unlocks the controls;
- in assessment mode there is no Check button, no feedback, and the widget never holds a
  key: it is built from a public item dict only.

Every text a participant reads comes from ``wpskit.words`` or the item, in the current
language, and is re-rendered when :func:`wpskit.use_language` changes it.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

import ipywidgets as widgets
from ipywidgets.widgets.widget_string import HTMLStyle
import traitlets

from wpskit.errors import WpskitError
from wpskit.language import current_language, forget_language_listener, on_language_change
from wpskit.scoring import answer_share, is_blank, score_answer
from wpskit.formats import points
from wpskit.words import both_languages, label
from wpskit.widgets.look import STYLE, ShownOnce, escape, full_width, shared
from wpskit.widgets.spec import QuestionSpec, normalise_value
from wpskit.responses import ResponseStore

Mode = Literal["exercise", "assessment"]


class _Question(ShownOnce, widgets.VBox):
    """Base of every question widget. Subclasses build controls and read/show a value."""

    value = traitlets.Any(None, allow_none=True, help="the answer in its saved form; None = not answered")
    checked = traitlets.Bool(False, help="exercise mode: the answer was checked and feedback is shown")
    score = traitlets.Float(None, allow_none=True, help="exercise mode: points earned at the last check")

    hint: ClassVar[str] = "hint_single"
    checkable: ClassVar[bool] = True

    def __init__(self, spec: QuestionSpec, store: ResponseStore, mode: Mode = "exercise", **kwargs: Any) -> None:
        if mode not in ("exercise", "assessment"):
            raise ValueError(label("error.widget_mode", mode=mode))
        if mode == "assessment" and spec.item is not None:
            raise WpskitError(label("error.widget_given_key", id=spec.id))
        super().__init__(layout=full_width(), **kwargs)
        self.spec = spec
        self.mode: Mode = mode
        self.store = store
        self._syncing = False
        self._restoring = False
        self._status: tuple[str, dict[str, Any]] | None = None
        self._message: str | None = None
        self._backups: list[str] = []
        self.add_class("wpskit-question")

        self._style = widgets.HTML(STYLE, layout=shared(widgets.Layout), style=shared(HTMLStyle))
        self._prompt = widgets.HTML(layout=full_width(), style=shared(HTMLStyle))
        self._feedback = widgets.HTML(layout=full_width(), style=shared(HTMLStyle))
        self._status_html = widgets.HTML(layout=full_width(), style=shared(HTMLStyle))
        self.check_button = widgets.Button(button_style="primary", icon="check", style=shared(widgets.ButtonStyle))
        self.try_again_button = widgets.Button(icon="refresh", style=shared(widgets.ButtonStyle))
        self.check_button.on_click(lambda _button: self.check())
        self.try_again_button.on_click(lambda _button: self.try_again())
        controls = self._build_controls()
        buttons = [self.check_button, self.try_again_button] if self._has_check() else []
        self.children = [
            self._style,
            self._prompt,
            *controls,
            *([widgets.HBox(buttons, layout=shared(widgets.Layout, flex_flow="row wrap"))] if buttons else []),
            self._feedback,
            self._status_html,
        ]
        on_language_change(self._on_language)
        self.relabel()
        self.restore()

    # -- for subclasses ------------------------------------------------------------

    def _build_controls(self) -> list[widgets.Widget]:
        raise NotImplementedError

    def _read_controls(self) -> Any:
        raise NotImplementedError

    def _show_value(self, value: Any) -> None:
        raise NotImplementedError

    def _label_controls(self) -> None:
        """Relabel the controls in the current language."""

    def _set_locked(self, locked: bool) -> None:
        """Disable the controls while checked feedback is on display."""

    def _answer_for_check(self) -> Any:
        return self.value

    def _hint_text(self) -> str:
        return label(self.hint)

    # -- value, saving, restoring ------------------------------------------------------

    @traitlets.validate("value")
    def _valid_value(self, proposal: traitlets.Bunch) -> Any:
        try:
            return normalise_value(self.spec, proposal.value)
        except ValueError as error:
            raise traitlets.TraitError(str(error)) from error

    @traitlets.observe("value")
    def _value_changed(self, change: traitlets.Bunch) -> None:
        self._syncing = True
        try:
            self._show_value(change.new)
        finally:
            self._syncing = False
        if not self._restoring:
            self._message = None
            if self.checked:
                self.checked = False
            self._save()
        self._value_settled()

    def _value_settled(self) -> None:
        """After every change of value, saved or restored (the scenario finishes here)."""

    def _from_controls(self, _change: Any = None) -> None:
        """Observer of every control: the participant changed something."""
        if self._syncing:
            return
        self.value = self._read_controls()

    def _save(self) -> None:
        if self.value is None:
            return
        try:
            self.store.save(self.spec.id, self.value, current_language())
            self._status = ("saved", {})
        except (OSError, WpskitError, ValueError, TypeError) as error:
            self._status = ("not_saved", {"reason": type(error).__name__})
        self._collect_backups()
        self._render_status()

    def _collect_backups(self) -> None:
        for backup in self.store.take_backups():
            self._backups.append(both_languages("file_set_aside", name=self.store.path.name, backup=backup.name))

    def restore(self) -> None:
        """Show the answer saved in the responses file (if any), without saving it again.

        In exercise mode a restored answer is shown checked, with its feedback, so the
        score board counts it after a kernel restart.
        """
        try:
            saved = self.store.value(self.spec.id)
        except OSError as error:
            saved = None
            self._status = ("not_saved", {"reason": type(error).__name__})
        self._collect_backups()
        if saved is None:
            self._render_status()
            return
        self._restoring = True
        try:
            self.value = self._fit_saved(saved)
            self._status = ("saved", {})
        except traitlets.TraitError:
            pass  # the item changed since the answer was given: start blank
        finally:
            self._restoring = False
        if self.value is not None:
            self._after_restore()
        self._render_status()

    def _fit_saved(self, saved: Any) -> Any:
        """The saved value to restore; a subclass may trim what no longer fits the question."""
        return saved

    def _after_restore(self) -> None:
        if self.mode == "exercise" and self._has_check() and not is_blank(self.value):
            self.check()

    # -- exercise feedback -------------------------------------------------------------

    def _has_check(self) -> bool:
        return self.mode == "exercise" and self.checkable

    def check(self) -> float | None:
        """Exercise mode: score the answer, show the verdict and the explanation.

        Returns the points earned (None if there is nothing to check).
        """
        if not self._has_check() or self.spec.item is None:
            return None
        answer = self._answer_for_check()
        if is_blank(answer):
            self._message = "need_answer"
            self._render_feedback()
            return None
        if answer != self.value:
            self.value = answer
        self._message = None
        self.score = score_answer(self.spec.item, self.value)
        self.checked = True
        return self.score

    def try_again(self) -> None:
        """Exercise mode: hide the feedback and let the participant change the answer."""
        self.checked = False

    @traitlets.observe("checked")
    def _checked_changed(self, change: traitlets.Bunch) -> None:
        if not change.new:
            self.score = None
        self._set_locked(change.new)
        self._render_buttons()
        self._render_feedback()

    def _verdict_html(self) -> str:
        item = self.spec.item
        assert item is not None  # only reached in exercise mode
        share = answer_share(item, self.value) or 0.0
        if share >= 1:
            kind, verdict = "right", label("correct")
        elif share > 0:
            kind = "partly"
            verdict = label("partly", earned=points(self.score or 0), points=points(item.points))
        else:
            kind, verdict = "wrong", label("wrong")
        parts = [f'<div class="wpskit-verdict wpskit-{kind}" role="status"><strong>{escape(verdict)}</strong>']
        if item.feedback is not None:
            explanation = escape(item.feedback.in_language(current_language()))
            parts.append(f"<br><strong>{escape(label('explanation'))}:</strong> {explanation}")
        if share < 1:
            parts.append(f'<br><span class="wpskit-muted">{escape(label("wrong_next"))}</span>')
        parts.append("</div>")
        return "".join(parts)

    def _feedback_html(self) -> str:
        if self._message:
            return f'<div class="wpskit-muted" role="status">{escape(label(self._message))}</div>'
        if self.mode == "exercise" and self.checked and self.spec.item is not None:
            return self._verdict_html()
        return ""

    # -- rendering ---------------------------------------------------------------------

    def _on_language(self, _language: str) -> None:
        self.relabel()

    def relabel(self) -> None:
        """Render every text of the widget in the current language."""
        language = current_language()
        text = escape(self.spec.text.in_language(language))
        hint = self._hint_text()
        self._prompt.value = f'<div class="wpskit-prompt"><p>{text}</p>' + (
            f'<div class="wpskit-muted">{escape(hint)}</div></div>' if hint else "</div>"
        )
        self.check_button.description = label("check")
        self.check_button.tooltip = label("check")
        self.try_again_button.description = label("try_again")
        self.try_again_button.tooltip = label("try_again")
        self._syncing = True
        try:
            self._label_controls()
        finally:
            self._syncing = False
        self._render_buttons()
        self._render_feedback()
        self._render_status()

    def _render_buttons(self) -> None:
        self.check_button.layout.display = "none" if self.checked else None
        self.try_again_button.layout.display = None if self.checked else "none"

    def _render_feedback(self) -> None:
        self._feedback.value = self._feedback_html()

    def _render_status(self) -> None:
        parts = [f'<div class="wpskit-notice" role="alert">{escape(notice)}</div>' for notice in self._backups]
        if self._status is not None:
            name, fields = self._status
            role = ' role="alert"' if name == "not_saved" else ""
            parts.append(f'<div class="wpskit-status"{role}>{escape(label(name, **fields))}</div>')
        self._status_html.value = "".join(parts)

    # -- scoring for the score board --------------------------------------------------

    @property
    def max_points(self) -> float:
        """What this question can add to the exercise score board (0 if it is not scored)."""
        return self.spec.points if self.mode == "exercise" and self.spec.is_scored else 0.0

    def close(self) -> None:
        forget_language_listener(self._on_language)
        super().close()

    def __repr__(self) -> str:
        # also the notebook's text/plain output: no answer, no key
        return f"{type(self).__name__}({self.spec.id!r}, mode={self.mode!r})"
