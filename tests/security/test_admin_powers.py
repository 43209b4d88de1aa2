"""Administrators are not above confidentiality (issue #11, §3).

Whatever a site administrator does through the admin is an audit event; a password they set
forces the user to choose a new one and shows in the log of each of the user's dossiers; the
sign-in records of django-axes cannot be changed or deleted through the admin, by anyone.
"""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import DatabaseError, connection
from django.test import RequestFactory
from django.urls import reverse

from kansenaudit.web.core.models import AuditEvent

NEW_PASSWORD = "beheerder-kiest-dit-wachtwoord-1"


def _admin_sets_password(client, admin_user, user, password=NEW_PASSWORD):
    client.force_login(admin_user)
    return client.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"password1": password, "password2": password, "usable_password": "true"},
    )


def test_every_registered_admin_logs_its_actions():
    from kansenaudit.web.core.admin import AuditedAdminMixin

    missing = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, AuditedAdminMixin)
    ]
    assert missing == []


def test_admin_add_change_and_delete_are_events(client, team):
    client.force_login(team["admin"])
    response = client.post(reverse("admin:auth_group_add"), {"name": "Lezers"})
    assert response.status_code == 302
    group = Group.objects.get(name="Lezers")
    added = AuditEvent.objects.get(action="admin.add")
    assert added.actor == team["admin"]
    assert added.object_id == str(group.pk)
    assert added.object_type == "auth.Group"

    client.post(reverse("admin:auth_group_change", args=[group.pk]), {"name": "Meelezers"})
    changed = AuditEvent.objects.get(action="admin.change")
    assert changed.object_id == str(group.pk)
    assert changed.after["message"]

    client.post(reverse("admin:auth_group_delete", args=[group.pk]), {"post": "yes"})
    assert not Group.objects.filter(pk=group.pk).exists()
    deleted = AuditEvent.objects.get(action="admin.delete")
    assert deleted.object_id == str(group.pk)
    assert deleted.after["object"] == "Meelezers"


def test_bulk_delete_in_the_admin_logs_every_object(client, team):
    groups = [Group.objects.create(name=name) for name in ("Een", "Twee")]
    client.force_login(team["admin"])
    client.post(
        reverse("admin:auth_group_changelist"),
        {"action": "delete_selected", "_selected_action": [g.pk for g in groups], "post": "yes"},
    )
    assert not Group.objects.filter(name__in=["Een", "Twee"]).exists()
    logged = set(
        AuditEvent.objects.filter(action="admin.delete").values_list("object_id", flat=True)
    )
    assert logged == {str(g.pk) for g in groups}


def _group_delete_fails(execute, sql, params, many, context):
    """The DELETE of the groups themselves fails (as a refusing trigger or a lost connection
    would), after the admin has looked them up and cleared their relations."""
    if sql.lstrip().upper().startswith("DELETE") and 'FROM "auth_group" ' in sql + " ":
        raise DatabaseError("delete refused")
    return execute(sql, params, many, context)


@pytest.mark.parametrize("bulk", [True, False], ids=["bulk", "single"])
def test_a_failed_admin_delete_leaves_no_delete_event(client, team, bulk):
    groups = [Group.objects.create(name=name) for name in ("Een", "Twee")]
    client.force_login(team["admin"])
    client.raise_request_exception = False  # answered as the server would: a 500 page
    with connection.execute_wrapper(_group_delete_fails):
        if bulk:
            response = client.post(
                reverse("admin:auth_group_changelist"),
                {
                    "action": "delete_selected",
                    "_selected_action": [g.pk for g in groups],
                    "post": "yes",
                },
            )
        else:
            response = client.post(
                reverse("admin:auth_group_delete", args=[groups[0].pk]), {"post": "yes"}
            )
    assert response.status_code == 500
    assert Group.objects.filter(name__in=["Een", "Twee"]).count() == 2
    assert not AuditEvent.objects.filter(action="admin.delete").exists()


def test_admin_change_of_a_dossier_is_in_that_dossiers_log(client, team):
    from kansenaudit.web.dossiers.services import DOSSIER_FIELDS, membership_set

    dossier = team["dossier"]
    membership_set(dossier=dossier, user=team["admin"], role="onderzoeker", actor=None)
    client.force_login(team["admin"])
    data = {name: getattr(dossier, name) or "" for name in DOSSIER_FIELDS}
    data.update({"title": "Onderzoek A (beheer)", "sub_questions-TOTAL_FORMS": "1"})
    data.update({"sub_questions-INITIAL_FORMS": "1", "sub_questions-MIN_NUM_FORMS": "0"})
    data.update({"sub_questions-MAX_NUM_FORMS": "1000"})
    data["sub_questions-0-id"] = dossier.sub_questions.get().pk
    data["sub_questions-0-dossier"] = dossier.pk
    response = client.post(reverse("admin:dossiers_dossier_change", args=[dossier.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    event = AuditEvent.objects.get(action="admin.change")
    assert event.dossier == dossier
    assert event.actor == team["admin"]


def test_admin_password_reset_forces_a_change_and_the_team_sees_it(client, team):
    user = team["users"]["projectleider"]
    response = _admin_sets_password(client, team["admin"], user)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.must_change_password
    assert user.check_password(NEW_PASSWORD)
    events = AuditEvent.objects.filter(action="user.password_reset", object_id=str(user.pk))
    assert {e.dossier for e in events} == {None, team["dossier"]}
    assert all(e.actor == team["admin"] for e in events)
    # A member of the team sees it on the dossier's audit log page.
    client.force_login(team["users"]["reviewer"])
    page = client.get(reverse("dossiers:audit_log", args=[team["dossier"].pk])).content.decode()
    assert "Wachtwoord van projectleider ingesteld door beheerder" in page


def test_admin_disabling_a_password_is_logged_too(client, team):
    user = team["users"]["meelezer"]
    client.force_login(team["admin"])
    client.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"usable_password": "false", "unset-password": "1"},
    )
    user.refresh_from_db()
    assert not user.has_usable_password()
    event = AuditEvent.objects.get(action="user.password_reset", dossier=team["dossier"])
    assert event.after["usable"] is False


def test_admin_changing_their_own_password_is_not_forced(client, team):
    admin_user = team["admin"]
    _admin_sets_password(client, admin_user, admin_user)
    admin_user.refresh_from_db()
    assert not admin_user.must_change_password
    assert not AuditEvent.objects.filter(action="user.password_reset").exists()
    assert AuditEvent.objects.filter(action="admin.change", object_id=str(admin_user.pk)).exists()


def test_a_password_set_on_the_command_line_forces_a_change(team, monkeypatch):
    from django.contrib.auth.management.commands import changepassword

    monkeypatch.setattr(changepassword.getpass, "getpass", lambda prompt="": NEW_PASSWORD)
    call_command("changepassword", "onderzoeker", stdout=None)
    user = team["users"]["onderzoeker"]
    user.refresh_from_db()
    assert user.must_change_password
    events = AuditEvent.objects.filter(action="user.password_reset", object_id=str(user.pk))
    assert {e.dossier for e in events} == {None, team["dossier"]}
    assert all(e.actor is None and e.actor_label.startswith("cli:") for e in events)


def test_a_hash_upgrade_at_login_is_not_a_password_change(client, team, settings, password):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    client.post(reverse("accounts:login"), {"username": "reviewer", "password": password})
    user = team["users"]["reviewer"]
    user.refresh_from_db()
    assert user.password.startswith("pbkdf2_")  # upgraded from MD5 at login
    assert not user.must_change_password
    assert not AuditEvent.objects.filter(action__startswith="user.password").exists()


def test_forced_change_allows_only_the_password_page_and_logout(client, team, password):
    user = team["users"]["reviewer"]
    type(user).objects.filter(pk=user.pk).update(must_change_password=True)
    client.force_login(user)
    change_url = reverse("accounts:password_change")
    for url in (
        reverse("dossiers:list"),
        reverse("dossiers:detail", args=[team["dossier"].pk]),
        reverse("dossiers:export", args=[team["dossier"].pk]),
        reverse("dossiers:api_list"),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == change_url, url
    assert not AuditEvent.objects.filter(action="export.download").exists()
    page = client.get(change_url)
    assert page.status_code == 200
    assert page.context["user"].must_change_password  # the page explains why
    same = client.post(
        change_url,
        {"old_password": password, "new_password1": password, "new_password2": password},
    )
    assert same.status_code == 200
    assert same.context["form"].has_error("new_password1", code="same")
    new = "mijn-eigen-nieuwe-wachtwoord-9"
    done = client.post(
        change_url, {"old_password": password, "new_password1": new, "new_password2": new}
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password
    assert AuditEvent.objects.get(action="user.password_change").after == {"forced": True}
    assert client.get(reverse("dossiers:list")).status_code == 200


@pytest.mark.parametrize(
    ("model", "name"),
    [
        (AccessAttempt, "accessattempt"),
        (AccessLog, "accesslog"),
        (AccessFailureLog, "accessfailurelog"),
    ],
)
def test_sign_in_records_cannot_be_deleted_or_changed_in_the_admin(client, team, model, name):
    fields = {"username": "reviewer", "ip_address": "127.0.0.1", "user_agent": "x"}
    if model is AccessAttempt:
        fields.update(failures_since_start=1, get_data="", post_data="")
    record = model.objects.create(**fields)
    superuser = team["admin"]
    assert superuser.is_superuser
    client.force_login(superuser)
    assert client.get(reverse(f"admin:axes_{name}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:axes_{name}_delete", args=[record.pk])).status_code == 403
    assert (
        client.post(reverse(f"admin:axes_{name}_delete", args=[record.pk]), {"post": "yes"})
    ).status_code == 403
    client.post(
        reverse(f"admin:axes_{name}_change", args=[record.pk]), {"username": "iemand-anders"}
    )
    client.post(
        reverse(f"admin:axes_{name}_changelist"),
        {"action": "delete_selected", "_selected_action": [record.pk], "post": "yes"},
    )
    record.refresh_from_db()
    assert record.username == "reviewer"
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/")
    request.user = superuser
    assert not model_admin.has_delete_permission(request, record)
    assert not model_admin.has_change_permission(request, record)
    assert model_admin.get_actions(request) == {}


def test_impersonation_is_forced_and_visible(client, team, password):
    """The story of the issue: an administrator sets a member's password and logs in as them."""
    victim, admin_user = team["users"]["onderzoeker"], team["admin"]
    assert _admin_sets_password(client, admin_user, victim).status_code == 302
    client.logout()
    login = client.post(
        reverse("accounts:login"), {"username": "onderzoeker", "password": NEW_PASSWORD}
    )
    assert login.status_code == 302
    # As that user, the administrator reaches nothing of the dossier: only the password page.
    detail = client.get(reverse("dossiers:detail", args=[team["dossier"].pk]))
    assert detail["Location"] == reverse("accounts:password_change")
    assert client.get(reverse("dossiers:export", args=[team["dossier"].pk])).status_code == 302
    # The sign-in as that user is in the append-only log; the axes records cannot be wiped.
    assert AuditEvent.objects.filter(action="auth.login", actor=victim).exists()
    client.force_login(admin_user)
    for name in ("accesslog", "accessattempt", "accessfailurelog"):
        response = client.post(
            reverse(f"admin:axes_{name}_changelist"),
            {"action": "delete_selected", "_selected_action": [1], "post": "yes"},
        )
        assert response.status_code in (200, 302)
    assert AccessLog.objects.filter(username="onderzoeker").exists()
    # The team sees that the password was set by the administrator.
    client.force_login(team["users"]["projectleider"])
    page = client.get(reverse("dossiers:audit_log", args=[team["dossier"].pk])).content.decode()
    assert "Wachtwoord van onderzoeker ingesteld door beheerder" in page
    # And the user, back at their desk, finds their own password refused.
    client.logout()
    again = client.post(
        reverse("accounts:login"), {"username": "onderzoeker", "password": password}
    )
    assert again.status_code == 200
