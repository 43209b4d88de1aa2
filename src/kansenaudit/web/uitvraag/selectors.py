# SPDX-License-Identifier: EUPL-1.2
"""Reading inventory requests: lists, counts, the register as workbook rows, what a template
would hold, personal links, exports. The check of a returned file and the preview of applying
it are in :mod:`kansenaudit.web.uitvraag.checks`."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from kansenaudit.data.catalogue import DOMAINS
from kansenaudit.policy.uitvraag import DEFAULT_BUDGET_YEARS, MeasureRow
from kansenaudit.web.policy.models import Actor, Goal, Measure
from kansenaudit.web.uitvraag.models import AccessToken, ReceivedFile, StatusChange, UitvraagRequest

if TYPE_CHECKING:
    from kansenaudit.web.dossiers.models import Dossier

# The domains a measure can be given in the workbook: the statistics catalogue's domains,
# shown by their Dutch label and stored by their key; "bevolking" is context, not a domain of
# policy.
DOMAIN_LABELS: dict[str, str] = {k: v for k, v in DOMAINS.items() if k != "bevolking"}
DOMAIN_KEYS: dict[str, str] = {v: k for k, v in DOMAIN_LABELS.items()}
# Used when the dossier's actor register has no target groups yet.
DEFAULT_TARGET_GROUPS = (
    "Kinderen 0-4 jaar",
    "Leerlingen basisschool",
    "Leerlingen voortgezet onderwijs",
    "Jongeren 18-27 jaar",
    "Ouders en verzorgers",
    "Huishoudens met een laag inkomen",
    "Nieuwkomers",
    "Alle inwoners",
)
# The shape of a personal link's token (secrets.token_urlsafe(32)); anything else is not looked up.
TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{20,100}$")


def requests_for_dossier(dossier: Dossier) -> QuerySet[UitvraagRequest]:
    """The dossier's requests with their directorate and counts of files and reminders."""
    return (
        UitvraagRequest.objects.filter(dossier=dossier)
        .select_related("directie")
        .annotate(
            file_count=Count("files", distinct=True),
            valid_file_count=Count("files", filter=Q(files__is_valid=True), distinct=True),
            reminder_count=Count("reminders", distinct=True),
        )
        .order_by("directie__name", "id")
    )


def request_in_dossier(dossier: Dossier, request_id: int | str) -> UitvraagRequest | None:
    """One request of the dossier, or None (another dossier's request is not found)."""
    try:
        pk = int(request_id)
    except (TypeError, ValueError):
        return None
    return (
        UitvraagRequest.objects.select_related("directie", "dossier")
        .filter(dossier=dossier, pk=pk)
        .first()
    )


def request_for_directie(dossier: Dossier, name: str) -> UitvraagRequest | None:
    """The dossier's request to the directorate called ``name`` (case and spacing ignored)."""
    clean = " ".join(name.split())
    return (
        UitvraagRequest.objects.select_related("directie")
        .filter(dossier=dossier, directie__name__iexact=clean)
        .first()
    )


def received_in_request(request: UitvraagRequest, file_id: int | str) -> ReceivedFile | None:
    try:
        pk = int(file_id)
    except (TypeError, ValueError):
        return None
    return ReceivedFile.objects.filter(request=request, pk=pk).defer("content").first()


def received_files(request: UitvraagRequest) -> QuerySet[ReceivedFile]:
    return ReceivedFile.objects.filter(request=request).defer("content").order_by("-id")


def latest_file_id(request: UitvraagRequest) -> int | None:
    return (
        ReceivedFile.objects.filter(request=request)
        .order_by("-id")
        .values_list("pk", flat=True)
        .first()
    )


def history(request: UitvraagRequest) -> QuerySet[StatusChange]:
    return StatusChange.objects.filter(request=request).order_by("at", "id")


def tokens(request: UitvraagRequest) -> QuerySet[AccessToken]:
    return AccessToken.objects.filter(request=request).order_by("-created_at", "-id")


def token_in_request(request: UitvraagRequest, token_id: int | str) -> AccessToken | None:
    try:
        pk = int(token_id)
    except (TypeError, ValueError):
        return None
    return AccessToken.objects.filter(request=request, pk=pk).first()


def uitvraag_measures(request: UitvraagRequest) -> QuerySet[Measure]:
    """The measures this request put in the register (its directorate's, origin uitvraag)."""
    return (
        Measure.objects.filter(
            dossier_id=request.dossier_id,
            owner=request.directie,
            origin=Measure.Origin.UITVRAAG,
        )
        .prefetch_related("goals", "target_groups", "budgets")
        .order_by("uitvraag_number", "name", "id")
    )


def domain_label(value: str) -> str | None:
    """The workbook's label of a stored domain (a catalogue key), or the value itself."""
    if not value:
        return None
    return DOMAIN_LABELS.get(value, value)


def measure_as_row(measure: Measure, budget_years: list[int] | tuple[int, ...]) -> MeasureRow:
    """A register measure in the form the workbook reader returns, to compare a re-import."""
    budgets = {b.year: float(b.amount) for b in measure.budgets.all()}
    return MeasureRow(
        number=measure.uitvraag_number or 0,
        name=measure.name,
        description=measure.description,
        goals=tuple(g.title for g in measure.goals.all()),
        target_groups=tuple(a.name for a in measure.target_groups.all()),
        domain=domain_label(measure.domain),
        reason=measure.reason or None,
        status=measure.status or None,
        start=measure.start,
        end=measure.end,
        budget=tuple((year, budgets.get(year)) for year in budget_years),
        reach=measure.reach,
        rationale=measure.rationale,
        assumptions=measure.assumptions,
        alignment=measure.alignment,
        indicators=measure.indicators_text,
        evidence=measure.evidence_claimed,
        row=(measure.uitvraag_number or 0) + 1,
    )


def current_rows(request: UitvraagRequest) -> list[tuple[Measure, MeasureRow]]:
    years = list(request.template_spec.get("budget_years") or [])
    return [(m, measure_as_row(m, years)) for m in uitvraag_measures(request)]


def target_group_names(dossier: Dossier) -> list[str]:
    return list(
        Actor.objects.filter(dossier=dossier, kind=Actor.Kind.DOELGROEP)
        .order_by("name")
        .values_list("name", flat=True)
    )


# --- the template ------------------------------------------------------------------------------


def budget_years_for(dossier: Dossier) -> list[int]:
    start = getattr(dossier, "period_start", None)
    end = getattr(dossier, "period_end", None)
    if start and end and start.year <= end.year:
        # The audit period, extended to the default budget years: measures running now
        # budget the coming years too, and an audit period often ends before they do.
        last = max(end.year, DEFAULT_BUDGET_YEARS[-1])
        if last - start.year < 10:
            return list(range(start.year, last + 1))
    return list(DEFAULT_BUDGET_YEARS)


def register_spec(request: UitvraagRequest) -> dict[str, Any]:
    """What a template for this request would contain, from the register as it is now."""
    dossier = request.dossier
    goals = list(Goal.objects.filter(dossier=dossier).values_list("title", flat=True))
    groups = target_group_names(dossier) or list(DEFAULT_TARGET_GROUPS)
    return {
        "dossier_title": dossier.title,
        "directie": request.directie.name,
        "goals": goals,
        "target_groups": groups,
        "domains": list(DOMAIN_LABELS.values()),
        "budget_years": budget_years_for(dossier),
    }


# --- personal links -----------------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def token_actor_label(token: AccessToken) -> str:
    who = f" ({token.label})" if token.label else ""
    return f"uitvraaglink:{token.pk}{who}"[:150]


def token_verify(raw: str) -> AccessToken | None:
    """The active link for ``raw``, or None (unknown, malformed, expired or revoked alike).

    Only the token's SHA-256 is stored and looked up, so neither the database nor the timing
    of the lookup reveals anything about other tokens; the final comparison is constant-time.
    """
    if not isinstance(raw, str) or not TOKEN_SHAPE.match(raw):
        return None
    digest = token_hash(raw)
    token = (
        AccessToken.objects.select_related("request__directie", "request__dossier")
        .filter(token_hash=digest)
        .first()
    )
    if token is None or not hmac.compare_digest(token.token_hash, digest):
        return None
    if not token.is_active:
        return None
    return token


# --- exports ------------------------------------------------------------------------------------


def _iso(value: dt.datetime | dt.date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return value.isoformat()


REQUEST_COLUMNS = [
    "id",
    "directie",
    "status",
    "deadline",
    "te_laat",
    "contactpersoon",
    "sjabloonversie",
    "controlegetal",
    "begrotingsjaren",
    "verstuurd",
    "ontvangen",
    "teruggestuurd",
    "geaccepteerd",
    "herinneringen",
    "bestanden",
    "geldige_bestanden",
    "laatste_bestand_sha256",
    "aangemaakt",
]
HISTORY_COLUMNS = ["uitvraag", "directie", "van", "naar", "wanneer", "door", "toelichting"]
FILE_COLUMNS = [
    "uitvraag",
    "directie",
    "bestand",
    "grootte",
    "sha256",
    "ontvangen",
    "via",
    "door",
    "geldig",
    "fouten",
    "maatregelen",
    "toegepast",
]


def export_requests(dossier: Dossier) -> list[dict[str, Any]]:
    """One row per request, for CSV, XLSX and ``uitvraag status --json``."""
    rows = []
    today = timezone.localdate()
    for request in requests_for_dossier(dossier):
        latest = ReceivedFile.objects.filter(request=request).order_by("-id").first()
        rows.append(
            {
                "id": request.pk,
                "directie": request.directie.name,
                "status": request.status,
                "deadline": _iso(request.deadline),
                "te_laat": request.is_overdue(today),
                "contactpersoon": request.contact,
                "sjabloonversie": request.template_version,
                "controlegetal": request.template_checksum,
                "begrotingsjaren": ",".join(
                    str(y) for y in request.template_spec.get("budget_years", [])
                ),
                "verstuurd": _iso(request.sent_at),
                "ontvangen": _iso(request.received_at),
                "teruggestuurd": _iso(request.returned_at),
                "geaccepteerd": _iso(request.accepted_at),
                # Counted by the queryset's annotations above.
                "herinneringen": request.reminder_count,  # type: ignore[attr-defined]
                "bestanden": request.file_count,  # type: ignore[attr-defined]
                "geldige_bestanden": request.valid_file_count,  # type: ignore[attr-defined]
                "laatste_bestand_sha256": latest.sha256 if latest else "",
                "aangemaakt": _iso(request.created_at),
            }
        )
    return rows


def export_history(dossier: Dossier) -> list[dict[str, Any]]:
    """Every status change of every request of the dossier, oldest first."""
    changes = (
        StatusChange.objects.filter(request__dossier=dossier)
        .select_related("request__directie")
        .order_by("at", "id")
    )
    return [
        {
            "uitvraag": c.request_id,
            "directie": c.request.directie.name,
            "van": c.from_status,
            "naar": c.to_status,
            "wanneer": _iso(c.at),
            "door": c.by_label,
            "toelichting": c.note,
        }
        for c in changes
    ]


def export_files(dossier: Dossier) -> list[dict[str, Any]]:
    """Every received file (hash, validity, whether applied): the chain of custody."""
    files = (
        ReceivedFile.objects.filter(request__dossier=dossier)
        .select_related("request__directie")
        .defer("content")
        .order_by("received_at", "id")
    )
    return [
        {
            "uitvraag": f.request_id,
            "directie": f.request.directie.name,
            "bestand": f.file_name,
            "grootte": f.size,
            "sha256": f.sha256,
            "ontvangen": _iso(f.received_at),
            "via": f.channel,
            "door": f.received_by_label,
            "geldig": f.is_valid,
            "fouten": len(f.errors),
            "maatregelen": f.measure_count,
            "toegepast": _iso(f.applied_at),
        }
        for f in files
    ]
