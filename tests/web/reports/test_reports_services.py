"""The reports services: structure, chapters, versions, freezing, builds and the template."""

import io

import docx
import pytest

from kansenaudit.web.core.models import AuditEvent
from kansenaudit.web.evidence.models import Citation
from kansenaudit.web.reports import services
from kansenaudit.web.reports.models import ReportTemplate, ReportVersion


@pytest.fixture
def nota(team):
    return services.report_create(
        dossier=team["dossier"],
        kind="nota_van_bevindingen",
        title="Kansen voor iedereen?",
        actor=team["users"]["onderzoeker"],
    )


def _citation(dossier, *, quote="gelijke kansen voor ieder kind"):
    """A stored text document of the dossier and a citation of ``quote`` on its first page."""
    from kansenaudit.ingest.extract import extract
    from kansenaudit.web.evidence import services as evidence

    data = f"Wij willen {quote}.\n".encode()
    document, _ = evidence.document_store(
        dossier=dossier,
        extracted=extract(data, "kansenaanpak.txt", ocr=False),
        data=data,
        actor=None,
        overrides={"doc_type": "beleidsnota", "title": "Kansenaanpak 2023", "issuer": "college"},
    )
    return evidence.citation_create_from_quote(
        document=document, page_number=1, quote=quote, actor=None
    )


def test_a_new_nota_has_a_chapter_per_sub_question_and_the_annexes(team, nota):
    keys = list(nota.chapters.order_by("position").values_list("key", flat=True))
    assert keys[:2] == ["samenvatting", "inleiding"]
    assert keys[-3:] == ["normenkader", "onderzoeksverantwoording", "bronnen"]
    subs = team["dossier"].sub_questions.count()
    assert len([k for k in keys if k.startswith("deelvraag-")]) == subs
    assert AuditEvent.objects.filter(action="reports.report_created").count() == 1


def test_an_unchanged_save_changes_and_logs_nothing(team, nota):
    chapter = nota.chapters.get(key="inleiding")
    before = AuditEvent.objects.count()
    services.chapter_update(
        chapter=chapter, title=chapter.title, text=chapter.text.replace("\n", "\r\n"), actor=None
    )
    assert AuditEvent.objects.count() == before
    services.chapter_update(chapter=chapter, title=chapter.title, text="Nieuw.", actor=None)
    event = AuditEvent.objects.latest("id")
    assert event.action == "reports.chapter_updated"
    # The log keeps a fingerprint of the text, not the text: a draft may hold confidential work.
    assert "Nieuw." not in str(event.after)


def test_citations_resolve_to_footnotes_only_within_the_dossier_and_not_when_blind(team, nota):
    own = _citation(team["dossier"])
    other = _citation(team["other"])
    chapter = nota.chapters.get(key="inleiding")
    refs = f"Eigen.{{{{citation:{own.pk}}}}} Letterlijk {{{{quote:{own.pk}}}}}."
    refs += f" Vreemd.{{{{citation:{other.pk}}}}}"
    services.chapter_update(chapter=chapter, title="Inleiding", text=refs, actor=None)
    version = services.version_save(report=nota, purpose="draft", actor=None)
    built = services.version_build(version=version, formats=("html",), actor=None)
    html = built.files["html"].decode()
    assert "Kansenaanpak 2023 (college van B en W), p. 1." in html
    assert "‘gelijke kansen voor ieder kind’" in html
    # Another dossier's citation is as unknown as one that does not exist.
    assert [(p.reference, p.reason) for p in built.problems] == [
        (f"citation:{other.pk}", "missing")
    ]
    assert f"Vreemd.<strong>[citation:{other.pk}?]</strong>" in html


def test_a_version_is_a_hashed_snapshot_and_freezing_refuses_unresolved_references(team, nota):
    chapter = nota.chapters.get(key="inleiding")
    services.chapter_update(
        chapter=chapter, title="Inleiding", text="Zie {{citation:999999}}.", actor=None
    )
    draft = services.version_save(report=nota, purpose="draft", actor=None)
    assert (draft.problems[0]["reason"], draft.problems[0]["chapter"]) == ("missing", "inleiding")
    with pytest.raises(
        services.ReportError, match=r"kan niet worden bevroren.*hoofdstuk inleiding, regel 1"
    ):
        services.version_save(report=nota, purpose="wederhoor", actor=None)
    assert ReportVersion.objects.count() == 1
    services.chapter_update(
        chapter=chapter, title="Inleiding", text="Zonder verwijzing.", actor=None
    )
    frozen = services.version_save(report=nota, purpose="publication", actor=None)
    assert (frozen.number, frozen.is_frozen, len(frozen.sha256)) == (2, True, 64)
    # The snapshot stays what it was when the chapters change afterwards.
    services.chapter_update(
        chapter=chapter, title="Inleiding", text="Later herschreven.", actor=None
    )
    frozen.refresh_from_db()
    assert frozen.chapters[1]["text"] == "Zonder verwijzing."


def test_a_frozen_version_is_not_built_once_its_evidence_changed(team, nota):
    own = _citation(team["dossier"])
    chapter = nota.chapters.get(key="inleiding")
    services.chapter_update(
        chapter=chapter, title="Inleiding", text=f"Bron.{{{{citation:{own.pk}}}}}", actor=None
    )
    frozen = services.version_save(report=nota, purpose="wederhoor", actor=None)
    Citation.objects.filter(pk=own.pk).update(state=Citation.State.CHANGED)
    with pytest.raises(services.ReportError, match="is veranderd"):
        services.version_build(version=frozen, formats=("html",), actor=None)


def test_every_build_is_logged_as_an_export(team, nota):
    version = services.version_save(report=nota, purpose="draft", actor=None)
    built = services.version_build(version=version, formats=("docx", "html"), actor=None)
    assert set(built.files) == {"docx", "html"}
    event = AuditEvent.objects.latest("id")
    assert event.action == "reports.version_built"
    assert event.after["formats"] == ["docx", "html"]
    with pytest.raises(services.ReportError, match="Kies formaten"):
        services.version_build(version=version, formats=("exe",), actor=None)


def _template_with_red_headings() -> bytes:
    from docx.shared import RGBColor

    document = docx.Document()
    document.styles["Heading 1"].font.color.rgb = RGBColor(0xC8, 0x10, 0x2E)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_the_house_template_is_checked_stored_and_used(team, nota):
    services.template_set(
        dossier=team["dossier"],
        data=_template_with_red_headings(),
        file_name="huisstijl.docx",
        actor=None,
    )
    version = services.version_save(report=nota, purpose="draft", actor=None)
    built = services.version_build(version=version, formats=("docx",), actor=None)
    styles = docx.Document(io.BytesIO(built.files["docx"])).styles
    assert str(styles["Heading 1"].font.color.rgb) == "C8102E"


def test_a_hostile_template_is_refused_and_nothing_is_stored(team):
    with pytest.raises(
        services.ReportError, match=r"macro\.docm is niet te gebruiken: het is geen Word-document"
    ):
        services.template_set(
            dossier=team["dossier"], data=b"MZ\x90\x00", file_name="macro.docm", actor=None
        )
    assert not ReportTemplate.objects.exists()
