"""The responses file (contract 2): every answer a participant gives, saved at once.

``<form>.responses.json`` sits in the notebook's directory::

    {"schema": 1, "form": "pre", "language": "vi",
     "answers": {"d1-1325-year": {"value": "b", "at": "2024-11-26T02:12:03Z"}},
     "updated": "2024-11-26T02:12:03Z"}

Values by question type: ``single``/``truefalse`` an option key (string); ``multi`` a
sorted list of option keys; ``order`` the option keys in the participant's order;
``match`` an object option key -> target key (only the options matched so far);
``text``/``written`` a string; ``confidence`` an int 1..5; ``scenario`` the list of
choice ids taken from the first step on (its path).

How nothing gets lost:

- every save is read-merge-write of one answer under an exclusive ``fcntl.flock`` on a
  sidecar lock file (``.<form>.responses.json.lock``), so two widgets, two threads or two
  kernels (the EN and VI twin of a notebook open at once) never overwrite each other;
- the new content goes to a temporary file in the same directory, is flushed to disk,
  and replaces the old file with ``os.replace``: a reader sees the old or the new file,
  never half of one;
- a file that cannot be read (not JSON, not this format, no read permission) is renamed
  ``<form>.responses.json.corrupt-<UTC timestamp>`` and kept; saving starts afresh and
  :meth:`ResponseStore.take_backups` tells the widgets, which show a short notice.

This module does not import ipywidgets: nbgrader's hidden test cells and ``wpskit export``
read responses with :func:`read_responses`.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping

from wpskit.errors import InputDataError
from wpskit.files import write_atomically
from wpskit.words import label

SCHEMA = 1
SUFFIX = ".responses.json"
FORM_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_LANGUAGES = ("en", "vi")


def utc_now() -> str:
    """The current time as the file writes it: UTC, whole seconds, ``Z`` suffix."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Answer:
    """One saved answer: its value (see the module docstring) and when it was given."""

    value: Any
    at: str


@dataclass(frozen=True)
class Responses:
    """The content of one responses file."""

    form: str
    language: str | None = None
    answers: Mapping[str, Answer] = field(default_factory=dict)
    updated: str | None = None
    schema: int = SCHEMA

    def value(self, item_id: str, default: Any = None) -> Any:
        """The participant's answer to `item_id`, or `default` if they gave none."""
        answer = self.answers.get(item_id)
        return default if answer is None else answer.value

    def values(self) -> dict[str, Any]:
        """item id -> value, for scoring."""
        return {item_id: answer.value for item_id, answer in self.answers.items()}

    def to_json(self) -> dict[str, Any]:
        """The file's content as a JSON-ready dict, keys in the contract's order."""
        return {
            "schema": self.schema,
            "form": self.form,
            "language": self.language,
            "answers": {item_id: {"value": a.value, "at": a.at} for item_id, a in self.answers.items()},
            "updated": self.updated,
        }


def _parse(data: Any, where: str) -> Responses:
    def fail(problem: str) -> InputDataError:
        return InputDataError(label("error.responses_not_contract", file=where, problem=problem))

    if not isinstance(data, dict):
        raise fail(label("error.responses_top_level"))
    if data.get("schema") != SCHEMA:
        raise fail(label("error.responses_schema", found=data.get("schema"), expected=SCHEMA))
    form = data.get("form")
    if not isinstance(form, str) or not form:
        raise fail(label("error.responses_no_form"))
    language = data.get("language")
    if language is not None and language not in _LANGUAGES:
        raise fail(label("error.responses_language", found=language))
    answers = data.get("answers")
    if not isinstance(answers, dict):
        raise fail(label("error.responses_answers"))
    parsed = {}
    for item_id, answer in answers.items():
        if not isinstance(answer, dict) or "value" not in answer or not isinstance(answer.get("at"), str):
            raise fail(label("error.responses_answer_shape", item=item_id))
        parsed[item_id] = Answer(value=answer["value"], at=answer["at"])
    updated = data.get("updated")
    if updated is not None and not isinstance(updated, str):
        raise fail(label("error.responses_updated"))
    return Responses(form=form, language=language, answers=parsed, updated=updated)


def read_responses(path: str | Path) -> Responses:
    """Read and check one responses file.

    Raises ``InputDataError`` naming the file if it is missing, unreadable, not JSON or
    not in the contract's format.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "pre.responses.json").write_text(
    ...     '{"schema": 1, "form": "pre", "language": "vi", "answers": '
    ...     '{"d1-1325-year": {"value": "b", "at": "2024-11-26T02:12:03Z"}}, '
    ...     '"updated": "2024-11-26T02:12:03Z"}', encoding="utf-8")
    >>> read_responses(d / "pre.responses.json").value("d1-1325-year")
    'b'
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as error:
        raise InputDataError(label("error.responses_no_such_file", file=path)) from error
    except (OSError, UnicodeDecodeError) as error:
        raise InputDataError(label("error.responses_unreadable", file=path, reason=error)) from error
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputDataError(label("error.responses_not_json", file=path, reason=error)) from error
    return _parse(data, str(path))


class ResponseStore:
    """The responses file of one form, in one directory: load, save one answer, recover.

    ``ResponseStore("pre")`` uses ``./pre.responses.json`` (the notebook's directory is
    the kernel's working directory). `clock` returns the timestamp to write (tests pass
    a fixed one).
    """

    def __init__(
        self,
        form: str,
        directory: str | Path | None = None,
        *,
        clock: Callable[[], str] = utc_now,
    ) -> None:
        if not isinstance(form, str) or not FORM_PATTERN.match(form):
            raise ValueError(label("error.responses_form_name", form=form))
        self.form = form
        self.directory = Path(directory) if directory is not None else Path.cwd()
        self.path = self.directory / f"{form}{SUFFIX}"
        self.lock_path = self.directory / f".{form}{SUFFIX}.lock"
        self._clock = clock
        self._thread_lock = threading.Lock()
        self._backups: list[Path] = []

    def __repr__(self) -> str:
        return f"ResponseStore({self.form!r}, {str(self.directory)!r})"

    # -- reading ---------------------------------------------------------------------

    def load(self) -> Responses:
        """What is saved now; empty if there is no file yet.

        A file that cannot be read is set aside (see :meth:`take_backups`) and an empty
        ``Responses`` is returned: the notebook goes on.
        """
        try:
            return self._read_or_empty()
        except InputDataError:
            with self._locked():
                return self._read_or_set_aside()

    def value(self, item_id: str, default: Any = None) -> Any:
        """The saved answer to `item_id`, or `default`."""
        return self.load().value(item_id, default)

    def take_backups(self) -> list[Path]:
        """Backups made since the last call (the widgets show a notice for each)."""
        backups, self._backups = self._backups, []
        return backups

    # -- writing ---------------------------------------------------------------------

    def save(self, item_id: str, value: Any, language: str | None = None) -> Responses:
        """Save one answer, keeping every other answer in the file; returns the new content.

        `value` must be JSON-serialisable (see the module docstring for each type).
        Raises ``OSError`` if the directory cannot be written to.
        """
        json.dumps(value)  # refuse what cannot be saved before touching the file
        with self._locked():
            current = self._read_or_set_aside()
            now = self._clock()
            answers = dict(current.answers)
            answers[item_id] = Answer(value=value, at=now)
            new = Responses(
                form=self.form,
                language=language if language in _LANGUAGES else current.language,
                answers=answers,
                updated=now,
            )
            self._write(new)
            return new

    # -- internals -------------------------------------------------------------------

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """Exclusive across threads (threading.Lock) and processes (flock on the sidecar)."""
        with self._thread_lock:
            self.directory.mkdir(parents=True, exist_ok=True)
            with open(self.lock_path, "a+b") as lock_file:
                fcntl.flock(lock_file.fileno(), fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(lock_file.fileno(), fcntl.LOCK_UN)

    def _empty(self) -> Responses:
        return Responses(form=self.form)

    def _read_or_empty(self) -> Responses:
        if not self.path.exists():
            return self._empty()
        return read_responses(self.path)

    def _read_or_set_aside(self) -> Responses:
        """Call with the lock held."""
        try:
            return self._read_or_empty()
        except InputDataError:
            self._set_aside()
            return self._empty()

    def _set_aside(self) -> Path:
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        backup = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        counter = 2
        while backup.exists():
            backup = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{counter}")
            counter += 1
        os.replace(self.path, backup)
        self._backups.append(backup)
        return backup

    def _write(self, responses: Responses) -> None:
        """Call with the lock held."""
        write_atomically(self.path, json.dumps(responses.to_json(), ensure_ascii=False, indent=2) + "\n")


def answers_file_problem(folder: Path, form: str) -> str | None:
    """Why a submission's answers cannot be graded: ``"missing"`` (no answers file) or
    ``"damaged"`` (unreadable, or set aside as ``.corrupt-…`` with nothing saved after it);
    None when the file reads. A damaged file's 0 is not a real 0: callers count it apart."""
    path = Path(folder) / f"{form}{SUFFIX}"
    if not path.is_file():
        return "damaged" if any(Path(folder).glob(f"{form}{SUFFIX}.corrupt-*")) else "missing"
    try:
        read_responses(path)
    except InputDataError:
        return "damaged"
    return None
