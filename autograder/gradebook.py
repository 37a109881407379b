"""The course's nbgrader gradebook: the autograder's verified results where nbgrader's own tools read them.

:func:`record` leaves in the course root what ``nbgrader autograde`` leaves there
(``Autograde.init_assignment`` and the ``SaveAutoGrades`` preprocessor), with the
judge's verified points in place of nbgrader's kernel-side ones, so that the formgrader
(hand-grading the written answers and figures), ``nbgrader export`` and ``nbgrader
generate_feedback`` work on them:

- the assignment is in ``gradebook.db`` (``nbgrader generate_assignment`` puts it there;
  if it is missing, :func:`ensure_assignment` runs nbgrader's own ``generate_assignment``
  with a temporary release folder, so ``release/`` is not touched);
- every student is in the student table, with the Canvas user id as ``lms_user_id``;
- ``submitted/<student>/<assignment>/``: a copy of the submitted file and ``timestamp.txt``
  (the file's time), which nbgrader compares with the submission's timestamp;
- the submission and its grades. Test cells: ``auto_score`` = the verified points.
  Written answers: nbgrader's ``determine_grade`` (0 for an answer left as released,
  else waiting for a grader). Task cells (figures): waiting for a grader. Comments as
  ``SaveAutoGrades`` makes them ("No response." on an unchanged answer cell). A
  submission that could not be graded (missing, not a notebook, another assignment's)
  gets 0 everywhere and nothing to hand-grade, as nbgrader does for a missing notebook.
  A flagged submission gets the formgrader's flag (a flag is never removed here: it may
  be a grader's);
- ``autograded/<student>/<assignment>/<notebook>.ipynb``: the notebook as it ran, as the
  student's page shows it (no recorder cell, test cells in the release's text, only
  plain-text and PNG outputs), with the nbgrader metadata of the gradebook's cells, a
  first cell with the verified score and the notes a student may see, the judge's
  message under each test cell, and a cell for the TA (flags about the grader, the
  cause of a failure, review notes) that ``nbgrader generate_feedback`` drops
  (:class:`DropTANotes`, in ``nbgrader_config.py``). Its ``metadata.lrcourse`` keeps the
  flags and the LMS id for ``autograder export``.

Re-recording an unchanged result leaves the grades alone; a changed one is re-recorded
as ``SaveAutoGrades`` would (a hand-graded cell is then marked for review again).
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import shutil
import tempfile
import warnings
from pathlib import Path

import nbformat
from nbconvert.preprocessors import Preprocessor
from sqlalchemy.exc import SAWarning
from traitlets import Bool

from .course import CourseError
from .model import INFO_FLAGS, INVALID_NOTEBOOK, MISSING, UNSANDBOXED, WRONG_ASSIGNMENT
from .pagemath import defang_markdown

COURSE_ID = "lrcourse"
NOTES_TAG = "lrcourse-autograder"
TA_TAG = "lrcourse-ta-notes"
UNGRADABLE = frozenset({MISSING, INVALID_NOTEBOOK, WRONG_ASSIGNMENT})


class GradebookError(CourseError):
    """The course's gradebook cannot take the results (say why and what to run)."""


def db_url(course_root):
    return f"sqlite:///{Path(course_root).resolve() / 'gradebook.db'}"


def open_gradebook(course_root):
    """nbgrader's ``Gradebook`` on the course's ``gradebook.db`` (created, as nbgrader does, if missing)."""
    from nbgrader.api import Gradebook

    from .course import venv_on_path

    venv_on_path()  # a new gradebook asks `alembic` (through PATH) for its schema version
    return Gradebook(db_url(course_root), COURSE_ID)


class DropTANotes(Preprocessor):
    """Remove the autograder's notes for the TA (for ``GenerateFeedback.preprocessors``)."""

    enabled = Bool(True).tag(config=True)  # nbconvert registers preprocessors named by string disabled

    def preprocess(self, nb, resources):
        nb.cells = [c for c in nb.cells if TA_TAG not in c.get("metadata", {}).get("tags", [])]
        return nb, resources


# --------------------------------------------------------------------------- the assignment


def _expected_cells(assignment):
    cells = {t.grade_id: t.points for t in assignment.tests}
    cells.update(assignment.manual_points)
    return cells


def _gradebook_cells(gb, assignment):
    from nbgrader.api import MissingEntry

    try:
        notebook = gb.find_notebook(assignment.notebook, assignment.assignment_id)
    except MissingEntry:
        return None
    cells = {c.name: c.max_score for c in notebook.grade_cells}
    cells.update({c.name: c.max_score for c in notebook.task_cells})
    return cells


def ensure_assignment(course_root, assignment):
    """Make sure the gradebook has ``assignment`` with the source's cells and points."""
    with open_gradebook(course_root) as gb:
        have = _gradebook_cells(gb, assignment)
    want = _expected_cells(assignment)
    if have == want:
        return
    from .course import nbgrader_api

    api = nbgrader_api(course_root)
    release = Path(tempfile.mkdtemp(prefix="lrc-release-"))
    try:
        api.coursedir.release_directory = str(release)  # nbgrader's own release, away from release/
        result = api.generate_assignment(assignment.assignment_id, force=True)
    finally:
        shutil.rmtree(release, ignore_errors=True)
    with open_gradebook(course_root) as gb:
        have = _gradebook_cells(gb, assignment)
    if not result.get("success") or have != want:
        log = (result.get("error") or result.get("log") or "").strip().splitlines()[-3:]
        raise GradebookError(
            f"the gradebook's {assignment.assignment_id} does not match source/ and nbgrader could not "
            f"update it; run `nbgrader generate_assignment {assignment.assignment_id} --force` in "
            f"{course_root} ({' '.join(log)})")


# --------------------------------------------------------------------------- one submission


def _timestamp(result):
    path = Path(result.source_file) if result.source_file else None
    when = path.stat().st_mtime if path is not None and path.is_file() else dt.datetime.now().timestamp()
    return dt.datetime.fromtimestamp(when, dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f UTC")


def fingerprint(result):
    """What decides a recorded submission (not timings or where the file was)."""
    data = result.to_dict()
    for key in ("seconds", "timing", "source_file", "attempts"):
        data.pop(key, None)
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _problem_flags(result):
    return [f for f in result.flags if f not in INFO_FLAGS and f != UNSANDBOXED]


def _md(text):
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_").replace("<", "&lt;")


def _notes_cells(result, assignment):
    """The first cell (what the student may see) and the TA's cell (or None)."""
    shown = result.student_flags()
    lines = [f"**Autograder**: {result.auto_score:g} / {result.auto_max_score:g} autograded points, verified "
             "outside the notebook. Written answers and figures are graded by hand."]
    if shown:
        lines.append(f"Notes on the submission: {_md('; '.join(shown))}.")
    if result.detail:
        lines.append(_md(result.detail))
    notes = nbformat.v4.new_markdown_cell("\n\n".join(lines), metadata={"tags": [NOTES_TAG]})
    ta = []
    hidden = [f for f in result.flags if f not in shown]
    if hidden:
        ta.append(f"Flags about the grader: {_md('; '.join(hidden))}.")
    if result.cause:
        ta.append("Cause:\n\n```\n" + result.cause.replace("```", "'''") + "\n```")
    if result.review:
        ta.append("For review (a static look at the code; never changes a score): " + _md("; ".join(result.review)))
    if not ta:
        return notes, None
    ta_cell = nbformat.v4.new_markdown_cell("**For the TA** (not in the student's feedback)\n\n" + "\n\n".join(ta),
                                            metadata={"tags": [TA_TAG]})
    return notes, ta_cell


def _source_notebook(result, workspace, assignment):
    """The notebook to show, or None: the executed one, else the submitted file (outputs cleared)."""
    if set(result.flags) & UNGRADABLE:
        return None
    executed = Path(workspace) / "autograded" / result.student_id / f"{assignment.notebook}.ipynb"
    if result.timing and executed.is_file():  # written by the worker that graded this result
        return nbformat.read(executed, as_version=4)
    if result.source_file and Path(result.source_file).is_file():
        try:
            nb = nbformat.read(result.source_file, as_version=4)
        except Exception:  # noqa: BLE001 - unreadable: show the notes only
            return None
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        return nb
    return None


def build_notebook(result, assignment, workspace, cells):
    """The notebook for ``autograded/``: see the module docstring. ``cells`` describes the gradebook's cells."""
    from .preprocessors import FeedbackView

    nb = _source_notebook(result, workspace, assignment)
    if nb is None:
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    else:
        nb, _ = FeedbackView(assignment=assignment).preprocess(nb, {})
    verdicts = {v.grade_id: v for v in result.verdicts}
    for cell in nb.cells:
        if cell.cell_type == "markdown":  # nbgrader's templates render a student's HTML as is
            cell.source = defang_markdown(cell.source)
        meta = cell.get("metadata", {}).get("nbgrader")
        if not isinstance(meta, dict) or "grade_id" not in meta:
            cell.get("metadata", {}).pop("nbgrader", None)
            continue
        gid = meta["grade_id"]
        if gid not in cells["source"]:
            del cell.metadata["nbgrader"]  # a cell nbgrader does not know would break generate_feedback
            continue
        cell.metadata["nbgrader"] = {
            "grade": gid in cells["grade"], "solution": gid in cells["solution"], "task": gid in cells["task"],
            "locked": cells["source"][gid]["locked"], "grade_id": gid, "schema_version": 3,
            "checksum": cells["source"][gid]["checksum"],
            **({"points": cells["points"][gid]} if gid in cells["points"] else {}),
        }
        if gid in verdicts and cell.cell_type == "code":
            v = verdicts[gid]
            text = f"[autograder] {v.points:g} / {v.max_points:g} points (verified)" + (f": {v.message}" if v.message else "")
            cell.outputs = [*cell.get("outputs", []), nbformat.v4.new_output("stream", name="stdout", text=text + "\n")]
    notes, ta = _notes_cells(result, assignment)
    nb.cells[:0] = [notes] + ([ta] if ta else [])
    nb.metadata["lrcourse"] = {
        "flags": list(result.flags), "lms_id": result.lms_id, "auto_score": result.auto_score,
        "auto_max_score": result.auto_max_score, "fingerprint": fingerprint(result),
        "source_file": Path(result.source_file).name if result.source_file else "",
    }
    return nb


def _cells(gb, assignment):
    notebook = gb.find_notebook(assignment.notebook, assignment.assignment_id)
    return {
        "grade": {c.name for c in notebook.grade_cells},
        "code": {c.name for c in notebook.grade_cells if c.cell_type == "code"},
        "solution": {c.name for c in notebook.solution_cells},
        "task": {c.name for c in notebook.task_cells},
        "points": {c.name: c.max_score for c in [*notebook.grade_cells, *notebook.task_cells]},
        "source": {c.name: {"locked": bool(c.locked), "checksum": c.checksum} for c in notebook.source_cells},
    }


def _save_grades(gb, assignment, result, nb, cells, gradable):
    """Grades and comments of one submission, as SaveAutoGrades would save them (verified points for tests)."""
    from nbgrader import utils

    present = {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells if "nbgrader" in c.get("metadata", {})}
    verdicts = {v.grade_id: v for v in result.verdicts}
    args = (assignment.notebook, assignment.assignment_id, result.student_id)
    for gid in sorted(cells["grade"] | cells["task"]):
        grade = gb.find_grade(gid, *args)
        if gid in cells["code"]:
            verdict = verdicts.get(gid)
            grade.auto_score = float(verdict.points) if verdict is not None else 0.0
        elif not gradable or gid not in present:
            grade.auto_score = 0.0  # nothing was handed in for it
        elif gid in cells["grade"]:
            grade.auto_score, _ = utils.determine_grade(present[gid])
        else:
            grade.auto_score = None  # a task cell: a grader decides
        if not gradable or gid not in present:
            grade.needs_manual_grade = grade.manual_score is not None
        else:
            grade.needs_manual_grade = grade.manual_score is not None or grade.auto_score is None
    for gid in sorted(cells["solution"] | cells["task"]):
        comment = gb.find_comment(gid, *args)
        cell = present.get(gid)
        unchanged = cell is not None and cell.metadata["nbgrader"].get("checksum") == utils.compute_checksum(cell)
        comment.auto_comment = "No response." if (unchanged or cell is None) and gid not in cells["task"] else None
    gb.db.commit()


def _copy_submitted(course_root, assignment, result, timestamp):
    folder = Path(course_root) / "submitted" / result.student_id / assignment.assignment_id
    folder.mkdir(parents=True, exist_ok=True)
    source = Path(result.source_file) if result.source_file else None
    if source is not None and source.is_file():  # under the notebook's name if it is this assignment's
        name = source.name if set(result.flags) & UNGRADABLE else f"{assignment.notebook}.ipynb"
        shutil.copyfile(source, folder / name)
    (folder / "timestamp.txt").write_text(timestamp + "\n")


def record(course_root, assignment, results, out):
    """Record every result of one graded batch in the course's nbgrader gradebook (see the module docstring).

    Parameters
    ----------
    course_root : path
        The nbgrader course root (``nbgrader_config.py``, ``source/``, ``gradebook.db``).
    assignment : autograder.course.Assignment
    results : list of SubmissionResult
        What :func:`autograder.grade.grade` returned (broken submissions included).
    out : path
        The batch's output folder (its ``.workspace/autograded/`` holds the executed notebooks).

    Returns
    -------
    dict
        ``{"recorded": n, "unchanged": n, "added_students": [...]}``.
    """
    from nbgrader.api import MissingEntry

    course_root = Path(course_root).resolve()
    ensure_assignment(course_root, assignment)
    workspace = Path(out).resolve() / ".workspace"
    summary = {"recorded": 0, "unchanged": 0, "added_students": []}
    with warnings.catch_warnings(), open_gradebook(course_root) as gb:
        warnings.simplefilter("ignore", SAWarning)  # nbgrader's add_submission trips SQLAlchemy's autoflush
        cells = _cells(gb, assignment)
        for result in results:
            target = (course_root / "autograded" / result.student_id / assignment.assignment_id
                      / f"{assignment.notebook}.ipynb")
            try:
                student = gb.find_student(result.student_id)
            except MissingEntry:
                student = gb.add_student(result.student_id, lms_user_id=result.lms_id or None)
                summary["added_students"].append(result.student_id)
            if result.lms_id and not student.lms_user_id:
                student.lms_user_id = result.lms_id
                gb.db.commit()
            try:
                gb.find_submission(assignment.assignment_id, result.student_id)
                exists = True
            except MissingEntry:
                exists = False
            if exists and target.is_file() and _recorded_fingerprint(target) == fingerprint(result):
                summary["unchanged"] += 1
                continue
            timestamp = _timestamp(result)
            _copy_submitted(course_root, assignment, result, timestamp)
            gb.update_or_create_submission(assignment.assignment_id, result.student_id, timestamp=timestamp)
            nb = build_notebook(result, assignment, workspace, cells)
            gradable = not (set(result.flags) & UNGRADABLE)
            _save_grades(gb, assignment, result, nb, cells, gradable)
            if _problem_flags(result):
                submitted = gb.find_submission_notebook(assignment.notebook, assignment.assignment_id,
                                                        result.student_id)
                submitted.flagged = True
                gb.db.commit()
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(".tmp")
            nbformat.write(nb, tmp)
            tmp.replace(target)
            summary["recorded"] += 1
    return summary


def _recorded_fingerprint(path):
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))["metadata"]["lrcourse"]["fingerprint"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def notebook_metadata(course_root, assignment_id, student_id):
    """``metadata.lrcourse`` of a recorded autograded notebook ({} if there is none)."""
    folder = Path(course_root) / "autograded" / student_id / assignment_id
    for path in sorted(folder.glob("*.ipynb")) if folder.is_dir() else []:
        try:
            return copy.deepcopy(json.loads(path.read_text(encoding="utf-8"))["metadata"].get("lrcourse", {}))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return {}
