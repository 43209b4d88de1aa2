# SPDX-License-Identifier: EUPL-1.2
"""What a person reads when a file cannot be read: what happened and what to do.

The ingestion layer's errors (:class:`kansenaudit.ingest.model.IngestError`) carry a code and
a technical detail (PDFium's message, a ZIP library's complaint). The detail goes to the log;
the page shows one sentence per code, in the interface's language, that says what to do.
"""

from __future__ import annotations

import logging

from django.utils.translation import gettext as _

from kansenaudit.ingest.model import IngestError

logger = logging.getLogger(__name__)


def _messages() -> dict[str, str]:
    return {
        "empty": _("The file '%(name)s' is empty. Check that you chose the right file."),
        "corrupt": _(
            "The file '%(name)s' is damaged or incomplete and cannot be read. Open it on your "
            "own computer to check it, save or export it again (a PDF: print it to a new PDF) "
            "and upload it again."
        ),
        "unsupported": _(
            "The file '%(name)s' has a format that cannot be read here. Save it as PDF, Word "
            "(DOCX), OpenDocument text (ODT), HTML, plain text or Markdown and upload it again."
        ),
        "encrypted": _(
            "The file '%(name)s' is protected with a password. Ask the sender for a copy "
            "without a password, or remove the protection, and upload it again."
        ),
        "timeout": _(
            "Reading the file '%(name)s' took too long and was stopped. Split it into smaller "
            "files and upload those, or ask the administrator to raise the time limit."
        ),
        "too-large": _(
            "The file '%(name)s' is too large to read. Split it into smaller files, or make it "
            "smaller (compress its images, say), and upload it again."
        ),
        "too-many-pages": _(
            "The file '%(name)s' has more pages than can be read at once. Split it into parts "
            "and upload them one by one."
        ),
        "zip-bomb": _(
            "The file '%(name)s' unpacks to far more data than its size suggests and was "
            "refused for safety. Save it again from the program that made it and upload it again."
        ),
        "xml-entities": _(
            "The file '%(name)s' contains XML constructions (a DTD or entities) that are refused "
            "for safety. Save it again from the program that made it and upload it again."
        ),
        "ocr-unavailable": _(
            "The file '%(name)s' has pages without text (scans), and text recognition (OCR) is "
            "not installed. Ask the administrator to install tesseract-ocr and "
            "tesseract-ocr-nld, then read the document again."
        ),
    }


def ingest_message(exc: IngestError) -> str:
    """The sentence for the person; the technical detail is logged here."""
    if exc.detail:
        logger.warning("ingest refused %r (%s): %s", exc.file_name, exc.code, exc.detail)
    template = _messages().get(exc.code)
    if template is None:
        return unexpected_message(exc.file_name)
    return template % {"name": exc.file_name or _("without a name")}


def unexpected_message(file_name: str) -> str:
    """For an error nobody foresaw (logged with its traceback by the caller)."""
    return _(
        "Something went wrong while reading the file '%(name)s'. Try again; if it fails again, "
        "tell the administrator (the details are in the application's log)."
    ) % {"name": file_name}


def council_message(exc: BaseException, municipality: str = "") -> str:
    """Why a search of OpenBesluitvorming failed, and what to do (the detail is logged)."""
    from kansenaudit.sources.council_documents import CouncilError
    from kansenaudit.sources.council_documents.records import CouncilSourceNotFound
    from kansenaudit.sources.http import HttpError

    logger.warning("council search failed: %s", exc)
    cause = exc.__cause__
    if isinstance(exc, CouncilSourceNotFound):
        names = ", ".join(exc.suggestions[:5])
        if names:
            return _(
                "OpenBesluitvorming knows no municipality called '%(name)s'. Did you mean: "
                "%(names)s?"
            ) % {"name": municipality, "names": names}
        return _(
            "OpenBesluitvorming knows no municipality called '%(name)s'. Check the spelling."
        ) % {"name": municipality}
    unreachable = isinstance(cause, HttpError) and cause.kind == "unreachable"
    if unreachable or (isinstance(exc, OSError) and not isinstance(exc, CouncilError)):
        return _(
            "OpenBesluitvorming could not be reached: the server has no internet connection, "
            "or the service is down. Try again later; if it keeps failing, ask the "
            "administrator whether the server may reach the internet."
        )
    status = getattr(exc, "status", None)
    if status in {429, 502, 503, 504}:
        return _(
            "OpenBesluitvorming is busy or temporarily unavailable. Try again in a few minutes."
        )
    return _(
        "OpenBesluitvorming gave an answer that could not be used. Try again later; if it "
        "keeps failing, tell the administrator (the details are in the application's log)."
    )
