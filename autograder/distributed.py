"""Grading on a Dask cluster: :class:`DaskPool`, the same interface as :class:`autograder.execution.Pool`.

``autograder grade ... --dask ADDRESS`` (a running scheduler, ``tcp://host:8786``) or
``--dask local:N`` (a :class:`distributed.LocalCluster` of N worker processes) hands each
submission to the cluster as one Dask task. The parent process still reads the
submissions, keeps the cache and writes every output; only :func:`grade_in_worker` runs on
the workers, so a row is computed exactly as a local run computes it.

On a worker, :func:`grade_task` (the Dask task):

1. checks that this worker can grade like every other one: the same ``lrcourse`` and
   ``autograder`` code as the parent (a hash of their files), the course, the
   submissions and the grading workspace visible at the parent's paths (a shared file
   system), and a working bubblewrap sandbox (never a silent fall-back to no sandbox);
2. runs :func:`grade_in_worker` in a child process (forked from a preloaded
   ``multiprocessing`` fork server, so no interpreter start per submission) and enforces
   the per-notebook budget by killing the child's whole process tree, kernels included,
   returning ``{"killed": "timeout"}``; a child that dies without an answer is tried
   once more, then reported ``{"killed": "worker_died"}`` (the local pool's rule);
3. the child leases its own sandbox uid for its lifetime
   (:func:`autograder.sandbox.leased_uid`, a lock file per uid on the host), so two tasks
   grading at once on one machine, in one worker or in two, never share a kernel uid, and
   a sweep by uid never reaches another task's kernel; the lock goes with the child,
   however it dies;
4. ships back, for a killed or failed run, the records the kernel wrote before it was
   stopped, so the parent judges them through the same scoring path
   (:func:`autograder.grade.finish`) whether or not it shares the worker's ``/tmp``.

The child dies with its worker: it holds the read end of a pipe whose only writer is
the worker, and a thread kills the child's tree and exits when that pipe closes; the
kernel's bwrap has ``--die-with-parent``. A
worker lost mid-task (killed, out of memory, its machine gone) is the scheduler's to
handle: the task goes back in the queue and runs on another worker. Dask counts the
workers that died while running a task and, past ``distributed.scheduler.allowed-failures``
(the scheduler's setting, 3 by default; ``local:N`` sets 1, the local pool's one retry),
fails it with ``KilledWorker``; that final failure becomes ``{"killed": "worker_died"}``.
Dask's ``retries`` only re-run tasks that *raised*, which :func:`grade_task` never does.

Examples
--------
>>> parse_address("local:3")
('local', 3)
>>> parse_address("tcp://10.0.0.5:8786")
('tcp://10.0.0.5:8786', 0)
"""

from __future__ import annotations

import functools
import logging
import multiprocessing as mp
import os
import re
import socket
import threading
import time
import traceback
import uuid
from dataclasses import replace
from pathlib import Path

from . import sandbox
from .execution import kill_tree
from .model import GRADER_ERROR
from .records import MAX_FILE_BYTES

CONNECT_TIMEOUT = 30
WORKERS_TIMEOUT = 120
LOCAL_ALLOWED_FAILURES = 1
_PRELOAD = ["autograder.grade", "autograder.execution", "nbclient", "nbclient.exceptions",
            "jupyter_client.manager", "lrcourse.grading", "lrcourse.record", "psutil"]


class ClusterError(RuntimeError):
    """The cluster cannot be reached, has no workers, or the address is not understood."""


def parse_address(spec):
    """``("local", N)`` for ``local:N``, else ``(address, 0)`` for a scheduler address."""
    spec = str(spec or "").strip()
    match = re.fullmatch(r"local:(\d+)", spec)
    if match:
        n = int(match.group(1))
        if not 1 <= n <= 256:
            raise ClusterError(f"--dask local:N needs 1 <= N <= 256, not {n}")
        return "local", n
    if not spec or spec.startswith("local"):
        raise ClusterError(f"--dask needs a scheduler address (tcp://host:8786) or local:N, not {spec!r}")
    return spec, 0


# --------------------------------------------------------------------------- on a worker


@functools.lru_cache(maxsize=1)
def _worker_digest():
    from .grade import _code_digest

    return _code_digest()


def _context():
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(_PRELOAD)  # no effect once the server runs: it was set the first time
    # A nanny starts its worker as a daemonic process, and multiprocessing refuses children
    # to those (they would be left behind). The grading child is not: it dies with the worker.
    mp.current_process()._config["daemon"] = False
    return ctx


def _watch(alive):
    """A thread that kills this process's tree and exits when the worker's end of ``alive`` closes.

    The worker only ever closes its end: when it is done with this child, or when it dies,
    however it dies. (The fork server is no guard: every child it forks keeps it alive.)
    """
    def run():
        try:
            alive.recv()
        except (EOFError, OSError):
            pass
        kill_tree(os.getpid(), include_root=False)
        os._exit(1)

    threading.Thread(target=run, name="lrcourse-watch", daemon=True).start()


def _child(settings, task, handler, conn, alive):
    """The grading child: lease a uid for its lifetime, grade one submission, answer through ``conn``."""
    _watch(alive)
    spec = settings.sandbox_spec()  # as root: this process's uid, leased until it is gone
    slot = spec.uid - sandbox.FIRST_UID  # names the log (the uid is the lease, not the slot)
    log = open(Path(settings.workspace) / f"dask-{socket.gethostname()}-{slot}.log", "ab", buffering=0)  # noqa: SIM115
    os.dup2(log.fileno(), 2)
    import warnings

    warnings.filterwarnings("ignore")
    try:
        sandbox.sweep(spec)  # nothing of an earlier holder of this uid survives
        result = handler(settings, slot, task)
    except BaseException as exc:  # noqa: BLE001 - report, never die silently
        result = {GRADER_ERROR: f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc()[-4000:]}
    conn.send(result)
    conn.close()


def _run_child(ctx, settings, task, handler):
    """Run one attempt in a child; return ``(result or None, late)``."""
    receive, send = ctx.Pipe(duplex=False)
    alive_r, alive_w = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(settings, task, handler, send, alive_r), daemon=True)
    proc.start()
    send.close()
    alive_r.close()
    deadline = time.monotonic() + settings.budget
    result, late = None, False
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                late = True
                break
            if receive.poll(min(remaining, 0.5)):
                try:
                    result = receive.recv()
                except (EOFError, OSError):  # died without an answer
                    pass
                break
            if not proc.is_alive() and not receive.poll(0):
                break
    finally:
        receive.close()
        if result is None:
            kill_tree(proc.pid)
        alive_w.close()  # the child's watch ends it (and whatever it started)
        proc.join(timeout=10)
        if proc.is_alive():
            kill_tree(proc.pid)
            proc.join(timeout=5)
    return result, late


def _records(task):
    try:
        with open(Path(task["scratch"]) / "records.jsonl", "rb") as fh:
            return fh.read(MAX_FILE_BYTES)
    except OSError:
        return None


def _problem(settings, task, digest):
    """Why this worker must not grade (a sentence), or ``""``."""
    host = socket.gethostname()
    if _worker_digest() != digest:
        return (f"the Dask worker on {host} runs other lrcourse/autograder code than the grader: "
                "install the same version there and restart the workers")
    for what, path in (("course", settings.course_root), ("submission", task["original"]),
                       ("release notebook", task["release"]), ("workspace", Path(settings.workspace) / "results")):
        if not Path(path).exists():
            return (f"the Dask worker on {host} cannot see the {what} at {path}: workers need the course, "
                    "the submissions and the output folder at the same paths (a shared file system)")
    if settings.sandbox:
        status = sandbox.probe()
        if not status.available:
            return f"the Dask worker on {host} cannot run the bubblewrap sandbox: {status.reason}"
    return ""


def grade_task(settings, task, handler, digest, parent_host):
    """The Dask task: grade one submission on this worker under the budget; a JSON-able dict."""
    started = time.monotonic()
    problem = _problem(settings, task, digest)
    if problem:
        return {GRADER_ERROR: problem}
    if settings.sandbox:  # the same sandbox, with this machine's bwrap
        settings = replace(settings, bwrap=sandbox.probe().bwrap)
    ctx = _context()
    while True:
        since = time.monotonic()
        result, late = _run_child(ctx, settings, task, handler)
        if result is not None:
            break
        if not late and task.get("attempt", 1) < 2:  # the grader's failure: once more
            task = {**task, "attempt": 2}
            continue
        result = {"killed": "timeout" if late else "worker_died", "seconds": time.monotonic() - since}
        break
    if "killed" in result or GRADER_ERROR in result:
        result["records"] = _records(task)  # judged by the parent, which may not see this /tmp
        import shutil

        shutil.rmtree(task["scratch"], ignore_errors=True)
    if socket.gethostname() != parent_host:
        try:
            os.rmdir(Path(task["scratch"]).parent)  # the batch's scratch root, once empty
        except OSError:
            pass
    result.setdefault("seconds", time.monotonic() - started)
    return result


# --------------------------------------------------------------------------- in the parent


class DaskPool:
    """Grade tasks on a Dask cluster; :meth:`run` reports each result as its future completes.

    Parameters
    ----------
    settings : autograder.execution.Settings
    handler : callable
        ``handler(settings, slot, task)``, run in a child of a Dask worker (importable by name).
    address : str
        A scheduler address (``tcp://host:8786``) or ``local:N``.
    """

    def __init__(self, settings, handler, address):
        self.settings = settings
        self.handler = handler
        self.address, self.n_local = parse_address(address)

    def _connect(self):
        import dask
        from distributed import Client, LocalCluster

        cluster = None
        try:
            if self.address == "local":
                with dask.config.set({"distributed.scheduler.allowed-failures": LOCAL_ALLOWED_FAILURES}):
                    cluster = LocalCluster(n_workers=self.n_local, threads_per_worker=1, processes=True,
                                           dashboard_address=None, silence_logs=logging.ERROR)
                client = Client(cluster, timeout=CONNECT_TIMEOUT)
            else:
                client = Client(self.address, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError) as exc:
            if cluster is not None:
                cluster.close()
            raise ClusterError(f"cannot reach the Dask scheduler at {self.address}: {exc}") from exc
        try:
            client.wait_for_workers(1, timeout=WORKERS_TIMEOUT)
        except (OSError, TimeoutError) as exc:
            client.close()
            if cluster is not None:
                cluster.close()
            raise ClusterError(f"no Dask worker joined the scheduler at {self.address} "
                               f"within {WORKERS_TIMEOUT} s") from exc
        return cluster, client

    def run(self, tasks, on_result):
        from distributed import as_completed

        from .grade import _code_digest

        tasks = list(tasks)
        if not tasks:
            return
        cluster, client = self._connect()
        digest, host, batch = _code_digest(), socket.gethostname(), uuid.uuid4().hex[:8]
        try:
            futures, submitted = {}, {}
            for task in tasks:
                future = client.submit(grade_task, self.settings, task, self.handler, digest, host,
                                       key=f"grade-{batch}-{task['student_id']}", pure=False)
                futures[future], submitted[future.key] = task, time.monotonic()
            for future in as_completed(futures):
                task = futures.pop(future)
                data = self._outcome(future, time.monotonic() - submitted[future.key])
                future.release()
                records = data.pop("records", None)
                if records is not None:
                    scratch = Path(task["scratch"])
                    scratch.mkdir(parents=True, exist_ok=True)
                    (scratch / "records.jsonl").write_bytes(records)
                on_result(task, data)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()

    @staticmethod
    def _outcome(future, seconds):
        """The task's dict; a final ``KilledWorker`` is ``worker_died``, anything else a grader error."""
        from distributed import KilledWorker

        if future.status == "finished":
            return future.result()
        try:
            exc = future.exception()
        except BaseException as err:  # noqa: BLE001 - cancelled: the scheduler forgot it
            exc = err
        if isinstance(exc, KilledWorker):
            return {"killed": "worker_died", "seconds": seconds}
        return {GRADER_ERROR: f"the Dask task failed: {type(exc).__name__}: {exc}"}
