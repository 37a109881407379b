"""Shared test set-up: a headless matplotlib, a quick Hypothesis profile, a clean grading environment."""

import contextlib
import os
import warnings

import matplotlib
import numpy as np
import pytest
from hypothesis import HealthCheck, settings

matplotlib.use("Agg")

# The machine is small and shared: few examples by default, more with HYPOTHESIS_PROFILE=thorough.
settings.register_profile(
    "quick", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("thorough", max_examples=500, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "quick"))


@pytest.fixture(autouse=True)
def _clean_grading_env(monkeypatch):
    """Tests start without the autograder's variables, whatever the calling shell set."""
    monkeypatch.delenv("LRCOURSE_RECORD", raising=False)
    monkeypatch.delenv("LRCOURSE_FEEDBACK", raising=False)


@pytest.fixture
def strict_numerics():
    """A context in which any warning or NumPy floating-point error fails the test."""

    @contextlib.contextmanager
    def strict():
        with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
            warnings.simplefilter("error")
            yield

    return strict
