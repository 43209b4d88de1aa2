"""Child process of :func:`kansenaudit.ingest.extract.extract_isolated`; not for direct use.

``python -m kansenaudit.ingest.worker '<json config>'`` limits its own address space and CPU
time first, then reads the file from stdin, runs :func:`~kansenaudit.ingest.extract.extract`
(or, with ``"task": "render"``, draws one PDF page: :mod:`kansenaudit.ingest.render`)
and writes one JSON object to stdout: ``{"ok": true, "document": …}`` (``"png"``: base64) or
``{"ok": false, "error": {"code": …, "file_name": …, "detail": …}}``.
"""

from __future__ import annotations

import json
import resource
import sys
from typing import Any

MB = 1024 * 1024


def _limit_self(memory_mb: int, cpu_s: int) -> None:
    # Soft CPU limit sends SIGXCPU (the parent reports "timeout"); the hard one, a little later,
    # kills outright if that signal is ignored somewhere.
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 5))
    resource.setrlimit(resource.RLIMIT_AS, (memory_mb * MB, memory_mb * MB))
    # No core dumps of documents that may be confidential.
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


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


def main(argv: list[str]) -> int:
    """Run one isolated extraction; see the module docstring for the protocol."""
    config: dict[str, Any] = json.loads(argv[1])
    _limit_self(int(config["memory_mb"]), int(config["cpu_s"]))
    data = sys.stdin.buffer.read()

    from kansenaudit.ingest.extract import extract
    from kansenaudit.ingest.limits import Limits
    from kansenaudit.ingest.model import IngestError

    file_name = str(config["file_name"])
    try:
        if config.get("task") == "render":
            message: dict[str, Any] = {"ok": True, "png": _render(data, config)}
        else:
            document = extract(
                data,
                file_name,
                limits=Limits.from_dict(config["limits"]),
                ocr=bool(config["ocr"]),
            )
            message = {"ok": True, "document": document.to_dict()}
    except IngestError as exc:
        message = {"ok": False, "error": exc.to_dict()}
    except MemoryError:
        message = {"ok": False, "error": {"code": "too-large", "file_name": file_name}}
    del data
    sys.stdout.write(json.dumps(message, ensure_ascii=True))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
