"""Hidden test cases and known mistakes for ps1_update_rule (see :mod:`lrcourse.cases`).

Fixed cases hold the course's worked examples and the boundaries; :class:`Drawn` cases are
drawn afresh for every submission and are built to stay clear of the SPEC's thresholds for
every seed (``tests/test_ps1_ps2_content.py`` draws 200 seeds):

* ``lr_regime``: ``r = lr * lambda_max`` at least 0.05 inside its regime (or ``lr = 2 /
  lambda_max`` exactly, deep inside ``np.isclose(r, 2)``);
* ``steps_to_tolerance``: ``tol = distance0 * q**(k - 1/2)``, so the answer is ``k`` with
  a margin of a factor ``sqrt(q)`` on either side;
* ``critical_lr``: ``lambda_max`` at least 0.5 away from 0.

Real code fails on inputs the SPEC allows, so every function taking numbers also gets
Python ints whose exact answer is not an integer, and lists wherever the SPEC allows them.
"""

import numpy as np

from ..landscapes import QuadraticND, theta_minus_3, w_squared
from ..update_rule import critical_lr, gd_step, gradient_descent, lr_regime
from .base import Case, Drawn

_bowl3 = QuadraticND([0.5, 2.0, 4.0])  # stable for lr < 2 / 4 = 0.5


def _symmetric(rng, eigenvalues):
    """A random symmetric matrix with the given eigenvalues (exactly symmetric)."""
    n = len(eigenvalues)
    q, _ = np.linalg.qr(rng.normal(size=(n, n)))
    h = q @ np.diag(eigenvalues) @ q.T
    return (h + h.T) / 2


_REGIME_R = {"monotone": (0.1, 0.95), "oscillating": (1.05, 1.95), "diverging": (2.05, 4.0)}


def _regime_1d(regime):
    def draw(rng):
        lam = float(rng.uniform(0.5, 20.0))
        return Case((float(rng.uniform(*_REGIME_R[regime])) / lam, lam))

    return Drawn(draw)


def _regime_matrix(regime):
    def draw(rng):
        lam_max = float(rng.uniform(1.0, 10.0))
        others = rng.uniform(0.05, 0.9, size=2) * lam_max
        r = float(rng.uniform(*_REGIME_R[regime])) if regime != "periodic" else 2.0
        return Case((r / lam_max, _symmetric(rng, [others[0], others[1], lam_max])))

    return Drawn(draw)


def _steps_draw(rng):
    curvature = float(rng.uniform(0.5, 5.0))
    r = float(rng.choice([rng.uniform(0.05, 0.95), rng.uniform(1.05, 1.95)]))
    q = abs(1.0 - r)
    distance0 = float(rng.uniform(1.0, 10.0))
    k = int(rng.integers(1, 40))
    return Case((r / curvature, curvature, distance0, distance0 * q ** (k - 0.5)))


CASES = {
    ("gd_step", "basic"): [
        Case((5.0, 10.0, 0.1)),
        Case((4.0, 8.0, 0.1)),
        Case((-1.0, -8.0, 0.05)),
        Case((np.array([1.0, -2.0, 0.5]), np.array([0.5, 0.5, -4.0]), 0.2)),
        Case((np.float64(3.0), np.float64(-1.5), 0.01)),
        Case((1, 1, 0.5)),  # Python ints: the answer 0.5 is not an integer
        Case((3, -2, 0.25)),
    ],
    ("gd_step", "arrays"): [
        Drawn(lambda rng: Case((rng.normal(size=(3, 4)), rng.normal(size=(3, 4)), 0.03))),
        Drawn(lambda rng: Case((rng.normal(size=5), rng.normal(size=5), float(rng.uniform(0.5, 2.0))))),
        Case((np.array(2.0), np.array(4.0), 0.5)),
        Case((np.array([1.0, -2.0]), np.array([0.5, 0.5]), 0.2)),
        Case((np.ones((2, 3)), 2 * np.ones((2, 3)), 0.25)),
        Case((np.array([1, 2, 3]), np.array([1, 1, -1]), 0.5)),  # an integer array
        Case((np.arange(6).reshape(2, 3), np.full((2, 3), 3), 0.1)),
        Case(([1.0, -2.0], [0.5, 0.5], 0.2)),  # lists
        Case(([[1.0, 2.0], [3.0, 4.0]], [[0.5, -0.5], [1.0, 2.0]], 0.1)),  # nested lists
    ],
    ("gradient_descent", "basic"): [
        Case((w_squared.grad, 5.0, 0.1, 4)),
        Case((w_squared.grad, 5.0, 0.1, 6)),
        Case((theta_minus_3.grad, -1.0, 0.05, 15)),
        Case((theta_minus_3.grad, -1.0, 0.3, 15)),
        Case((theta_minus_3.grad, -1.0, 0.8, 15)),
        Case((w_squared.grad, np.array([1.0, -2.0]), 0.25, 3)),
        Case((QuadraticND([1.0, 10.0]).grad, np.array([1.0, 1.0]), 0.15, 8)),
        Case((theta_minus_3.grad, -1, 0.3, 5)),  # an int w0: -1 -> 1.4 -> ...
        Case((w_squared.grad, 3, 0.05, 4)),  # 3, 2.7, 2.43, ...: rounding each iterate drifts away
        Case((QuadraticND([1.0, 10.0]).grad, [1.0, 1.0], 0.15, 4)),  # a list w0
        Drawn(lambda rng: Case((theta_minus_3.grad, float(rng.uniform(-5, 5)), float(rng.uniform(0.05, 0.95)),
                                int(rng.integers(3, 15))))),
        Drawn(lambda rng: Case((_bowl3.grad, rng.normal(size=3), float(rng.uniform(0.05, 0.45)),
                                int(rng.integers(3, 12))))),
    ],
    ("gradient_descent", "edges"): [
        Case((w_squared.grad, 5.0, 0.1, 0)),
        Case((w_squared.grad, 5.0, 1.0, 4)),
        Case((w_squared.grad, 5.0, 1.1, 10)),
        Case((w_squared.grad, 5, 0.1, 3)),  # an int w0: the iterates are still floats
        Case((QuadraticND([1.0, 3.0]).grad, np.array([2, -1]), 0.1, 5)),  # an integer array w0
        Case((QuadraticND([1.0, 3.0]).grad, [2.0, -1.0], 0.1, 5)),  # a list w0
        # |1 - 5 * 2| = 9 per step: overflows to inf (then nan) after ~320 steps; keep going
        Case((w_squared.grad, 5.0, 5.0, 400)),
        Case((QuadraticND([1.0, 4.0]).grad, np.array([1.0, -1.0]), 1.5, 400)),
    ],
    ("critical_lr", "basic"): [
        Case((2.0,)),
        Case((0.5,)),
        Case((3,)),  # a Python int: 2 / 3
        Case(([[4.0, 0.0], [0.0, 1.0]],)),
        Case((np.array([[2.0, 1.0], [1.0, 2.0]]),)),
        Case(([[2, 1], [1, 2]],)),  # a nested list of ints: eigenvalues 1 and 3
        Case((QuadraticND([0.5, 3.0, 7.5]).hessian(),)),
        Case(([[2.0, 1.0, 1.0], [1.0, 3.0, 0.0], [1.0, 0.0, 4.0]],)),  # eigvals come unsorted
        Drawn(lambda rng: Case((_symmetric(rng, rng.uniform(0.5, 10.0, size=3)),))),
    ],
    ("critical_lr", "edges"): [
        Case((0.0,)),
        Case((0,)),
        Case((-3.0,)),
        Case((np.array([[-1.0, 0.0], [0.0, -2.0]]),)),
        Case(([[-1.0, 0.0], [0.0, -2.0]],)),
        Case((np.diag([1e-3, 250.0]),)),
        Case(([[-5.0, 0.0], [0.0, 1.0]],)),  # indefinite: lambda_max = 1, not |-5|
        Case((np.array([[-4, 0], [0, 3]]),)),  # an integer array: 2 / 3
        Drawn(lambda rng: Case((_symmetric(rng, -rng.uniform(0.5, 5.0, size=2)),))),  # lambda_max < 0: inf
    ],
    ("lr_regime", "basic"): [
        Case((0.1, 2.0)),
        Case((0.5, 2.0)),
        Case((0.9, 2.0)),
        Case((1.0, 2.0)),
        Case((1.1, 2.0)),
        Case((0.3, [[4.0, 0.0], [0.0, 1.0]])),
        Case((0.45, np.diag([1.0, 4.0]))),
        Case((0.2, np.diag([1.0, 10.0]))),
        Case((0.975, 2.0)),
        Case((1.025, 2.0)),
        # lambda_max = 3 and lr = 2/3 to 7 digits: r = 2.0000001, periodic up to rounding
        Case((0.6666667, np.array([[2.0, 1.0], [1.0, 2.0]]))),
        # r = 1.9999999 and (2 / 49) * 49 = 1.9999999999999998: below 2 by rounding, still periodic
        Case((0.99999995, 2.0)),
        Case((2 / 49, 49.0)),
        Case((0.25, QuadraticND([0.5, 3.0, 7.5]).hessian())),
        Case((1, 3)),  # Python ints: r = 3
        Case((1, [[1, 0], [0, 2]])),  # ints, r = 2 exactly
        _regime_1d("monotone"),
        _regime_1d("oscillating"),
        _regime_1d("diverging"),
        _regime_matrix("monotone"),
        _regime_matrix("oscillating"),
        _regime_matrix("periodic"),
        _regime_matrix("diverging"),
    ],
    ("steps_to_tolerance", "basic"): [
        Case((0.1, 2.0, 5.0, 1.0)),
        Case((0.05, 2.0, 4.0, 1e-3)),
        Case((0.3, 2.0, 4.0, 1e-3)),
        Case((0.8, 2.0, 4.0, 1e-3)),
        Case((0.3, 2.0, 4.0, 1e-6)),
        Case((0.8, 2.0, 4.0, 1e-6)),
        Case((0.02, 0.5, 10.0, 0.01)),
        Case((0.25, 2, 5, 1)),  # ints for curvature, distance and tol: 5 -> 2.5 -> 1.25 -> 0.625
        Drawn(_steps_draw),
        Drawn(_steps_draw),
    ],
    ("steps_to_tolerance", "edges"): [
        Case((0.1, 2.0, 0.5, 1.0)),
        Case((0.1, 2.0, 0.0, 1e-9)),
        Case((0.1, 2, 0, 1)),
        Case((1.0, 2.0, 5.0, 1.0)),
        Case((1, 2, 5, 1)),  # Python ints: factor |1 - 2| = 1
        Case((1.2, 2.0, 5.0, 1.0)),
        Case((0.01, 2.0, 1.0, 0.5)),
        Case((0.5, 2.0, 4.0, 1e-6)),  # lr * curvature = 1: one step lands on the minimum
    ],
}


def _gd_step_plus(w, grad, lr):
    return np.asarray(w, dtype=float) + lr * np.asarray(grad, dtype=float)


def _gd_step_no_lr(w, grad, lr):
    return np.asarray(w, dtype=float) - np.asarray(grad, dtype=float)


def _gd_last_only(grad_fn, w0, lr, n_steps):
    w = np.asarray(w0, dtype=float)
    path = []
    for _ in range(n_steps):
        w = w - lr * grad_fn(w)
        path.append(w)
    return np.array(path).reshape((n_steps,) + np.shape(w0))


def _gd_one_extra(grad_fn, w0, lr, n_steps):
    w = np.asarray(w0, dtype=float)
    path = [w]
    for _ in range(n_steps + 1):
        w = w - lr * grad_fn(w)
        path.append(w)
    return np.array(path)


def _critical_one_over(hessian):
    lam = np.linalg.eigvalsh(np.atleast_2d(np.asarray(hessian, dtype=float)))[-1]
    return np.inf if lam <= 0 else 1.0 / lam


def _critical_lam_min(hessian):
    lam = np.linalg.eigvalsh(np.atleast_2d(np.asarray(hessian, dtype=float)))[0]
    return np.inf if lam <= 0 else 2.0 / lam


def _critical_no_inf(hessian):
    lam = np.linalg.eigvalsh(np.atleast_2d(np.asarray(hessian, dtype=float)))[-1]
    return 2.0 / lam


def _regime_strict_monotone(lr, hessian):
    r = lr * np.linalg.eigvalsh(np.atleast_2d(np.asarray(hessian, dtype=float)))[-1]
    if np.isclose(r, 2):
        return "periodic"
    if r < 1:
        return "monotone"
    if r < 2:
        return "oscillating"
    return "diverging"


def _regime_lam_min(lr, hessian):
    r = lr * np.linalg.eigvalsh(np.atleast_2d(np.asarray(hessian, dtype=float)))[0]
    if np.isclose(r, 2):
        return "periodic"
    if r <= 1:
        return "monotone"
    if r < 2:
        return "oscillating"
    return "diverging"


def _steps_floor(lr, curvature, distance0, tol):
    q = abs(1 - lr * curvature)
    if distance0 <= tol:
        return 0
    if q >= 1:
        return np.inf
    if q == 0:
        return 1
    return int(np.floor(np.log(tol / distance0) / np.log(q)))


def _steps_no_abs(lr, curvature, distance0, tol):
    q = 1 - lr * curvature
    if distance0 <= tol:
        return 0
    if q >= 1 or q <= 0:
        return np.inf
    return int(np.ceil(np.log(tol / distance0) / np.log(q)))


def _gd_step_returns_step(w, grad, lr):
    return lr * np.asarray(grad, dtype=float)


def _gd_grad_at_w0(grad_fn, w0, lr, n_steps):
    w0 = np.asarray(w0, dtype=float)
    g0 = np.asarray(grad_fn(w0), dtype=float)
    path = [w0]
    w = w0
    for _ in range(n_steps):
        w = w - lr * g0
        path.append(w)
    return np.array(path)


def _gd_same_row(grad_fn, w0, lr, n_steps):
    w = np.array(w0, dtype=float)
    path = [w]
    for _ in range(n_steps):
        w -= lr * np.asarray(grad_fn(w), dtype=float)
        path.append(w)
    return np.array(path)


def _gd_stops_at_overflow(grad_fn, w0, lr, n_steps):
    w = np.asarray(w0, dtype=float)
    path = [w]
    for _ in range(n_steps):
        w = w - lr * np.asarray(grad_fn(w), dtype=float)
        if not np.all(np.isfinite(w)):
            break
        path.append(w)
    return np.array(path)


def _critical_abs(hessian):
    lam = np.max(np.abs(np.linalg.eigvalsh(np.atleast_2d(np.asarray(hessian, dtype=float)))))
    return np.inf if lam <= 0 else 2.0 / lam


def _critical_max_entry(hessian):
    lam = np.max(np.asarray(hessian, dtype=float))
    return np.inf if lam <= 0 else 2.0 / lam


def _critical_unsorted_eig(hessian):
    lam = np.linalg.eigvals(np.atleast_2d(np.asarray(hessian, dtype=float)))[-1].real
    return np.inf if lam <= 0 else 2.0 / lam


def _regime_exact_two(lr, hessian):
    r = lr * np.linalg.eigvalsh(np.atleast_2d(np.asarray(hessian, dtype=float)))[-1]
    if r == 2:
        return "periodic"
    if r <= 1:
        return "monotone"
    if r < 2:
        return "oscillating"
    return "diverging"


def _steps_negative(lr, curvature, distance0, tol):
    q = abs(1 - lr * curvature)
    if q >= 1:
        return np.inf
    if q == 0:
        return 1
    with np.errstate(divide="ignore"):
        return int(np.ceil(np.log(tol / distance0) / np.log(q))) if distance0 > 0 else -1


def _steps_step_first(lr, curvature, distance0, tol):
    q = abs(1 - lr * curvature)
    if q >= 1:
        return np.inf
    k, d = 0, distance0
    while True:
        d = q * d
        k += 1
        if d <= tol:
            return k


# --------------------------------------------------------------------------- inputs the SPEC allows
# A student's code that fails on a list, or on integers, can fail in many ways (TypeError,
# AttributeError, a casting error...): these stand-ins raise a plain Exception on exactly
# those inputs, which matches any error the student's code raised there.

_LIST = "fails on a list: convert with np.asarray"
_INT_RAISE = "fails on integer input (e.g. an in-place update of an integer array): work on np.array(w, dtype=float)"
_INT_CAST = "integer input gave integer results (cast back to the input's dtype): compute in floats"
_INT_PATH = "integer w0 gave an integer path (the array of iterates took w0's dtype): allocate it as floats"
_INT_PATH_STEP = ("integer w0 gave an integer path, and each step started from the rounded iterate: "
                  "allocate it as floats")


def _is_int(x):
    return np.issubdtype(np.asarray(x).dtype, np.integer)


def _fails_on_lists(fn, *positions):
    def wrong(*args, **kwargs):
        if any(isinstance(args[i], list) for i in positions if i < len(args)):
            raise Exception("a list input was not converted")  # noqa: TRY002 - stands for any error
        return fn(*args, **kwargs)

    return wrong


def _fails_on_ints(fn, position):
    def wrong(*args, **kwargs):
        if _is_int(args[position]):
            raise Exception("an integer input was not converted")  # noqa: TRY002 - stands for any error
        return fn(*args, **kwargs)

    return wrong


def _gd_step_cast(w, grad, lr):
    w_in = np.asarray(w)
    return (w_in - lr * np.asarray(grad)).astype(w_in.dtype)


def _gd_int_path_step(grad_fn, w0, lr, n_steps):
    w0 = np.asarray(w0)
    path = np.zeros((n_steps + 1,) + w0.shape, dtype=w0.dtype)  # each step reads the rounded row back
    path[0] = w0
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(n_steps):
            path[t + 1] = path[t] - lr * np.asarray(grad_fn(path[t]))
    return path


def _gd_int_path(grad_fn, w0, lr, n_steps):
    w = np.asarray(w0)
    path = np.zeros((n_steps + 1,) + w.shape, dtype=w.dtype)  # an int w0 makes an int path
    path[0] = w
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(n_steps):
            w = w - lr * np.asarray(grad_fn(w))
            path[t + 1] = w
    return path


def _regime_lt2_first(lr, hessian):
    r = lr * np.linalg.eigvalsh(np.atleast_2d(np.asarray(hessian, dtype=float)))[-1]
    if r <= 1:
        return "monotone"
    if r < 2:
        return "oscillating"
    if np.isclose(r, 2):
        return "periodic"
    return "diverging"


def _regime_gt2_first(lr, hessian):
    r = lr * np.linalg.eigvalsh(np.atleast_2d(np.asarray(hessian, dtype=float)))[-1]
    if r > 2:
        return "diverging"
    if np.isclose(r, 2):
        return "periodic"
    if r <= 1:
        return "monotone"
    return "oscillating"


MISTAKES = {
    "gd_step": [
        ("sign flipped (w + lr * grad: that climbs the loss)", _gd_step_plus),
        ("learning rate ignored (w - grad)", _gd_step_no_lr),
        ("returned the step lr * grad instead of the new w = w - lr * grad", _gd_step_returns_step),
        (_INT_CAST, _gd_step_cast),
        (_INT_RAISE, _fails_on_ints(gd_step, 0)),
        (_LIST, _fails_on_lists(gd_step, 0, 1)),
    ],
    "gradient_descent": [
        ("w0 left out of the returned iterates (the first row must be w0)", _gd_last_only),
        ("one step too many (n_steps + 1 updates)", _gd_one_extra),
        ("gradient always taken at w0 instead of at the current w", _gd_grad_at_w0),
        ("updated w in place and stored the same array each step (every row ends up the last w)", _gd_same_row),
        ("stopped when the values overflowed (keep going: inf/nan rows are part of the answer)", _gd_stops_at_overflow),
        (_INT_PATH, _gd_int_path),
        (_INT_PATH_STEP, _gd_int_path_step),
        (_INT_RAISE, _fails_on_ints(gradient_descent, 1)),
        (_LIST, _fails_on_lists(gradient_descent, 1)),
    ],
    "critical_lr": [
        ("1 / lambda_max instead of 2 / lambda_max", _critical_one_over),
        ("used the smallest eigenvalue instead of the largest", _critical_lam_min),
        ("no inf for lambda_max <= 0", _critical_no_inf),
        ("largest absolute eigenvalue instead of the largest eigenvalue", _critical_abs),
        ("largest entry of the Hessian instead of its largest eigenvalue", _critical_max_entry),
        ("took the last value of np.linalg.eig/eigvals, which are not sorted (use max or eigvalsh)", _critical_unsorted_eig),
        (_LIST, _fails_on_lists(critical_lr, 0)),
    ],
    "lr_regime": [
        ("r == 1 exactly is still 'monotone' (r <= 1, not r < 1)", _regime_strict_monotone),
        ("used the smallest eigenvalue instead of the largest", _regime_lam_min),
        ("checked r < 2 before np.isclose(r, 2): an r that rounds just below 2 is 'periodic' (keep the order)",
         _regime_lt2_first),
        ("checked r > 2 before np.isclose(r, 2): an r a hair above 2 is 'periodic' (keep the order)",
         _regime_gt2_first),
        ("tested r == 2 exactly instead of np.isclose(r, 2)", _regime_exact_two),
        (_LIST, _fails_on_lists(lr_regime, 1)),
    ],
    "steps_to_tolerance": [
        ("rounded the step count down (floor instead of ceil)", _steps_floor),
        ("forgot abs(1 - lr * curvature): an oscillating run still converges", _steps_no_abs),
        ("no 0 when already within tol (distance0 <= tol needs no step)", _steps_negative),
        ("took a step before checking the distance (distance0 <= tol needs 0 steps)", _steps_step_first),
    ],
}
