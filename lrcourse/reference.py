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

from .adaptive import adagrad_step, adam_step, rmsprop_step, run_adam, warmup_cosine
from .diagnosis import (
    diagnose,
    lr_range_test,
    relative_improvements,
    suggest_from_range_test,
    suggest_lr,
)
from .momentum import (
    heavy_ball_step,
    minibatch_sgd,
    momentum_step,
    mse_grad,
    optimal_gd_lr,
    optimal_momentum,
    run_momentum,
)
from .schedules import (
    cosine_annealing,
    cosine_warm_restarts,
    exponential_decay,
    gd_with_schedule,
    inverse_time_decay,
    step_decay,
)
from .update_rule import critical_lr, gd_step, gradient_descent, lr_regime, steps_to_tolerance

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
    "ps5_adaptive": ("adagrad_step", "rmsprop_step", "adam_step", "run_adam", "warmup_cosine"),
}

__all__ = [
    "ASSIGNMENTS",
    # ps1_update_rule
    "gd_step", "gradient_descent", "critical_lr", "lr_regime", "steps_to_tolerance",
    # ps2_schedules
    "step_decay", "exponential_decay", "inverse_time_decay", "cosine_annealing", "cosine_warm_restarts",
    "gd_with_schedule",
    # ps3_momentum
    "momentum_step", "heavy_ball_step", "run_momentum", "optimal_gd_lr", "optimal_momentum", "mse_grad",
    "minibatch_sgd",
    # ps4_diagnosis
    "relative_improvements", "diagnose", "suggest_lr", "lr_range_test", "suggest_from_range_test",
    # ps5_adaptive
    "adagrad_step", "rmsprop_step", "adam_step", "run_adam", "warmup_cosine",
]
