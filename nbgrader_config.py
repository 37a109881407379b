"""nbgrader configuration for the lrcourse course root (this folder).

From the repo root, ``nbgrader generate_assignment ps1_update_rule --force`` writes
``release/ps1_update_rule/``; ``nbgrader autograde ps1_update_rule`` grades ``submitted/``.
"""

import os
import sys

c = get_config()  # noqa: F821  (injected by traitlets)

# nbgrader runs `alembic` through PATH: find it next to the Python running nbgrader, so
# `.venv/bin/nbgrader ...` works without activating the venv.
_bindir = os.path.dirname(sys.executable)
if _bindir not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = _bindir + os.pathsep + os.environ.get("PATH", "")

c.CourseDirectory.course_id = "lrcourse"
c.CourseDirectory.root = "."
# Keep helper files (checkpoints, caches) out of released assignments.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]

# A kernelspec the grading machine lacks would fail every submission: pin it.
c.Execute.kernel_name = "python3"
c.Execute.timeout = 60
c.Execute.interrupt_on_timeout = True
c.Execute.shutdown_kernel = "immediate"
# Tracebacks must not quote hidden test lines in feedback (NBGRADER-NOTES.md).
c.Execute.extra_arguments = [
    "--InteractiveShell.xmode=Minimal",
    "--HistoryManager.hist_file=:memory:",
]
# A deleted test cell is put back so the submission is still graded automatically.
c.OverwriteCells.add_missing_cells = True
c.GenerateFeedback.preprocessors = [
    "autograder.gradebook.DropTANotes",  # the autograder's notes for the TA stay in the formgrader
    "nbgrader.preprocessors.GetGrades",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    "nbgrader.preprocessors.ClearHiddenTests",
]
# Students' markdown and outputs are HTML: sanitise it in the formgrader and in feedback
# (a <script> in a written answer must not run in the grader's browser).
c.HTMLExporter.sanitize_html = True
