"""Role × page × member/non-member: every view of the application against one table.

A view that is added without an entry in MATRIX fails ``test_every_view_is_in_the_matrix``.
Codes: 200 shown, 302 redirected (after a successful POST, or to the login page for anonymous
visitors), 403 member without the capability, 404 not a member (the dossier "does not exist").
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.helpers.matrix_rows import (
    ACTORS,
    ANY_USER,
    EDITORS,
    EDITORS_POST,
    LOG_READERS,
    MEMBERS_ONLY,
    row,
)


def _evidence(t):
    """A PDF document and a followed term in the team's dossier (made once per test)."""
    if "document" not in t:
        from kansenaudit.demo.documents import generate_demo_documents
        from kansenaudit.ingest.extract import extract
        from kansenaudit.web.evidence import services as evidence

        item = next(d for d in generate_demo_documents() if d.file_name.endswith(".pdf"))
        data = item.data()
        t["document"], _ = evidence.document_store(
            dossier=t["dossier"],
            extracted=extract(data, item.file_name, ocr=False),
            data=data,
            actor=None,
        )
        t["term"] = evidence.term_add(dossier=t["dossier"], term="achterstand", actor=None)
    return t


def _document_args(t):
    return [t["dossier"].pk, _evidence(t)["document"].pk]


# name → (method, args builder, expected codes)
MATRIX = {
    "health": ("get", lambda t: [], row(200, 200, 200, 200, 200, 200, 200)),
    "set_language": ("post", lambda t: [], row(302, 302, 302, 302, 302, 302, 302)),
    "accounts:login": ("get", lambda t: [], row(302, 302, 302, 302, 302, 302, 200)),
    "accounts:logout": ("post", lambda t: [], row(302, 302, 302, 302, 302, 302, 302)),
    "accounts:password_change": ("get", lambda t: [], ANY_USER),
    "dossiers:list": ("get", lambda t: [], ANY_USER),
    "dossiers:create": ("get", lambda t: [], row(403, 403, 403, 403, 403, 200, 302)),
    "dossiers:detail": ("get", lambda t: [t["dossier"].pk], MEMBERS_ONLY),
    "dossiers:edit": ("get", lambda t: [t["dossier"].pk], EDITORS),
    "dossiers:sub_question_edit": ("get", lambda t: [t["dossier"].pk, 1], EDITORS),
    "dossiers:team": ("get", lambda t: [t["dossier"].pk], MEMBERS_ONLY),
    "dossiers:team_remove": (
        "post",
        lambda t: [t["dossier"].pk, t["dossier"].memberships.get(role="meelezer").pk],
        row(302, 403, 403, 403, 404, 404, 302),
    ),
    "dossiers:milestone_add": ("post", lambda t: [t["dossier"].pk], EDITORS_POST),
    "dossiers:milestone_toggle": (
        "post",
        lambda t: [t["dossier"].pk, t["milestone"].pk],
        EDITORS_POST,
    ),
    "dossiers:comment_add": (
        "post",
        lambda t: [t["dossier"].pk],
        row(302, 302, 302, 403, 404, 404, 302),
    ),
    "dossiers:export": ("get", lambda t: [t["dossier"].pk], MEMBERS_ONLY),
    "dossiers:audit_log": ("get", lambda t: [t["dossier"].pk], LOG_READERS),
    "dossiers:audit_log_csv": ("get", lambda t: [t["dossier"].pk], LOG_READERS),
    "dossiers:api_list": ("get", lambda t: [], ANY_USER),
    "dossiers:api_detail": ("get", lambda t: [t["dossier"].pk], MEMBERS_ONLY),
    "areas:map": ("get", lambda t: [], ANY_USER),
    "indicators:statistics": ("get", lambda t: [t["dossier"].pk], MEMBERS_ONLY),
    "indicators:statistics_csv": ("get", lambda t: [t["dossier"].pk], MEMBERS_ONLY),
    "evidence:documents": ("get", lambda t: [t["dossier"].pk], MEMBERS_ONLY),
    "evidence:upload": ("post", lambda t: [t["dossier"].pk], EDITORS_POST),
    "evidence:council_pull": ("post", lambda t: [t["dossier"].pk], EDITORS_POST),
    "evidence:jobs": ("get", lambda t: [t["dossier"].pk], MEMBERS_ONLY),
    "evidence:document": ("get", _document_args, MEMBERS_ONLY),
    "evidence:page_image": ("get", lambda t: [*_document_args(t), 1], MEMBERS_ONLY),
    "evidence:cite": ("post", _document_args, EDITORS_POST),
    "evidence:document_edit": ("post", _document_args, EDITORS_POST),
    "evidence:document_reread": ("post", _document_args, EDITORS_POST),
    "evidence:citations": ("get", lambda t: [t["dossier"].pk], MEMBERS_ONLY),
    "evidence:citations_csv": ("get", lambda t: [t["dossier"].pk], MEMBERS_ONLY),
    "evidence:terms": ("get", lambda t: [t["dossier"].pk], MEMBERS_ONLY),
    "evidence:terms_csv": ("get", lambda t: [t["dossier"].pk], MEMBERS_ONLY),
    "evidence:term_add": ("post", lambda t: [t["dossier"].pk], EDITORS_POST),
    "evidence:term_remove": (
        "post",
        lambda t: [t["dossier"].pk, _evidence(t)["term"].pk],
        EDITORS_POST,
    ),
    "evidence:definition_add": ("post", lambda t: [t["dossier"].pk], EDITORS_POST),
}

POST_DATA = {
    # An empty corrected file: refused with a message, so no re-read is queued in the background.
    "evidence:document_reread": {"bestand": SimpleUploadedFile("leeg.txt", b"")},
    "dossiers:milestone_add": {"title": "Nieuwe mijlpaal", "due_date": "2026-05-01"},
    "dossiers:comment_add": {"text": "Een notitie"},
    "set_language": {"language": "en", "next": "/"},
    "evidence:cite": {"pagina": 1, "citaat": "kansengelijkheid verstaan wij"},
    "evidence:document_edit": {
        "meta-title": "Nieuwe titel",
        "meta-doc_type": "beleidsnota",
        "meta-issuer": "college",
        "meta-status": "vastgesteld",
        "meta-confidentiality": "openbaar",
    },
    "evidence:term_add": {"term": "segregatie"},
}


def _merge_app_matrices() -> None:
    """Each later domain app keeps its rows in ``tests/helpers/matrix_<app>.py``."""
    for path in sorted((Path(__file__).resolve().parents[2] / "helpers").glob("matrix_*.py")):
        if path.stem == "matrix_rows":
            continue
        spec = importlib.util.spec_from_file_location(f"_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        assert not set(module.MATRIX) & set(MATRIX), f"{path.name} repeats a view"
        MATRIX.update(module.MATRIX)
        POST_DATA.update(getattr(module, "POST_DATA", {}))


_merge_app_matrices()


@pytest.fixture(autouse=True)
def _evidence_files(tmp_path, monkeypatch, settings):
    """Stored documents go to a temporary data folder; uploads are processed in the request."""
    monkeypatch.setenv("KANSENAUDIT_DATA_DIR", str(tmp_path / "data"))


def _named_patterns(patterns, namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _named_patterns(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}"


def test_every_view_is_in_the_matrix():
    names = {n for n in _named_patterns(get_resolver().url_patterns) if not n.startswith("admin:")}
    assert names - set(MATRIX) == set(), "views without an entry in the permission matrix"
    assert set(MATRIX) - names == set(), "matrix entries for views that no longer exist"


def _actor_user(team, actor):
    if actor == "outsider":
        return team["outsider"]
    if actor == "admin":
        return team["admin"]
    return team["users"].get(actor)


def _check(client, team, name, actor):
    method, args, expected = MATRIX[name]
    client.logout()
    user = _actor_user(team, actor)
    if user is not None:
        client.force_login(user)
    url = reverse(name, args=args(team))
    response = client.get(url) if method == "get" else client.post(url, POST_DATA.get(name, {}))
    assert response.status_code == expected[actor], f"{actor} {method.upper()} {url}"
    body = response.content.decode(errors="replace")
    # Nothing of another team's dossier ever shows, whatever the answer.
    if actor != "outsider":
        assert "Geheim onderzoek B" not in body
    if expected[actor] == 404 or actor == "outsider":
        assert team["dossier"].title not in body
    if (
        actor == "anonymous"
        and expected[actor] == 302
        and name not in ("set_language", "accounts:logout")
    ):
        assert reverse("accounts:login") in response["Location"]


GET_VIEWS = sorted(name for name, (method, _a, _e) in MATRIX.items() if method == "get")
POST_VIEWS = sorted(name for name, (method, _a, _e) in MATRIX.items() if method != "get")


@pytest.mark.parametrize("name", GET_VIEWS)
def test_permission_get(client, team, name):
    """A GET changes nothing, so every actor asks for the same page of one team."""
    for actor in ACTORS:
        _check(client, team, name, actor)


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("name", POST_VIEWS)
def test_permission_post(client, team, name, actor):
    """A POST may change the team's data, so each actor gets a fresh team."""
    _check(client, team, name, actor)


def test_decorated_views_declare_the_capability_the_matrix_expects():
    """The capability on each dossier view agrees with the role table in dossiers/roles.py."""
    from kansenaudit.web.dossiers.roles import ROLE_CAPABILITIES

    for name, (method, _args, expected) in MATRIX.items():
        view = get_resolver().resolve(_example_path(name)).func
        capability = getattr(view, "required_capability", None)
        if capability is None:
            continue
        for role, caps in ROLE_CAPABILITIES.items():
            if method == "get" and name != "dossiers:team":
                assert (expected[role] == 200) == (capability in caps), (name, role)


def _example_path(name):
    from django.urls import NoReverseMatch

    for args in ([], [1], [1, 1], [1, 1, 1], [1, 1, 1, 1], [1, 1, 1, "html"]):
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    raise AssertionError(name)


def test_site_admin_sees_only_own_dossiers_in_admin(client, team):
    from kansenaudit.web.dossiers.services import membership_set

    admin = team["admin"]
    client.force_login(admin)
    listing = client.get(reverse("admin:dossiers_dossier_changelist")).content.decode()
    assert "Onderzoek A" not in listing
    assert "Geheim onderzoek B" not in listing
    assert client.get(
        reverse("admin:dossiers_dossier_change", args=[team["dossier"].pk])
    ).status_code in (302, 404)
    membership_set(dossier=team["dossier"], user=admin, role="meelezer", actor=None)
    listing = client.get(reverse("admin:dossiers_dossier_changelist")).content.decode()
    assert "Onderzoek A" in listing
    assert "Geheim onderzoek B" not in listing
    log = client.get(reverse("admin:core_auditevent_changelist")).content.decode()
    assert "Geheim onderzoek B" not in log


def test_admin_is_closed_to_non_staff(client, team):
    client.force_login(team["users"]["projectleider"])
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_forged_form_without_csrf_token_is_refused(team):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(team["users"]["projectleider"])
    response = client.post(
        reverse("dossiers:comment_add", args=[team["dossier"].pk]), {"text": "vervalst"}
    )
    assert response.status_code == 403
    assert not team["dossier"].comments.filter(text="vervalst").exists()


def test_unknown_dossier_and_garbage_ids_are_404(client, team):
    client.force_login(team["users"]["projectleider"])
    assert client.get("/dossiers/999999/").status_code == 404
    assert client.get("/dossiers/abc/").status_code == 404
    assert client.get("/api/dossiers/999999/").status_code == 404


def test_api_list_shows_only_own_dossiers(client, team):
    client.force_login(team["users"]["meelezer"])
    titles = [d["title"] for d in client.get(reverse("dossiers:api_list")).json()["dossiers"]]
    assert titles == ["Onderzoek A"]
