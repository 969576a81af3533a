"""A whole scores file read and checked against the item bank and the course, before anything is written."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from wpskit.errors import InputDataError
from wpskit.imports.table import read_table
from wpskit.imports.tidy import ImportedScore, tidy_scores
from wpskit.imports.wide import wide_scores
from wpskit.items import ItemBank
from wpskit.words import label


@dataclass(frozen=True)
class ScoresFile:
    """A checked scores file: its scores and what the reader chose for the facilitator (resubmissions)."""

    scores: list[ImportedScore]
    warnings: list[str] = field(default_factory=list)


def read_scores_file(path: Path | str, bank: ItemBank, participants: set[str], form: str | None = None) -> ScoresFile:
    """Validate a whole tidy or wide scores CSV against the item bank and the course's participants."""
    table = read_table(Path(path))
    warnings: list[str] = []
    if form is not None and form not in bank.forms:
        raise InputDataError(label("error.unknown_form", form=form, forms=", ".join(sorted(bank.forms))))
    if "item_id" in (name.casefold() for name in table.header):
        scores = tidy_scores(table, bank, participants)
    else:
        scores = wide_scores(table, bank, participants, form, warnings)
    if not scores:
        raise InputDataError(label("error.imports_nothing_below_header", file=path))
    return ScoresFile(scores, warnings)
