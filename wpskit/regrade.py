"""Regrade a form after its key was corrected, once participants have already submitted it.

``wpskit course build`` refuses a form that changed after submissions (the answers would no
longer match the questions). A wrong key is the one change that keeps them matching: the
questions participants saw are the same, only the hidden tests that score them differ. So
``regrade`` accepts exactly that — every cell but the hidden tests unchanged — regenerates the
form with nbgrader (its gradebook then holds the corrected tests), grades every online
submission again through nbgrader (``wpskit.grading.autograde``), scores the answers imported
from paper with the corrected key, and says which scores changed, participant by item.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from wpskit.build import form_notebook, write_if_changed
from wpskit.course import require_generated
from wpskit.errors import CourseError
from wpskit.grading import autograde
from wpskit.items import ItemBank, load_item_bank
from wpskit.layout import IMPORTED, Course, open_course
from wpskit.nbgrader_api import check_nbgrader_result, nbgrader_api, open_gradebook
from wpskit.responses import SUFFIX, read_responses
from wpskit.scoring import score_answer
from wpskit.words import label


@dataclass(frozen=True)
class ScoreChange:
    participant_id: str
    item_id: str
    before: float | None
    after: float | None


@dataclass
class RegradeResult:
    """What a regrade changed; ``lines()`` is what the command prints."""

    form: str
    regraded: list[str]
    changes: list[ScoreChange] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)

    def lines(self) -> list[str]:
        people = len({change.participant_id for change in self.changes})
        whom = "1 participant" if people == 1 else f"{people} participants"
        count = "1 score" if len(self.changes) == 1 else f"{len(self.changes)} scores"
        forms = "1 submission" if len(self.regraded) == 1 else f"{len(self.regraded)} submissions"
        lines = [f"Regraded '{self.form}' with the corrected key: {forms}; {count} changed for {whom}."]
        by_item: dict[str, list[ScoreChange]] = defaultdict(list)
        for change in self.changes:
            by_item[change.item_id].append(change)
        for item_id, changes in sorted(by_item.items()):
            lines.append(f"  {item_id}: " + ", ".join(
                f"{c.participant_id} {_points(c.before)} → {_points(c.after)}" for c in changes))
        return lines


def _points(score: float | None) -> str:
    return "not graded" if score is None else f"{score:g}"


def form_scores(course: Course, form_id: str) -> dict[tuple[str, str], float | None]:
    """(participant, item) -> the score the gradebook holds for it (a hand grade first)."""
    with open_gradebook(course) as gradebook:
        return {(submission.student.id, grade.name): grade.score
                for submission in gradebook.assignment_submissions(form_id)
                for notebook in submission.notebooks for grade in notebook.grades}


def _graded_cells(notebook: nbformat.NotebookNode) -> set[int]:
    return {index for index, cell in enumerate(notebook.cells) if cell.metadata.get("nbgrader", {}).get("grade")}


def check_only_keys_changed(old: nbformat.NotebookNode, new: nbformat.NotebookNode, form_id: str) -> None:
    """Refuse a change participants would have seen: every cell but the hidden tests must be the same."""
    same_cells = ([cell.metadata.get("nbgrader", {}).get("grade_id") for cell in old.cells]
                  == [cell.metadata.get("nbgrader", {}).get("grade_id") for cell in new.cells])
    changed = [new.cells[i].metadata["nbgrader"]["grade_id"] for i in range(len(new.cells))
               if same_cells and i not in _graded_cells(new) and old.cells[i].source != new.cells[i].source]
    if not same_cells or changed:
        if changed:
            raise CourseError(label("error.regrade_questions_changed", form=form_id, items=", ".join(changed)))
        raise CourseError(label("error.regrade_questions_moved", form=form_id))


def _score_imported(course: Course, bank: ItemBank, form_id: str) -> None:
    """Score again, with the corrected key, the answers imported from paper or tablets (they win over
    online answers for the items they hold, as at import)."""
    items = {item.id: item for item in bank.form_items(form_id) if item.is_auto_graded}
    with open_gradebook(course) as gradebook:
        for path in sorted((course.root / IMPORTED).glob(f"*/{form_id}/{form_id}{SUFFIX}")):
            participant_id = path.parent.parent.name
            for item_id, answer in read_responses(path).answers.items():
                if item_id in items:
                    grade = gradebook.find_grade(item_id, form_id, form_id, participant_id)
                    grade.auto_score, grade.needs_manual_grade = score_answer(items[item_id], answer.value), False
        gradebook.db.commit()


def regrade(course_root: Path | str, form_id: str, assessments: Path | str = "assessments",
            workers: int | None = None) -> RegradeResult:
    """Regenerate `form_id` from the corrected item bank and score every submission again.

    Only the hidden tests (keys) may differ from the form as built; anything a participant saw
    must be unchanged, or nothing is written. Hand grades of written answers are kept.
    """
    course = open_course(course_root)
    require_generated(course, form_id)
    bank = load_item_bank(assessments)
    source = course.root / "source" / form_id / f"{form_id}.ipynb"
    if form_id not in bank.forms or not source.is_file():
        raise CourseError(label("error.regrade_not_a_form", form=form_id, assessments=assessments))
    old_text = source.read_text(encoding="utf-8")
    new = form_notebook(bank, form_id)
    check_only_keys_changed(nbformat.reads(old_text, as_version=4), new, form_id)
    before = form_scores(course, form_id)
    if write_if_changed(new, source):
        try:
            check_nbgrader_result(nbgrader_api(course).generate_assignment(form_id, force=True, create=True),
                                  label("error.nbgrader_regenerate", form=form_id))
        except Exception:
            source.write_text(old_text, encoding="utf-8")
            raise
    graded = autograde(course.root, form_id, workers=workers, regrade=True)
    _score_imported(course, bank, form_id)
    after = form_scores(course, form_id)
    changes = [ScoreChange(pid, item_id, before.get((pid, item_id)), score)
               for (pid, item_id), score in sorted(after.items())
               if (pid, item_id) in before and before[(pid, item_id)] != score]
    participants = sorted({pid for pid, _ in after})
    return RegradeResult(form=form_id, regraded=participants, changes=changes, failed=graded.failed)
