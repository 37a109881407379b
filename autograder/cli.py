"""The ``autograder`` command line (click)."""

from __future__ import annotations

import sys

import click

from .course import CourseError, find_course_root
from .intake import IntakeError


@click.group()
@click.version_option(package_name="lrcourse")
def main():
    """Grade lrcourse submissions locally, in parallel: sandboxed kernels record, the grader judges."""


@main.command()
@click.argument("assignment")
@click.argument("submissions", type=click.Path())
@click.option("--out", "out", required=True, type=click.Path(file_okay=False), help="Output folder.")
@click.option("--workers", type=click.IntRange(1, 64), default=None, help="Worker processes [default: CPUs].")
@click.option("--timeout", type=click.IntRange(1, 3600), default=30, show_default=True, help="Seconds per cell.")
@click.option("--memory-mb", type=click.IntRange(256, 1 << 20), default=2048, show_default=True,
              help="Memory cap of each kernel.")
@click.option("--budget", type=click.IntRange(5, 36000), default=None,
              help="Hard wall-time budget per notebook, enforced by a kill [default: 3 x timeout + 30].")
@click.option("--course", type=click.Path(exists=True, file_okay=False), default=None,
              help="Course root (holds source/) [default: this repo].")
@click.option("--fresh", is_flag=True, help="Ignore results cached by an earlier run into the same --out.")
@click.option("--secret", default=None, envvar="LRCOURSE_SECRET", show_envvar=True,
              help="Course secret that seeds each submission's random cases [default: the demo's].")
@click.option("--no-sandbox", is_flag=True, help="Run kernels without bubblewrap (every row is flagged unsandboxed).")
@click.option("--dask", "dask_address", default=None, metavar="ADDRESS|local:N",
              help="Grade on a Dask cluster: a scheduler address (tcp://host:8786) or local:N "
                   "(a local cluster of N worker processes), instead of the local pool.")
@click.option("--gradebook", "record_gradebook", is_flag=True,
              help="Also record every result in the course's nbgrader gradebook (gradebook.db, autograded/, "
                   "submitted/) for the formgrader, nbgrader export and generate_feedback.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def grade(assignment, submissions, out, workers, timeout, memory_mb, budget, course, fresh, secret, no_sandbox,
          dask_address, record_gradebook, quiet):
    """Grade ASSIGNMENT for every submission in SUBMISSIONS.

    SUBMISSIONS is a folder in nbgrader layout (<student_id>/<assignment>/<notebook>.ipynb),
    a flat folder of notebooks, or a .zip downloaded from an LMS. In a flat folder or zip the
    student id comes from the file name: Canvas names <name>_<userid>_<subid>_<file>.ipynb
    (also <name>_LATE_...) give <name>; <student>_<notebook>.ipynb gives <student>;
    otherwise the file name. A lone notebook under another name in a student's folder is
    graded and flagged "renamed".

    Writes OUT/grades.csv, OUT/feedback/<student_id>.html and OUT/report.html. Submitted
    files are never modified. Exit status 0 when the batch was graded.
    """
    from .distributed import ClusterError, parse_address
    from .grade import grade as run_grade
    from .reporting import format_summary

    try:
        if dask_address is not None:
            parse_address(dask_address)
            if workers is not None:
                raise ClusterError("--workers is for the local pool; with --dask the cluster's workers grade")
        rows = run_grade(assignment, submissions, out, workers=workers, timeout=timeout, memory_mb=memory_mb,
                         budget=budget, course_root=course, fresh=fresh, progress=not quiet, secret=secret,
                         use_sandbox=not no_sandbox, dask=dask_address, gradebook=record_gradebook)
    except (CourseError, IntakeError, ClusterError) as exc:
        _usage_error(exc)
    click.echo(format_summary(assignment, rows, out))
    if record_gradebook:
        click.echo(f"gradebook: {len(rows)} submissions recorded in {find_course_root(course) / 'gradebook.db'}")


@main.command()
@click.option("--format", "fmt", type=click.Choice(["csv", "canvas"]), default="csv", show_default=True,
              help="csv: a row per student and assignment plus a total row; canvas: Canvas's gradebook import.")
@click.option("--out", "out", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to FILE [default: standard output].")
@click.option("--course", type=click.Path(exists=True, file_okay=False), default=None,
              help="Course root (holds gradebook.db) [default: this folder, else this repo].")
@click.option("--canvas-name", "canvas_names", multiple=True, metavar="ASSIGNMENT=COLUMN",
              help='The Canvas column of an assignment, as Canvas names it, e.g. '
                   '"ps1_update_rule=PS1 update rule (12345)" (repeatable) [default: the assignment id].')
def export(fmt, out, course, canvas_names):
    """Final grades (autograded + hand-graded points) from the course's nbgrader gradebook, as CSV."""
    from .export import final_grades, without_lms_id, write_canvas, write_csv

    try:
        root = find_course_root(course)
        if not (root / "gradebook.db").is_file():
            raise CourseError(f"no gradebook.db in {root}: grade with `autograder grade ... --gradebook` first")
        names = {}
        for item in canvas_names:
            key, sep, value = item.partition("=")
            if not sep or not key.strip() or not value.strip():
                raise CourseError(f"--canvas-name wants ASSIGNMENT=COLUMN, got {item!r}")
            names[key.strip()] = value.strip()
        assignments, grades = final_grades(root)
        unknown = sorted(set(names) - set(assignments))
        if unknown:
            raise CourseError(f"--canvas-name for unknown assignment {', '.join(unknown)} "
                              f"(known: {', '.join(assignments) or 'none'})")
    except CourseError as exc:
        _usage_error(exc)
    fh = open(out, "w", newline="", encoding="utf-8") if out else sys.stdout
    try:
        if fmt == "canvas":
            write_canvas(fh, assignments, grades, names)
        else:
            write_csv(fh, assignments, grades)
    finally:
        if out:
            fh.close()
    missing = without_lms_id(grades)
    if fmt == "canvas" and missing:
        click.echo(f"autograder: note: no Canvas user id for {', '.join(missing)} (not from Canvas file names): "
                   "Canvas matches them by name", err=True)



@main.command()
@click.option("--dir", "directory", type=click.Path(file_okay=False), default=None,
              help="Where to build the demo [default: a new temporary folder].")
@click.option("--workers", type=click.IntRange(1, 64), default=None, help="Worker processes [default: CPUs].")
@click.option("--assignments", default=None, help="Comma-separated subset of assignments [default: all of them].")
def demo(directory, workers, assignments):
    """Release, synthesise a cohort of students, grade every assignment, report."""
    from .demo import run_demo

    chosen = assignments.split(",") if assignments else None
    try:
        run_demo(directory, workers=workers, assignments=chosen)
    except (CourseError, IntakeError) as exc:
        _usage_error(exc)


def _usage_error(exc):
    """A usage error (bad path, unknown assignment): one line on stderr, exit status 2."""
    click.echo(f"autograder: error: {exc}", err=True)
    sys.exit(2)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
