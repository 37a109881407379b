"""Topic 1: the update rule, the critical learning rate 2 / lambda_max and the three regimes."""

from __future__ import annotations

import math

import numpy as np

from ._validation import as_float_array, as_hessian, check_int, check_real, scalar_or_array

__all__ = ["critical_lr", "gd_step", "gradient_descent", "lr_regime", "steps_to_tolerance"]


def gd_step(w, grad, lr):
    """One gradient-descent update ``w - lr * grad``.

    Parameters
    ----------
    w : float or array_like
        Current parameters.
    grad : float or array_like
        Gradient of the loss at ``w``; same shape as ``w`` (or a scalar).
    lr : float
        Learning rate (step size), > 0.

    Returns
    -------
    float or numpy.ndarray
        The new parameters; neither input is modified.

    Examples
    --------
    >>> gd_step(5.0, 10.0, 0.1)   # L = w**2 at w = 5: dL/dw = 10
    np.float64(4.0)
    >>> gd_step([1.0, -2.0], [0.5, 0.5], 0.2)
    array([ 0.9, -2.1])
    """
    w = as_float_array(w, "w")
    grad = as_float_array(grad, "grad")
    lr = check_real(lr, "lr", positive=True)
    if grad.shape != w.shape and grad.ndim != 0:
        raise ValueError(f"grad has shape {grad.shape} but w has shape {w.shape}")
    with np.errstate(over="ignore", invalid="ignore"):
        return scalar_or_array(w - lr * grad)


def gradient_descent(grad_fn, w0, lr, n_steps):
    """Run ``n_steps`` gradient-descent updates from ``w0`` and return every iterate.

    Parameters
    ----------
    grad_fn : callable
        ``grad_fn(w)`` returns the gradient at ``w``.
    w0 : float or array_like
        Starting point.
    lr : float
        Learning rate, > 0.
    n_steps : int
        Number of updates, >= 0.

    Returns
    -------
    numpy.ndarray
        Shape ``(n_steps + 1,) + shape(w0)``: ``w0`` then each iterate. Overflow to
        inf/nan does not stop the run.

    Examples
    --------
    >>> gradient_descent(lambda w: 2 * w, 5.0, 0.1, 3)   # L = w**2
    array([5.  , 4.  , 3.2 , 2.56])
    """
    if not callable(grad_fn):
        raise TypeError("grad_fn must be callable")
    w = as_float_array(w0, "w0")
    lr = check_real(lr, "lr", positive=True)
    n_steps = check_int(n_steps, "n_steps")
    path = np.empty((n_steps + 1,) + w.shape)
    path[0] = w
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(n_steps):
            w = w - lr * np.asarray(grad_fn(w), dtype=np.float64)
            path[t + 1] = w
    return path


def _lambda_max(hessian):
    return float(np.linalg.eigvalsh(as_hessian(hessian))[-1])


def critical_lr(hessian):
    """The largest stable learning rate ``2 / lambda_max`` of a quadratic's Hessian.

    Parameters
    ----------
    hessian : float or array_like
        A number (the curvature ``L''`` of a 1-D loss) or a symmetric square matrix.

    Returns
    -------
    float
        ``2 / lambda_max``, or ``inf`` when ``lambda_max <= 0`` (no curvature upwards).

    Examples
    --------
    >>> critical_lr(2.0)          # L = (theta - 3)**2 has L'' = 2
    1.0
    >>> critical_lr([[4.0, 0.0], [0.0, 1.0]])
    0.5
    """
    lam_max = _lambda_max(hessian)
    return math.inf if lam_max <= 0 else 2.0 / lam_max


def lr_regime(lr, hessian):
    """Name what gradient descent does on a quadratic at learning rate ``lr``.

    With ``r = lr * lambda_max``: ``"periodic"`` if ``r`` is close to 2, ``"monotone"``
    if ``r <= 1``, ``"oscillating"`` if ``r < 2``, ``"diverging"`` otherwise.

    Parameters
    ----------
    lr : float
        Learning rate, > 0.
    hessian : float or array_like
        Curvature or symmetric Hessian.

    Returns
    -------
    str
        One of ``"monotone"``, ``"oscillating"``, ``"periodic"``, ``"diverging"``.

    Examples
    --------
    >>> [lr_regime(lr, 2.0) for lr in (0.1, 0.9, 1.0, 1.1)]   # L = w**2
    ['monotone', 'oscillating', 'periodic', 'diverging']
    """
    lr = check_real(lr, "lr", positive=True)
    r = lr * _lambda_max(hessian)
    if np.isclose(r, 2):
        return "periodic"
    if r <= 1:
        return "monotone"
    if r < 2:
        return "oscillating"
    return "diverging"


def steps_to_tolerance(lr, curvature, distance0, tol):
    """Fewest steps for GD on a 1-D quadratic to get within ``tol`` of the minimum.

    Each step multiplies the distance by ``q = |1 - lr * curvature|``.

    Parameters
    ----------
    lr, curvature : float
        Learning rate and second derivative, both > 0.
    distance0 : float
        Starting distance to the minimum, >= 0.
    tol : float
        Target distance, > 0.

    Returns
    -------
    int or float
        The smallest integer ``k >= 0`` with ``q**k * distance0 <= tol``, or ``inf``.

    Examples
    --------
    >>> steps_to_tolerance(0.1, 2.0, 5.0, 1.0)   # 5 * 0.8**k <= 1 first at k = 8
    8
    >>> steps_to_tolerance(1.0, 2.0, 5.0, 1.0)   # q = 1: bounces forever
    inf
    """
    lr = check_real(lr, "lr", positive=True)
    curvature = check_real(curvature, "curvature", positive=True)
    distance0 = check_real(distance0, "distance0", nonnegative=True)
    tol = check_real(tol, "tol", positive=True)
    if distance0 <= tol:
        return 0
    q = abs(1.0 - lr * curvature)
    if q >= 1.0:
        return math.inf
    if q == 0.0:
        return 1
    k = max(0, math.ceil(math.log(tol / distance0) / math.log(q)))
    # Guard the logarithm's rounding with the defining inequality itself.
    while k > 0 and q ** (k - 1) * distance0 <= tol:
        k -= 1
    while q**k * distance0 > tol:
        k += 1
    return k
