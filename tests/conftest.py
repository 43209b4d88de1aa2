"""Shared fixtures: a member in each role of one dossier, and an outsider with their own."""

from __future__ import annotations

import pytest

from kansenaudit.web.accounts.services import user_create
from kansenaudit.web.dossiers import services as dossier_services

PASSWORD = "correct-horse-battery-staple"
ROLES = ["projectleider", "onderzoeker", "reviewer", "meelezer"]


@pytest.fixture
def make_user(db):
    def make(username: str, *, admin: bool = False):
        return user_create(
            username=username,
            password=PASSWORD,
            actor=None,
            is_site_admin=admin,
            check_password=False,
        )

    return make


@pytest.fixture
def team(db, make_user):
    """One dossier with a member in every role, and a second dossier none of them can see."""
    users = {role: make_user(role) for role in ROLES}
    dossier = dossier_services.dossier_create(
        title="Onderzoek A",
        municipality_code="GM0363",
        municipality_name="Amsterdam",
        creator=users["projectleider"],
    )
    for role in ROLES[1:]:
        dossier_services.membership_set(
            dossier=dossier, user=users[role], role=role, actor=users["projectleider"]
        )
    dossier_services.sub_question_set(
        dossier=dossier, number=1, question="Wat is de staat?", actor=users["projectleider"]
    )
    milestone = dossier_services.milestone_create(
        dossier=dossier, title="Start", due_date="2026-01-01", actor=users["projectleider"]
    )
    outsider = make_user("buitenstaander")
    other = dossier_services.dossier_create(
        title="Geheim onderzoek B", municipality_code="GM0599", creator=outsider
    )
    admin = make_user("beheerder", admin=True)
    return {
        "dossier": dossier,
        "other": other,
        "users": users,
        "outsider": outsider,
        "admin": admin,
        "milestone": milestone,
    }


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture(scope="session")
def shared_data():
    """The folder with the real published files (never committed); see KANSENAUDIT_TEST_DATA."""
    from kansenaudit.config import test_data_dir

    folder = test_data_dir()
    if folder is None or not folder.is_dir():
        pytest.fail(
            "The real data folder is missing: set KANSENAUDIT_TEST_DATA to the shared/data folder"
        )
    return folder


@pytest.fixture(scope="module")
def demo_for_module(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo (city and documents, no policy set) loaded once for a whole test module.

    It is loaded inside a transaction that is rolled back when the module is done. Each test's
    own transaction (pytest-django's ``db``) becomes a savepoint inside it, so whatever a test
    changes is undone before the next one, and the demo's load time is paid once per module
    instead of once per test. Use it only in modules whose every database test wants the demo:
    a ``team`` test beside it would meet the demo's users.
    """
    import os

    from django.db import transaction

    from kansenaudit.web.demo.services import demo_load

    old_data_dir = os.environ.get("KANSENAUDIT_DATA_DIR")
    os.environ["KANSENAUDIT_DATA_DIR"] = str(tmp_path_factory.mktemp("demo-data"))
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            yield demo_load(with_policy=False)
            transaction.set_rollback(True)
    finally:
        if old_data_dir is None:
            os.environ.pop("KANSENAUDIT_DATA_DIR", None)
        else:
            os.environ["KANSENAUDIT_DATA_DIR"] = old_data_dir
