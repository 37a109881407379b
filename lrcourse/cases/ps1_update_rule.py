"""Hidden test cases and known mistakes for ps1_update_rule (see :mod:`lrcourse.cases`)."""

import numpy as np

from ..landscapes import QuadraticND, theta_minus_3, w_squared
from .base import Case

_rng = np.random.default_rng(20261125)

CASES = {
    ("gd_step", "basic"): [
        Case((5.0, 10.0, 0.1)),
        Case((-1.0, -8.0, 0.05)),
        Case((np.array([1.0, -2.0, 0.5]), np.array([0.5, 0.5, -4.0]), 0.2)),
        Case((np.float64(3.0), np.float64(-1.5), 0.01)),
    ],
    ("gd_step", "arrays"): [
        Case((_rng.normal(size=(3, 4)), _rng.normal(size=(3, 4)), 0.03)),
        Case((_rng.normal(size=5), _rng.normal(size=5), 1.7)),
        Case((np.array(2.0), np.array(4.0), 0.5)),
    ],
    ("gradient_descent", "basic"): [
        Case((w_squared.grad, 5.0, 0.1, 6)),
        Case((theta_minus_3.grad, -1.0, 0.05, 15)),
        Case((theta_minus_3.grad, -1.0, 0.3, 15)),
        Case((theta_minus_3.grad, -1.0, 0.8, 15)),
        Case((QuadraticND([1.0, 10.0]).grad, np.array([1.0, 1.0]), 0.15, 8)),
    ],
    ("gradient_descent", "edges"): [
        Case((w_squared.grad, 5.0, 0.1, 0)),
        Case((w_squared.grad, 5.0, 1.0, 4)),
        Case((w_squared.grad, 5, 0.1, 3)),  # an int w0: the iterates are still floats
        Case((QuadraticND([1.0, 3.0]).grad, [2.0, -1.0], 0.1, 5)),  # a list w0
        # |1 - 5 * 2| = 9 per step: overflows to inf (then nan) after ~320 steps; keep going
        Case((w_squared.grad, 5.0, 5.0, 400)),
        Case((QuadraticND([1.0, 4.0]).grad, np.array([1.0, -1.0]), 1.5, 400)),
    ],
    ("critical_lr", "basic"): [
        Case((2.0,)),
        Case((0.5,)),
        Case(([[4.0, 0.0], [0.0, 1.0]],)),
        Case((np.array([[2.0, 1.0], [1.0, 2.0]]),)),
        Case((QuadraticND([0.5, 3.0, 7.5]).hessian(),)),
        Case(([[2.0, 1.0, 1.0], [1.0, 3.0, 0.0], [1.0, 0.0, 4.0]],)),  # eigvals come unsorted
    ],
    ("critical_lr", "edges"): [
        Case((0.0,)),
        Case((-3.0,)),
        Case((np.array([[-1.0, 0.0], [0.0, -2.0]]),)),
        Case((np.diag([1e-3, 250.0]),)),
        Case(([[-5.0, 0.0], [0.0, 1.0]],)),  # indefinite: lambda_max = 1, not |-5|
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
        Case((0.25, QuadraticND([0.5, 3.0, 7.5]).hessian())),
    ],
    ("steps_to_tolerance", "basic"): [
        Case((0.1, 2.0, 5.0, 1.0)),
        Case((0.05, 2.0, 4.0, 1e-3)),
        Case((0.3, 2.0, 4.0, 1e-6)),
        Case((0.8, 2.0, 4.0, 1e-6)),
        Case((0.02, 0.5, 10.0, 0.01)),
    ],
    ("steps_to_tolerance", "edges"): [
        Case((0.1, 2.0, 0.5, 1.0)),
        Case((0.1, 2.0, 0.0, 1e-9)),
        Case((1.0, 2.0, 5.0, 1.0)),
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


MISTAKES = {
    "gd_step": [
        ("sign flipped (w + lr * grad: that climbs the loss)", _gd_step_plus),
        ("learning rate ignored (w - grad)", _gd_step_no_lr),
        ("returned the step lr * grad instead of the new w = w - lr * grad", _gd_step_returns_step),
    ],
    "gradient_descent": [
        ("w0 left out of the returned iterates (the first row must be w0)", _gd_last_only),
        ("one step too many (n_steps + 1 updates)", _gd_one_extra),
        ("gradient always taken at w0 instead of at the current w", _gd_grad_at_w0),
        ("updated w in place and stored the same array each step (every row ends up the last w)", _gd_same_row),
        ("stopped when the values overflowed (keep going: inf/nan rows are part of the answer)", _gd_stops_at_overflow),
    ],
    "critical_lr": [
        ("1 / lambda_max instead of 2 / lambda_max", _critical_one_over),
        ("used the smallest eigenvalue instead of the largest", _critical_lam_min),
        ("no inf for lambda_max <= 0", _critical_no_inf),
        ("largest absolute eigenvalue instead of the largest eigenvalue", _critical_abs),
        ("largest entry of the Hessian instead of its largest eigenvalue", _critical_max_entry),
        ("took the last value of np.linalg.eig/eigvals, which are not sorted (use max or eigvalsh)", _critical_unsorted_eig),
    ],
    "lr_regime": [
        ("r == 1 exactly is still 'monotone' (r <= 1, not r < 1)", _regime_strict_monotone),
        ("used the smallest eigenvalue instead of the largest", _regime_lam_min),
        ("tested r == 2 exactly instead of np.isclose(r, 2)", _regime_exact_two),
    ],
    "steps_to_tolerance": [
        ("rounded the step count down (floor instead of ceil)", _steps_floor),
        ("forgot abs(1 - lr * curvature): an oscillating run still converges", _steps_no_abs),
        ("no 0 when already within tol (distance0 <= tol needs no step)", _steps_negative),
        ("took a step before checking the distance (distance0 <= tol needs 0 steps)", _steps_step_first),
    ],
}
