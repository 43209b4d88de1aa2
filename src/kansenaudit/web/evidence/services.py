# SPDX-License-Identifier: EUPL-1.2
"""Changing the evidence store. Each function validates, writes in one transaction and logs.

A document is stored whole or not at all: its file, its row and all its pages and their search
index entries are written in one transaction (the file first, content-addressed, so a failed
transaction leaves at most an unreferenced copy that the next import reuses). A file already
in the dossier (same SHA-256) is recognised and not stored twice, which also makes a bulk import
resumable: a second run skips what is stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kansenaudit.config import data_dir
from kansenaudit.ingest.canonical import text_sha256
from kansenaudit.ingest.extract import Limits, extract_isolated
from kansenaudit.ingest.model import ExtractedDocument, IngestError
from kansenaudit.web.core.errors import ServiceError
from kansenaudit.web.core.services import audit_record, snapshot
from kansenaudit.web.core.tasks import enqueue_each_on_commit, enqueue_on_commit
from kansenaudit.web.evidence import processes, search
from kansenaudit.web.evidence.ingest_messages import ingest_message, unexpected_message
from kansenaudit.web.evidence.models import (
    Citation,
    Document,
    ImportJob,
    Page,
    Term,
    TermDefinition,
)

DEFAULT_TERMS = (
    "kansengelijkheid",
    "kansenongelijkheid",
    "gelijke kansen",
    "ongelijk investeren",
    "achterstand",
)
DOCUMENT_FIELDS = [
    "title",
    "date",
    "issuer",
    "issuer_name",
    "doc_type",
    "status",
    "status_date",
    "decision_reference",
    "confidentiality",
    "language",
]
_DOC_TYPES = {choice.value for choice in Document.DocType}
_ISSUERS = {choice.value for choice in Document.Issuer}
# The extractor's and council systems' words for issuers and types, to our choices; an
# auditor corrects the rest in the viewer ("onbekend"/"anders" say a guess was not possible).
_ISSUER_ALIASES = {
    "commissie": "raad",
    "gemeenteraad": "raad",
    "b&w": "college",
    "college van b&w": "college",
    "burgemeester": "college",
    "ministerie": "rijk",
    "tweede kamer": "rijk",
    "rekenkamer": "anders",
    "gemeente": "onbekend",
}
_DOC_TYPE_ALIASES = {
    "brief": "raadsbrief",
    "raadsinformatiebrief": "raadsbrief",
    "uitvraag": "uitvraag-antwoord",
    "amendement": "motie",
}


logger = logging.getLogger(__name__)


class EvidenceError(ServiceError):
    """A user mistake or an unusable file; the message is meant for the user (Dutch)."""


def held_refusal() -> str:
    """Why a citation held for a blind assessment cannot be shared (translated when asked)."""
    return gettext(
        "This citation belongs to an assessment that is still blind. Attach it to that "
        "assessment, or cite the passage again for the register."
    )


@dataclass
class IngestOutcome:
    document: Document | None
    created: bool
    file_name: str
    message: str = ""
    warnings: list[str] = field(default_factory=list)


def storage_dir(dossier_id: int) -> Path:
    """Where a dossier's original files are kept (content-addressed by SHA-256)."""
    return data_dir() / "evidence" / str(dossier_id)


def _store_file(dossier_id: int, sha256: str, suffix: str, data: bytes) -> Path:
    folder = storage_dir(dossier_id)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{sha256}{suffix}"
    if not path.exists():
        partial = path.with_name(path.name + ".part")
        partial.write_bytes(data)
        os.replace(partial, path)
    return path


_SUFFIX = {
    "pdf": ".pdf",
    "docx": ".docx",
    "odt": ".odt",
    "html": ".html",
    "text": ".txt",
    "markdown": ".md",
}


def _store_pages(document: Document, extracted: ExtractedDocument) -> None:
    """Insert a document's pages and index them (inside the caller's transaction)."""
    pages = Page.objects.bulk_create(
        [
            Page(
                document=document,
                number=page.number,
                text=page.text,
                text_sha256=text_sha256(page.text),
                method=page.method,
            )
            for page in extracted.pages
        ]
    )
    search.index_pages(pages)


def document_store(
    *,
    dossier: object,
    extracted: ExtractedDocument,
    data: bytes,
    actor: object | None,
    overrides: dict | None = None,
    provenance: dict | None = None,
    is_demo: bool = False,
    actor_label: str | None = None,
) -> tuple[Document, bool]:
    """Store an extracted document with its pages; return (document, created)."""
    existing = Document.objects.filter(dossier=dossier, sha256=extracted.sha256).first()
    if existing is not None:
        return existing, False
    meta = extracted.metadata
    values: dict = {
        "title": (meta.title or extracted.file_name)[:500],
        "date": meta.date,
        "issuer": meta.issuer_hint or Document.Issuer.ONBEKEND,
        "doc_type": meta.doc_type_hint or Document.DocType.ANDERS,
        "language": meta.language or "nld",
    }
    values.update({k: v for k, v in (overrides or {}).items() if v not in (None, "")})
    # Hints from sources (council systems, heuristics) use more words than our choices.
    raw_issuer = str(values["issuer"] or "")
    if raw_issuer and raw_issuer not in _ISSUERS and not values.get("issuer_name"):
        values["issuer_name"] = raw_issuer[:200]
    values["issuer"] = _ISSUER_ALIASES.get(raw_issuer.lower(), raw_issuer)
    if values["issuer"] not in _ISSUERS:
        values["issuer"] = Document.Issuer.ANDERS
    values["doc_type"] = _DOC_TYPE_ALIASES.get(values["doc_type"], values["doc_type"])
    if values["doc_type"] not in _DOC_TYPES:
        values["doc_type"] = Document.DocType.ANDERS
    path = _store_file(dossier.pk, extracted.sha256, _SUFFIX.get(extracted.format, ".bin"), data)
    with transaction.atomic():
        document = Document(
            dossier=dossier,
            file_name=extracted.file_name,
            file_format=extracted.format,
            size=extracted.size,
            sha256=extracted.sha256,
            page_count=len(extracted.pages),
            ocr_pages=extracted.ocr_pages,
            stored_path=str(path),
            provenance=provenance or {},
            warnings=list(extracted.warnings),
            is_demo=is_demo,
            created_by=actor if getattr(actor, "pk", None) else None,
            **values,
        )
        try:
            document.full_clean()
        except ValidationError as exc:
            raise EvidenceError(f"{extracted.file_name}: {'; '.join(exc.messages)}") from exc
        document.save()
        _store_pages(document, extracted)
        audit_record(
            actor=actor,
            actor_label=actor_label,
            action="evidence.document_add",
            dossier=dossier,
            target=document,
            summary=f"Document toegevoegd: {document.title} ({document.page_count} p.)",
            after=snapshot(document, [*DOCUMENT_FIELDS, "sha256", "file_name", "page_count"]),
        )
    return document, True


def document_ingest(
    *,
    dossier: object,
    data: bytes,
    file_name: str,
    actor: object | None,
    overrides: dict | None = None,
    provenance: dict | None = None,
    limits: Limits | None = None,
    is_demo: bool = False,
) -> IngestOutcome:
    """Extract (in an isolated child process with limits) and store one file."""
    sha = hashlib.sha256(data).hexdigest()
    existing = Document.objects.filter(dossier=dossier, sha256=sha).first()
    if existing is not None:
        return IngestOutcome(existing, False, file_name, "al opgeslagen (zelfde SHA-256)")
    try:
        extracted = extract_isolated(
            data, file_name, limits=limits or Limits(), ocr_s_per_page=OCR_SECONDS_PER_PAGE
        )
    except IngestError as exc:
        return IngestOutcome(None, False, file_name, ingest_message(exc))
    document, created = document_store(
        dossier=dossier,
        extracted=extracted,
        data=data,
        actor=actor,
        overrides=overrides,
        provenance=provenance,
        is_demo=is_demo,
    )
    return IngestOutcome(document, created, file_name, "", list(extracted.warnings))


def document_reingest(*, document: Document, data: bytes, actor: object | None) -> dict:
    """Replace a document's pages with a new extraction and re-check its citations.

    Used when extraction improves (a new version of Kansenaudit, OCR installed later) or a
    corrected file is supplied. Citations stay valid where their quote is unchanged, follow
    their quote when it moved on the page, and are flagged when the text changed.
    """
    try:
        extracted = extract_isolated(data, document.file_name, ocr_s_per_page=OCR_SECONDS_PER_PAGE)
    except IngestError as exc:
        raise EvidenceError(ingest_message(exc)) from exc
    other = (
        Document.objects.filter(dossier_id=document.dossier_id, sha256=extracted.sha256)
        .exclude(pk=document.pk)
        .first()
    )
    if other is not None:
        raise EvidenceError(_("this file is already stored as '%(title)s'"), {"title": other.title})
    with transaction.atomic():
        search.unindex_document(document.pk)
        document.pages.all().delete()
        _store_pages(document, extracted)
        before = snapshot(document, ["sha256", "page_count"])
        document.sha256 = extracted.sha256
        document.page_count = len(extracted.pages)
        document.ocr_pages = extracted.ocr_pages
        document.size = extracted.size
        document.file_format = extracted.format
        document.warnings = list(extracted.warnings)
        document.stored_path = str(
            _store_file(
                document.dossier_id,
                extracted.sha256,
                _SUFFIX.get(extracted.format, ".bin"),
                data,
            )
        )
        document.save()
        counts = citations_recheck(document)
        audit_record(
            actor=actor,
            action="evidence.document_reingest",
            dossier=document.dossier,
            target=document,
            summary=f"Document opnieuw ingelezen: {document.title}; citaties {counts}",
            before=before,
            after=snapshot(document, ["sha256", "page_count"]),
        )
    return counts


def document_reingest_stored(*, document: Document, actor: object | None) -> dict:
    """Read a document again from the file the store kept (after installing Tesseract, say)."""
    path = Path(document.stored_path) if document.stored_path else None
    if path is None or not path.is_file():
        if path is None:
            raise EvidenceError(
                _("the stored file of '%(title)s' was not found; pass the file to read it again"),
                {"title": document.title},
            )
        raise EvidenceError(
            _(
                "the stored file of '%(title)s' was not found (%(path)s); pass the file to read "
                "it again"
            ),
            {"title": document.title, "path": path},
        )
    return document_reingest(document=document, data=path.read_bytes(), actor=actor)


def document_update(*, document: Document, actor: object | None, **changes: object) -> Document:
    """Change a document's metadata (type, issuer, status …), logged with before and after."""
    unknown = set(changes) - set(DOCUMENT_FIELDS)
    if unknown:
        raise EvidenceError(_("unknown fields: %(fields)s"), {"fields": ", ".join(sorted(unknown))})
    before = snapshot(document, DOCUMENT_FIELDS)
    for name, value in changes.items():
        setattr(document, name, value)
    try:
        document.full_clean()
    except ValidationError as exc:
        raise EvidenceError("; ".join(exc.messages)) from exc
    with transaction.atomic():
        document.save()
        audit_record(
            actor=actor,
            action="evidence.document_update",
            dossier=document.dossier,
            target=document,
            summary=f"Document gewijzigd: {document.title}",
            before=before,
            after=snapshot(document, DOCUMENT_FIELDS),
        )
    return document


def quote_locate(text: str, quote: str) -> tuple[int, int]:
    """Where ``quote`` occurs on the page: exactly, or else with any run of whitespace matching
    any other (a passage copied from the browser or a terminal may have other line breaks).

    Raises :class:`EvidenceError` when it does not occur, or occurs more than once.
    """
    quote = quote.strip()
    count = text.count(quote) if quote else 0
    if count == 1:
        start = text.index(quote)
        return start, start + len(quote)
    if count == 0 and quote:
        words = quote.split()
        pattern = re.compile(r"\s+".join(re.escape(w) for w in words))
        matches = list(pattern.finditer(text))
        if len(matches) == 1:
            return matches[0].start(), matches[0].end()
        count = len(matches)
    if count == 0:
        raise EvidenceError(
            gettext("The passage does not occur on this page. Copy it exactly from the page text.")
        )
    raise EvidenceError(
        gettext(
            "The passage occurs %(count)s times on this page. Copy a longer passage, so that it "
            "occurs only once."
        )
        % {"count": count}
    )


def citation_create_from_quote(
    *,
    document: Document,
    page_number: int,
    quote: str,
    actor: object | None,
    note: str = "",
    held_for: object | None = None,
) -> Citation:
    """Cite a passage given by its text (see :func:`quote_locate`) on one page."""
    page = document.pages.filter(number=page_number).first()
    if page is None:
        raise EvidenceError(
            gettext("Page %(number)s does not exist in this document.") % {"number": page_number}
        )
    start, end = quote_locate(page.text, quote)
    return citation_create(
        document=document,
        page_number=page_number,
        start=start,
        end=end,
        actor=actor,
        note=note,
        held_for=held_for,
    )


def _check_held_for(judgement: object, document: Document, actor: object | None) -> None:
    """A citation may be held for a judgement of the same dossier that is still blind, by a
    member who assessed it or may still assess it (docs/judgements.md, blindness)."""
    from kansenaudit.web.judgements.selectors import may_cite_for

    if judgement.dossier_id != document.dossier_id:
        raise EvidenceError(gettext("This judgement belongs to another dossier."))
    if not may_cite_for(judgement, actor):
        raise EvidenceError(
            gettext(
                "You cannot cite for an assessment of this judgement: it is no longer blind or "
                "you do not assess it. Cite the passage without choosing a judgement."
            )
        )


def citation_create(
    *,
    document: Document,
    page_number: int,
    start: int,
    end: int,
    actor: object | None,
    note: str = "",
    actor_label: str | None = None,
    held_for: object | None = None,
) -> Citation:
    """Cite characters ``start``–``end`` (code points) of a page's canonical text.

    ``held_for``: a judgement the actor assesses; the citation is then theirs alone until the
    judgement is no longer blind, and the audit log records that a citation was made for it
    but not where or what (as for the assessment itself)."""
    page = document.pages.filter(number=page_number).first()
    if page is None:
        raise EvidenceError(
            _("page %(number)s does not exist in this document"), {"number": page_number}
        )
    if not (0 <= start < end <= len(page.text)):
        raise EvidenceError(
            _("invalid passage %(start)s–%(end)s: the page has %(length)s characters"),
            {"start": start, "end": end, "length": len(page.text)},
        )
    quote = page.text[start:end]
    if not quote.strip():
        raise EvidenceError(_("a citation must contain text"))
    citation = Citation(
        dossier=document.dossier,
        document=document,
        page_number=page_number,
        start=start,
        end=end,
        quote=quote,
        quote_sha256=text_sha256(quote),
        note=note,
        checked_at=timezone.now(),
        created_by=actor if getattr(actor, "pk", None) else None,
        held_for=held_for,
    )
    with transaction.atomic():
        if held_for is not None:
            _check_held_for(held_for, document, actor)
        citation.save()
        if held_for is not None:
            # Like a blind assessment (judgements.services): the log names the judgement, not
            # the citation, its document, page, quote or note, which the other assessor reads.
            audit_record(
                actor=actor,
                actor_label=actor_label,
                action="evidence.citation_add",
                dossier=document.dossier,
                target=held_for,
                summary=f"Citaat voor een blinde beoordeling: {held_for}"[:500],
                after={"held_for": held_for.pk, "hidden_until_all_in": True},
            )
        else:
            audit_record(
                actor=actor,
                actor_label=actor_label,
                action="evidence.citation_add",
                dossier=document.dossier,
                target=citation,
                summary=f"Citaat: {document.title} p. {page_number}",
                after=snapshot(citation, ["page_number", "start", "end", "quote", "note"]),
            )
    return citation


def citations_released(judgement: object, actor: object | None) -> list[int]:
    """Log the citations held for ``judgement`` in full once it is no longer blind (called by
    the judgements services in the transaction of the last assessment): from then on they are
    ordinary citations of the dossier, and the audit log says what they are."""
    held = list(
        Citation.objects.filter(held_for=judgement).select_related("document", "created_by")
    )
    if held:
        audit_record(
            actor=actor,
            action="evidence.citations_released",
            dossier=judgement.dossier,
            target=judgement,
            summary=f"Citaten voor de beoordelingen vrijgegeven: {judgement}"[:500],
            after={
                "citations": [
                    {
                        "citation": c.pk,
                        "document": c.document.title,
                        **snapshot(c, ["page_number", "start", "end", "quote", "note"]),
                        "by": c.created_by.get_username() if c.created_by else "",
                    }
                    for c in held
                ]
            },
        )
    return [c.pk for c in held]


def citations_recheck(document: Document) -> dict[str, int]:
    """Check every citation of ``document`` against its page's current text.

    Valid: the same quote at the same place. Moved: the quote occurs exactly once elsewhere
    on the page (offsets are updated). Changed: otherwise (flagged; the stored quote is kept).
    """
    texts = dict(document.pages.values_list("number", "text"))
    counts = {"geldig": 0, "verschoven": 0, "gewijzigd": 0}
    now = timezone.now()
    for citation in document.citations.all():
        text = texts.get(citation.page_number, "")
        if text[citation.start : citation.end] == citation.quote:
            citation.state = Citation.State.VALID
        elif text.count(citation.quote) == 1:
            citation.start = text.index(citation.quote)
            citation.end = citation.start + len(citation.quote)
            citation.state = Citation.State.MOVED
        else:
            citation.state = Citation.State.CHANGED
        citation.checked_at = now
        citation.save(update_fields=["start", "end", "state", "checked_at"])
        counts[citation.state] += 1
    return counts


def terms_ensure_defaults(dossier: object) -> None:
    """Give a dossier the default terms of the research design if it has none yet."""
    if not Term.objects.filter(dossier=dossier).exists():
        Term.objects.bulk_create([Term(dossier=dossier, term=t) for t in DEFAULT_TERMS])


def term_add(*, dossier: object, term: str, actor: object | None) -> Term:
    text = " ".join(term.split()).lower()
    if not text or len(text) > 100:
        raise EvidenceError(_("a term has 1 to 100 characters"))
    with transaction.atomic():
        item, created = Term.objects.get_or_create(dossier=dossier, term=text)
        if created:
            audit_record(
                actor=actor,
                action="evidence.term_add",
                dossier=dossier,
                target=item,
                summary=f"Term gevolgd: {text}",
                after={"term": text},
            )
    return item


def term_remove(*, term: Term, actor: object | None) -> None:
    if term.definitions.exists():
        raise EvidenceError(_("this term has definitions; remove those first"))
    with transaction.atomic():
        pk = term.pk
        term.delete()
        # Logged last: the chain lock is held from here to the commit (core.services).
        audit_record(
            actor=actor,
            action="evidence.term_remove",
            dossier=term.dossier,
            target=term,
            target_pk=pk,
            summary=f"Term niet meer gevolgd: {term.term}",
            before={"term": term.term},
        )


def definition_add(
    *,
    term: Term,
    citation: Citation,
    actor: object | None,
    note: str = "",
    actor_label: str | None = None,
) -> TermDefinition:
    """Mark a cited passage as a definition of ``term`` (the definitions register)."""
    if citation.dossier_id != term.dossier_id:
        raise EvidenceError(_("the citation and the term belong to different dossiers"))
    from kansenaudit.web.evidence.selectors import citation_is_held

    if citation_is_held(citation):
        raise EvidenceError(held_refusal())
    with transaction.atomic():
        item = TermDefinition.objects.create(
            term=term,
            citation=citation,
            note=note,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        audit_record(
            actor=actor,
            actor_label=actor_label,
            action="evidence.definition_add",
            dossier=term.dossier,
            target=item,
            summary=f"Definitie van '{term.term}': {citation}",
            after={"term": term.term, "citation": citation.pk, "note": note},
        )
    return item


# --- page images ---------------------------------------------------------------------------


def page_image_png(document: Document, number: int) -> bytes:
    """The PNG of page ``number`` of a stored PDF, drawn in the isolated child and cached.

    Never drawn in this process (a hostile page can take PDFium many seconds); see
    :mod:`kansenaudit.ingest.render`. Raises ``IngestError`` (``"timeout"`` when drawing took
    too long) and ``FileNotFoundError`` when the stored file is missing.
    """
    from kansenaudit.ingest import render

    return render.page_png(
        Path(document.stored_path),
        document.sha256,
        number,
        cache_dir=data_dir() / "evidence" / "page-images",
        file_name=document.file_name,
    )


# --- uploads processed outside the request -------------------------------------------------

MAX_UPLOAD_BYTES = 100 * 1024 * 1024


def _job_stage(
    *, dossier: object, file_name: str, data: bytes, actor: object | None, **fields: object
) -> ImportJob:
    from kansenaudit.ingest.sniff import safe_file_name

    if not data:
        raise EvidenceError(_("%(file)s: the file is empty"), {"file": safe_file_name(file_name)})
    if len(data) > MAX_UPLOAD_BYTES:
        raise EvidenceError(
            _("%(file)s: larger than %(limit)s MB"),
            {"file": safe_file_name(file_name), "limit": MAX_UPLOAD_BYTES // 2**20},
        )
    staging = data_dir() / "evidence" / "staging"
    staging.mkdir(parents=True, exist_ok=True)
    # One staged file per upload (not per content): two uploads of the same file are two jobs.
    path = staging / f"{dossier.pk}-{secrets.token_hex(12)}"
    path.write_bytes(data)
    return ImportJob.objects.create(
        dossier=dossier,
        file_name=safe_file_name(file_name),
        staged_path=str(path),
        size=len(data),
        created_by=actor if getattr(actor, "pk", None) else None,
        **fields,
    )


def _job_enqueue(job: ImportJob) -> ImportJob:
    from kansenaudit.web.evidence.tasks import run_import_job

    enqueue_on_commit(run_import_job, job.pk)
    return job


def job_queue(*, dossier: object, file_name: str, data: bytes, actor: object | None) -> ImportJob:
    """Stage an uploaded file and queue it for a worker; extraction happens in :func:`job_run`."""
    return _job_enqueue(_job_stage(dossier=dossier, file_name=file_name, data=data, actor=actor))


def job_queue_reread(
    *, document: Document, actor: object | None, data: bytes | None = None, file_name: str = ""
) -> ImportJob:
    """Queue a re-read of a document: from the file the store kept, or from a corrected file.

    Reading happens in :func:`job_run`, outside the web request, like an upload.
    """
    if data is None:
        path = Path(document.stored_path) if document.stored_path else None
        if path is None or not path.is_file():
            raise EvidenceError(
                _("the stored file of '%(title)s' was not found; choose the file to read it again"),
                {"title": document.title},
            )
        data = path.read_bytes()
    job = _job_stage(
        dossier=document.dossier,
        file_name=file_name or document.file_name,
        data=data,
        actor=actor,
        reread=document,
    )
    return _job_enqueue(job)


def _job_reread(job: ImportJob, data: bytes) -> None:
    try:
        counts = document_reingest(document=job.reread, data=data, actor=job.created_by)
    except EvidenceError as exc:
        job.state, job.message = ImportJob.State.FAILED, str(exc)
        return
    job.state, job.document = ImportJob.State.DONE, job.reread
    job.message = "opnieuw ingelezen; citaten: " + ", ".join(
        f"{state} {n}" for state, n in sorted(counts.items())
    )


def job_run(job: ImportJob) -> ImportJob:
    """Extract and store one queued upload; the job records the outcome.

    The job is claimed atomically (queued to running, with this process's identity), so a
    second task for the same job, or a second worker, leaves it alone.
    """
    claimed = ImportJob.objects.filter(pk=job.pk, state=ImportJob.State.QUEUED).update(
        state=ImportJob.State.RUNNING,
        started_at=timezone.now(),
        attempts=F("attempts") + 1,
        worker=processes.identity(),
    )
    if not claimed:
        return ImportJob.objects.get(pk=job.pk)
    job.refresh_from_db()
    try:
        data = Path(job.staged_path).read_bytes()
        if job.reread_id is not None:
            _job_reread(job, data)
            return _job_finish(job)
        outcome = document_ingest(
            dossier=job.dossier, data=data, file_name=job.file_name, actor=job.created_by
        )
        if outcome.document is None:
            job.state, job.message = ImportJob.State.FAILED, outcome.message
        elif outcome.created:
            job.state, job.document = ImportJob.State.DONE, outcome.document
            job.message = "; ".join(outcome.warnings)[:2000]
        else:
            job.state, job.document = ImportJob.State.DUPLICATE, outcome.document
            job.message = outcome.message
    except Exception:  # a job never dies silently: its state says what happened
        logger.exception("import job %s failed unexpectedly", job.pk)
        job.state, job.message = ImportJob.State.FAILED, unexpected_message(job.file_name)
    return _job_finish(job)


def _job_finish(job: ImportJob) -> ImportJob:
    job.finished_at = timezone.now()
    job.save(update_fields=["state", "message", "document", "finished_at"])
    Path(job.staged_path).unlink(missing_ok=True)
    return job


STALE_JOB_MINUTES = 30
MAX_JOB_ATTEMPTS = 2
# Extra time a scanned page may take (Tesseract needs about 2 s); the whole extraction stays
# under 25 minutes (extract_isolated's max_timeout_s), below STALE_JOB_MINUTES, so a long scan
# is never taken for a job the server dropped.
OCR_SECONDS_PER_PAGE = 4.0


def jobs_recover() -> int:
    """Take up again the jobs cut off by a process that is gone; return how many.

    Called when a worker starts (:func:`jobs_resume`). A job is cut off when the process that
    claimed it has ended (killed, crashed, the worker stopped: :func:`processes.is_gone`), or,
    for a process this host cannot check, when it has run longer than any extraction may (the
    child process has a time limit). It is queued again once; cut off a second time, it fails
    with a message, so a file that brings the worker down cannot hang or loop for ever.
    """
    now = timezone.now()
    stale = now - dt.timedelta(minutes=STALE_JOB_MINUTES)
    running = ImportJob.objects.filter(state=ImportJob.State.RUNNING, finished_at__isnull=True)
    dead = [pk for pk, worker in running.values_list("pk", "worker") if processes.is_gone(worker)]
    cut_off = running.filter(
        Q(pk__in=dead) | Q(started_at__lt=stale) | Q(started_at__isnull=True, created_at__lt=stale)
    )
    given_up = cut_off.filter(attempts__gte=MAX_JOB_ATTEMPTS)
    for staged in given_up.values_list("staged_path", flat=True):
        Path(staged).unlink(missing_ok=True)  # as for every finished job
    # Stored once and shown later to whoever looks: in the site's language, whatever this
    # process (a worker thread, the CLI) has active.
    with translation.override(settings.LANGUAGE_CODE):
        message = gettext(
            "reading the file was interrupted twice (the server stopped); upload the file again "
            "or split it up"
        )
    failed = given_up.update(state=ImportJob.State.FAILED, message=message, finished_at=now)
    return failed + cut_off.update(state=ImportJob.State.QUEUED, worker="")


def jobs_resume() -> list[int]:
    """At a worker's start: take up the jobs cut off by a process that is gone
    (:func:`jobs_recover`) and enqueue a task for every queued upload, oldest first; return
    their ids.

    A queued job may have no task: its worker died while running it (the task backend does not
    run a task twice), or the process stopped between the commit and the enqueue. A job that
    still has a task gets a second one, which ends at once (:func:`job_run` claims the job).
    """
    from kansenaudit.web.evidence.council_documents import council_pulls_recover
    from kansenaudit.web.evidence.tasks import run_import_job

    jobs_recover()
    council_pulls_recover()
    return enqueue_each_on_commit(
        run_import_job, ImportJob.objects.filter(state=ImportJob.State.QUEUED)
    )
