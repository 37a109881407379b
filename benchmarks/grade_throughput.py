"""Throughput: plain ``nbgrader autograde`` vs ``autograder grade`` on the same cohort, one run.

Usage (from the repo root, after ``make test`` or ``make demo`` built .venv)::

    .venv/bin/python benchmarks/grade_throughput.py [--students 40] [--assignments ps1_update_rule,ps2_schedules]
                                                    [--sizes 10,40,160]

For each assignment: seconds per submission of one plain ``nbgrader autograde`` process and of
``autograder grade`` (sandboxed kernels, judging, feedback pages, report) on the same
cohort; the floor, i.e. starting one sandboxed interpreter and executing the notebook's
cells (measured with the same sandbox on a sample, one at a time), times the cohort size,
divided by the cores; and the peak memory of a worker. ``--sizes`` also grades cohorts of
those sizes to show the cost per submission stays flat. The ratios are printed last.
Wall-clock numbers on a shared machine are noisy: run it twice and read the ratios.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat
import psutil

from autograder import cohort, sandbox
from autograder.course import load_assignment, release_assignment
from autograder.execution import Settings, run_notebook

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


def floor_per_notebook(subs, sample, assignment_id):
    """Mean wall time to start a sandboxed kernel (numpy imported) and run a notebook's cells."""
    status = sandbox.probe()
    settings = Settings(workspace=tempfile.mkdtemp(), course_root=str(ROOT), assignment_id=assignment_id,
                        notebook="", sandbox=status.available, bwrap=status.bwrap)
    times = []
    for path in sorted(subs.glob("*/*/*.ipynb"))[:sample]:
        nb = nbformat.read(path, as_version=4)
        nb.cells.insert(0, nbformat.v4.new_code_cell("import numpy"))
        scratch = Path(tempfile.mkdtemp(prefix="lrc-floor-"))
        sandbox.prepare_scratch(scratch, settings.sandbox_spec())
        started = time.monotonic()
        run_notebook(nb, scratch, settings, 0)
        times.append(time.monotonic() - started)
        shutil.rmtree(scratch, ignore_errors=True)
    return statistics.mean(times)


class PeakMemory:
    """Peak RSS of any single child process of this one (the grading workers), sampled."""

    def __init__(self):
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        me = psutil.Process()
        while not self._stop.is_set():
            for child in me.children(recursive=True):
                try:
                    if "autograder" in " ".join(child.cmdline()) or "multiprocessing" in " ".join(child.cmdline()):
                        self.peak = max(self.peak, child.memory_info().rss)
                except psutil.Error:
                    pass
            time.sleep(0.2)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def grade_seconds(bindir, assignment_id, subs, out, cores):
    started = time.monotonic()
    subprocess.run([f"{bindir}/autograder", "grade", assignment_id, str(subs), "--out", str(out), "--workers",
                    str(cores), "--fresh", "--quiet"], check=True, capture_output=True)
    return time.monotonic() - started


def bench(assignment_id, n, sizes, sample, cores, bindir, work):
    assignment = load_assignment(ROOT, assignment_id)
    course = work / assignment_id / "course"
    shutil.copytree(ROOT / "source" / assignment_id, course / "source" / assignment_id)
    shutil.copy(ROOT / "nbgrader_config.py", course / "nbgrader_config.py")
    release_assignment(course, assignment_id)
    release = course / "release" / assignment_id / f"{assignment.notebook}.ipynb"
    make_cohort(assignment_id, release, course / "submitted", n)
    subs = work / assignment_id / "subs"
    shutil.copytree(course / "submitted", subs)

    started = time.monotonic()
    subprocess.run([f"{bindir}/nbgrader", "autograde", assignment_id, "--force"], cwd=course, check=True,
                   capture_output=True)
    plain = time.monotonic() - started
    with PeakMemory() as memory:
        ours = grade_seconds(bindir, assignment_id, subs, work / assignment_id / "out", cores)
    per_nb = floor_per_notebook(subs, sample, assignment_id)
    floor = per_nb * n / cores
    print(f"\n{assignment_id}: {n} submissions, {cores} cores")
    print(f"  plain nbgrader autograde : {plain:7.1f} s  ({plain / n:.2f} s/submission)")
    print(f"  autograder grade         : {ours:7.1f} s  ({ours / n:.2f} s/submission), "
          f"peak worker memory {memory.peak / 2**20:.0f} MiB")
    print(f"  floor: sandboxed start + cells {per_nb:.2f} s/notebook / {cores} cores = {floor:.1f} s "
          f"({floor / n:.2f} s/submission)")
    growth = []
    for size in sizes:
        sized = work / assignment_id / f"subs{size}"
        make_cohort(assignment_id, release, sized, size)
        seconds = grade_seconds(bindir, assignment_id, sized, work / assignment_id / f"out{size}", cores)
        growth.append((size, seconds / size))
    if growth:
        print("  cost growth: " + ", ".join(f"{size} -> {per:.2f} s/submission" for size, per in growth))
    return assignment_id, plain / ours, ours / floor


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--assignments", default="ps1_update_rule,ps2_schedules")
    parser.add_argument("--sizes", default="", help="comma-separated cohort sizes for the cost-growth table")
    parser.add_argument("--sample", type=int, default=6, help="notebooks timed for the floor")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    bindir = str(Path(sys.executable).parent)
    os.environ["PATH"] = bindir + os.pathsep + os.environ["PATH"]
    sizes = [int(s) for s in args.sizes.split(",") if s]
    work = Path(tempfile.mkdtemp(prefix="lrbench-"))
    try:
        ratios = [bench(a, args.students, sizes, args.sample, cores, bindir, work)
                  for a in args.assignments.split(",")]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print()
    for assignment_id, speedup, over_floor in ratios:
        print(f"{assignment_id}: speed-up vs plain nbgrader {speedup:.2f}x; autograder / floor {over_floor:.2f}x")


if __name__ == "__main__":
    main()
