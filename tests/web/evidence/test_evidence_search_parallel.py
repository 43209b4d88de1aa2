"""PostgreSQL counts the matches on a second connection while it ranks them. That connection
only sees committed pages, so this test commits its data (a transactional test) and checks that
the parallel count gives exactly what the count in line gives."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from kansenaudit.ingest.extract import extract
from kansenaudit.web.dossiers.services import dossier_create
from kansenaudit.web.evidence import search
from kansenaudit.web.evidence import services as evidence
from kansenaudit.web.evidence.search import postgres as search_postgres

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the parallel count is PostgreSQL's"
)


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("KANSENAUDIT_DATA_DIR", str(tmp_path / "data"))
    yield
    search.close_count_connections()  # or the test database cannot be dropped


@pytest.mark.django_db(transaction=True)
def test_parallel_count_equals_the_count_in_line(monkeypatch):
    dossier = dossier_create(title="Parallel", municipality_code="GM0363")
    for n in range(3):
        text = "\f".join(
            f"Pagina {p} over gelijke kansen en onderwijs, document {n}." for p in range(12)
        )
        data = text.encode()
        evidence.document_store(
            dossier=dossier,
            extracted=extract(data, f"stuk-{n}.txt", ocr=False),
            data=data,
            actor=None,
        )
    calls = []
    real = search_postgres._rum_count_elsewhere

    def spy(sql, params):
        calls.append(sql)
        return real(sql, params)

    monkeypatch.setattr(search_postgres, "_rum_count_elsewhere", spy)
    monkeypatch.setattr(search, "COUNT_CAP", 20)
    if not search.has_rum_index(connection):
        pytest.skip("the parallel count goes with the RUM index")
    parallel = search.search(dossier, "gelijke kansen", limit=10)
    assert calls  # counted on the second connection
    calls.clear()
    with transaction.atomic():  # inside a transaction: counted in line
        in_line = search.search(dossier, "gelijke kansen", limit=10)
    assert calls == []
    assert (parallel.total, parallel.more) == (in_line.total, in_line.more) == (20, True)
    assert [(h.document_id, h.page_number) for h in parallel.hits] == [
        (h.document_id, h.page_number) for h in in_line.hits
    ]
    few = search.search(dossier, '"document 1"')
    assert few.total == 12
    assert few.more is False
