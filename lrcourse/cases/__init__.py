"""The hidden test cases and the known wrong formulations, by function and aspect.

Each assignment module (``ps1_update_rule`` ...) defines

``CASES``
    ``{(function_name, aspect): [Case, ...]}``: the inputs a hidden test cell runs.
    Expected values are never stored: they come from :mod:`lrcourse.reference` at
    grading time, and the reference is itself tested against closed forms and the
    course's worked numbers.
``MISTAKES``
    ``{function_name: [(label, wrong_function), ...]}``: common wrong formulations,
    used only to *name* a student's mistake in the failure message.
"""

from __future__ import annotations

from . import ps1_update_rule, ps2_schedules, ps3_momentum, ps4_diagnosis
from .base import Case

__all__ = ["CASES", "MISTAKES", "Case", "aspects", "get_cases"]


CASES: dict = {}
MISTAKES: dict = {}
for _module in (ps1_update_rule, ps2_schedules, ps3_momentum, ps4_diagnosis):
    CASES.update(_module.CASES)
    MISTAKES.update(_module.MISTAKES)


def get_cases(name, aspect):
    """The cases of ``(name, aspect)``; ``KeyError`` with the known aspects otherwise."""
    try:
        return CASES[(name, aspect)]
    except KeyError:
        raise KeyError(f"no test cases for {name!r} / {aspect!r}; known: {aspects(name)}") from None


def aspects(name):
    """The aspects registered for a function, in registration order."""
    return [a for (n, a) in CASES if n == name]
