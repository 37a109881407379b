"""Hidden test cases and known mistakes for ps2_schedules (see :mod:`lrcourse.cases`).

Every schedule takes ``t`` as an int, a list or an integer array (vectorised) and
raises ``ValueError`` for any t < 0; the ``edges`` aspects hold those cases. Random
step indices are :class:`Drawn` per submission (the schedules have no threshold a
draw could sit on: ``t`` is an exact integer). The warm-restart cases include the
exact restart points where a cycle index computed with a floating-point logarithm
(PyTorch's closed form, Keras, timm) lands a hair below an integer: t = 121 with
``T0 = 1, T_mult = 3``, t = 242 with ``T0 = 2``, t = 111 with ``T_mult = 10``.
Python ints and lists stand wherever the SPEC allows them.
"""

import math

import numpy as np

from ..landscapes import QuadraticND, theta_minus_3, w_squared
from ..schedules import (
    cosine_annealing,
    cosine_warm_restarts,
    exponential_decay,
    gd_with_schedule,
    inverse_time_decay,
    step_decay,
)
from .base import Case, Drawn


def _ints(high, size):
    """A drawn integer array of step indices in [0, high)."""
    return lambda rng: rng.integers(0, high, size=size)


def _drawn(draw_t, *rest, **kwargs):
    """A case whose ``t`` is drawn per submission and whose other arguments are fixed."""
    return Drawn(lambda rng: Case((draw_t(rng), *rest), dict(kwargs)))


_bowl = QuadraticND([1.0, 10.0])
_tilted = QuadraticND([0.5, 4.0], angle=np.pi / 6)

CASES = {
    # ------------------------------------------------------------------ step decay
    ("step_decay", "basic"): [
        Case((0, 0.1, 0.5, 10)),
        Case((7, 0.1, 0.5, 10)),
        Case((9, 0.1, 0.5, 10)),
        Case((25, 0.1, 0.5, 10)),
        Case((np.arange(12), 1.0, 0.1, 4)),
        Case((np.arange(5), 1.0, 0.1, 2)),
        _drawn(_ints(100, 15), 0.05, 0.7, 6),
        _drawn(_ints(60, 10), 0.3, 0.9, 1),
        Case((5, 1, 0.5, 2)),  # Python ints for t and lr0: 0.25
        Case(([0, 9, 10, 25], 0.1, 0.5, 10)),  # a list of steps
    ],
    ("step_decay", "edges"): [
        Case((np.array([10, 20, 30]), 0.1, 0.5, 10)),
        Case((np.array([10, 20, 30, 40]), 0.1, 0.5, 10)),  # exactly at multiples
        Case((np.array([2, 7, 9, 19, 29]), 0.1, 0.5, 10)),  # one step before a drop (and ceil/round)
        Case((np.int64(15), 2.0, 0.25, 5)),
        Case((np.array([0, 4, 5]), 1.0, 0.5, 5)),
        Case((np.array([0, 4, 5, 9, 14, 15]), 1.0, 0.5, 5)),  # a short integer array
        Case((np.array([[0, 3], [8, 12]]), 0.5, 0.8, 3)),  # any shape
        Case(([[0, 3], [8, 12]], 1, 0.5, 3)),  # a nested list, an int lr0
        Case((-1, 0.1, 0.5, 10)),  # ValueError
        Case((np.array([3, -2, 5]), 0.1, 0.5, 10)),  # ValueError
        Case(([3, -2, 5], 0.1, 0.5, 10)),  # ValueError from a list too
    ],
    # ------------------------------------------------------------------ exponential
    ("exponential_decay", "basic"): [
        Case((0, 0.1, 0.05)),
        Case((1, 0.1, float(np.log(2.0)))),
        Case((np.arange(4), 0.1, float(np.log(2.0)))),
        Case((np.arange(10), 0.1, 0.3)),
        _drawn(_ints(200, 12), 0.01, 0.02),
        Case((40, 1.0, 0.1)),
        Case((10, 1.0, 0.1)),
        Case((3, 1, 1)),  # Python ints: exp(-3)
        Case(([0, 1, 2, 5], 0.5, 0.2)),  # a list of steps
    ],
    ("exponential_decay", "edges"): [
        Case((np.array([0, 5, 50]), 0.1, 0.0)),  # k = 0: constant
        Case((np.array([0, 2]), 0.5, 0.25)),
        Case((np.array([0, 2, 4, 8]), 0.5, 0.25)),
        Case((np.array([[1, 2], [3, 4]]), 0.2, 0.5)),
        Case(([[1, 2], [3, 4]], 2, 0.5)),  # a nested list, an int lr0
        Case((-3, 0.1, 0.05)),  # ValueError
        Case((np.array([0, 1, -1]), 0.1, 0.05)),  # ValueError
    ],
    # ------------------------------------------------------------------ inverse time
    ("inverse_time_decay", "basic"): [
        Case((0, 0.1, 1.0)),
        Case((3, 0.1, 1.0)),
        Case((np.array([0, 1, 3]), 0.1, 1.0)),
        Case((50, 0.4, 0.02)),
        Case((np.arange(10), 0.5, 0.2)),
        _drawn(_ints(500, 12), 0.05, 0.01),
        Case((10, 1.0, 0.9)),
        Case((3, 1, 1)),  # Python ints: 1 / 4
        Case(([0, 1, 3, 7], 0.1, 1.0)),  # a list of steps
    ],
    ("inverse_time_decay", "edges"): [
        Case((np.array([0, 5, 50]), 0.1, 0.0)),  # k = 0: constant
        Case((np.array([1, 2]), 0.4, 0.5)),
        Case((np.array([1, 2, 4, 8]), 0.4, 0.5)),
        Case((np.array([[0, 10], [20, 30]]), 0.3, 0.1)),
        Case(([[0, 10], [20, 30]], 3, 0.5)),  # a nested list, an int lr0
        Case((-1, 0.1, 1.0)),  # ValueError
        Case((np.array([4, -4]), 0.1, 1.0)),  # ValueError
    ],
    # ------------------------------------------------------------------ cosine annealing
    ("cosine_annealing", "basic"): [
        Case((0, 1.0, 0.0, 10)),
        Case((5, 1.0, 0.0, 10)),
        Case((5, 1.0, 0.1, 10)),
        Case((np.array([0, 2, 4]), 1.0, 0.0, 4)),
        Case((np.arange(11), 0.1, 0.001, 10)),
        _drawn(_ints(50, 12), 0.5, 0.05, 50),
        Case((3, 0.2, 0.1, 8)),
        Case((np.arange(5), 1, 0, 4)),  # Python ints for lr_max and lr_min
        Case(([0, 1, 5, 9], 1.0, 0.1, 10)),  # a list of steps
    ],
    ("cosine_annealing", "edges"): [
        Case((10, 1.0, 0.1, 10)),  # t = T: exactly lr_min
        Case((np.array([11, 15, 20, 100]), 1.0, 0.1, 10)),
        Case((np.array([10, 11, 15, 20, 37]), 1.0, 0.1, 10)),  # held at lr_min after T
        _drawn(_ints(120, 15), 0.3, 0.01, 40),
        Case((np.array([0, 1, 2]), 0.5, 0.5, 2)),
        Case((np.array([0, 1, 2, 3]), 0.5, 0.5, 2)),  # lr_min = lr_max: constant
        Case((np.array([[0, 1], [2, 9]]), 1.0, 0.0, 1)),  # T = 1
        Case(([[1, 3], [6, 12]], 2, 1, 6)),  # a nested list, ints
        Case((-1, 1.0, 0.0, 10)),  # ValueError
        Case((np.array([0, 12, -5]), 1.0, 0.0, 10)),  # ValueError
    ],
    # ------------------------------------------------------------------ warm restarts
    ("cosine_warm_restarts", "basic"): [
        Case((0, 1.0, 0.0, 10)),
        Case((0, 1.0, 0.0, 4)),
        Case((3, 1.0, 0.0, 4)),
        Case((np.array([4, 8, 12]), 1.0, 0.0, 4)),
        Case((np.array([2, 6, 10]), 1.0, 0.0, 4)),
        Case((np.arange(13), 1.0, 0.0, 4)),  # restarts at 4, 8, 12
        Case((np.array([9, 10, 11, 19, 20, 21]), 0.1, 0.001, 10)),
        _drawn(_ints(100, 15), 0.5, 0.05, 7),
        Case((25, 0.2, 0.02, 6), {"T_mult": 1}),
        Case((np.array([0, 3, 6, 7]), 1.0, 0.5, 3)),
        Case((np.arange(10), 1, 0, 3)),  # Python ints for lr_max and lr_min
        Case(([0, 4, 5, 8], 1.0, 0.0, 4)),  # a list of steps
        Case((np.array([2, -1]), 1.0, 0.0, 4)),  # ValueError
    ],
    ("cosine_warm_restarts", "mult"): [
        Case((np.arange(15), 1.0, 0.0, 2), {"T_mult": 2}),
        Case((np.arange(16), 1.0, 0.0, 2), {"T_mult": 2}),  # restarts at 2, 6, 14
        Case((np.array([1, 4, 13]), 0.5, 0.0, 1), {"T_mult": 3}),
        Case((np.array([1, 2, 3, 5, 6, 7, 13, 14, 15, 29, 30, 31]), 1.0, 0.1, 2), {"T_mult": 2}),
        Case((np.array([0, 1, 3, 4, 12, 13, 14, 39, 40, 41]), 0.5, 0.0, 1), {"T_mult": 3}),
        # exact restarts where log(1 + t / T0 * (T_mult - 1)) / log(T_mult) lands just below an integer
        Case((121, 1.0, 0.0, 1), {"T_mult": 3}),
        Case((np.array([120, 121, 122]), 0.5, 0.05, 1), {"T_mult": 3}),
        Case((np.array([241, 242, 243, 727, 728]), 1.0, 0.1, 2), {"T_mult": 3}),
        Case((np.array([110, 111, 112]), 1.0, 0.0, 1), {"T_mult": 10}),
        Case((np.array([221, 222, 7380, 7381]), 1, 0, 2), {"T_mult": 10}),
        Case(([7380, 7381, 7382], 1.0, 0.0, 1), {"T_mult": 9}),  # a list of steps
        _drawn(_ints(300, 15), 0.1, 0.001, 3, T_mult=3),
        _drawn(_ints(200, 15), 0.2, 0.01, 5, T_mult=2),
        _drawn(_ints(400, 15), 1, 0, 1, T_mult=3),  # ints; reaches the restart at 121
        Case((np.array([[4, 5], [14, 15]]), 1.0, 0.0, 5), {"T_mult": 2}),
    ],
    # ------------------------------------------------------------------ GD with a schedule
    ("gd_with_schedule", "basic"): [
        Case((w_squared.grad, 5.0, [0.1, 0.25])),
        Case((w_squared.grad, 5.0, [0.1] * 8)),
        Case((theta_minus_3.grad, -1.0, 0.3 * 0.5 ** (np.arange(20) // 5))),
        Case((theta_minus_3.grad, -1.0, 0.4 * np.exp(-0.5 * np.arange(30)))),  # too fast: stalls
        Case((theta_minus_3.grad, -1.0, list(0.4 / (1.0 + 0.1 * np.arange(40))))),
        Case((w_squared.grad, 5, [0.1, 0.1])),  # an int w0: 5 -> 4 -> 3.2
        Case((w_squared.grad, 5, [0.1, 0.2, 0.3])),  # an int w0: 5 -> 4 -> 2.4 -> 0.96
        Case((w_squared.grad, 3, [0.05] * 4)),  # 3, 2.7, 2.43, ...: rounding each iterate drifts away
        Case((_bowl.grad, [1.0, -2.0], [0.1, 0.05])),  # a list w0
        Drawn(lambda rng: Case((theta_minus_3.grad, float(rng.uniform(-5, 5)),
                                rng.uniform(0.0, 0.9, size=int(rng.integers(5, 20)))))),
    ],
    ("gd_with_schedule", "arrays"): [
        Case((w_squared.grad, np.array([1.0, -2.0]), [0.25, 0.25])),
        Case((_bowl.grad, np.array([1.0, 1.0]), 0.15 * np.exp(-0.05 * np.arange(12)))),
        Case((_tilted.grad, np.array([2.0, -1.0]), np.linspace(0.4, 0.01, 15))),
        Case((_bowl.grad, [1.0, -2.0], [0.05, 0.1, 0.15, 0.1])),  # w0 as a list
        Case((w_squared.grad, np.array([[1.0, -2.0], [0.5, 3.0]]), [0.2, 0.1, 0.05])),  # 2-D w0
        Case((w_squared.grad, np.array([4.0]), np.full(5, 0.3))),
        Case((_bowl.grad, np.array([1, 2]), [0.1, 0.05])),  # an integer array w0
        Case((w_squared.grad, np.array([3, -3]), np.full(4, 0.05))),
        Drawn(lambda rng: Case((_tilted.grad, rng.normal(size=2), rng.uniform(0.0, 0.4, size=10)))),
    ],
    ("gd_with_schedule", "edges"): [
        Case((w_squared.grad, 5.0, [])),  # no steps: just w0
        Case((theta_minus_3.grad, 5.0, [])),
        Case((_bowl.grad, np.array([1.0, 2.0]), np.array([]))),
        Case((theta_minus_3.grad, np.zeros(2), np.array([]))),
        Case((_bowl.grad, [1.0, 2.0], [])),  # a list w0 and no steps
        Case((w_squared.grad, 5.0, np.zeros(4))),  # lr 0 never moves
        Case((w_squared.grad, 2.0, np.full(700, 3.0))),  # diverges, keeps going
        Case((w_squared.grad, 5.0, [0.5])),  # lands exactly on the minimum
        Case((theta_minus_3.grad, -1.0, [0.5])),
        Case((theta_minus_3.grad, -1, [0.3])),  # an int w0: -1 -> 1.4
        Case((w_squared.grad, 3, np.full(3, 0.05))),
    ],
}


# --------------------------------------------------------------------------- wrong formulations
# Each keeps the ValueError for t < 0 (unless that is the mistake), so a label is
# matched on the numbers alone.


def _t(t):
    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    return t


def _step_round(t, lr0, gamma, step_size):
    return lr0 * gamma ** np.round(_t(t) / step_size)


def _step_ceil(t, lr0, gamma, step_size):
    return lr0 * gamma ** np.ceil(_t(t) / step_size)


def _step_plus_one(t, lr0, gamma, step_size):
    return lr0 * gamma ** np.floor((_t(t) + 1) / step_size)


def _step_every_step(t, lr0, gamma, step_size):
    return lr0 * gamma ** _t(t)


def _step_no_floor(t, lr0, gamma, step_size):
    return lr0 * gamma ** (_t(t) / step_size)


def _step_no_check(t, lr0, gamma, step_size):
    return lr0 * gamma ** np.floor(np.asarray(t) / step_size)


def _exp_sign(t, lr0, k):
    return lr0 * np.exp(k * _t(t))


def _exp_plus_one(t, lr0, k):
    return lr0 * np.exp(-k * (_t(t) + 1))


def _exp_time_constant(t, lr0, k):
    return lr0 * np.exp(-_t(t) / np.float64(k))


def _exp_discrete(t, lr0, k):
    return lr0 * (1 - k) ** _t(t)


def _exp_no_check(t, lr0, k):
    return lr0 * np.exp(-k * np.asarray(t))


def _inv_squared(t, lr0, k):
    return lr0 / (1 + k * _t(t)) ** 2


def _inv_sign(t, lr0, k):
    return lr0 / (1 - k * _t(t))


def _inv_plus_one(t, lr0, k):
    return lr0 / (1 + k * (_t(t) + 1))


def _inv_no_one(t, lr0, k):
    return lr0 / (k * _t(t))


def _inv_sqrt(t, lr0, k):
    return lr0 / np.sqrt(1 + k * _t(t))


def _inv_no_check(t, lr0, k):
    return lr0 / (1 + k * np.asarray(t))


def _cos(t_cur, period, lr_max, lr_min):
    return lr_min + (lr_max - lr_min) * (1 + np.cos(np.pi * t_cur / period)) / 2


def _cos_not_held(t, lr_max, lr_min, T):
    return _cos(_t(t), T, lr_max, lr_min)


def _cos_modulo(t, lr_max, lr_min, T):
    return _cos(_t(t) % T, T, lr_max, lr_min)


def _cos_swapped(t, lr_max, lr_min, T):
    return _cos(np.minimum(_t(t), T), T, lr_min, lr_max)


def _cos_no_rescale(t, lr_max, lr_min, T):
    return lr_min + (lr_max - lr_min) * np.cos(np.pi * np.minimum(_t(t), T) / T)


def _cos_full_period(t, lr_max, lr_min, T):
    return _cos(2 * np.minimum(_t(t), T), T, lr_max, lr_min)


def _cos_plus_one(t, lr_max, lr_min, T):
    return _cos(np.minimum(_t(t) + 1, T), T, lr_max, lr_min)


def _cos_no_check(t, lr_max, lr_min, T):
    return _cos(np.minimum(np.asarray(t), T), T, lr_max, lr_min)


def _cycles(t, T0, T_mult, *, lengths_from=0):
    """Start and length of the cycle holding each t (integers, by walking the cycles)."""
    t = np.asarray(t)
    starts, lengths = [0], [T0 * T_mult**lengths_from]
    last = int(t.max()) if t.size else 0
    while starts[-1] + lengths[-1] <= last:
        starts.append(starts[-1] + lengths[-1])
        lengths.append(lengths[-1] * T_mult)
    idx = np.searchsorted(np.array(starts), t, side="right") - 1
    return t - np.array(starts)[idx], np.array(lengths, dtype=float)[idx]


def _sgdr_no_mult(t, lr_max, lr_min, T0, T_mult=1):
    return _cos(_t(t) % T0, T0, lr_max, lr_min)


def _sgdr_period_t0(t, lr_max, lr_min, T0, T_mult=1):
    t_cur, _ = _cycles(_t(t), T0, T_mult)
    return _cos(t_cur, T0, lr_max, lr_min)


def _sgdr_first_cycle_long(t, lr_max, lr_min, T0, T_mult=1):
    t_cur, period = _cycles(_t(t), T0, T_mult, lengths_from=1)
    return _cos(t_cur, period, lr_max, lr_min)


def _sgdr_restart_late(t, lr_max, lr_min, T0, T_mult=1):
    t_cur, period = _cycles(_t(t), T0, T_mult)
    return _cos(t_cur, np.maximum(period - 1, 1), lr_max, lr_min)


def _sgdr_plus_one(t, lr_max, lr_min, T0, T_mult=1):
    t_cur, period = _cycles(_t(t) + 1, T0, T_mult)
    return _cos(t_cur, period, lr_max, lr_min)


def _sgdr_swapped(t, lr_max, lr_min, T0, T_mult=1):
    t_cur, period = _cycles(_t(t), T0, T_mult)
    return _cos(t_cur, period, lr_min, lr_max)


def _sgdr_no_restart(t, lr_max, lr_min, T0, T_mult=1):
    return _cos(np.minimum(_t(t), T0), T0, lr_max, lr_min)


def _sgdr_no_check(t, lr_max, lr_min, T0, T_mult=1):
    t_cur, period = _cycles(np.asarray(t), T0, T_mult)
    return _cos(t_cur, period, lr_max, lr_min)


def _gd_next_lr(grad_fn, w0, lrs):
    w = np.array(w0, dtype=float)
    path = [w]
    for t in range(len(lrs)):
        w = w - lrs[t + 1] * np.asarray(grad_fn(w))  # IndexError at the last step
        path.append(w)
    return np.array(path)


def _gd_skip_first(grad_fn, w0, lrs):
    w = np.array(w0, dtype=float)
    path = [w]
    for t in range(1, len(lrs)):
        w = w - lrs[t] * np.asarray(grad_fn(w))
        path.append(w)
    return np.array(path)


def _gd_first_lr_only(grad_fn, w0, lrs):
    w = np.array(w0, dtype=float)
    path = [w]
    for _ in range(len(lrs)):
        w = w - lrs[0] * np.asarray(grad_fn(w))
        path.append(w)
    return np.array(path)


def _gd_no_w0(grad_fn, w0, lrs):
    w = np.array(w0, dtype=float)
    path = []
    for lr in lrs:
        w = w - lr * np.asarray(grad_fn(w))
        path.append(w)
    return np.array(path).reshape((len(lrs),) + np.shape(w0))


def _gd_sign(grad_fn, w0, lrs):
    w = np.array(w0, dtype=float)
    path = [w]
    for lr in lrs:
        w = w + lr * np.asarray(grad_fn(w))
        path.append(w)
    return np.array(path)


def _gd_final_only(grad_fn, w0, lrs):
    w = np.array(w0, dtype=float)
    for lr in lrs:
        w = w - lr * np.asarray(grad_fn(w))
    return w


def _gd_grad_at_w0(grad_fn, w0, lrs):
    w = np.array(w0, dtype=float)
    g0 = np.asarray(grad_fn(w))
    path = [w]
    for lr in lrs:
        w = w - lr * g0
        path.append(w)
    return np.array(path)


# --------------------------------------------------------------------------- inputs the SPEC allows
# Code that fails on a list or keeps integers can fail in many ways; the list stand-ins
# raise a plain Exception on a list input, which matches any error the student's code raised.

_LIST = "fails on a list: convert with np.asarray"
_INT_RAISE = "fails on integer input (e.g. an in-place update of an integer array): work on np.array(w0, dtype=float)"
_INT_CAST = "integer input gave integer results (cast back to the input's dtype): compute in floats"
_INT_PATH = "integer w0 gave an integer path (the array of iterates took w0's dtype): allocate it as floats"
_INT_PATH_STEP = ("integer w0 gave an integer path, and each step started from the rounded iterate: "
                  "allocate it as floats")
_LOG = "cycle index from a floating-point log: use integer arithmetic"


def _fails_on_lists(fn, position):
    def wrong(*args, **kwargs):
        if isinstance(args[position], list):
            raise Exception("a list input was not converted")  # noqa: TRY002 - stands for any error
        return fn(*args, **kwargs)

    return wrong


def _like_t(fn):
    """The schedule written into ``np.zeros_like(t)``: an integer t gives integer rates."""

    def wrong(t, *args, **kwargs):
        rates = fn(t, *args, **kwargs)
        out = np.zeros_like(np.asarray(t))
        out[...] = rates
        return out

    return wrong


def _sgdr_float_log(t, lr_max, lr_min, T0, T_mult=1):
    """PyTorch's CosineAnnealingWarmRestarts closed form (Keras and timm take the same log)."""
    ts = _t(t)
    out = []
    for s in ts.ravel().tolist():
        if s < T0:
            t_cur, t_i = s, T0
        elif T_mult == 1:
            t_cur, t_i = s % T0, T0
        else:
            n = int(math.log(s / T0 * (T_mult - 1) + 1, T_mult))
            t_cur = s - T0 * (T_mult**n - 1) / (T_mult - 1)
            t_i = T0 * T_mult**n
        out.append(_cos(t_cur, t_i, lr_max, lr_min))
    return np.array(out, dtype=float).reshape(ts.shape)


def _gd_int_path_step(grad_fn, w0, lrs):
    w0 = np.asarray(w0)
    path = np.zeros((len(lrs) + 1,) + w0.shape, dtype=w0.dtype)  # each step reads the rounded row back
    path[0] = w0
    with np.errstate(over="ignore", invalid="ignore"):
        for t, lr in enumerate(lrs):
            path[t + 1] = path[t] - lr * np.asarray(grad_fn(path[t]))
    return path


def _gd_int_path(grad_fn, w0, lrs):
    w = np.asarray(w0)
    path = np.zeros((len(lrs) + 1,) + w.shape, dtype=w.dtype)  # an int w0 makes an int path
    path[0] = w
    with np.errstate(over="ignore", invalid="ignore"):
        for t, lr in enumerate(lrs):
            w = w - lr * np.asarray(grad_fn(w))
            path[t + 1] = w
    return path


def _gd_int_raise(grad_fn, w0, lrs):
    if np.issubdtype(np.asarray(w0).dtype, np.integer):
        raise Exception("an integer input was not converted")  # noqa: TRY002 - stands for any error
    return gd_with_schedule(grad_fn, w0, lrs)


_NO_CHECK = "no ValueError for t < 0 (t counts steps from 0; a negative step does not exist)"

MISTAKES = {
    "step_decay": [
        ("round instead of floor (the rate drops halfway through a stage)", _step_round),
        ("ceil instead of floor (the first drop happens at t = 1)", _step_ceil),
        ("t counted from 1 (used t + 1)", _step_plus_one),
        ("decay applied every step, not every step_size steps", _step_every_step),
        ("no floor: gamma ** (t / step_size) decays smoothly instead of in steps", _step_no_floor),
        (_NO_CHECK, _step_no_check),
        (_INT_CAST, _like_t(step_decay)),
        (_LIST, _fails_on_lists(step_decay, 0)),
    ],
    "exponential_decay": [
        ("sign of k flipped (exp(+k t) grows)", _exp_sign),
        ("t counted from 1 (used t + 1)", _exp_plus_one),
        ("exp(-t / k): k used as a time constant instead of a rate", _exp_time_constant),
        ("(1 - k) ** t instead of exp(-k t)", _exp_discrete),
        (_NO_CHECK, _exp_no_check),
        (_INT_CAST, _like_t(exponential_decay)),
        (_LIST, _fails_on_lists(exponential_decay, 0)),
    ],
    "inverse_time_decay": [
        ("1 + k*t squared", _inv_squared),
        ("sign of k flipped (1 - k*t)", _inv_sign),
        ("t counted from 1 (used t + 1)", _inv_plus_one),
        ("forgot the 1 + in 1 + k*t", _inv_no_one),
        ("square root of 1 + k*t", _inv_sqrt),
        (_NO_CHECK, _inv_no_check),
        (_INT_CAST, _like_t(inverse_time_decay)),
        (_LIST, _fails_on_lists(inverse_time_decay, 0)),
    ],
    "cosine_annealing": [
        ("cosine not held at lr_min after T (it climbs back up)", _cos_not_held),
        ("t % T: restarts after T instead of holding at lr_min", _cos_modulo),
        ("lr_max and lr_min swapped", _cos_swapped),
        ("missing (1 + cos) / 2: the cosine itself goes from +1 to -1", _cos_no_rescale),
        ("cos(2 pi t / T): a full period instead of half of one", _cos_full_period),
        ("t counted from 1 (used t + 1)", _cos_plus_one),
        (_NO_CHECK, _cos_no_check),
        (_INT_CAST, _like_t(cosine_annealing)),
        (_LIST, _fails_on_lists(cosine_annealing, 0)),
    ],
    "cosine_warm_restarts": [
        ("T_mult ignored (every cycle T0 long)", _sgdr_no_mult),
        ("restart cycle uses T0 for every cycle (T_i = T0 inside the cosine)", _sgdr_period_t0),
        ("cycle i is T0 * T_mult**(i + 1) long (the first cycle must be T0)", _sgdr_first_cycle_long),
        ("cosine over T_i - 1 steps (lr_min reached inside the cycle)", _sgdr_restart_late),
        ("t counted from 1 (used t + 1)", _sgdr_plus_one),
        ("lr_max and lr_min swapped", _sgdr_swapped),
        ("no restarts (held at lr_min after T0)", _sgdr_no_restart),
        (_NO_CHECK, _sgdr_no_check),
        (_LOG, _sgdr_float_log),
        (_INT_CAST, _like_t(cosine_warm_restarts)),
        (_LIST, _fails_on_lists(cosine_warm_restarts, 0)),
    ],
    "gd_with_schedule": [
        ("used lrs[t+1] (step t must use lrs[t])", _gd_next_lr),
        ("first learning rate skipped (loop started at t = 1)", _gd_skip_first),
        ("lrs[0] used for every step (the schedule is ignored)", _gd_first_lr_only),
        ("w0 left out of the returned iterates (the first row must be w0)", _gd_no_w0),
        ("sign flipped (w + lr * grad: that climbs the loss)", _gd_sign),
        ("returned only the final w, not every iterate", _gd_final_only),
        ("gradient computed once at w0 instead of at the current w", _gd_grad_at_w0),
        (_INT_PATH, _gd_int_path),
        (_INT_PATH_STEP, _gd_int_path_step),
        (_INT_RAISE, _gd_int_raise),
        (_LIST, _fails_on_lists(gd_with_schedule, 1)),
    ],
}
