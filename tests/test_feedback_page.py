"""The student's page: pending answers, no TA flags, no network, and what a real browser lays out.

The page is built from the release notebook (no kernel runs) with a wide figure and long,
unbreakable failure messages, then opened offline in headless Chromium from the system
packages: nothing may overflow the window, images must fit and not be clipped, the
message column must wrap and the math must be laid out as math (a fraction's numerator
above its denominator).
"""

from __future__ import annotations

import base64
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest

from autograder import feedback
from autograder.course import load_assignment
from autograder.model import GRADER_ERROR, LATE, UNSANDBOXED, SubmissionResult, Verdict

ROOT = Path(__file__).resolve().parent.parent
A, NB = "ps1_update_rule", "update_rule"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
WIDTH = 800
PROBE = """<script>
window.addEventListener('load', () => {
  const box = e => e.getBoundingClientRect();
  const clipped = img => { const r = box(img); let p = img.parentElement;
    for (; p && p !== document.body; p = p.parentElement) { const s = getComputedStyle(p), q = box(p);
      if ((s.overflowX === 'hidden' || s.overflow === 'hidden') && (r.right > q.right + 1 || r.left < q.left - 1))
        return true; }
    return false; };
  const fracs = [...document.querySelectorAll('mfrac')].map(f => [box(f.children[0]).bottom, box(f.children[1]).top]);
  const out = {
    scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
    maths: document.querySelectorAll('math').length,
    flatMaths: [...document.querySelectorAll('math')].filter(m => box(m).width === 0).length,
    fracs, images: [...document.querySelectorAll('img')].map(i => ({right: box(i).right, natural: i.naturalWidth,
                                                                   width: box(i).width, clipped: clipped(i)})),
    messages: [...document.querySelectorAll('.lrc-summary pre')].map(p => [p.scrollWidth, p.clientWidth]),
    wide: [...document.querySelectorAll('body *')].filter(e => box(e).right > window.innerWidth + 1)
            .slice(0, 5).map(e => e.tagName + '.' + e.className),
  };
  const pre = document.createElement('pre'); pre.id = 'lrc-probe'; pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>"""


def _wide_png():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(16, 3), dpi=100)  # 1600 px: wider than the window
    ax.plot([0, 1, 2], [2, 0, 1])
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode()


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    assignment = load_assignment(ROOT, A)
    nb = nbformat.read(ROOT / "release" / A / f"{NB}.ipynb", as_version=4)
    code = next(c for c in nb.cells if c.cell_type == "code")
    code.outputs = [nbformat.v4.new_output("display_data", data={"image/png": _wide_png(), "text/plain": "<Figure>"})]
    long = "x" * 600
    verdicts = [Verdict(t.grade_id, 0.0, t.points, "wrong", f"First wrong case: {t.function}({long})\n  expected: "
                        + "[" + ", ".join(["1.000000"] * 80) + "]", "a named mistake", t.function)
                for t in assignment.tests]
    result = SubmissionResult("ada", A, 0.0, assignment.max_score, verdicts, flags=[LATE, UNSANDBOXED, GRADER_ERROR],
                              manual_pending=len(assignment.manual_ids))
    text = feedback.render_page(nb, result, assignment, assignment.manual_points)
    path = tmp_path_factory.mktemp("page") / "ada.html"
    path.write_text(text, encoding="utf-8")
    return {"text": text, "path": path, "assignment": assignment}


def test_pending_answers_and_no_flags_for_the_ta(page):
    text, assignment = page["text"], page["assignment"]
    summary = text[text.index('<div class="lrc-summary">'):]
    summary = summary[:summary.index("</table>")]
    for gid, points in assignment.manual_points.items():
        assert re.search(rf"<td>{gid}</td><td>pending / {points:g}</td>", summary), gid
        assert not re.search(rf"<td>{gid}</td><td>0", summary), gid  # not "0 / 2" while ungraded
    assert f"{sum(assignment.manual_points.values()):g} points, pending" in summary
    body = feedback.page_text(text)
    assert "late" in body and UNSANDBOXED not in body and GRADER_ERROR not in body


def test_no_network_needed(page):
    text = page["text"]
    assert not re.findall(r"""(?:src|href)=["']?(?:https?:)?//""", text)  # no CDN script, style or font
    assert "MathJax" not in text and "<math" in text


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (Debian: apt-get install chromium); "
                                              "the browser layout checks need it")
def test_the_page_in_a_real_browser(page, tmp_path):
    probe = tmp_path / "probe.html"
    probe.write_text(page["text"].replace("</body>", PROBE + "</body>"), encoding="utf-8")
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--host-resolver-rules=MAP * ~NOTFOUND",
           f"--window-size={WIDTH},900", "--virtual-time-budget=10000", "--dump-dom", probe.as_uri()]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    found = re.search(r'<pre id="lrc-probe">(.*?)</pre>', proc.stdout, re.S)
    assert found, proc.stderr[-2000:]
    seen = json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    assert seen["innerWidth"] == WIDTH
    assert seen["scrollWidth"] <= WIDTH and not seen["wide"], seen["wide"]  # nothing overflows sideways
    assert seen["messages"] and all(sw <= cw for sw, cw in seen["messages"])  # the message column wraps
    assert seen["images"] and all(i["right"] <= WIDTH and not i["clipped"] for i in seen["images"])
    assert any(i["natural"] > WIDTH and i["width"] < i["natural"] for i in seen["images"])  # scaled, not cut
    assert seen["maths"] > 20 and seen["flatMaths"] == 0 and seen["fracs"]
    assert all(num <= den + 0.5 for num, den in seen["fracs"])  # numerator drawn above the denominator
