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

The modules: ``steps`` (the two nbgrader steps and ``cell_plan``), ``run`` (``autograde``),
``parallel`` (the worker processes), ``ledger`` (fingerprints of graded submissions),
``outcome`` (what ``autograde`` returns) and ``record`` (what autograde wrote, for comparing).
The course's ``nbgrader_config.py`` names the steps as ``wpskit.grading.GradeReleasedNotebook``
and ``wpskit.grading.ScoreResponses``, so they stay importable from here.
"""

from __future__ import annotations

from wpskit.grading.ledger import submission_digest
from wpskit.grading.outcome import AutogradeResult, Outcome
from wpskit.grading.record import autograde_record
from wpskit.grading.run import autograde, failure_reason
from wpskit.grading.steps import GradeReleasedNotebook, ScoreResponses, cell_plan

__all__ = ["AutogradeResult", "GradeReleasedNotebook", "Outcome", "ScoreResponses", "autograde", "autograde_record",
           "cell_plan", "failure_reason", "submission_digest"]
