"""Synthetic student answers for ps5_adaptive (autograder demo and end-to-end tests).

Each source replaces the solution cell of the same ``grade_id`` in the release notebook.
The sources may assume the notebook's setup cell ran (``import numpy as np``, ``import math``);
other imports are made inside the cell.

``CORRECT``: right answers written in styles other than the reference's; each must get full marks.
The first style of every function is self-contained (it calls no other student function), so a
wrong variant of one function only costs the points of that function.
``MUTATING``: right values, but the caller's inputs changed in place; the grader's mutation check
names these ("input mutated"). The wrong variants of the cohort are the registered mistakes
themselves (:mod:`lrcourse.mistakes`), so they are not repeated here.
``EXTRA``: what a diligent student writes in the figure and hand-graded answer cells.
"""

# ----------------------------------------------------------------------------- def lines + docstrings

_ADAGRAD_DOC = '''def adagrad_step(theta, G, grad, lr, eps=1e-8):
    """One AdaGrad step.

    G_new = G + grad**2;  theta_new = theta - lr * grad / (sqrt(G_new) + eps).
    Returns the tuple (theta_new, G_new).
    """
'''

_RMSPROP_DOC = '''def rmsprop_step(theta, s, grad, lr, beta=0.9, eps=1e-8):
    """One RMSprop step.

    s_new = beta * s + (1 - beta) * grad**2;  theta_new = theta - lr * grad / (sqrt(s_new) + eps).
    Returns the tuple (theta_new, s_new).
    """
'''

_ADAM_DOC = '''def adam_step(theta, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    """One Adam step at step index t (the first update uses t = 0).

    m_new = beta1 * m + (1 - beta1) * grad;  v_new = beta2 * v + (1 - beta2) * grad**2;
    m_hat = m_new / (1 - beta1**(t + 1));  v_hat = v_new / (1 - beta2**(t + 1));
    theta_new = theta - lr * m_hat / (sqrt(v_hat) + eps).
    Returns the tuple (theta_new, m_new, v_new); ValueError for a negative or non-integer t.
    """
'''

_RUN_DOC = '''def run_adam(grad_fn, theta0, lr, n_steps, beta1=0.9, beta2=0.999, eps=1e-8):
    """Adam from m = v = 0 for n_steps steps (t = 0, 1, ...).

    Returns an array of shape (n_steps + 1,) + shape(theta0): theta0 and every iterate.
    """
'''

_WARM_DOC = '''def warmup_cosine(t, lr_max, lr_min, T_warmup, T):
    """Linear warmup lr_max * (t + 1) / T_warmup for t < T_warmup, then cosine from lr_max
    at t = T_warmup down to lr_min at t = T, held at lr_min after T. Vectorised over t."""
'''

# ----------------------------------------------------------------------------- correct styles

CORRECT = {
    "adagrad_step": [
        ("np.array copies, Python floats for scalars", _ADAGRAD_DOC + """    theta = np.array(theta, dtype=float)
    G = np.array(G, dtype=float)
    grad = np.array(grad, dtype=float)
    G_new = G + grad * grad
    theta_new = theta - lr * grad / (np.sqrt(G_new) + eps)
    if theta_new.ndim == 0:
        return float(theta_new), float(G_new)
    return theta_new, G_new
"""),
        ("np.vectorize of the scalar rule with math.sqrt", _ADAGRAD_DOC + """    def one(th, acc, g):
        acc_new = acc + g ** 2
        return th - lr * g / (math.sqrt(acc_new) + eps), acc_new

    theta_new, G_new = np.vectorize(one, otypes=[float, float])(theta, G, grad)
    return theta_new, G_new
"""),
        ("in-place updates on fresh copies, the step as lr * grad * G**-0.5", _ADAGRAD_DOC + """    G_new = np.array(G, dtype=float)             # a copy: the caller's G is safe
    g = np.asarray(grad, dtype=float)
    G_new += g ** 2
    theta_new = np.array(theta, dtype=float)
    theta_new -= lr * g / (G_new ** 0.5 + eps)
    return (theta_new, G_new)
"""),
    ],
    "rmsprop_step": [
        ("EMA written as s + (1 - beta) * (grad**2 - s), np.float64 for scalars", _RMSPROP_DOC + """    g = np.asarray(grad, dtype=np.float64)
    s = np.asarray(s, dtype=np.float64)
    s_new = s + (1 - beta) * (g ** 2 - s)
    theta_new = np.asarray(theta, dtype=np.float64) - lr * g / (np.sqrt(s_new) + eps)
    if np.ndim(theta_new) == 0:
        return np.float64(theta_new), np.float64(s_new)
    return theta_new, s_new
"""),
        ("element-by-element loop over the flattened arrays", _RMSPROP_DOC + """    th = np.array(theta, dtype=float)
    avg = np.array(s, dtype=float)
    g = np.array(grad, dtype=float)
    flat_th, flat_s, flat_g = th.ravel(), avg.ravel(), g.ravel()
    new_th, new_s = np.empty_like(flat_th), np.empty_like(flat_s)
    for i in range(flat_th.size):
        new_s[i] = beta * flat_s[i] + (1 - beta) * flat_g[i] ** 2
        new_th[i] = flat_th[i] - lr * flat_g[i] / (math.sqrt(new_s[i]) + eps)
    return new_th.reshape(th.shape), new_s.reshape(avg.shape)
"""),
        ("np.multiply / np.divide, returned as a list", _RMSPROP_DOC + """    g = np.asarray(grad, dtype=float)
    s_new = np.add(np.multiply(beta, s), np.multiply(1 - beta, np.square(g)))
    theta_new = np.subtract(theta, np.divide(np.multiply(lr, g), np.add(np.sqrt(s_new), eps)))
    return [theta_new, s_new]
"""),
    ],
    "adam_step": [
        ("PyTorch's form: lr / bias_correction1 and sqrt(v) / sqrt(bias_correction2) + eps", _ADAM_DOC + """    import numbers
    if not isinstance(t, numbers.Integral) and not float(t).is_integer():
        raise ValueError(f"t must be a whole number, got {t}")
    if t < 0:
        raise ValueError(f"t must be >= 0, got {t}")
    step = int(t) + 1                                  # PyTorch counts steps from 1
    grad = np.asarray(grad, dtype=float)
    m_new = np.asarray(m, dtype=float) * beta1 + grad * (1 - beta1)
    v_new = np.asarray(v, dtype=float) * beta2 + grad * grad * (1 - beta2)
    bias_correction1 = 1 - beta1 ** step
    bias_correction2 = 1 - beta2 ** step
    denom = np.sqrt(v_new) / math.sqrt(bias_correction2) + eps
    theta_new = np.asarray(theta, dtype=float) - (lr / bias_correction1) * m_new / denom
    return theta_new, m_new, v_new
"""),
        ("math for scalars, np.vectorize for arrays, t checked with divmod", _ADAM_DOC + """    if t < 0 or divmod(t, 1)[1] != 0:
        raise ValueError("t must be 0, 1, 2, ...")

    def one(th, mom, sq, g):
        mom = beta1 * mom + (1 - beta1) * g
        sq = beta2 * sq + (1 - beta2) * g * g
        m_hat = mom / (1 - beta1 ** (t + 1))
        v_hat = sq / (1 - beta2 ** (t + 1))
        return th - lr * m_hat / (math.sqrt(v_hat) + eps), mom, sq

    if np.ndim(theta) == 0 and np.ndim(grad) == 0:
        return one(float(theta), float(m), float(v), float(grad))
    return tuple(np.vectorize(one, otypes=[float, float, float])(theta, m, v, grad))
"""),
        ("a small class with __call__ holding the hyperparameters", _ADAM_DOC + """    class Adam:
        def __init__(self, lr, beta1, beta2, eps):
            self.lr, self.b1, self.b2, self.eps = lr, beta1, beta2, eps

        def __call__(self, theta, m, v, g, t):
            if t < 0 or int(t) != t:
                raise ValueError("bad step index")
            m = self.b1 * np.asarray(m, dtype=float) + (1 - self.b1) * g
            v = self.b2 * np.asarray(v, dtype=float) + (1 - self.b2) * np.square(g)
            m_hat = m / (1 - self.b1 ** (t + 1))
            v_hat = v / (1 - self.b2 ** (t + 1))
            return np.asarray(theta, dtype=float) - self.lr * m_hat / (np.sqrt(v_hat) + self.eps), m, v

    return Adam(lr, beta1, beta2, eps)(theta, m, v, np.asarray(grad, dtype=float), t)
"""),
    ],
    "run_adam": [
        ("preallocated array, Adam written inline", _RUN_DOC + """    theta = np.array(theta0, dtype=float)
    out = np.zeros((n_steps + 1,) + theta.shape)
    out[0] = theta
    m = np.zeros(theta.shape)
    v = np.zeros(theta.shape)
    for t in range(n_steps):
        g = np.asarray(grad_fn(out[t]), dtype=float)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g ** 2
        m_hat = m / (1 - beta1 ** (t + 1))
        v_hat = v / (1 - beta2 ** (t + 1))
        out[t + 1] = out[t] - lr * m_hat / (np.sqrt(v_hat) + eps)
    return out
"""),
        ("calls adam_step, list of rows then np.stack", _RUN_DOC + """    theta = np.asarray(theta0, dtype=float)
    m = np.zeros_like(theta)
    v = np.zeros_like(theta)
    rows = [theta.copy()]
    for t in np.arange(n_steps):                      # t is a NumPy integer here
        theta, m, v = adam_step(theta, m, v, grad_fn(theta), t, lr=lr, beta1=beta1, beta2=beta2, eps=eps)
        rows.append(np.array(theta, dtype=float))
    return np.stack(rows)
"""),
        ("recursion over the steps, PyTorch's step counter", _RUN_DOC + """    def go(theta, m, v, step, left):
        if left == 0:
            return [theta]
        g = np.asarray(grad_fn(theta), dtype=float)
        m = m * beta1 + (1 - beta1) * g
        v = v * beta2 + (1 - beta2) * g * g
        new = theta - lr / (1 - beta1 ** step) * m / (np.sqrt(v / (1 - beta2 ** step)) + eps)
        return [theta] + go(new, m, v, step + 1, left - 1)

    start = np.array(theta0, dtype=float)
    return np.array(go(start, np.zeros_like(start), np.zeros_like(start), 1, int(n_steps)))
"""),
    ],
    "warmup_cosine": [
        ("np.where on float arrays", _WARM_DOC + """    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    tf = t.astype(float)
    warm = lr_max * (tf + 1) / max(T_warmup, 1)
    progress = np.minimum(np.maximum(tf - T_warmup, 0), T - T_warmup) / (T - T_warmup)
    cos = lr_min + 0.5 * (lr_max - lr_min) * (1 + np.cos(math.pi * progress))
    return np.where(tf < T_warmup, warm, cos)
"""),
        ("np.vectorize of a scalar if/else with math.cos", _WARM_DOC + """    if np.any(np.asarray(t) < 0):
        raise ValueError("negative step")

    def one(step):
        if step < T_warmup:
            return lr_max * (step + 1) / T_warmup
        if step >= T:
            return float(lr_min)
        frac = (step - T_warmup) / (T - T_warmup)
        return lr_min + (lr_max - lr_min) * (1 + math.cos(math.pi * frac)) / 2

    return np.vectorize(one, otypes=[float])(t)
"""),
        ("a class with __call__, boolean masks on an empty float array", _WARM_DOC + """    class Schedule:
        def __init__(self, lr_max, lr_min, T_warmup, T):
            self.hi, self.lo, self.w, self.T = float(lr_max), float(lr_min), T_warmup, T

        def __call__(self, t):
            t = np.asarray(t)
            if (t < 0).any():
                raise ValueError("t must be >= 0")
            out = np.empty(t.shape, dtype=float)
            ramp = t < self.w
            out[ramp] = self.hi * (t[ramp] + 1) / self.w
            rest = ~ramp
            cur = np.clip(t[rest] - self.w, 0, self.T - self.w)
            out[rest] = self.lo + (self.hi - self.lo) * (1 + np.cos(np.pi * cur / (self.T - self.w))) / 2
            return out if out.ndim else float(out)

    return Schedule(lr_max, lr_min, T_warmup, T)(t)
"""),
    ],
}

# ----------------------------------------------------------------------------- in-place updates

MUTATING = {
    "adagrad_step": [
        ("input mutated (G += grad**2 changes the caller's array)", _ADAGRAD_DOC + """    G = np.asarray(G, dtype=float)
    grad = np.asarray(grad, dtype=float)
    G += grad ** 2
    return np.asarray(theta, dtype=float) - lr * grad / (np.sqrt(G) + eps), G
"""),
    ],
    "rmsprop_step": [
        ("input mutated (s *= beta changes the caller's array)", _RMSPROP_DOC + """    s = np.asarray(s, dtype=float)
    grad = np.asarray(grad, dtype=float)
    s *= beta
    s += (1 - beta) * grad ** 2
    return np.asarray(theta, dtype=float) - lr * grad / (np.sqrt(s) + eps), s
"""),
    ],
    "adam_step": [
        ("input mutated (m *= beta1 and v *= beta2 change the caller's arrays)", _ADAM_DOC + """    if t < 0 or t != int(t):
        raise ValueError("t must be a whole number >= 0")
    m = np.asarray(m, dtype=float)
    v = np.asarray(v, dtype=float)
    grad = np.asarray(grad, dtype=float)
    m *= beta1
    m += (1 - beta1) * grad
    v *= beta2
    v += (1 - beta2) * grad**2
    m_hat = m / (1 - beta1 ** (t + 1))
    v_hat = v / (1 - beta2 ** (t + 1))
    return np.asarray(theta, dtype=float) - lr * m_hat / (np.sqrt(v_hat) + eps), m, v
"""),
    ],
    "run_adam": [
        ("input mutated (theta -= ... updates the caller's theta0 in place)", _RUN_DOC + """    theta = theta0 if isinstance(theta0, np.ndarray) else np.array(theta0, dtype=float)
    m = np.zeros_like(theta)
    v = np.zeros_like(theta)
    path = [theta.copy()]
    for t in range(n_steps):
        g = np.asarray(grad_fn(theta), dtype=float)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        theta -= lr * (m / (1 - beta1 ** (t + 1))) / (np.sqrt(v / (1 - beta2 ** (t + 1))) + eps)
        path.append(theta.copy())
    return np.array(path)
"""),
    ],
}

# ----------------------------------------------------------------------------- figures and written answers

EXTRA = {
    "figure_adagrad_rmsprop": '''def slope_run(step, n=500, lr=0.1):
    theta, state, out = 0.0, 0.0, [0.0]
    for _ in range(n):
        theta, state = step(theta, state, slope_grad(theta), lr)
        out.append(float(theta))
    return np.array(out)

ada, rms = slope_run(adagrad_step), slope_run(rmsprop_step)
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
ax1.plot(ada, label="AdaGrad")
ax1.plot(rms, label="RMSprop")
ax1.axhline(20, color="k", ls="--", label="minimum")
k = np.arange(1, 501)
ax2.loglog(k, np.abs(np.diff(ada)), label="AdaGrad")
ax2.loglog(k, np.abs(np.diff(rms)) + 1e-12, label="RMSprop")
ax2.loglog(k, 0.1 / np.sqrt(k), "k:", label="lr / sqrt(k)")
ax1.set_xlabel("step")
ax1.set_ylabel("theta")
ax2.set_xlabel("step")
ax2.set_ylabel("step length")
ax1.legend()
ax2.legend()
plt.show()
''',
    "answer_adagrad_rmsprop": (
        "AdaGrad adds up every squared gradient, and on the slope they are all about 1, so G grows like k and "
        "the k-th step is lr / sqrt(k); G never gets smaller, so the steps keep shrinking. After 500 steps it is "
        "only at about 4.3 of the 20. RMSprop averages the recent squared gradients instead, so s stays near 1 and "
        "every step is about lr = 0.1; it gets to the minimum in under 200 steps. The price is that RMSprop does "
        "not slow down by itself: it needs the gradients to shrink or a learning-rate schedule to settle."
    ),
    "figure_adam_steps": '''g = np.geomspace(1e-12, 1e3, 61)
first = [abs(adam_step(0.0, 0.0, 0.0, gi, 0)[0]) for gi in g]
ratio_hat, ratio_raw = [], []
th, m, v = 0.0, 0.0, 0.0
for t in range(3000):
    new, m, v = adam_step(th, m, v, 1.0, t)
    ratio_hat.append(abs(new - th) / 0.001)
    ratio_raw.append(m / (np.sqrt(v) + 1e-8))
    th = new
fig, (a, b) = plt.subplots(1, 2, figsize=(11, 4))
a.loglog(g, first, label="Adam first step")
a.loglog(g, 0.001 * g, label="GD step")
a.set_xlabel("|g|")
a.set_ylabel("step")
a.legend()
b.semilogx(np.arange(1, 3001), ratio_hat, label="corrected")
b.semilogx(np.arange(1, 3001), ratio_raw, label="not corrected")
b.set_xlabel("step")
b.set_ylabel("step / lr")
b.legend()
plt.show()
''',
    "answer_adam_step_length": (
        "For gradient descent the step is lr times the gradient, so a big gradient means a big step. Adam divides "
        "the gradient by its own size, so the first step is lr in every coordinate whether the gradient is 1e-6 or "
        "1000: lr is the step length. If the loss is multiplied by 1000, gradient descent takes 1000 times longer "
        "steps and may diverge, while Adam does exactly the same thing. This fails only for gradients near eps = "
        "1e-8, where the step falls below lr (half of it at 1e-8)."
    ),
    "answer_bias_correction": (
        "Both averages start at zero, like the momentum velocity in ps3 whose first value was (1 - beta) * grad. "
        "Without the correction m is too small by 1 - 0.9**(t+1) and v by 1 - 0.999**(t+1); v is much more "
        "biased, and we divide by its square root, so the steps come out too long: 3.16 times lr at the first "
        "step, about 6.6 times around step 12, and still 1.26 times after 1000 steps. Dividing by 1 - beta**(t+1) "
        "undoes the bias and makes every step exactly lr for a constant gradient."
    ),
    "figure_valley_paths": '''start = np.array([2.0, 1.0])
fig, axes = plt.subplots(2, 2, figsize=(11, 10))
for col, (A, grad_fn, th0) in enumerate([(A_AXIS, axis_grad, start), (A_ROT, rot_grad, ROTATION @ start)]):
    paths = {
        "GD": run_momentum(grad_fn, th0, 2 / 26, 0.0, 150),
        "momentum": run_momentum(grad_fn, th0, 0.2, 4 / 9, 150),
        "Adam": run_adam(grad_fn, th0, 0.1, 150),
    }
    plot_valley(axes[0, col], A)
    for name, p in paths.items():
        axes[0, col].plot(p[:, 0], p[:, 1], ".-", ms=2, label=name)
        axes[1, col].semilogy(valley_loss(p, A), label=name)
    axes[1, col].axhline(1e-3, ls=":", color="k")
    axes[0, col].set_title(["axis-aligned", "rotated"][col])
    axes[1, col].set_xlabel("step")
    axes[1, col].set_ylabel("loss")
    axes[0, col].legend()
    axes[1, col].legend()
plt.show()
''',
    "answer_valley": (
        "GD and momentum only use the gradient vector, so rotating the problem just rotates their paths and the "
        "losses are identical in both columns (below 1e-3 after 60 and 21 steps). Adam rescales each coordinate "
        "separately. In the axis-aligned valley each coordinate is its own 1-D problem, and the rescaling cancels "
        "its curvature, which is why kappa = 10000 gives the same path. In the rotated valley both coordinates "
        "feel the steep direction, so the rescaling cannot separate the directions and Adam is slower (about 109 "
        "steps instead of 79). Momentum is faster here because its settings were computed from the known "
        "curvatures; Adam needs no such knowledge and does not care how large the gradients are."
    ),
    "figure_warmup": '''T = 100
steps = np.arange(T)
runs = {"constant 0.1": np.full(T, 0.1), "no warmup": warmup_cosine(steps, 0.5, 0.0, 0, T),
        "warmup 10": warmup_cosine(steps, 0.5, 0.0, 10, T)}
fig, (a, b) = plt.subplots(1, 2, figsize=(11, 4))
for name, lrs in runs.items():
    a.plot(steps, lrs, label=name)
    loss = sharp_loss(gd_with_lrs(sharp_grad, 2.5, lrs))
    b.semilogy(np.where(np.isfinite(loss), loss, np.nan), label=name)
b.set_title("no warmup blows up at the start")
a.set_xlabel("t")
a.set_ylabel("lr")
b.set_xlabel("step")
b.set_ylabel("loss")
a.legend()
b.legend()
plt.show()
''',
    "answer_warmup": (
        "At theta = 2.5 the curvature is 19.75, so rates above about 0.1 overshoot; starting at 0.5 the first step "
        "lands at -6.6 where it is even steeper, and the run blows up. With the warmup the first rates are small, "
        "theta moves into the flat region near 0, and by the time the rate is 0.5 the curvature there is about 1, "
        "so 0.5 is stable. The constant 0.1 is safe but slow near the minimum (factor 0.9 per step), so it ends "
        "around 1e-10 while the warmup run reaches about 1e-29. With Adam on real networks, the first moment "
        "estimates are based on very few gradients, so small early steps are safer."
    ),
}
