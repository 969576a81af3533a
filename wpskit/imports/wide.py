"""The wide layout: a row per participant, a column per question (paper answer sheet, KoboToolbox, ODK Central)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from openpyxl.utils import get_column_letter

from wpskit.errors import InputDataError
from wpskit.imports.cells import option_key, parse_response, parse_score
from wpskit.imports.table import Table
from wpskit.imports.tidy import ImportedScore
from wpskit.items import Item, ItemBank
from wpskit.roster import KNOWN_COLUMNS, clean_text
from wpskit.scoring import score_answer
from wpskit.words import label
from wpskit.xlsform import FORM, PARTICIPANT, AnswerColumn, answer_columns

# Columns KoboToolbox (formpack) and ODK Central add around the answers, lowercased.
SERVER_COLUMNS = {
    "start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber", "username", "audit",
    "instanceid", "deprecatedid", "instancename", "__version__", "submissiondate", "key", "submitterid",
    "submittername", "attachmentspresent", "attachmentsexpected", "status", "reviewstate", "edits", "formversion",
}
SUBMISSION_TIME_COLUMNS = ("_submission_time", "submissiondate")


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
            raise InputDataError(label("error.imports_wide_unknown_column", where=table.where(1, index)))
        if name in seen:
            raise InputDataError(label("error.imports_wide_column_twice", where=table.where(1, index), item=name,
                                       other=get_column_letter(seen[name] + 1)))
        seen[name] = index
        if name in (PARTICIPANT, FORM):
            fixed[name] = index
        else:
            answers.append((index, columns[name]))
    if PARTICIPANT not in fixed:
        raise InputDataError(label("error.imports_wide_no_participant_column", file=table.path))
    return fixed, answers, time_column


def _submission_time(table: Table, line: int, values: list[str], column: int | None) -> datetime | None:
    if column is None:
        return None
    text = values[column].strip()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise InputDataError(label("error.imports_wide_not_a_time", where=table.where(line, column), text=text)) from error
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
            raise InputDataError(label("error.imports_wide_repeated_row", where=table.where(group[1][0]),
                                       participant=participant_id, form=form_id, first=group[0][0]))
        latest = max(group, key=lambda row: _submission_time(table, row[0], row[3], time_column) or datetime.min)
        if len(group) > 1:
            others = ", ".join(str(row[0]) for row in group if row is not latest)
            stamp = latest[3][time_column].strip() if time_column is not None else ""
            repeated.append(label("cli.import_latest_row", participant=participant_id, line=latest[0], stamp=stamp,
                                  others=others))
        kept.append(latest)
    if repeated:
        warnings.append(label("cli.import_submitted_twice", rows="; ".join(repeated)))
    return sorted(kept)


def _assembled(item: Item, cells: list[Cell], table: Table, line: int) -> Any:
    """One answer from its columns: the whole answer, or one per position or option (tablets)."""
    whole = [cell for cell in cells if cell.column.part == "answer" and cell.text.strip()]
    parts = [cell for cell in cells if cell.column.part in ("position", "option") and cell.text.strip()]
    if whole and parts:
        raise InputDataError(label("error.imports_wide_answered_twice", where=table.where(line, parts[0].index), item=item.id,
                                   other=get_column_letter(whole[0].index + 1)))
    if whole:
        value = parse_response(item, whole[0].text, table.where(line, whole[0].index))
    elif parts and item.type == "match":
        value = {cell.column.key: option_key(item, cell.text.strip(), table.where(line, cell.index), item.targets)
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
                raise InputDataError(label("error.imports_wide_tick_disagrees", where=table.where(line, cell.index),
                                           text=cell.text.strip(), other=get_column_letter(whole[0].index + 1),
                                           answer=whole[0].text.strip()))
    return value


def _positions(item: Item, cells: list[Cell], table: Table, line: int) -> list[str]:
    order: list[str] = []
    for cell in sorted(cells, key=lambda cell: int(cell.column.key)):
        where = table.where(line, cell.index)
        if not cell.text.strip():
            raise InputDataError(label("error.imports_wide_empty_position", where=where, position=cell.column.key, item=item.id))
        option = option_key(item, cell.text.strip(), where)
        if option in order:
            raise InputDataError(label("error.imports_wide_position_repeated", where=where, option=option, item=item.id))
        order.append(option)
    if len(order) != len(item.options):
        raise InputDataError(label("error.imports_wide_positions_missing", where=table.where(line), item=item.id,
                                   count=len(item.options)))
    return order


def wide_scores(table: Table, bank: ItemBank, participants: set[str], form: str | None,
                 warnings: list[str]) -> list[ImportedScore]:
    fixed, answers, time_column = _wide_layout(table, bank)
    if FORM not in fixed and form is None:
        raise InputDataError(label("error.imports_wide_no_form_column", file=table.path, forms=", ".join(sorted(bank.forms))))
    rows = []
    for line, values in table.rows:
        participant_id = clean_text(values[fixed[PARTICIPANT]]).lower()
        form_id = form or clean_text(values[fixed[FORM]]).lower()
        if FORM in fixed and form and clean_text(values[fixed[FORM]]).lower() not in ("", form):
            raise InputDataError(label("error.imports_wide_other_form", where=table.where(line, fixed[FORM]),
                                       found=values[fixed[FORM]], form=form))
        if not participant_id:
            raise InputDataError(label("error.imports_wide_no_participant", where=table.where(line, fixed[PARTICIPANT])))
        if participant_id not in participants:
            raise InputDataError(label("error.imports_not_in_course", where=table.where(line), participant=participant_id))
        if form_id not in bank.forms:
            raise InputDataError(label("error.imports_no_such_form", where=table.where(line), form=form_id,
                                       forms=", ".join(sorted(bank.forms))))
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
                    raise InputDataError(label("error.imports_item_not_in_form", where=table.where(line, written.index),
                                               item=item_id, form=form_id))
                continue
            response = _assembled(item, cells, table, line)
            score_cell = next((cell for cell in cells if cell.column.part == "score"), None)
            score = parse_score(item, score_cell.text, table.where(line, score_cell.index)) if score_cell else None
            if score is None and item.is_auto_graded:
                score = score_answer(item, response)
            scores.append(ImportedScore(line, participant_id, form_id, item, score, response))
    return scores
