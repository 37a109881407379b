"""Topic 4: reading loss histories, fixing the learning rate, and the lr range test."""

from __future__ import annotations

import numpy as np

from ._validation import as_float_array, check_int, check_real

__all__ = [
    "diagnose",
    "lr_range_test",
    "relative_improvements",
    "suggest_from_range_test",
    "suggest_lr",
]

DIAGNOSES = ("diverging", "oscillating", "too_slow", "healthy")


def _check_history(losses, *, finite):
    losses = as_float_array(losses, "losses")
    if losses.ndim != 1:
        raise ValueError(f"losses must be 1-D, got shape {losses.shape}")
    if losses.size < 2:
        raise ValueError(f"need at least 2 losses to judge a history, got {losses.size}")
    if finite and not np.all(np.isfinite(losses)):
        raise ValueError("losses must be finite here")
    return losses


def relative_improvements(losses):
    """Relative improvement of each step, ``(L[i] - L[i+1]) / L[i]``.

    Parameters
    ----------
    losses : array_like
        Positive, finite losses, at least 2.

    Returns
    -------
    numpy.ndarray
        Length ``len(losses) - 1``.

    Examples
    --------
    >>> relative_improvements([0.8, 0.5, 0.4, 0.38, 0.37]).round(4)
    array([0.375 , 0.2   , 0.05  , 0.0263])
    """
    losses = _check_history(losses, finite=True)
    if np.any(losses <= 0):
        raise ValueError("losses must be positive")
    return (losses[:-1] - losses[1:]) / losses[:-1]


def diagnose(losses):
    """Classify a loss history as diverging, oscillating, too slow or healthy.

    Checked in this order: ``"diverging"`` (a non-finite value, or the last loss above
    the first); ``"oscillating"`` (at least a third of the steps go up); ``"too_slow"``
    (less than a 10 % total decrease); otherwise ``"healthy"``.

    Examples
    --------
    >>> diagnose([0.8, 0.5, 0.4, 0.38, 0.37])
    'healthy'
    >>> diagnose([0.8, 1.5, 3.2, 8.7, float("nan")])
    'diverging'
    """
    losses = _check_history(losses, finite=False)
    if not np.all(np.isfinite(losses)) or losses[-1] > losses[0]:
        return "diverging"
    if np.sum(np.diff(losses) > 0) >= (losses.size - 1) / 3:
        return "oscillating"
    if losses[0] <= 0:
        raise ValueError("losses must be positive to measure a relative decrease")
    if (losses[0] - losses[-1]) / losses[0] < 0.1:
        return "too_slow"
    return "healthy"


def suggest_lr(lr, diagnosis):
    """The next learning rate to try after a diagnosis.

    Examples
    --------
    >>> suggest_lr(1.0, "diverging"), suggest_lr(0.1, "healthy")
    (0.1, 0.1)
    """
    lr = check_real(lr, "lr", positive=True)
    factors = {"diverging": 0.1, "oscillating": 0.5, "too_slow": 2.0, "healthy": 1.0}
    if not isinstance(diagnosis, str) or diagnosis not in factors:
        raise ValueError(f"unknown diagnosis {diagnosis!r}; expected one of {DIAGNOSES}")
    if diagnosis == "diverging":
        return lr / 10
    if diagnosis == "oscillating":
        return lr / 2
    return lr * factors[diagnosis]


def lr_range_test(loss_fn, grad_fn, w0, lr_min, lr_max, n_steps):
    """The learning-rate range test: one GD step per learning rate on a geometric grid.

    Stops right after recording a loss that is non-finite or above 4x the smallest loss
    recorded before it.

    Returns
    -------
    lrs, losses : numpy.ndarray
        The learning rates used and the loss after each step (equal lengths).

    Examples
    --------
    >>> lrs, losses = lr_range_test(lambda w: w**2, lambda w: 2 * w, 1.0, 0.5, 2.0, 3)
    >>> lrs, losses
    (array([0.5, 1. , 2. ]), array([0., 0., 0.]))
    """
    if not (callable(loss_fn) and callable(grad_fn)):
        raise TypeError("loss_fn and grad_fn must be callable")
    w = as_float_array(w0, "w0")
    lr_min = check_real(lr_min, "lr_min", positive=True)
    lr_max = check_real(lr_max, "lr_max", positive=True)
    n_steps = check_int(n_steps, "n_steps", minimum=1)
    used, losses = [], []
    best = np.inf
    with np.errstate(over="ignore", invalid="ignore"):
        for lr in np.geomspace(lr_min, lr_max, n_steps):
            w = w - lr * np.asarray(grad_fn(w), dtype=np.float64)
            loss = float(loss_fn(w))
            used.append(lr)
            losses.append(loss)
            if not np.isfinite(loss) or loss > 4 * best:
                break
            best = min(best, loss)
    return np.array(used), np.array(losses)


def suggest_from_range_test(lrs, losses):
    """The learning rate where the range-test loss falls fastest against log(lr).

    Examples
    --------
    >>> suggest_from_range_test([0.001, 0.01, 0.1, 1.0], [1.0, 0.5, 0.45, float("inf")])
    np.float64(0.001)
    """
    lrs = as_float_array(lrs, "lrs")
    losses = as_float_array(losses, "losses")
    if lrs.ndim != 1 or lrs.shape != losses.shape:
        raise ValueError(f"lrs and losses must be 1-D of equal length, got {lrs.shape} and {losses.shape}")
    keep = np.isfinite(losses)
    if np.sum(keep) < 2:
        raise ValueError("need at least 2 finite losses to estimate a slope")
    kept_lrs, kept_losses = lrs[keep], losses[keep]
    if np.any(kept_lrs <= 0):
        raise ValueError("lrs must be > 0 (the slope is taken against log(lr))")
    return kept_lrs[np.argmin(np.gradient(kept_losses, np.log(kept_lrs)))]
