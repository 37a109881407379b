"""Throughput: plain ``nbgrader autograde`` vs ``autograder grade`` on the same cohort, one run.

Usage (from the repo root, after ``make test`` or ``make demo`` built .venv)::

    .venv/bin/python benchmarks/grade_throughput.py [--students 40] [--assignment ps1_update_rule]

Prints seconds per submission for each, their ratio, and the floor: kernel start plus
cell execution per notebook (measured with nbclient on a sample), times the cohort size,
divided by the number of cores. Wall-clock numbers on a shared machine are noisy: run it
twice and read the ratio, not the absolute times.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from autograder import cohort
from autograder.course import load_assignment
from autograder.execution import Settings, make_api

ROOT = Path(__file__).resolve().parent.parent


def make_cohort(assignment, release, dest, n):
    pool = Path(tempfile.mkdtemp())
    expect = cohort.build(release, assignment, pool, include_slow=False)
    gradable = [s for s, (kind, _) in expect.items() if kind in ("full", "below_full")]
    for i in range(n):
        src = pool / gradable[i % len(gradable)] / assignment
        nb_file = next(src.glob("*.ipynb"))
        folder = dest / f"s{i:03d}" / assignment
        folder.mkdir(parents=True)
        shutil.copy(nb_file, folder / release.name)
    shutil.rmtree(pool)


def floor_seconds(dest, sample, cores):
    times = []
    notebooks = sorted(dest.glob("*/*/*.ipynb"))
    for path in notebooks[:sample]:
        nb = nbformat.read(path, as_version=4)
        started = time.monotonic()
        NotebookClient(nb, kernel_name="python3", timeout=60, allow_errors=True,
                       resources={"metadata": {"path": str(path.parent)}}).execute()
        times.append(time.monotonic() - started)
    return statistics.mean(times) * len(notebooks) / cores, statistics.mean(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--assignment", default="ps1_update_rule")
    parser.add_argument("--sample", type=int, default=8, help="notebooks timed for the floor")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    bindir = str(Path(sys.executable).parent)
    os.environ["PATH"] = bindir + os.pathsep + os.environ["PATH"]
    assignment = load_assignment(ROOT, args.assignment)
    work = Path(tempfile.mkdtemp(prefix="lrbench-"))
    course = work / "course"
    shutil.copytree(ROOT / "source" / args.assignment, course / "source" / args.assignment)
    shutil.copy(ROOT / "nbgrader_config.py", course / "nbgrader_config.py")
    api = make_api(Settings(workspace=str(course), assignment_id="", notebook=""))
    assert api.generate_assignment(args.assignment, force=True)["success"]
    release = course / "release" / args.assignment / f"{assignment.notebook}.ipynb"
    make_cohort(args.assignment, release, course / "submitted", args.students)
    shutil.copytree(course / "submitted", work / "subs")

    started = time.monotonic()
    subprocess.run([f"{bindir}/nbgrader", "autograde", args.assignment, "--force"], cwd=course, check=True,
                   capture_output=True)
    plain = time.monotonic() - started

    started = time.monotonic()
    subprocess.run([f"{bindir}/autograder", "grade", args.assignment, str(work / "subs"), "--out",
                    str(work / "out"), "--workers", str(cores), "--fresh", "--quiet"], check=True,
                   capture_output=True)
    ours = time.monotonic() - started

    floor, per_nb = floor_seconds(work / "subs", args.sample, cores)
    n = args.students
    print(f"cohort: {n} submissions of {args.assignment}, {cores} cores")
    print(f"plain nbgrader autograde : {plain:7.1f} s  ({plain / n:.2f} s/submission)")
    print(f"autograder grade         : {ours:7.1f} s  ({ours / n:.2f} s/submission)")
    print(f"floor (kernel start + cells, {per_nb:.2f} s/notebook, / {cores} cores): {floor:.1f} s "
          f"({floor / n:.2f} s/submission)")
    print(f"speed-up vs plain nbgrader: {plain / ours:.2f}x; autograder / floor: {ours / floor:.2f}x")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
