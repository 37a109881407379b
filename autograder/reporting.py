"""Reporting: grades.csv, report.html with PNG plots, and the terminal summary."""

from __future__ import annotations

import collections
import csv
import html
import os
import statistics
from pathlib import Path

BASE_COLUMNS = ["student_id", "assignment", "auto_score", "auto_max_score", "manual_pending", "flags"]


def progress(total, enabled=True):
    from tqdm import tqdm

    return tqdm(total=total, desc="grading", unit="nb", disable=not enabled or total == 0, leave=True)


def write_csv(path, assignment, rows):
    columns = BASE_COLUMNS + [t.grade_id for t in assignment.tests]
    tmp = Path(str(path) + ".tmp")
    with open(tmp, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        for row in rows:
            writer.writerow(
                [row["student_id"], assignment.assignment_id, f"{row['auto_score']:g}", f"{row['auto_max_score']:g}",
                 row["manual_pending"], ";".join(row["flags"])]
                + [f"{row['cells'].get(t.grade_id, 0.0):g}" for t in assignment.tests]
            )
    os.replace(tmp, path)


def failure_key(function, message):
    r"""A short, countable name for why a function's test failed: the named mistake if any.

    Examples
    --------
    >>> failure_key("gd_step", "gd_step (basic): 4 of 4 wrong.\nLikely mistake: sign flipped.")
    'gd_step: sign flipped'
    >>> failure_key("gd_step", "test_gd_step_basic stopped at: NotImplementedError")
    'gd_step: not implemented'
    """
    for line in message.splitlines():
        if line.startswith("Likely mistake:"):
            return f"{function}: {line[len('Likely mistake:'):].strip().rstrip('.')}"
    for needle, label in (
        ("NotImplementedError", "not implemented"),
        ("input mutated", "input mutated"),
        ("set to 0", "tampering"),
        ("did not run", "did not run (timeout or crash)"),
        ("stopped at: AssertionError", "fails a visible test"),
        ("stopped at:", "raises an error"),
        ("should raise", "does not raise ValueError where it should"),
    ):
        if needle in message:
            return f"{function}: {label}"
    return f"{function}: wrong values"


def failure_counts(assignment, rows):
    """``Counter`` of failure keys, each student counted once per key."""
    counts = collections.Counter()
    for r in rows:
        keys = {
            failure_key(t.function or t.grade_id, r["messages"][t.grade_id])
            for t in assignment.tests
            if r["cells"].get(t.grade_id, 0) < t.points and r["messages"].get(t.grade_id)
        }
        counts.update(keys)
    return counts


def summary(rows):
    scores = [r["auto_score"] for r in rows]
    return {
        "students": len(rows),
        "mean": statistics.fmean(scores) if scores else 0.0,
        "median": statistics.median(scores) if scores else 0.0,
        "max": rows[0]["auto_max_score"] if rows else 0.0,
        "flagged": sum(1 for r in rows if r["flags"]),
    }


def _plots(out, assignment, rows):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    paths = {}
    scores = [r["auto_score"] for r in rows]
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.hist(scores, bins=min(20, max(5, len(set(scores)))), range=(0, assignment.max_score), color="#4c72b0")
    ax.set(xlabel="auto score", ylabel="students", title=f"{assignment.assignment_id}: score histogram")
    fig.tight_layout()
    paths["histogram"] = out / "score_histogram.png"
    fig.savefig(paths["histogram"], dpi=100)
    plt.close(fig)

    ids = [t.grade_id for t in assignment.tests]
    rates = [
        sum(1 for r in rows if r["cells"].get(t.grade_id, 0) >= t.points) / max(1, len(rows))
        for t in assignment.tests
    ]
    fig, ax = plt.subplots(figsize=(6, 0.35 * len(ids) + 1.2))
    ax.barh(ids[::-1], rates[::-1], color="#55a868")
    ax.set(xlim=(0, 1), xlabel="fraction of students with full points", title="pass rate per test cell")
    fig.tight_layout()
    paths["pass_rate"] = out / "pass_rate.png"
    fig.savefig(paths["pass_rate"], dpi=100)
    plt.close(fig)

    top = failure_counts(assignment, rows).most_common(12)
    fig, ax = plt.subplots(figsize=(10, 0.4 * max(1, len(top)) + 1.2))
    if top:
        labels = [k if len(k) <= 70 else k[:67] + "..." for k, _ in top]
        ax.barh(labels[::-1], [v for _, v in top][::-1], color="#c44e52")
        ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set(xlabel="students", title="most frequent failures (by named mistake)")
    fig.tight_layout()
    paths["failures"] = out / "failures.png"
    fig.savefig(paths["failures"], dpi=100)
    plt.close(fig)
    return paths, top


def write_report(out, assignment, rows):
    paths, top = _plots(out, assignment, rows)
    s = summary(rows)
    flagged = "".join(
        f"<tr><td><a href='feedback/{html.escape(r['student_id'])}.html'>{html.escape(r['student_id'])}</a></td>"
        f"<td>{r['auto_score']:g}</td><td>{html.escape('; '.join(r['flags']))}</td>"
        f"<td>{html.escape(r.get('detail') or '')}</td></tr>"
        for r in rows
        if r["flags"]
    )
    failures = "".join(f"<tr><td>{n}</td><td>{html.escape(k)}</td></tr>" for k, n in top)
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{assignment.assignment_id} class report</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:auto}} td,th{{padding:3px 8px;text-align:left}}</style></head>
<body><h1>{assignment.assignment_id}: class report</h1>
<p>{s['students']} students; mean {s['mean']:.2f}, median {s['median']:.2f} of {s['max']:g}; {s['flagged']} flagged.
Scores are autograded points; written answers and figures are graded by hand.</p>
<h2>Score histogram</h2><img src="{paths['histogram'].name}" alt="score histogram">
<h2>Pass rate per test cell</h2><img src="{paths['pass_rate'].name}" alt="pass rate per test">
<h2>Most frequent failures</h2><img src="{paths['failures'].name}" alt="most frequent failures">
<table><tr><th>students</th><th>failure</th></tr>{failures}</table>
<h2>Flagged submissions</h2><table><tr><th>student</th><th>score</th><th>flags</th><th>detail</th></tr>{flagged}</table>
</body></html>"""
    (out / "report.html").write_text(page, encoding="utf-8")


def write_outputs(out, assignment, rows):
    out = Path(out)
    write_csv(out / "grades.csv", assignment, rows)
    write_report(out, assignment, rows)


HEADER = f"{'assignment':<18}{'students':>9}{'mean':>8}{'median':>8}{'max':>6}{'flagged':>9}"


def summary_line(assignment_id, rows):
    s = summary(rows)
    return f"{assignment_id:<18}{s['students']:>9}{s['mean']:>8.2f}{s['median']:>8.2f}{s['max']:>6g}{s['flagged']:>9}"


def flagged_lines(rows):
    return [f"  flagged {r['student_id']}: {'; '.join(r['flags'])}" for r in rows if r["flags"]]


def format_summary(assignment_id, rows, out):
    """The terminal summary of one graded batch."""
    lines = [HEADER, summary_line(assignment_id, rows), *flagged_lines(rows)]
    lines.append(f"report: {Path(out) / 'report.html'}")
    return "\n".join(lines)
