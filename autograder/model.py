"""The types that cross the seams of the pipeline, each defined once.

intake -> :class:`~autograder.intake.Submission`; execution -> :class:`RunOutcome`
(and the kernel's :class:`Record` lines); judging -> :class:`Verdict` per test cell;
everything together -> :class:`SubmissionResult`, which reporting, feedback and the
cache read. Flags that may reach the student are the constants below; notes for the TA
go to ``review`` and never change a score.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

# Flags: short reasons about the notebook, shown to the TA and (except UNSANDBOXED and
# GRADER_ERROR, which are about the grader) to the student.
MISSING = "missing"
RENAMED = "renamed"
INVALID_NOTEBOOK = "invalid_notebook"
TIMEOUT = "timeout"
KERNEL_DIED = "kernel_died"
MEMORY = "memory"
EDITED_TESTS = "edited_tests"
DELETED_TESTS = "deleted_tests"
DUPLICATE_IDS = "duplicate_ids"
FOREIGN_KERNEL = "foreign_kernel"
UNSANDBOXED = "unsandboxed"
GRADER_ERROR = "grader_error"
TA_ONLY_FLAGS = frozenset({UNSANDBOXED, GRADER_ERROR})
# The notebook is another assignment's (its file name says which): not graded as this one.
WRONG_ASSIGNMENT = "wrong_assignment"
# Notes about how the file came in, not problems with it: on the row and the page, never
# counted as "flagged". LATE: Canvas marked the upload late (``<name>_LATE_...``);
# RESUBMITTED: the student uploaded more than once (Canvas's ``-N`` suffix, or several
# files): the newest upload was graded.
LATE = "late"
RESUBMITTED = "resubmitted"
INFO_FLAGS = frozenset({LATE, RESUBMITTED})


@dataclass(frozen=True)
class Record:
    """What the kernel reported for one hidden check: one serialised result per case.

    Built only by :func:`autograder.records.parse_line`, after its schema check.
    """

    function: str
    aspect: str
    results: tuple
    mutated: tuple


@dataclass(frozen=True)
class RunOutcome:
    """What running one notebook in a sandboxed kernel produced.

    Attributes
    ----------
    status : str
        ``"completed"`` (every cell ran, errors in cells included), ``"timeout"`` (the
        per-notebook budget ran out: the kernel was killed), ``"kernel_died"`` (the kernel
        exited or failed to start, on every attempt) or ``"grader_error"``.
    attempts : int
        Kernels started (a machinery failure is retried once in a fresh kernel).
    cause : str
        For a failure: the exception type and the last lines of the kernel's stderr.
    timed_out_cells : tuple of str
        grade_ids (or cell numbers) interrupted at the per-cell timeout.
    cell_errors : dict
        ``{grade_id: "Ename: evalue"}`` for test cells that stopped with an error.
    memory : bool
        A cell raised MemoryError (the address-space cap).
    seconds : float
        Wall time of the run.
    """

    status: str
    attempts: int = 1
    cause: str = ""
    timed_out_cells: tuple = ()
    cell_errors: dict = field(default_factory=dict)
    memory: bool = False
    seconds: float = 0.0


@dataclass(frozen=True)
class Verdict:
    """The judge's decision on one autograded test cell.

    Attributes
    ----------
    grade_id : str
        The test cell.
    points, max_points : float
        Earned and possible.
    status : str
        ``"passed"``, ``"wrong"`` (values differ or inputs mutated), ``"not_run"`` (no
        record: the cell did not reach its check), ``"invalid_record"`` or ``"no_check"``.
    message : str
        What the student reads: the first wrong case, what came back, what was expected,
        the likely mistake; or why the cell has no result.
    mistake : str or None
        The named mistake, for counting in the class report.
    """

    grade_id: str
    points: float
    max_points: float
    status: str
    message: str = ""
    mistake: str | None = None
    function: str | None = None


@dataclass
class SubmissionResult:
    """Everything known about one graded submission (one row of grades.csv)."""

    student_id: str
    assignment: str
    auto_score: float
    auto_max_score: float
    verdicts: list
    flags: list = field(default_factory=list)
    review: list = field(default_factory=list)
    manual_pending: int = 0
    detail: str = ""
    cause: str = ""
    attempts: int = 0
    seconds: float = 0.0
    timing: dict = field(default_factory=dict)
    lms_id: str = ""
    source_file: str = ""

    @property
    def cells(self):
        return {v.grade_id: v.points for v in self.verdicts}

    def student_flags(self):
        """The flags the student may see (notebook problems, never notes about the grader)."""
        return [f for f in self.flags if f not in TA_ONLY_FLAGS]

    def to_dict(self):
        return asdict(self)

    @classmethod
    def from_dict(cls, data):
        data = dict(data)
        data["verdicts"] = [Verdict(**v) for v in data.get("verdicts", [])]
        return cls(**data)
