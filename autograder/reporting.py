"""Reporting: grades.csv, report.html with PNG plots, and the terminal summary."""

from __future__ import annotations

import collections
import csv
import html
import math
import os
import statistics
from pathlib import Path

from .model import INFO_FLAGS, UNSANDBOXED

BASE_COLUMNS = ["student_id", "assignment", "auto_score", "auto_max_score", "manual_pending", "flags", "review"]
# after BASE_COLUMNS: the LMS user id, what the assignment is out of (autograded + hand-graded
# points) and the hand-graded points still to grade (0 when there is no notebook to grade)
EXTRA_COLUMNS = ["lms_id", "total_points", "manual_points_pending"]


def progress(total, enabled=True):
    from tqdm import tqdm

    return tqdm(total=total, desc="grading", unit="nb", disable=not enabled or total == 0, leave=True)


def write_csv(path, assignment, rows):
    """grades.csv: one row per student, then the points of every autograded test cell by grade_id."""
    columns = BASE_COLUMNS + EXTRA_COLUMNS + [t.grade_id for t in assignment.tests]
    manual = sum(assignment.manual_points.values())
    tmp = Path(str(path) + ".tmp")
    with open(tmp, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        for row in rows:
            cells = row.cells
            writer.writerow(
                [row.student_id, assignment.assignment_id, f"{row.auto_score:g}", f"{row.auto_max_score:g}",
                 row.manual_pending, ";".join(row.flags), ";".join(row.review), row.lms_id,
                 f"{assignment.max_score + manual:g}", f"{manual if row.manual_pending else 0:g}"]
                + [f"{cells.get(t.grade_id, 0.0):g}" for t in assignment.tests]
            )
    os.replace(tmp, path)


STATUS_LABELS = {
    "not_run": "did not reach its check (error, timeout or crash before it)",
    "invalid_record": "unreadable record",
    "no_check": "no check",
    "wrong": "wrong values",
}


def failure_key(verdict):
    """A short, countable name for why a test cell lost points: the named mistake if any.

    Examples
    --------
    >>> from autograder.model import Verdict
    >>> failure_key(Verdict("test_gd_step_basic", 0.0, 1.0, "wrong", "...", "sign flipped", "gd_step"))
    'gd_step: sign flipped'
    >>> failure_key(Verdict("test_gd_step_basic", 0.0, 1.0, "wrong", "...", None, "gd_step"))
    'gd_step: wrong values'
    """
    label = verdict.mistake or STATUS_LABELS.get(verdict.status, verdict.status)
    return f"{verdict.function or verdict.grade_id}: {label}"


def failure_counts(rows):
    """``Counter`` of failure keys, each student counted once per key."""
    counts = collections.Counter()
    for r in rows:
        counts.update({failure_key(v) for v in r.verdicts if v.points < v.max_points})
    return counts


def _flagged(r):
    """The flags that make a row "flagged" (not the batch-wide unsandboxed, not late/resubmitted notes)."""
    return [f for f in r.flags if f != UNSANDBOXED and f not in INFO_FLAGS]


def summary(rows):
    scores = [r.auto_score for r in rows]
    return {
        "students": len(rows),
        "mean": statistics.fmean(scores) if scores else 0.0,
        "median": statistics.median(scores) if scores else 0.0,
        "max": rows[0].auto_max_score if rows else 0.0,
        "flagged": sum(1 for r in rows if _flagged(r)),
    }


def _plots(out, assignment, rows):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    paths = {}
    scores = [r.auto_score for r in rows]
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.hist(scores, bins=histogram_bins(assignment.max_score), color="#4c72b0", rwidth=0.9)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set(xlabel="auto score", ylabel="students", title=f"{assignment.assignment_id}: score histogram")
    fig.tight_layout()
    paths["histogram"] = out / "score_histogram.png"
    fig.savefig(paths["histogram"], dpi=100, bbox_inches="tight")
    plt.close(fig)

    ids = [t.grade_id for t in assignment.tests]
    rates = [
        sum(1 for r in rows if r.cells.get(t.grade_id, 0) >= t.points) / max(1, len(rows))
        for t in assignment.tests
    ]
    fig, ax = plt.subplots(figsize=(6, 0.35 * len(ids) + 1.2))
    ax.barh(ids[::-1], rates[::-1], color="#55a868")
    ax.set(xlim=(0, 1), xlabel="fraction of students with full points", title="pass rate per test cell")
    fig.tight_layout()
    paths["pass_rate"] = out / "pass_rate.png"
    fig.savefig(paths["pass_rate"], dpi=100, bbox_inches="tight")
    plt.close(fig)

    top = failure_counts(rows).most_common(12)
    # the chart: students who lost points, per function (short labels); the table below it
    # names the mistakes, so the two never repeat each other
    per_function = losses_by_function(rows)
    fig, ax = plt.subplots(figsize=(7, 0.4 * max(1, len(per_function)) + 1.2))
    if per_function:
        names = list(per_function)[::-1]
        ax.barh(names, [per_function[n] for n in names], color="#c44e52")
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.set_xlim(0, max(1, len(rows)))
    ax.set(xlabel="students who lost points", title="where points were lost (by function)")
    fig.tight_layout()
    paths["failures"] = out / "failures.png"
    fig.savefig(paths["failures"], dpi=100, bbox_inches="tight")
    plt.close(fig)
    return paths, top


def histogram_bins(max_score):
    """Bin edges one point wide, centred on the whole scores 0 .. max_score.

    Examples
    --------
    >>> histogram_bins(3)
    [-0.5, 0.5, 1.5, 2.5, 3.5]
    """
    return [x - 0.5 for x in range(int(math.ceil(max_score)) + 2)]


def losses_by_function(rows):
    """``{function: students who lost points in it}``, most first (each student once per function).

    Examples
    --------
    >>> from autograder.model import SubmissionResult, Verdict
    >>> lost = lambda sid, *fns: SubmissionResult(sid, "a", 0, 2, [Verdict(f"t_{f}", 0, 1, "wrong", function=f)
    ...                                                           for f in fns])
    >>> losses_by_function([lost("ada", "f", "g"), lost("bob", "f")])
    {'f': 2, 'g': 1}
    """
    counts = collections.Counter()
    for r in rows:
        counts.update({v.function or v.grade_id for v in r.verdicts if v.points < v.max_points})
    return dict(counts.most_common())


def _link(r):
    sid = html.escape(r.student_id)
    return f"<a href='feedback/{sid}.html'>{sid}</a>"


def write_report(out, assignment, rows, sandbox_status=None):
    paths, top = _plots(out, assignment, rows)
    s = summary(rows)
    flagged = "".join(
        f"<tr><td>{_link(r)}</td><td>{r.auto_score:g}</td><td>{html.escape('; '.join(_flagged(r)))}</td>"
        f"<td><pre>{html.escape((r.detail + chr(10) + r.cause).strip())}</pre></td></tr>"
        for r in rows
        if _flagged(r)
    )
    review = "".join(
        f"<tr><td>{_link(r)}</td><td>{r.auto_score:g}</td><td>{html.escape('; '.join(r.review))}</td></tr>"
        for r in rows
        if r.review
    )
    students = "".join(
        f"<tr><td>{_link(r)}</td><td>{r.auto_score:g} / {r.auto_max_score:g}</td>"
        f"<td>{html.escape('; '.join(r.flags))}</td></tr>"
        for r in rows
    )
    failures = "".join(f"<tr><td>{n}</td><td>{html.escape(k)}</td></tr>" for k, n in top)
    warning = ""
    if sandbox_status is not None and not sandbox_status.available:
        warning = (f"<p style='color:#a00'><b>Kernels ran without the sandbox</b>: {html.escape(sandbox_status.reason)}."
                   " Every row is flagged <code>unsandboxed</code>.</p>")
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{assignment.assignment_id} class report</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:auto}} td,th{{padding:3px 8px;text-align:left;vertical-align:top}}
pre{{white-space:pre-wrap;overflow-wrap:anywhere;margin:0}} img{{max-width:100%}}</style></head>
<body><h1>{assignment.assignment_id}: class report</h1>{warning}
<p>{s['students']} students; mean {s['mean']:.2f}, median {s['median']:.2f} of {s['max']:g}; {s['flagged']} flagged.
Scores are autograded points; written answers and figures are graded by hand.</p>
<h2>Score histogram</h2><img src="{paths['histogram'].name}" alt="score histogram">
<h2>Pass rate per test cell</h2><img src="{paths['pass_rate'].name}" alt="pass rate per test">
<h2>Where points were lost</h2><img src="{paths['failures'].name}" alt="students who lost points, by function">
<h3>Most frequent failures, by named mistake</h3>
<table><tr><th>students</th><th>function: mistake</th></tr>{failures}</table>
<h2>Flagged submissions</h2><table><tr><th>student</th><th>score</th><th>flags</th><th>cause</th></tr>{flagged}</table>
<h2>For review (notes from a static look at the code; they never change a score)</h2>
<table><tr><th>student</th><th>score</th><th>notes</th></tr>{review}</table>
<h2>All students</h2><table><tr><th>student</th><th>score</th><th>flags</th></tr>{students}</table>
</body></html>"""
    (out / "report.html").write_text(page, encoding="utf-8")


def write_outputs(out, assignment, rows, sandbox_status=None):
    out = Path(out)
    write_csv(out / "grades.csv", assignment, rows)
    write_report(out, assignment, rows, sandbox_status)


HEADER = f"{'assignment':<18}{'students':>9}{'mean':>8}{'median':>8}{'max':>6}{'flagged':>9}"


def summary_line(assignment_id, rows):
    s = summary(rows)
    return f"{assignment_id:<18}{s['students']:>9}{s['mean']:>8.2f}{s['median']:>8.2f}{s['max']:>6g}{s['flagged']:>9}"


def flagged_lines(rows):
    return [f"  flagged {r.student_id}: {'; '.join(_flagged(r))}" for r in rows if _flagged(r)]


def format_summary(assignment_id, rows, out):
    """The terminal summary of one graded batch."""
    lines = [HEADER, summary_line(assignment_id, rows), *flagged_lines(rows)]
    if any(UNSANDBOXED in r.flags for r in rows):
        lines.append("WARNING: kernels ran WITHOUT the bubblewrap sandbox (every row is flagged unsandboxed)")
    lines.append(f"report: {Path(out) / 'report.html'}")
    return "\n".join(lines)
