"""Every assignment through the real ``autograder grade``: correct styles get full marks, each
common mistake loses points in its own function's tests and is named in the feedback."""

from __future__ import annotations

import csv
import html
import re
import subprocess
import sys
from pathlib import Path

import pytest

from autograder import cohort
from autograder.course import load_assignment

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = {"ps2_schedules": "schedules", "ps3_momentum": "momentum", "ps4_diagnosis": "diagnosis",
             "ps5_adaptive": "adaptive"}


@pytest.mark.slow
@pytest.mark.parametrize("assignment", sorted(NOTEBOOKS))
def test_packed_cohort(assignment, tmp_path):
    subs = tmp_path / "subs"
    expect = cohort.build(ROOT / "release" / assignment / f"{NOTEBOOKS[assignment]}.ipynb", assignment, subs,
                          include_slow=False, packed=True)
    keep = {s for s, (kind, _) in expect.items() if s.startswith(("correct", "mistakes"))}
    for student in expect:
        if student not in keep:
            subprocess.run(["rm", "-rf", str(subs / student)], check=True)
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "autograder.cli", "grade", assignment, str(subs), "--out", str(out),
                           "--workers", "2", "--quiet"], capture_output=True, text=True, cwd=ROOT, timeout=900)
    assert proc.returncode == 0, proc.stderr[-2000:]
    rows = {r["student_id"]: r for r in csv.DictReader(open(out / "grades.csv"))}
    loaded = load_assignment(ROOT, assignment)
    tests = loaded.tests
    hidden = {line for line in loaded.hidden_lines if len(line) > 8}
    for page in (out / "feedback").glob("*.html"):
        text = html.unescape(re.sub(r"<[^>]+>", "", page.read_text()))
        assert not [line for line in hidden if line in text], f"{page.name} leaks a hidden test line"
        assert "Traceback" not in text and "lrcourse" not in text, page.name
    assert set(rows) == keep
    for student in sorted(keep):
        kind, labels = expect[student]
        row = rows[student]
        if kind == "full":
            assert row["auto_score"] == row["auto_max_score"] and row["flags"] == "", (student, row)
            continue
        assert row["flags"] == "", f"{student}: honest mistakes are not flagged ({row['flags']})"
        text = html.unescape(re.sub(r"<[^>]+>", "", (out / "feedback" / f"{student}.html").read_text()))
        for function, label in labels.items():
            lost = [t for t in tests if t.function == function and float(row[t.grade_id]) < t.points]
            assert lost, f"{student}: the mistake {label!r} in {function} lost no points"
            assert label in text or "input mutated" in text, f"{student}: {label!r} is not named in the feedback"
        shows_case = "returned:" in text and "expected:" in text
        assert shows_case or "input mutated" in text, f"{student}: the page does not show the failing case"


def test_demo_runs_the_whole_cycle(tmp_path):
    """The README's main command, on one assignment to keep the suite short."""
    proc = subprocess.run([sys.executable, "-m", "autograder.cli", "demo", "--dir", str(tmp_path),
                           "--assignments", "ps1_update_rule"], capture_output=True, text=True, cwd=ROOT, timeout=900)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "class summary" in proc.stdout and "ps1_update_rule" in proc.stdout
    out = tmp_path / "graded" / "ps1_update_rule"
    rows = {r["student_id"]: r for r in csv.DictReader(open(out / "grades.csv"))}
    assert rows["correct_style1"]["auto_score"] == rows["correct_style1"]["auto_max_score"]
    assert float(rows["blank"]["auto_score"]) == 0
    assert float(rows["tamper_allclose"]["auto_score"]) < float(rows["tamper_allclose"]["auto_max_score"])
    assert rows["tamper_allclose"]["flags"] == "" and "patches numpy" in rows["tamper_allclose"]["review"]
    assert (out / "report.html").exists() and (out / "feedback" / "blank.html").exists()
