"""Builders for the council tests: documents through the evidence services, policy elements
directly with the policy models (the policy services are not needed for these tests)."""

from __future__ import annotations

import datetime as dt
import re

from kansenaudit.ingest.extract import extract
from kansenaudit.web.evidence import services as evidence
from kansenaudit.web.policy.models import Goal, Indicator, Measure


def document(dossier, title: str, date: dt.date | None, doc_type: str = "raadsbrief"):
    """A small text document in the evidence store (its text makes its hash unique)."""
    data = f"{title}\n\nTekst van het document {title} in dossier {dossier.pk}.\n".encode()
    name = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") + ".txt"
    stored, _ = evidence.document_store(
        dossier=dossier,
        extracted=extract(data, name, ocr=False),
        data=data,
        actor=None,
        overrides={"title": title, "date": date, "doc_type": doc_type},
    )
    stored.refresh_from_db()
    if date is None and stored.date is not None:
        # A date guessed from the text is not wanted when a test asks for none.
        stored.date = None
        stored.save(update_fields=["date"])
    return stored


def goal(dossier, title: str, order: int = 0, code: str = ""):
    return Goal.objects.create(
        dossier=dossier, title=title, code=code, order=order, level="coalitieakkoord"
    )


def measure(dossier, name: str):
    return Measure.objects.create(dossier=dossier, name=name)


def indicator(dossier, name: str):
    return Indicator.objects.create(dossier=dossier, name=name)
