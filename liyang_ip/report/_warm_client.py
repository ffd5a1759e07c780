"""Stand-in for one kernel process (see :mod:`liyang_ip.report.warm`); standard library only.

jupyter_client starts this file instead of ``python -m ipykernel_launcher -f CONNECTION_FILE``::

    python -I _warm_client.py SOCKET -- PYTHON [FLAGS] -m ipykernel_launcher -f CONNECTION_FILE

It asks the warm-kernel server listening on SOCKET for a kernel forked from the server's pre-imported
state, handing over this process's stdin, stdout and stderr, its working directory and environment.
From then on it stands for that kernel: signals sent to it (interrupt, terminate) go to the kernel, it
exits when the kernel exits, with the kernel's exit status, and if it is killed the kernel notices
(the socket closes) and ends itself.

When the server cannot be reached, does not answer in time or declines (an environment it was not
started with), this process replaces itself by the ordinary kernel command after ``--``: the notebook
runs in a cold kernel, exactly as without the server.

This file runs as a script, not as part of the package: importing the package would cost the time the
server saves.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import struct
import sys

# The server may still be importing when the first kernels are asked for (about 2 s on 2 cores).
ANSWER_TIMEOUT = 60.0
FORWARDED = ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2")


def _readline(sock: socket.socket) -> bytes:
    buf = b""
    while not buf.endswith(b"\n"):
        chunk = sock.recv(1)
        if not chunk:
            break
        buf += chunk
    return buf


def _cold(argv: list[str]) -> None:
    os.execv(argv[0], argv)


def main(argv: list[str]) -> int:
    if len(argv) < 4 or "--" not in argv:
        sys.stderr.write("usage: _warm_client.py SOCKET -- KERNEL_COMMAND...\n")
        return 2
    sock_path = argv[1]
    cold = argv[argv.index("--") + 1:]
    try:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(ANSWER_TIMEOUT)
        sock.connect(sock_path)
        payload = json.dumps({"argv": cold, "cwd": os.getcwd(), "env": dict(os.environ)}).encode("utf-8")
        socket.send_fds(sock, [struct.pack("!I", len(payload)) + payload], [0, 1, 2])
        answer = _readline(sock)
    except OSError:
        answer = b""
    if not answer.startswith(b"pid "):
        try:
            sock.close()
        except (OSError, UnboundLocalError):
            pass
        _cold(cold)
    pid = int(answer.split()[1])
    sock.settimeout(None)

    def forward(signum, _frame):
        try:
            os.kill(pid, signum)
        except OSError:
            pass

    for name in FORWARDED:
        signal.signal(getattr(signal, name), forward)
    # "exit N" when the server saw the kernel end; a bare EOF when the server itself is gone (the
    # kernel has ended too then: it holds the other end of this socket until it exits).
    status = _readline(sock)
    if status.startswith(b"exit "):
        try:
            return int(status.split()[1])
        except ValueError:
            return 1
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
