"""Benchmark: stock `nbgrader autograde` against `wpskit autograde` on the same SIMULATED submissions.

Builds the course from ``assessments/``, releases the pre-test, writes N simulated submissions
(the released notebook, a responses file with random answers, a timestamp), copies the course,
and grades one copy with nbgrader's own default pipeline (a kernel per notebook) and the other
with ``wpskit autograde --workers W``. Both run as command lines, start-up included. Prints
both times, their ratio, and whether the two gradebooks hold the same grades cell by cell.

    .venv/bin/python bench/bench_autograde.py                    # 40 participants, target < 10 s
    .venv/bin/python bench/bench_autograde.py --participants 300 # target < 60 s on 2 cores, >= 6x stock
    .venv/bin/python bench/bench_autograde.py --participants 300 --stock-sample 40  # stock timed on 40, scaled

The stock run takes about 4 s a notebook (20 minutes for 300). The simulated answers are for
timing only: no real person is in them.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from wpskit.course import build_course, release  # noqa: E402
from wpskit.nbgrader_api import CONFIG_BLOCK  # noqa: E402
from wpskit.grading import autograde_record  # noqa: E402
from wpskit.items import Item, load_item_bank  # noqa: E402

TARGETS = {40: 10.0, 300: 60.0}
TARGET_RATIO = 6.0


def random_answer(item: Item, rng: random.Random):
    """A plausible answer: often the key, otherwise a random choice of the item's kind."""
    options = sorted(item.options)
    if item.type in ("single", "truefalse"):
        return item.key if rng.random() < 0.6 else rng.choice(options or ["true", "false"])
    if item.type == "multi":
        return sorted(rng.sample(options, rng.randint(1, len(options))))
    if item.type == "order":
        return rng.sample(list(item.key), len(item.key)) if rng.random() < 0.5 else list(item.key)
    if item.type == "match":
        targets = sorted(item.targets)
        return {option: rng.choice(targets) for option in item.key}
    if item.type == "text":
        return item.key if isinstance(item.key, str) and rng.random() < 0.5 else "không biết"
    return "Tổ chức một buổi truyền thông về Chương trình hành động quốc gia."


def simulate(root: Path, form: str, participants: int, seed: int) -> None:
    rng = random.Random(seed)
    items = load_item_bank(REPO / "assessments").form_items(form)
    released = (root / "release" / form / f"{form}.ipynb").read_bytes()
    for number in range(participants):
        folder = root / "submitted" / f"sim{number:04d}" / form
        folder.mkdir(parents=True)
        (folder / f"{form}.ipynb").write_bytes(released)
        (folder / "timestamp.txt").write_text(f"2024-11-26 09:{number % 60:02d}:03.000000 UTC")
        answers = {item.id: {"value": random_answer(item, rng), "at": "2024-11-26T02:12:03Z"}
                   for item in items if rng.random() < 0.95}
        (folder / f"{form}.responses.json").write_text(json.dumps(
            {"schema": 1, "form": form, "language": rng.choice(["vi", "en"]), "answers": answers,
             "updated": "2024-11-26T02:12:03Z"}, ensure_ascii=False), encoding="utf-8")


def timed(command: list[str], cwd: Path) -> float:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=40)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--form", default="pre")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--stock-sample", type=int, default=0, metavar="K",
                        help="run stock nbgrader on the first K submissions only and scale its time to all of them "
                             "(it grades one notebook after another, so its time grows linearly); the gradebooks are "
                             "compared on those K. Default: all (about 20 minutes for 300)")
    args = parser.parse_args(argv)
    sample = args.stock_sample if 0 < args.stock_sample < args.participants else args.participants
    with tempfile.TemporaryDirectory(prefix="bench-autograde-") as folder:
        ours = Path(folder) / "course"
        build_course(ours, REPO / "assessments")
        release(ours, args.form)
        simulate(ours, args.form, args.participants, args.seed)
        stock = shutil.copytree(ours, Path(folder) / "stock")
        config = stock / "nbgrader_config.py"
        config.write_text(config.read_text(encoding="utf-8").replace(CONFIG_BLOCK, ""), encoding="utf-8")
        sampled = sorted(path.name for path in (stock / "submitted").iterdir())[:sample]
        for path in (stock / "submitted").iterdir():
            if path.name not in sampled:
                shutil.rmtree(path)
        cells = sum(1 for c in nbformat.read(ours / "release" / args.form / f"{args.form}.ipynb", 4).cells
                    if c.metadata.get("nbgrader", {}).get("grade") or c.metadata.get("nbgrader", {}).get("task"))
        print(f"{args.participants} simulated submissions of '{args.form}' ({cells} graded cells each), "
              f"{os.cpu_count()} cores")
        stock_seconds = timed([sys.executable, "-m", "nbgrader", "autograde", args.form], stock) * args.participants / sample
        scaled = f", measured on {sample} and scaled" if sample < args.participants else ""
        print(f"stock nbgrader autograde: {stock_seconds:8.1f} s  ({stock_seconds / args.participants:.2f} s a notebook{scaled})")
        wpskit_seconds = timed([sys.executable, "-c", "from wpskit.cli import main; main()", "autograde", args.form,
                                "--dir", str(ours), "--workers", str(args.workers)], ours)
        print(f"wpskit autograde:         {wpskit_seconds:8.1f} s  ({wpskit_seconds / args.participants:.3f} s a "
              f"notebook, {args.workers} workers)")
        ratio = stock_seconds / wpskit_seconds
        print(f"ratio stock / wpskit:     {ratio:8.1f} x  (target >= {TARGET_RATIO:g} x)")
        record = [row for row in autograde_record(ours, args.form) if row[1] in sampled]
        stock_record = autograde_record(stock, args.form)
        grades = sum(1 for row in record if row[0] == "grade")
        identical = record == stock_record and grades == sample * cells
        print(f"gradebooks identical:     {'yes' if identical else 'NO'} ({grades} grades, "
              f"{len(record) - grades} comments of {sample} participants, cell by cell)")
        target = TARGETS.get(args.participants)
        if target:
            print(f"target for {args.participants}: < {target:g} s -> {'met' if wpskit_seconds < target else 'MISSED'}")
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
