# SPDX-License-Identifier: EUPL-1.2
"""Fictional policy documents of the demo city Voorbeeldstad, generated as real PDF and DOCX.

They give search, citations and term usage something to show offline. Every page says it is
fictional. The texts use the research design's terms on purpose inconsistently (kansengelijkheid,
gelijke kansen, ongelijk investeren, achterstand), as the municipality in the research design
does, so the term-usage view has a story to tell. Generated deterministically: the same bytes on
every run (fixed dates, no random ids), so the demo loader recognises them as already stored.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from xml.sax.saxutils import escape

DEMO_DOCUMENT_LABEL = "Fictief demodocument (Voorbeeldstad) — geen echt beleid"
_PDF_WIDTH = 90  # characters per drawn line


@dataclass(frozen=True)
class DemoDocument:
    file_name: str
    title: str
    date: dt.date
    issuer: str
    doc_type: str
    status: str
    pages: tuple[tuple[str, ...], ...]  # paragraphs per page

    def data(self) -> bytes:
        if self.file_name.endswith(".pdf"):
            return _pdf(self)
        return _docx(self)

    def page_text(self, number: int) -> str:
        """The canonical text that extraction gives for page ``number`` (from 1).

        The label line, then the paragraphs one per line; in a PDF each paragraph is split
        into the lines :func:`_pdf` draws. A quote must be found in this text, not in the
        paragraphs, to be citable at the same offsets as in the evidence store.
        """
        paragraphs = self.pages[number - 1]
        if self.file_name.endswith(".pdf"):
            lines = [line for p in paragraphs for line in _wrap(p, _PDF_WIDTH)]
        else:
            lines = list(paragraphs)
        return "\n".join([DEMO_DOCUMENT_LABEL, *lines])


_P = (
    "Voorbeeldstad wil dat ieder kind dezelfde kansen krijgt, ongeacht de buurt waarin het "
    "opgroeit of het inkomen van de ouders.",
    "De verschillen tussen stadsdelen zijn groot: in Nieuw-West en Zuidoost groeien veel meer "
    "kinderen op in een huishouden met een laag inkomen dan in Zuid.",
)

DOCUMENTS: tuple[DemoDocument, ...] = (
    DemoDocument(
        "coalitieakkoord-voorbeeldstad-2022-2026.pdf",
        "Coalitieakkoord Voorbeeldstad 2022-2026: Samen vooruit",
        dt.date(2022, 6, 1),
        "college",
        "coalitieakkoord",
        "vastgesteld",
        (
            (
                "Coalitieakkoord 2022-2026: Samen vooruit",
                "Kansengelijkheid is de rode draad van dit akkoord. Wij investeren ongelijk "
                "om ongelijkheid te bestrijden: waar de achterstand het grootst is, zetten wij "
                "de meeste middelen in.",
                _P[0],
            ),
            (
                "Onderwijs",
                "Wij breiden de voor- en vroegschoolse educatie uit in de buurten met de "
                "grootste onderwijsachterstand. Elke basisschool in een aandachtsbuurt krijgt "
                "een extra leerkracht voor taal en rekenen.",
                "Met gelijke kansen bedoelen wij dat de plek waar je wieg staat niet bepaalt "
                "welk schooladvies je krijgt.",
            ),
            (
                "Armoede en werk",
                "Wij verlagen het aantal kinderen dat opgroeit in armoede met een derde in "
                "2026. Ongelijk investeren betekent ook: de minimaregelingen automatisch "
                "toekennen aan wie er recht op heeft.",
                _P[1],
            ),
        ),
    ),
    DemoDocument(
        "beleidsnota-gelijke-kansen-voor-elk-kind.pdf",
        "Beleidsnota Gelijke kansen voor elk kind 2023-2026",
        dt.date(2023, 2, 14),
        "college",
        "beleidsnota",
        "vastgesteld",
        (
            (
                "Gelijke kansen voor elk kind",
                "Onder kansengelijkheid verstaan wij in deze nota: de mate waarin de "
                "onderwijs- en levensuitkomsten van kinderen onafhankelijk zijn van het "
                "opleidingsniveau en het inkomen van hun ouders.",
                "Deze definitie wijkt af van het coalitieakkoord, dat vooral over gelijke "
                "kansen in de buurt spreekt.",
            ),
            (
                "Beleidstheorie",
                "Als kinderen met een taalachterstand vroeg voor- en vroegschoolse educatie "
                "krijgen, beginnen zij met minder achterstand aan groep 3. Dat leidt tot "
                "hogere schooladviezen in groep 8 en zo tot meer kansengelijkheid.",
                "Wij nemen aan dat ouders het aanbod kennen en dat er voldoende plaatsen zijn.",
            ),
            (
                "Doelen en indicatoren",
                "Doel 1: het aandeel leerlingen met een havo/vwo-advies in Nieuw-West en "
                "Zuidoost stijgt tot het stedelijk gemiddelde in 2030.",
                "Doel 2: de deelname aan voor- en vroegschoolse educatie is in 2026 ten minste "
                "90 procent van de kinderen met een indicatie.",
                "Nulmeting: 2019. Wij rapporteren jaarlijks aan de raad.",
            ),
            (
                "Maatregelen",
                "Wij zetten vier maatregelen in: extra VVE-plaatsen, schoolmaatschappelijk "
                "werk, een zomerschool en de Kansenaanpak in de buurt. Het budget is 12,4 "
                "miljoen euro per jaar.",
                _P[1],
            ),
        ),
    ),
    DemoDocument(
        "raadsbrief-voortgang-kansenaanpak-2024.docx",
        "Raadsbrief voortgang Kansenaanpak 2024",
        dt.date(2024, 11, 5),
        "college",
        "raadsbrief",
        "vastgesteld",
        (
            (
                "Voortgang Kansenaanpak 2024",
                "Geachte leden van de raad, hierbij informeren wij u over de voortgang van de "
                "Kansenaanpak. Wij hebben 420 extra VVE-plaatsen gerealiseerd.",
                "Over het effect op de kansenongelijkheid kunnen wij nog niets zeggen: de "
                "eerste schooladviezen van deze kinderen volgen in 2029.",
            ),
            (
                "Vervolg",
                "De achterstanden in taal zijn in Zuidoost nog altijd het grootst. Wij "
                "onderzoeken of ongelijk investeren in de schoolbudgetten verder kan.",
                "Met vriendelijke groet, het college van burgemeester en wethouders.",
            ),
        ),
    ),
    DemoDocument(
        "begroting-2025-programma-onderwijs.pdf",
        "Begroting 2025, programma Onderwijs en kansengelijkheid",
        dt.date(2024, 10, 1),
        "college",
        "begroting",
        "concept",
        (
            (
                "Programma Onderwijs en kansengelijkheid",
                "Lasten 2025: 48,2 miljoen euro, waarvan 12,4 miljoen voor de Kansenaanpak.",
                "Indicator: aandeel leerlingen met havo/vwo-advies; streefwaarde 2025: 48 "
                "procent; realisatie 2023: 44 procent.",
            ),
            (
                "Wat willen wij bereiken?",
                "Wij willen dat achterstand niet wordt doorgegeven van ouder op kind.",
                "Gelijke kansen in het onderwijs blijven de hoogste prioriteit.",
            ),
        ),
    ),
    DemoDocument(
        "uitvraag-antwoord-directie-onderwijs.docx",
        "Antwoord uitvraag Rekenkamer: directie Onderwijs",
        dt.date(2025, 9, 15),
        "directie",
        "uitvraag-antwoord",
        "concept",
        (
            (
                "Antwoord op de uitvraag van de rekenkamer",
                "De directie Onderwijs voert vier maatregelen uit die bijdragen aan "
                "kansengelijkheid. De directie meet vooral het bereik, nog niet het effect.",
                "Bij de zomerschool ontbreekt een nulmeting.",
            ),
        ),
    ),
)


# The policy set of the demo (kansenaudit.demo.policy) quotes these: the bestuursopdracht
# with its actielijnen, and what the college told the council from 2023 to 2026. They are kept
# apart from DOCUMENTS so that the evidence demo keeps its five documents until the loader of the
# policy set stores these as well (see docs/demo.md).
POLICY_DOCUMENTS: tuple[DemoDocument, ...] = (
    DemoDocument(
        "bestuursopdracht-tegengaan-kansenongelijkheid-2023.pdf",
        "Bestuursopdracht Tegengaan Kansenongelijkheid 2023-2026",
        dt.date(2023, 3, 7),
        "college",
        "beleidsnota",
        "vastgesteld",
        (
            (
                "Bestuursopdracht Tegengaan Kansenongelijkheid 2023-2026",
                "Het college geeft de directies Onderwijs, Armoede en Schulden en Wonen de "
                "opdracht om samen de kansenongelijkheid in Voorbeeldstad tegen te gaan.",
                "Doel van de opdracht: de verschillen in kansen tussen de stadsdelen worden "
                "kleiner. In 2026 is de afstand tussen Nieuw-West en Zuidoost en het stedelijk "
                "gemiddelde kleiner dan bij de nulmeting van 2019.",
                "Deze opdracht werkt het coalitieakkoord 2022-2026 uit en volgt de "
                "bestuursopdracht van 2020 op.",
            ),
            (
                "Actielijnen",
                "Actielijn 1, Sterke start: alle peuters met een VVE-indicatie nemen deel aan "
                "voor- en vroegschoolse educatie.",
                "Actielijn 2, Gelijke kansen op school: minder onderadvisering en minder "
                "jongeren die de school verlaten zonder startkwalificatie.",
                "Actielijn 3, Iedereen doet mee: alle kinderen in minimahuishoudens doen mee "
                "aan sport en cultuur.",
                "Actielijn 4, Gezond opgroeien: minder kinderen met overgewicht in Nieuw-West "
                "en Zuidoost.",
                "Actielijn 5, Een thuis om in te leren: minder gezinnen met kinderen in een "
                "overbewoonde woning.",
            ),
            (
                "Sturing en verantwoording",
                "Elke directie vertaalt de actielijnen in eigen doelen en maatregelen, met "
                "indicatoren, een nulmeting en streefwaarden.",
                "Het college rapporteert jaarlijks in een voortgangsrapportage aan de raad over "
                "de prestaties en, waar mogelijk, over de effecten.",
                "Het Kenniscentrum Ongelijkheid Voorbeeldstad evalueert de aanpak in 2026.",
            ),
        ),
    ),
    DemoDocument(
        "raadsbrief-start-bestuursopdracht-2023.docx",
        "Raadsbrief start uitvoering Bestuursopdracht Tegengaan Kansenongelijkheid",
        dt.date(2023, 5, 16),
        "college",
        "raadsbrief",
        "vastgesteld",
        (
            (
                "Start uitvoering Bestuursopdracht Tegengaan Kansenongelijkheid",
                "Geachte leden van de raad, met deze brief informeren wij u over de start van de "
                "uitvoering van de Bestuursopdracht Tegengaan Kansenongelijkheid.",
                "In 2023 starten wij met de automatische toekenning van de minimaregelingen en "
                "breiden wij het aantal VVE-plaatsen uit. Wij verwachten dat in 2026 ten minste "
                "90 procent van de peuters met een indicatie deelneemt.",
                "Wij informeren u jaarlijks met een voortgangsrapportage.",
            ),
        ),
    ),
    DemoDocument(
        "voortgangsrapportage-kansengelijkheid-2023.pdf",
        "Voortgangsrapportage kansengelijkheid 2023",
        dt.date(2024, 3, 12),
        "college",
        "voortgangsrapportage",
        "vastgesteld",
        (
            (
                "Voortgangsrapportage kansengelijkheid 2023",
                "In 2023 hebben wij 180 extra VVE-plaatsen gerealiseerd.",
                "In 2023 nam 82 procent van de peuters met een indicatie deel aan voor- en "
                "vroegschoolse educatie.",
                "Via de automatische toekenning ontvingen 4.800 kinderen het kindpakket voor "
                "sport en cultuur.",
            ),
            (
                "Wonen",
                "De verhuisregeling voor grote gezinnen is in 2023 voorbereid met Woningcorporatie "
                "Thuis in Voorbeeldstad; de eerste verhuizingen volgen in 2024.",
                "Over de effecten op kansengelijkheid rapporteren wij in het jaarverslag.",
            ),
        ),
    ),
    DemoDocument(
        "jaarverslag-2024-kansengelijkheid.pdf",
        "Jaarverslag 2024, programma Kansengelijkheid",
        dt.date(2025, 4, 15),
        "college",
        "jaarverslag",
        "vastgesteld",
        (
            (
                "Jaarverslag 2024: wat hebben wij bereikt?",
                "Het aandeel minimahuishoudens daalde van 14,1 procent in 2019 naar 13,7 "
                "procent in 2024.",
                "De deelname aan voor- en vroegschoolse educatie steeg naar 85 procent van de "
                "peuters met een indicatie.",
            ),
            (
                "Wat hebben wij daarvoor gedaan?",
                "Wij kenden aan 6.400 kinderen automatisch het kindpakket toe.",
                "In 2024 verhuisden 60 gezinnen via de verhuisregeling naar een grotere woning.",
                "De overbewoning in Nieuw-West is niet gedaald; wij onderzoeken de oorzaken.",
            ),
        ),
    ),
    DemoDocument(
        "raadsbrief-kinderen-in-armoede-2025.docx",
        "Raadsbrief Kinderen in armoede: stand van zaken 2025",
        dt.date(2025, 6, 24),
        "college",
        "raadsbrief",
        "vastgesteld",
        (
            (
                "Kinderen in armoede: stand van zaken 2025",
                "Het coalitieakkoord wil het aantal kinderen dat opgroeit in armoede in 2026 met "
                "een derde verlagen. Dat doel halen wij waarschijnlijk niet.",
                "Het aandeel minimahuishoudens daalt langzaam. De automatische toekenning "
                "bereikt nu 7.900 kinderen, maar wij weten nog niet of zij vaker meedoen aan "
                "sport en cultuur.",
            ),
            (
                "Vroegsignalering van schulden",
                "In 2024 bereikten wij 1.850 huishoudens met vroegsignalering van schulden.",
                "Een streefwaarde hebben wij hiervoor niet vastgesteld.",
            ),
        ),
    ),
    DemoDocument(
        "voortgangsrapportage-kansengelijkheid-2025.docx",
        "Voortgangsrapportage kansengelijkheid 2025",
        dt.date(2026, 2, 10),
        "college",
        "voortgangsrapportage",
        "vastgesteld",
        (
            (
                "Voortgangsrapportage kansengelijkheid 2025",
                "De deelname aan voor- en vroegschoolse educatie bedroeg in 2025 86 procent van "
                "de peuters met een indicatie; de streefwaarde van 90 procent in 2026 is binnen "
                "bereik.",
                "Het aandeel leerlingen met een havo/vwo-advies in Zuidoost daalde in 2025 tot "
                "43,8 procent; het verschil met het stedelijk gemiddelde is niet kleiner "
                "geworden.",
            ),
            (
                "Armoede en wonen",
                "In 2025 kregen 7.900 kinderen automatisch het kindpakket.",
                "In 2025 verhuisden 110 gezinnen via de verhuisregeling.",
                "In 2025 namen 2.300 huishoudens deel aan vroegsignalering van schulden.",
            ),
        ),
    ),
)


def generate_demo_documents() -> tuple[DemoDocument, ...]:
    """The fictional documents of the demo (their bytes come from :meth:`DemoDocument.data`)."""
    return DOCUMENTS


def generate_demo_policy_documents() -> tuple[DemoDocument, ...]:
    """The fictional documents that only the demo policy set quotes (bestuursopdracht, council
    letters, progress reports, annual report); the policy set also quotes :data:`DOCUMENTS`."""
    return POLICY_DOCUMENTS


def demo_document(file_name: str) -> DemoDocument:
    """The demo document (of either set) with this file name; KeyError when there is none."""
    for item in (*DOCUMENTS, *POLICY_DOCUMENTS):
        if item.file_name == file_name:
            return item
    raise KeyError(file_name)


def _pdf(document: DemoDocument) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    # invariant=1: no timestamps or random ids, so the bytes (and SHA-256) never change.
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    pdf.setTitle(document.title)
    pdf.setAuthor("Gemeente Voorbeeldstad (fictief)")
    pdf.setSubject(DEMO_DOCUMENT_LABEL)
    _, height = A4
    for paragraphs in document.pages:
        pdf.setFont("Helvetica-Oblique", 8)
        pdf.drawString(56, height - 40, DEMO_DOCUMENT_LABEL)
        y = height - 80
        for index, paragraph in enumerate(paragraphs):
            pdf.setFont("Helvetica-Bold" if index == 0 else "Helvetica", 13 if index == 0 else 10)
            for line in _wrap(paragraph, _PDF_WIDTH):
                pdf.drawString(56, y, line)
                y -= 15
            y -= 10
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _wrap(text: str, width: int) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        if len(current) + len(word) + 1 > width and current:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        lines.append(current)
    return lines


def _docx(document: DemoDocument) -> bytes:
    """A minimal, valid WordprocessingML document with explicit page breaks."""
    body = []
    for number, paragraphs in enumerate(document.pages):
        if number:
            body.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')
        body.append(f"<w:p><w:r><w:t>{escape(DEMO_DOCUMENT_LABEL)}</w:t></w:r></w:p>")
        body.extend(
            f'<w:p><w:r><w:t xml:space="preserve">{escape(p)}</w:t></w:r></w:p>' for p in paragraphs
        )
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{''.join(body)}</w:body></w:document>"
    )
    core = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(document.title)}</dc:title>"
        "<dc:creator>Gemeente Voorbeeldstad (fictief)</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{document.date.isoformat()}T00:00:00Z'
        "</dcterms:created></cp:coreProperties>"
    )
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.wordprocessingml.document.main+xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-'
        'package.core-properties+xml"/></Types>'
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
        'relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>'
    )
    buffer = io.BytesIO()
    fixed = (2025, 1, 1, 0, 0, 0)  # fixed timestamps keep the bytes identical across runs
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in (
            ("[Content_Types].xml", content_types),
            ("_rels/.rels", rels),
            ("word/document.xml", xml),
            ("docProps/core.xml", core),
        ):
            archive.writestr(zipfile.ZipInfo(name, date_time=fixed), text)
    return buffer.getvalue()
