"""Benchmark: `wpskit report` on a SIMULATED cohort (default 10,000 participants x 40 items x pre/post).

Writes the simulated scores and roster to a temporary folder, runs the real command
line in a child process, and prints its wall time and peak memory (the child's
``ru_maxrss``), next to a "stock tool" baseline: plain pandas groupby + scipy.stats
computing the same core figures (percentages, pairing, t-test, Wilcoxon, d_z, Hake's g,
alpha, item facility and discrimination), with no charts, HTML or XLSX.

    .venv/bin/python bench/bench_report.py                   # 10,000 x 40, target < 15 s and < 2 GB
    .venv/bin/python bench/bench_report.py --participants 500 --items 20

The simulated data are for timing and demos only: no real person is in them.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

GROUPS = ["social organisation", "women's union", "international NGO", "national NGO", "academia", "media",
          "private sector"]
GENDERS = ["female", "male", "non-binary"]
OPTIONS = np.array(["a", "b", "c", "d"])
TARGET_SECONDS, TARGET_BYTES = 15, 2 * 1024**3


def simulate_cohort(n_participants: int = 10_000, n_items: int = 40, seed: int = 1,
                    post_share: float = 0.95) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Simulated contract-3 scores and a roster: a logistic item model, ability rising by ~0.8 SD.

    ``post_share`` of the participants also take the post-test. Every item is a
    4-option single-choice item worth 1 point; wrong answers favour one distractor.
    """
    rng = np.random.default_rng(seed)
    ids = np.char.add("sim", np.char.zfill(np.arange(1, n_participants + 1).astype(str), 5))
    ability = rng.normal(0, 1, n_participants)
    growth = rng.normal(0.8, 0.5, n_participants)
    difficulty = rng.normal(0, 1, n_items)
    keys = OPTIONS[rng.integers(0, 4, n_items)]
    took_post = rng.random(n_participants) < post_share
    frames = []
    for form, level, who in (("pre", ability, np.ones(n_participants, bool)), ("post", ability + growth, took_post)):
        p_correct = 1 / (1 + np.exp(-1.7 * (level[who, None] - difficulty[None, :])))
        correct = rng.random(p_correct.shape) < p_correct
        wrong_choice = OPTIONS[(np.searchsorted(OPTIONS, keys)[None, :]
                                + rng.choice([1, 2, 3], p_correct.shape, p=[0.6, 0.25, 0.15])) % 4]
        frames.append(pd.DataFrame({
            "participant_id": np.repeat(ids[who], n_items),
            "form": form,
            "item_id": np.tile([f"q{i:02d}" for i in range(1, n_items + 1)], who.sum()),
            "score": correct.ravel().astype(float),
            "max_score": 1.0,
            "response": np.where(correct, keys[None, :], wrong_choice).ravel(),
        }))
    roster = pd.DataFrame({"participant_id": ids,
                           "gender": rng.choice(GENDERS, n_participants, p=[0.6, 0.38, 0.02]),
                           "stakeholder_group": rng.choice(GROUPS, n_participants)})
    return pd.concat(frames, ignore_index=True), roster


def stock_baseline(scores: pd.DataFrame) -> dict[str, float]:
    """The same core figures with plain pandas + scipy: the yardstick for the report's cost."""
    totals = scores.groupby(["participant_id", "form"])[["score", "max_score"]].sum()
    pct = (100 * totals["score"] / totals["max_score"]).unstack("form").dropna()
    diff = pct["post"] - pct["pre"]
    figures = {"t": stats.ttest_rel(pct["post"], pct["pre"]).statistic,
               "w": stats.wilcoxon(pct["post"], pct["pre"]).statistic,
               "d_z": diff.mean() / diff.std(),
               "hake_g": (pct["post"].mean() - pct["pre"].mean()) / (100 - pct["pre"].mean())}
    for form, rows in scores.groupby("form"):
        matrix = rows.pivot(index="participant_id", columns="item_id", values="score")
        k = matrix.shape[1]
        figures[f"alpha_{form}"] = k / (k - 1) * (1 - matrix.var().sum() / matrix.sum(axis=1).var())
        rest = matrix.sum(axis=1).to_numpy()[:, None] - matrix
        figures[f"facility_{form}"] = matrix.mean().mean()
        figures[f"discrimination_{form}"] = matrix.corrwith(rest).mean()
    return figures


def run_benchmark(n_participants: int, n_items: int, workdir: Path) -> dict[str, float]:
    """Time the real command line on simulated files; return seconds, peak bytes and the baseline's seconds."""
    scores, roster = simulate_cohort(n_participants, n_items)
    scores_csv, roster_csv = workdir / "scores.csv", workdir / "roster.csv"
    scores.to_csv(scores_csv, index=False)
    roster.to_csv(roster_csv, index=False)
    command = [sys.executable, "-c", "from wpskit.cli import main; main()", "report",
               "--scores", str(scores_csv), "--roster", str(roster_csv), "--out", str(workdir / "out")]
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, cwd=workdir)
    seconds = time.perf_counter() - start
    peak_bytes = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    start = time.perf_counter()
    stock_baseline(pd.read_csv(scores_csv))
    baseline_seconds = time.perf_counter() - start
    return {"seconds": seconds, "peak_bytes": peak_bytes, "baseline_seconds": baseline_seconds}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--items", type=int, default=40)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="wpskit-bench-") as folder:
        result = run_benchmark(args.participants, args.items, Path(folder))
    rows = args.participants * args.items * 2
    print(f"simulated cohort: {args.participants:,} participants x {args.items} items x pre/post (~{rows:,} rows)")
    print(f"wpskit report:    {result['seconds']:.1f} s, peak memory {result['peak_bytes'] / 1024**2:,.0f} MiB "
          f"(target < {TARGET_SECONDS} s, < {TARGET_BYTES / 1024**3:.0f} GiB)")
    print(f"stock baseline:   {result['baseline_seconds']:.1f} s (pandas groupby + scipy, core figures only, "
          "no charts/HTML/XLSX)")
    print(f"ratio:            {result['seconds'] / result['baseline_seconds']:.1f}x the baseline")
    within = result["seconds"] < TARGET_SECONDS and result["peak_bytes"] < TARGET_BYTES
    print("within target" if within else "OUTSIDE TARGET")
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
