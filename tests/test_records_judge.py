"""The kernel's record lines are untrusted: schema checks; the judge is pure and decides every point."""

from __future__ import annotations

import json
import os

import pytest

from autograder.course import TestCell, case_seed, load_assignment
from autograder.judge import judge, judge_cell
from autograder.records import parse_line, read_records
from lrcourse import reference
from lrcourse.cases import get_cases
from lrcourse.record import run_case

GD = TestCell("test_gd_step_basic", 2.0, "gd_step", "basic")


def _line(results, mutated=None, function="gd_step", aspect="basic"):
    return json.dumps({"function": function, "aspect": aspect, "results": results,
                       "mutated": mutated if mutated is not None else [False] * len(results)})


def _true_results(seed, name="gd_step", aspect="basic"):
    return [run_case(getattr(reference, name), c.args, c.kwargs)[0] for c in get_cases(name, aspect, seed)]


BAD_LINES = {
    "not json": "{nope",
    "a list": "[1, 2]",
    "function is a list": json.dumps({"function": ["gd_step"], "aspect": "basic", "results": [], "mutated": []}),
    "results not a list": json.dumps({"function": "gd_step", "aspect": "basic", "results": {}, "mutated": []}),
    "mutated length differs": _line([{"kind": "array", "shape": [], "data": [1.0]}], [False, False]),
    "empty data for a shape": _line([{"kind": "array", "shape": [3], "data": []}]),
    "data longer than shape": _line([{"kind": "array", "shape": [1], "data": [1.0, 2.0]}]),
    "unknown kind": _line([{"kind": "expected", "value": 4.0}]),
    "string data": _line([{"kind": "array", "shape": [1], "data": ["4"]}]),
    "bool data": _line([{"kind": "array", "shape": [1], "data": [True]}]),
    "negative shape": _line([{"kind": "array", "shape": [-1], "data": []}]),
    "deep nesting": '{"function": "gd_step", "aspect": "basic", "results": [' + "[" * 100_000 + "]" * 100_000 + "]}",
    "deep tuples": _line([json.loads('{"kind": "tuple", "items": [' * 10 + '{"kind": "str", "value": "x"}'
                                     + "]}" * 10)]),
    "huge text": _line([{"kind": "str", "value": "x" * 100_000}]),
}


@pytest.mark.parametrize("name", BAD_LINES)
def test_malformed_record_lines_are_dropped_not_raised(name):
    assert parse_line(BAD_LINES[name]) is None


def test_read_records_counts_what_it_dropped_and_keeps_the_last_valid_record(tmp_path):
    seed = 3
    good = _line(_true_results(seed))
    wrong = _line([{"kind": "array", "shape": [], "data": [0.0]}] * len(get_cases("gd_step", "basic", seed)))
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join([BAD_LINES["deep nesting"], wrong, BAD_LINES["function is a list"], good]) + "\n")
    records, dropped = read_records(path)
    assert dropped == 2
    assert judge_cell(GD, records, seed).status == "passed"


def test_missing_record_file_is_no_records(tmp_path):
    assert read_records(tmp_path / "nothing.jsonl") == ({}, 0)


def test_judge_gives_points_only_for_values_that_agree_with_the_reference():
    seed = case_seed("ps1_update_rule", "ada", "s")
    records = {("gd_step", "basic"): parse_line(_line(_true_results(seed)))}
    assert judge_cell(GD, records, seed).points == 2.0
    # the same values judged under another submission's seed: drawn cases differ, so do the answers
    n = len(get_cases("gd_step", "basic", seed))
    zeros = {("gd_step", "basic"): parse_line(_line([{"kind": "array", "shape": [], "data": [0.0]}] * n))}
    verdict = judge_cell(GD, zeros, seed)
    assert verdict.points == 0 and verdict.status == "wrong" and "expected:" in verdict.message


def test_a_record_with_too_few_results_scores_nothing():
    records = {("gd_step", "basic"): parse_line(_line([{"kind": "array", "shape": [], "data": [4.0]}]))}
    verdict = judge_cell(GD, records, seed=1)
    assert verdict.points == 0 and verdict.status == "invalid_record"


def test_no_record_is_not_run_with_the_reason():
    verdict = judge_cell(GD, {}, seed=1, stopped_at="NameError: name 'gd_step' is not defined")
    assert verdict.status == "not_run" and verdict.points == 0 and "NameError" in verdict.message


def test_judge_reads_no_environment(monkeypatch):
    """Same records and seed, same verdicts, whatever the environment says."""
    assignment = load_assignment(os.path.dirname(os.path.dirname(__file__)), "ps1_update_rule")
    seed = 11
    records = {(t.function, t.aspect): parse_line(_line(_true_results(seed, t.function, t.aspect),
                                                        function=t.function, aspect=t.aspect))
               for t in assignment.tests}
    first = judge(assignment, records, seed)
    for name in ("LRCOURSE_RECORD", "LRCOURSE_FEEDBACK", "LRCOURSE_SECRET"):
        monkeypatch.setenv(name, "student")
    assert judge(assignment, records, seed) == first
    assert sum(v.points for v in first) == assignment.max_score


def test_case_seed_depends_on_assignment_student_and_secret():
    seeds = {case_seed(a, s, k) for a in ("ps1", "ps2") for s in ("ada", "bob") for k in ("x", "y")}
    assert len(seeds) == 8
