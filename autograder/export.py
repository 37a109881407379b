"""``autograder export``: the course's final grades from its nbgrader gradebook.

Final = autograded (the verified points :func:`autograder.gradebook.record` saved, or a
grader's override) plus hand-graded points, read through nbgrader's API. Two formats:

- ``csv``: one row per student and assignment, then one ``total`` row per student;
- ``canvas``: what Canvas's gradebook import reads: ``Student, ID, SIS User ID, SIS Login
  ID, Section``, one column per assignment, a ``Points Possible`` row first. Canvas
  matches a student by ``ID`` (the Canvas user id, kept from the downloaded file names),
  then by the SIS ids, then by name; and an assignment column by the Canvas assignment id
  in its header (``Title (12345)``), then by its title, else it creates a new assignment.
  ``Final Points`` (the total here) is one of the columns Canvas ignores on import.
"""

from __future__ import annotations

import csv
import warnings
from dataclasses import dataclass, field

from sqlalchemy.exc import SAWarning

from .gradebook import notebook_metadata, open_gradebook
from .model import INFO_FLAGS

CSV_COLUMNS = ["student_id", "lms_id", "assignment", "score", "max_score", "autograded", "hand_graded",
               "manual_points_pending", "status", "flags"]
CANVAS_STUDENT_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
TOTAL = "total"


@dataclass
class Grade:
    """One student's final grade on one assignment."""

    student_id: str
    lms_id: str
    assignment: str
    score: float = 0.0
    max_score: float = 0.0
    autograded: float = 0.0
    hand_graded: float = 0.0
    pending: float = 0.0
    status: str = "not submitted"
    flags: list = field(default_factory=list)


def final_grades(course_root):
    """``(assignments as {name: max_score}, [Grade, ...])`` for every student and assignment of the gradebook."""
    from nbgrader.api import GradeCell, MissingEntry

    grades = []
    with warnings.catch_warnings(), open_gradebook(course_root) as gb:
        warnings.simplefilter("ignore", SAWarning)  # nbgrader's own autoflush warnings
        # assignments nobody has submitted yet (released, not collected) are left out
        assignments = {a.name: float(a.max_score) for a in sorted(gb.assignments, key=lambda a: a.name)
                       if a.submissions}
        for student in sorted(gb.students, key=lambda s: s.id):
            for name, max_score in assignments.items():
                row = Grade(student.id, student.lms_user_id or "", name, max_score=max_score)
                try:
                    submission = gb.find_submission(name, student.id)
                except MissingEntry:
                    grades.append(row)
                    continue
                auto = hand = pending = 0.0
                for notebook in submission.notebooks:
                    for grade in notebook.grades:
                        is_test = isinstance(grade.cell, GradeCell) and grade.cell.cell_type == "code"
                        score = float(grade.score or 0.0)
                        if is_test:
                            auto += score
                        else:
                            hand += score
                        if grade.needs_manual_grade:
                            pending += float(grade.max_score or 0.0)
                row.score, row.autograded, row.hand_graded, row.pending = auto + hand, auto, hand, pending
                row.status = "needs hand-grading" if pending else "graded"
                row.flags = list(notebook_metadata(course_root, name, student.id).get("flags", []))
                grades.append(row)
    return assignments, grades


def _fmt(x):
    return f"{round(x, 4):g}"


def write_csv(fh, assignments, grades):
    """One row per student and assignment, then the student's ``total`` row."""
    writer = csv.writer(fh, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    by_student = {}
    for g in grades:
        by_student.setdefault(g.student_id, []).append(g)
    for student_id, rows in by_student.items():
        for g in rows:
            writer.writerow([g.student_id, g.lms_id, g.assignment, _fmt(g.score), _fmt(g.max_score),
                             _fmt(g.autograded), _fmt(g.hand_graded), _fmt(g.pending), g.status, ";".join(g.flags)])
        pending = sum(g.pending for g in rows)
        writer.writerow([student_id, rows[0].lms_id, TOTAL, _fmt(sum(g.score for g in rows)),
                         _fmt(sum(g.max_score for g in rows)), _fmt(sum(g.autograded for g in rows)),
                         _fmt(sum(g.hand_graded for g in rows)), _fmt(pending),
                         "needs hand-grading" if pending else "graded",
                         ";".join(sorted({f for g in rows for f in g.flags if f not in INFO_FLAGS}))])


def canvas_header(assignment, names):
    """The Canvas column of ``assignment``: ``names[assignment]`` (e.g. ``"PS1 (12345)"``) or its id."""
    return names.get(assignment, assignment)


def write_canvas(fh, assignments, grades, names=None):
    """Canvas's gradebook import CSV (see the module docstring)."""
    names = names or {}
    writer = csv.writer(fh, lineterminator="\n")
    headers = [canvas_header(a, names) for a in assignments]
    writer.writerow(CANVAS_STUDENT_COLUMNS + headers + ["Final Points"])
    writer.writerow(["    Points Possible", "", "", "", ""] + [_fmt(m) for m in assignments.values()]
                    + [_fmt(sum(assignments.values()))])
    by_student = {}
    for g in grades:
        by_student.setdefault(g.student_id, {})[g.assignment] = g
    for student_id, rows in by_student.items():
        lms_id = next((g.lms_id for g in rows.values() if g.lms_id), "")
        # not submitted: blank, which Canvas's import reads as "leave this grade alone"
        done = {a: g for a, g in rows.items() if g.status != "not submitted"}
        scores = [_fmt(done[a].score) if a in done else "" for a in assignments]
        writer.writerow([student_id, lms_id, "", "", ""] + scores + [_fmt(sum(g.score for g in done.values()))])


def without_lms_id(grades):
    return sorted({g.student_id for g in grades if not g.lms_id})
