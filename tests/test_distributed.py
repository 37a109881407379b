"""``autograder grade --dask``: a real scheduler and real ``dask worker`` processes on localhost, no mocks.

One small ps1 cohort (two correct styles, one named mistake, a blank and a broken file,
a correct notebook that sleeps 8 s in a cell, and one that sleeps past the per-notebook
budget) is graded by the local pool once; every Dask run must give the same rows. The
cluster tests start ``dask scheduler`` and two ``dask worker --nworkers 1 --nthreads 1``
subprocesses and SIGKILL one worker (its process and its nanny: the machine is gone)
while it grades the sleeping notebook.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import psutil
import pytest

from autograder import cohort
from autograder.distributed import ClusterError, parse_address
from autograder.grade import grade
from autograder.model import GRADER_ERROR, TIMEOUT, SubmissionResult
from autograder.sandbox import FIRST_UID, probe

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENT, NOTEBOOK = "ps1_update_rule", "update_rule"
RELEASE = ROOT / "release" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
BIN = Path(sys.executable).parent
BUDGET = 20
SLOW, OVER = "slow_sleeper", "over_budget"
FULL = ("correct_style1", "correct_style2", SLOW)

pytestmark = pytest.mark.slow


def _sleeping(nb_path, dest, seconds, grade_id):
    """A copy of a correct notebook whose ``grade_id`` cell sleeps first."""
    nb = nbformat.read(nb_path, as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            cell.source = f"import time\ntime.sleep({seconds})\n" + cell.source
    folder = dest / ASSIGNMENT
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / f"{NOTEBOOK}.ipynb")


@pytest.fixture(scope="module")
def subs(tmp_path_factory):
    everyone = tmp_path_factory.mktemp("cohort")
    expect = cohort.build(RELEASE, ASSIGNMENT, everyone, include_slow=False)
    wrong = sorted(s for s in expect if s.startswith("wrong_gd_step"))[0]
    dest = tmp_path_factory.mktemp("subs")
    for student in ("correct_style1", "correct_style2", wrong, "blank", "broken_json"):
        shutil.copytree(everyone / student, dest / student)
    good = everyone / "correct_style1" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    _sleeping(good, dest / SLOW, 8, "gd_step")  # full marks, slow enough to be killed mid-task
    _sleeping(good, dest / OVER, 600, "critical_lr")  # killed at the budget after two functions' tests
    return dest


@pytest.fixture(scope="module")
def local_run(subs, tmp_path_factory):
    out = tmp_path_factory.mktemp("local")
    rows = grade(ASSIGNMENT, subs, out, workers=2, budget=BUDGET, progress=False)
    return out, rows


def _comparable(rows):
    """Everything of a row except how long it took."""
    return [{k: v for k, v in row.to_dict().items() if k not in ("seconds", "timing")} for row in rows]


def _results(out):
    folder = Path(out) / ".workspace" / "results"
    return {p.stem: SubmissionResult.from_dict(json.loads(p.read_text())["result"]) for p in folder.glob("*.json")}


def test_the_local_run_grades_the_cohort_as_expected(local_run, subs):
    _, rows = local_run
    by_id = {r.student_id: r for r in rows}
    assert sorted(by_id) == sorted(p.name for p in subs.iterdir())
    for student in FULL:
        assert by_id[student].auto_score == by_id[student].auto_max_score, by_id[student].flags
        assert by_id[student].flags == []
    over = by_id[OVER]  # gd_step and gradient_descent were judged from their records before the kill
    assert TIMEOUT in over.flags and 0 < over.auto_score < over.auto_max_score
    assert "time budget" in over.cause
    wrong = next(r for s, r in by_id.items() if s.startswith("wrong_"))
    assert 0 < wrong.auto_score < wrong.auto_max_score
    assert by_id["blank"].auto_score == 0 and "invalid_notebook" in by_id["broken_json"].flags


def test_local_cluster_gives_the_local_rows_row_for_row(local_run, subs, tmp_path):
    out, rows = local_run
    dask_rows = grade(ASSIGNMENT, subs, tmp_path, budget=BUDGET, progress=False, dask="local:2")
    assert (tmp_path / "grades.csv").read_text() == (out / "grades.csv").read_text()
    assert _comparable(dask_rows) == _comparable(rows)
    assert sorted(p.name for p in (tmp_path / "feedback").iterdir()) == sorted(p.name for p in (out / "feedback").iterdir())


# --------------------------------------------------------------------------- a real cluster


def _is_kernel(proc):
    """The kernel itself (``python ... -m ipykernel_launcher``), not the launcher or bwrap that start it."""
    try:
        return "ipykernel_launcher" in proc.cmdline()[:4]
    except psutil.Error:
        return False


class Cluster:
    """``dask scheduler`` and ``dask worker`` subprocesses on 127.0.0.1 (each in its own session)."""

    def __init__(self, folder, env=None):
        self.folder, self.env, self.procs, self.workers = Path(folder), {**os.environ, **(env or {})}, [], []
        file = self.folder / "scheduler.json"
        self.scheduler = self._start(["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                      "--scheduler-file", str(file)], "scheduler")
        deadline = time.monotonic() + 60
        while not file.exists() or not file.read_text().strip():
            assert time.monotonic() < deadline and self.scheduler.poll() is None, "the scheduler did not start"
            time.sleep(0.2)
        self.address = json.loads(file.read_text())["address"]
        from distributed import Client

        self.client = Client(self.address, timeout=30)

    def _start(self, args, name):
        log = open(self.folder / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        proc = subprocess.Popen([str(BIN / "dask"), *args], stdout=log, stderr=subprocess.STDOUT, env=self.env,
                                cwd=self.folder, start_new_session=True)
        self.procs.append(proc)
        return proc

    def add_workers(self, n):
        for _ in range(n):
            name = f"w{len(self.workers) + 1}"
            work = self.folder / name
            work.mkdir()
            self.workers.append(self._start(["worker", self.address, "--nworkers", "1", "--nthreads", "1",
                                             "--no-dashboard", "--name", name, "--local-directory", str(work)], name))
        alive = sum(p.poll() is None for p in self.workers)
        self.client.wait_for_workers(alive, timeout=120)

    def kill_worker_grading(self, student, kernel_seconds=1.5, timeout=300):
        """SIGKILL the worker (and its nanny) once its kernel for ``student`` has run a while.

        Returns the processes that were running under that worker (grading child, kernel, ...)
        and their command lines.
        """
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            busy = [w for w, keys in self.client.processing().items() if any(student in str(k) for k in keys)]
            if busy:
                worker_pid = self.client.run(os.getpid, workers=busy[:1])[busy[0]]
                kernels = [p for p in psutil.Process(worker_pid).children(recursive=True) if _is_kernel(p)]
                if kernels and time.time() - min(k.create_time() for k in kernels) > kernel_seconds:
                    break
            time.sleep(0.2)
        else:
            raise AssertionError(f"no worker graded {student} within {timeout} s")
        worker = psutil.Process(worker_pid)
        nanny = worker.ppid()
        assert nanny in {p.pid for p in self.workers}, "the worker's parent is one of the dask worker processes"
        under = worker.children(recursive=True)
        cmdlines = [" ".join(p.cmdline()) for p in under]
        self.kernel_uids = [p.uids().real for w in self.workers if w.poll() is None
                            for p in psutil.Process(w.pid).children(recursive=True) if _is_kernel(p)]
        os.kill(worker_pid, signal.SIGKILL)
        os.kill(nanny, signal.SIGKILL)
        return under, cmdlines

    def close(self):
        try:
            self.client.close()
        finally:
            for proc in reversed(self.procs):
                if proc.poll() is None:
                    proc.terminate()
            for proc in reversed(self.procs):
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    pass
                try:
                    os.killpg(proc.pid, signal.SIGKILL)  # its session: forkserver, children, if any are left
                except (ProcessLookupError, PermissionError):
                    pass


@pytest.fixture
def cluster(tmp_path):
    made = []

    def make(env=None):
        folder = tmp_path / f"cluster{len(made)}"
        folder.mkdir()
        made.append(Cluster(folder, env))
        return made[-1]

    yield make
    for c in made:
        c.close()


def _grade_cli(subs, out, address):
    cmd = [sys.executable, "-m", "autograder.cli", "grade", ASSIGNMENT, str(subs), "--out", str(out),
           "--budget", str(BUDGET), "--dask", address]
    return subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _all_gone(procs, timeout=15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        alive = [p for p in procs if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
        if not alive:
            return []
        time.sleep(0.1)
    return alive


def test_a_worker_killed_mid_task_is_requeued_and_the_rows_match_the_local_run(cluster, local_run, subs, tmp_path):
    local_out, local_rows = local_run
    c = cluster()
    c.add_workers(2)
    run = _grade_cli(subs, tmp_path / "out", c.address)
    under, cmdlines = c.kill_worker_grading(SLOW)
    assert any("ipykernel_launcher" in line for line in cmdlines)
    assert any("bwrap" in line for line in cmdlines) == probe().available  # the worker's kernel is sandboxed
    assert _all_gone(under) == [], "the grading child and its kernel die with their worker"
    if os.getuid() == 0:  # kernels graded at once on this host, by the two workers, never share a uid
        assert len(c.kernel_uids) == len(set(c.kernel_uids)) and all(u >= FIRST_UID for u in c.kernel_uids)
    stdout, stderr = run.communicate(timeout=600)
    assert run.returncode == 0, stderr[-3000:]
    assert (tmp_path / "out" / "grades.csv").read_text() == (local_out / "grades.csv").read_text()
    results = _results(tmp_path / "out")  # every graded row (broken_json never reached a worker)
    graded = [r for r in local_rows if r.student_id != "broken_json"]
    assert sorted(results) == sorted(r.student_id for r in graded)
    assert _comparable([results[r.student_id] for r in graded]) == _comparable(graded)
    for student in FULL:
        assert results[student].auto_score == results[student].auto_max_score
    assert "grading: 100%" in stderr and f"{len(local_rows) - 1}/{len(local_rows) - 1}" in stderr  # bar fed by futures
    assert f"{ASSIGNMENT}  " in stdout
    assert "Remove worker" in (c.folder / "scheduler.log").read_text()  # the scheduler saw it go


def test_a_task_whose_workers_keep_dying_is_worker_died(cluster, subs, tmp_path):
    """With allowed-failures 0 the scheduler gives up on the first lost worker: KilledWorker -> grader_error."""
    few = tmp_path / "few"
    for student in ("correct_style1", SLOW):
        shutil.copytree(subs / student, few / student)
    c = cluster({"DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "0"})
    c.add_workers(2)
    run = _grade_cli(few, tmp_path / "out", c.address)
    c.kill_worker_grading(SLOW)
    _, stderr = run.communicate(timeout=600)
    assert run.returncode == 0, stderr[-3000:]
    rows = {r["student_id"]: r for r in csv.DictReader(open(tmp_path / "out" / "grades.csv"))}
    assert rows[SLOW]["flags"] == GRADER_ERROR and float(rows[SLOW]["auto_score"]) == 0
    assert "the worker was lost" in (tmp_path / "out" / "report.html").read_text()  # the cause, for the TA
    assert not (tmp_path / "out" / ".workspace" / "results" / f"{SLOW}.json").exists()  # retried on the next run
    assert rows["correct_style1"]["auto_score"] == rows["correct_style1"]["auto_max_score"]


# --------------------------------------------------------------------------- small parts


def test_addresses():
    assert parse_address("local:2") == ("local", 2)
    assert parse_address("tcp://127.0.0.1:8786") == ("tcp://127.0.0.1:8786", 0)
    for bad in ("", "local", "local:0", "local:x", "local:1000"):
        with pytest.raises(ClusterError):
            parse_address(bad)


def test_cli_refuses_bad_dask_options(tmp_path):
    base = [sys.executable, "-m", "autograder.cli", "grade", ASSIGNMENT, str(tmp_path), "--out", str(tmp_path / "o")]
    for extra in (["--dask", "local:0"], ["--dask", "local:2", "--workers", "2"]):
        done = subprocess.run(base + extra, cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert done.returncode == 2 and "autograder: error: " in done.stderr, done.stderr


def test_an_unreachable_scheduler_is_a_cluster_error(monkeypatch):
    from autograder import distributed

    monkeypatch.setattr(distributed, "CONNECT_TIMEOUT", 3)
    with socket_free_port() as port:
        address = f"tcp://127.0.0.1:{port}"
    with pytest.raises(ClusterError, match="cannot reach"):
        distributed.DaskPool(None, None, address)._connect()


class socket_free_port:
    """A TCP port on 127.0.0.1 that nothing listens on (closed on exit)."""

    def __enter__(self):
        import socket

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        return self.sock.getsockname()[1]

    def __exit__(self, *exc):
        self.sock.close()
