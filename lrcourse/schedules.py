"""Topic 2: learning-rate schedules. ``t`` is the step index; the first update uses t = 0."""

from __future__ import annotations

import numpy as np

from ._validation import as_float_array, check_int, check_real, check_steps, scalar_or_array

__all__ = [
    "cosine_annealing",
    "cosine_warm_restarts",
    "exponential_decay",
    "gd_with_schedule",
    "inverse_time_decay",
    "step_decay",
]


def step_decay(t, lr0, gamma, step_size):
    """Step decay ``lr0 * gamma ** floor(t / step_size)``.

    Parameters
    ----------
    t : int or array_like of int
        Step index (>= 0); vectorised.
    lr0 : float
        Initial learning rate, > 0.
    gamma : float
        Factor applied every ``step_size`` steps, > 0.
    step_size : int
        Steps between drops, >= 1.

    Returns
    -------
    float or numpy.ndarray
        The learning rate at each ``t``.

    Examples
    --------
    >>> step_decay([0, 9, 10, 25], 0.1, 0.5, 10)
    array([0.1  , 0.1  , 0.05 , 0.025])
    """
    t = check_steps(t)
    lr0 = check_real(lr0, "lr0", positive=True)
    gamma = check_real(gamma, "gamma", positive=True)
    step_size = check_int(step_size, "step_size", minimum=1)
    return scalar_or_array(lr0 * gamma ** (t // step_size))


def exponential_decay(t, lr0, k):
    """Exponential decay ``lr0 * exp(-k * t)``.

    Examples
    --------
    >>> exponential_decay([0, 1], 0.1, np.log(2))
    array([0.1 , 0.05])
    """
    t = check_steps(t)
    lr0 = check_real(lr0, "lr0", positive=True)
    k = check_real(k, "k", nonnegative=True)
    return scalar_or_array(lr0 * np.exp(-k * t))


def inverse_time_decay(t, lr0, k):
    """Inverse-time decay ``lr0 / (1 + k * t)``.

    Examples
    --------
    >>> inverse_time_decay([0, 1, 3], 0.1, 1.0)
    array([0.1  , 0.05 , 0.025])
    """
    t = check_steps(t)
    lr0 = check_real(lr0, "lr0", positive=True)
    k = check_real(k, "k", nonnegative=True)
    return scalar_or_array(lr0 / (1.0 + k * t))


def _cosine(t_cur, period, lr_max, lr_min):
    return lr_min + (lr_max - lr_min) * (1.0 + np.cos(np.pi * t_cur / period)) / 2.0


def _check_range(lr_max, lr_min):
    lr_max = check_real(lr_max, "lr_max", positive=True)
    lr_min = check_real(lr_min, "lr_min", nonnegative=True)
    if lr_min > lr_max:
        raise ValueError(f"lr_min ({lr_min}) must not exceed lr_max ({lr_max})")
    return lr_max, lr_min


def cosine_annealing(t, lr_max, lr_min, T):
    """Cosine annealing from ``lr_max`` at t = 0 to ``lr_min`` at t = T, held there after.

    Examples
    --------
    >>> cosine_annealing([0, 5, 10, 12], 1.0, 0.0, 10)
    array([1. , 0.5, 0. , 0. ])
    """
    t = check_steps(t)
    lr_max, lr_min = _check_range(lr_max, lr_min)
    T = check_int(T, "T", minimum=1)
    return scalar_or_array(_cosine(np.minimum(t, T), T, lr_max, lr_min))


def cosine_warm_restarts(t, lr_max, lr_min, T0, T_mult=1):
    """Cosine annealing with warm restarts (SGDR).

    Cycle ``i`` lasts ``T0 * T_mult**i`` steps; restarts happen at ``T0``,
    ``T0 + T0 * T_mult``, ... where the rate jumps back to ``lr_max``.

    Parameters
    ----------
    t : int or array_like of int
        Step index (>= 0); vectorised.
    lr_max, lr_min : float
        Highest and lowest learning rate.
    T0 : int
        Length of the first cycle, >= 1.
    T_mult : int, default 1
        Growth factor of the cycle length, >= 1.

    Returns
    -------
    float or numpy.ndarray

    Examples
    --------
    >>> cosine_warm_restarts([0, 1, 2, 4, 6], 1.0, 0.0, 2, T_mult=2)
    array([1. , 0.5, 1. , 0.5, 1. ])
    """
    t = check_steps(t)
    lr_max, lr_min = _check_range(lr_max, lr_min)
    T0 = check_int(T0, "T0", minimum=1)
    T_mult = check_int(T_mult, "T_mult", minimum=1)
    # Integer cycle starts 0, T0, T0 + T0*T_mult, ... up to the largest t asked for.
    starts, lengths = [0], [T0]
    t_last = int(t.max()) if t.size else 0
    while starts[-1] + lengths[-1] <= t_last:
        starts.append(starts[-1] + lengths[-1])
        lengths.append(lengths[-1] * T_mult)
    cycle = np.searchsorted(np.array(starts), t, side="right") - 1
    t_cur = t - np.array(starts)[cycle]
    period = np.array(lengths, dtype=np.float64)[cycle]
    return scalar_or_array(_cosine(t_cur, period, lr_max, lr_min))


def gd_with_schedule(grad_fn, w0, lrs):
    """Gradient descent where step ``t`` uses ``lrs[t]``.

    Returns
    -------
    numpy.ndarray
        Shape ``(len(lrs) + 1,) + shape(w0)``: ``w0`` and every iterate.

    Examples
    --------
    >>> gd_with_schedule(lambda w: 2 * w, 5.0, [0.1, 0.25])
    array([5., 4., 2.])
    """
    if not callable(grad_fn):
        raise TypeError("grad_fn must be callable")
    w = as_float_array(w0, "w0")
    lrs = as_float_array(lrs, "lrs")
    if lrs.ndim != 1:
        raise ValueError(f"lrs must be a 1-D sequence of learning rates, got shape {lrs.shape}")
    if not np.all(np.isfinite(lrs)) or np.any(lrs < 0):
        raise ValueError("lrs must be finite and >= 0")
    path = np.empty((lrs.size + 1,) + w.shape)
    path[0] = w
    with np.errstate(over="ignore", invalid="ignore"):
        for t, lr in enumerate(lrs):
            w = w - lr * np.asarray(grad_fn(w), dtype=np.float64)
            path[t + 1] = w
    return path
