"""The search engine is chosen by the database of the connection, as Wagtail chooses its
database search backend; a database without an engine is refused, never searched wrongly."""

import pytest
from django.db import connection

from kansenaudit.web.evidence import search


def test_the_engine_is_the_one_of_the_connection():
    engine = search.backend()
    assert isinstance(engine, search.SearchBackend)
    assert engine.vendor == connection.vendor


def test_a_database_without_an_engine_is_refused(monkeypatch):
    monkeypatch.setattr(connection, "vendor", "mysql")
    with pytest.raises(NotImplementedError, match="mysql"):
        search.backend()
    with pytest.raises(NotImplementedError):
        search.search(1, "kansen")
    with pytest.raises(NotImplementedError):
        search.index_pages([])
