"""Fieldwork tests run with a fixed test key (production mode: no key, no originals)."""

import pytest

from tests.helpers.matrix_fieldwork import TEST_KEY


@pytest.fixture(autouse=True)
def _fieldwork_env(tmp_path, monkeypatch):
    monkeypatch.setenv("KANSENAUDIT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KANSENAUDIT_FIELDWORK_KEY", TEST_KEY)
