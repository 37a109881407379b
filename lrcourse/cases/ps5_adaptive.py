"""Hidden test cases and known mistakes for ps5_adaptive (see :mod:`lrcourse.cases`).

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


# --------------------------------------------------------------------------- wrong formulations
# Written from scratch (not through the reference), each with exactly one mistake.


def _f(x):
    return np.asarray(x, dtype=float)


def _fails_on_lists(fn):
    def wrong(*args, **kwargs):
        if any(isinstance(a, list) for a in args):
            raise Exception("a list input was not converted")  # noqa: TRY002 - stands for any error
        return fn(*args, **kwargs)

    return wrong


def _cast_to_input_dtype(fn):
    """Results cast back to the dtype of the first input (an int theta gives int results)."""

    def wrong(*args, **kwargs):
        dtype = np.asarray(args[0]).dtype
        out = fn(*args, **kwargs)
        if not np.issubdtype(dtype, np.integer):
            return out
        if isinstance(out, tuple):
            return tuple(np.asarray(o).astype(dtype) for o in out)
        return np.asarray(out).astype(dtype)

    return wrong


def _adagrad(theta, G, grad, lr, eps=1e-8, *, variant=""):
    theta, G, grad = _f(theta), _f(G), _f(grad)
    G_new = G + (grad if variant == "unsquared" else grad**2)
    if variant == "not_accumulated":
        G_new = grad**2
    denom = {
        "eps_inside": np.sqrt(G_new + eps),
        "no_sqrt": G_new + eps,
        "old_G": np.sqrt(G) + eps,
    }.get(variant, np.sqrt(G_new) + eps)
    step = lr * grad / denom
    theta_new = theta + step if variant == "sign" else theta - step
    if variant == "swapped":
        return G_new, theta_new
    if variant == "old_G_returned":
        return theta_new, G
    return theta_new, G_new


def _adagrad_variant(variant):
    def wrong(theta, G, grad, lr, eps=1e-8):
        return _adagrad(theta, G, grad, lr, eps, variant=variant)

    return wrong


def _rmsprop(theta, s, grad, lr, beta=0.9, eps=1e-8, *, variant=""):
    theta, s, grad = _f(theta), _f(s), _f(grad)
    sq = grad if variant == "unsquared" else grad**2
    s_new = {
        "no_one_minus": beta * s + sq,
        "swapped_weights": (1 - beta) * s + beta * sq,
        "summed": s + sq,
    }.get(variant, beta * s + (1 - beta) * sq)
    denom = {
        "eps_inside": np.sqrt(s_new + eps),
        "no_sqrt": s_new + eps,
        "old_s": np.sqrt(s) + eps,
    }.get(variant, np.sqrt(s_new) + eps)
    step = lr * grad / denom
    theta_new = theta + step if variant == "sign" else theta - step
    return theta_new, s_new


def _rmsprop_variant(variant):
    def wrong(theta, s, grad, lr, beta=0.9, eps=1e-8):
        return _rmsprop(theta, s, grad, lr, beta, eps, variant=variant)

    return wrong


def _valid_t(t):
    if t < 0 or t != int(t):
        raise ValueError("t must be a whole number >= 0")


def _adam(theta, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8, *, variant=""):
    if variant != "no_check":
        _valid_t(t)
    theta, m, v, grad = _f(theta), _f(m), _f(v), _f(grad)
    if variant == "betas_swapped":
        beta1, beta2 = beta2, beta1
    m_new = beta1 * m + (grad if variant == "no_one_minus_1" else (1 - beta1) * grad)
    sq = grad if variant == "unsquared" else grad**2
    v_new = beta2 * v + (sq if variant == "no_one_minus_2" else (1 - beta2) * sq)
    k = t if variant == "t_from_1" else t + 1
    bc1, bc2 = 1 - beta1**k, 1 - beta2**k
    m_hat = m_new if variant in ("no_correction", "no_correction_m") else m_new / bc1
    v_hat = v_new if variant in ("no_correction", "no_correction_v") else v_new / bc2
    if variant == "hats_swapped":
        m_hat, v_hat = v_hat, m_hat
    if variant == "eps_hat":  # Kingma and Ba's "efficient" form: eps added before the correction
        step = lr * np.sqrt(bc2) / bc1 * m_new / (np.sqrt(v_new) + eps)
    elif variant == "eps_inside":
        step = lr * m_hat / np.sqrt(v_hat + eps)
    elif variant == "no_sqrt":
        step = lr * m_hat / (v_hat + eps)
    else:
        step = lr * m_hat / (np.sqrt(v_hat) + eps)
    theta_new = theta + step if variant == "sign" else theta - step
    if variant == "return_m_v_swapped":
        return theta_new, v_new, m_new
    if variant == "return_hats":
        return theta_new, m_hat, v_hat
    return theta_new, m_new, v_new


def _adam_variant(variant):
    def wrong(theta, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        return _adam(theta, m, v, grad, t, lr, beta1, beta2, eps, variant=variant)

    return wrong


def _run_adam(grad_fn, theta0, lr, n_steps, beta1=0.9, beta2=0.999, eps=1e-8, *, variant=""):
    theta = _f(theta0)
    m = np.zeros_like(theta)
    v = np.zeros_like(theta)
    path = [] if variant == "no_theta0" else [theta]
    g0 = _f(grad_fn(theta))
    step_variant = {"t_from_1": "", "no_correction": "no_correction", "eps_hat": "eps_hat"}.get(variant, "")
    for t in range(n_steps + (1 if variant == "extra" else 0)):
        g = g0 if variant == "frozen" else _f(grad_fn(theta))
        if variant == "reset":
            m, v = np.zeros_like(theta), np.zeros_like(theta)
        t_used = {"t_from_1": t + 1, "t_fixed": 0, "reset": 0}.get(variant, t)
        theta, m, v = _adam(theta, m, v, g, t_used, lr, beta1, beta2, eps, variant=step_variant)
        path.append(theta)
    if not path:
        return np.empty((0,) + np.shape(theta0))
    if variant == "int_path":  # path = np.zeros(..., dtype=theta0's dtype): an int theta0 truncates
        return np.array(path).astype(np.asarray(theta0).dtype)
    return np.array(path)


def _run_adam_variant(variant):
    def wrong(grad_fn, theta0, lr, n_steps, beta1=0.9, beta2=0.999, eps=1e-8):
        return _run_adam(grad_fn, theta0, lr, n_steps, beta1, beta2, eps, variant=variant)

    return wrong


def _warm(t, lr_max, lr_min, T_warmup, T, *, variant=""):
    t = np.asarray(t)
    if variant != "no_check" and np.any(t < 0):
        raise ValueError("t must be >= 0")
    Tw = T_warmup
    if variant == "ramp_from_t":  # lr_max * t / T_warmup (Hugging Face, timm): 0 at t = 0
        warm = lr_max * t / max(Tw, 1)
    elif variant == "ramp_long":  # reaches lr_max at t = T_warmup
        warm = lr_max * (t + 1) / (Tw + 1)
    elif variant == "linear_lr":  # PyTorch LinearLR(start_factor=1/T_warmup, total_iters=T_warmup)
        start = 1 / max(Tw, 1)
        warm = lr_max * (start + (1 - start) * t / max(Tw, 1))
    elif variant == "ramp_from_lr_min":
        warm = lr_min + (lr_max - lr_min) * (t + 1) / max(Tw, 1)
    else:
        warm = lr_max * (t + 1) / max(Tw, 1)
    decay = T - Tw
    if variant == "not_shifted":
        t_cur, period = np.minimum(t, T), T
    elif variant == "length_T":  # cosine T steps long after the warmup (Keras' decay_steps)
        t_cur, period = np.minimum(t - Tw, T), T
    elif variant in ("not_held", "hf"):
        t_cur, period = t - Tw, decay
    else:
        t_cur, period = np.minimum(t - Tw, decay), decay
    cosine = lr_min + (lr_max - lr_min) * (1 + np.cos(np.pi * t_cur / period)) / 2
    if variant == "swapped":
        cosine = lr_max + (lr_min - lr_max) * (1 + np.cos(np.pi * t_cur / period)) / 2
    if variant == "hf":  # get_cosine_schedule_with_warmup: ramp t / T_warmup and no hold after T
        warm = lr_max * t / max(Tw, 1)
    in_warmup = t <= Tw if variant == "le" else t < Tw
    out = np.where(in_warmup, warm, cosine)
    if variant == "int_buffer":  # lr = np.zeros_like(t); lr[...] = ...: an integer t makes integer rates
        out = out.astype(t.dtype)
    return out


def _warm_variant(variant):
    def wrong(t, lr_max, lr_min, T_warmup, T):
        return _warm(t, lr_max, lr_min, T_warmup, T, variant=variant)

    return wrong


_LIST = "fails on a list: convert with np.asarray"
_INT_CAST = "integer input gave integer results (cast back to the input's dtype): compute in floats"
_EPS_INSIDE = "eps inside the square root (SPEC and PyTorch add eps outside: sqrt(.) + eps)"
_SIGN = "sign flipped (theta + step climbs the loss)"

MISTAKES = {
    "adagrad_step": [
        (_EPS_INSIDE, _adagrad_variant("eps_inside")),
        ("G not accumulated (G_new = grad**2 forgets the past: G_new = G + grad**2)",
         _adagrad_variant("not_accumulated")),
        ("square root missing (divide by sqrt(G_new) + eps, not by G_new)", _adagrad_variant("no_sqrt")),
        ("old G used in the step (divide by the root of G_new, after adding grad**2)", _adagrad_variant("old_G")),
        ("gradient not squared in the accumulator (G_new = G + grad**2)", _adagrad_variant("unsquared")),
        (_SIGN, _adagrad_variant("sign")),
        ("returned (G_new, theta_new) instead of (theta_new, G_new)", _adagrad_variant("swapped")),
        ("returned the old G instead of G_new", _adagrad_variant("old_G_returned")),
        (_LIST, _fails_on_lists(_adagrad_variant(""))),
        (_INT_CAST, _cast_to_input_dtype(_adagrad_variant(""))),
    ],
    "rmsprop_step": [
        (_EPS_INSIDE, _rmsprop_variant("eps_inside")),
        ("missing (1 - beta) on grad**2 (s_new = beta * s + (1 - beta) * grad**2)",
         _rmsprop_variant("no_one_minus")),
        ("beta and 1 - beta swapped (s_new = (1 - beta) * s + beta * grad**2)", _rmsprop_variant("swapped_weights")),
        ("s not averaged: summed like AdaGrad (s_new = s + grad**2)", _rmsprop_variant("summed")),
        ("square root missing (divide by sqrt(s_new) + eps, not by s_new)", _rmsprop_variant("no_sqrt")),
        ("old s used in the step (divide by the root of s_new)", _rmsprop_variant("old_s")),
        ("gradient not squared in the average (s_new = beta * s + (1 - beta) * grad**2)",
         _rmsprop_variant("unsquared")),
        (_SIGN, _rmsprop_variant("sign")),
        (_LIST, _fails_on_lists(_rmsprop_variant(""))),
        (_INT_CAST, _cast_to_input_dtype(_rmsprop_variant(""))),
    ],
    "adam_step": [
        ("no bias correction (m_hat = m_new / (1 - beta1**(t + 1)), v_hat likewise)",
         _adam_variant("no_correction")),
        ("bias correction with t instead of t + 1 (t counted from 1: the first update uses t = 0, "
         "so it divides by 1 - beta1)", _adam_variant("t_from_1")),
        ("m not bias-corrected (m_hat = m_new / (1 - beta1**(t + 1)))", _adam_variant("no_correction_m")),
        ("v not bias-corrected (v_hat = v_new / (1 - beta2**(t + 1)))", _adam_variant("no_correction_v")),
        ("missing (1 - beta1) on the gradient in m_new", _adam_variant("no_one_minus_1")),
        ("missing (1 - beta2) on grad**2 in v_new", _adam_variant("no_one_minus_2")),
        ("beta1 and beta2 swapped", _adam_variant("betas_swapped")),
        (_EPS_INSIDE, _adam_variant("eps_inside")),
        ("eps added before the bias correction (lr * sqrt(1 - beta2**(t+1)) / (1 - beta1**(t+1)) * m / "
         "(sqrt(v) + eps), the 'efficient' form of the paper and Keras): SPEC adds eps to sqrt(v_hat)",
         _adam_variant("eps_hat")),
        ("square root missing (divide by sqrt(v_hat) + eps)", _adam_variant("no_sqrt")),
        ("gradient not squared in v_new", _adam_variant("unsquared")),
        ("m and v swapped in the update (m_hat / sqrt(v_hat), not v_hat / sqrt(m_hat))",
         _adam_variant("hats_swapped")),
        ("m and v swapped in the result (return (theta_new, m_new, v_new))", _adam_variant("return_m_v_swapped")),
        ("returned the bias-corrected m_hat, v_hat instead of the raw averages m_new, v_new",
         _adam_variant("return_hats")),
        (_SIGN, _adam_variant("sign")),
        ("no ValueError for a negative or non-integer t (t counts steps from 0)", _adam_variant("no_check")),
        (_LIST, _fails_on_lists(_adam_variant(""))),
        (_INT_CAST, _cast_to_input_dtype(_adam_variant(""))),
    ],
    "run_adam": [
        ("theta0 left out of the returned iterates (the first row must be theta0)", _run_adam_variant("no_theta0")),
        ("one step too many (n_steps + 1 updates)", _run_adam_variant("extra")),
        ("t counted from 1 (the first update uses t = 0: bias correction 1 - beta**(t + 1))",
         _run_adam_variant("t_from_1")),
        ("t never advanced (every step bias-corrected as the first, t = 0)", _run_adam_variant("t_fixed")),
        ("m and v reset to zero every step (no memory)", _run_adam_variant("reset")),
        ("no bias correction", _run_adam_variant("no_correction")),
        ("eps added before the bias correction (Keras' form): SPEC adds eps to sqrt(v_hat)",
         _run_adam_variant("eps_hat")),
        ("gradient computed once at theta0 and reused", _run_adam_variant("frozen")),
        (_LIST, _fails_on_lists(_run_adam_variant(""))),
        (_INT_CAST, _run_adam_variant("int_path")),
    ],
    "warmup_cosine": [
        ("warmup from lr_max * t / T_warmup (starts at 0; SPEC's warmup is lr_max * (t + 1) / T_warmup)",
         _warm_variant("ramp_from_t")),
        ("warmup reaching lr_max at t = T_warmup instead of T_warmup - 1 (ramp (t + 1) / (T_warmup + 1))",
         _warm_variant("ramp_long")),
        ("warmup reaching lr_max at t = T_warmup instead of T_warmup - 1 (PyTorch LinearLR from "
         "lr_max / T_warmup)", _warm_variant("linear_lr")),
        ("warmup from lr_min instead of from 0 (lr_max * (t + 1) / T_warmup)", _warm_variant("ramp_from_lr_min")),
        ("warmup formula used at t = T_warmup (t <= T_warmup: the cosine starts at t = T_warmup)",
         _warm_variant("le")),
        ("cosine not shifted by T_warmup (use t - T_warmup and T - T_warmup)", _warm_variant("not_shifted")),
        ("cosine T steps long after the warmup (it must reach lr_min at t = T: length T - T_warmup)",
         _warm_variant("length_T")),
        ("cosine not held at lr_min after T (it climbs back up)", _warm_variant("not_held")),
        ("warmup t / T_warmup and no hold after T (Hugging Face's get_cosine_schedule_with_warmup conventions)",
         _warm_variant("hf")),
        ("lr_max and lr_min swapped in the cosine", _warm_variant("swapped")),
        ("learning rates stored in an integer array (np.zeros_like(t) with an integer t): use floats",
         _warm_variant("int_buffer")),
        ("no ValueError for t < 0 (t counts steps from 0; a negative step does not exist)",
         _warm_variant("no_check")),
    ],
}
