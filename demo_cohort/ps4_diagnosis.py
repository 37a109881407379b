"""Synthetic student answers for ps4_diagnosis (autograder demo and end-to-end tests).

Each source replaces the solution cell of the same ``grade_id`` in the release notebook.
The sources may assume the notebook's setup cell ran (``import numpy as np``); other imports
(``math``) are made inside the cell.

``CORRECT``: right answers written in styles other than the reference's; each must get full marks.
``MUTATING``: right values, but the caller's inputs changed in place; the grader's mutation check
names these ("input mutated"). The wrong variants of the cohort are the registered mistakes
themselves (:mod:`lrcourse.mistakes`), so they are not repeated here.
``EXTRA``: what a diligent student writes in the figure and hand-graded answer cells.
"""

_REL_DOC = '''def relative_improvements(losses):
    """Relative improvement of each step, (L[i] - L[i+1]) / L[i].

    losses: list or 1-D array of n >= 2 positive losses.
    Returns a float array of length n - 1.
    """
'''

_DIAG_DOC = '''def diagnose(losses):
    """Label a loss history "diverging", "oscillating", "too_slow" or "healthy".

    Checked in this order: diverging (a non-finite loss, or L[-1] > L[0]); oscillating
    (at least a third of the steps go up); too_slow (total relative decrease < 10 %);
    otherwise healthy. Raises ValueError for fewer than 2 losses.
    """
'''

_SUGGEST_DOC = '''def suggest_lr(lr, diagnosis):
    """The next learning rate to try after a diagnosis (see the table above).

    Raises ValueError for an unknown diagnosis.
    """
'''

_RANGE_DOC = '''def lr_range_test(loss_fn, grad_fn, w0, lr_min, lr_max, n_steps):
    """One gradient step per learning rate of np.geomspace(lr_min, lr_max, n_steps).

    Records the loss after each step and stops right after a loss that is non-finite or
    above 4 x the smallest loss recorded before it. Returns (lrs, losses), equal lengths.
    """
'''

_FROM_DOC = '''def suggest_from_range_test(lrs, losses):
    """The learning rate where the loss falls fastest against log(lr).

    Drops non-finite losses first (ValueError if fewer than 2 remain).
    """
'''

# ----------------------------------------------------------------------------- correct styles

CORRECT = {
    "relative_improvements": [
        ("Python loop, returns a list of floats", _REL_DOC + """    values = [float(x) for x in losses]
    out = []
    for i in range(len(values) - 1):
        out.append((values[i] - values[i + 1]) / values[i])
    return out
"""),
        ("np.diff over the previous losses", _REL_DOC + """    L = np.array(losses, dtype=np.float64)
    return -np.diff(L) / L[:-1]
"""),
        ("ratio form 1 - L[i+1] / L[i] with zip", _REL_DOC + """    L = list(losses)
    return np.array([1.0 - b / a for a, b in zip(L[:-1], L[1:])], dtype=float)
"""),
    ],
    "diagnose": [
        ("loop with math.isfinite and integer one-third test", _DIAG_DOC + """    import math
    values = [float(x) for x in losses]
    n = len(values)
    if n < 2:
        raise ValueError("a history needs at least two losses")
    if any(not math.isfinite(v) for v in values) or values[-1] > values[0]:
        return "diverging"
    ups = 0
    for a, b in zip(values[:-1], values[1:]):
        if b > a:
            ups += 1
    if 3 * ups >= n - 1:
        return "oscillating"
    if values[0] - values[-1] < 0.1 * values[0]:
        return "too_slow"
    return "healthy"
"""),
        ("fraction of rising steps, np.isnan / np.isinf", _DIAG_DOC + """    L = np.asarray(losses, dtype=float)
    if len(L) < 2:
        raise ValueError("need two or more losses")
    if np.isnan(L).any() or np.isinf(L).any() or L[-1] > L[0]:
        return "diverging"
    steps = L[1:] - L[:-1]
    if np.mean(steps > 0) >= 1 / 3:
        return "oscillating"
    total = (L[0] - L[-1]) / L[0]
    return "too_slow" if total < 0.1 else "healthy"
"""),
    ],
    "suggest_lr": [
        ("dict of factors with a membership check", _SUGGEST_DOC + """    factors = {"diverging": 0.1, "oscillating": 0.5, "too_slow": 2.0, "healthy": 1.0}
    if diagnosis not in factors:
        raise ValueError("unknown diagnosis: " + repr(diagnosis))
    return lr * factors[diagnosis]
"""),
        ("match statement", _SUGGEST_DOC + """    match diagnosis:
        case "diverging":
            return lr * 0.1
        case "oscillating":
            return 0.5 * lr
        case "too_slow":
            return 2.0 * lr
        case "healthy":
            return float(lr)
        case _:
            raise ValueError(f"no rule for {diagnosis}")
"""),
        ("dict lookup, KeyError turned into ValueError", _SUGGEST_DOC + """    rules = {"diverging": lambda x: x / 10, "oscillating": lambda x: x / 2,
             "too_slow": lambda x: x * 2, "healthy": lambda x: x}
    try:
        rule = rules[diagnosis]
    except (KeyError, TypeError):
        raise ValueError(f"unknown diagnosis {diagnosis!r}") from None
    return np.float64(rule(lr))
"""),
    ],
    "lr_range_test": [
        ("index loop, slices the grid, min over the history", _RANGE_DOC + """    grid = np.geomspace(lr_min, lr_max, n_steps)
    w = np.copy(np.asarray(w0, dtype=float))
    losses = []
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(len(grid)):
            w = w - grid[k] * grad_fn(w)
            losses.append(loss_fn(w))
            bad = not np.isfinite(losses[-1])
            if k > 0 and losses[-1] > 4 * min(losses[:-1]):
                bad = True
            if bad:
                break
    return grid[:len(losses)], np.asarray(losses, dtype=float)
"""),
        ("while loop with math, Python lists for both outputs", _RANGE_DOC + """    import math
    lrs_all = list(np.geomspace(lr_min, lr_max, n_steps))
    w = np.array(w0, dtype=float)
    lrs, losses = [], []
    best = None
    i = 0
    while i < len(lrs_all):
        lr = lrs_all[i]
        with np.errstate(all="ignore"):
            w = w - lr * np.asarray(grad_fn(w))
            loss = float(loss_fn(w))
        lrs.append(float(lr))
        losses.append(loss)
        if math.isnan(loss) or math.isinf(loss):
            break
        if best is not None and loss > 4.0 * best:
            break
        best = loss if best is None else min(best, loss)
        i += 1
    return np.array(lrs), np.array(losses)
"""),
    ],
    "suggest_from_range_test": [
        ("boolean mask, returns a Python float", _FROM_DOC + """    lrs = np.array(lrs, dtype=float)
    losses = np.array(losses, dtype=float)
    ok = ~(np.isnan(losses) | np.isinf(losses))
    if ok.sum() < 2:
        raise ValueError("not enough finite losses")
    slope = np.gradient(losses[ok], np.log(lrs[ok]))
    return float(lrs[ok][slope.argmin()])
"""),
        ("hand-written second-order differences in a loop", _FROM_DOC + """    import math
    pairs = [(float(a), float(b)) for a, b in zip(lrs, losses) if math.isfinite(b)]
    if len(pairs) < 2:
        raise ValueError("need at least two finite losses")
    x = [math.log(a) for a, _ in pairs]
    f = [b for _, b in pairs]
    n = len(x)
    slopes = [(f[1] - f[0]) / (x[1] - x[0])]
    for i in range(1, n - 1):
        h0, h1 = x[i] - x[i - 1], x[i + 1] - x[i]
        slopes.append((h0 ** 2 * f[i + 1] - h1 ** 2 * f[i - 1] + (h1 ** 2 - h0 ** 2) * f[i])
                      / (h0 * h1 * (h0 + h1)))
    if n > 2:
        slopes.append((f[-1] - f[-2]) / (x[-1] - x[-2]))
    best = min(range(len(slopes)), key=lambda i: slopes[i])
    return pairs[best][0]
"""),
    ],
}

# ----------------------------------------------------------------------------- in-place updates

MUTATING = {
}

# ----------------------------------------------------------------------------- figure and written answers

EXTRA = {
    "figure_range_test": """lrs, losses = lr_range_test(mse_loss, mse_grad, np.zeros(5), 1e-4, 10.0, 100)
best_lr = suggest_from_range_test(lrs, losses)
min_lr = lrs[np.argmin(losses)]
fig, ax = plt.subplots(figsize=(7, 4))
ax.semilogx(lrs, losses, "o-", markersize=3, label="loss after one step at each lr")
ax.axvline(best_lr, color="green", linestyle="--", label=f"steepest fall: lr = {best_lr:.3g}")
ax.axvline(min_lr, color="red", linestyle=":", label=f"lowest loss: lr = {min_lr:.3g}")
ax.set_xlabel("learning rate")
ax.set_ylabel("loss")
ax.set_title("Range test on the regression problem")
ax.legend()
plt.show()
for lr in (best_lr, min_lr, min_lr / 10):
    h = loss_history(mse_loss, mse_grad, np.zeros(5), lr, 30)
    print(lr, diagnose(h), h[-1])
""",
    "answer_range_test_figure": (
        "For learning rates below about 3e-4 the loss hardly changes. It drops fastest around 3e-3, which is "
        "where the suggested learning rate is, then stays near zero until its minimum near 0.5, after which it "
        "jumps up and the test stops. The minimum is not a good learning rate: training 30 steps with it "
        "diverged (loss about 1e54), because the range test moves the learning rate every step and the steep "
        "direction is already unstable there (2 / lambda_max is about 0.11). With the suggested 0.0033 the "
        "30-step run was healthy (17 down to 0.9), and a tenth of the minimum (0.049) was healthy too (0.09)."
    ),
    "figure_network_range_test": """lrs_a, losses_a = lr_range_test(*minibatch_fns(32, seed=0), W0, 1e-3, 100.0, 100)
lrs_b, losses_b = lr_range_test(*minibatch_fns(32, seed=0, smoothing=0.98), W0, 1e-3, 100.0, 100)
steep = suggest_from_range_test(lrs_b, losses_b)
tenth = lrs_b[np.argmin(losses_b)] / 10
print(lrs_a[-1], len(lrs_a), lrs_b[-1], len(lrs_b), steep, tenth)
for seed in range(10):
    l, f = lr_range_test(*minibatch_fns(32, seed=seed, smoothing=0.98), W0, 1e-3, 100.0, 100)
    print(seed, suggest_from_range_test(l, f), l[np.argmin(f)] / 10)
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4))
ax1.semilogx(lrs_a, losses_a, ".", label="raw")
ax1.semilogx(lrs_b, losses_b, label="smoothed")
ax1.axvline(steep, color="g", label="steepest")
ax1.axvline(tenth, color="r", label="min / 10")
ax1.legend()
for lr in (steep, tenth):
    w, batch_losses, epoch_losses = train_network(W0, lr, 15, 32, seed=0)
    ax2.plot(batch_losses, alpha=0.4, label=f"batches, lr {lr:.2g}")
    ax2.plot(np.arange(16) * 13, epoch_losses, "o-", label=f"epochs, lr {lr:.2g}")
    print(lr, diagnose(epoch_losses), diagnose(batch_losses), epoch_losses[-1], accuracy(w))
ax2.set_xlabel("step")
ax2.legend()
plt.show()
""",
    "answer_network": (
        "I would trust the minimum / 10 reading: over the ten seeds it stays between about 0.3 and 1.1, while "
        "the steepest slope jumps from 0.001 to 14, because a slope is a difference of two noisy mini-batch "
        "losses. Smoothing makes the curve readable and the test stops later (19.6 instead of 6.1), when the "
        "loss really turns up. In training about half of the mini-batch losses go up, so diagnose says "
        "oscillating, but the epoch losses are healthy and both runs learn (loss 0.07 and 0.19, accuracy 98 % "
        "and 93 %): the ups and downs are batch noise, not a failing run."
    ),
    "answer_loss_history": (
        "Run A: diagnose says too_slow and suggest_lr doubles the rate. The loss only drops 0.4 % in total and "
        "each step removes the same tiny share, so it is crawling: the steps lr * grad are too short. I would "
        "double the learning rate several times or run a range test.\n\n"
        "Run B: oscillating (14 of 30 steps up), suggest_lr halves the rate, but at lr 0.05 it still oscillates. "
        "The waves come from the momentum (beta = 0.95 overshoots and swings back); with beta = 0.5 the run is "
        "healthy. Plain gradient descent on this quadratic cannot do this: its loss falls every step below "
        "2 / lambda_max.\n\n"
        "Run C: oscillating, and from epoch 1 on even diverging because the last loss is above the second. But "
        "the run is at its SGD noise floor after one epoch (about 0.28 against the best 0.235), which is what "
        "problem set 3 called noise, not failure. A decaying learning rate or bigger batches would let it settle.\n\n"
        "The run at lr 1.0 diverges (the loss doubles every epoch and ends in NaN): each overshoot lands where "
        "the gradient is bigger. Cut the learning rate to 0.1 and if it still rises to 0.01 or 0.001; one cut by "
        "10 may not be enough because we do not know how far above the critical learning rate we were."
    ),
}
