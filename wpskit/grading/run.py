"""``autograde``: every submission of a form, the changed ones only, in parallel where wpskit can."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from wpskit.course import require_generated
from wpskit.grading.ledger import read_ledger, submission_digest, write_ledger
from wpskit.grading.outcome import AutogradeResult, Outcome
from wpskit.grading.parallel import grade_in_parallel, sanitized_notebooks
from wpskit.layout import open_course, submitted_participants
from wpskit.nbgrader_api import nbgrader_api, open_gradebook


def failure_reason(result: dict) -> str:
    """nbgrader's own words for a failed autograde: its first error line, else the traceback's last."""
    for line in (result.get("log") or "").splitlines():
        if "[ERROR]" in line or "ERROR |" in line:
            return line.split("]", 1)[-1].strip() if "]" in line else line.strip()
    return ((result.get("error") or "unknown error").strip().splitlines() or ["unknown error"])[-1]


def autograde(course_root: Path | str, form_id: str, workers: int | None = None, regrade: bool = False,
              on_progress: Callable[[Outcome], None] | None = None) -> AutogradeResult:
    """Autograde every submission of a form with nbgrader's steps, ``workers`` at a time.

    Submissions graded before and unchanged since are left alone unless ``regrade``; one
    failure does not stop the rest. Participants missing from the gradebook are added first
    (nbgrader refuses unknown ones), so a submission from someone not on the roster is graded.
    """
    course = open_course(course_root)
    require_generated(course, form_id)
    result = AutogradeResult(form=form_id)
    participants = submitted_participants(course, form_id)
    ledger = {} if regrade else read_ledger(course, form_id)
    digests = {pid: submission_digest(course, form_id, pid) for pid in participants}
    todo = [pid for pid in participants if ledger.get(pid) != digests[pid]]
    ledger = {pid: digest for pid, digest in ledger.items() if pid in participants and pid not in todo}

    def record(outcome: Outcome) -> None:
        result.outcomes.append(outcome)
        if outcome.status == "graded":
            ledger[outcome.participant_id] = digests[outcome.participant_id]
            write_ledger(course, form_id, ledger)
        if on_progress:
            on_progress(outcome)

    for pid in participants:
        if pid not in todo:
            record(Outcome(pid, "unchanged"))
    if not todo:
        return result
    api = nbgrader_api(course)
    notebooks = sanitized_notebooks(api, course, form_id)
    with open_gradebook(course) as gradebook:
        known = {student.id for student in gradebook.students}
        for pid in sorted(set(todo) - known):
            gradebook.add_student(pid)
        late = gradebook.find_assignment(form_id).duedate is not None
    complete = [] if notebooks is None else [
        pid for pid in todo
        if all((course.root / "submitted" / pid / form_id / f"{name}.ipynb").is_file() for name in notebooks)]
    for pid in todo:  # nbgrader's own pipeline, one at a time, for what the fast path cannot grade
        if pid not in complete:
            outcome = api.autograde(form_id, pid, force=True, create=True)
            record(Outcome(pid, "graded") if outcome["success"] else Outcome(pid, "failed", failure_reason(outcome)))
    if notebooks is not None and complete:
        grade_in_parallel(api, course, form_id, complete, notebooks, late, workers, record)
    return result
