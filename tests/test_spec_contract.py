"""The answer key and the release notebooks keep SPEC.md's names and signatures exactly."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import nbformat
import pytest

from lrcourse import reference

ROOT = Path(__file__).resolve().parent.parent

# Copied by hand from SPEC.md's five tables (the contract), not from the code.
SPEC = {
    "ps1_update_rule": {
        "gd_step": "(w, grad, lr)",
        "gradient_descent": "(grad_fn, w0, lr, n_steps)",
        "critical_lr": "(hessian)",
        "lr_regime": "(lr, hessian)",
        "steps_to_tolerance": "(lr, curvature, distance0, tol)",
    },
    "ps2_schedules": {
        "step_decay": "(t, lr0, gamma, step_size)",
        "exponential_decay": "(t, lr0, k)",
        "inverse_time_decay": "(t, lr0, k)",
        "cosine_annealing": "(t, lr_max, lr_min, T)",
        "cosine_warm_restarts": "(t, lr_max, lr_min, T0, T_mult=1)",
        "gd_with_schedule": "(grad_fn, w0, lrs)",
    },
    "ps3_momentum": {
        "momentum_step": "(theta, v, grad, lr, beta)",
        "heavy_ball_step": "(theta, v, grad, lr, beta)",
        "run_momentum": "(grad_fn, theta0, lr, beta, n_steps)",
        "optimal_gd_lr": "(lam_min, lam_max)",
        "optimal_momentum": "(lam_min, lam_max)",
        "mse_grad": "(w, X, y)",
        "minibatch_sgd": "(X, y, w0, lr, batch_size, n_epochs, seed)",
    },
    "ps4_diagnosis": {
        "relative_improvements": "(losses)",
        "diagnose": "(losses)",
        "suggest_lr": "(lr, diagnosis)",
        "lr_range_test": "(loss_fn, grad_fn, w0, lr_min, lr_max, n_steps)",
        "suggest_from_range_test": "(lrs, losses)",
    },
    "ps5_adaptive": {
        "adagrad_step": "(theta, G, grad, lr, eps=1e-08)",
        "rmsprop_step": "(theta, s, grad, lr, beta=0.9, eps=1e-08)",
        "adam_step": "(theta, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-08)",
        "run_adam": "(grad_fn, theta0, lr, n_steps, beta1=0.9, beta2=0.999, eps=1e-08)",
        "warmup_cosine": "(t, lr_max, lr_min, T_warmup, T)",
    },
}
NOTEBOOKS = {"ps1_update_rule": "update_rule", "ps2_schedules": "schedules", "ps3_momentum": "momentum",
             "ps4_diagnosis": "diagnosis", "ps5_adaptive": "adaptive"}
FUNCTIONS = [(a, f, sig) for a, fns in SPEC.items() for f, sig in fns.items()]


@pytest.mark.parametrize("assignment,function,signature", FUNCTIONS)
def test_reference_signature(assignment, function, signature):
    assert str(inspect.signature(getattr(reference, function))) == signature
    assert function in reference.ASSIGNMENTS[assignment]


def test_assignments_table_matches_spec():
    assert {a: tuple(f) for a, f in SPEC.items()} == {a: tuple(f) for a, f in reference.ASSIGNMENTS.items()}
    assert set(reference.__all__) == {"ASSIGNMENTS"} | {f for _, f, _ in FUNCTIONS}


@pytest.mark.parametrize("folder", ["source", "release"])
@pytest.mark.parametrize("assignment,function,signature", FUNCTIONS)
def test_notebook_def_line_matches_spec(folder, assignment, function, signature):
    nb = nbformat.read(ROOT / folder / assignment / f"{NOTEBOOKS[assignment]}.ipynb", as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == function)
    source = "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!")))
    tree = ast.parse(source)
    defs = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == function]
    assert defs, f"{folder}: no def {function} in its cell"
    args = ast.unparse(defs[0].args)
    assert f"({args})".replace(" ", "") == signature.replace(" ", "")
    assert ast.get_docstring(defs[0]), f"{function}: the docstring stays outside the solution"
