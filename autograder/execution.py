"""Execution: a pool of worker processes, each running nbgrader's autograde.

Every worker imports nbgrader and builds its ``NbGraderAPI`` once, then grades one
submission at a time, each in a fresh kernel (nbgrader/nbclient start it; the kernel is
shut down immediately after). The parent hands out work, shows progress and enforces a
per-notebook time budget by killing the worker and its kernel (a loop that ignores
interrupts cannot hang the batch); a killed or crashed worker is replaced.

The kernel runs with a memory cap (``RLIMIT_AS``, set by the kernel's own start-up
line), a minimal traceback mode (feedback never quotes hidden-test lines), no history
file, ``$LRCOURSE_RECORD`` naming the per-submission record file that the hidden tests
append to, and ``$LRCOURSE_FEEDBACK=student`` so messages do not print expected values.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import sys
import time
import traceback
import warnings
from dataclasses import dataclass
from pathlib import Path

import psutil

KERNEL_NAME = "python3"


@dataclass
class Settings:
    workspace: str
    assignment_id: str
    notebook: str
    course_id: str = "lrcourse"
    cell_timeout: int = 30
    budget: int = 180
    memory_mb: int = 2048
    zygote: bool = True  # fork kernels from a preloaded process (see autograder.zygote)


def nbgrader_config(settings):
    """The traitlets config for a workspace (also used to generate the assignment)."""
    from traitlets.config import Config

    c = Config()
    c.CourseDirectory.root = settings.workspace
    c.CourseDirectory.course_id = settings.course_id
    c.CourseDirectory.db_url = f"sqlite:///{Path(settings.workspace) / 'gradebook.db'}"
    c.Execute.kernel_name = KERNEL_NAME
    c.Execute.timeout = settings.cell_timeout
    c.Execute.interrupt_on_timeout = True
    c.Execute.shutdown_kernel = "immediate"
    c.Execute.startup_timeout = 60
    limit = int(settings.memory_mb) * 1024 * 1024
    c.Execute.extra_arguments = [
        "--InteractiveShell.xmode=Minimal",
        "--HistoryManager.hist_file=:memory:",
        "--HistoryManager.enabled=False",
        f"--IPKernelApp.exec_lines=import resource as _r; _r.setrlimit(_r.RLIMIT_AS, ({limit}, {limit})); del _r",
    ]
    c.OverwriteCells.add_missing_cells = True
    c.GenerateFeedback.preprocessors = [
        "nbgrader.preprocessors.GetGrades",
        "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
        "nbgrader.preprocessors.ClearHiddenTests",
    ]
    c.Application.log_level = "WARN"
    return c


def _venv_on_path():
    """nbgrader runs ``alembic`` and jupyter finds kernels via PATH: put this interpreter's bin first."""
    bindir = str(Path(sys.executable).parent)
    if os.environ.get("PATH", "").split(os.pathsep)[0] != bindir:
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")


PROBE_MARK = "# lrcourse-autograder-probe"


def add_probe(path, assignment):
    """Append the probe cell to the workspace copy of a submission (never the original).

    It runs after everything else and records, to a separate file, what the student's
    functions return on the hidden cases whose test cell stopped at a visible assert, so
    the feedback can still name the likely mistake. It never counts towards the score and
    is removed again before feedback is generated.
    """
    import nbformat

    pairs = [(t.function, t.aspect) for t in assignment.tests if t.function]
    source = (
        f"{PROBE_MARK}\nfrom lrcourse.grading import probe as _lrcourse_probe\n"
        f"_lrcourse_probe({pairs!r}, globals())\n"
    )
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(source))
    nbformat.write(nb, path)


def remove_probe(path):
    import nbformat

    if not Path(path).exists():
        return
    nb = nbformat.read(path, as_version=4)
    kept = [c for c in nb.cells if not (c.cell_type == "code" and c.source.startswith(PROBE_MARK))]
    if len(kept) != len(nb.cells):
        nb.cells = kept
        nbformat.write(nb, path)


def make_api(settings):
    from nbgrader.apps import NbGraderAPI

    _venv_on_path()
    return NbGraderAPI(config=nbgrader_config(settings))


def record_path(settings, student_id):
    return Path(settings.workspace) / "records" / f"{student_id}.jsonl"


def start_zygote(workspace):
    """Start this worker's kernel fork server and point the ``python3`` kernelspec at it.

    Returns the zygote's ``Popen``. The kernelspec lives in a private ``JUPYTER_PATH``
    entry, so the kernel name stays ``python3`` and nothing outside the workspace changes.
    """
    import json
    import subprocess

    home = Path(workspace) / f"kernels-{os.getpid()}"
    spec_dir = home / "kernels" / KERNEL_NAME
    spec_dir.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [sys.executable, "-m", "autograder.zygote", "connect", "-f", "{connection_file}"],
        "display_name": "Python 3 (lrcourse grader)",
        "language": "python",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec))
    sock = f"/tmp/lrcourse-zygote-{os.getpid()}.sock"
    if os.path.exists(sock):
        os.unlink(sock)
    log = open(Path(workspace) / f"zygote-{os.getpid()}.log", "ab")  # noqa: SIM115
    proc = subprocess.Popen([sys.executable, "-m", "autograder.zygote", "serve", sock], stdout=log, stderr=log,
                            stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while not os.path.exists(sock) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    if os.path.exists(sock):
        os.environ["LRCOURSE_ZYGOTE"] = sock
        os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(home), os.environ.get("JUPYTER_PATH")]))
    return proc


def reap_kernels(zygote):
    """Kill whatever kernels the zygote forked (they belong to the submission just graded)."""
    if zygote is None:
        return
    _kill_tree(zygote.pid, include_root=False)


def _worker(settings, tasks, results, handler):
    """Worker loop: build the API once, then grade whatever arrives until ``None``."""
    log = open(Path(settings.workspace) / f"worker-{os.getpid()}.log", "ab", buffering=0)  # noqa: SIM115
    os.dup2(log.fileno(), 2)  # nbgrader's and the kernels' chatter goes to the workspace, not the terminal
    warnings.filterwarnings("ignore")
    os.environ["LRCOURSE_FEEDBACK"] = "student"
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    zygote = start_zygote(settings.workspace) if settings.zygote else None
    api = make_api(settings)
    try:
        _serve(api, settings, tasks, results, handler, zygote)
    finally:
        if zygote is not None:
            reap_kernels(zygote)
            zygote.kill()


def _serve(api, settings, tasks, results, handler, zygote):
    while True:
        student_id = tasks.get()
        if student_id is None:
            return
        try:
            path = record_path(settings, student_id)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("")
            Path(str(path) + ".probe").write_text("")
            os.environ["LRCOURSE_RECORD"] = str(path)
            started = time.monotonic()
            outcome = api.autograde(settings.assignment_id, student_id, force=True, create=True)
            reap_kernels(zygote)
            outcome = {k: outcome.get(k) for k in ("success", "error", "log")}
            logs = Path(settings.workspace) / "logs"
            logs.mkdir(exist_ok=True)
            (logs / f"{student_id}.log").write_text((outcome.get("log") or "") + (outcome.get("error") or ""))
            outcome["seconds"] = time.monotonic() - started
            results.put((student_id, handler(api, settings, student_id, outcome)))
        except BaseException as exc:  # noqa: BLE001 - a worker must report, not die silently
            results.put((student_id, {"worker_error": f"{type(exc).__name__}: {exc}", "tb": traceback.format_exc()}))


def _kill_tree(pid, include_root=True):
    """SIGKILL a process's descendants (kernels start their own sessions) and, by default, itself."""
    try:
        proc = psutil.Process(pid)
        procs = proc.children(recursive=True) + ([proc] if include_root else [])
    except psutil.NoSuchProcess:
        return
    for p in procs:
        try:
            p.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(procs, timeout=5)


class Pool:
    """N worker processes; :meth:`run` grades a list of students and yields results."""

    def __init__(self, settings, handler, workers):
        self.settings = settings
        self.handler = handler
        self.n = max(1, int(workers))
        self.ctx = mp.get_context("spawn")
        self.results = self.ctx.Queue()
        self.slots = []

    def _spawn(self):
        tasks = self.ctx.Queue()
        proc = self.ctx.Process(
            target=_worker, args=(self.settings, tasks, self.results, self.handler), daemon=True
        )
        proc.start()
        return {"proc": proc, "tasks": tasks, "student": None, "since": None}

    def run(self, students, on_result):
        """Grade ``students``; call ``on_result(student_id, result)`` for each as it finishes."""
        pending = list(students)
        self.slots = [self._spawn() for _ in range(min(self.n, len(pending)) or 1)]
        busy = 0
        try:
            while pending or busy:
                for slot in self.slots:
                    if slot["student"] is None and pending:
                        slot["student"] = pending.pop(0)
                        slot["since"] = time.monotonic()
                        slot["tasks"].put(slot["student"])
                        busy += 1
                try:
                    student_id, result = self.results.get(timeout=0.2)
                except queue.Empty:
                    student_id = None
                if student_id is not None:
                    for slot in self.slots:
                        if slot["student"] == student_id:  # else: a late answer from a killed worker
                            slot["student"] = None
                            busy -= 1
                            on_result(student_id, result)
                now = time.monotonic()
                for i, slot in enumerate(self.slots):
                    if slot["student"] is None:
                        continue
                    dead = not slot["proc"].is_alive()
                    late = now - slot["since"] > self.settings.budget
                    if dead or late:
                        _kill_tree(slot["proc"].pid)
                        reason = "timeout" if late else "worker_died"
                        student = slot["student"]
                        self.slots[i] = self._spawn()
                        busy -= 1
                        on_result(student, {"killed": reason, "seconds": now - slot["since"]})
        finally:
            self.close()

    def close(self):
        for slot in self.slots:
            try:
                slot["tasks"].put(None)
            except (OSError, ValueError):
                pass
        deadline = time.monotonic() + 5
        for slot in self.slots:
            slot["proc"].join(timeout=max(0.1, deadline - time.monotonic()))
            if slot["proc"].is_alive():
                _kill_tree(slot["proc"].pid)
        self.slots = []
