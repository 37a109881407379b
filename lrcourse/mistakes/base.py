"""The :class:`Mistake` type: one common wrong answer, defined once as the code a student writes."""

from __future__ import annotations

import ast
import functools
import math
from dataclasses import dataclass

import numpy as np

__all__ = ["INPUT_MUTATED", "INT_CAST", "INT_PATH", "INT_PATH_STEP", "LIST_INPUT", "Mistake", "group"]

#: The name of the one mistake no wrong function can show: right values, inputs changed in place
#: (the recorder reports it per case; the judge names it when nothing else is wrong).
INPUT_MUTATED = "input mutated"

#: Labels shared by several functions (one definition each).
LIST_INPUT = "fails on a list: convert with np.asarray"
INT_CAST = "integer input gave integer results (cast back to the input's dtype): compute in floats"
INT_PATH = "integer w0 gave an integer path (the array of iterates took w0's dtype): allocate it as floats"
INT_PATH_STEP = ("integer w0 gave an integer path, and each step started from the rounded iterate: "
                 "allocate it as floats")


@dataclass(frozen=True)
class Mistake:
    """One common wrong formulation of a SPEC function.

    The source is the only definition of the mistake. The judge runs it (in the grading
    process, never in a student's kernel) to recognise a student who makes this mistake,
    and the demo cohort pastes it into a synthetic student's solution cell, so the two
    can never drift apart.

    Parameters
    ----------
    function : str
        The SPEC function the mistake is made in.
    label : str
        What the feedback calls it ("Likely mistake: ..."), a short imperative hint included.
    source : str
        A complete solution cell making exactly this mistake and right in every other
        respect: it defines ``function`` (helpers allowed) and uses only ``np`` and ``math``,
        which every notebook's setup cell imports, plus imports inside the function.
    any_error : bool
        The error the source raises stands for any error on the same inputs: "fails on a list"
        is the same mistake whether the list lacks ``.astype`` (``AttributeError``) or meets a
        float (``TypeError``). Otherwise an error must be of the same type to count.

    Examples
    --------
    >>> m = Mistake("gd_step", "sign flipped", "def gd_step(w, grad, lr):\\n    return w + lr * grad\\n")
    >>> m.wrong(1.0, 2.0, 0.5)
    2.0
    """

    function: str
    label: str
    source: str
    any_error: bool = False

    def __post_init__(self):
        tree = ast.parse(self.source, filename=f"<mistake {self.function}>")
        defined = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
        if self.function not in defined:
            raise ValueError(f"the source of {self.label!r} does not define {self.function}()")

    @functools.cached_property
    def wrong(self):
        """The wrong function, compiled from :attr:`source` once per process."""
        namespace = {"np": np, "math": math, "__name__": f"lrcourse_mistake_{self.function}"}
        exec(compile(self.source, f"<mistake {self.function}: {self.label[:40]}>", "exec"), namespace)  # noqa: S102
        return namespace[self.function]


def group(mistakes):
    """``{function: [Mistake, ...]}`` in the order given (the first that fits names a failure)."""
    out: dict = {}
    for mistake in mistakes:
        out.setdefault(mistake.function, []).append(mistake)
    return out
