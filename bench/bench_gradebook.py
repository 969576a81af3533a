"""Benchmark: reading a large gradebook — `wpskit export` and, on request, nbgrader's own `nbgrader export`.

Fills a course's gradebook (nbgrader's schema, with the indexes `wpskit course init` adds) with
SIMULATED grades: N participants x pre and post x I items, written straight into nbgrader's
tables so the setup takes seconds. Times `wpskit export` as a command line (start-up included).

    .venv/bin/python bench/bench_gradebook.py                      # 10,000 x 2 x 40, target < 3 s
    .venv/bin/python bench/bench_gradebook.py --nbgrader-export    # also nbgrader export, with and without the indexes

No real person is in the simulated data.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from wpskit.course import GRADEBOOK_INDEXES, add_gradebook_indexes, init_course  # noqa: E402

TARGET_SECONDS = 3.0


def fill(database: Path, participants: int, items: int, seed: int) -> int:
    """Pre and post, each one notebook of `items` 1-point grade cells, every participant graded."""
    rng = random.Random(seed)
    new_id = lambda: uuid.uuid4().hex  # noqa: E731
    with sqlite3.connect(database) as db:
        students = [(f"sim{n:05d}",) for n in range(participants)]
        db.executemany("INSERT INTO student (id) VALUES (?)", students)
        rows = 0
        for form in ("pre", "post"):
            assignment, notebook = new_id(), new_id()
            db.execute("INSERT INTO assignment (id, name, course_id) VALUES (?, ?, 'wps-vn')", (assignment, form))
            db.execute("INSERT INTO notebook (id, name, assignment_id) VALUES (?, ?, ?)", (notebook, form, assignment))
            cells = [new_id() for _ in range(items)]
            db.executemany("INSERT INTO base_cell (id, name, notebook_id, type) VALUES (?, ?, ?, 'GradeCell')",
                           [(cell, f"q{i:02d}", notebook) for i, cell in enumerate(cells)])
            db.executemany("INSERT INTO grade_cells (id, max_score, cell_type) VALUES (?, 1.0, 'code')",
                           [(cell,) for cell in cells])
            grades = []
            for (student,) in students:
                submission, submitted_notebook = new_id(), new_id()
                db.execute("INSERT INTO submitted_assignment (id, assignment_id, student_id, timestamp) "
                           "VALUES (?, ?, ?, '2024-11-26 02:12:03')", (submission, assignment, student))
                db.execute("INSERT INTO submitted_notebook (id, assignment_id, notebook_id, flagged) "
                           "VALUES (?, ?, ?, 0)", (submitted_notebook, submission, notebook))
                grades += [(new_id(), submitted_notebook, cell, float(rng.random() < 0.6)) for cell in cells]
            db.executemany("INSERT INTO grade (id, notebook_id, cell_id, auto_score, needs_manual_grade) "
                           "VALUES (?, ?, ?, ?, 0)", grades)
            rows += len(grades)
    return rows


def timed(command: list[str], cwd: Path) -> float:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--items", type=int, default=40)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--nbgrader-export", action="store_true",
                        help="Also time `nbgrader export` with the indexes and without them (slow: minutes).")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-gradebook-") as folder:
        course = init_course(Path(folder) / "course")
        database = course.root / "gradebook.db"
        rows = fill(database, args.participants, args.items, args.seed)
        print(f"{args.participants} simulated participants x pre and post x {args.items} items = {rows} grades")
        seconds = timed([sys.executable, "-c", "from wpskit.cli import main; main()", "export",
                         str(Path(folder) / "scores.csv"), "--dir", str(course.root)], course.root)
        print(f"wpskit export:                    {seconds:7.1f} s  (target < {TARGET_SECONDS:g} s: "
              f"{'met' if seconds < TARGET_SECONDS else 'MISSED'})")
        if args.nbgrader_export:
            nbgrader = [sys.executable, "-m", "nbgrader", "export", "--to", str(Path(folder) / "grades.csv")]
            print(f"nbgrader export, with indexes:    {timed(nbgrader, course.root):7.1f} s")
            with sqlite3.connect(database) as db:
                for name in GRADEBOOK_INDEXES:
                    db.execute(f"DROP INDEX {name}")
            print(f"nbgrader export, without indexes: {timed(nbgrader, course.root):7.1f} s")
            add_gradebook_indexes(course)
    return 0


if __name__ == "__main__":
    sys.exit(main())
