"""lrcourse.grading: right answers in any style pass, wrong ones fail with a named mistake, tampering fails.

The ps1 tests use the ps1 cases and mistakes directly; the generic tests at the end loop
over whatever every assignment module has registered in :mod:`lrcourse.cases`.
"""

from __future__ import annotations

import json
import math
import re
import sys
import warnings

import numpy as np
import pytest

from lrcourse import grading, reference
from lrcourse.cases import CASES, aspects, get_cases
from lrcourse.grading import check, compare, serialize
from lrcourse.mistakes import MISTAKES

#: (label, wrong function) pairs of the registered mistakes, by function
WRONG_FUNCTIONS = {name: [(m.label, m.wrong) for m in ms] for name, ms in MISTAKES.items()}


PS1 = reference.ASSIGNMENTS["ps1_update_rule"]


def _fails(name, fn, aspect):
    """The AssertionError message of ``check``, or None when it passes."""
    try:
        check(name, fn, aspect)
    except AssertionError as exc:
        return str(exc)
    return None


def _sign_flipped(w, grad, lr):
    return np.asarray(w) + lr * np.asarray(grad)


def _passes_everywhere(name, fn):
    for aspect in aspects(name):
        msg = _fails(name, fn, aspect)
        assert msg is None, f"{name}/{aspect} should pass:\n{msg}"


# --------------------------------------------------------------------------- wrong answers are named


@pytest.mark.parametrize(
    "name, label, wrong_fn",
    [(name, label, fn) for name in PS1 for label, fn in WRONG_FUNCTIONS.get(name, ())],
    ids=lambda x: x if isinstance(x, str) and len(x) < 30 else "",
)
def test_ps1_mistakes_fail_and_are_named(name, label, wrong_fn):
    messages = [m for m in (_fails(name, wrong_fn, a) for a in aspects(name)) if m]
    assert messages, f"{label!r} passes every aspect of {name}"
    assert any(f"Likely mistake: {label}." in m for m in messages), messages
    for m in messages:
        assert m.startswith(f"{name} ("), m
        assert "returned:" in m and "expected:" in m and "First wrong case:" in m


def test_sign_flip_message_reads_well():
    msg = _fails("gd_step", lambda w, grad, lr: w + lr * grad, "basic")
    assert "gd_step(5.0, 10.0, 0.1)" in msg
    assert "returned: 6.0" in msg and "expected: 4.0" in msg
    assert "Likely mistake: sign flipped" in msg


def test_unnamed_mistake_still_fails_without_a_guess():
    msg = _fails("gd_step", lambda w, grad, lr: np.asarray(w) - 0.5 * lr * np.asarray(grad), "basic")
    assert msg and "wrong value" in msg and "Likely mistake" not in msg


def test_wrong_shape_and_wrong_type_are_explained():
    msg = _fails("gradient_descent", lambda g, w0, lr, n: np.zeros(3), "basic")
    assert "shape (3,) instead of" in msg
    msg = _fails("lr_regime", lambda lr, h: 1.0, "basic")
    assert "should return a string" in msg
    msg = _fails("critical_lr", lambda h: "2 / lambda_max", "basic")
    assert "should return a number" in msg


# --------------------------------------------------------------------------- right answers in other styles


def gd_step_loops(w, grad, lr):
    w = np.array(w, dtype=float)
    grad = np.broadcast_to(np.asarray(grad, dtype=float), w.shape)
    out = np.empty_like(w)
    for idx in np.ndindex(w.shape):
        out[idx] = w[idx] - lr * grad[idx]
    return out  # a 0-d array for scalar input


def gd_step_vectorize(w, grad, lr):
    import math as m

    return np.vectorize(lambda a, g: m.fsum([a, -lr * g]))(w, grad)


def gd_step_lists(w, grad, lr):
    if np.ndim(w) == 0:
        return float(w) - lr * float(grad)  # a Python float
    return (np.asarray(w, dtype=float) - lr * np.asarray(grad, dtype=float)).tolist()  # nested lists


def gd_step_float64(w, grad, lr):
    return np.float64(w - lr * np.float64(grad)) if np.ndim(w) == 0 else np.subtract(w, np.multiply(lr, grad))


def gradient_descent_lists(grad_fn, w0, lr, n_steps):
    w = np.array(w0, dtype=float)
    path = [w.copy()]
    for _ in range(n_steps):
        w = w - lr * grad_fn(w)
        path.append(w.copy())
    return [p.tolist() for p in path] if np.ndim(w0) else [float(p) for p in path]


def gradient_descent_prealloc(grad_fn, w0, lr, n_steps):
    w0 = np.asarray(w0, dtype=float)
    out = np.zeros((n_steps + 1,) + w0.shape)
    out[0] = w0
    for t in range(1, n_steps + 1):
        out[t] = out[t - 1] - lr * np.asarray(grad_fn(out[t - 1]))
    return out


def critical_lr_eig(hessian):
    lam = np.max(np.real(np.linalg.eigvals(np.atleast_2d(np.asarray(hessian, dtype=float)))))
    return 2 / lam if lam > 0 else float("inf")


def critical_lr_math(hessian):
    if np.ndim(hessian) == 0:
        return 2.0 / hessian if hessian > 0 else math.inf
    return critical_lr_eig(hessian)


def lr_regime_if_else(lr, hessian):
    lam = max(np.linalg.eigvalsh(np.atleast_2d(np.array(hessian, dtype=float))))
    r = lr * lam
    if abs(r - 2) <= 1e-8 + 1e-5 * 2:
        return "periodic"
    elif r <= 1:
        return "monotone"
    elif r < 2:
        return "oscillating"
    else:
        return "diverging"


def steps_to_tolerance_loop(lr, curvature, distance0, tol):
    q = abs(1 - lr * curvature)
    if distance0 <= tol:
        return 0
    if q >= 1:
        return float("inf")
    k, d = 0, distance0
    while q**k * distance0 > tol:
        k += 1
        d *= q
    return np.int64(k)


def steps_to_tolerance_log(lr, curvature, distance0, tol):
    q = abs(1 - lr * curvature)
    if distance0 <= tol:
        return 0
    if q >= 1:
        return np.inf
    if q == 0:
        return 1
    k = math.ceil(math.log(tol / distance0) / math.log(q) - 1e-12)
    return np.array(float(k))  # a 0-d float array holding an integer value


STYLES = [
    ("gd_step", gd_step_loops),
    ("gd_step", gd_step_vectorize),
    ("gd_step", gd_step_lists),
    ("gd_step", gd_step_float64),
    ("gradient_descent", gradient_descent_lists),
    ("gradient_descent", gradient_descent_prealloc),
    ("critical_lr", critical_lr_eig),
    ("critical_lr", critical_lr_math),
    ("lr_regime", lr_regime_if_else),
    ("steps_to_tolerance", steps_to_tolerance_loop),
    ("steps_to_tolerance", steps_to_tolerance_log),
]


@pytest.mark.parametrize("name, fn", STYLES, ids=[fn.__name__ for _, fn in STYLES])
def test_correct_solutions_in_other_styles_pass(name, fn):
    _passes_everywhere(name, fn)


@pytest.mark.parametrize("convert", [float, np.float64, np.array, lambda x: np.array([x])[0]])
def test_scalar_return_types_are_all_accepted(convert):
    _passes_everywhere("critical_lr", lambda h: convert(reference.critical_lr(h)))


def _convert_result(value, style):
    """Re-express a correct result in another type that carries the same values."""
    if isinstance(value, tuple):
        items = [_convert_result(v, style) for v in value]
        return items if style == "lists" else tuple(items)
    if isinstance(value, str) or value is None:
        return value
    arr = np.asarray(value)
    if style == "lists":
        return arr.tolist()
    if style == "0d":
        return arr.astype(float) if arr.ndim == 0 else arr.astype(float).copy()
    if style == "python":
        return arr.item() if arr.ndim == 0 else [np.asarray(x).tolist() for x in arr]
    raise AssertionError(style)


@pytest.mark.parametrize("style", ["lists", "0d", "python"])
@pytest.mark.parametrize("key", sorted(CASES), ids=lambda k: "/".join(k))
def test_every_registered_check_accepts_other_return_types(key, style):
    name, aspect = key
    ref = getattr(reference, name)

    def student(*args, **kwargs):
        return _convert_result(ref(*args, **kwargs), style)

    msg = _fails(name, student, aspect)
    assert msg is None, msg


# --------------------------------------------------------------------------- mutation, output, warnings


def test_in_place_update_is_reported_as_mutation():
    def gd_step_in_place(w, grad, lr):
        w = np.asarray(w, dtype=float)  # no copy for a float array
        w -= lr * np.asarray(grad)
        return w

    msg = _fails("gd_step", gd_step_in_place, "basic")
    assert msg is not None and "mutated" in msg
    assert "wrong" not in msg.splitlines()[0], "the values are right: only the mutation is reported"


def test_list_append_is_mutation():
    def critical_lr_appends(hessian):
        if isinstance(hessian, list):
            hessian.append([0.0, 0.0])
            hessian.pop()
            hessian[0] = [99.0, 0.0]
        return reference.critical_lr([[4.0, 0.0], [0.0, 1.0]] if isinstance(hessian, list) else hessian)

    msg = _fails("critical_lr", critical_lr_appends, "basic")
    assert msg is not None and "mutated" in msg


def test_noisy_correct_function_passes_silently(capsys):
    def gd_step_noisy(w, grad, lr):
        print("debug: w =", w)
        print("to stderr", file=sys.stderr)
        warnings.warn("a student warning", UserWarning, stacklevel=1)
        warnings.warn("deprecated!", DeprecationWarning, stacklevel=1)
        np.array([1e308]) * 10.0  # overflow RuntimeWarning
        np.array([0.0]) / 0.0  # invalid RuntimeWarning
        return np.asarray(w, dtype=float) - lr * np.asarray(grad, dtype=float)

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a leaked warning would raise here
        check("gd_step", gd_step_noisy, "basic")
        check("gd_step", gd_step_noisy, "arrays")
    out, err = capsys.readouterr()
    assert out == "" and err == ""


def test_passing_checks_write_nothing(capsys):
    for name in PS1:
        for aspect in aspects(name):
            check(name, getattr(reference, name), aspect)
    assert capsys.readouterr() == ("", "")


def test_noisy_wrong_function_message_is_clean(capsys):
    def noisy_wrong(w, grad, lr):
        print("hello")
        return np.asarray(w) + lr * np.asarray(grad)

    msg = _fails("gd_step", noisy_wrong, "basic")
    assert "sign flipped" in msg and "hello" not in msg
    assert capsys.readouterr() == ("", "")


# --------------------------------------------------------------------------- tampering


def test_patched_comparisons_do_not_make_a_wrong_answer_pass(monkeypatch):
    monkeypatch.setattr(np, "allclose", lambda *a, **k: True)
    monkeypatch.setattr(np, "isclose", lambda *a, **k: True)
    monkeypatch.setattr(np, "array_equal", lambda *a, **k: True)
    monkeypatch.setattr(np.testing, "assert_allclose", lambda *a, **k: None)
    monkeypatch.setattr(np.testing, "assert_array_equal", lambda *a, **k: None)
    monkeypatch.setattr(math, "isclose", lambda *a, **k: True)
    for name, wrong in [
        ("gd_step", lambda w, grad, lr: np.asarray(w) + lr * np.asarray(grad)),
        ("gradient_descent", lambda g, w0, lr, n: np.zeros((n + 1,) + np.shape(w0))),
        ("steps_to_tolerance", lambda lr, c, d, tol: 3),
        ("critical_lr", lambda h: 1.0),
    ]:
        for aspect in aspects(name):
            assert _fails(name, wrong, aspect), f"{name}/{aspect} passed with patched comparisons"
    # ... and a right answer still passes.
    check("gd_step", reference.gd_step, "basic")


def test_patched_float_arithmetic_helpers_do_not_matter(monkeypatch):
    monkeypatch.setattr(np, "abs", lambda x: 0 * x)
    monkeypatch.setattr(np, "isfinite", lambda x: True)
    assert _fails("gd_step", lambda w, grad, lr: np.asarray(w) + lr * np.asarray(grad), "basic")


class _EqualsEverything:
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = object.__hash__


class _LyingArray(np.ndarray):
    def __eq__(self, other):
        return np.ones(np.shape(self), dtype=bool)

    def __ne__(self, other):
        return np.zeros(np.shape(self), dtype=bool)

    def tolist(self):
        return [4.0]

    def __float__(self):
        return 4.0


def test_object_equal_to_everything_fails():
    for name in ("gd_step", "critical_lr", "lr_regime"):
        msg = _fails(name, lambda *a, **k: _EqualsEverything(), aspects(name)[0])
        assert msg is not None, name


def test_lying_ndarray_subclass_fails():
    def liar(w, grad, lr):
        return np.zeros(np.shape(w)).view(_LyingArray)

    msg = _fails("gd_step", liar, "basic")
    assert msg is not None and "wrong value" in msg


def test_number_like_object_is_judged_by_its_value():
    class Sneaky(float):
        def __eq__(self, other):
            return True

    assert _fails("critical_lr", lambda h: Sneaky(0.0), "basic")


@pytest.mark.parametrize(
    "exc",
    [SystemExit(0), SystemExit(1), GeneratorExit(), RecursionError()],
    ids=lambda e: type(e).__name__,
)
def test_raising_student_fails_with_assertion(exc):
    def student(*args, **kwargs):
        raise exc

    with pytest.raises(AssertionError, match=f"raised {type(exc).__name__}"):
        check("gd_step", student, "basic")


def test_keyboard_interrupt_is_not_swallowed():
    """A cell timeout interrupts the kernel: check must stop, not run the next (endless) case."""

    def student(*args, **kwargs):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        check("gd_step", student, "basic")


def test_sys_exit_inside_student_code():
    def student(w, grad, lr):
        sys.exit("bye")

    msg = _fails("gd_step", student, "basic")
    assert "raised SystemExit" in msg


def test_not_callable():
    with pytest.raises(AssertionError, match="not a function"):
        check("gd_step", 42, "basic")


def test_unknown_name_or_aspect():
    with pytest.raises(KeyError, match="known"):
        check("gd_step", reference.gd_step, "no-such-aspect")
    with pytest.raises(KeyError):
        get_cases("no_such_function", "basic")


# --------------------------------------------------------------------------- record, then judge


def _record_through_kernel_path(tmp_path, name, fn, aspect, seed=None):
    """Run ``fn`` the way the sandboxed kernel does: case inputs as JSON, the Recorder, a record line."""
    from lrcourse.grading import encode_cases
    from lrcourse.record import Recorder

    cases, out = tmp_path / "cases.json", tmp_path / "records.jsonl"
    cases.write_text(json.dumps(encode_cases([(name, aspect)], seed)))
    Recorder(str(cases), str(out))(name, fn, aspect)
    return json.loads(out.read_text().splitlines()[-1])


def test_recorded_values_are_the_students_own_and_assess_judges_them(tmp_path):
    from lrcourse.grading import assess

    good = _record_through_kernel_path(tmp_path, "gd_step", reference.gd_step, "basic")
    bad = _record_through_kernel_path(tmp_path, "gd_step", _sign_flipped, "basic")
    # gd_step(5.0, 10.0, 0.1): 5 - 0.1 * 10 = 4 for the reference, 5 + 1 = 6 for the sign flip
    assert good["results"][0] == {"kind": "array", "shape": [], "data": [4.0]}
    assert bad["results"][0] == {"kind": "array", "shape": [], "data": [6.0]}
    assert assess("gd_step", "basic", good["results"], good["mutated"]).passed
    verdict = assess("gd_step", "basic", bad["results"], bad["mutated"])
    assert not verdict.passed and verdict.mistake.startswith("sign flipped")
    assert "returned: 6.0" in verdict.message() and "expected: 4.0" in verdict.message()


def test_kernel_path_and_in_kernel_check_agree_on_every_registered_check(tmp_path):
    """The JSON round trip (landscape callables rebuilt from their parameters) changes no value."""
    from lrcourse.grading import assess

    for name, aspect in CASES:
        rec = _record_through_kernel_path(tmp_path, name, getattr(reference, name), aspect, seed=12345)
        outcome = assess(name, aspect, rec["results"], rec["mutated"], seed=12345)
        assert outcome.passed, (name, aspect, outcome.message())


def test_mutation_is_recorded_and_named(tmp_path):
    from lrcourse.grading import assess

    def mutating(w, grad, lr):
        if isinstance(w, np.ndarray):
            w -= lr * np.asarray(grad)
            return w
        return np.asarray(w, dtype=float) - lr * np.asarray(grad, dtype=float)

    rec = _record_through_kernel_path(tmp_path, "gd_step", mutating, "arrays")
    outcome = assess("gd_step", "arrays", rec["results"], rec["mutated"])
    assert any(rec["mutated"]) and not outcome.passed and "input mutated" in outcome.message()


def test_assess_rejects_records_of_the_wrong_length():
    with pytest.raises(ValueError, match="cases"):
        grading.assess("gd_step", "basic", [serialize(4.0)], [False])


def test_drawn_cases_depend_on_the_seed_and_fixed_ones_do_not():
    from lrcourse.cases.base import Drawn

    drawn = [k for k, entries in CASES.items() if any(isinstance(e, Drawn) for e in entries)]
    assert drawn, "some cases are drawn per submission"
    for key in drawn:
        entries = CASES[key]
        first, again, other = (get_cases(*key, seed=s) for s in (1, 1, 2))
        assert [repr(c) for c in first] == [repr(c) for c in again], f"{key}: same seed, other cases"
        changed = [i for i, (c1, c2) in enumerate(zip(first, other)) if repr(c1) != repr(c2)]
        assert changed, f"{key}: drawn cases do not change with the seed"
        assert all(isinstance(entries[i], Drawn) for i in changed), f"{key}: a fixed case moved"


def test_failure_message_shows_input_returned_expected_and_mistake():
    message = _fails("gd_step", _sign_flipped, "basic")
    assert "First wrong case: gd_step(" in message
    assert "returned: 6.0" in message and "expected: 4.0" in message
    assert "Likely mistake: sign flipped" in message


# --------------------------------------------------------------------------- serialise / compare


def test_serialize_and_compare_edge_cases():
    assert compare(serialize(np.inf), serialize(np.nan)) is None
    assert compare(serialize(1e301), serialize(-np.inf)) is None
    assert compare(serialize(1e299), serialize(np.inf)) is not None
    assert compare(serialize(1.0), serialize(1.0 + 1e-7)) is None
    assert compare(serialize(1.0), serialize(1.0 + 1e-5)) == "wrong value"
    assert compare(serialize(0.0), serialize(1e-10)) is None
    assert compare(serialize("healthy"), serialize("Healthy")) == "wrong string"
    assert compare(serialize((1.0, 2.0)), serialize([1.0, 2.0])) is None  # [theta, v] for (theta, v)
    assert compare(serialize((1.0, 2.0)), serialize((1.0,))) is not None
    assert compare(serialize([[1.0, 2.0]]), serialize([1.0, 2.0])) == "shape (2,) instead of (1, 2)"
    assert serialize(True)["kind"] == "array"
    assert serialize(object())["kind"] == "invalid"
    raised = {"kind": "raised", "type": "ValueError", "mro": ["ValueError", "Exception"]}
    assert compare(raised, {"kind": "raised", "type": "X", "mro": ["X", "ValueError"]}) is None
    assert compare(raised, serialize(1.0)) == "should raise ValueError"
    assert compare(serialize(1.0), raised).startswith("raised ValueError")


# --------------------------------------------------------------------------- every registered check


def test_registry_is_consistent():
    spec_names = {n for names in reference.ASSIGNMENTS.values() for n in names}
    assert CASES, "no cases registered"
    for (name, aspect), cases in CASES.items():
        assert name in spec_names, f"cases for unknown function {name!r}"
        assert re.fullmatch(r"[a-zA-Z0-9_-]+", aspect), aspect
        assert cases, f"{name}/{aspect} has no cases"
        for case in get_cases(name, aspect, seed=7):
            assert isinstance(case.args, tuple) and isinstance(case.kwargs, dict)
            assert case.describe(name).startswith(f"{name}(")
    for name, mistakes in MISTAKES.items():
        assert name in spec_names and aspects(name), f"mistakes for {name!r} but no cases"
        labels = [m.label for m in mistakes]
        assert len(set(labels)) == len(labels), f"duplicate labels for {name}"
        for m in mistakes:
            assert m.function == name and m.label.strip() and callable(m.wrong)
    assert {n for n, _ in CASES} >= set(PS1)


@pytest.mark.parametrize("key", sorted(CASES), ids=lambda k: "/".join(k))
def test_reference_passes_its_own_check(key, capsys):
    name, aspect = key
    check(name, getattr(reference, name), aspect)
    assert capsys.readouterr() == ("", "")


MISTAKE_PARAMS = [(name, label, fn) for name in sorted(WRONG_FUNCTIONS) for label, fn in WRONG_FUNCTIONS[name]]


@pytest.mark.parametrize(
    "name, label, wrong_fn", MISTAKE_PARAMS, ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(MISTAKE_PARAMS)]
)
def test_every_listed_mistake_is_caught_and_named(name, label, wrong_fn):
    messages = {a: _fails(name, wrong_fn, a) for a in aspects(name)}
    failing = {a: m for a, m in messages.items() if m}
    assert failing, f"the mistake {label!r} passes every aspect of {name}: no case catches it"
    assert any(f"Likely mistake: {label}." in m for m in failing.values()), (
        f"{name}: {label!r} fails but is never named (another label shadows it?):\n"
        + "\n".join(failing.values())
    )


@pytest.mark.parametrize("key", sorted(CASES), ids=lambda k: "/".join(k))
def test_every_registered_check_catches_mutation(key):
    name, aspect = key
    ref = getattr(reference, name)

    def spoil(x):
        if isinstance(x, np.ndarray) and x.size and x.flags.writeable:
            x.flat[0] = 12345.678 if x.flat[0] != 12345.678 else -1.0
            return True
        if isinstance(x, list):
            x.append(0.0)
            return True
        return False

    def mutating(*args, **kwargs):
        result = ref(*args, **kwargs)
        for value in list(args) + list(kwargs.values()):
            spoil(value)
        return result

    def has_mutable(case):
        return any(
            (isinstance(v, np.ndarray) and v.size) or isinstance(v, list)
            for v in list(case.args) + list(case.kwargs.values())
        )

    if not any(has_mutable(c) for c in get_cases(name, aspect)):
        pytest.skip("no array or list input in these cases")
    msg = _fails(name, mutating, aspect)
    assert msg is not None and "mutated" in msg


@pytest.mark.parametrize("key", sorted(CASES), ids=lambda k: "/".join(k))
def test_every_registered_check_rejects_liars(key):
    name, aspect = key
    assert _fails(name, lambda *a, **k: _EqualsEverything(), aspect), "an object equal to everything passed"
    assert _fails(name, lambda *a, **k: None, aspect), "returning None passed"
