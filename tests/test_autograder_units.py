"""Unit tests of the autograder's pure parts: the static scan, intake naming, course parsing."""

from __future__ import annotations

import hashlib
from pathlib import Path

import nbformat
import pytest

from autograder import intake, scan
from autograder.course import load_assignment

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
]
TAMPERING = {
    "np.allclose = lambda *a, **k: True": "patches numpy",
    "np.testing.assert_allclose = print": "patches numpy",
    "setattr(np, 'isclose', lambda *a: True)": "patches numpy",
    "import math\nmath.isclose = lambda *a, **k: True": "patches math",
    "import builtins\nbuiltins.abs = lambda x: 0": "patches builtins",
    "from lrcourse.reference import gd_step": "answer key",
    "import os\nos._exit(0)": "exits the kernel",
    "import sys\nsys.exit()": "exits the kernel",
    "get_ipython().showtraceback = None": "patches IPython",
    "import signal": "uses signals",
    "x = eval('1')": "dynamic code",
    "m = __import__('lrc' + 'ourse')": "dynamic import",
    "class A:\n    def __eq__(self, o):\n        return True": "comparison tricks",
    "!rm -rf /": "shell",
    "import sqlite3\nsqlite3.connect('../../../gradebook.db')": "gradebook",
    "vars(__builtins__)['op' + 'en']('x', 'w')": "builtins",
    "import resource\nresource.setrlimit(resource.RLIMIT_AS, (-1, -1))": "resource limits",
}


@pytest.mark.parametrize("source", HONEST)
def test_scan_has_no_false_alarms(source):
    assert scan.scan_source(source) == []


@pytest.mark.parametrize("source,reason", TAMPERING.items())
def test_scan_names_tampering(source, reason):
    reasons = scan.scan_source(source)
    assert any(reason in r for r in reasons), reasons


def test_course_reads_hidden_checks_with_their_aspects():
    assignment = load_assignment(ROOT, "ps1_update_rule")
    by_id = {t.grade_id: (t.function, t.aspect) for t in assignment.tests}
    for grade_id, (function, aspect) in by_id.items():
        assert grade_id == f"test_{function}_{aspect}", (grade_id, function, aspect)
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


def test_staging_never_changes_the_original(tmp_path):
    src = tmp_path / "subs" / "ann" / "ps1_update_rule"
    src.mkdir(parents=True)
    original = src / "update_rule.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "julia-1.9", "display_name": "Julia", "language": "julia"}
    nbformat.write(nb, original)
    digest = hashlib.sha256(original.read_bytes()).hexdigest()
    (ws := tmp_path / "ws").mkdir()
    subs = intake.discover(tmp_path / "subs", "ps1_update_rule", "update_rule", ws)
    staged = intake.stage(subs[0], ws, *_ps1())
    assert staged.student_id == "ann" and "foreign_kernel" in staged.flags
    assert hashlib.sha256(original.read_bytes()).hexdigest() == digest
    assert (ws / "submitted" / "ann" / "ps1_update_rule" / "update_rule.ipynb").exists()


def test_unreadable_notebook_is_flagged_not_raised(tmp_path):
    (tmp_path / "subs").mkdir()
    (tmp_path / "subs" / "zed_update_rule.ipynb").write_text("{ nope")
    subs = intake.discover(tmp_path / "subs", "ps1_update_rule", "update_rule", tmp_path)
    staged = intake.stage(subs[0], tmp_path, *_ps1())
    assert not staged.gradable and staged.flags == ["invalid_notebook"] and staged.student_id == "zed"


def _variant_sources():
    import importlib

    for assignment in ("ps1_update_rule", "ps2_schedules", "ps3_momentum", "ps4_diagnosis", "ps5_adaptive"):
        v = importlib.import_module(f"autograder.demo_variants.{assignment}")
        for function, styles in v.CORRECT.items():
            for style, source in styles:
                yield f"{assignment}:{function}:{style}", source
        for function, wrongs in v.WRONG.items():
            for label, source in wrongs:
                yield f"{assignment}:{function}:{label}", source
        for grade_id, source in getattr(v, "EXTRA", {}).items():
            if grade_id.startswith("figure"):
                yield f"{assignment}:{grade_id}", source


@pytest.mark.parametrize("name,source", list(_variant_sources()), ids=lambda x: x if len(x) < 60 else x[:60])
def test_no_false_alarm_on_any_honest_variant(name, source):
    """Correct solutions, honest mistakes and figure code in every style never trip the scan."""
    assert scan.scan_source(source) == [], name


def test_restore_puts_tests_after_their_definitions_and_setup_on_top():
    release = nbformat.read(ROOT / "release" / "ps1_update_rule" / "update_rule.ipynb", as_version=4)
    assignment = load_assignment(ROOT, "ps1_update_rule")
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("def gd_step(w, grad, lr):\n    return w - lr * grad"),
        nbformat.v4.new_code_cell("def critical_lr(hessian):\n    return 1.0"),
    ])
    assert intake.restore_missing_cells(nb, release, assignment) is False  # from scratch: not flagged
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
