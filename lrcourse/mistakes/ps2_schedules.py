"""Known mistakes in the schedules (ps2_schedules), each as the code a student writes.

See :mod:`lrcourse.mistakes`. The order breaks ties: of two mistakes that explain a student
equally well, the one listed first names the failure.
"""

from .base import INT_CAST, INT_PATH, INT_PATH_STEP, LIST_INPUT, Mistake, group

MISTAKES = group([
    # ----------------------------------------------------------------- step_decay
    Mistake("step_decay", "round instead of floor (the rate drops halfway through a stage)", '''\
def step_decay(t, lr0, gamma, step_size):
    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    return lr0 * gamma ** np.round(t / step_size)
'''),
    Mistake("step_decay", "ceil instead of floor (the first drop happens at t = 1)", '''\
def step_decay(t, lr0, gamma, step_size):
    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    return lr0 * gamma ** np.ceil(t / step_size)
'''),
    Mistake("step_decay", "t counted from 1 (used t + 1)", '''\
def step_decay(t, lr0, gamma, step_size):
    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    return lr0 * gamma ** np.floor((t + 1) / step_size)
'''),
    Mistake("step_decay", "decay applied every step, not every step_size steps", '''\
def step_decay(t, lr0, gamma, step_size):
    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    return lr0 * gamma ** t
'''),
    Mistake("step_decay", "no floor: gamma ** (t / step_size) decays smoothly instead of in steps", '''\
def step_decay(t, lr0, gamma, step_size):
    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    return lr0 * gamma ** (t / step_size)
'''),
    Mistake("step_decay", "no ValueError for t < 0 (t counts steps from 0; a negative step does not exist)", '''\
def step_decay(t, lr0, gamma, step_size):
    return lr0 * gamma ** np.floor(np.asarray(t) / step_size)
'''),
    Mistake("step_decay", INT_CAST, '''\
def step_decay(t, lr0, gamma, step_size):
    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    rates = np.zeros_like(t)  # an integer t makes integer rates
    rates[...] = lr0 * gamma ** (t // step_size)
    return rates
'''),
    Mistake("step_decay", LIST_INPUT, '''\
def step_decay(t, lr0, gamma, step_size):
    if np.any(t < 0):  # a list cannot be compared with 0
        raise ValueError("t must be >= 0")
    return lr0 * gamma ** (t // step_size)
''', any_error=True),
    # ----------------------------------------------------------------- exponential_decay
    Mistake("exponential_decay", "sign of k flipped (exp(+k t) grows)", '''\
def exponential_decay(t, lr0, k):
    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    return lr0 * np.exp(k * t)
'''),
    Mistake("exponential_decay", "t counted from 1 (used t + 1)", '''\
def exponential_decay(t, lr0, k):
    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    return lr0 * np.exp(-k * (t + 1))
'''),
    Mistake("exponential_decay", "exp(-t / k): k used as a time constant instead of a rate", '''\
def exponential_decay(t, lr0, k):
    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    return lr0 * np.exp(-t / k)
'''),
    Mistake("exponential_decay", "(1 - k) ** t instead of exp(-k t)", '''\
def exponential_decay(t, lr0, k):
    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    return lr0 * (1 - k) ** t
'''),
    Mistake("exponential_decay", "no ValueError for t < 0 (t counts steps from 0; a negative step does not exist)", '''\
def exponential_decay(t, lr0, k):
    return lr0 * np.exp(-k * np.asarray(t))
'''),
    Mistake("exponential_decay", INT_CAST, '''\
def exponential_decay(t, lr0, k):
    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    rates = np.zeros_like(t)  # an integer t makes integer rates
    rates[...] = lr0 * np.exp(-k * t)
    return rates
'''),
    Mistake("exponential_decay", LIST_INPUT, '''\
def exponential_decay(t, lr0, k):
    if np.any(t < 0):  # a list cannot be compared with 0
        raise ValueError("t must be >= 0")
    return lr0 * np.exp(-k * t)
''', any_error=True),
    # ----------------------------------------------------------------- inverse_time_decay
    Mistake("inverse_time_decay", "1 + k*t squared", '''\
def inverse_time_decay(t, lr0, k):
    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    return lr0 / (1 + k * t) ** 2
'''),
    Mistake("inverse_time_decay", "sign of k flipped (1 - k*t)", '''\
def inverse_time_decay(t, lr0, k):
    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    return lr0 / (1 - k * t)
'''),
    Mistake("inverse_time_decay", "t counted from 1 (used t + 1)", '''\
def inverse_time_decay(t, lr0, k):
    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    return lr0 / (1 + k * (t + 1))
'''),
    Mistake("inverse_time_decay", "forgot the 1 + in 1 + k*t", '''\
def inverse_time_decay(t, lr0, k):
    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    return lr0 / (k * t)
'''),
    Mistake("inverse_time_decay", "square root of 1 + k*t", '''\
def inverse_time_decay(t, lr0, k):
    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    return lr0 / np.sqrt(1 + k * t)
'''),
    Mistake("inverse_time_decay", "no ValueError for t < 0 (t counts steps from 0; a negative step does not exist)", '''\
def inverse_time_decay(t, lr0, k):
    return lr0 / (1 + k * np.asarray(t))
'''),
    Mistake("inverse_time_decay", INT_CAST, '''\
def inverse_time_decay(t, lr0, k):
    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    out = np.empty_like(t)  # takes t's dtype: integers for integer steps
    out[...] = lr0 / (1 + k * t)
    return out
'''),
    Mistake("inverse_time_decay", LIST_INPUT, '''\
def inverse_time_decay(t, lr0, k):
    if np.any(t < 0):  # a list cannot be compared with 0
        raise ValueError("t must be >= 0")
    return lr0 / (1 + k * t)
''', any_error=True),
    # ----------------------------------------------------------------- cosine_annealing
    Mistake("cosine_annealing", "cosine not held at lr_min after T (it climbs back up)", '''\
def cosine_annealing(t, lr_max, lr_min, T):
    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    return lr_min + (lr_max - lr_min) * (1 + np.cos(np.pi * t / T)) / 2
'''),
    Mistake("cosine_annealing", "t % T: restarts after T instead of holding at lr_min", '''\
def cosine_annealing(t, lr_max, lr_min, T):
    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    return lr_min + (lr_max - lr_min) * (1 + np.cos(np.pi * (t % T) / T)) / 2
'''),
    Mistake("cosine_annealing", "lr_max and lr_min swapped", '''\
def cosine_annealing(t, lr_max, lr_min, T):
    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    return lr_max + (lr_min - lr_max) * (1 + np.cos(np.pi * np.minimum(t, T) / T)) / 2
'''),
    Mistake("cosine_annealing", "missing (1 + cos) / 2: the cosine itself goes from +1 to -1", '''\
def cosine_annealing(t, lr_max, lr_min, T):
    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    return lr_min + (lr_max - lr_min) * np.cos(np.pi * np.minimum(t, T) / T)
'''),
    Mistake("cosine_annealing", "cos(2 pi t / T): a full period instead of half of one", '''\
def cosine_annealing(t, lr_max, lr_min, T):
    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    return lr_min + (lr_max - lr_min) * (1 + np.cos(2 * np.pi * np.minimum(t, T) / T)) / 2
'''),
    Mistake("cosine_annealing", "t counted from 1 (used t + 1)", '''\
def cosine_annealing(t, lr_max, lr_min, T):
    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    return lr_min + (lr_max - lr_min) * (1 + np.cos(np.pi * np.minimum(t + 1, T) / T)) / 2
'''),
    Mistake("cosine_annealing", "no ValueError for t < 0 (t counts steps from 0; a negative step does not exist)", '''\
def cosine_annealing(t, lr_max, lr_min, T):
    t = np.asarray(t)
    return lr_min + (lr_max - lr_min) * (1 + np.cos(np.pi * np.minimum(t, T) / T)) / 2
'''),
    Mistake("cosine_annealing", INT_CAST, '''\
def cosine_annealing(t, lr_max, lr_min, T):
    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    rates = np.zeros_like(t)  # an integer t makes integer rates
    t_cur = np.minimum(t, T)
    rates[...] = lr_min + (lr_max - lr_min) * (1 + np.cos(np.pi * t_cur / T)) / 2
    return rates
'''),
    Mistake("cosine_annealing", LIST_INPUT, '''\
def cosine_annealing(t, lr_max, lr_min, T):
    if np.min(t) < 0:
        raise ValueError("t must be >= 0")
    cos_part = lr_min + (lr_max - lr_min) * (1 + np.cos(np.pi * np.asarray(t) / T)) / 2
    return np.where(t >= T, lr_min, cos_part)  # a list cannot be compared with T
''', any_error=True),
    # ----------------------------------------------------------------- cosine_warm_restarts
    Mistake("cosine_warm_restarts", "T_mult ignored (every cycle T0 long)", '''\
def cosine_warm_restarts(t, lr_max, lr_min, T0, T_mult=1):
    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    return lr_min + (lr_max - lr_min) * (1 + np.cos(np.pi * (t % T0) / T0)) / 2
'''),
    Mistake("cosine_warm_restarts", "restart cycle uses T0 for every cycle (T_i = T0 inside the cosine)", '''\
def cosine_warm_restarts(t, lr_max, lr_min, T0, T_mult=1):
    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    t_cur = t.astype(int)
    period = np.full(t_cur.shape, T0)
    while np.any(t_cur >= period):
        done = t_cur >= period
        t_cur = np.where(done, t_cur - period, t_cur)
        period = np.where(done, period * T_mult, period)
    return lr_min + (lr_max - lr_min) * (1 + np.cos(np.pi * t_cur / T0)) / 2
'''),
    Mistake("cosine_warm_restarts", "cycle i is T0 * T_mult**(i + 1) long (the first cycle must be T0)", '''\
def cosine_warm_restarts(t, lr_max, lr_min, T0, T_mult=1):
    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    t_cur = t.astype(int)
    period = np.full(t_cur.shape, T0 * T_mult)
    while np.any(t_cur >= period):
        done = t_cur >= period
        t_cur = np.where(done, t_cur - period, t_cur)
        period = np.where(done, period * T_mult, period)
    return lr_min + (lr_max - lr_min) * (1 + np.cos(np.pi * t_cur / period)) / 2
'''),
    Mistake("cosine_warm_restarts", "cosine over T_i - 1 steps (lr_min reached inside the cycle)", '''\
def cosine_warm_restarts(t, lr_max, lr_min, T0, T_mult=1):
    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    t_cur = t.astype(int)
    period = np.full(t_cur.shape, T0)
    while np.any(t_cur >= period):
        done = t_cur >= period
        t_cur = np.where(done, t_cur - period, t_cur)
        period = np.where(done, period * T_mult, period)
    return lr_min + (lr_max - lr_min) * (1 + np.cos(np.pi * t_cur / np.maximum(period - 1, 1))) / 2
'''),
    Mistake("cosine_warm_restarts", "t counted from 1 (used t + 1)", '''\
def cosine_warm_restarts(t, lr_max, lr_min, T0, T_mult=1):
    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    t_cur = t.astype(int) + 1
    period = np.full(t_cur.shape, T0)
    while np.any(t_cur >= period):
        done = t_cur >= period
        t_cur = np.where(done, t_cur - period, t_cur)
        period = np.where(done, period * T_mult, period)
    return lr_min + (lr_max - lr_min) * (1 + np.cos(np.pi * t_cur / period)) / 2
'''),
    Mistake("cosine_warm_restarts", "lr_max and lr_min swapped", '''\
def cosine_warm_restarts(t, lr_max, lr_min, T0, T_mult=1):
    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    t_cur = t.astype(int)
    period = np.full(t_cur.shape, T0)
    while np.any(t_cur >= period):
        done = t_cur >= period
        t_cur = np.where(done, t_cur - period, t_cur)
        period = np.where(done, period * T_mult, period)
    return lr_max + (lr_min - lr_max) * (1 + np.cos(np.pi * t_cur / period)) / 2
'''),
    Mistake("cosine_warm_restarts", "no restarts (held at lr_min after T0)", '''\
def cosine_warm_restarts(t, lr_max, lr_min, T0, T_mult=1):
    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    return lr_min + (lr_max - lr_min) * (1 + np.cos(np.pi * np.minimum(t, T0) / T0)) / 2
'''),
    Mistake("cosine_warm_restarts", "no ValueError for t < 0 (t counts steps from 0; a negative step does not exist)", '''\
def cosine_warm_restarts(t, lr_max, lr_min, T0, T_mult=1):
    t = np.asarray(t)
    t_cur = t.astype(int)
    period = np.full(t_cur.shape, T0)
    while np.any(t_cur >= period):
        done = t_cur >= period
        t_cur = np.where(done, t_cur - period, t_cur)
        period = np.where(done, period * T_mult, period)
    return lr_min + (lr_max - lr_min) * (1 + np.cos(np.pi * t_cur / period)) / 2
'''),
    Mistake("cosine_warm_restarts", "cycle index from a floating-point log: use integer arithmetic", '''\
def cosine_warm_restarts(t, lr_max, lr_min, T0, T_mult=1):
    import math
    ts = np.asarray(t)
    if (ts < 0).any():
        raise ValueError("negative step")
    out = []
    for s in ts.ravel():
        s = int(s)
        if T_mult == 1:
            t_cur, t_i = s % T0, T0
        else:
            n = int(math.log(s / T0 * (T_mult - 1) + 1, T_mult))
            t_cur = s - T0 * (T_mult ** n - 1) / (T_mult - 1)
            t_i = T0 * T_mult ** n
        out.append(lr_min + (lr_max - lr_min) * (1 + math.cos(math.pi * t_cur / t_i)) / 2)
    return np.array(out).reshape(ts.shape)
'''),
    Mistake("cosine_warm_restarts", INT_CAST, '''\
def cosine_warm_restarts(t, lr_max, lr_min, T0, T_mult=1):
    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    rates = np.zeros_like(t)  # an integer t makes integer rates
    for idx, s in np.ndenumerate(t):
        start, length = 0, T0
        while s >= start + length:
            start += length
            length *= T_mult
        rates[idx] = lr_min + (lr_max - lr_min) * (1 + np.cos(np.pi * (s - start) / length)) / 2
    return rates
'''),
    Mistake("cosine_warm_restarts", LIST_INPUT, '''\
def cosine_warm_restarts(t, lr_max, lr_min, T0, T_mult=1):
    if np.any(t < 0):  # a list cannot be compared with 0
        raise ValueError("t must be >= 0")
    t_cur = t % T0 if T_mult == 1 else t
    period = T0
    if T_mult != 1:
        t_cur, period = np.copy(t), np.full(np.shape(t), T0)
        while np.any(t_cur >= period):
            done = t_cur >= period
            t_cur = np.where(done, t_cur - period, t_cur)
            period = np.where(done, period * T_mult, period)
    return lr_min + (lr_max - lr_min) * (1 + np.cos(np.pi * t_cur / period)) / 2
''', any_error=True),
    # ----------------------------------------------------------------- gd_with_schedule
    Mistake("gd_with_schedule", "used lrs[t+1] (step t must use lrs[t])", '''\
def gd_with_schedule(grad_fn, w0, lrs):
    w = np.asarray(w0, dtype=float)
    path = [w]
    for t in range(len(lrs)):
        w = w - lrs[t + 1] * np.asarray(grad_fn(w))
        path.append(w)
    return np.array(path)
'''),
    Mistake("gd_with_schedule", "first learning rate skipped (loop started at t = 1)", '''\
def gd_with_schedule(grad_fn, w0, lrs):
    w = np.asarray(w0, dtype=float)
    path = [w]
    for t in range(1, len(lrs)):
        w = w - lrs[t] * np.asarray(grad_fn(w))
        path.append(w)
    return np.array(path)
'''),
    Mistake("gd_with_schedule", "lrs[0] used for every step (the schedule is ignored)", '''\
def gd_with_schedule(grad_fn, w0, lrs):
    w = np.asarray(w0, dtype=float)
    path = [w]
    for t in range(len(lrs)):
        w = w - lrs[0] * np.asarray(grad_fn(w))
        path.append(w)
    return np.array(path)
'''),
    Mistake("gd_with_schedule", "w0 left out of the returned iterates (the first row must be w0)", '''\
def gd_with_schedule(grad_fn, w0, lrs):
    w = np.asarray(w0, dtype=float)
    path = [w]
    for t in range(len(lrs)):
        w = w - lrs[t] * np.asarray(grad_fn(w))
        path.append(w)
    return np.array(path[1:]).reshape((len(lrs),) + np.shape(w0))
'''),
    Mistake("gd_with_schedule", "sign flipped (w + lr * grad: that climbs the loss)", '''\
def gd_with_schedule(grad_fn, w0, lrs):
    w = np.asarray(w0, dtype=float)
    path = [w]
    for t in range(len(lrs)):
        w = w + lrs[t] * np.asarray(grad_fn(w))
        path.append(w)
    return np.array(path)
'''),
    Mistake("gd_with_schedule", "returned only the final w, not every iterate", '''\
def gd_with_schedule(grad_fn, w0, lrs):
    w = np.asarray(w0, dtype=float)
    path = [w]
    for t in range(len(lrs)):
        w = w - lrs[t] * np.asarray(grad_fn(w))
        path.append(w)
    return w
'''),
    Mistake("gd_with_schedule", "gradient computed once at w0 instead of at the current w", '''\
def gd_with_schedule(grad_fn, w0, lrs):
    w = np.asarray(w0, dtype=float)
    path = [w]
    for t in range(len(lrs)):
        w = w - lrs[t] * np.asarray(grad_fn(w0))
        path.append(w)
    return np.array(path)
'''),
    Mistake("gd_with_schedule", INT_PATH, '''\
def gd_with_schedule(grad_fn, w0, lrs):
    path = np.stack([np.asarray(w0)] * (len(lrs) + 1))  # one row per iterate
    w = np.asarray(w0)
    for t, lr in enumerate(lrs):
        w = w - lr * np.asarray(grad_fn(w))
        path[t + 1] = w
    return path
'''),
    Mistake("gd_with_schedule", INT_PATH_STEP, '''\
def gd_with_schedule(grad_fn, w0, lrs):
    path = np.stack([np.asarray(w0)] * (len(lrs) + 1))  # one row per iterate
    for t in range(len(lrs)):
        path[t + 1] = path[t] - lrs[t] * np.asarray(grad_fn(path[t]))
    return path
'''),
    Mistake("gd_with_schedule", "fails on integer input (e.g. an in-place update of an integer array): work on np.array(w0, dtype=float)", '''\
def gd_with_schedule(grad_fn, w0, lrs):
    w = np.array(w0)  # a copy, but an int w0 stays int
    path = [w.copy()]
    for lr in lrs:
        w -= lr * np.asarray(grad_fn(w))
        path.append(w.copy())
    return np.array(path)
''', any_error=True),
    Mistake("gd_with_schedule", LIST_INPUT, '''\
def gd_with_schedule(grad_fn, w0, lrs):
    w = w0 + 0.0  # a float copy of w0
    path = [w]
    for lr in lrs:
        w = w - lr * np.asarray(grad_fn(w))
        path.append(w)
    return np.array(path)
''', any_error=True),
])
