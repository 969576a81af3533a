"""Many submissions at once: worker processes write the graded notebooks, the parent alone the gradebook."""

from __future__ import annotations

import copy
import os
import shutil
import warnings
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Callable

import nbformat
from nbgrader.api import BaseCell, Comment, Grade, Gradebook
from nbgrader.preprocessors import NbGraderPreprocessor, SaveAutoGrades
from sqlalchemy.exc import SAWarning

from wpskit.grading.outcome import Outcome
from wpskit.grading.steps import ScoreResponses, cell_plan
from wpskit.layout import Course
from wpskit.nbgrader_api import open_gradebook


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


def sanitized_notebooks(api, course: Course, form_id: str) -> dict[str, dict] | None:
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
        if not _metadata_valid(node, resources=_resources(form_id, name, "-", "", released.parent), config=api.config):
            return None
        notebooks[name] = node
    return notebooks


def _metadata_valid(nb: nbformat.NotebookNode, resources: dict, config: Any) -> bool:
    """nbgrader's last autograde step, CheckCellMetadata, validates the cells' nbgrader metadata with
    jsonschema (most of a submission's grading time). Grading the released notebook changes only
    outputs, so the step answers for every participant what it answers here: ask it once. When it
    fails, nbgrader's own pipeline grades each submission and reports the failure as it would."""
    from nbconvert.preprocessors import ClearMetadataPreprocessor
    from nbgrader.nbgraderformat import ValidationError
    from nbgrader.preprocessors import CheckCellMetadata

    nb = nbformat.from_dict(copy.deepcopy(nb))
    try:
        for step in (ClearMetadataPreprocessor, CheckCellMetadata):
            nb, resources = step(config=config)(nb, resources)
    except ValidationError:
        return False
    return True


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
    from nbgrader.preprocessors import IgnorePattern, LimitOutput

    form = _form
    if form is None:
        raise RuntimeError("a grading worker starts with _start_worker")
    root = Path(form.course_root)
    destination = root / "autograded" / participant_id / form.form_id
    if destination.exists():
        shutil.rmtree(destination)
    destination.mkdir(parents=True)
    _copy_files(root / "submitted" / participant_id / form.form_id, destination, form.ignore)
    _copy_files(root / "source" / form.form_id, destination, form.ignore)
    # nbgrader's autograde steps; its last, CheckCellMetadata, was asked once for everyone (_metadata_valid)
    steps = [ScoreResponses, IgnorePattern, ClearMetadataPreprocessor, LimitOutput]
    graded = {}
    os.environ["NBGRADER_EXECUTION"] = "autograde"
    for name, sanitized in form.notebooks.items():
        nb = nbformat.from_dict(copy.deepcopy(sanitized))
        resources = _resources(form.form_id, name, participant_id, "", destination)
        for step in steps:
            nb, resources = step(config=form.config)(nb, resources)
        # The bytes nbgrader's converter writes (nbformat.writes' JSON), without its validation pass: it
        # only logs, and the notebook is the released one with outputs wpskit.grading.steps made
        text = nbformat.v4.writes(nb)
        (destination / f"{name}.ipynb").write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        graded[name] = nb
    for path in destination.rglob("*"):
        if path.is_file():
            path.chmod(form.permissions)
    return graded


class _CommitOnce:
    """The gradebook's session as SaveAutoGrades sees it: the commit it makes after every cell waits,
    so a notebook's grades go in as one transaction (all or none), committed by ``_record``; the
    session's autoflush sends them before any query that could need them."""

    def __init__(self, session: Any) -> None:
        self._session = session

    def commit(self) -> None:
        pass

    def __getattr__(self, name: str) -> Any:
        return getattr(self._session, name)


class _OneTransaction:
    """The open gradebook, with ``db`` as above, as SaveAutoGrades uses it for one submitted notebook.

    SaveAutoGrades asks ``find_grade``/``find_comment`` once a cell, each a seven-table ORM query
    (most of the parent's time); here they come from the submitted notebook's own ``grades`` and
    ``comments``, loaded once: the same rows, so the same objects SaveAutoGrades then sets. A name
    not found goes to nbgrader's own query, which raises its MissingEntry.
    """

    def __init__(self, gradebook: Gradebook) -> None:
        self._gradebook = gradebook
        self.db = _CommitOnce(gradebook.db)
        self._rows: dict[tuple[str, str, str, str], dict[str, Any]] = {}

    def _row(self, kind: str, cell: str, notebook: str, assignment: str, student: str) -> Any:
        key = (kind, notebook, assignment, student)
        if key not in self._rows:
            submitted = self._gradebook.find_submission_notebook(notebook, assignment, student)
            table = Grade if kind == "grades" else Comment
            rows = (self._gradebook.db.query(table, BaseCell.name).join(BaseCell, BaseCell.id == table.cell_id)
                    .filter(table.notebook_id == submitted.id))
            self._rows[key] = {name: row for row, name in rows}
        return self._rows[key].get(cell)

    def find_grade(self, grade_cell: str, notebook: str, assignment: str, student: str) -> Any:
        found = self._row("grades", grade_cell, notebook, assignment, student)
        return found if found is not None else self._gradebook.find_grade(grade_cell, notebook, assignment, student)

    def find_comment(self, solution_cell: str, notebook: str, assignment: str, student: str) -> Any:
        found = self._row("comments", solution_cell, notebook, assignment, student)
        return found if found is not None else self._gradebook.find_comment(solution_cell, notebook, assignment, student)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._gradebook, name)


class _SaveAutoGradesThrough(SaveAutoGrades):
    """nbgrader's SaveAutoGrades, writing through the one open gradebook instead of opening a
    new database engine for every notebook (most of its time on a large cohort), in one
    transaction a notebook instead of one a cell."""

    def __init__(self, gradebook, **kwargs) -> None:  # noqa: ANN001
        super().__init__(**kwargs)
        self._open_gradebook = _OneTransaction(gradebook)

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
        gradebook.db.commit()
        if late:  # nbgrader's own step; without a due date it has nothing to assign
            AssignLatePenalties(config=api.config).preprocess(nb, resources)


def grade_in_parallel(api, course: Course, form_id: str, participants: list[str], notebooks: dict[str, dict],  # noqa: ANN001
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
