"""autograder: the TA's local, parallel, tamper-resistant grading tool for lrcourse.

The pipeline follows what happens to the data, one module a step:

- :mod:`autograder.course`: what the source notebooks say (test cells, points, hidden checks).
- :mod:`autograder.intake`: find submissions (nbgrader layout, flat folder, LMS zip), copy
  them into a private workspace, reject unreadable ones with a reason.
- :mod:`autograder.execution`: a pool of worker processes running nbgrader's autograde,
  one fresh kernel per submission, with timeouts, a hard time budget and a memory cap.
- :mod:`autograder.scan`: a static scan of the student's cells for tampering patterns.
- :mod:`autograder.scoring`: the authoritative score, from the values the hidden tests
  recorded, re-verified against the reference in the grading process.
- :mod:`autograder.feedback`: nbgrader's feedback HTML without hidden tests.
- :mod:`autograder.reporting`: grades.csv, report.html with plots, the terminal summary.
"""

__version__ = "0.1.0"
