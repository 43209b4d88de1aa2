# SPDX-License-Identifier: EUPL-1.2
"""Loading the demo: fictional areas and indicators, two dossiers and one account per role."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction

from kansenaudit.demo.city import DEMO_MUNICIPALITY_NAME, generate_demo_city
from kansenaudit.web.accounts.services import user_create
from kansenaudit.web.areas.services import areas_load_division
from kansenaudit.web.demo import content, story
from kansenaudit.web.dossiers import services as dossier_services
from kansenaudit.web.dossiers.models import Dossier
from kansenaudit.web.indicators.services import indicator_values_replace, indicators_upsert

DEMO_DIVISION = "voorbeeldstad-demo"
DEMO_SOURCE = "Kansenaudit demogenerator (fictief)"
ACTOR = "demo-loader"


@dataclass(frozen=True)
class DemoLoadResult:
    dossier_id: int
    created: bool
    areas: int
    values: int
    usernames: tuple[str, ...]
    password: str


@story.dated  # the story's days, not the day of loading (web/demo/story.py)
@transaction.atomic
def demo_load(*, seed: int = 2019, with_policy: bool = True) -> DemoLoadResult:
    """Load the demo once; a second call changes nothing and returns the existing dossier.

    ``with_policy=False`` leaves out the policy workbench's register, uitvraag, judgements and
    council items (about half the loading time), for tests that only need the city and the
    documents.
    """
    existing = Dossier.objects.filter(is_demo=True, title=content.DOSSIER_TITLE).first()
    usernames = tuple(u for u, _n, _r in (*content.DEMO_USERS, content.CONFIDENTIAL_OWNER))
    if existing is not None:
        return DemoLoadResult(existing.pk, False, 0, 0, usernames, content.DEMO_PASSWORD)

    city = generate_demo_city(seed=seed)
    areas = areas_load_division(
        municipality_code=city.municipality_code,
        division=DEMO_DIVISION,
        records=city.areas,
        source=DEMO_SOURCE,
        crs=city.crs,
        is_demo=True,
        actor_label=ACTOR,
    )
    indicators = indicators_upsert(
        records=city.indicators, source=DEMO_SOURCE, is_demo=True, actor_label=ACTOR
    )
    count = indicator_values_replace(
        division=DEMO_DIVISION,
        records=city.values,
        indicators=indicators,
        source=DEMO_SOURCE,
        release=f"demo-{seed}",
        actor_label=ACTOR,
    )

    users = {}
    for username, full_name, _role in (*content.DEMO_USERS, content.CONFIDENTIAL_OWNER):
        users[username] = get_user_model().objects.filter(username=username).first() or user_create(
            username=username,
            password=content.DEMO_PASSWORD,
            full_name=full_name,
            organisation="Rekenkamer Voorbeeldstad (demo)",
            is_site_admin=_role is None,
            actor=None,
            check_password=False,
            # A published password in demo mode only: everyone may keep using it.
            must_change_password=False,
            via="demo",
        )
    users["projectleider"].user_permissions.add(
        Permission.objects.get(codename="add_dossier", content_type__app_label="dossiers")
    )

    dossier = dossier_services.dossier_create(
        title=content.DOSSIER_TITLE,
        municipality_code=city.municipality_code,
        municipality_name=DEMO_MUNICIPALITY_NAME,
        period_start=content.PERIOD[0],
        period_end=content.PERIOD[1],
        central_question=content.CENTRAL_QUESTION,
        is_demo=True,
        actor_label=ACTOR,
    )
    for username, _full, role in content.DEMO_USERS:
        if role:
            dossier_services.membership_set(
                dossier=dossier, user=users[username], role=role, actor=None, actor_label=ACTOR
            )
    for number, (question, approach) in enumerate(content.SUB_QUESTIONS, start=1):
        dossier_services.sub_question_set(
            dossier=dossier,
            number=number,
            question=question,
            approach=approach,
            actor=None,
            actor_label=ACTOR,
        )
    for title, due, done in content.MILESTONES:
        dossier_services.milestone_create(
            dossier=dossier, title=title, due_date=due, done=done, actor=None, actor_label=ACTOR
        )
    for iso_date, title, description in city.policy_timeline:
        dossier_services.policy_event_create(
            dossier=dossier,
            date=dt.date.fromisoformat(iso_date),
            title=title,
            description=description,
            actor=None,
            actor_label=ACTOR,
        )
    dossier_services.comment_add(dossier=dossier, author=users["reviewer"], text=content.COMMENT)

    other = dossier_services.dossier_create(
        title=content.CONFIDENTIAL_TITLE,
        municipality_code=city.municipality_code,
        municipality_name=DEMO_MUNICIPALITY_NAME,
        is_demo=True,
        actor_label=ACTOR,
        central_question="Hoe effectief is de jeugdhulp in Voorbeeldstad? (demo)",
    )
    dossier_services.membership_set(
        dossier=other,
        user=users[content.CONFIDENTIAL_OWNER[0]],
        role=content.CONFIDENTIAL_OWNER[2],
        actor=None,
        actor_label=ACTOR,
    )
    documents = _load_documents(dossier)
    # The policy workbench's fictional register, uitvraag, judgements and council items.
    from kansenaudit.web.demo.policy_set import load_policy_set

    if with_policy:
        load_policy_set(dossier=dossier, users=users, documents=documents)
        for load_pillar in _pillar_loaders():
            load_pillar(dossier=dossier, users=users, documents=documents)
    return DemoLoadResult(dossier.pk, True, len(areas), count, usernames, content.DEMO_PASSWORD)


# The later pillars' demo content, in the order they build on each other: the practice study
# (selection, transcripts, coding), the network maps (per selected measure), then the findings
# that rest on all of it, and the reports written from them. Each module has
# ``load(*, dossier, users, documents)``.
PILLAR_DEMO_MODULES = (
    "kansenaudit.web.demo.fieldwork_set",
    "kansenaudit.web.demo.coding_set",
    "kansenaudit.web.demo.network_set",
    "kansenaudit.web.demo.findings_set",
    "kansenaudit.web.demo.reports_set",
)


def _pillar_loaders() -> list:
    import importlib
    import importlib.util

    return [
        importlib.import_module(name).load
        for name in PILLAR_DEMO_MODULES
        if importlib.util.find_spec(name) is not None
    ]


def _load_documents(dossier: Dossier) -> dict:
    """Store the fictional policy documents, the default terms and a cited definition.

    Returns the stored documents by file name (the policy set cites them).
    """
    from kansenaudit.demo.documents import (
        generate_demo_documents,
        generate_demo_policy_documents,
    )
    from kansenaudit.ingest.extract import extract
    from kansenaudit.web.evidence import services as evidence

    stored = {}
    for item in (*generate_demo_documents(), *generate_demo_policy_documents()):
        data = item.data()
        # In-process extraction: these are our own generated files, not untrusted uploads.
        extracted = extract(data, item.file_name, ocr=False)
        stored[item.file_name], _ = evidence.document_store(
            dossier=dossier,
            extracted=extracted,
            data=data,
            actor=None,
            actor_label=ACTOR,
            overrides={
                "title": item.title,
                "date": item.date,
                "issuer": item.issuer,
                "doc_type": item.doc_type,
                "status": item.status,
            },
            provenance={"bron": "Voorbeeldstad (fictieve demodata)"},
            is_demo=True,
        )
    evidence.terms_ensure_defaults(dossier)
    nota = stored["beleidsnota-gelijke-kansen-voor-elk-kind.pdf"]
    page = nota.pages.get(number=1)
    sentence = "Onder kansengelijkheid verstaan wij"
    start = page.text.find(sentence)
    if start >= 0:
        end = page.text.find(".", start) + 1
        citation = evidence.citation_create(
            document=nota,
            page_number=1,
            start=start,
            end=end,
            actor=dossier.memberships.get(role="onderzoeker").user,  # "Wie": the researcher
            actor_label=ACTOR,
            note="Definitie van kansengelijkheid in de beleidsnota (demo).",
        )
        term = dossier.terms.get(term="kansengelijkheid")
        evidence.definition_add(term=term, citation=citation, actor=None, actor_label=ACTOR)
    return stored
