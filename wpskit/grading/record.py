"""What autograde recorded, read straight from the SQLite gradebook, to compare two runs."""

from __future__ import annotations

import sqlite3
from pathlib import Path

# A grade and a comment hang off the same submitted notebook and cell: one JOIN for both tables.
_JOINS = """
JOIN submitted_notebook sn ON t.notebook_id = sn.id
JOIN submitted_assignment sa ON sn.assignment_id = sa.id
JOIN assignment a ON sa.assignment_id = a.id
JOIN notebook n ON sn.notebook_id = n.id
JOIN base_cell bc ON t.cell_id = bc.id
WHERE a.name = ? ORDER BY 2, 3, 4
"""
_COLUMNS = {
    "grade": "t.auto_score, t.manual_score, t.extra_credit, t.needs_manual_grade, sn.late_submission_penalty, sa.timestamp",
    "comment": "t.auto_comment, t.manual_comment",
}
_QUERIES = tuple(f"SELECT '{table}', sa.student_id, n.name, bc.name, {columns}\nFROM {table} t{_JOINS}"
                       for table, columns in _COLUMNS.items())


def autograde_record(course_root: Path | str, form_id: str) -> list[tuple]:
    """What autograde recorded for a form, one row per participant x grade cell (and comment),
    without the gradebook's random ids: two gradebooks graded alike give equal lists."""
    with sqlite3.connect(Path(course_root) / "gradebook.db") as connection:
        return [row for query in _QUERIES for row in connection.execute(query, (form_id,)).fetchall()]
