"""Known mistakes in the update rule (ps1_update_rule), each as the code a student writes.

See :mod:`lrcourse.mistakes`. The order breaks ties: of two mistakes that explain a student
equally well, the one listed first names the failure.
"""

from .base import INT_CAST, INT_PATH, INT_PATH_STEP, LIST_INPUT, Mistake, group

MISTAKES = group([
    # ----------------------------------------------------------------- gd_step
    Mistake("gd_step", "sign flipped (w + lr * grad: that climbs the loss)", '''\
def gd_step(w, grad, lr):
    return np.asarray(w, dtype=float) + lr * np.asarray(grad, dtype=float)
'''),
    Mistake("gd_step", "learning rate ignored (w - grad)", '''\
def gd_step(w, grad, lr):
    return np.asarray(w, dtype=float) - np.asarray(grad, dtype=float)
'''),
    Mistake("gd_step", "returned the step lr * grad instead of the new w = w - lr * grad", '''\
def gd_step(w, grad, lr):
    return lr * np.asarray(grad, dtype=float)
'''),
    Mistake("gd_step", INT_CAST, '''\
def gd_step(w, grad, lr):
    w = np.asarray(w)
    return (w - lr * np.asarray(grad)).astype(w.dtype)  # keeps the caller's dtype
'''),
    Mistake("gd_step", "fails on integer input (e.g. an in-place update of an integer array): work on np.array(w, dtype=float)", '''\
def gd_step(w, grad, lr):
    new_w = np.array(w)  # a copy, but an int w stays int
    new_w -= lr * np.asarray(grad)
    return new_w
''', any_error=True),
    Mistake("gd_step", LIST_INPUT, '''\
def gd_step(w, grad, lr):
    return w - lr * grad
''', any_error=True),
    # ----------------------------------------------------------------- gradient_descent
    Mistake("gradient_descent", "w0 left out of the returned iterates (the first row must be w0)", '''\
def gradient_descent(grad_fn, w0, lr, n_steps):
    w = np.asarray(w0, dtype=float)
    path = []
    for _ in range(n_steps):
        w = w - lr * grad_fn(w)
        path.append(w)
    return np.array(path).reshape((n_steps,) + np.shape(w0))
'''),
    Mistake("gradient_descent", "one step too many (n_steps + 1 updates)", '''\
def gradient_descent(grad_fn, w0, lr, n_steps):
    w = np.asarray(w0, dtype=float)
    path = [w]
    for _ in range(n_steps + 1):
        w = w - lr * grad_fn(w)
        path.append(w)
    return np.array(path)
'''),
    Mistake("gradient_descent", "gradient always taken at w0 instead of at the current w", '''\
def gradient_descent(grad_fn, w0, lr, n_steps):
    w = np.asarray(w0, dtype=float)
    path = [w]
    for _ in range(n_steps):
        w = w - lr * grad_fn(w0)
        path.append(w)
    return np.array(path)
'''),
    Mistake("gradient_descent", "updated w in place and stored the same array each step (every row ends up the last w)", '''\
def gradient_descent(grad_fn, w0, lr, n_steps):
    w = np.array(w0, dtype=float)
    path = [w]
    for _ in range(n_steps):
        w -= lr * grad_fn(w)
        path.append(w)
    return np.array(path)
'''),
    Mistake("gradient_descent", "stopped when the values overflowed (keep going: inf/nan rows are part of the answer)", '''\
def gradient_descent(grad_fn, w0, lr, n_steps):
    w = np.asarray(w0, dtype=float)
    path = [w]
    for _ in range(n_steps):
        w = w - lr * grad_fn(w)
        if not np.all(np.isfinite(w)):
            break
        path.append(w)
    return np.array(path)
'''),
    Mistake("gradient_descent", INT_PATH, '''\
def gradient_descent(grad_fn, w0, lr, n_steps):
    path = np.array([w0] * (n_steps + 1))  # one row per iterate, filled in below
    w = np.asarray(w0)
    for t in range(n_steps):
        w = w - lr * np.asarray(grad_fn(w))
        path[t + 1] = w
    return path
'''),
    Mistake("gradient_descent", INT_PATH_STEP, '''\
def gradient_descent(grad_fn, w0, lr, n_steps):
    path = np.array([w0] * (n_steps + 1))  # one row per iterate, filled in below
    for t in range(n_steps):
        path[t + 1] = path[t] - lr * np.asarray(grad_fn(path[t]))
    return path
'''),
    Mistake("gradient_descent", "fails on integer input (e.g. an in-place update of an integer array): work on np.array(w, dtype=float)", '''\
def gradient_descent(grad_fn, w0, lr, n_steps):
    w = np.array(w0)  # a copy, but an int w0 stays int
    path = [w.copy()]
    for _ in range(n_steps):
        w -= lr * np.asarray(grad_fn(w))
        path.append(w.copy())
    return np.array(path)
''', any_error=True),
    Mistake("gradient_descent", LIST_INPUT, '''\
def gradient_descent(grad_fn, w0, lr, n_steps):
    w = w0 * 1.0  # a float copy of w0
    path = [w]
    for _ in range(n_steps):
        w = w - lr * np.asarray(grad_fn(w))
        path.append(w)
    return np.array(path)
''', any_error=True),
    # ----------------------------------------------------------------- critical_lr
    Mistake("critical_lr", "1 / lambda_max instead of 2 / lambda_max", '''\
def critical_lr(hessian):
    lam = np.linalg.eigvalsh(np.atleast_2d(np.asarray(hessian, dtype=float)))[-1]
    return np.inf if lam <= 0 else 1.0 / lam
'''),
    Mistake("critical_lr", "used the smallest eigenvalue instead of the largest", '''\
def critical_lr(hessian):
    lam = np.linalg.eigvalsh(np.atleast_2d(np.asarray(hessian, dtype=float)))[0]
    return np.inf if lam <= 0 else 2.0 / lam
'''),
    Mistake("critical_lr", "no inf for lambda_max <= 0", '''\
def critical_lr(hessian):
    lam = np.linalg.eigvalsh(np.atleast_2d(np.asarray(hessian, dtype=float)))[-1]
    return 2.0 / lam
'''),
    Mistake("critical_lr", "largest absolute eigenvalue instead of the largest eigenvalue", '''\
def critical_lr(hessian):
    lam = np.max(np.abs(np.linalg.eigvalsh(np.atleast_2d(np.asarray(hessian, dtype=float)))))
    return np.inf if lam <= 0 else 2.0 / lam
'''),
    Mistake("critical_lr", "largest entry of the Hessian instead of its largest eigenvalue", '''\
def critical_lr(hessian):
    lam = np.max(hessian)
    return np.inf if lam <= 0 else 2.0 / lam
'''),
    Mistake("critical_lr", "took the last value of np.linalg.eig/eigvals, which are not sorted (use max or eigvalsh)", '''\
def critical_lr(hessian):
    values, vectors = np.linalg.eig(np.atleast_2d(np.asarray(hessian, dtype=float)))
    lam = values[-1].real
    return np.inf if lam <= 0 else 2.0 / lam
'''),
    Mistake("critical_lr", LIST_INPUT, '''\
def critical_lr(hessian):
    if np.isscalar(hessian):
        lam = hessian
    else:
        lam = np.linalg.eigvalsh(hessian.astype(float))[-1]  # a nested list has no .astype
    return np.inf if lam <= 0 else 2.0 / lam
''', any_error=True),
    # ----------------------------------------------------------------- lr_regime
    Mistake("lr_regime", "r == 1 exactly is still 'monotone' (r <= 1, not r < 1)", '''\
def lr_regime(lr, hessian):
    r = lr * np.linalg.eigvalsh(np.atleast_2d(np.asarray(hessian, dtype=float)))[-1]
    if np.isclose(r, 2):
        return "periodic"
    if r < 1:
        return "monotone"
    if r < 2:
        return "oscillating"
    return "diverging"
'''),
    Mistake("lr_regime", "used the smallest eigenvalue instead of the largest", '''\
def lr_regime(lr, hessian):
    r = lr * np.linalg.eigvalsh(np.atleast_2d(np.asarray(hessian, dtype=float)))[0]
    if np.isclose(r, 2):
        return "periodic"
    if r <= 1:
        return "monotone"
    if r < 2:
        return "oscillating"
    return "diverging"
'''),
    Mistake("lr_regime", "checked r < 2 before np.isclose(r, 2): an r that rounds just below 2 is 'periodic' (keep the order)", '''\
def lr_regime(lr, hessian):
    r = lr * np.max(np.linalg.eigvalsh(np.atleast_2d(np.asarray(hessian, dtype=float))))
    if r <= 1:
        return "monotone"
    elif r < 2:
        return "oscillating"
    elif np.isclose(r, 2):
        return "periodic"
    return "diverging"
'''),
    Mistake("lr_regime", "checked r > 2 before np.isclose(r, 2): an r a hair above 2 is 'periodic' (keep the order)", '''\
def lr_regime(lr, hessian):
    r = lr * np.max(np.linalg.eigvalsh(np.atleast_2d(np.asarray(hessian, dtype=float))))
    if r > 2:
        return "diverging"
    if np.isclose(r, 2):
        return "periodic"
    return "monotone" if r <= 1 else "oscillating"
'''),
    Mistake("lr_regime", "tested r == 2 exactly instead of np.isclose(r, 2)", '''\
def lr_regime(lr, hessian):
    r = lr * np.linalg.eigvalsh(np.atleast_2d(np.asarray(hessian, dtype=float)))[-1]
    if r == 2:
        return "periodic"
    if r <= 1:
        return "monotone"
    if r < 2:
        return "oscillating"
    return "diverging"
'''),
    Mistake("lr_regime", LIST_INPUT, '''\
def lr_regime(lr, hessian):
    if np.ndim(hessian) == 0:
        lam_max = float(hessian)
    else:
        lam_max = np.linalg.eigvalsh(hessian.astype(float))[-1]  # a nested list has no .astype
    r = lr * lam_max
    if np.isclose(r, 2):
        return "periodic"
    if r <= 1:
        return "monotone"
    if r < 2:
        return "oscillating"
    return "diverging"
''', any_error=True),
    # ----------------------------------------------------------------- steps_to_tolerance
    Mistake("steps_to_tolerance", "rounded the step count down (floor instead of ceil)", '''\
def steps_to_tolerance(lr, curvature, distance0, tol):
    q = abs(1 - lr * curvature)
    if distance0 <= tol:
        return 0
    if q >= 1:
        return np.inf
    if q == 0:
        return 1
    return int(np.floor(np.log(tol / distance0) / np.log(q)))
'''),
    Mistake("steps_to_tolerance", "forgot abs(1 - lr * curvature): an oscillating run still converges", '''\
def steps_to_tolerance(lr, curvature, distance0, tol):
    q = 1 - lr * curvature
    if distance0 <= tol:
        return 0
    if q >= 1 or q <= 0:
        return np.inf
    return int(np.ceil(np.log(tol / distance0) / np.log(q)))
'''),
    Mistake("steps_to_tolerance", "no 0 when already within tol (distance0 <= tol needs no step)", '''\
def steps_to_tolerance(lr, curvature, distance0, tol):
    import math
    q = abs(1 - lr * curvature)
    if q >= 1:
        return math.inf
    if q == 0:
        return 1
    if distance0 == 0:
        return -1
    return math.ceil(math.log(tol / distance0) / math.log(q))
'''),
    Mistake("steps_to_tolerance", "took a step before checking the distance (distance0 <= tol needs 0 steps)", '''\
def steps_to_tolerance(lr, curvature, distance0, tol):
    q = abs(1 - lr * curvature)
    if q >= 1:
        return np.inf
    k, d = 0, distance0
    while True:
        d = q * d
        k += 1
        if d <= tol:
            return k
'''),
])
