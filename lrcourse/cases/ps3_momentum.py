"""Hidden test cases and known mistakes for ps3_momentum (see :mod:`lrcourse.cases`).

SPEC lets theta, v, grad, theta0, w, X, y and w0 be Python numbers, lists or arrays, so every
function has cases with lists, and every function that takes numbers has cases with Python
ints (and integer arrays) whose exact answer is not an integer: ``momentum_step(3, 1, 2, 0.5,
0.5)`` is ``(2.25, 1.5)``, and code that stores the result in an array of the input's integer
dtype returns ``(2, 1)``. ``optimal_gd_lr(0, L)`` is ``2 / L`` (a convex valley that is flat in
one direction). Random inputs are :class:`~lrcourse.cases.base.Drawn` per submission; none of
these functions has a threshold, so any draw is safe.
"""

import numpy as np

from .. import momentum as _ref
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


# --------------------------------------------------------------------------- wrong versions

def _f(x):
    return np.asarray(x, dtype=float)


_LIST_LABEL = "fails on a list: convert with np.asarray"
_INT_LABEL = ("result kept in the integer dtype of an int input (np.zeros_like / empty_like / astype of an int "
              "array truncates): convert with np.asarray(x, dtype=float)")


def _fails_on_lists(fn, positions):
    """The reference, except that it raises on a list input, as code does that uses array
    methods or operators on its inputs (``theta.shape``, ``X.T``, ``beta * v`` with a list)."""

    def wrong(*args):
        if any(isinstance(args[i], (list, tuple)) for i in positions):
            raise Exception("a list input")  # any error the student's code raises on a list matches
        return fn(*args)

    return wrong


def _int_dtype(x):
    dtype = np.asarray(x).dtype
    return dtype if dtype.kind in "iub" else None


def _cast_like(fn, like):
    """The reference with output ``k`` stored in an array of the dtype of input ``like[k]``
    (``out = np.zeros_like(theta); out[...] = ...``): integer inputs truncate the answer."""

    def wrong(*args):
        out = fn(*args)
        items = out if isinstance(out, tuple) else (out,)
        cast = []
        for k, item in enumerate(items):
            dtype = _int_dtype(args[like[k]]) if k < len(like) and like[k] is not None else None
            cast.append(np.asarray(item).astype(dtype) if dtype is not None else item)
        return tuple(cast) if isinstance(out, tuple) else cast[0]

    return wrong


def _step_in_input_dtypes(heavy):
    """A momentum step that stores v_new in v's dtype and theta_new in theta's (``np.empty_like``):
    integer inputs truncate v_new, and theta then moves with the truncated velocity."""

    def wrong(theta, v, grad, lr, beta):
        theta, v, grad = np.asarray(theta), np.asarray(v), np.asarray(grad)
        v_new = beta * v + (1.0 if heavy else 1.0 - beta) * grad
        if _int_dtype(v) is not None:
            v_new = v_new.astype(v.dtype)
        theta_new = theta - lr * v_new
        if _int_dtype(theta) is not None:
            theta_new = theta_new.astype(theta.dtype)
        return theta_new, v_new

    return wrong


def _inplace_on_int(fn, position):
    """``w = np.array(w0); w -= lr * g``: NumPy refuses to subtract floats into an int array."""

    def wrong(*args):
        if _int_dtype(args[position]) is not None:
            raise TypeError("Cannot cast ufunc 'subtract' output from dtype('float64') to dtype('int64')")
        return fn(*args)

    return wrong


def _mom_heavy(theta, v, grad, lr, beta):
    v_new = beta * _f(v) + _f(grad)
    return _f(theta) - lr * v_new, v_new


def _mom_swapped_weights(theta, v, grad, lr, beta):
    v_new = (1 - beta) * _f(v) + beta * _f(grad)
    return _f(theta) - lr * v_new, v_new


def _mom_old_v(theta, v, grad, lr, beta):
    v_new = beta * _f(v) + (1 - beta) * _f(grad)
    return _f(theta) - lr * _f(v), v_new


def _mom_sign(theta, v, grad, lr, beta):
    v_new = beta * _f(v) + (1 - beta) * _f(grad)
    return _f(theta) + lr * v_new, v_new


def _mom_lr_beta_swapped(theta, v, grad, lr, beta):
    return _mom_ema(theta, v, grad, beta, lr)


def _mom_ema(theta, v, grad, lr, beta):
    v_new = beta * _f(v) + (1 - beta) * _f(grad)
    return _f(theta) - lr * v_new, v_new


def _mom_order_swapped(theta, v, grad, lr, beta):
    theta_new, v_new = _mom_ema(theta, v, grad, lr, beta)
    return v_new, theta_new


def _hb_ema(theta, v, grad, lr, beta):
    return _mom_ema(theta, v, grad, lr, beta)


def _hb_old_v(theta, v, grad, lr, beta):
    v_new = beta * _f(v) + _f(grad)
    return _f(theta) - lr * _f(v), v_new


def _hb_sign(theta, v, grad, lr, beta):
    v_new = beta * _f(v) + _f(grad)
    return _f(theta) + lr * v_new, v_new


def _hb_lr_beta_swapped(theta, v, grad, lr, beta):
    return _mom_heavy(theta, v, grad, beta, lr)


def _hb_lr_in_v(theta, v, grad, lr, beta):
    v_new = beta * _f(v) + lr * _f(grad)
    return _f(theta) - v_new * lr, v_new


def _run(grad_fn, theta0, lr, beta, n_steps, variant):
    theta = _f(theta0)
    v = np.zeros_like(theta)
    path = [theta]
    g0 = _f(grad_fn(theta))
    extra = 1 if variant == "extra" else 0
    for _ in range(n_steps + extra):
        if variant == "nesterov":
            g = _f(grad_fn(theta - lr * beta * v))
        elif variant == "frozen":
            g = g0
        else:
            g = _f(grad_fn(theta))
        if variant == "heavy":
            v = beta * v + g
        elif variant == "reset":
            v = (1 - beta) * g
        else:
            v_old = v
            v = beta * v + (1 - beta) * g
            if variant == "old_v":
                theta = theta - lr * v_old
                path.append(theta)
                continue
        theta = theta - lr * v
        path.append(theta)
    out = np.array(path)
    if variant == "no_theta0":
        out = out[1:]
    return out


def _run_variant(variant):
    def wrong(grad_fn, theta0, lr, beta, n_steps):
        return _run(grad_fn, theta0, lr, beta, n_steps, variant)

    return wrong


def _gd_lr_no_2(lam_min, lam_max):
    return 1.0 / (lam_min + lam_max)


def _gd_lr_critical(lam_min, lam_max):
    return 2.0 / lam_max


def _gd_lr_one_over_max(lam_min, lam_max):
    return 1.0 / lam_max


def _gd_lr_convex_one_over_l(lam_min, lam_max):
    if lam_min == 0:
        return 1.0 / lam_max  # the textbook 1/L step for an L-smooth convex function
    return 2.0 / (lam_min + lam_max)


def _gd_lr_needs_strong_convexity(lam_min, lam_max):
    if lam_min == 0:
        raise Exception("lam_min = 0")  # kappa = lam_max / lam_min, or a check lam_min > 0
    return 2.0 / (lam_min + lam_max)


def _opt_mom_swapped(lam_min, lam_max):
    s, S = np.sqrt(lam_min), np.sqrt(lam_max)
    return ((S - s) / (S + s)) ** 2, (2 / (s + S)) ** 2


def _opt_mom_alpha_unsquared(lam_min, lam_max):
    s, S = np.sqrt(lam_min), np.sqrt(lam_max)
    return 2 / (s + S), ((S - s) / (S + s)) ** 2


def _opt_mom_beta_unsquared(lam_min, lam_max):
    s, S = np.sqrt(lam_min), np.sqrt(lam_max)
    return (2 / (s + S)) ** 2, (S - s) / (S + s)


def _opt_mom_no_sqrt(lam_min, lam_max):
    return (2 / (lam_min + lam_max)) ** 2, ((lam_max - lam_min) / (lam_max + lam_min)) ** 2


def _opt_mom_ema_lr(lam_min, lam_max):
    s, S = np.sqrt(lam_min), np.sqrt(lam_max)
    alpha, beta = (2 / (s + S)) ** 2, ((S - s) / (S + s)) ** 2
    return alpha / (1 - beta), beta


def _mse_sum(w, X, y):
    X, y, w = _f(X), _f(y), _f(w)
    return 2 * X.T @ (X @ w - y)


def _mse_no_2(w, X, y):
    X, y, w = _f(X), _f(y), _f(w)
    return X.T @ (X @ w - y) / X.shape[0]


def _mse_sign(w, X, y):
    X, y, w = _f(X), _f(y), _f(w)
    return 2 / X.shape[0] * X.T @ (y - X @ w)


def _mse_by_d(w, X, y):
    X, y, w = _f(X), _f(y), _f(w)
    return 2 / X.shape[1] * X.T @ (X @ w - y)


def _sgd(X, y, w0, lr, batch_size, n_epochs, seed, variant):
    X, y = _f(X), _f(y)
    w = _f(w0).copy()
    n = X.shape[0]
    rng = np.random.default_rng(seed)
    losses = [] if variant == "no_initial" else [np.mean((X @ w - y) ** 2)]
    perm = rng.permutation(n)
    stop = n - batch_size + 1 if variant == "drop_last" else n
    for epoch in range(n_epochs):
        if variant == "data_order":
            perm = np.arange(n)
        elif variant != "one_perm" or epoch == 0:
            perm = perm if epoch == 0 else rng.permutation(n)
        for i in range(0, stop, batch_size):
            b = perm[i:i + batch_size]
            r = X[b] @ w - y[b]
            if variant == "div_batch_size":
                g = 2.0 / batch_size * X[b].T @ r
            elif variant == "sum":
                g = 2.0 * X[b].T @ r
            elif variant == "no_2":
                g = 1.0 / len(b) * X[b].T @ r
            else:
                g = 2.0 / len(b) * X[b].T @ r
            w = w - lr * g
            if variant == "per_batch":
                losses.append(np.mean((X @ w - y) ** 2))
        if variant != "per_batch":
            losses.append(np.mean((X @ w - y) ** 2))
    return w, np.array(losses)


def _sgd_variant(variant):
    def wrong(X, y, w0, lr, batch_size, n_epochs, seed):
        return _sgd(X, y, w0, lr, batch_size, n_epochs, seed, variant)

    return wrong


MISTAKES = {
    "momentum_step": [
        ("EMA vs heavy ball mixed up (used v = beta*v + grad: missing (1 - beta) on the gradient)", _mom_heavy),
        ("beta and 1 - beta swapped (v = (1 - beta)*v + beta*grad)", _mom_swapped_weights),
        ("theta updated with the old velocity (use v_new in theta - lr * v_new)", _mom_old_v),
        ("sign flipped (theta + lr * v_new climbs the loss)", _mom_sign),
        ("beta and alpha swapped (lr used as beta and beta as lr)", _mom_lr_beta_swapped),
        ("returned (v_new, theta_new) instead of (theta_new, v_new)", _mom_order_swapped),
        (_LIST_LABEL, _fails_on_lists(_ref.momentum_step, (0, 1, 2))),
        (_INT_LABEL, _step_in_input_dtypes(heavy=False)),
    ],
    "heavy_ball_step": [
        ("EMA vs heavy ball mixed up (used v = beta*v + (1 - beta)*grad in the heavy ball)", _hb_ema),
        ("theta updated with the old velocity (use v_new in theta - lr * v_new)", _hb_old_v),
        ("sign flipped (theta + lr * v_new climbs the loss)", _hb_sign),
        ("beta and alpha swapped (lr used as beta and beta as lr)", _hb_lr_beta_swapped),
        ("lr applied twice (v = beta*v + lr*grad and theta - lr*v)", _hb_lr_in_v),
        (_LIST_LABEL, _fails_on_lists(_ref.heavy_ball_step, (0, 1, 2))),
        (_INT_LABEL, _step_in_input_dtypes(heavy=True)),
    ],
    "run_momentum": [
        ("theta0 left out of the returned iterates (the first row must be theta0)", _run_variant("no_theta0")),
        ("one step too many (n_steps + 1 updates)", _run_variant("extra")),
        ("EMA vs heavy ball mixed up (used v = beta*v + grad)", _run_variant("heavy")),
        ("grad evaluated at the wrong point (look-ahead theta - lr*beta*v: that is Nesterov)",
         _run_variant("nesterov")),
        ("grad evaluated at the wrong point (computed once at theta0 and reused)", _run_variant("frozen")),
        ("velocity reset every step (no memory: plain GD with lr * (1 - beta))", _run_variant("reset")),
        ("theta updated with the old velocity (use v_new in theta - lr * v_new)", _run_variant("old_v")),
        (_LIST_LABEL, _fails_on_lists(_ref.run_momentum, (1,))),
        (_INT_LABEL, _cast_like(_ref.run_momentum, (1,))),
    ],
    "optimal_gd_lr": [
        ("lam_min = 0 (convex, not strongly convex) answered with 1 / lam_max: the formula still holds, "
         "2 / (0 + lam_max)", _gd_lr_convex_one_over_l),
        ("fails for lam_min = 0 (divides by lam_min, e.g. through kappa = lam_max / lam_min, or rejects it): "
         "2 / (lam_min + lam_max) is defined there", _gd_lr_needs_strong_convexity),
        ("missing factor 2 (1 / (lam_min + lam_max))", _gd_lr_no_2),
        ("the stability limit 2 / lam_max instead of the optimal 2 / (lam_min + lam_max)", _gd_lr_critical),
        ("1 / lam_max instead of 2 / (lam_min + lam_max)", _gd_lr_one_over_max),
    ],
    "optimal_momentum": [
        ("beta and alpha swapped (return (alpha, beta))", _opt_mom_swapped),
        ("alpha not squared ((2 / (sqrt(lam_min) + sqrt(lam_max)))**2)", _opt_mom_alpha_unsquared),
        ("beta not squared (((sqrt(lam_max) - sqrt(lam_min)) / (...))**2)", _opt_mom_beta_unsquared),
        ("square roots missing (used lam_min, lam_max instead of their square roots)", _opt_mom_no_sqrt),
        ("returned momentum_step's lr alpha / (1 - beta) instead of the heavy-ball alpha", _opt_mom_ema_lr),
    ],
    "mse_grad": [
        ("mean missing (sum instead of mean: no 1/n)", _mse_sum),
        ("missing factor 2 (the derivative of r**2 is 2*r)", _mse_no_2),
        ("sign flipped (X.T @ (y - X @ w) is minus the gradient)", _mse_sign),
        ("divided by the number of features d instead of the number of samples n", _mse_by_d),
        (_LIST_LABEL, _fails_on_lists(_ref.mse_grad, (0, 1, 2))),
        (_INT_LABEL, _cast_like(_ref.mse_grad, (0,))),
    ],
    "minibatch_sgd": [
        ("last mini-batch dropped (when batch_size does not divide n the rest is a smaller batch)",
         _sgd_variant("drop_last")),
        ("no reshuffle each epoch (one permutation for all epochs, or a new default_rng(seed) each epoch)",
         _sgd_variant("one_perm")),
        ("no shuffling (batches taken in data order)", _sgd_variant("data_order")),
        ("losses recorded after each batch instead of after each epoch", _sgd_variant("per_batch")),
        ("missing the initial loss (losses must start with the loss before training)",
         _sgd_variant("no_initial")),
        ("last mini-batch's gradient divided by batch_size instead of its own size len(b)",
         _sgd_variant("div_batch_size")),
        ("mean missing in the batch gradient (sum instead of mean: no 1/len(b))", _sgd_variant("sum")),
        ("missing factor 2 in the batch gradient", _sgd_variant("no_2")),
        (_LIST_LABEL, _fails_on_lists(_ref.minibatch_sgd, (0, 1, 2))),
        ("in-place update w -= ... on an integer w0 fails: start from np.array(w0, dtype=float)",
         _inplace_on_int(_ref.minibatch_sgd, 2)),
    ],
}
