"""The course's figures: paths on a loss curve, paths on contours, schedules, loss histories.

Every function builds a :class:`matplotlib.figure.Figure` directly (no pyplot state, no
window, no ``plt.show()``), so it works the same under any backend, in a test run and
in a notebook, where a returned figure is displayed by the inline backend. Each
function returns the figure; save it with ``fig.savefig(path)``.

Diverging runs are part of the story, so the inputs may hold huge values, ``inf`` or
``nan``: the axes are fitted to the finite, readable part of the data, and what leaves
the plot is marked instead of squashing everything else.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.figure import Figure

from ._validation import as_float_array, check_int, check_real
from .update_rule import gradient_descent

__all__ = ["contour_paths", "loss_histories", "schedules_plot", "three_regimes"]

_REGIME_TITLES = ("Too small", "Too large", "Just right")
_REGIME_COLORS = ("tab:blue", "tab:red", "tab:green")


def _check_mapping(data, name):
    if not isinstance(data, dict) or not data:
        raise TypeError(f"{name} must be a non-empty dict of label -> values, got {type(data).__name__}")
    return {str(label): values for label, values in data.items()}


def _window(points, center, *, cap):
    """Half-width of a window around ``center`` holding the finite ``points`` (capped)."""
    pts = np.asarray(points, dtype=float)
    pts = pts[np.isfinite(pts)]
    half = float(np.max(np.abs(pts - center))) if pts.size else 1.0
    half = min(half, cap) if cap > 0 else half
    return half if half > 0 else 1.0


def _curve(loss, xs):
    """``loss`` on a grid, called point by point so a scalar-only loss works too."""
    with np.errstate(all="ignore"):
        return np.array([float(np.asarray(loss(float(x)), dtype=float)) for x in xs])


def three_regimes(loss, grad, w0, lrs=(0.02, 1.05, 0.3), n_steps=10, *, titles=_REGIME_TITLES):
    """The "too small / too large / just right" figure: three gradient-descent paths on one loss curve.

    Parameters
    ----------
    loss : callable
        ``loss(w)`` of a 1-D loss, for a number ``w``.
    grad : callable
        Its derivative ``grad(w)``.
    w0 : float
        Common starting point.
    lrs : sequence of 3 floats, default (0.02, 1.05, 0.3)
        The learning rates of the panels, in the order too small, too large, just right
        (the defaults suit a curvature of about 2, e.g. ``L = w**2``).
    n_steps : int, default 10
        Number of updates drawn in each panel, >= 1.
    titles : sequence of 3 str, optional
        Panel titles; the learning rate is appended to each.

    Returns
    -------
    matplotlib.figure.Figure
        One row of three panels sharing the y axis. Iterates that leave the plotted
        window (a diverging run) are clipped and the panel says so.

    Examples
    --------
    >>> from lrcourse.landscapes import w_squared
    >>> fig = three_regimes(w_squared.loss, w_squared.grad, 5.0, lrs=(0.02, 1.05, 0.3), n_steps=8)
    >>> [ax.get_title() for ax in fig.axes]
    ['Too small (lr = 0.02)', 'Too large (lr = 1.05)', 'Just right (lr = 0.3)']
    """
    if not (callable(loss) and callable(grad)):
        raise TypeError("loss and grad must be callable")
    w0 = check_real(w0, "w0")
    lrs = tuple(lrs)
    if len(lrs) != 3:
        raise ValueError(f"lrs must hold 3 learning rates (too small, too large, just right), got {len(lrs)}")
    lrs = tuple(check_real(lr, "lr", positive=True) for lr in lrs)
    n_steps = check_int(n_steps, "n_steps", minimum=1)
    titles = tuple(titles)
    if len(titles) != 3:
        raise ValueError(f"titles must hold 3 strings, got {len(titles)}")

    paths = [gradient_descent(grad, w0, lr, n_steps) for lr in lrs]
    # Centre the window on where the "just right" run ends (near the minimum), wide
    # enough for every readable iterate but never more than 3x the starting distance.
    center = float(paths[2][-1]) if math.isfinite(float(paths[2][-1])) else w0
    start = abs(w0 - center) or 1.0
    half = 1.15 * _window(np.concatenate(paths), center, cap=3.0 * start)
    half = max(half, 1.15 * start)
    xs = np.linspace(center - half, center + half, 400)
    ys = _curve(loss, xs)

    fig = Figure(figsize=(12, 3.8), layout="constrained")
    axes = fig.subplots(1, 3, sharey=True)
    finite_ys = ys[np.isfinite(ys)]
    y_lo, y_hi = (float(finite_ys.min()), float(finite_ys.max())) if finite_ys.size else (0.0, 1.0)
    pad = 0.05 * (y_hi - y_lo or 1.0)
    for ax, path, lr, title, color in zip(axes, paths, lrs, titles, _REGIME_COLORS, strict=True):
        ax.plot(xs, ys, color="0.3", lw=1.5, label="loss")
        inside = np.isfinite(path) & (np.abs(path - center) <= half)
        px = path[inside]
        py = _curve(loss, px)
        ax.plot(px, py, "o", color=color, ms=5, zorder=3)
        ax.plot(px[:1], py[:1], "o", color="black", ms=7, zorder=4, label="start")
        for k in range(px.size - 1):
            ax.annotate(
                "", xy=(px[k + 1], py[k + 1]), xytext=(px[k], py[k]),
                arrowprops={"arrowstyle": "->", "color": color, "lw": 1.2},
            )
        ax.set_title(f"{title} (lr = {lr:g})")
        ax.set_xlabel("w")
        ax.set_xlim(center - half, center + half)
        ax.set_ylim(y_lo - pad, y_hi + pad)
        last = float(path[-1])
        if not inside.all():
            note = f"leaves the plot after step {int(np.argmin(inside))}"
        else:
            note = f"after {n_steps} steps: w = {last:.3g}"
        ax.text(0.5, 0.96, note, transform=ax.transAxes, ha="center", va="top", fontsize=9)
    axes[0].set_ylabel("loss")
    axes[0].legend(loc="lower left", fontsize=8)
    return fig


def contour_paths(quadratic, paths, *, n_levels=15, title=None):
    """Optimisation paths drawn on the contour lines of a 2-D quadratic.

    Parameters
    ----------
    quadratic : lrcourse.landscapes.QuadraticND
        A 2-D quadratic (anything with a ``loss`` that accepts an ``(..., 2)`` array and a
        ``minimizer``), e.g. :func:`lrcourse.landscapes.ill_conditioned_2d`.
    paths : dict of str -> array_like of shape (n, 2)
        Iterates of each method (say ``"GD"`` and ``"momentum"``), keyed by legend label.
    n_levels : int, default 15
        Number of contour levels (geometrically spaced above the minimum).
    title : str, optional
        Axes title; defaults to the quadratic's repr.

    Returns
    -------
    matplotlib.figure.Figure
        One square panel with equal axis scales, so a narrow valley looks narrow.

    Examples
    --------
    >>> from lrcourse.landscapes import ill_conditioned_2d
    >>> from lrcourse.reference import gradient_descent, run_momentum
    >>> Q = ill_conditioned_2d(10.0)
    >>> paths = {"GD": gradient_descent(Q.grad, [2.0, 1.0], 0.15, 30),
    ...          "momentum": run_momentum(Q.grad, [2.0, 1.0], 0.15, 0.8, 30)}
    >>> fig = contour_paths(Q, paths)
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    ['GD', 'momentum', 'minimum']
    """
    if not callable(getattr(quadratic, "loss", None)):
        raise TypeError("quadratic must have a loss method (e.g. a landscapes.QuadraticND)")
    paths = _check_mapping(paths, "paths")
    n_levels = check_int(n_levels, "n_levels", minimum=2)
    arrays = {}
    for label, path in paths.items():
        arr = as_float_array(path, f"paths[{label!r}]")
        if arr.ndim != 2 or arr.shape[1] != 2 or arr.shape[0] == 0:
            raise ValueError(f"paths[{label!r}] must have shape (n, 2), got {arr.shape}")
        arrays[label] = arr
    minimizer = as_float_array(getattr(quadratic, "minimizer", np.zeros(2)), "minimizer")
    if minimizer.shape != (2,):
        raise ValueError(f"quadratic must be 2-D, its minimizer has shape {minimizer.shape}")

    start = max(float(np.max(np.abs(arr[0] - minimizer))) for arr in arrays.values()) or 1.0
    half = 1.15 * max(
        _window(arr[:, k], minimizer[k], cap=3.0 * start) for arr in arrays.values() for k in range(2)
    )
    gx = np.linspace(minimizer[0] - half, minimizer[0] + half, 201)
    gy = np.linspace(minimizer[1] - half, minimizer[1] + half, 201)
    X, Y = np.meshgrid(gx, gy)
    with np.errstate(all="ignore"):
        Z = np.asarray(quadratic.loss(np.stack([X, Y], axis=-1)), dtype=float)
        z_min = float(np.asarray(quadratic.loss(minimizer), dtype=float))
    top = float(np.nanmax(Z)) - z_min
    levels = z_min + np.geomspace(top * 1e-4 if top > 0 else 1e-4, top if top > 0 else 1.0, n_levels)

    fig = Figure(figsize=(6, 6), layout="constrained")
    ax = fig.subplots()
    ax.contour(X, Y, Z, levels=levels, colors="0.6", linewidths=0.8)
    for label, arr in arrays.items():
        ax.plot(arr[:, 0], arr[:, 1], "o-", ms=3, lw=1.2, label=label)
    ax.plot(*minimizer, "k*", ms=12, label="minimum")
    ax.set_xlim(gx[0], gx[-1])
    ax.set_ylim(gy[0], gy[-1])
    ax.set_aspect("equal")
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")
    ax.set_title(title if title is not None else repr(quadratic))
    ax.legend(loc="upper left", fontsize=9)
    return fig


def schedules_plot(schedules, *, log=False, title="Learning-rate schedules"):
    """Learning-rate schedules against the step index ``t``.

    Parameters
    ----------
    schedules : dict of str -> array_like
        For each label, the learning rate at t = 0, 1, 2, ... (1-D, finite).
    log : bool, default False
        Use a logarithmic y axis (exponential decay becomes a straight line).
    title : str, optional
        Axes title.

    Returns
    -------
    matplotlib.figure.Figure
        One panel; each schedule is drawn as a step function (the rate is held during
        a step).

    Examples
    --------
    >>> from lrcourse.reference import step_decay, cosine_annealing
    >>> t = np.arange(50)
    >>> fig = schedules_plot({"step": step_decay(t, 0.1, 0.5, 10),
    ...                       "cosine": cosine_annealing(t, 0.1, 0.001, 40)})
    >>> ax = fig.axes[0]
    >>> ax.get_xlabel(), len(ax.get_lines())
    ('step t', 2)
    """
    schedules = _check_mapping(schedules, "schedules")
    fig = Figure(figsize=(7, 4), layout="constrained")
    ax = fig.subplots()
    for label, lrs in schedules.items():
        arr = as_float_array(lrs, f"schedules[{label!r}]")
        if arr.ndim != 1 or arr.size == 0:
            raise ValueError(f"schedules[{label!r}] must be a non-empty 1-D sequence, got shape {arr.shape}")
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"schedules[{label!r}] must be finite")
        if log and np.any(arr <= 0):
            raise ValueError(f"schedules[{label!r}] must be > 0 on a log axis")
        ax.step(np.arange(arr.size), arr, where="post", label=label)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("step t")
    ax.set_ylabel("learning rate")
    ax.set_title(title)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=9)
    return fig


def loss_histories(histories, *, log=True, title="Loss histories"):
    """Loss histories on a linear axis and, side by side, a logarithmic one.

    Parameters
    ----------
    histories : dict of str -> array_like
        For each label (e.g. ``"lr = 0.1"``), the loss per epoch or step (1-D, at least
        one value). Values may blow up to ``inf``/``nan``: where a history diverges is
        marked with an ``x``.
    log : bool, default True
        Add the second panel with a logarithmic y axis, where a geometric decrease
        is a straight line and a plateau is easy to see; ``False`` draws the linear
        panel only.
    title : str, optional
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        Two panels (linear, log), or one when ``log=False``. On the linear panel a history
        that explodes is clipped at a few times the largest starting loss, so the others
        stay readable.

    Examples
    --------
    >>> fig = loss_histories({"lr = 0.1": [0.8, 0.5, 0.4, 0.38, 0.37],
    ...                       "lr = 1.0": [0.8, 1.5, 3.2, 8.7, float("nan")]})
    >>> [ax.get_yscale() for ax in fig.axes]
    ['linear', 'log']
    """
    histories = _check_mapping(histories, "histories")
    arrays = {}
    for label, losses in histories.items():
        arr = as_float_array(losses, f"histories[{label!r}]")
        if arr.ndim != 1 or arr.size == 0:
            raise ValueError(f"histories[{label!r}] must be a non-empty 1-D sequence, got shape {arr.shape}")
        arrays[label] = arr

    fig = Figure(figsize=(11 if log else 6, 4), layout="constrained")
    axes = fig.subplots(1, 2 if log else 1, squeeze=False)[0]
    firsts = [arr[0] for arr in arrays.values() if np.isfinite(arr[0])]
    cap = 3.0 * max(abs(v) for v in firsts) if firsts and max(abs(v) for v in firsts) > 0 else None
    for k, ax in enumerate(axes):
        for label, arr in arrays.items():
            steps = np.arange(arr.size)
            shown = np.isfinite(arr) & (arr > 0 if k == 1 else True)
            (line,) = ax.plot(steps[shown], arr[shown], "o-", ms=3, label=label)
            bad = ~np.isfinite(arr)
            if bad.any():
                i = int(np.argmax(bad))
                y_mark = arr[:i][shown[:i]][-1] if shown[:i].any() else 1.0
                ax.plot([i], [y_mark], "x", color=line.get_color(), ms=10, mew=2)
        ax.set_xlabel("epoch")
        ax.grid(True, alpha=0.3)
        if k == 0:
            ax.set_ylabel("loss")
            finite = np.concatenate([arr[np.isfinite(arr)] for arr in arrays.values()])
            if cap is not None and finite.size and finite.max() > cap:
                ax.set_ylim(min(0.0, float(finite.min())), cap)
                ax.set_title("linear axis (clipped)")
            else:
                ax.set_title("linear axis")
        else:
            ax.set_yscale("log")
            ax.set_title("log axis")
    axes[0].legend(fontsize=9)
    fig.suptitle(title)
    return fig
