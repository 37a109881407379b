"""Feedback: the student's page, from the executed notebook and the judge's verdicts.

The page is the notebook as it ran (through :class:`~autograder.preprocessors.FeedbackView`:
no recorder, test cells as the release shows them, only plain-text and PNG outputs,
capped in bytes) rendered by nbconvert, under a summary of the verdicts: for each test
cell its points and, for the first failing case, the input, what came back, what was
expected and the likely mistake. Hidden test source never reaches the kernel, so it
cannot reach the page; :func:`leaked_lines` checks that anyway and the page falls back
to the summary alone if a hidden line shows up. Flags meant for the TA stay off it.
"""

from __future__ import annotations

import functools
import html
import re
from pathlib import Path

from .model import SubmissionResult

TAG = re.compile(r"<[^>]+>")


def page_text(raw_html):
    """The visible text of an HTML page (tags removed, entities decoded)."""
    return html.unescape(TAG.sub("", raw_html))


def leaked_lines(raw_html, hidden_lines):
    """Lines of hidden test source that appear in the page's text."""
    text = page_text(raw_html)
    return [line for line in hidden_lines if len(line) > 8 and line in text]


STYLE = """
<style>
.lrc-summary{border:2px solid #444;padding:1em;margin:1em 0;font-family:sans-serif;max-width:100%;box-sizing:border-box}
.lrc-summary table{border-collapse:collapse;width:100%;table-layout:fixed}
.lrc-summary td,.lrc-summary th{border:1px solid #bbb;padding:4px;vertical-align:top;text-align:left}
.lrc-summary th.test{width:16em}.lrc-summary th.pts{width:6em}
.lrc-summary pre{white-space:pre-wrap;overflow-wrap:anywhere;margin:0;font-size:90%}
</style>
"""


def summary_html(result: SubmissionResult, manual_points=None):
    """The verdict table at the top of the page."""
    rows = []
    for v in result.verdicts:
        rows.append(
            f"<tr><td>{html.escape(v.grade_id)}</td><td>{v.points:g} / {v.max_points:g}</td>"
            f"<td><pre>{html.escape(v.message)}</pre></td></tr>"
        )
    for gid, pts in (manual_points or {}).items():
        rows.append(f"<tr><td>{html.escape(gid)}</td><td>pending / {pts:g}</td>"
                    "<td><pre>graded by hand (written answer or figure)</pre></td></tr>")
    flags = html.escape("; ".join(result.student_flags())) or "none"
    detail = f"<p>{html.escape(result.detail)}</p>" if result.detail else ""
    pending = sum((manual_points or {}).values()) if result.manual_pending else 0
    return (
        f'{STYLE}<div class="lrc-summary"><h2>{html.escape(result.student_id)}: '
        f"{result.auto_score:g} / {result.auto_max_score:g} autograded points</h2>"
        f"<p>Notes on the notebook: {flags}. Written answers and figures: {pending:g} points, "
        f"pending (graded by hand).</p>{detail}"
        '<table><tr><th class="test">test</th><th class="pts">points</th><th>message</th></tr>'
        f"{''.join(rows)}</table></div>"
    )


def fallback_page(result, manual_points=None):
    """A page with the summary only (no executed notebook to show)."""
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(result.student_id)}</title>"
            f"</head><body>{summary_html(result, manual_points)}</body></html>")


@functools.lru_cache(maxsize=1)
def _exporter():
    from .pagemath import PageExporter

    exporter = PageExporter()  # nbconvert's lab template, math as MathML: no network needed
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    return exporter


def render_page(executed_nb, result, assignment, manual_points=None):
    """The student's page as HTML text (see the module docstring)."""
    from .pagemath import defang_markdown
    from .preprocessors import FeedbackView

    nb, _ = FeedbackView(assignment=assignment).preprocess(executed_nb, {})
    for cell in nb.cells:
        if cell.cell_type == "markdown":  # the student's raw HTML shows as text (the TA opens this page too)
            cell.source = defang_markdown(cell.source)
    body, _ = _exporter().from_notebook_node(nb)
    if leaked_lines(body, assignment.hidden_lines):
        return fallback_page(result, manual_points)
    banner = summary_html(result, manual_points)
    if "<body" in body:
        return re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + banner, body, count=1)
    return banner + body


def write_page(path, text):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
