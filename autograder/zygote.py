"""Fresh kernels without paying their start-up: a fork server for ipykernel.

Starting a Python kernel costs most of a second of CPU (importing IPython, ipykernel,
zmq, tornado, numpy, matplotlib) before a student's first cell runs; on 2 cores that
was the largest single cost of grading. Each worker therefore starts one *zygote*: a
process that has imported those modules and does nothing else. When nbclient asks for
a kernel, the kernelspec (``python3``, from a private ``JUPYTER_PATH``) runs the tiny
:func:`connect` client, which asks the zygote to ``fork``; the forked child becomes an
ordinary ``IPKernelApp`` with the client's arguments, working directory and
environment. Every submission still gets its own new process, which has run no
student's code: a fork of a clean interpreter, not a reused kernel.

The client stands in for the kernel towards jupyter_client: it forwards signals
(interrupt, terminate), exits when the kernel exits (so a dead kernel is seen as dead),
and kills the kernel if it is itself terminated. If the zygote cannot be reached, the
client replaces itself with the normal ``ipykernel_launcher``.
"""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import sys

ENV = "LRCOURSE_ZYGOTE"


def _preload():
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    import ipykernel.ipkernel  # noqa: F401
    import ipykernel.kernelapp  # noqa: F401
    import ipykernel.zmqshell  # noqa: F401
    import IPython  # noqa: F401
    import matplotlib  # noqa: F401
    import numpy  # noqa: F401
    import zmq  # noqa: F401

    import lrcourse.cases  # noqa: F401  (what every hidden test imports)
    import lrcourse.grading  # noqa: F401


def _child(request):
    """In the forked child: become the kernel the client asked for."""
    os.setsid()
    for sig in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    # stdio of the kernel: the client's terminal-less pipes are not ours; use /dev/null
    # for stdin and the zygote's log for output, as a launched kernel would inherit.
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]
    sys.argv = ["ipykernel_launcher", *request["argv"]]
    from ipykernel.kernelapp import IPKernelApp

    IPKernelApp.launch_instance(argv=request["argv"])


def serve(path):
    """Run the zygote: preload, then fork one kernel per request on the unix socket ``path``."""
    _preload()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped automatically
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    if os.path.exists(path):
        os.unlink(path)
    listener.bind(path)
    listener.listen(8)
    while True:
        conn, _ = listener.accept()
        with conn:
            data = b""
            while not data.endswith(b"\n"):
                chunk = conn.recv(65536)
                if not chunk:
                    break
                data += chunk
            try:
                request = json.loads(data)
            except ValueError:
                continue
            pid = os.fork()
            if pid == 0:
                listener.close()
                conn.close()
                try:
                    _child(request)
                finally:
                    os._exit(0)
            conn.sendall(json.dumps({"pid": pid}).encode() + b"\n")


def _fallback(argv):
    os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", *argv])


def connect(argv):
    """Kernel command: have the zygote fork a kernel with ``argv``; stand in for it until it exits."""
    path = os.environ.get(ENV)
    if not path:
        _fallback(argv)
    try:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.connect(path)
        env = {k: v for k, v in os.environ.items() if k != ENV}
        sock.sendall(json.dumps({"argv": argv, "cwd": os.getcwd(), "env": env}).encode() + b"\n")
        reply = b""
        while not reply.endswith(b"\n"):
            chunk = sock.recv(4096)
            if not chunk:
                raise OSError("zygote closed the connection")
            reply += chunk
        pid = json.loads(reply)["pid"]
    except (OSError, ValueError, KeyError):
        _fallback(argv)
        return

    def forward(signum, frame):
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            pass
        if signum in (signal.SIGTERM, signal.SIGHUP):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os._exit(1)

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2):
        signal.signal(sig, forward)
    fd = os.pidfd_open(pid)
    while True:
        try:
            ready, _, _ = select.select([fd], [], [])
        except InterruptedError:
            continue
        if ready:
            break
    os._exit(0)


if __name__ == "__main__":  # pragma: no cover - process entry points
    if sys.argv[1] == "serve":
        serve(sys.argv[2])
    else:
        connect(sys.argv[2:])
