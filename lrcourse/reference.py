"""The answer key: every function of SPEC.md under its SPEC name and signature.

Hidden tests compare a student's function with these through :mod:`lrcourse.grading`.
The implementations live in one module per course topic.

Examples
--------
>>> from lrcourse.reference import gd_step, diagnose
>>> float(gd_step(5.0, 10.0, 0.1))
4.0
>>> diagnose([0.8, 1.5, 3.2, 8.7, float("nan")])
'diverging'
"""

from .diagnosis import (
    diagnose,  # noqa: F401 (re-exported: the answer key)
    lr_range_test,  # noqa: F401 (re-exported: the answer key)
    relative_improvements,  # noqa: F401 (re-exported: the answer key)
    suggest_from_range_test,  # noqa: F401 (re-exported: the answer key)
    suggest_lr,  # noqa: F401 (re-exported: the answer key)
)
from .momentum import (
    heavy_ball_step,  # noqa: F401 (re-exported: the answer key)
    minibatch_sgd,  # noqa: F401 (re-exported: the answer key)
    momentum_step,  # noqa: F401 (re-exported: the answer key)
    mse_grad,  # noqa: F401 (re-exported: the answer key)
    optimal_gd_lr,  # noqa: F401 (re-exported: the answer key)
    optimal_momentum,  # noqa: F401 (re-exported: the answer key)
    run_momentum,  # noqa: F401 (re-exported: the answer key)
)
from .schedules import (
    cosine_annealing,  # noqa: F401 (re-exported: the answer key)
    cosine_warm_restarts,  # noqa: F401 (re-exported: the answer key)
    exponential_decay,  # noqa: F401 (re-exported: the answer key)
    gd_with_schedule,  # noqa: F401 (re-exported: the answer key)
    inverse_time_decay,  # noqa: F401 (re-exported: the answer key)
    step_decay,  # noqa: F401 (re-exported: the answer key)
)
from .update_rule import critical_lr, gd_step, gradient_descent, lr_regime, steps_to_tolerance  # noqa: F401

ASSIGNMENTS = {
    "ps1_update_rule": ("gd_step", "gradient_descent", "critical_lr", "lr_regime", "steps_to_tolerance"),
    "ps2_schedules": (
        "step_decay",
        "exponential_decay",
        "inverse_time_decay",
        "cosine_annealing",
        "cosine_warm_restarts",
        "gd_with_schedule",
    ),
    "ps3_momentum": (
        "momentum_step",
        "heavy_ball_step",
        "run_momentum",
        "optimal_gd_lr",
        "optimal_momentum",
        "mse_grad",
        "minibatch_sgd",
    ),
    "ps4_diagnosis": (
        "relative_improvements",
        "diagnose",
        "suggest_lr",
        "lr_range_test",
        "suggest_from_range_test",
    ),
}

__all__ = [name for names in ASSIGNMENTS.values() for name in names] + ["ASSIGNMENTS"]
