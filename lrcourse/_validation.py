"""Input validation at the boundary of the reference functions.

The reference implementations stay plain NumPy; everything that can be wrong with an
input is caught here first, with a message that says which argument and why, in the
spirit of scikit-learn's ``check_array``.
"""

from __future__ import annotations

import numbers

import numpy as np


def as_float_array(value, name):
    """Return ``value`` as a new float64 array (never a view of the input).

    Parameters
    ----------
    value : number, list or array_like
        The input to convert.
    name : str
        The argument's name, used in error messages.

    Returns
    -------
    numpy.ndarray
        A float64 copy of ``value``.

    Examples
    --------
    >>> as_float_array([1, 2], "w")
    array([1., 2.])
    """
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be a number or an array of numbers, got {type(value).__name__}")
    try:
        return np.array(value, dtype=np.float64, copy=True)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be a number or an array of numbers: {exc}") from None


def check_real(value, name, *, positive=False, nonnegative=False, finite=True):
    """Return ``value`` as a Python float after checking it is a real number.

    Examples
    --------
    >>> check_real(0.1, "lr", positive=True)
    0.1
    """
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, np.ndarray)):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    if isinstance(value, np.ndarray):
        if value.ndim != 0:
            raise TypeError(f"{name} must be a single number, got an array of shape {value.shape}")
        value = value.item()
    value = float(value)
    if np.isnan(value) or (finite and not np.isfinite(value)):
        raise ValueError(f"{name} must be finite, got {value}")
    if positive and not value > 0:
        raise ValueError(f"{name} must be > 0, got {value}")
    if nonnegative and not value >= 0:
        raise ValueError(f"{name} must be >= 0, got {value}")
    return value


def check_int(value, name, *, minimum=0):
    """Return ``value`` as a Python int after checking it is an integer >= ``minimum``.

    Examples
    --------
    >>> check_int(3, "n_steps")
    3
    """
    if isinstance(value, bool):
        raise TypeError(f"{name} must be an integer, got bool")
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, numbers.Integral) or isinstance(value, numbers.Real) and float(value).is_integer():
        value = int(value)
    else:
        raise TypeError(f"{name} must be an integer, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return value


def check_steps(t):
    """Return the step index ``t`` as an int64 array, checking it is integral and >= 0.

    Schedules accept an int or an integer array; integral floats such as ``3.0`` are
    accepted too, since they name a step unambiguously.

    Examples
    --------
    >>> check_steps([0, 1, 2])
    array([0, 1, 2])
    """
    if isinstance(t, (str, bytes)) or t is None:
        raise TypeError(f"t must be an integer or an array of integers, got {type(t).__name__}")
    arr = np.asarray(t)
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.number):
        raise TypeError(f"t must be an integer or an array of integers, got dtype {arr.dtype}")
    if np.issubdtype(arr.dtype, np.floating):
        if not np.all(np.isfinite(arr)) or not np.all(arr == np.round(arr)):
            raise TypeError("t must hold whole step numbers (t starts at 0), got non-integer values")
    if np.any(arr < 0):
        raise ValueError(f"t must be >= 0 (the first update uses t = 0), got min {arr.min()}")
    return arr.astype(np.int64)


def scalar_or_array(result):
    """Return a 0-d result as ``np.float64`` and anything else unchanged.

    Examples
    --------
    >>> scalar_or_array(np.array(2.5))
    np.float64(2.5)
    """
    result = np.asarray(result)
    return result[()] if result.ndim == 0 else result


def as_hessian(hessian):
    """Return a symmetric Hessian as a 2-D float array; a number is a 1x1 curvature.

    Examples
    --------
    >>> as_hessian(2)
    array([[2.]])
    """
    h = as_float_array(hessian, "hessian")
    if h.ndim == 0:
        h = h.reshape(1, 1)
    if h.ndim != 2 or h.shape[0] != h.shape[1] or h.shape[0] == 0:
        raise ValueError(f"hessian must be a number or a square matrix, got shape {h.shape}")
    if not np.all(np.isfinite(h)):
        raise ValueError("hessian must contain only finite values")
    if not np.allclose(h, h.T, rtol=1e-10, atol=1e-12):
        raise ValueError("hessian must be symmetric (a Hessian of a twice-differentiable loss is)")
    return h
