"""What runs inside the student's kernel: call a function on case inputs, record plain data.

This module is self-contained (NumPy and the standard library only) because under
``autograder grade`` its *source* is all the student's kernel receives: no answer key,
no cases module, no comparison code, no mistakes. The grader writes the case inputs of
the submission as JSON (:func:`lrcourse.grading.encode_cases`), the kernel runs the
student's function on them through :class:`Recorder` and appends what came back, as
plain JSON, to a record file; the grader then judges those records in its own process.
Plain ``nbgrader autograde`` uses the same :func:`run_case` and :func:`serialize`
through :func:`lrcourse.grading.check`.

Serialised results (one per case):

- ``{"kind": "array", "shape": [...], "data": [...]}``: any number or array (a Python
  float, ``np.float64`` and a 0-d array are the same thing here);
- ``{"kind": "tuple", "items": [...]}``: a tuple or a ragged list of results;
- ``{"kind": "str", "value": ...}``; ``{"kind": "raised", "type", "mro", "message"}``;
- ``{"kind": "invalid", "type": ...}``: something that is not a number;
- ``{"kind": "timeout"}``: the case was still running when the kernel was interrupted.

Examples
--------
>>> serialize(2.5)
{'kind': 'array', 'shape': [], 'data': [2.5]}
>>> result, mutated = run_case(lambda w: w * 2, [3.0], {})
>>> result["data"], mutated
([6.0], False)
"""

from __future__ import annotations

import builtins
import contextlib
import copy
import io
import json
import warnings

import numpy as np

# Captured at import: a notebook that later rebinds these names changes nothing here.
_np_array = np.array
_float64 = np.float64
_isinstance = builtins.isinstance

MAX_ITEMS = 16  # tuple items kept per result
MAX_SIZE = 1_000_000  # array entries kept per result
MAX_MESSAGE = 300


# --------------------------------------------------------------------------- the landscapes


def quadratic1d_loss(a, b, c, theta):
    """``a * theta**2 + b * theta + c`` (elementwise)."""
    theta = _as_float(theta, "theta")
    with np.errstate(over="ignore", invalid="ignore"):
        return a * theta**2 + b * theta + c


def quadratic1d_grad(a, b, theta):
    """``2 * a * theta + b`` (elementwise)."""
    theta = _as_float(theta, "theta")
    with np.errstate(over="ignore", invalid="ignore"):
        return 2.0 * a * theta + b


def quadratic_nd_loss(A, b, w):
    """``0.5 * w' A w - b' w`` (over the last axis)."""
    w = _as_float(w, "w")
    with np.errstate(over="ignore", invalid="ignore"):
        return 0.5 * np.einsum("...i,ij,...j->...", w, A, w) - w @ b


def quadratic_nd_grad(A, b, w):
    """``A w - b`` for symmetric ``A``."""
    w = _as_float(w, "w")
    with np.errstate(over="ignore", invalid="ignore"):
        return w @ A.T - b


def regression_loss(X, y, w):
    """Mean squared error of ``X @ w`` against ``y``."""
    w = _as_float(w, "w")
    return float(np.mean((X @ w - y) ** 2))


def regression_grad(X, y, w):
    """``2 / n * X' (X w - y)``."""
    w = _as_float(w, "w")
    return 2.0 / X.shape[0] * X.T @ (X @ w - y)


def _as_float(value, name):
    if _isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be a number or an array of numbers, got {type(value).__name__}")
    try:
        return _np_array(value, dtype=_float64, copy=True)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be a number or an array of numbers: {exc}") from None


class Landscape:
    """A loss or gradient function rebuilt from its parameters (what a case's callable is)."""

    def __init__(self, kind, method, params, label):
        self.kind, self.method, self.label = kind, method, label
        self.params = {k: (_np_array(v, dtype=_float64) if _isinstance(v, list) else v) for k, v in params.items()}
        self.__name__ = method

    def __call__(self, x):
        p = self.params
        if self.kind == "quadratic1d":
            if self.method == "loss":
                return quadratic1d_loss(p["a"], p["b"], p["c"], x)
            return quadratic1d_grad(p["a"], p["b"], x)
        if self.kind == "quadratic_nd":
            if self.method == "loss":
                return quadratic_nd_loss(p["A"], p["b"], x)
            return quadratic_nd_grad(p["A"], p["b"], x)
        if self.method == "loss":
            return regression_loss(p["X"], p["y"], x)
        return regression_grad(p["X"], p["y"], x)

    def __repr__(self):
        return f"{self.method} of {self.label}"


# --------------------------------------------------------------------------- case inputs


def decode(value):
    """Rebuild one case argument from the JSON the grader wrote (see ``lrcourse.grading.encode``)."""
    if _isinstance(value, list):
        return [decode(v) for v in value]
    if not _isinstance(value, dict):
        return value
    tag = value.get("t")
    if tag == "tuple":
        return tuple(decode(v) for v in value["v"])
    if tag == "array":
        return _np_array(value["v"], dtype=value["dtype"]).reshape(value["shape"])
    if tag == "scalar":
        return np.dtype(value["dtype"]).type(value["v"])
    if tag == "fn":
        return Landscape(value["kind"], value["method"], value["params"], value["label"])
    raise ValueError(f"unknown case value tag {tag!r}")


# --------------------------------------------------------------------------- results


def serialize(value, depth=0):
    """Turn a function's result into plain JSON-able data (see the module docstring).

    Examples
    --------
    >>> serialize(np.float64(2.0)) == serialize(2.0) == serialize(np.array(2.0))
    True
    >>> serialize((1.0, "a"))["kind"]
    'tuple'
    """
    if _isinstance(value, str):
        return {"kind": "str", "value": str.__add__("", value)[:MAX_MESSAGE]}
    if depth < 3 and _isinstance(value, list) and not _all_numbers(value):
        try:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("error")  # ragged lists are not arrays
                stacked = _np_array(value, dtype=_float64)
            return serialize(stacked, depth + 1)
        except BaseException:  # noqa: BLE001
            items = [list.__getitem__(value, i) for i in range(min(list.__len__(value), MAX_ITEMS))]
            return {"kind": "tuple", "items": [serialize(item, depth + 1) for item in items]}
    if _isinstance(value, tuple):
        if depth >= 3:
            return {"kind": "invalid", "type": "nested too deep"}
        items = [tuple.__getitem__(value, i) for i in range(min(tuple.__len__(value), MAX_ITEMS))]
        return {"kind": "tuple", "items": [serialize(item, depth + 1) for item in items]}
    try:
        arr = np.ndarray.copy(_np_array(value, dtype=_float64))
        if np.ndarray.__getattribute__(arr, "size") > MAX_SIZE:
            return {"kind": "invalid", "type": "an array larger than any expected result"}
        data = np.ndarray.tolist(np.ndarray.ravel(arr))
        shape = [int(n) for n in np.ndarray.__getattribute__(arr, "shape")]
    except BaseException as exc:  # noqa: BLE001 - a lying object may raise anything
        return {"kind": "invalid", "type": type(value).__name__[:80], "error": type(exc).__name__[:80]}
    out = {"kind": "array", "shape": shape, "data": [float(x) for x in data]}
    if _isinstance(value, (int, np.integer)) and not _isinstance(value, bool):
        out["integer"] = True  # only for describing it: 8, not 8.0
    return out


def _all_numbers(seq):
    return all(_isinstance(x, (int, float, np.number)) and not _isinstance(x, bool) for x in seq)


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


def run_case(fn, args, kwargs):
    """Call ``fn`` on a copy of the inputs; return ``(serialised result, mutated)``.

    Warnings, NumPy floating-point warnings and anything the function prints are
    swallowed, so a correct answer never writes to the test cell's stderr. A
    ``KeyboardInterrupt`` (the kernel being interrupted at a cell timeout) propagates.
    """
    call_args, call_kwargs = copy.deepcopy(args), copy.deepcopy(kwargs)
    sink = io.StringIO()
    try:
        with (
            np.errstate(all="ignore"),
            warnings.catch_warnings(),
            contextlib.redirect_stdout(sink),
            contextlib.redirect_stderr(sink),
        ):
            warnings.simplefilter("ignore")
            value = fn(*call_args, **call_kwargs)
            result = serialize(value)
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # noqa: BLE001 - SystemExit and friends are failures too
        mro = [cls.__name__[:80] for cls in type(exc).__mro__][:20]
        result = {"kind": "raised", "type": type(exc).__name__[:80], "mro": mro, "message": str(exc)[:MAX_MESSAGE]}
    mutated = not (_equal_inputs(args, call_args) and _equal_inputs(kwargs, call_kwargs))
    return result, mutated


# --------------------------------------------------------------------------- the kernel's recorder


class Recorder:
    """Run a student's function on the cases of one hidden check and append the record.

    Parameters
    ----------
    cases_path : str
        JSON written by the grader: ``{"<function>/<aspect>": [[args, kwargs], ...]}``.
    record_path : str
        Where each check appends one JSON line.
    """

    def __init__(self, cases_path, record_path):
        with open(cases_path, encoding="utf-8") as fh:
            self._cases = json.load(fh)
        self._record_path = record_path

    def __call__(self, name, fn, aspect="basic"):
        cases = self._cases.get(f"{name}/{aspect}", [])
        results, mutated = [], []
        try:
            for args, kwargs in cases:
                args, kwargs = decode(args), {k: decode(v) for k, v in kwargs.items()}
                if not callable(fn):
                    result, changed = {"kind": "invalid", "type": f"{name} is not a function"}, False
                else:
                    result, changed = run_case(fn, args, kwargs)
                results.append(result)
                mutated.append(changed)
        except KeyboardInterrupt:
            while len(results) < len(cases):
                results.append({"kind": "timeout"})
                mutated.append(False)
            self._write(name, aspect, results, mutated)
            raise
        self._write(name, aspect, results, mutated)

    def _write(self, name, aspect, results, mutated):
        line = json.dumps({"function": name, "aspect": aspect, "results": results, "mutated": mutated})
        with open(self._record_path, "a", encoding="utf-8") as fh:
            fh.write(line + "\n")
