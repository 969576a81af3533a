"""Paper forms and offline tablets into the same gradebook (contract 3).

Two layouts are read, both UTF-8 CSV (a BOM is accepted), separated by ``,`` or ``;``
(what Excel writes with Vietnamese regional settings, and KoboToolbox by default):

- **tidy**, as ``wpskit export`` writes it: ``participant_id, form, item_id, score,
  max_score, response`` — one row per participant x form x item (``tidy``);
- **wide**, one row per participant and a column per question: the answer sheet of
  ``wpskit paper`` and the CSV exports of KoboToolbox and ODK Central for the XLSForm of
  ``wpskit paper --xlsform``, as they come (``wide``; see ``wpskit.xlsform`` for the column
  names). Group prefixes (``pretest/d1-1325-year``, ODK Central's ``pretest-d1-1325-year``)
  are dropped, the servers' metadata columns (``start``, ``_uuid``, ``SubmissionDate``, ...)
  ignored, a select-multiple's 0/1 columns cross-checked, and the form is the ``form``
  column the XLSForm fills in, or the one the caller names. A participant who submitted
  twice counts with the latest submission (``_submission_time`` or ``SubmissionDate``).

An answer is written as on paper or as the tablets store it (``B``, ``Đúng``/``Sai``,
``a c``, ``c,a,b``, ``a=1;b=2``; ``cells``) and scored with the same rule as the hidden
tests (``wpskit.scoring``); a score given in the file (a written answer marked on paper,
``<item>_score``) is taken as it is. The whole file is checked (``read``) before anything
is written (``write``; a paper survey sheet: ``survey``), so a broken cell imports nothing;
importing the same file again changes nothing; answers given online are only replaced when
the caller asks.

The modules, in the order a file passes through them: ``table`` (the CSV) → ``cells`` (one
answer or score) → ``tidy`` / ``wide`` (rows into scores) → ``read`` (the whole file checked)
→ ``write`` (into the gradebook and ``imported/``).
"""

from __future__ import annotations

from wpskit.imports.cells import parse_response
from wpskit.imports.read import ScoresFile, read_scores_file
from wpskit.imports.table import Table, read_table
from wpskit.imports.tidy import ImportedScore
from wpskit.imports.result import ImportResult
from wpskit.imports.write import import_scores

__all__ = ["ImportResult", "ImportedScore", "ScoresFile", "Table", "import_scores", "parse_response",
           "read_scores_file", "read_table"]
