"""The course's losses: values, derivatives and spectra against closed forms and finite differences."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lrcourse.landscapes import (
    Quadratic1D,
    QuadraticND,
    ill_conditioned_2d,
    make_regression,
    theta_minus_3,
    w_squared,
)


def _central_difference(f, x, eps=1e-6):
    x = np.asarray(x, dtype=float)
    out = np.empty_like(x)
    for i in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[i] = eps
        out[i] = (f(x + e) - f(x - e)) / (2 * eps)
    return out


def test_course_examples():
    assert float(w_squared.loss(5.0)) == 25.0
    assert float(w_squared.grad(5.0)) == 10.0
    assert w_squared.hessian() == 2.0
    assert w_squared.minimizer == 0.0
    assert float(theta_minus_3.loss(-1.0)) == 16.0
    assert float(theta_minus_3.grad(-1.0)) == -8.0
    assert theta_minus_3.minimizer == 3.0
    assert repr(w_squared) == "L(w) = w**2"
    assert "theta - 3" in repr(theta_minus_3)


@given(
    a=st.floats(0.01, 10.0),
    b=st.floats(-10.0, 10.0),
    c=st.floats(-10.0, 10.0),
    x=st.floats(-10.0, 10.0),
)
def test_quadratic1d_closed_forms(a, b, c, x):
    L = Quadratic1D(a, b, c)
    assert float(L.loss(x)) == pytest.approx(a * x * x + b * x + c, rel=1e-12, abs=1e-12)
    assert float(L.grad(x)) == pytest.approx(2 * a * x + b, rel=1e-12, abs=1e-12)
    assert L.hessian() == pytest.approx(2 * a)
    assert float(L.grad(L.minimizer)) == pytest.approx(0.0, abs=1e-9)


def test_quadratic1d_vectorised_and_not_mutating():
    x = np.array([-1.0, 0.0, 2.0])
    x.flags.writeable = False
    np.testing.assert_allclose(theta_minus_3.loss(x), (x - 3) ** 2)
    np.testing.assert_allclose(theta_minus_3.grad([-1.0, 0.0, 2.0]), 2 * (x - 3))


def test_quadratic1d_overflow_is_quiet():
    with np.errstate(all="raise"):
        assert not np.isfinite(w_squared.loss(1e200))
        assert np.isinf(w_squared.grad(1e308 * 10.0))


def test_quadratic1d_validation():
    with pytest.raises(ValueError, match="a must be > 0"):
        Quadratic1D(0.0)
    with pytest.raises(ValueError):
        Quadratic1D(-1.0, 0.0, 0.0)
    with pytest.raises(TypeError):
        Quadratic1D("1")


@pytest.mark.parametrize("eigenvalues", [[1.0, 10.0], [0.5, 2.0, 8.0], [3.0]])
def test_quadratic_nd_spectrum(eigenvalues):
    Q = QuadraticND(eigenvalues)
    np.testing.assert_allclose(np.sort(Q.eigenvalues), np.sort(eigenvalues))
    assert Q.lam_min == pytest.approx(min(eigenvalues))
    assert Q.lam_max == pytest.approx(max(eigenvalues))
    assert Q.condition_number == pytest.approx(max(eigenvalues) / min(eigenvalues))
    np.testing.assert_allclose(Q.hessian(), np.diag(eigenvalues))


@given(
    lam=st.lists(st.floats(0.1, 50.0), min_size=2, max_size=2),
    angle=st.floats(-math.pi, math.pi),
    w=st.lists(st.floats(-5.0, 5.0), min_size=2, max_size=2),
)
def test_rotated_quadratic(lam, angle, w):
    Q = QuadraticND(lam, angle=angle)
    c, s = math.cos(angle), math.sin(angle)
    R = np.array([[c, -s], [s, c]])
    A = R @ np.diag(lam) @ R.T
    np.testing.assert_allclose(Q.A, A, atol=1e-12)
    np.testing.assert_allclose(np.sort(Q.eigenvalues), np.sort(lam), rtol=1e-9)
    w = np.array(w)
    assert float(Q.loss(w)) == pytest.approx(0.5 * w @ A @ w, rel=1e-9, abs=1e-12)
    np.testing.assert_allclose(Q.grad(w), A @ w, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(Q.A, Q.A.T)


def test_quadratic_nd_with_linear_term():
    A = np.array([[2.0, 1.0], [1.0, 3.0]])
    b = np.array([1.0, -1.0])
    Q = QuadraticND(A=A, b=b)
    w_star = np.linalg.solve(A, b)
    np.testing.assert_allclose(Q.minimizer, w_star)
    np.testing.assert_allclose(Q.grad(w_star), 0.0, atol=1e-12)
    w = np.array([0.3, -0.7])
    np.testing.assert_allclose(Q.grad(w), _central_difference(Q.loss, w), rtol=1e-6)
    assert float(Q.loss(w)) == pytest.approx(0.5 * w @ A @ w - b @ w)
    # The Hessian is a copy: editing it does not change the landscape.
    H = Q.hessian()
    H[0, 0] = 100.0
    assert Q.A[0, 0] == 2.0


def test_quadratic_nd_loss_on_a_grid():
    Q = ill_conditioned_2d(10.0)
    grid = np.random.default_rng(0).normal(size=(4, 5, 2))
    expected = 0.5 * np.einsum("abi,ij,abj->ab", grid, Q.A, grid)
    np.testing.assert_allclose(Q.loss(grid), expected)


def test_quadratic_nd_validation():
    with pytest.raises(ValueError, match="exactly one"):
        QuadraticND()
    with pytest.raises(ValueError, match="exactly one"):
        QuadraticND([1.0, 2.0], A=np.eye(2))
    with pytest.raises(ValueError, match="positive"):
        QuadraticND([1.0, 0.0])
    with pytest.raises(ValueError, match="positive"):
        QuadraticND([])
    with pytest.raises(ValueError, match="2-D"):
        QuadraticND([1.0, 2.0, 3.0], angle=0.3)
    with pytest.raises(ValueError, match="symmetric"):
        QuadraticND(A=[[1.0, 2.0], [0.0, 1.0]])
    with pytest.raises(ValueError, match="symmetric"):
        QuadraticND(A=np.ones((2, 3)))
    with pytest.raises(ValueError, match="b must have shape"):
        QuadraticND([1.0, 2.0], b=[1.0, 2.0, 3.0])


@pytest.mark.parametrize("kappa", [1.0, 25.0, 1000.0])
def test_ill_conditioned_2d(kappa):
    Q = ill_conditioned_2d(kappa)
    assert Q.condition_number == pytest.approx(kappa)
    assert Q.lam_min == pytest.approx(1.0)
    assert str(kappa).rstrip("0").rstrip(".") in repr(Q)
    if kappa > 1:
        # The default rotation makes the valley diagonal: A has off-diagonal terms.
        assert abs(Q.A[0, 1]) > 1e-6
    with pytest.raises(ValueError):
        ill_conditioned_2d(-1.0)


def test_make_regression():
    data = make_regression(50, 3, noise=0.0, seed=1)
    assert data.X.shape == (50, 3) and data.y.shape == (50,) and data.w_true.shape == (3,)
    np.testing.assert_allclose(data.y, data.X @ data.w_true)
    assert data.loss(data.w_true) == pytest.approx(0.0, abs=1e-20)
    again = make_regression(50, 3, noise=0.0, seed=1)
    np.testing.assert_array_equal(again.X, data.X)
    other = make_regression(50, 3, noise=0.0, seed=2)
    assert not np.array_equal(other.X, data.X)
    assert repr(data) == "regression data (n=50, d=3, seed=1)"


def test_regression_gradient_is_the_mse_derivative():
    data = make_regression(30, 2, noise=0.5, seed=4)
    w = np.array([0.2, -0.4])
    np.testing.assert_allclose(data.grad(w), _central_difference(data.loss, w), rtol=1e-6)
    noisy = make_regression(2000, 2, noise=0.5, seed=4)
    # With noise sigma, the MSE at the true weights is about sigma**2 = 0.25.
    assert noisy.loss(noisy.w_true) == pytest.approx(0.25, rel=0.1)


def test_make_regression_validation():
    with pytest.raises(ValueError):
        make_regression(0, 2)
    with pytest.raises(ValueError):
        make_regression(10, 2, noise=-1.0)
    with pytest.raises(TypeError):
        make_regression(10.5, 2)
