"""The roster (contract 3): who takes part, read from a UTF-8 CSV and validated once.

A participant id becomes a folder name in the nbgrader course (``submitted/<id>/pre``)
and, in a workshop room, a JupyterHub user name, which JupyterHub lowercases. So an id
is 1-32 characters from lowercase ``a-z``, digits, ``-`` and ``_``, starting with a
letter or digit: anything else would break a path or a login.

Gender is optional; a value given must be one of ``female``, ``male``, ``other``,
``undisclosed`` (Vietnamese ``nữ``, ``nam``, ``khác``, ``không tiết lộ`` and a few common
spellings are accepted and stored as the English code), so the report's gender groups
are never split by spelling. Other columns are free text; columns the design does not
name are kept as they are, for the report to read later.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from wpskit.errors import InputDataError
from wpskit.files import write_atomically
from wpskit.words import label

PARTICIPANT_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")
KNOWN_COLUMNS = ("participant_id", "name", "gender", "stakeholder_group", "organisation", "province", "email")
GENDER_CODES = {
    "female": "female", "f": "female", "woman": "female", "nữ": "female", "nu": "female",
    "male": "male", "m": "male", "man": "male", "nam": "male",
    "other": "other", "khác": "other", "khac": "other",
    "undisclosed": "undisclosed", "prefer not to say": "undisclosed", "không tiết lộ": "undisclosed",
}


@dataclass(frozen=True)
class Participant:
    participant_id: str
    name: str = ""
    gender: str = ""
    stakeholder_group: str = ""
    organisation: str = ""
    province: str = ""
    email: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    def as_row(self) -> dict[str, str]:
        known = {column: getattr(self, column) for column in KNOWN_COLUMNS}
        return {**known, **self.extra}


def clean_text(value: str | None) -> str:
    """NFC and single spaces: the same Vietnamese name typed on two keyboards compares equal."""
    return " ".join(unicodedata.normalize("NFC", value or "").split())


def decode_csv(path: Path) -> str:
    """Read a CSV as UTF-8 (a BOM, as Excel writes it, is accepted); refuse anything else."""
    if not path.is_file():
        raise InputDataError(label("error.csv_no_such_file", file=path))
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InputDataError(label("error.csv_not_utf8", file=path, line=line)) from error
    if not text.strip():
        raise InputDataError(label("error.csv_empty", file=path))
    return text


def read_csv_rows(path: Path, required: tuple[str, ...]) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Header and (line number, row) pairs of a UTF-8 CSV; refuse missing columns and ragged rows."""
    reader = csv.reader(io.StringIO(decode_csv(path), newline=""))
    header = [clean_text(name).lower() for name in next(reader)]
    missing = [name for name in required if name not in header]
    if missing:
        raise InputDataError(label("error.csv_missing_columns", file=path, columns=", ".join(missing), example=",".join(required)))
    rows = []
    for values in reader:
        line = reader.line_num
        if not any(value.strip() for value in values):
            continue
        if len(values) > len(header):
            raise InputDataError(label("error.csv_too_many_fields", file=path, line=line, found=len(values), expected=len(header)))
        rows.append((line, dict(zip(header, values + [""] * (len(header) - len(values))))))
    return header, rows


def _participant_from_row(path: Path, line: int, row: dict[str, str]) -> Participant:
    participant_id = clean_text(row["participant_id"])
    if not participant_id:
        raise InputDataError(label("error.roster_empty_id", file=path, line=line))
    if not PARTICIPANT_ID.match(participant_id):
        raise InputDataError(label("error.roster_unusable_id", file=path, line=line, id=participant_id,
                                   suggestion=_suggest_id(participant_id)))
    gender = clean_text(row.get("gender", ""))
    if gender:
        if gender.casefold() not in GENDER_CODES:
            raise InputDataError(label("error.roster_unknown_gender", file=path, line=line, gender=gender))
        gender = GENDER_CODES[gender.casefold()]
    known = {column: clean_text(row.get(column, "")) for column in KNOWN_COLUMNS[2:] if column != "gender"}
    extra = {column: clean_text(value) for column, value in row.items() if column not in KNOWN_COLUMNS and column}
    return Participant(participant_id=participant_id, name=clean_text(row.get("name", "")), gender=gender, extra=extra, **known)


def _suggest_id(raw: str) -> str:
    ascii_only = unicodedata.normalize("NFKD", raw.replace("đ", "d").replace("Đ", "D")).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9_-]+", "-", ascii_only.lower()).strip("-")[:32] or "p001"


def read_roster(path: Path | str) -> list[Participant]:
    """Validate a whole roster CSV; raise InputDataError naming the file, line and column."""
    path = Path(path)
    _, rows = read_csv_rows(path, required=("participant_id",))
    if not rows:
        raise InputDataError(label("error.roster_no_participants", file=path))
    participants: list[Participant] = []
    first_seen: dict[str, int] = {}
    for line, row in rows:
        participant = _participant_from_row(path, line, row)
        if participant.participant_id in first_seen:
            raise InputDataError(label("error.roster_duplicate_id", file=path, line=line, id=participant.participant_id,
                                       first=first_seen[participant.participant_id]))
        first_seen[participant.participant_id] = line
        participants.append(participant)
    return participants


def write_roster(path: Path, participants: list[Participant]) -> None:
    """Write the roster as UTF-8 CSV (no BOM), atomically: a reader never sees half a file."""
    columns = list(KNOWN_COLUMNS) + sorted({name for p in participants for name in p.extra})
    stream = io.StringIO(newline="")
    writer = csv.DictWriter(stream, fieldnames=columns, restval="")
    writer.writeheader()
    writer.writerows(p.as_row() for p in participants)
    write_atomically(path, stream.getvalue())
