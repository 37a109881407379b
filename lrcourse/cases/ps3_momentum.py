"""Hidden test cases for ps3_momentum (see :mod:`lrcourse.cases`).

SPEC lets theta, v, grad, theta0, w, X, y and w0 be Python numbers, lists or arrays, so every
function has cases with lists, and every function that takes numbers has cases with Python
ints (and integer arrays) whose exact answer is not an integer: ``momentum_step(3, 1, 2, 0.5,
0.5)`` is ``(2.25, 1.5)``, and code that stores the result in an array of the input's integer
dtype returns ``(2, 1)``. ``optimal_gd_lr(0, L)`` is ``2 / L`` (a convex valley that is flat in
one direction). Random inputs are :class:`~lrcourse.cases.base.Drawn` per submission; none of
these functions has a threshold, so any draw is safe.
"""

import numpy as np

from ..landscapes import Quadratic1D, QuadraticND, ill_conditioned_2d, make_regression, w_squared
from .base import Case, Drawn

_valley = ill_conditioned_2d(25.0)
_round_bowl = QuadraticND([2.0, 2.0], name="round bowl L = w1**2 + w2**2")
_shifted = Quadratic1D(1.5, -3.0, 0.0, name="L(theta) = 1.5 * theta**2 - 3 * theta")


def _data(n, d, seed, noise=0.3):
    data = make_regression(n, d, noise=noise, seed=seed)
    return data.X, data.y


def _notebook_data(n, d, noise=0.5, seed=0):
    """The notebook's ``make_data`` (the visible tests' data sets), reproduced exactly."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    w_true = rng.normal(size=d)
    y = X @ w_true + noise * rng.normal(size=n)
    return X, y


_X5, _y5 = _data(5, 2, 11)
_X20, _y20 = _data(20, 3, 12)
_X7, _y7 = _data(7, 1, 13)
_X8, _y8 = _data(8, 2, 21)
_X12, _y12 = _data(12, 3, 22)
_X6, _y6 = _data(6, 1, 23)
_X10, _y10 = _data(10, 2, 31)
_X10b, _y10b = _data(10, 3, 32)
_X7b, _y7b = _data(7, 2, 33)
_NB30 = _notebook_data(30, 3, seed=1)
_NB6 = _notebook_data(6, 4, seed=2)
_NB12 = _notebook_data(12, 2, seed=3)
_NB10 = _notebook_data(10, 2, seed=5)

# integer data: every answer below is a fraction
_XI = np.array([[1, 2], [3, 4], [0, 1]])
_YI = np.array([1, 0, 2])
_XI4 = np.array([[1, 0], [0, 1], [1, 1], [2, -1]])
_YI4 = np.array([1, 2, 3, 0])


def _state(rng, shape):
    return rng.normal(size=shape), rng.normal(size=shape), rng.normal(size=shape)


def _draw_step(rng, shape, lr_range=(0.01, 1.5), as_list=False):
    theta, v, grad = _state(rng, shape)
    lr = float(rng.uniform(*lr_range))
    beta = float(rng.uniform(0.0, 0.99))
    if as_list:
        theta, v, grad = theta.tolist(), v.tolist(), grad.tolist()
    return Case((theta, v, grad, lr, beta))


def _draw_int_step(rng):
    """Integer theta, v and grad with lr and beta that make the answer a fraction."""
    shape = (int(rng.integers(2, 5)),)
    theta, v, grad = (rng.integers(-5, 6, size=shape) for _ in range(3))
    grad[grad == 0] = 1
    return Case((theta, v, grad, float(rng.choice([0.25, 0.3, 0.5, 0.7])), float(rng.choice([0.5, 0.25, 0.9]))))


def _draw_valley_run(rng):
    """EMA momentum on the kappa = 25 valley, stable: lr (1 - beta) * 25 below 2 (1 + beta)."""
    beta = float(rng.uniform(0.0, 0.9))
    lr = float(rng.uniform(0.1, 0.9) * 2 * (1 + beta) / (25 * (1 - beta)))
    return Case((_valley.grad, rng.normal(size=2), lr, beta, int(rng.integers(3, 30))))


def _draw_regression(rng, as_list=False, integer=False):
    n, d = int(rng.integers(3, 12)), int(rng.integers(1, 4))
    if integer:
        X, y, w = rng.integers(-3, 4, size=(n, d)), rng.integers(-3, 4, size=n), rng.integers(-2, 3, size=d)
    else:
        X, y, w = rng.normal(size=(n, d)), rng.normal(size=n), rng.normal(size=d)
    if as_list:
        X, y, w = X.tolist(), y.tolist(), w.tolist()
    return Case((w, X, y))


def _draw_sgd(rng, as_list=False):
    n, d = int(rng.integers(5, 13)), int(rng.integers(1, 4))
    X, y, w0 = rng.normal(size=(n, d)), rng.normal(size=n), rng.normal(size=d)
    lr = float(rng.uniform(0.005, 0.05))
    batch_size = int(rng.integers(1, n + 1))
    n_epochs = int(rng.integers(1, 4))
    seed = int(rng.integers(0, 1000))
    if as_list:
        X, y, w0 = X.tolist(), y.tolist(), w0.tolist()
    return Case((X, y, w0, lr, batch_size, n_epochs, seed))


CASES = {
    ("momentum_step", "basic"): [
        Case((1.0, 0.0, 2.0, 0.1, 0.9)),
        Case((1.0, 0.5, 2.0, 0.1, 0.9)),
        Case((-2.0, 1.5, -4.0, 0.05, 0.5)),
        Case((3.0, -0.7, 1.2, 0.2, 0.0)),
        Case((np.array([1.0, -2.0]), np.array([0.3, -0.1]), np.array([0.5, 4.0]), 0.3, 0.8)),
        Case((3, 1, 2, 0.5, 0.5)),  # Python ints: (2.25, 1.5)
        Case((1, 0, 1, 1, 0.5)),  # int lr too: (0.5, 0.5)
        Case((-2, 3, 1, 0.1, 0.75)),
    ],
    ("momentum_step", "arrays"): [
        Drawn(lambda rng: _draw_step(rng, (3, 4), (0.01, 0.2))),
        Case((np.array([1.0, 2.0, 3.0]), np.array([0.5, 0.0, -0.5]), np.array([1.0, 1.0, 1.0]), 0.5, 0.6)),
        Case((np.array(2.0), np.array(-1.0), np.array(0.25), 0.4, 0.3)),
        Drawn(lambda rng: Case(_state(rng, 6) + (1.3, 0.0))),
        Case((np.array([1.0, -2.0]), np.array([0.5, 0.5]), np.array([2.0, -4.0]), 0.5, 0.5)),
        Case(([1.0, 2.0], [0.0, 0.0], [1.0, 1.0], 1.0, 0.5)),  # lists
        Case(([[1.0, 2.0], [3.0, 4.0]], [[0.5, -0.5], [0.0, 1.0]], [[2.0, 0.0], [-1.0, 3.0]], 0.2, 0.9)),
        Case((np.array([3, -1]), np.array([1, 0]), np.array([2, 5]), 0.5, 0.5)),  # int arrays
        Case(([3, -1, 2], [1, 0, 0], [2, 5, -3], 0.25, 0.5)),  # lists of ints
        Drawn(lambda rng: _draw_step(rng, (5,), as_list=True)),
        Drawn(_draw_int_step),
    ],
    ("heavy_ball_step", "basic"): [
        Case((1.0, 0.5, 2.0, 0.1, 0.9)),
        Case((1.0, 0.0, 2.0, 0.1, 0.9)),
        Case((-2.0, 1.5, -4.0, 0.05, 0.5)),
        Case((3.0, -0.7, 1.2, 0.2, 0.0)),
        Case((np.array([1.0, -2.0]), np.array([0.3, -0.1]), np.array([0.5, 4.0]), 0.3, 0.8)),
        Case((1, 1, 1, 0.25, 0.5)),  # Python ints: (0.625, 1.5)
        Case((2, -1, 3, 1, 0.5)),  # int lr: (-0.5, 2.5)
    ],
    ("heavy_ball_step", "arrays"): [
        Drawn(lambda rng: _draw_step(rng, (2, 3), (0.005, 0.05))),
        Case((np.array([1.0, 2.0, 3.0]), np.array([0.5, 0.0, -0.5]), np.array([1.0, 1.0, 1.0]), 0.5, 0.6)),
        Case((np.array(2.0), np.array(-1.0), np.array(0.25), 0.4, 0.3)),
        Case((np.eye(2), np.ones((2, 2)), np.array([[2.0, -2.0], [0.0, 4.0]]), 0.25, 0.5)),
        Case(([1.0, -2.0, 0.5], [0.1, 0.2, 0.3], [1.0, 0.0, -1.0], 0.1, 0.9)),  # lists
        Case((np.array([[1, 0], [0, 1]]), np.array([[1, 1], [1, 1]]), np.array([[2, -2], [0, 4]]), 0.25, 0.5)),
        Case(([3, -1], [1, 2], [1, 1], 0.3, 0.5)),  # lists of ints
        Drawn(lambda rng: _draw_step(rng, (4,), (0.005, 0.05), as_list=True)),
        Drawn(_draw_int_step),
    ],
    ("run_momentum", "basic"): [
        Case((w_squared.grad, 1.0, 0.5, 0.5, 2)),
        Case((w_squared.grad, 5.0, 0.1, 0.9, 30)),
        Case((_shifted.grad, -1.0, 0.2, 0.6, 25)),
        Case((w_squared.grad, 5.0, 0.3, 0.0, 10)),
        Case((_valley.grad, np.array([2.0, 1.0]), 0.2, 4.0 / 9.0, 40)),
        Case((w_squared.grad, 1, 0.3, 0.5, 3)),  # int theta0: 1, 0.7, ...
        Case((_shifted.grad, 2, 0.1, 0.5, 6)),
        Drawn(_draw_valley_run),
    ],
    ("run_momentum", "edges"): [
        Case((w_squared.grad, 5.0, 0.1, 0.9, 0)),
        Case((_valley.grad, np.array([-1.5, 2.0]), 0.2, 4.0 / 9.0, 0)),
        Case((_valley.grad, np.array([2.0, 1.0]), 0.2, 0.5, 0)),
        Case((_valley.grad, np.array([2.0, 1.0]), 0.2, 4.0 / 9.0, 60)),
        Case((_valley.grad, [1.0, -1.0], 0.2, 0.9, 60)),  # a list
        Case((_valley.grad, [2, 1], 0.2, 4.0 / 9.0, 5)),  # a list of ints
        Case((_valley.grad, np.array([2, -1]), 0.1, 0.5, 8)),  # an int array
        Case((_round_bowl.grad, np.array([1.0, 2.0]), 0.3, 0.5, 12)),
        Case((w_squared.grad, 2.0, 5.0, 0.5, 300)),
    ],
    ("optimal_gd_lr", "basic"): [
        Case((1.0, 3.0)),
        Case((1.0, 25.0)),
        Case((0.5, 0.5)),
        Case((2.0, 100.0)),
        Case((1e-3, 10.0)),
        Case((1, 2)),  # Python ints: 2/3
        Case((0.0, 4.0)),  # convex, flat in one direction: 2 / lam_max
        Case((0, 25)),
        Drawn(lambda rng: Case((0.0, float(rng.uniform(0.5, 50.0))))),
        Drawn(lambda rng: Case(tuple(sorted(float(x) for x in rng.uniform(0.1, 30.0, size=2))))),
    ],
    ("optimal_momentum", "basic"): [
        Case((1.0, 9.0)),
        Case((1.0, 25.0)),
        Case((1.0, 100.0)),
        Case((0.5, 2.0)),
        Case((2.0, 50.0)),
        Case((1, 4)),  # Python ints: (4/9, 1/9)
        Drawn(lambda rng: Case(tuple(sorted(float(x) for x in rng.uniform(0.1, 30.0, size=2))))),
    ],
    ("optimal_momentum", "edges"): [
        Case((4.0, 4.0)),
        Case((1e-4, 1.0)),
        Case((10.0, 1000.0)),
        Case((3.0, 5.0)),
        Case((4, 9)),  # Python ints: (0.16, 0.04)
    ],
    ("mse_grad", "basic"): [
        Case((np.array([0.5, -1.0]), _X5, _y5)),
        Case((np.zeros(3), _X20, _y20)),
        Case((np.array([1.0, 0.0, -2.0]), _X20, _y20)),
        Case((np.array([0.3]), _X7, _y7)),
        Case((np.array([0.0]), np.array([[1.0], [2.0]]), np.array([1.0, 2.0]))),
        Case((np.array([0.5, -1.0, 2.0]),) + _NB30),
        Case((np.array([1, -1]), _XI, _YI)),  # integer arrays: 2/3 * [-5, -11]
        Case(([1, -1], _XI.tolist(), _YI.tolist())),  # lists of ints
        Case(([0.0], [[1.0], [2.0]], [1.0, 2.0])),  # lists
        Drawn(_draw_regression),
        Drawn(lambda rng: _draw_regression(rng, integer=True)),
    ],
    ("mse_grad", "shapes"): [
        Case((np.array([0.0]), np.array([[1.0], [2.0], [4.0]]), np.array([1.0, 2.0, 3.0]))),
        Case((np.array([1.0, 2.0]), np.array([[3.0, -1.0]]), np.array([2.0]))),
        Case((np.zeros(4),) + _NB6),
        Drawn(lambda rng: Case((np.array([0.2, 0.4, -0.1, 1.0]), rng.normal(size=(9, 4)), rng.normal(size=9)))),
        Case(([1.0, 2.0], [[3.0, -1.0]], [2.0])),  # lists, one example
        Case(([1, 2, 0], [[1, 0, 2], [0, 1, 1]], [1, 1])),  # lists of ints
        Drawn(lambda rng: _draw_regression(rng, as_list=True)),
    ],
    ("minibatch_sgd", "basic"): [
        Case((_X8, _y8, np.zeros(2), 0.05, 4, 3, 0)),
        Case((_X12, _y12, np.array([0.5, -0.5, 0.0]), 0.03, 3, 2, 1)),
        Case((_X6, _y6, np.array([2.0]), 0.05, 2, 4, 7)),
        Case((_X8, _y8, np.zeros(2), 0.05, 2, 3, 42)),
        Case((np.array([[1.0], [1.0]]), np.array([2.0, 2.0]), np.array([0.0]), 0.25, 2, 1, 0)),
        Case((np.ones((8, 1)), np.full(8, 3.0), np.zeros(1), 0.25, 4, 3, 1)),
        Case(_NB12 + (np.zeros(2), 0.1, 12, 5, 4)),
        Case((_XI4, _YI4, np.array([0, 0]), 0.1, 2, 2, 0)),  # integer arrays
        Case((_XI4.tolist(), _YI4.tolist(), [0, 1], 0.05, 3, 2, 5)),  # lists of ints
        Drawn(_draw_sgd),
    ],
    ("minibatch_sgd", "partial"): [
        Case((_X10, _y10, np.zeros(2), 0.05, 3, 3, 0)),
        Case((_X10b, _y10b, np.zeros(3), 0.05, 4, 2, 5)),
        Case((_X10, _y10, np.array([1.0, -1.0]), 0.1, 10, 5, 3)),
        Case((_X10, _y10, np.zeros(2), 0.02, 1, 2, 9)),
        Case((_X7b, _y7b, np.zeros(2), 0.05, 5, 3, 4)),
        Case((np.ones((10, 1)), np.full(10, 3.0), np.zeros(1), 0.25, 3, 2, 0)),
        Case((np.ones((10, 1)), np.full(10, 3.0), np.zeros(1), 0.25, 1, 1, 0)),
        Case(_NB10 + (np.zeros(2), 0.05, 4, 3, 7)),
        Case((_X7b.tolist(), _y7b.tolist(), [0.0, 0.0], 0.05, 3, 2, 6)),  # lists
        Case((_XI4, _YI4, [1, -1], 0.05, 3, 1, 2)),  # int arrays, list of ints w0, a last batch of 1
        Drawn(lambda rng: _draw_sgd(rng, as_list=True)),
    ],
}
