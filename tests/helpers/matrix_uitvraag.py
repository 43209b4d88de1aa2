"""Permission-matrix rows of the uitvraag pages (merged by test_permission_matrix.py).

The public page of a personal link answers every visitor alike (account or not, member or
not): the link is the only key, and it opens only its own request.
"""

from tests.helpers.matrix_rows import EDITORS, EDITORS_POST, MEMBERS_ONLY, row

EVERYONE = row(200, 200, 200, 200, 200, 200, 200)


def _uitvraag(t):
    """A request with goals, a template, a received file and a personal link (made once)."""
    if "uitvraag" not in t:
        from kansenaudit.web.uitvraag import services
        from tests.helpers.uitvraag_fill import SCHOOLMAATJES, fill, seed_register

        seed_register(t["dossier"])
        request = services.request_create(
            dossier=t["dossier"], directie_name="Onderwijs", actor=None
        ).request
        template = services.template_build(request=request, actor=None)
        t["uitvraag"] = request
        t["uitvraag_file"] = services.receive(
            request=request,
            data=fill(template.data, {1: SCHOOLMAATJES}),
            file_name="onderwijs.xlsx",
            actor=None,
        )
        t["uitvraag_token"], t["uitvraag_raw"] = services.token_create(
            request=request, days=7, actor=None
        )
    return t


def _request(t):
    return [t["dossier"].pk, _uitvraag(t)["uitvraag"].pk]


def _file(t):
    return [*_request(t), _uitvraag(t)["uitvraag_file"].pk]


MATRIX = {
    "uitvraag:requests": ("get", lambda t: [t["dossier"].pk], MEMBERS_ONLY),
    "uitvraag:create": ("post", lambda t: [t["dossier"].pk], EDITORS_POST),
    "uitvraag:export_csv": ("get", lambda t: [t["dossier"].pk], MEMBERS_ONLY),
    "uitvraag:export_xlsx": ("get", lambda t: [t["dossier"].pk], MEMBERS_ONLY),
    "uitvraag:detail": ("get", _request, MEMBERS_ONLY),
    "uitvraag:update": ("post", _request, EDITORS_POST),
    "uitvraag:template": ("get", _request, EDITORS),
    "uitvraag:template_refresh": ("post", _request, EDITORS_POST),
    "uitvraag:upload": ("post", _request, EDITORS_POST),
    "uitvraag:status": ("post", _request, EDITORS_POST),
    "uitvraag:reminder": ("post", _request, EDITORS_POST),
    "uitvraag:token_create": ("post", _request, EDITORS_POST),
    "uitvraag:token_revoke": (
        "post",
        lambda t: [*_request(t), _uitvraag(t)["uitvraag_token"].pk],
        EDITORS_POST,
    ),
    "uitvraag:received": ("get", _file, MEMBERS_ONLY),
    "uitvraag:received_download": ("get", _file, MEMBERS_ONLY),
    "uitvraag:apply": ("post", _file, EDITORS_POST),
    "uitvraag:public": ("get", lambda t: [_uitvraag(t)["uitvraag_raw"]], EVERYONE),
    "uitvraag:public_template": ("get", lambda t: [_uitvraag(t)["uitvraag_raw"]], EVERYONE),
}

POST_DATA = {
    "uitvraag:create": {"directie": "Jeugd", "deadline": "2026-03-01"},
    "uitvraag:update": {"directie": "Onderwijs", "deadline": "2026-04-01", "contact": "Piet"},
    "uitvraag:status": {"status": "verstuurd", "note": "per e-mail"},
    "uitvraag:reminder": {"sent_on": "2026-01-05"},
    "uitvraag:token_create": {"days": "14", "label": "P. de Vries"},
}
