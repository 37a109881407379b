"""Synthetic student answers for ps3_momentum (autograder demo and end-to-end tests).

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

# ----------------------------------------------------------------------------- in-place updates

MUTATING = {
    "momentum_step": [
        ("input mutated (v *= beta and theta -= ... change the caller's arrays)", _MOM_DOC + """    theta = np.asarray(theta, dtype=float)
    v = np.asarray(v, dtype=float)
    v *= beta
    v += (1 - beta) * np.asarray(grad, dtype=float)
    theta -= lr * v
    return theta, v
"""),
    ],
    "minibatch_sgd": [
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
fig, axes = plt.subplots(1, 3, figsize=(15, 4.5))
plot_valley(axes[0])
for name, path in runs:
    axes[0].plot(path[:, 0], path[:, 1], ".-", markersize=2, label=name)
    axes[1].plot(valley_components(path[:21])[0], "o-", markersize=3, label=name)
    axes[2].semilogy(valley_loss(path), label=name)
axes[0].legend()
axes[1].set_xlabel("step")
axes[1].set_ylabel("across the valley")
axes[2].set_xlabel("step")
axes[2].set_ylabel("loss")
axes[2].legend()
fig.tight_layout()
plt.show()
c = valley_components(runs[1][1])[0]
print(valley_components(runs[0][1])[0][:4], c[:4], [abs(c[k + 1] / c[k]) for k in (10, 20, 40)])
''',
    "answer_momentum": (
        "Both methods zig-zag across the valley. Gradient descent's crossings shrink by 12/13 each step (0.134, "
        "0.124, 0.114); tuned momentum first swings wider (0.134, 0.238, 0.258, 0.238) because the velocity "
        "keeps pushing after the ball crossed the floor, but then each crossing shrinks by about 0.7 and the "
        "factor tends to sqrt(beta*) = 2/3. Along the floor momentum builds up speed, so after 60 steps its loss "
        "is about 1e-18 while GD is still at 2e-4. With beta = 0.95 the ball overshoots and swings around the "
        "minimum, the loss goes up and down in waves and ends far above GD: beta has to be tuned."
    ),
    "answer_mse_hessian": (
        "The gradient 2/n X^T (X w - y) is linear in w plus a constant, so differentiating again gives "
        "H = 2/n X^T X, which has no w and no y in it. For one example 2 x x^T x = 2 |x|^2 x, so x is an "
        "eigenvector with eigenvalue 2 |x|^2, and every vector orthogonal to x gives 0, so the other eigenvalues "
        "are 0. critical_lr is 2 / (2 |x|^2) = 1 / |x|^2."
    ),
    "choose_rates": '''X, y = make_data(500, 5, noise=0.5, seed=0)
n = len(y)
H = 2 / n * X.T @ X
eigs = np.linalg.eigvalsh(H)
lr_gd = optimal_gd_lr(eigs[0], eigs[-1])
lr_sgd = min(critical_lr(2 * np.outer(x, x)) for x in X) / 2
order = np.random.default_rng(0).permutation(n)
lr_mb = min(critical_lr(2 / 25 * X[order[i:i + 25]].T @ X[order[i:i + 25]]) for i in range(0, n, 25)) / 2
print(critical_lr(H), lr_gd, lr_mb, lr_sgd)
''',
    "figure_sgd_losses": '''best = mse(np.linalg.lstsq(X, y, rcond=None)[0], X, y)
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
for bs, lr in [(500, lr_gd), (25, lr_mb), (1, lr_sgd)]:
    w, losses = minibatch_sgd(X, y, np.zeros(5), lr, bs, 30, 0)
    ax1.semilogy(np.maximum(losses - best, 1e-12), label=f"batch size {bs}")
for f in (1, 4, 16):
    w, losses = minibatch_sgd(X, y, np.zeros(5), lr_sgd / f, 1, 30, 0)
    ax2.semilogy(losses - best, label=f"SGD lr {lr_sgd / f:.4f}")
    print(f, np.mean(losses[-10:] - best))
w, dec = np.zeros(5), [mse(np.zeros(5), X, y) - best]
for t in range(30):
    w, losses = minibatch_sgd(X, y, w, inverse_time_decay(t, lr_sgd, 1.0), 1, 1, t)
    dec.append(losses[-1] - best)
ax2.semilogy(dec, label="SGD, decaying lr")
print("decay", np.mean(dec[-10:]))
for ax in (ax1, ax2):
    ax.set_xlabel("epoch")
    ax.legend()
ax1.set_ylabel("loss - optimum")
fig.tight_layout()
plt.show()
''',
    "answer_sgd_noise": (
        "After one epoch the mini-batch run is lowest (about 0.005 above the optimum), SGD and batch GD are "
        "close (0.05 and 0.07). After three epochs batch GD is far ahead (1e-5) and it goes down to machine "
        "precision because the problem is well conditioned. Mini-batch and SGD stop at a noise floor, about "
        "0.01 and 0.04 above the optimum. The floor gets smaller with a smaller learning rate: 0.044, 0.005 and "
        "0.0004 for lr, lr/4 and lr/16. That is not failure, the weights just jiggle around the optimum because "
        "each gradient is from one example. The decaying learning rate starts fast like the big rate and still "
        "goes below all the floors (about 1e-4)."
    ),
}
