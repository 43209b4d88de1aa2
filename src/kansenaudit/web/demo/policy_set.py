# SPDX-License-Identifier: EUPL-1.2
"""Load the fictional Voorbeeldstad policy set into the demo dossier, through the services.

Everything goes through the same services an auditor's clicks go through, so the demo shows
real audit-log entries, a real uitvraag round trip (template → filled workbook → validated
import), blind double assessments with consensus and sign-off, and council information items.
The data itself is :mod:`kansenaudit.demo.policy` (no Django).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from kansenaudit.demo.policy import demo_policy_set, fill_uitvraag_workbook
from kansenaudit.demo.policy_model import NOT_APPLICABLE, DemoCitation, DemoPolicySet, MeasureRef
from kansenaudit.web.council import services as council
from kansenaudit.web.demo import story
from kansenaudit.web.dossiers.models import Dossier
from kansenaudit.web.evidence import services as evidence
from kansenaudit.web.evidence.models import Citation, Document
from kansenaudit.web.judgements import services as judgements
from kansenaudit.web.policy import services as policy
from kansenaudit.web.policy.models import Actor, Goal, Indicator, Measure
from kansenaudit.web.uitvraag import services as uitvraag
from kansenaudit.web.uitvraag.models import UitvraagRequest

ACTOR = "demo-loader"


class _Loader:
    """Holds what has been created so far, so that later parts can refer to it by name."""

    def __init__(self, dossier: Dossier, users: dict[str, Any], documents: dict[str, Document]):
        self.dossier = dossier
        self.users = users
        self.documents = documents
        self.citations: dict[tuple[str, int, str], Citation] = {}
        self.actors: dict[str, Actor] = {}
        self.goals: dict[str, Goal] = {}
        self.indicators: dict[str, Indicator] = {}

    # --- evidence -------------------------------------------------------------------------

    def cite(self, demo: DemoCitation) -> Citation:
        key = (demo.file_name, demo.page, demo.quote)
        if key not in self.citations:
            document = self.documents[demo.file_name]
            page = document.pages.get(number=demo.page)
            start = page.text.find(demo.quote)
            if start < 0:  # the data module's tests guarantee this never happens
                raise ValueError(f"citaat niet gevonden: {demo.file_name} p. {demo.page}")
            self.citations[key] = evidence.citation_create(
                document=document,
                page_number=demo.page,
                start=start,
                end=start + len(demo.quote),
                actor=self.users["onderzoeker"],  # who cited it ("Wie" on the citations page)
                actor_label=ACTOR,
                note=demo.note,
            )
        return self.citations[key]

    def link(self, subject: Any, citations: tuple[DemoCitation, ...]) -> None:
        for demo in citations:
            policy.evidence_link_add(
                dossier=self.dossier,
                subject=subject,
                citation=self.cite(demo),
                actor=None,
                actor_label=ACTOR,
                note=demo.note,
            )

    def measure(self, ref: MeasureRef) -> Measure:
        return Measure.objects.get(dossier=self.dossier, owner__name=ref.directie, name=ref.name)

    # --- the register ---------------------------------------------------------------------

    def actors_and_goals(self, data: DemoPolicySet) -> None:
        for item in data.actors:
            self.actors[item.name] = policy.actor_create(
                dossier=self.dossier,
                name=item.name,
                kind=item.kind,
                description=item.description,
                contact=item.contact,
                actor=None,
                actor_label=ACTOR,
            )
        for order, item in enumerate(data.goals):
            goal = policy.goal_create(
                dossier=self.dossier,
                title=item.title,
                level=item.level,
                code=item.code,
                description=item.description,
                parent=self.goals[item.parent] if item.parent else None,
                owner=self.actors[item.owner] if item.owner else None,
                target_groups=[self.actors[name] for name in item.target_groups],
                domains=item.domains,
                order=order,
                actor=None,
                actor_label=ACTOR,
            )
            self.goals[item.title] = goal
            self.link(goal, item.citations)

    def uitvragen(self, data: DemoPolicySet) -> None:
        """Each directie's request: template, the filled-in workbook back, import, status."""
        for item in data.uitvragen:
            story.advance_to(item.sent_on - dt.timedelta(days=1), 14)  # prepared the day before
            request = uitvraag.request_create(
                dossier=self.dossier,
                directie_name=item.directie,
                deadline=item.deadline,
                contact=item.contact,
                is_demo=True,
                actor=None,
                actor_label=ACTOR,
            ).request
            template = uitvraag.template_build(request=request, actor=None, actor_label=ACTOR)
            story.advance_to(item.sent_on, 9)
            request = uitvraag.status_set(
                request=request,
                to=UitvraagRequest.Status.VERSTUURD,
                actor=None,
                actor_label=ACTOR,
                note=f"verstuurd op {item.sent_on:%d-%m-%Y} (demo)",
            )
            for day in item.reminders:
                story.advance_to(day, 9)
                uitvraag.reminder_record(
                    request=request, sent_on=day, actor=None, actor_label=ACTOR, note="demo"
                )
            if item.received_on is None:
                continue
            filled = fill_uitvraag_workbook(template.data, item.measures)
            story.advance_to(item.received_on, 11)
            received = uitvraag.receive(
                request=request,
                data=filled,
                file_name=f"uitvraag-{item.directie.lower().replace(' ', '-')}-ingevuld.xlsx",
                actor=None,
                actor_label=ACTOR,
            )
            if received.errors:  # the demo data's own tests make sure this cannot happen
                raise ValueError(f"demo-uitvraag {item.directie}: {received.errors}")
            # Applying a valid file accepts the request (status geaccepteerd) by itself.
            story.advance_to(item.received_on, 15)
            uitvraag.apply(received=received, actor=None, actor_label=ACTOR)

    def theories(self, data: DemoPolicySet) -> None:
        for theory in data.theories:
            measure = self.measure(theory.measure)
            steps = {}
            for order, item in enumerate(theory.steps):
                steps[item.text] = policy.theory_step_create(
                    measure=measure,
                    kind=item.kind,
                    text=item.text,
                    goal=self.goals[item.goal] if item.goal else None,
                    order=order,
                    actor=None,
                    actor_label=ACTOR,
                )
            for item in theory.links:
                link = policy.theory_link_create(
                    source=steps[item.source],
                    target=steps[item.target],
                    rationale=item.rationale,
                    actor=None,
                    actor_label=ACTOR,
                )
                if item.citation is not None:
                    self.link(link, (item.citation,))

    def indicators_with_values(self, data: DemoPolicySet) -> None:
        for item in data.indicators:
            indicator = policy.indicator_create(
                dossier=self.dossier,
                name=item.name,
                source=item.source,
                catalogue_key=item.catalogue_key,
                area_code=item.area_code,
                definition=item.definition,
                unit=item.unit,
                polarity=item.polarity,
                goals=[self.goals[title] for title in item.goals],
                measures=[self.measure(ref) for ref in item.measures],
                actor=None,
                actor_label=ACTOR,
            )
            self.indicators[item.name] = indicator
            for value in item.values:
                policy.indicator_value_set(
                    indicator=indicator,
                    kind=value.kind,
                    year=value.year,
                    value=value.value,
                    note=value.note,
                    citation=self.cite(value.citation) if value.citation else None,
                    actor=None,
                    actor_label=ACTOR,
                )

    def information_items(self, data: DemoPolicySet) -> dict[str, Any]:
        items = {}
        for item in data.information_items:
            items[item.file_name] = council.item_register(
                dossier=self.dossier,
                document=self.documents[item.file_name],
                reports_on=item.reports_on,
                title=item.title,
                date=item.date,
                goals=[self.goals[title] for title in item.goals],
                measures=[self.measure(ref) for ref in item.measures],
                indicators=[self.indicators[name] for name in item.indicators],
                note=item.note,
                is_demo=True,
                actor=None,
                actor_label=ACTOR,
            )
        return items

    def judgements(self, data: DemoPolicySet, items: dict[str, Any]) -> None:
        """Two blind assessments, a consensus by the project leader, the reviewer's sign-off."""
        subjects = {
            "actor": self.actors,
            "goal": self.goals,
            "indicator": self.indicators,
            "information_item": items,
        }
        consensus_author = self.users[data.assessors[1]]
        for item in data.judgements:
            if item.subject_kind == "measure":
                subject = self.measure(item.subject)  # type: ignore[arg-type]
            else:
                subject = subjects[item.subject_kind][item.subject]
            started, _skipped = judgements.judgements_start(
                dossier=self.dossier,
                framework_key=item.framework,
                subject=subject,
                criteria=[item.criterion],
                mode="dubbel",
                actor=None,
                actor_label=ACTOR,
            )
            judgement = started[0] if started else _existing(self.dossier, item, subject)
            for score in item.scores:
                judgements.assessment_submit(
                    judgement=judgement,
                    actor=self.users[score.assessor],
                    score=None if score.value == NOT_APPLICABLE else score.value,
                    not_applicable=score.value == NOT_APPLICABLE,
                    rationale=score.rationale,
                )
            citations = [self.cite(demo) for demo in item.citations]
            judgements.consensus_record(
                judgement=judgement,
                actor=consensus_author,
                score=None if item.consensus == NOT_APPLICABLE else item.consensus,
                not_applicable=item.consensus == NOT_APPLICABLE,
                rationale=item.rationale,
                citations=citations,
            )
            if item.signed_off_by:
                story.advance_to(item.signed_off_on or dt.date(2026, 3, 18), 16)
                judgements.sign_off(judgement=judgement, actor=self.users[item.signed_off_by])
                story.advance_to(dt.date(2026, 3, 12))  # back to the assessments of the others


def _existing(dossier: Dossier, item: Any, subject: Any) -> Any:
    from django.contrib.contenttypes.models import ContentType

    from kansenaudit.web.judgements.models import Judgement

    return Judgement.objects.get(
        dossier=dossier,
        framework_key=item.framework,
        criterion_code=item.criterion,
        content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk,
    )


def load_policy_set(
    *, dossier: Dossier, users: dict[str, Any], documents: dict[str, Document]
) -> None:
    """Load the whole fictional policy set into the demo ``dossier``.

    ``users`` maps the demo usernames to users (the assessors and the reviewer act as
    themselves); ``documents`` maps the demo documents' file names to stored documents.
    """
    data = demo_policy_set()
    loader = _Loader(dossier, users, documents)
    story.advance_to(dt.date(2025, 12, 8))  # the register from the documents
    loader.actors_and_goals(data)
    loader.uitvragen(data)  # January–February 2026, on each step's own day
    story.advance_to(dt.date(2026, 3, 2))
    loader.theories(data)
    loader.indicators_with_values(data)
    story.advance_to(dt.date(2026, 3, 5))
    items = loader.information_items(data)
    story.advance_to(dt.date(2026, 3, 9))
    loader.judgements(data, items)  # assessed in March, signed off on 18 March 2026
    story.release()  # what follows (the later pillars) runs on the real clock
