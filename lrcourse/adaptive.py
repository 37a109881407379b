"""Topic 5: per-coordinate (adaptive) learning rates, AdaGrad, RMSprop and Adam, and warmup.

Everything is elementwise: ``theta``, the optimiser state (``G``, ``s``, ``m``, ``v``) and
``grad`` are numbers, lists or arrays of one shape, and each step returns new values
without touching its inputs. ``eps`` is added outside the square root, as PyTorch does.
``t`` is the step index: the first update uses t = 0, so Adam's bias correction at step t
divides by ``1 - beta**(t + 1)`` (PyTorch's step count is t + 1).
"""

from __future__ import annotations

import numbers

import numpy as np

from ._validation import as_float_array, check_int, check_real, check_steps, scalar_or_array
from .schedules import _check_range, _cosine

__all__ = [
    "adagrad_step",
    "adam_step",
    "rmsprop_step",
    "run_adam",
    "warmup_cosine",
]


def _check_state(theta, state, grad):
    """``theta``, the optimiser state and ``grad`` as float copies; each of theta's shape (or 0-d)."""
    theta = as_float_array(theta, "theta")
    named = [(name, as_float_array(value, name)) for name, value in state]
    named.append(("grad", as_float_array(grad, "grad")))
    for name, arr in named:
        if arr.shape != theta.shape and arr.ndim != 0:
            raise ValueError(f"{name} has shape {arr.shape} but theta has shape {theta.shape}")
    return theta, [arr for _, arr in named[:-1]], named[-1][1]


def _check_beta(beta, name):
    beta = check_real(beta, name, nonnegative=True)
    if beta >= 1:
        raise ValueError(f"{name} must be < 1, got {beta}")
    return beta


def _check_lr_eps(lr, eps):
    return check_real(lr, "lr", positive=True), check_real(eps, "eps", nonnegative=True)


def _check_t(t):
    """The step index of one Adam update as an int: ``ValueError`` if negative or not whole."""
    if isinstance(t, bool) or isinstance(t, (str, bytes)) or t is None:
        raise TypeError(f"t must be an integer step index, got {t!r}")
    if isinstance(t, np.ndarray):
        if t.ndim != 0:
            raise TypeError(f"t must be a single step index, got an array of shape {t.shape}")
        t = t.item()
    if not isinstance(t, numbers.Real):
        raise TypeError(f"t must be an integer step index, got {type(t).__name__}")
    if not (np.isfinite(float(t)) and float(t).is_integer()):
        raise ValueError(f"t must be a whole step number (the first update uses t = 0), got {t!r}")
    if t < 0:
        raise ValueError(f"t must be >= 0 (the first update uses t = 0), got {t!r}")
    return int(t)


def adagrad_step(theta, G, grad, lr, eps=1e-8):
    """One AdaGrad step: every coordinate divides its step by the root of its summed squared gradients.

    ``G_new = G + grad**2`` and ``theta_new = theta - lr * grad / (sqrt(G_new) + eps)``.

    Parameters
    ----------
    theta, G, grad : float or array_like
        Parameters, sum of squared past gradients (>= 0) and gradient, all of one shape.
    lr : float
        Learning rate, > 0.
    eps : float, default 1e-8
        Added to the square root (outside it), >= 0.

    Returns
    -------
    tuple
        ``(theta_new, G_new)``.

    Examples
    --------
    After k equal gradients G = k * g**2, so the k-th step is lr / sqrt(k) long:

    >>> theta, G = adagrad_step(1.0, 3.0, 1.0, 0.5)
    >>> float(G), round(float(1.0 - theta), 6)
    (4.0, 0.25)
    """
    theta, (G,), grad = _check_state(theta, [("G", G)], grad)
    lr, eps = _check_lr_eps(lr, eps)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        G_new = G + grad**2
        theta_new = theta - lr * grad / (np.sqrt(G_new) + eps)
    return scalar_or_array(theta_new), scalar_or_array(G_new)


def rmsprop_step(theta, s, grad, lr, beta=0.9, eps=1e-8):
    """One RMSprop step: AdaGrad with a moving average of squared gradients instead of their sum.

    ``s_new = beta * s + (1 - beta) * grad**2`` and
    ``theta_new = theta - lr * grad / (sqrt(s_new) + eps)``.

    Parameters
    ----------
    theta, s, grad : float or array_like
        Parameters, running mean of squared gradients (>= 0) and gradient, all of one shape.
    lr : float
        Learning rate, > 0.
    beta : float, default 0.9
        Decay of the moving average, in [0, 1) (PyTorch calls it ``alpha``).
    eps : float, default 1e-8
        Added to the square root (outside it), >= 0.

    Returns
    -------
    tuple
        ``(theta_new, s_new)``.

    Examples
    --------
    >>> theta, s = rmsprop_step(1.0, 0.0, 2.0, 0.1)
    >>> round(float(s), 12), round(float(theta), 6)
    (0.4, 0.683772)
    """
    theta, (s,), grad = _check_state(theta, [("s", s)], grad)
    lr, eps = _check_lr_eps(lr, eps)
    beta = _check_beta(beta, "beta")
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        s_new = beta * s + (1.0 - beta) * grad**2
        theta_new = theta - lr * grad / (np.sqrt(s_new) + eps)
    return scalar_or_array(theta_new), scalar_or_array(s_new)


def _adam_update(theta, m, v, grad, t, lr, beta1, beta2, eps):
    m_new = beta1 * m + (1.0 - beta1) * grad
    v_new = beta2 * v + (1.0 - beta2) * grad**2
    m_hat = m_new / (1.0 - beta1 ** (t + 1))
    v_hat = v_new / (1.0 - beta2 ** (t + 1))
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m_new, v_new


def adam_step(theta, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    """One Adam step (Kingma and Ba, 2015, with eps outside the square root as in PyTorch).

    ``m_new = beta1 * m + (1 - beta1) * grad``, ``v_new = beta2 * v + (1 - beta2) * grad**2``,
    ``m_hat = m_new / (1 - beta1**(t + 1))``, ``v_hat = v_new / (1 - beta2**(t + 1))`` and
    ``theta_new = theta - lr * m_hat / (sqrt(v_hat) + eps)``.

    Parameters
    ----------
    theta, m, v, grad : float or array_like
        Parameters, first and second moment estimates and gradient, all of one shape.
    t : int
        Step index, >= 0: the first update uses t = 0 (``ValueError`` if negative or not whole).
    lr : float, default 0.001
        Learning rate, > 0: about the length of a step in each coordinate.
    beta1, beta2 : float, default 0.9 and 0.999
        Decays of the two moving averages, in [0, 1).
    eps : float, default 1e-8
        Added to ``sqrt(v_hat)``, >= 0.

    Returns
    -------
    tuple
        ``(theta_new, m_new, v_new)``: the moments returned are the raw averages, not the
        bias-corrected ones.

    Examples
    --------
    The first step moves every coordinate by lr, whatever the size of its gradient:

    >>> theta, m, v = adam_step([0.0, 0.0], 0.0, 0.0, [1e-3, -50.0], 0, lr=0.1)
    >>> theta.round(4), m, v
    (array([-0.1,  0.1]), array([ 1.e-04, -5.e+00]), array([1.0e-09, 2.5e+00]))
    """
    theta, (m, v), grad = _check_state(theta, [("m", m), ("v", v)], grad)
    t = _check_t(t)
    lr, eps = _check_lr_eps(lr, eps)
    beta1, beta2 = _check_beta(beta1, "beta1"), _check_beta(beta2, "beta2")
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        theta_new, m_new, v_new = _adam_update(theta, m, v, grad, t, lr, beta1, beta2, eps)
    return scalar_or_array(theta_new), scalar_or_array(m_new), scalar_or_array(v_new)


def run_adam(grad_fn, theta0, lr, n_steps, beta1=0.9, beta2=0.999, eps=1e-8):
    """Iterate :func:`adam_step` from ``m = v = 0`` with t = 0, 1, ... and ``grad = grad_fn(theta)``.

    Parameters
    ----------
    grad_fn : callable
        Gradient of the loss, called at the current ``theta``.
    theta0 : float or array_like
        Starting point.
    lr : float
        Learning rate, > 0.
    n_steps : int
        Number of updates, >= 0.
    beta1, beta2, eps : float
        As in :func:`adam_step`.

    Returns
    -------
    numpy.ndarray
        Shape ``(n_steps + 1,) + shape(theta0)``: ``theta0`` and every iterate (values that
        overflow become inf/nan and the run keeps going).

    Examples
    --------
    On L(w) = w**2 from 1 every early step is about lr long:

    >>> run_adam(lambda w: 2 * w, 1.0, 0.25, 2).round(4)
    array([1.    , 0.75  , 0.5044])
    """
    if not callable(grad_fn):
        raise TypeError("grad_fn must be callable")
    theta = as_float_array(theta0, "theta0")
    lr, eps = _check_lr_eps(lr, eps)
    beta1, beta2 = _check_beta(beta1, "beta1"), _check_beta(beta2, "beta2")
    n_steps = check_int(n_steps, "n_steps")
    m = np.zeros_like(theta)
    v = np.zeros_like(theta)
    path = np.empty((n_steps + 1,) + theta.shape)
    path[0] = theta
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for t in range(n_steps):
            grad = np.asarray(grad_fn(theta), dtype=np.float64)
            theta, m, v = _adam_update(theta, m, v, grad, t, lr, beta1, beta2, eps)
            path[t + 1] = theta
    return path


def warmup_cosine(t, lr_max, lr_min, T_warmup, T):
    """Linear warmup to ``lr_max``, then cosine annealing down to ``lr_min`` at t = T, held after.

    For ``t < T_warmup``: ``lr_max * (t + 1) / T_warmup`` (lr_max is reached at
    t = T_warmup - 1). For ``t >= T_warmup``:
    ``lr_min + (lr_max - lr_min) * (1 + cos(pi * min(t - T_warmup, T - T_warmup) / (T - T_warmup))) / 2``.
    ``T_warmup = 0`` is plain cosine annealing.

    Parameters
    ----------
    t : int or array_like of int
        Step index (>= 0); vectorised.
    lr_max, lr_min : float
        Peak and final learning rate, ``0 <= lr_min <= lr_max``, ``lr_max > 0``.
    T_warmup : int
        Length of the warmup, ``0 <= T_warmup < T``.
    T : int
        Step at which the cosine reaches ``lr_min``.

    Returns
    -------
    float or numpy.ndarray

    Examples
    --------
    >>> warmup_cosine([0, 1, 2, 3, 4, 6, 9], 1.0, 0.0, 3, 6)
    array([0.33333333, 0.66666667, 1.        , 1.        , 0.75      ,
           0.        , 0.        ])
    """
    t = check_steps(t)
    lr_max, lr_min = _check_range(lr_max, lr_min)
    T = check_int(T, "T", minimum=1)
    T_warmup = check_int(T_warmup, "T_warmup", minimum=0)
    if T_warmup >= T:
        raise ValueError(f"T_warmup ({T_warmup}) must be smaller than T ({T})")
    decay = T - T_warmup
    cosine = _cosine(np.clip(t - T_warmup, 0, decay), decay, lr_max, lr_min)
    warm = lr_max * (t + 1) / max(T_warmup, 1)
    return scalar_or_array(np.where(t < T_warmup, warm, cosine))
