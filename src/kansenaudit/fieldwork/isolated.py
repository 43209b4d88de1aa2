# SPDX-License-Identifier: EUPL-1.2
"""Read a transcript in a child process with memory, CPU and wall-clock limits.

:func:`parse_transcript` already refuses zip bombs and XML entities before parsing, but an
upload is untrusted: a parser bug, a pathological regular expression input or a file that
defeats a limit must not take the web server or the worker down. The app calls
:func:`parse_transcript_isolated`, which runs ``python -m kansenaudit.fieldwork.isolated`` with

* ``RLIMIT_AS`` (memory, default 1 GiB) and ``RLIMIT_CPU`` (CPU seconds) set in the child,
* a wall-clock timeout after which the child is killed,
* the file on stdin and one JSON reply on stdout; nothing is written to disk.

The reply is exactly what :func:`parse_transcript` returns or the :class:`TranscriptError` it
raised; a child that dies becomes ``TranscriptError("timeout")`` or ``("out_of_memory")``.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
from typing import Any

from kansenaudit.fieldwork.transcripts import (
    ParsedTranscript,
    ParsedTurn,
    TranscriptError,
    parse_transcript,
)

__all__ = ["parse_transcript_isolated"]


def _limits(memory_mb: int, cpu_s: int) -> None:  # pragma: no cover - runs in the child
    memory = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 1))
    os.setsid()


def parse_transcript_isolated(
    data: bytes, file_name: str, *, timeout_s: float = 60, memory_mb: int = 1024
) -> ParsedTranscript:
    """:func:`~kansenaudit.fieldwork.transcripts.parse_transcript` in a limited child process.

    Raises
    ------
    TranscriptError
        What the parser raised, or ``"timeout"`` (wall clock or CPU limit), or
        ``"out_of_memory"`` (the child ran out of memory or died).
    """
    cpu_s = max(1, int(timeout_s + 0.999))
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    try:
        done = subprocess.run(  # noqa: S603 - our own module, arguments fixed
            [sys.executable, "-m", "kansenaudit.fieldwork.isolated", file_name],
            input=bytes(data),
            capture_output=True,
            timeout=timeout_s,
            check=False,
            env=env,
            preexec_fn=lambda: _limits(memory_mb, cpu_s),
        )
    except subprocess.TimeoutExpired as exc:
        raise TranscriptError("timeout", file_name, seconds=timeout_s) from exc
    try:
        reply = json.loads(done.stdout.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        reply = None
    if done.returncode == 0 and isinstance(reply, dict):
        if reply.get("ok"):
            return _from_dict(reply["transcript"])
        error = reply.get("error")
        if isinstance(error, dict):
            params = dict(error.get("params", {}))
            params.pop("file", None)
            raise TranscriptError(str(error.get("code", "corrupt")), file_name, **params)
    if done.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        raise TranscriptError("timeout", file_name, seconds=timeout_s)
    raise TranscriptError("out_of_memory", file_name, limit_mb=memory_mb)


def _to_dict(parsed: ParsedTranscript) -> dict[str, Any]:
    return {
        "text": parsed.text,
        "turns": [[turn.speaker, turn.start, turn.end] for turn in parsed.turns],
        "file_format": parsed.file_format,
        "warnings": list(parsed.warnings),
    }


def _from_dict(data: dict[str, Any]) -> ParsedTranscript:
    return ParsedTranscript(
        text=str(data["text"]),
        turns=tuple(ParsedTurn(str(s), int(a), int(b)) for s, a, b in data["turns"]),
        file_format=str(data["file_format"]),
        warnings=tuple(str(w) for w in data["warnings"]),
    )


def main(argv: list[str]) -> int:  # pragma: no cover - runs in the child
    file_name = argv[0] if argv else "transcript"
    data = sys.stdin.buffer.read()
    try:
        reply: dict[str, Any] = {
            "ok": True,
            "transcript": _to_dict(parse_transcript(data, file_name)),
        }
    except TranscriptError as exc:
        params = {k: v for k, v in exc.params.items() if isinstance(v, (str, int, float))}
        reply = {"ok": False, "error": {"code": exc.code, "params": params}}
    sys.stdout.write(json.dumps(reply, ensure_ascii=False))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main(sys.argv[1:]))
