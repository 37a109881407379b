"""The hidden test cases, by function and aspect (the known mistakes are :mod:`lrcourse.mistakes`).

Each assignment module (``ps1_update_rule`` ...) defines

``CASES``
    ``{(function_name, aspect): [Case or Drawn, ...]}``: the inputs a hidden test cell
    runs. A :class:`Drawn` entry is drawn per submission (see :func:`get_cases`).
    Expected values are never stored: they come from :mod:`lrcourse.reference` at
    grading time, and the reference is itself tested against closed forms and the
    course's worked numbers.
"""

from __future__ import annotations

from . import ps1_update_rule, ps2_schedules, ps3_momentum, ps4_diagnosis, ps5_adaptive
from .base import DEFAULT_SEED, Case, Drawn, expand, rng_for

__all__ = ["CASES", "Case", "Drawn", "aspects", "get_cases"]


CASES: dict = {}
for _module in (ps1_update_rule, ps2_schedules, ps3_momentum, ps4_diagnosis, ps5_adaptive):
    CASES.update(_module.CASES)


def get_cases(name, aspect, seed=None):
    """The cases of ``(name, aspect)``, drawn ones drawn under ``seed``.

    ``seed=None`` uses :data:`~lrcourse.cases.base.DEFAULT_SEED` (plain nbgrader and the
    notebooks); the autograder passes a seed made from the assignment, the student id and
    the course secret. ``KeyError`` with the known aspects for an unknown pair.
    """
    try:
        entries = CASES[(name, aspect)]
    except KeyError:
        raise KeyError(f"no test cases for {name!r} / {aspect!r}; known: {aspects(name)}") from None
    return expand(entries, rng_for(DEFAULT_SEED if seed is None else seed, name, aspect))


def aspects(name):
    """The aspects registered for a function, in registration order."""
    return [a for (n, a) in CASES if n == name]
