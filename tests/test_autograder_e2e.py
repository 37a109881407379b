"""End to end through the real ``autograder grade`` CLI on ps1: cohort, broken files, tampering.

One batch is graded once (module fixture) and inspected by many tests; the re-run and
the sequential run reuse it.
"""

from __future__ import annotations

import csv
import hashlib
import html
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from autograder import cohort
from autograder.course import load_assignment

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENT, NOTEBOOK = "ps1_update_rule", "update_rule"
FIRST = "gd_step"
DEF = 'def gd_step(w, grad, lr):\n    """Tampering attempt."""\n'

# name -> (cell to replace or None for an extra cell, source). Each tries to buy points.
TAMPER = {
    "t_patch_allclose": (FIRST, DEF + cohort.TAMPER_ALLCLOSE),
    "t_patch_grading": (FIRST, DEF + "    import lrcourse.grading as g\n    g.check = lambda *a, **k: None\n"
                        "    g.evaluate = lambda *a, **k: (True, '')\n    return 0\n"),
    "t_answer_key": (FIRST, DEF + "    from lrcourse.reference import gd_step as key\n    return key(w, grad, lr)\n"),
    "t_dynamic_import": (FIRST, DEF + "    key = __import__('lrc' + 'ourse.reference', fromlist=['x'])\n"
                         "    return key.gd_step(w, grad, lr)\n"),
    "t_sys_modules": (None, "import sys\nsys.modules['lrcourse.grading'].check = lambda *a, **k: None\n"),
    "t_sys_exit_in_call": (FIRST, DEF + "    import sys\n    sys.exit(0)\n"),
    "t_raise_systemexit": (FIRST, DEF + "    raise SystemExit\n"),
    "t_os_exit": (FIRST, "import os\nos._exit(0)\n" + DEF + "    return w - lr * grad\n"),
    "t_equal_to_anything": (FIRST, "class Anything:\n    def __eq__(self, other):\n        return True\n"
                            "    def __array__(self, *a, **k):\n        raise TypeError\n\n"
                            + DEF + "    return Anything()\n"),
    "t_lying_ndarray": (FIRST, "class Liar(np.ndarray):\n    def __eq__(self, other):\n        return True\n\n"
                        + DEF + "    return np.zeros(np.shape(w)).view(Liar)\n"),
    "t_assertionerror": (None, "import builtins\nbuiltins.AssertionError = type('Nope', (Exception,), {})\n"),
    "t_showtraceback": (None, "get_ipython().showtraceback = lambda *a, **k: None\n"
                        "get_ipython().showsyntaxerror = lambda *a, **k: None\n"),
    "t_excepthook": (None, "import sys\nsys.excepthook = lambda *a: None\n"),
    "t_fake_passed": (FIRST, "print('All tests passed! 13/13')\n" + DEF + "    return 0\n"),
    "t_endless_ignores_interrupt": (FIRST, DEF + "    while True:\n        try:\n            pass\n"
                                    "        except BaseException:\n            pass\n"),
    "t_huge_allocation": (None, "hoard = np.ones((200_000, 100_000))\n"),
    "t_subprocess": (None, "import subprocess\nsubprocess.run(['true'])\n"),
    "t_write_big_file": (None, "with open('big.bin', 'wb') as fh:\n    fh.write(b'0' * 10**7)\n"),
    "t_read_course": (None, "src = open('" + str(ROOT / "lrcourse" / "reference.py") + "').read()\n"),
}


def _add_broken(dest, good):
    """Broken or edited files: name -> (expected score: "full" or "zero", flag expected in flags)."""
    def put(student, nb=None, text=None):
        folder = dest / student / ASSIGNMENT
        folder.mkdir(parents=True)
        if nb is None:
            (folder / f"{NOTEBOOK}.ipynb").write_text(text)
        else:
            nbformat.write(nb, folder / f"{NOTEBOOK}.ipynb")

    def copy():
        return nbformat.from_dict(json.loads(json.dumps(good)))

    def gid(cell):
        return cell.metadata.get("nbgrader", {}).get("grade_id", "")

    put("b_empty_file", text="")
    put("b_empty_object", text="{}")
    put("b_binary", text="\x00\x01PK\x03")
    nb = copy()
    nb.cells = []
    put("b_no_cells", nb)
    nb = copy()
    nb.metadata["kernelspec"] = {"name": "julia-1.9", "display_name": "Julia 1.9", "language": "julia"}
    put("b_foreign_kernel", nb)
    nb = copy()
    solution = next(i for i, c in enumerate(nb.cells) if gid(c) == FIRST)
    nb.cells.insert(solution, nbformat.from_dict(json.loads(json.dumps(nb.cells[solution]))))
    put("b_duplicate_ids", nb)
    nb = copy()
    nb.cells = [c for c in nb.cells if not gid(c).startswith(f"test_{FIRST}")]
    put("b_deleted_tests", nb)
    nb = copy()  # written from scratch against SPEC: only the solution cells, no setup, no tests
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "code"
                and not gid(c).startswith("figure")]
    put("b_from_scratch", nb)
    nb = copy()
    for cell in nb.cells:
        if gid(cell).startswith("test_"):
            cell.source = "pass  # tests? what tests?"
    put("b_edited_tests", nb)
    return {
        "b_empty_file": ("zero", "invalid_notebook"),
        "b_empty_object": ("zero", "invalid_notebook"),
        "b_binary": ("zero", "invalid_notebook"),
        "b_no_cells": ("zero", None),
        "b_foreign_kernel": ("full", "foreign_kernel"),
        "b_duplicate_ids": ("full", "duplicate_ids"),
        "b_deleted_tests": ("full", "deleted_tests"),
        "b_from_scratch": ("full", None),
        "b_edited_tests": ("full", "edited_tests"),
    }


def _sha(folder):
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _add_tamper(dest, base_nb):
    for student, (cell_id, source) in TAMPER.items():
        nb = nbformat.from_dict(json.loads(json.dumps(base_nb)))
        if cell_id is None:
            index = next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == FIRST)
            nb.cells.insert(index, nbformat.v4.new_code_cell(source))
        else:
            for cell in nb.cells:
                if cell.metadata.get("nbgrader", {}).get("grade_id") == cell_id:
                    cell.source = source
        folder = dest / student / ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{NOTEBOOK}.ipynb")


def _run(*args):
    cmd = [sys.executable, "-m", "autograder.cli", *map(str, args)]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=900)


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    base = tmp_path_factory.mktemp("batch")
    subs = base / "subs"
    expect = cohort.build(ROOT / "release" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", ASSIGNMENT, subs, include_slow=False)
    good = nbformat.read(subs / "correct_style1" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", as_version=4)
    _add_tamper(subs, good)
    expect.update(_add_broken(subs, good))
    (subs / "expectations.json").unlink()
    before = _sha(subs)
    out = base / "out"
    proc = _run("grade", ASSIGNMENT, subs, "--out", out, "--workers", 2, "--timeout", 5, "--budget", 25, "--quiet")
    rows = {r["student_id"]: r for r in csv.DictReader(open(out / "grades.csv"))}
    return {"subs": subs, "out": out, "proc": proc, "rows": rows, "expect": expect, "before": before}


def test_cli_exits_zero_and_prints_summary(batch):
    assert batch["proc"].returncode == 0, batch["proc"].stderr[-3000:]
    assert "students" in batch["proc"].stdout and "report:" in batch["proc"].stdout


def test_grades_csv_columns(batch):
    header = next(csv.reader(open(batch["out"] / "grades.csv")))
    tests = [t.grade_id for t in load_assignment(ROOT, ASSIGNMENT).tests]
    assert header == ["student_id", "assignment", "auto_score", "auto_max_score", "manual_pending", "flags"] + tests


def test_every_submission_has_a_row(batch):
    assert set(batch["rows"]) == set(batch["expect"]) | set(TAMPER)


def test_cohort_expectations(batch):
    rows = batch["rows"]
    for student, (kind, detail) in batch["expect"].items():
        row = rows[student]
        score, full = float(row["auto_score"]), float(row["auto_max_score"])
        flags = row["flags"]
        if kind == "full":
            assert score == full, f"{student}: {score}/{full}"
            assert flags == (detail or ""), f"{student} flagged {flags!r}"  # exactly the one expected flag
        elif kind == "zero":
            assert score == 0, student
            if detail:
                assert detail in flags, f"{student}: {flags!r}"
        elif kind == "below_full":
            assert score < full, f"{student} got full marks"
            assert flags == "", f"{student}: an honest wrong answer is not flagged ({flags!r})"
        elif kind == "flagged":
            assert detail in flags and score < full, f"{student}: {score} {flags!r}"


def test_each_mistake_loses_points_in_its_own_function(batch):
    rows = batch["rows"]
    tests = load_assignment(ROOT, ASSIGNMENT).tests
    for student, (kind, function) in batch["expect"].items():
        if kind != "below_full" or not function:
            continue
        lost = [t.grade_id for t in tests if t.function == function and float(rows[student][t.grade_id]) < t.points]
        assert lost, f"{student} lost no points in {function}'s tests"


RESOURCE_ONLY = {"t_huge_allocation"}  # correct functions next to a failed allocation: flagged, not zeroed


def test_tampering_never_gets_full_marks_unflagged(batch):
    rows = batch["rows"]
    for student in TAMPER:
        row = rows[student]
        full = float(row["auto_score"]) == float(row["auto_max_score"])
        assert row["flags"] or not full, f"{student}: full marks and no flag"
        if student not in RESOURCE_ONLY:
            assert not full, f"{student}: full marks"


def test_tampering_reasons_are_named(batch):
    rows = batch["rows"]
    assert "tampering" in rows["t_patch_allclose"]["flags"]
    assert "answer key" in rows["t_answer_key"]["flags"]
    assert "kernel_died" in rows["t_os_exit"]["flags"]
    assert "timeout" in rows["t_endless_ignores_interrupt"]["flags"]
    assert "memory" in rows["t_huge_allocation"]["flags"]


def test_submitted_files_unchanged(batch):
    assert _sha(batch["subs"]) == batch["before"]


def test_feedback_has_no_hidden_test_lines(batch):
    assignment = load_assignment(ROOT, ASSIGNMENT)
    hidden = {line for line in assignment.hidden_lines if len(line) > 8}
    assert hidden
    pages = sorted((batch["out"] / "feedback").glob("*.html"))
    assert {p.stem for p in pages} == set(batch["rows"])
    for page in pages:
        text = html.unescape(re.sub(r"<[^>]+>", "", page.read_text()))
        for line in hidden:
            assert line not in text, f"{page.name} leaks {line!r}"
        assert "expected:" not in text, f"{page.name} shows hidden expected values"


def test_feedback_names_the_mistake_even_when_a_visible_assert_stops_the_cell(batch):
    wrong = [s for s, (k, f) in batch["expect"].items() if k == "below_full" and f == FIRST]
    assert wrong
    for student in wrong:
        text = html.unescape(re.sub(r"<[^>]+>", "", (batch["out"] / "feedback" / f"{student}.html").read_text()))
        assert "Likely mistake" in text or "input mutated" in text, student


def test_report_and_plots_written(batch):
    out = batch["out"]
    report = (out / "report.html").read_text()
    for png in ("score_histogram.png", "pass_rate.png", "failures.png"):
        assert (out / png).stat().st_size > 1000 and png in report
    assert "Flagged submissions" in report and "broken_json" in report


def test_rerun_is_idempotent_and_resumes_an_interrupted_run(batch):
    before = (batch["out"] / "grades.csv").read_text()
    # an interrupted run: some students were never graded (no cached result, no page)
    results = sorted((batch["out"] / ".workspace" / "results").glob("*.json"))
    for cached in results[::3]:
        cached.unlink()
    proc = _run("grade", ASSIGNMENT, batch["subs"], "--out", batch["out"], "--workers", 2, "--timeout", 5,
                "--budget", 25, "--quiet")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert (batch["out"] / "grades.csv").read_text() == before


def test_sequential_equals_parallel(batch, tmp_path):
    subset = tmp_path / "subs"
    chosen = ["correct_style1", "blank", "broken_json", "t_patch_allclose",
              next(s for s, (k, _) in batch["expect"].items() if k == "below_full")]
    for student in chosen:
        src = batch["subs"] / student
        dest = subset / student
        dest.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["cp", "-r", str(src), str(dest)], check=True)
    out = tmp_path / "out"
    proc = _run("grade", ASSIGNMENT, subset, "--out", out, "--workers", 1, "--timeout", 5, "--quiet")
    assert proc.returncode == 0, proc.stderr[-2000:]
    rows = {r["student_id"]: r for r in csv.DictReader(open(out / "grades.csv"))}
    for student in chosen:
        assert rows[student] == batch["rows"][student]


def test_usage_errors_exit_nonzero_with_one_line(tmp_path):
    proc = _run("grade", "ps9_nope", tmp_path, "--out", tmp_path / "o")
    assert proc.returncode == 2 and "unknown assignment" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    proc = _run("grade", ASSIGNMENT, tmp_path / "missing", "--out", tmp_path / "o")
    assert proc.returncode == 2


def test_flat_folder_and_lms_zip(tmp_path, batch):
    import zipfile

    good = batch["subs"] / "correct_style1" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    blank = batch["subs"] / "blank" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    archive = tmp_path / "submissions.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(good, "doe_12345_67890_update_rule.ipynb")
        zf.write(blank, "roe_LATE_22222_33333_update_rule-1.ipynb")
        zf.writestr("junk_11111_44444_update_rule.ipynb", "not json at all")
    out = tmp_path / "out"
    proc = _run("grade", ASSIGNMENT, archive, "--out", out, "--workers", 2, "--quiet")
    assert proc.returncode == 0, proc.stderr[-2000:]
    rows = {r["student_id"]: r for r in csv.DictReader(open(out / "grades.csv"))}
    assert set(rows) == {"doe", "roe", "junk"}
    assert rows["doe"]["auto_score"] == rows["doe"]["auto_max_score"]
    assert float(rows["roe"]["auto_score"]) == 0
    assert "invalid_notebook" in rows["junk"]["flags"]
