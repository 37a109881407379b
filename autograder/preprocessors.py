"""Notebook transformations of the pipeline, one nbconvert preprocessor each (as nbgrader's).

Before execution, on the grader's private copy of a submission (never the original):

- :class:`DedupeGradeIds`: a repeated grade_id keeps its nbgrader metadata on the last copy;
- :class:`RestoreCells`: read-only, test and answer cells the submission lacks come back
  from the release, each test right after the cell that defines its function;
- :class:`OverwriteLockedCells`: every test cell and read-only cell gets the course
  source's text (test cells: the visible part only), so what runs is the instructor's,
  whatever the student edited;
- :class:`InstallRecorder`: a first cell builds the recorder from a file in the
  sandbox's scratch folder, and each test cell first records what the student's function
  returns on the submission's cases, then runs the visible asserts.

After execution, for the student's page:

- :class:`FeedbackView`: the recorder cell and record lines go, test cells show the
  release's text, and outputs are made safe: only plain text and PNG images are kept
  (no HTML or scripts from the student's objects), each capped in bytes.

Each preprocessor leaves what it found in ``resources["lrcourse"]`` (a set of flags).
"""

from __future__ import annotations

import copy
import json
import re

import nbformat
from nbconvert.preprocessors import Preprocessor
from traitlets import Any, Int, Unicode

from .model import DELETED_TESTS, DUPLICATE_IDS, EDITED_TESTS

RECORDER_NAME = "_lrcourse_record"
RECORDER_MARK = "# lrcourse: recorder set-up (added by the autograder)"
MAX_TEXT_BYTES = 20_000
MAX_IMAGE_BYTES = 2_000_000
KEPT_MIME = ("image/png", "text/plain")


def _grade_id(cell):
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return meta.get("grade_id") if isinstance(meta, dict) else None


def _flags(resources):
    return resources.setdefault("lrcourse", {}).setdefault("flags", set())


class DedupeGradeIds(Preprocessor):
    """Keep nbgrader metadata on the last cell of each grade_id only (copied cells are common).

    The earlier copies stay as plain cells and still run in order, so the student's last
    definition wins, as when they run the notebook themselves. Metadata that is not an
    object (a hand-edited notebook) is dropped.
    """

    def preprocess(self, nb, resources):
        last = {}
        for index, cell in enumerate(nb.cells):
            meta = cell.get("metadata", {})
            if "nbgrader" in meta and not isinstance(meta["nbgrader"], dict):
                del meta["nbgrader"]
            if _grade_id(cell):
                last[_grade_id(cell)] = index
        for index, cell in enumerate(nb.cells):
            grade_id = _grade_id(cell)
            if grade_id and last[grade_id] != index:
                del cell.metadata["nbgrader"]
                _flags(resources).add(DUPLICATE_IDS)
        return nb, resources


def _defines(cell, function):
    return cell.cell_type == "code" and re.search(rf"^\s*def\s+{re.escape(function)}\s*\(", cell.source, re.M)


class RestoreCells(Preprocessor):
    """Put back the release's read-only, test and answer cells that the submission lacks.

    Read-only cells go back where the release had them (at the top if nothing before them
    survived), a test cell right after the last cell that defines its function, an answer
    cell at the end. Solution cells are never put back: a student may have written the
    function in a cell of their own, which a stub would undo. Flags ``deleted_tests`` when
    some test cells were deleted from a notebook that still had others (a notebook written
    from scratch, with no test cell at all, is not flagged).
    """

    release = Any(help="The release notebook (nbformat node).")
    assignment = Any(help="The autograder.course.Assignment.")

    def preprocess(self, nb, resources):
        release_nb, tests = self.release, {t.grade_id: t.function for t in self.assignment.tests}
        present = {_grade_id(c) for c in nb.cells if _grade_id(c)}
        had_tests = any(gid in tests for gid in present)
        missing_tests = False
        order = {_grade_id(c): i for i, c in enumerate(release_nb.cells) if _grade_id(c)}
        for index, cell in enumerate(release_nb.cells):
            grade_id = _grade_id(cell)
            meta = cell.metadata.get("nbgrader", {}) if grade_id else {}
            if not grade_id or grade_id in present or (meta.get("solution") and cell.cell_type == "code"):
                continue
            restored = nbformat.from_dict(copy.deepcopy(cell))
            position = None
            if grade_id in tests:
                missing_tests = True
                defining = [i for i, c in enumerate(nb.cells) if _defines(c, tests[grade_id] or "")]
                position = defining[-1] + 1 if defining else None
            if position is None and (meta.get("solution") or meta.get("task")):
                position = len(nb.cells)
            if position is None:
                before = [_grade_id(c) for c in release_nb.cells[:index] if _grade_id(c) in present]
                ids = [_grade_id(c) for c in nb.cells]
                position = ids.index(before[-1]) + 1 if before else _top(nb)
            while position < len(nb.cells) and grade_id in tests and _grade_id(nb.cells[position]) in tests:
                if order.get(_grade_id(nb.cells[position]), 0) > index:  # keep tests in release order
                    break
                position += 1
            nb.cells.insert(position, restored)
            present.add(grade_id)
        if missing_tests and had_tests:
            _flags(resources).add(DELETED_TESTS)
        return nb, resources


def _top(nb):
    """Index after the leading read-only cells (setup before helpers, in order)."""
    position = 0
    while position < len(nb.cells):
        meta = nb.cells[position].metadata.get("nbgrader", {})
        if not (meta.get("locked") and not meta.get("grade")):
            break
        position += 1
    return position


class OverwriteLockedCells(Preprocessor):
    """Test and read-only cells run the course source's text, not the student's.

    A test cell whose visible part the student changed is flagged ``edited_tests``
    (nothing is lost by it: the instructor's text runs).
    """

    assignment = Any(help="The autograder.course.Assignment.")

    def preprocess(self, nb, resources):
        tests = self.assignment.test_by_id
        for cell in nb.cells:
            grade_id = _grade_id(cell)
            if grade_id in tests:
                visible = tests[grade_id].visible
                if cell.source.split("### BEGIN HIDDEN TESTS")[0].strip() != visible.strip():
                    _flags(resources).add(EDITED_TESTS)
                cell.cell_type = "code"
                cell.source = visible
            elif grade_id in self.assignment.locked_sources:
                cell.source = self.assignment.locked_sources[grade_id]
        return nb, resources


class InstallRecorder(Preprocessor):
    """Make every test cell first record what the student's function returns.

    The first cell loads :mod:`lrcourse.record`'s source from ``recorder_path`` into a
    module of its own (so no student name can clash with it) and binds the recorder;
    each test cell then starts with one line,
    ``_lrcourse_record("gd_step", globals().get("gd_step"), "basic")``.
    """

    assignment = Any(help="The autograder.course.Assignment.")
    recorder_path = Unicode(help="The recorder's source, in the kernel's scratch folder.")
    cases_path = Unicode()
    record_path = Unicode()

    def preprocess(self, nb, resources):
        paths = json.dumps([self.recorder_path, self.cases_path, self.record_path])
        setup = (
            f"{RECORDER_MARK}\n"
            "def _lrcourse_setup(paths):\n"
            "    import types\n"
            "    module = types.ModuleType('lrcourse_record')\n"
            "    with open(paths[0], encoding='utf-8') as fh:\n"
            "        exec(compile(fh.read(), 'lrcourse_record', 'exec'), module.__dict__)\n"
            "    return module.Recorder(paths[1], paths[2])\n"
            f"{RECORDER_NAME} = _lrcourse_setup({paths})\n"
            "del _lrcourse_setup\n"
        )
        tests = self.assignment.test_by_id
        for cell in nb.cells:
            test = tests.get(_grade_id(cell))
            if test is not None and test.function:
                call = f"{RECORDER_NAME}({test.function!r}, globals().get({test.function!r}), {test.aspect!r})\n"
                cell.source = call + cell.source
        nb.cells.insert(0, nbformat.v4.new_code_cell(setup, metadata={"lrcourse": "recorder"}))
        return nb, resources


def _cap(text, limit=MAX_TEXT_BYTES):
    data = text.encode("utf-8", errors="replace")
    if len(data) <= limit:
        return text
    return data[:limit].decode("utf-8", errors="ignore") + f"\n... [{len(data) - limit} more bytes not shown]"


class FeedbackView(Preprocessor):
    """The executed notebook as the student's page shows it: no grader cells, safe outputs."""

    assignment = Any(help="The autograder.course.Assignment.")
    max_text = Int(MAX_TEXT_BYTES)

    def preprocess(self, nb, resources):
        tests = self.assignment.test_by_id
        nb.cells = [c for c in nb.cells if c.metadata.get("lrcourse") != "recorder"]
        for cell in nb.cells:
            test = tests.get(_grade_id(cell))
            if test is not None:
                cell.source = test.visible
            if cell.cell_type == "code":
                cell.outputs = [o for o in (self._safe(o) for o in cell.get("outputs", [])) if o is not None]
            cell.pop("attachments", None)
        return nb, resources

    def _safe(self, out):
        kind = out.get("output_type")
        if kind == "stream":
            return nbformat.v4.new_output("stream", name=out.get("name", "stdout"),
                                          text=_cap(str(out.get("text", "")), self.max_text))
        if kind == "error":
            tb = [_cap(str(line), 2000) for line in list(out.get("traceback", []))[-10:]]
            return nbformat.v4.new_output("error", ename=_cap(str(out.get("ename", "")), 200),
                                          evalue=_cap(str(out.get("evalue", "")), 2000), traceback=tb)
        if kind in ("display_data", "execute_result"):
            data = out.get("data", {})
            kept = {}
            png = data.get("image/png")
            if isinstance(png, str) and len(png) <= MAX_IMAGE_BYTES and re.fullmatch(r"[A-Za-z0-9+/=\s]*", png):
                kept["image/png"] = png
            elif "text/plain" in data:
                kept["text/plain"] = _cap(str(data["text/plain"]), self.max_text)
            if not kept:
                return None
            if kind == "execute_result":
                return nbformat.v4.new_output("execute_result", data=kept, execution_count=out.get("execution_count"))
            return nbformat.v4.new_output("display_data", data=kept)
        return None
