"""Hidden test cases and known mistakes for ps3_momentum (see :mod:`lrcourse.cases`)."""

import numpy as np

from ..landscapes import Quadratic1D, QuadraticND, ill_conditioned_2d, make_regression, w_squared
from .base import Case

_rng = np.random.default_rng(20261203)

_valley = ill_conditioned_2d(25.0)
_round_bowl = QuadraticND([2.0, 2.0], name="round bowl L = w1**2 + w2**2")
_shifted = Quadratic1D(1.5, -3.0, 0.0, name="L(theta) = 1.5 * theta**2 - 3 * theta")


def _data(n, d, seed, noise=0.3):
    data = make_regression(n, d, noise=noise, seed=seed)
    return data.X, data.y


_X5, _y5 = _data(5, 2, 11)
_X20, _y20 = _data(20, 3, 12)
_X7, _y7 = _data(7, 1, 13)
_X8, _y8 = _data(8, 2, 21)
_X12, _y12 = _data(12, 3, 22)
_X6, _y6 = _data(6, 1, 23)
_X10, _y10 = _data(10, 2, 31)
_X10b, _y10b = _data(10, 3, 32)
_X7b, _y7b = _data(7, 2, 33)

CASES = {
    ("momentum_step", "basic"): [
        Case((1.0, 0.0, 2.0, 0.1, 0.9)),
        Case((1.0, 0.5, 2.0, 0.1, 0.9)),
        Case((-2.0, 1.5, -4.0, 0.05, 0.5)),
        Case((3.0, -0.7, 1.2, 0.2, 0.0)),
        Case((np.array([1.0, -2.0]), np.array([0.3, -0.1]), np.array([0.5, 4.0]), 0.3, 0.8)),
    ],
    ("momentum_step", "arrays"): [
        Case((_rng.normal(size=(3, 4)), _rng.normal(size=(3, 4)), _rng.normal(size=(3, 4)), 0.07, 0.95)),
        Case((np.array([1.0, 2.0, 3.0]), np.array([0.5, 0.0, -0.5]), np.array([1.0, 1.0, 1.0]), 0.5, 0.6)),
        Case((np.array(2.0), np.array(-1.0), np.array(0.25), 0.4, 0.3)),
        Case((_rng.normal(size=6), _rng.normal(size=6), _rng.normal(size=6), 1.3, 0.0)),
    ],
    ("heavy_ball_step", "basic"): [
        Case((1.0, 0.5, 2.0, 0.1, 0.9)),
        Case((1.0, 0.0, 2.0, 0.1, 0.9)),
        Case((-2.0, 1.5, -4.0, 0.05, 0.5)),
        Case((3.0, -0.7, 1.2, 0.2, 0.0)),
        Case((np.array([1.0, -2.0]), np.array([0.3, -0.1]), np.array([0.5, 4.0]), 0.3, 0.8)),
    ],
    ("heavy_ball_step", "arrays"): [
        Case((_rng.normal(size=(2, 3)), _rng.normal(size=(2, 3)), _rng.normal(size=(2, 3)), 0.02, 0.7)),
        Case((np.array([1.0, 2.0, 3.0]), np.array([0.5, 0.0, -0.5]), np.array([1.0, 1.0, 1.0]), 0.5, 0.6)),
        Case((np.array(2.0), np.array(-1.0), np.array(0.25), 0.4, 0.3)),
    ],
    ("run_momentum", "basic"): [
        Case((w_squared.grad, 1.0, 0.5, 0.5, 2)),
        Case((w_squared.grad, 5.0, 0.1, 0.9, 30)),
        Case((_shifted.grad, -1.0, 0.2, 0.6, 25)),
        Case((w_squared.grad, 5.0, 0.3, 0.0, 10)),
        Case((_valley.grad, np.array([2.0, 1.0]), 0.2, 4.0 / 9.0, 40)),
    ],
    ("run_momentum", "edges"): [
        Case((w_squared.grad, 5.0, 0.1, 0.9, 0)),
        Case((_valley.grad, np.array([-1.5, 2.0]), 0.2, 4.0 / 9.0, 0)),
        Case((_valley.grad, [1.0, -1.0], 0.2, 0.9, 60)),
        Case((_round_bowl.grad, np.array([1.0, 2.0]), 0.3, 0.5, 12)),
        Case((w_squared.grad, 2.0, 5.0, 0.5, 300)),
    ],
    ("optimal_gd_lr", "basic"): [
        Case((1.0, 3.0)),
        Case((1.0, 25.0)),
        Case((0.5, 0.5)),
        Case((2.0, 100.0)),
        Case((1e-3, 10.0)),
    ],
    ("optimal_momentum", "basic"): [
        Case((1.0, 9.0)),
        Case((1.0, 25.0)),
        Case((1.0, 100.0)),
        Case((0.5, 2.0)),
        Case((2.0, 50.0)),
    ],
    ("optimal_momentum", "edges"): [
        Case((4.0, 4.0)),
        Case((1e-4, 1.0)),
        Case((10.0, 1000.0)),
        Case((3.0, 5.0)),
    ],
    ("mse_grad", "basic"): [
        Case((np.array([0.5, -1.0]), _X5, _y5)),
        Case((np.zeros(3), _X20, _y20)),
        Case((np.array([1.0, 0.0, -2.0]), _X20, _y20)),
        Case((np.array([0.3]), _X7, _y7)),
    ],
    ("mse_grad", "shapes"): [
        Case((np.array([0.0]), np.array([[1.0], [2.0], [4.0]]), np.array([1.0, 2.0, 3.0]))),
        Case((np.array([1.0, 2.0]), np.array([[3.0, -1.0]]), np.array([2.0]))),
        Case((np.array([0.2, 0.4, -0.1, 1.0]), _rng.normal(size=(9, 4)), _rng.normal(size=9))),
    ],
    ("minibatch_sgd", "basic"): [
        Case((_X8, _y8, np.zeros(2), 0.05, 4, 3, 0)),
        Case((_X12, _y12, np.array([0.5, -0.5, 0.0]), 0.03, 3, 2, 1)),
        Case((_X6, _y6, np.array([2.0]), 0.05, 2, 4, 7)),
        Case((_X8, _y8, np.zeros(2), 0.05, 2, 3, 42)),
    ],
    ("minibatch_sgd", "partial"): [
        Case((_X10, _y10, np.zeros(2), 0.05, 3, 3, 0)),
        Case((_X10b, _y10b, np.zeros(3), 0.05, 4, 2, 5)),
        Case((_X10, _y10, np.array([1.0, -1.0]), 0.1, 10, 5, 3)),
        Case((_X10, _y10, np.zeros(2), 0.02, 1, 2, 9)),
        Case((_X7b, _y7b, np.zeros(2), 0.05, 5, 3, 4)),
    ],
}


# --------------------------------------------------------------------------- wrong versions

def _f(x):
    return np.asarray(x, dtype=float)


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
    ],
    "heavy_ball_step": [
        ("EMA vs heavy ball mixed up (used v = beta*v + (1 - beta)*grad in the heavy ball)", _hb_ema),
        ("theta updated with the old velocity (use v_new in theta - lr * v_new)", _hb_old_v),
        ("sign flipped (theta + lr * v_new climbs the loss)", _hb_sign),
        ("beta and alpha swapped (lr used as beta and beta as lr)", _hb_lr_beta_swapped),
        ("lr applied twice (v = beta*v + lr*grad and theta - lr*v)", _hb_lr_in_v),
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
    ],
    "optimal_gd_lr": [
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
    ],
}
