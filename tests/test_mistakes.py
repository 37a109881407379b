"""The registered mistakes: one definition each, used by the judge and by the demo cohort.

Whether each mistake loses points and is named as itself is tested per assignment
(``test_every_listed_mistake_is_caught_and_named`` and the content tests); here: the shape of
the registry and the link to the cohort.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

from autograder import cohort
from autograder.course import list_assignments
from lrcourse import reference
from lrcourse.mistakes import MISTAKES, Mistake, for_function

ROOT = Path(__file__).resolve().parent.parent
ALL = [m for mistakes in MISTAKES.values() for m in mistakes]


def test_the_registry_is_not_empty_and_every_function_exists():
    assert len(ALL) > 200
    for name in MISTAKES:
        assert callable(getattr(reference, name, None)), f"mistakes registered for unknown {name!r}"


@pytest.mark.parametrize("mistake", ALL, ids=[f"{m.function}-{i}" for i, m in enumerate(ALL)])
def test_a_mistake_is_a_self_contained_cell_with_the_spec_signature(mistake):
    tree = ast.parse(mistake.source)
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module}
    assert not imported & {"lrcourse", "autograder"}, "a mistake must not lean on the answer key"
    calls = {node.func.id for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
    assert "print" not in calls
    # compiled with nothing but np and math in scope: a NameError here means a hidden dependency
    wrong = mistake.wrong
    spec = inspect.signature(getattr(reference, mistake.function))
    assert list(inspect.signature(wrong).parameters) == list(spec.parameters), mistake.label
    for name, param in spec.parameters.items():
        assert inspect.signature(wrong).parameters[name].default == param.default, (mistake.label, name)


def test_a_source_that_does_not_define_its_function_is_refused():
    with pytest.raises(ValueError, match="does not define gd_step"):
        Mistake("gd_step", "renamed", "def step(w, grad, lr):\n    return w\n")
    with pytest.raises(SyntaxError):
        Mistake("gd_step", "broken", "def gd_step(w, grad, lr)\n    return w\n")


def test_the_cohort_wrong_students_are_the_registered_sources_themselves():
    seen = set()
    for assignment in list_assignments(ROOT):
        for function, wrongs in cohort.wrong_variants(assignment).items():
            registered = [(m.label, m.source) for m in for_function(function)]
            assert wrongs[: len(registered)] == registered, function
            assert all(label.startswith("input mutated") for label, _ in wrongs[len(registered):]), function
            seen.add(function)
    assert seen == set(MISTAKES), "every function with registered mistakes has wrong students"
