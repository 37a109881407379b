"""The losses the course uses, each with its value, gradient and Hessian.

Every landscape is a small immutable object whose ``loss``, ``grad`` and ``hessian``
methods accept numbers, lists or arrays and never modify them. Their ``repr`` is short
and readable, because failing hidden tests print the case they ran. The formulas live in
:mod:`lrcourse.record`, so a case's ``loss`` or ``grad`` rebuilt inside a student's kernel
from :meth:`payload` computes exactly the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import record
from ._validation import as_float_array, check_int, check_real

__all__ = [
    "LinearRegressionData",
    "Quadratic1D",
    "QuadraticND",
    "ill_conditioned_2d",
    "make_regression",
    "theta_minus_3",
    "w_squared",
]


@dataclass(frozen=True)
class Quadratic1D:
    """The 1-D quadratic ``L(theta) = a * theta**2 + b * theta + c`` with ``a > 0``.

    Its curvature is ``L'' = 2a``, so gradient descent is stable for ``lr < 1 / a``.

    Examples
    --------
    >>> L = Quadratic1D(1.0, -6.0, 9.0)   # (theta - 3)**2
    >>> float(L.loss(-1.0)), float(L.grad(-1.0)), L.hessian(), L.minimizer
    (16.0, -8.0, 2.0, 3.0)
    """

    a: float
    b: float = 0.0
    c: float = 0.0
    name: str = field(default="", compare=False)

    def __post_init__(self):
        check_real(self.a, "a", positive=True)

    def loss(self, theta):
        return record.quadratic1d_loss(self.a, self.b, self.c, theta)

    def grad(self, theta):
        return record.quadratic1d_grad(self.a, self.b, theta)

    def payload(self):
        """``(kind, params)``: what :class:`lrcourse.record.Landscape` rebuilds this from."""
        return "quadratic1d", {"a": float(self.a), "b": float(self.b), "c": float(self.c)}

    def hessian(self, theta=None):
        return 2.0 * self.a

    @property
    def minimizer(self):
        return -self.b / (2.0 * self.a)

    def __repr__(self):
        return self.name or f"Quadratic1D(a={self.a}, b={self.b}, c={self.c})"


#: L(w) = w**2, the course's first example (w0 = 5).
w_squared = Quadratic1D(1.0, 0.0, 0.0, name="L(w) = w**2")
#: L(theta) = (theta - 3)**2, the course's second example (theta0 = -1).
theta_minus_3 = Quadratic1D(1.0, -6.0, 9.0, name="L(theta) = (theta - 3)**2")


class QuadraticND:
    """``L(w) = 0.5 * w' A w - b' w`` with ``A`` symmetric positive definite.

    Built from chosen eigenvalues (so the condition number is known exactly) and a
    rotation angle in 2-D, or from an explicit matrix.

    Parameters
    ----------
    eigenvalues : array_like, optional
        Eigenvalues of ``A`` (all > 0).
    angle : float, default 0
        Rotation of the eigenbasis (2-D only), in radians.
    A : array_like, optional
        An explicit symmetric matrix, instead of ``eigenvalues``.
    b : array_like, optional
        Linear term; zeros by default, so the minimiser is the origin.

    Examples
    --------
    >>> Q = QuadraticND([1.0, 10.0])
    >>> Q.condition_number, Q.grad([1.0, 1.0])
    (10.0, array([ 1., 10.]))
    """

    def __init__(self, eigenvalues=None, angle=0.0, A=None, b=None, name=""):
        if (eigenvalues is None) == (A is None):
            raise ValueError("give exactly one of eigenvalues or A")
        if A is None:
            lam = as_float_array(eigenvalues, "eigenvalues")
            if lam.ndim != 1 or lam.size == 0 or np.any(lam <= 0):
                raise ValueError("eigenvalues must be a non-empty 1-D array of positive numbers")
            Q = np.eye(lam.size)
            if angle:
                if lam.size != 2:
                    raise ValueError("angle is only defined in 2-D")
                c, s = np.cos(angle), np.sin(angle)
                Q = np.array([[c, -s], [s, c]])
            A = Q @ np.diag(lam) @ Q.T
        A = as_float_array(A, "A")
        if A.ndim != 2 or A.shape[0] != A.shape[1] or not np.allclose(A, A.T):
            raise ValueError("A must be a symmetric square matrix")
        self.A = (A + A.T) / 2
        self.b = np.zeros(A.shape[0]) if b is None else as_float_array(b, "b")
        if self.b.shape != (A.shape[0],):
            raise ValueError(f"b must have shape ({A.shape[0]},)")
        self.eigenvalues = np.linalg.eigvalsh(self.A)
        self.name = name

    @property
    def lam_min(self):
        return float(self.eigenvalues[0])

    @property
    def lam_max(self):
        return float(self.eigenvalues[-1])

    @property
    def condition_number(self):
        return self.lam_max / self.lam_min

    @property
    def minimizer(self):
        return np.linalg.solve(self.A, self.b)

    def loss(self, w):
        return record.quadratic_nd_loss(self.A, self.b, w)

    def grad(self, w):
        return record.quadratic_nd_grad(self.A, self.b, w)

    def payload(self):
        """``(kind, params)``: what :class:`lrcourse.record.Landscape` rebuilds this from."""
        return "quadratic_nd", {"A": self.A.tolist(), "b": self.b.tolist()}

    def hessian(self, w=None):
        return self.A.copy()

    def __repr__(self):
        if self.name:
            return self.name
        lam = ", ".join(f"{v:g}" for v in self.eigenvalues)
        return f"QuadraticND(eigenvalues=[{lam}])"


def ill_conditioned_2d(kappa=25.0, angle=np.pi / 6):
    """A rotated 2-D quadratic with eigenvalues 1 and ``kappa``: a long narrow valley.

    Examples
    --------
    >>> round(ill_conditioned_2d(25.0).condition_number, 6)
    25.0
    """
    kappa = check_real(kappa, "kappa", positive=True)
    return QuadraticND([1.0, kappa], angle=angle, name=f"2-D valley, kappa = {kappa:g}")


@dataclass(frozen=True, repr=False)
class LinearRegressionData:
    """A seeded linear-regression data set ``y = X @ w_true + noise``."""

    X: np.ndarray
    y: np.ndarray
    w_true: np.ndarray
    seed: int

    def loss(self, w):
        """Full-data mean squared error."""
        return record.regression_loss(self.X, self.y, w)

    def grad(self, w):
        """Gradient of the mean squared error."""
        return record.regression_grad(self.X, self.y, w)

    def payload(self):
        """``(kind, params)``: what :class:`lrcourse.record.Landscape` rebuilds this from."""
        return "regression", {"X": self.X.tolist(), "y": self.y.tolist()}

    def __repr__(self):
        n, d = self.X.shape
        return f"regression data (n={n}, d={d}, seed={self.seed})"


def make_regression(n_samples=100, n_features=2, noise=0.1, seed=0):
    """A seeded linear-regression data set.

    Examples
    --------
    >>> data = make_regression(50, 3, seed=1)
    >>> data.X.shape, data.y.shape
    ((50, 3), (50,))
    """
    n_samples = check_int(n_samples, "n_samples", minimum=1)
    n_features = check_int(n_features, "n_features", minimum=1)
    noise = check_real(noise, "noise", nonnegative=True)
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_samples, n_features))
    w_true = rng.normal(size=n_features)
    y = X @ w_true + noise * rng.normal(size=n_samples)
    return LinearRegressionData(X, y, w_true, seed)
