"""The four assignments: source gets full marks, release fails every test, release is in sync and clean.

Graded with plain nbgrader (its API, as an instructor would), independent of the autograder.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest

from lrcourse.reference import ASSIGNMENTS

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = {
    "ps1_update_rule": "update_rule",
    "ps2_schedules": "schedules",
    "ps3_momentum": "momentum",
    "ps4_diagnosis": "diagnosis",
    "ps5_adaptive": "adaptive",
}
LEAKS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS", "lrcourse",
         "import autograder", "from autograder")


def _meta(cell):
    return cell.metadata.get("nbgrader", {})


def _api(root):
    from autograder.course import nbgrader_api

    return nbgrader_api(root, cell_timeout=60)


@pytest.fixture(scope="module", params=sorted(NOTEBOOKS))
def graded_course(request, tmp_path_factory):
    """A temporary course with the assignment released and two students autograded by nbgrader:
    ``solution`` (the source notebook) and ``blank`` (the release notebook)."""
    assignment = request.param
    notebook = NOTEBOOKS[assignment]
    root = tmp_path_factory.mktemp(assignment)
    shutil.copytree(ROOT / "source" / assignment, root / "source" / assignment)
    api = _api(root)
    assert api.generate_assignment(assignment, force=True)["success"]
    for student, src in (("solution", root / "source"), ("blank", root / "release")):
        dest = root / "submitted" / student / assignment
        dest.mkdir(parents=True)
        shutil.copy(src / assignment / f"{notebook}.ipynb", dest / f"{notebook}.ipynb")
        result = api.autograde(assignment, student)
        assert result["success"], result.get("error")
    return assignment, notebook, root


def _grades(root, assignment, notebook, student):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        nb = gb.find_submission_notebook(notebook, assignment, student)
        return {g.name: (g.auto_score, g.max_score) for g in nb.grades if g.cell.cell_type == "code"}


def test_source_gets_full_marks(graded_course):
    assignment, notebook, root = graded_course
    grades = _grades(root, assignment, notebook, "solution")
    assert grades, "no autograded cells"
    lost = {k: v for k, v in grades.items() if v[0] != v[1]}
    assert not lost, f"source notebook loses points in {lost}"


def test_release_fails_every_autograded_cell(graded_course):
    assignment, notebook, root = graded_course
    grades = _grades(root, assignment, notebook, "blank")
    passed = {k: v for k, v in grades.items() if v[0] != 0}
    assert not passed, f"blank release notebook earns points in {passed}"


def test_release_runs_without_errors_outside_the_stubs(graded_course):
    assignment, notebook, root = graded_course
    nb = nbformat.read(root / "autograded" / "blank" / assignment / f"{notebook}.ipynb", as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        meta = _meta(cell)
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        if meta.get("solution") or meta.get("grade"):
            continue  # stubs raise NotImplementedError; tests fail because they call them
        assert not errors, f"read-only cell {meta.get('grade_id')} fails in the release: {errors[0].get('ename')}"


def test_release_in_sync_with_source(graded_course):
    assignment, notebook, root = graded_course
    fresh = nbformat.read(root / "release" / assignment / f"{notebook}.ipynb", as_version=4)
    committed = nbformat.read(ROOT / "release" / assignment / f"{notebook}.ipynb", as_version=4)
    assert [(c.cell_type, c.source, _meta(c)) for c in committed.cells] == [
        (c.cell_type, c.source, _meta(c)) for c in fresh.cells
    ], "release/ is stale: run `make release`"


@pytest.mark.parametrize("assignment", sorted(NOTEBOOKS))
def test_release_is_clean_and_complete(assignment):
    path = ROOT / "release" / assignment / f"{NOTEBOOKS[assignment]}.ipynb"
    text = path.read_text()
    for word in LEAKS:
        assert word not in text, f"{path} contains {word!r}"
    nb = nbformat.read(path, as_version=4)
    solution_ids = {_meta(c).get("grade_id") for c in nb.cells if _meta(c).get("solution") and c.cell_type == "code"}
    for function in ASSIGNMENTS[assignment]:
        assert function in solution_ids, f"no solution cell with grade_id {function!r}"
        cell = next(c for c in nb.cells if _meta(c).get("grade_id") == function)
        assert f"def {function}(" in cell.source and "raise NotImplementedError" in cell.source
    imports = [line for c in nb.cells if c.cell_type == "code" for line in c.source.splitlines()
               if line.strip().startswith(("import ", "from "))]
    allowed = ("numpy", "matplotlib", "math", "itertools", "functools", "collections", "random", "warnings")
    for line in imports:
        module = line.split()[1].split(".")[0]
        assert module in allowed, f"release imports {module!r}: students have numpy, matplotlib and the stdlib"


@pytest.mark.parametrize("assignment", sorted(NOTEBOOKS))
def test_source_follows_the_conventions(assignment):
    """Every test cell: locked, points, one hidden check with a registered (function, aspect);
    each function has a written contract, a figure and a hand-graded answer exist."""
    from lrcourse.cases import CASES

    nb = nbformat.read(ROOT / "source" / assignment / f"{NOTEBOOKS[assignment]}.ipynb", as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    seen = set()
    tests = [c for c in nb.cells if _meta(c).get("grade") and not _meta(c).get("solution")]
    assert tests
    for cell in tests:
        meta = _meta(cell)
        assert meta["locked"] and meta["points"] > 0
        assert meta["grade_id"].startswith("test_")
        hidden = cell.source.split("### BEGIN HIDDEN TESTS")[1].split("### END HIDDEN TESTS")[0]
        calls = [line for line in hidden.splitlines() if line.strip().startswith("check(")]
        assert len(calls) == 1, f"{meta['grade_id']}: exactly one hidden check"
        name, _, aspect = (part.strip(" \"'") for part in calls[0].strip()[6:-1].split(","))
        assert (name, aspect) in CASES and (name, aspect) not in seen
        seen.add((name, aspect))
        last = [line for line in cell.source.splitlines() if line.strip()][-1].strip()
        assert not last.replace(".", "").isdigit(), "a trailing number is read as partial credit"
    for function in ASSIGNMENTS[assignment]:
        assert any(name == function for name, _ in seen), f"{function} has no hidden test"
    manual = [c for c in nb.cells if _meta(c).get("grade") and _meta(c).get("solution")]
    assert any(c.cell_type == "markdown" for c in manual), "no written answer graded by hand"
    figures = [c for c in nb.cells if (_meta(c).get("grade_id") or "").startswith("figure")]
    assert figures, "no figure for the student to make"
    assert json.dumps(nb.metadata).count("lrcourse") == 0
