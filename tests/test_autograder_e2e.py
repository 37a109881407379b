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
import time
from pathlib import Path

import nbformat
import pytest

from autograder import cohort
from autograder.course import load_assignment

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENT, NOTEBOOK = "ps1_update_rule", "update_rule"
FIRST = "gd_step"
DEF = 'def gd_step(w, grad, lr):\n    """Tampering attempt."""\n'

SOURCE_NB = ROOT / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"

# Attacks: each student is the BLANK release (every function raises NotImplementedError) plus one
# cell that tries to buy points. None may score anything. name -> source of the extra cell.
ATTACKS = {
    "a_sys_modules_pick": (
        "import sys\n"
        "def gd_step(w, grad, lr):\n"
        "    key = [m for n, m in sys.modules.items() if n.endswith('.refer' + 'ence')][0]\n"
        "    return key.gd_step(w, grad, lr)\n"),
    "a_import_key": "from lrcourse.reference import *\n",
    "a_resolve_name": ("import pkgutil\n"
                       "critical_lr = pkgutil.resolve_name('lrc' + 'ourse.reference:critical_lr')\n"),
    "a_read_key_from_disk": (
        f"exec(open({str(ROOT / 'lrcourse' / 'update_rule.py')!r}).read().replace('from .', 'from lrcourse.'))\n"),
    "a_exec_source_notebook": (
        "import json, glob\n"
        "for path in glob.glob('../../source/*/*.ipynb') + glob.glob('/**/source/ps1_update_rule/*.ipynb', recursive=True):\n"
        "    for cell in json.load(open(path))['cells']:\n"
        "        if cell['cell_type'] == 'code' and 'def ' in ''.join(cell['source']):\n"
        "            exec(''.join(cell['source']).replace('### BEGIN SOLUTION', ''), globals())\n"),
    "a_forge_record": (
        "import glob, json\n"
        "for path in glob.glob('/tmp/**/records.jsonl', recursive=True):\n"
        "    cases = json.load(open(path.replace('records.jsonl', 'cases.json')))\n"
        "    with open(path, 'a') as fh:\n"
        "        for key, calls in cases.items():\n"
        "            f, a = key.split('/')\n"
        "            fh.write(json.dumps({'function': f, 'aspect': a, 'mutated': [False] * len(calls),\n"
        "                                 'results': [{'kind': 'array', 'shape': [], 'data': [0.0]}] * len(calls)}) + '\\n')\n"
        "            fh.write(json.dumps({'function': f, 'aspect': a, 'mutated': [False] * len(calls),\n"
        "                                 'results': [{'kind': 'array', 'shape': [3], 'data': []}] * len(calls)}) + '\\n')\n"
        "            fh.write(json.dumps({'function': [f], 'aspect': a, 'results': [], 'mutated': []}) + '\\n')\n"
        "            fh.write('[' * 100000 + '\\n')\n"),
    "a_patch_recorder": "_lrcourse_record = lambda *a, **k: None\n",
    "a_patch_numpy": ("np.allclose = lambda *a, **k: True\nnp.isclose = lambda *a, **k: True\n"
                      "np.testing.assert_allclose = lambda *a, **k: None\n"),
    "a_lying_object": ("class Anything(float):\n    def __eq__(self, other):\n        return True\n"
                       "    def __array__(self, *a, **k):\n        raise TypeError\n"
                       "def gd_step(w, grad, lr):\n    return Anything(0)\n"),
    "a_network": ("import socket\n"
                  "try:\n    socket.create_connection(('127.0.0.1', 22), timeout=1)\nexcept OSError as exc:\n"
                  "    print('no network:', exc)\n"),
    "a_write_outside": (
        "import os\n"
        "for target in ['../../grades.csv', '/tmp/pwned', os.path.expanduser('~/pwned'), "
        f"{str(ROOT / 'pwned')!r}]:\n"
        "    try:\n        open(target, 'w').write('x')\n    except OSError as exc:\n        print(exc)\n"),
    "a_fork_bomb": ("import os\n"
                    "try:\n    while True:\n        os.fork()\nexcept OSError:\n    pass\n"),
    "a_outlive_kernel": (
        "import os, time\n"
        "if os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n"
        "        time.sleep(8)\n"
        "        for path in ['../../grades.csv']:\n"
        "            try:\n                open(path, 'w').write('pwned')\n            except OSError:\n                pass\n"
        "    os._exit(0)\n"),
    "a_exit_after_forge": "import os\nos._exit(0)\n",
}

# Innocent oddities: each student is the correct style-1 cohort notebook plus one extra cell.
# All must keep full marks with empty flags.
INNOCENT = {
    "i_try_except_assert": "try:\n    assert gd_step(1.0, 1.0, 0.5) == 0.5\nexcept AssertionError:\n    print('hmm')\n",
    "i_raise_assertion": "if gd_step(5.0, 10.0, 0.1) != 4.0:\n    raise AssertionError('not 4')\n",
    "i_pip_install": "!pip install numpy matplotlib\n",
    "i_timeit": "%timeit gd_step(1.0, 1.0, 0.5)\n",
    "i_savefig": "import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nplt.savefig('my_figure.png')\n",
    "i_warnings_seterr": "import warnings\nwarnings.filterwarnings('ignore')\nnp.seterr(all='ignore')\n",
    "i_helper_via_globals": "def _twice(x):\n    return 2 * x\nhelper = globals()['_twice']\nprint(helper(2))\n",
    "i_names_signal_resource": "signal = np.sin(np.linspace(0, 1, 5))\nresource = 'my notes'\nprint(signal, resource)\n",
    "i_prints_a_lot": "for i in range(2000):\n    print('line', i)\n",
    "i_html_output": "from IPython.display import HTML, display\ndisplay(HTML('<script>alert(1)</script><b>hi</b>'))\n",
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


def _with_extra_cell(base_nb, source, before=FIRST):
    nb = nbformat.from_dict(json.loads(json.dumps(base_nb)))
    index = next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == before)
    nb.cells.insert(index + 1, nbformat.v4.new_code_cell(source))
    return nb


def _add_students(dest, blank_nb, good_nb):
    for group, base in ((ATTACKS, blank_nb), (INNOCENT, good_nb)):
        for student, source in group.items():
            folder = dest / student / ASSIGNMENT
            folder.mkdir(parents=True)
            nbformat.write(_with_extra_cell(base, source), folder / f"{NOTEBOOK}.ipynb")


def _run(*args):
    cmd = [sys.executable, "-m", "autograder.cli", *map(str, args)]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=900)


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    base = tmp_path_factory.mktemp("batch")
    subs = base / "subs"
    expect = cohort.build(ROOT / "release" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", ASSIGNMENT, subs, include_slow=False)
    good = nbformat.read(subs / "correct_style1" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", as_version=4)
    blank = nbformat.read(subs / "blank" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", as_version=4)
    _add_students(subs, blank, good)
    expect.update(_add_broken(subs, good))
    (subs / "expectations.json").unlink()
    before = _sha(subs)
    out = base / "out"
    proc = _run("grade", ASSIGNMENT, subs, "--out", out, "--workers", 3, "--timeout", 30, "--budget", 60, "--quiet")
    time.sleep(10)  # a_outlive_kernel's helper would write 8 s after its kernel started
    rows = {r["student_id"]: r for r in csv.DictReader(open(out / "grades.csv"))}
    return {"subs": subs, "out": out, "proc": proc, "rows": rows, "expect": expect, "before": before}


def test_cli_exits_zero_and_prints_summary(batch):
    assert batch["proc"].returncode == 0, batch["proc"].stderr[-3000:]
    assert "students" in batch["proc"].stdout and "report:" in batch["proc"].stdout


def test_grades_csv_columns(batch):
    header = next(csv.reader(open(batch["out"] / "grades.csv")))
    tests = [t.grade_id for t in load_assignment(ROOT, ASSIGNMENT).tests]
    base = ["student_id", "assignment", "auto_score", "auto_max_score", "manual_pending", "flags"]
    assert header[:6] == base and header[-len(tests):] == tests and "review" in header


def test_every_submission_has_a_row(batch):
    assert set(batch["rows"]) == set(batch["expect"]) | set(ATTACKS) | set(INNOCENT)


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


def test_no_attack_gains_a_point(batch):
    rows = batch["rows"]
    for student in ATTACKS:
        assert float(rows[student]["auto_score"]) == 0, f"{student} bought points: {rows[student]['auto_score']}"


def test_attacks_harm_nobody_else(batch):
    """Honest students graded in the same batch, next to the fork bomb and the rest, keep full marks."""
    rows = batch["rows"]
    assert (batch["out"] / "grades.csv").read_text().count("pwned") == 0
    assert not (ROOT / "pwned").exists() and not Path("/tmp/pwned").exists()
    for student, (kind, _) in batch["expect"].items():
        if kind == "full":
            assert rows[student]["auto_score"] == rows[student]["auto_max_score"], student


def test_innocent_oddities_keep_full_marks_and_no_flags(batch):
    rows = batch["rows"]
    for student in INNOCENT:
        row = rows[student]
        assert row["auto_score"] == row["auto_max_score"], f"{student}: {row['auto_score']}"
        assert row["flags"] == "", f"{student} flagged {row['flags']!r}"


def test_review_notes_are_for_the_ta_only(batch):
    rows = batch["rows"]
    assert "patches numpy" in rows["a_patch_numpy"]["review"]
    assert "answer key" in rows["a_import_key"]["review"]
    page = (batch["out"] / "feedback" / "a_patch_numpy.html").read_text()
    assert "patches numpy" not in page and "tampering" not in page


def test_flags_name_what_happened(batch):
    rows = batch["rows"]
    assert "kernel_died" in rows["a_exit_after_forge"]["flags"]
    assert "invalid_notebook" in rows["broken_json"]["flags"] and "missing" in rows["no_notebook"]["flags"]


def test_submitted_files_unchanged(batch):
    assert _sha(batch["subs"]) == batch["before"]


def test_feedback_has_no_hidden_test_lines_and_no_student_html(batch):
    assignment = load_assignment(ROOT, ASSIGNMENT)
    hidden = {line for line in assignment.hidden_lines if len(line) > 8}
    assert hidden
    pages = sorted((batch["out"] / "feedback").glob("*.html"))
    assert {p.stem for p in pages} == set(batch["rows"])
    for page in pages:
        raw = page.read_text()
        text = html.unescape(re.sub(r"<[^>]+>", "", raw))
        for line in hidden:
            assert line not in text, f"{page.name} leaks {line!r}"
        if page.stem not in ATTACKS:  # an attacker's own cells may name them
            assert "_lrcourse_record" not in text and "lrcourse" not in text, page.name
        assert len(raw) < 3_000_000, f"{page.name} is {len(raw)} bytes"
    page = (batch["out"] / "feedback" / "i_html_output.html").read_text()
    assert "<script>alert(1)" not in page  # the student's HTML output is not copied into the page
    assert "&lt;script&gt;alert(1)" in page  # (their source code is shown, escaped)


def test_feedback_shows_the_failing_case_and_names_the_mistake(batch):
    wrong = [s for s, (k, f) in batch["expect"].items() if k == "below_full" and f == FIRST and s.startswith("wrong_")]
    assert wrong
    for student in wrong:
        text = html.unescape(re.sub(r"<[^>]+>", "", (batch["out"] / "feedback" / f"{student}.html").read_text()))
        assert "Likely mistake" in text or "input mutated" in text, student
        assert "First wrong case" in text and "returned:" in text and "expected:" in text, student


def test_report_and_plots_written(batch):
    out = batch["out"]
    report = (out / "report.html").read_text()
    for png in ("score_histogram.png", "pass_rate.png", "failures.png"):
        assert (out / png).stat().st_size > 1000 and png in report
    assert "Flagged submissions" in report and "broken_json" in report


def _rows_for_comparison(path):
    """Rows as dicts; an attack's flags may say timeout or kernel_died depending on the machine's load."""
    rows = {r["student_id"]: r for r in csv.DictReader(open(path))}
    for student in ATTACKS:
        rows[student] = {k: v for k, v in rows[student].items() if k != "flags"}
    return rows


def test_rerun_is_idempotent_and_resumes_an_interrupted_run(batch):
    before = _rows_for_comparison(batch["out"] / "grades.csv")
    # an interrupted run: some students were never graded (no cached result, no page)
    results = sorted((batch["out"] / ".workspace" / "results").glob("*.json"))
    for cached in results[::3]:
        cached.unlink()
    proc = _run("grade", ASSIGNMENT, batch["subs"], "--out", batch["out"], "--workers", 3, "--timeout", 30,
                "--budget", 60, "--quiet")
    assert proc.returncode == 0, proc.stderr[-2000:]
    after = _rows_for_comparison(batch["out"] / "grades.csv")
    assert after == before, [s for s in before if before[s] != after.get(s)]


def test_sequential_equals_parallel(batch, tmp_path):
    subset = tmp_path / "subs"
    chosen = ["correct_style1", "blank", "broken_json", "a_patch_numpy",
              next(s for s, (k, _) in batch["expect"].items() if k == "below_full")]
    for student in chosen:
        src = batch["subs"] / student
        dest = subset / student
        dest.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["cp", "-r", str(src), str(dest)], check=True)
    out = tmp_path / "out"
    proc = _run("grade", ASSIGNMENT, subset, "--out", out, "--workers", 1, "--timeout", 10, "--quiet")
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
