"""ps5_adaptive: AdaGrad, RMSprop, Adam and warmup_cosine against independent sources.

Expected values come from PyTorch's documented update equations (torch.optim.Adagrad,
RMSprop and Adam, default options) worked by hand for two steps, from closed forms and from
identities between the methods; none is copied from running lrcourse. The rest checks the
hidden cases (every registered mistake is caught and named, draws stay valid for 200 seeds),
the demo cohort's variants, the hand-graded cells, and the numbers the notebook's prose quotes
(against the executed source notebook).
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lrcourse import reference as R
from lrcourse.cases import CASES, aspects, get_cases
from lrcourse.grading import check, compare, serialize
from lrcourse.landscapes import QuadraticND, ill_conditioned_2d, w_squared
from lrcourse.mistakes import MISTAKES

#: (label, wrong function) pairs of the registered mistakes, by function
WRONG_FUNCTIONS = {name: [(m.label, m.wrong) for m in ms] for name, ms in MISTAKES.items()}


ROOT = Path(__file__).resolve().parent.parent
PS5 = R.ASSIGNMENTS["ps5_adaptive"]
SOURCE = ROOT / "source" / "ps5_adaptive" / "adaptive.ipynb"
RELEASE = ROOT / "release" / "ps5_adaptive" / "adaptive.ipynb"


# --------------------------------------------------------------------------- PyTorch's equations, two steps by hand


def test_adagrad_two_steps_match_pytorch_by_hand():
    # torch.optim.Adagrad (lr_decay=0, initial_accumulator_value=0): state_sum += g**2;
    # param -= lr * g / (sqrt(state_sum) + eps). theta0 = 1, gradients 2 then 1, lr = 0.1.
    # step 1: state_sum = 4,  theta = 1 - 0.1 * 2 / (2 + 1e-8)               = 0.9000000005
    # step 2: state_sum = 5,  theta = 0.9000000005 - 0.1 / (2.2360679775 + 1e-8) = 0.85527864115
    theta, G = R.adagrad_step(1.0, 0.0, 2.0, 0.1)
    assert float(G) == 4.0
    assert float(theta) == pytest.approx(0.9000000005, rel=1e-12)
    theta, G = R.adagrad_step(theta, G, 1.0, 0.1)
    assert float(G) == 5.0
    assert float(theta) == pytest.approx(0.85527864115, rel=1e-10)


def test_rmsprop_two_steps_match_pytorch_by_hand():
    # torch.optim.RMSprop(alpha=0.9) (centered=False, momentum=0): square_avg = alpha * sa + (1 - alpha) * g**2;
    # param -= lr * g / (sqrt(square_avg) + eps). theta0 = 1, gradients 2 then -1, lr = 0.01.
    # step 1: sa = 0.1 * 4 = 0.4,  theta = 1 - 0.02 / (0.63245553203 + 1e-8) = 1 - 0.03162277610 = 0.96837722390
    # step 2: sa = 0.9 * 0.4 + 0.1 * 1 = 0.46,
    #         theta = 0.96837722390 + 0.01 / (0.67823299831 + 1e-8) = 0.96837722390 + 0.01474419540 = 0.98312141930
    theta, s = R.rmsprop_step(1.0, 0.0, 2.0, 0.01, beta=0.9)
    assert float(s) == pytest.approx(0.4, rel=1e-15)
    assert float(theta) == pytest.approx(0.96837722390, rel=1e-10)
    theta, s = R.rmsprop_step(theta, s, -1.0, 0.01, beta=0.9)
    assert float(s) == pytest.approx(0.46, rel=1e-15)
    assert float(theta) == pytest.approx(0.98312141930, rel=1e-10)


def test_adam_two_steps_match_pytorch_by_hand():
    # torch.optim.Adam (amsgrad=False), step counter k = t + 1:
    # m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g**2, denom = sqrt(v) / sqrt(1 - b2**k) + eps,
    # param -= lr / (1 - b1**k) * m / denom. theta0 = 0.5, gradients -4 then 1, lr = 0.01.
    # k = 1: m = -0.4, v = 0.016, denom = 0.12649 / 0.031623 + 1e-8 = 4 + 1e-8,
    #        theta = 0.5 - 0.1 * (-0.4) / 4 = 0.51 (less 2.5e-11 from eps)
    # k = 2: m = -0.36 + 0.1 = -0.26, v = 0.015984 + 0.001 = 0.016984, 1 - b1**2 = 0.19, 1 - b2**2 = 0.001999,
    #        v / 0.001999 = 8.4962481, sqrt = 2.9148324, theta = 0.51 + (0.01 / 0.19) * 0.26 / 2.9148324 = 0.51469468
    theta, m, v = R.adam_step(0.5, 0.0, 0.0, -4.0, 0, lr=0.01)
    assert (float(m), float(v)) == pytest.approx((-0.4, 0.016), rel=1e-12)
    assert float(theta) == pytest.approx(0.509999999975, rel=1e-12)
    theta, m, v = R.adam_step(theta, m, v, 1.0, 1, lr=0.01)
    assert (float(m), float(v)) == pytest.approx((-0.26, 0.016984), rel=1e-12)
    assert float(theta) == pytest.approx(0.51469468167, rel=1e-9)


def test_notebook_worked_examples():
    # The notebook's Adam example: 1 -> 0.9 (m 0.2, v 0.004), then t = 1 with gradient 1:
    # m = 0.28, v = 0.004996, theta = 0.9 - 0.1 * (0.28 / 0.19) / sqrt(0.004996 / 0.001999) = 0.80678204
    theta, m, v = R.adam_step(0.9, 0.2, 0.004, 1.0, 1, lr=0.1)
    assert float(theta) == pytest.approx(0.80678204, rel=1e-7)
    # warmup 1/3, 2/3, 1, then cosine over 3 steps: (1 + cos(pi/3)) / 2 = 0.75, (1 + cos(2 pi/3)) / 2 = 0.25, 0, 0
    np.testing.assert_allclose(R.warmup_cosine(np.arange(8), 1.0, 0.0, 3, 6), [1 / 3, 2 / 3, 1, 1, 0.75, 0.25, 0, 0],
                               atol=1e-15)
    # run_adam on w**2 from 1, lr = 0.25: a first step of 0.25, then m = 0.33, v = 0.006246,
    # 0.25 * (0.33 / 0.19) / sqrt(0.006246 / 0.001999) = 0.245644 -> 0.504356
    np.testing.assert_allclose(R.run_adam(w_squared.grad, 1.0, 0.25, 2), [1.0, 0.75, 0.504356], atol=2e-6)


# --------------------------------------------------------------------------- closed forms and identities

_scale = st.floats(-6, 6).map(lambda e: 10.0**e)


@given(g=_scale, sign=st.sampled_from([-1.0, 1.0]), lr=st.floats(1e-4, 1.0), theta=st.floats(-5, 5))
def test_adam_first_step_is_lr_times_sign_for_any_scale(g, sign, lr, theta):
    # t = 0 from m = v = 0: m_hat = g, v_hat = g**2, so the step is lr * g / (|g| + eps).
    grad = sign * g
    theta_new, m, v = R.adam_step(theta, 0.0, 0.0, grad, 0, lr=lr)
    assert float(theta_new) == pytest.approx(theta - lr * sign * g / (g + 1e-8), rel=1e-12, abs=1e-14)
    assert abs(float(theta_new) - theta) == pytest.approx(lr, rel=1e-2)


def test_adam_first_step_array_of_scales():
    grad = np.array([1e-3, -0.1, 10.0, -1e3, 1e5])
    theta_new, _, _ = R.adam_step(np.zeros(5), np.zeros(5), np.zeros(5), grad, 0, lr=0.01)
    np.testing.assert_allclose(theta_new, -0.01 * np.sign(grad), rtol=1e-4)
    # at |g| = eps the step is half of lr; far below it the step is lr * |g| / eps (GD-like)
    assert abs(float(R.adam_step(0.0, 0.0, 0.0, 1e-8, 0, lr=1.0)[0])) == pytest.approx(0.5, rel=1e-12)
    assert abs(float(R.adam_step(0.0, 0.0, 0.0, 1e-12, 0, lr=1.0)[0])) == pytest.approx(1e-4, rel=1e-3)


@given(g=_scale, sign=st.sampled_from([-1.0, 1.0]), lr=st.floats(1e-4, 1.0), s=st.floats(0, 100))
def test_rmsprop_with_beta_zero_is_a_sign_step(g, sign, lr, s):
    # beta = 0: s_new = g**2 whatever s was, so theta - lr * g / (|g| + eps).
    theta_new, s_new = R.rmsprop_step(1.0, s, sign * g, lr, beta=0.0)
    assert float(s_new) == pytest.approx(g * g, rel=1e-15)
    assert float(theta_new) == pytest.approx(1.0 - lr * sign * g / (g + 1e-8), rel=1e-12)


@given(g=st.floats(0.01, 100), k=st.integers(1, 60), lr=st.floats(0.001, 1.0))
def test_adagrad_after_k_equal_gradients(g, k, lr):
    # G after k equal gradients is k * g**2 and the k-th step is lr * g / (sqrt(k) * g + eps) ~ lr / sqrt(k).
    theta, G, steps = 0.0, 0.0, []
    for _ in range(k):
        new, G = R.adagrad_step(theta, G, g, lr)
        steps.append(theta - float(new))
        theta = float(new)
    assert float(G) == pytest.approx(k * g * g, rel=1e-12)
    assert steps[-1] == pytest.approx(lr * g / (math.sqrt(k) * g + 1e-8), rel=1e-9)
    assert steps[-1] == pytest.approx(lr / math.sqrt(k), rel=1e-5)


@given(t=st.lists(st.integers(0, 500), min_size=1, max_size=20), lr_max=st.floats(0.01, 2.0),
       frac=st.floats(0.0, 1.0), T=st.integers(1, 300))
def test_warmup_cosine_without_warmup_is_cosine_annealing(t, lr_max, frac, T):
    t = np.array(t)
    lr_min = frac * lr_max
    np.testing.assert_array_equal(R.warmup_cosine(t, lr_max, lr_min, 0, T), R.cosine_annealing(t, lr_max, lr_min, T))


@given(lr_max=st.floats(0.01, 2.0), frac=st.floats(0.0, 0.9), T=st.integers(2, 300), data=st.data())
def test_warmup_cosine_shape(lr_max, frac, T, data):
    Tw = data.draw(st.integers(1, T - 1))
    lr_min = frac * lr_max
    t = np.arange(T + 5)
    lrs = R.warmup_cosine(t, lr_max, lr_min, Tw, T)
    np.testing.assert_allclose(lrs[:Tw], lr_max * np.arange(1, Tw + 1) / Tw, rtol=1e-14)  # the ramp, t + 1
    assert lrs[Tw - 1] == pytest.approx(lr_max) and lrs[Tw] == pytest.approx(lr_max)
    assert np.all(np.diff(lrs[Tw:]) <= 1e-15), "the cosine part never increases"
    np.testing.assert_allclose(lrs[T:], lr_min, atol=1e-15)  # lr_min at T, held after
    mid = Tw + (T - Tw) / 2
    if float(mid).is_integer():
        assert lrs[int(mid)] == pytest.approx((lr_max + lr_min) / 2)


def test_adam_constant_gradient_steps_are_exactly_lr():
    # For a constant gradient the bias correction is exact: m_hat = g and v_hat = g**2 at every t.
    theta, m, v = 0.0, 0.0, 0.0
    for t in range(2000):
        new, m, v = R.adam_step(theta, m, v, 3.0, t, lr=0.01)
        assert theta - float(new) == pytest.approx(0.01, rel=1e-8)
        theta = float(new)
    # without the correction the ratio m / sqrt(v) is (1 - 0.9**k) / sqrt(1 - 0.999**k): 3.16 at k = 1
    assert float(m) / math.sqrt(float(v)) == pytest.approx((1 - 0.9**2000) / math.sqrt(1 - 0.999**2000), rel=1e-10)


def test_adam_on_an_axis_aligned_quadratic_ignores_the_curvatures():
    # Each coordinate of Adam on L = sum(h_i theta_i**2) / 2 is scale-free in h_i (up to eps).
    paths = [R.run_adam(QuadraticND([1.0, h]).grad, [2.0, 1.0], 0.1, 60) for h in (1.0, 25.0, 1e4)]
    np.testing.assert_allclose(paths[1], paths[0], atol=1e-6)
    np.testing.assert_allclose(paths[2], paths[0], atol=1e-6)
    rotated = R.run_adam(ill_conditioned_2d(25.0).grad, [2.0, 1.0], 0.1, 60)
    assert np.max(np.abs(rotated - paths[0])) > 0.1, "on a rotated valley the coordinates are not independent"


def _adam_torch_style(grad_fn, theta0, lr, n_steps, beta1=0.9, beta2=0.999, eps=1e-8):
    """A second formulation: PyTorch's order of operations (lerp, step counter from 1)."""
    theta = np.array(theta0, dtype=float)
    m, v = np.zeros_like(theta), np.zeros_like(theta)
    out = [theta.copy()]
    for k in range(1, n_steps + 1):
        g = np.asarray(grad_fn(theta), dtype=float)
        m = m + (1 - beta1) * (g - m)
        v = v * beta2 + (1 - beta2) * g * g
        theta = theta - (lr / (1 - beta1**k)) * m / (np.sqrt(v) / math.sqrt(1 - beta2**k) + eps)
        out.append(theta.copy())
    return np.array(out)


def _adam_by_steps(grad_fn, theta0, lr, n_steps, beta1=0.9, beta2=0.999, eps=1e-8):
    theta = np.asarray(theta0, dtype=float)
    m = v = np.zeros_like(theta)
    out = [theta]
    for t in range(n_steps):
        theta, m, v = R.adam_step(theta, m, v, grad_fn(theta), t, lr, beta1, beta2, eps)
        out.append(np.asarray(theta))
    return np.array(out)


@pytest.mark.parametrize("seed", [None, *range(200)])
def test_run_adam_cases_agree_with_other_formulations(seed):
    """Correct code in another order of operations gets the same verdict on every case and seed
    (Adam on a quadratic must not amplify rounding differences beyond the grader's tolerance)."""
    for aspect in aspects("run_adam"):
        for case in get_cases("run_adam", aspect, seed):
            with np.errstate(all="ignore"):
                ref = serialize(R.run_adam(*case.args, **case.kwargs))
                for alt in (_adam_torch_style, _adam_by_steps):
                    assert compare(ref, serialize(alt(*case.args, **case.kwargs))) is None, (alt.__name__, case)


# --------------------------------------------------------------------------- boundaries


def test_no_function_mutates_or_returns_views():
    theta, state, grad = np.array([1.0, -2.0]), np.array([0.5, 0.5]), np.array([0.3, -0.1])
    before = [a.copy() for a in (theta, state, grad)]
    outs = [R.adagrad_step(theta, state, grad, 0.1), R.rmsprop_step(theta, state, grad, 0.1),
            R.adam_step(theta, state, state, grad, 2, lr=0.1)]
    for a, b in zip((theta, state, grad), before):
        np.testing.assert_array_equal(a, b)
    for out in outs:
        for arr in out:
            assert not any(np.shares_memory(arr, x) for x in (theta, state, grad))
    t = np.arange(5)
    R.warmup_cosine(t, 1.0, 0.0, 2, 4)
    np.testing.assert_array_equal(t, np.arange(5))
    theta0 = np.array([1.0, 2.0])
    path = R.run_adam(w_squared.grad, theta0, 0.1, 3)
    np.testing.assert_array_equal(theta0, [1.0, 2.0])
    assert not np.shares_memory(path, theta0)


def test_lists_and_ints_are_numbers():
    theta, G = R.adagrad_step([1, 2], [0, 1], [3, -1], 1)
    np.testing.assert_allclose(theta, [1 - 3 / (3 + 1e-8), 2 + 1 / (math.sqrt(2) + 1e-8)], rtol=1e-12)
    assert float(R.adagrad_step(3, 1, 2, 1)[0]) == pytest.approx(3 - 2 / math.sqrt(5))
    assert float(R.warmup_cosine(0, 1, 0, 4, 10)) == 0.25
    path = R.run_adam(w_squared.grad, 5, 1, 3)
    assert path.dtype == np.float64 and path[1] == pytest.approx(4.0)


@pytest.mark.parametrize("t", [-1, 1.5, -0.5, float("nan")])
def test_adam_rejects_bad_t(t):
    with pytest.raises(ValueError, match="t must be"):
        R.adam_step(1.0, 0.0, 0.0, 1.0, t)


def test_adam_accepts_numpy_integer_t():
    assert R.adam_step(1.0, 0.3, 0.2, 1.0, np.int64(3), lr=0.1) == R.adam_step(1.0, 0.3, 0.2, 1.0, 3, lr=0.1)
    with pytest.raises(TypeError):
        R.adam_step(1.0, 0.0, 0.0, 1.0, "0")


@pytest.mark.parametrize("call", [
    lambda: R.adagrad_step(1.0, 0.0, 1.0, 0.0),
    lambda: R.rmsprop_step(1.0, 0.0, 1.0, 0.1, beta=1.0),
    lambda: R.rmsprop_step(1.0, 0.0, 1.0, 0.1, eps=-1e-8),
    lambda: R.adam_step(1.0, 0.0, 0.0, 1.0, 0, beta2=1.0),
    lambda: R.adam_step([1.0, 2.0], [0.0, 0.0, 0.0], 0.0, [1.0, 1.0], 0),
    lambda: R.run_adam(w_squared.grad, 1.0, -0.1, 3),
    lambda: R.warmup_cosine(np.array([0, -1]), 1.0, 0.0, 2, 10),
    lambda: R.warmup_cosine(3, 1.0, 0.0, 10, 10),
    lambda: R.warmup_cosine(3, 0.1, 0.2, 2, 10),
])
def test_bad_arguments_raise_value_error(call):
    with pytest.raises(ValueError):
        call()


def test_run_adam_keeps_going_after_an_overflow_quietly(strict_numerics):
    with strict_numerics():
        path = R.run_adam(lambda w: np.full_like(w, np.inf), np.array([1.0, 2.0]), 0.1, 5)
    assert path.shape == (6, 2) and np.all(np.isnan(path[1:]))


# --------------------------------------------------------------------------- hidden cases and named mistakes


def _fails(name, fn, aspect):
    try:
        check(name, fn, aspect)
    except AssertionError as exc:
        return str(exc)
    return None


@pytest.mark.parametrize("key", [k for k in CASES if k[0] in PS5], ids="/".join)
def test_reference_passes_its_own_checks(key, capsys):
    assert _fails(key[0], getattr(R, key[0]), key[1]) is None
    assert capsys.readouterr() == ("", "")


_MISTAKES = [(name, label, fn) for name in PS5 for label, fn in WRONG_FUNCTIONS[name]]


@pytest.mark.parametrize("name,label,wrong", _MISTAKES, ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(_MISTAKES)])
def test_every_mistake_is_caught_and_named(name, label, wrong):
    messages = [m for m in (_fails(name, wrong, a) for a in aspects(name)) if m]
    assert messages, f"{label!r} passes every aspect of {name}"
    assert any(f"Likely mistake: {label}." in m for m in messages), messages


def test_in_place_updates_are_reported_as_mutation():
    def adagrad_in_place(theta, G, grad, lr, eps=1e-8):
        G = np.asarray(G, dtype=float)  # no copy for a float array: += changes the caller's G
        G += np.asarray(grad, dtype=float) ** 2
        return np.asarray(theta, dtype=float) - lr * np.asarray(grad) / (np.sqrt(G) + eps), G

    def adam_in_place(theta, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        m, v, grad = np.asarray(m, dtype=float), np.asarray(v, dtype=float), np.asarray(grad, dtype=float)
        m *= beta1
        m += (1 - beta1) * grad
        v *= beta2
        v += (1 - beta2) * grad**2
        m_hat, v_hat = m / (1 - beta1 ** (t + 1)), v / (1 - beta2 ** (t + 1))
        return np.asarray(theta, dtype=float) - lr * m_hat / (np.sqrt(v_hat) + eps), m, v

    for name, fn in (("adagrad_step", adagrad_in_place), ("adam_step", adam_in_place)):
        msg = _fails(name, fn, "arrays")
        assert msg and "input mutated" in msg, msg


def test_each_aspect_has_cases_a_python_int_and_a_list_where_the_spec_allows():
    def kinds(name):
        found = set()
        for a in aspects(name):
            for case in get_cases(name, a):
                for x in case.args:
                    if isinstance(x, list):
                        found.add("list")
                    if isinstance(x, int) and not isinstance(x, bool):
                        found.add("int")
        return found

    for name in ("adagrad_step", "rmsprop_step", "adam_step", "run_adam"):
        assert {"list", "int"} <= kinds(name), name
    assert "int" in kinds("warmup_cosine")


@pytest.mark.parametrize("seed", range(200))
def test_draws_stay_valid_for_every_seed(seed):
    """Drawn cases never leave the SPEC's domain: states >= 0, 0 <= T_warmup < T, whole t >= 0, finite answers."""
    for name in PS5:
        for aspect in aspects(name):
            for case in get_cases(name, aspect, seed):
                args = case.args
                if name in ("adagrad_step", "rmsprop_step"):
                    assert np.all(np.asarray(args[1]) >= 0)
                if name == "adam_step" and not isinstance(args[4], float):
                    assert np.all(np.asarray(args[2]) >= 0)
                if name == "warmup_cosine":
                    t, _, _, Tw, T = args
                    if np.all(np.asarray(t) >= 0):
                        assert 0 <= Tw < T
                with np.errstate(all="ignore"):
                    try:
                        out = getattr(R, name)(*args, **case.kwargs)
                    except ValueError:
                        assert aspect == "edges", (name, aspect, case)  # only the boundary cases raise
                        continue
                flat = np.concatenate([np.ravel(o) for o in (out if isinstance(out, tuple) else (out,))])
                assert np.all(np.isfinite(flat)), (name, aspect, case)


# --------------------------------------------------------------------------- the demo cohort's variants


def _namespace(variants, style):
    ns = {"np": np, "math": math}
    for styles in variants.CORRECT.values():
        exec(styles[min(style, len(styles) - 1)][1], ns)  # noqa: S102 - our own demo sources
    return ns


def test_demo_variants_do_what_their_labels_say():
    from autograder.cohort import variants

    V = variants("ps5_adaptive")

    assert set(V.CORRECT) == set(PS5)
    for name, styles in V.CORRECT.items():
        for i, (style, source) in enumerate(styles):
            ns = _namespace(V, i)
            exec(source, ns)  # noqa: S102
            for aspect in aspects(name):
                assert _fails(name, ns[name], aspect) is None, f"{name} [{style}] fails {aspect}"
    # the registered mistakes are the cohort's wrong students (tested above); the in-place updates are not
    for name, mutating in V.MUTATING.items():
        for label, source in mutating:
            ns = _namespace(V, 0)
            exec(source, ns)  # noqa: S102
            messages = [m for m in (_fails(name, ns[name], a) for a in aspects(name)) if m]
            assert any("input mutated" in m for m in messages), (label, messages)


# --------------------------------------------------------------------------- hand-graded cells


def _meta(cell):
    return cell.metadata.get("nbgrader", {})


def test_hand_graded_cells_have_points_rubrics_and_questions_in_the_release():
    source = nbformat.read(SOURCE, as_version=4)
    release = nbformat.read(RELEASE, as_version=4)
    text = RELEASE.read_text()
    for word in ("Rubric", "MARK SCHEME", "Model answer", "BEGIN SOLUTION", "lrcourse"):
        assert word not in text, f"the release contains {word!r}"
    by_id = {_meta(c).get("grade_id"): c for c in release.cells if _meta(c)}
    cells = source.cells
    answers = [i for i, c in enumerate(cells) if _meta(c).get("grade") and _meta(c).get("solution")]
    figures = [i for i, c in enumerate(cells) if (_meta(c).get("grade_id") or "").startswith("figure_")]
    assert len(answers) >= 4 and len(figures) >= 4
    for i in answers:
        cell, before = cells[i], cells[i - 1]
        meta = _meta(cell)
        assert cell.cell_type == "markdown" and meta["points"] > 0 and meta["grade_id"].startswith("answer_")
        assert re.search(rf"\*\*Rubric \({meta['points']} points?\)\.\*\*", cell.source), meta["grade_id"]
        assert before.cell_type == "markdown" and not _meta(before) and "**Question" in before.source
        assert by_id[meta["grade_id"]].source.strip() == "YOUR ANSWER HERE"
        assert before.source in [c.source for c in release.cells], "the question must stand in the release"
    for i in figures:
        code, task = cells[i], cells[i + 1]
        assert code.cell_type == "code" and _meta(code)["solution"] and not _meta(code)["grade"]
        meta = _meta(task)
        assert meta.get("task") and meta["locked"] and meta["points"] > 0
        assert meta["grade_id"] == "task_" + _meta(code)["grade_id"]
        assert "=== BEGIN MARK SCHEME ===" in task.source and f"**Rubric ({meta['points']} points).**" in task.source
        released = by_id[meta["grade_id"]].source
        assert "Rubric" not in released and released.strip(), "the task text stays, its mark scheme goes"


# --------------------------------------------------------------------------- numbers the prose quotes

# Each entry: (words that must appear in the notebook's text, expression evaluated in the executed
# notebook's kernel, expected value). The expressions use the notebook's own functions and helpers.
QUOTED = [
    ("shrinks a million-fold in 10 steps", "int(np.argmax(np.abs(run_momentum(axis_grad, [2.0, 1.0], 0.05, 0.0, 400)[:, 1]) <= 1e-6))", 10),
    ("needs 270", "int(np.argmax(np.abs(run_momentum(axis_grad, [2.0, 1.0], 0.05, 0.0, 400)[:, 0]) <= 2e-6))", 270),
    ("about 4.3", "round(float(_slope['AdaGrad'][500]), 1)", 4.3),
    ("a tenth of $\\alpha$ after 100 steps", "round(float(_slope['AdaGrad'][100] - _slope['AdaGrad'][99]) / 0.1, 3)", 0.1),
    ("within 1 of the minimum at step 183", "int(np.argmax(np.abs(_slope['RMSprop'] - 20) < 1))", 183),
    ("first step about 0.32", "round(float(_slope['RMSprop'][1]), 2)", 0.32),
    ("approx 3.16", "round(_raw[0], 2)", 3.16),
    ("peaks at about 6.6 at step 12", "[round(max(_raw), 1), int(np.argmax(_raw)) + 1]", [6.6, 12]),
    ("still 1.26 after 1000 steps", "round(_raw[999], 2)", 1.26),
    ("first step is half of $\\alpha$", "round(float(abs(adam_step(0.0, 0.0, 0.0, 1e-8, 0, lr=1.0)[0])), 6)", 0.5),
    ("GD stays below $10^{-3}$ from step 60", "[_settle(_runs[v]['GD']) for v in (0, 1)]", [60, 60]),
    ("momentum from step 21", "[_settle(_runs[v]['mom']) for v in (0, 1)]", [21, 21]),
    ("below $10^{-3}$ from step 79", "_settle(_runs[0]['adam'])", 79),
    ("from step 109 on the rotated one", "_settle(_runs[1]['adam'])", 109),
    ("the losses are identical", "bool(np.allclose(_runs[0]['GD'], _runs[1]['GD'], rtol=1e-9) and "
                                  "np.allclose(_runs[0]['mom'], _runs[1]['mom'], rtol=1e-9, atol=1e-300))", True),
    ("$2/19.75 \\approx 0.10$", "round(2 / (3 * 2.5**2 + 1), 2)", 0.10),
    ("jumps to $-6.6$", "round(float(gd_with_lrs(sharp_grad, 2.5, [0.5])[1]), 1)", -6.6),
    ("overflows within six steps", "int(np.argmax(~np.isfinite(_warm['none'])))", 6),
    ("(loss about $10^{-10}$ after 100 steps)", "int(round(np.log10(_warm['const'][-1])))", -10),
    ("ends near $10^{-29}$", "int(np.floor(np.log10(_warm['ten'][-1])))", -29),
    ("ramps 0.05, 0.1, ...", "[round(float(x), 4) for x in warmup_cosine(np.arange(3), 0.5, 0.0, 10, 100)]",
     [0.05, 0.1, 0.15]),
    ("$w_2 \\approx 0.50436$", "round(float(run_adam(lambda w: 2 * w, 1.0, 0.25, 2)[2]), 5)", 0.50436),
]

_PRELUDE = r'''
import json as _json
def _slope_run(step):
    theta, state, out = 0.0, 0.0, [0.0]
    for _ in range(500):
        theta, state = step(theta, state, slope_grad(theta), 0.1)
        out.append(float(theta))
    return np.array(out)
_slope = {"AdaGrad": _slope_run(adagrad_step), "RMSprop": _slope_run(rmsprop_step)}
_raw, _th, _m, _v = [], 0.0, 0.0, 0.0
for _t in range(3000):
    _th, _m, _v = adam_step(_th, _m, _v, 1.0, _t)
    _raw.append(float(_m / (np.sqrt(_v) + 1e-8)))
def _settle(losses, tol=1e-3):
    bad = np.nonzero(np.asarray(losses) >= tol)[0]
    return int(bad[-1] + 1) if bad.size else 0
_runs = []
for _A, _g, _th0 in [(A_AXIS, axis_grad, np.array([2.0, 1.0])), (A_ROT, rot_grad, ROTATION @ np.array([2.0, 1.0]))]:
    _runs.append({"GD": valley_loss(run_momentum(_g, _th0, 2 / 26, 0.0, 150), _A),
                  "mom": valley_loss(run_momentum(_g, _th0, 0.2, 4 / 9, 150), _A),
                  "adam": valley_loss(run_adam(_g, _th0, 0.1, 150), _A)})
with np.errstate(all="ignore"):
    _warm = {"none": sharp_loss(gd_with_lrs(sharp_grad, 2.5, warmup_cosine(np.arange(100), 0.5, 0.0, 0, 100))),
             "ten": sharp_loss(gd_with_lrs(sharp_grad, 2.5, warmup_cosine(np.arange(100), 0.5, 0.0, 10, 100))),
             "const": sharp_loss(gd_with_lrs(sharp_grad, 2.5, np.full(100, 0.1)))}
'''


@pytest.fixture(scope="module")
def executed():
    """The source notebook run top to bottom, then the quoted numbers computed in its kernel."""
    import time

    from nbclient import NotebookClient

    nb = nbformat.read(SOURCE, as_version=4)
    exprs = "{" + ", ".join(f"{i}: ({expr})" for i, (_, expr, _) in enumerate(QUOTED)) + "}"
    nb.cells.append(nbformat.v4.new_code_cell(_PRELUDE + f"\nprint(_json.dumps({exprs}))"))
    start = time.perf_counter()
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}).execute()
    seconds = time.perf_counter() - start
    out = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.get("output_type") == "stream")
    return nb, {int(k): v for k, v in json.loads(out.strip().splitlines()[-1]).items()}, seconds


def test_notebook_runs_clean_and_fast(executed):
    nb, _, seconds = executed
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            assert out.get("output_type") != "error", _meta(cell).get("grade_id")
            assert not (out.get("output_type") == "stream" and out.get("name") == "stderr"), _meta(cell).get("grade_id")
    assert seconds < 40, f"the notebook took {seconds:.1f} s"


@pytest.mark.parametrize("index", range(len(QUOTED)), ids=[q[0][:40] for q in QUOTED])
def test_quoted_numbers_match_the_executed_notebook(executed, index):
    nb, values, _ = executed
    words, _, expected = QUOTED[index]
    text = " ".join(" ".join(c.source.split()) for c in nb.cells if c.cell_type == "markdown")
    assert " ".join(words.split()) in text, f"the prose no longer says {words!r}"
    assert values[index] == expected, f"{words!r}: the notebook computes {values[index]}"
