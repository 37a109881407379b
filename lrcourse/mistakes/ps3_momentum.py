"""Known mistakes in momentum and mini-batches (ps3_momentum), each as the code a student writes.

See :mod:`lrcourse.mistakes`. The order breaks ties: of two mistakes that explain a student
equally well, the one listed first names the failure.
"""

from .base import LIST_INPUT, Mistake, group

MISTAKES = group([
    # ----------------------------------------------------------------- momentum_step
    Mistake("momentum_step", "EMA vs heavy ball mixed up (used v = beta*v + grad: missing (1 - beta) on the gradient)", '''\
def momentum_step(theta, v, grad, lr, beta):
    v_new = beta * np.asarray(v, dtype=float) + np.asarray(grad, dtype=float)
    return np.asarray(theta, dtype=float) - lr * v_new, v_new
'''),
    Mistake("momentum_step", "beta and 1 - beta swapped (v = (1 - beta)*v + beta*grad)", '''\
def momentum_step(theta, v, grad, lr, beta):
    v_new = (1 - beta) * np.asarray(v, dtype=float) + beta * np.asarray(grad, dtype=float)
    return np.asarray(theta, dtype=float) - lr * v_new, v_new
'''),
    Mistake("momentum_step", "theta updated with the old velocity (use v_new in theta - lr * v_new)", '''\
def momentum_step(theta, v, grad, lr, beta):
    v = np.asarray(v, dtype=float)
    theta_new = np.asarray(theta, dtype=float) - lr * v
    v_new = beta * v + (1 - beta) * np.asarray(grad, dtype=float)
    return theta_new, v_new
'''),
    Mistake("momentum_step", "sign flipped (theta + lr * v_new climbs the loss)", '''\
def momentum_step(theta, v, grad, lr, beta):
    v_new = beta * np.asarray(v, dtype=float) + (1 - beta) * np.asarray(grad, dtype=float)
    return np.asarray(theta, dtype=float) + lr * v_new, v_new
'''),
    Mistake("momentum_step", "beta and alpha swapped (lr used as beta and beta as lr)", '''\
def momentum_step(theta, v, grad, lr, beta):
    v_new = lr * np.asarray(v, dtype=float) + (1 - lr) * np.asarray(grad, dtype=float)
    return np.asarray(theta, dtype=float) - beta * v_new, v_new
'''),
    Mistake("momentum_step", "returned (v_new, theta_new) instead of (theta_new, v_new)", '''\
def momentum_step(theta, v, grad, lr, beta):
    v_new = beta * np.asarray(v, dtype=float) + (1 - beta) * np.asarray(grad, dtype=float)
    return v_new, np.asarray(theta, dtype=float) - lr * v_new
'''),
    Mistake("momentum_step", LIST_INPUT, '''\
def momentum_step(theta, v, grad, lr, beta):
    v_new = beta * v + (1 - beta) * grad
    return theta - lr * v_new, v_new
''', any_error=True),
    Mistake("momentum_step", "result kept in the integer dtype of an int input (np.zeros_like / empty_like / astype of an int array truncates): convert with np.asarray(x, dtype=float)", '''\
def momentum_step(theta, v, grad, lr, beta):
    theta, v, grad = np.asarray(theta), np.asarray(v), np.asarray(grad)
    v_new, theta_new = np.empty_like(v), np.empty_like(theta)   # the inputs' dtypes: ints truncate
    v_new[...] = beta * v + (1 - beta) * grad
    theta_new[...] = theta - lr * v_new
    return theta_new, v_new
'''),
    # ----------------------------------------------------------------- heavy_ball_step
    Mistake("heavy_ball_step", "EMA vs heavy ball mixed up (used v = beta*v + (1 - beta)*grad in the heavy ball)", '''\
def heavy_ball_step(theta, v, grad, lr, beta):
    v_new = beta * np.asarray(v, dtype=float) + (1 - beta) * np.asarray(grad, dtype=float)
    return np.asarray(theta, dtype=float) - lr * v_new, v_new
'''),
    Mistake("heavy_ball_step", "theta updated with the old velocity (use v_new in theta - lr * v_new)", '''\
def heavy_ball_step(theta, v, grad, lr, beta):
    v = np.asarray(v, dtype=float)
    return np.asarray(theta, dtype=float) - lr * v, beta * v + np.asarray(grad, dtype=float)
'''),
    Mistake("heavy_ball_step", "sign flipped (theta + lr * v_new climbs the loss)", '''\
def heavy_ball_step(theta, v, grad, lr, beta):
    v_new = beta * np.asarray(v, dtype=float) + np.asarray(grad, dtype=float)
    return np.asarray(theta, dtype=float) + lr * v_new, v_new
'''),
    Mistake("heavy_ball_step", "beta and alpha swapped (lr used as beta and beta as lr)", '''\
def heavy_ball_step(theta, v, grad, lr, beta):
    v_new = lr * np.asarray(v, dtype=float) + np.asarray(grad, dtype=float)
    return np.asarray(theta, dtype=float) - beta * v_new, v_new
'''),
    Mistake("heavy_ball_step", "lr applied twice (v = beta*v + lr*grad and theta - lr*v)", '''\
def heavy_ball_step(theta, v, grad, lr, beta):
    v_new = beta * np.asarray(v, dtype=float) + lr * np.asarray(grad, dtype=float)
    return np.asarray(theta, dtype=float) - lr * v_new, v_new
'''),
    Mistake("heavy_ball_step", LIST_INPUT, '''\
def heavy_ball_step(theta, v, grad, lr, beta):
    # float copies (arrays keep their shape, numbers become floats)
    theta = theta.astype(float) if isinstance(theta, np.ndarray) else float(theta)
    v = v.astype(float) if isinstance(v, np.ndarray) else float(v)
    grad = grad.astype(float) if isinstance(grad, np.ndarray) else float(grad)
    v_new = beta * v + grad
    theta_new = theta - lr * v_new
    return theta_new, v_new
''', any_error=True),
    Mistake("heavy_ball_step", "result kept in the integer dtype of an int input (np.zeros_like / empty_like / astype of an int array truncates): convert with np.asarray(x, dtype=float)", '''\
def heavy_ball_step(theta, v, grad, lr, beta):
    theta, v, grad = np.asarray(theta), np.asarray(v), np.asarray(grad)
    v_new = np.empty_like(v)            # same shape and type as v
    v_new[...] = beta * v + grad
    theta_new = np.empty_like(theta)    # same shape and type as theta
    theta_new[...] = theta - lr * v_new
    return theta_new, v_new
'''),
    # ----------------------------------------------------------------- run_momentum
    Mistake("run_momentum", "theta0 left out of the returned iterates (the first row must be theta0)", '''\
def run_momentum(grad_fn, theta0, lr, beta, n_steps):
    theta = np.asarray(theta0, dtype=float)
    v = np.zeros_like(theta)
    path = []
    for _ in range(n_steps):
        v = beta * v + (1 - beta) * grad_fn(theta)
        theta = theta - lr * v
        path.append(theta)
    return np.array(path).reshape((n_steps,) + theta.shape)
'''),
    Mistake("run_momentum", "one step too many (n_steps + 1 updates)", '''\
def run_momentum(grad_fn, theta0, lr, beta, n_steps):
    theta = np.asarray(theta0, dtype=float)
    v = np.zeros_like(theta)
    path = [theta]
    for _ in range(n_steps + 1):
        v = beta * v + (1 - beta) * grad_fn(theta)
        theta = theta - lr * v
        path.append(theta)
    return np.array(path)
'''),
    Mistake("run_momentum", "EMA vs heavy ball mixed up (used v = beta*v + grad)", '''\
def run_momentum(grad_fn, theta0, lr, beta, n_steps):
    theta = np.asarray(theta0, dtype=float)
    v = np.zeros_like(theta)
    path = [theta]
    for _ in range(n_steps):
        v = beta * v + grad_fn(theta)
        theta = theta - lr * v
        path.append(theta)
    return np.array(path)
'''),
    Mistake("run_momentum", "grad evaluated at the wrong point (look-ahead theta - lr*beta*v: that is Nesterov)", '''\
def run_momentum(grad_fn, theta0, lr, beta, n_steps):
    theta = np.asarray(theta0, dtype=float)
    v = np.zeros_like(theta)
    path = [theta]
    for _ in range(n_steps):
        v = beta * v + (1 - beta) * grad_fn(theta - lr * beta * v)
        theta = theta - lr * v
        path.append(theta)
    return np.array(path)
'''),
    Mistake("run_momentum", "grad evaluated at the wrong point (computed once at theta0 and reused)", '''\
def run_momentum(grad_fn, theta0, lr, beta, n_steps):
    theta = np.asarray(theta0, dtype=float)
    g = grad_fn(theta)
    v = np.zeros_like(theta)
    path = [theta]
    for _ in range(n_steps):
        v = beta * v + (1 - beta) * g
        theta = theta - lr * v
        path.append(theta)
    return np.array(path)
'''),
    Mistake("run_momentum", "velocity reset every step (no memory: plain GD with lr * (1 - beta))", '''\
def run_momentum(grad_fn, theta0, lr, beta, n_steps):
    theta = np.asarray(theta0, dtype=float)
    path = [theta]
    for _ in range(n_steps):
        v = np.zeros_like(theta)
        v = beta * v + (1 - beta) * grad_fn(theta)
        theta = theta - lr * v
        path.append(theta)
    return np.array(path)
'''),
    Mistake("run_momentum", "theta updated with the old velocity (use v_new in theta - lr * v_new)", '''\
def run_momentum(grad_fn, theta0, lr, beta, n_steps):
    theta = np.asarray(theta0, dtype=float)
    v = np.zeros_like(theta)
    path = [theta]
    for _ in range(n_steps):
        theta, v = theta - lr * v, beta * v + (1 - beta) * grad_fn(theta)
        path.append(theta)
    return np.array(path)
'''),
    Mistake("run_momentum", LIST_INPUT, '''\
def run_momentum(grad_fn, theta0, lr, beta, n_steps):
    if isinstance(theta0, np.ndarray):
        theta = theta0.astype(float)
    else:
        theta = float(theta0)           # a plain number
    v = np.zeros_like(theta)
    path = np.zeros((n_steps + 1,) + np.shape(theta))
    path[0] = theta
    for t in range(n_steps):
        v = beta * v + (1 - beta) * np.asarray(grad_fn(theta), dtype=float)
        theta = theta - lr * v
        path[t + 1] = theta
    return path
''', any_error=True),
    Mistake("run_momentum", "result kept in the integer dtype of an int input (np.zeros_like / empty_like / astype of an int array truncates): convert with np.asarray(x, dtype=float)", '''\
def run_momentum(grad_fn, theta0, lr, beta, n_steps):
    theta = np.asarray(theta0, dtype=float)
    path = np.zeros((n_steps + 1,) + theta.shape, dtype=np.asarray(theta0).dtype)   # int for an int theta0
    path[0] = theta
    v = np.zeros_like(theta)
    for t in range(n_steps):
        v = beta * v + (1 - beta) * grad_fn(theta)
        theta = theta - lr * v
        path[t + 1] = theta
    return path
'''),
    # ----------------------------------------------------------------- optimal_gd_lr
    Mistake("optimal_gd_lr", "lam_min = 0 (convex, not strongly convex) answered with 1 / lam_max: the formula still holds, 2 / (0 + lam_max)", '''\
def optimal_gd_lr(lam_min, lam_max):
    if lam_min == 0:
        return 1 / lam_max   # the textbook step for an L-smooth convex function
    return 2 / (lam_min + lam_max)
'''),
    Mistake("optimal_gd_lr", "fails for lam_min = 0 (divides by lam_min, e.g. through kappa = lam_max / lam_min, or rejects it): 2 / (lam_min + lam_max) is defined there", '''\
def optimal_gd_lr(lam_min, lam_max):
    kappa = lam_max / lam_min
    return 2 / (lam_min * (kappa + 1))
''', any_error=True),
    Mistake("optimal_gd_lr", "missing factor 2 (1 / (lam_min + lam_max))", '''\
def optimal_gd_lr(lam_min, lam_max):
    return 1 / (lam_min + lam_max)
'''),
    Mistake("optimal_gd_lr", "the stability limit 2 / lam_max instead of the optimal 2 / (lam_min + lam_max)", '''\
def optimal_gd_lr(lam_min, lam_max):
    return 2 / lam_max
'''),
    Mistake("optimal_gd_lr", "1 / lam_max instead of 2 / (lam_min + lam_max)", '''\
def optimal_gd_lr(lam_min, lam_max):
    return 1 / lam_max
'''),
    # ----------------------------------------------------------------- optimal_momentum
    Mistake("optimal_momentum", "beta and alpha swapped (return (alpha, beta))", '''\
def optimal_momentum(lam_min, lam_max):
    a, b = np.sqrt(lam_min), np.sqrt(lam_max)
    alpha = (2 / (a + b)) ** 2
    beta = ((b - a) / (b + a)) ** 2
    return beta, alpha
'''),
    Mistake("optimal_momentum", "alpha not squared ((2 / (sqrt(lam_min) + sqrt(lam_max)))**2)", '''\
def optimal_momentum(lam_min, lam_max):
    a, b = np.sqrt(lam_min), np.sqrt(lam_max)
    return 2 / (a + b), ((b - a) / (b + a)) ** 2
'''),
    Mistake("optimal_momentum", "beta not squared (((sqrt(lam_max) - sqrt(lam_min)) / (...))**2)", '''\
def optimal_momentum(lam_min, lam_max):
    a, b = np.sqrt(lam_min), np.sqrt(lam_max)
    return (2 / (a + b)) ** 2, (b - a) / (b + a)
'''),
    Mistake("optimal_momentum", "square roots missing (used lam_min, lam_max instead of their square roots)", '''\
def optimal_momentum(lam_min, lam_max):
    return (2 / (lam_min + lam_max)) ** 2, ((lam_max - lam_min) / (lam_max + lam_min)) ** 2
'''),
    Mistake("optimal_momentum", "returned momentum_step's lr alpha / (1 - beta) instead of the heavy-ball alpha", '''\
def optimal_momentum(lam_min, lam_max):
    a, b = np.sqrt(lam_min), np.sqrt(lam_max)
    alpha = (2 / (a + b)) ** 2
    beta = ((b - a) / (b + a)) ** 2
    return alpha / (1 - beta), beta
'''),
    # ----------------------------------------------------------------- mse_grad
    Mistake("mse_grad", "mean missing (sum instead of mean: no 1/n)", '''\
def mse_grad(w, X, y):
    X = np.asarray(X, dtype=float)
    return 2 * X.T @ (X @ np.asarray(w, dtype=float) - np.asarray(y, dtype=float))
'''),
    Mistake("mse_grad", "missing factor 2 (the derivative of r**2 is 2*r)", '''\
def mse_grad(w, X, y):
    X = np.asarray(X, dtype=float)
    return X.T @ (X @ np.asarray(w, dtype=float) - np.asarray(y, dtype=float)) / X.shape[0]
'''),
    Mistake("mse_grad", "sign flipped (X.T @ (y - X @ w) is minus the gradient)", '''\
def mse_grad(w, X, y):
    X = np.asarray(X, dtype=float)
    return 2 / X.shape[0] * X.T @ (np.asarray(y, dtype=float) - X @ np.asarray(w, dtype=float))
'''),
    Mistake("mse_grad", "divided by the number of features d instead of the number of samples n", '''\
def mse_grad(w, X, y):
    X = np.asarray(X, dtype=float)
    return 2 / X.shape[1] * X.T @ (X @ np.asarray(w, dtype=float) - np.asarray(y, dtype=float))
'''),
    Mistake("mse_grad", LIST_INPUT, '''\
def mse_grad(w, X, y):
    n, d = X.shape
    if y.shape != (n,) or w.shape != (d,):
        raise ValueError("shapes of w, X and y do not match")
    residual = X @ w - y
    return 2 / n * X.T @ residual
''', any_error=True),
    Mistake("mse_grad", "result kept in the integer dtype of an int input (np.zeros_like / empty_like / astype of an int array truncates): convert with np.asarray(x, dtype=float)", '''\
def mse_grad(w, X, y):
    X, y, w = np.asarray(X), np.asarray(y), np.asarray(w)
    grad = np.zeros_like(w)   # w's dtype: an int w truncates every entry
    grad[...] = 2 / len(y) * X.T @ (X @ w - y)
    return grad
'''),
    # ----------------------------------------------------------------- minibatch_sgd
    Mistake("minibatch_sgd", "last mini-batch dropped (when batch_size does not divide n the rest is a smaller batch)", '''\
def minibatch_sgd(X, y, w0, lr, batch_size, n_epochs, seed):
    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w0, float)
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
'''),
    Mistake("minibatch_sgd", "no reshuffle each epoch (one permutation for all epochs, or a new default_rng(seed) each epoch)", '''\
def minibatch_sgd(X, y, w0, lr, batch_size, n_epochs, seed):
    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w0, float)
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
'''),
    Mistake("minibatch_sgd", "no shuffling (batches taken in data order)", '''\
def minibatch_sgd(X, y, w0, lr, batch_size, n_epochs, seed):
    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w0, float)
    n = len(y)
    losses = [np.mean((X @ w - y) ** 2)]
    for _ in range(n_epochs):
        for i in range(0, n, batch_size):
            Xb, yb = X[i:i + batch_size], y[i:i + batch_size]
            w = w - lr * 2 / len(yb) * Xb.T @ (Xb @ w - yb)
        losses.append(np.mean((X @ w - y) ** 2))
    return w, np.array(losses)
'''),
    Mistake("minibatch_sgd", "losses recorded after each batch instead of after each epoch", '''\
def minibatch_sgd(X, y, w0, lr, batch_size, n_epochs, seed):
    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w0, float)
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
'''),
    Mistake("minibatch_sgd", "missing the initial loss (losses must start with the loss before training)", '''\
def minibatch_sgd(X, y, w0, lr, batch_size, n_epochs, seed):
    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w0, float)
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
'''),
    Mistake("minibatch_sgd", "last mini-batch's gradient divided by batch_size instead of its own size len(b)", '''\
def minibatch_sgd(X, y, w0, lr, batch_size, n_epochs, seed):
    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w0, float)
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
'''),
    Mistake("minibatch_sgd", "mean missing in the batch gradient (sum instead of mean: no 1/len(b))", '''\
def minibatch_sgd(X, y, w0, lr, batch_size, n_epochs, seed):
    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w0, float)
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
'''),
    Mistake("minibatch_sgd", "missing factor 2 in the batch gradient", '''\
def minibatch_sgd(X, y, w0, lr, batch_size, n_epochs, seed):
    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w0, float)
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
'''),
    Mistake("minibatch_sgd", LIST_INPUT, '''\
def minibatch_sgd(X, y, w0, lr, batch_size, n_epochs, seed):
    n, d = X.shape
    assert y.shape == (n,) and w0.shape == (d,), "shapes do not match"
    rng = np.random.default_rng(seed)
    w = w0.copy()
    losses = [np.mean((X @ w - y) ** 2)]
    for epoch in range(n_epochs):
        perm = rng.permutation(n)
        for i in range(0, n, batch_size):
            b = perm[i:i + batch_size]
            Xb, yb = X[b], y[b]
            grad = 2 / len(b) * Xb.T @ (Xb @ w - yb)
            w = w - lr * grad
        losses.append(np.mean((X @ w - y) ** 2))
    return w, np.array(losses)
''', any_error=True),
    Mistake("minibatch_sgd", "in-place update w -= ... on an integer w0 fails: start from np.array(w0, dtype=float)", '''\
def minibatch_sgd(X, y, w0, lr, batch_size, n_epochs, seed):
    X, y = np.asarray(X, float), np.asarray(y, float)
    w = np.array(w0)   # a copy, but an int w0 stays int
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
'''),
])
