"""Warm kernels: every notebook of a batch in a fresh kernel process that need not import the world.

A kernel that starts cold pays the Python start, ipykernel and IPython, and its set-up cell imports
pandas, matplotlib and the package and loads the CJK font: that cell alone took 1.8–2.2 s per notebook
cold and 0.5–0.9 s warm (README, "Warm kernels"). A batch runs dozens of kernels. This module keeps papermill's semantics (one fresh process and namespace per notebook, the
partial notebook kept when a cell fails) and pays the imports once per batch:

* a **server** (``python -m liyang_ip.report.warm serve FD PARENT_PID``), started by the runner, imports
  what the notebooks import, loads the chart font, and then waits on a Unix socket;
* each kernel is asked for by :class:`WarmKernelManager` (the ``kernel_manager_class`` papermill's
  client uses): instead of ``python -m ipykernel_launcher -f FILE`` it starts the small stand-in
  ``_warm_client.py``, which hands its stdin/stdout/stderr, working directory and environment to the
  server; the server **forks** a child, which becomes the kernel (``ipykernel``'s own launcher code);
* the child is a new process with its own namespace: nothing one notebook does (variables, rcParams,
  module attributes) is seen by another, as with cold kernels; only the imported modules and the
  loaded font come from the server, as they were before any notebook ran.

The stand-in forwards interrupts and termination to the kernel and exits with it; a killed stand-in
takes the kernel with it. Whenever the server is not there, not ready within a minute, or was started
with another import environment (``PYTHON*``/``MPL*`` variables, interpreter and flags), the stand-in
runs the ordinary kernel command instead: a cold kernel, never a failure. ``LIYANG_IP_WARM_KERNELS=off``
switches the server off for a run.

POSIX only (``fork``); elsewhere every kernel starts cold.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import weakref
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from jupyter_client.manager import AsyncKernelManager

ENV = "LIYANG_IP_WARM_KERNELS"
CLIENT = Path(__file__).resolve().with_name("_warm_client.py")
LAUNCHER = "ipykernel_launcher"
# What the notebooks import in their set-up cell, and what those modules import when first used.
PRELOAD = (
    "ipykernel.kernelapp", "ipykernel.ipkernel", "IPython.display", "matplotlib_inline.backend_inline",
    "numpy", "pandas", "matplotlib.pyplot", "matplotlib.backends.backend_svg", "matplotlib.backends.backend_agg",
    "liyang_ip.charts", "liyang_ip.narrative", "liyang_ip.registry", "liyang_ip.notebook", "liyang_ip.params",
    "liyang_ip.data", "liyang_ip.analysis", "liyang_ip.analysis.projection", "liyang_ip.analysis.targets",
    "liyang_ip.analysis.benchmark", "liyang_ip.analysis.composite", "liyang_ip.wording",
)


def enabled() -> bool:
    """False when ``LIYANG_IP_WARM_KERNELS`` is off/0/false/no, or where processes cannot fork."""
    if not hasattr(os, "fork") or not hasattr(socket, "send_fds"):
        return False
    from ..envvars import switched_off

    return not switched_off(ENV)


def import_environment(env: dict[str, str] | None = None) -> dict[str, str]:
    """The variables that change what an import does (``PYTHON*``, ``MPL*``): a kernel whose environment
    differs here from the server's starts cold."""
    env = os.environ if env is None else env
    return {k: v for k, v in env.items() if k.startswith(("PYTHON", "MPL"))}


def kernel_prefix(argv: Sequence[str]) -> list[str] | None:
    """``[python, flags…]`` of an ipykernel command (``python [-X…] -m ipykernel_launcher -f {file}``),
    or None for any other kernel (other languages, wrappers)."""
    argv = list(argv)
    if LAUNCHER not in argv:
        return None
    i = argv.index(LAUNCHER)
    if i < 2 or argv[i - 1] != "-m" or argv[i + 1:i + 2] != ["-f"]:
        return None
    return argv[:i - 1]


class WarmKernelManager(AsyncKernelManager):
    """The runner's kernel manager: an AsyncKernelManager (what nbclient uses) that starts one job's kernel
    with that job's environment, working directory and stderr, from the warm server at ``warm_socket``
    when there is one.

    Set up per job by :func:`manager_class`. Nothing process-wide is changed (no ``os.chdir``, no
    ``os.environ``, no file descriptor 2): jobs can run in threads of one process. A command that does not
    match the server's interpreter and flags (``warm_prefix``) is started as it is (cold).
    """

    warm_socket: str | None = None
    warm_prefix: tuple[str, ...] = ()
    launch_env: dict[str, str] = {}  # noqa: RUF012 - replaced per subclass, never mutated
    launch_cwd: str | None = None
    launch_stderr: int | None = None  # a file descriptor for the kernel's own stderr
    # Every manager that started a kernel in this process, to end them all on Ctrl-C (kill_all).
    _live: weakref.WeakSet = weakref.WeakSet()
    _stopping = False

    async def start_kernel(self, **kw: Any) -> None:
        if WarmKernelManager._stopping:
            raise KeyboardInterrupt("the batch is being interrupted")
        kw["env"] = {**(kw.get("env") or os.environ), **self.launch_env}
        if self.launch_cwd:
            kw["cwd"] = self.launch_cwd
        if self.launch_stderr is not None:
            kw["stderr"] = self.launch_stderr
        WarmKernelManager._live.add(self)
        await super().start_kernel(**kw)

    @classmethod
    def kill_all(cls) -> None:
        """Kill the kernel processes (stand-ins and cold kernels; forked kernels follow their stand-in)
        of every manager of this process, and refuse new ones until `reset`."""
        WarmKernelManager._stopping = True
        for km in list(WarmKernelManager._live):
            proc = getattr(km.provisioner, "process", None)
            if proc is None or proc.poll() is not None:
                continue
            try:
                os.killpg(proc.pid, signal.SIGKILL)  # its own session: the kernel and its children
            except OSError:
                with contextlib.suppress(OSError):
                    proc.kill()

    @classmethod
    def reset(cls) -> None:
        WarmKernelManager._stopping = False

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        cmd = super().format_kernel_cmd(extra_arguments)
        prefix = kernel_prefix(cmd)
        if not self.warm_socket or prefix is None or not _same_prefix(prefix, self.warm_prefix):
            return cmd
        return [prefix[0], "-I", str(CLIENT), self.warm_socket, "--", *cmd]


def _same_prefix(a: Sequence[str], b: Sequence[str]) -> bool:
    if not a or not b or list(a[1:]) != list(b[1:]):
        return False
    return os.path.realpath(a[0]) == os.path.realpath(b[0])


def manager_class(socket_path: str | None = None, prefix: Sequence[str] = (), *, env: dict | None = None,
                  cwd: str | None = None, stderr: int | None = None) -> type[WarmKernelManager]:
    """A WarmKernelManager subclass for one job (papermill takes a class, not an instance).

    Parameters
    ----------
    socket_path, prefix : the warm server (`server`); None: the kernel starts cold.
    env : variables added to the kernel's environment.
    cwd : the kernel's working directory.
    stderr : file descriptor for the kernel process's own stderr (default: this process's).
    """
    return type("WarmKernelManager", (WarmKernelManager,),
                {"warm_socket": str(socket_path) if socket_path else None, "warm_prefix": tuple(prefix),
                 "launch_env": dict(env or {}), "launch_cwd": str(cwd) if cwd else None,
                 "launch_stderr": stderr})


def default_prefix(kernel_name: str | None = None) -> list[str] | None:
    """``[python, flags…]`` of the named kernel spec (default ``python3``) when it is an ipykernel."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(kernel_name or "python3")
    except NoSuchKernel:
        return None
    argv = list(spec.argv)
    if argv and argv[0] in ("python", "python3", f"python{sys.version_info[0]}.{sys.version_info[1]}"):
        argv[0] = sys.executable  # as jupyter_client does
    return kernel_prefix(argv)


@contextlib.contextmanager
def server(kernel_name: str | None = None) -> Iterator[dict | None]:
    """Run a warm-kernel server for the duration of a batch.

    Yields ``{"socket": path, "prefix": [python, flags…]}`` for the job specs, or None when warm kernels
    are switched off or the kernel is not an ipykernel of a Python that can run this package. The server
    process is stopped on exit (kernels still running keep running until they end).
    """
    prefix = default_prefix(kernel_name) if enabled() else None
    if not prefix:
        yield None
        return
    tmp = tempfile.mkdtemp(prefix="liyang-ip-warm-")
    sock = os.path.join(tmp, "s")
    # The socket listens before the server has started: a kernel asked for early waits in the backlog
    # instead of finding no socket and starting cold.
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(sock)
    listener.listen(128)
    cmd = [*prefix, "-m", "liyang_ip.report.warm", "serve", str(listener.fileno()), str(os.getpid())]
    # Its own session: Ctrl-C in the terminal reaches the runner, which stops the server itself.
    try:
        proc = subprocess.Popen(cmd, cwd=tmp, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                start_new_session=True, pass_fds=[listener.fileno()])
    finally:
        listener.close()  # the server has its copy
    try:
        yield {"socket": sock, "prefix": list(prefix)}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        with contextlib.suppress(OSError):
            os.unlink(sock)
        with contextlib.suppress(OSError):
            os.rmdir(tmp)


# ------------------------------------------------------------------------------------------ server


def _preload() -> str | None:
    """Import what the notebooks need and load the chart font; the reason it cannot serve, or None."""
    import importlib
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for name in PRELOAD:
                importlib.import_module(name)
            from matplotlib.figure import Figure

            from liyang_ip import registry, wording
            from liyang_ip.analysis import projection
            from liyang_ip.charts import base
            from liyang_ip.registry import plans

            # The package's own files, parsed once here (read when the server starts, as a cold kernel
            # reads them when it starts): wording, thresholds, indicators, plans, the default region set,
            # the interval calibration.
            for lang in ("zh", "en"):
                wording.catalogue(lang)
            wording.thresholds()
            registry.indicators()
            registry.region_set(None)
            plans.plans()
            projection.load_calibration()

            # The font manager finds and opens the CJK font once; a small figure with Chinese text
            # drawn as SVG loads its glyph tables. No pyplot: no figure is left behind.
            with base.style():
                fig = Figure(figsize=(2, 1))
                fig.add_subplot().set_title(f"{base.CJK_PROBE} 2025")
                import io

                fig.savefig(io.BytesIO(), format="svg")
    except Exception as e:  # noqa: BLE001 - the server then sends every kernel to start cold
        return f"preload failed: {type(e).__name__}: {e}"
    if threading.active_count() > 1:
        return "a thread is running after the imports; forking would be unsafe"
    return None


def _read_request(conn: socket.socket) -> tuple[dict, list[int]]:
    data, fds, _flags, _addr = socket.recv_fds(conn, 1 << 16, 3)
    if len(data) < 4:
        raise OSError("short request")
    size = struct.unpack("!I", data[:4])[0]
    body = data[4:]
    while len(body) < size:
        chunk = conn.recv(size - len(body))
        if not chunk:
            raise OSError("request cut short")
        body += chunk
    return json.loads(body.decode("utf-8")), list(fds)


def _child(conn: socket.socket, fds: list[int], request: dict, close: Sequence[socket.socket]) -> None:
    """In the forked process: become the kernel ``python -m ipykernel_launcher ARGS`` would be."""
    for other in close:
        other.close()
    os.setsid()
    for target, fd in enumerate(fds[:3]):
        os.dup2(fd, target)
    for fd in fds:
        if fd > 2:
            os.close(fd)
    for name in ("SIGINT", "SIGTERM", "SIGCHLD", "SIGHUP"):
        signal.signal(getattr(signal, name), signal.SIG_DFL)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])

    def watch() -> None:
        # The stand-in holds the other end; when it is gone (killed), so is this kernel.
        with contextlib.suppress(OSError):
            while conn.recv(64):
                pass
        os.kill(os.getpid(), signal.SIGKILL)

    threading.Thread(target=watch, name="warm-kernel-watch", daemon=True).start()
    argv = request["argv"]
    args = argv[argv.index(LAUNCHER) + 1:]
    import importlib.util

    spec = importlib.util.find_spec(LAUNCHER)
    # ipykernel reads JPY_PARENT_PID when it is imported, which was in the server: say it again, so
    # that the kernel watches for an orphaned state (and stays quiet) as a cold one does.
    parent = os.environ.get("JPY_PARENT_PID", "")
    if parent.isdigit() and not any(a.startswith("--IPKernelApp.parent_handle") for a in args):
        args = [*args, f"--IPKernelApp.parent_handle={parent}"]
    sys.argv = [spec.origin if spec and spec.origin else LAUNCHER, *args]
    # `python -m` puts the working directory first on the path; the server's was its temporary dir.
    if sys.path:
        sys.path[0] = os.getcwd()
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


def serve(listen_fd: int, parent_pid: int) -> int:
    """The server loop (``python -m liyang_ip.report.warm serve FD PARENT_PID``), on the listening Unix
    socket inherited as file descriptor FD; kernels asked for while it imports wait in the backlog."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    listener = socket.socket(fileno=listen_fd)
    refusal = _preload()
    if refusal:
        print(f"liyang-ip warm kernels: {refusal}; kernels start cold", file=sys.stderr)
    env = import_environment()
    children: dict[int, socket.socket] = {}
    sys.stdout.flush()
    sys.stderr.flush()
    while os.getppid() == parent_pid:
        ready, _, _ = select.select([listener], [], [], 0.2)
        _reap(children)
        if not ready:
            continue
        conn, _ = listener.accept()
        fds: list[int] = []
        try:
            request, fds = _read_request(conn)
            if refusal or len(fds) != 3 or import_environment(request.get("env", {})) != env:
                conn.sendall(b"cold\n")
                conn.close()
                continue
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:
                code = 0
                try:
                    _child(conn, fds, request, [listener, *children.values()])
                except SystemExit as e:
                    code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
                except BaseException:  # noqa: BLE001 - reported on the kernel's stderr
                    import traceback

                    traceback.print_exc()
                    code = 1
                finally:
                    with contextlib.suppress(Exception):
                        sys.stdout.flush()
                        sys.stderr.flush()
                    os._exit(code)
            try:
                conn.sendall(b"pid %d\n" % pid)
                children[pid] = conn
            except OSError:  # the stand-in gave up waiting and started a cold kernel
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
                conn.close()
        except (OSError, ValueError, KeyError) as e:
            print(f"liyang-ip warm kernels: a request failed: {e}", file=sys.stderr)
            conn.close()
        finally:
            for fd in fds:
                with contextlib.suppress(OSError):
                    os.close(fd)
    return 0


def _reap(children: dict[int, socket.socket]) -> None:
    while children:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        conn = children.pop(pid, None)
        if conn is not None:
            code = os.waitstatus_to_exitcode(status)
            with contextlib.suppress(OSError):
                conn.sendall(b"exit %d\n" % (code if code >= 0 else 128 - code))
            conn.close()


def main(argv: Sequence[str]) -> int:
    if len(argv) == 3 and argv[0] == "serve":
        return serve(int(argv[1]), int(argv[2]))
    print("usage: python -m liyang_ip.report.warm serve FD PARENT_PID", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))


__all__: list[Any] = ["WarmKernelManager", "enabled", "manager_class", "server", "serve"]
