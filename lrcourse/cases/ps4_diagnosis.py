"""Hidden test cases and known mistakes for ps4_diagnosis (see :mod:`lrcourse.cases`).

Course examples: the loss history 0.8, 0.5, 0.4, 0.38, 0.37 at lr 0.1 (healthy, diminishing
returns) and 0.8, 1.5, 3.2, 8.7, NaN at lr 1.0 (diverging: reduce the learning rate).
The cases stay clear of exact ties at the thresholds (a total decrease of exactly 10 %,
a loss of exactly 4x the smallest one in the range test).
"""

import numpy as np

from ..landscapes import (
    Quadratic1D,
    QuadraticND,
    ill_conditioned_2d,
    make_regression,
    theta_minus_3,
    w_squared,
)
from .base import Case

_rng = np.random.default_rng(20261204)

NAN = float("nan")
INF = float("inf")

HEALTHY = [0.8, 0.5, 0.4, 0.38, 0.37]
EXPLODING = [0.8, 1.5, 3.2, 8.7, NAN]

# a smooth range-test curve: flat, a steep fall, a floor, then a blow-up
_LRS9 = np.geomspace(1e-4, 1.0, 9)
_DIP9 = np.array([2.30, 2.29, 2.25, 1.90, 1.10, 0.62, 0.55, 0.80, 3.10])

CASES = {
    ("relative_improvements", "basic"): [
        Case((HEALTHY,)),
        Case(([2.0, 1.0],)),
        Case(([10, 5, 4, 4, 2],)),
        Case(([1.0, 1.5, 0.75, 0.9],)),
        Case(((0.8, 1.5, 3.2, 8.7),)),
    ],
    ("relative_improvements", "arrays"): [
        Case((np.array(HEALTHY),)),
        Case((np.array([3.0, 2.5]),)),
        Case((np.exp(-0.3 * np.arange(12)) + 0.1,)),
        Case((_rng.uniform(0.5, 2.0, size=15),)),
        Case((np.array([4.0, 2.0, 1.0, 0.5], dtype=np.float32),)),
    ],
    ("diagnose", "basic"): [
        Case((HEALTHY,)),
        Case((EXPLODING,)),
        Case(([0.5, 0.7, 1.2, 2.5, 6.0],)),
        Case(([1.0, 0.5, 0.3, NAN],)),
        Case(([0.5, 2.0, 1.8, 1.6, 1.5, 1.4, 1.3],)),
        Case(([1.0, 0.6, 0.8, 0.5, 0.7, 0.4, 0.6],)),
        Case(([2.31, 2.30, 2.29, 2.28, 2.27],)),
        Case((np.array([3.0, 1.2, 0.9, 0.7, 0.6, 0.55]),)),
        Case((np.array([1.0, 0.9, 0.95, 0.8, 0.85]),)),
        Case((np.array([5.0, 4.9, 4.85, 4.8, 4.75, 4.7]),)),
    ],
    ("diagnose", "edges"): [
        Case(([1.0, 0.5, 0.3, NAN],)),  # NaN at the end, everything else healthy
        Case(([1.0, NAN, 0.5, 0.4],)),  # NaN in the middle
        Case(([1.0, 0.4, INF],)),
        Case((np.array([2.0, 0.5, 0.2, 0.1, INF, 0.05]),)),
        Case(([1.0, 0.5],)),  # 2 losses
        Case(([1.0, 0.95],)),
        Case(([1.0, 1.2],)),
        Case(([1.0, 1.0],)),  # flat: not above the first, no increase, no decrease
        Case(([1.0, 5.0, 4.0, 3.0, 2.0, 1.5],)),  # last > first although mostly decreasing
        Case(([1.0, 0.8, 0.9, 0.6, 0.5, 0.55, 0.3],)),  # exactly a third of the steps go up
        Case(([1.0, 0.8, 0.9, 0.6, 0.5, 0.55, 0.3, 0.2],)),  # 2 of 7: just under a third
        Case(([1.0, 0.98, 0.99, 0.97],)),  # oscillating although also too slow
        Case(([1.0, 0.5, 0.5, 0.5, 0.4],)),  # flat steps are not increases
        Case(([1.0, 0.95, 0.93, 0.91],)),  # 9 % total decrease: too slow
        Case(([1.0, 0.95, 0.92, 0.89],)),  # 11 %: healthy
        Case(([100.0, 80.0, 60.0, 40.0, 30.0, 29.9],)),
        Case(([1.0],)),  # fewer than 2 losses: ValueError
        Case(([],)),
    ],
    ("suggest_lr", "basic"): [
        Case((1.0, "diverging")),
        Case((0.1, "healthy")),
        Case((0.5, "oscillating")),
        Case((0.001, "too_slow")),
        Case((0.3, "diverging")),
        Case((0.02, "oscillating")),
        Case((1, "too_slow")),
        Case((np.float64(0.25), "healthy")),
    ],
    ("suggest_lr", "errors"): [
        Case((0.1, "exploding")),
        Case((0.1, "slow")),
        Case((0.1, "")),
        Case((1.0, "diverging")),
    ],
    ("lr_range_test", "basic"): [
        Case((w_squared.loss, w_squared.grad, 5.0, 1e-3, 10.0, 30)),  # stops by the 4x rule
        Case((theta_minus_3.loss, theta_minus_3.grad, -1.0, 1e-4, 3.0, 25)),
        Case((Quadratic1D(2.0, 1.0, 0.5).loss, Quadratic1D(2.0, 1.0, 0.5).grad, 3.0, 1e-3, 1.0, 12)),
        Case((w_squared.loss, w_squared.grad, 5.0, 1e-4, 0.4, 10)),  # never stops
        Case((w_squared.loss, w_squared.grad, 1.0, 0.01, 100.0, 5)),  # stops at lr = 10
        Case((QuadraticND([1.0, 10.0]).loss, QuadraticND([1.0, 10.0]).grad, np.array([1.0, 1.0]), 1e-3, 1.0, 25)),
        Case((ill_conditioned_2d(25.0).loss, ill_conditioned_2d(25.0).grad, [2.0, -1.0], 1e-4, 1.0, 30)),
    ],
    ("lr_range_test", "edges"): [
        Case((w_squared.loss, w_squared.grad, 5.0, 0.05, 0.05, 1)),  # n_steps = 1
        Case((w_squared.loss, w_squared.grad, 5.0, 0.05, 0.5, 1)),
        Case((w_squared.loss, w_squared.grad, 1e200, 0.01, 0.1, 5)),  # first loss inf: stop
        Case((theta_minus_3.loss, theta_minus_3.grad, -1e300, 1e9, 1e10, 3)),  # first loss nan: stop
        Case((QuadraticND([0.5, 2.0]).loss, QuadraticND([0.5, 2.0]).grad, np.array([3.0, -2.0]), 1e-3, 0.5, 15)),
        Case((make_regression(20, 3, seed=4).loss, make_regression(20, 3, seed=4).grad, np.zeros(3), 1e-4, 10.0, 40)),
        Case((w_squared.loss, w_squared.grad, 5.0, 1e-3, 1e3, 8)),
    ],
    ("suggest_from_range_test", "basic"): [
        Case((_LRS9, _DIP9)),
        Case(([0.001, 0.01, 0.1, 1.0], [1.0, 0.5, 0.45, 0.6])),
        Case((list(_LRS9), list(_DIP9))),
        Case((np.geomspace(1e-5, 10.0, 7), np.array([1.0, 0.99, 0.97, 0.7, 0.2, 0.15, 0.9]))),
        Case((np.geomspace(1e-3, 1.0, 6), 1.0 / (1.0 + np.geomspace(1e-3, 1.0, 6) * 30))),
    ],
    ("suggest_from_range_test", "edges"): [
        Case(([0.001, 0.01, 0.1, 1.0], [1.0, 0.99, 0.5, INF])),  # inf dropped
        Case(([1e-4, 1e-3, 1e-2, 1e-1, 1.0], [1.0, 0.5, 0.45, 0.44, NAN])),  # nan dropped
        Case(([1e-4, 1e-3, 1e-2, 1e-1, 1.0, 10.0], [1.0, 0.8, NAN, 0.6, 0.5, 0.45])),  # a gap in the middle
        Case(([0.001, 0.003, 0.01, 0.1, 1.0], [1.0, 0.7, 0.4, 0.35, 2.0])),  # uneven log spacing
        Case(([0.01, 0.1], [0.9, 0.4])),  # exactly 2 losses
        Case(([0.01, 0.1, 1.0], [0.9, 0.4, INF])),  # 2 finite ones
        Case(([0.01, 0.1, 1.0], [0.9, NAN, INF])),  # fewer than 2 finite: ValueError
    ],
}


# --------------------------------------------------------------------------- known mistakes


def _rel_first(losses):
    L = np.asarray(losses, dtype=float)
    return (L[:-1] - L[1:]) / L[0]


def _rel_sign(losses):
    L = np.asarray(losses, dtype=float)
    return (L[1:] - L[:-1]) / L[:-1]


def _rel_new(losses):
    L = np.asarray(losses, dtype=float)
    return (L[:-1] - L[1:]) / L[1:]


def _rel_abs(losses):
    L = np.asarray(losses, dtype=float)
    return L[:-1] - L[1:]


def _diag_template(order=("div", "osc", "slow"), nan_check=True, last_gt_first=True, strict_third=False,
                   count_flat=False, slow_last_step=False, ge_first=False):
    def diagnose(losses):
        L = np.asarray(losses, dtype=float)
        if L.size < 2:
            raise ValueError("need at least 2 losses")
        d = np.diff(L)
        ups = np.sum(d >= 0) if count_flat else np.sum(d > 0)
        need = (L.size - 1) / 3
        for check in order:
            if check == "div":
                bad = nan_check and not np.all(np.isfinite(L))
                if last_gt_first:
                    bad = bad or (L[-1] >= L[0] if ge_first else L[-1] > L[0])
                if bad:
                    return "diverging"
            elif check == "osc":
                if (ups > need) if strict_third else (ups >= need):
                    return "oscillating"
            elif check == "slow":
                if slow_last_step:
                    if (L[-2] - L[-1]) / L[-2] < 0.1:
                        return "too_slow"
                elif (L[0] - L[-1]) / L[0] < 0.1:
                    return "too_slow"
        return "healthy"

    return diagnose


def _suggest_template(factors, unknown="raise"):
    def suggest_lr(lr, diagnosis):
        if diagnosis in factors:
            return lr * factors[diagnosis]
        if unknown == "keyerror":
            raise KeyError(diagnosis)
        if unknown == "lr":
            return lr
        raise ValueError(diagnosis)

    return suggest_lr


_FACTORS = {"diverging": 0.1, "oscillating": 0.5, "too_slow": 2.0, "healthy": 1.0}


def _range_template(record_before=False, stop_before=False, vs_first=False, check_finite=True,
                    four_x=True, no_stop=False):
    def lr_range_test(loss_fn, grad_fn, w0, lr_min, lr_max, n_steps):
        w = np.array(w0, dtype=float)
        used, losses = [], []
        best = np.inf
        first = None
        for lr in np.geomspace(lr_min, lr_max, n_steps):
            before = float(loss_fn(w))
            w = w - lr * np.asarray(grad_fn(w), dtype=float)
            loss = before if record_before else float(loss_fn(w))
            ref = first if vs_first else best
            bad = (check_finite and not np.isfinite(loss)) or (
                ref is not None and loss > (4 if four_x else 1) * ref
            )
            if no_stop:
                bad = False
            if bad and stop_before:
                break
            used.append(lr)
            losses.append(loss)
            if bad:
                break
            best = min(best, loss)
            if first is None:
                first = loss
        return np.array(used), np.array(losses)

    return lr_range_test


def _from_range_template(kind="gradient_log", drop=True):
    def suggest_from_range_test(lrs, losses):
        lrs = np.asarray(lrs, dtype=float)
        losses = np.asarray(losses, dtype=float)
        if drop:
            keep = np.isfinite(losses)
            if keep.sum() < 2:
                raise ValueError("need 2 finite losses")
            lrs, losses = lrs[keep], losses[keep]
        if kind == "argmin":
            return lrs[np.argmin(losses)]
        if kind == "gradient_lr":
            return lrs[np.argmin(np.gradient(losses, lrs))]
        if kind == "gradient_index":
            return lrs[np.argmin(np.gradient(losses))]
        if kind == "diff":
            return lrs[np.argmin(np.diff(losses) / np.diff(np.log(lrs)))]
        if kind == "argmax":
            return lrs[np.argmax(np.gradient(losses, np.log(lrs)))]
        return lrs[np.argmin(np.gradient(losses, np.log(lrs)))]

    return suggest_from_range_test


MISTAKES = {
    "relative_improvements": [
        ("improvement relative to the first loss, not the previous one ((L[i] - L[i+1]) / L[0])", _rel_first),
        ("sign flipped (L[i+1] - L[i]): an improvement must come out positive", _rel_sign),
        ("divided by the new loss L[i+1] instead of the previous loss L[i]", _rel_new),
        ("absolute improvement L[i] - L[i+1], not divided by L[i]", _rel_abs),
    ],
    "diagnose": [
        ("checks in the wrong order (oscillating before diverging)", _diag_template(("osc", "div", "slow"))),
        ("checks in the wrong order (too_slow before oscillating)", _diag_template(("div", "slow", "osc"))),
        ("NaN not treated as diverging (any non-finite loss means diverging)", _diag_template(nan_check=False)),
        ("diverging only on non-finite losses: forgot L[-1] > L[0]", _diag_template(last_gt_first=False)),
        ("L[-1] >= L[0] counted as diverging (the rule is strictly above the first)",
         _diag_template(ge_first=True)),
        ("too_slow threshold on the last step instead of the total decrease (L[0] - L[-1]) / L[0]",
         _diag_template(slow_last_step=True)),
        ("strict > for the one-third rule, or a third of len(L): it is >= (len(L) - 1) / 3",
         _diag_template(strict_third=True)),
        ("flat steps counted as increases (np.diff(L) >= 0 instead of > 0)", _diag_template(count_flat=True)),
    ],
    "suggest_lr": [
        ("suggest_lr factors swapped (diverging is lr / 10, oscillating lr / 2)",
         _suggest_template({"diverging": 0.5, "oscillating": 0.1, "too_slow": 2.0, "healthy": 1.0})),
        ("too_slow should multiply the lr by 2, not divide it",
         _suggest_template({"diverging": 0.1, "oscillating": 0.5, "too_slow": 0.5, "healthy": 1.0})),
        ("too_slow multiplies by 10 instead of 2",
         _suggest_template({"diverging": 0.1, "oscillating": 0.5, "too_slow": 10.0, "healthy": 1.0})),
        ("unknown diagnosis raised KeyError (a dict lookup), not ValueError",
         _suggest_template(_FACTORS, unknown="keyerror")),
        ("unknown diagnosis returned the lr unchanged instead of raising ValueError",
         _suggest_template(_FACTORS, unknown="lr")),
    ],
    "lr_range_test": [
        ("range test records loss_fn(w0) (the loss before each step instead of after it)",
         _range_template(record_before=True)),
        ("range test stops before recording the bad loss (it must be kept as the last entry)",
         _range_template(stop_before=True)),
        ("range test compares with the first loss instead of the smallest", _range_template(vs_first=True)),
        ("range test does not stop on a non-finite loss", _range_template(check_finite=False)),
        ("range test stops when the loss rises above the smallest, not above 4 x the smallest",
         _range_template(four_x=False)),
        ("range test never stops (runs all n_steps)", _range_template(no_stop=True)),
    ],
    "suggest_from_range_test": [
        ("argmin of the losses instead of the slope", _from_range_template(kind="argmin")),
        ("slope against lr instead of log(lr): np.gradient(losses, np.log(lrs))",
         _from_range_template(kind="gradient_lr")),
        ("slope against the index, not log(lr): pass np.log(lrs) to np.gradient",
         _from_range_template(kind="gradient_index")),
        ("np.diff instead of np.gradient (the slopes shift by half a step)", _from_range_template(kind="diff")),
        ("argmax of the slope instead of argmin (the loss should fall fastest)",
         _from_range_template(kind="argmax")),
        ("non-finite losses not dropped", _from_range_template(drop=False)),
    ],
}
