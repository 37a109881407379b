"""Topic 3: momentum (the rolling ball), the heavy-ball method, and batch / mini-batch / SGD."""

from __future__ import annotations

import math

import numpy as np

from ._validation import as_float_array, check_int, check_real, scalar_or_array

__all__ = [
    "heavy_ball_step",
    "minibatch_sgd",
    "momentum_step",
    "mse_grad",
    "optimal_gd_lr",
    "optimal_momentum",
    "run_momentum",
]


def _check_state(theta, v, grad):
    theta = as_float_array(theta, "theta")
    v = as_float_array(v, "v")
    grad = as_float_array(grad, "grad")
    for name, arr in (("v", v), ("grad", grad)):
        if arr.shape != theta.shape and arr.ndim != 0:
            raise ValueError(f"{name} has shape {arr.shape} but theta has shape {theta.shape}")
    return theta, v, grad


def _check_lr_beta(lr, beta):
    lr = check_real(lr, "lr", positive=True)
    beta = check_real(beta, "beta", nonnegative=True)
    if beta >= 1:
        raise ValueError(f"beta must be < 1, got {beta}")
    return lr, beta


def momentum_step(theta, v, grad, lr, beta):
    """One step of momentum in its averaging (EMA) form.

    ``v_new = beta * v + (1 - beta) * grad`` and ``theta_new = theta - lr * v_new``.

    Parameters
    ----------
    theta, v, grad : float or array_like
        Parameters, velocity and gradient (same shape).
    lr : float
        Learning rate, > 0.
    beta : float
        Momentum coefficient in [0, 1).

    Returns
    -------
    tuple
        ``(theta_new, v_new)``.

    Examples
    --------
    >>> momentum_step(1.0, 0.0, 2.0, 0.1, 0.9)
    (np.float64(0.98), np.float64(0.2))
    """
    theta, v, grad = _check_state(theta, v, grad)
    lr, beta = _check_lr_beta(lr, beta)
    with np.errstate(over="ignore", invalid="ignore"):
        v_new = beta * v + (1.0 - beta) * grad
        return scalar_or_array(theta - lr * v_new), scalar_or_array(v_new)


def heavy_ball_step(theta, v, grad, lr, beta):
    """One step of Polyak's heavy ball: ``v_new = beta * v + grad``, ``theta_new = theta - lr * v_new``.

    Examples
    --------
    >>> heavy_ball_step(1.0, 0.5, 2.0, 0.1, 0.9)
    (np.float64(0.755), np.float64(2.45))
    """
    theta, v, grad = _check_state(theta, v, grad)
    lr, beta = _check_lr_beta(lr, beta)
    with np.errstate(over="ignore", invalid="ignore"):
        v_new = beta * v + grad
        return scalar_or_array(theta - lr * v_new), scalar_or_array(v_new)


def run_momentum(grad_fn, theta0, lr, beta, n_steps):
    """Iterate :func:`momentum_step` from ``v = 0`` with ``grad = grad_fn(theta)``.

    Returns
    -------
    numpy.ndarray
        Shape ``(n_steps + 1,) + shape(theta0)``: ``theta0`` and every iterate.

    Examples
    --------
    >>> run_momentum(lambda w: 2 * w, 1.0, 0.5, 0.5, 2)
    array([1. , 0.5, 0. ])
    """
    if not callable(grad_fn):
        raise TypeError("grad_fn must be callable")
    theta = as_float_array(theta0, "theta0")
    lr, beta = _check_lr_beta(lr, beta)
    n_steps = check_int(n_steps, "n_steps")
    v = np.zeros_like(theta)
    path = np.empty((n_steps + 1,) + theta.shape)
    path[0] = theta
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(n_steps):
            v = beta * v + (1.0 - beta) * np.asarray(grad_fn(theta), dtype=np.float64)
            theta = theta - lr * v
            path[t + 1] = theta
    return path


def _check_spectrum(lam_min, lam_max, *, allow_zero=False):
    lam_min = check_real(lam_min, "lam_min", positive=not allow_zero, nonnegative=allow_zero)
    lam_max = check_real(lam_max, "lam_max", positive=True)
    if lam_min > lam_max:
        raise ValueError(f"lam_min ({lam_min}) must not exceed lam_max ({lam_max})")
    return lam_min, lam_max


def optimal_gd_lr(lam_min, lam_max):
    """The learning rate ``2 / (lam_min + lam_max)`` that minimises GD's worst contraction.

    ``lam_min = 0`` (a convex quadratic that is flat in some direction) is allowed and
    gives ``2 / lam_max``, as the formula says.

    Examples
    --------
    >>> optimal_gd_lr(1.0, 3.0)
    0.5
    >>> optimal_gd_lr(0, 4)
    0.5
    """
    lam_min, lam_max = _check_spectrum(lam_min, lam_max, allow_zero=True)
    return 2.0 / (lam_min + lam_max)


def optimal_momentum(lam_min, lam_max):
    """Polyak's optimal ``(alpha, beta)`` for :func:`heavy_ball_step` on a quadratic.

    Examples
    --------
    >>> optimal_momentum(1.0, 9.0)
    (0.25, 0.25)
    """
    lam_min, lam_max = _check_spectrum(lam_min, lam_max)
    s_min, s_max = math.sqrt(lam_min), math.sqrt(lam_max)
    alpha = (2.0 / (s_min + s_max)) ** 2
    beta = ((s_max - s_min) / (s_max + s_min)) ** 2
    return alpha, beta


def _check_regression(w, X, y):
    X = as_float_array(X, "X")
    y = as_float_array(y, "y")
    w = as_float_array(w, "w")
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D (n_samples, n_features), got shape {X.shape}")
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must have shape ({X.shape[0]},) to match X, got {y.shape}")
    if w.shape != (X.shape[1],):
        raise ValueError(f"w must have shape ({X.shape[1]},) to match X, got {w.shape}")
    if X.shape[0] == 0:
        raise ValueError("X must have at least one sample")
    return w, X, y


def mse_grad(w, X, y):
    """Gradient of ``mean((X @ w - y)**2)``: ``2 / n * X.T @ (X @ w - y)``.

    Examples
    --------
    >>> mse_grad([0.0], [[1.0], [2.0]], [1.0, 2.0])
    array([-5.])
    """
    w, X, y = _check_regression(w, X, y)
    with np.errstate(over="ignore", invalid="ignore"):
        return 2.0 / X.shape[0] * X.T @ (X @ w - y)


def minibatch_sgd(X, y, w0, lr, batch_size, n_epochs, seed):
    """Mini-batch SGD on the mean squared error (batch_size = n is batch GD, 1 is SGD).

    Each epoch draws ``perm = rng.permutation(n)`` from ``np.random.default_rng(seed)``
    and takes one step per batch ``perm[i:i + batch_size]``; the last batch may be
    smaller.

    Returns
    -------
    w : numpy.ndarray
        Final weights.
    losses : numpy.ndarray
        Full-data MSE before training and after each epoch, length ``n_epochs + 1``.

    Examples
    --------
    >>> w, losses = minibatch_sgd([[1.0], [1.0]], [2.0, 2.0], [0.0], 0.25, 2, 1, seed=0)
    >>> w, losses
    (array([1.]), array([4., 1.]))
    """
    w, X, y = _check_regression(w0, X, y)
    lr = check_real(lr, "lr", positive=True)
    n = X.shape[0]
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    n_epochs = check_int(n_epochs, "n_epochs")
    rng = np.random.default_rng(seed)
    losses = np.empty(n_epochs + 1)
    with np.errstate(over="ignore", invalid="ignore"):
        losses[0] = np.mean((X @ w - y) ** 2)
        for epoch in range(n_epochs):
            perm = rng.permutation(n)
            for i in range(0, n, batch_size):
                b = perm[i:i + batch_size]
                w = w - lr * (2.0 / b.size * X[b].T @ (X[b] @ w - y[b]))
            losses[epoch + 1] = np.mean((X @ w - y) ** 2)
    return w, losses
