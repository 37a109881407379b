"""What hidden tests call to compare a student's function with the reference.

A hidden test cell does::

    from lrcourse.grading import check
    check("gd_step", gd_step, "basic")

:func:`check` runs the student's function on the cases registered for
``("gd_step", "basic")`` in :mod:`lrcourse.cases`, and

1. *records* what came back (plain JSON: numbers, shapes, strings, exception types)
   to the file named by ``$LRCOURSE_RECORD`` when the autograder set it, before any
   comparison, so the autograder can verify the values again in its own process,
   where a solution cell cannot reach (patching ``np.allclose`` or this module only
   changes what the kernel believes);
2. compares each result with the reference on its serialised form, using plain
   Python float arithmetic (no ``np.allclose``, ``np.isclose``, ``np.testing`` or
   ``math.isclose``), checks that no input was mutated, and silences warnings and
   printing from the student's code (a test cell with stderr scores 0 in nbgrader);
3. raises an ``AssertionError`` that names the case, what came back, what was
   expected (left out when ``$LRCOURSE_FEEDBACK=student``, so feedback does not
   publish hidden reference values) and, where one fits, the likely mistake, found by
   running known wrong formulations (:data:`lrcourse.cases.MISTAKES`) on the same
   cases.

Examples
--------
>>> from lrcourse.reference import gd_step
>>> check("gd_step", gd_step, "basic")
>>> check("gd_step", lambda w, grad, lr: w + lr * grad, "basic")
Traceback (most recent call last):
...
AssertionError: gd_step ...Likely mistake: sign flipped...
"""

from __future__ import annotations

import builtins
import contextlib
import copy
import io
import json
import math
import os
import warnings

import numpy as np

RTOL = 1e-6
ATOL = 1e-9
HUGE = 1e300  # beyond this a value has diverged; inf, nan and 1e301 all mean "blew up"
RECORD_ENV = "LRCOURSE_RECORD"
FEEDBACK_ENV = "LRCOURSE_FEEDBACK"

# Captured once at import: later rebinding of these names in a notebook does not
# reach this module's comparisons (the authoritative check still runs outside).
_np_array = np.array
_float64 = np.float64
_isinstance = builtins.isinstance
_AssertionError = AssertionError


# --------------------------------------------------------------------------- serialising


def serialize(value):
    """Turn a function's result into plain JSON-able data.

    Numbers and arrays become ``{"kind": "array", "shape": [...], "data": [...]}`` (a
    Python float, ``np.float64`` and a 0-d array are all the same), tuples and lists of
    results ``{"kind": "tuple", ...}``, strings ``{"kind": "str"}``. Anything that is
    not a number becomes ``{"kind": "invalid"}`` with its type name.

    Examples
    --------
    >>> serialize(np.float64(2.0)) == serialize(2.0) == serialize(np.array(2.0))
    True
    >>> serialize((1.0, "a"))["kind"]
    'tuple'
    """
    if _isinstance(value, str):
        return {"kind": "str", "value": str.__add__("", value)}
    if _isinstance(value, list) and not _all_numbers(value):
        try:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("error")  # ragged lists are not arrays
                stacked = _np_array(value, dtype=_float64)
            return serialize(stacked)
        except BaseException:  # noqa: BLE001
            items = [list.__getitem__(value, i) for i in range(list.__len__(value))]
            return {"kind": "tuple", "items": [serialize(item) for item in items]}
    if _isinstance(value, tuple):
        items = [tuple.__getitem__(value, i) for i in range(tuple.__len__(value))]
        return {"kind": "tuple", "items": [serialize(item) for item in items]}
    try:
        arr = _np_array(value, dtype=_float64)
        arr = np.ndarray.copy(arr)
        data = np.ndarray.tolist(np.ndarray.ravel(arr))
        shape = list(np.ndarray.__getattribute__(arr, "shape"))
    except BaseException as exc:  # noqa: BLE001 - a lying object may raise anything
        return {"kind": "invalid", "type": type(value).__name__, "error": type(exc).__name__}
    return {"kind": "array", "shape": shape, "data": [float(x) for x in data]}


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


def _all_numbers(seq):
    return all(_isinstance(x, (int, float, np.number)) and not _isinstance(x, bool) for x in seq)


def _describe(record):
    """A short, readable rendering of a serialised value."""
    kind = record["kind"]
    if kind == "str":
        return repr(record["value"])
    if kind == "tuple":
        return "(" + ", ".join(_describe(item) for item in record["items"]) + ")"
    if kind == "raised":
        return f"raised {record['type']}"
    if kind == "invalid":
        return f"a {record['type']} that is not a number"
    data, shape = record["data"], record["shape"]
    if not shape:
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


# --------------------------------------------------------------------------- running


def _equal_inputs(before, after):
    if _isinstance(before, np.ndarray):
        return (
            _isinstance(after, np.ndarray)
            and before.shape == after.shape
            and bool(np.array_equal(before, after, equal_nan=True))
        )
    if _isinstance(before, (list, tuple)):
        return (
            type(before) is type(after)
            and len(before) == len(after)
            and all(_equal_inputs(b, a) for b, a in zip(before, after))
        )
    if _isinstance(before, dict):
        return before.keys() == after.keys() and all(_equal_inputs(before[k], after[k]) for k in before)
    return True  # numbers, strings, callables: immutable or not ours to police


def run_case(fn, case):
    """Call ``fn`` on a copy of the case's inputs; return ``(serialised result, mutated)``.

    Warnings, NumPy floating-point warnings and anything the function prints are
    swallowed, so a correct answer never writes to the test cell's stderr.
    """
    args, kwargs = copy.deepcopy(case.args), copy.deepcopy(case.kwargs)
    sink = io.StringIO()
    try:
        with (
            np.errstate(all="ignore"),
            warnings.catch_warnings(),
            contextlib.redirect_stdout(sink),
            contextlib.redirect_stderr(sink),
        ):
            warnings.simplefilter("ignore")
            value = fn(*args, **kwargs)
            result = serialize(value)
    except KeyboardInterrupt:
        raise  # the kernel is being interrupted (a cell timeout): stop, do not try the next case
    except BaseException as exc:  # noqa: BLE001 - SystemExit and friends are failures too
        mro = [cls.__name__ for cls in type(exc).__mro__]
        result = {"kind": "raised", "type": type(exc).__name__, "mro": mro, "message": str(exc)[:200]}
    mutated = not (_equal_inputs(case.args, args) and _equal_inputs(case.kwargs, kwargs))
    return result, mutated


def _registry():
    from . import cases

    return cases


def expected_outputs(name, aspect):
    """The reference's serialised results on the registered cases (for the autograder)."""
    from . import reference

    reg = _registry()
    ref = getattr(reference, name)
    return [run_case(ref, case)[0] for case in reg.get_cases(name, aspect)]


def _likely_mistake(name, aspect, actual, wrong_idx):
    """Name the known wrong formulation that reproduces the student's wrong results."""
    reg = _registry()
    cases = reg.get_cases(name, aspect)
    for label, wrong_fn in reg.MISTAKES.get(name, ()):
        if all(compare(run_case(wrong_fn, cases[i])[0], actual[i]) is None for i in wrong_idx):
            return label
    return None


def evaluate(name, aspect, actual, mutated, expected=None):
    """Judge recorded results against the reference; return ``(passed, message)``.

    This is what both :func:`check` (inside the kernel) and the autograder (in its own
    process, on the recorded results) use.
    """
    reg = _registry()
    cases = reg.get_cases(name, aspect)
    if expected is None:
        expected = expected_outputs(name, aspect)
    if len(actual) != len(cases) or len(mutated) != len(cases):
        return False, f"{name}: the recorded results do not match the {len(cases)} test cases"
    reasons = [compare(e, a) for e, a in zip(expected, actual)]
    wrong = [i for i, r in enumerate(reasons) if r]
    mutating = [i for i, m in enumerate(mutated) if m]
    if not wrong and not mutating:
        return True, ""
    show_expected = os.environ.get(FEEDBACK_ENV, "") != "student"
    lines = []
    if wrong:
        i = wrong[0]
        lines.append(f"{name} ({aspect}): {len(wrong)} of {len(cases)} test cases wrong.")
        lines.append(f"First wrong case: {cases[i].describe(name)}")
        lines.append(f"  returned: {_describe(actual[i])}")
        if show_expected:
            lines.append(f"  expected: {_describe(expected[i])}")
        lines.append(f"  ({reasons[i]})")
        mistake = _likely_mistake(name, aspect, actual, wrong)
        if mistake:
            lines.append(f"Likely mistake: {mistake}.")
    if mutating:
        i = mutating[0]
        lines.append(
            f"{name} changed its input in place (input mutated) on {cases[i].describe(name)}: "
            "work on a copy, e.g. w = w - lr * grad instead of w -= lr * grad."
        )
    return False, "\n".join(lines)


def _record(name, aspect, actual, mutated):
    path = os.environ.get(RECORD_ENV)
    if not path:
        return
    line = json.dumps({"function": name, "aspect": aspect, "results": actual, "mutated": mutated})
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(line + "\n")


def check(name, student_fn, aspect="basic"):
    """Compare ``student_fn`` with the reference ``name`` on the cases of ``aspect``.

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
    cases = _registry().get_cases(name, aspect)
    if not callable(student_fn):
        _record(name, aspect, [{"kind": "invalid", "type": "not callable"}] * len(cases), [False] * len(cases))
        raise _AssertionError(f"{name} is not a function (got {type(student_fn).__name__})")
    runs = [run_case(student_fn, case) for case in cases]
    actual = [r for r, _ in runs]
    mutated = [m for _, m in runs]
    _record(name, aspect, actual, mutated)
    passed, message = evaluate(name, aspect, actual, mutated)
    if not passed:
        raise _AssertionError(message)


def probe(pairs, namespace, seconds=3):  # pragma: no cover - exercised through the autograder
    """Run :func:`check` on every ``(name, aspect)`` quietly, to name mistakes the visible tests hid.

    The autograder appends a call to this at the end of a private copy of a submission,
    with ``$LRCOURSE_RECORD`` pointing at a separate file: when a visible assert stops a
    test cell before its hidden check runs, these records still let the feedback name the
    likely mistake. They never count towards the score. Each function gets ``seconds``
    (an interval timer), so an endless loop cannot stall the notebook here.
    """
    import signal

    def _stop(signum, frame):
        raise TimeoutError("probe time limit")

    main = os.environ.get(RECORD_ENV)
    if not main:
        return
    done = set()
    with contextlib.suppress(OSError), open(main, encoding="utf-8") as fh:
        for line in fh:
            with contextlib.suppress(ValueError, KeyError, TypeError):
                rec = json.loads(line)
                done.add((rec["function"], rec["aspect"]))
    os.environ[RECORD_ENV] = main + ".probe"
    previous = signal.signal(signal.SIGALRM, _stop)
    try:
        for name, aspect in pairs:
            if (name, aspect) in done:
                continue
            fn = namespace.get(name)
            if not callable(fn):
                continue
            signal.setitimer(signal.ITIMER_REAL, seconds)
            try:
                check(name, fn, aspect)
            except BaseException:  # noqa: BLE001, S110 - a probe only records
                pass
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
    finally:
        signal.signal(signal.SIGALRM, previous)
