"""Synthetic student answers for ps1_update_rule (autograder demo and end-to-end tests).

Each source replaces the solution cell of the same ``grade_id`` in the release notebook.
The sources may assume the notebook's setup cell ran (``import numpy as np``, ``import math``);
other imports are made inside the cell.

``CORRECT``: right answers written in styles other than the reference's; each must get full marks.
``MUTATING``: right values, but the caller's inputs changed in place; the grader's mutation check
names these ("input mutated"). The wrong variants of the cohort are the registered mistakes
themselves (:mod:`lrcourse.mistakes`), so they are not repeated here.
``EXTRA``: what a diligent student writes in the figure and hand-graded answer cells.
"""

# ----------------------------------------------------------------------------- correct styles

_GD_STEP_DOC = '''def gd_step(w, grad, lr):
    """One gradient-descent update: return w - lr * grad without modifying the inputs."""
'''

_GD_DOC = '''def gradient_descent(grad_fn, w0, lr, n_steps):
    """Run n_steps updates w <- w - lr * grad_fn(w) from w0; return all n_steps + 1 iterates as an array."""
'''

_CRIT_DOC = '''def critical_lr(hessian):
    """Return 2 / lambda_max of a symmetric Hessian (a number is a 1-D curvature); inf if lambda_max <= 0."""
'''

_REGIME_DOC = '''def lr_regime(lr, hessian):
    """Return "periodic", "monotone", "oscillating" or "diverging" for r = lr * lambda_max (checked in that order)."""
'''

_STEPS_DOC = '''def steps_to_tolerance(lr, curvature, distance0, tol):
    """Smallest k >= 0 with abs(1 - lr * curvature)**k * distance0 <= tol; inf if that never happens."""
'''

CORRECT = {
    "gd_step": [
        ("np.asarray, then the plain expression", _GD_STEP_DOC + "    return np.asarray(w, dtype=float) - lr * np.asarray(grad)\n"),
        ("copy then in-place update on the copy", _GD_STEP_DOC + """    new_w = np.array(w, dtype=float)  # a fresh copy, so -= is safe
    new_w -= lr * np.asarray(grad, dtype=float)
    return new_w
"""),
        ("np.subtract / np.multiply, Python float for scalars", _GD_STEP_DOC + """    out = np.subtract(w, np.multiply(lr, grad))
    if np.ndim(out) == 0:
        return float(out)
    return out
"""),
    ],
    "gradient_descent": [
        ("list of iterates then np.array", _GD_DOC + """    w = w0
    history = [np.array(w0, dtype=float)]
    for _ in range(n_steps):
        w = w - lr * grad_fn(w)
        history.append(np.array(w, dtype=float))
    return np.array(history, dtype=float)
"""),
        ("preallocated zeros, explicit step index", _GD_DOC + """    w0 = np.asarray(w0, dtype=float)
    out = np.zeros((n_steps + 1,) + w0.shape)
    out[0] = w0
    for t in range(1, n_steps + 1):
        out[t] = out[t - 1] - lr * np.asarray(grad_fn(out[t - 1]))
    return out
"""),
        ("np.stack of copies with a while loop", _GD_DOC + """    import copy
    current = np.array(w0, dtype=float)
    rows = [copy.deepcopy(current)]
    t = 0
    while t < n_steps:
        current = current - lr * np.asarray(grad_fn(current), dtype=float)
        rows.append(current.copy())
        t += 1
    return np.stack(rows)
"""),
    ],
    "critical_lr": [
        ("np.linalg.eigvals + max, math.inf", _CRIT_DOC + """    import math
    H = np.array(hessian, dtype=float)
    if H.ndim == 0:
        lam_max = float(H)
    else:
        lam_max = float(np.max(np.linalg.eigvals(H).real))
    if lam_max <= 0:
        return math.inf
    return 2 / lam_max
"""),
        ("np.linalg.eigh on reshaped matrix, np.where", _CRIT_DOC + """    H = np.asarray(hessian, dtype=float)
    n = int(round(np.sqrt(H.size)))
    lam = np.linalg.eigh(H.reshape(n, n))[0].max()
    with np.errstate(divide="ignore"):
        return np.where(lam > 0, 2.0 / np.where(lam > 0, lam, 1.0), np.inf)
"""),
    ],
    "lr_regime": [
        ("max of eigvalsh, hand-written isclose, elif chain", _REGIME_DOC + """    H = np.atleast_2d(np.array(hessian, dtype=float))
    lam = max(np.linalg.eigvalsh(H))
    r = float(lr * lam)
    if abs(r - 2.0) <= 1e-8 + 1e-5 * 2.0:
        return "periodic"
    elif r <= 1.0:
        return "monotone"
    elif r < 2.0:
        return "oscillating"
    else:
        return "diverging"
"""),
        ("factor 1 - r and a lookup", _REGIME_DOC + """    lam = np.linalg.eigvalsh(np.atleast_2d(hessian))[-1]
    if np.isclose(lr * lam, 2):
        return "periodic"
    factor = 1 - lr * lam
    names = ["monotone", "oscillating", "diverging"]
    index = 0 if factor >= 0 else (1 if factor > -1 else 2)
    return names[index]
"""),
    ],
    "steps_to_tolerance": [
        ("logarithms with a check of the defining inequality", _STEPS_DOC + """    import math
    if distance0 <= tol:
        return 0
    q = abs(1 - lr * curvature)
    if q >= 1:
        return float("inf")
    if q == 0:
        return 1
    k = max(1, math.ceil(math.log(tol / distance0) / math.log(q)))
    while q ** k * distance0 > tol:
        k += 1
    while k > 1 and q ** (k - 1) * distance0 <= tol:
        k -= 1
    return k
"""),
        ("count with a for loop, np.inf", _STEPS_DOC + """    q = np.abs(1.0 - lr * curvature)
    if q >= 1 and distance0 > tol:
        return np.inf
    d = distance0
    for k in range(10**6):
        if d <= tol:
            return k
        d = d * q
    return np.inf
"""),
    ],
}

# ----------------------------------------------------------------------------- in-place updates

MUTATING = {
    "gd_step": [
        ("input mutated (w -= lr * grad updates the caller's array in place)", _GD_STEP_DOC + """    w -= lr * grad
    return w
"""),
    ],
    "gradient_descent": [
        ("input mutated (in-place update of the caller's w0)", _GD_DOC + """    w = w0 if isinstance(w0, np.ndarray) else np.array(w0, dtype=float)
    path = [w.copy()]
    for _ in range(n_steps):
        w -= lr * grad_fn(w)
        path.append(w.copy())
    return np.array(path)
"""),
    ],
}

# ----------------------------------------------------------------------------- figure and written answers

EXTRA = {
    "figure_lecture_rates": '''LECTURE_LRS = [0.05, 0.3, 0.8]

fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4))
grid = np.linspace(-1.5, 7, 200)
left.plot(grid, loss_theta(grid), "k--", label="loss")
for lr in LECTURE_LRS:
    path = gradient_descent(grad_theta, -1.0, lr, 15)
    left.plot(path, loss_theta(path), "o-", label=f"lr {lr}")
    right.semilogy(loss_theta(path), "o-", label=f"lr {lr}")
    print(lr, path[1], path[2], loss_theta(path[-1]))
left.set(xlabel="theta", ylabel="loss")
right.set(xlabel="step", ylabel="loss (log)")
left.legend()
right.legend()
fig.tight_layout()
plt.show()
''',
    "answer_loss_at_08": (
        "At lr = 0.8 the factor 1 - 0.8 * 2 = -0.6 is negative, so theta jumps over the minimum every step "
        "(-1, 5.4, 1.56, ...), but its distance to 3 shrinks by 0.6 and the loss by 0.36 each step: the loss falls "
        "at every step, from 16 to about 3.5e-6 after 15 steps. So 0.8 overshoots but converges; the loss only "
        "grows for lr > 1 = 2 / L'', where |1 - 2 lr| > 1."
    ),
    "figure_regimes": '''LRS = {"too small": 0.05, "too large": 1.05, "just right": 0.3}

fig, axes = plt.subplots(1, 3, figsize=(13, 3.8))
for ax, (name, lr) in zip(axes, LRS.items()):
    path = gradient_descent(grad_theta, -1.0, lr, 15)
    plot_path_on_curve(ax, loss_theta, path, title=f"{name} (lr = {lr})", minimizer=3.0)
    ax.axhline(16.0, ls=":", color="gray")
    ax.set_ylabel("loss (own scale)")
fig.tight_layout()
plt.show()
''',
    "answer_regimes_figure": (
        "With lr = 0.05 the distance to the minimum shrinks by the factor 1 - 0.1 = 0.9 per step: the path "
        "walks down the left side without overshooting, but after 15 steps it is still about 0.8 away from "
        "theta = 3. With lr = 1.05 the factor is -1.1: every step jumps over the minimum and lands 10 % "
        "further away, so the loss grows from 16 to almost 280 (divergence). With lr = 0.3 the factor is 0.4 "
        "and the path reaches the bottom in a handful of steps and stays there."
    ),
    "answer_bounce": (
        "The update multiplies the distance to the minimum by 1 - lr * lambda_max = 1 - 2 = -1, so w goes to -w: "
        "the mirror point on the other side of the parabola, with the same loss (25) and a gradient of the same "
        "size pointing back. The next step mirrors it back again, so the path alternates 5, -5, 5 and never gets "
        "closer or further. For r slightly below 2 the bounces shrink (|1 - r| < 1) and it converges slowly; "
        "slightly above 2 they grow and it diverges. In 2-D the flatter directions still converge, so the point "
        "ends up bouncing along the steepest axis and the loss stalls above the minimum."
    ),
    "answer_best_lr": (
        "lr = 0.5 = 1 / L'' is fastest: the factor |1 - 2 lr| is 0 and one step lands on the minimum. The step "
        "count only depends on |1 - 2 lr|, which is 0.4 for both 0.3 and 0.7 (one creeps, the other zig-zags), so "
        "both need 17 steps. A real network has many curvatures that also change during training, so no single "
        "lr is 1 / lambda for all of them: stay below 2 / lambda_max and tune by watching the loss."
    ),
}
