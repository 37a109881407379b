"""Judging a student's function against the reference: cases, expected values, mistakes.

A hidden test cell does::

    from lrcourse.grading import check
    check("gd_step", gd_step, "basic")

Under plain ``nbgrader autograde`` :func:`check` runs in the student's kernel: it runs
the function on the cases registered for ``("gd_step", "basic")`` in
:mod:`lrcourse.cases` (:func:`lrcourse.record.run_case`), compares with the reference
and raises an ``AssertionError`` naming the first wrong case, what came back, what was
expected and the likely mistake. That is nbgrader's usual, weaker guarantee: the kernel
can lie to itself.

Under ``autograder grade`` the kernel never imports this module. It receives the case
inputs as JSON (:func:`encode_cases`) and :class:`lrcourse.record.Recorder` records
what the student's function returned; the grader then calls :func:`assess` on those
records in its own process. :func:`assess` is pure: records and a seed in, an
:class:`Assessment` out.

Comparison is plain float arithmetic with ``RTOL``/``ATOL`` and divergence as one
outcome (inf, nan and anything above 1e300 all mean "blew up").

Examples
--------
>>> from lrcourse.reference import gd_step
>>> check("gd_step", gd_step, "basic")
>>> check("gd_step", lambda w, grad, lr: np.add(w, np.multiply(lr, grad)), "basic")
Traceback (most recent call last):
...
AssertionError: gd_step ...Likely mistake: sign flipped...
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .mistakes.base import INPUT_MUTATED
from .record import run_case, serialize  # noqa: F401  (serialize: used by the doctests and tests)

RTOL = 1e-6
ATOL = 1e-9
HUGE = 1e300  # beyond this a value has diverged; inf, nan and 1e301 all match


# --------------------------------------------------------------------------- describing


def _as_kind(record, kind, n_items=None):
    """Re-read a result as the kind the reference returned, when the values allow it.

    A list of equal-shape arrays is an array; an array whose first axis has as many
    entries as the expected tuple is that tuple (``[theta, v]`` for ``(theta, v)``).
    """
    if record["kind"] == kind:
        return record
    if kind == "array" and record["kind"] == "tuple" and record["items"]:
        items = record["items"]
        if all(it["kind"] == "array" and it["shape"] == items[0]["shape"] for it in items):
            data = [x for it in items for x in it["data"]]
            return {"kind": "array", "shape": [len(items)] + list(items[0]["shape"]), "data": data}
    if kind == "tuple" and record["kind"] == "array" and record["shape"][:1] == [n_items]:
        size = len(record["data"]) // n_items if n_items else 0
        rest = record["shape"][1:]
        return {
            "kind": "tuple",
            "items": [
                {"kind": "array", "shape": rest, "data": record["data"][i * size:(i + 1) * size]}
                for i in range(n_items)
            ],
        }
    return record


def describe(record):
    """A short, readable rendering of a serialised value."""
    kind = record["kind"]
    if kind == "str":
        return repr(record["value"])
    if kind == "tuple":
        return "(" + ", ".join(describe(item) for item in record["items"]) + ")"
    if kind == "raised":
        return f"raised {record['type']}"
    if kind == "timeout":
        return "nothing (still running when the cell timed out)"
    if kind == "invalid":
        return f"a {record['type']} that is not a number"
    data, shape = record["data"], record["shape"]
    if not shape:
        if record.get("integer") and math.isfinite(data[0]):
            return str(int(data[0]))
        return _fmt(data[0])
    text = np.array2string(np.array(data).reshape(shape), precision=6, threshold=12, separator=", ")
    return f"array of shape {tuple(shape)}: {text}"


def _fmt(x):
    if math.isfinite(x) and x == int(x):
        return repr(float(x))
    return f"{x:.10g}"


# --------------------------------------------------------------------------- comparing


def _close(a, b):
    """Plain-float closeness with divergence treated as one outcome."""
    a_blown = not (-HUGE <= a <= HUGE)  # nan fails both comparisons
    b_blown = not (-HUGE <= b <= HUGE)
    if a_blown or b_blown:
        return a_blown and b_blown
    diff = a - b if a >= b else b - a
    scale = b if b >= 0 else -b
    return diff <= ATOL + RTOL * scale


def compare(expected, actual):
    """Compare two serialised values; return ``None`` if they agree, else the reason.

    Examples
    --------
    >>> compare(serialize(1.0), serialize(np.float64(1.0 + 1e-12))) is None
    True
    >>> compare(serialize([1.0, 2.0]), serialize(3.0))
    'shape () instead of (2,)'
    >>> compare(serialize(float("inf")), serialize(float("nan"))) is None   # both diverged
    True
    """
    kind = expected["kind"]
    if kind == "raised":
        if actual["kind"] == "raised" and expected["type"] in actual.get("mro", [actual["type"]]):
            return None
        return f"should raise {expected['type']}"
    if actual["kind"] == "raised":
        return f"raised {actual['type']}: {actual.get('message', '')}".rstrip(": ")
    if kind == "str":
        if actual["kind"] != "str":
            return "should return a string"
        return None if actual["value"] == expected["value"] else "wrong string"
    actual = _as_kind(actual, kind, len(expected.get("items", ())))
    if kind == "tuple":
        if actual["kind"] != "tuple" or len(actual["items"]) != len(expected["items"]):
            return f"should return a tuple of {len(expected['items'])} values"
        for i, (e, a) in enumerate(zip(expected["items"], actual["items"])):
            reason = compare(e, a)
            if reason:
                return f"item {i}: {reason}"
        return None
    if actual["kind"] != "array":
        return "should return a number or an array of numbers"
    if list(actual["shape"]) != list(expected["shape"]):
        return f"shape {tuple(actual['shape'])} instead of {tuple(expected['shape'])}"
    for a, e in zip(actual["data"], expected["data"]):
        if not _close(float(a), float(e)):
            return "wrong value"
    return None


# --------------------------------------------------------------------------- case inputs as data


def encode(value):
    """One case argument as JSON-able data that :func:`lrcourse.record.decode` rebuilds exactly.

    Examples
    --------
    >>> from lrcourse.record import decode
    >>> from lrcourse.landscapes import w_squared
    >>> decode(encode((1, 2.5, np.arange(3)))) [2].dtype
    dtype('int64')
    >>> float(decode(encode(w_squared.grad))(5.0))
    10.0
    """
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, np.generic):
        return {"t": "scalar", "dtype": value.dtype.str, "v": value.item()}
    if isinstance(value, np.ndarray):
        return {"t": "array", "dtype": value.dtype.str, "shape": list(value.shape), "v": value.ravel().tolist()}
    if isinstance(value, tuple):
        return {"t": "tuple", "v": [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    owner = getattr(value, "__self__", None)
    if callable(value) and hasattr(owner, "payload"):
        kind, params = owner.payload()
        return {"t": "fn", "kind": kind, "method": value.__name__, "params": params, "label": repr(owner)}
    raise TypeError(f"a case argument cannot be sent to a kernel: {type(value).__name__}")


def encode_cases(pairs, seed=None):
    """The inputs of every ``(function, aspect)`` in ``pairs``, as the kernel's JSON.

    Returns ``{"<function>/<aspect>": [[args, kwargs], ...]}``.
    """
    from . import cases as registry

    out = {}
    for name, aspect in pairs:
        out[f"{name}/{aspect}"] = [
            [[encode(a) for a in case.args], {k: encode(v) for k, v in case.kwargs.items()}]
            for case in registry.get_cases(name, aspect, seed)
        ]
    return out


# --------------------------------------------------------------------------- judging


@dataclass(frozen=True)
class CaseFailure:
    """The first wrong case of a check, described for the student."""

    call: str
    returned: str
    expected: str
    reason: str


@dataclass(frozen=True)
class Assessment:
    """What the comparison of one check's results with the reference found.

    Attributes
    ----------
    function, aspect : str
        The check.
    n_cases : int
        Cases run.
    n_wrong : int
        Cases whose value differs from the reference.
    first_wrong : CaseFailure or None
        The first of them.
    mistake : str or None
        The label of the registered mistake (:mod:`lrcourse.mistakes`) that best explains the wrong
        cases (:func:`likely_mistake`), if one does.
    mutated : str or None
        The first case whose inputs the function changed in place.
    not_run : int
        Cases that were still running when the kernel was interrupted.
    """

    function: str
    aspect: str
    n_cases: int
    n_wrong: int = 0
    first_wrong: CaseFailure | None = None
    mistake: str | None = None
    mutated: str | None = None
    not_run: int = 0

    @property
    def passed(self):
        return self.n_wrong == 0 and self.mutated is None

    def message(self):
        """The failure message: the case, what came back, what was expected, the likely mistake."""
        if self.passed:
            return ""
        lines = []
        if self.first_wrong is not None:
            f = self.first_wrong
            lines.append(f"{self.function} ({self.aspect}): {self.n_wrong} of {self.n_cases} test cases wrong.")
            if self.not_run:
                lines.append(f"{self.not_run} cases were still running when the cell timed out.")
            lines.append(f"First wrong case: {f.call}")
            lines.append(f"  returned: {f.returned}")
            lines.append(f"  expected: {f.expected}")
            lines.append(f"  ({f.reason})")
            if self.mistake:
                lines.append(f"Likely mistake: {self.mistake}.")
        if self.mutated is not None:
            lines.append(
                f"{self.function} changed its input in place ({INPUT_MUTATED}) on {self.mutated}: "
                "work on a copy, e.g. w = w - lr * grad instead of w -= lr * grad."
            )
        return "\n".join(lines)


@dataclass
class _Memo:
    expected: dict = field(default_factory=dict)


_MEMO = _Memo()


def expected_outputs(name, aspect, seed=None):
    """The reference's serialised results on the cases of ``(name, aspect)`` under ``seed``."""
    from . import cases as registry
    from . import reference

    key = (name, aspect, seed)
    if key not in _MEMO.expected:
        if len(_MEMO.expected) > 4096:
            _MEMO.expected.clear()
        ref = getattr(reference, name)
        _MEMO.expected[key] = [run_case(ref, c.args, c.kwargs)[0] for c in registry.get_cases(name, aspect, seed)]
    return _MEMO.expected[key]


def likely_mistake(name, aspect, actual, wrong, seed=None):
    """The label of the registered mistake (:mod:`lrcourse.mistakes`) that best explains the failures.

    A mistake explains a student when its code reproduces every case the student got wrong: the
    same value, or an error of the same type (of any type for a mistake whose error is incidental,
    :attr:`~lrcourse.mistakes.base.Mistake.any_error`: a list without ``.astype`` raises
    ``AttributeError``, one times a float ``TypeError``).
    Among those, the one that is also right on most of the cases the student got right wins
    (a wrong index that breaks every case is a worse explanation of one failing list case than
    "fails on a list"); ties go to the registry's order.

    Parameters
    ----------
    name, aspect : str
        The check.
    actual : list of dict
        The student's serialised results, one per case.
    wrong : list of int
        The indices of the cases the student got wrong.
    seed : int, optional
        The submission's case seed.

    Returns
    -------
    str or None
        The mistake's label, or ``None`` when no registered mistake explains the failures.
    """
    from . import cases as registry
    from . import mistakes

    cases = registry.get_cases(name, aspect, seed)
    expected = expected_outputs(name, aspect, seed)
    wrong = set(wrong)
    best, best_score = None, -1
    for mistake in mistakes.for_function(name):

        def result(i, mistake=mistake):
            return run_case(mistake.wrong, cases[i].args, cases[i].kwargs)[0]

        if not all(_reproduces(result(i), actual[i], expected[i], mistake.any_error) for i in wrong):
            continue
        score = sum(1 for i in range(len(cases)) if i not in wrong and compare(expected[i], result(i)) is None)
        if score > best_score:
            best, best_score = mistake.label, score
    return best


def _reproduces(mistaken, actual, expected, any_error):
    """Whether a mistake's result on one case explains the student's."""
    if any_error and mistaken["kind"] == "raised" and actual["kind"] == "raised" and expected["kind"] != "raised":
        return True
    return compare(mistaken, actual) is None


def assess(name, aspect, actual, mutated, seed=None):
    """Compare recorded results with the reference; return an :class:`Assessment`.

    Parameters
    ----------
    name, aspect : str
        The check.
    actual : list of dict
        One serialised result per case (:func:`lrcourse.record.serialize`).
    mutated : list of bool
        Whether each case's inputs were changed in place.
    seed : int, optional
        The submission's case seed (``None``: the default cases).

    Examples
    --------
    >>> from lrcourse.record import serialize
    >>> from lrcourse.cases import get_cases
    >>> n = len(get_cases("gd_step", "basic"))
    >>> assess("gd_step", "basic", [serialize(0.0)] * n, [False] * n).n_wrong == n
    True
    """
    from . import cases as registry

    cases = registry.get_cases(name, aspect, seed)
    if len(actual) != len(cases) or len(mutated) != len(cases):
        raise ValueError(f"{name}/{aspect}: {len(actual)} results for {len(cases)} cases")
    expected = expected_outputs(name, aspect, seed)
    reasons = [compare(e, a) for e, a in zip(expected, actual)]
    wrong = [i for i, r in enumerate(reasons) if r]
    first = None
    mistake = None
    if wrong:
        i = wrong[0]
        first = CaseFailure(cases[i].describe(name), describe(actual[i]), describe(expected[i]), reasons[i])
        mistake = likely_mistake(name, aspect, actual, wrong, seed)
    mutating = [i for i, m in enumerate(mutated) if m]
    return Assessment(
        function=name,
        aspect=aspect,
        n_cases=len(cases),
        n_wrong=len(wrong),
        first_wrong=first,
        mistake=mistake,
        mutated=cases[mutating[0]].describe(name) if mutating else None,
        not_run=sum(1 for a in actual if a.get("kind") == "timeout"),
    )


def assess_function(name, fn, aspect="basic", seed=None):
    """Run ``fn`` in this process on the cases of ``(name, aspect)`` and :func:`assess` the results.

    Examples
    --------
    >>> assess_function("gd_step", lambda w, grad, lr: np.add(w, np.multiply(lr, grad))).mistake
    'sign flipped (w + lr * grad: that climbs the loss)'
    """
    from . import cases as registry

    runs = [run_case(fn, case.args, case.kwargs) for case in registry.get_cases(name, aspect, seed)]
    return assess(name, aspect, [r for r, _ in runs], [m for _, m in runs], seed)


def check(name, student_fn, aspect="basic"):
    """Compare ``student_fn`` with the reference ``name`` on the cases of ``aspect`` (in the kernel).

    Parameters
    ----------
    name : str
        SPEC function name, e.g. ``"step_decay"``.
    student_fn : callable
        The student's function.
    aspect : str, default "basic"
        Which registered group of cases to run (see :mod:`lrcourse.cases`).

    Raises
    ------
    AssertionError
        With the case, returned and expected values, and the likely mistake.
    """
    if not callable(student_fn):
        raise AssertionError(f"{name} is not a function (got {type(student_fn).__name__})")
    outcome = assess_function(name, student_fn, aspect)
    if not outcome.passed:
        raise AssertionError(outcome.message())
