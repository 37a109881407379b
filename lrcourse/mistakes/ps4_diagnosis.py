"""Known mistakes in diagnosing loss histories (ps4_diagnosis), each as the code a student writes.

See :mod:`lrcourse.mistakes`. The order breaks ties: of two mistakes that explain a student
equally well, the one listed first names the failure.
"""

from .base import LIST_INPUT, Mistake, group

MISTAKES = group([
    # ----------------------------------------------------------------- relative_improvements
    Mistake("relative_improvements", "improvement relative to the first loss, not the previous one ((L[i] - L[i+1]) / L[0])", '''\
def relative_improvements(losses):
    L = np.asarray(losses, dtype=float)
    return (L[:-1] - L[1:]) / L[0]
'''),
    Mistake("relative_improvements", "sign flipped (L[i+1] - L[i]): an improvement must come out positive", '''\
def relative_improvements(losses):
    L = np.asarray(losses, dtype=float)
    return np.diff(L) / L[:-1]
'''),
    Mistake("relative_improvements", "divided by the new loss L[i+1] instead of the previous loss L[i]", '''\
def relative_improvements(losses):
    L = np.asarray(losses, dtype=float)
    return (L[:-1] - L[1:]) / L[1:]
'''),
    Mistake("relative_improvements", "absolute improvement L[i] - L[i+1], not divided by L[i]", '''\
def relative_improvements(losses):
    L = np.asarray(losses, dtype=float)
    return -np.diff(L)
'''),
    Mistake("relative_improvements", LIST_INPUT, '''\
def relative_improvements(losses):
    return (losses[:-1] - losses[1:]) / losses[:-1]   # arrays only: a list cannot be subtracted
''', any_error=True),
    Mistake("relative_improvements", "result kept in the integer dtype of an int input (np.zeros_like / astype of an int array truncates): convert with np.asarray(losses, dtype=float)", '''\
def relative_improvements(losses):
    L = np.asarray(losses)
    out = np.zeros_like(L[1:])
    for i in range(len(L) - 1):
        out[i] = (L[i] - L[i + 1]) / L[i]
    return out
'''),
    # ----------------------------------------------------------------- diagnose
    Mistake("diagnose", "checks in the wrong order (oscillating before diverging)", '''\
def diagnose(losses):
    L = np.asarray(losses, dtype=float)
    if L.size < 2:
        raise ValueError("too short")
    if np.sum(np.diff(L) > 0) >= (L.size - 1) / 3:
        return "oscillating"
    if not np.all(np.isfinite(L)) or L[-1] > L[0]:
        return "diverging"
    if (L[0] - L[-1]) / L[0] < 0.1:
        return "too_slow"
    return "healthy"
'''),
    Mistake("diagnose", "checks in the wrong order (too_slow before oscillating)", '''\
def diagnose(losses):
    L = np.asarray(losses, dtype=float)
    if L.size < 2:
        raise ValueError("too short")
    if not np.all(np.isfinite(L)) or L[-1] > L[0]:
        return "diverging"
    if (L[0] - L[-1]) / L[0] < 0.1:
        return "too_slow"
    if np.sum(np.diff(L) > 0) >= (L.size - 1) / 3:
        return "oscillating"
    return "healthy"
'''),
    Mistake("diagnose", "NaN not treated as diverging (any non-finite loss means diverging)", '''\
def diagnose(losses):
    L = np.asarray(losses, dtype=float)
    if L.size < 2:
        raise ValueError("too short")
    if L[-1] > L[0]:
        return "diverging"
    if np.sum(np.diff(L) > 0) >= (L.size - 1) / 3:
        return "oscillating"
    if (L[0] - L[-1]) / L[0] < 0.1:
        return "too_slow"
    return "healthy"
'''),
    Mistake("diagnose", "diverging only on non-finite losses: forgot L[-1] > L[0]", '''\
def diagnose(losses):
    L = np.asarray(losses, dtype=float)
    if L.size < 2:
        raise ValueError("too short")
    if not np.all(np.isfinite(L)):
        return "diverging"
    if np.sum(np.diff(L) > 0) >= (L.size - 1) / 3:
        return "oscillating"
    if (L[0] - L[-1]) / L[0] < 0.1:
        return "too_slow"
    return "healthy"
'''),
    Mistake("diagnose", "L[-1] >= L[0] counted as diverging (the rule is strictly above the first)", '''\
def diagnose(losses):
    L = np.asarray(losses, dtype=float)
    if L.size < 2:
        raise ValueError("too short")
    if not np.all(np.isfinite(L)) or L[-1] >= L[0]:
        return "diverging"
    if np.sum(np.diff(L) > 0) >= (L.size - 1) / 3:
        return "oscillating"
    if (L[0] - L[-1]) / L[0] < 0.1:
        return "too_slow"
    return "healthy"
'''),
    Mistake("diagnose", "too_slow threshold on the last step instead of the total decrease (L[0] - L[-1]) / L[0]", '''\
def diagnose(losses):
    L = np.asarray(losses, dtype=float)
    if L.size < 2:
        raise ValueError("too short")
    if not np.all(np.isfinite(L)) or L[-1] > L[0]:
        return "diverging"
    if np.sum(np.diff(L) > 0) >= (L.size - 1) / 3:
        return "oscillating"
    if (L[-2] - L[-1]) / L[-2] < 0.1:
        return "too_slow"
    return "healthy"
'''),
    Mistake("diagnose", "strict > for the one-third rule, or a third of len(L): it is >= (len(L) - 1) / 3", '''\
def diagnose(losses):
    L = np.asarray(losses, dtype=float)
    if L.size < 2:
        raise ValueError("too short")
    if not np.all(np.isfinite(L)) or L[-1] > L[0]:
        return "diverging"
    if np.sum(np.diff(L) > 0) >= len(L) / 3:
        return "oscillating"
    if (L[0] - L[-1]) / L[0] < 0.1:
        return "too_slow"
    return "healthy"
'''),
    Mistake("diagnose", "flat steps counted as increases (np.diff(L) >= 0 instead of > 0)", '''\
def diagnose(losses):
    L = np.asarray(losses, dtype=float)
    if L.size < 2:
        raise ValueError("too short")
    if not np.all(np.isfinite(L)) or L[-1] > L[0]:
        return "diverging"
    if np.sum(np.diff(L) >= 0) >= (L.size - 1) / 3:
        return "oscillating"
    if (L[0] - L[-1]) / L[0] < 0.1:
        return "too_slow"
    return "healthy"
'''),
    Mistake("diagnose", "total decrease divided by the last loss: it is (L[0] - L[-1]) / L[0]", '''\
def diagnose(losses):
    L = np.asarray(losses, dtype=float)
    if L.size < 2:
        raise ValueError("too short")
    if not np.all(np.isfinite(L)) or L[-1] > L[0]:
        return "diverging"
    if np.sum(np.diff(L) > 0) >= (L.size - 1) / 3:
        return "oscillating"
    if (L[0] - L[-1]) / L[-1] < 0.1:
        return "too_slow"
    return "healthy"
'''),
    Mistake("diagnose", LIST_INPUT, '''\
def diagnose(losses):
    if losses.size < 2:
        raise ValueError("need at least 2 losses")
    if not np.all(np.isfinite(losses)) or losses[-1] > losses[0]:
        return "diverging"
    if np.sum(np.diff(losses) > 0) >= (losses.size - 1) / 3:
        return "oscillating"
    if (losses[0] - losses[-1]) / losses[0] < 0.1:
        return "too_slow"
    return "healthy"
''', any_error=True),
    # ----------------------------------------------------------------- suggest_lr
    Mistake("suggest_lr", "suggest_lr factors swapped (diverging is lr / 10, oscillating lr / 2)", '''\
def suggest_lr(lr, diagnosis):
    if diagnosis == "diverging":
        return lr / 2
    if diagnosis == "oscillating":
        return lr / 10
    if diagnosis == "too_slow":
        return lr * 2
    if diagnosis == "healthy":
        return lr
    raise ValueError(diagnosis)
'''),
    Mistake("suggest_lr", "too_slow should multiply the lr by 2, not divide it", '''\
def suggest_lr(lr, diagnosis):
    if diagnosis == "diverging":
        return lr / 10
    if diagnosis in ("oscillating", "too_slow"):
        return lr / 2
    if diagnosis == "healthy":
        return lr
    raise ValueError(diagnosis)
'''),
    Mistake("suggest_lr", "too_slow multiplies by 10 instead of 2", '''\
def suggest_lr(lr, diagnosis):
    if diagnosis == "diverging":
        return lr / 10
    if diagnosis == "oscillating":
        return lr / 2
    if diagnosis == "too_slow":
        return lr * 10
    if diagnosis == "healthy":
        return lr
    raise ValueError(diagnosis)
'''),
    Mistake("suggest_lr", "unknown diagnosis raised KeyError (a dict lookup), not ValueError", '''\
def suggest_lr(lr, diagnosis):
    factors = {"diverging": 0.1, "oscillating": 0.5, "too_slow": 2.0, "healthy": 1.0}
    return lr * factors[diagnosis]
'''),
    Mistake("suggest_lr", "unknown diagnosis returned the lr unchanged instead of raising ValueError", '''\
def suggest_lr(lr, diagnosis):
    factors = {"diverging": 0.1, "oscillating": 0.5, "too_slow": 2.0}
    return lr * factors.get(diagnosis, 1.0)
'''),
    Mistake("suggest_lr", "floor division (lr // 10 or lr // 2 is 0 for lr = 1): use lr / 10 and lr / 2", '''\
def suggest_lr(lr, diagnosis):
    if diagnosis == "diverging":
        return lr // 10
    if diagnosis == "oscillating":
        return lr // 2
    if diagnosis == "too_slow":
        return lr * 2
    if diagnosis == "healthy":
        return lr
    raise ValueError(diagnosis)
'''),
    # ----------------------------------------------------------------- lr_range_test
    Mistake("lr_range_test", "range test records loss_fn(w0) (the loss before each step instead of after it)", '''\
def lr_range_test(loss_fn, grad_fn, w0, lr_min, lr_max, n_steps):
    w = np.array(w0, dtype=float)
    used, losses = [], []
    smallest = np.inf
    with np.errstate(over="ignore", invalid="ignore"):
        for lr in np.geomspace(lr_min, lr_max, n_steps):
            loss = float(loss_fn(w))
            w = w - lr * grad_fn(w)
            used.append(lr)
            losses.append(loss)
            if not np.isfinite(loss) or loss > 4 * smallest:
                break
            smallest = min(smallest, loss)
    return np.array(used), np.array(losses)
'''),
    Mistake("lr_range_test", "smallest loss started at loss_fn(w0): it is the smallest of the losses recorded so far (loss_fn(w0) is not recorded)", '''\
def lr_range_test(loss_fn, grad_fn, w0, lr_min, lr_max, n_steps):
    w = np.array(w0, dtype=float)
    best = float(loss_fn(w))            # the loss we start from
    used, losses = [], []
    for lr in np.geomspace(lr_min, lr_max, n_steps):
        w = w - lr * np.asarray(grad_fn(w), dtype=float)
        loss = float(loss_fn(w))
        used.append(lr)
        losses.append(loss)
        if not np.isfinite(loss) or loss > 4 * best:
            break
        best = min(best, loss)
    return np.array(used), np.array(losses)
'''),
    Mistake("lr_range_test", "range test stops before recording the bad loss (it must be kept as the last entry)", '''\
def lr_range_test(loss_fn, grad_fn, w0, lr_min, lr_max, n_steps):
    w = np.array(w0, dtype=float)
    used, losses = [], []
    smallest = np.inf
    with np.errstate(over="ignore", invalid="ignore"):
        for lr in np.geomspace(lr_min, lr_max, n_steps):
            w = w - lr * grad_fn(w)
            loss = float(loss_fn(w))
            if not np.isfinite(loss) or loss > 4 * smallest:
                break
            used.append(lr)
            losses.append(loss)
            smallest = min(smallest, loss)
    return np.array(used), np.array(losses)
'''),
    Mistake("lr_range_test", "range test compares with the first loss instead of the smallest", '''\
def lr_range_test(loss_fn, grad_fn, w0, lr_min, lr_max, n_steps):
    w = np.array(w0, dtype=float)
    used, losses = [], []
    with np.errstate(over="ignore", invalid="ignore"):
        for lr in np.geomspace(lr_min, lr_max, n_steps):
            w = w - lr * grad_fn(w)
            loss = float(loss_fn(w))
            used.append(lr)
            losses.append(loss)
            if not np.isfinite(loss) or loss > 4 * losses[0]:
                break
    return np.array(used), np.array(losses)
'''),
    Mistake("lr_range_test", "range test does not stop on a non-finite loss", '''\
def lr_range_test(loss_fn, grad_fn, w0, lr_min, lr_max, n_steps):
    w = np.array(w0, dtype=float)
    used, losses = [], []
    with np.errstate(over="ignore", invalid="ignore"):
        for lr in np.geomspace(lr_min, lr_max, n_steps):
            w = w - lr * grad_fn(w)
            loss = float(loss_fn(w))
            used.append(lr)
            losses.append(loss)
            if len(losses) > 1 and loss > 4 * min(losses[:-1]):
                break
    return np.array(used), np.array(losses)
'''),
    Mistake("lr_range_test", "range test stops when the loss rises above the smallest, not above 4 x the smallest", '''\
def lr_range_test(loss_fn, grad_fn, w0, lr_min, lr_max, n_steps):
    w = np.array(w0, dtype=float)
    used, losses = [], []
    smallest = np.inf
    with np.errstate(over="ignore", invalid="ignore"):
        for lr in np.geomspace(lr_min, lr_max, n_steps):
            w = w - lr * grad_fn(w)
            loss = float(loss_fn(w))
            used.append(lr)
            losses.append(loss)
            if not np.isfinite(loss) or loss > smallest:
                break
            smallest = min(smallest, loss)
    return np.array(used), np.array(losses)
'''),
    Mistake("lr_range_test", "range test never stops (runs all n_steps)", '''\
def lr_range_test(loss_fn, grad_fn, w0, lr_min, lr_max, n_steps):
    lrs = np.geomspace(lr_min, lr_max, n_steps)
    w = np.array(w0, dtype=float)
    losses = []
    with np.errstate(over="ignore", invalid="ignore"):
        for lr in lrs:
            w = w - lr * grad_fn(w)
            losses.append(float(loss_fn(w)))
    return lrs, np.array(losses)
'''),
    Mistake("lr_range_test", "n_steps = 1 fails (a grid built with 1 / (n_steps - 1)): np.geomspace(lr_min, lr_max, 1) is [lr_min]", '''\
def lr_range_test(loss_fn, grad_fn, w0, lr_min, lr_max, n_steps):
    ratio = (lr_max / lr_min) ** (1 / (n_steps - 1))   # the factor between neighbouring lrs
    w = np.array(w0, dtype=float)
    best = np.inf
    used, losses = [], []
    for i in range(n_steps):
        lr = lr_min * ratio ** i
        w = w - lr * np.asarray(grad_fn(w), dtype=float)
        loss = float(loss_fn(w))
        used.append(lr)
        losses.append(loss)
        if not np.isfinite(loss) or loss > 4 * best:
            break
        best = min(best, loss)
    return np.array(used), np.array(losses)
'''),
    Mistake("lr_range_test", "learning-rate grid off by one (lr_min * r**(i / n_steps) never reaches lr_max): use np.geomspace(lr_min, lr_max, n_steps)", '''\
def lr_range_test(loss_fn, grad_fn, w0, lr_min, lr_max, n_steps):
    ratio = lr_max / lr_min
    w = np.array(w0, dtype=float)
    used, losses, best = [], [], float("inf")
    with np.errstate(over="ignore", invalid="ignore"):
        for i in range(n_steps):
            lr = lr_min * ratio ** (i / n_steps)
            w = w - lr * grad_fn(w)
            loss = float(loss_fn(w))
            used.append(lr)
            losses.append(loss)
            if not np.isfinite(loss) or loss > 4 * best:
                break
            best = min(best, loss)
    return np.array(used), np.array(losses)
'''),
    Mistake("lr_range_test", "in-place update w -= ... on an integer w0 fails: start from np.array(w0, dtype=float)", '''\
def lr_range_test(loss_fn, grad_fn, w0, lr_min, lr_max, n_steps):
    w = np.array(w0)   # a copy, but an int w0 stays int
    used, losses, best = [], [], float("inf")
    with np.errstate(over="ignore", invalid="ignore"):
        for lr in np.geomspace(lr_min, lr_max, n_steps):
            w -= lr * grad_fn(w)
            loss = float(loss_fn(w))
            used.append(lr)
            losses.append(loss)
            if not np.isfinite(loss) or loss > 4 * best:
                break
            best = min(best, loss)
    return np.array(used), np.array(losses)
'''),
    Mistake("lr_range_test", LIST_INPUT, '''\
def lr_range_test(loss_fn, grad_fn, w0, lr_min, lr_max, n_steps):
    w = w0 + 0.0                        # a float copy, so w0 is never changed
    best = np.inf
    used, losses = [], []
    for lr in np.geomspace(lr_min, lr_max, n_steps):
        w = w - lr * np.asarray(grad_fn(w), dtype=float)
        loss = float(loss_fn(w))
        used.append(lr)
        losses.append(loss)
        if not np.isfinite(loss) or loss > 4 * best:
            break
        best = min(best, loss)
    return np.array(used), np.array(losses)
''', any_error=True),
    # ----------------------------------------------------------------- suggest_from_range_test
    Mistake("suggest_from_range_test", "argmin of the losses instead of the slope", '''\
def suggest_from_range_test(lrs, losses):
    lrs = np.asarray(lrs, dtype=float)
    losses = np.asarray(losses, dtype=float)
    keep = np.isfinite(losses)
    if keep.sum() < 2:
        raise ValueError("need 2 finite losses")
    return lrs[keep][np.argmin(losses[keep])]
'''),
    Mistake("suggest_from_range_test", "slope against lr instead of log(lr): np.gradient(losses, np.log(lrs))", '''\
def suggest_from_range_test(lrs, losses):
    lrs = np.asarray(lrs, dtype=float)
    losses = np.asarray(losses, dtype=float)
    keep = np.isfinite(losses)
    if keep.sum() < 2:
        raise ValueError("need 2 finite losses")
    return lrs[keep][np.argmin(np.gradient(losses[keep], lrs[keep]))]
'''),
    Mistake("suggest_from_range_test", "slope against the index, not log(lr): pass np.log(lrs) to np.gradient", '''\
def suggest_from_range_test(lrs, losses):
    lrs = np.asarray(lrs, dtype=float)
    losses = np.asarray(losses, dtype=float)
    keep = np.isfinite(losses)
    if keep.sum() < 2:
        raise ValueError("need 2 finite losses")
    return lrs[keep][np.argmin(np.gradient(losses[keep]))]
'''),
    Mistake("suggest_from_range_test", "slope as np.gradient(losses) / np.gradient(np.log(lrs)): on an uneven lr grid that is not the slope, use np.gradient(losses, np.log(lrs))", '''\
def suggest_from_range_test(lrs, losses):
    lrs = np.asarray(lrs, dtype=float)
    losses = np.asarray(losses, dtype=float)
    keep = np.isfinite(losses)
    if keep.sum() < 2:
        raise ValueError("need 2 finite losses")
    lrs, losses = lrs[keep], losses[keep]
    return lrs[np.argmin(np.gradient(losses) / np.gradient(np.log(lrs)))]
'''),
    Mistake("suggest_from_range_test", "np.diff instead of np.gradient (the slopes shift by half a step)", '''\
def suggest_from_range_test(lrs, losses):
    lrs = np.asarray(lrs, dtype=float)
    losses = np.asarray(losses, dtype=float)
    keep = np.isfinite(losses)
    if keep.sum() < 2:
        raise ValueError("need 2 finite losses")
    lrs, losses = lrs[keep], losses[keep]
    return lrs[np.argmin(np.diff(losses) / np.diff(np.log(lrs)))]
'''),
    Mistake("suggest_from_range_test", "argmax of the slope instead of argmin (the loss should fall fastest)", '''\
def suggest_from_range_test(lrs, losses):
    lrs = np.asarray(lrs, dtype=float)
    losses = np.asarray(losses, dtype=float)
    keep = np.isfinite(losses)
    if keep.sum() < 2:
        raise ValueError("need 2 finite losses")
    return lrs[keep][np.argmax(np.gradient(losses[keep], np.log(lrs[keep])))]
'''),
    Mistake("suggest_from_range_test", "non-finite losses not dropped", '''\
def suggest_from_range_test(lrs, losses):
    lrs = np.asarray(lrs, dtype=float)
    losses = np.asarray(losses, dtype=float)
    return lrs[np.argmin(np.gradient(losses, np.log(lrs)))]
'''),
    Mistake("suggest_from_range_test", "np.gradient(..., edge_order=2): the slope uses np.gradient's default (one-sided differences at the ends)", '''\
def suggest_from_range_test(lrs, losses):
    lrs = np.asarray(lrs, dtype=float)
    losses = np.asarray(losses, dtype=float)
    keep = np.isfinite(losses)
    if keep.sum() < 2:
        raise ValueError("need at least 2 finite losses")
    lrs, losses = lrs[keep], losses[keep]
    slope = np.gradient(losses, np.log(lrs), edge_order=2)   # second-order accurate at the ends too
    return lrs[np.argmin(slope)]
'''),
    Mistake("suggest_from_range_test", "slope of log(loss) instead of the loss itself: np.gradient(losses, np.log(lrs))", '''\
def suggest_from_range_test(lrs, losses):
    lrs = np.asarray(lrs, dtype=float)
    losses = np.asarray(losses, dtype=float)
    keep = np.isfinite(losses)
    if keep.sum() < 2:
        raise ValueError("need at least 2 finite losses")
    lrs, losses = lrs[keep], losses[keep]
    slope = np.gradient(np.log(losses), np.log(lrs))   # on the log-log plot
    return lrs[np.argmin(slope)]
'''),
    Mistake("suggest_from_range_test", LIST_INPUT, '''\
def suggest_from_range_test(lrs, losses):
    keep = np.isfinite(losses)
    if keep.sum() < 2:
        raise ValueError("need at least 2 finite losses")
    lrs, losses = lrs[keep], losses[keep]
    return lrs[np.argmin(np.gradient(losses, np.log(lrs)))]
''', any_error=True),
])
