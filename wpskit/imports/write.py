"""A checked scores file written into the course: grades in the gradebook, answers under ``imported/``."""

from __future__ import annotations

from pathlib import Path

from wpskit.errors import InputDataError
from wpskit.imports.read import read_scores_file
from wpskit.imports.result import ImportResult
from wpskit.imports.survey import import_paper_survey, is_survey_sheet
from wpskit.imports.table import read_table
from wpskit.imports.tidy import ImportedScore
from wpskit.items import ItemBank, load_item_bank
from wpskit.layout import IMPORTED, Course, open_course, submitted_participants
from wpskit.nbgrader_api import open_gradebook
from wpskit.responses import ResponseStore
from wpskit.survey import load_survey
from wpskit.words import label


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
                    was = label("error.imports_not_graded") if before is None else f"{before:g}"
                    changes.append(f"{row.item.id} {was} → {row.score:g}")
        if changes:
            lines.append(label("error.imports_online_conflict", participant=participant_id, form=form_id,
                               folder=f"course/submitted/{participant_id}/{form_id}", changes=", ".join(changes)))
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
        if is_survey_sheet(table, survey, form):
            return import_paper_survey(course, table, survey)
    with open_gradebook(course) as gradebook:
        participants = {student.id for student in gradebook.students}
        generated = {assignment.name for assignment in gradebook.assignments}
        checked = read_scores_file(scores_csv, bank, participants, form)
        rows = checked.scores
        missing = sorted({row.form for row in rows} - generated)
        if missing:
            raise InputDataError(label("error.imports_form_not_built", file=scores_csv, forms=", ".join(missing)))
        conflicts = [] if replace else _online_conflicts(course, gradebook, rows)
        if conflicts:
            raise InputDataError(label("error.imports_would_replace_online", file=scores_csv) + "\n  " + "\n  ".join(conflicts))
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
