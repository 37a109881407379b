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
import copy
import inspect
import io
import json
import math
import re
from pathlib import Path

import numpy as np
import pytest

from autograder.cohort import variants as cohort_variants
from lrcourse import landscapes, reference
from lrcourse.cases import CASES, aspects, get_cases
from lrcourse.cases import ps3_momentum as ps3_cases
from lrcourse.cases import ps4_diagnosis as ps4_cases
from lrcourse.cases.base import Drawn
from lrcourse.grading import assess_function, check
from lrcourse.mistakes import MISTAKES

#: (label, wrong function) pairs of the registered mistakes, by function
WRONG_FUNCTIONS = {name: [(m.label, m.wrong) for m in ms] for name, ms in MISTAKES.items()}


ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENTS = {"ps3_momentum": "momentum", "ps4_diagnosis": "diagnosis"}
REWRITTEN = list(ASSIGNMENTS)
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
    assert LIST_LABEL in [label for label, _ in WRONG_FUNCTIONS[name]], f"{name}: the list mistake is not registered"


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

MISTAKE_PARAMS = [(name, label, fn) for name in FUNCTIONS for label, fn in WRONG_FUNCTIONS.get(name, ())]


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
        module = cohort_variants(assignment)
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


@pytest.mark.parametrize("assignment, name, label, source", _variants("MUTATING"),
                         ids=lambda x: x if isinstance(x, str) and len(x) < 20 else "")
def test_demo_in_place_updates_are_reported(assignment, name, label, source):
    fn = _student(assignment, name, source)
    failing = [m for m in (_fails(name, fn, a) for a in aspects(name)) if m]
    assert any("input mutated" in m for m in failing), "\n".join(failing)


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
    number = literal.replace("\\times 10^{", "e").replace("}", "").replace(" ", "").strip("+$%")
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


@pytest.fixture(scope="module")
def ps4_run():
    return _execute("ps4_diagnosis")


def test_ps4_oscillation_claim_worked_by_hand():
    """Along GD on a quadratic the loss is a sum of a_i q_i**k with q_i = (1 - lr lambda_i)**2: convex in k,
    and falling at every step below 2 / lambda_max, also when the iterate flips sign (1 < lr lambda < 2)."""
    A = np.diag([1.0, 25.0])
    for lr in (0.01, 0.05, 0.07, 0.079):  # lr * 25 from 0.25 to 1.975
        w, losses = np.array([2.0, 1.0]), []
        for _ in range(60):
            losses.append(0.5 * w @ A @ w)
            w = w - lr * A @ w
        d = np.diff(losses)
        assert np.all(d <= 0) and np.all(np.diff(d) >= -1e-12), lr
    w, losses = np.array([2.0, 1e-6]), []  # above the limit: falls, then rises, once
    for _ in range(80):
        losses.append(0.5 * w @ A @ w)
        w = w - 0.085 * A @ w
    signs = np.sign(np.diff(losses))
    assert signs[0] < 0 < signs[-1] and np.sum(signs[1:] != signs[:-1]) == 1


def test_ps4_regression_range_test_numbers(ps4_run):
    ns, printed, prose = ps4_run
    where = "answer_range_test_figure"
    _quoted(prose, "3.3 \\times 10^{-3}", ns["best_lr"], where)
    _quoted(prose, "0.49", ns["min_lr"], where)
    _quoted(prose, "0.049", ns["min_lr"] / 10, where)
    lam_max = np.linalg.eigvalsh(2 / 200 * ns["X"].T @ ns["X"])[-1]
    _quoted(prose, "0.11", 2 / lam_max, where)
    histories = list(ns["checks"].values())
    _quoted(prose, "17.2", histories[0][0], where)
    _quoted(prose, "0.92", histories[0][-1], where)
    assert 1e53 < histories[1][-1] < 1e55  # "about 10^{54}"
    _quoted(prose, "0.093", histories[2][-1], where)
    assert [ns["diagnose"](h) for h in histories] == ["healthy", "diverging", "healthy"]
    # a log loss axis would point elsewhere: the steepest slope of log(loss) is about three times larger
    lrs, losses = ns["lrs"], ns["losses"]
    log_steepest = lrs[np.argmin(np.gradient(np.log(losses), np.log(lrs)))]
    assert 2.5 < log_steepest / ns["best_lr"] < 3.5
    assert "about three times larger" in prose["md28"]


def test_ps4_network_numbers(ps4_run):
    ns, printed, prose = ps4_run
    task, answer = "task_figure_network_range_test", "answer_network"
    assert len(ns["lrs_raw"]) == 76 and len(ns["lrs_net"]) == 86
    _quoted(prose, "6.1", ns["lrs_raw"][-1], task)
    _quoted(prose, "19.6", ns["lrs_net"][-1], task)
    _quoted(prose, "6.1", ns["lrs_raw"][-1], answer)
    _quoted(prose, "19.6", ns["lrs_net"][-1], answer)
    _quoted(prose, "1.7", ns["lr_steep"], task)
    _quoted(prose, "0.55", ns["lr_min10"], task)
    steep, min10 = ns["readings"][:, 0], ns["readings"][:, 1]
    _quoted(prose, "0.001", steep.min(), answer)
    _quoted(prose, "14", steep.max(), answer)
    _quoted(prose, "0.31", min10.min(), answer)
    _quoted(prose, "1.10", min10.max(), answer)
    assert np.log10(steep.max() / steep.min()) > 3 and min10.max() / min10.min() < 4
    runs = list(ns["training"].values())
    for (lr, w, batch_losses, epoch_losses), loss, acc, up in zip(runs, ("0.074", "0.19"), ("98 %", "93 %"),
                                                                  ("47 %", "49 %")):
        assert ns["diagnose"](epoch_losses) == "healthy" and ns["diagnose"](batch_losses) == "oscillating"
        ups = np.sum(np.diff(epoch_losses) > 0)
        assert ups <= (len(epoch_losses) - 1) / 3 - 1, "the epoch diagnosis sits near the threshold"
        assert np.min(np.abs(np.diff(epoch_losses)) / epoch_losses[1:]) > 1e-3  # no near-tie an ulp could flip
        _quoted(prose, loss, epoch_losses[-1], answer)
        assert acc in " ".join(prose[answer].split()) and abs(ns["accuracy"](w) * 100 - float(acc[:2])) <= 0.5
        assert up in prose[answer] and round(100 * np.mean(np.diff(batch_losses) > 0)) == int(up[:2])


def test_ps4_history_numbers(ps4_run):
    ns, printed, prose = ps4_run
    where = "answer_loss_history"
    diagnose, history = ns["diagnose"], ns["momentum_history"]
    run_b, run_c = ns["RUN_B"], ns["RUN_C"]
    assert diagnose(ns["RUN_A"]) == "too_slow"
    _quoted(prose, "0.4 %", 100 * (2.303 - 2.293) / 2.303, where)
    _quoted(prose, "0.09 %", 100 * 0.002 / 2.303, where)
    # Run B: momentum's waves; half the rate keeps them, a smaller beta cures them
    assert diagnose(run_b) == "oscillating" and np.sum(np.diff(run_b) > 0) == 14
    assert "14 of its 30 steps go up" in prose[where]
    _quoted(prose, "17.2", run_b[0], where)
    _quoted(prose, "0.50", run_b[5], where)
    _quoted(prose, "10.1", run_b[10], where)
    half = history(ns["mse_loss"], ns["mse_grad"], np.zeros(5), 0.05, 0.95, 30)
    assert diagnose(half) == "oscillating" and np.sum(np.diff(half) > 0) == 13 and "13 of 30" in prose[where]
    calm = history(ns["mse_loss"], ns["mse_grad"], np.zeros(5), 0.1, 0.5, 30)
    assert diagnose(calm) == "healthy" and np.sum(np.diff(calm) > 0) == 3 and "3 of 30" in prose[where]
    _quoted(prose, "0.032", calm[-1], where)
    gd = ns["loss_history"](ns["mse_loss"], ns["mse_grad"], np.zeros(5), 0.1, 30)
    assert np.all(np.diff(gd) < 0)  # plain GD at the same rate falls at every step
    # Run C: problem set 3's SGD run at its noise floor
    assert diagnose(run_c) == "oscillating" and np.sum(np.diff(run_c) > 0) == 14 and "14 of 30" in prose[where]
    assert diagnose(run_c[1:]) == "diverging"
    _quoted(prose, "0.311", run_c[-1], where)
    _quoted(prose, "0.286", run_c[1], where)
    _quoted(prose, "8.27", run_c[0], where)
    X, y = ns["X_ps3"], ns["y_ps3"]
    best = np.mean((X @ np.linalg.lstsq(X, y, rcond=None)[0] - y) ** 2)
    _quoted(prose, "0.235", best, where)
    assert np.max(run_c[1:]) < 1.4 * best  # "a little above the best possible"


def test_ps4_tuning_loop_and_attribution(ps4_run):
    ns, printed, prose = ps4_run
    out = printed["demo_tuning_loop"]
    assert "lr = 0.004    loss after 10 steps = 21.3       -> healthy" in out
    assert "at 0.004" in " ".join(prose.values())
    text = " ".join(" ".join(prose.values()).split())
    assert "fastai" in text and "`lr_find`" in text and "*linearly*" in text
    assert "Smith" in text and "L. Smith, *Cyclical Learning Rates for Training Neural Networks*, 2017; the" not in text
    assert "a log scale for the loss helps" not in text


def test_ps4_network_gradient_is_right(ps4_run):
    """The read-only network's backpropagation against central differences of its loss."""
    ns = ps4_run[0]
    w = ns["init_network"](3) + 0.1
    X, y = ns["MOONS_X"][:50], ns["MOONS_Y"][:50]
    h = 1e-6
    numeric = np.array([(ns["network_loss"](w + h * e, X, y) - ns["network_loss"](w - h * e, X, y)) / (2 * h)
                        for e in np.eye(w.size)])
    assert np.allclose(ns["network_grad"](w, X, y), numeric, atol=1e-7)
    # the smoothed loss is fastai's bias-corrected running average: the first value is the raw loss
    loss_raw, grad_raw = ns["minibatch_fns"](8, seed=1)
    loss_s, grad_s = ns["minibatch_fns"](8, seed=1, smoothing=0.9)
    grad_raw(w), grad_s(w)
    first = loss_raw(w)
    assert loss_s(w) == pytest.approx(first)
    grad_raw(w), grad_s(w)
    second = loss_raw(w)
    assert loss_s(w) == pytest.approx((0.9 * 0.1 * first + 0.1 * second) / (1 - 0.81))


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_notebooks_run_well_under_a_minute(assignment):
    import time

    start = time.perf_counter()
    _execute(assignment)
    assert time.perf_counter() - start < 20


# --------------------------------------------------------------------------- mistakes under other seeds


def _judge(name, fn, aspect, seed):
    """(number of wrong cases, the first registered mistake that reproduces all of them) under ``seed``."""
    outcome = assess_function(name, fn, aspect, seed)
    return outcome.n_wrong, outcome.mistake


@pytest.mark.parametrize("name", FUNCTIONS)
def test_mistakes_caught_and_named_under_other_seeds(name):
    for seed in (1, 7, 123456789):
        for aspect in aspects(name):
            assert _judge(name, getattr(reference, name), aspect, seed) == (0, None)
        for label, wrong in WRONG_FUNCTIONS[name]:
            verdicts = [_judge(name, wrong, aspect, seed) for aspect in aspects(name)]
            assert any(n and got == label for n, got in verdicts), (seed, label, verdicts)


# --------------------------------------------------------------------------- visible asserts are hidden cases


def _same(a, b, probe):
    if callable(a) or callable(b):
        if not (callable(a) and callable(b)):
            return False
        x = np.asarray(probe, dtype=float)
        try:
            with np.errstate(all="ignore"):
                return bool(np.allclose(a(x), b(x)) and np.allclose(a(x + 0.37), b(x + 0.37)))
        except ValueError:
            return False

    def kind(v):
        return "seq" if isinstance(v, (list, tuple)) else "array" if isinstance(v, np.ndarray) else "scalar"
    if kind(a) != kind(b) or isinstance(a, str) != isinstance(b, str):
        return False
    if isinstance(a, str):
        return a == b
    try:
        a_arr, b_arr = np.asarray(a), np.asarray(b)
        return (a_arr.shape == b_arr.shape and (a_arr.dtype.kind in "iu") == (b_arr.dtype.kind in "iu")
                and bool(np.array_equal(a_arr.astype(float), b_arr.astype(float), equal_nan=True)))
    except (TypeError, ValueError):
        return False


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_visible_asserts_are_among_the_hidden_cases(assignment):
    import matplotlib

    matplotlib.use("Agg")
    cells = _notebook("source", assignment)
    base = {}
    for cell in cells:
        grade_id = _meta(cell).get("grade_id") or ""
        if cell["cell_type"] == "code" and (grade_id == "setup" or grade_id.startswith("helpers")):
            exec(_text(cell), base)  # noqa: S102
    checked = 0
    for cell in cells:
        if not (_meta(cell).get("grade") and cell["cell_type"] == "code"):
            continue
        visible, hidden = _text(cell).split("### BEGIN HIDDEN TESTS")
        name, aspect = re.search(r'check\("(\w+)", \w+, "(\w+)"\)', hidden).group(1, 2)
        calls = []

        def recorder(*args, _ref=getattr(reference, name), **kwargs):
            bound = inspect.signature(_ref).bind(*args, **kwargs)
            calls.append(copy.deepcopy(bound.args))
            return _ref(*args, **kwargs)

        ns = dict(base)
        ns.update({f: getattr(reference, f) for f in reference.ASSIGNMENTS[assignment]})
        ns[name] = recorder
        with np.errstate(all="ignore"):
            exec(visible, ns)  # noqa: S102
        assert calls, f"{_meta(cell)['grade_id']}: no visible call of {name}"
        hidden_cases = get_cases(name, aspect)
        for args in calls:
            probe = next((a for a in args[1:] if not callable(a)), 0.0) if callable(args[0]) else 0.0
            assert any(len(args) == len(c.args) and all(_same(x, y, probe) for x, y in zip(args, c.args))
                       for c in hidden_cases), f"{_meta(cell)['grade_id']}: {name}{args} is not a hidden case"
            checked += 1
    assert checked >= 15


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_demo_extra_cells_match_the_release(assignment):
    module = cohort_variants(assignment)
    release = _notebook("release", assignment)
    hand = {_meta(c).get("grade_id") for c in release if _meta(c).get("solution")} - set(
        reference.ASSIGNMENTS[assignment])
    assert set(module.EXTRA) == hand, set(module.EXTRA) ^ hand


def test_ps4_range_curve_shape_quoted(ps4_run):
    ns, printed, prose = ps4_run
    lrs, losses = ns["lrs"], ns["losses"]

    def at(lr):
        return losses[np.argmin(np.abs(np.log(lrs / lr)))]

    where = "answer_range_test_figure"
    assert "from about 13 to about 1" in " ".join(prose[where].split())
    assert round(at(1e-3)) == 13 and round(at(1e-2)) == 1
    assert at(3e-4) > 0.9 * losses[0]  # "nearly flat" below 3e-4
