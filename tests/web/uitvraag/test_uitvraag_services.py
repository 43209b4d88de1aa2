"""The uitvraag workflow at the service level: request, template, receive, preview, apply;
every bad-input case leaves the register exactly as it was; history is append-only; links."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from kansenaudit.web.core.models import AuditEvent
from kansenaudit.web.policy.models import Actor, Goal, Indicator, Measure
from kansenaudit.web.uitvraag import checks, selectors, services
from kansenaudit.web.uitvraag.models import (
    AccessToken,
    AppendOnlyError,
    ReceivedFile,
    StatusChange,
    UitvraagRequest,
)
from kansenaudit.web.uitvraag.services import UitvraagError
from tests.helpers.uitvraag_fill import (
    GOALS,
    SCHOOLMAATJES,
    ZOMERSCHOOL,
    fill,
    register_state,
    seed_register,
)

Status = UitvraagRequest.Status


@pytest.fixture
def setup(team):
    dossier = team["dossier"]
    seed_register(dossier)
    user = team["users"]["onderzoeker"]
    outcome = services.request_create(
        dossier=dossier,
        directie_name="Onderwijs",
        actor=user,
        deadline=dt.date(2026, 3, 1),
        contact="J. Jansen",
    )
    template = services.template_build(request=outcome.request, actor=user)
    return {"dossier": dossier, "user": user, "request": outcome.request, "xlsx": template.data}


def _receive(setup, data, name="onderwijs.xlsx"):
    return services.receive(
        request=setup["request"], data=data, file_name=name, actor=setup["user"]
    )


def _import(setup, rows):
    received = _receive(setup, fill(setup["xlsx"], rows))
    assert received.is_valid, received.errors
    services.apply(received=received, actor=setup["user"])
    return received


# --- requests and templates -------------------------------------------------------------------


def test_request_create_adds_the_directie_and_says_so(team):
    dossier = team["dossier"]
    outcome = services.request_create(dossier=dossier, directie_name="  Jeugd ", actor=None)
    assert outcome.created
    assert outcome.directie_added
    actor = Actor.objects.get(dossier=dossier, name="Jeugd")
    assert actor.kind == Actor.Kind.DIRECTIE
    assert outcome.request.status == Status.CONCEPT
    assert AuditEvent.objects.filter(dossier=dossier, action="policy.actor_create").count() == 1
    # Existing directie: found regardless of case; a second request is refused unless reused.
    with pytest.raises(UitvraagError, match="al een uitvraag"):
        services.request_create(dossier=dossier, directie_name="jeugd", actor=None)
    again = services.request_create(
        dossier=dossier, directie_name="JEUGD", actor=None, reuse=True, contact="Piet"
    )
    assert not again.created
    assert not again.directie_added
    assert again.request.pk == outcome.request.pk
    assert again.request.contact == "Piet"
    assert Actor.objects.filter(dossier=dossier, name__iexact="jeugd").count() == 1


def test_request_create_refuses_another_kind_of_actor_and_bad_names(team):
    dossier = team["dossier"]
    Actor.objects.create(dossier=dossier, name="Ouders", kind=Actor.Kind.DOELGROEP)
    with pytest.raises(UitvraagError, match="niet als directie"):
        services.request_create(dossier=dossier, directie_name="ouders", actor=None)
    for bad in ("", "   ", "=HYPERLINK(1)", "x" * 201):
        with pytest.raises(UitvraagError):
            services.request_create(dossier=dossier, directie_name=bad, actor=None)
    assert not UitvraagRequest.objects.exists()


def test_template_needs_goals(team):
    outcome = services.request_create(dossier=team["dossier"], directie_name="Wonen", actor=None)
    with pytest.raises(UitvraagError, match="nog geen doelen"):
        services.template_build(request=outcome.request, actor=None)


def test_template_lists_come_from_the_register(setup):
    from openpyxl import load_workbook

    request = setup["request"]
    wb = load_workbook(io.BytesIO(setup["xlsx"]))
    lists = wb["Lijsten"]
    assert [c.value for c in lists["A"][1:] if c.value] == GOALS
    assert [c.value for c in lists["B"][1:] if c.value] == ["Leerlingen basisschool", "Ouders"]
    assert "Onderwijs" in [c.value for c in lists["C"]]
    assert request.template_version == "1"
    assert len(request.template_checksum) == 64
    assert request.template_spec["budget_years"] == [2023, 2024, 2025, 2026, 2027]


def test_default_target_groups_are_added_to_the_register_on_apply(team):
    dossier = team["dossier"]
    seed_register(dossier, groups=False)
    outcome = services.request_create(dossier=dossier, directie_name="Jeugd", actor=None)
    template = services.template_build(request=outcome.request, actor=None)
    assert outcome.request.template_spec["target_groups"] == list(selectors.DEFAULT_TARGET_GROUPS)
    row = {"name": "Ouderkamer", "target_group_1": "ouders en verzorgers"}
    data = fill(template.data, {1: row})
    received = services.receive(
        request=outcome.request, data=data, file_name="jeugd.xlsx", actor=None
    )
    assert received.is_valid, received.errors
    assert checks.preview(received=received).new_target_groups == ["Ouders en verzorgers"]
    result = services.apply(received=received, actor=None)
    assert result.target_groups_added == ["Ouders en verzorgers"]
    group = Actor.objects.get(dossier=dossier, name="Ouders en verzorgers")
    assert group.kind == Actor.Kind.DOELGROEP
    assert list(Measure.objects.get(name="Ouderkamer").target_groups.all()) == [group]


def test_template_version_goes_up_when_the_register_changes(setup):
    request = setup["request"]
    services.status_set(request=request, to=Status.VERSTUURD, actor=setup["user"])
    request.refresh_from_db()
    Goal.objects.create(dossier=setup["dossier"], title="Nieuw doel", level="directie")
    # Once sent, the template as sent is produced again ...
    again = services.template_build(request=request, actor=None)
    request.refresh_from_db()
    assert request.template_version == "1"
    assert not again.new_version
    # ... until the auditors ask for a new version from the register.
    newer = services.template_build(request=request, actor=None, refresh=True)
    request.refresh_from_db()
    assert newer.new_version
    assert request.template_version == "2"
    assert "Nieuw doel" in request.template_spec["goals"]
    assert newer.file_name == "uitvraag-onderwijs-v2.xlsx"


# --- round trip -------------------------------------------------------------------------------


def test_round_trip_template_filled_import_register(setup):
    dossier, request = setup["dossier"], setup["request"]
    services.status_set(request=request, to=Status.VERSTUURD, actor=setup["user"])
    data = fill(setup["xlsx"], {1: SCHOOLMAATJES, 3: ZOMERSCHOOL})
    received = _receive(setup, data)
    assert received.is_valid, received.errors
    assert received.errors == []
    assert received.sha256 == __import__("hashlib").sha256(data).hexdigest()
    assert bytes(ReceivedFile.objects.get(pk=received.pk).content) == data
    request.refresh_from_db()
    assert request.status == Status.ONTVANGEN
    assert request.received_at is not None
    # Receiving changes nothing in the register.
    assert not Measure.objects.filter(dossier=dossier).exists()

    plan = checks.preview(received=received)
    assert plan.can_apply, plan.problems
    assert [(c.kind, c.measure) for c in plan.changes] == [
        ("added", "Schoolmaatjes"),
        ("added", "Zomerschool"),
    ]
    assert plan.new_target_groups == []

    outcome = services.apply(received=received, actor=setup["user"])
    assert outcome.created == ["Schoolmaatjes", "Zomerschool"]
    assert outcome.target_groups_added == []
    m = Measure.objects.get(dossier=dossier, name="Schoolmaatjes")
    assert m.owner == request.directie
    assert m.origin == Measure.Origin.UITVRAAG
    assert m.uitvraag_number == 1
    assert m.description == SCHOOLMAATJES["description"]
    assert m.domain == "onderwijs"  # stored as the catalogue key
    assert m.reason == "grootste doelgroep"
    assert m.status == "lopend"
    assert (m.start, m.end) == (dt.date(2022, 9, 1), dt.date(2026, 7, 31))
    assert m.reach == 1200
    assert m.rationale.startswith("Begeleiding")
    assert m.assumptions.startswith("Studenten")
    assert m.alignment.startswith("Actielijn")
    assert m.indicators_text.startswith("Doorstroom")
    assert m.evidence_claimed == "Evaluatie Schoolmaatjes 2024 (OIS)."
    assert sorted(m.goals.values_list("title", flat=True)) == [
        "Betere schoolresultaten",
        "Minder schooluitval",
    ]
    assert list(m.target_groups.values_list("name", flat=True)) == ["Leerlingen basisschool"]
    assert list(m.budgets.values_list("year", "amount")) == [
        (2023, Decimal("250000.00")),
        (2024, Decimal("262500.50")),
        (2025, Decimal("0.00")),
    ]
    z = Measure.objects.get(dossier=dossier, name="Zomerschool")
    assert z.uitvraag_number == 3
    assert z.start == dt.date(2026, 7, 1)
    assert set(z.target_groups.all()) == {Actor.objects.get(name="Ouders")}

    received.refresh_from_db()
    request.refresh_from_db()
    assert received.applied_at is not None
    assert request.status == Status.GEACCEPTEERD
    assert request.accepted_at is not None
    assert [h.to_status for h in selectors.history(request)] == [
        "concept",
        "verstuurd",
        "ontvangen",
        "geaccepteerd",
    ]
    actions = set(AuditEvent.objects.filter(dossier=dossier).values_list("action", flat=True))
    assert {
        "uitvraag.create",
        "uitvraag.template",
        "uitvraag.status",
        "uitvraag.receive",
        "uitvraag.apply",
        "policy.measure_create",
    } <= actions
    # Applying twice is refused.
    with pytest.raises(UitvraagError, match="al ingelezen"):
        services.apply(received=received, actor=None)


def test_reimport_shows_the_changes_then_applies_them_in_place(setup):
    dossier = setup["dossier"]
    _import(setup, {1: SCHOOLMAATJES, 3: ZOMERSCHOOL})
    first = {m.name: m.pk for m in Measure.objects.filter(dossier=dossier)}
    changed = {**SCHOOLMAATJES, "status": "afgerond", "budget_2024": 300_000, "reach": None}
    changed.pop("reach")
    data = fill(setup["xlsx"], {2: changed, 4: {"name": "Huiswerkklas", "domain": "Werk"}})
    received = _receive(setup, data)
    assert received.is_valid, received.errors
    plan = checks.preview(received=received)
    described = [str(c) for c in plan.changes]
    assert "Maatregel vervallen: Zomerschool" in described
    assert "Nieuwe maatregel: Huiswerkklas" in described
    assert any("Status gewijzigd van 'lopend' naar 'afgerond'" in s for s in described)
    assert any(c.field == "budget_2024" and c.new == 300_000 for c in plan.changes)
    assert any(c.field == "reach" and c.old == 1200 and c.new is None for c in plan.changes)
    assert [r.name for r in plan.removed] == ["Zomerschool"]
    assert plan.can_apply
    # The preview changed nothing.
    assert Measure.objects.get(pk=first["Schoolmaatjes"]).status == "lopend"

    outcome = services.apply(received=received, actor=None)
    assert outcome.updated == ["Schoolmaatjes"]
    assert outcome.created == ["Huiswerkklas"]
    assert outcome.removed == ["Zomerschool"]
    m = Measure.objects.get(pk=first["Schoolmaatjes"])  # updated in place: same row
    assert m.status == "afgerond"
    assert m.reach is None
    assert m.uitvraag_number == 2
    assert m.budgets.get(year=2024).amount == Decimal("300000.00")
    assert not Measure.objects.filter(pk=first["Zomerschool"]).exists()
    assert Measure.objects.get(name="Huiswerkklas").domain == "werk"
    event = AuditEvent.objects.filter(action="uitvraag.apply").first()
    assert event.after["removed"] == ["Zomerschool"]


def test_a_removed_measure_that_something_points_at_blocks_the_import(setup):
    dossier = setup["dossier"]
    _import(setup, {1: SCHOOLMAATJES, 3: ZOMERSCHOOL})
    indicator = Indicator.objects.create(dossier=dossier, name="Bereik zomerschool")
    indicator.measures.add(Measure.objects.get(name="Zomerschool"))
    before = register_state(dossier)
    received = _receive(setup, fill(setup["xlsx"], {1: SCHOOLMAATJES}))
    assert received.is_valid
    plan = checks.preview(received=received)
    assert not plan.can_apply
    assert plan.removed[0].blockers
    assert "Zomerschool" in plan.problems[0]
    with pytest.raises(UitvraagError, match="Zomerschool"):
        services.apply(received=received, actor=None)
    assert register_state(dossier) == before
    received.refresh_from_db()
    assert received.applied_at is None


def test_only_the_newest_file_can_be_applied(setup):
    older = _receive(setup, fill(setup["xlsx"], {1: SCHOOLMAATJES}))
    _receive(setup, fill(setup["xlsx"], {1: ZOMERSCHOOL}))
    with pytest.raises(UitvraagError, match="nieuwer bestand"):
        services.apply(received=older, actor=None)
    assert not Measure.objects.exists()


def test_a_measure_entered_by_hand_is_not_overwritten(setup):
    dossier = setup["dossier"]
    Measure.objects.create(dossier=dossier, name="Schoolmaatjes", owner=setup["request"].directie)
    before = register_state(dossier)
    received = _receive(setup, fill(setup["xlsx"], {1: SCHOOLMAATJES}))
    assert not received.is_valid
    assert received.errors[0]["row"] == 2
    assert received.errors[0]["column"] == "B"
    assert (
        "handmatig" in received.errors[0]["message"] or "auditteam" in received.errors[0]["message"]
    )
    with pytest.raises(UitvraagError):
        services.apply(received=received, actor=None)
    assert register_state(dossier) == before


# --- bad input: clear errors, nothing imported, nothing lost -----------------------------------


def _rezip(data: bytes, *, add=None, replace=None) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, (replace or {}).get(info.filename) or source.read(info))
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def _rename_sheet(wb):
    wb["Maatregelen"].title = "Maatregelen 2024"


def _merge(wb):
    wb["Maatregelen"].merge_cells("C2:D2")


def _far_cell(wb):
    wb["Maatregelen"]["XFD200000"] = "x"


def _other_directie(setup):
    other = services.request_create(dossier=setup["dossier"], directie_name="Jeugd", actor=None)
    return fill(services.template_build(request=other.request, actor=None).data, {1: SCHOOLMAATJES})


def _old_version(setup):
    data = fill(setup["xlsx"], {1: SCHOOLMAATJES})
    Goal.objects.create(dossier=setup["dossier"], title="Later doel", level="directie")
    services.template_build(request=setup["request"], actor=None, refresh=True)
    setup["request"].refresh_from_db()
    return data


def _goal_removed_after_sending(setup):
    data = fill(setup["xlsx"], {1: {"name": "X", "goal_1": "Meer kinderen naar de voorschool"}})
    Goal.objects.filter(title="Meer kinderen naar de voorschool").delete()
    return data


def _bomb(setup):
    return _rezip(setup["xlsx"], add={"xl/media/padding.bin": b"\0" * (30 * 2**20)})


BAD = {
    "wrong template version": (_old_version, "Meta", None, "verkeerde sjabloonversie"),
    "extra sheet": (
        lambda s: fill(s["xlsx"], {1: SCHOOLMAATJES}, lambda wb: wb.create_sheet("Extra")),
        "Extra",
        None,
        "onbekend werkblad",
    ),
    "renamed sheet": (
        lambda s: fill(s["xlsx"], {1: SCHOOLMAATJES}, _rename_sheet),
        "Maatregelen",
        None,
        "ontbreekt",
    ),
    "formula": (
        lambda s: fill(s["xlsx"], {1: {**SCHOOLMAATJES, "budget_2024": "=1000*2"}}),
        "Maatregelen",
        "P",
        "formule niet toegestaan",
    ),
    "merged cells": (
        lambda s: fill(s["xlsx"], {1: SCHOOLMAATJES}, _merge),
        "Maatregelen",
        "C",
        "samengevoegde cellen",
    ),
    "date as text": (
        lambda s: fill(s["xlsx"], {1: {**SCHOOLMAATJES, "start": "begin 2024"}}),
        "Maatregelen",
        "M",
        "geen geldige datum",
    ),
    "more than ten measures": (
        lambda s: fill(s["xlsx"], {n: {"name": f"Maatregel {n}"} for n in range(1, 12)}),
        "Maatregelen",
        "B",
        "meer dan tien maatregelen",
    ),
    "unknown directie": (_other_directie, "Meta", None, "directie 'Jeugd'"),
    "unknown goal": (
        lambda s: fill(s["xlsx"], {1: {**SCHOOLMAATJES, "goal_3": "Wereldvrede"}}),
        "Maatregelen",
        "F",
        "staat niet in de keuzelijst met doelen",
    ),
    "goal removed after sending": (
        _goal_removed_after_sending,
        "Maatregelen",
        "D-F",
        "staat niet (meer) in het beleidsregister",
    ),
    "empty required field": (
        lambda s: fill(s["xlsx"], {1: {"description": "Zonder naam", "reach": 10}}),
        "Maatregelen",
        "B",
        "verplicht",
    ),
    "zip bomb": (_bomb, "", None, "zip-bom"),
    "external links": (
        lambda s: _rezip(
            fill(s["xlsx"], {1: SCHOOLMAATJES}),
            add={"xl/externalLinks/externalLink1.xml": b"<externalLink/>"},
        ),
        "",
        None,
        "koppelingen naar andere bestanden",
    ),
    "macros": (
        lambda s: _rezip(fill(s["xlsx"], {1: SCHOOLMAATJES}), add={"xl/vbaProject.bin": b"x"}),
        "",
        None,
        "macro",
    ),
    "huge sheet": (
        lambda s: fill(s["xlsx"], {1: SCHOOLMAATJES}, _far_cell),
        "Maatregelen",
        "XFD",
        "buiten het invulgebied",
    ),
    "not a workbook": (lambda s: b"naam;budget\nSchoolmaatjes;100\n", "", None, "geen Excel"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_is_refused_with_its_place_and_nothing_changes(setup, case):
    make, sheet, column, text = BAD[case]
    dossier, request = setup["dossier"], setup["request"]
    # An earlier, applied import: it must survive every bad file untouched.
    _import(setup, {1: SCHOOLMAATJES, 3: ZOMERSCHOOL})
    data = make(setup)
    request.refresh_from_db()
    before = register_state(dossier)
    status_before = request.status
    history_before = StatusChange.objects.filter(request=request).count()

    received = _receive(setup, data, name=f"{case}.xlsx")

    assert not received.is_valid
    matching = [e for e in received.errors if text in e["message"]]
    assert matching, received.errors
    error = matching[0]
    assert error["sheet"] == sheet
    if column is not None:
        assert error["column"] == column
        assert error["row"] is not None or column == "D-F"
    assert received.sha256 == __import__("hashlib").sha256(data).hexdigest()
    request.refresh_from_db()
    assert request.status == status_before
    assert StatusChange.objects.filter(request=request).count() == history_before
    plan = checks.preview(received=received)
    assert not plan.can_apply
    assert plan.changes == []
    with pytest.raises(UitvraagError):
        services.apply(received=received, actor=None)
    assert register_state(dossier) == before


def test_a_file_over_the_size_limit_is_not_even_stored(setup):
    with pytest.raises(UitvraagError, match="groter dan"):
        _receive(setup, b"PK\x03\x04" + b"\0" * (10 * 2**20 + 1))
    assert not ReceivedFile.objects.exists()


def test_receive_needs_a_template(team):
    outcome = services.request_create(dossier=team["dossier"], directie_name="Jeugd", actor=None)
    with pytest.raises(UitvraagError, match="nog geen sjabloon"):
        services.receive(request=outcome.request, data=b"x", file_name="a.xlsx", actor=None)


# --- status, reminders, history ---------------------------------------------------------------


def test_only_sensible_status_changes(setup):
    request = setup["request"]
    for target in (Status.ONTVANGEN, Status.GEACCEPTEERD, Status.TERUGGESTUURD):
        with pytest.raises(UitvraagError, match="kan niet van concept"):
            services.status_set(request=request, to=target, actor=None)
    services.status_set(request=request, to=Status.VERSTUURD, actor=None, note="per e-mail")
    request.refresh_from_db()
    assert request.sent_at is not None
    with pytest.raises(UitvraagError):
        services.status_set(request=request, to=Status.GEACCEPTEERD, actor=None)
    _receive(setup, fill(setup["xlsx"], {1: SCHOOLMAATJES}))
    services.status_set(request=request, to=Status.TERUGGESTUURD, actor=None, note="onvolledig")
    request.refresh_from_db()
    assert request.status == Status.TERUGGESTUURD
    assert request.returned_at is not None
    last = selectors.history(request).last()
    assert (last.from_status, last.to_status) == ("ontvangen", "teruggestuurd")
    assert last.note == "onvolledig"


def test_sending_needs_a_template(team):
    outcome = services.request_create(dossier=team["dossier"], directie_name="Jeugd", actor=None)
    with pytest.raises(UitvraagError, match="sjabloon"):
        services.status_set(request=outcome.request, to=Status.VERSTUURD, actor=None)


def test_history_is_append_only(setup):
    change = selectors.history(setup["request"]).first()
    change.note = "anders"
    with pytest.raises(AppendOnlyError):
        change.save()
    with pytest.raises(AppendOnlyError):
        change.delete()
    with pytest.raises(AppendOnlyError):
        StatusChange.objects.all().update(note="x")
    with pytest.raises(AppendOnlyError):
        StatusChange.objects.all().delete()
    for sql in (
        "UPDATE uitvraag_statuschange SET note = 'x'",
        "DELETE FROM uitvraag_statuschange",
    ):
        refused = pytest.raises(DatabaseError, match="append-only")
        with refused, transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert selectors.history(setup["request"]).first().note == "aangemaakt"


def test_reminders_and_overdue(setup):
    request = setup["request"]
    with pytest.raises(UitvraagError, match="verstuurde"):
        services.reminder_record(request=request, sent_on=dt.date(2026, 1, 1), actor=None)
    services.status_set(request=request, to=Status.VERSTUURD, actor=None)
    request.refresh_from_db()
    assert request.is_overdue(today=dt.date(2026, 3, 2))
    assert not request.is_overdue(today=dt.date(2026, 3, 1))
    today = timezone.localdate()
    with pytest.raises(UitvraagError, match="toekomst"):
        services.reminder_record(request=request, sent_on=today + dt.timedelta(days=1), actor=None)
    services.reminder_record(request=request, sent_on=today, actor=None, note="gebeld")
    row = selectors.requests_for_dossier(setup["dossier"]).get()
    assert row.reminder_count == 1
    export = selectors.export_requests(setup["dossier"])[0]
    assert export["herinneringen"] == 1
    assert export["status"] == "verstuurd"
    _receive(setup, fill(setup["xlsx"], {1: SCHOOLMAATJES}))
    request.refresh_from_db()
    assert not request.is_overdue(today=dt.date(2030, 1, 1))  # answered


# --- personal links ---------------------------------------------------------------------------


def test_token_lifecycle(setup):
    request = setup["request"]
    token, raw = services.token_create(request=request, days=14, actor=None, label="P. de Vries")
    assert raw not in token.token_hash
    assert len(token.token_hash) == 64
    assert not AccessToken.objects.filter(token_hash=raw).exists()
    assert selectors.token_verify(raw) == token
    for bad in ("", "kort", raw[:-1] + ("A" if raw[-1] != "A" else "B"), raw + "x", "../" * 10):
        assert selectors.token_verify(bad) is None
    # Expired.
    AccessToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert selectors.token_verify(raw) is None
    # Revoked.
    token2, raw2 = services.token_create(request=request, days=1, actor=None)
    assert selectors.token_verify(raw2) == token2
    services.token_revoke(token=token2, actor=None)
    assert selectors.token_verify(raw2) is None
    assert AuditEvent.objects.filter(action="uitvraag.token_revoke").count() == 1
    for days in (0, 91, -1):
        with pytest.raises(UitvraagError):
            services.token_create(request=request, days=days, actor=None)


def test_token_upload_is_recorded_as_from_the_link_and_rate_limited(setup, monkeypatch):
    token, _raw = services.token_create(request=setup["request"], days=5, actor=None)
    data = fill(setup["xlsx"], {1: SCHOOLMAATJES})
    received = services.receive(
        request=setup["request"],
        data=data,
        file_name="C:\\Users\\pc\\uitvraag.xlsx",
        actor=None,
        channel=ReceivedFile.Channel.TOKEN,
        token=token,
    )
    assert received.via_token == token
    assert received.file_name == "uitvraag.xlsx"
    assert received.received_by_label.startswith("uitvraaglink:")
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert not Measure.objects.exists()  # the link never applies
    monkeypatch.setattr(services.files, "TOKEN_UPLOADS_PER_HOUR", 1)
    with pytest.raises(UitvraagError, match="te veel"):
        services.receive(
            request=setup["request"], data=data, file_name="b.xlsx", actor=None, token=token
        )
    assert ReceivedFile.objects.count() == 1


@pytest.mark.parametrize(
    ("start", "end", "years"),
    [
        (2019, 2026, list(range(2019, 2028))),  # the audit period, through the budget years
        (2024, 2030, list(range(2024, 2031))),
        (2010, 2026, [2023, 2024, 2025, 2026, 2027]),  # too long a period: the default
    ],
)
def test_budget_years_follow_the_audit_period(start, end, years):
    import datetime as dt
    from types import SimpleNamespace

    dossier = SimpleNamespace(period_start=dt.date(start, 1, 1), period_end=dt.date(end, 6, 30))
    assert selectors.budget_years_for(dossier) == years


def test_template_names_the_dossiers_municipality(setup):
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(setup["xlsx"]))["Toelichting"]
    text = "\n".join(str(c.value) for c in sheet["A"] if c.value)
    assert setup["dossier"].municipality_name == "Amsterdam"
    assert "welk beleid de gemeente Amsterdam voert" in text
