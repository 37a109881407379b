"""Intake: find each student's notebook, read it safely, copy it into the workspace.

Submitted files are only ever read. A submission that cannot be graded (not JSON, no
notebook) still becomes a :class:`Submission` with its reason in ``flags``.

Student ids come from, in this order:

1. nbgrader layout ``<student_id>/<assignment>/<notebook>.ipynb`` (or
   ``<student_id>/<notebook>.ipynb``): the folder name;
2. LMS (Canvas) downloads ``<name>_<userid>_<submissionid>_<anything>.ipynb`` and the
   late variant ``<name>_LATE_<userid>_<submissionid>_<anything>.ipynb``: ``<name>``
   (``<name>_<userid>`` if two students share a name);
3. ``<student_id>_<notebook>.ipynb``: the part before the notebook name;
4. ``<student_id>.ipynb``: the file name.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tempfile
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

CANVAS = re.compile(r"^(?P<name>[A-Za-z][A-Za-z0-9-]*?)(?:_LATE)?_(?P<uid>\d+)_(?P<sub>\d+)_(?P<rest>.+)$")
SAFE_ID = re.compile(r"[^A-Za-z0-9_.-]+")


class IntakeError(Exception):
    """A usage error: the submissions path does not exist or is not readable."""


@dataclass
class Submission:
    student_id: str
    original: Path | None  # the submitted file, never modified
    flags: list = field(default_factory=list)
    digest: str = ""
    gradable: bool = True
    detail: str = ""


def _clean_id(text):
    return SAFE_ID.sub("_", text).strip("._") or "unknown"


def _ipynbs(folder):
    return sorted(p for p in folder.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts and p.is_file())


def _from_nbgrader_layout(root, assignment_id, notebook):
    subs = []
    for student_dir in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        sub = Submission(_clean_id(student_dir.name), None)
        folder = student_dir / assignment_id
        if folder.is_dir():
            found = _ipynbs(folder)
        else:  # <student>/<notebook>.ipynb; notebooks of other assignments' folders are not this one
            folder = student_dir
            found = sorted(p for p in student_dir.glob("*.ipynb") if p.is_file())
        exact = folder / f"{notebook}.ipynb"
        if exact.is_file():
            sub.original = exact
        elif len(found) == 1:
            sub.original = found[0]
            sub.flags.append("renamed")
            sub.detail = f"graded {found[0].name} (expected {notebook}.ipynb)"
        else:
            sub.gradable = False
            sub.flags.append("missing")
            names = ", ".join(p.name for p in found) or "no notebook"
            sub.detail = f"no {notebook}.ipynb in {folder.name}/ ({names})"
        subs.append(sub)
    return subs


def _student_from_filename(stem, notebook):
    m = CANVAS.match(stem)
    if m:
        return m.group("name"), m.group("uid")
    if stem.endswith("_" + notebook) and len(stem) > len(notebook) + 1:
        return stem[: -len(notebook) - 1], None
    return stem, None


def _from_flat(root, notebook):
    subs, seen = [], {}
    for path in sorted(p for p in root.iterdir() if p.is_file() and p.suffix == ".ipynb"):
        name, uid = _student_from_filename(path.stem, notebook)
        sub = Submission(_clean_id(name), path)
        sub.uid = uid
        seen.setdefault(sub.student_id, []).append(sub)
        subs.append(sub)
    for same in seen.values():  # two people called "doe": keep them apart by LMS user id
        if len(same) > 1:
            for i, sub in enumerate(same):
                suffix = getattr(sub, "uid", None) or str(i + 1)
                sub.student_id = f"{sub.student_id}_{suffix}"
    return subs


def discover(submissions, assignment_id, notebook, scratch):
    """List the submissions in a folder or zip (see the module docstring for names).

    Parameters
    ----------
    submissions : path
        A folder (nbgrader layout or flat) or a ``.zip``.
    assignment_id, notebook : str
        What is being graded.
    scratch : path
        Where a zip is unpacked (inside the grading workspace).
    """
    root = Path(submissions)
    if not root.exists():
        raise IntakeError(f"submissions path not found: {root}")
    if root.is_file():
        if not zipfile.is_zipfile(root):
            raise IntakeError(f"{root} is neither a folder nor a zip file")
        target = Path(tempfile.mkdtemp(prefix="zip-", dir=scratch))
        with zipfile.ZipFile(root) as zf:
            for info in zf.infolist():
                name = Path(info.filename)
                if info.is_dir() or name.is_absolute() or ".." in name.parts or "__MACOSX" in name.parts:
                    continue
                dest = target / name
                dest.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, open(dest, "wb") as out:
                    shutil.copyfileobj(src, out)
        root = target
        # a zip that wraps everything in one folder
        entries = [p for p in root.iterdir() if not p.name.startswith(".")]
        if len(entries) == 1 and entries[0].is_dir() and not any(entries[0].glob(f"*/{assignment_id}")):
            if any(p.suffix == ".ipynb" for p in entries[0].iterdir()):
                root = entries[0]
    has_dirs = any(p.is_dir() and not p.name.startswith(".") for p in root.iterdir())
    has_flat = any(p.suffix == ".ipynb" for p in root.iterdir() if p.is_file())
    subs = _from_flat(root, notebook) if has_flat or not has_dirs else []
    if has_dirs:
        subs += _from_nbgrader_layout(root, assignment_id, notebook)
    seen = {}
    for sub in subs:  # the same id from a folder and a file name: keep both, apart
        seen[sub.student_id] = seen.get(sub.student_id, 0) + 1
        if seen[sub.student_id] > 1:
            sub.student_id = f"{sub.student_id}_{seen[sub.student_id]}"
    return subs


def stage(sub, workspace, assignment, release_nb):
    """Read a submission and copy it to ``workspace/submitted/<id>/<assignment>/``.

    The original is opened read-only; an unreadable notebook is marked ungradable
    with the reason, and nothing is written for it. Cells the release had but the
    submission lacks are put back (see :func:`restore_missing_cells`).
    """
    assignment_id, notebook = assignment.assignment_id, assignment.notebook
    if not sub.gradable:
        return sub
    data = sub.original.read_bytes()
    sub.digest = hashlib.sha256(data).hexdigest()
    try:
        nb = nbformat.reads(data.decode("utf-8"), as_version=4)
    except Exception as exc:  # noqa: BLE001 - any parse failure is the student's file, not ours
        sub.gradable = False
        sub.flags.append("invalid_notebook")
        sub.detail = f"not a readable notebook: {type(exc).__name__}: {str(exc).splitlines()[0][:120]}"
        return sub
    if nb.metadata.get("kernelspec", {}).get("name") not in (None, "python3"):
        sub.flags.append("foreign_kernel")
    if _dedupe_grade_ids(nb):
        sub.flags.append("duplicate_ids")
    if restore_missing_cells(nb, release_nb, assignment):
        sub.flags.append("deleted_tests")
    dest = Path(workspace) / "submitted" / sub.student_id / assignment_id
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # nbformat renames duplicate cell ids, with a warning
        nbformat.write(nb, dest / f"{notebook}.ipynb")
    return sub


def _dedupe_grade_ids(nb):
    """Keep nbgrader metadata on the last cell of each grade_id only (copied cells are common).

    nbgrader refuses a notebook with a repeated grade_id. The earlier copies stay in the
    notebook as plain cells and still run in order, so the student's last definition wins,
    as it would when they run the notebook themselves. Returns whether anything changed.
    """
    last = {}
    for index, cell in enumerate(nb.cells):
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id:
            last[grade_id] = index
    changed = False
    for index, cell in enumerate(nb.cells):
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id and last[grade_id] != index:
            del cell.metadata["nbgrader"]
            changed = True
    return changed


def _grade_id(cell):
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def _defines(cell, function):
    return cell.cell_type == "code" and re.search(rf"^\s*def\s+{re.escape(function)}\s*\(", cell.source, re.M)


def restore_missing_cells(nb, release_nb, assignment):
    """Put back the release's read-only, test and answer cells that the submission lacks.

    nbgrader's own ``add_missing_cells`` fails when the cell before a missing one is
    missing too, and would put a test before the code it tests. Here read-only cells
    (setup, helpers) go back where the release had them (at the top if nothing before
    them survived), a test cell goes right after the last cell that defines its
    function, an answer cell at the end. Solution cells are never put back: a student
    may have written the function in a cell of their own, which a stub would undo.
    nbgrader then restores the hidden tests and locked sources from the gradebook.

    Returns True when test cells were deleted from a notebook that still had others
    (a notebook with no test cell at all, written from scratch, is not flagged).
    """
    present = {_grade_id(c) for c in nb.cells if _grade_id(c)}
    tests = {t.grade_id: t.function for t in assignment.tests}
    had_tests = any(gid in tests for gid in present)
    missing_tests = False
    for index, cell in enumerate(release_nb.cells):
        grade_id = _grade_id(cell)
        meta = cell.metadata.get("nbgrader", {}) if grade_id else {}
        if not grade_id or grade_id in present or (meta.get("solution") and cell.cell_type == "code"):
            continue
        restored = nbformat.from_dict(json.loads(json.dumps(cell)))
        position = None
        if grade_id in tests:
            missing_tests = True
            defining = [i for i, c in enumerate(nb.cells) if _defines(c, tests[grade_id] or "")]
            position = defining[-1] + 1 if defining else None
        if position is None and meta.get("solution"):
            position = len(nb.cells)
        if position is None:
            before = [_grade_id(c) for c in release_nb.cells[:index] if _grade_id(c) in present]
            ids = [_grade_id(c) for c in nb.cells]
            position = ids.index(before[-1]) + 1 if before else _top(nb, present)
        # keep restored tests of one function in release order after the definition
        while position < len(nb.cells) and _grade_id(nb.cells[position]) in tests and grade_id in tests:
            if release_index(release_nb, _grade_id(nb.cells[position])) > index:
                break
            position += 1
        nb.cells.insert(position, restored)
        present.add(grade_id)
    return missing_tests and had_tests


def _top(nb, present):
    """Index after the leading restored read-only cells (setup before helpers, in order)."""
    position = 0
    while position < len(nb.cells) and nb.cells[position].metadata.get("nbgrader", {}).get("locked") and not (
        nb.cells[position].metadata["nbgrader"].get("grade")
    ):
        position += 1
    return position


def release_index(release_nb, grade_id):
    for index, cell in enumerate(release_nb.cells):
        if _grade_id(cell) == grade_id:
            return index
    return len(release_nb.cells)
