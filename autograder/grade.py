"""The ``grade`` pipeline: intake -> preprocess -> sandboxed execution -> judge -> feedback -> reports.

The parent process finds and reads the submissions, hands each gradable one to a
worker (:class:`autograder.execution.Pool`) and writes the outputs. A worker prepares
the notebook (:mod:`autograder.preprocessors`), writes the submission's case inputs and
the recorder into a fresh scratch folder, runs the notebook in a sandboxed kernel,
reads the records (:mod:`autograder.records`), judges them (:mod:`autograder.judge`) and
renders the feedback page. A worker killed at the time budget or lost is judged by the
parent from the records already written, through the same :func:`finish` (one scoring
path).

Results are cached per submission in the workspace under a key that covers everything
that decides a score: the submission's bytes and id, the source notebook, the code of
``lrcourse`` (answer key, cases, comparison, recorder) and ``autograder``, the settings
and the course secret. Re-running gives the same outputs; an interrupted run resumes.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

import nbformat

from . import feedback, intake, reporting, sandbox, scan
from .course import case_seed, find_course_root, load_assignment
from .execution import Pool, Settings, run_notebook
from .judge import judge
from .model import (
    GRADER_ERROR,
    KERNEL_DIED,
    MEMORY,
    TIMEOUT,
    UNSANDBOXED,
    RunOutcome,
    SubmissionResult,
)
from .records import read_records

DEFAULT_SECRET = "lrcourse-demo-secret"
SECRET_ENV = "LRCOURSE_SECRET"
CACHE_VERSION = 2


def course_secret(explicit=None):
    """The secret that seeds the drawn cases: ``--secret``, else ``$LRCOURSE_SECRET``, else the demo default."""
    return explicit or os.environ.get(SECRET_ENV) or DEFAULT_SECRET


def _code_digest():
    """A hash of every Python file of lrcourse and autograder (what decides a score)."""
    import lrcourse

    h = hashlib.sha256()
    for package in (Path(lrcourse.__file__).parent, Path(__file__).parent):
        for path in sorted(package.rglob("*.py")):
            h.update(str(path.relative_to(package)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def grading_key(assignment, settings):
    """What every cached result of this batch must have been computed with."""
    h = hashlib.sha256()
    h.update(f"{CACHE_VERSION}".encode())
    h.update(assignment.source_path.read_bytes())
    h.update(_code_digest().encode())
    parts = [settings.cell_timeout, settings.budget, settings.memory_mb, settings.secret, settings.sandbox]
    h.update(json.dumps(parts).encode())
    return h.hexdigest()


# --------------------------------------------------------------------------- in a worker


@functools.lru_cache(maxsize=4)
def _assignment(course_root, assignment_id):
    return load_assignment(course_root, assignment_id)


@functools.lru_cache(maxsize=4)
def _release(path):
    return nbformat.read(path, as_version=4)


def _recorder_source():
    import lrcourse.record

    return Path(lrcourse.record.__file__).read_text(encoding="utf-8")


def prepare(nb, assignment, release_nb, scratch):
    """Return ``(notebook to run, flags found)``: the preprocessors in order on a copy."""
    from .preprocessors import DedupeGradeIds, InstallRecorder, OverwriteLockedCells, RestoreCells

    resources = {}
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    for pre in (
        DedupeGradeIds(),
        RestoreCells(release=release_nb, assignment=assignment),
        OverwriteLockedCells(assignment=assignment),
        InstallRecorder(assignment=assignment, recorder_path=str(Path(scratch) / "recorder.py"),
                        cases_path=str(Path(scratch) / "cases.json"), record_path=str(Path(scratch) / "records.jsonl")),
    ):
        nb, resources = pre.preprocess(nb, resources)
    return nb, set(resources.get("lrcourse", {}).get("flags", set()))


def grade_in_worker(settings, slot, task):
    """Grade one submission (runs in a worker process); return its result as a dict."""
    from lrcourse.grading import encode_cases

    assignment = _assignment(settings.course_root, settings.assignment_id)
    release_nb = _release(task["release"])
    started = time.monotonic()
    scratch = Path(task["scratch"])
    if scratch.exists():
        shutil.rmtree(scratch)
    spec = settings.sandbox_spec(slot)
    sandbox.prepare_scratch(scratch, spec)
    with open(task["original"], "rb") as fh:
        original = nbformat.reads(fh.read().decode("utf-8"), as_version=4)
    nb, flags = prepare(original, assignment, release_nb, scratch)
    (scratch / "recorder.py").write_text(_recorder_source(), encoding="utf-8")
    cases = encode_cases(assignment.checks, task["seed"])
    (scratch / "cases.json").write_text(json.dumps(cases), encoding="utf-8")
    records_file = scratch / "records.jsonl"

    def reset():
        records_file.write_text("")
        if os.getuid() == 0 and spec.enabled:
            for path in (records_file, scratch / "recorder.py", scratch / "cases.json"):
                os.chown(path, spec.uid, spec.uid)

    prepared = time.monotonic()
    executed, outcome = run_notebook(nb, scratch, settings, slot, reset=reset)
    ran = time.monotonic()
    review = scan.review_notes(original, assignment)
    result = finish(settings, assignment, task, outcome, flags, review)
    judged = time.monotonic()
    autograded = Path(settings.workspace) / "autograded" / task["student_id"] / f"{settings.notebook}.ipynb"
    autograded.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(executed, autograded)
    page = feedback.render_page(executed, result, assignment, assignment.manual_points)
    feedback.write_page(Path(settings.workspace) / "pages" / f"{task['student_id']}.html", page)
    result.timing = {"prepare": prepared - started, "run": ran - prepared, "scan_and_judge": judged - ran,
                     "notebook_and_page": time.monotonic() - judged}
    result.seconds = time.monotonic() - started
    shutil.rmtree(scratch, ignore_errors=True)
    return result.to_dict()


# --------------------------------------------------------------------------- one scoring path


def finish(settings, assignment, task, outcome, flags=(), review=()):
    """Judge the records of one run and put the result together (worker and parent alike)."""
    records, _dropped = read_records(Path(task["scratch"]) / "records.jsonl")
    stopped = dict(outcome.cell_errors)
    if outcome.status != "completed":
        for test in assignment.tests:
            stopped.setdefault(test.grade_id, outcome.status.replace("_", " "))
    verdicts = judge(assignment, records, task["seed"], stopped)
    flags = set(flags) | set(task.get("flags", ()))
    if outcome.timed_out_cells or outcome.status == "timeout":
        flags.add(TIMEOUT)
    if outcome.status == "kernel_died":
        flags.add(KERNEL_DIED)
    if outcome.status == GRADER_ERROR:
        flags.add(GRADER_ERROR)
    if outcome.memory:
        flags.add(MEMORY)
    if not settings.sandbox:
        flags.add(UNSANDBOXED)
    return SubmissionResult(
        student_id=task["student_id"],
        assignment=settings.assignment_id,
        auto_score=round(sum(v.points for v in verdicts), 6),
        auto_max_score=assignment.max_score,
        verdicts=verdicts,
        flags=sorted(flags),
        review=list(review),
        manual_pending=len(assignment.manual_ids),
        detail=task.get("detail", ""),
        cause=outcome.cause,
        attempts=outcome.attempts,
        seconds=outcome.seconds,
        lms_id=task.get("lms_id", ""),
        source_file=task.get("source_file", ""),
    )


def _ungradable(settings, assignment, sub):
    flags = set(sub.flags) | ({UNSANDBOXED} if not settings.sandbox else set())
    return SubmissionResult(
        student_id=sub.student_id,
        assignment=settings.assignment_id,
        auto_score=0.0,
        auto_max_score=assignment.max_score,
        verdicts=judge(assignment, {}, 0, {t.grade_id: sub.detail or "no notebook" for t in assignment.tests}),
        flags=sorted(flags),
        manual_pending=0,
        detail=sub.detail,
        lms_id=sub.lms_id,
        source_file=str(sub.original or ""),
    )


def _grader_error(settings, assignment, task, cause):
    """The row of a student whose handling failed in the grader itself: 0, flagged, the cause kept."""
    stopped = {t.grade_id: "the grader failed on this submission" for t in assignment.tests}
    return SubmissionResult(
        student_id=task["student_id"], assignment=settings.assignment_id, auto_score=0.0,
        auto_max_score=assignment.max_score, verdicts=judge(assignment, {}, 0, stopped),
        flags=sorted({GRADER_ERROR} | set(task.get("flags", ()))), manual_pending=len(assignment.manual_ids),
        detail=task.get("detail", ""), cause=cause, lms_id=task.get("lms_id", ""),
        source_file=task.get("source_file", ""),
    )


# --------------------------------------------------------------------------- the batch


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
    secret=None,
    use_sandbox=True,
    dask=None,
    gradebook=False,
):
    """Grade every submission of one assignment; write grades.csv, feedback/ and report.html.

    With ``dask`` (a scheduler address or ``local:N``) the submissions are graded as Dask
    tasks (:class:`autograder.distributed.DaskPool`) instead of by the local pool.
    With ``gradebook`` every result is also recorded in the course's nbgrader gradebook
    (:func:`autograder.gradebook.record`).

    Returns
    -------
    list of SubmissionResult
        One per student, sorted by student id.
    """
    course_root = find_course_root(course_root)
    assignment = load_assignment(course_root, assignment_id)
    out = Path(out).resolve()
    ws = out / ".workspace"
    if not Path(submissions).exists():
        raise intake.IntakeError(f"submissions path not found: {submissions}")
    status = sandbox.probe() if use_sandbox else sandbox.SandboxStatus(False, reason="--no-sandbox was given")
    settings = Settings(
        workspace=str(ws),
        course_root=str(course_root),
        assignment_id=assignment_id,
        notebook=assignment.notebook,
        cell_timeout=int(timeout),
        budget=int(budget or 3 * timeout + 30),
        memory_mb=int(memory_mb),
        secret=course_secret(secret),
        sandbox=status.available,
        bwrap=status.bwrap,
        hide=(str(out), str(Path(submissions).resolve())),
    )
    release_path = course_root / "release" / assignment_id / f"{assignment.notebook}.ipynb"
    if not release_path.exists():
        raise intake.IntakeError(f"no release notebook {release_path}: run nbgrader generate_assignment first")
    subs = intake.discover(submissions, assignment_id, assignment.notebook, scratch=_scratch(out),
                           course_root=course_root)
    intake.check_batch(subs, submissions, assignment_id, assignment.notebook)
    key = grading_key(assignment, settings)
    for sub_dir in ("results", "pages", "autograded"):
        (ws / sub_dir).mkdir(parents=True, exist_ok=True)
    tmp_root = Path(tempfile.mkdtemp(prefix="lrc-"))
    os.chmod(tmp_root, 0o711)

    results, todo = {}, []
    for index, sub in enumerate(subs):
        intake.read(sub)
        if not sub.gradable:
            results[sub.student_id] = _ungradable(settings, assignment, sub)
            page = feedback.fallback_page(results[sub.student_id])
            feedback.write_page(ws / "pages" / f"{sub.student_id}.html", page)
            continue
        cache_key = hashlib.sha256(f"{key}\0{sub.digest}\0{sub.student_id}".encode()).hexdigest()
        cached = ws / "results" / f"{sub.student_id}.json"
        if not fresh and cached.exists() and (ws / "pages" / f"{sub.student_id}.html").exists():
            try:
                data = json.loads(cached.read_text())
                if data.get("key") == cache_key:
                    results[sub.student_id] = SubmissionResult.from_dict(data["result"])
                    results[sub.student_id].source_file = str(sub.original)  # this run's copy of the file
                    continue
            except (ValueError, KeyError, TypeError):
                pass
        todo.append({
            "student_id": sub.student_id, "original": str(sub.original), "release": str(release_path),
            "seed": case_seed(assignment_id, sub.student_id, settings.secret), "scratch": str(tmp_root / str(index)),
            "flags": list(sub.flags), "detail": sub.detail, "lms_id": sub.lms_id,
            "source_file": str(sub.original), "cache_key": cache_key,
        })

    bar = reporting.progress(len(todo), enabled=progress)

    def on_result(task, data):
        try:
            if GRADER_ERROR in data or "killed" in data:
                killed = data.get("killed")
                status_ = {"timeout": "timeout", "worker_died": GRADER_ERROR}.get(killed, GRADER_ERROR)
                cause = data.get(GRADER_ERROR) or (
                    f"the worker was {'killed at the time budget' if killed == 'timeout' else 'lost'}")
                outcome = RunOutcome(status_, cause=cause, seconds=data.get("seconds", 0.0))
                result = finish(settings, assignment, task, outcome)
                feedback.write_page(ws / "pages" / f"{task['student_id']}.html",
                                    feedback.fallback_page(result, assignment.manual_points))
            else:
                result = SubmissionResult.from_dict(data)
        except Exception as exc:  # noqa: BLE001 - one student's trouble never sinks the batch
            result = _grader_error(settings, assignment, task, f"{type(exc).__name__}: {exc}")
            feedback.write_page(ws / "pages" / f"{task['student_id']}.html", feedback.fallback_page(result))
        results[task["student_id"]] = result
        if GRADER_ERROR not in result.flags:  # the grader's own failures are tried again on the next run
            _write_json(ws / "results" / f"{task['student_id']}.json",
                        {"key": task["cache_key"], "result": result.to_dict()})
        bar.update(1)

    try:
        if todo:
            if dask:
                from .distributed import DaskPool

                executor = DaskPool(settings, grade_in_worker, dask)
            else:
                n_workers = workers or os.cpu_count() or 1
                executor = Pool(settings, grade_in_worker, min(n_workers, len(todo)))
            executor.run(todo, on_result)
    finally:
        bar.close()
        shutil.rmtree(tmp_root, ignore_errors=True)

    rows = [results[sub.student_id] for sub in sorted(subs, key=lambda s: s.student_id)]
    feedback_dir = out / "feedback"
    if feedback_dir.exists():
        shutil.rmtree(feedback_dir)
    feedback_dir.mkdir()
    for row in rows:
        shutil.copyfile(ws / "pages" / f"{row.student_id}.html", feedback_dir / f"{row.student_id}.html")
    reporting.write_outputs(out, assignment, rows, status)
    if gradebook:
        from .gradebook import record

        record(course_root, assignment, rows, out)
    return rows


def _write_json(path, data):
    tmp = Path(str(path) + ".tmp")
    tmp.write_text(json.dumps(data, indent=1, default=str))
    os.replace(tmp, path)


def _scratch(out):
    path = Path(out) / ".intake"
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path
