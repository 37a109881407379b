"""Per-submission cases: for 200 student ids, every correct variant of the demo cohort passes every
check and every wrong variant fails at least one of its function's checks.

The variants are the cohort's own sources (demo_cohort/ and the registered mistakes), run in-process against the
cases drawn for each student's seed, compared with the reference exactly as the judge does.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from autograder.cohort import variants as cohort_variants
from autograder.cohort import wrong_variants
from autograder.course import case_seed, list_assignments, load_assignment
from lrcourse.cases import aspects, get_cases
from lrcourse.grading import compare, expected_outputs
from lrcourse.record import run_case

ROOT = Path(__file__).resolve().parent.parent
N_STUDENTS = 200
SECRET = "test-secret"


def _function(source, name, base):
    """``name`` as the variant defines it, next to the other functions of a correct notebook."""
    namespace = dict(base)
    exec(compile(source, f"<variant {name}>", "exec"), namespace)  # noqa: S102 - the cohort's own code
    return namespace[name]


def _base_namespace(assignment):
    v = cohort_variants(assignment)
    namespace = {"np": np, "math": math}
    for name, styles in v.CORRECT.items():
        exec(compile(styles[0][1], f"<base {name}>", "exec"), namespace)  # noqa: S102
    return namespace


def _passes(fn, name, seed):
    for aspect in aspects(name):
        expected = expected_outputs(name, aspect, seed)
        for case, want in zip(get_cases(name, aspect, seed), expected):
            got, mutated = run_case(fn, case.args, case.kwargs)
            if mutated or compare(want, got) is not None:
                return False
    return True


def _variants(assignment):
    v = cohort_variants(assignment)
    checked = {t.function for t in load_assignment(ROOT, assignment).tests if t.function}
    correct = [(fn, style, src) for fn, styles in v.CORRECT.items() for style, src in styles if fn in checked]
    wrong = [(fn, label, src) for fn, wrongs in wrong_variants(assignment).items() for label, src in wrongs if fn in checked]
    return correct, wrong


@pytest.mark.slow
@pytest.mark.parametrize("assignment", list_assignments(ROOT))
def test_every_variant_behaves_for_200_student_ids(assignment):
    correct, wrong = _variants(assignment)
    base = _base_namespace(assignment)
    seeds = [case_seed(assignment, f"student{i:03d}", SECRET) for i in range(N_STUDENTS)]
    failures = []
    for fn_name, label, source in correct:
        fn = _function(source, fn_name, base)
        bad = [s for s in seeds if not _passes(fn, fn_name, s)]
        if bad:
            failures.append(f"correct {fn_name} ({label}) fails for {len(bad)} of {N_STUDENTS} students")
    for fn_name, label, source in wrong:
        fn = _function(source, fn_name, base)
        lucky = [s for s in seeds if _passes(fn, fn_name, s)]
        if lucky:
            failures.append(f"wrong {fn_name} ({label}) passes for {len(lucky)} of {N_STUDENTS} students")
    assert not failures, "\n".join(failures)


def test_different_students_get_different_drawn_cases():
    seeds = [case_seed("ps1_update_rule", s, SECRET) for s in ("ada", "bob")]
    drawn = [repr(get_cases("gd_step", "arrays", seed)) for seed in seeds]
    assert drawn[0] != drawn[1]
