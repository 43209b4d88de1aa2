"""Cache-Control: confidential responses (everything a signed-in user gets, and the pages of an
uitvraag link) are never stored; page images at most five minutes, privately; static files
keep their long caching. Production cookies are Secure and HTTPS responses carry HSTS."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

WEB_TESTS = Path(__file__).resolve().parents[1] / "web"
EXPORT = re.compile(r"export|csv|xlsx|json|download|api_|page_image|template|sjabloon")
SAMPLE_PAGES = [
    "dossiers:list",
    "dossiers:detail",
    "dossiers:team",
    "evidence:documents",
    "policy:overview",
    "uitvraag:requests",
    "judgements:overview",
    "council:items",
    "dossiers:audit_log",
]


def _matrix() -> dict:
    """The permission matrix's table: every view with a way to build its arguments."""
    spec = importlib.util.spec_from_file_location(
        "_matrix_for_headers", WEB_TESTS / "core" / "test_permission_matrix.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.MATRIX


MATRIX = _matrix()
EXPORTS = sorted(
    name for name, (method, _a, _e) in MATRIX.items() if method == "get" and EXPORT.search(name)
)


def _get(client, team, name):
    _method, args, _expected = MATRIX[name]
    client.force_login(team["users"]["projectleider"])
    return client.get(reverse(name, args=args(team)))


def _directives(response) -> set[str]:
    return {part.strip().lower() for part in response.get("Cache-Control", "").split(",")}


def test_the_samples_are_found():
    assert len(EXPORTS) >= 15
    assert "evidence:page_image" in EXPORTS
    assert set(SAMPLE_PAGES) <= set(MATRIX)


@pytest.mark.parametrize("name", sorted(set(EXPORTS) | set(SAMPLE_PAGES)))
def test_responses_to_a_signed_in_user_are_never_stored(client, team, name):
    response = _get(client, team, name)
    assert response.status_code == 200, name
    directives = _directives(response)
    if name == "evidence:page_image":
        ages = [int(d.split("=")[1]) for d in directives if d.startswith("max-age=")]
        assert "no-store" in directives or (ages and max(ages) <= 300), directives
        assert "private" in directives
    else:
        assert "no-store" in directives, (name, response.get("Cache-Control"))


def test_the_pages_of_an_uitvraag_link_are_never_stored(db):
    response = Client().get("/uitvraag/" + "N" * 43 + "/")
    assert response.status_code == 404
    assert "no-store" in _directives(response)


def test_static_files_keep_their_caching(client, team):
    client.force_login(team["users"]["projectleider"])
    response = client.get("/static/evidence/upload.js")
    assert response.status_code == 200
    assert "no-store" not in _directives(response)


def test_production_cookies_are_secure_and_https_gets_hsts(client, team, password):
    from kansenaudit.web import settings as production

    assert production.PRODUCTION
    assert production.SESSION_COOKIE_SECURE
    assert production.CSRF_COOKIE_SECURE
    assert production.SECURE_HSTS_SECONDS >= 31536000
    response = client.post(
        reverse("accounts:login"),
        {"username": "reviewer", "password": password},
        secure=True,
    )
    assert response.status_code == 302
    assert response.cookies["sessionid"]["secure"]
    assert "max-age=31536000" in response["Strict-Transport-Security"]
