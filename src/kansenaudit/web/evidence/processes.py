# SPDX-License-Identifier: EUPL-1.2
"""Which process runs a background job, and whether that process still exists.

A job records the process that claimed it (:func:`identity`). When a worker starts
(``kansenaudit worker``) it asks :func:`is_gone` about
every job still marked running: a job whose process has died — killed, crashed, the server
stopped — is taken up again at once instead of showing "bezig" until a time limit passes.

The identity is ``host/boot/pid/start``: the host name, the kernel's boot id and the process's
start time (Linux ``/proc``) make a reused process id or a reboot count as a different process.
A job claimed on another host cannot be checked from here; for it only the time limit holds.
No Django.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

PROC = Path("/proc")


def _boot_id() -> str:
    try:
        return (PROC / "sys/kernel/random/boot_id").read_text().strip()[:8]
    except OSError:
        return "-"


def _start_time(pid: int) -> str | None:
    """The start time of ``pid`` in clock ticks since boot; None when it does not exist.

    "-" where there is no ``/proc`` (then only the process id is compared).
    """
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except FileNotFoundError:
        return None
    except OSError:
        return "-"
    # The command name (field 2) may hold spaces and parentheses: split after its last ")".
    return stat.rpartition(")")[2].split()[19]


def identity(pid: int | None = None) -> str:
    """The identity of process ``pid`` (default: this one), as stored on a claimed job."""
    pid = os.getpid() if pid is None else pid
    started = _start_time(pid) if PROC.is_dir() else "-"
    return f"{socket.gethostname()}/{_boot_id()}/{pid}/{started or '-'}"


def is_gone(recorded: str) -> bool:
    """Whether the process that ``recorded`` names has certainly ended (False when unsure)."""
    try:
        host, boot, pid_text, started = recorded.rsplit("/", 3)
        pid = int(pid_text)
    except ValueError:
        return False  # claimed before identities were recorded: only the time limit applies
    if host != socket.gethostname():
        return False
    if boot != _boot_id():
        return True  # the machine restarted since
    if PROC.is_dir():
        now = _start_time(pid)
        return now is None or (started != "-" and now != "-" and now != started)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
