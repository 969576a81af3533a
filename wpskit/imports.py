"""Paper forms and offline tablets into the same gradebook (contract 3).

Two layouts are read, both UTF-8 CSV (a BOM is accepted), separated by ``,`` or ``;``
(what Excel writes with Vietnamese regional settings, and KoboToolbox by default):

- **tidy**, as ``wpskit export`` writes it: ``participant_id, form, item_id, score,
  max_score, response`` — one row per participant x form x item;
- **wide**, one row per participant and a column per question: the answer sheet of
  ``wpskit paper`` and the CSV exports of KoboToolbox and ODK Central for the XLSForm of
  ``wpskit paper --xlsform``, as they come (see ``wpskit.xlsform`` for the column names).
  Group prefixes (``pretest/d1-1325-year``, ODK Central's ``pretest-d1-1325-year``) are
  dropped, the servers' metadata columns (``start``, ``_uuid``, ``SubmissionDate``, ...)
  ignored, a select-multiple's 0/1 columns cross-checked, and the form is the ``form``
  column the XLSForm fills in, or the one the caller names. A participant who submitted
  twice counts with the latest submission (``_submission_time`` or ``SubmissionDate``).

An answer is written as on paper or as the tablets store it (``B``, ``Đúng``/``Sai``,
``a c``, ``c,a,b``, ``a=1;b=2``) and scored with the same rule as the hidden tests
(``wpskit.scoring``); a score given in the file (a written answer marked on paper,
``<item>_score``) is taken as it is. The whole file is checked before anything is
written, so a broken cell imports nothing; importing the same file again changes nothing;
answers given online are only replaced when the caller asks.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from wpskit.answers import AnswerFormatError, check_answer, decode_answer
from wpskit.errors import InputDataError
from wpskit.items import Item, ItemBank, load_item_bank
from wpskit.layout import IMPORTED, Course, open_course, submitted_participants
from wpskit.nbgrader_api import open_gradebook
from wpskit.responses import ResponseStore
from wpskit.roster import KNOWN_COLUMNS, clean_text, decode_csv
from wpskit.scoring import score_answer
from wpskit.survey import LEVELS, Survey, answer_ids, load_survey
from wpskit.words import WORDS
from wpskit.xlsform import FORM, PARTICIPANT, AnswerColumn, answer_columns

# Columns KoboToolbox (formpack) and ODK Central add around the answers, lowercased.
SERVER_COLUMNS = {
    "start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber", "username", "audit",
    "instanceid", "deprecatedid", "instancename", "__version__", "submissiondate", "key", "submitterid",
    "submittername", "attachmentspresent", "attachmentsexpected", "status", "reviewstate", "edits", "formversion",
}
SUBMISSION_TIME_COLUMNS = ("_submission_time", "submissiondate")
TRUE_WORDS = {"true", "t", "yes", "1", *(WORDS["true"][lang].casefold() for lang in ("en", "vi")), "đ"}
FALSE_WORDS = {"false", "f", "no", "0", *(WORDS["false"][lang].casefold() for lang in ("en", "vi")), "s"}
LIST_SEPARATORS = re.compile(r"[\s,;→>]+")
PAIR_SEPARATORS = re.compile(r"\s*(?:=|:|→|-)\s*")


@dataclass(frozen=True)
class ImportedScore:
    line: int
    participant_id: str
    form: str
    item: Item
    score: float | None
    response: Any


@dataclass(frozen=True)
class ScoresFile:
    """A checked scores file: its scores and what the reader chose for the facilitator (resubmissions)."""

    scores: list[ImportedScore]
    warnings: list[str] = field(default_factory=list)


def _words(text: str) -> list[str]:
    return [part.casefold() for part in LIST_SEPARATORS.split(text) if part]


def _option(item: Item, word: str, where: str, known: dict | None = None) -> str:
    """An option key as written on paper: ``b``, ``B``, ``b.`` or ``(b)``."""
    known = item.options if known is None else known
    key = word.strip("().").casefold()
    if key not in known:
        what = "a target" if known is item.targets else "an option"
        raise InputDataError(f"{where}: '{word}' is not {what} of {item.id}; write one of {', '.join(known)}")
    return key


def parse_response(item: Item, text: str, where: str) -> Any:
    """A recorded answer from its cell, as written on paper or stored by a tablet.

    ``b`` or ``B``; ``Đúng``/``Sai``/``True``/``False``; ``a;c``, ``a c``; ``c,a,b``;
    ``a=1;b=2`` or ``a-1 b-2``; and whatever ``wpskit export`` wrote (the answer codec,
    ``wpskit.answers``, so an exported file reads back exactly). A blank cell is None (not
    answered); anything else that cannot be read is an error naming `where`.
    """
    try:
        if item.type in ("text", "written") or text.strip().startswith(("[", "{")):
            return check_answer(item, decode_answer(item.type, text if text.strip() else ""))
        return check_answer(item, _paper_answer(item, clean_text(text), where))
    except AnswerFormatError as error:
        raise InputDataError(f"{where}: {error}") from None


def _paper_answer(item: Item, text: str, where: str) -> Any:
    if not text:
        return None
    if item.type == "truefalse":
        word = text.casefold().strip(".")
        if word in TRUE_WORDS | FALSE_WORDS:
            return "true" if word in TRUE_WORDS else "false"
        raise InputDataError(f"{where}: '{text}' is not an answer to a true/false question; write Đúng or Sai (True or False)")
    if item.type == "single":
        return _option(item, text, where)
    words = _words(text)
    if item.type == "multi":
        return sorted({_option(item, word, where) for word in words})
    if item.type == "order":
        return [_option(item, word, where) for word in words]
    pairs = {}
    for pair in re.split(r"[\s,;]+", text):
        parts = PAIR_SEPARATORS.split(pair, maxsplit=1) if pair else []
        if len(parts) != 2 or not all(parts):
            raise InputDataError(f"{where}: cannot read '{pair}' in '{text}'; write each match as letter=number, "
                                 "separated by ';', e.g. a=2;b=1")
        pairs[_option(item, parts[0], where)] = _option(item, parts[1], where, item.targets)
    return pairs


def _parse_score(item: Item, text: str, where: str) -> float | None:
    text = text.strip().replace(",", ".")  # a Vietnamese Excel writes 1,5
    if not text:
        return None
    try:
        score = float(text)
    except ValueError as error:
        raise InputDataError(f"{where}: score '{text}' is not a number") from error
    if math.isnan(score) or not 0 <= score <= item.points:
        raise InputDataError(f"{where}: score {text} is outside 0..{item.points:g}, the points of {item.id}")
    return score


@dataclass(frozen=True)
class Table:
    """A CSV's header and its rows as (line of the row's first character, cells)."""

    path: Path
    header: list[str]
    rows: list[tuple[int, list[str]]]

    def where(self, line: int, index: int | None = None) -> str:
        if index is None:
            return f"{self.path}: line {line}"
        return f"{self.path}: line {line}, column {get_column_letter(index + 1)} ({self.header[index]})"


def _delimiter(text: str) -> str:
    """',' or ';', whichever separates the header line's fields (Kobo and a Vietnamese Excel write ';')."""
    first = next(csv.reader(io.StringIO(text.split("\n", 1)[0])), [])
    return ";" if len(first) <= 1 and ";" in text.split("\n", 1)[0] else ","


def read_table(path: Path) -> Table:
    """A UTF-8 CSV, separated by ',' or ';'; a row longer than the header is refused."""
    text = decode_csv(path)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    header = [clean_text(name) for name in next(reader)]
    rows, line = [], reader.line_num + 1
    for values in reader:
        if len(values) > len(header):
            raise InputDataError(f"{path}: line {line} has {len(values)} fields but the header has {len(header)}; "
                                 "check for a stray separator or an unquoted ',' or ';' inside a value")
        if any(value.strip() for value in values):
            rows.append((line, values + [""] * (len(header) - len(values))))
        line = reader.line_num + 1
    return Table(path, header, rows)


def _is_server_column(name: str) -> bool:
    lowered = name.casefold()
    last = lowered.rsplit("/", 1)[-1]
    return (last.startswith("_") or lowered in SERVER_COLUMNS or last in SERVER_COLUMNS
            or lowered.rsplit("-", 1)[-1] in SERVER_COLUMNS or lowered.split("/")[0].split("-")[0] in ("meta", "formhub")
            or lowered in KNOWN_COLUMNS)


def _column_name(header: str, known: set[str]) -> str | None:
    """The question a column holds, without KoboToolbox's 'group/' or ODK Central's 'group-' prefixes."""
    lowered = header.casefold()
    slashes, dashes = lowered.split("/"), lowered.split("-")
    candidates = [lowered, *("/".join(slashes[i:]) for i in range(1, len(slashes))),
                  *("-".join(dashes[i:]) for i in range(1, len(dashes)))]
    return next((name for name in candidates if name in known), None)


@dataclass(frozen=True)
class Cell:
    index: int
    column: AnswerColumn
    text: str


def _wide_layout(table: Table, bank: ItemBank) -> tuple[dict[str, int], list[tuple[int, AnswerColumn]], int | None]:
    """Where participant_id, form and each answer are; the submission-time column, if any."""
    columns = answer_columns(list(bank.items.values()))
    known = set(columns) | {PARTICIPANT, FORM}
    fixed: dict[str, int] = {}
    answers: list[tuple[int, AnswerColumn]] = []
    seen: dict[str, int] = {}
    time_column: int | None = None
    for index, header in enumerate(table.header):
        name = _column_name(header, known)
        if name is None:
            if header.casefold().rsplit("/", 1)[-1] in SUBMISSION_TIME_COLUMNS or header.casefold() in SUBMISSION_TIME_COLUMNS:
                time_column = index
            if _is_server_column(header) or not header:
                continue
            raise InputDataError(f"{table.where(1, index)}: not a question of the item bank nor a KoboToolbox/ODK "
                                 "column; name it by an item id (as in the answer sheet of wpskit paper) or delete it")
        if name in seen:
            raise InputDataError(f"{table.where(1, index)}: holds {name}, like column "
                                 f"{get_column_letter(seen[name] + 1)}; keep one of them")
        seen[name] = index
        if name in (PARTICIPANT, FORM):
            fixed[name] = index
        else:
            answers.append((index, columns[name]))
    if PARTICIPANT not in fixed:
        raise InputDataError(f"{table.path}: line 1 (header) has no column participant_id; the first line must name "
                             "the columns. From KoboToolbox, export with 'XML values and headers'")
    return fixed, answers, time_column


def _submission_time(table: Table, line: int, values: list[str], column: int | None) -> datetime | None:
    if column is None:
        return None
    text = values[column].strip()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise InputDataError(f"{table.where(line, column)}: '{text}' is not a date and time "
                             "like 2024-11-26T09:12:03") from error
    return moment.astimezone(timezone.utc).replace(tzinfo=None) if moment.tzinfo else moment


def _latest_rows(table: Table, rows: list[tuple[int, str, str, list[str]]], time_column: int | None,
                 warnings: list[str]) -> list[tuple[int, str, str, list[str]]]:
    """One row per participant and form: the latest submission; a repeated paper row is an error."""
    by_key: dict[tuple[str, str], list[tuple[int, str, str, list[str]]]] = defaultdict(list)
    for row in rows:
        by_key[(row[1], row[2])].append(row)
    kept, repeated = [], []
    for (participant_id, form_id), group in by_key.items():
        if len(group) > 1 and time_column is None:
            raise InputDataError(f"{table.where(group[1][0])}: {participant_id} / {form_id} is already on line "
                                 f"{group[0][0]}; keep one of the two rows")
        latest = max(group, key=lambda row: _submission_time(table, row[0], row[3], time_column) or datetime.min)
        if len(group) > 1:
            others = ", ".join(str(row[0]) for row in group if row is not latest)
            stamp = latest[3][time_column].strip() if time_column is not None else ""
            repeated.append(f"{participant_id}: line {latest[0]} ({stamp}), not line {others}")
        kept.append(latest)
    if repeated:
        warnings.append(f"Submitted more than once, the latest submission counts: {'; '.join(repeated)}")
    return sorted(kept)


def _assembled(item: Item, cells: list[Cell], table: Table, line: int) -> Any:
    """One answer from its columns: the whole answer, or one per position or option (tablets)."""
    whole = [cell for cell in cells if cell.column.part == "answer" and cell.text.strip()]
    parts = [cell for cell in cells if cell.column.part in ("position", "option") and cell.text.strip()]
    if whole and parts:
        raise InputDataError(f"{table.where(line, parts[0].index)}: {item.id} is answered in column "
                             f"{get_column_letter(whole[0].index + 1)} too; keep one")
    if whole:
        value = parse_response(item, whole[0].text, table.where(line, whole[0].index))
    elif parts and item.type == "match":
        value = {cell.column.key: _option(item, cell.text.strip(), table.where(line, cell.index), item.targets)
                 for cell in parts}
    elif parts:
        value = _positions(item, [c for c in cells if c.column.part == "position"], table, line)
    else:
        value = None
    details = [cell for cell in cells if cell.column.part == "detail" and cell.text.strip()]
    if item.type == "multi" and details:
        ticked = sorted(cell.column.key for cell in details if cell.text.strip() not in ("0", "0.0", "False", "false"))
        if not whole:
            return ticked or None
        for cell in details:
            if (cell.column.key in (value or [])) != (cell.column.key in ticked):
                raise InputDataError(f"{table.where(line, cell.index)}: says {cell.text.strip()} but the answer in "
                                     f"column {get_column_letter(whole[0].index + 1)} is '{whole[0].text.strip()}'")
    return value


def _positions(item: Item, cells: list[Cell], table: Table, line: int) -> list[str]:
    order: list[str] = []
    for cell in sorted(cells, key=lambda cell: int(cell.column.key)):
        where = table.where(line, cell.index)
        if not cell.text.strip():
            raise InputDataError(f"{where}: position {cell.column.key} of {item.id} is empty; an order answer "
                                 "puts every option in a position")
        option = _option(item, cell.text.strip(), where)
        if option in order:
            raise InputDataError(f"{where}: '{option}' is already in an earlier position of {item.id}")
        order.append(option)
    if len(order) != len(item.options):
        raise InputDataError(f"{table.where(line)}: {item.id} needs a column for each of its {len(item.options)} positions")
    return order


def _wide_scores(table: Table, bank: ItemBank, participants: set[str], form: str | None,
                 warnings: list[str]) -> list[ImportedScore]:
    fixed, answers, time_column = _wide_layout(table, bank)
    if FORM not in fixed and form is None:
        raise InputDataError(f"{table.path}: no column 'form'; name the form, e.g. --form pre "
                             f"(the forms are {', '.join(sorted(bank.forms))})")
    rows = []
    for line, values in table.rows:
        participant_id = clean_text(values[fixed[PARTICIPANT]]).lower()
        form_id = form or clean_text(values[fixed[FORM]]).lower()
        if FORM in fixed and form and clean_text(values[fixed[FORM]]).lower() not in ("", form):
            raise InputDataError(f"{table.where(line, fixed[FORM])}: form '{values[fixed[FORM]]}', not {form}")
        if not participant_id:
            raise InputDataError(f"{table.where(line, fixed[PARTICIPANT])}: empty; whose answers are these? "
                                 "Write the participant id")
        if participant_id not in participants:
            raise InputDataError(f"{table.where(line)}: participant '{participant_id}' is not in the course; "
                                 "import the roster first (wpskit roster import)")
        if form_id not in bank.forms:
            raise InputDataError(f"{table.where(line)}: no form '{form_id}'; the forms are {', '.join(sorted(bank.forms))}")
        rows.append((line, participant_id, form_id, values))
    scores = []
    for line, participant_id, form_id, values in _latest_rows(table, rows, time_column, warnings):
        by_item: dict[str, list[Cell]] = defaultdict(list)
        for index, column in answers:
            by_item[column.item.id].append(Cell(index, column, values[index]))
        for item_id, cells in by_item.items():
            item = bank.items[item_id]
            if item_id not in bank.forms[form_id].items:
                written = next((cell for cell in cells if cell.text.strip()), None)
                if written:
                    raise InputDataError(f"{table.where(line, written.index)}: item '{item_id}' is not in form '{form_id}'")
                continue
            response = _assembled(item, cells, table, line)
            score_cell = next((cell for cell in cells if cell.column.part == "score"), None)
            score = _parse_score(item, score_cell.text, table.where(line, score_cell.index)) if score_cell else None
            if score is None and item.is_auto_graded:
                score = score_answer(item, response)
            scores.append(ImportedScore(line, participant_id, form_id, item, score, response))
    return scores


def _tidy_scores(table: Table, bank: ItemBank, participants: set[str]) -> list[ImportedScore]:
    header = [name.casefold() for name in table.header]
    missing = [name for name in ("participant_id", "form", "item_id") if name not in header]
    if missing:
        raise InputDataError(f"{table.path}: line 1 (header) has no column {', '.join(missing)}")
    scores: list[ImportedScore] = []
    first_seen: dict[tuple[str, str, str], int] = {}
    for line, values in table.rows:
        row = dict(zip(header, values))
        where = table.where(line)
        participant_id, form_id, item_id = (clean_text(row[name]) for name in ("participant_id", "form", "item_id"))
        if participant_id not in participants:
            raise InputDataError(f"{where}: participant '{participant_id}' is not in the course; "
                                 "import the roster first (wpskit roster import)")
        if form_id not in bank.forms:
            raise InputDataError(f"{where}: no form '{form_id}'; the forms are {', '.join(sorted(bank.forms))}")
        if item_id not in bank.forms[form_id].items:
            raise InputDataError(f"{where}: item '{item_id}' is not in form '{form_id}'")
        key = (participant_id, form_id, item_id)
        if key in first_seen:
            raise InputDataError(f"{where}: {participant_id} / {form_id} / {item_id} is already on line {first_seen[key]}")
        first_seen[key] = line
        item = bank.items[item_id]
        response = parse_response(item, row.get("response", ""), f"{where}, item {item_id}")
        score = _parse_score(item, row.get("score", ""), f"{where}, item {item_id}")
        if score is None and item.is_auto_graded:
            score = score_answer(item, response)
        scores.append(ImportedScore(line, participant_id, form_id, item, score, response))
    return scores


def read_scores_file(path: Path | str, bank: ItemBank, participants: set[str], form: str | None = None) -> ScoresFile:
    """Validate a whole tidy or wide scores CSV against the item bank and the course's participants."""
    table = read_table(Path(path))
    warnings: list[str] = []
    if form is not None and form not in bank.forms:
        raise InputDataError(f"no form '{form}'; the forms are {', '.join(sorted(bank.forms))}")
    if "item_id" in (name.casefold() for name in table.header):
        scores = _tidy_scores(table, bank, participants)
    else:
        scores = _wide_scores(table, bank, participants, form, warnings)
    if not scores:
        raise InputDataError(f"{path}: no answers or scores below the header line")
    return ScoresFile(scores, warnings)


@dataclass(frozen=True)
class ImportResult:
    changed: int
    unchanged: int
    submissions: int
    warnings: list[str] = field(default_factory=list)

    noun: str = "scores"

    def summary(self) -> str:
        whom = "1 participant's form" if self.submissions == 1 else f"{self.submissions} participants' forms"
        return f"{self.changed} {self.noun} written, {self.unchanged} unchanged, for {whom}"


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


def _current_score(gradebook, row: ImportedScore) -> float | None:
    try:
        grade = gradebook.find_grade(row.item.id, row.form, row.form, row.participant_id)
    except Exception:  # nbgrader's MissingEntry: nothing graded yet
        return None
    return grade.manual_score if grade.manual_score is not None else grade.auto_score


def _online_conflicts(course: Course, gradebook, rows: list[ImportedScore]) -> list[str]:
    """For each participant who also answered online: the scores this file would change."""
    online = {(pid, form) for form in {row.form for row in rows} for pid in submitted_participants(course, form)}
    lines = []
    for participant_id, form_id in sorted({(row.participant_id, row.form) for row in rows} & online):
        changes = []
        for row in rows:
            if (row.participant_id, row.form) == (participant_id, form_id) and row.score is not None:
                before = _current_score(gradebook, row)
                if before is None or abs(before - row.score) > 1e-9:
                    changes.append(f"{row.item.id} {'not graded' if before is None else f'{before:g}'} → {row.score:g}")
        if changes:
            lines.append(f"{participant_id} / {form_id} (answered online, course/submitted/{participant_id}/{form_id}): "
                         + ", ".join(changes))
    return lines


def import_scores(course_root: Path | str, scores_csv: Path | str, assessments: Path | str = "assessments",
                  form: str | None = None, replace: bool = False) -> ImportResult:
    """Write the answers and scores of a paper-form or offline-tablet CSV into the course's gradebook.

    `form` names the form when the file has no ``form`` column. Scores of a participant who
    also answered online are only replaced with `replace`; otherwise nothing is written and
    the error lists what would change.
    """
    course = open_course(course_root)
    bank = load_item_bank(assessments)
    survey = load_survey(assessments, bank.objectives)
    if survey is not None:
        table = read_table(Path(scores_csv))
        if _is_survey_sheet(table, survey, form):
            return import_paper_survey(course, table, survey)
    with open_gradebook(course) as gradebook:
        participants = {student.id for student in gradebook.students}
        generated = {assignment.name for assignment in gradebook.assignments}
        checked = read_scores_file(scores_csv, bank, participants, form)
        rows = checked.scores
        missing = sorted({row.form for row in rows} - generated)
        if missing:
            raise InputDataError(f"{scores_csv}: form {', '.join(missing)} is not built in the course yet; "
                                 "run `wpskit course build`")
        conflicts = [] if replace else _online_conflicts(course, gradebook, rows)
        if conflicts:
            raise InputDataError(f"{scores_csv}: would replace answers given online; nothing was imported. "
                                 "Check the file, or import again with --replace to keep the file's answers:\n  "
                                 + "\n  ".join(conflicts))
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
    return ImportResult(changed=changed, unchanged=unchanged, submissions=len(submissions), warnings=checked.warnings)


def _is_survey_sheet(table: Table, survey: Survey, form: str | None) -> bool:
    """The answer sheet of ``wpskit paper survey``: named by --form, or every row's form is the survey."""
    if form is not None:
        return form == survey.id
    names = [name.casefold() for name in table.header]
    if FORM not in names or not table.rows:
        return False
    column = names.index(FORM)
    return all(clean_text(values[column]).lower() == survey.id for _, values in table.rows)


def import_paper_survey(course: Course, table: Table, survey: Survey) -> ImportResult:
    """Survey answers typed from paper into ``imported/<id>/<survey>/``, where the report reads them.

    Levels are 1-5, comments free text, a blank cell not answered; the whole sheet is checked
    before anything is written. Someone who answered the survey online keeps that answer: their
    row is refused, since the report would count one participant twice.
    """
    with open_gradebook(course) as gradebook:
        participants = {student.id for student in gradebook.students}
    comments = {question.id for question in survey.of_kind("comment")}
    known = set(answer_ids(survey))
    names = [clean_text(name).casefold() for name in table.header]
    for index, name in enumerate(names):
        if name not in known | {PARTICIPANT, FORM} and name:
            raise InputDataError(f"{table.where(1, index)}: not a question of the survey; use the answer sheet "
                                 f"of `wpskit paper {survey.id}` or delete the column")
    if PARTICIPANT not in names:
        raise InputDataError(f"{table.path}: line 1 (header) has no column participant_id")
    online = set(submitted_participants(course, survey.id))
    answers: dict[str, dict[str, Any]] = {}
    for line, values in table.rows:
        participant_id = clean_text(values[names.index(PARTICIPANT)]).lower()
        if participant_id not in participants:
            raise InputDataError(f"{table.where(line)}: participant '{participant_id}' is not in the course; "
                                 "import the roster first (wpskit roster import)")
        if participant_id in answers:
            raise InputDataError(f"{table.where(line)}: '{participant_id}' is on two lines; keep one of them")
        if participant_id in online:
            raise InputDataError(f"{table.where(line)}: '{participant_id}' answered the survey online "
                                 f"(course/submitted/{participant_id}/{survey.id}); delete this line")
        mine = {}
        for index, name in enumerate(names):
            text = clean_text(values[index])
            if name not in known or not text:
                continue
            if name in comments:
                mine[name] = text
            elif text in {str(level) for level in LEVELS}:
                mine[name] = int(text)
            else:
                raise InputDataError(f"{table.where(line, index)}: '{text}' is not a level; write 1, 2, 3, 4 or 5 "
                                     "as circled, or leave it blank")
        answers[participant_id] = mine
    changed = unchanged = 0
    for participant_id, mine in answers.items():
        folder = course.root / IMPORTED / participant_id / survey.id
        folder.mkdir(parents=True, exist_ok=True)
        store = ResponseStore(survey.id, directory=folder)
        for answer_id, value in mine.items():
            if store.value(answer_id) == value:
                unchanged += 1
            else:
                store.save(answer_id, value)
                changed += 1
    return ImportResult(changed=changed, unchanged=unchanged, submissions=len(answers), noun="answers")
