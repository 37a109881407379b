"""Hidden test cases for ps2_schedules (see :mod:`lrcourse.cases`).

Every schedule takes ``t`` as an int, a list or an integer array (vectorised) and
raises ``ValueError`` for any t < 0; the ``edges`` aspects hold those cases. Random
step indices are :class:`Drawn` per submission (the schedules have no threshold a
draw could sit on: ``t`` is an exact integer). The warm-restart cases include the
exact restart points where a cycle index computed with a floating-point logarithm
(PyTorch's closed form, Keras, timm) lands a hair below an integer: t = 121 with
``T0 = 1, T_mult = 3``, t = 242 with ``T0 = 2``, t = 111 with ``T_mult = 10``.
Python ints and lists stand wherever the SPEC allows them.
"""


import numpy as np

from ..landscapes import QuadraticND, theta_minus_3, w_squared
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
