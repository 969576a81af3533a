"""The *Submit* button of a pre/post test or survey page.

On a Voilà page there is no *Assignments* tab, so the form carries its own button. It runs
``nbgrader submit`` in the participant's own kernel, that is as the participant's own user
with their nbgrader configuration (the exchange, the course id, their student id), exactly
as the *Assignments* tab would. The answers are already saved in the responses file, which
the submission carries; the button only says clearly, in both languages, whether it worked.
"""

from __future__ import annotations

import html
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import ipywidgets as widgets

from wpskit.widgets.look import full_width
from wpskit.words import both_languages

SUBMIT_TIMEOUT = 120  # seconds; nbgrader copies a few small files


@dataclass(frozen=True)
class SubmitResult:
    ok: bool
    message: str  # nbgrader's last line on failure


def submit_form(form_id: str, directory: Path | str | None = None) -> SubmitResult:
    """``nbgrader submit <form_id>`` from the folder holding the fetched form (default: the
    parent of the current folder, where a form notebook's kernel runs)."""
    folder = Path(directory) if directory is not None else Path.cwd().parent
    try:
        result = subprocess.run([sys.executable, "-m", "nbgrader", "submit", form_id], cwd=folder,
                                capture_output=True, text=True, timeout=SUBMIT_TIMEOUT)
    except subprocess.TimeoutExpired:
        return SubmitResult(False, f"no answer from nbgrader within {SUBMIT_TIMEOUT} s")
    if result.returncode == 0:
        return SubmitResult(True, "")
    lines = [line.strip() for line in (result.stderr + result.stdout).splitlines() if line.strip()]
    # nbgrader logs the cause ("Unwritable directory ...") before its generic "nbgrader submit failed".
    errors = [line.split("]", 1)[-1].strip() for line in lines if "ERROR" in line or "CRITICAL" in line]
    causes = [error for error in errors if error != "nbgrader submit failed"]
    return SubmitResult(False, (causes or errors or lines or [f"nbgrader exited with {result.returncode}"])[0])


class SubmitButton(widgets.VBox):
    """A visible button labelled in both languages, and a line saying whether the submission worked."""

    def __init__(self, form_id: str, directory: Path | str | None = None) -> None:
        self.form_id = form_id
        self.directory = directory
        self.button = widgets.Button(description=both_languages("submit"), button_style="primary",
                                     icon="paper-plane", layout=widgets.Layout(width="auto"))
        self.button.add_class("wpskit-submit")
        self.status = widgets.HTML(layout=full_width())
        self.status.add_class("wpskit-submit-status")
        self.button.on_click(lambda _: self.submit())
        super().__init__([self.button, self.status], layout=full_width())

    def submit(self) -> SubmitResult:
        self.button.disabled = True
        self.status.value = both_languages("submitting")
        try:
            result = submit_form(self.form_id, self.directory)
        finally:
            self.button.disabled = False
        if result.ok:
            self.status.value = f"<b>{both_languages('submitted', time=datetime.now().strftime('%H:%M'))}</b>"
        else:
            self.status.value = f"<b>{both_languages('not_submitted', reason=html.escape(result.message))}</b>"
        return result

