"""The evidence pages on the demo dossier: document list, search, viewer, terms.

The demo is loaded once for this module (``demo_for_module`` in tests/conftest.py); each test
runs in its own savepoint inside it. Tests that need a team of their own are in
test_evidence_views.py.
"""

from __future__ import annotations

import csv
import io
import re

import pytest

from kansenaudit.web.core.models import AuditEvent
from kansenaudit.web.evidence import search
from kansenaudit.web.evidence.models import Citation, Document, Term, TermDefinition
from tests.web.evidence.test_evidence_views import (
    DEFINITION,
    NOTA,
    _login,
    _messages,
    _nota,
    _store_text,
    _url,
)


@pytest.fixture
def demo(demo_for_module, db):
    return demo_for_module


def test_list_shows_the_demo_documents_with_badge_and_filters(client, demo):
    _login(client, "meelezer")
    page = client.get(_url("documents", demo.dossier_id)).content.decode()
    titles = list(
        Document.objects.filter(dossier_id=demo.dossier_id).values_list("title", flat=True)
    )
    from kansenaudit.demo.documents import (
        generate_demo_documents,
        generate_demo_policy_documents,
    )

    expected = len(generate_demo_documents()) + len(generate_demo_policy_documents())
    assert len(titles) == expected == 11
    for title in titles:
        assert title in page
    assert page.count("ka-badge--orange") >= expected  # the demo badge on every demo document
    assert "fictieve demodata" in page
    assert 'id="upload-form"' not in page  # a meelezer cannot upload

    response = client.get(_url("documents", demo.dossier_id), {"soort": "begroting"})
    table = response.content.decode().split('id="documenten"')[1].split("</table>")[0]
    assert "Begroting 2025" in table
    assert NOTA not in table
    response = client.get(_url("documents", demo.dossier_id), {"jaar": "2022"})
    table = response.content.decode().split('id="documenten"')[1].split("</table>")[0]
    assert "Coalitieakkoord" in table
    assert NOTA not in table
    response = client.get(_url("documents", demo.dossier_id), {"status": "concept"})
    table = response.content.decode().split('id="documenten"')[1].split("</table>")[0]
    assert "Begroting 2025" in table
    assert "Coalitieakkoord" not in table
    response = client.get(_url("documents", demo.dossier_id), {"uitgever": "rijk"})
    assert "Geen documenten voldoen aan deze filters." in response.content.decode()
    assert client.get(_url("documents", demo.dossier_id), {"jaar": "1900"}).status_code == 400


def test_editor_sees_the_upload_form_with_the_script(client, demo):
    _login(client)
    page = client.get(_url("documents", demo.dossier_id)).content.decode()
    assert 'id="upload-form"' in page
    assert 'enctype="multipart/form-data"' in page
    assert "/static/evidence/upload.js" in page
    assert "<script>" not in page  # no inline script under the content security policy


def test_search_finds_a_phrase_with_page_and_marked_snippet(client, demo):
    _login(client, "meelezer")
    response = client.get(_url("documents", demo.dossier_id), {"q": '"gelijke kansen"'})
    assert response.status_code == 200
    page = response.content.decode()
    hits = page.split('class="ka-hits"')[1].split("</ol>")[0]
    assert "<mark>" in hits
    assert "pagina " in hits
    nota = _nota(demo)
    assert f"{_url('document', demo.dossier_id, nota.pk)}?pagina=" in hits
    result = search.search(
        nota.dossier,
        '"gelijke kansen"',
        doc_types=None,
        issuers=None,
        years=None,
        statuses=None,
        limit=20,
        offset=0,
    )
    assert result.total >= 2
    first = result.hits[0]
    assert f"?pagina={first.page_number}" in hits


def test_search_respects_the_filters(client, demo):
    _login(client, "meelezer")
    page = client.get(
        _url("documents", demo.dossier_id), {"q": "kansengelijkheid", "soort": "begroting"}
    ).content.decode()
    hits = page.split('class="ka-hits"')[1].split("</ol>")[0]
    assert "Begroting 2025" in hits
    assert NOTA not in hits


def test_search_snippet_of_hostile_text_is_escaped(client, demo):
    from kansenaudit.web.dossiers.models import Dossier

    dossier = Dossier.objects.get(pk=demo.dossier_id)
    _store_text(dossier, "Kansengelijkheid <script>alert('x')</script> voor iedereen.\n")
    _login(client, "meelezer")
    page = client.get(_url("documents", demo.dossier_id), {"q": "iedereen"}).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page


def test_viewer_shows_metadata_text_and_the_demo_citation_marked(client, demo):
    nota = _nota(demo)
    citation = Citation.objects.get(document=nota)
    _login(client, "meelezer")
    response = client.get(_url("document", demo.dossier_id, nota.pk), {"pagina": 1})
    page = response.content.decode()
    assert response.status_code == 200
    assert nota.sha256 in page
    assert "Voorbeeldstad (fictieve demodata)" in page  # provenance
    assert "fictieve demodata" in page
    assert f'id="citaat-{citation.pk}"' in page
    marked = page.split(f'id="citaat-{citation.pk}"')[1].split("</mark>")[0]
    assert DEFINITION in marked
    assert "ka-cited--active" not in page
    assert 'id="citeren"' not in page  # a meelezer cannot cite
    assert 'src="' + _url("page_image", demo.dossier_id, nota.pk, 1) + '"' in page

    page = client.get(
        _url("document", demo.dossier_id, nota.pk), {"pagina": 1, "citaat": citation.pk}
    ).content.decode()
    assert "ka-cited ka-cited--active" in page
    # A link to the citation alone opens the right page.
    response = client.get(_url("document", demo.dossier_id, nota.pk), {"citaat": citation.pk})
    assert response.status_code == 302
    assert "pagina=1" in response["Location"]


def test_png_of_a_pdf_page_and_404_for_docx_and_bad_pages(client, demo):
    _login(client, "meelezer")
    nota = _nota(demo)
    response = client.get(_url("page_image", demo.dossier_id, nota.pk, 1))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert "max-age" in response["Cache-Control"]
    again = client.get(
        _url("page_image", demo.dossier_id, nota.pk, 1), HTTP_IF_NONE_MATCH=response["ETag"]
    )
    assert again.status_code == 304
    assert client.get(_url("page_image", demo.dossier_id, nota.pk, 99)).status_code == 404
    docx = Document.objects.filter(dossier_id=demo.dossier_id, file_format="docx").first()
    assert client.get(_url("page_image", demo.dossier_id, docx.pk, 1)).status_code == 404
    page = client.get(_url("document", demo.dossier_id, docx.pk)).content.decode()
    assert "/pagina/1.png" not in page


def test_member_of_another_dossier_gets_404(client, demo):
    nota = _nota(demo)
    _login(client, "ander-team")
    for url in (
        _url("documents", demo.dossier_id),
        _url("document", demo.dossier_id, nota.pk),
        _url("page_image", demo.dossier_id, nota.pk, 1),
        _url("jobs", demo.dossier_id),
        _url("citations_csv", demo.dossier_id),
        _url("terms", demo.dossier_id),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert NOTA not in response.content.decode()


def test_demo_csv_carries_the_demo_notice(client, demo):
    _login(client, "meelezer")
    body = client.get(_url("citations_csv", demo.dossier_id)).content.decode("utf-8-sig")
    assert body.startswith("# Fictieve demodata")
    assert DEFINITION in body


def test_terms_page_shows_usage_charts_tables_kwic_and_definitions(client, demo):
    _login(client, "meelezer")
    page = client.get(_url("terms", demo.dossier_id)).content.decode()
    terms = list(Term.objects.filter(dossier_id=demo.dossier_id).values_list("term", flat=True))
    assert len(terms) == 5
    assert page.count('class="chart"') == 5  # one line chart per term
    year_table = page.split('id="gebruik-per-jaar"')[1].split("</table>")[0]
    for year in ("2022", "2023", "2024"):
        assert year in year_table
    assert "kansengelijkheid" in year_table
    issuer_table = page.split('id="gebruik-per-uitgever"')[1].split("</table>")[0]
    assert "college" in issuer_table
    kwic = page.split('id="kwic-tabel"')[1].split("</table>")[0]
    assert "<mark>kansengelijkheid</mark>" in kwic.lower()
    assert "markeer als definitie" not in kwic  # a meelezer cannot mark definitions
    definitions = page.split('id="definities"')[1]
    assert DEFINITION in definitions
    assert "citaat=" in definitions
    # The numbers agree with term_usage.
    usage = search.term_usage(Term.objects.first().dossier, ["kansengelijkheid"])
    total = sum(row["count"] for row in usage)
    row = year_table.split("kansengelijkheid</th>")[1].split("</tr>")[0]
    assert sum(int(n) for n in re.findall(r">(\d+)</td>", row)) == total

    only = client.get(_url("terms", demo.dossier_id), {"term": "achterstand"}).content.decode()
    kwic = only.split('id="kwic-tabel"')[1].split("</table>")[0]
    assert 'data-term="achterstand"' in kwic
    assert 'data-term="kansengelijkheid"' not in kwic


def test_terms_add_and_remove(client, demo):
    _login(client)
    dossier = demo.dossier_id
    response = client.post(_url("term_add", dossier), {"term": "  Segregatie "}, follow=True)
    assert any("segregatie" in m for m in _messages(response))
    term = Term.objects.get(dossier_id=dossier, term="segregatie")
    assert AuditEvent.objects.filter(action="evidence.term_add", object_id=str(term.pk)).exists()
    client.post(_url("term_remove", dossier, term.pk))
    assert not Term.objects.filter(pk=term.pk).exists()
    defined = Term.objects.get(dossier_id=dossier, term="kansengelijkheid")
    response = client.post(_url("term_remove", dossier, defined.pk), follow=True)
    assert Term.objects.filter(pk=defined.pk).exists()
    assert any("definities" in m for m in _messages(response))
    assert client.post(_url("term_add", dossier), {"term": ""}).status_code == 302


def test_definition_from_a_kwic_line_cites_the_sentence(client, demo):
    from kansenaudit.web.dossiers.models import Dossier

    dossier = Dossier.objects.get(pk=demo.dossier_id)
    _login(client)
    page = client.get(_url("terms", dossier.pk), {"term": "gelijke kansen"}).content.decode()
    assert "markeer als definitie" in page
    occurrence = next(
        o for o in search.term_occurrences(dossier, ["gelijke kansen"]) if "wieg" in o.context_after
    )
    term = Term.objects.get(dossier=dossier, term="gelijke kansen")
    response = client.post(
        _url("definition_add", dossier.pk),
        {
            "term": term.pk,
            "document": occurrence.document_id,
            "pagina": occurrence.page_number,
            "start": occurrence.start,
            "end": occurrence.end,
        },
    )
    assert response.status_code == 302
    definition = TermDefinition.objects.get(term=term)
    quote = " ".join(definition.citation.quote.split())  # the PDF's lines are kept
    assert quote.startswith("Met gelijke kansen bedoelen wij")
    assert quote.endswith("welk schooladvies je krijgt.")
    assert AuditEvent.objects.filter(action="evidence.definition_add").count() == 2  # + demo
    register = client.get(_url("terms", dossier.pk)).content.decode().split('id="definities"')[1]
    assert "Met gelijke kansen bedoelen wij" in register


def test_terms_csv_is_safe_and_complete(client, demo):
    _login(client)
    client.post(_url("term_add", demo.dossier_id), {"term": "=1+1"})
    response = client.get(_url("terms_csv", demo.dossier_id))
    body = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    assert rows[0][0].startswith("# Fictieve demodata")
    assert rows[1] == ["term", "jaar", "uitgever", "aantal", "documenten"]
    terms = {r[0] for r in rows[2:]}
    assert "kansengelijkheid" in terms
    assert not any(r[0].startswith("=") for r in rows[2:])
