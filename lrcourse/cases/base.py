"""The case types shared by the assignment case modules: fixed cases and drawn ones."""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

__all__ = ["DEFAULT_SEED", "Case", "Drawn", "expand", "rng_for"]

#: The seed of the drawn cases when no submission seed is given (plain nbgrader, the notebooks).
DEFAULT_SEED = 20261125


def _short(value):
    if isinstance(value, np.ndarray):
        return "array(" + np.array2string(value, precision=6, threshold=8, separator=", ") + ")"
    if callable(value):
        owner = getattr(value, "__self__", None)
        if owner is not None:
            return f"{value.__name__} of {owner!r}"
        return getattr(value, "__name__", repr(value))
    return repr(value)


@dataclass(frozen=True)
class Case:
    """One call: positional and keyword arguments.

    Arguments are numbers, strings, lists, tuples, NumPy arrays, or the ``loss`` /
    ``grad`` methods of the :mod:`lrcourse.landscapes` objects (the only callables a case
    may hold: the autograder sends cases to the student's kernel as plain data).
    """

    args: tuple
    kwargs: dict = field(default_factory=dict)

    def describe(self, name):
        parts = [_short(a) for a in self.args] + [f"{k}={_short(v)}" for k, v in self.kwargs.items()]
        return f"{name}({', '.join(parts)})"


@dataclass(frozen=True)
class Drawn:
    """A case drawn afresh for every submission: ``draw(rng)`` returns a :class:`Case`.

    Under ``autograder grade`` the generator is seeded from the assignment, the student
    id and the course secret, so a table of somebody else's answers does not fit; a draw
    must stay clear of the SPEC's thresholds for every seed (no exact ties).

    Examples
    --------
    >>> d = Drawn(lambda rng: Case((rng.integers(0, 10),)))
    >>> expand([Case((1,)), d], rng_for(0, "f", "basic"))[0]
    Case(args=(1,), kwargs={})
    """

    draw: Callable[[np.random.Generator], Case]


def rng_for(seed, name, aspect):
    """The generator for the drawn cases of one ``(function, aspect)`` under ``seed``.

    Each (function, aspect) gets its own stream, so adding a case to one test does not
    change the draws of another.
    """
    return np.random.default_rng([int(seed) % (1 << 63), zlib.crc32(name.encode()), zlib.crc32(aspect.encode())])


def expand(entries, rng):
    """Fixed cases as they are, drawn ones drawn from ``rng`` (in order)."""
    out = []
    for entry in entries:
        case = entry.draw(rng) if isinstance(entry, Drawn) else entry
        if not isinstance(case, Case):
            raise TypeError(f"a case entry must be a Case or a Drawn returning one, got {type(case).__name__}")
        out.append(case)
    return out
