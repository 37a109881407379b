"""Hidden test cases for ps4_diagnosis (see :mod:`lrcourse.cases`).

Course examples: the loss history 0.8, 0.5, 0.4, 0.38, 0.37 at lr 0.1 (healthy, diminishing
returns) and 0.8, 1.5, 3.2, 8.7, NaN at lr 1.0 (diverging: reduce the learning rate).
Fixed cases sit on the thresholds on purpose where the rule is exact (exactly a third of the
steps up); drawn cases (:class:`~lrcourse.cases.base.Drawn`, new for every submission) are
built to stay clear of every threshold: the number of up-steps is never (len(L) - 1) / 3,
the total decrease is at least 2 points away from 10 %, the last loss at least 2 % away
from the first, a range-test loss never within 1 % of 4 x the smallest before it, and the
steepest slope of a drawn range test at least 5 % steeper than the runner-up. Lists and
Python ints appear wherever SPEC allows them, and the slope cases include uneven lr grids
(a range test with NaNs in the middle leaves one), where ``np.gradient(f) / np.gradient(x)``
is not ``np.gradient(f, x)``.
"""

import numpy as np

from .. import diagnosis as _ref
from ..landscapes import (
    Quadratic1D,
    QuadraticND,
    ill_conditioned_2d,
    make_regression,
    theta_minus_3,
    w_squared,
)
from .base import Case, Drawn

NAN = float("nan")
INF = float("inf")

HEALTHY = [0.8, 0.5, 0.4, 0.38, 0.37]
EXPLODING = [0.8, 1.5, 3.2, 8.7, NAN]

# a smooth range-test curve: flat, a steep fall, a floor, then a blow-up
_LRS9 = np.geomspace(1e-4, 1.0, 9)
_DIP9 = np.array([2.30, 2.29, 2.25, 1.90, 1.10, 0.62, 0.55, 0.80, 3.10])

# An uneven grid: the geometric grid of 9 with two NaN losses dropped. The slope
# np.gradient(f, x) is steepest at lr = 1e-3, np.gradient(f) / np.gradient(x) at 3.2e-4.
_GAP_LRS = _LRS9[[0, 1, 2, 5, 6, 7, 8]]
_GAP_LOSSES = [1.92, 1.89, 0.88, 0.86, 0.83, 0.56, 1.09]
_GAP_FULL = [1.92, 1.89, 0.88, NAN, NAN, 0.86, 0.83, 0.56, 1.09]
# three NaNs dropped: steepest at 1e-2 by np.gradient(f, x), at 3.2e-3 by the ratio, at 1e-4 by the index
_GAP2_LRS = _LRS9[[0, 2, 3, 4, 7, 8]]
_GAP2_LOSSES = [2.25, 1.54, 1.42, 0.58, 0.41, 3.89]
_GAP2_FULL = [2.25, NAN, 1.54, 1.42, 0.58, NAN, NAN, 0.41, 3.89]
# convex at the left end: np.gradient(..., edge_order=2) makes the first point the steepest
_EDGE_LRS = np.geomspace(1e-5, 10.0, 7)
_EDGE_LOSSES = [2.0, 1.6, 1.6, 1.3, 0.6, 0.55, 2.5]


# --------------------------------------------------------------------------- drawn histories

_LABELS = ("diverging", "oscillating", "too_slow", "healthy")


def _history(rng, label):
    """A loss history whose diagnosis is ``label`` with a margin on every rule.

    Steps are multiplicative, ``L[i+1] = L[i] * exp(s[i])``: ``k`` of the ``n - 1`` steps go
    up (``s > 0``), the others down, and the down-steps are scaled so that the total log
    change hits a target: a decrease of 20-80 % (healthy, oscillating), 3-8 % (too_slow),
    an increase of 5-50 % (diverging). ``k`` is below or above ``(n - 1) / 3``, never on it.
    """
    n_steps = int(rng.integers(5, 16))
    third = n_steps / 3
    if label == "oscillating":
        k = int(rng.integers(int(np.floor(third)) + 1, n_steps))  # > (n - 1) / 3, at least one down
        target = np.log(1 - rng.uniform(0.2, 0.8))
    else:
        k = int(rng.integers(0, int(np.ceil(third))))  # < (n - 1) / 3
        if label == "too_slow":
            target = np.log(1 - rng.uniform(0.03, 0.08))
        elif label == "healthy":
            target = np.log(1 - rng.uniform(0.2, 0.8))
        else:
            k = max(k, 1)
            target = np.log(1 + rng.uniform(0.05, 0.5))
    ups = np.zeros(n_steps, dtype=bool)
    ups[rng.choice(n_steps, size=k, replace=False)] = True
    size = rng.uniform(0.02, 0.3, size=n_steps)
    if label == "diverging":
        size[ups] *= (target + size[~ups].sum() + 0.05) / size[ups].sum()  # ups outweigh the downs
    up_total = size[ups].sum()
    down_total = size[~ups].sum()
    steps = np.where(ups, size, -size * (up_total - target) / down_total)
    losses = float(rng.uniform(0.1, 10.0)) * np.exp(np.concatenate([[0.0], np.cumsum(steps)]))
    if label == "diverging" and rng.random() < 0.5:
        losses = np.exp(np.concatenate([[0.0], np.cumsum(-np.abs(steps))]))  # falling, then a blow-up
        losses[int(rng.integers(1, losses.size))] = rng.choice([NAN, INF])
    return losses.tolist() if rng.random() < 0.5 else losses


def _draw_history(label):
    return Drawn(lambda rng: Case((_history(rng, label),)))


def _draw_losses(rng):
    losses = rng.uniform(0.5, 2.0, size=int(rng.integers(2, 16)))
    return Case((losses.tolist() if rng.random() < 0.5 else losses,))


def _draw_suggest(rng):
    lr = float(10 ** rng.uniform(-4, 0))
    return Case((lr, _LABELS[int(rng.integers(0, 4))]))


def _range_margin(lrs, losses):
    """How far the closest recorded loss is from 4 x the smallest loss recorded before it (log scale)."""
    margins = [abs(np.log(losses[i] / (4 * np.min(losses[:i])))) for i in range(1, len(losses))]
    return min(margins, default=np.inf) if np.all(np.isfinite(losses)) else 0.0


def _draw_range_test(rng):
    """A 1-D quadratic a (theta - m)**2 + floor with a positive floor, or a 2-D bowl; redrawn until
    no recorded loss is within 2 % of 4 x the smallest before it (no near-tie on the stop rule)."""
    for _ in range(1000):
        lr_min = float(10 ** rng.uniform(-4, -2))
        lr_max = float(10 ** rng.uniform(0, 2))
        n_steps = int(rng.integers(8, 40))
        if rng.random() < 0.5:
            a, m, floor = rng.uniform(0.5, 5.0), rng.uniform(-2.0, 2.0), rng.uniform(0.05, 1.0)
            q = Quadratic1D(float(a), float(-2 * a * m), float(a * m * m + floor))
            w0 = float(m + rng.choice([-1, 1]) * rng.uniform(1.0, 5.0))
        else:
            q = QuadraticND(sorted(float(x) for x in rng.uniform(0.2, 10.0, size=2)),
                            angle=float(rng.uniform(0, np.pi)))
            w0 = rng.uniform(-3.0, 3.0, size=2)
            w0 = w0.tolist() if rng.random() < 0.5 else w0
        if _range_margin(*_ref.lr_range_test(q.loss, q.grad, w0, lr_min, lr_max, n_steps)) > 0.02:
            return Case((q.loss, q.grad, w0, lr_min, lr_max, n_steps))
    raise RuntimeError("no well-separated range test drawn")  # pragma: no cover


def _dip(x, x_fall, width, depth, x_blow):
    return 2.0 - depth / (1 + np.exp(-(x - x_fall) / width)) + np.exp(2.0 * (x - x_blow))


def _slope_margin(lrs, losses):
    """How much steeper the steepest kept slope is than the runner-up (relative)."""
    keep = np.isfinite(losses)
    g = np.sort(np.gradient(losses[keep], np.log(lrs[keep])))
    return (g[1] - g[0]) / abs(g[0]) if g[0] < 0 else 0.0


def _draw_range_curve(rng, uneven=True):
    """A range-test curve on a (possibly uneven) grid, sometimes ending in inf or nan; redrawn
    until its steepest slope is at least 5 % steeper than the runner-up."""
    for _ in range(1000):
        n = int(rng.integers(6, 16))
        if uneven:
            x = np.log(1e-5) + np.cumsum(rng.uniform(0.2, 2.0, size=n))
        else:
            x = np.linspace(-9.0, 2.0, n)
        lrs = np.exp(x)
        losses = _dip(x, rng.uniform(-7, -2), rng.uniform(0.3, 1.5), rng.uniform(0.8, 1.8), rng.uniform(0, 3))
        if rng.random() < 0.3:
            losses[-1] = rng.choice([NAN, INF])
        if _slope_margin(lrs, losses) > 0.05:
            return Case((lrs, losses) if rng.random() < 0.5 else (lrs.tolist(), losses.tolist()))
    raise RuntimeError("no well-separated range-test curve drawn")  # pragma: no cover


CASES = {
    ("relative_improvements", "basic"): [
        Case((HEALTHY,)),
        Case(([2.0, 1.0],)),
        Case(([10, 5, 4, 4, 2],)),  # Python ints: 0.5, 0.2, 0.0, 0.5
        Case(([1.0, 1.5, 0.75, 0.9],)),
        Case(((0.8, 1.5, 3.2, 8.7),)),
        Case(([3, 2, 1],)),
        Drawn(_draw_losses),
    ],
    ("relative_improvements", "arrays"): [
        Case((np.array(HEALTHY),)),
        Case((np.array([3.0, 2.5]),)),
        Case((np.array([1.0, 1.5, 0.75]),)),
        Case((np.exp(-0.3 * np.arange(12)) + 0.1,)),
        Drawn(lambda rng: Case((rng.uniform(0.5, 2.0, size=15),))),
        Case((np.array([4.0, 2.0, 1.0, 0.5], dtype=np.float32),)),
        Case((np.array([3, 2, 1, 3]),)),  # an int array: 1/3, 1/2, -2
        Case((np.array([7, 5, 4], dtype=np.int32),)),
    ],
    ("diagnose", "basic"): [
        Case((HEALTHY,)),
        Case((EXPLODING,)),
        Case(([0.5, 0.7, 1.2, 2.5, 6.0],)),
        Case(([1.0, 0.5, 0.3, NAN],)),
        Case(([0.5, 2.0, 1.8, 1.6, 1.5, 1.4, 1.3],)),
        Case(([1.0, 0.6, 0.8, 0.5, 0.7, 0.4, 0.6],)),
        Case(([2.31, 2.30, 2.29, 2.28, 2.27],)),
        Case((np.array([3.0, 1.2, 0.9, 0.7, 0.6, 0.55]),)),
        Case((np.array([1.0, 0.9, 0.95, 0.8, 0.85]),)),
        Case((np.array([5.0, 4.9, 4.85, 4.8, 4.75, 4.7]),)),
        Case(([100, 80, 60, 40, 30],)),  # Python ints: 70 % decrease, healthy
        Case((np.array([10, 12, 9, 11, 8, 10, 7]),)),  # an int array: 3 of 6 steps up
        Drawn(lambda rng: Case((_history(rng, _LABELS[int(rng.integers(0, 4))]),))),
        _draw_history("healthy"),
        _draw_history("oscillating"),
    ],
    ("diagnose", "edges"): [
        Case(([1.0, 0.5, 0.3, NAN],)),  # NaN at the end, everything else healthy
        Case(([1.0, NAN, 0.5, 0.4],)),  # NaN in the middle
        Case(([1.0, 0.4, INF],)),
        Case((np.array([2.0, 0.5, 0.2, 0.1, INF, 0.05]),)),
        Case(([1.0, 0.5],)),  # 2 losses
        Case(([1.0, 0.95],)),
        Case(([1.0, 1.2],)),
        Case(([1.0, 1.0],)),  # flat: not above the first, no increase, no decrease
        Case(([1.0, 5.0, 4.0, 3.0, 2.0, 1.5],)),  # last > first although mostly decreasing
        Case(([1.0, 0.8, 0.9, 0.6, 0.5, 0.55, 0.3],)),  # exactly a third of the steps go up
        Case(([1.0, 0.8, 0.9, 0.6, 0.5, 0.55, 0.3, 0.2],)),  # 2 of 7: just under a third
        Case(([1.0, 0.98, 0.99, 0.97],)),  # oscillating although also too slow
        Case(([1.0, 0.5, 0.5, 0.5, 0.4],)),  # flat steps are not increases
        Case(([1.0, 0.95, 0.93, 0.91],)),  # 9 % total decrease: too slow
        Case(([1.0, 0.95, 0.92, 0.89],)),  # 11 %: healthy
        Case(([1.0, 0.97, 0.95, 0.905],)),  # 9.5 % of the first loss, 10.5 % of the last: too slow
        Case(([100.0, 80.0, 60.0, 40.0, 30.0, 29.9],)),
        Case(([1.0],)),  # fewer than 2 losses: ValueError
        Case(([0.5],)),
        Case(([],)),
        _draw_history("too_slow"),
        _draw_history("diverging"),
    ],
    ("suggest_lr", "basic"): [
        Case((1.0, "diverging")),
        Case((0.1, "healthy")),
        Case((0.5, "oscillating")),
        Case((0.001, "too_slow")),
        Case((0.3, "diverging")),
        Case((0.02, "oscillating")),
        Case((1, "too_slow")),
        Case((np.float64(0.25), "healthy")),
        Case((1, "diverging")),  # Python int: 0.1
        Case((3, "oscillating")),  # 1.5
        Drawn(_draw_suggest),
        Drawn(_draw_suggest),
    ],
    ("suggest_lr", "errors"): [
        Case((0.1, "exploding")),
        Case((0.1, "slow")),
        Case((0.1, "")),
        Case((0.1, "Diverging")),
        Case((1.0, "diverging")),
    ],
    ("lr_range_test", "basic"): [
        Case((w_squared.loss, w_squared.grad, 5.0, 1e-3, 10.0, 30)),  # stops by the 4x rule
        Case((theta_minus_3.loss, theta_minus_3.grad, -1.0, 1e-4, 3.0, 25)),
        Case((Quadratic1D(2.0, 1.0, 0.5).loss, Quadratic1D(2.0, 1.0, 0.5).grad, 3.0, 1e-3, 1.0, 12)),
        Case((w_squared.loss, w_squared.grad, 5.0, 1e-4, 0.4, 10)),  # never stops
        Case((w_squared.loss, w_squared.grad, 1.0, 0.01, 100.0, 5)),  # stops at lr = 10
        Case((QuadraticND([1.0, 10.0]).loss, QuadraticND([1.0, 10.0]).grad, np.array([1.0, 1.0]), 1e-3, 1.0, 25)),
        Case((ill_conditioned_2d(25.0).loss, ill_conditioned_2d(25.0).grad, [2.0, -1.0], 1e-4, 1.0, 30)),
        Case((w_squared.loss, w_squared.grad, 5, 1e-3, 10.0, 30)),  # a Python int w0
        Case((QuadraticND([1.0, 10.0]).loss, QuadraticND([1.0, 10.0]).grad, np.array([2, -1]), 1e-3, 1.0, 25)),
        Case((QuadraticND([0.5, 4.0]).loss, QuadraticND([0.5, 4.0]).grad, [3, 1], 1e-3, 5.0, 20)),  # list of ints
        Drawn(_draw_range_test),
        Drawn(_draw_range_test),
    ],
    ("lr_range_test", "edges"): [
        Case((w_squared.loss, w_squared.grad, 5.0, 0.05, 0.05, 1)),  # n_steps = 1
        Case((w_squared.loss, w_squared.grad, 5.0, 0.05, 0.5, 1)),
        Case((w_squared.loss, w_squared.grad, 1e200, 0.01, 0.1, 5)),  # first loss inf: stop
        Case((theta_minus_3.loss, theta_minus_3.grad, -1e300, 1e9, 1e10, 3)),  # first loss nan: stop
        Case((QuadraticND([0.5, 2.0]).loss, QuadraticND([0.5, 2.0]).grad, np.array([3.0, -2.0]), 1e-3, 0.5, 15)),
        Case((make_regression(20, 3, seed=4).loss, make_regression(20, 3, seed=4).grad, np.zeros(3), 1e-4, 10.0, 40)),
        Case((w_squared.loss, w_squared.grad, 5.0, 1e-3, 1e3, 8)),
        Case((w_squared.loss, w_squared.grad, 5.0, 2.0, 3.0, 3)),  # the first loss is 9 x loss(w0): kept, no stop
        Case((w_squared.loss, w_squared.grad, 3, 0.1, 0.1, 1)),  # int w0, n_steps = 1
        Drawn(_draw_range_test),
    ],
    ("suggest_from_range_test", "basic"): [
        Case((_LRS9, _DIP9)),
        Case(([0.001, 0.01, 0.1, 1.0], [1.0, 0.5, 0.45, 0.6])),
        Case((list(_LRS9), list(_DIP9))),
        Case((np.geomspace(1e-5, 10.0, 7), np.array([1.0, 0.99, 0.97, 0.7, 0.2, 0.15, 0.9]))),
        Case((np.geomspace(1e-3, 1.0, 6), 1.0 / (1.0 + np.geomspace(1e-3, 1.0, 6) * 30))),
        Case(([1e-4, 1e-3, 1e-2, 1e-1, 1.0], [2.3, 2.2, 1.2, 0.5, 3.0])),
        Case(([1e-4, 1e-3, 1e-2, 1e-1, 1.0], [3, 2, 1, 1, 5])),  # int losses
        Case((_GAP_LRS, _GAP_LOSSES)),  # uneven grids
        Case((_GAP2_LRS, _GAP2_LOSSES)),
        Drawn(lambda rng: _draw_range_curve(rng, uneven=False)),
        Drawn(_draw_range_curve),
    ],
    ("suggest_from_range_test", "edges"): [
        Case(([0.001, 0.01, 0.1, 1.0], [1.0, 0.99, 0.5, INF])),  # inf dropped
        Case(([1e-4, 1e-3, 1e-2, 1e-1, 1.0], [1.0, 0.5, 0.45, 0.44, NAN])),  # nan dropped
        Case(([1e-4, 1e-3, 1e-2, 1e-1, 1.0, 10.0], [1.0, 0.8, NAN, 0.6, 0.5, 0.45])),  # a gap in the middle
        Case(([0.001, 0.003, 0.01, 0.1, 1.0], [1.0, 0.7, 0.4, 0.35, 2.0])),  # uneven log spacing
        Case((list(_LRS9), _GAP_FULL)),  # NaNs in the middle leave an uneven grid
        Case((_LRS9, np.array(_GAP2_FULL))),
        Case((_EDGE_LRS, _EDGE_LOSSES)),  # steepest inside, not at the end
        Case(([0.01, 0.1], [0.9, 0.4])),  # exactly 2 losses
        Case(([0.01, 0.1, 1.0], [0.9, 0.4, INF])),  # 2 finite ones
        Case(([0.01, 0.1, 1.0], [0.9, NAN, INF])),  # fewer than 2 finite: ValueError
        Drawn(_draw_range_curve),
    ],
}
