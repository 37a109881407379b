"""ps1_update_rule and ps2_schedules: the numbers the prose quotes, the drawn cases, the mistakes, the hand-graded cells.

* The numbers the text and the model answers quote are read from the executed source notebook (run once per
  module) and, where there is one, from a closed form worked by hand.
* Drawn cases stay clear of the SPEC's thresholds for 200 seeds, and change with the seed.
* Every registered mistake of the two assignments is caught and named under several seeds; implementations
  adapted from public libraries (PyTorch's, Keras's and timm's warm-restart closed forms, dtype-preserving
  updates, code that never converts a list) fail and are named.
* Every figure is a task cell with points and a mark scheme, every written answer has a rubric; none of it is in
  the release, and every question stands in the release in the cell before its answer.
* Every visible assert's inputs are among the hidden cases of the same test cell.
"""

from __future__ import annotations

import copy
import json
import math
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest

from autograder.cohort import variants as cohort_variants
from lrcourse import reference
from lrcourse.cases import CASES, aspects, get_cases
from lrcourse.cases.base import Drawn
from lrcourse.grading import assess_function, check, serialize
from lrcourse.mistakes import MISTAKES

#: (label, wrong function) pairs of the registered mistakes, by function
WRONG_FUNCTIONS = {name: [(m.label, m.wrong) for m in ms] for name, ms in MISTAKES.items()}


ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = {"ps1_update_rule": "update_rule", "ps2_schedules": "schedules"}
FUNCTIONS = [n for a in NOTEBOOKS for n in reference.ASSIGNMENTS[a]]
SEEDS = range(200)

LIST = "fails on a list: convert with np.asarray"
INT_CAST = "integer input gave integer results (cast back to the input's dtype): compute in floats"
LOG = "cycle index from a floating-point log: use integer arithmetic"
INT_PATH = "integer w0 gave an integer path (the array of iterates took w0's dtype): allocate it as floats"
INT_PATH_STEP = "integer w0 gave an integer path, and each step started from the rounded iterate: allocate it as floats"


def _meta(cell):
    return cell.metadata.get("nbgrader", {})


def _read(kind, assignment):
    return nbformat.read(ROOT / kind / assignment / f"{NOTEBOOKS[assignment]}.ipynb", as_version=4)


# --------------------------------------------------------------------------- a small, independent judge


def _judge(name, fn, aspect, seed):
    """(number of wrong cases, the label of the first registered mistake that reproduces all of them)."""
    outcome = assess_function(name, fn, aspect, seed)
    return outcome.n_wrong, outcome.mistake


def _failure(name, fn, aspect):
    """The message of the in-kernel ``check`` (default seed), or None when it passes."""
    try:
        check(name, fn, aspect)
    except AssertionError as exc:
        return str(exc)
    return None


# --------------------------------------------------------------------------- executed source notebooks

_QUOTE_CELL = r'''
import json as _json
_q = {"lecture": {}, "steps": {}}
for _lr in (0.05, 0.3, 0.8, 1.05):
    _p = gradient_descent(grad_theta, -1.0, _lr, 15)
    _q["lecture"][repr(_lr)] = {"theta": _p.tolist(), "loss": loss_theta(_p).tolist()}
for _lr in (0.001, 0.01, 0.05, 0.1, 0.3, 0.5, 0.7, 0.8, 0.95, 1.0, 1.05):
    _q["steps"][repr(_lr)] = float(steps_to_tolerance(_lr, 2.0, 4.0, 1e-6))
_q["w2"] = gradient_descent(grad_w2, 5.0, 0.1, 8).tolist()
_q["bounce"] = loss_w2(gradient_descent(grad_w2, 5.0, 1.0, 4)).tolist()
_q["first_within_1"] = float(steps_to_tolerance(0.1, 2.0, 5.0, 1.0))
_q["lr03_within_1e3"] = float(steps_to_tolerance(0.3, 2.0, 4.0, 1e-3))
print("QUOTED" + _json.dumps(_q))
'''

_QUOTE_CELL_PS2 = r'''
import json as _json
_t = np.arange(100)
_q = {"t99": {
    "step": float(step_decay(99, 0.1, 0.5, 25)), "exp": float(exponential_decay(99, 0.1, 0.03)),
    "inv": float(inverse_time_decay(99, 0.1, 0.05)), "cos": float(cosine_annealing(99, 0.1, 0.001, 100)),
    "sgdr": float(cosine_warm_restarts(99, 0.1, 0.001, 10, T_mult=2))},
    "cos20": float(cosine_annealing(20, 0.1, 0.001, 100)),
    "restarts": [int(s) for s in _t[1:] if cosine_warm_restarts(s, 0.1, 0.001, 10, T_mult=2)
                 > cosine_warm_restarts(s - 1, 0.1, 0.001, 10, T_mult=2)],
    "runs": {}}
for _name, _lrs in {"constant": np.full(60, 0.05), "exp": exponential_decay(np.arange(60), 0.3, 0.5),
                    "inv": inverse_time_decay(np.arange(60), 0.3, 0.1)}.items():
    _theta = gd_with_schedule(grad, -1.0, _lrs)
    _q["runs"][_name] = {"theta": _theta.tolist(), "sum": float(np.sum(_lrs)), "prod": float(np.prod(1 - 2 * _lrs)),
                         "max_slope": float(np.max(np.abs(grad(_theta[:-1]))))}
_q["int_w0"] = gd_with_schedule(lambda w: 2 * w, 5, [0.1, 0.1]).tolist()
print("QUOTED" + _json.dumps(_q))
'''


def _execute(assignment, extra):
    from nbclient import NotebookClient

    nb = _read("source", assignment)
    nb.cells.append(nbformat.v4.new_code_cell(extra))
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(ROOT / "source" / assignment)}}).execute()
    printed = {}
    for cell in nb.cells:
        if cell.cell_type == "code":
            printed[_meta(cell).get("grade_id") or cell.source[:30]] = "".join(
                o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream")
    quoted = json.loads(printed[extra[:30]].split("QUOTED", 1)[1])
    text = {_meta(c).get("grade_id") or f"md{i}": c.source for i, c in enumerate(nb.cells)}
    return quoted, printed, text


@pytest.fixture(scope="module")
def ps1():
    return _execute("ps1_update_rule", _QUOTE_CELL)


@pytest.fixture(scope="module")
def ps2():
    return _execute("ps2_schedules", _QUOTE_CELL_PS2)


def _says(text, phrase):
    flat = re.sub(r"\s+", " ", text)
    assert phrase in flat, f"the text no longer says {phrase!r}"


def _cell(text, start):
    matches = [v for k, v in text.items() if v.startswith(start) or k == start]
    assert len(matches) == 1, start
    return matches[0]


def test_ps1_lecture_rates_quoted(ps1):
    quoted, printed, text = ps1
    lec = quoted["lecture"]
    theta08, loss08 = lec["0.8"]["theta"], lec["0.8"]["loss"]
    # the closed form theta_t = 3 - 4 * (1 - 2 lr)**t, worked by hand: factor -0.6, loss factor 0.36
    assert np.allclose(theta08, 3 - 4 * (-0.6) ** np.arange(16))
    answer = text["answer_loss_at_08"]
    assert round(theta08[1], 2) == 5.4 and round(theta08[2], 2) == 1.56 and round(theta08[3], 2) == 3.86
    _says(answer, r"$-1 \to 5.4 \to 1.56 \to 3.86 \to \dots$")
    assert [round(x, 2) for x in loss08[:4]] == [16.0, 5.76, 2.07, 0.75]
    _says(answer, r"$16 \to 5.76 \to 2.07 \to 0.75 \to \dots$")
    assert np.all(np.diff(loss08) < 0), "the loss at 0.8 falls at every step"
    assert f"{loss08[-1]:.1e}" == "3.5e-06" and math.isclose(loss08[-1], 16 * 0.36**15, rel_tol=1e-9)
    _says(answer, r"$3.5 \times 10^{-6}$ after 15 steps")
    assert round(lec["0.05"]["loss"][-1], 2) == 0.68
    _says(answer, "still about 0.68 after 15 steps")
    assert f"{lec['0.3']['loss'][-1]:.1e}" == "1.8e-11"
    _says(answer, r"about $1.8 \times 10^{-11}$")
    assert "theta_1 = 5.40, theta_2 = 1.56, loss after 15 steps = 3.5e-06" in printed["figure_lecture_rates"]
    _says(_cell(text, "task_figure_lecture_rates"), r"$\theta_1 = 5.4$, $\theta_2 = 1.56$")


def test_ps1_regimes_quoted(ps1):
    quoted, _, text = ps1
    lec = quoted["lecture"]
    answer = text["answer_regimes_figure"]
    assert round(abs(lec["0.05"]["theta"][-1] - 3), 2) == 0.82
    _says(answer, r"$4 \cdot 0.9^{15} \approx 0.82$")
    assert round(abs(lec["1.05"]["theta"][-1] - 3)) == 17 and round(lec["1.05"]["loss"][-1], -1) == 280
    _says(answer, r"$4 \cdot 1.1^{15} \approx 17$ and the loss has grown from 16 to about 280")
    _says(_cell(text, "### The three regimes"), "climbs to about 280")
    assert quoted["lr03_within_1e3"] == 10
    _says(answer, r"within $10^{-3}$ of the minimum after 10 steps")
    assert quoted["bounce"] == [25.0] * 5
    _says(text["answer_bounce"], "the loss stays at 25")


def test_ps1_step_counts_quoted(ps1):
    quoted, printed, text = ps1
    steps = quoted["steps"]
    assert steps["0.3"] == steps["0.7"] == 17 and steps["0.5"] == 1
    assert steps["0.95"] == 145 and steps["0.001"] > 1000 and math.isinf(steps["1.0"])
    answer = text["answer_best_lr"]
    _says(answer, "take the same 17 steps")
    _says(answer, "(0.95 needs 145)")
    _says(answer, "0.001 needs thousands of steps")
    table = next(v for k, v in printed.items() if k.startswith("try:"))
    assert "lr = 0.3     factor |1 - 2 lr| = 0.400  steps: 17" in table and "steps: 145" in table
    assert quoted["first_within_1"] == 8
    assert np.allclose(quoted["w2"], 5 * 0.8 ** np.arange(9))
    _says(_cell(text, "## 6. How many steps?"), "5, 4, 3.2, 2.56, 2.048, 1.638, 1.311, 1.049, 0.839")


def test_ps2_schedules_figure_quoted(ps2):
    quoted, _, text = ps2
    t99 = quoted["t99"]
    answer = text["answer_schedules"]
    assert quoted["restarts"] == [10, 30, 70]
    _says(answer, "The restarts are at $t = 10, 30, 70$")
    assert round(t99["sgdr"], 3) == 0.071 and round(t99["cos"], 3) == 0.001
    assert round(t99["inv"], 3) == 0.017 and t99["step"] == 0.0125 and round(t99["exp"], 3) == 0.005
    assert max(t99.values()) == t99["sgdr"] and min(t99.values()) == t99["cos"]
    _says(answer, r"(about $0.071$")
    _says(answer, r"inverse time $\approx 0.017$, step decay $0.0125$, exponential $\approx 0.005$")
    assert quoted["cos20"] > 0.09
    _says(answer, "still above $0.09$ at $t = 20$")


def test_ps2_too_fast_decay_quoted(ps2):
    quoted, _, text = ps2
    runs = quoted["runs"]
    answer = text["answer_too_fast_decay"]
    exp, inv, const = runs["exp"], runs["inv"], runs["constant"]
    geometric = 0.3 / (1 - math.exp(-0.5))  # the infinite sum, by hand
    assert round(geometric, 2) == round(exp["sum"], 2) == 0.76
    _says(answer, r"0.3 / (1 - e^{-0.5}) \approx 0.76")
    assert round(exp["prod"], 2) == 0.14 and math.isclose(3 - 4 * exp["prod"], exp["theta"][-1], rel_tol=1e-12)
    _says(answer, "The product settles at about $0.14$")
    assert round(exp["theta"][-1], 2) == 2.44 and round(3 - exp["theta"][-1], 2) == 0.56
    _says(answer, r"freezes at about $2.44$, a distance of $0.56$")
    assert round(exp["theta"][5], 2) == 2.37 and round(const["theta"][5], 2) == 0.64
    _says(answer, r"$\theta_5 \approx 2.37$, when the constant rate $0.05$ is only at $0.64$")
    # the honest bound: distance travelled <= max slope * sum of rates, and that is more than the 4 needed
    assert exp["max_slope"] == 8.0 and round(8 * exp["sum"], 1) == 6.1 > 4
    _says(answer, r"$8 \sum_t \eta_t \approx 6.1$: more than the $4$ needed")
    assert round(inv["sum"]) == 6 and abs(inv["theta"][-1] - 3) < 1e-5
    _says(answer, "(already about $6$ over 60 steps)")
    _says(answer, r"(to within $10^{-5}$ by $t = 60$)")
    rubric = _cell(text, "task_figure_too_fast_decay")
    assert round(const["theta"][-1], 3) == 2.993 and round(exp["theta"][-1], 3) == 2.444
    assert round(inv["sum"], 2) == 5.97
    _says(rubric, "constant 0.05 ends near 2.993 (sum 3.0), the exponential stalls near 2.444 (sum about 0.76)")
    _says(rubric, "(sum about 5.97)")
    assert quoted["int_w0"] == [5.0, 4.0, 3.2] or np.allclose(quoted["int_w0"], [5.0, 4.0, 3.2])


def test_ps2_narrative_fixes(ps2):
    _, _, text = ps2
    intro = text["md0"]
    assert "bounce around" not in intro and "noise floor" in re.sub(r"\s+", " ", intro).replace("*", "")
    _says(_cell(text, "## 3. Inverse-time decay"), "which will matter in section 8")
    assert _cell(text, "## 8. Does a decaying rate always help?")
    summary = re.sub(r"\s+", " ", _cell(text, "## Summary"))
    assert "bounded by the sum of the step sizes" not in summary
    assert r"\prod_t (1 - \eta_t L'')" in summary


# --------------------------------------------------------------------------- drawn cases


def _drawn_positions(name, aspect):
    return [i for i, e in enumerate(CASES[(name, aspect)]) if isinstance(e, Drawn)]


def _drawn_keys():
    return [(n, a) for n in FUNCTIONS for a in aspects(n) if _drawn_positions(n, a)]


def test_no_module_level_rng_left():
    for assignment in NOTEBOOKS:
        source = (ROOT / "lrcourse" / "cases" / f"{assignment}.py").read_text()
        assert "default_rng" not in source and "_rng" not in source
        assert "stay below" not in source, "the note that avoided the restart points is gone"
    assert len(_drawn_keys()) >= 10


def _separated(name, case):
    """The reference's answer is clear of every SPEC threshold for this drawn case."""
    args = case.args
    if name == "lr_regime":
        lam = float(np.linalg.eigvalsh(np.atleast_2d(np.asarray(args[1], dtype=float)))[-1])
        r = args[0] * lam
        return abs(r - 2) < 1e-9 or min(abs(r - 1), abs(r - 2)) >= 0.04
    if name == "steps_to_tolerance":
        lr, curvature, d0, tol = args
        q = abs(1 - lr * curvature)
        k = reference.steps_to_tolerance(*args)
        return 1 <= k < 60 and q**k * d0 <= tol * (1 - 1e-3) and q ** (k - 1) * d0 >= tol * (1 + 1e-3)
    if name == "critical_lr":
        lam = np.linalg.eigvalsh(np.asarray(args[0], dtype=float))[-1]
        return abs(lam) >= 0.4
    if name in ("step_decay", "exponential_decay", "inverse_time_decay", "cosine_annealing",
                "cosine_warm_restarts"):
        t = np.asarray(args[0])
        return t.dtype.kind == "i" and t.min() >= 0
    return True


@pytest.mark.parametrize("key", _drawn_keys(), ids=lambda k: "/".join(k))
def test_draws_stay_clear_of_thresholds_for_every_seed(key):
    name, aspect = key
    positions = _drawn_positions(name, aspect)
    ref = getattr(reference, name)
    seen = set()
    for seed in SEEDS:
        cases = get_cases(name, aspect, seed)
        for i in positions:
            case = cases[i]
            assert _separated(name, case), f"seed {seed}: {case.describe(name)} sits near a threshold"
            with np.errstate(all="raise"):
                result = ref(*case.args, **case.kwargs)
            if name == "lr_regime":
                assert result in ("monotone", "oscillating", "periodic", "diverging")
            elif name != "critical_lr":
                assert np.all(np.isfinite(np.asarray(result, dtype=float))), case.describe(name)
            seen.add(json.dumps(serialize(case.args)))
    assert len(seen) > 0.9 * len(SEEDS) * len(positions), "the draws hardly change with the seed"


def test_regime_draws_cover_every_regime():
    regimes = {reference.lr_regime(*c.args) for seed in range(20) for c in get_cases("lr_regime", "basic", seed)}
    assert regimes == {"monotone", "oscillating", "periodic", "diverging"}


@pytest.mark.parametrize("name", FUNCTIONS)
def test_mistakes_caught_and_named_under_other_seeds(name):
    for seed in (None, 1, 7, 123456789):
        for aspect in aspects(name):
            assert _judge(name, getattr(reference, name), aspect, seed) == (0, None)
        for label, wrong in WRONG_FUNCTIONS[name]:
            verdicts = [_judge(name, wrong, aspect, seed) for aspect in aspects(name)]
            assert any(n for n, _ in verdicts), f"seed {seed}: {label!r} passes {name}"
            assert any(n and got == label for n, got in verdicts), (seed, label, verdicts)


# --------------------------------------------------------------------------- the new classes of bugs

_EVERY_ASPECT = {  # (function, label): the aspects where the bug is plausible, so each must catch it
    ("gd_step", INT_CAST): ["basic", "arrays"],
    ("gradient_descent", INT_PATH): ["basic", "edges"],
    ("gradient_descent", INT_PATH_STEP): ["basic", "edges"],
    ("gd_with_schedule", INT_PATH): ["basic", "arrays", "edges"],
    ("gd_with_schedule", INT_PATH_STEP): ["basic", "arrays", "edges"],
    ("gd_step", LIST): ["arrays"],
    ("gradient_descent", LIST): ["basic", "edges"],
    ("critical_lr", LIST): ["basic", "edges"],
    ("lr_regime", LIST): ["basic"],
    ("gd_with_schedule", LIST): ["basic", "arrays", "edges"],
    ("cosine_warm_restarts", LOG): ["mult"],
}
for _name in ("step_decay", "exponential_decay", "inverse_time_decay", "cosine_annealing"):
    _EVERY_ASPECT[(_name, INT_CAST)] = ["basic", "edges"]
    _EVERY_ASPECT[(_name, LIST)] = ["basic", "edges"]
_EVERY_ASPECT[("cosine_warm_restarts", INT_CAST)] = ["basic", "mult"]
_EVERY_ASPECT[("cosine_warm_restarts", LIST)] = ["basic", "mult"]


@pytest.mark.parametrize("key", sorted(_EVERY_ASPECT), ids=lambda k: f"{k[0]}-{k[1][:20]}")
def test_new_mistakes_are_registered_and_caught_in_every_plausible_aspect(key):
    name, label = key
    wrong = dict(WRONG_FUNCTIONS[name])[label]
    for aspect in _EVERY_ASPECT[key]:
        msg = _failure(name, wrong, aspect)
        assert msg and f"Likely mistake: {label}." in msg, (aspect, msg)


def test_integer_inputs_with_fractional_answers_in_every_function():
    """Every function taking numbers gets Python ints whose exact answer is not an integer."""
    for name in FUNCTIONS:
        found = []
        for aspect in aspects(name):
            for case in get_cases(name, aspect):
                if not any(type(a) is int for a in case.args):
                    continue
                try:
                    result = np.asarray(getattr(reference, name)(*case.args, **case.kwargs))
                except ValueError:
                    continue
                if name in ("lr_regime", "steps_to_tolerance") or np.any(result != np.round(result)):
                    found.append(case.describe(name))
        assert found, f"{name}: no case with Python ints and a non-integer answer"
    assert float(reference.gd_step(1, 1, 0.5)) == 0.5
    assert any(c.args[1:] == (5, [0.1, 0.1]) for c in get_cases("gd_with_schedule", "basic"))


# Real implementations, adapted to the SPEC signatures from public libraries' code.


def _sgdr_keras(t, lr_max, lr_min, T0, T_mult=1):
    """Keras CosineDecayRestarts (alpha = lr_min / lr_max, m_mul = 1), in NumPy float64."""
    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("t < 0")
    frac = t / T0
    if T_mult == 1:
        i = np.floor(frac)
        frac = frac - i
    else:
        i = np.floor(np.log(1.0 - frac * (1.0 - T_mult)) / np.log(T_mult))
        total = (1.0 - T_mult**i) / (1.0 - T_mult)
        frac = (frac - total) / T_mult**i
    return lr_min + (lr_max - lr_min) * 0.5 * (1.0 + np.cos(np.pi * frac))


def _sgdr_timm(t, lr_max, lr_min, T0, T_mult=1):
    """timm CosineLRScheduler (cycle_decay = 1, no warmup), one t at a time."""
    ts = np.asarray(t)
    if np.any(ts < 0):
        raise ValueError("t < 0")
    out = []
    for s in ts.ravel().tolist():
        if T_mult != 1:
            i = math.floor(math.log(1 - s / T0 * (1 - T_mult), T_mult))
            t_i = T_mult**i * T0
            t_curr = s - (1 - T_mult**i) / (1 - T_mult) * T0
        else:
            i, t_i, t_curr = s // T0, T0, s - T0 * (s // T0)
        out.append(lr_min + 0.5 * (lr_max - lr_min) * (1 + math.cos(math.pi * t_curr / t_i)))
    return np.array(out).reshape(ts.shape)


def _sgdr_torch(t, lr_max, lr_min, T0, T_mult=1):
    """PyTorch CosineAnnealingWarmRestarts.step(epoch) with an explicit epoch."""
    ts = np.asarray(t)
    if np.any(ts < 0):
        raise ValueError("t < 0")
    out = []
    for epoch in ts.ravel().tolist():
        if epoch >= T0:
            if T_mult == 1:
                t_cur, t_i = epoch % T0, T0
            else:
                n = int(math.log((epoch / T0 * (T_mult - 1) + 1), T_mult))
                t_cur = epoch - T0 * (T_mult**n - 1) / (T_mult - 1)
                t_i = T0 * T_mult ** (n)
        else:
            t_i, t_cur = T0, epoch
        out.append(lr_min + (lr_max - lr_min) * (1 + math.cos(math.pi * t_cur / t_i)) / 2)
    return np.array(out).reshape(ts.shape)


@pytest.mark.parametrize("impl", [_sgdr_torch, _sgdr_keras, _sgdr_timm], ids=lambda f: f.__name__)
def test_library_warm_restart_closed_forms_fail_at_exact_restarts(impl):
    # by hand: 1 + 3 + 9 + 27 + 81 = 121 and 2 * 121 = 242 are restarts; so is 1 + 10 + 100 = 111
    for t, T0, T_mult in ((121, 1, 3), (242, 2, 3), (111, 1, 10)):
        assert reference.cosine_warm_restarts(t, 1.0, 0.0, T0, T_mult=T_mult) == 1.0
        assert float(impl(t, 1.0, 0.0, T0, T_mult=T_mult)) < 1e-9, "the log lands in the cycle before"
    assert _failure("cosine_warm_restarts", impl, "basic") is None
    msg = _failure("cosine_warm_restarts", impl, "mult")
    assert msg and f"Likely mistake: {LOG}." in msg


def _gd_step_keeps_dtype(w, grad, lr):
    w = np.asarray(w)
    return np.asarray(w - lr * np.asarray(grad), dtype=w.dtype)


def _gd_step_copy_inplace(w, grad, lr):
    out = np.array(w)  # int stays int: the in-place update raises a casting error
    out -= lr * np.asarray(grad)
    return out


def _gd_step_attr(w, grad, lr):
    return w.copy() - lr * grad  # a list has .copy() but no arithmetic with floats


def _gd_prealloc_like(grad_fn, w0, lr, n_steps):
    w0 = np.asarray(w0)
    path = np.empty((n_steps + 1,) + w0.shape, dtype=w0.dtype)
    path[0] = w0
    for t in range(n_steps):
        path[t + 1] = path[t] - lr * grad_fn(path[t])
    return path


def _gd_float_copy(grad_fn, w0, lr, n_steps):
    w = w0 * 1.0  # "a float copy": a list cannot be multiplied by a float
    path = [w]
    for _ in range(n_steps):
        w = w - lr * grad_fn(w)
        path.append(w)
    return np.array(path)


def _sched_zeros_like(grad_fn, w0, lrs):
    path = [np.asarray(w0)]
    out = np.zeros_like(np.array([w0] * (len(lrs) + 1)))
    for t, lr in enumerate(lrs):
        path.append(path[-1] - lr * grad_fn(path[-1]))
    out[:] = path
    return out


def _step_decay_no_asarray(t, lr0, gamma, step_size):
    if np.any(t < 0):
        raise ValueError("t < 0")
    return lr0 * gamma ** (t // step_size)


def _critical_ndim(hessian):
    if hessian.ndim == 0:  # a float or a list has no .ndim
        lam = float(hessian)
    else:
        lam = np.linalg.eigvalsh(hessian)[-1]
    return np.inf if lam <= 0 else 2 / lam


def _regime_lt2_first(lr, hessian):
    r = lr * np.max(np.linalg.eigvalsh(np.atleast_2d(hessian)))
    if r <= 1:
        return "monotone"
    if r < 2:
        return "oscillating"
    return "periodic" if np.isclose(r, 2) else "diverging"


REAL_WORLD = [
    ("gd_step", _gd_step_keeps_dtype, ["basic", "arrays"], INT_CAST),
    ("gd_step", _gd_step_copy_inplace, ["basic", "arrays"],
     "fails on integer input (e.g. an in-place update of an integer array): work on np.array(w, dtype=float)"),
    ("gd_step", _gd_step_attr, ["arrays"], LIST),
    ("gradient_descent", _gd_prealloc_like, ["basic", "edges"], INT_PATH_STEP),
    ("gradient_descent", _gd_float_copy, ["basic", "edges"], LIST),
    ("gd_with_schedule", _sched_zeros_like, ["basic", "arrays", "edges"], INT_PATH),
    ("step_decay", _step_decay_no_asarray, ["basic", "edges"], LIST),
    ("lr_regime", _regime_lt2_first, ["basic"],
     "checked r < 2 before np.isclose(r, 2): an r that rounds just below 2 is 'periodic' (keep the order)"),
]


@pytest.mark.parametrize("name, fn, failing, label", REAL_WORLD, ids=[f.__name__ for _, f, _, _ in REAL_WORLD])
def test_real_world_bugs_fail_and_are_named(name, fn, failing, label):
    assert label in dict(WRONG_FUNCTIONS[name])
    for aspect in failing:
        msg = _failure(name, fn, aspect)
        assert msg and f"Likely mistake: {label}." in msg, (aspect, msg)


def test_lr_regime_rounding_just_below_two():
    r = (2 / 49) * 49.0
    assert r == 1.9999999999999998 and r < 2
    assert reference.lr_regime(2 / 49, 49.0) == "periodic"
    assert any(c.args == (2 / 49, 49.0) for c in get_cases("lr_regime", "basic"))


# --------------------------------------------------------------------------- hand-graded cells


def _hand_graded(nb):
    return [c for c in nb.cells if _meta(c).get("task") or (_meta(c).get("grade") and _meta(c).get("solution"))]


@pytest.mark.parametrize("assignment", sorted(NOTEBOOKS))
def test_every_hand_graded_cell_has_points_and_a_rubric_only_in_the_source(assignment):
    source, release = _read("source", assignment), _read("release", assignment)
    released = {_meta(c).get("grade_id"): (i, c) for i, c in enumerate(release.cells)}
    cells = _hand_graded(source)
    assert sum(1 for c in cells if _meta(c).get("task")) >= 2 and sum(1 for c in cells if not _meta(c).get("task"))
    for cell in cells:
        meta = _meta(cell)
        gid = meta["grade_id"]
        assert cell.cell_type == "markdown" and meta.get("points", 0) > 0, gid
        rubric = re.search(r"\*\*Rubric \((\d+) points?\)\.\*\*(.*)", cell.source, re.S)
        assert rubric, f"{gid}: no rubric"
        assert int(rubric.group(1)) == meta["points"], f"{gid}: the rubric's points differ from the cell's"
        assert rubric.group(2).count("1 point") == meta["points"], f"{gid}: one line per point"
        if meta.get("task"):
            assert meta == {"grade": False, "solution": False, "task": True, "locked": True,
                            "points": meta["points"], "grade_id": gid, "schema_version": 3}
            inside = cell.source.split("=== BEGIN MARK SCHEME ===\n")[1].split("\n=== END MARK SCHEME ===")[0]
            assert "**Rubric" in inside, f"{gid}: the rubric must sit inside the mark scheme"
        else:
            assert gid.startswith("answer_") and meta["locked"] is False
            assert cell.source.startswith("### BEGIN SOLUTION\n*Model answer.*")
            assert cell.source.rstrip().endswith("### END SOLUTION")
        i, out = released[gid]
        assert {k: _meta(out).get(k) for k in meta} == meta
        for word in ("Rubric", "MARK SCHEME", "Model answer", "1 point"):
            assert word not in out.source, f"{gid}: the release shows {word!r}"
        before = release.cells[i - 1]
        if meta.get("task"):
            assert gid == "task_" + _meta(before).get("grade_id", ""), f"{gid} must follow its figure cell"
            assert out.source.strip() and "must show" in out.source
            figure_text = release.cells[i - 2].source
            assert before.cell_type == "code" and "**Task (figure, graded by hand).**" in figure_text
        else:
            assert out.source.strip() == "YOUR ANSWER HERE"
            assert before.cell_type == "markdown" and not _meta(before).get("solution")
            assert before.source.startswith("**Question (graded by hand).**") and len(before.source) > 100, gid
    figures = [c for c in source.cells if (_meta(c).get("grade_id") or "").startswith("figure_")]
    tasks = {_meta(c)["grade_id"] for c in cells if _meta(c).get("task")}
    assert {"task_" + _meta(f)["grade_id"] for f in figures} == tasks, "every figure is a graded task"


@pytest.mark.parametrize("assignment", sorted(NOTEBOOKS))
def test_contracts_say_numbers_lists_or_arrays(assignment):
    text = " ".join(c.source for c in _read("release", assignment).cells if c.cell_type == "markdown")
    flat = re.sub(r"\s+", " ", text)
    assert "hyperparameter" in flat
    assert " list" in flat and "int" in flat
    if assignment == "ps1_update_rule":
        assert "numbers or NumPy arrays of the same shape" not in flat
        _says(flat, "`gd_step(1, 1, 0.5)` is `0.5`")
        _says(flat, "*smoothness constant*")
        _says(flat, "edge of stability")
        assert flat.count("## Summary") == 1


# --------------------------------------------------------------------------- visible asserts are hidden cases


def _same(a, b, probe):
    if callable(a) or callable(b):
        if not (callable(a) and callable(b)):
            return False
        x = np.asarray(probe, dtype=float)
        try:
            return bool(np.allclose(a(x), b(x)) and np.allclose(a(x + 0.37), b(x + 0.37)))
        except ValueError:  # gradients of different dimensions
            return False
    kinds = (type(a) is list or type(a) is tuple, isinstance(a, np.ndarray))
    if kinds != (type(b) is list or type(b) is tuple, isinstance(b, np.ndarray)):
        return False
    if isinstance(a, (int, np.integer)) != isinstance(b, (int, np.integer)):
        return False
    try:
        return bool(np.array_equal(np.asarray(a, dtype=float), np.asarray(b, dtype=float)))
    except (TypeError, ValueError):
        return False


def _matches(call, case):
    args, kwargs = call
    if len(args) != len(case.args) or set(kwargs) != set(case.kwargs):
        return False
    probe = next((a for a in args if not callable(a)), 0.0)
    pairs = list(zip(args, case.args)) + [(kwargs[k], case.kwargs[k]) for k in kwargs]
    return all(_same(a, b, probe) for a, b in pairs)


@pytest.mark.parametrize("assignment", sorted(NOTEBOOKS))
def test_visible_asserts_are_among_the_hidden_cases(assignment):
    import matplotlib.pyplot as plt

    nb = _read("source", assignment)
    base = {"np": np, "plt": plt, "math": math}
    for cell in nb.cells:
        if _meta(cell).get("grade_id") in ("setup", "helpers"):
            exec("\n".join(line for line in cell.source.splitlines() if not line.startswith("%")), base)  # noqa: S102
    checked = 0
    for cell in nb.cells:
        if not (_meta(cell).get("grade") and cell.cell_type == "code"):
            continue
        visible, hidden = cell.source.split("### BEGIN HIDDEN TESTS")
        name, aspect = re.search(r'check\("(\w+)", \w+, "(\w+)"\)', hidden).group(1, 2)
        calls = []

        def recorder(*args, _ref=getattr(reference, name), **kwargs):
            calls.append((copy.deepcopy(args), dict(kwargs)))
            return _ref(*args, **kwargs)

        ns = dict(base)
        ns.update({f: getattr(reference, f) for f in reference.ASSIGNMENTS[assignment]})
        ns[name] = recorder
        exec(visible, ns)  # noqa: S102
        assert calls, f"{_meta(cell)['grade_id']}: no visible call of {name}"
        hidden_cases = get_cases(name, aspect)
        for call in calls:
            assert any(_matches(call, case) for case in hidden_cases), (
                f"{_meta(cell)['grade_id']}: the visible call {name}{call} is not a hidden case")
            checked += 1
    assert checked >= 20


# --------------------------------------------------------------------------- the demo cohort's variants


def _variant(assignment):

    return cohort_variants(assignment)


def _compile(source, function):
    ns = {"np": np, "math": math}
    exec(source, ns)  # noqa: S102 - the cohort's own cell sources
    return ns[function]


_CORRECT = [(a, fn, style, src) for a in NOTEBOOKS for fn, styles in _variant(a).CORRECT.items()
            for style, src in styles]
_MUTATING = [(a, fn, label, src) for a in NOTEBOOKS for fn, wrongs in _variant(a).MUTATING.items()
             for label, src in wrongs]


@pytest.mark.parametrize("assignment, function, style, source", _CORRECT, ids=[f"{f}-{s[:25]}" for _, f, s, _ in _CORRECT])
def test_demo_correct_styles_get_full_marks(assignment, function, style, source):
    fn = _compile(source, function)
    for aspect in aspects(function):
        assert _failure(function, fn, aspect) is None, (style, aspect, _failure(function, fn, aspect))


@pytest.mark.parametrize("assignment, function, label, source", _MUTATING,
                         ids=[f"{f}-{s[:25]}" for _, f, s, _ in _MUTATING])
def test_demo_in_place_updates_are_reported(assignment, function, label, source):
    fn = _compile(source, function)
    messages = [m for m in (_failure(function, fn, a) for a in aspects(function)) if m]
    assert any("input mutated" in m for m in messages), messages


def test_demo_extra_cells_match_the_release():
    for assignment in NOTEBOOKS:
        ids = {_meta(c).get("grade_id") for c in _read("release", assignment).cells}
        extra = set(_variant(assignment).EXTRA)
        wanted = {i for i in ids if i and i.startswith(("figure_", "answer_"))}
        assert extra == wanted, (assignment, extra ^ wanted)
