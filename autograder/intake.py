"""Intake: find each student's notebook, read it safely, copy it into the workspace.

Submitted files are only ever read. A submission that cannot be graded (not JSON, no
notebook) still becomes a :class:`Submission` with its reason in ``flags``.

Student ids come from, in this order:

1. nbgrader layout ``<student_id>/<assignment>/<notebook>.ipynb`` (or
   ``<student_id>/<notebook>.ipynb``): the folder name;
2. LMS (Canvas) downloads ``<name>_<userid>_<fileid>_<anything>.ipynb`` and the
   late variant ``<name>_LATE_<userid>_<fileid>_<anything>.ipynb``: ``<name>``, and the
   Canvas user id is kept as ``lms_id``. One Canvas user is one student: the id the
   course gradebook already gives that user id wins (so ids are the same in every
   assignment), else ``<name>``, else ``<name>_<userid>`` when ``<name>`` belongs to
   another user id (in this batch or in the gradebook);
3. ``<student_id>_<notebook>.ipynb``: the part before the notebook name;
4. ``<student_id>.ipynb``: the file name.

Several files of one student (a Canvas re-upload is named ``..._update_rule-1.ipynb``,
``-2``, ...): the newest wins, by Canvas's file id (the number after the user id; Canvas
numbers uploads in order), then by the ``-N`` suffix; the row is flagged ``resubmitted``
(also for a lone ``-N`` file) and ``late`` when Canvas marked the graded file late.

A file or folder named after another assignment's notebook (``schedules.ipynb`` when
grading ``ps1_update_rule``) is not graded as this one: it is flagged
``wrong_assignment`` and the detail says which assignment it belongs to.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
import time
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .model import FOREIGN_KERNEL, INVALID_NOTEBOOK, LATE, MISSING, RENAMED, RESUBMITTED, WRONG_ASSIGNMENT

CANVAS = re.compile(r"^(?P<name>[A-Za-z][A-Za-z0-9-]*?)(?P<late>_LATE)?_(?P<uid>\d+)_(?P<sub>\d+)_(?P<rest>.+)$")
REUPLOAD = re.compile(r"^(?P<base>.+?)-(?P<n>\d+)$")
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
    upload: tuple = ()  # (Canvas file id, -N suffix): orders one student's uploads


def course_notebooks(course_root):
    """``{notebook name: assignment_id}`` for every assignment in ``course_root/source``."""
    source = Path(course_root) / "source" if course_root else None
    if source is None or not source.is_dir():
        return {}
    return {nb.stem: folder.name for folder in sorted(source.iterdir()) if folder.is_dir()
            for nb in sorted(folder.glob("*.ipynb"))}


def known_students(course_root):
    """``{lms_user_id: student_id}`` from the course's nbgrader gradebook (read only; {} without one)."""
    import sqlite3

    db = Path(course_root) / "gradebook.db" if course_root else None
    if db is None or not db.is_file():
        return {}
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            rows = con.execute("SELECT id, lms_user_id FROM student WHERE lms_user_id IS NOT NULL").fetchall()
        finally:
            con.close()
    except sqlite3.Error:
        return {}
    return {str(uid): sid for sid, uid in rows if str(uid).strip()}


def _other_assignment(name, assignment_id, notebook, others):
    """The assignment whose notebook ``name`` (a file stem, maybe with a ``-N`` suffix) is, if not this one."""
    m = REUPLOAD.match(name)
    for candidate in (name, m.group("base") if m else None):
        if candidate and candidate != notebook and others.get(candidate, assignment_id) != assignment_id:
            return candidate, others[candidate]
    return None


def _wrong(sub, found_name, other, assignment_id, notebook):
    sub.gradable = False
    sub.flags.append(WRONG_ASSIGNMENT)
    sub.detail = (f"{found_name} is the notebook of {other}, not of {assignment_id} "
                  f"(expected {notebook}.ipynb)")


def _clean_id(text):
    return SAFE_ID.sub("_", text).strip("._") or "unknown"


def _ipynbs(folder):
    return sorted(p for p in folder.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts and p.is_file())


def _from_nbgrader_layout(root, assignment_id, notebook, others):
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
        wrong = [(p, _other_assignment(p.stem, assignment_id, notebook, others)) for p in found]
        if exact.is_file():
            sub.original = exact
        elif len(found) == 1 and wrong[0][1]:
            _wrong(sub, found[0].name, wrong[0][1][1], assignment_id, notebook)
        elif len(found) == 1:
            sub.original = found[0]
            sub.flags.append(RENAMED)
            sub.detail = f"graded {found[0].name} (expected {notebook}.ipynb)"
        else:
            sub.gradable = False
            sub.flags.append(MISSING)
            names = ", ".join(p.name for p in found) or "no notebook"
            elsewhere = sorted(p.name for p in student_dir.iterdir() if p.is_dir() and p.name in others.values())
            also = f"; {student_dir.name}/ has {', '.join(elsewhere)} instead" if elsewhere and not found else ""
            sub.detail = f"no {notebook}.ipynb in {folder.name}/ ({names}){also}"
        subs.append(sub)
    return subs


def _student_from_filename(stem, notebook, others=None):
    """``(name, Canvas user id or None, (file id, -N suffix), late, notebook part)`` of a flat file's stem."""
    m = CANVAS.match(stem)
    if m:
        rest = m.group("rest")
        again = REUPLOAD.match(rest)
        n = int(again.group("n")) if again and again.group("base") in (notebook, *(others or {})) else 0
        return m.group("name"), m.group("uid"), (int(m.group("sub")), n), bool(m.group("late")), rest
    for candidate in (notebook, *(others or {})):
        if stem.endswith("_" + candidate) and len(stem) > len(candidate) + 1:
            return stem[: -len(candidate) - 1], None, (), False, candidate
    return stem, None, (), False, stem


def _from_flat(root, assignment_id, notebook, others, known):
    by_student = {}
    for path in sorted(p for p in root.iterdir() if p.is_file() and p.suffix == ".ipynb"):
        name, uid, upload, late, part = _student_from_filename(path.stem, notebook, others)
        sub = Submission(_clean_id(name), path, lms_id=uid or "", upload=upload)
        if late:
            sub.flags.append(LATE)
        other = _other_assignment(part, assignment_id, notebook, others)
        if other:
            _wrong(sub, path.name, other[1], assignment_id, notebook)
        by_student.setdefault(("uid", uid) if uid else ("name", sub.student_id), []).append(sub)
    subs = []
    for files in by_student.values():
        # newest upload first: Canvas file id, then -N (then the file's time, for other names);
        # another assignment's notebook only stands for the student when there is nothing else
        files = [f for f in files if f.gradable] or files[:1]
        files.sort(key=lambda s: (s.upload, s.original.stat().st_mtime), reverse=True)
        sub = files[0]
        if sub.gradable and (len(files) > 1 or (sub.upload and sub.upload[1])):
            sub.flags.append(RESUBMITTED)
            older = ", ".join(s.original.name for s in files[1:])
            sub.detail = "; ".join(x for x in (sub.detail, f"graded the newest upload, {sub.original.name}"
                                                + (f" (older: {older})" if older else "")) if x)
        subs.append(sub)
    _settle_ids(subs, known)
    return subs


def _settle_ids(subs, known):
    """Give each Canvas user the id the gradebook knows, else its name, else name_uid (see the docstring)."""
    owner = {sid: uid for uid, sid in known.items()}  # student id -> the user id it belongs to
    names = {}
    for sub in subs:
        if sub.lms_id:
            names.setdefault(sub.student_id, set()).add(sub.lms_id)
    for sub in subs:
        if not sub.lms_id:
            continue
        if sub.lms_id in known:
            sub.student_id = known[sub.lms_id]
            continue
        taken = owner.get(sub.student_id, sub.lms_id) != sub.lms_id or len(names[sub.student_id]) > 1
        if taken:
            sub.student_id = f"{sub.student_id}_{sub.lms_id}"


def check_batch(subs, submissions, assignment_id, notebook):
    """Raise :class:`IntakeError` when nothing in ``submissions`` is a submission of this assignment."""
    if not subs:
        raise IntakeError(f"no submissions found in {submissions}: no .ipynb files and no student folders")
    if all(MISSING in s.flags or WRONG_ASSIGNMENT in s.flags for s in subs):
        wrong = sorted({s.detail.split(" is the notebook of ")[1].split(",")[0]
                        for s in subs if WRONG_ASSIGNMENT in s.flags})
        which = f"; the notebooks there belong to {', '.join(wrong)}" if wrong else ""
        raise IntakeError(f"no {notebook}.ipynb of {assignment_id} in {submissions} "
                          f"({len(subs)} students, none submitted it{which})")


def discover(submissions, assignment_id, notebook, scratch, course_root=None):
    """List the submissions in a folder or zip (see the module docstring for names).

    Parameters
    ----------
    submissions : path
        A folder (nbgrader layout or flat) or a ``.zip``.
    assignment_id, notebook : str
        What is being graded.
    scratch : path
        Where a zip is unpacked (inside the grading workspace).
    course_root : path, optional
        The course: its other assignments' notebook names are recognised, and its
        gradebook's students keep their ids.
    """
    others = course_notebooks(course_root)
    known = known_students(course_root)
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
                try:  # keep the upload time the zip records
                    stamp = time.mktime((*info.date_time, 0, 0, -1))
                    os.utime(dest, (stamp, stamp))
                except (OverflowError, ValueError, OSError):
                    pass
        root = target
        # a zip that wraps everything in one folder
        entries = [p for p in root.iterdir() if not p.name.startswith(".")]
        if len(entries) == 1 and entries[0].is_dir() and not any(entries[0].glob(f"*/{assignment_id}")):
            if any(p.suffix == ".ipynb" for p in entries[0].iterdir()):
                root = entries[0]
    has_dirs = any(p.is_dir() and not p.name.startswith(".") for p in root.iterdir())
    has_flat = any(p.suffix == ".ipynb" for p in root.iterdir() if p.is_file())
    subs = _from_flat(root, assignment_id, notebook, others, known) if has_flat or not has_dirs else []
    if has_dirs:
        subs += _from_nbgrader_layout(root, assignment_id, notebook, others)
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
