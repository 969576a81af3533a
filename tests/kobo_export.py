"""CSV exports written the way KoboToolbox and ODK Central write them, for a real XLSForm file.

KoboToolbox (kobotoolbox/formpack, ``reporting/export.py`` and ``schema/fields.py``), with
the export dialog's defaults and "XML values and headers": fields separated by ``;``, every
field quoted, a question's header its group path joined by ``/`` (or its bare name with
"include groups in headers" off), a select-multiple as its choice names separated by
spaces followed by one column per choice (``1``/``0``, all empty when unanswered), and the
server's columns ``_id, _uuid, _submission_time, ...`` at the end.

ODK Central (``/v1/projects/…/forms/…/submissions.csv``): ``,``-separated, ``SubmissionDate``
first, group paths joined by ``-``, a select-multiple as names separated by spaces only,
and ``meta-instanceID, KEY, SubmitterID, ...`` at the end.
"""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

KOBO_TAIL = ["_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status", "_submitted_by",
             "__version__", "_tags", "_index"]
CENTRAL_TAIL = ["meta-instanceID", "KEY", "SubmitterID", "SubmitterName", "AttachmentsPresent",
                "AttachmentsExpected", "Status", "ReviewState", "DeviceID", "Edits", "FormVersion"]


@dataclass(frozen=True)
class Question:
    path: tuple[str, ...]
    name: str
    type: str
    choices: list[str]


def read_questions(xlsform: Path, outer_group: str | None = None) -> list[Question]:
    """The fields of an XLSForm as its exports list them: every question and calculate, in order.

    `outer_group` wraps the whole form in one more group, as a facilitator who edited the
    form in KoboToolbox's builder might have done."""
    book = load_workbook(xlsform)

    def rows(sheet: str) -> list[dict[str, Any]]:
        values = list(book[sheet].iter_rows(values_only=True))
        return [dict(zip(values[0], row)) for row in values[1:]]

    choices: dict[str, list[str]] = {}
    for row in rows("choices"):
        choices.setdefault(row["list_name"], []).append(str(row["name"]))
    path: list[str] = [outer_group] if outer_group else []
    questions = []
    for row in rows("survey"):
        kind = row["type"]
        if kind == "begin_group":
            path.append(row["name"])
        elif kind == "end_group":
            path.pop()
        else:
            base, _, list_name = kind.partition(" ")
            questions.append(Question(tuple(path), row["name"], base, choices.get(list_name, [])))
    return questions


def _value(question: Question, answer: Any) -> str:
    if answer is None:
        return ""
    if question.type == "select_multiple":
        return " ".join(answer)
    return str(answer)


def kobo_csv(questions: list[Question], submissions: list[dict[str, Any]], groups_in_headers: bool = True) -> str:
    """KoboToolbox's CSV export: one dict of {question name: answer} per submission, with `_submission_time`."""
    def header(question: Question) -> str:
        return "/".join((*question.path, question.name)) if groups_in_headers else question.name

    columns = []
    for question in questions:
        columns.append(header(question))
        if question.type == "select_multiple":
            columns += [f"{header(question)}/{choice}" for choice in question.choices]
    lines = [columns + KOBO_TAIL]
    for index, submission in enumerate(submissions, start=1):
        row = []
        for question in questions:
            answer = submission.get(question.name)
            row.append(_value(question, answer))
            if question.type == "select_multiple":
                row += [("1" if choice in answer else "0") if answer is not None else "" for choice in question.choices]
        row += [str(1000 + index), str(uuid.uuid4()), submission["_submission_time"], "", "", "submitted_via_web",
                "", "vYxN4nFmPqJ8kD", "", str(index)]
        lines.append(row)
    quote = '"'
    return "\n".join(quote + '";"'.join(cell.replace(quote, quote * 2) for cell in line) + quote for line in lines) + "\n"


def central_csv(questions: list[Question], submissions: list[dict[str, Any]]) -> str:
    """ODK Central's submissions.csv: `SubmissionDate` first, group paths joined by '-'."""
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(["SubmissionDate", *("-".join((*q.path, q.name)) for q in questions), *CENTRAL_TAIL])
    for submission in submissions:
        instance = f"uuid:{uuid.uuid4()}"
        writer.writerow([submission["_submission_time"] + ".000Z",
                         *(_value(q, submission.get(q.name)) for q in questions),
                         instance, instance, "5", "tablet-3", "0", "0", "", "received", "collect:abc123", "0", "x1"])
    return stream.getvalue()
