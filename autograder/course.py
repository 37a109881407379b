"""What the course's source notebooks say: test cells, points, hidden checks, manual cells."""

from __future__ import annotations

import ast
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

HIDDEN_BEGIN = "### BEGIN HIDDEN TESTS"
HIDDEN_END = "### END HIDDEN TESTS"


class CourseError(Exception):
    """A usage error about the course (unknown assignment, missing notebook)."""


@dataclass(frozen=True)
class TestCell:
    """One autograded test cell of the source notebook.

    ``visible`` is its source without the hidden block (what the release shows and what
    the kernel runs after recording); ``function``/``aspect`` name its hidden check.
    """

    __test__ = False  # not a pytest class

    grade_id: str
    points: float
    function: str | None
    aspect: str | None
    hidden_lines: tuple = ()
    visible: str = ""


@dataclass
class Assignment:
    """One assignment of the course, read from ``source/<assignment_id>/``."""

    assignment_id: str
    notebook: str  # file name without .ipynb
    source_path: Path
    tests: list = field(default_factory=list)
    solution_ids: list = field(default_factory=list)
    manual_ids: list = field(default_factory=list)
    manual_points: dict = field(default_factory=dict)
    locked_sources: dict = field(default_factory=dict)  # read-only cells: grade_id -> source
    digest: str = ""

    @property
    def max_score(self):
        return sum(t.points for t in self.tests)

    @property
    def hidden_lines(self):
        return {line for t in self.tests for line in t.hidden_lines}

    @property
    def checks(self):
        """The ``(function, aspect)`` pairs of the hidden checks, in notebook order."""
        return [(t.function, t.aspect) for t in self.tests if t.function]

    @property
    def test_by_id(self):
        return {t.grade_id: t for t in self.tests}


def find_course_root(start=None):
    """The course root: ``start`` if given, else the repo that holds this package."""
    candidates = [Path(start)] if start else [Path.cwd(), Path(__file__).resolve().parent.parent]
    for root in candidates:
        if (root / "source").is_dir():
            return root.resolve()
    raise CourseError(f"no course found (a folder with source/): looked in {', '.join(map(str, candidates))}")


def _hidden_check(source):
    """The (function, aspect) of the ``check(...)`` call in a hidden test block."""
    if HIDDEN_BEGIN not in source:
        return None, None, ()
    hidden = source.split(HIDDEN_BEGIN, 1)[1].split(HIDDEN_END, 1)[0]
    lines = tuple(line.strip() for line in hidden.splitlines() if line.strip())
    try:
        tree = ast.parse(hidden)
    except SyntaxError:
        return None, None, lines
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "check":
            args = [a.value if isinstance(a, ast.Constant) else None for a in node.args]
            aspect = args[2] if len(args) > 2 else "basic"
            for kw in node.keywords:
                if kw.arg == "aspect" and isinstance(kw.value, ast.Constant):
                    aspect = kw.value.value
            return args[0], aspect, lines
    return None, None, lines


def load_assignment(course_root, assignment_id):
    """Read ``source/<assignment_id>/<notebook>.ipynb``."""
    folder = Path(course_root) / "source" / assignment_id
    notebooks = sorted(folder.glob("*.ipynb")) if folder.is_dir() else []
    if not notebooks:
        known = ", ".join(list_assignments(course_root)) or "none"
        raise CourseError(f"unknown assignment {assignment_id!r} (known: {known})")
    path = notebooks[0]
    nb = nbformat.read(path, as_version=4)
    assignment = Assignment(assignment_id, path.stem, path)
    assignment.digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        grade_id = meta.get("grade_id")
        if not grade_id:
            continue
        if meta.get("grade") and not meta.get("solution") and cell.cell_type == "code":
            function, aspect, lines = _hidden_check(cell.source)
            visible = cell.source.split(HIDDEN_BEGIN, 1)[0].rstrip() + "\n"
            test = TestCell(grade_id, float(meta.get("points", 0)), function, aspect, lines, visible)
            assignment.tests.append(test)
        elif (meta.get("grade") and meta.get("solution")) or meta.get("task"):
            assignment.manual_ids.append(grade_id)
            assignment.manual_points[grade_id] = float(meta.get("points", 0))
        elif meta.get("solution"):
            assignment.solution_ids.append(grade_id)
        elif meta.get("locked"):
            assignment.locked_sources[grade_id] = cell.source
    return assignment


def case_seed(assignment_id, student_id, secret):
    """The seed of a submission's drawn cases: the assignment, the student and the course secret.

    Examples
    --------
    >>> case_seed("ps1", "ada", "s") == case_seed("ps1", "ada", "s") != case_seed("ps1", "bob", "s")
    True
    """
    text = "\0".join((assignment_id, student_id, secret)).encode()
    return int.from_bytes(hashlib.sha256(text).digest()[:8], "big")


def list_assignments(course_root):
    source = Path(course_root) / "source"
    return sorted(p.name for p in source.iterdir() if p.is_dir() and any(p.glob("*.ipynb")))


def venv_on_path():
    """nbgrader runs ``alembic`` through PATH: put this interpreter's bin folder first."""
    import os
    import sys

    bindir = str(Path(sys.executable).parent)
    if os.environ.get("PATH", "").split(os.pathsep)[0] != bindir:
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")


def nbgrader_api(course_root, cell_timeout=60):
    """An ``NbGraderAPI`` on ``course_root`` with the course's settings (those of nbgrader_config.py)."""
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config

    venv_on_path()
    c = Config()
    c.CourseDirectory.root = str(course_root)
    c.CourseDirectory.course_id = "lrcourse"
    c.CourseDirectory.db_url = f"sqlite:///{Path(course_root) / 'gradebook.db'}"
    c.Execute.kernel_name = "python3"
    c.Execute.timeout = int(cell_timeout)
    c.Execute.interrupt_on_timeout = True
    c.Execute.shutdown_kernel = "immediate"
    c.Execute.extra_arguments = ["--InteractiveShell.xmode=Minimal", "--HistoryManager.hist_file=:memory:"]
    c.OverwriteCells.add_missing_cells = True
    c.Application.log_level = "WARN"
    return NbGraderAPI(config=c)


def release_assignment(course_root, assignment_id):
    """``nbgrader generate_assignment ASSIGNMENT --force`` in ``course_root`` (through nbgrader's API)."""
    result = nbgrader_api(course_root).generate_assignment(assignment_id, force=True)
    if not result.get("success"):
        raise CourseError(f"nbgrader could not release {assignment_id}: {result.get('error') or result.get('log')}")
