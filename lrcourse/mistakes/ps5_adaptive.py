"""Known mistakes in the adaptive methods (ps5_adaptive), each as the code a student writes.

See :mod:`lrcourse.mistakes`. The order breaks ties: of two mistakes that explain a student
equally well, the one listed first names the failure.
"""

from .base import INT_CAST, LIST_INPUT, Mistake, group

MISTAKES = group([
    # ----------------------------------------------------------------- adagrad_step
    Mistake("adagrad_step", "eps inside the square root (SPEC and PyTorch add eps outside: sqrt(.) + eps)", '''\
def adagrad_step(theta, G, grad, lr, eps=1e-8):
    grad = np.asarray(grad, dtype=float)
    G_new = np.asarray(G, dtype=float) + grad ** 2
    return np.asarray(theta, dtype=float) - lr * grad / np.sqrt(G_new + eps), G_new
'''),
    Mistake("adagrad_step", "G not accumulated (G_new = grad**2 forgets the past: G_new = G + grad**2)", '''\
def adagrad_step(theta, G, grad, lr, eps=1e-8):
    grad = np.asarray(grad, dtype=float)
    G_new = grad ** 2
    return np.asarray(theta, dtype=float) - lr * grad / (np.sqrt(G_new) + eps), G_new
'''),
    Mistake("adagrad_step", "square root missing (divide by sqrt(G_new) + eps, not by G_new)", '''\
def adagrad_step(theta, G, grad, lr, eps=1e-8):
    grad = np.asarray(grad, dtype=float)
    G_new = np.asarray(G, dtype=float) + grad ** 2
    return np.asarray(theta, dtype=float) - lr * grad / (G_new + eps), G_new
'''),
    Mistake("adagrad_step", "old G used in the step (divide by the root of G_new, after adding grad**2)", '''\
def adagrad_step(theta, G, grad, lr, eps=1e-8):
    grad = np.asarray(grad, dtype=float)
    G = np.asarray(G, dtype=float)
    theta_new = np.asarray(theta, dtype=float) - lr * grad / (np.sqrt(G) + eps)
    return theta_new, G + grad ** 2
'''),
    Mistake("adagrad_step", "gradient not squared in the accumulator (G_new = G + grad**2)", '''\
def adagrad_step(theta, G, grad, lr, eps=1e-8):
    grad = np.asarray(grad, dtype=float)
    G_new = np.asarray(G, dtype=float) + grad
    return np.asarray(theta, dtype=float) - lr * grad / (np.sqrt(G_new) + eps), G_new
'''),
    Mistake("adagrad_step", "sign flipped (theta + step climbs the loss)", '''\
def adagrad_step(theta, G, grad, lr, eps=1e-8):
    grad = np.asarray(grad, dtype=float)
    G_new = np.asarray(G, dtype=float) + grad ** 2
    return np.asarray(theta, dtype=float) + lr * grad / (np.sqrt(G_new) + eps), G_new
'''),
    Mistake("adagrad_step", "returned (G_new, theta_new) instead of (theta_new, G_new)", '''\
def adagrad_step(theta, G, grad, lr, eps=1e-8):
    grad = np.asarray(grad, dtype=float)
    G_new = np.asarray(G, dtype=float) + grad ** 2
    return G_new, np.asarray(theta, dtype=float) - lr * grad / (np.sqrt(G_new) + eps)
'''),
    Mistake("adagrad_step", "returned the old G instead of G_new", '''\
def adagrad_step(theta, G, grad, lr, eps=1e-8):
    grad = np.asarray(grad, dtype=float)
    G_new = np.asarray(G, dtype=float) + grad ** 2
    return np.asarray(theta, dtype=float) - lr * grad / (np.sqrt(G_new) + eps), G
'''),
    Mistake("adagrad_step", LIST_INPUT, '''\
def adagrad_step(theta, G, grad, lr, eps=1e-8):
    G_new = G + grad ** 2
    return theta - lr * grad / (G_new ** 0.5 + eps), G_new
''', any_error=True),
    Mistake("adagrad_step", INT_CAST, '''\
def adagrad_step(theta, G, grad, lr, eps=1e-8):
    theta = np.asarray(theta)
    grad = np.asarray(grad, dtype=float)
    G_new = np.asarray(G) + grad ** 2
    theta_new = theta - lr * grad / (np.sqrt(G_new) + eps)
    return theta_new.astype(theta.dtype), G_new.astype(theta.dtype)   # keep the caller's dtype
'''),
    # ----------------------------------------------------------------- rmsprop_step
    Mistake("rmsprop_step", "eps inside the square root (SPEC and PyTorch add eps outside: sqrt(.) + eps)", '''\
def rmsprop_step(theta, s, grad, lr, beta=0.9, eps=1e-8):
    grad = np.asarray(grad, dtype=float)
    s_new = beta * np.asarray(s, dtype=float) + (1 - beta) * grad ** 2
    return np.asarray(theta, dtype=float) - lr * grad / np.sqrt(s_new + eps), s_new
'''),
    Mistake("rmsprop_step", "missing (1 - beta) on grad**2 (s_new = beta * s + (1 - beta) * grad**2)", '''\
def rmsprop_step(theta, s, grad, lr, beta=0.9, eps=1e-8):
    grad = np.asarray(grad, dtype=float)
    s_new = beta * np.asarray(s, dtype=float) + grad ** 2
    return np.asarray(theta, dtype=float) - lr * grad / (np.sqrt(s_new) + eps), s_new
'''),
    Mistake("rmsprop_step", "beta and 1 - beta swapped (s_new = (1 - beta) * s + beta * grad**2)", '''\
def rmsprop_step(theta, s, grad, lr, beta=0.9, eps=1e-8):
    grad = np.asarray(grad, dtype=float)
    s_new = (1 - beta) * np.asarray(s, dtype=float) + beta * grad ** 2
    return np.asarray(theta, dtype=float) - lr * grad / (np.sqrt(s_new) + eps), s_new
'''),
    Mistake("rmsprop_step", "s not averaged: summed like AdaGrad (s_new = s + grad**2)", '''\
def rmsprop_step(theta, s, grad, lr, beta=0.9, eps=1e-8):
    grad = np.asarray(grad, dtype=float)
    s_new = np.asarray(s, dtype=float) + grad ** 2
    return np.asarray(theta, dtype=float) - lr * grad / (np.sqrt(s_new) + eps), s_new
'''),
    Mistake("rmsprop_step", "square root missing (divide by sqrt(s_new) + eps, not by s_new)", '''\
def rmsprop_step(theta, s, grad, lr, beta=0.9, eps=1e-8):
    grad = np.asarray(grad, dtype=float)
    s_new = beta * np.asarray(s, dtype=float) + (1 - beta) * grad ** 2
    return np.asarray(theta, dtype=float) - lr * grad / (s_new + eps), s_new
'''),
    Mistake("rmsprop_step", "old s used in the step (divide by the root of s_new)", '''\
def rmsprop_step(theta, s, grad, lr, beta=0.9, eps=1e-8):
    grad = np.asarray(grad, dtype=float)
    s = np.asarray(s, dtype=float)
    theta_new = np.asarray(theta, dtype=float) - lr * grad / (np.sqrt(s) + eps)
    return theta_new, beta * s + (1 - beta) * grad ** 2
'''),
    Mistake("rmsprop_step", "gradient not squared in the average (s_new = beta * s + (1 - beta) * grad**2)", '''\
def rmsprop_step(theta, s, grad, lr, beta=0.9, eps=1e-8):
    grad = np.asarray(grad, dtype=float)
    s_new = beta * np.asarray(s, dtype=float) + (1 - beta) * grad
    return np.asarray(theta, dtype=float) - lr * grad / (np.sqrt(s_new) + eps), s_new
'''),
    Mistake("rmsprop_step", "sign flipped (theta + step climbs the loss)", '''\
def rmsprop_step(theta, s, grad, lr, beta=0.9, eps=1e-8):
    grad = np.asarray(grad, dtype=float)
    s_new = beta * np.asarray(s, dtype=float) + (1 - beta) * grad ** 2
    return np.asarray(theta, dtype=float) + lr * grad / (np.sqrt(s_new) + eps), s_new
'''),
    Mistake("rmsprop_step", LIST_INPUT, '''\
def rmsprop_step(theta, s, grad, lr, beta=0.9, eps=1e-8):
    s_new = beta * s + (1 - beta) * grad ** 2
    return theta - lr * grad / (s_new ** 0.5 + eps), s_new
''', any_error=True),
    Mistake("rmsprop_step", INT_CAST, '''\
def rmsprop_step(theta, s, grad, lr, beta=0.9, eps=1e-8):
    theta = np.asarray(theta)
    grad = np.asarray(grad, dtype=float)
    s_new = beta * np.asarray(s) + (1 - beta) * grad ** 2
    theta_new = theta - lr * grad / (np.sqrt(s_new) + eps)
    return theta_new.astype(theta.dtype), s_new.astype(theta.dtype)
'''),
    # ----------------------------------------------------------------- adam_step
    Mistake("adam_step", "no bias correction (m_hat = m_new / (1 - beta1**(t + 1)), v_hat likewise)", '''\
def adam_step(theta, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 0 or t != int(t):
        raise ValueError("t must be a whole number >= 0")
    theta = np.asarray(theta, dtype=float)
    m = np.asarray(m, dtype=float)
    v = np.asarray(v, dtype=float)
    grad = np.asarray(grad, dtype=float)
    m_new = beta1 * m + (1 - beta1) * grad
    v_new = beta2 * v + (1 - beta2) * grad**2
    return theta - lr * m_new / (np.sqrt(v_new) + eps), m_new, v_new
'''),
    Mistake("adam_step", "bias correction with t instead of t + 1 (t counted from 1: the first update uses t = 0, so it divides by 1 - beta1)", '''\
def adam_step(theta, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 0 or t != int(t):
        raise ValueError("t must be a whole number >= 0")
    theta = np.asarray(theta, dtype=float)
    m = np.asarray(m, dtype=float)
    v = np.asarray(v, dtype=float)
    grad = np.asarray(grad, dtype=float)
    m_new = beta1 * m + (1 - beta1) * grad
    v_new = beta2 * v + (1 - beta2) * grad**2
    m_hat = m_new / (1 - beta1 ** t)
    v_hat = v_new / (1 - beta2 ** t)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m_new, v_new
'''),
    Mistake("adam_step", "m not bias-corrected (m_hat = m_new / (1 - beta1**(t + 1)))", '''\
def adam_step(theta, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 0 or t != int(t):
        raise ValueError("t must be a whole number >= 0")
    theta = np.asarray(theta, dtype=float)
    m = np.asarray(m, dtype=float)
    v = np.asarray(v, dtype=float)
    grad = np.asarray(grad, dtype=float)
    m_new = beta1 * m + (1 - beta1) * grad
    v_new = beta2 * v + (1 - beta2) * grad**2
    v_hat = v_new / (1 - beta2 ** (t + 1))
    return theta - lr * m_new / (np.sqrt(v_hat) + eps), m_new, v_new
'''),
    Mistake("adam_step", "v not bias-corrected (v_hat = v_new / (1 - beta2**(t + 1)))", '''\
def adam_step(theta, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 0 or t != int(t):
        raise ValueError("t must be a whole number >= 0")
    theta = np.asarray(theta, dtype=float)
    m = np.asarray(m, dtype=float)
    v = np.asarray(v, dtype=float)
    grad = np.asarray(grad, dtype=float)
    m_new = beta1 * m + (1 - beta1) * grad
    v_new = beta2 * v + (1 - beta2) * grad**2
    m_hat = m_new / (1 - beta1 ** (t + 1))
    return theta - lr * m_hat / (np.sqrt(v_new) + eps), m_new, v_new
'''),
    Mistake("adam_step", "missing (1 - beta1) on the gradient in m_new", '''\
def adam_step(theta, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 0 or t != int(t):
        raise ValueError("t must be a whole number >= 0")
    theta = np.asarray(theta, dtype=float)
    m = np.asarray(m, dtype=float)
    v = np.asarray(v, dtype=float)
    grad = np.asarray(grad, dtype=float)
    m_new = beta1 * m + grad
    v_new = beta2 * v + (1 - beta2) * grad**2
    m_hat = m_new / (1 - beta1 ** (t + 1))
    v_hat = v_new / (1 - beta2 ** (t + 1))
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m_new, v_new
'''),
    Mistake("adam_step", "missing (1 - beta2) on grad**2 in v_new", '''\
def adam_step(theta, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 0 or t != int(t):
        raise ValueError("t must be a whole number >= 0")
    theta = np.asarray(theta, dtype=float)
    m = np.asarray(m, dtype=float)
    v = np.asarray(v, dtype=float)
    grad = np.asarray(grad, dtype=float)
    m_new = beta1 * m + (1 - beta1) * grad
    v_new = beta2 * v + grad**2
    m_hat = m_new / (1 - beta1 ** (t + 1))
    v_hat = v_new / (1 - beta2 ** (t + 1))
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m_new, v_new
'''),
    Mistake("adam_step", "beta1 and beta2 swapped", '''\
def adam_step(theta, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 0 or t != int(t):
        raise ValueError("t must be a whole number >= 0")
    theta = np.asarray(theta, dtype=float)
    m = np.asarray(m, dtype=float)
    v = np.asarray(v, dtype=float)
    grad = np.asarray(grad, dtype=float)
    m_new = beta2 * m + (1 - beta2) * grad
    v_new = beta1 * v + (1 - beta1) * grad**2
    m_hat = m_new / (1 - beta2 ** (t + 1))
    v_hat = v_new / (1 - beta1 ** (t + 1))
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m_new, v_new
'''),
    Mistake("adam_step", "eps inside the square root (SPEC and PyTorch add eps outside: sqrt(.) + eps)", '''\
def adam_step(theta, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 0 or t != int(t):
        raise ValueError("t must be a whole number >= 0")
    theta = np.asarray(theta, dtype=float)
    m = np.asarray(m, dtype=float)
    v = np.asarray(v, dtype=float)
    grad = np.asarray(grad, dtype=float)
    m_new = beta1 * m + (1 - beta1) * grad
    v_new = beta2 * v + (1 - beta2) * grad**2
    m_hat = m_new / (1 - beta1 ** (t + 1))
    v_hat = v_new / (1 - beta2 ** (t + 1))
    return theta - lr * m_hat / np.sqrt(v_hat + eps), m_new, v_new
'''),
    Mistake("adam_step", "eps added before the bias correction (lr * sqrt(1 - beta2**(t+1)) / (1 - beta1**(t+1)) * m / (sqrt(v) + eps), the 'efficient' form of the paper and Keras): SPEC adds eps to sqrt(v_hat)", '''\
def adam_step(theta, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 0 or t != int(t):
        raise ValueError("t must be a whole number >= 0")
    theta = np.asarray(theta, dtype=float)
    m = np.asarray(m, dtype=float)
    v = np.asarray(v, dtype=float)
    grad = np.asarray(grad, dtype=float)
    m_new = m + (grad - m) * (1 - beta1)
    v_new = v + (grad**2 - v) * (1 - beta2)
    alpha = lr * np.sqrt(1 - beta2 ** (t + 1)) / (1 - beta1 ** (t + 1))
    return theta - alpha * m_new / (np.sqrt(v_new) + eps), m_new, v_new
'''),
    Mistake("adam_step", "square root missing (divide by sqrt(v_hat) + eps)", '''\
def adam_step(theta, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 0 or t != int(t):
        raise ValueError("t must be a whole number >= 0")
    theta = np.asarray(theta, dtype=float)
    m = np.asarray(m, dtype=float)
    v = np.asarray(v, dtype=float)
    grad = np.asarray(grad, dtype=float)
    m_new = beta1 * m + (1 - beta1) * grad
    v_new = beta2 * v + (1 - beta2) * grad**2
    m_hat = m_new / (1 - beta1 ** (t + 1))
    v_hat = v_new / (1 - beta2 ** (t + 1))
    return theta - lr * m_hat / (v_hat + eps), m_new, v_new
'''),
    Mistake("adam_step", "gradient not squared in v_new", '''\
def adam_step(theta, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 0 or t != int(t):
        raise ValueError("t must be a whole number >= 0")
    theta = np.asarray(theta, dtype=float)
    m = np.asarray(m, dtype=float)
    v = np.asarray(v, dtype=float)
    grad = np.asarray(grad, dtype=float)
    m_new = beta1 * m + (1 - beta1) * grad
    v_new = beta2 * v + (1 - beta2) * grad
    m_hat = m_new / (1 - beta1 ** (t + 1))
    v_hat = v_new / (1 - beta2 ** (t + 1))
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m_new, v_new
'''),
    Mistake("adam_step", "m and v swapped in the update (m_hat / sqrt(v_hat), not v_hat / sqrt(m_hat))", '''\
def adam_step(theta, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 0 or t != int(t):
        raise ValueError("t must be a whole number >= 0")
    theta = np.asarray(theta, dtype=float)
    m = np.asarray(m, dtype=float)
    v = np.asarray(v, dtype=float)
    grad = np.asarray(grad, dtype=float)
    m_new = beta1 * m + (1 - beta1) * grad
    v_new = beta2 * v + (1 - beta2) * grad**2
    m_hat = m_new / (1 - beta1 ** (t + 1))
    v_hat = v_new / (1 - beta2 ** (t + 1))
    return theta - lr * v_hat / (np.sqrt(m_hat) + eps), m_new, v_new
'''),
    Mistake("adam_step", "m and v swapped in the result (return (theta_new, m_new, v_new))", '''\
def adam_step(theta, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 0 or t != int(t):
        raise ValueError("t must be a whole number >= 0")
    theta = np.asarray(theta, dtype=float)
    m = np.asarray(m, dtype=float)
    v = np.asarray(v, dtype=float)
    grad = np.asarray(grad, dtype=float)
    m_new = beta1 * m + (1 - beta1) * grad
    v_new = beta2 * v + (1 - beta2) * grad**2
    m_hat = m_new / (1 - beta1 ** (t + 1))
    v_hat = v_new / (1 - beta2 ** (t + 1))
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), v_new, m_new
'''),
    Mistake("adam_step", "returned the bias-corrected m_hat, v_hat instead of the raw averages m_new, v_new", '''\
def adam_step(theta, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 0 or t != int(t):
        raise ValueError("t must be a whole number >= 0")
    theta = np.asarray(theta, dtype=float)
    m = np.asarray(m, dtype=float)
    v = np.asarray(v, dtype=float)
    grad = np.asarray(grad, dtype=float)
    m_new = beta1 * m + (1 - beta1) * grad
    v_new = beta2 * v + (1 - beta2) * grad**2
    m_hat = m_new / (1 - beta1 ** (t + 1))
    v_hat = v_new / (1 - beta2 ** (t + 1))
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m_hat, v_hat
'''),
    Mistake("adam_step", "sign flipped (theta + step climbs the loss)", '''\
def adam_step(theta, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 0 or t != int(t):
        raise ValueError("t must be a whole number >= 0")
    theta = np.asarray(theta, dtype=float)
    m = np.asarray(m, dtype=float)
    v = np.asarray(v, dtype=float)
    grad = np.asarray(grad, dtype=float)
    m_new = beta1 * m + (1 - beta1) * grad
    v_new = beta2 * v + (1 - beta2) * grad**2
    m_hat = m_new / (1 - beta1 ** (t + 1))
    v_hat = v_new / (1 - beta2 ** (t + 1))
    return theta + lr * m_hat / (np.sqrt(v_hat) + eps), m_new, v_new
'''),
    Mistake("adam_step", "no ValueError for a negative or non-integer t (t counts steps from 0)", '''\
def adam_step(theta, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    grad = np.asarray(grad, dtype=float)
    m_new = beta1 * np.asarray(m, dtype=float) + (1 - beta1) * grad
    v_new = beta2 * np.asarray(v, dtype=float) + (1 - beta2) * grad**2
    m_hat = m_new / (1 - beta1 ** (t + 1))
    v_hat = v_new / (1 - beta2 ** (t + 1))
    return np.asarray(theta, dtype=float) - lr * m_hat / (np.sqrt(v_hat) + eps), m_new, v_new
'''),
    Mistake("adam_step", LIST_INPUT, '''\
def adam_step(theta, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 0 or t != int(t):
        raise ValueError("t must be a whole number >= 0")
    m_new = beta1 * m + (1 - beta1) * grad
    v_new = beta2 * v + (1 - beta2) * grad**2
    m_hat = m_new / (1 - beta1 ** (t + 1))
    v_hat = v_new / (1 - beta2 ** (t + 1))
    return theta - lr * m_hat / (v_hat ** 0.5 + eps), m_new, v_new
''', any_error=True),
    Mistake("adam_step", INT_CAST, '''\
def adam_step(theta, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    if t < 0 or t != int(t):
        raise ValueError("t must be a whole number >= 0")
    dtype = np.asarray(theta).dtype
    grad = np.asarray(grad, dtype=float)
    m_new = beta1 * np.asarray(m) + (1 - beta1) * grad
    v_new = beta2 * np.asarray(v) + (1 - beta2) * grad**2
    m_hat = m_new / (1 - beta1 ** (t + 1))
    v_hat = v_new / (1 - beta2 ** (t + 1))
    theta_new = np.asarray(theta) - lr * m_hat / (np.sqrt(v_hat) + eps)
    return theta_new.astype(dtype), m_new.astype(dtype), v_new.astype(dtype)
'''),
    # ----------------------------------------------------------------- run_adam
    Mistake("run_adam", "theta0 left out of the returned iterates (the first row must be theta0)", '''\
def run_adam(grad_fn, theta0, lr, n_steps, beta1=0.9, beta2=0.999, eps=1e-8):
    theta = np.asarray(theta0, dtype=float)
    m = np.zeros_like(theta)
    v = np.zeros_like(theta)
    path = []
    for t in range(n_steps):
        g = np.asarray(grad_fn(theta), dtype=float)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        theta = theta - lr * (m / (1 - beta1 ** (t + 1))) / (np.sqrt(v / (1 - beta2 ** (t + 1))) + eps)
        path.append(theta)
    return np.array(path).reshape((n_steps,) + np.shape(theta0))
'''),
    Mistake("run_adam", "one step too many (n_steps + 1 updates)", '''\
def run_adam(grad_fn, theta0, lr, n_steps, beta1=0.9, beta2=0.999, eps=1e-8):
    theta = np.asarray(theta0, dtype=float)
    m = np.zeros_like(theta)
    v = np.zeros_like(theta)
    path = [theta]
    for t in range(n_steps + 1):
        g = np.asarray(grad_fn(theta), dtype=float)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        theta = theta - lr * (m / (1 - beta1 ** (t + 1))) / (np.sqrt(v / (1 - beta2 ** (t + 1))) + eps)
        path.append(theta)
    return np.array(path)
'''),
    Mistake("run_adam", "t counted from 1 (the first update uses t = 0: bias correction 1 - beta**(t + 1))", '''\
def run_adam(grad_fn, theta0, lr, n_steps, beta1=0.9, beta2=0.999, eps=1e-8):
    theta = np.asarray(theta0, dtype=float)
    m = np.zeros_like(theta)
    v = np.zeros_like(theta)
    path = [theta]
    for t in range(1, n_steps + 1):
        g = np.asarray(grad_fn(theta), dtype=float)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        # t already starts at 1, and the SPEC formula adds another 1
        theta = theta - lr * (m / (1 - beta1 ** (t + 1))) / (np.sqrt(v / (1 - beta2 ** (t + 1))) + eps)
        path.append(theta)
    return np.array(path)
'''),
    Mistake("run_adam", "t never advanced (every step bias-corrected as the first, t = 0)", '''\
def run_adam(grad_fn, theta0, lr, n_steps, beta1=0.9, beta2=0.999, eps=1e-8):
    theta = np.asarray(theta0, dtype=float)
    m = np.zeros_like(theta)
    v = np.zeros_like(theta)
    path = [theta]
    for _ in range(n_steps):
        g = np.asarray(grad_fn(theta), dtype=float)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        theta = theta - lr * (m / (1 - beta1)) / (np.sqrt(v / (1 - beta2)) + eps)
        path.append(theta)
    return np.array(path)
'''),
    Mistake("run_adam", "m and v reset to zero every step (no memory)", '''\
def run_adam(grad_fn, theta0, lr, n_steps, beta1=0.9, beta2=0.999, eps=1e-8):
    theta = np.asarray(theta0, dtype=float)
    m = np.zeros_like(theta)
    v = np.zeros_like(theta)
    path = [theta]
    for _ in range(n_steps):
        m = np.zeros_like(theta)
        v = np.zeros_like(theta)
        g = np.asarray(grad_fn(theta), dtype=float)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        theta = theta - lr * (m / (1 - beta1)) / (np.sqrt(v / (1 - beta2)) + eps)
        path.append(theta)
    return np.array(path)
'''),
    Mistake("run_adam", "no bias correction", '''\
def run_adam(grad_fn, theta0, lr, n_steps, beta1=0.9, beta2=0.999, eps=1e-8):
    theta = np.asarray(theta0, dtype=float)
    m = np.zeros_like(theta)
    v = np.zeros_like(theta)
    path = [theta]
    for _ in range(n_steps):
        g = np.asarray(grad_fn(theta), dtype=float)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        theta = theta - lr * m / (np.sqrt(v) + eps)
        path.append(theta)
    return np.array(path)
'''),
    Mistake("run_adam", "eps added before the bias correction (Keras' form): SPEC adds eps to sqrt(v_hat)", '''\
def run_adam(grad_fn, theta0, lr, n_steps, beta1=0.9, beta2=0.999, eps=1e-8):
    theta = np.asarray(theta0, dtype=float)
    m = np.zeros_like(theta)
    v = np.zeros_like(theta)
    path = [theta]
    for t in range(n_steps):
        g = np.asarray(grad_fn(theta), dtype=float)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        alpha = lr * np.sqrt(1 - beta2 ** (t + 1)) / (1 - beta1 ** (t + 1))
        theta = theta - alpha * m / (np.sqrt(v) + eps)
        path.append(theta)
    return np.array(path)
'''),
    Mistake("run_adam", "gradient computed once at theta0 and reused", '''\
def run_adam(grad_fn, theta0, lr, n_steps, beta1=0.9, beta2=0.999, eps=1e-8):
    theta = np.asarray(theta0, dtype=float)
    g = np.asarray(grad_fn(theta), dtype=float)
    m = np.zeros_like(theta)
    v = np.zeros_like(theta)
    path = [theta]
    for t in range(n_steps):
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        theta = theta - lr * (m / (1 - beta1 ** (t + 1))) / (np.sqrt(v / (1 - beta2 ** (t + 1))) + eps)
        path.append(theta)
    return np.array(path)
'''),
    Mistake("run_adam", LIST_INPUT, '''\
def run_adam(grad_fn, theta0, lr, n_steps, beta1=0.9, beta2=0.999, eps=1e-8):
    if np.isscalar(theta0):
        theta = np.array(theta0, dtype=float)
    else:
        theta = theta0.astype(float)                  # a list has no .astype
    m = np.zeros_like(theta)
    v = np.zeros_like(theta)
    path = [theta]
    for t in range(n_steps):
        g = np.asarray(grad_fn(theta), dtype=float)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        theta = theta - lr * (m / (1 - beta1 ** (t + 1))) / (np.sqrt(v / (1 - beta2 ** (t + 1))) + eps)
        path.append(theta)
    return np.array(path)
''', any_error=True),
    Mistake("run_adam", INT_CAST, '''\
def run_adam(grad_fn, theta0, lr, n_steps, beta1=0.9, beta2=0.999, eps=1e-8):
    theta = np.asarray(theta0)
    path = np.zeros((n_steps + 1,) + theta.shape, dtype=theta.dtype)   # an int theta0 makes an int path
    path[0] = theta
    m = np.zeros(theta.shape)
    v = np.zeros(theta.shape)
    for t in range(n_steps):
        g = np.asarray(grad_fn(theta), dtype=float)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        theta = theta - lr * (m / (1 - beta1 ** (t + 1))) / (np.sqrt(v / (1 - beta2 ** (t + 1))) + eps)
        path[t + 1] = theta
    return path
'''),
    # ----------------------------------------------------------------- warmup_cosine
    Mistake("warmup_cosine", "warmup from lr_max * t / T_warmup (starts at 0; SPEC's warmup is lr_max * (t + 1) / T_warmup)", '''\
def warmup_cosine(t, lr_max, lr_min, T_warmup, T):
    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    decay = T - T_warmup
    cos = lr_min + (lr_max - lr_min) * (1 + np.cos(np.pi * np.clip(t - T_warmup, 0, decay) / decay)) / 2
    return np.where(t < T_warmup, lr_max * t / max(T_warmup, 1), cos)
'''),
    Mistake("warmup_cosine", "warmup reaching lr_max at t = T_warmup instead of T_warmup - 1 (ramp (t + 1) / (T_warmup + 1))", '''\
def warmup_cosine(t, lr_max, lr_min, T_warmup, T):
    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    decay = T - T_warmup
    cos = lr_min + (lr_max - lr_min) * (1 + np.cos(np.pi * np.clip(t - T_warmup, 0, decay) / decay)) / 2
    return np.where(t < T_warmup, lr_max * (t + 1) / (T_warmup + 1), cos)
'''),
    Mistake("warmup_cosine", "warmup reaching lr_max at t = T_warmup instead of T_warmup - 1 (PyTorch LinearLR from lr_max / T_warmup)", '''\
def warmup_cosine(t, lr_max, lr_min, T_warmup, T):
    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    start = 1 / max(T_warmup, 1)                      # LinearLR(start_factor=1/T_warmup, total_iters=T_warmup)
    warm = lr_max * (start + (1 - start) * t / max(T_warmup, 1))
    decay = T - T_warmup
    cos = lr_min + (lr_max - lr_min) * (1 + np.cos(np.pi * np.clip(t - T_warmup, 0, decay) / decay)) / 2
    return np.where(t < T_warmup, warm, cos)
'''),
    Mistake("warmup_cosine", "warmup from lr_min instead of from 0 (lr_max * (t + 1) / T_warmup)", '''\
def warmup_cosine(t, lr_max, lr_min, T_warmup, T):
    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    warm = lr_min + (lr_max - lr_min) * (t + 1) / max(T_warmup, 1)
    decay = T - T_warmup
    cos = lr_min + (lr_max - lr_min) * (1 + np.cos(np.pi * np.clip(t - T_warmup, 0, decay) / decay)) / 2
    return np.where(t < T_warmup, warm, cos)
'''),
    Mistake("warmup_cosine", "warmup formula used at t = T_warmup (t <= T_warmup: the cosine starts at t = T_warmup)", '''\
def warmup_cosine(t, lr_max, lr_min, T_warmup, T):
    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    decay = T - T_warmup
    cos = lr_min + (lr_max - lr_min) * (1 + np.cos(np.pi * np.clip(t - T_warmup, 0, decay) / decay)) / 2
    return np.where(t <= T_warmup, lr_max * (t + 1) / max(T_warmup, 1), cos)
'''),
    Mistake("warmup_cosine", "cosine not shifted by T_warmup (use t - T_warmup and T - T_warmup)", '''\
def warmup_cosine(t, lr_max, lr_min, T_warmup, T):
    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    cos = lr_min + (lr_max - lr_min) * (1 + np.cos(np.pi * np.minimum(t, T) / T)) / 2
    return np.where(t < T_warmup, lr_max * (t + 1) / max(T_warmup, 1), cos)
'''),
    Mistake("warmup_cosine", "cosine T steps long after the warmup (it must reach lr_min at t = T: length T - T_warmup)", '''\
def warmup_cosine(t, lr_max, lr_min, T_warmup, T):
    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    t_cur = np.minimum(t - T_warmup, T)              # Keras-style decay_steps = T
    cos = lr_min + (lr_max - lr_min) * (1 + np.cos(np.pi * t_cur / T)) / 2
    return np.where(t < T_warmup, lr_max * (t + 1) / max(T_warmup, 1), cos)
'''),
    Mistake("warmup_cosine", "cosine not held at lr_min after T (it climbs back up)", '''\
def warmup_cosine(t, lr_max, lr_min, T_warmup, T):
    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    cos = lr_min + (lr_max - lr_min) * (1 + np.cos(np.pi * (t - T_warmup) / (T - T_warmup))) / 2
    return np.where(t < T_warmup, lr_max * (t + 1) / max(T_warmup, 1), cos)
'''),
    Mistake("warmup_cosine", "warmup t / T_warmup and no hold after T (Hugging Face's get_cosine_schedule_with_warmup conventions)", '''\
def warmup_cosine(t, lr_max, lr_min, T_warmup, T):
    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    def lr_at(step):                                  # adapted from get_cosine_schedule_with_warmup
        if step < T_warmup:
            return lr_max * float(step) / float(max(1, T_warmup))
        progress = float(step - T_warmup) / float(max(1, T - T_warmup))
        return lr_min + (lr_max - lr_min) * max(0.0, 0.5 * (1.0 + math.cos(math.pi * progress)))

    return np.vectorize(lr_at, otypes=[float])(t)
'''),
    Mistake("warmup_cosine", "lr_max and lr_min swapped in the cosine", '''\
def warmup_cosine(t, lr_max, lr_min, T_warmup, T):
    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    decay = T - T_warmup
    cos = lr_max + (lr_min - lr_max) * (1 + np.cos(np.pi * np.clip(t - T_warmup, 0, decay) / decay)) / 2
    return np.where(t < T_warmup, lr_max * (t + 1) / max(T_warmup, 1), cos)
'''),
    Mistake("warmup_cosine", "learning rates stored in an integer array (np.zeros_like(t) with an integer t): use floats", '''\
def warmup_cosine(t, lr_max, lr_min, T_warmup, T):
    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    lr = np.zeros_like(t)
    ramp = t < T_warmup
    lr[ramp] = lr_max * (t[ramp] + 1) / T_warmup
    cur = np.clip(t[~ramp] - T_warmup, 0, T - T_warmup)
    lr[~ramp] = lr_min + (lr_max - lr_min) * (1 + np.cos(np.pi * cur / (T - T_warmup))) / 2
    return lr
'''),
    Mistake("warmup_cosine", "no ValueError for t < 0 (t counts steps from 0; a negative step does not exist)", '''\
def warmup_cosine(t, lr_max, lr_min, T_warmup, T):
    t = np.asarray(t)
    decay = T - T_warmup
    cos = lr_min + (lr_max - lr_min) * (1 + np.cos(np.pi * np.clip(t - T_warmup, 0, decay) / decay)) / 2
    return np.where(t < T_warmup, lr_max * (t + 1) / max(T_warmup, 1), cos)
'''),
])
