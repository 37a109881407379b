"""Intake of LMS downloads: Canvas user ids kept, one id per student in every assignment, re-uploads, late
files, another assignment's notebook, and a folder with nothing to grade (no kernels run here)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from autograder import intake
from autograder.model import LATE, MISSING, RESUBMITTED, WRONG_ASSIGNMENT

ROOT = Path(__file__).resolve().parent.parent
A, NB = "ps1_update_rule", "update_rule"
NOTEBOOK = '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'


def _files(folder, *names):
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / name).write_text(NOTEBOOK)
    return folder


def _discover(folder, tmp_path, course_root=ROOT):
    scratch = tmp_path / "scratch"
    scratch.mkdir(exist_ok=True)
    return {s.student_id: s for s in intake.discover(folder, A, NB, scratch, course_root=course_root)}


def test_canvas_user_id_kept_and_late_recorded(tmp_path):
    subs = _discover(_files(tmp_path / "in", "doe_12345_67890_update_rule.ipynb",
                            "roe_LATE_23456_67891_update_rule.ipynb"), tmp_path)
    assert set(subs) == {"doe", "roe"}
    assert subs["doe"].lms_id == "12345" and subs["doe"].flags == []
    assert subs["roe"].lms_id == "23456" and subs["roe"].flags == [LATE]


def test_reupload_is_the_same_student_and_the_newest_wins(tmp_path):
    folder = _files(tmp_path / "in", "doe_12345_67890_update_rule.ipynb", "doe_12345_67999_update_rule-1.ipynb",
                    "lee_34567_70001_update_rule-2.ipynb", "lee_34567_70001_update_rule-1.ipynb")
    subs = _discover(folder, tmp_path)
    assert set(subs) == {"doe", "lee"}
    assert subs["doe"].original.name == "doe_12345_67999_update_rule-1.ipynb"  # the larger Canvas file id
    assert subs["lee"].original.name == "lee_34567_70001_update_rule-2.ipynb"  # same id: the larger -N
    assert RESUBMITTED in subs["doe"].flags and "doe_12345_67890_update_rule.ipynb" in subs["doe"].detail


def test_a_lone_reupload_says_resubmitted(tmp_path):
    subs = _discover(_files(tmp_path / "in", "doe_12345_67999_update_rule-1.ipynb"), tmp_path)
    assert subs["doe"].flags == [RESUBMITTED]


def test_two_students_of_one_name_are_kept_apart_by_user_id(tmp_path):
    subs = _discover(_files(tmp_path / "in", "doe_12345_1_update_rule.ipynb", "doe_99999_2_update_rule.ipynb"),
                     tmp_path)
    assert set(subs) == {"doe_12345", "doe_99999"}


def _course_with_students(tmp_path, students):
    course = tmp_path / "course"
    (course / "source").mkdir(parents=True)
    for a in ("ps1_update_rule", "ps2_schedules"):
        src = ROOT / "source" / a
        (course / "source" / a).mkdir()
        for nb in src.glob("*.ipynb"):
            (course / "source" / a / nb.name).write_text(NOTEBOOK)
    con = sqlite3.connect(course / "gradebook.db")
    con.execute("CREATE TABLE student (id VARCHAR(128) PRIMARY KEY, first_name, last_name, email, lms_user_id)")
    con.executemany("INSERT INTO student (id, lms_user_id) VALUES (?, ?)", students)
    con.commit()
    con.close()
    return course


def test_ids_are_stable_across_assignments_through_the_gradebook(tmp_path):
    # ps1 had two students called doe: doe_12345 and doe_99999; in ps2 only one of them submits
    course = _course_with_students(tmp_path, [("doe_12345", "12345"), ("doe_99999", "99999"), ("lee", "34567")])
    subs = _discover(_files(tmp_path / "in", "doe_12345_5_update_rule.ipynb", "lee_34567_6_update_rule.ipynb"),
                     tmp_path, course)
    assert set(subs) == {"doe_12345", "lee"}
    # the gradebook's doe is user 12345: another user called doe becomes doe_<id>, even alone
    course2 = _course_with_students(tmp_path / "b", [("doe", "12345")])
    subs = _discover(_files(tmp_path / "in2", "doe_55555_7_update_rule.ipynb"), tmp_path, course2)
    assert set(subs) == {"doe_55555"}


def test_another_assignments_notebook_says_which(tmp_path):
    flat = _discover(_files(tmp_path / "flat", "doe_12345_1_schedules.ipynb", "lee_update_rule.ipynb"), tmp_path)
    assert flat["doe"].flags == [WRONG_ASSIGNMENT] and not flat["doe"].gradable
    assert "ps2_schedules" in flat["doe"].detail and flat["lee"].gradable
    layout = tmp_path / "layout"
    _files(layout / "ann" / "ps2_schedules", "schedules.ipynb")
    _files(layout / "bob", "schedules.ipynb")
    subs = _discover(layout, tmp_path)
    assert subs["ann"].flags == [MISSING] and "ps2_schedules" in subs["ann"].detail
    assert subs["bob"].flags == [WRONG_ASSIGNMENT] and "ps2_schedules" in subs["bob"].detail


def _grade(*args):
    cmd = [sys.executable, "-m", "autograder.cli", "grade", A, *map(str, args), "--quiet"]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=300)


@pytest.mark.parametrize("case", ["empty", "other_assignment"])
def test_nothing_to_grade_exits_nonzero_and_says_why(tmp_path, case):
    folder = tmp_path / "in"
    folder.mkdir()
    if case == "other_assignment":
        _files(folder, "doe_12345_1_schedules.ipynb", "lee_34567_2_schedules.ipynb")
    proc = _grade(folder, "--out", tmp_path / "out")
    assert proc.returncode == 2
    message = proc.stderr.strip()
    assert message.startswith("autograder: error:") and len(message.splitlines()) == 1
    if case == "empty":
        assert "no submissions found" in message
    else:
        assert "ps2_schedules" in message and "update_rule.ipynb" in message
