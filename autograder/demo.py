"""``autograder demo``: the whole cycle on a synthetic cohort, with no network and no input."""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import click

from . import cohort
from .course import find_course_root, list_assignments, release_assignment
from .grade import grade
from .reporting import HEADER, flagged_lines, summary_line


def run_demo(directory=None, workers=None, assignments=None):
    started = time.monotonic()
    root = Path(directory or tempfile.mkdtemp(prefix="lrcourse-demo-")).resolve()
    root.mkdir(parents=True, exist_ok=True)
    course = root / "course"
    if course.exists():
        shutil.rmtree(course)
    src_root = find_course_root()
    shutil.copytree(src_root / "source", course / "source")
    shutil.copy(src_root / "nbgrader_config.py", course / "nbgrader_config.py")
    chosen = assignments or list_assignments(course)
    click.echo(f"demo folder: {root}")
    click.echo("1. releasing with nbgrader generate_assignment: " + ", ".join(chosen))
    summaries = []
    for aid in chosen:
        release_assignment(course, aid)
    for aid in chosen:
        release = next((course / "release" / aid).glob("*.ipynb"))
        subs = root / "submissions" / aid
        if subs.exists():
            shutil.rmtree(subs)
        expect = cohort.build(release, aid, subs, packed=True)
        click.echo(f"2. {aid}: synthesised {len(expect)} students; grading ...")
        out = root / "graded" / aid
        rows = grade(aid, subs, out, workers=workers, timeout=6, course_root=course, fresh=True)
        summaries.append((aid, rows, out))
    click.echo("\n3. class summary (autograded points; written answers and figures are graded by hand)")
    click.echo(HEADER)
    for aid, rows, _ in summaries:
        click.echo(summary_line(aid, rows))
    for aid, rows, out in summaries:
        click.echo(f"\n{aid}: report {out / 'report.html'}")
        for line in flagged_lines(rows):
            click.echo(line)
    click.echo(f"\ngrades: {root / 'graded'}/<assignment>/grades.csv; finished in {time.monotonic() - started:.0f} s")
