"""The audit log: written by every service, append-only in the model and in the database."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from kansenaudit.web.core.models import AppendOnlyError, AuditEvent
from kansenaudit.web.dossiers import services


def test_services_record_who_what_and_before_after(team):
    dossier, pl = team["dossier"], team["users"]["projectleider"]
    services.dossier_update(dossier=dossier, actor=pl, title="Onderzoek A (herzien)")
    event = AuditEvent.objects.filter(dossier=dossier, action="dossier.update").get()
    assert event.actor == pl
    assert event.actor_label == "projectleider"
    assert event.before == {"title": "Onderzoek A"}
    assert event.after == {"title": "Onderzoek A (herzien)"}
    assert event.object_type == "dossiers.Dossier"


def test_an_unchanged_save_records_nothing(team):
    dossier, pl = team["dossier"], team["users"]["projectleider"]
    before = AuditEvent.objects.count()
    services.dossier_update(dossier=dossier, actor=pl, title="Onderzoek A")
    assert AuditEvent.objects.count() == before


def test_model_refuses_change_and_delete(team):
    event = AuditEvent.objects.filter(dossier=team["dossier"]).first()
    event.summary = "vervalst"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(summary="vervalst")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE core_auditevent SET summary = 'vervalst'",
        "DELETE FROM core_auditevent",
    ],
)
def test_database_refuses_raw_update_and_delete(team, statement):
    count = AuditEvent.objects.count()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert AuditEvent.objects.count() == count
    assert not AuditEvent.objects.filter(summary="vervalst").exists()


def test_failed_change_leaves_no_log_entry_and_no_change(team):
    dossier, pl = team["dossier"], team["users"]["projectleider"]
    count = AuditEvent.objects.count()
    with pytest.raises(services.DossierError):
        services.dossier_update(dossier=dossier, actor=pl, municipality_code="Amsterdam")
    dossier.refresh_from_db()
    assert dossier.municipality_code == "GM0363"
    assert AuditEvent.objects.count() == count


def test_last_projectleider_cannot_leave(team):
    membership = team["dossier"].memberships.get(role="projectleider")
    with pytest.raises(services.DossierError):
        services.membership_remove(membership=membership, actor=membership.user)
    assert team["dossier"].memberships.filter(role="projectleider").exists()


def test_audit_page_lists_and_filters(client, team):
    dossier, pl = team["dossier"], team["users"]["projectleider"]
    services.comment_add(dossier=dossier, author=team["users"]["reviewer"], text="Check bron")
    client.force_login(pl)
    url = reverse("dossiers:audit_log", args=[dossier.pk])
    page = client.get(url).content.decode()
    assert 'data-action="comment.add"' in page
    assert 'data-action="membership.set"' in page
    filtered = client.get(url, {"action": "comment.add"}).content.decode()
    assert "Check bron" in filtered
    assert "Deelvraag 1 vastgelegd" not in filtered
    by_actor = client.get(url, {"actor": "reviewer"}).content.decode().split('id="logboek"')[1]
    assert "Check bron" in by_actor
    assert "Mijlpaal" not in by_actor
    bad = client.get(url, {"since": "niet-een-datum"})
    assert bad.status_code == 200  # an invalid filter shows the form error, not a crash


def test_audit_log_never_shows_other_dossiers_events(client, team):
    client.force_login(team["users"]["projectleider"])
    page = client.get(reverse("dossiers:audit_log", args=[team["dossier"].pk])).content.decode()
    assert "Geheim onderzoek B" not in page


def test_csv_export_neutralises_formulas(client, team):
    from kansenaudit.web.core.services import audit_record

    dossier = team["dossier"]
    audit_record(
        actor=team["users"]["onderzoeker"],
        action="test.formula",
        dossier=dossier,
        summary='=HYPERLINK("http://evil.example","klik")',
    )
    client.force_login(team["users"]["projectleider"])
    response = client.get(reverse("dossiers:audit_log_csv", args=[dossier.pk]))
    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert text.splitlines()[0] == "tijd;wie;actie;object;samenvatting;voor;na"
    assert "'=HYPERLINK" in text
    for line in text.splitlines()[1:]:
        for cell in line.split(";"):
            assert not cell.startswith(("=", "+", "@"))


def test_audit_page_reads_as_sentences_with_changes_in_words(client, team):
    """Each event a sentence, changes as "field: old → new" with the fields' labels, a link to
    the object while it exists; no action codes, Python values or ISO time stamps on the page
    (they stay in the CSV)."""
    import re
    from html import unescape

    from django.utils import translation

    from kansenaudit.web.core.services import audit_record

    dossier, pl = team["dossier"], team["users"]["projectleider"]
    pl.first_name, pl.last_name = "Anna", "de Vries"
    pl.save()
    services.dossier_update(
        dossier=dossier, actor=pl, title="Onderzoek A (herzien)", period_end="2026-06-30"
    )
    # An action no app registered (a new pillar, say) still reads as a sentence.
    audit_record(
        actor=pl,
        action="fieldwork.session_close",
        dossier=dossier,
        target=dossier,
        summary="Sessie gesloten",
        before={"closed": False},
        after={"closed": True},
    )
    client.force_login(pl)
    url = reverse("dossiers:audit_log", args=[dossier.pk])
    with translation.override("nl"):
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    table = unescape(re.search(r'<table class="ka-table" id="logboek">.*?</table>', html, re.S)[0])
    text = re.sub(r"<[^>]+>", " ", table)
    assert "Anna de Vries wijzigde het dossier." in " ".join(text.split())
    assert "Titel: Onderzoek A → Onderzoek A (herzien)" in " ".join(text.split())
    # The generic sentence (the verb "close" is unknown, the object's kind is not).
    assert "Anna de Vries legde iets vast over een dossier." in " ".join(text.split())
    assert "Closed: nee → ja" in " ".join(text.split())
    assert f'href="/dossiers/{dossier.pk}/"' in table  # the object still exists
    for raw in ("dossier.update", "session_close", "{'", "False", "True", "+00:00"):
        assert raw not in text, raw
    assert not re.search(r"\d{4}-\d{2}-\d{2}T", text)
    assert not re.search(r"\d\d:\d\d:\d\d\.\d+", text)  # no microseconds
    # The filter menu names actions and people in words, and still filters.
    form = unescape(html.split('<table class="ka-table" id="logboek">')[0])
    assert '<option value="dossier.update">Dossier gewijzigd</option>' in form
    assert ">Anna de Vries (projectleider)</option>" in form
    only = client.get(url, {"action": "fieldwork.session_close"}).content.decode()
    assert only.count("<tr data-action=") == 1
    # The raw data stays in the export.
    csv_text = client.get(reverse("dossiers:audit_log_csv", args=[dossier.pk])).content.decode()
    assert "fieldwork.session_close" in csv_text
    assert "closed" in csv_text
