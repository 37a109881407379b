"""Hidden test cases for ps5_adaptive (see :mod:`lrcourse.cases`).

Fixed cases hold the notebook's worked examples and the boundaries; :class:`Drawn` cases are
drawn afresh for every submission. The SPEC has no thresholds in the step functions, so a
draw only has to stay valid: ``G``, ``s`` and ``v`` are >= 0, ``t`` a whole number >= 0 and
``0 <= T_warmup < T`` by construction (``tests/test_adaptive.py`` draws 200 seeds).

Where real code goes wrong, and the cases that catch it:

* ``eps`` inside the square root (Keras, d2l) or added before the bias correction (Adam's
  "efficient" form in Kingma and Ba, Keras): invisible with gradients near 1, so there are
  cases with tiny gradients (1e-6) and cases with a large ``eps``;
* Adam's bias correction with ``t`` where the SPEC's step count is ``t + 1``: at t = 0 it
  divides by zero, so every aspect has a t = 0 case;
* warmup off by one (ramp ``t / T_warmup``, lr_max reached one step late), cosine not
  shifted or of the wrong length, not held after T; integer ``t`` arrays used as the output
  buffer (``np.zeros_like(t)``);
* lists and Python ints wherever the SPEC allows them, with answers that are not integers.
"""

import numpy as np

from ..landscapes import Quadratic1D, QuadraticND, ill_conditioned_2d, theta_minus_3, w_squared
from .base import Case, Drawn

_rotated = ill_conditioned_2d(25.0)  # kappa = 25, axes rotated by 30 degrees
_axis = QuadraticND([1.0, 25.0], name="axis-aligned valley, kappa = 25")
_axis_stiff = QuadraticND([1.0, 10000.0], name="axis-aligned valley, kappa = 10000")
_bowl3 = QuadraticND([0.5, 2.0, 4.0], b=[1.0, -1.0, 0.5], name="3-D bowl with its minimum off the origin")
_flat = Quadratic1D(1e-6, name="L(theta) = 1e-6 * theta**2 (tiny gradients)")


def _scalar_state(rng, *, state_high=3.0):
    return (float(rng.normal(scale=2.0)), float(rng.uniform(0.0, state_high)), float(rng.normal(scale=1.5)))


def _draw_adagrad_scalar(rng):
    theta, G, grad = _scalar_state(rng)
    return Case((theta, G, grad, float(rng.uniform(0.01, 0.5))))


def _draw_adagrad_array(rng):
    shape = (3, 4)
    return Case((rng.normal(size=shape), rng.uniform(0.0, 2.0, size=shape), rng.normal(size=shape),
                 float(rng.uniform(0.01, 0.5))))


def _draw_rmsprop_scalar(rng):
    theta, s, grad = _scalar_state(rng)
    return Case((theta, s, grad, float(rng.uniform(0.01, 0.5))), {"beta": float(rng.uniform(0.5, 0.99))})


def _draw_rmsprop_array(rng):
    shape = (2, 5)
    return Case((rng.normal(size=shape), rng.uniform(0.0, 2.0, size=shape), rng.normal(size=shape),
                 float(rng.uniform(0.01, 0.5))))


def _draw_adam_scalar(rng):
    return Case(
        (float(rng.normal()), float(rng.normal(scale=0.5)), float(rng.uniform(0.0, 1.0)), float(rng.normal()),
         int(rng.integers(0, 50))),
        {"lr": float(rng.uniform(0.001, 0.1))},
    )


def _draw_adam_array(rng):
    shape = (3, 4)
    return Case(
        (rng.normal(size=shape), rng.normal(scale=0.5, size=shape), rng.uniform(0.0, 1.0, size=shape),
         rng.normal(size=shape), int(rng.integers(0, 30))),
        {"lr": float(rng.uniform(0.001, 0.1)), "beta1": float(rng.uniform(0.5, 0.95))},
    )


def _draw_adam_first_step(rng):
    """t = 0 from m = v = 0 with gradients spread over six orders of magnitude."""
    grad = rng.choice([-1.0, 1.0], size=6) * 10.0 ** rng.uniform(-3, 3, size=6)
    return Case((rng.normal(size=6), np.zeros(6), np.zeros(6), grad, 0), {"lr": float(rng.uniform(0.001, 0.1))})


def _draw_run_adam(rng):
    return Case((_rotated.grad, rng.normal(scale=1.5, size=2), float(rng.uniform(0.01, 0.2)),
                 int(rng.integers(5, 40))))


def _draw_warmup(rng):
    T = int(rng.integers(5, 200))
    T_warmup = int(rng.integers(1, T))
    lr_max = float(rng.uniform(0.01, 1.0))
    lr_min = lr_max * float(rng.uniform(0.0, 0.5))
    t = rng.integers(0, 2 * T, size=15)
    t[:3] = [0, T_warmup - 1, T_warmup]  # the two ends of the warmup are always there
    return Case((t, lr_max, lr_min, T_warmup, T))


CASES = {
    # ------------------------------------------------------------------ AdaGrad
    ("adagrad_step", "basic"): [
        Case((1.0, 0.0, 2.0, 0.1)),  # first step: G = 4, theta = 1 - 0.1 * 2 / 2
        Case((1.0, 3.0, 1.0, 0.5)),  # fourth equal gradient: G = 4, step lr / sqrt(4)
        Case((3, 1, 2, 1)),  # Python ints: 3 - 2 / sqrt(5)
        Case((-2.0, 0.5, -4.0, 0.05)),
        Case((0.5, 0.0, 1e-6, 0.1)),  # tiny gradient: eps is 1 % of sqrt(G)
        Case((1.0, 2.0, 1.0, 0.1), {"eps": 0.5}),
        Case((2.0, 1.0, 0.0, 0.3)),  # zero gradient: nothing moves
        Drawn(_draw_adagrad_scalar),
        Drawn(_draw_adagrad_scalar),
    ],
    ("adagrad_step", "arrays"): [
        Case((np.array([1.0, -2.0]), np.array([0.0, 3.0]), np.array([2.0, 1.0]), 0.1)),
        Case(([1.0, -2.0, 0.5], [0.0, 1.0, 4.0], [0.5, -1.0, 2.0], 0.2)),  # lists
        Case(([1, 2], [0, 1], [3, -1], 1)),  # lists of Python ints
        Case((np.zeros(3), np.zeros(3), np.array([1e-6, 1e-3, 1.0]), 0.1)),  # tiny gradients
        Case((np.array(2.0), np.array(1.0), np.array(-0.5), 0.4)),  # 0-d arrays
        Case((np.ones((2, 2)), np.ones((2, 2)), np.array([[1.0, 2.0], [-3.0, 0.0]]), 0.3), {"eps": 0.1}),
        Drawn(_draw_adagrad_array),
    ],
    # ------------------------------------------------------------------ RMSprop
    ("rmsprop_step", "basic"): [
        Case((1.0, 0.0, 2.0, 0.1)),  # first step: s = 0.4, a step of 0.1 * 2 / sqrt(0.4) = 3.16 * lr
        Case((1.0, 4.0, 2.0, 0.1)),  # s = 0.9 * 4 + 0.1 * 4 = 4: a step of lr
        Case((2, 1, 3, 1)),  # Python ints: s = 1.8, 2 - 3 / sqrt(1.8)
        Case((0.5, 0.0, 1.5, 0.05), {"beta": 0.0}),  # beta = 0: a sign step
        Case((1.0, 0.5, -1.0, 0.01), {"beta": 0.99}),
        Case((0.3, 0.0, 1e-6, 0.1)),  # tiny gradient
        Case((1.0, 1.0, 1.0, 0.1), {"beta": 0.5, "eps": 0.1}),
        Drawn(_draw_rmsprop_scalar),
        Drawn(_draw_rmsprop_scalar),
    ],
    ("rmsprop_step", "arrays"): [
        Case((np.array([1.0, -2.0]), np.array([0.0, 3.0]), np.array([2.0, 1.0]), 0.1)),
        Case(([1.0, -2.0, 0.5], [0.0, 1.0, 4.0], [0.5, -1.0, 2.0], 0.2), {"beta": 0.8}),  # lists
        Case(([1, 2], [0, 1], [3, -1], 1)),  # lists of Python ints
        Case((np.zeros(3), np.zeros(3), np.array([1e-6, 1e-3, 1.0]), 0.1)),  # tiny gradients
        Case((np.array(2.0), np.array(1.0), np.array(-0.5), 0.4)),  # 0-d arrays
        Case((np.zeros(4), np.zeros(4), np.array([1e-3, -0.1, 10.0, -1e3]), 0.01), {"beta": 0.0}),
        Drawn(_draw_rmsprop_array),
    ],
    # ------------------------------------------------------------------ Adam
    ("adam_step", "basic"): [
        Case((1.0, 0.0, 0.0, 2.0, 0), {"lr": 0.1}),  # first step: lr * sign(grad)
        Case((1.0, 0.0, 0.0, -0.003, 0)),  # default lr 0.001
        Case((0.9, 0.2, 0.004, 1.0, 1), {"lr": 0.1}),  # the second step of the worked example
        Case((5, 1, 2, 3, 1, 1)),  # Python ints (lr given by position)
        Case((0.0, 0.5, 0.3, 1.0, 10), {"lr": 0.01, "beta1": 0.8, "beta2": 0.99}),
        Case((1.0, 0.0, 0.0, 1e-6, 0), {"lr": 0.1}),  # tiny gradient: eps is 1 % of sqrt(v_hat)
        Case((1.0, 0.1, 0.01, 0.5, 3), {"lr": 0.1, "eps": 0.1}),
        Drawn(_draw_adam_scalar),
        Drawn(_draw_adam_scalar),
    ],
    ("adam_step", "arrays"): [
        Case((np.zeros(4), np.zeros(4), np.zeros(4), np.array([1e-3, -0.1, 10.0, -1e3]), 0), {"lr": 0.01}),
        Case(([1.0, -1.0], [0.0, 0.0], [0.0, 0.0], [0.5, -2.0], 0, 0.1)),  # lists
        Case(([1, 2], [0, 1], [0, 2], [3, -1], 2, 1)),  # lists of Python ints
        Case((np.array([0.5, 0.5]), np.array([0.1, -0.1]), np.array([0.02, 0.02]), np.array([1e-6, 2.0]), 4),
             {"lr": 0.05}),
        Case((np.array(2.0), np.array(0.5), np.array(0.3), np.array(-1.0), 7), {"lr": 0.1}),  # 0-d arrays
        Drawn(_draw_adam_first_step),
        Drawn(_draw_adam_array),
    ],
    ("adam_step", "edges"): [
        Case((1.0, 0.0, 0.0, 1.0, -1)),  # ValueError
        Case((1.0, 0.0, 0.0, 1.0, 1.5)),  # ValueError
        Case((1.0, 0.3, 0.2, 1.0, np.int64(3)), {"lr": 0.1}),  # t from np.arange
        Case((1.0, 0.3, 0.2, 1.0, 10000), {"lr": 0.1}),  # late: the correction has faded
        Case((2.0, 0.5, 0.25, 0.5, 0), {"lr": 0.1, "beta1": 0.0, "beta2": 0.0}),  # no memory: a sign step
        Case((1.0, 0.0, 0.0, 0.0, 0)),  # zero gradient from rest: nothing moves
        Case((1.0, 1.0, 1.0, 0.0, 0), {"lr": 0.1}),  # state given at t = 0 is used as it is
        Case((np.ones(3), np.zeros(3), np.zeros(3), np.array([1e-6, 1e-7, 1.0]), 0), {"lr": 0.1, "eps": 1e-6}),
    ],
    # ------------------------------------------------------------------ run_adam
    ("run_adam", "basic"): [
        Case((w_squared.grad, 1.0, 0.25, 2)),
        Case((w_squared.grad, 5.0, 0.1, 30)),
        Case((theta_minus_3.grad, -1.0, 0.5, 40)),
        Case((w_squared.grad, 5, 1, 10)),  # Python ints
        Case((_rotated.grad, np.array([2.0, 1.0]), 0.1, 60)),
        Case((_axis.grad, np.array([2.0, 1.0]), 0.1, 60)),
        Case((_axis_stiff.grad, np.array([2.0, 1.0]), 0.1, 60)),  # the same path as kappa = 25
        Drawn(_draw_run_adam),
    ],
    ("run_adam", "edges"): [
        Case((w_squared.grad, 5.0, 0.1, 0)),  # no steps: theta0 alone
        Case((_rotated.grad, np.array([-1.5, 2.0]), 0.1, 0)),
        Case((_bowl3.grad, [1.0, -2.0, 0.5], 0.05, 20)),  # theta0 as a list
        Case((w_squared.grad, 2.0, 0.1, 25), {"beta1": 0.5, "beta2": 0.9}),
        Case((w_squared.grad, 1.0, 0.1, 20), {"eps": 0.05}),
        Case((_flat.grad, 1.0, 0.01, 10)),  # tiny gradients: eps matters
        Case((w_squared.grad, [0.0, 0.0], 0.1, 5)),  # starts at the minimum (a list): stays there
        Case((w_squared.grad, np.array([[1.0, -2.0], [0.5, 3.0]]), 0.1, 10)),  # 2-D theta0
    ],
    # ------------------------------------------------------------------ warmup + cosine
    ("warmup_cosine", "basic"): [
        Case((np.arange(8), 1.0, 0.0, 3, 6)),  # the worked example
        Case((np.arange(12), 1.0, 0.0, 3, 10)),
        Case((0, 0.1, 0.0, 5, 50)),  # first step: lr_max / T_warmup
        Case((4, 0.1, 0.0, 5, 50)),  # t = T_warmup - 1: lr_max
        Case((5, 0.1, 0.0, 5, 50)),  # t = T_warmup: the cosine starts at lr_max
        Case((np.arange(8), 1, 0, 4, 10)),  # Python ints for the rates
        Case((np.array([0, 9, 10, 55, 100, 150]), 0.5, 0.05, 10, 100)),
        Drawn(_draw_warmup),
        Drawn(_draw_warmup),
    ],
    ("warmup_cosine", "edges"): [
        Case((np.arange(12), 1.0, 0.1, 0, 10)),  # no warmup: cosine_annealing
        Case((np.arange(8), 1.0, 0.0, 5, 6)),  # T_warmup = T - 1: a one-step cosine
        Case((np.arange(5), 1.0, 0.0, 1, 4)),  # T_warmup = 1: lr_max at t = 0
        Case((np.array([10, 11, 50]), 1.0, 0.2, 4, 10)),  # held at lr_min after T
        Case((np.array([[0, 1], [2, 30]]), 0.3, 0.03, 2, 20)),  # any shape
        Case((np.int64(7), 1.0, 0.0, 4, 10)),
        Case((np.arange(6), 0.5, 0.5, 2, 4)),  # lr_min = lr_max: flat after the warmup
        Case((-1, 1.0, 0.0, 3, 10)),  # ValueError
        Case((np.array([0, 5, -2]), 1.0, 0.0, 3, 10)),  # ValueError
    ],
}
