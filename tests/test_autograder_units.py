"""Unit tests of the autograder's pure parts: the static scan, intake naming, course parsing."""

from __future__ import annotations

import hashlib
from pathlib import Path

import nbformat
import pytest

from autograder import intake, scan
from autograder.cohort import variants as cohort_variants
from autograder.cohort import wrong_variants
from autograder.course import load_assignment
from autograder.preprocessors import RestoreCells

ROOT = Path(__file__).resolve().parent.parent

HONEST = [
    "import math\ndef f(x):\n    return math.exp(-x)\n",
    "def f(w, grad, lr):\n    print('step', w)\n    return np.asarray(w) - lr * np.asarray(grad)\n",
    "f = np.vectorize(lambda t: 0.1 * 0.5 ** (t // 10))\n",
    "from numpy.linalg import eigvalsh\nimport numpy.linalg as la\nx = la.eigvalsh(np.eye(2))[-1]\n",
    "def helper(v):\n    out = []\n    for x in v:\n        out.append(x * 2)\n    return out\n",
    "w = np.array([1.0, 2.0])\nw[0] = 3.0\nhistory = [w.copy()]\n",
    "import warnings\nwith np.errstate(over='ignore'):\n    y = np.exp(1000.0)\n",
    "# np.allclose = lambda *a: True   (just a comment)\ntext = 'I did not patch np.allclose'\n",
    # what the trust issue lists as ordinary student code
    "try:\n    assert gd_step(1.0, 1.0, 0.5) == 0.5\nexcept AssertionError:\n    print('not yet')\n",
    "%timeit gd_step(1.0, 1.0, 0.5)\n",
    "import matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.savefig('fig.png')\n",
    "import warnings\nwarnings.filterwarnings('ignore')\nnp.seterr(all='ignore')\n",
    "def _impl(w):\n    return w\nstep = globals()['_impl']\n",
    "def fact(n):\n    return 1 if n == 0 else n * fact(n - 1)\n",
    "class Schedule:\n    def __call__(self, t):\n        return 0.1\nstep_decay = Schedule()\n",
    "signal = [0.1, 0.2]\nresource = 'time'\n",
]
NOTES = {
    "np.allclose = lambda *a, **k: True": "patches numpy",
    "np.testing.assert_allclose = print": "patches numpy",
    "setattr(np, 'isclose', lambda *a: True)": "patches numpy",
    "import math\nmath.isclose = lambda *a, **k: True": "patches math",
    "import builtins\nbuiltins.abs = lambda x: 0": "patches builtins",
    "from lrcourse.reference import gd_step": "answer key",
    "import os\nos._exit(0)": "exits the kernel",
    "import sys\nsys.exit()": "exits the kernel",
    "import signal": "uses signals",
    "x = eval('1')": "dynamic code",
    "m = __import__('lrc' + 'ourse')": "dynamic import",
    "class A:\n    def __eq__(self, o):\n        return True": "comparison tricks",
    "!rm -rf /": "shell",
    "_ = %pwd\nimport lrcourse": "answer key",  # an IPython-only line does not hide the rest
    "import sqlite3\nsqlite3.connect('../../../gradebook.db')": "gradebook",
    "import resource\nresource.setrlimit(resource.RLIMIT_AS, (-1, -1))": "resource limits",
}


@pytest.mark.parametrize("source", HONEST)
def test_scan_has_no_notes_on_ordinary_code(source):
    assert scan.scan_source(source) == []


@pytest.mark.parametrize("source,reason", NOTES.items())
def test_scan_notes_name_what_they_saw(source, reason):
    notes = scan.scan_source(source)
    assert any(reason in r for r in notes), notes


def test_course_reads_hidden_checks_with_their_aspects():
    assignment = load_assignment(ROOT, "ps1_update_rule")
    by_id = {t.grade_id: (t.function, t.aspect) for t in assignment.tests}
    for grade_id, (function, aspect) in by_id.items():
        assert grade_id == f"test_{function}_{aspect}", (grade_id, function, aspect)
        assert "BEGIN HIDDEN" not in assignment.test_by_id[grade_id].visible
    assert assignment.max_score == sum(t.points for t in assignment.tests) > 0


@pytest.mark.parametrize(
    "stem,expected",
    [
        ("doe_12345_67890_update_rule", "doe"),
        ("doe_LATE_12345_67890_update_rule-2", "doe"),
        ("alice_update_rule", "alice"),
        ("bob", "bob"),
    ],
)
def test_student_id_from_file_name(stem, expected):
    assert intake._student_from_filename(stem, "update_rule")[0] == expected


def _ps1():
    release = nbformat.read(ROOT / "release" / "ps1_update_rule" / "update_rule.ipynb", as_version=4)
    return load_assignment(ROOT, "ps1_update_rule"), release


def test_reading_never_changes_the_original(tmp_path):
    src = tmp_path / "subs" / "ann" / "ps1_update_rule"
    src.mkdir(parents=True)
    original = src / "update_rule.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "julia-1.9", "display_name": "Julia", "language": "julia"}
    nbformat.write(nb, original)
    digest = hashlib.sha256(original.read_bytes()).hexdigest()
    (ws := tmp_path / "ws").mkdir()
    subs = intake.discover(tmp_path / "subs", "ps1_update_rule", "update_rule", ws)
    assert intake.read(subs[0]) is not None
    assert subs[0].student_id == "ann" and "foreign_kernel" in subs[0].flags
    assert hashlib.sha256(original.read_bytes()).hexdigest() == digest == subs[0].digest


@pytest.mark.parametrize("text", ["{ nope", "", "{}", '{"cells": 3, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'])
def test_unreadable_notebook_is_flagged_not_raised(tmp_path, text):
    (tmp_path / "subs").mkdir()
    (tmp_path / "subs" / "zed_update_rule.ipynb").write_text(text)
    subs = intake.discover(tmp_path / "subs", "ps1_update_rule", "update_rule", tmp_path)
    assert intake.read(subs[0]) is None
    assert not subs[0].gradable and subs[0].flags == ["invalid_notebook"] and subs[0].student_id == "zed"


def _variant_sources():

    for assignment in ("ps1_update_rule", "ps2_schedules", "ps3_momentum", "ps4_diagnosis", "ps5_adaptive"):
        v = cohort_variants(assignment)
        for function, styles in v.CORRECT.items():
            for style, source in styles:
                yield f"{assignment}:{function}:{style}", source
        for function, wrongs in wrong_variants(assignment).items():
            for label, source in wrongs:
                yield f"{assignment}:{function}:{label}", source
        for grade_id, source in getattr(v, "EXTRA", {}).items():
            if grade_id.startswith("figure"):
                yield f"{assignment}:{grade_id}", source


@pytest.mark.parametrize("name,source", list(_variant_sources()), ids=lambda x: x if len(x) < 60 else x[:60])
def test_no_note_on_any_honest_variant(name, source):
    """Correct solutions, honest mistakes and figure code in every style get no review note."""
    assert scan.scan_source(source) == [], name


def test_restore_puts_tests_after_their_definitions_and_setup_on_top():
    release = nbformat.read(ROOT / "release" / "ps1_update_rule" / "update_rule.ipynb", as_version=4)
    assignment = load_assignment(ROOT, "ps1_update_rule")
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("def gd_step(w, grad, lr):\n    return w - lr * grad"),
        nbformat.v4.new_code_cell("def critical_lr(hessian):\n    return 1.0"),
    ])
    nb, resources = RestoreCells(release=release, assignment=assignment).preprocess(nb, {})
    assert "deleted_tests" not in resources.get("lrcourse", {}).get("flags", set())  # from scratch: not flagged
    ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells]
    assert ids[:2] == ["setup", "helpers"]
    gd = next(i for i, c in enumerate(nb.cells) if "def gd_step" in c.source)
    assert ids[gd + 1:gd + 3] == ["test_gd_step_basic", "test_gd_step_arrays"]
    crit = next(i for i, c in enumerate(nb.cells) if "def critical_lr" in c.source)
    assert ids[crit + 1:crit + 3] == ["test_critical_lr_basic", "test_critical_lr_edges"]
    assert set(ids) >= {t.grade_id for t in assignment.tests}
    assert "gradient_descent" not in ids  # solution stubs are never put back over a student's code


def test_other_assignments_notebooks_are_not_taken(tmp_path):
    (tmp_path / "subs" / "amy" / "ps2_schedules").mkdir(parents=True)
    nbformat.write(nbformat.v4.new_notebook(), tmp_path / "subs" / "amy" / "ps2_schedules" / "schedules.ipynb")
    (tmp_path / "subs" / "bo").mkdir()
    nbformat.write(nbformat.v4.new_notebook(), tmp_path / "subs" / "bo" / "update_rule.ipynb")
    subs = {s.student_id: s for s in intake.discover(tmp_path / "subs", "ps1_update_rule", "update_rule", tmp_path)}
    assert subs["amy"].flags == ["missing"] and not subs["amy"].gradable
    assert subs["bo"].gradable and subs["bo"].flags == []


def test_every_assignment_has_a_demo_cohort():

    from autograder.course import list_assignments

    for assignment in list_assignments(ROOT):
        assert (ROOT / "demo_cohort" / f"{assignment}.py").exists(), assignment
