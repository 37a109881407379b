"""The course's figures: they build, say what they show, survive diverging data, and validate inputs."""

from __future__ import annotations

import io
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from lrcourse import plots
from lrcourse.landscapes import ill_conditioned_2d, theta_minus_3, w_squared
from lrcourse.reference import cosine_annealing, gradient_descent, run_momentum, step_decay


@pytest.fixture(autouse=True)
def _strict():
    """No warning may escape a plotting call, and no pyplot figure may be left open."""
    before = plt.get_fignums()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield
    assert plt.get_fignums() == before


def _renders(fig):
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=40)
    assert buf.getvalue()[:8] == b"\x89PNG\r\n\x1a\n"


def test_three_regimes_course_example():
    fig = plots.three_regimes(w_squared.loss, w_squared.grad, 5.0, lrs=(0.01, 0.95, 0.3), n_steps=10)
    assert isinstance(fig, Figure)
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == ["Too small (lr = 0.01)", "Too large (lr = 0.95)", "Just right (lr = 0.3)"]
    for ax in fig.axes:
        assert len(ax.get_lines()) >= 3  # the loss curve, the iterates, the start
    # The iterates sit on the loss curve: w0 = 5 at loss 25 in every panel.
    for ax in fig.axes:
        x, y = ax.get_lines()[2].get_data()
        assert (x[0], y[0]) == (5.0, 25.0)
    _renders(fig)


def test_three_regimes_diverging_panel_is_clipped_and_says_so():
    fig = plots.three_regimes(theta_minus_3.loss, theta_minus_3.grad, -1.0, lrs=(0.05, 1.3, 0.3), n_steps=40)
    middle = fig.axes[1]
    texts = " ".join(t.get_text() for t in middle.texts)
    assert "leaves the plot" in texts
    lo, hi = middle.get_xlim()
    assert hi - lo < 100, "a diverging run must not stretch the axes to 1e10"
    assert lo < 3 < hi
    _renders(fig)


def test_three_regimes_scalar_only_callables_and_defaults():
    fig = plots.three_regimes(lambda w: (w - 1.0) ** 2, lambda w: 2 * (w - 1.0), 4.0)
    assert len(fig.axes) == 3
    _renders(fig)


@pytest.mark.parametrize(
    "kwargs, error",
    [
        ({"lrs": (0.1, 0.2)}, ValueError),
        ({"lrs": (0.1, -0.2, 0.3)}, ValueError),
        ({"n_steps": 0}, ValueError),
        ({"n_steps": 2.5}, TypeError),
        ({"titles": ("a", "b")}, ValueError),
    ],
)
def test_three_regimes_validation(kwargs, error):
    with pytest.raises(error):
        plots.three_regimes(w_squared.loss, w_squared.grad, 5.0, **kwargs)


def test_three_regimes_needs_callables_and_a_scalar_start():
    with pytest.raises(TypeError, match="callable"):
        plots.three_regimes(None, w_squared.grad, 5.0)
    with pytest.raises(TypeError):
        plots.three_regimes(w_squared.loss, w_squared.grad, np.array([1.0, 2.0]))


def test_contour_paths_gd_vs_momentum():
    Q = ill_conditioned_2d(25.0)
    gd = gradient_descent(Q.grad, [2.0, 1.0], 0.07, 40)
    mom = run_momentum(Q.grad, [2.0, 1.0], 0.07, 0.8, 40)
    gd.flags.writeable = False
    fig = plots.contour_paths(Q, {"GD": gd, "momentum": mom})
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["GD", "momentum", "minimum"]
    x, y = ax.get_lines()[0].get_data()
    np.testing.assert_allclose(np.column_stack([x, y]), gd)
    assert ax.get_aspect() == 1.0
    lo, hi = ax.get_xlim()
    assert lo < 0 < hi and lo < 2 < hi
    _renders(fig)


def test_contour_paths_with_a_diverging_path():
    Q = ill_conditioned_2d(25.0)
    with np.errstate(all="ignore"):
        blown = gradient_descent(Q.grad, [2.0, 1.0], 0.2, 600)
    assert not np.all(np.isfinite(blown))
    fig = plots.contour_paths(Q, {"lr too large": blown}, title="diverges")
    lo, hi = fig.axes[0].get_xlim()
    assert np.isfinite(lo) and np.isfinite(hi) and hi - lo < 50
    assert fig.axes[0].get_title() == "diverges"
    _renders(fig)


@pytest.mark.parametrize(
    "paths, error",
    [
        ({}, TypeError),
        ([np.zeros((3, 2))], TypeError),
        ({"bad": np.zeros((3, 3))}, ValueError),
        ({"bad": np.zeros(4)}, ValueError),
        ({"empty": np.zeros((0, 2))}, ValueError),
    ],
)
def test_contour_paths_validation(paths, error):
    with pytest.raises(error):
        plots.contour_paths(ill_conditioned_2d(10.0), paths)


def test_contour_paths_needs_a_2d_quadratic():
    from lrcourse.landscapes import QuadraticND

    with pytest.raises(ValueError, match="2-D"):
        plots.contour_paths(QuadraticND([1.0, 2.0, 3.0]), {"x": np.zeros((2, 2))})
    with pytest.raises(TypeError, match="loss"):
        plots.contour_paths(object(), {"x": np.zeros((2, 2))})


def test_schedules_plot():
    t = np.arange(60)
    sched = {"step": step_decay(t, 0.1, 0.5, 15), "cosine": cosine_annealing(t, 0.1, 0.001, 50)}
    fig = plots.schedules_plot(sched)
    ax = fig.axes[0]
    lines = ax.get_lines()
    assert [ln.get_label() for ln in lines] == ["step", "cosine"]
    x, y = lines[0].get_data()
    np.testing.assert_array_equal(x, t)
    np.testing.assert_allclose(y, sched["step"])
    assert ax.get_yscale() == "linear"
    assert plots.schedules_plot(sched, log=True).axes[0].get_yscale() == "log"
    _renders(fig)


@pytest.mark.parametrize(
    "schedules, kwargs, error",
    [
        ({}, {}, TypeError),
        ({"a": [[0.1, 0.2]]}, {}, ValueError),
        ({"a": []}, {}, ValueError),
        ({"a": [0.1, np.nan]}, {}, ValueError),
        ({"a": [0.1, 0.0]}, {"log": True}, ValueError),
        ({"a": ["x"]}, {}, TypeError),
    ],
)
def test_schedules_plot_validation(schedules, kwargs, error):
    with pytest.raises(error):
        plots.schedules_plot(schedules, **kwargs)


def test_loss_histories_course_examples():
    hist = {"lr = 0.1": [0.8, 0.5, 0.4, 0.38, 0.37], "lr = 1.0": [0.8, 1.5, 3.2, 8.7, float("nan")]}
    fig = plots.loss_histories(hist)
    lin, log = fig.axes
    assert (lin.get_yscale(), log.get_yscale()) == ("linear", "log")
    x, y = lin.get_lines()[0].get_data()
    np.testing.assert_array_equal(x, np.arange(5))
    np.testing.assert_allclose(y, hist["lr = 0.1"])
    # The diverging history: its four finite losses, then an "x" where it blew up.
    _, y = lin.get_lines()[1].get_data()
    np.testing.assert_allclose(y, [0.8, 1.5, 3.2, 8.7])
    mark_x, _ = lin.get_lines()[2].get_data()
    assert list(mark_x) == [4]
    _renders(fig)


def test_loss_histories_single_panel_and_clipping():
    with np.errstate(all="ignore"):
        exploding = w_squared.loss(gradient_descent(w_squared.grad, 5.0, 1.2, 30))
    fig = plots.loss_histories({"fine": [25.0, 4.0, 1.0], "explodes": exploding}, log=False)
    assert len(fig.axes) == 1
    ax = fig.axes[0]
    assert ax.get_ylim()[1] <= 100, "the exploding history must not flatten the others"
    assert "clipped" in ax.get_title()
    _renders(fig)


def test_loss_histories_log_panel_skips_non_positive():
    fig = plots.loss_histories({"reaches zero": [1.0, 0.25, 0.0, 0.0]})
    _, y = fig.axes[1].get_lines()[0].get_data()
    np.testing.assert_allclose(y, [1.0, 0.25])
    _renders(fig)


@pytest.mark.parametrize("histories", [{}, {"a": []}, {"a": [[1.0, 0.5]]}, ["not", "a", "dict"]])
def test_loss_histories_validation(histories):
    with pytest.raises((TypeError, ValueError)):
        plots.loss_histories(histories)


def test_inputs_not_mutated():
    h = [0.8, 0.5, 0.4]
    sched = np.array([0.1, 0.05])
    sched.flags.writeable = False
    plots.loss_histories({"a": h})
    plots.schedules_plot({"s": sched})
    assert h == [0.8, 0.5, 0.4]
