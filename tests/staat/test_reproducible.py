"""The same inputs and seed give a byte-identical numbers.json, also in another process."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from kansenaudit.staat.compute import compute_state
from kansenaudit.staat.inputs_demo import inputs_from_demo
from kansenaudit.staat.model import StaatParameters
from kansenaudit.staat.report import write_numbers

SCRIPT = """
import sys
from pathlib import Path
from kansenaudit.staat.compute import compute_state
from kansenaudit.staat.inputs_demo import inputs_from_demo
from kansenaudit.staat.model import StaatParameters
from kansenaudit.staat.report import write_numbers
write_numbers(compute_state(inputs_from_demo(), StaatParameters(n_boot=29)), Path(sys.argv[1]))
"""


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_numbers_json_is_byte_identical_across_runs(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = tmp_path / "first.json"
    write_numbers(compute_state(inputs_from_demo(), StaatParameters(n_boot=29)), first)
    # A second process with another hash seed: set iteration order must not matter either.
    second = tmp_path / "second.json"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    env.pop("SOURCE_DATE_EPOCH", None)
    subprocess.run([sys.executable, "-c", SCRIPT, str(second)], check=True, env=env)
    assert _digest(first) == _digest(second)
