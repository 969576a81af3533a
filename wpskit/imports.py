"""Paper forms and offline tablets into the same gradebook (contract 3).

Two layouts are read, both UTF-8 CSV (a BOM is accepted):

- **tidy**, as ``wpskit export`` writes it: ``participant_id, form, item_id, score,
  max_score, response`` — one row per participant x form x item;
- **wide**, as KoboToolbox or a typed-in answer sheet gives it: ``participant_id, form``
  and one column per item id holding the answer.

An answer is scored with the same rule as the hidden tests (``wpskit.scoring``); a score
given in the file (a hand-graded written answer, a paper test marked by a facilitator)
is taken as it is. The whole file is checked before anything is written, so a broken row
imports nothing; importing the same file again changes nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wpskit.answers import AnswerFormatError, check_answer, decode_answer
from wpskit.errors import InputDataError
from wpskit.items import Item, ItemBank, load_item_bank
from wpskit.layout import IMPORTED, Course, open_course
from wpskit.nbgrader_api import open_gradebook
from wpskit.roster import clean_text, read_csv_rows
from wpskit.scoring import score_answer
from wpskit.responses import ResponseStore



@dataclass(frozen=True)
class ImportedScore:
    line: int
    participant_id: str
    form: str
    item: Item
    score: float | None
    response: Any


def parse_response(item: Item, text: str, where: str) -> Any:
    """A recorded answer from its CSV text: ``b``; ``a;c`` or ``["a","c"]``; ``c,a,b``; ``a=1;b=2`` or JSON.

    Text and JSON go through the answer codec (``wpskit.answers``), so an exported file reads back exactly.
    """
    try:
        if item.type in ("text", "written") or text.strip().startswith(("[", "{")):
            return check_answer(item, decode_answer(item.type, text if text.strip() else ""))
        text = clean_text(text)
        if not text:
            return None
        if item.type in ("multi", "order"):
            value = [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
        elif item.type == "match":
            value = dict(part.split("=", 1) for part in text.split(";") if "=" in part)
        else:
            value = text.lower() if item.type == "truefalse" else text
        return check_answer(item, value)
    except AnswerFormatError as error:
        raise InputDataError(f"{where}: {error}") from None


def _parse_score(item: Item, text: str, where: str) -> float | None:
    if not text.strip():
        return None
    try:
        score = float(text)
    except ValueError as error:
        raise InputDataError(f"{where}: score '{text}' is not a number") from error
    if math.isnan(score) or not 0 <= score <= item.points:
        raise InputDataError(f"{where}: score {text} is outside 0..{item.points:g}, the points of {item.id}")
    return score


def _tidy_rows(rows: list[tuple[int, dict[str, str]]]):
    for line, row in rows:
        yield line, row, row.get("item_id", ""), row.get("response", ""), row.get("score", "")


def _wide_rows(header: list[str], rows: list[tuple[int, dict[str, str]]]):
    item_columns = [column for column in header if column not in ("participant_id", "form")]
    for line, row in rows:
        for item_id in item_columns:
            yield line, row, item_id, row[item_id], ""


def read_scores_file(path: Path | str, bank: ItemBank, participants: set[str]) -> list[ImportedScore]:
    """Validate a whole tidy or wide scores CSV against the item bank and the course's participants."""
    path = Path(path)
    header, rows = read_csv_rows(path, required=("participant_id", "form"))
    cells = _tidy_rows(rows) if "item_id" in header else _wide_rows(header, rows)
    scores, first_seen = [], {}
    for line, row, item_id, response_text, score_text in cells:
        where = f"{path}: line {line}"
        participant_id, form_id, item_id = (clean_text(v) for v in (row["participant_id"], row["form"], item_id))
        if participant_id not in participants:
            raise InputDataError(f"{where}: participant '{participant_id}' is not in the course; "
                                 "import the roster first (wpskit roster import)")
        if form_id not in bank.forms:
            raise InputDataError(f"{where}: no form '{form_id}'; the forms are {sorted(bank.forms)}")
        if item_id not in bank.forms[form_id].items:
            raise InputDataError(f"{where}: item '{item_id}' is not in form '{form_id}'")
        key = (participant_id, form_id, item_id)
        if key in first_seen:
            raise InputDataError(f"{where}: {participant_id} / {form_id} / {item_id} is already on line {first_seen[key]}")
        first_seen[key] = line
        item = bank.items[item_id]
        response = parse_response(item, response_text, f"{where}, item {item_id}")
        score = _parse_score(item, score_text, f"{where}, item {item_id}")
        if score is None and item.is_auto_graded:
            score = score_answer(item, response)
        scores.append(ImportedScore(line, participant_id, form_id, item, score, response))
    if not scores:
        raise InputDataError(f"{path}: no answers or scores below the header line")
    return scores


@dataclass(frozen=True)
class ImportResult:
    changed: int
    unchanged: int
    submissions: int

    def summary(self) -> str:
        return f"{self.changed} scores written, {self.unchanged} unchanged, in {self.submissions} submissions"


def _write_responses(course: Course, participant_id: str, form_id: str, rows: list[ImportedScore]) -> None:
    folder = course.root / IMPORTED / participant_id / form_id
    folder.mkdir(parents=True, exist_ok=True)
    store = ResponseStore(form_id, directory=folder)
    for row in rows:
        if row.response is not None and store.value(row.item.id) != row.response:
            store.save(row.item.id, row.response)


def _score_unanswered(gradebook, bank: ItemBank, form_id: str, participant_id: str, answered: set[str]) -> int:
    """A handed-in form's auto-graded items that the file does not mention were not answered: 0."""
    changed = 0
    for item in bank.form_items(form_id):
        if item.is_auto_graded and item.id not in answered:
            grade = gradebook.find_grade(item.id, form_id, form_id, participant_id)
            if grade.auto_score is None and grade.manual_score is None:
                grade.auto_score, grade.needs_manual_grade = 0.0, False
                changed += 1
    return changed


def import_scores(course_root: Path | str, scores_csv: Path | str, assessments: Path | str = "assessments") -> ImportResult:
    """Write the answers and scores of a paper-form or offline-form CSV into the course's gradebook."""
    course = open_course(course_root)
    bank = load_item_bank(assessments)
    with open_gradebook(course) as gradebook:
        participants = {student.id for student in gradebook.students}
        generated = {assignment.name for assignment in gradebook.assignments}
        rows = read_scores_file(scores_csv, bank, participants)
        missing = sorted({row.form for row in rows} - generated)
        if missing:
            raise InputDataError(f"{scores_csv}: form {missing} is not built in the course yet; run `wpskit course build`")
        changed = unchanged = 0
        submissions = sorted({(row.participant_id, row.form) for row in rows})
        for participant_id, form_id in submissions:
            gradebook.update_or_create_submission(form_id, participant_id)
            mine = [row for row in rows if (row.participant_id, row.form) == (participant_id, form_id)]
            for row in mine:
                grade = gradebook.find_grade(row.item.id, form_id, form_id, participant_id)
                column = "auto_score" if row.item.is_auto_graded else "manual_score"
                if row.score is None or (getattr(grade, column) == row.score and not grade.needs_manual_grade):
                    unchanged += 1
                    continue
                setattr(grade, column, row.score)
                grade.needs_manual_grade = False
                changed += 1
            changed += _score_unanswered(gradebook, bank, form_id, participant_id, {row.item.id for row in mine})
            _write_responses(course, participant_id, form_id, mine)
        gradebook.db.commit()
    return ImportResult(changed=changed, unchanged=unchanged, submissions=len(submissions))
