# SPDX-License-Identifier: EUPL-1.2
"""Warm, limited child processes for isolated extraction and rendering (no Django).

Starting a Python child and loading PDFium and lxml takes about 185 ms, more than reading an
ordinary PDF. A :class:`Child` (``python -P -m kansenaudit.ingest.worker``) therefore serves
several files, one at a time, over a pipe (JSON lines: :mod:`kansenaudit.ingest.worker`), with
the same limits for every file: its address space is limited for its whole life, its CPU time
per file, and the parent kills its process group (Tesseract included) when a file's wall-clock
time runs out. A child is used for at most :data:`MAX_FILES` files and is never reused after
a limit breach, a timeout or a crash; the next file then gets a fresh one.

A file refused for lack of memory, or that ended its child, in a child that had read others
before is read once more in a fresh child, so the outcome never depends on what came earlier.

Each process keeps at most :data:`MAX_IDLE` idle children per memory limit; a caller that
finds none idle starts one, so concurrent callers never wait for each other. An idle child ends
by itself after :data:`kansenaudit.ingest.worker.IDLE_EXIT_S`, or when this process ends.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable

from kansenaudit.ingest.model import IngestError

MAX_FILES = 50
MAX_IDLE = 2
_CHUNK = 1 << 20


class ChildGone(Exception):
    """The child ended (or stopped answering) before it replied."""


class Child:
    """One warm worker process with an address-space limit of ``memory_mb``."""

    def __init__(self, memory_mb: int) -> None:
        self.memory_mb = memory_mb
        self.files = 0
        self.broken = False
        self.stderr_offset = 0
        env = dict(os.environ)
        # The child must find this very package even when the parent runs from a checkout.
        package_root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        env["PYTHONPATH"] = os.pathsep.join(
            part for part in (package_root, env.get("PYTHONPATH", "")) if part
        )
        # Standard error goes to an unlinked file, read only to explain a crash: a pipe would
        # have to be drained while the child works.
        self.stderr = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the child
        # -P: the working directory is not on sys.path, so no stray "kansenaudit" folder there
        # can stand in for the real worker.
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-P", "-m", "kansenaudit.ingest.worker", str(int(memory_mb))],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            start_new_session=True,
            env=env,
        )
        if self.process.stdin is None or self.process.stdout is None:  # never: both are PIPE
            raise RuntimeError("the extraction child has no pipes")
        self.stdin_fd, self.stdout_fd = self.process.stdin.fileno(), self.process.stdout.fileno()
        os.set_blocking(self.stdin_fd, False)
        os.set_blocking(self.stdout_fd, False)

    @property
    def usable(self) -> bool:
        return not self.broken and self.files < MAX_FILES and self.process.poll() is None

    def request(self, config: dict, data: bytes, deadline: float) -> dict:
        """Send one file and return the child's reply; :class:`ChildGone` when it ended and
        :class:`TimeoutError` at the deadline (the child is then broken: close it)."""
        self.files += 1
        self.stderr_offset = self.stderr.seek(0, os.SEEK_END)
        header = json.dumps({"config": config, "size": len(data)}).encode("ascii") + b"\n"
        outgoing = memoryview(header + data)
        reply = bytearray()
        stdin, stdout = self.stdin_fd, self.stdout_fd
        with selectors.DefaultSelector() as selector:
            selector.register(stdin, selectors.EVENT_WRITE)
            selector.register(stdout, selectors.EVENT_READ)
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    self.broken = True
                    raise TimeoutError
                for key, _ in selector.select(remaining):
                    if key.fd == stdin:
                        try:
                            written = os.write(stdin, outgoing[:_CHUNK])
                        except BlockingIOError:
                            continue
                        except BrokenPipeError as exc:
                            self.broken = True
                            raise ChildGone from exc
                        outgoing = outgoing[written:]
                        if not outgoing:
                            selector.unregister(stdin)
                        continue
                    chunk = os.read(stdout, _CHUNK)
                    if not chunk:
                        self.broken = True
                        raise ChildGone
                    reply += chunk
                    if reply.endswith(b"\n"):
                        return json.loads(reply)

    def close(self) -> None:
        """End the child and everything it started (Tesseract); wait for it."""
        self.broken = True
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout, self.stderr):
            with contextlib.suppress(OSError):
                if stream is not None:
                    stream.close()

    def end(self) -> tuple[int, bytes]:
        """For a child that ended by itself (given a moment): its exit code and the last of
        what it wrote on standard error since the current file began; then close it."""
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.stderr.seek(self.stderr_offset)
        tail = self.stderr.read()[-4096:]
        self.close()
        return self.process.returncode, tail


class Pool:
    """The idle children of this process, by memory limit (thread-safe)."""

    def __init__(self, start: Callable[[int], Child] = Child) -> None:
        self._start = start
        self._lock = threading.Lock()
        self._idle: dict[int, list[Child]] = {}
        self._pid = os.getpid()

    def acquire(self, memory_mb: int) -> Child:
        with self._lock:
            if self._pid != os.getpid():  # forked: those children are the parent's
                self._idle, self._pid = {}, os.getpid()
            idle = self._idle.setdefault(memory_mb, [])
            while idle:
                child = idle.pop()
                if child.usable:
                    return child
                child.close()
        return self._start(memory_mb)

    def release(self, child: Child) -> None:
        with self._lock:
            idle = self._idle.setdefault(child.memory_mb, [])
            if child.usable and len(idle) < MAX_IDLE and self._pid == os.getpid():
                idle.append(child)
                return
        child.close()

    def close(self) -> None:
        with self._lock:
            children = [c for idle in self._idle.values() for c in idle]
            self._idle = {}
        for child in children:
            child.close()


POOL = Pool()


def run(config: dict, data: bytes, name: str, timeout_s: float, memory_mb: int, why: str) -> dict:
    """One request in a warm child: the child's ``{"ok": true, …}`` reply, or the
    :class:`IngestError` the outcome means (see :func:`kansenaudit.ingest.extract.run_task`)."""
    from kansenaudit.ingest.extract import child_result

    for attempt in (1, 2):
        child = POOL.acquire(memory_mb)
        warm = child.files > 0
        deadline = time.monotonic() + timeout_s
        try:
            message = child.request(config, data, deadline)
        except TimeoutError:
            child.close()
            detail = f"meer dan {timeout_s:g} s" + (f" ({why})" if why else "")
            raise IngestError("timeout", name, detail) from None
        except (ChildGone, ValueError):  # ended, or answered something that is not JSON
            returncode, stderr = child.end()
            if warm and attempt == 1:
                continue  # once more in a fresh child: see the module docstring
            return child_result(returncode, b"", stderr, name)
        error = message.get("error") if isinstance(message, dict) else None
        if isinstance(error, dict) and error.get("code") == "too-large":
            child.close()  # a limit was reached: never reused
            if warm and attempt == 1:
                continue
        else:
            POOL.release(child)
        return child_result(0, json.dumps(message).encode(), b"", name)
    raise AssertionError("unreachable")  # pragma: no cover
