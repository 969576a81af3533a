"""wpskit's two steps in nbgrader's Autograde converter, and the plan of a cell wpskit wrote.

``GradeReleasedNotebook`` grades the notebook as released; ``ScoreResponses`` computes the
hidden tests in-process (``cell_plan`` says what each cell outputs) or runs a kernel as
nbgrader's ``Execute`` does when a cell is not one wpskit wrote.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any, Callable

import nbformat
from nbformat.v4 import new_output
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import Execute, NbGraderPreprocessor
from traitlets import Bool

from wpskit.autograde import grader_view, points_and_reason


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
            steps.append(_points_outputs(args[0], args[1], shown=index == len(body) - 1 and _shows_result(source)))
        else:
            return None
    return steps


class ScoreResponses(Execute):
    """nbgrader's Execute, without a kernel when every code cell is one wpskit wrote."""

    in_process = Bool(True, help="Compute wpskit's hidden tests in-process (no kernel) when every code cell "
                      "of the notebook is one wpskit wrote; False always runs a kernel.").tag(config=True)

    def preprocess(self, nb: nbformat.NotebookNode, resources: dict, km=None) -> tuple[nbformat.NotebookNode, dict]:
        planned = [cell_plan(cell.source) if cell.cell_type == "code" else [] for cell in nb.cells]
        plans = [plan for plan in planned if plan is not None]
        if not self.in_process or len(plans) < len(planned):
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
