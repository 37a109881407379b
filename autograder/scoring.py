"""Scoring: the authoritative score of one submission, decided outside the kernel.

nbgrader runs the hidden tests inside the student's kernel, where a solution cell can
rebind ``np.allclose``, the grading helpers or IPython's traceback display. So the
score of a test cell here is not nbgrader's verdict: it is whether the values that
the cell's hidden ``check`` *recorded* agree with the reference, re-computed and
compared in this (the grading) process by :func:`lrcourse.grading.evaluate`.

- recorded values verify -> the cell's points (even if the cell also wrote to stderr,
  which plain nbgrader scores 0: SPEC, "a score depends on the values");
- no record, or values that do not verify -> 0; if nbgrader nevertheless marked the cell
  passed, the submission is flagged ``tampering`` (the kernel was lied to);
- the static scan (:mod:`autograder.scan`) finds a way to reach the grader -> the tests it
  can reach are 0 and ``flags`` says why.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat

from . import scan

_EXPECTED = {}


def _expected(function, aspect):
    from lrcourse.grading import expected_outputs

    key = (function, aspect)
    if key not in _EXPECTED:
        _EXPECTED[key] = expected_outputs(function, aspect)
    return _EXPECTED[key]


def read_records(path):
    """Records appended by the hidden tests: ``{(function, aspect): [record, ...]}``."""
    records, corrupt = {}, False
    path = Path(path)
    if not path.exists():
        return records, corrupt
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            rec = json.loads(line)
            key = (rec["function"], rec["aspect"])
            rec["results"], rec["mutated"]
        except (ValueError, KeyError, TypeError):
            corrupt = True
            continue
        records.setdefault(key, []).append(rec)
    return records, corrupt


def verify(test, records):
    """``(passed, message)`` for one test cell from its records."""
    from lrcourse.grading import evaluate

    recs = records.get((test.function, test.aspect), [])
    if test.function is None:
        return False, "this test cell has no hidden check"
    if not recs:
        return False, "the hidden test did not run to the end"
    for rec in recs:
        try:
            ok, message = evaluate(
                test.function, test.aspect, rec["results"], rec["mutated"], _expected(test.function, test.aspect)
            )
        except Exception as exc:  # noqa: BLE001 - a malformed record is a failed test, not a crash
            return False, f"unreadable record ({type(exc).__name__})"
        if not ok:
            return False, message
    return True, ""


def _nbgrader_scores(settings, assignment, student_id):
    """nbgrader's own score per test cell, and how many hand-graded answers still wait."""
    from nbgrader.api import Gradebook, MissingEntry

    tests, manual = {t.grade_id for t in assignment.tests}, set(assignment.manual_ids)
    scores, manual_pending = {}, 0
    db_url = f"sqlite:///{Path(settings.workspace) / 'gradebook.db'}"
    with Gradebook(db_url) as gb:
        try:
            nb = gb.find_submission_notebook(settings.notebook, settings.assignment_id, student_id)
        except MissingEntry:
            return None, 0
        for grade in nb.grades:
            if grade.name in tests and grade.auto_score is not None:
                scores[grade.name] = grade.auto_score
            elif grade.name in manual and grade.needs_manual_grade:
                manual_pending += 1
    return scores, manual_pending


def _cell_errors(nb):
    """Flags read off the executed notebook's error outputs."""
    flags = set()
    for cell in nb.cells if nb else []:
        for out in cell.get("outputs", []):
            if out.get("output_type") != "error":
                continue
            ename = out.get("ename", "")
            if "Timeout" in ename:
                flags.add("timeout")
            elif ename == "MemoryError":
                flags.add("memory")
            elif ename in ("DeadKernelError",):
                flags.add("kernel_died")
    return flags


def _student_cells(nb):
    """The submission's cells without the probe cell the autograder appended last."""
    from .execution import PROBE_MARK

    cells = list(nb.cells) if nb else []
    if cells and cells[-1].cell_type == "code" and cells[-1].source.startswith(PROBE_MARK):
        cells.pop()
    return cells


def _visible_errors(nb):
    """``{grade_id: "AssertionError: ..."}`` for test cells that stopped with an error."""
    found = {}
    for cell in nb.cells if nb else []:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        for out in cell.get("outputs", []):
            if gid and out.get("output_type") == "error":
                found[gid] = f"{out.get('ename', 'Error')}: {out.get('evalue', '')}".strip().rstrip(":")
    return found


def _scan_cells(submitted_nb, assignment):
    """Tampering found in the student's own cells: ``{function or None: [reasons]}``."""
    test_ids = {t.grade_id for t in assignment.tests}
    found = {}
    for cell in _student_cells(submitted_nb):
        if cell.cell_type != "code":
            continue
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in test_ids:
            continue  # test cells are restored from the gradebook before execution
        for reason in scan.scan_source(cell.source):
            owner = grade_id if grade_id in assignment.solution_ids else None
            found.setdefault(owner, []).append(reason)
    return found


def _edited_tests(submitted_nb, assignment, source_nb):
    source = {
        c.metadata.get("nbgrader", {}).get("grade_id"): c.source
        for c in source_nb.cells
        if c.metadata.get("nbgrader", {}).get("grade_id")
    }
    present = {}
    for c in submitted_nb.cells:
        gid = c.metadata.get("nbgrader", {}).get("grade_id")
        if gid:
            present[gid] = c.source
    flags = set()
    for test in assignment.tests:  # missing ones were restored (and flagged) at intake
        if test.grade_id in present and present[test.grade_id].split("### BEGIN HIDDEN TESTS")[0].strip() != (
            source.get(test.grade_id, "").split("### BEGIN HIDDEN TESTS")[0].strip()
        ):
            flags.add("edited_tests")
    return flags


def score_submission(settings, assignment, student_id, outcome):
    """Combine nbgrader's run, the records and the scan into the final result dict."""
    from .execution import record_path

    ws = Path(settings.workspace)
    submitted = ws / "submitted" / student_id / settings.assignment_id / f"{settings.notebook}.ipynb"
    autograded = ws / "autograded" / student_id / settings.assignment_id / f"{settings.notebook}.ipynb"
    submitted_nb = nbformat.read(submitted, as_version=4) if submitted.exists() else None
    executed_nb = nbformat.read(autograded, as_version=4) if autograded.exists() else None
    source_nb = nbformat.read(assignment.source_path, as_version=4)

    flags = set()
    if outcome.get("killed") == "timeout":
        flags.add("timeout")
    elif outcome.get("killed"):
        flags.add("kernel_died")
    error = (outcome.get("error") or "") + (outcome.get("log") or "")
    if "DeadKernelError" in error or "kernel died" in error.lower():
        flags.add("kernel_died")
    if "CellTimeoutError" in error or "TimeoutError" in error:
        flags.add("timeout")
    if outcome.get("success") is False and not flags and executed_nb is None:  # nbgrader gave up
        flags.add("not_executed")
    flags |= _cell_errors(executed_nb)
    if submitted_nb is not None:
        flags |= _edited_tests(submitted_nb, assignment, source_nb)

    records, corrupt = read_records(record_path(settings, student_id))
    probes, _ = read_records(str(record_path(settings, student_id)) + ".probe")
    visible = _visible_errors(executed_nb)
    if corrupt:
        flags.add("tampering:corrupt record")
    nb_scores, manual_pending = _nbgrader_scores(settings, assignment, student_id)
    nb_scores = nb_scores or {}
    tampering = _scan_cells(submitted_nb, assignment)
    global_reasons = sorted(set(tampering.get(None, [])))

    cells, messages, lied_to = {}, {}, []
    for test in assignment.tests:
        ok, message = verify(test, records)
        score = test.points if ok else 0.0
        if not ok and (test.function, test.aspect) not in records:
            # The cell stopped before its hidden check (a visible assert, an error, a timeout):
            # say what stopped it, and what the probe saw on the hidden cases.
            seen, probe_message = verify(test, probes)
            stopped = visible.get(test.grade_id, "the test cell did not run to its hidden check")
            message = f"{test.grade_id} stopped at: {stopped}" + ("" if seen else f"\n{probe_message}")
        reasons = global_reasons + sorted(set(tampering.get(test.function, [])))
        if reasons and score:
            score = 0.0
            message = "set to 0: the submission " + ", ".join(reasons)
        if not ok and nb_scores.get(test.grade_id, 0) > 0:
            lied_to.append(test.grade_id)
        cells[test.grade_id] = score
        if message:
            messages[test.grade_id] = message
    if lied_to:
        flags.add(f"tampering:{len(lied_to)} test cells passed in the kernel but their recorded values are wrong")
    for reasons in tampering.values():
        for reason in reasons:
            flags.add(f"tampering:{reason}")
    if executed_nb is None and submitted_nb is not None:
        manual_pending = len(assignment.manual_ids)
    detail = ""
    if outcome.get("success") is False and outcome.get("error"):
        lines = [ln for ln in outcome["error"].splitlines() if ln.strip()]
        detail = lines[-1][:200] if lines else ""
    return {
        "student_id": student_id,
        "detail": detail,
        "auto_score": round(sum(cells.values()), 6),
        "auto_max_score": assignment.max_score,
        "manual_pending": manual_pending,
        "flags": sorted(flags),
        "cells": cells,
        "messages": messages,
        "nbgrader_cells": nb_scores,
        "seconds": outcome.get("seconds"),
    }
