"""Warm extraction children (ingest/pool.py): a child serves several files, is replaced after
MAX_FILES or any limit breach, timeout or crash, and every file gets the same CPU budget."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kansenaudit.ingest import IngestError, extract, extract_isolated, pool
from tests.ingest.hostile import reportlab_pdf

TEXT = b"Gelijke kansen voor ieder kind.\n\fTweede pagina.\n"


@pytest.fixture
def started(monkeypatch):
    """A pool of the test's own; the children it started, in order."""
    children: list[pool.Child] = []

    def start(memory_mb: int) -> pool.Child:
        children.append(pool.Child(memory_mb))
        return children[-1]

    fresh = pool.Pool(start=start)
    monkeypatch.setattr(pool, "POOL", fresh)
    yield children
    fresh.close()


def test_one_child_serves_several_files_and_is_replaced_after_max_files(started, monkeypatch):
    monkeypatch.setattr(pool, "MAX_FILES", 3)
    for number in range(4):
        document = extract_isolated(TEXT + b"Nummer %d.\n" % number, f"n{number}.txt")
        assert document == extract(TEXT + b"Nummer %d.\n" % number, f"n{number}.txt")
    assert [child.files for child in started] == [3, 1]
    assert started[0].process.poll() is not None  # ended, not left running
    assert started[1].process.poll() is None  # idle, ready for the next file


def test_a_child_that_reached_its_memory_limit_is_never_used_again(started):
    with pytest.raises(IngestError) as caught:
        extract_isolated(reportlab_pdf([["x"]]), "x.pdf", memory_mb=40, timeout_s=20)
    assert caught.value.code == "too-large"
    assert all(child.process.poll() is not None for child in started)
    extract_isolated(TEXT, "a.txt")  # a fresh child with the usual limit
    assert started[-1].memory_mb == 1024
    assert started[-1].process.poll() is None


def test_a_child_that_timed_out_is_killed_and_replaced(started, shared_data):
    path = shared_data / "documents" / "plooi_officielepublicaties" / "blg-1007826_scanned.pdf"
    extract_isolated(TEXT, "warm.txt")
    with pytest.raises(IngestError) as caught:
        extract_isolated(path.read_bytes(), path.name, timeout_s=1)
    assert caught.value.code == "timeout"
    assert len(started) == 1
    assert started[0].process.poll() is not None
    assert extract_isolated(TEXT, "daarna.txt").page_count == 2
    assert len(started) == 2


def test_a_file_that_kills_a_warm_child_is_tried_once_more_in_a_fresh_one(started):
    extract_isolated(TEXT, "warm.txt")
    started[0].process.kill()  # as if the last file had broken it
    started[0].process.wait()
    assert extract_isolated(TEXT, "daarna.txt").page_count == 2
    assert len(started) == 2


def test_the_cpu_limit_counts_from_the_cpu_time_already_used():
    """RLIMIT_CPU counts a process's whole life: the next file's limit is what the child used
    so far plus the file's allowance, so a child that read many files is not cut off early."""
    script = (
        "import resource, time\n"
        "from kansenaudit.ingest.worker import _limit_cpu\n"
        "start = time.process_time()\n"
        "while time.process_time() - start < 0.3: pass\n"
        "_limit_cpu(2)\n"
        "print(resource.getrlimit(resource.RLIMIT_CPU)[0])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=30
    )
    assert int(done.stdout) >= 3  # 0.3 s used (rounded up to 1) + 2 s allowed
