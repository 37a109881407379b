"""The ``grade`` pipeline: workspace -> intake -> execution -> scoring -> feedback -> reports.

Results are cached per submission in the workspace (keyed by the file's hash, the
assignment's source and the grading settings), written atomically as each submission
finishes: re-running the same command gives the same outputs, and a run interrupted
half-way picks up where it stopped without grading anyone twice.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import asdict
from pathlib import Path

import nbformat

from . import __version__, feedback, intake, reporting
from .course import find_course_root, load_assignment
from .execution import Pool, Settings, add_probe, make_api, remove_probe
from .scoring import score_submission

_ASSIGNMENTS = {}


def _assignment(settings):
    if settings.assignment_id not in _ASSIGNMENTS:
        _ASSIGNMENTS[settings.assignment_id] = load_assignment(settings.workspace, settings.assignment_id)
    return _ASSIGNMENTS[settings.assignment_id]


def process_in_worker(api, settings, student_id, outcome):
    """Runs in a worker after nbgrader's autograde: score, then write the feedback page."""
    assignment = _assignment(settings)
    ws = Path(settings.workspace)
    remove_probe(ws / "autograded" / student_id / settings.assignment_id / f"{settings.notebook}.ipynb")
    started = time.monotonic()
    result = score_submission(settings, assignment, student_id, outcome)
    scored = time.monotonic()
    page = Path(settings.workspace) / "pages" / f"{student_id}.html"
    result["feedback_note"] = feedback.write_feedback(api, settings, assignment, student_id, result, page)
    result["timing"] = {
        "autograde": outcome.get("seconds"),
        "score": scored - started,
        "feedback": time.monotonic() - scored,
    }
    return result


def _prepare_workspace(course_root, assignment, settings, fresh):
    ws = Path(settings.workspace)
    stamp = {"version": __version__, "assignment": assignment.digest, "settings": asdict(settings)}
    stamp_file = ws / "workspace.json"
    if not fresh and stamp_file.exists() and json.loads(stamp_file.read_text()) == stamp:
        return
    if ws.exists():
        shutil.rmtree(ws)
    (ws / "source").mkdir(parents=True)
    shutil.copytree(course_root / "source" / assignment.assignment_id, ws / "source" / assignment.assignment_id)
    result = make_api(settings).generate_assignment(assignment.assignment_id, force=True)
    if not result.get("success"):
        raise RuntimeError(f"nbgrader could not generate {assignment.assignment_id}: {result.get('log')}")
    stamp_file.write_text(json.dumps(stamp))


def _write_json(path, data):
    tmp = Path(str(path) + ".tmp")
    tmp.write_text(json.dumps(data, indent=1, default=str))
    os.replace(tmp, path)


def _empty_result(assignment, sub):
    return {
        "student_id": sub.student_id,
        "auto_score": 0.0,
        "auto_max_score": assignment.max_score,
        "manual_pending": 0,
        "flags": [],
        "cells": {t.grade_id: 0.0 for t in assignment.tests},
        "messages": {},
        "seconds": 0.0,
    }


def grade(
    assignment_id,
    submissions,
    out,
    workers=None,
    timeout=30,
    memory_mb=2048,
    budget=None,
    course_root=None,
    fresh=False,
    progress=True,
    zygote=True,
):
    """Grade every submission of one assignment; write grades.csv, feedback/ and report.html.

    Returns
    -------
    list of dict
        One result per student, sorted by student id.
    """
    course_root = find_course_root(course_root)
    assignment = load_assignment(course_root, assignment_id)
    out = Path(out).resolve()
    ws = out / ".workspace"
    settings = Settings(
        workspace=str(ws),
        assignment_id=assignment_id,
        notebook=assignment.notebook,
        cell_timeout=int(timeout),
        budget=int(budget or 3 * timeout + 30),
        memory_mb=int(memory_mb),
        zygote=bool(zygote),
    )
    if not Path(submissions).exists():
        raise intake.IntakeError(f"submissions path not found: {submissions}")
    subs = intake.discover(submissions, assignment_id, assignment.notebook, scratch=_scratch(out))
    _prepare_workspace(course_root, assignment, settings, fresh)
    results_dir, pages = ws / "results", ws / "pages"
    results_dir.mkdir(exist_ok=True)
    pages.mkdir(exist_ok=True)

    release_nb = nbformat.read(ws / "release" / assignment_id / f"{assignment.notebook}.ipynb", as_version=4)
    results, todo, by_id = {}, [], {}
    for sub in subs:
        intake.stage(sub, ws, assignment, release_nb)
        by_id[sub.student_id] = sub
        cached = results_dir / f"{sub.student_id}.json"
        if sub.gradable and cached.exists() and (pages / f"{sub.student_id}.html").exists():
            data = json.loads(cached.read_text())
            if data.get("digest") == sub.digest:
                results[sub.student_id] = data["result"]
                continue
        if sub.gradable:
            add_probe(ws / "submitted" / sub.student_id / assignment_id / f"{assignment.notebook}.ipynb", assignment)
            todo.append(sub.student_id)
        else:
            result = _empty_result(assignment, sub)
            (pages / f"{sub.student_id}.html").write_text(feedback.fallback_page(result, sub.detail))
            results[sub.student_id] = result

    bar = reporting.progress(len(todo), enabled=progress)

    def on_result(student_id, result):
        if "student_id" not in result:  # killed, crashed: score what the records show
            worker_error = result.get("worker_error")
            outcome = {"success": False, "killed": result.get("killed"), "error": worker_error}
            outcome["seconds"] = result.get("seconds")
            result = score_submission(settings, assignment, student_id, outcome)
            if worker_error:
                result["flags"] = sorted(set(result["flags"]) | {"grader_error"})
            page = pages / f"{student_id}.html"
            page.write_text(feedback.fallback_page(result, "the notebook could not be run to the end"))
        results[student_id] = result
        _write_json(results_dir / f"{student_id}.json", {"digest": by_id[student_id].digest, "result": result})
        bar.update(1)

    if todo:
        n_workers = workers or os.cpu_count() or 1
        Pool(settings, process_in_worker, min(n_workers, len(todo))).run(todo, on_result)
    bar.close()

    rows = []
    for sub in sorted(subs, key=lambda s: s.student_id):
        result = dict(results[sub.student_id])
        result["flags"] = sorted(set(result["flags"]) | set(sub.flags))
        result["detail"] = sub.detail or result.get("detail", "")
        rows.append(result)
    feedback_dir = out / "feedback"
    if feedback_dir.exists():
        shutil.rmtree(feedback_dir)
    feedback_dir.mkdir()
    for row in rows:
        shutil.copyfile(pages / f"{row['student_id']}.html", feedback_dir / f"{row['student_id']}.html")
    reporting.write_outputs(out, assignment, rows)
    return rows


def _scratch(out):
    path = Path(out) / ".intake"
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path
