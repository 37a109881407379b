"""Hidden test cases for ps1_update_rule (see :mod:`lrcourse.cases`).

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
