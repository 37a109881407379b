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
import re
import shutil
import tempfile
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .model import FOREIGN_KERNEL, INVALID_NOTEBOOK, MISSING, RENAMED

CANVAS = re.compile(r"^(?P<name>[A-Za-z][A-Za-z0-9-]*?)(?:_LATE)?_(?P<uid>\d+)_(?P<sub>\d+)_(?P<rest>.+)$")
SAFE_ID = re.compile(r"[^A-Za-z0-9_.-]+")


class IntakeError(Exception):
    """A usage error: the submissions path does not exist or is not readable."""


@dataclass
class Submission:
    """One student's submission as found: where it is, and what is wrong with it already."""

    student_id: str
    original: Path | None  # the submitted file, never modified
    flags: list = field(default_factory=list)
    digest: str = ""
    gradable: bool = True
    detail: str = ""
    lms_id: str = ""


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
            sub.flags.append(RENAMED)
            sub.detail = f"graded {found[0].name} (expected {notebook}.ipynb)"
        else:
            sub.gradable = False
            sub.flags.append(MISSING)
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
        sub = Submission(_clean_id(name), path, lms_id=uid or "")
        seen.setdefault(sub.student_id, []).append(sub)
        subs.append(sub)
    for same in seen.values():  # two people called "doe": keep them apart by LMS user id
        if len(same) > 1:
            for i, sub in enumerate(same):
                suffix = sub.lms_id or str(i + 1)
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


def read(sub):
    """Parse a submission's notebook (read-only); mark it ungradable with the reason if it is not one.

    Returns the notebook, or ``None``. Sets ``sub.digest`` (SHA-256 of the file's bytes).
    """
    if not sub.gradable:
        return None
    data = sub.original.read_bytes()
    sub.digest = hashlib.sha256(data).hexdigest()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # nbformat warns about duplicate cell ids, missing ids...
            nb = nbformat.reads(data.decode("utf-8"), as_version=4)
        if not isinstance(nb.get("cells"), list):
            raise ValueError("no list of cells")
    except Exception as exc:  # noqa: BLE001 - any parse failure is the student's file, not ours
        sub.gradable = False
        sub.flags.append(INVALID_NOTEBOOK)
        first = (str(exc).splitlines() or [""])[0][:120]
        sub.detail = f"not a readable notebook: {type(exc).__name__}: {first}"
        return None
    kernel = nb.metadata.get("kernelspec", {})
    if isinstance(kernel, dict) and kernel.get("name") not in (None, "python3"):
        sub.flags.append(FOREIGN_KERNEL)
    return nb
