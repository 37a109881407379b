"""The answer key against independent sources.

Every expected value here comes from a closed form, the course text's worked numbers, or
a second formulation written in this file; none is copied from running lrcourse.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from lrcourse import reference as R
from lrcourse.landscapes import QuadraticND, ill_conditioned_2d, make_regression, theta_minus_3, w_squared

# --------------------------------------------------------------------------- L = w**2 from w0 = 5


def test_w_squared_lr_0_1_course_numbers():
    # Each step multiplies w by 1 - 0.1 * 2 = 0.8 (the course's worked path).
    path = R.gradient_descent(w_squared.grad, 5.0, 0.1, 6)
    assert path.shape == (7,)
    np.testing.assert_allclose(path, [5, 4, 3.2, 2.56, 2.048, 1.6384, 1.31072], rtol=1e-12)
    assert float(R.gd_step(5.0, 10.0, 0.1)) == pytest.approx(4.0)


def test_w_squared_lr_0_9_oscillates_and_converges():
    path = R.gradient_descent(lambda w: 2 * w, 5.0, 0.9, 60)
    t = np.arange(61)
    np.testing.assert_allclose(path, 5.0 * (-0.8) ** t, rtol=1e-9, atol=1e-300)
    signs = np.sign(path[:20])
    assert np.all(signs[1:] == -signs[:-1]), "lr 0.9 overshoots: the sign alternates"
    assert np.all(np.abs(path[1:]) < np.abs(path[:-1])), "... but |w| shrinks"
    assert abs(path[-1]) < 1e-4


def test_w_squared_lr_1_bounces_forever():
    path = R.gradient_descent(w_squared.grad, 5.0, 1.0, 6)
    np.testing.assert_array_equal(path, [5, -5, 5, -5, 5, -5, 5])


def test_w_squared_lr_1_1_diverges_quietly(strict_numerics):
    n = 5000
    with strict_numerics():
        path = R.gradient_descent(w_squared.grad, 5.0, 1.1, n)
    assert path.shape == (n + 1,)
    t = np.arange(60)
    np.testing.assert_allclose(np.abs(path[:60]), 5.0 * 1.2**t, rtol=1e-9)
    assert not np.isfinite(path[-1]), "|w| = 5 * 1.2**t overflows long before t = 5000"
    first_bad = int(np.argmax(~np.isfinite(path)))
    # 5 * 1.2**t passes the largest float near t = log(1.8e308 / 5) / log(1.2) ~ 3884.
    assert 3880 <= first_bad <= 3890
    assert not np.any(np.isfinite(path[first_bad:])), "the run keeps going after the overflow"


@pytest.mark.parametrize(
    "lr, regime",
    [(0.1, "monotone"), (0.5, "monotone"), (0.9, "oscillating"), (1.0, "periodic"), (1.1, "diverging")],
)
def test_w_squared_regimes(lr, regime):
    # L'' = 2, so r = 2 lr: monotone up to 1, oscillating below 2, periodic at 2.
    assert R.lr_regime(lr, 2.0) == regime
    assert R.lr_regime(lr, w_squared.hessian()) == regime


@pytest.mark.parametrize("lr", [0.05, 0.3, 0.8])
def test_theta_minus_3_closed_form(lr):
    path = R.gradient_descent(theta_minus_3.grad, -1.0, lr, 15)
    t = np.arange(16)
    np.testing.assert_allclose(path, 3 + (-4.0) * (1 - 2 * lr) ** t, rtol=1e-12, atol=1e-12)


def test_theta_minus_3_critical_lr():
    # The course's threshold lr < 2 / L'' with L'' = 2.
    assert R.critical_lr(2.0) == pytest.approx(1.0)
    assert R.critical_lr(theta_minus_3.hessian()) == pytest.approx(1.0)


# --------------------------------------------------------------------------- diagnosis (course text)


def test_relative_improvements_course_example():
    rel = R.relative_improvements([0.8, 0.5, 0.4, 0.38, 0.37])
    assert rel.shape == (4,)
    np.testing.assert_allclose(rel, [0.375, 0.2, 0.05, 0.0263], atol=5e-5)
    np.testing.assert_allclose(rel, [0.3 / 0.8, 0.1 / 0.5, 0.02 / 0.4, 0.01 / 0.38], rtol=1e-9)


def test_diagnose_course_examples():
    assert R.diagnose([0.8, 0.5, 0.4, 0.38, 0.37]) == "healthy"
    assert R.diagnose([0.8, 1.5, 3.2, 8.7, float("nan")]) == "diverging"
    assert R.diagnose([0.8, 1.5, 3.2, 8.7]) == "diverging"
    assert R.diagnose([1.0, 1.0 + 1e-3, 0.5, 0.6, 0.4, 0.45, 0.3]) == "oscillating"
    assert R.diagnose([1.0, 0.99, 0.98, 0.97]) == "too_slow"
    assert R.diagnose([1.0, float("inf")]) == "diverging"


def test_suggest_lr_course_fix():
    # "Fix: reduce the learning rate significantly (try 0.01 or 0.001)".
    assert R.suggest_lr(1.0, "diverging") == pytest.approx(0.1)
    assert R.suggest_lr(R.suggest_lr(1.0, "diverging"), "diverging") == pytest.approx(0.01)
    assert R.suggest_lr(0.1, "oscillating") == pytest.approx(0.05)
    assert R.suggest_lr(0.1, "too_slow") == pytest.approx(0.2)
    assert R.suggest_lr(0.1, "healthy") == pytest.approx(0.1)


def test_lr_range_test_stops_at_blow_up():
    # On L = w**2 one step multiplies w by (1 - 2 lr); written out by hand here.
    lrs, losses = R.lr_range_test(w_squared.loss, w_squared.grad, 1.0, 0.01, 10.0, 20)
    grid = np.geomspace(0.01, 10.0, 20)
    w, expected, best = 1.0, [], math.inf
    for lr in grid:
        w = w * (1 - 2 * lr)
        expected.append(w * w)
        if not math.isfinite(w * w) or w * w > 4 * best:
            break
        best = min(best, w * w)
    np.testing.assert_allclose(lrs, grid[: len(expected)])
    np.testing.assert_allclose(losses, expected, rtol=1e-9)
    assert len(expected) < 20


def test_suggest_from_range_test_steepest_descent():
    lrs = np.array([1e-3, 1e-2, 1e-1, 1.0, 10.0])
    losses = np.array([1.0, 0.95, 0.5, 0.45, np.inf])
    # Slopes against log(lr): steepest fall between 1e-2 and 1e-1 (central difference at 1e-2 or 1e-1).
    assert R.suggest_from_range_test(lrs, losses) in (1e-2, 1e-1)
    assert float(R.suggest_from_range_test(lrs, losses)) == pytest.approx(1e-2)


# --------------------------------------------------------------------------- closed forms on quadratics

QUADRATICS = [
    QuadraticND([0.5, 2.0, 8.0]),
    QuadraticND([1.0, 10.0]),
    ill_conditioned_2d(25.0),
    QuadraticND([3.0, 3.0]),
]


@pytest.mark.parametrize("Q", QUADRATICS, ids=repr)
def test_gd_threshold_two_over_lambda_max(Q, strict_numerics):
    lam_max = float(np.max(Q.eigenvalues))
    assert R.critical_lr(Q.hessian()) == pytest.approx(2.0 / lam_max, rel=1e-12)
    w0 = np.ones(Q.A.shape[0])
    n = 1500  # |1 - 0.99 * 2| ** 1500 = 0.98 ** 1500 ~ 7e-14; 1.02 ** 1500 ~ 8e12
    with strict_numerics():
        below = R.gradient_descent(Q.grad, w0, 0.99 * 2.0 / lam_max, n)
        above = R.gradient_descent(Q.grad, w0, 1.01 * 2.0 / lam_max, n)
    assert np.linalg.norm(below[-1]) < 1e-8 * np.linalg.norm(w0)
    assert np.linalg.norm(above[-1]) > 1e8 * np.linalg.norm(w0)
    assert R.lr_regime(0.99 * 2.0 / lam_max, Q.hessian()) == "oscillating"
    assert R.lr_regime(1.01 * 2.0 / lam_max, Q.hessian()) == "diverging"


def test_critical_lr_known_matrices():
    # [[2, 1], [1, 2]] has eigenvalues 1 and 3.
    assert R.critical_lr([[2.0, 1.0], [1.0, 2.0]]) == pytest.approx(2.0 / 3.0)
    assert R.critical_lr(np.diag([0.5, 4.0])) == pytest.approx(0.5)
    assert R.critical_lr(0.0) == math.inf
    assert R.critical_lr(np.diag([-1.0, -2.0])) == math.inf


@pytest.mark.parametrize("kappa", [4.0, 25.0, 100.0])
@pytest.mark.parametrize("rotated", [False, True])
def test_gd_optimal_lr_contraction(kappa, rotated):
    Q = ill_conditioned_2d(kappa) if rotated else QuadraticND([1.0, kappa])
    lr = R.optimal_gd_lr(Q.lam_min, Q.lam_max)
    assert lr == pytest.approx(2.0 / (1.0 + kappa))
    path = R.gradient_descent(Q.grad, [1.0, -2.0], lr, 40)
    norms = np.linalg.norm(path, axis=1)
    # Both eigen-directions shrink by exactly (kappa - 1) / (kappa + 1) in size each step.
    np.testing.assert_allclose(norms[1:] / norms[:-1], (kappa - 1) / (kappa + 1), rtol=1e-9)


def test_gd_optimal_lr_contraction_bound_three_eigenvalues():
    Q = QuadraticND([1.0, 4.0, 16.0])
    rho = (16.0 - 1) / (16.0 + 1)
    path = R.gradient_descent(Q.grad, np.ones(3), R.optimal_gd_lr(1.0, 16.0), 60)
    norms = np.linalg.norm(path, axis=1)
    assert np.all(norms[1:] <= rho * norms[:-1] * (1 + 1e-12))
    assert norms[-1] / norms[-2] == pytest.approx(rho, rel=1e-6)


def _heavy_ball_path(Q, theta0, alpha, beta, n):
    theta, v = np.asarray(theta0, dtype=float), np.zeros(np.shape(theta0))
    path = [theta]
    for _ in range(n):
        theta, v = R.heavy_ball_step(theta, v, Q.grad(theta), alpha, beta)
        path.append(theta)
    return np.array(path)


@pytest.mark.parametrize("kappa", [25.0, 100.0])
@pytest.mark.parametrize("make", [ill_conditioned_2d, lambda k: QuadraticND([1.0, 3.0, k])], ids=["2d", "3d"])
def test_heavy_ball_optimal_rate(kappa, make):
    Q = make(kappa)
    s_min, s_max = math.sqrt(Q.lam_min), math.sqrt(Q.lam_max)
    alpha, beta = R.optimal_momentum(Q.lam_min, Q.lam_max)
    assert alpha == pytest.approx(4.0 / (s_min + s_max) ** 2)
    assert beta == pytest.approx(((math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1)) ** 2)
    rho = (math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1)
    path = _heavy_ball_path(Q, np.ones(Q.A.shape[0]), alpha, beta, 300)
    norms = np.linalg.norm(path, axis=1)
    window = np.arange(150, 301)
    rate = math.exp(np.polyfit(window, np.log(norms[window]), 1)[0])
    # The extreme eigenvalues give a repeated root: error ~ t * rho**t, so the fitted rate
    # sits a little above rho (by about exp(1/t)); it must still beat GD's (kappa-1)/(kappa+1).
    assert rho * 0.999 <= rate <= rho * 1.01
    assert rate < (kappa - 1) / (kappa + 1)


# --------------------------------------------------------------------------- schedules: properties

steps = st.integers(min_value=0, max_value=2000)
step_lists = st.lists(steps, min_size=1, max_size=30)
lr0s = st.floats(min_value=1e-4, max_value=10.0)


# "Equal elementwise" allows an ulp: NumPy's power on an array and on a scalar may round differently.
@given(t=step_lists, lr0=lr0s, gamma=st.floats(0.01, 1.0), step_size=st.integers(1, 50))
def test_step_decay_vectorised_positive_nonincreasing(t, lr0, gamma, step_size):
    out = R.step_decay(np.array(t), lr0, gamma, step_size)
    expected = [lr0 * gamma ** (ti // step_size) for ti in t]
    np.testing.assert_allclose(out, expected, rtol=1e-12)
    np.testing.assert_allclose(out, [R.step_decay(ti, lr0, gamma, step_size) for ti in t], rtol=1e-13)
    ts = np.array(sorted(t))
    srt = R.step_decay(ts, lr0, gamma, step_size)
    representable = math.log(lr0) + (ts // step_size) * math.log(gamma) > -700  # else underflows to 0
    assert np.all(srt[representable] > 0) and np.all(srt >= 0) and np.all(np.diff(srt) <= 0)


@given(lr0=lr0s, gamma=st.floats(0.05, 0.95), step_size=st.integers(1, 20))
def test_step_decay_jumps_only_at_multiples(lr0, gamma, step_size):
    t = np.arange(0, 10 * step_size + 3)
    lrs = R.step_decay(t, lr0, gamma, step_size)
    jumps = np.nonzero(lrs[1:] != lrs[:-1])[0] + 1
    np.testing.assert_array_equal(jumps, t[(t % step_size == 0) & (t > 0)])


@given(t=step_lists, lr0=lr0s, k=st.floats(0.0, 0.3))
def test_exponential_and_inverse_time(t, lr0, k):
    arr = np.array(t)
    exp_ = R.exponential_decay(arr, lr0, k)
    inv = R.inverse_time_decay(arr, lr0, k)
    np.testing.assert_allclose(exp_, [lr0 * math.exp(-k * ti) for ti in t], rtol=1e-12)
    np.testing.assert_allclose(inv, [lr0 / (1 + k * ti) for ti in t], rtol=1e-12)
    np.testing.assert_allclose(exp_, [R.exponential_decay(ti, lr0, k) for ti in t], rtol=1e-13)
    np.testing.assert_allclose(inv, [R.inverse_time_decay(ti, lr0, k) for ti in t], rtol=1e-13)
    for f in (R.exponential_decay, R.inverse_time_decay):
        srt = f(np.array(sorted(t)), lr0, k)
        assert np.all(srt > 0) and np.all(np.diff(srt) <= 0)


@given(
    lr_max=st.floats(1e-3, 5.0),
    frac=st.floats(0.0, 1.0),
    T=st.integers(1, 300),
    extra=st.integers(0, 50),
)
def test_cosine_annealing_endpoints_and_shape(lr_max, frac, T, extra):
    lr_min = frac * lr_max
    t = np.arange(T + extra + 1)
    lrs = R.cosine_annealing(t, lr_max, lr_min, T)
    assert lrs[0] == pytest.approx(lr_max, rel=1e-12)
    assert np.all(lrs[T:] == lr_min), "held at lr_min from t = T on"
    assert np.all(np.diff(lrs) <= 1e-15 * lr_max), "non-increasing"
    assert np.all(lrs >= lr_min - 1e-15 * lr_max)
    half = [lr_min + (lr_max - lr_min) * (1 + math.cos(math.pi * min(ti, T) / T)) / 2 for ti in t]
    np.testing.assert_allclose(lrs, half, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(
        lrs[:5], [R.cosine_annealing(int(ti), lr_max, lr_min, T) for ti in t[:5]], rtol=1e-13
    )
    if T % 2 == 0:
        assert lrs[T // 2] == pytest.approx((lr_max + lr_min) / 2, rel=1e-12)


def _sgdr_by_walking(t, lr_max, lr_min, T0, T_mult):
    """SGDR written as a walk through the cycles (a second formulation)."""
    start, length = 0, T0
    while t >= start + length:
        start += length
        length *= T_mult
    return lr_min + 0.5 * (lr_max - lr_min) * (1 + math.cos(math.pi * (t - start) / length))


@given(
    lr_max=st.floats(1e-3, 5.0),
    frac=st.floats(0.0, 0.9),
    T0=st.integers(1, 20),
    T_mult=st.integers(1, 3),
    n=st.integers(1, 300),
)
def test_cosine_warm_restarts(lr_max, frac, T0, T_mult, n):
    lr_min = frac * lr_max
    t = np.arange(n)
    lrs = R.cosine_warm_restarts(t, lr_max, lr_min, T0, T_mult)
    expected = [_sgdr_by_walking(ti, lr_max, lr_min, T0, T_mult) for ti in t]
    np.testing.assert_allclose(lrs, expected, rtol=1e-12, atol=1e-15)
    restarts, start, length = [0], 0, T0
    while start + length < n:
        start += length
        restarts.append(start)
        length *= T_mult
    for r in restarts:
        assert lrs[r] == pytest.approx(lr_max, rel=1e-12), f"restart at t = {r}"
    rises = set((np.nonzero(np.diff(lrs) > 1e-12 * lr_max)[0] + 1).tolist())
    assert rises <= set(restarts), "the rate only goes up at a restart"
    sample = t[:: max(1, n // 7)]
    scalar = [R.cosine_warm_restarts(int(ti), lr_max, lr_min, T0, T_mult) for ti in sample]
    np.testing.assert_allclose(lrs[sample], scalar, rtol=1e-13)


def test_cosine_warm_restarts_default_t_mult_is_one():
    lrs = R.cosine_warm_restarts(np.arange(12), 1.0, 0.0, 4)
    np.testing.assert_allclose(lrs[[0, 4, 8]], 1.0)
    np.testing.assert_allclose(lrs[[2, 6, 10]], 0.5, atol=1e-15)


def test_gd_with_schedule_constant_equals_gradient_descent_closed_form():
    path = R.gd_with_schedule(theta_minus_3.grad, -1.0, [0.3] * 15)
    np.testing.assert_allclose(path, 3 - 4 * 0.4 ** np.arange(16), rtol=1e-12)
    path = R.gd_with_schedule(w_squared.grad, 5.0, [0.1, 0.25, 0.5])
    np.testing.assert_allclose(path, [5.0, 4.0, 2.0, 0.0], atol=1e-15)
    assert R.gd_with_schedule(w_squared.grad, np.ones((2, 3)), []).shape == (1, 2, 3)


# --------------------------------------------------------------------------- momentum properties

small_floats = st.floats(-5.0, 5.0)


@given(
    theta0=st.lists(small_floats, min_size=1, max_size=4),
    lr=st.floats(0.01, 0.5),
    beta=st.floats(0.0, 0.95),
    n=st.integers(0, 40),
)
def test_ema_momentum_is_heavy_ball_with_scaled_lr(theta0, lr, beta, n):
    Q = QuadraticND(np.linspace(0.5, 3.0, len(theta0)))
    ema = R.run_momentum(Q.grad, theta0, lr, beta, n)
    hb = _heavy_ball_path(Q, theta0, lr * (1 - beta), beta, n)
    assert ema.shape == (n + 1, len(theta0))
    np.testing.assert_allclose(ema, hb, rtol=1e-9, atol=1e-12)


@given(theta=small_floats, v=small_floats, g=small_floats, lr=st.floats(0.01, 1.0), beta=st.floats(0.0, 0.99))
def test_momentum_steps_match_their_formulas(theta, v, g, lr, beta):
    th_e, v_e = R.momentum_step(theta, v, g, lr, beta)
    assert float(v_e) == pytest.approx(beta * v + (1 - beta) * g, abs=1e-12)
    assert float(th_e) == pytest.approx(theta - lr * (beta * v + (1 - beta) * g), abs=1e-12)
    th_h, v_h = R.heavy_ball_step(theta, v, g, lr, beta)
    assert float(v_h) == pytest.approx(beta * v + g, abs=1e-12)
    assert float(th_h) == pytest.approx(theta - lr * (beta * v + g), abs=1e-12)


def test_run_momentum_beta_zero_is_gd():
    np.testing.assert_allclose(
        R.run_momentum(theta_minus_3.grad, -1.0, 0.3, 0.0, 15), 3 - 4 * 0.4 ** np.arange(16), rtol=1e-12
    )


@given(n=st.integers(2, 30), d=st.integers(1, 4), seed=st.integers(0, 2**32 - 1), epochs=st.integers(0, 6))
def test_minibatch_full_batch_is_gradient_descent(n, d, seed, epochs):
    data = make_regression(n, d, noise=0.3, seed=seed % 1000)
    X, y = data.X, data.y
    lr = 0.5 / max(1.0, float(np.linalg.eigvalsh(2 / n * X.T @ X)[-1]))
    w = np.zeros(d)
    losses = [np.mean((X @ w - y) ** 2)]
    for _ in range(epochs):
        w = w - lr * (2.0 / n) * X.T @ (X @ w - y)
        losses.append(np.mean((X @ w - y) ** 2))
    w_got, losses_got = R.minibatch_sgd(X, y, np.zeros(d), lr, n, epochs, seed)
    np.testing.assert_allclose(w_got, w, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(losses_got, losses, rtol=1e-9, atol=1e-12)


def test_minibatch_sgd_follows_its_contract():
    data = make_regression(7, 2, seed=3)
    X, y = data.X, data.y
    rng = np.random.default_rng(11)
    w, losses = np.array([0.5, -0.5]), []
    losses.append(np.mean((X @ w - y) ** 2))
    for _ in range(3):
        perm = rng.permutation(7)
        for i in range(0, 7, 3):  # batches of 3, 3 and 1
            b = perm[i:i + 3]
            w = w - 0.05 * 2 / len(b) * X[b].T @ (X[b] @ w - y[b])
        losses.append(np.mean((X @ w - y) ** 2))
    w_got, losses_got = R.minibatch_sgd(X, y, [0.5, -0.5], 0.05, 3, 3, 11)
    np.testing.assert_allclose(w_got, w, rtol=1e-12)
    np.testing.assert_allclose(losses_got, losses, rtol=1e-12)


def test_mse_grad_finite_differences():
    data = make_regression(20, 3, seed=5)
    w = np.array([0.3, -1.0, 2.0])
    eps = 1e-6
    fd = [
        (np.mean((data.X @ (w + eps * e) - data.y) ** 2) - np.mean((data.X @ (w - eps * e) - data.y) ** 2))
        / (2 * eps)
        for e in np.eye(3)
    ]
    np.testing.assert_allclose(R.mse_grad(w, data.X, data.y), fd, rtol=1e-6)


# --------------------------------------------------------------------------- steps_to_tolerance


def _brute_steps(lr, curvature, distance0, tol, cap=200_000):
    q = abs(1 - lr * curvature)
    k = 0
    while q**k * distance0 > tol:
        k += 1
        if k > cap:
            return math.inf
    return k


@given(
    lr=st.floats(1e-3, 2.0),
    curvature=st.floats(0.1, 10.0),
    distance0=st.floats(0.0, 100.0),
    tol=st.floats(1e-9, 10.0),
)
def test_steps_to_tolerance_brute_force(lr, curvature, distance0, tol):
    q = abs(1 - lr * curvature)
    assume(q < 0.999 or q >= 1 or distance0 <= tol)
    got = R.steps_to_tolerance(lr, curvature, distance0, tol)
    if distance0 > tol and q >= 1:
        assert got == math.inf
    else:
        assert got == _brute_steps(lr, curvature, distance0, tol)
        assert isinstance(got, int)


@pytest.mark.parametrize("lr, tol", [(0.05, 1e-3), (0.3, 1e-6), (0.8, 1e-6), (0.1, 0.37)])
def test_steps_to_tolerance_matches_running_gd(lr, tol):
    # Iterate the actual distance |theta_t - 3| for (theta - 3)**2 from theta0 = -1.
    k = R.steps_to_tolerance(lr, 2.0, 4.0, tol)
    path = R.gradient_descent(theta_minus_3.grad, -1.0, lr, k + 2)
    dist = np.abs(path - 3.0)
    assert dist[k] <= tol * (1 + 1e-9)
    assert k == 0 or dist[k - 1] > tol


def test_steps_to_tolerance_special_cases():
    assert R.steps_to_tolerance(0.1, 2.0, 5.0, 1.0) == 8  # 5 * 0.8**8 = 0.84 <= 1 < 5 * 0.8**7 = 1.05
    assert R.steps_to_tolerance(0.5, 2.0, 4.0, 1e-6) == 1  # lr = 1 / L'': one step lands on the minimum
    assert R.steps_to_tolerance(0.1, 2.0, 0.5, 1.0) == 0
    assert R.steps_to_tolerance(1.0, 2.0, 5.0, 1.0) == math.inf
    assert R.steps_to_tolerance(1.2, 2.0, 5.0, 1.0) == math.inf
    assert R.steps_to_tolerance(0.8, 2.0, 4.0, 1e-6) == R.steps_to_tolerance(0.2, 2.0, 4.0, 1e-6)


# --------------------------------------------------------------------------- no function mutates its inputs


def _frozen(*shape, seed=0):
    arr = np.random.default_rng(seed).normal(size=shape)
    arr.flags.writeable = False  # any in-place write raises
    return arr


def _check_untouched(fn, *args):
    copies = [np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in args]
    lists = [a for a in args if isinstance(a, list)]
    list_copies = [list(a) for a in lists]
    fn(*args)
    for a, c in zip(args, copies, strict=True):
        if isinstance(a, np.ndarray):
            np.testing.assert_array_equal(a, c)
    for a, c in zip(lists, list_copies, strict=True):
        assert a == c


def test_no_function_mutates_its_inputs():
    w, g = _frozen(3, seed=1), _frozen(3, seed=2)
    Q = QuadraticND([1.0, 2.0, 4.0])
    X, y = _frozen(8, 3, seed=3), _frozen(8, seed=4)
    t = np.arange(10)
    t.flags.writeable = False
    lrs = np.full(5, 0.1)
    lrs.flags.writeable = False
    H = Q.hessian()
    H.flags.writeable = False
    losses = np.array([1.0, 0.5, 0.6, 0.3])
    losses.flags.writeable = False
    calls = [
        (R.gd_step, w, g, 0.1),
        (R.gd_step, [1.0, 2.0], [0.5, 0.5], 0.1),
        (R.gradient_descent, Q.grad, w, 0.1, 5),
        (R.critical_lr, H),
        (R.lr_regime, 0.1, H),
        (R.step_decay, t, 0.1, 0.5, 3),
        (R.exponential_decay, t, 0.1, 0.1),
        (R.inverse_time_decay, t, 0.1, 0.1),
        (R.cosine_annealing, t, 0.1, 0.0, 5),
        (R.cosine_warm_restarts, t, 0.1, 0.0, 3, 2),
        (R.gd_with_schedule, Q.grad, w, lrs),
        (R.momentum_step, w, g, g, 0.1, 0.9),
        (R.heavy_ball_step, w, g, g, 0.1, 0.9),
        (R.run_momentum, Q.grad, w, 0.1, 0.9, 5),
        (R.mse_grad, w, X, y),
        (R.minibatch_sgd, X, y, w, 0.05, 3, 2, 0),
        (R.relative_improvements, losses),
        (R.diagnose, losses),
        (R.diagnose, [1.0, 0.5]),
        (R.lr_range_test, Q.loss, Q.grad, w, 1e-3, 1.0, 10),
        (R.suggest_from_range_test, lrs * np.arange(1, 6), losses[:4].tolist() + [0.2]),
    ]
    for fn, *args in calls:
        _check_untouched(fn, *args)


def test_results_are_not_views_of_inputs():
    w = np.array([1.0, 2.0])
    path = R.gradient_descent(w_squared.grad, w, 0.1, 2)
    path[0, 0] = 99.0
    assert w[0] == 1.0
    theta, _ = R.momentum_step(w, w, w, 0.1, 0.0)
    theta[...] = 0.0
    assert w[0] == 1.0


# --------------------------------------------------------------------------- validation


SCHEDULES = [
    (R.step_decay, (0.1, 0.5, 10)),
    (R.exponential_decay, (0.1, 0.05)),
    (R.inverse_time_decay, (0.1, 0.05)),
    (R.cosine_annealing, (0.1, 0.0, 10)),
    (R.cosine_warm_restarts, (0.1, 0.0, 5, 2)),
]


@pytest.mark.parametrize("fn, rest", SCHEDULES, ids=lambda x: getattr(x, "__name__", ""))
def test_schedules_reject_bad_t(fn, rest):
    with pytest.raises(ValueError, match="t must be >= 0"):
        fn(-1, *rest)
    with pytest.raises(ValueError, match="t must be >= 0"):
        fn(np.array([0, 3, -2]), *rest)
    with pytest.raises(TypeError, match="whole step"):
        fn(2.5, *rest)
    with pytest.raises(TypeError):
        fn("3", *rest)
    # Integral floats name a step unambiguously.
    assert float(fn(3.0, *rest)) == float(fn(3, *rest))


@pytest.mark.parametrize(
    "call",
    [
        lambda lr: R.gd_step(1.0, 1.0, lr),
        lambda lr: R.gradient_descent(w_squared.grad, 1.0, lr, 3),
        lambda lr: R.lr_regime(lr, 2.0),
        lambda lr: R.steps_to_tolerance(lr, 2.0, 1.0, 0.1),
        lambda lr: R.momentum_step(1.0, 0.0, 1.0, lr, 0.9),
        lambda lr: R.heavy_ball_step(1.0, 0.0, 1.0, lr, 0.9),
        lambda lr: R.run_momentum(w_squared.grad, 1.0, lr, 0.9, 3),
        lambda lr: R.minibatch_sgd([[1.0]], [1.0], [0.0], lr, 1, 1, 0),
        lambda lr: R.suggest_lr(lr, "healthy"),
        lambda lr: R.step_decay(0, lr, 0.5, 1),
    ],
)
@pytest.mark.parametrize("lr", [0.0, -0.1, float("nan")])
def test_non_positive_lr_rejected(call, lr):
    with pytest.raises(ValueError, match="lr"):
        call(lr)


def test_lr_type_errors():
    with pytest.raises(TypeError, match="lr must be a real number"):
        R.gd_step(1.0, 1.0, "0.1")
    with pytest.raises(TypeError, match="lr must be a single number"):
        R.gd_step(1.0, 1.0, np.array([0.1, 0.2]))
    with pytest.raises(TypeError, match="bool"):
        R.gradient_descent(w_squared.grad, 1.0, 0.1, True)
    with pytest.raises(TypeError, match="n_steps"):
        R.gradient_descent(w_squared.grad, 1.0, 0.1, 2.5)
    with pytest.raises(ValueError, match="n_steps"):
        R.gradient_descent(w_squared.grad, 1.0, 0.1, -1)
    with pytest.raises(TypeError, match="callable"):
        R.gradient_descent(None, 1.0, 0.1, 3)


@pytest.mark.parametrize(
    "hessian, words",
    [
        ([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], "square"),
        (np.ones((2, 2, 2)), "square"),
        (np.zeros((0, 0)), "square"),
        ([1.0, 2.0], "square"),
        ([[1.0, 2.0], [0.0, 1.0]], "symmetric"),
        ([[np.nan]], "finite"),
        ([[np.inf, 0.0], [0.0, 1.0]], "finite"),
    ],
)
def test_bad_hessians(hessian, words):
    for fn in (R.critical_lr, lambda h: R.lr_regime(0.1, h)):
        with pytest.raises(ValueError, match=words):
            fn(hessian)


def test_mismatched_shapes():
    with pytest.raises(ValueError, match="shape"):
        R.gd_step([1.0, 2.0], [1.0, 2.0, 3.0], 0.1)
    with pytest.raises(ValueError, match="shape"):
        R.momentum_step([1.0, 2.0], [0.0, 0.0, 0.0], [1.0, 1.0], 0.1, 0.9)
    with pytest.raises(ValueError, match="shape"):
        R.heavy_ball_step([1.0, 2.0], [0.0, 0.0], [1.0], 0.1, 0.9)
    with pytest.raises(ValueError, match="y must have shape"):
        R.mse_grad([0.0, 0.0], np.ones((3, 2)), np.ones(4))
    with pytest.raises(ValueError, match="w must have shape"):
        R.mse_grad([0.0], np.ones((3, 2)), np.ones(3))
    with pytest.raises(ValueError, match="2-D"):
        R.minibatch_sgd(np.ones(3), np.ones(3), [0.0], 0.1, 1, 1, 0)
    with pytest.raises(ValueError, match="equal length"):
        R.suggest_from_range_test([0.1, 1.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="1-D"):
        R.gd_with_schedule(w_squared.grad, 1.0, [[0.1, 0.2]])


@pytest.mark.parametrize("losses", [[], [0.5], np.array([1.0])])
def test_fewer_than_two_losses(losses):
    with pytest.raises(ValueError, match="at least 2 losses"):
        R.diagnose(losses)
    with pytest.raises(ValueError, match="at least 2 losses"):
        R.relative_improvements(losses)


def test_other_diagnosis_inputs():
    with pytest.raises(ValueError, match="positive"):
        R.relative_improvements([1.0, 0.0, -1.0])
    with pytest.raises(ValueError, match="finite"):
        R.relative_improvements([1.0, np.nan])
    with pytest.raises(ValueError, match="1-D"):
        R.diagnose([[1.0, 0.5]])
    with pytest.raises(ValueError, match="at least 2 finite"):
        R.suggest_from_range_test([0.1, 1.0, 10.0], [1.0, np.nan, np.inf])


@pytest.mark.parametrize("diagnosis", ["exploding", "Healthy", "", None, 3])
def test_unknown_diagnosis(diagnosis):
    with pytest.raises(ValueError, match="unknown diagnosis"):
        R.suggest_lr(0.1, diagnosis)


def test_other_parameter_validation():
    with pytest.raises(ValueError, match="beta must be < 1"):
        R.momentum_step(1.0, 0.0, 1.0, 0.1, 1.0)
    with pytest.raises(ValueError, match="beta"):
        R.run_momentum(w_squared.grad, 1.0, 0.1, -0.1, 3)
    with pytest.raises(ValueError, match="lam_min"):
        R.optimal_momentum(4.0, 1.0)
    assert R.optimal_gd_lr(0.0, 1.0) == 2.0  # SPEC's 2 / (lam_min + lam_max) at lam_min = 0 (convex valley)
    with pytest.raises(ValueError, match="lam_min"):
        R.optimal_gd_lr(-1.0, 1.0)
    with pytest.raises(ValueError, match="lr_min"):
        R.cosine_annealing(0, 0.1, 0.2, 10)
    with pytest.raises(ValueError, match="T must be >= 1"):
        R.cosine_annealing(0, 0.1, 0.0, 0)
    with pytest.raises(ValueError, match="step_size"):
        R.step_decay(0, 0.1, 0.5, 0)
    with pytest.raises(TypeError, match="T_mult"):
        R.cosine_warm_restarts(0, 0.1, 0.0, 5, 1.5)
    with pytest.raises(ValueError, match="tol"):
        R.steps_to_tolerance(0.1, 2.0, 1.0, 0.0)
    with pytest.raises(ValueError, match="distance0"):
        R.steps_to_tolerance(0.1, 2.0, -1.0, 0.1)
    with pytest.raises(ValueError, match="curvature"):
        R.steps_to_tolerance(0.1, 0.0, 1.0, 0.1)
    with pytest.raises(ValueError, match="lrs must be finite"):
        R.gd_with_schedule(w_squared.grad, 1.0, [0.1, np.nan])
    with pytest.raises(ValueError, match="n_steps"):
        R.lr_range_test(w_squared.loss, w_squared.grad, 1.0, 0.1, 1.0, 0)
    with pytest.raises(TypeError, match="w0"):
        R.gradient_descent(w_squared.grad, "5", 0.1, 3)


def test_reference_exports_every_spec_function():
    for names in R.ASSIGNMENTS.values():
        for name in names:
            assert callable(getattr(R, name)), name
    assert list(R.ASSIGNMENTS) == ["ps1_update_rule", "ps2_schedules", "ps3_momentum", "ps4_diagnosis", "ps5_adaptive"]
    # __all__ lists exactly the SPEC functions (a static list must stay in sync with ASSIGNMENTS).
    spec = [name for names in R.ASSIGNMENTS.values() for name in names]
    assert sorted(R.__all__) == sorted([*spec, "ASSIGNMENTS"])
