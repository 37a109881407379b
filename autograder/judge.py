"""The judge: recorded values in, one :class:`~autograder.model.Verdict` per test cell out.

Pure: no environment variables, no files, no clock. What it needs comes in as
arguments (the assignment, the validated records, the submission's case seed), and the
expected values, the comparison and the mistake names come from
:func:`lrcourse.grading.assess` in this, the grading, process. A test cell earns its
points exactly when the values its check recorded agree with the reference on every
case and no input was changed in place; nothing the kernel printed or claimed counts.

Examples
--------
>>> from autograder.course import TestCell
>>> test = TestCell("test_gd_step_basic", 1.0, "gd_step", "basic")
>>> judge_cell(test, {}, seed=1).status
'not_run'
"""

from __future__ import annotations

from lrcourse.grading import assess
from lrcourse.mistakes import INPUT_MUTATED

from .model import Verdict


def judge_cell(test, records, seed, stopped_at=""):
    """The verdict on one test cell.

    Parameters
    ----------
    test : autograder.course.TestCell
        The cell, with its check's function and aspect.
    records : dict
        ``{(function, aspect): Record}`` from :func:`autograder.records.read_records`.
    seed : int
        The submission's case seed.
    stopped_at : str
        What stopped the cell, if it did not reach its check (for the message).
    """
    if test.function is None:
        return Verdict(test.grade_id, 0.0, test.points, "no_check", "this test cell has no hidden check")
    record = records.get((test.function, test.aspect))
    if record is None:
        why = f": {stopped_at}" if stopped_at else ""
        message = f"{test.grade_id} did not reach its hidden check{why}"
        return Verdict(test.grade_id, 0.0, test.points, "not_run", message, function=test.function)
    try:
        outcome = assess(test.function, test.aspect, list(record.results), list(record.mutated), seed)
    except ValueError as exc:  # a record with the wrong number of cases
        return Verdict(test.grade_id, 0.0, test.points, "invalid_record", str(exc), function=test.function)
    if outcome.passed:
        return Verdict(test.grade_id, test.points, test.points, "passed", function=test.function)
    mistake = outcome.mistake or (INPUT_MUTATED if outcome.mutated and not outcome.n_wrong else None)
    return Verdict(test.grade_id, 0.0, test.points, "wrong", outcome.message(), mistake, test.function)


def judge(assignment, records, seed, stopped=None):
    """Verdicts for every autograded test cell of ``assignment``, in notebook order."""
    stopped = stopped or {}
    return [judge_cell(t, records, seed, stopped.get(t.grade_id, "")) for t in assignment.tests]
