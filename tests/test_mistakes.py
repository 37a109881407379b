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
from lrcourse.cases import aspects
from lrcourse.grading import assess_function
from lrcourse.mistakes import LIST_INPUT, MISTAKES, Mistake, for_function
from lrcourse.record import run_case

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


_ANY_ERROR = [m for m in ALL if m.any_error]


def test_every_list_mistake_accepts_any_error():
    assert all(m.any_error for m in ALL if m.label == LIST_INPUT)


@pytest.mark.parametrize("mistake", _ANY_ERROR, ids=[f"{m.function}-{i}" for i, m in enumerate(_ANY_ERROR)])
def test_failing_with_another_error_type_is_still_named(mistake):
    """The registered source raises one error type (on a list, an int, lam_min = 0); a student may
    raise any other."""

    class StudentError(Exception):
        pass

    right = getattr(reference, mistake.function)

    def student(*args, **kwargs):
        fails_here = run_case(mistake.wrong, args, kwargs)[0]["kind"] == "raised"
        if fails_here and run_case(right, args, kwargs)[0]["kind"] != "raised":
            raise StudentError("my own way of failing here")
        return right(*args, **kwargs)

    named = 0
    for aspect in aspects(mistake.function):
        outcome = assess_function(mistake.function, student, aspect)
        if outcome.n_wrong:
            assert outcome.mistake == mistake.label, (aspect, outcome.message())
            named += 1
    assert named, f"no case of {mistake.function} makes {mistake.label!r} fail"


def test_an_error_of_a_specific_mistake_must_have_its_type():
    """``used lrs[t+1]`` raises IndexError on every case: a student whose cell crashes with a
    NameError everywhere is not told that, while one who indexes past the end is."""

    def crashes(grad_fn, w0, lrs):
        return undefined_name  # noqa: F821 - the student's typo

    def past_the_end(grad_fn, w0, lrs):
        raise IndexError("index 10 is out of bounds for axis 0 with size 10")

    assert assess_function("gd_with_schedule", crashes, "basic").mistake is None
    assert assess_function("gd_with_schedule", past_the_end, "basic").mistake == "used lrs[t+1] (step t must use lrs[t])"


def test_the_mistake_right_where_the_student_is_right_wins():
    """Failing with IndexError when w0 is a list, and only then: ``used lrs[t+1]`` (IndexError everywhere)
    reproduces those cases too, but "fails on a list" is also right where the student is."""
    right = reference.gd_with_schedule

    def student(grad_fn, w0, lrs):
        if isinstance(w0, list):
            raise IndexError("list index out of range")
        return right(grad_fn, w0, lrs)

    outcomes = [assess_function("gd_with_schedule", student, aspect) for aspect in aspects("gd_with_schedule")]
    assert {o.mistake for o in outcomes if o.n_wrong} == {LIST_INPUT}
