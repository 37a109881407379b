"""Synthetic cohort for ps2_schedules (autograder demo and end-to-end tests).

Each source replaces the solution cell of the same ``grade_id`` (the function name) in the release notebook.
The sources may assume the notebook's setup cell ran ``import numpy as np``; other imports (math) are made
inside the cell.

``CORRECT``: right answers in styles other than the reference's (loops, math + np.vectorize, lists,
Python float / np.float64 / 0-d array returns); each must get full marks.
``MUTATING``: right values, but the caller's inputs changed in place; the grader's mutation check
names these ("input mutated"). The wrong variants of the cohort are the registered mistakes
themselves (:mod:`lrcourse.mistakes`), so they are not repeated here.
``EXTRA``: what a diligent student writes in the figure and hand-graded answer cells.
"""

# ----------------------------------------------------------------------------- def lines and docstrings

_STEP_DECAY_HEAD = '''def step_decay(t, lr0, gamma, step_size):
    """Step decay: lr0 * gamma ** floor(t / step_size).

    t may be an int, a list or an integer array (vectorised); raise ValueError if any t < 0.
    """
'''

_EXPONENTIAL_DECAY_HEAD = '''def exponential_decay(t, lr0, k):
    """Exponential decay: lr0 * exp(-k * t).

    t may be an int, a list or an integer array (vectorised); raise ValueError if any t < 0.
    """
'''

_INVERSE_TIME_DECAY_HEAD = '''def inverse_time_decay(t, lr0, k):
    """Inverse-time decay: lr0 / (1 + k * t).

    t may be an int, a list or an integer array (vectorised); raise ValueError if any t < 0.
    """
'''

_COSINE_ANNEALING_HEAD = '''def cosine_annealing(t, lr_max, lr_min, T):
    """Cosine annealing from lr_max at t = 0 to lr_min at t = T, held at lr_min after T.

    t may be an int, a list or an integer array (vectorised); raise ValueError if any t < 0.
    """
'''

_COSINE_WARM_RESTARTS_HEAD = '''def cosine_warm_restarts(t, lr_max, lr_min, T0, T_mult=1):
    """Cosine annealing with warm restarts (SGDR).

    Cycle i lasts T0 * T_mult**i steps; inside a cycle the rate follows the cosine from lr_max
    towards lr_min with T_cur / T_i. t may be an int, a list or an integer array (vectorised);
    raise ValueError if any t < 0.
    """
'''

_GD_WITH_SCHEDULE_HEAD = '''def gd_with_schedule(grad_fn, w0, lrs):
    """Gradient descent where step t uses lrs[t].

    Returns the array of shape (len(lrs) + 1,) + np.shape(w0): w0 and every iterate.
    """
'''

# ----------------------------------------------------------------------------- correct styles

CORRECT = {
    "step_decay": [
        (
            "loop over t with math.floor, reshaped array",
            _STEP_DECAY_HEAD
            + """    import math
    ts = np.asarray(t)
    if (ts < 0).any():
        raise ValueError("negative step")
    rates = [lr0 * gamma ** math.floor(int(s) / step_size) for s in ts.ravel()]
    return np.array(rates, dtype=float).reshape(ts.shape)
""",
        ),
        (
            "integer division //, Python float for a scalar t",
            _STEP_DECAY_HEAD
            + """    if np.ndim(t) == 0:
        if t < 0:
            raise ValueError("t must be >= 0")
        return float(lr0 * gamma ** (int(t) // step_size))
    t = np.array(t, dtype=int)
    if t.min(initial=0) < 0:
        raise ValueError("t must be >= 0")
    return lr0 * np.power(float(gamma), t // step_size)
""",
        ),
        (
            "np.vectorize of a scalar rule",
            _STEP_DECAY_HEAD
            + """    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    one = np.vectorize(lambda s: lr0 * gamma ** (s // step_size), otypes=[float])
    return one(t)
""",
        ),
    ],
    "exponential_decay": [
        (
            "math.exp in a loop",
            _EXPONENTIAL_DECAY_HEAD
            + """    import math
    ts = np.asarray(t)
    if (ts < 0).any():
        raise ValueError("negative step")
    return np.array([lr0 * math.exp(-k * int(s)) for s in ts.ravel()]).reshape(ts.shape)
""",
        ),
        (
            "per-step factor exp(-k) ** t, np.float64 for a scalar",
            _EXPONENTIAL_DECAY_HEAD
            + """    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    out = lr0 * np.exp(-k) ** t
    return np.float64(out) if out.ndim == 0 else out
""",
        ),
    ],
    "inverse_time_decay": [
        (
            "np.vectorize with a Python division",
            _INVERSE_TIME_DECAY_HEAD
            + """    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    return np.vectorize(lambda s: lr0 / (1 + k * s), otypes=[float])(t)
""",
        ),
        (
            "np.divide with a float for scalar t",
            _INVERSE_TIME_DECAY_HEAD
            + """    if np.isscalar(t):
        if t < 0:
            raise ValueError("t must be >= 0")
        return lr0 / (1.0 + k * t)
    t = np.asarray(t)
    if (t < 0).any():
        raise ValueError("t must be >= 0")
    return np.divide(lr0, 1.0 + k * t)
""",
        ),
    ],
    "cosine_annealing": [
        (
            "np.where for t >= T",
            _COSINE_ANNEALING_HEAD
            + """    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    cos_part = lr_min + 0.5 * (lr_max - lr_min) * (1 + np.cos(np.pi * t / T))
    return np.where(t >= T, lr_min, cos_part)
""",
        ),
        (
            "loop with math.cos and if/else",
            _COSINE_ANNEALING_HEAD
            + """    import math
    ts = np.asarray(t)
    if (ts < 0).any():
        raise ValueError("negative step")
    out = []
    for s in ts.ravel():
        if s >= T:
            out.append(lr_min)
        else:
            out.append(lr_min + (lr_max - lr_min) * (1 + math.cos(math.pi * s / T)) / 2)
    return np.array(out, dtype=float).reshape(ts.shape)
""",
        ),
    ],
    "cosine_warm_restarts": [
        (
            "while loop per element, Python float for a scalar t",
            _COSINE_WARM_RESTARTS_HEAD
            + """    import math

    def one(s):
        if s < 0:
            raise ValueError("t must be >= 0")
        start, length = 0, T0
        while s >= start + length:
            start += length
            length *= T_mult
        return lr_min + (lr_max - lr_min) * (1 + math.cos(math.pi * (s - start) / length)) / 2

    if np.ndim(t) == 0:
        return one(int(t))
    ts = np.asarray(t)
    if (ts < 0).any():
        raise ValueError("t must be >= 0")
    return np.array([one(int(s)) for s in ts.ravel()]).reshape(ts.shape)
""",
        ),
        (
            "integer cycle starts with np.cumsum and np.searchsorted",
            _COSINE_WARM_RESTARTS_HEAD
            + """    t = np.asarray(t, dtype=np.int64)
    if t.size and t.min() < 0:
        raise ValueError("t must be >= 0")
    lengths = [T0]
    while sum(lengths) <= (t.max() if t.size else 0):
        lengths.append(lengths[-1] * T_mult)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    i = np.searchsorted(starts, t, side="right") - 1
    t_cur = t - starts[i]
    t_i = np.array(lengths, dtype=float)[i]
    return lr_min + 0.5 * (lr_max - lr_min) * (1.0 + np.cos(np.pi * t_cur / t_i))
""",
        ),
    ],
    "gd_with_schedule": [
        (
            "list of iterates, np.array at the end",
            _GD_WITH_SCHEDULE_HEAD
            + """    w = np.asarray(w0, dtype=float)
    iterates = [w]
    for lr in lrs:
        w = w - lr * grad_fn(w)
        iterates.append(w)
    return np.array(iterates)
""",
        ),
        (
            "copy of w0, enumerate, np.stack",
            _GD_WITH_SCHEDULE_HEAD
            + """    w = np.copy(np.asarray(w0, dtype=float))
    out = [w.copy()]
    for t, lr in enumerate(list(lrs)):
        g = np.asarray(grad_fn(w))
        w = w - lrs[t] * g
        out.append(w.copy())
    return np.stack(out)
""",
        ),
    ],
}

# ----------------------------------------------------------------------------- in-place updates

MUTATING = {
    "gd_with_schedule": [
        (
            "input mutated",
            _GD_WITH_SCHEDULE_HEAD
            + """    w = np.asarray(w0, dtype=float)  # no copy for a float array: w is w0 itself
    path = [w.copy()]
    for lr in lrs:
        w -= lr * np.asarray(grad_fn(w))  # in place: overwrites the caller's w0
        path.append(w.copy())
    return np.array(path)
""",
        ),
    ],
}

# ----------------------------------------------------------------------------- figures and written answers

EXTRA = {
    "figure_schedules": """t = np.arange(100)
fig, ax = plt.subplots(figsize=(8, 4.5))
ax.plot(t, step_decay(t, 0.1, 0.5, 25), label="step decay (gamma 0.5 every 25)")
ax.plot(t, exponential_decay(t, 0.1, 0.03), label="exponential (k = 0.03)")
ax.plot(t, inverse_time_decay(t, 0.1, 0.05), label="inverse time (k = 0.05)")
ax.plot(t, cosine_annealing(t, 0.1, 0.001, 100), label="cosine annealing (T = 100)")
ax.plot(t, cosine_warm_restarts(t, 0.1, 0.001, 10, T_mult=2), label="warm restarts (T0 = 10, T_mult = 2)")
ax.set_xlabel("step t")
ax.set_ylabel("learning rate")
ax.set_title("Five learning-rate schedules starting at 0.1")
ax.legend()
plt.show()""",
    "answer_schedules": r"""1. The restarts are at $t = 10, 30, 70$: the cycles have lengths $T_0 T_{\text{mult}}^i = 10, 20, 40, 80$, and a
   restart comes where a cycle ends, at $10$, $10 + 20 = 30$, $30 + 40 = 70$ (the next would be at $150$). The
   gaps double because $T_{\text{mult}} = 2$ multiplies each cycle's length by two.
2. At $t = 99$ the warm-restart schedule is highest (about $0.071$, part-way down its cycle of length 40 that began
   at $t = 70$); cosine annealing is lowest (about $0.001$, it has just reached $\eta_{\min}$ at the end of its
   budget $T = 100$). The others lie between: inverse time $\approx 0.017$, step decay $0.0125$, exponential
   $\approx 0.005$. Of the smooth decays, cosine annealing keeps a rate close to $0.1$ longest (still above $0.09$ at
   $t = 20$) because the cosine is flat near its top: $1 + \cos x$ decreases like $x^2$ for small $x$, so the rate
   barely moves at first and falls fastest in the middle of the budget. (Step decay stays at exactly $0.1$ until
   $t = 25$ and then halves abruptly.)""",
    "figure_too_fast_decay": """n = 60
steps = np.arange(n)
schedules = {
    "constant 0.05": np.full(n, 0.05),
    "exponential (0.3, k = 0.5)": exponential_decay(steps, 0.3, 0.5),
    "inverse time (0.3, k = 0.1)": inverse_time_decay(steps, 0.3, 0.1),
}
fig, ax = plt.subplots(figsize=(8, 4.5))
for label, lrs in schedules.items():
    theta = gd_with_schedule(grad, -1.0, lrs)
    ax.plot(np.arange(n + 1), theta, label=label)
    print(f"{label:28s} theta_60 = {theta[-1]:.4f}   sum of rates = {np.sum(lrs):.3f}")
ax.axhline(3.0, color="k", linestyle="--", linewidth=1, label="minimum theta* = 3")
ax.set_xlabel("step t")
ax.set_ylabel("theta_t")
ax.set_title("GD on (theta - 3)^2 from -1: a too-fast decay stalls")
ax.legend()
plt.show()""",
    "answer_too_fast_decay": r"""On this bowl every step shrinks the distance to the minimum by the factor $(1 - 2\eta_t)$, so after $n$ steps
$\theta_n - 3 = (\theta_0 - 3)\prod_{t<n}(1 - 2\eta_t)$. The product only goes to $0$ if $\sum_t \eta_t = \infty$:
for small rates $1 - 2\eta \approx e^{-2\eta}$, so the product is about $e^{-2\sum_t \eta_t}$, which stays away from
zero when the sum is finite. In words: each step covers only the fraction $2\eta_t$ of the distance that is left,
so once the rates are tiny almost nothing is covered any more, and a finite sum of rates leaves a fixed fraction
of the distance uncovered for ever.

For the exponential schedule the sum is a geometric series,
$\sum_{t\ge0} 0.3\,e^{-0.5t} = 0.3 / (1 - e^{-0.5}) \approx 0.76$, and after a handful of steps the rates are
negligible: $\theta$ freezes at about $2.44$, a distance of $0.56$ from the minimum, no matter how many steps follow.
Its big early rates do help at first (about $2.37$ after 5 steps, when the constant rate $0.05$ is only at $0.64$),
but the decay kills the steps before the job is done.

The inverse-time schedule $0.3/(1 + 0.1t)$ also decays, but like $1/t$: its sum is a harmonic series, which
diverges (already about $6$ over 60 steps), so the product keeps shrinking and $\theta$ reaches $3$ (to within
$10^{-5}$ by $t = 60$). So a decaying rate helps only if it decays slowly enough that $\sum_t \eta_t$ is still
large (infinite in the limit); a too-fast decay makes training stall before the minimum.""",
}
