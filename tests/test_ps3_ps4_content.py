"""ps3_momentum and ps4_diagnosis: what their hidden cases cover, and what their notebooks say.

* the cases hold only plain data, cover Python ints (with answers that are not integers), lists wherever
  SPEC allows them, the convex case ``optimal_gd_lr(0, L)`` and uneven learning-rate grids;
* drawn cases, over 200 seeds, stay clear of every SPEC threshold;
* every registered mistake fails some case and is named, and the demo cohort's right answers pass;
* every hand-graded cell has points and a rubric in the source and none in the release, and its question
  stands in the release;
* the numbers the prose quotes are those the executed source notebooks compute.

Expected values here come from hand-worked arithmetic and closed forms, not from the reference.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import math
import re
from pathlib import Path

import numpy as np
import pytest

from lrcourse import landscapes, reference
from lrcourse.cases import CASES, MISTAKES, aspects, get_cases
from lrcourse.cases import ps3_momentum as ps3_cases
from lrcourse.cases import ps4_diagnosis as ps4_cases
from lrcourse.cases.base import Drawn
from lrcourse.grading import check

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENTS = {"ps3_momentum": "momentum", "ps4_diagnosis": "diagnosis"}
REWRITTEN = ["ps3_momentum"]  # the notebooks whose hand-graded cells follow the rubric and task conventions
FUNCTIONS = reference.ASSIGNMENTS["ps3_momentum"] + reference.ASSIGNMENTS["ps4_diagnosis"]
SEEDS = range(200)

# argument positions that hold numbers a student may pass as Python ints (not counts, seeds or sizes)
NUMBER_ARGS = {
    "momentum_step": (0, 1, 2), "heavy_ball_step": (0, 1, 2), "run_momentum": (1,), "optimal_gd_lr": (0, 1),
    "optimal_momentum": (0, 1), "mse_grad": (0, 1, 2), "minibatch_sgd": (0, 1, 2),
    "relative_improvements": (0,), "diagnose": (0,), "suggest_lr": (0,), "lr_range_test": (2,),
    "suggest_from_range_test": (1,),
}
# argument positions SPEC lets be lists
LIST_ARGS = {
    "momentum_step": (0, 1, 2), "heavy_ball_step": (0, 1, 2), "run_momentum": (1,), "mse_grad": (0, 1, 2),
    "minibatch_sgd": (0, 1, 2), "relative_improvements": (0,), "diagnose": (0,), "lr_range_test": (2,),
    "suggest_from_range_test": (0, 1),
}
LIST_LABEL = "fails on a list: convert with np.asarray"


def _fails(name, fn, aspect):
    try:
        check(name, fn, aspect)
    except AssertionError as exc:
        return str(exc)
    return None


def _all_cases(name, seeds=(None,)):
    for aspect in aspects(name):
        for seed in seeds:
            yield from get_cases(name, aspect, seed)


def _drawn(name, aspect, seed):
    """The drawn cases of one aspect under ``seed`` (fixed cases left out)."""
    entries = CASES[(name, aspect)]
    cases = get_cases(name, aspect, seed)
    return [case for entry, case in zip(entries, cases) if isinstance(entry, Drawn)]


# --------------------------------------------------------------------------- what the cases hold


def test_no_module_level_generator():
    for module in (ps3_cases, ps4_cases):
        generators = [k for k, v in vars(module).items() if isinstance(v, np.random.Generator)]
        assert not generators, f"{module.__name__} draws at import time: {generators}"


def _plain(value):
    if value is None or isinstance(value, (bool, int, float, str, np.ndarray, np.generic)):
        return True
    if isinstance(value, (list, tuple)):
        return all(_plain(v) for v in value)
    owner = getattr(value, "__self__", None)
    return (getattr(value, "__name__", "") in ("loss", "grad")
            and isinstance(owner, (landscapes.Quadratic1D, landscapes.QuadraticND, landscapes.LinearRegressionData)))


@pytest.mark.parametrize("name", FUNCTIONS)
def test_case_arguments_are_plain_data(name):
    for case in _all_cases(name, seeds=range(20)):
        assert all(_plain(a) for a in case.args) and all(_plain(v) for v in case.kwargs.values()), case


def _has_int(value):
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, np.integer)):
        return True
    if isinstance(value, np.ndarray):
        return value.dtype.kind in "iu"
    if isinstance(value, (list, tuple)):
        return any(_has_int(v) for v in value)
    return False


def _not_all_integers(result):
    if isinstance(result, str):
        return True  # diagnose: a label, nothing to truncate
    if isinstance(result, tuple):
        return any(_not_all_integers(r) for r in result)
    arr = np.asarray(result, dtype=float)
    finite = arr[np.isfinite(arr)]
    return bool(finite.size) and bool(np.any(finite != np.round(finite)))


@pytest.mark.parametrize("name", FUNCTIONS)
def test_python_ints_with_a_fractional_answer(name):
    """Code that keeps an int input's dtype truncates: each function gets an int case where that shows."""
    ref = getattr(reference, name)
    found = [case for case in _all_cases(name) if any(_has_int(case.args[i]) for i in NUMBER_ARGS[name])
             and _not_all_integers(ref(*case.args))]
    assert found, f"{name}: no case with Python ints (or int arrays) whose answer is not an integer"


@pytest.mark.parametrize("name", sorted(LIST_ARGS))
def test_lists_wherever_spec_allows_them(name):
    cases = list(_all_cases(name))
    for position in LIST_ARGS[name]:
        assert any(isinstance(case.args[position], list) for case in cases), f"{name}: no list in argument {position}"
    assert LIST_LABEL in [label for label, _ in MISTAKES[name]], f"{name}: the list mistake is not registered"


def test_hand_worked_int_answers():
    """The int cases the docstrings quote, worked by hand."""
    theta, v = reference.momentum_step(3, 1, 2, 0.5, 0.5)
    assert (theta, v) == (2.25, 1.5)  # v = 0.5 * 1 + 0.5 * 2, theta = 3 - 0.5 * 1.5
    theta, v = reference.heavy_ball_step(1, 1, 1, 0.25, 0.5)
    assert (theta, v) == (0.625, 1.5)  # v = 0.5 + 1, theta = 1 - 0.25 * 1.5
    g = reference.mse_grad([1, -1], [[1, 2], [3, 4], [0, 1]], [1, 0, 2])
    assert np.allclose(g, [-10 / 3, -22 / 3])  # residuals (-2, -1, -3)
    assert reference.suggest_lr(1, "diverging") == 0.1 and reference.suggest_lr(3, "oscillating") == 1.5


def test_convex_valley_gives_two_over_l():
    """optimal_gd_lr(0, L) = 2 / (0 + L); the 1/L of some real code is a named mistake."""
    zero_cases = [c for c in _all_cases("optimal_gd_lr", seeds=range(5)) if c.args[0] == 0]
    assert len(zero_cases) >= 3
    for case in zero_cases:
        assert math.isclose(reference.optimal_gd_lr(*case.args), 2 / case.args[1])
    msg = _fails("optimal_gd_lr", lambda lo, hi: 1 / hi if lo == 0 else 2 / (lo + hi), "basic")
    assert msg and "Likely mistake: lam_min = 0" in msg


def test_uneven_grid_separates_the_two_slope_formulas():
    """np.gradient(f) / np.gradient(x) equals np.gradient(f, x) only on an even grid."""
    differ = []
    for case in _all_cases("suggest_from_range_test"):
        lrs, losses = (np.asarray(a, dtype=float) for a in case.args)
        keep = np.isfinite(losses)
        if keep.sum() < 3:
            continue
        x, f = np.log(lrs[keep]), losses[keep]
        # np.gradient's interior formula on a non-uniform grid (numpy docs), written out by hand
        hs, hd = np.diff(x)[:-1], np.diff(x)[1:]
        inner = (hs**2 * f[2:] + (hd**2 - hs**2) * f[1:-1] - hd**2 * f[:-2]) / (hs * hd * (hd + hs))
        slopes = np.concatenate([[(f[1] - f[0]) / (x[1] - x[0])], inner, [(f[-1] - f[-2]) / (x[-1] - x[-2])]])
        ratio = np.gradient(f) / np.gradient(x)
        if np.argmin(slopes) != np.argmin(ratio):
            differ.append(case)
    assert len(differ) >= 2, "no uneven-grid case where the ratio of gradients picks another lr"


def test_gap_case_worked_by_hand():
    """_GAP_LOSSES: steepest at 1e-3 by np.gradient(f, x) (-0.659), at 3.2e-4 by the ratio."""
    x = np.log(ps4_cases._GAP_LRS)
    f = np.array(ps4_cases._GAP_LOSSES)
    hs, hd = x[2] - x[1], x[3] - x[2]  # log(sqrt(10)) and log(10 ** 1.5)
    slope_1e3 = (hs**2 * f[3] + (hd**2 - hs**2) * f[2] - hd**2 * f[1]) / (hs * hd * (hd + hs))
    assert slope_1e3 == pytest.approx(-0.659, abs=1e-3)
    assert reference.suggest_from_range_test(ps4_cases._GAP_LRS, f) == pytest.approx(1e-3)
    assert reference.suggest_from_range_test(ps4_cases._LRS9, ps4_cases._GAP_FULL) == pytest.approx(1e-3)


# --------------------------------------------------------------------------- drawn cases stay clear of thresholds


def test_drawn_histories_are_clear_of_every_diagnose_threshold():
    labels = {}
    for seed in SEEDS:
        for aspect in aspects("diagnose"):
            for case in _drawn("diagnose", aspect, seed):
                L = np.asarray(case.args[0], dtype=float)
                label = reference.diagnose(L)
                labels[label] = labels.get(label, 0) + 1
                if not np.all(np.isfinite(L)):
                    assert label == "diverging"
                    continue
                steps = np.diff(L)
                assert np.all(L > 0) and np.min(np.abs(steps)) > 1e-6 * np.max(L), "a flat step"
                ups = int(np.sum(steps > 0))
                assert abs(ups - (L.size - 1) / 3) >= 1 / 3 - 1e-12, f"seed {seed}: {ups} ups on the threshold"
                assert abs(L[-1] - L[0]) / L[0] > 0.02, f"seed {seed}: last loss too close to the first"
                decrease = (L[0] - L[-1]) / L[0]
                assert abs(decrease - 0.1) > 0.01, f"seed {seed}: total decrease {decrease} near 10 %"
    assert set(labels) == {"diverging", "oscillating", "too_slow", "healthy"}
    assert min(labels.values()) >= 100, labels


def test_drawn_range_tests_are_clear_of_the_4x_rule():
    stopped = total = 0
    for seed in SEEDS:
        for aspect in aspects("lr_range_test"):
            for case in _drawn("lr_range_test", aspect, seed):
                lrs, losses = reference.lr_range_test(*case.args)
                assert np.all(np.isfinite(losses)) and np.all(losses > 0)
                for i in range(1, losses.size):
                    ratio = losses[i] / (4 * np.min(losses[:i]))
                    assert abs(np.log(ratio)) > 0.02, f"seed {seed}: loss {i} is {ratio:.4f} x 4 x the smallest"
                total += 1
                stopped += losses.size < case.args[5]
    assert 0.2 * total < stopped < total, f"{stopped} of {total} drawn tests stop early: both kinds are needed"


def test_drawn_range_curves_have_a_clear_steepest_point():
    uneven_differs = total = 0
    for seed in SEEDS:
        for aspect in aspects("suggest_from_range_test"):
            for case in _drawn("suggest_from_range_test", aspect, seed):
                lrs, losses = (np.asarray(a, dtype=float) for a in case.args)
                keep = np.isfinite(losses)
                x, f = np.log(lrs[keep]), losses[keep]
                assert np.min(np.diff(x)) > 0.1
                g = np.sort(np.gradient(f, x))
                assert g[0] < 0 and (g[1] - g[0]) > 0.05 * abs(g[0]), f"seed {seed}: near-tie of slopes {g[:2]}"
                total += 1
                uneven_differs += np.argmin(np.gradient(f) / np.gradient(x)) != np.argmin(np.gradient(f, x))
    assert uneven_differs > 0.05 * total, "the drawn uneven grids never tell the two slope formulas apart"


@pytest.mark.parametrize("name", reference.ASSIGNMENTS["ps3_momentum"])
def test_ps3_draws_stay_finite(name):
    """ps3's functions have no thresholds; their draws must not come near the grader's divergence cut."""
    ref = getattr(reference, name)
    for seed in SEEDS:
        for aspect in aspects(name):
            for case in _drawn(name, aspect, seed):
                result = ref(*case.args)
                values = np.concatenate([np.ravel(np.asarray(r, dtype=float)) for r in
                                         (result if isinstance(result, tuple) else (result,))])
                assert np.all(np.isfinite(values)) and np.max(np.abs(values)) < 1e6, (name, seed)


def test_relative_improvement_draws_are_positive():
    for seed in SEEDS:
        for aspect in aspects("relative_improvements"):
            for case in _drawn("relative_improvements", aspect, seed):
                assert np.all(np.asarray(case.args[0]) > 0)


# --------------------------------------------------------------------------- mistakes and the demo cohort

MISTAKE_PARAMS = [(name, label, fn) for name in FUNCTIONS for label, fn in MISTAKES.get(name, ())]


@pytest.mark.parametrize("name, label, wrong_fn", MISTAKE_PARAMS,
                         ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(MISTAKE_PARAMS)])
def test_every_mistake_is_caught_and_named(name, label, wrong_fn):
    failing = [m for m in (_fails(name, wrong_fn, a) for a in aspects(name)) if m]
    assert failing, f"{label!r} passes every aspect of {name}"
    assert any(f"Likely mistake: {label}." in m for m in failing), "\n".join(failing)


@pytest.mark.parametrize("name", FUNCTIONS)
def test_reference_passes(name):
    for aspect in aspects(name):
        assert _fails(name, getattr(reference, name), aspect) is None


def _student(assignment, name, source):
    namespace = {"np": np, "math": math}
    namespace.update({fn: getattr(reference, fn) for fn in reference.ASSIGNMENTS[assignment]})
    exec(source, namespace)  # noqa: S102 - the demo cohort's own answers
    return namespace[name]


def _variants(kind):
    out = []
    for assignment in ASSIGNMENTS:
        module = importlib.import_module(f"autograder.demo_variants.{assignment}")
        for name, entries in getattr(module, kind).items():
            out += [(assignment, name, label, source) for label, source in entries]
    return out


@pytest.mark.parametrize("assignment, name, label, source", _variants("CORRECT"),
                         ids=lambda x: x if isinstance(x, str) and len(x) < 20 else "")
def test_demo_correct_styles_get_full_marks(assignment, name, label, source):
    fn = _student(assignment, name, source)
    for aspect in aspects(name):
        msg = _fails(name, fn, aspect)
        assert msg is None, f"{label}:\n{msg}"


@pytest.mark.parametrize("assignment, name, label, source", _variants("WRONG"),
                         ids=lambda x: x if isinstance(x, str) and len(x) < 20 else "")
def test_demo_wrong_answers_are_named(assignment, name, label, source):
    fn = _student(assignment, name, source)
    failing = [m for m in (_fails(name, fn, a) for a in aspects(name)) if m]
    assert failing, f"{label!r} gets full marks"
    assert any(label in m or "input mutated" in m for m in failing), "\n".join(failing)


# --------------------------------------------------------------------------- hand-graded cells


def _notebook(kind, assignment):
    return json.loads((ROOT / kind / assignment / f"{ASSIGNMENTS[assignment]}.ipynb").read_text())["cells"]


def _meta(cell):
    return cell["metadata"].get("nbgrader", {})


def _text(cell):
    return "".join(cell["source"])


def _rubric_points(region):
    match = re.search(r"\*\*Rubric \((\d+) points?\)\.\*\*(.*)", region, re.S)
    assert match, f"no '**Rubric (N points).**' in:\n{region}"
    items = [int(k) for k in re.findall(r"(\d+) points?:", match.group(2))]
    assert sum(items) == int(match.group(1)), f"the rubric's items add up to {sum(items)}, not {match.group(1)}"
    return int(match.group(1))


@pytest.mark.parametrize("assignment", REWRITTEN)
def test_hand_graded_cells_have_points_and_rubrics_and_questions(assignment):
    source, release = _notebook("source", assignment), _notebook("release", assignment)
    in_release = {_meta(c).get("grade_id"): i for i, c in enumerate(release)}
    manual = [c for c in source if (_meta(c).get("grade") and _meta(c).get("solution")
                                    and c["cell_type"] == "markdown") or _meta(c).get("task")]
    assert len([c for c in manual if _meta(c).get("task")]) >= 2 and len(manual) >= 4
    for cell in manual:
        meta, text = _meta(cell), _text(cell)
        grade_id, points = meta["grade_id"], meta.get("points", 0)
        assert points > 0, f"{grade_id} has no points"
        if meta.get("task"):
            assert grade_id.startswith("task_figure_") and meta["locked"] and not meta["grade"]
            region = text.split("=== BEGIN MARK SCHEME ===\n")[1].split("=== END MARK SCHEME ===")[0]
        else:
            assert grade_id.startswith("answer_")
            region = text.split("### BEGIN SOLUTION\n")[1].split("### END SOLUTION")[0]
            assert "*Model answer.*" in region
        assert _rubric_points(region) == points, grade_id
        i = in_release[grade_id]
        released = _text(release[i])
        for word in ("Rubric", "Model answer", "MARK SCHEME", "SOLUTION"):
            assert word not in released, f"{grade_id}: the release shows {word!r}"
        before = release[i - 1]
        if meta.get("task"):
            # the student's plotting cell comes right before; its instructions stand above that
            assert _meta(before).get("grade_id") == grade_id[len("task_"):] and _meta(before).get("solution")
            assert released.startswith(f"**Figure (graded by hand, {points} points).**"), released
            assert "Figure" in _text(release[i - 2]) or "Task" in _text(release[i - 2])
        else:
            assert "YOUR ANSWER HERE" in released
            question = _text(before)
            assert before["cell_type"] == "markdown" and not _meta(before).get("grade"), grade_id
            assert "**Question" in question and "?" in question and f"{points} points" in question, question


@pytest.mark.parametrize("assignment", REWRITTEN)
def test_every_figure_cell_is_followed_by_its_task(assignment):
    source = _notebook("source", assignment)
    figures = [i for i, c in enumerate(source) if (_meta(c).get("grade_id") or "").startswith("figure_")]
    assert figures
    for i in figures:
        grade_id = _meta(source[i])["grade_id"]
        assert _meta(source[i + 1]).get("grade_id") == f"task_{grade_id}", f"{grade_id} has no task cell after it"


@pytest.mark.parametrize("assignment", REWRITTEN)
def test_notebooks_say_hyperparameter_and_allow_lists(assignment):
    text = " ".join(_text(c) for c in _notebook("release", assignment) if c["cell_type"] == "markdown")
    assert "hyperparameter" in text
    assert "lists" in text and "NumPy arrays" in text


# --------------------------------------------------------------------------- numbers quoted in the prose


def _execute(assignment):
    """Run every code cell of the source notebook in one namespace (matplotlib without a display)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cells = _notebook("source", assignment)
    namespace, printed = {}, {}
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(_text(cell), _meta(cell).get("grade_id", "cell"), "exec"), namespace)  # noqa: S102
        plt.close("all")
        printed[_meta(cell).get("grade_id")] = out.getvalue()
    prose = {(_meta(c).get("grade_id") or f"md{i}"): _text(c) for i, c in enumerate(cells) if c["cell_type"] == "markdown"}
    return namespace, printed, prose


@pytest.fixture(scope="module")
def ps3_run():
    return _execute("ps3_momentum")


def _quoted(prose, literal, value, where=None):
    """``literal`` stands in the prose (a cell, or anywhere) and ``value`` rounds to it."""
    text = " ".join((prose[where] if where else "\n".join(prose.values())).split())
    assert literal in text, f"the prose no longer quotes {literal!r}"
    number = literal.replace("\\times 10^{", "e").replace("}", "").replace(" ", "").strip("+$")
    mantissa = number.split("e")[0].lstrip("-")
    decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
    exponent = int(number.split("e")[1]) if "e" in number else 0
    tolerance = 0.5 * 10 ** (exponent - decimals) + 1e-12
    assert abs(float(number) - value) <= tolerance, f"{literal} is quoted, the notebook computes {value}"


def test_ps3_valley_numbers(ps3_run):
    ns, printed, prose = ps3_run
    runs = ns["runs"]
    gd, mom, heavy = runs.values()
    across_gd, along_gd = ns["valley_components"](gd)
    across_mom, along_mom = ns["valley_components"](mom)
    for literal, value in zip(("-0.134", "+0.124", "-0.114"), across_gd):
        _quoted(prose, literal, value, "answer_momentum")
    for literal, value in zip(("-0.134", "+0.238", "-0.258", "+0.238"), across_mom):
        _quoted(prose, literal, value, "answer_momentum")
    for literal, value in zip(("0.73", "0.70", "0.68"), ns["crossing_ratios"]):
        _quoted(prose, literal, value, "answer_momentum")
    assert math.isclose(math.sqrt(ns["beta_opt"]), 2 / 3)
    _quoted(prose, "$1.0$", along_gd[10], "answer_momentum")
    _quoted(prose, "$0.17$", along_mom[10], "answer_momentum")
    loss = ns["valley_loss"]
    assert 1e-18 <= loss(mom[-1]) < 1e-17 and 1e-4 < loss(gd[-1]) < 3e-4  # "about 1e-18", "about 2e-4"
    _quoted(prose, "0.09", loss(heavy[-1]), "answer_momentum")
    assert np.sum(np.diff(loss(heavy)) > 0) >= 10  # it goes up and down in waves
    assert loss(heavy[-1]) > loss(gd[-1])
    # steps to a million-fold smaller error, from the figure's start
    theta0 = np.array([2.0, 1.0])
    for literal, lr, beta in (("173 steps", ns["lr_gd_valley"], 0.0), ("takes 41", ns["lr_ema"], ns["beta_opt"])):
        path = ns["run_momentum"](ns["valley_grad"], theta0, lr, beta, 400)
        k = int(np.argmax(np.linalg.norm(path, axis=1) < 1e-6 * np.linalg.norm(theta0)))
        assert literal in prose["md18"] or literal in "\n".join(prose.values())
        assert str(k) in literal, f"{literal!r} is quoted, the notebook takes {k} steps"
    assert math.log(1e6) / math.log(1.5) == pytest.approx(34.07, abs=0.01)  # "about 35 steps" at the rate 2/3
    assert math.log(1e6) / math.log(26 / 24) == pytest.approx(172.6, abs=0.1)


def test_ps3_rate_numbers(ps3_run):
    ns, printed, prose = ps3_run
    for literal, name in (("0.866", "lr_gd_limit"), ("0.503", "lr_gd"), ("0.477", "lr_mb_limit"), ("0.239", "lr_mb"),
                          ("0.028", "lr_sgd")):
        _quoted(prose, literal, ns[name], "task_figure_sgd_losses")
    _quoted(prose, "0.057", ns["lr_sgd_limit"], "task_figure_sgd_losses")
    # the limits are what the closed forms say: 2 / lambda_max(2/n X'X) and 1 / max |x|^2
    X = ns["X"]
    assert ns["lr_gd_limit"] == pytest.approx(2 / np.linalg.eigvalsh(2 / 500 * X.T @ X)[-1])
    assert ns["lr_sgd_limit"] == pytest.approx(1 / np.max(np.sum(X**2, axis=1)))
    lam = ns["lam"]
    kappa = lam[-1] / lam[0]
    _quoted(prose, "2.31", lam[-1], "answer_sgd_noise")
    _quoted(prose, "1.67", lam[0], "answer_sgd_noise")
    _quoted(prose, "1.4", kappa, "answer_sgd_noise")
    _quoted(prose, "0.16", (kappa - 1) / (kappa + 1), "answer_sgd_noise")


def test_ps3_sgd_numbers(ps3_run):
    ns, printed, prose = ps3_run
    gd, mb, sgd = ns["excess"].values()
    where = "answer_sgd_noise"
    _quoted(prose, "8.04", gd[0], where)
    _quoted(prose, "0.235", ns["L_best"], where)
    for literal, value in (("0.0054", mb[1]), ("0.052", sgd[1]), ("0.066", gd[1]),
                           ("1.5 \\times 10^{-5}", gd[3]), ("2.9 \\times 10^{-3}", mb[3]), ("0.010", sgd[3])):
        _quoted(prose, literal, value, where)
    assert mb[1] < min(sgd[1], gd[1]) and gd[3] < min(mb[3], sgd[3])
    assert np.max(gd[10:]) < 1e-12  # "falling to machine precision"
    _quoted(prose, "0.014", np.mean(mb[-10:]), where)
    floors = list(ns["floors"].values())
    for literal, value in zip(("0.044", "0.0053", "0.00036", "0.00011"), floors):
        _quoted(prose, literal, value, where)
    assert floors[0] > floors[1] > floors[2] > floors[3]  # the floor grows with the rate; the decay goes below
    sixteenth = list(ns["sgd_excess"].values())[2]
    _quoted(prose, "0.30", sixteenth[1], where)
    decayed = list(ns["sgd_excess"].values())[3]
    assert decayed[1] == pytest.approx(sgd[1])  # the decay starts at the large rate
