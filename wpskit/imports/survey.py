"""The satisfaction survey's paper answer sheet into ``imported/<id>/<survey>/``, where the report reads it."""

from __future__ import annotations

from typing import Any

from wpskit.errors import InputDataError
from wpskit.imports.result import ImportResult
from wpskit.imports.table import Table
from wpskit.layout import IMPORTED, Course, submitted_participants
from wpskit.nbgrader_api import open_gradebook
from wpskit.responses import ResponseStore
from wpskit.roster import clean_text
from wpskit.survey import LEVELS, Survey, answer_ids
from wpskit.words import label
from wpskit.xlsform import FORM, PARTICIPANT


def is_survey_sheet(table: Table, survey: Survey, form: str | None) -> bool:
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
            raise InputDataError(label("error.imports_survey_unknown_column", where=table.where(1, index), survey=survey.id))
    if PARTICIPANT not in names:
        raise InputDataError(label("error.imports_missing_columns", file=table.path, columns=PARTICIPANT))
    online = set(submitted_participants(course, survey.id))
    answers: dict[str, dict[str, Any]] = {}
    for line, values in table.rows:
        participant_id = clean_text(values[names.index(PARTICIPANT)]).lower()
        if participant_id not in participants:
            raise InputDataError(label("error.imports_not_in_course", where=table.where(line), participant=participant_id))
        if participant_id in answers:
            raise InputDataError(label("error.imports_survey_two_lines", where=table.where(line), participant=participant_id))
        if participant_id in online:
            raise InputDataError(label("error.imports_survey_answered_online", where=table.where(line), participant=participant_id,
                                       folder=f"course/submitted/{participant_id}/{survey.id}"))
        mine: dict[str, Any] = {}
        for index, name in enumerate(names):
            text = clean_text(values[index])
            if name not in known or not text:
                continue
            if name in comments:
                mine[name] = text
            elif text in {str(level) for level in LEVELS}:
                mine[name] = int(text)
            else:
                raise InputDataError(label("error.imports_survey_not_a_level", where=table.where(line, index), text=text))
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
