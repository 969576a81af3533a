"""The course's gradebook as tidy pandas DataFrames (contract 3).

One SQL query over nbgrader's tables gives every grade; the participants' answers come
from the responses files of their submissions. Reading the database directly, rather
than walking nbgrader's ORM objects, keeps a report on a large cohort fast. The query is
plain SQL run through SQLAlchemy on the course's ``db_url``, so the same rows come from a
SQLite ``gradebook.db`` and from a shared PostgreSQL gradebook; they are sorted here,
not by the database, whose collation may differ.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from wpskit.answers import encode_answer
from wpskit.errors import WpskitError
from wpskit.files import write_atomically
from wpskit.layout import IMPORTED, open_course, read_course_roster, responses_file, unreadable_answers
from wpskit.responses import SUFFIX, read_responses
from wpskit.scores import UNREADABLE, validate_scores

SCORE_COLUMNS = ["participant_id", "form", "item_id", "score", "max_score", "response"]

GRADES_QUERY = """
SELECT sa.student_id AS participant_id,
       a.name AS form,
       bc.name AS item_id,
       CASE WHEN g.manual_score IS NOT NULL THEN g.manual_score
            WHEN g.needs_manual_grade THEN NULL
            ELSE g.auto_score END AS score,
       COALESCE(gc.max_score, tc.max_score) AS max_score
FROM grade g
JOIN submitted_notebook sn ON g.notebook_id = sn.id
JOIN submitted_assignment sa ON sn.assignment_id = sa.id
JOIN assignment a ON sa.assignment_id = a.id
JOIN base_cell bc ON g.cell_id = bc.id
LEFT JOIN grade_cells gc ON gc.id = bc.id
LEFT JOIN task_cells tc ON tc.id = bc.id
"""


def _answers_in(path: Path | None) -> dict[str, Any]:
    try:
        return {item_id: answer.value for item_id, answer in read_responses(path).answers.items()} if path else {}
    except WpskitError:  # an unreadable file was graded 0 with its reason; no answers to show
        return {}


def _recorded_answers(course_root: Path, participant_id: str, form: str) -> dict[str, Any]:
    """The answers behind the grades: online ones, and for an item imported from paper the imported one
    (``wpskit import`` wrote that item's score, so its response goes with it)."""
    imported = course_root / IMPORTED / participant_id / form / f"{form}{SUFFIX}"
    return {**_answers_in(responses_file(course_root, participant_id, form)),
            **_answers_in(imported if imported.is_file() else None)}


def read_scores(course_dir: Path | str) -> pd.DataFrame:
    """Every graded item of every submission: participant_id, form, item_id, score, max_score, response.

    A written answer that still waits for its hand grade has an empty score. A submission whose
    answers file is missing or damaged has no rows (its 0 is not a real 0): ``attrs[UNREADABLE]``
    lists them as (form, "missing"/"damaged"), for the report's notes. The table
    passes the same validator as a scores CSV (``wpskit.scores.validate_scores``), so a
    report from the course and one from its export are the same.
    """
    return _scores_and_left_out(course_dir)[0]


def _scores_and_left_out(course_dir: Path | str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The course's scores (as ``read_scores``) and the rows of the submissions left out, with their
    ``status`` ("missing" / "damaged")."""
    course = open_course(course_dir)
    engine = create_engine(course.gradebook_url)
    try:
        with engine.connect() as connection:
            scores = pd.read_sql_query(text(GRADES_QUERY), connection)
    except OperationalError as error:
        raise course.gradebook_unreachable(error) from error
    finally:
        engine.dispose()
    scores = scores.sort_values(["form", "participant_id", "item_id"], kind="stable", ignore_index=True)
    answers = {
        (pid, form): _recorded_answers(course.root, pid, form)
        for pid, form in scores[["participant_id", "form"]].drop_duplicates().itertuples(index=False)
    }
    scores["response"] = [
        encode_answer(answers[(pid, form)].get(item_id))
        for pid, form, item_id in scores[["participant_id", "form", "item_id"]].itertuples(index=False)
    ]
    unreadable = {(pid, form): problem for form in scores["form"].unique()
                  for pid, problem in unreadable_answers(course, form).items()}
    status = [unreadable.get((pid, form), "") for pid, form in scores[["participant_id", "form"]].itertuples(index=False)]
    keep = [problem == "" for problem in status]
    checked = validate_scores(scores.loc[keep, SCORE_COLUMNS].reset_index(drop=True), course.root)
    checked.attrs[UNREADABLE] = sorted((form, problem) for (_, form), problem in unreadable.items())
    left_out = scores.loc[[not k for k in keep], SCORE_COLUMNS].assign(status=[s for s in status if s])
    return checked, left_out


def read_roster(course_dir: Path | str) -> pd.DataFrame:
    """The course's roster with every column it was imported with, one row per participant."""
    course = open_course(course_dir)
    rows = [participant.as_row() for participant in read_course_roster(course)]
    return pd.DataFrame(rows, columns=None if rows else ["participant_id"])


def export_scores(course_dir: Path | str, out_csv: Path | str) -> int:
    """Write the course's tidy scores as UTF-8 CSV, atomically; return the number of rows.

    The submissions whose answers file is missing or damaged are written too, so the file says what the
    course knows, with ``status`` "missing" or "damaged" (empty for every other row): the report and
    ``wpskit import`` read those rows as the course does, as no real score.
    """
    scores, left_out = _scores_and_left_out(course_dir)
    table = pd.concat([scores.assign(status=""), left_out], ignore_index=True) if len(left_out) else scores
    if len(left_out):
        table = table.sort_values(["form", "participant_id", "item_id"], kind="stable", ignore_index=True)
    write_atomically(out_csv, table.to_csv(index=False))
    return len(table)
