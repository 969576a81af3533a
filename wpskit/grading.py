"""Autograde: wpskit's two steps inside nbgrader's own pipeline, and many submissions at once.

Whichever door starts nbgrader's autograde — ``wpskit autograde``, ``nbgrader autograde``
or formgrader's button — the course's ``nbgrader_config.py`` (written by ``wpskit course
init``, completed by ``wpskit course build``) puts two steps in nbgrader's ``Autograde``
converter:

- ``GradeReleasedNotebook`` (first sanitising step) grades the notebook as released, not
  as the participant left it: every answer lives in the responses file, so a deleted,
  duplicated or edited cell cannot change the grade (jupyter/nbgrader#1941) and code a
  participant added never runs with the grader's rights (#483). ``submitted/`` is not touched.
- ``ScoreResponses`` (in place of nbgrader's ``Execute``) computes each hidden test's result
  in-process with the same ``wpskit.autograde`` functions the kernel would call, when every
  code cell is one wpskit wrote; otherwise it runs the kernel as ``Execute`` does. nbgrader's
  own ``SaveAutoGrades`` then records the grades, so the gradebook holds what stock autograde
  would (``tests/test_parallel_autograde.py`` compares them cell by cell).

``autograde`` grades the submissions in worker processes. SQLite has one writer: every
gradebook transaction in a worker starts with ``BEGIN IMMEDIATE`` and waits its turn (a
deferred transaction that upgrades from read to write fails at once instead of waiting).
Each transaction is atomic, so a worker killed mid-run loses nothing already graded; a
ledger of graded submissions lets the next run finish the rest.
"""

from __future__ import annotations

import ast
import copy
import hashlib
import json
import os
import shutil
import warnings
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Callable, Literal

import nbformat
from nbformat.v4 import new_output
from nbgrader.coursedir import CourseDirectory
from nbgrader.api import Gradebook
from nbgrader.preprocessors import Execute, NbGraderPreprocessor, SaveAutoGrades
from sqlalchemy.exc import SAWarning
from traitlets import Bool

from wpskit.autograde import grader_view, points_and_reason
from wpskit.course import require_generated
from wpskit.files import write_atomically
from wpskit.layout import Course, open_course, submitted_participants
from wpskit.nbgrader_api import nbgrader_api, open_gradebook

class GradeReleasedNotebook(NbGraderPreprocessor):
    """Replace the submitted notebook by the released one before nbgrader sanitises it."""

    def preprocess(self, nb: nbformat.NotebookNode, resources: dict) -> tuple[nbformat.NotebookNode, dict]:
        coursedir = CourseDirectory(config=self.config)
        assignment, notebook = resources["nbgrader"]["assignment"], resources["nbgrader"]["notebook"]
        released = Path(coursedir.format_path(coursedir.release_directory, ".", assignment)) / f"{notebook}.ipynb"
        if not released.is_file():
            raise FileNotFoundError(f"{released}: the released notebook is missing; run `nbgrader generate_assignment "
                                    f"{assignment}` (or `wpskit course build`) before autograde")
        self.log.info("Grading %s as released (%s)", notebook, released)
        return nbformat.read(released, as_version=4), resources


Step = Callable[[Path], list[nbformat.NotebookNode]]


def _literal_args(call: ast.Call) -> list[Any] | None:
    if call.keywords:
        return None
    try:
        return [ast.literal_eval(argument) for argument in call.args]
    except ValueError:
        return None


def _called_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return f"{func.value.id}.{func.attr}"
    return ""


def _shows_result(source: str) -> bool:
    """IPython displays the last expression unless its line ends with ';'."""
    code = [line.rstrip() for line in source.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return bool(code) and not code[-1].endswith(";")


def _points_outputs(form: str, item_data: dict, shown: bool) -> Step:
    def run(folder: Path) -> list[nbformat.NotebookNode]:
        try:
            points, reason = points_and_reason(form, item_data, folder)
        except Exception as error:  # the kernel would show this error, and nbgrader gives 0
            return [new_output("error", ename=type(error).__name__, evalue=str(error), traceback=[repr(error)])]
        outputs = [new_output("stream", name="stdout", text=reason + "\n")] if reason else []
        if shown:
            outputs.append(new_output("execute_result", data={"text/plain": repr(points)}, execution_count=None))
        return outputs
    return run


def _grader_view_output(form: str, item_id: str) -> Step:
    def run(folder: Path) -> list[nbformat.NotebookNode]:
        return [new_output("display_data", data={"text/html": grader_view(form, item_id, folder),
                                                 "text/plain": "<IPython.core.display.HTML object>"})]
    return run


def cell_plan(source: str) -> list[Step] | None:
    """What a code cell wpskit wrote (``wpskit.build``) outputs under autograde, or None when
    the cell is not one of them and only a kernel can say.

    Widget cells (``quiz = Assessment(...)``, ``quiz.ask(...)``, ``SubmitButton(...)``) show nothing a
    grade depends on.
    """
    try:
        body = ast.parse(source).body
    except SyntaxError:
        return None
    steps: list[Step] = []
    for index, node in enumerate(body):
        if isinstance(node, ast.ImportFrom) and node.module in ("wpskit.autograde", "wpskit.widgets"):
            continue
        if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
                and _called_name(node.value) == "Assessment" and _literal_args(node.value) is not None):
            continue
        if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)):
            return None
        name, args = _called_name(node.value), _literal_args(node.value)
        if name in ("quiz.ask", "quiz.language_switch", "SubmitButton") and args is not None:
            continue
        if name == "show_to_grader" and args is not None and len(args) == 2:
            steps.append(_grader_view_output(*args))
        elif name == "points_for" and args is not None and len(args) == 2 and isinstance(args[1], dict):
            steps.append(_points_outputs(*args, shown=index == len(body) - 1 and _shows_result(source)))
        else:
            return None
    return steps


class ScoreResponses(Execute):
    """nbgrader's Execute, without a kernel when every code cell is one wpskit wrote."""

    in_process = Bool(True, help="Compute wpskit's hidden tests in-process (no kernel) when every code cell "
                      "of the notebook is one wpskit wrote; False always runs a kernel.").tag(config=True)

    def preprocess(self, nb: nbformat.NotebookNode, resources: dict, km=None) -> tuple[nbformat.NotebookNode, dict]:
        plans = [cell_plan(cell.source) if cell.cell_type == "code" else [] for cell in nb.cells]
        if not self.in_process or any(plan is None for plan in plans):
            return super().preprocess(nb, resources, km)
        folder = Path(resources.get("metadata", {}).get("path") or ".")
        count = 0
        for cell, plan in zip(nb.cells, plans):
            if cell.cell_type != "code" or not cell.source.strip():
                continue
            count += 1
            cell.execution_count = count
            cell.outputs = [output for step in plan for output in step(folder)]
            for output in cell.outputs:
                if output.output_type == "execute_result":
                    output.execution_count = count
        return nb, resources


# ---------------------------------------------------------------- many submissions at once

Status = Literal["graded", "failed", "unchanged"]


@dataclass(frozen=True)
class Outcome:
    """What happened to one participant's submission."""

    participant_id: str
    status: Status
    reason: str = ""


@dataclass
class AutogradeResult:
    """Per-participant outcomes of one run; the CLI prints them."""

    form: str
    outcomes: list[Outcome] = field(default_factory=list)

    def _with(self, status: Status) -> list[Outcome]:
        return sorted((o for o in self.outcomes if o.status == status), key=lambda o: o.participant_id)

    @property
    def graded(self) -> list[str]:
        return [o.participant_id for o in self._with("graded")]

    @property
    def unchanged(self) -> list[str]:
        return [o.participant_id for o in self._with("unchanged")]

    @property
    def failed(self) -> dict[str, str]:
        return {o.participant_id: o.reason for o in self._with("failed")}


def _ledger_file(course: Course, form_id: str) -> Path:
    return course.root / "autograded" / f".wpskit-{form_id}.json"


def _read_ledger(course: Course, form_id: str) -> dict[str, str]:
    path = _ledger_file(course, form_id)
    try:
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except ValueError:  # a damaged ledger only means grading again
        return {}


def _write_ledger(course: Course, form_id: str, ledger: dict[str, str]) -> None:
    path = _ledger_file(course, form_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, json.dumps(ledger, indent=1, sort_keys=True))


def submission_digest(course: Course, form_id: str, participant_id: str) -> str:
    """A fingerprint of everything submitted, so a changed submission is graded again."""
    folder = course.root / "submitted" / participant_id / form_id
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


RECORD_QUERIES = ("""
SELECT 'grade', sa.student_id, n.name, bc.name, g.auto_score, g.manual_score, g.extra_credit, g.needs_manual_grade,
       sn.late_submission_penalty, sa.timestamp
FROM grade g
JOIN submitted_notebook sn ON g.notebook_id = sn.id
JOIN submitted_assignment sa ON sn.assignment_id = sa.id
JOIN assignment a ON sa.assignment_id = a.id
JOIN notebook n ON sn.notebook_id = n.id
JOIN base_cell bc ON g.cell_id = bc.id
WHERE a.name = ? ORDER BY 2, 3, 4
""", """
SELECT 'comment', sa.student_id, n.name, bc.name, c.auto_comment, c.manual_comment
FROM comment c
JOIN submitted_notebook sn ON c.notebook_id = sn.id
JOIN submitted_assignment sa ON sn.assignment_id = sa.id
JOIN assignment a ON sa.assignment_id = a.id
JOIN notebook n ON sn.notebook_id = n.id
JOIN base_cell bc ON c.cell_id = bc.id
WHERE a.name = ? ORDER BY 2, 3, 4
""")


def autograde_record(course_root: Path | str, form_id: str) -> list[tuple]:
    """What autograde recorded for a form, one row per participant x grade cell (and comment),
    without the gradebook's random ids: two gradebooks graded alike give equal lists."""
    import sqlite3

    with sqlite3.connect(Path(course_root) / "gradebook.db") as connection:
        return [row for query in RECORD_QUERIES for row in connection.execute(query, (form_id,)).fetchall()]


def failure_reason(result: dict) -> str:
    """nbgrader's own words for a failed autograde: its first error line, else the traceback's last."""
    for line in (result.get("log") or "").splitlines():
        if "[ERROR]" in line or "ERROR |" in line:
            return line.split("]", 1)[-1].strip() if "]" in line else line.strip()
    return ((result.get("error") or "unknown error").strip().splitlines() or ["unknown error"])[-1]


@dataclass(frozen=True)
class _FormToGrade:
    """What every worker needs, computed once by the parent: the form's notebooks as nbgrader's
    sanitising steps leave them (the same for everyone, since the released notebook is graded)."""

    course_root: str
    form_id: str
    notebooks: dict[str, dict]
    ignore: list[str]
    permissions: int
    config: Any


def _resources(form_id: str, notebook: str, participant_id: str, db_url: str, folder: Path) -> dict:
    return {"nbgrader": {"assignment": form_id, "notebook": notebook, "student": participant_id, "db_url": db_url},
            "metadata": {"path": str(folder)}}


def _sanitized_notebooks(api, course: Course, form_id: str) -> dict[str, dict] | None:
    """The form's notebooks after nbgrader's sanitising steps, or None when one of them has a code
    cell wpskit did not write (then only a kernel can grade it: nbgrader's own pipeline is used)."""
    from nbgrader.converters import Autograde
    from nbconvert.exporters import NotebookExporter

    exporter = NotebookExporter(config=api.config)
    for step in Autograde(coursedir=api.coursedir, config=api.config).sanitize_preprocessors:
        exporter.register_preprocessor(step, enabled=True)
    with open_gradebook(course) as gradebook:
        names = [notebook.name for notebook in gradebook.find_assignment(form_id).notebooks]
    notebooks = {}
    for name in names:
        released = course.root / "release" / form_id / f"{name}.ipynb"
        nb, _ = exporter.from_filename(str(released), resources=_resources(
            form_id, name, "-", api.coursedir.db_url, released.parent))
        node = nbformat.reads(nb, as_version=4)
        if any(cell.cell_type == "code" and cell_plan(cell.source) is None for cell in node.cells):
            return None
        notebooks[name] = node
    return notebooks


def _copy_files(source: Path, destination: Path, ignore: list[str]) -> None:
    from nbgrader.utils import find_all_files

    for filename in find_all_files(str(source), ignore + ["*.ipynb"]):
        target = destination / Path(filename).relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.unlink(missing_ok=True)
        shutil.copy(filename, target)


_form: _FormToGrade | None = None


def _start_worker(form: _FormToGrade) -> None:
    global _form
    _form = form


def _grade_in_worker(participant_id: str) -> dict[str, dict]:
    """The graded notebooks of one submission, written to ``autograded/`` as nbgrader's converter
    writes them; the grades are recorded by the parent, the gradebook's one writer."""
    from nbconvert.preprocessors import ClearMetadataPreprocessor
    from nbgrader.preprocessors import CheckCellMetadata, IgnorePattern, LimitOutput

    form = _form
    root = Path(form.course_root)
    destination = root / "autograded" / participant_id / form.form_id
    if destination.exists():
        shutil.rmtree(destination)
    destination.mkdir(parents=True)
    _copy_files(root / "submitted" / participant_id / form.form_id, destination, form.ignore)
    _copy_files(root / "source" / form.form_id, destination, form.ignore)
    steps = [ScoreResponses, IgnorePattern, ClearMetadataPreprocessor, LimitOutput, CheckCellMetadata]
    graded = {}
    os.environ["NBGRADER_EXECUTION"] = "autograde"
    for name, sanitized in form.notebooks.items():
        nb = nbformat.from_dict(copy.deepcopy(sanitized))
        resources = _resources(form.form_id, name, participant_id, "", destination)
        for step in steps:
            nb, resources = step(config=form.config)(nb, resources)
        nbformat.write(nb, destination / f"{name}.ipynb")
        graded[name] = nb
    for path in destination.rglob("*"):
        if path.is_file():
            path.chmod(form.permissions)
    return graded


class _SaveAutoGradesThrough(SaveAutoGrades):
    """nbgrader's SaveAutoGrades, writing through the one open gradebook instead of opening a
    new database engine for every notebook (most of its time on a large cohort)."""

    def __init__(self, gradebook, **kwargs) -> None:  # noqa: ANN001
        super().__init__(**kwargs)
        self._open_gradebook = gradebook

    def preprocess(self, nb: nbformat.NotebookNode, resources: dict) -> tuple[nbformat.NotebookNode, dict]:
        self.notebook_id = resources["nbgrader"]["notebook"]
        self.assignment_id = resources["nbgrader"]["assignment"]
        self.student_id = resources["nbgrader"]["student"]
        self.db_url = resources["nbgrader"]["db_url"]
        self.gradebook = self._open_gradebook
        return NbGraderPreprocessor.preprocess(self, nb, resources)


def _record(api, gradebook, form_id: str, participant_id: str, graded: dict[str, dict], late: bool) -> None:  # noqa: ANN001
    from nbgrader.preprocessors import AssignLatePenalties

    for name, nb in graded.items():
        resources = _resources(form_id, name, participant_id, api.coursedir.db_url, Path("."))
        nb = nbformat.from_dict(nb)
        _SaveAutoGradesThrough(gradebook, config=api.config).preprocess(nb, resources)
        if late:  # nbgrader's own step; without a due date it has nothing to assign
            AssignLatePenalties(config=api.config).preprocess(nb, resources)


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
    ledger = {} if regrade else _read_ledger(course, form_id)
    digests = {pid: submission_digest(course, form_id, pid) for pid in participants}
    todo = [pid for pid in participants if ledger.get(pid) != digests[pid]]
    ledger = {pid: digest for pid, digest in ledger.items() if pid in participants and pid not in todo}

    def record(outcome: Outcome) -> None:
        result.outcomes.append(outcome)
        if outcome.status == "graded":
            ledger[outcome.participant_id] = digests[outcome.participant_id]
            _write_ledger(course, form_id, ledger)
        if on_progress:
            on_progress(outcome)

    for pid in participants:
        if pid not in todo:
            record(Outcome(pid, "unchanged"))
    if not todo:
        return result
    api = nbgrader_api(course)
    notebooks = _sanitized_notebooks(api, course, form_id)
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
    if complete:
        _grade_in_parallel(api, course, form_id, complete, notebooks, late, workers, record)
    return result


def _grade_in_parallel(api, course: Course, form_id: str, participants: list[str], notebooks: dict[str, dict],  # noqa: ANN001
                       late: bool, workers: int | None, record: Callable[[Outcome], None]) -> None:
    """Workers write the graded notebooks; this process alone writes the gradebook, one
    submission at a time, as each comes back (SQLite has a single writer)."""
    coursedir = api.coursedir
    form = _FormToGrade(course_root=str(course.root), form_id=form_id, notebooks=notebooks,
                        ignore=list(coursedir.ignore), permissions=0o664 if coursedir.groupshared else 0o444,
                        config=api.config)
    workers = max(1, min(workers or os.cpu_count() or 1, len(participants)))
    # Workers are forked (no second import of nbgrader) before this process opens the gradebook,
    # so no open database connection is copied into them.
    with ProcessPoolExecutor(workers, mp_context=get_context("fork"), initializer=_start_worker,
                             initargs=(form,)) as pool:
        futures = {pool.submit(_grade_in_worker, pid): pid for pid in participants}
        with warnings.catch_warnings(), Gradebook(coursedir.db_url, coursedir.course_id) as gradebook:
            # nbgrader's update_or_create_submission warns about its own session use; nothing is lost
            warnings.simplefilter("ignore", SAWarning)
            for pid in participants:
                timestamp = coursedir.get_existing_timestamp(str(course.root / "submitted" / pid / form_id))
                gradebook.update_or_create_submission(form_id, pid, **({"timestamp": timestamp} if timestamp else {}))
            for future in as_completed(futures):
                pid = futures[future]
                try:
                    graded = future.result()
                    _record(api, gradebook, form_id, pid, graded, late)
                except BrokenProcessPool:
                    record(Outcome(pid, "failed", "a grading process stopped before this submission was graded; "
                                                  "run autograde again to finish it"))
                except Exception as error:  # one submission's failure does not stop the rest
                    gradebook.db.rollback()
                    record(Outcome(pid, "failed", f"{type(error).__name__}: {error}"))
                else:
                    record(Outcome(pid, "graded"))
