"""Dutch full-text search over a dossier's evidence: the same answers on SQLite and PostgreSQL.

The suite runs on whichever database ``DATABASE_URL`` names (SQLite by default); the expected
hits below are written out, so the same table passing on both engines is the parity check.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from types import SimpleNamespace

import pytest
from django.db import connection

from kansenaudit.ingest import tokens
from kansenaudit.web.evidence import search
from kansenaudit.web.evidence.models import Document, Page
from kansenaudit.web.evidence.search import snippets

CORPUS = {
    "Coalitieakkoord 2022-2026": (
        {
            "doc_type": "coalitieakkoord",
            "issuer": "raad",
            "date": date(2022, 6, 1),
            "status": "vastgesteld",
        },
        [
            "Wij willen gelijke kansen voor ieder kind in Amsterdam. Kansengelijkheid is het "
            "uitgangspunt van ons beleid.",
            "Onderwijsachterstanden pakken we aan met extra middelen voor scholen in Nieuw-West. "
            "De kans op een goede start hangt niet af van de buurt.",
            "We investeren ongelijk: meer geld waar de achterstand het grootst is.",
        ],
    ),
    "Beleidsnota Kansengelijkheid": (
        {
            "doc_type": "beleidsnota",
            "issuer": "college",
            "date": date(2023, 3, 15),
            "status": "vastgesteld",
        },
        [
            "Achterstanden in taal en rekenen ontstaan vroeg. Voor- en vroegschoolse educatie "
            "(VVE) helpt.",
            "De gemeente wil ongelijk investeren in kansen: gelijke kansen vragen om ongelijke "
            "inzet.",
            "Leerlingen met een achterstand krijgen extra lessen. Onderwijzen is een vak.",
            "Kansen, kansen, kansen: kansen voor iedereen. Het woord kansen staat hier vaak.",
            "Hier staat het woord kansen maar een keer, in een wat langere zin over beleid.",
        ],
    ),
    "Raadsvoorstel onderwijshuisvesting": (
        {
            "doc_type": "raadsvoorstel",
            "issuer": "college",
            "date": date(2021, 11, 2),
            "status": "concept",
        },
        [
            "Het onderwijs in de stad verdient goede gebouwen. Scholen worden gerenoveerd.",
            "Zie www.amsterdam.nl/onderwijs of mail naar info@amsterdam.nl voor de planning "
            "2024-2025.",
            "Het budget bedraagt € 12.000.000 (12,5 mln.) volgens art. 2.1 lid 3.",
        ],
    ),
    "Motie kansengelijkheid meten": (
        {
            "doc_type": "motie",
            "issuer": "raad",
            "date": date(2022, 11, 10),
            "status": "vastgesteld",
        },
        [
            "De raad verzoekt het college om kansengelijkheid te meten en over de "
            "kansen-gelijkheid jaarlijks te rapporteren.",
            "Armoede en schulden vergroten de kansenongelijkheid.",
        ],
    ),
    "Jaarverslag 2023": (
        {
            "doc_type": "jaarverslag",
            "issuer": "college",
            "date": date(2024, 4, 1),
            "status": "vastgesteld",
        },
        [
            "In 2023 zijn 1.200 leerlingen bereikt. De kansen van kinderen zijn vergroot.",
            "Het programma 'Kansrijk opgroeien' liep door. Naïeve verwachtingen over ideeën "
            "bleken onjuist; België deed het anders.",
            "<script>alert('x')</script> Deze tekst bevat opmaak & tekens < en > die veilig "
            "moeten blijven.",
        ],
    ),
    "Onderzoek segregatie": (
        {
            "doc_type": "onderzoek",
            "issuer": "partner",
            "date": date(2020, 9, 1),
            "status": "onbekend",
        },
        [
            "Segregatie in het basisonderwijs neemt toe. Gelijke kansen staan onder druk.",
            "Ouders kiezen scholen; de schoolkeuze versterkt de ongelijkheid.",
            "Zo'n situatie is niet nieuw: d'r zijn al jaren signalen. Auto's en e-mail.",
        ],
    ),
    "Raadsbrief voortgang": (
        {
            "doc_type": "raadsbrief",
            "issuer": "college",
            "date": date(2024, 10, 1),
            "status": "concept",
        },
        [
            "Voortgang van de aanpak onderwijsachterstanden: de wensen van ouders zijn gehoord.",
            "Een wens van de raad: meer aandacht voor de kans op een startkwalificatie.",
            "Prijzen en kosten van het programma stijgen.",
        ],
    ),
    "Begroting 2025": (
        {
            "doc_type": "begroting",
            "issuer": "college",
            "date": date(2024, 11, 1),
            "status": "vastgesteld",
        },
        [
            "Begroting: investeren in kansen. Programma 3: Onderwijs, jeugd en zorg.",
            "Kansengelijkheid krijgt structureel 5 miljoen euro.",
        ],
    ),
    "Notitie zonder datum": (
        {"doc_type": "anders", "issuer": "onbekend", "date": None, "status": "onbekend"},
        [
            "Een notitie over gelijke behandeling en betere kansen, zonder datum.",
            "Alleen cijfers: 123 456.",
        ],
    ),
    "Schooladviezen": (
        {
            "doc_type": "onderzoek",
            "issuer": "partner",
            "date": date(2025, 2, 1),
            "status": "vastgesteld",
        },
        [
            "Het havo/vwo-advies van de leerkracht telt mee.",
            "Het schooladvies en het vmbo-t/havo-advies worden in groep 8 gegeven; zie "
            "bijlage3.pdf of het Nat.lab.",
        ],
    ),
}
SECRET = "Geheim: gelijke kansen en kansengelijkheid, achterstanden in de geheime wijk."

# (query, expected hits: document abbreviation + page number). The same table must hold on
# SQLite and on PostgreSQL: this is the parity test between the two engines.
CO, BN, RV, MO, JV, OZ, RB, BG, NZ, SA = (
    "Coalitieakkoord 2022-2026",
    "Beleidsnota Kansengelijkheid",
    "Raadsvoorstel onderwijshuisvesting",
    "Motie kansengelijkheid meten",
    "Jaarverslag 2023",
    "Onderzoek segregatie",
    "Raadsbrief voortgang",
    "Begroting 2025",
    "Notitie zonder datum",
    "Schooladviezen",
)
PARITY = [
    ("kansen", "CO1 CO2 BN2 BN4 BN5 MO1 JV1 OZ1 RB2 BG1 NZ1"),
    ("kans", "CO1 CO2 BN2 BN4 BN5 MO1 JV1 OZ1 RB2 BG1 NZ1"),
    ("achterstanden", "CO3 BN1 BN3"),
    ('"gelijke kansen"', "CO1 BN2 OZ1"),
    ("gelijke kansen", "CO1 BN2 MO1 OZ1 NZ1"),
    ("kansengelijkheid", "CO1 MO1 BG2"),
    # A compound in a query is the phrase of its parts (as in "kansen: gelijke kansen").
    ("kansen-gelijkheid", "BN2 MO1"),
    ("segregatie OR schoolkeuze", "OZ1 OZ2"),
    ("kansen -gelijke", "CO2 BN4 BN5 JV1 RB2 BG1"),
    ("kans*", "CO1 CO2 BN2 BN4 BN5 MO1 MO2 JV1 JV2 OZ1 RB2 BG1 BG2 NZ1"),
    ("onderwijs", "RV1 RV2 BG1"),  # also in www.amsterdam.nl/onderwijs: the parts count
    ("onderwijzen", "BN3"),
    ('"ongelijk investeren"', "BN2"),
    ('"kansen voor iedereen"', "BN4"),
    ('"kansen iedereen"', ""),  # the stop word in between still counts
    ("www.amsterdam.nl", "RV2"),
    ("2024", "RV2"),
    ("naieve ideeen belgie", "JV2"),
    ("e-mail", "OZ3"),
    ("wens", "RB1 RB2"),
    # Compounds with "/", "-" and ".": the whole and each part are found.
    ("havo", "SA1 SA2"),
    ("vwo", "SA1"),
    ("advies", "SA1 SA2"),
    ("vwo-advies", "SA1"),
    ("havo/vwo-advies", "SA1"),
    ('"havo/vwo"', "SA1"),
    ("havo-advies", "SA2"),
    ('"het vmbo-t/havo-advies worden"', "SA2"),
    # A phrase that ends inside a compound: the whole holds a position first (as in PostgreSQL).
    ('"schooladvies en het vmbo"', ""),
    ("lab", "SA2"),
    ("nat.lab", "SA2"),
    ("amsterdam.nl", "RV2"),
    ("info@amsterdam.nl", "RV2"),
    ("bijlage3.pdf", "SA2"),
]


def _document(dossier, title: str, meta: dict, texts: list[str]) -> Document:
    document = Document.objects.create(
        dossier=dossier,
        title=title,
        file_name=f"{title}.pdf",
        file_format="pdf",
        size=1000,
        sha256=hashlib.sha256(f"{dossier.pk}:{title}".encode()).hexdigest(),
        page_count=len(texts),
        **meta,
    )
    pages = Page.objects.bulk_create(
        [
            Page(document=document, number=n, text=text, text_sha256="0" * 64)
            for n, text in enumerate(texts, start=1)
        ]
    )
    search.index_pages(pages)
    return document


@pytest.fixture
def corpus(team):
    docs = {
        title: _document(team["dossier"], title, meta, texts)
        for title, (meta, texts) in CORPUS.items()
    }
    _document(
        team["other"], "Geheim stuk", {"doc_type": "beleidsnota", "issuer": "college"}, [SECRET]
    )
    return SimpleNamespace(dossier=team["dossier"], other=team["other"], docs=docs)


def _hits(dossier, query: str, **filters) -> set[tuple[str, int]]:
    result = search.search(dossier, query, limit=100, **filters)
    assert result.total == len(result.hits)
    return {(hit.document_title, hit.page_number) for hit in result.hits}


TITLES = dict(
    zip(["CO", "BN", "RV", "MO", "JV", "OZ", "RB", "BG", "NZ", "SA"], CORPUS, strict=True)
)


@pytest.mark.parametrize(("query", "expected"), PARITY, ids=[q for q, _ in PARITY])
def test_same_hits_on_both_engines(corpus, query, expected):
    pages = {(TITLES[code[:2]], int(code[2:])) for code in expected.split()}
    assert _hits(corpus.dossier, query) == pages


def test_dutch_stemming_joins_inflections_but_not_other_words(corpus):
    assert (CO, 2) in _hits(corpus.dossier, "kansen")  # "De kans op een goede start"
    assert (BN, 2) in _hits(corpus.dossier, "kans")  # "gelijke kansen"
    assert (BN, 1) in _hits(corpus.dossier, "achterstand")  # "Achterstanden in taal"
    assert (CO, 3) in _hits(corpus.dossier, "achterstanden")  # "waar de achterstand"
    assert _hits(corpus.dossier, "wensen") == {(RB, 1), (RB, 2)}  # wensen and wens
    # Onderwijs (education) and onderwijzen (to teach) are different words, and stay apart.
    assert (BN, 3) not in _hits(corpus.dossier, "onderwijs")
    assert _hits(corpus.dossier, "onderwijzen") == {(BN, 3)}
    # Accents are folded as PostgreSQL's Dutch stemmer does; case never matters.
    assert _hits(corpus.dossier, "Naïeve") == _hits(corpus.dossier, "NAIEVE") == {(JV, 2)}


def test_phrases_or_not_and_prefix(corpus):
    both_words = _hits(corpus.dossier, "gelijke kansen")
    phrase = _hits(corpus.dossier, '"gelijke kansen"')
    assert phrase < both_words  # the undated note has both words, not the phrase
    assert (NZ, 1) in both_words - phrase
    assert _hits(corpus.dossier, "segregatie OF schoolkeuze") == {(OZ, 1), (OZ, 2)}
    assert _hits(corpus.dossier, "kansen NOT gelijke") == _hits(corpus.dossier, "kansen -gelijke")
    assert _hits(corpus.dossier, "kansen NIET gelijke") == _hits(corpus.dossier, "kansen -gelijke")
    assert not _hits(corpus.dossier, 'kansen -"gelijke kansen" -kans -kansengelijkheid')
    assert (MO, 2) in _hits(corpus.dossier, "kans*")  # kansenongelijkheid
    assert (MO, 2) not in _hits(corpus.dossier, "kans")
    # OR binds tighter than the implicit AND: (segregatie OR ouders) AND scholen.
    assert _hits(corpus.dossier, "segregatie OR ouders scholen") == {(OZ, 2)}
    assert _hits(corpus.dossier, "kansen AND onderwijs") == {(BG, 1)}


def test_filters_type_issuer_year_status(corpus):
    d = corpus.dossier
    assert _hits(d, "kansen", doc_types=["beleidsnota"]) == {(BN, 2), (BN, 4), (BN, 5)}
    assert _hits(d, "kansengelijkheid", issuers=["raad"]) == {(CO, 1), (MO, 1)}
    assert _hits(d, "kansen", years=range(2024, 2025)) == {(JV, 1), (RB, 2), (BG, 1)}
    assert _hits(d, "kansen", years=[2020, 2022]) == {(CO, 1), (CO, 2), (MO, 1), (OZ, 1)}
    assert _hits(d, "kansen", statuses=["concept"]) == {(RB, 2)}
    assert _hits(d, "kansen", doc_types=["jaarverslag", "begroting"], years=[2024]) == {
        (JV, 1),
        (BG, 1),
    }
    assert _hits(d, "kansen", doc_types=["wettekst"]) == set()
    assert _hits(d, "kansen", years=[]) == _hits(d, "kansen")  # empty filter: any


def test_ranking_puts_more_matches_first_and_pages(corpus):
    result = search.search(corpus.dossier, "kansen", doc_types=["beleidsnota"])
    pages = [hit.page_number for hit in result.hits]
    assert pages[0] == 4  # "Kansen, kansen, kansen: kansen voor iedereen …"
    assert pages.index(4) < pages.index(5)
    assert result.hits[0].rank > result.hits[-1].rank > 0
    first = search.search(corpus.dossier, "kansen", limit=3)
    second = search.search(corpus.dossier, "kansen", limit=3, offset=3)
    beyond = search.search(corpus.dossier, "kansen", limit=3, offset=50)
    assert first.total == second.total == beyond.total == 11
    assert not {(h.document_id, h.page_number) for h in first.hits} & {
        (h.document_id, h.page_number) for h in second.hits
    }
    assert beyond.hits == []
    hit = result.hits[0]
    assert (hit.doc_type, hit.issuer, hit.date) == ("beleidsnota", "college", date(2023, 3, 15))
    assert (hit.document_id, hit.document_title) == (corpus.docs[BN].pk, BN)


def test_snippet_escapes_the_text_and_marks_the_match(corpus):
    (hit,) = search.search(corpus.dossier, "opmaak").hits
    assert "<script>" not in hit.snippet_html
    assert "&lt;script&gt;" in hit.snippet_html
    assert "<mark>opmaak</mark>" in hit.snippet_html
    assert "&amp; tekens &lt; en &gt;" in hit.snippet_html
    assert re.sub(r"</?mark>", "", hit.snippet_html).count("<") == 0
    (hit,) = search.search(corpus.dossier, "Naïeve").hits
    assert "<mark>Naïeve</mark>" in hit.snippet_html
    (hit,) = search.search(corpus.dossier, '"meten en over de kansen-gelijkheid"').hits
    assert "<mark>kansen-gelijkheid</mark>" in hit.snippet_html
    (hit,) = search.search(corpus.dossier, "vwo").hits  # a part marks its whole compound
    assert "<mark>havo/vwo-advies</mark>" in hit.snippet_html


def test_snippet_of_a_long_page_is_short_and_cut_at_words(team):
    filler = " ".join(f"woord{i} tekst" for i in range(200))
    text = f"{filler} hier staat de achterstand in het midden {filler}"
    _document(team["dossier"], "Lang", {}, [text])
    (hit,) = search.search(team["dossier"], "achterstanden").hits
    assert hit.snippet_html.startswith("…")
    assert hit.snippet_html.endswith("…")
    assert "<mark>achterstand</mark>" in hit.snippet_html
    plain = re.sub(r"</?mark>", "", hit.snippet_html).strip("…")
    assert 150 <= len(plain) <= search.SNIPPET_CHARS
    assert plain in text  # whole words, nothing changed


def test_only_the_dossiers_own_pages_are_searched(corpus):
    assert _hits(corpus.dossier, "geheim") == set()
    assert _hits(corpus.dossier, "wijk") == set()
    assert "Geheim stuk" not in {t for t, _ in _hits(corpus.dossier, "kansengelijkheid")}
    assert _hits(corpus.other, "kansengelijkheid") == {("Geheim stuk", 1)}
    assert _hits(corpus.other, "kansen") == {("Geheim stuk", 1)}
    # SQLite indexes the dossier id next to the text: a number must not find a dossier's pages.
    mine, theirs = str(corpus.dossier.pk), str(corpus.other.pk)
    _document(corpus.other, "Nummers", {}, [f"Volgnummers {mine} en {theirs}."])
    assert _hits(corpus.other, mine) == _hits(corpus.other, theirs) == {("Nummers", 1)}
    texts = {(p.document.title, p.number): p.text for p in Page.objects.all()}
    for hit in _hits(corpus.dossier, mine):
        assert re.search(rf"(?<!\d)(?<!\d[.,]){mine}(?!\d)(?![.,]\d)", texts[hit])
    occurrences = search.term_occurrences(corpus.dossier, ["geheime wijk", "kansengelijkheid"])
    assert all(o.document_id != _secret_id(corpus) for o in occurrences)
    assert search.term_usage(corpus.other, ["kansengelijkheid"]) == [
        {"term": "kansengelijkheid", "year": None, "issuer": "college", "count": 1, "documents": 1}
    ]


def _secret_id(corpus) -> int:
    return Document.objects.get(dossier=corpus.other, title="Geheim stuk").pk


ODD_QUERIES = [
    "",
    "   ",
    '"',
    '"""',
    '"gelijke kansen',
    "kansen\"'",
    "OR",
    "NOT",
    "OR OR NOT -",
    "- -- ---",
    "-kansen",
    "NOT kansen",
    "de het een",  # only stop words
    "*",
    "k*",
    "kans**",
    "'; DROP TABLE evidence_page; --",
    "kansen' OR '1'='1",
    "NEAR(kansen gelijke)",
    "kansen:* & !gelijke | (a <-> b)",
    "body:kansen",
    "{body} : kansen",
    "^kansen",
    "kansen AND",
    "\x00kansen\ud800",
    "kansen " * 2000,
    "x" * 10_000,
    "é" * 3000 + "*",
    "(((((",
    "\\",
    "%s %(x)s ?",
    "😀 kansen",
]


@pytest.mark.parametrize("query", ODD_QUERIES, ids=range(len(ODD_QUERIES)))
def test_odd_input_never_raises(corpus, query):
    result = search.search(corpus.dossier, query)
    assert isinstance(result, search.SearchResult)
    assert result.total >= len(result.hits)
    assert isinstance(search.term_occurrences(corpus.dossier, [query]), list)


def test_odd_input_means_plain_words_or_nothing(corpus):
    d = corpus.dossier
    assert search.search(d, "").total == 0
    assert search.search(d, "-kansen").total == 0  # only exclusions: nothing to rank
    assert search.search(d, "de het een").total == 0
    assert _hits(d, '"gelijke kansen') == _hits(d, '"gelijke kansen"')  # closed at the end
    assert _hits(d, "kansen' OR '1'='1") == _hits(d, "kansen")
    assert _hits(d, "(segregatie)") == _hits(d, "segregatie") == {(OZ, 1)}
    assert _hits(d, "NEAR(segregatie") == set()  # one token: the phrase "near segregatie"
    assert _hits(d, "k*") == set()  # too short a prefix: the word "k"


def test_index_follows_pages(corpus):
    d = corpus.dossier
    document = corpus.docs[OZ]
    assert _hits(d, "segregatie")
    search.unindex_document(document.pk)
    document.pages.all().delete()
    assert _hits(d, "segregatie") == set()
    pages = Page.objects.bulk_create(
        [Page(document=document, number=1, text="Nieuwe tekst over segregatie.", text_sha256="")]
    )
    search.index_pages(pages)
    search.index_pages(pages)  # twice is harmless
    assert _hits(d, "segregatie") == {(OZ, 1)}
    # A cascade that forgets to unindex still leaves nothing behind (SQLite: a trigger).
    corpus.docs[JV].delete()
    assert _hits(d, "opmaak") == set()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM evidence_page_fts WHERE rowid % 4294967296 NOT IN "
                "(SELECT id FROM evidence_page)"
            )
            assert cursor.fetchone()[0] == 0
        assert search.reindex_all() == Page.objects.count()
        assert _hits(d, "segregatie") == {(OZ, 1)}


def test_migration_is_reversible(corpus):
    from importlib import import_module

    migration = import_module("kansenaudit.web.evidence.migrations.0002_search_index")
    from django.apps import apps

    class Editor:  # the schema editor refuses to open inside the test's transaction on SQLite
        def __init__(self) -> None:
            self.connection = connection

        def execute(self, sql: str) -> None:
            with connection.cursor() as cursor:
                cursor.execute(sql)

    if connection.vendor == "postgresql":  # CREATE INDEX waits for no deferred FK checks
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    rowids = import_module("kansenaudit.web.evidence.migrations.0006_fts_rowid_by_dossier")
    rowids.backward(apps, Editor())
    migration.drop_index(apps, Editor())
    migration.create_index(apps, Editor())  # and fills the SQLite index from stored pages
    rowids.forward(apps, Editor())  # row ids by dossier, for the pages 0002 indexed
    assert _hits(corpus.dossier, "segregatie OR schoolkeuze") == {(OZ, 1), (OZ, 2)}
    corpus.docs[OZ].delete()  # the trigger of 0006 keeps the index in step
    assert _hits(corpus.dossier, "segregatie OR schoolkeuze") == set()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM evidence_page_fts")
            assert cursor.fetchone()[0] == Page.objects.count()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="compares with PostgreSQL itself")
def test_python_analysis_equals_postgresql_to_tsvector(corpus):
    texts = [text for _, texts in CORPUS.values() for text in texts] + [
        SECRET,
        "Kansen-gelijkheid 3.5 3,5 12.000 1.2.3 -5 +5 2024-2025 covid19 COVID-19 zo'n auto's "
        "www.amsterdam.nl/onderwijs?x=1 info@gemeente.nl <b>vet</b> &amp; België ﬁnanciën "
        "İstanbul 21e-eeuwse 's-Hertogenbosch en/of t/m e.d. bijv. N.B. ab-cd-2 x²",
        "havo/vwo-advies vmbo-t/havo Nat.lab www.x.nl/a/b.html é/ü/a 1.5/2 y/. <a/b>",
    ]
    for text in texts:
        with connection.cursor() as cursor:
            # The expression of the generated column (migration 0010), on this text.
            cursor.execute(
                "SELECT to_tsvector('dutch', regexp_replace(%s, %s, '-', 'g'))::text",
                [text, tokens.COMPOUND_SEPARATOR_PATTERN],
            )
            expected = {
                m.group(1).replace("''", "'"): [int(p) for p in m.group(2).split(",")]
                for m in re.finditer(r"'((?:[^']|'')*)':([0-9,]+)", cursor.fetchone()[0])
            }
        ours: dict[str, list[int]] = {}
        for position, lexeme in enumerate(search.text_positions(text), start=1):
            if lexeme is not None:
                ours.setdefault(lexeme, []).append(position)
        assert ours == expected, text


def test_term_occurrences_give_offsets_into_the_page_text(corpus):
    terms = ["gelijke kansen", "achterstand", "kansengelijkheid", "ongelijk investeren"]
    occurrences = search.term_occurrences(corpus.dossier, terms)
    texts = {(p.document_id, p.number): p.text for p in Page.objects.all()}
    for occ in occurrences:
        text = texts[(occ.document_id, occ.page_number)]
        assert text[occ.start : occ.end] == occ.match
        assert text[: occ.start].endswith(occ.context_before)
        assert text[occ.end :].startswith(occ.context_after)
    found = {(o.term, o.match) for o in occurrences}
    assert found == {
        ("gelijke kansen", "gelijke kansen"),
        ("gelijke kansen", "Gelijke kansen"),
        ("achterstand", "achterstand"),
        ("achterstand", "Achterstanden"),
        ("kansengelijkheid", "Kansengelijkheid"),
        ("kansengelijkheid", "kansengelijkheid"),
        ("ongelijk investeren", "ongelijk investeren"),
    }
    # Whole words only: not inside onderwijsachterstanden or kansenongelijkheid.
    assert len([o for o in occurrences if o.term == "achterstand"]) == 3
    assert [o.term for o in occurrences][:1] == ["gelijke kansen"]  # in the order asked
    # A hyphen in the term is optional in the text.
    hyphen = search.term_occurrences(corpus.dossier, ["kansen-gelijkheid"])
    assert {o.match for o in hyphen} == {
        "kansengelijkheid",
        "kansen-gelijkheid",
        "Kansengelijkheid",
    }


def test_term_occurrences_use_the_index_in_a_big_dossier(corpus, monkeypatch):
    terms = ["gelijke kansen", "achterstand", "kansen-gelijkheid", "investeren"]
    scanned = search.term_occurrences(corpus.dossier, terms)
    monkeypatch.setattr(search, "TERM_SCAN_PAGES", 0)
    assert search.term_occurrences(corpus.dossier, terms) == scanned


def test_term_usage_per_year_and_issuer(corpus):
    usage = search.term_usage(corpus.dossier, ["kansengelijkheid", "achterstand", "nergens"])
    assert usage == [
        {"term": "kansengelijkheid", "year": 2022, "issuer": "raad", "count": 2, "documents": 2},
        {"term": "kansengelijkheid", "year": 2024, "issuer": "college", "count": 1, "documents": 1},
        {"term": "achterstand", "year": 2022, "issuer": "raad", "count": 1, "documents": 1},
        {"term": "achterstand", "year": 2023, "issuer": "college", "count": 2, "documents": 1},
    ]


def test_word_forms_are_simple_dutch_inflections():
    assert {"achterstand", "achterstanden"} <= search.word_forms("achterstand")
    assert {"kans", "kansen"} <= search.word_forms("kansen")
    assert {"gelijk", "gelijke"} <= search.word_forms("gelijke")
    assert {"investeren", "investeert", "investeer"} <= search.word_forms("investeren")
    assert "kansenongelijkheid" not in search.word_forms("kansengelijkheid")


def test_count_stops_at_the_cap_and_says_there_are_more(corpus, monkeypatch):
    everything = search.search(corpus.dossier, "kansen", limit=100)
    assert (everything.total, everything.more) == (11, False)
    monkeypatch.setattr(search, "COUNT_CAP", 4)
    capped = search.search(corpus.dossier, "kansen", limit=100)
    assert (capped.total, capped.more) == (4, True)
    # The hits are not cut off by the count: the best ones, in the same order.
    assert [(h.document_id, h.page_number) for h in capped.hits] == [
        (h.document_id, h.page_number) for h in everything.hits
    ]
    second = search.search(corpus.dossier, "kansen", limit=2, offset=2)
    assert [(h.document_id, h.page_number) for h in second.hits] == [
        (h.document_id, h.page_number) for h in everything.hits[2:4]
    ]
    exact = search.search(corpus.dossier, "achterstanden", limit=100)
    assert (exact.total, exact.more) == (3, False)  # below the cap: exact


def test_cli_search_says_more_and_rebuilds_the_index(corpus, monkeypatch):
    import json

    from click.testing import CliRunner

    from kansenaudit.cli.main import cli

    monkeypatch.setattr(search, "COUNT_CAP", 4)
    runner = CliRunner()
    args = ["evidence", "search", "--dossier", str(corpus.dossier.pk), "kansen"]
    found = runner.invoke(cli, [*args, "--json"])
    assert found.exit_code == 0, found.output
    payload = json.loads(found.output)
    assert (payload["total"], payload["more"]) == (4, True)
    assert "meer dan 4 treffers" in runner.invoke(cli, args).output
    rebuilt = runner.invoke(cli, ["evidence", "search-index", "--json"])
    assert rebuilt.exit_code == 0, rebuilt.output
    outcome = json.loads(rebuilt.output)
    assert outcome["pages"] == Page.objects.count()
    expected = {"sqlite": "fts5"}.get(connection.vendor)
    if connection.vendor == "postgresql":
        from kansenaudit.web.evidence.search_index_pg import rum_extension_available

        expected = "rum" if rum_extension_available(connection) else "gin"
    assert outcome["index"] == expected
    assert _hits(corpus.dossier, "segregatie OR schoolkeuze") == {(OZ, 1), (OZ, 2)}


def _index_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own indexes")
def test_postgresql_ranks_from_rum_where_the_server_has_it(corpus):
    from kansenaudit.web.evidence import search_index_pg as pg

    if not pg.rum_extension_available(connection):
        # A server without the package (postgresql-NN-rum) keeps searching through GIN.
        assert _index_exists(pg.GIN_INDEX)
        assert not _index_exists(pg.RUM_INDEX)
        return
    assert _index_exists(pg.RUM_INDEX)
    # Only one full-text index: with GIN beside it the planner would check phrases on the pages.
    assert not _index_exists(pg.GIN_INDEX)
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'evidence_page'")
        assert "toast_tuple_target=128" in cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own indexes")
def test_gin_and_rum_give_the_same_hits_and_switching_keeps_them(corpus):
    from kansenaudit.web.evidence import search_index_pg as pg

    if not pg.rum_extension_available(connection):
        pytest.skip("this PostgreSQL server has no RUM extension (postgresql-NN-rum)")
    with connection.cursor() as cursor:  # DDL waits for no deferred foreign-key checks
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    def answers() -> dict:
        out = {}
        for query, _ in PARITY:
            result = search.search(corpus.dossier, query, limit=100)
            out[query] = (result.total, {(h.document_title, h.page_number) for h in result.hits})
        ranked = search.search(corpus.dossier, "kansen", doc_types=["beleidsnota"])
        out["best"] = ranked.hits[0].page_number
        return out

    assert pg.ensure_rum_index(connection)
    with_rum = answers()
    assert with_rum["best"] == 4
    pg.use_gin_index(connection)
    assert not pg.has_rum_index(connection)
    assert _index_exists(pg.GIN_INDEX)
    assert answers() == with_rum
    # Back to RUM with pages already stored: they are rewritten into the narrow layout.
    assert pg.ensure_rum_index(connection)
    assert pg.has_rum_index(connection)
    assert not _index_exists(pg.GIN_INDEX)
    assert answers() == with_rum


@pytest.mark.skipif(connection.vendor == "postgresql", reason="no database: runs once, on SQLite")
def test_snippet_candidates_never_miss_a_matching_word(shared_data):
    """The loose pattern that points the snippet at candidate words must find every word whose
    lexeme matches: checked for every distinct word of real Dutch documents (all 301 text
    files once gave 61,738 words without a miss; a sample of them keeps the test quick)."""
    folder = shared_data / "documents"
    paths = [p for p in sorted(folder.rglob("*")) if p.suffix in {".html", ".md", ".txt"}]
    texts = [path.read_text(encoding="utf-8", errors="ignore") for path in paths[::6]]
    texts += [text for _, pages in CORPUS.values() for text in pages]
    texts.append("NAÏEVE Naïeve financiën Ärger BROOD brood maan Kansen-Gelijkheid 12.000 e-mail")
    checked = 0
    for word in {w for text in texts for w in tokens.without_markup(text).split()}:
        for lexeme in tokens.chunk_positions(word):
            if lexeme:
                pattern = snippets._candidates_re(frozenset({lexeme}), ())
                assert pattern is None or pattern.search(word), (word, lexeme)
                checked += 1
    assert checked > 10_000


def test_snippet_marks_the_same_words_with_and_without_the_candidate_pattern():
    text = "Inleiding. Het kanaal en de kansen; KANSEN-gelijkheid en een kans. Naïeve ouders."
    parsed = search.parse_query("kans NAÏEVE ouder")
    lexemes, prefixes = parsed.lexemes(), parsed.prefixes()
    marked = snippets._matches(text, lexemes, prefixes)
    assert [text[a:b] for a, b in marked] == [
        "kansen",
        "KANSEN-gelijkheid",
        "kans",
        "Naïeve",
        "ouders",
    ]
    # Without the pattern (every word read in turn) the marks are the same.
    assert snippets._first_match(
        text, lambda w: bool(lexemes & set(tokens.chunk_positions(w))), None
    ) == text.index("kansen")
