"""The common wrong answers the grader can name, each defined once as the code a student writes.

Each assignment module (``ps1_update_rule`` ...) defines ``MISTAKES``: ``{function_name:
[Mistake, ...]}``. A :class:`~lrcourse.mistakes.base.Mistake` is a label and a solution cell's
source. Two consumers read the same object:

* the judge (:func:`lrcourse.grading.likely_mistake`) runs ``mistake.wrong`` on the cases of a
  failing test, and names the mistake that reproduces every wrong case of the student and is
  right where the student is right (ties: the order listed);
* the demo cohort (:mod:`autograder.cohort`) pastes ``mistake.source`` into a synthetic
  student's solution cell, and expects that student to lose points with exactly this name.

Mistakes only *name* a failure; points come from comparing with :mod:`lrcourse.reference`.

Examples
--------
>>> from lrcourse.mistakes import MISTAKES
>>> m = MISTAKES["gd_step"][0]
>>> m.label
'sign flipped (w + lr * grad: that climbs the loss)'
>>> float(m.wrong(1.0, 2.0, 0.5))
2.0
"""

from __future__ import annotations

from . import ps1_update_rule, ps2_schedules, ps3_momentum, ps4_diagnosis, ps5_adaptive
from .base import INPUT_MUTATED, INT_CAST, INT_PATH, INT_PATH_STEP, LIST_INPUT, Mistake

__all__ = ["INPUT_MUTATED", "INT_CAST", "INT_PATH", "INT_PATH_STEP", "LIST_INPUT", "MISTAKES", "Mistake", "for_function"]

MISTAKES: dict = {}
for _module in (ps1_update_rule, ps2_schedules, ps3_momentum, ps4_diagnosis, ps5_adaptive):
    MISTAKES.update(_module.MISTAKES)


def for_function(name):
    """The registered mistakes of one function, in the order the judge tries them (may be empty)."""
    return list(MISTAKES.get(name, ()))
