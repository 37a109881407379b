"""Synthetic student answers for ps3_momentum (autograder demo and end-to-end tests).

Each source replaces the solution cell of the same ``grade_id`` in the release notebook.
The sources may assume the notebook's setup cell ran (``import numpy as np``, ``import math``);
other imports are made inside the cell.

``CORRECT``: right answers written in styles other than the reference's; each must get full marks.
The first style of every function is self-contained (it calls no other student function), so a
WRONG variant of one function only costs the points of that function.
``WRONG``: one common mistake each, labelled with the same words as the MISTAKES label in
``lrcourse/cases/ps3_momentum.py`` (or "input mutated" for in-place updates, which the grader
reports through its mutation check); each must lose points.
``EXTRA``: what a diligent student writes in the figure and hand-graded answer cells.
"""

# ----------------------------------------------------------------------------- def lines + docstrings

_MOM_DOC = '''def momentum_step(theta, v, grad, lr, beta):
    """One momentum step (EMA form).

    v_new = beta * v + (1 - beta) * grad;  theta_new = theta - lr * v_new.
    Returns the tuple (theta_new, v_new).
    """
'''

_HB_DOC = '''def heavy_ball_step(theta, v, grad, lr, beta):
    """One heavy-ball step.

    v_new = beta * v + grad;  theta_new = theta - lr * v_new.
    Returns the tuple (theta_new, v_new).
    """
'''

_RUN_DOC = '''def run_momentum(grad_fn, theta0, lr, beta, n_steps):
    """EMA momentum from v = 0 for n_steps steps.

    Returns an array of shape (n_steps + 1,) + shape(theta0): theta0 and every iterate.
    """
'''

_GDLR_DOC = '''def optimal_gd_lr(lam_min, lam_max):
    """The learning rate 2 / (lam_min + lam_max) that makes GD fastest on a quadratic."""
'''

_OPTM_DOC = '''def optimal_momentum(lam_min, lam_max):
    """Polyak's (alpha, beta) for heavy_ball_step on a quadratic with curvatures in [lam_min, lam_max]."""
'''

_MSE_DOC = '''def mse_grad(w, X, y):
    """Gradient of mean((X @ w - y)**2) with respect to w: 2 / n * X.T @ (X @ w - y)."""
'''

_SGD_DOC = '''def minibatch_sgd(X, y, w0, lr, batch_size, n_epochs, seed):
    """Mini-batch SGD on the mean squared error.

    Returns (w, losses): final weights and the full-data MSE before training and after each epoch.
    """
'''

# ----------------------------------------------------------------------------- correct styles

CORRECT = {
    "momentum_step": [
        ("np.array copies, Python floats for scalars", _MOM_DOC + """    theta = np.array(theta, dtype=float)
    v = np.array(v, dtype=float)
    grad = np.array(grad, dtype=float)
    v_new = beta * v + (1 - beta) * grad
    theta_new = theta - lr * v_new
    if theta_new.ndim == 0:
        return float(theta_new), float(v_new)
    return theta_new, v_new
"""),
        ("np.vectorize of the scalar rule (0-d arrays for scalars)", _MOM_DOC + """    def one(th, vel, g):
        vel_new = beta * vel + (1 - beta) * g
        return th - lr * vel_new, vel_new

    theta_new, v_new = np.vectorize(one, otypes=[float, float])(theta, v, grad)
    return theta_new, v_new
"""),
        ("in-place updates on fresh copies, EMA written as v + (1 - beta) * (grad - v)", _MOM_DOC + """    v_new = np.array(v, dtype=float)           # a copy: the caller's v is safe
    v_new += (1 - beta) * (np.asarray(grad, dtype=float) - v_new)
    theta_new = np.array(theta, dtype=float)
    theta_new -= lr * v_new
    return (theta_new, v_new)
"""),
    ],
    "heavy_ball_step": [
        ("np.add / np.multiply, np.float64 for scalars", _HB_DOC + """    v_new = np.add(np.multiply(beta, v), grad, dtype=float)
    theta_new = np.subtract(theta, np.multiply(lr, v_new))
    return np.float64(theta_new) if np.ndim(theta_new) == 0 else theta_new, v_new
"""),
        ("element-by-element loop over the flattened arrays", _HB_DOC + """    th = np.array(theta, dtype=float)
    vel = np.array(v, dtype=float)
    g = np.array(grad, dtype=float)
    flat_th, flat_v, flat_g = th.ravel(), vel.ravel(), g.ravel()
    new_th, new_v = np.empty_like(flat_th), np.empty_like(flat_v)
    for i in range(flat_th.size):
        new_v[i] = beta * flat_v[i] + flat_g[i]
        new_th[i] = flat_th[i] - lr * new_v[i]
    return new_th.reshape(th.shape), new_v.reshape(vel.shape)
"""),
        ("via the EMA form: heavy ball with lr is EMA with lr / (1 - beta) on v * (1 - beta)", _HB_DOC + """    theta = np.asarray(theta, dtype=float)
    scaled_v = (1 - beta) * np.asarray(v, dtype=float)
    ema_v = beta * scaled_v + (1 - beta) * np.asarray(grad, dtype=float)
    theta_new = theta - (lr / (1 - beta)) * ema_v
    return theta_new, ema_v / (1 - beta)
"""),
    ],
    "run_momentum": [
        ("preallocated array, EMA written inline", _RUN_DOC + """    theta = np.array(theta0, dtype=float)
    out = np.zeros((n_steps + 1,) + theta.shape)
    out[0] = theta
    v = np.zeros(theta.shape)
    for t in range(n_steps):
        g = np.asarray(grad_fn(out[t]), dtype=float)
        v = beta * v + (1 - beta) * g
        out[t + 1] = out[t] - lr * v
    return out
"""),
        ("calls momentum_step, list of rows then np.stack", _RUN_DOC + """    theta = np.asarray(theta0, dtype=float)
    v = np.zeros_like(theta)
    rows = [theta.copy()]
    while len(rows) <= n_steps:
        theta, v = momentum_step(theta, v, grad_fn(theta), lr, beta)
        rows.append(np.array(theta, dtype=float))
    return np.stack(rows)
"""),
        ("velocity as a running sum of weighted gradients, lists of floats for 1-D", _RUN_DOC + """    import copy
    theta = copy.deepcopy(theta0)
    theta = np.array(theta, dtype=float)
    velocity = 0.0 * theta
    history = [theta]
    for _ in range(int(n_steps)):
        velocity = velocity * beta + np.multiply(1.0 - beta, grad_fn(theta))
        theta = theta - velocity * lr
        history.append(theta)
    return np.asarray(history)
"""),
    ],
    "optimal_gd_lr": [
        ("Python float", _GDLR_DOC + "    return float(2 / (lam_min + lam_max))\n"),
        ("one over the mean curvature, np.float64", _GDLR_DOC + """    return np.float64(1.0) / np.mean([lam_min, lam_max])
"""),
        ("0-d array from np.divide", _GDLR_DOC + "    return np.divide(2.0, np.add(lam_min, lam_max))\n"),
    ],
    "optimal_momentum": [
        ("np.sqrt, np.float64 results", _OPTM_DOC + """    a, b = np.sqrt(lam_min), np.sqrt(lam_max)
    return (2 / (a + b)) ** 2, ((b - a) / (b + a)) ** 2
"""),
        ("through the condition number kappa", _OPTM_DOC + """    import math
    root_kappa = math.sqrt(lam_max / lam_min)
    beta = ((root_kappa - 1) / (root_kappa + 1)) ** 2
    alpha = 4 / (math.sqrt(lam_min) + math.sqrt(lam_max)) ** 2
    return alpha, beta
"""),
        ("powers ** 0.5, returned as a list", _OPTM_DOC + """    s_min, s_max = lam_min ** 0.5, lam_max ** 0.5
    alpha = 4.0 / (s_min + s_max) / (s_min + s_max)
    beta = (s_max - s_min) ** 2 / (s_max + s_min) ** 2
    return [alpha, beta]
"""),
    ],
    "mse_grad": [
        ("loop over the examples", _MSE_DOC + """    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    w = np.asarray(w, dtype=float)
    n = len(y)
    total = np.zeros_like(w)
    for i in range(n):
        total = total + 2 * (X[i] @ w - y[i]) * X[i]
    return total / n
"""),
        ("mean of per-example gradients with einsum", _MSE_DOC + """    X = np.asarray(X, dtype=float)
    r = np.einsum("ij,j->i", X, np.asarray(w, dtype=float)) - np.asarray(y, dtype=float)
    return np.mean(2 * r[:, None] * X, axis=0)
"""),
        ("np.dot and len", _MSE_DOC + """    X = np.array(X, dtype=float)
    residual = np.dot(X, w) - np.array(y, dtype=float)
    return 2 * np.dot(X.T, residual) / len(X)
"""),
    ],
    "minibatch_sgd": [
        ("while loop over batch starts, gradient inline", _SGD_DOC + """    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    w = np.array(w0, dtype=float)
    n = len(y)
    rng = np.random.default_rng(seed)
    losses = [float(np.mean((X @ w - y) ** 2))]
    for epoch in range(n_epochs):
        order = rng.permutation(n)
        start = 0
        while start < n:
            idx = order[start:start + batch_size]
            Xb, yb = X[idx], y[idx]
            w = w - lr * 2 * Xb.T @ (Xb @ w - yb) / len(idx)
            start += batch_size
        losses.append(float(np.mean((X @ w - y) ** 2)))
    return w, np.array(losses)
"""),
        ("rng.shuffle of arange(n) (the same stream as permutation), calls mse_grad, preallocated losses",
         _SGD_DOC + """    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    w = np.asarray(w0, dtype=float).copy()
    n = X.shape[0]
    rng = np.random.default_rng(seed)
    losses = np.zeros(n_epochs + 1)
    losses[0] = np.mean((X.dot(w) - y) ** 2)
    for epoch in range(1, n_epochs + 1):
        idx = np.arange(n)
        rng.shuffle(idx)
        for start in range(0, n, batch_size):
            b = idx[start:start + batch_size]
            w -= lr * mse_grad(w, X[b], y[b])      # w is our own copy
        losses[epoch] = np.mean((X.dot(w) - y) ** 2)
    return w, losses
"""),
        ("batches listed first with a comprehension, tuple of lists returned", _SGD_DOC + """    import math
    X = np.array(X, dtype=float)
    y = np.array(y, dtype=float)
    w = np.array(w0, dtype=float)
    n = X.shape[0]
    rng = np.random.default_rng(seed)
    mse = lambda w: float(((X @ w - y) ** 2).sum() / n)
    losses = [mse(w)]
    for _ in range(n_epochs):
        perm = rng.permutation(n)
        batches = [perm[k * batch_size:(k + 1) * batch_size] for k in range(math.ceil(n / batch_size))]
        for b in batches:
            grad = 2.0 / b.size * X[b].T @ (X[b] @ w - y[b])
            w = w - lr * grad
        losses.append(mse(w))
    return w, losses
"""),
    ],
}

# ----------------------------------------------------------------------------- wrong answers

WRONG = {
    "momentum_step": [
        ("EMA vs heavy ball mixed up (used v = beta*v + grad: missing (1 - beta) on the gradient)", _MOM_DOC + """    v_new = beta * np.asarray(v, dtype=float) + np.asarray(grad, dtype=float)
    return np.asarray(theta, dtype=float) - lr * v_new, v_new
"""),
        ("beta and 1 - beta swapped (v = (1 - beta)*v + beta*grad)", _MOM_DOC + """    v_new = (1 - beta) * np.asarray(v, dtype=float) + beta * np.asarray(grad, dtype=float)
    return np.asarray(theta, dtype=float) - lr * v_new, v_new
"""),
        ("theta updated with the old velocity (use v_new in theta - lr * v_new)", _MOM_DOC + """    v = np.asarray(v, dtype=float)
    theta_new = np.asarray(theta, dtype=float) - lr * v
    v_new = beta * v + (1 - beta) * np.asarray(grad, dtype=float)
    return theta_new, v_new
"""),
        ("sign flipped (theta + lr * v_new climbs the loss)", _MOM_DOC + """    v_new = beta * np.asarray(v, dtype=float) + (1 - beta) * np.asarray(grad, dtype=float)
    return np.asarray(theta, dtype=float) + lr * v_new, v_new
"""),
        ("beta and alpha swapped (lr used as beta and beta as lr)", _MOM_DOC + """    v_new = lr * np.asarray(v, dtype=float) + (1 - lr) * np.asarray(grad, dtype=float)
    return np.asarray(theta, dtype=float) - beta * v_new, v_new
"""),
        ("returned (v_new, theta_new) instead of (theta_new, v_new)", _MOM_DOC + """    v_new = beta * np.asarray(v, dtype=float) + (1 - beta) * np.asarray(grad, dtype=float)
    return v_new, np.asarray(theta, dtype=float) - lr * v_new
"""),
        ("input mutated (v *= beta and theta -= ... change the caller's arrays)", _MOM_DOC + """    theta = np.asarray(theta, dtype=float)
    v = np.asarray(v, dtype=float)
    v *= beta
    v += (1 - beta) * np.asarray(grad, dtype=float)
    theta -= lr * v
    return theta, v
"""),
    ],
    "heavy_ball_step": [
        ("EMA vs heavy ball mixed up (used v = beta*v + (1 - beta)*grad in the heavy ball)", _HB_DOC + """    v_new = beta * np.asarray(v, dtype=float) + (1 - beta) * np.asarray(grad, dtype=float)
    return np.asarray(theta, dtype=float) - lr * v_new, v_new
"""),
        ("theta updated with the old velocity (use v_new in theta - lr * v_new)", _HB_DOC + """    v = np.asarray(v, dtype=float)
    return np.asarray(theta, dtype=float) - lr * v, beta * v + np.asarray(grad, dtype=float)
"""),
        ("sign flipped (theta + lr * v_new climbs the loss)", _HB_DOC + """    v_new = beta * np.asarray(v, dtype=float) + np.asarray(grad, dtype=float)
    return np.asarray(theta, dtype=float) + lr * v_new, v_new
"""),
        ("beta and alpha swapped (lr used as beta and beta as lr)", _HB_DOC + """    v_new = lr * np.asarray(v, dtype=float) + np.asarray(grad, dtype=float)
    return np.asarray(theta, dtype=float) - beta * v_new, v_new
"""),
        ("lr applied twice (v = beta*v + lr*grad and theta - lr*v)", _HB_DOC + """    v_new = beta * np.asarray(v, dtype=float) + lr * np.asarray(grad, dtype=float)
    return np.asarray(theta, dtype=float) - lr * v_new, v_new
"""),
    ],
    "run_momentum": [
        ("theta0 left out of the returned iterates (the first row must be theta0)", _RUN_DOC + """    theta = np.asarray(theta0, dtype=float)
    v = np.zeros_like(theta)
    path = []
    for _ in range(n_steps):
        v = beta * v + (1 - beta) * grad_fn(theta)
        theta = theta - lr * v
        path.append(theta)
    return np.array(path).reshape((n_steps,) + theta.shape)
"""),
        ("one step too many (n_steps + 1 updates)", _RUN_DOC + """    theta = np.asarray(theta0, dtype=float)
    v = np.zeros_like(theta)
    path = [theta]
    for _ in range(n_steps + 1):
        v = beta * v + (1 - beta) * grad_fn(theta)
        theta = theta - lr * v
        path.append(theta)
    return np.array(path)
"""),
        ("EMA vs heavy ball mixed up (used v = beta*v + grad)", _RUN_DOC + """    theta = np.asarray(theta0, dtype=float)
    v = np.zeros_like(theta)
    path = [theta]
    for _ in range(n_steps):
        v = beta * v + grad_fn(theta)
        theta = theta - lr * v
        path.append(theta)
    return np.array(path)
"""),
        ("grad evaluated at the wrong point (look-ahead theta - lr*beta*v: that is Nesterov)", _RUN_DOC + """    theta = np.asarray(theta0, dtype=float)
    v = np.zeros_like(theta)
    path = [theta]
    for _ in range(n_steps):
        v = beta * v + (1 - beta) * grad_fn(theta - lr * beta * v)
        theta = theta - lr * v
        path.append(theta)
    return np.array(path)
"""),
        ("grad evaluated at the wrong point (computed once at theta0 and reused)", _RUN_DOC + """    theta = np.asarray(theta0, dtype=float)
    g = grad_fn(theta)
    v = np.zeros_like(theta)
    path = [theta]
    for _ in range(n_steps):
        v = beta * v + (1 - beta) * g
        theta = theta - lr * v
        path.append(theta)
    return np.array(path)
"""),
        ("velocity reset every step (no memory: plain GD with lr * (1 - beta))", _RUN_DOC + """    theta = np.asarray(theta0, dtype=float)
    path = [theta]
    for _ in range(n_steps):
        v = np.zeros_like(theta)
        v = beta * v + (1 - beta) * grad_fn(theta)
        theta = theta - lr * v
        path.append(theta)
    return np.array(path)
"""),
        ("theta updated with the old velocity (use v_new in theta - lr * v_new)", _RUN_DOC + """    theta = np.asarray(theta0, dtype=float)
    v = np.zeros_like(theta)
    path = [theta]
    for _ in range(n_steps):
        theta, v = theta - lr * v, beta * v + (1 - beta) * grad_fn(theta)
        path.append(theta)
    return np.array(path)
"""),
    ],
    "optimal_gd_lr": [
        ("missing factor 2 (1 / (lam_min + lam_max))", _GDLR_DOC + "    return 1 / (lam_min + lam_max)\n"),
        ("the stability limit 2 / lam_max instead of the optimal 2 / (lam_min + lam_max)",
         _GDLR_DOC + "    return 2 / lam_max\n"),
        ("1 / lam_max instead of 2 / (lam_min + lam_max)", _GDLR_DOC + "    return 1 / lam_max\n"),
    ],
    "optimal_momentum": [
        ("beta and alpha swapped (return (alpha, beta))", _OPTM_DOC + """    a, b = np.sqrt(lam_min), np.sqrt(lam_max)
    alpha = (2 / (a + b)) ** 2
    beta = ((b - a) / (b + a)) ** 2
    return beta, alpha
"""),
        ("alpha not squared ((2 / (sqrt(lam_min) + sqrt(lam_max)))**2)", _OPTM_DOC + """    a, b = np.sqrt(lam_min), np.sqrt(lam_max)
    return 2 / (a + b), ((b - a) / (b + a)) ** 2
"""),
        ("beta not squared (((sqrt(lam_max) - sqrt(lam_min)) / (...))**2)", _OPTM_DOC + """    a, b = np.sqrt(lam_min), np.sqrt(lam_max)
    return (2 / (a + b)) ** 2, (b - a) / (b + a)
"""),
        ("square roots missing (used lam_min, lam_max instead of their square roots)", _OPTM_DOC + """    return (2 / (lam_min + lam_max)) ** 2, ((lam_max - lam_min) / (lam_max + lam_min)) ** 2
"""),
        ("returned momentum_step's lr alpha / (1 - beta) instead of the heavy-ball alpha", _OPTM_DOC + """    a, b = np.sqrt(lam_min), np.sqrt(lam_max)
    alpha = (2 / (a + b)) ** 2
    beta = ((b - a) / (b + a)) ** 2
    return alpha / (1 - beta), beta
"""),
    ],
    "mse_grad": [
        ("mean missing (sum instead of mean: no 1/n)", _MSE_DOC + """    X = np.asarray(X, dtype=float)
    return 2 * X.T @ (X @ np.asarray(w, dtype=float) - np.asarray(y, dtype=float))
"""),
        ("missing factor 2 (the derivative of r**2 is 2*r)", _MSE_DOC + """    X = np.asarray(X, dtype=float)
    return X.T @ (X @ np.asarray(w, dtype=float) - np.asarray(y, dtype=float)) / X.shape[0]
"""),
        ("sign flipped (X.T @ (y - X @ w) is minus the gradient)", _MSE_DOC + """    X = np.asarray(X, dtype=float)
    return 2 / X.shape[0] * X.T @ (np.asarray(y, dtype=float) - X @ np.asarray(w, dtype=float))
"""),
        ("divided by the number of features d instead of the number of samples n", _MSE_DOC + """    X = np.asarray(X, dtype=float)
    return 2 / X.shape[1] * X.T @ (X @ np.asarray(w, dtype=float) - np.asarray(y, dtype=float))
"""),
    ],
    "minibatch_sgd": [
        ("last mini-batch dropped (when batch_size does not divide n the rest is a smaller batch)",
         _SGD_DOC + """    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w0, float)
    n = len(y)
    rng = np.random.default_rng(seed)
    losses = [np.mean((X @ w - y) ** 2)]
    for _ in range(n_epochs):
        perm = rng.permutation(n)
        for k in range(n // batch_size):
            b = perm[k * batch_size:(k + 1) * batch_size]
            w = w - lr * 2 / len(b) * X[b].T @ (X[b] @ w - y[b])
        losses.append(np.mean((X @ w - y) ** 2))
    return w, np.array(losses)
"""),
        ("no reshuffle each epoch (one permutation for all epochs, or a new default_rng(seed) each epoch)",
         _SGD_DOC + """    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w0, float)
    n = len(y)
    losses = [np.mean((X @ w - y) ** 2)]
    for _ in range(n_epochs):
        rng = np.random.default_rng(seed)
        perm = rng.permutation(n)
        for i in range(0, n, batch_size):
            b = perm[i:i + batch_size]
            w = w - lr * 2 / len(b) * X[b].T @ (X[b] @ w - y[b])
        losses.append(np.mean((X @ w - y) ** 2))
    return w, np.array(losses)
"""),
        ("no shuffling (batches taken in data order)", _SGD_DOC + """    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w0, float)
    n = len(y)
    losses = [np.mean((X @ w - y) ** 2)]
    for _ in range(n_epochs):
        for i in range(0, n, batch_size):
            Xb, yb = X[i:i + batch_size], y[i:i + batch_size]
            w = w - lr * 2 / len(yb) * Xb.T @ (Xb @ w - yb)
        losses.append(np.mean((X @ w - y) ** 2))
    return w, np.array(losses)
"""),
        ("losses recorded after each batch instead of after each epoch", _SGD_DOC + """    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w0, float)
    n = len(y)
    rng = np.random.default_rng(seed)
    losses = [np.mean((X @ w - y) ** 2)]
    for _ in range(n_epochs):
        perm = rng.permutation(n)
        for i in range(0, n, batch_size):
            b = perm[i:i + batch_size]
            w = w - lr * 2 / len(b) * X[b].T @ (X[b] @ w - y[b])
            losses.append(np.mean((X @ w - y) ** 2))
    return w, np.array(losses)
"""),
        ("missing the initial loss (losses must start with the loss before training)", _SGD_DOC + """    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w0, float)
    n = len(y)
    rng = np.random.default_rng(seed)
    losses = []
    for _ in range(n_epochs):
        perm = rng.permutation(n)
        for i in range(0, n, batch_size):
            b = perm[i:i + batch_size]
            w = w - lr * 2 / len(b) * X[b].T @ (X[b] @ w - y[b])
        losses.append(np.mean((X @ w - y) ** 2))
    return w, np.array(losses)
"""),
        ("last mini-batch's gradient divided by batch_size instead of its own size len(b)",
         _SGD_DOC + """    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w0, float)
    n = len(y)
    rng = np.random.default_rng(seed)
    losses = [np.mean((X @ w - y) ** 2)]
    for _ in range(n_epochs):
        perm = rng.permutation(n)
        for i in range(0, n, batch_size):
            b = perm[i:i + batch_size]
            w = w - lr * 2 / batch_size * X[b].T @ (X[b] @ w - y[b])
        losses.append(np.mean((X @ w - y) ** 2))
    return w, np.array(losses)
"""),
        ("mean missing in the batch gradient (sum instead of mean: no 1/len(b))", _SGD_DOC + """    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w0, float)
    n = len(y)
    rng = np.random.default_rng(seed)
    losses = [np.mean((X @ w - y) ** 2)]
    for _ in range(n_epochs):
        perm = rng.permutation(n)
        for i in range(0, n, batch_size):
            b = perm[i:i + batch_size]
            w = w - lr * 2 * X[b].T @ (X[b] @ w - y[b])
        losses.append(np.mean((X @ w - y) ** 2))
    return w, np.array(losses)
"""),
        ("missing factor 2 in the batch gradient", _SGD_DOC + """    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w0, float)
    n = len(y)
    rng = np.random.default_rng(seed)
    losses = [np.mean((X @ w - y) ** 2)]
    for _ in range(n_epochs):
        perm = rng.permutation(n)
        for i in range(0, n, batch_size):
            b = perm[i:i + batch_size]
            w = w - lr / len(b) * X[b].T @ (X[b] @ w - y[b])
        losses.append(np.mean((X @ w - y) ** 2))
    return w, np.array(losses)
"""),
        ("input mutated (w = w0 then w -= ... changes the caller's w0)", _SGD_DOC + """    X, y = np.asarray(X, float), np.asarray(y, float)
    w = np.asarray(w0, dtype=float)
    n = len(y)
    rng = np.random.default_rng(seed)
    losses = [np.mean((X @ w - y) ** 2)]
    for _ in range(n_epochs):
        perm = rng.permutation(n)
        for i in range(0, n, batch_size):
            b = perm[i:i + batch_size]
            w -= lr * 2 / len(b) * X[b].T @ (X[b] @ w - y[b])
        losses.append(np.mean((X @ w - y) ** 2))
    return w, np.array(losses)
"""),
    ],
}

# ----------------------------------------------------------------------------- figures and written answers

EXTRA = {
    "figure_valley_paths": '''theta0 = np.array([2.0, 1.0])
lr_gd = optimal_gd_lr(LAM_MIN, LAM_MAX)
alpha, beta_star = optimal_momentum(LAM_MIN, LAM_MAX)
lr_ema = alpha / (1 - beta_star)
runs = [
    ("gradient descent", run_momentum(valley_grad, theta0, lr_gd, 0.0, 60)),
    ("momentum, optimal beta", run_momentum(valley_grad, theta0, lr_ema, beta_star, 60)),
    ("momentum, beta = 0.95", run_momentum(valley_grad, theta0, lr_ema, 0.95, 60)),
]
fig, axes = plt.subplots(1, 2, figsize=(11, 4.5))
plot_valley(axes[0])
for name, path in runs:
    axes[0].plot(path[:, 0], path[:, 1], ".-", markersize=2, label=name)
    axes[1].semilogy(valley_loss(path), label=name)
axes[0].legend()
axes[1].set_xlabel("step")
axes[1].set_ylabel("loss")
axes[1].legend()
fig.tight_layout()
plt.show()
''',
    "answer_momentum": (
        "Gradient descent has to use a small learning rate because of the steep direction (curvature 25), so it "
        "bounces from one wall of the valley to the other while it barely moves along the flat floor "
        "(curvature 1): after 60 steps its loss is only down to about 1e-4. Momentum averages the gradients, so "
        "the back-and-forth parts cancel and the part along the valley adds up; with the optimal beta = 4/9 it "
        "reaches 1e-18 in the same 60 steps. But momentum does not always speed things up: with beta = 0.95 "
        "the ball remembers too much, overshoots the minimum, swings around it and its loss goes up and down "
        "in waves, ending far above plain gradient descent. Beta has to be tuned."
    ),
    "figure_sgd_losses": '''X, y = make_data(500, 5, noise=0.5, seed=0)
best = mse(np.linalg.lstsq(X, y, rcond=None)[0], X, y)
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
for bs in [500, 25, 1]:
    w, losses = minibatch_sgd(X, y, np.zeros(5), 0.02, bs, 20, 0)
    steps = np.arange(21) * math.ceil(500 / bs)
    ax1.semilogy(losses, label=f"batch size {bs}")
    ax2.loglog(np.maximum(steps, 1), losses, label=f"batch size {bs}")
for ax in (ax1, ax2):
    ax.axhline(best, color="k", linestyle=":", label="optimum")
    ax.legend()
ax1.set_xlabel("epoch")
ax2.set_xlabel("gradient steps")
ax1.set_ylabel("MSE")
fig.tight_layout()
plt.show()
''',
    "answer_sgd_noise": (
        "Per epoch SGD and mini-batch win by far: they take 500 and 20 steps for every single batch-GD step and "
        "are near the optimum after one or two epochs, while batch GD is still at a loss of about 2 after 20. "
        "Per step batch GD is best because its gradient is exact. SGD's curve is bumpy because each step follows "
        "one noisy example, so with a fixed learning rate it keeps moving around near the optimum; that is not a "
        "failure, the loss is already close to the best possible. A decaying learning rate or a larger batch "
        "would let it settle."
    ),
}
