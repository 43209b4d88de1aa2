# SPDX-License-Identifier: EUPL-1.2
"""Child process of :mod:`kansenaudit.ingest.pool`; not for direct use.

``python -P -m kansenaudit.ingest.worker <memory_mb>`` limits its own address space
(``RLIMIT_AS``) and turns core dumps off before it reads a byte, loads the readers once, then
serves one request after another over its standard input and output:

* in: one JSON line ``{"config": {…}, "size": n}`` followed by the file's ``n`` raw bytes;
* out: one JSON line ``{"ok": true, "document": …}`` (``"png"``: base64, for ``"task":
  "render"``) or ``{"ok": false, "error": {"code": …, "file_name": …, "detail": …}}``.

Never pickle: the child reads hostile files, so the parent must not execute anything it sends.
Before each file the CPU limit is set to the CPU time used so far plus the file's allowance
(``RLIMIT_CPU`` counts a process's whole life), so every file gets the same budget however
many came before it. The child ends at end of input (the parent closed the pipe or died) and
after :data:`IDLE_EXIT_S` without a request.
"""

from __future__ import annotations

import json
import math
import os
import resource
import select
import sys
from typing import Any

MB = 1024 * 1024
IDLE_EXIT_S = 300.0
MAX_HEADER = 64 * 1024


def _limit_memory(memory_mb: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_mb * MB, memory_mb * MB))
    # No core dumps of documents that may be confidential.
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _limit_cpu(cpu_s: int) -> None:
    """Allow ``cpu_s`` more seconds of CPU from now: SIGXCPU (the parent reports "timeout")
    when they run out. The hard limit stays where it was, since an unprivileged process cannot
    raise it again for the next file; the parent's wall-clock kill is the backstop."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    soft = math.ceil(usage.ru_utime + usage.ru_stime) + cpu_s
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _render(data: bytes, config: dict[str, Any]) -> str:
    """One PDF page as PNG, base64-encoded for the JSON reply (task "render")."""
    import base64

    from kansenaudit.ingest.limits import Limits
    from kansenaudit.ingest.pdf import render_page_png

    try:
        png = render_page_png(
            data,
            int(config["page"]),
            dpi=int(config["dpi"]),
            file_name=str(config["file_name"]),
            limits=Limits.from_dict(config["limits"]),
        )
    except IndexError as exc:
        from kansenaudit.ingest.model import IngestError

        raise IngestError("corrupt", str(config["file_name"]), str(exc)) from exc
    return base64.b64encode(png).decode("ascii")


def handle(data: bytes, config: dict[str, Any]) -> dict[str, Any]:
    """One request: the reply message (never raises for a bad file)."""
    from kansenaudit.ingest.extract import extract
    from kansenaudit.ingest.limits import Limits
    from kansenaudit.ingest.model import IngestError

    file_name = str(config["file_name"])
    try:
        if config.get("task") == "render":
            return {"ok": True, "png": _render(data, config)}
        document = extract(
            data, file_name, limits=Limits.from_dict(config["limits"]), ocr=bool(config["ocr"])
        )
        return {"ok": True, "document": document.to_dict()}
    except IngestError as exc:
        return {"ok": False, "error": exc.to_dict()}
    except MemoryError:
        return {"ok": False, "error": {"code": "too-large", "file_name": file_name}}


def _read_request(stdin: Any) -> tuple[dict[str, Any], bytes] | None:
    if not select.select([stdin], [], [], IDLE_EXIT_S)[0]:
        return None  # idle too long: a parent that needs a child again starts one
    header = stdin.readline(MAX_HEADER)
    if not header:
        return None
    request = json.loads(header)
    size = int(request["size"])
    data = stdin.read(size)
    if len(data) != size:
        return None
    return request["config"], data


def main(argv: list[str]) -> int:
    """Serve requests until the input ends; see the module docstring for the protocol."""
    _limit_memory(int(argv[1]))
    # The replies get a descriptor of their own; anything a C library prints on standard
    # output goes to standard error instead of into the protocol.
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    from kansenaudit.ingest.extract import _readers

    _readers()  # the readers (PDFium, lxml) are loaded once, before the first file

    stdin = sys.stdin.buffer
    while (request := _read_request(stdin)) is not None:
        config, data = request
        _limit_cpu(int(config["cpu_s"]))
        message = handle(data, config)
        del data
        replies.write(json.dumps(message, ensure_ascii=True).encode("ascii") + b"\n")
        replies.flush()
        del message
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
