"""Execution: run one prepared notebook in a fresh sandboxed kernel; a pool of workers to do many.

:func:`run_notebook` executes a notebook with nbclient in a kernel that
:mod:`autograder.sandbox` wraps in bubblewrap, talking over ZeroMQ ``ipc`` sockets in the
submission's scratch folder. A cell that runs past the per-cell timeout is interrupted
and reported as a ``CellTimeout`` error; the notebook goes on. A kernel that fails to
start or dies is a possible machinery failure: it is retried once in a fresh kernel
(fresh scratch records) before the run is ``kernel_died``, and the cause (exception type,
last lines of the kernel's stderr) is kept.

:class:`Pool` runs N worker processes (spawned: no state shared with the parent). Each
grades one submission at a time; the parent hands out work and enforces a per-notebook
time budget by killing the worker's whole process tree (a loop that ignores interrupts
cannot hang the batch), then replaces the worker.
"""

from __future__ import annotations

import asyncio
import multiprocessing as mp
import os
import queue
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from . import sandbox
from .model import GRADER_ERROR, RunOutcome

KERNEL_NAME = "python3"
CELL_TIMEOUT_ENAME = "CellTimeout"
STARTUP_TIMEOUT = 60
STDERR_TAIL_LINES = 8


@dataclass(frozen=True)
class Settings:
    """What every worker needs to grade one assignment (picklable; no secrets beyond the case seed's)."""

    workspace: str
    course_root: str
    assignment_id: str
    notebook: str
    cell_timeout: int = 30
    budget: int = 120
    memory_mb: int = 2048
    secret: str = ""
    sandbox: bool = True
    bwrap: str = ""
    hide: tuple = ()

    def sandbox_spec(self, slot=0):
        """This process's sandbox (``slot`` only names the worker; the uid is leased per process)."""
        limits = sandbox.Limits(memory_mb=self.memory_mb, cpu_seconds=max(60, 2 * self.budget))
        uid = sandbox.leased_uid() if os.getuid() == 0 and self.sandbox else sandbox.FIRST_UID
        return sandbox.SandboxSpec(self.course_root, limits, tuple(self.hide), uid, self.sandbox, self.bwrap)


def _kernel_manager_class():
    from jupyter_client.manager import AsyncKernelManager

    class SandboxedKernelManager(AsyncKernelManager):  # nbclient's loop needs the async client
        """A kernel manager whose kernel command runs inside :mod:`autograder.sandbox`."""

        def __init__(self, *, spec, scratch, **kwargs):
            super().__init__(**kwargs)
            self._spec, self._scratch = spec, scratch
            # A signal to the launched process would reach bwrap, not the kernel inside (and
            # kill the sandbox): ask ipykernel to interrupt itself over the control channel.
            self.kernel_spec.interrupt_mode = "message"

        async def _async_kill_kernel(self, restart=False):
            # Killing bwrap alone would leave its init and the kernel's children running:
            # kill everything under it first (namespace init included).
            process = getattr(self.provisioner, "process", None)
            if process is not None:
                kill_tree(process.pid, include_root=False)
            await super()._async_kill_kernel(restart)

        def format_kernel_cmd(self, extra_arguments=None):
            cmd = super().format_kernel_cmd(extra_arguments)
            os.chmod(self.connection_file, 0o644)  # the kernel's uid must read it
            wrapped, _ = sandbox.wrap_command(cmd, self._spec, self._scratch)
            return wrapped

    return SandboxedKernelManager


def _client_class():
    from nbclient import NotebookClient

    class GradingClient(NotebookClient):
        """nbclient, remembering which cells it interrupted at the timeout."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.timed_out = []

        async def _async_handle_timeout(self, timeout, cell=None):
            if cell is not None:
                meta = cell.get("metadata", {}).get("nbgrader", {})
                self.timed_out.append(meta.get("grade_id") or f"cell {len(self.timed_out) + 1}")
            reply = await super()._async_handle_timeout(timeout, cell)
            await asyncio.sleep(0.5)  # let the interrupt land before the next cell is sent
            return reply

    return GradingClient


def _shutdown(km):
    from jupyter_core.utils import run_sync

    try:
        if km.has_kernel:
            run_sync(km.shutdown_kernel)(now=True)
    except Exception:  # noqa: BLE001 - already gone: kill what is left below it
        process = getattr(km.provisioner, "process", None)
        if process is not None:
            kill_tree(process.pid)
    try:
        run_sync(km.cleanup_resources)()
    except Exception:  # noqa: BLE001, S110 - connection files in a scratch folder that goes anyway
        pass


def _stderr_tail(path):
    try:
        lines = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    noise = ("NOTE: When using the `ipython kernel`", "To exit, you will have to", '"quit" from a client',
             "To read more about this", "To connect another client", "--existing ")
    kept = [ln for ln in lines if ln.strip() and not any(n in ln for n in noise)]
    return "\n".join(kept[-STDERR_TAIL_LINES:])


def _cell_errors(nb):
    errors, memory = {}, False
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") != "error":
                continue
            if out.get("ename") == "MemoryError":
                memory = True
            gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            if gid and gid not in errors:
                errors[gid] = f"{out.get('ename', 'Error')}: {str(out.get('evalue', ''))[:300]}".rstrip(": ")
    return errors, memory


def run_notebook(nb, scratch, settings, slot, reset=None):
    """Execute ``nb`` in a fresh sandboxed kernel; return ``(executed notebook, RunOutcome)``.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The prepared notebook (not modified: each attempt runs a copy).
    scratch : path
        The submission's scratch folder (prepared by :func:`autograder.sandbox.prepare_scratch`).
    settings : Settings
    slot : int
        The worker's slot (its sandbox uid).
    reset : callable, optional
        Called before each attempt (to empty the record file).
    """
    import copy

    from nbclient.exceptions import DeadKernelError

    spec = settings.sandbox_spec(slot)
    started = time.monotonic()
    manager_class, client_class = _kernel_manager_class(), _client_class()
    cause, executed = "", None
    for attempt in (1, 2):
        if reset is not None:
            reset()
        work = copy.deepcopy(nb)
        stderr_path = Path(scratch) / f"kernel-stderr-{attempt}.txt"
        km = manager_class(
            spec=spec, scratch=str(scratch), kernel_name=KERNEL_NAME, transport="ipc",
            ip=str(Path(scratch) / "kernel"), connection_file=str(Path(scratch) / f"kernel-{attempt}.json"),
        )
        client = client_class(
            work, km=km, timeout=settings.cell_timeout, startup_timeout=STARTUP_TIMEOUT, allow_errors=True,
            interrupt_on_timeout=True, shutdown_kernel="immediate", record_timing=False,
            error_on_timeout={"ename": CELL_TIMEOUT_ENAME,
                              "evalue": f"the cell ran longer than {settings.cell_timeout} s and was interrupted"},
            extra_arguments=["--InteractiveShell.xmode=Minimal", "--HistoryManager.enabled=False"],
            resources={"metadata": {"path": str(Path(scratch) / "work")}},
        )
        with open(stderr_path, "wb") as err:
            try:
                client.execute(stderr=err, stdout=err)
                executed = work
            except DeadKernelError as exc:
                cause = f"DeadKernelError: {exc}"
            except (RuntimeError, TimeoutError) as exc:  # did not start, or lost during start-up
                cause = f"{type(exc).__name__}: {exc}"
            finally:
                _shutdown(km)  # nbclient leaves a kernel manager it did not create running
                sandbox.sweep(spec)
        if executed is not None:
            errors, memory = _cell_errors(executed)
            for gid in client.timed_out:
                errors.setdefault(gid, f"{CELL_TIMEOUT_ENAME}: ran longer than {settings.cell_timeout} s")
            outcome = RunOutcome("completed", attempt, "", tuple(client.timed_out), errors, memory,
                                 time.monotonic() - started)
            return executed, outcome
        tail = _stderr_tail(stderr_path)
        cause = cause + (f"\n{tail}" if tail else "")
    return work, RunOutcome("kernel_died", 2, cause, seconds=time.monotonic() - started)


# --------------------------------------------------------------------------- the pool


def kill_tree(pid, include_root=True):
    """SIGKILL a process's descendants (kernels, sandboxes) and, by default, itself."""
    try:
        proc = psutil.Process(pid)
        procs = proc.children(recursive=True) + ([proc] if include_root else [])
    except psutil.NoSuchProcess:
        return
    sandbox.kill_all(procs)


def _worker(settings, slot, tasks, results, handler):
    """Worker loop: grade whatever arrives until ``None``; never die silently."""
    log = open(Path(settings.workspace) / f"worker-{slot}.log", "ab", buffering=0)  # noqa: SIM115
    os.dup2(log.fileno(), 2)  # nbclient's and jupyter's chatter goes to the workspace, not the terminal
    import warnings

    warnings.filterwarnings("ignore")
    while True:
        task = tasks.get()
        if task is None:
            return
        try:
            results.put((task["student_id"], handler(settings, slot, task)))
        except BaseException as exc:  # noqa: BLE001 - a worker must report, not die
            results.put((task["student_id"], {GRADER_ERROR: f"{type(exc).__name__}: {exc}",
                                              "traceback": traceback.format_exc()[-4000:]}))


@dataclass
class _Slot:
    index: int
    proc: object = None
    tasks: object = None
    task: dict | None = None
    since: float = 0.0
    history: list = field(default_factory=list)


class Pool:
    """N worker processes; :meth:`run` grades a list of tasks, reporting each result as it arrives.

    ``handler(settings, slot, task)`` runs in a worker and returns a JSON-able result. A
    worker killed at the budget or lost for any reason is replaced, and ``on_result`` gets
    ``{"killed": "timeout" | "worker_died", "seconds": ...}`` for its task.
    """

    def __init__(self, settings, handler, workers):
        self.settings = settings
        self.handler = handler
        self.n = max(1, int(workers))
        self.ctx = mp.get_context("spawn")
        self.results = self.ctx.Queue()
        self.slots = []

    def _start(self, slot):
        slot.tasks = self.ctx.Queue()
        slot.proc = self.ctx.Process(
            target=_worker, args=(self.settings, slot.index, slot.tasks, self.results, self.handler), daemon=True
        )
        slot.proc.start()
        slot.task = None

    def run(self, tasks, on_result):
        pending = list(tasks)
        self.slots = [_Slot(i) for i in range(min(self.n, len(pending)) or 1)]
        for slot in self.slots:
            self._start(slot)
        busy = 0
        try:
            while pending or busy:
                for slot in self.slots:
                    if slot.task is None and pending:
                        slot.task, slot.since = pending.pop(0), time.monotonic()
                        slot.tasks.put(slot.task)
                        busy += 1
                try:
                    student_id, result = self.results.get(timeout=0.2)
                except queue.Empty:
                    student_id = None
                if student_id is not None:
                    for slot in self.slots:
                        if slot.task is not None and slot.task["student_id"] == student_id:
                            task, slot.task = slot.task, None
                            busy -= 1
                            on_result(task, result)
                            break  # else: a late answer from a killed worker
                now = time.monotonic()
                for slot in self.slots:
                    if slot.task is None:
                        continue
                    dead = not slot.proc.is_alive()
                    late = now - slot.since > self.settings.budget
                    if dead or late:
                        kill_tree(slot.proc.pid)
                        task = slot.task
                        self._start(slot)
                        busy -= 1
                        if dead and not late and task.get("attempt", 1) < 2:  # the grader's failure: once more
                            pending.insert(0, {**task, "attempt": 2})
                            continue
                        on_result(task, {"killed": "timeout" if late else "worker_died", "seconds": now - slot.since})
        finally:
            self.close()

    def close(self):
        for slot in self.slots:
            try:
                slot.tasks.put(None)
            except (OSError, ValueError):
                pass
        deadline = time.monotonic() + 5
        for slot in self.slots:
            slot.proc.join(timeout=max(0.1, deadline - time.monotonic()))
            if slot.proc.is_alive():
                kill_tree(slot.proc.pid)
        self.slots = []
