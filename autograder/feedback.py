"""Feedback: nbgrader's feedback HTML, with the final scores and without hidden tests.

The final (re-verified) score of each test cell is written into the gradebook as a
manual override where it differs from nbgrader's, so the feedback shows the score the
student really got. nbgrader's ``ClearHiddenTests`` removes the hidden source, kernels
run with minimal tracebacks, and the messages carry no expected values; a last check
refuses any page in which a line of a hidden test still appears and falls back to a
plain page built from the results.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

TAG = re.compile(r"<[^>]+>")


def page_text(raw_html):
    """The visible text of an HTML page (tags removed, entities decoded)."""
    return html.unescape(TAG.sub("", raw_html))


def leaked_lines(raw_html, hidden_lines):
    text = page_text(raw_html)
    return [line for line in hidden_lines if len(line) > 8 and line in text]


def _override_scores(settings, student_id, result):
    from nbgrader.api import Gradebook, MissingEntry

    db_url = f"sqlite:///{Path(settings.workspace) / 'gradebook.db'}"
    with Gradebook(db_url) as gb:
        for grade_id, score in result["cells"].items():
            try:
                grade = gb.find_grade(grade_id, settings.notebook, settings.assignment_id, student_id)
            except MissingEntry:
                continue
            # an override only where the verified score differs; clear a stale one from a re-run
            grade.manual_score = score if grade.auto_score != score else None
        gb.db.commit()


def _banner(result):
    rows = "".join(
        f"<tr><td>{html.escape(gid)}</td><td>{score:g}</td><td><pre>{html.escape(result['messages'].get(gid, ''))}"
        "</pre></td></tr>"
        for gid, score in result["cells"].items()
    )
    flags = html.escape("; ".join(result["flags"])) or "none"
    return (
        '<div style="border:2px solid #444;padding:1em;margin:1em;font-family:sans-serif">'
        f"<h2>{html.escape(result['student_id'])}: {result['auto_score']:g} / {result['auto_max_score']:g}"
        f" (autograded)</h2><p>Flags: {flags}. Answers graded by hand: {result['manual_pending']} pending.</p>"
        f"<table border=1 cellpadding=4><tr><th>test</th><th>points</th><th>message</th></tr>{rows}</table></div>"
    )


def fallback_page(result, detail=""):
    detail_html = f"<p>{html.escape(detail)}</p>" if detail else ""
    return f"<!DOCTYPE html><html><body>{_banner(result)}{detail_html}</body></html>"


def write_feedback(api, settings, assignment, student_id, result, out_html):
    """Write the student's feedback page to ``out_html``; return a reason if it fell back."""
    out_html = Path(out_html)
    out_html.parent.mkdir(parents=True, exist_ok=True)
    ws = Path(settings.workspace)
    nb_html = ws / "feedback" / student_id / settings.assignment_id / f"{settings.notebook}.html"
    autograded = ws / "autograded" / student_id / settings.assignment_id / f"{settings.notebook}.ipynb"
    reason = ""
    if autograded.exists():
        try:
            _override_scores(settings, student_id, result)
            if nb_html.exists():
                nb_html.unlink()
            api.generate_feedback(settings.assignment_id, student_id, force=True)
        except Exception as exc:  # noqa: BLE001 - feedback must not sink the grade
            reason = f"feedback failed: {type(exc).__name__}"
    if nb_html.exists():
        raw = nb_html.read_text(encoding="utf-8")
        leaks = leaked_lines(raw, assignment.hidden_lines)
        if leaks:
            reason = "hidden test lines found in nbgrader's feedback; replaced by a summary"
        else:
            raw = raw.replace("<body>", "<body>" + _banner(result), 1) if "<body>" in raw else _banner(result) + raw
            out_html.write_text(raw, encoding="utf-8")
            return reason
    out_html.write_text(fallback_page(result, reason), encoding="utf-8")
    return reason or "no executed notebook"
