"""The tidy layout, as ``wpskit export`` writes it: one row per participant x form x item."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wpskit.errors import InputDataError
from wpskit.imports.cells import parse_response, parse_score
from wpskit.imports.table import Table
from wpskit.items import Item, ItemBank
from wpskit.roster import clean_text
from wpskit.scores import STATUS, UNREADABLE_STATUSES
from wpskit.scoring import score_answer
from wpskit.words import label


@dataclass(frozen=True)
class ImportedScore:
    line: int
    participant_id: str
    form: str
    item: Item
    score: float | None
    response: Any


def tidy_scores(table: Table, bank: ItemBank, participants: set[str]) -> list[ImportedScore]:
    header = [name.casefold() for name in table.header]
    missing = [name for name in ("participant_id", "form", "item_id") if name not in header]
    if missing:
        raise InputDataError(label("error.imports_missing_columns", file=table.path, columns=", ".join(missing)))
    scores: list[ImportedScore] = []
    first_seen: dict[tuple[str, str, str], int] = {}
    for line, values in table.rows:
        row = dict(zip(header, values))
        if row.get(STATUS, "").strip() in UNREADABLE_STATUSES:  # exported without readable answers: no score
            continue
        where = table.where(line)
        participant_id, form_id, item_id = (clean_text(row[name]) for name in ("participant_id", "form", "item_id"))
        if participant_id not in participants:
            raise InputDataError(label("error.imports_not_in_course", where=where, participant=participant_id))
        if form_id not in bank.forms:
            raise InputDataError(label("error.imports_no_such_form", where=where, form=form_id, forms=", ".join(sorted(bank.forms))))
        if item_id not in bank.forms[form_id].items:
            raise InputDataError(label("error.imports_item_not_in_form", where=where, item=item_id, form=form_id))
        key = (participant_id, form_id, item_id)
        if key in first_seen:
            raise InputDataError(label("error.imports_tidy_repeated_row", where=where, participant=participant_id, form=form_id,
                                       item=item_id, first=first_seen[key]))
        first_seen[key] = line
        item = bank.items[item_id]
        response = parse_response(item, row.get("response", ""), label("error.where_item", where=where, item=item_id))
        score = parse_score(item, row.get("score", ""), label("error.where_item", where=where, item=item_id))
        if score is None and item.is_auto_graded:
            score = score_answer(item, response)
        scores.append(ImportedScore(line, participant_id, form_id, item, score, response))
    return scores
