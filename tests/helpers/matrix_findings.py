"""Permission-matrix rows of the findings pages (merged by test_permission_matrix.py).

The public page of a wederhoor link answers every visitor alike (account or not, member or
not): the link itself is the permission.
"""

import datetime as dt

from tests.helpers.matrix_rows import (
    ANY_USER,
    EDITORS,
    EDITORS_POST,
    MEMBERS_ONLY,
    SIGNERS_POST,
    row,
)

COMMENTERS_POST = row(302, 302, 302, 403, 404, 404, 302)
EVERYONE = row(200, 200, 200, 200, 200, 200, 200)


def _w(t):
    """A norm, a finding with a citation in review, a conclusion, a recommendation, a frozen
    version with a link and a comment, in the team's dossier (made once)."""
    if "findings" not in t:
        from django.utils import timezone

        from kansenaudit.web.dossiers.models import SubQuestion
        from kansenaudit.web.findings import services, wederhoor
        from tests.helpers.judgements_support import citation

        pl = t["users"]["projectleider"]
        oz = t["users"]["onderzoeker"]
        dossier = t["dossier"]
        sq = SubQuestion.objects.get(dossier=dossier, number=1)
        norm = services.norm_create(
            dossier=dossier, code="N1", title="Norm", source_kind="raad", source="Raad", actor=pl
        )
        finding = services.finding_create(
            dossier=dossier,
            sub_question=sq,
            code="B1",
            title="Bevinding",
            text="Tekst.",
            norms=[norm],
            actor=oz,
        )
        cite = citation(dossier, "Het college neemt de aanbeveling over.")
        ref = services.evidence_add(finding=finding, kind="citaat", object_id=cite.pk, actor=oz)
        services.review_request(finding=finding, actor=oz)
        note = services.note_add(finding=finding, text="Vraag", actor=pl)
        conclusion = services.conclusion_create(
            dossier=dossier, code="C1", text="Conclusie", findings=[finding], actor=oz
        )
        rec = services.recommendation_create(
            dossier=dossier,
            code="A1",
            text="Doe iets",
            addressee="college",
            conclusions=[conclusion],
            actor=oz,
        )
        version = wederhoor.version_freeze(
            dossier=dossier, comments_until=timezone.localdate() + dt.timedelta(days=7), actor=oz
        )
        link, raw = wederhoor.link_create(version=version, contact_name="Contact", actor=oz)
        comment = wederhoor.comment_add(link=link, section_key="B1", text="Klopt niet")
        t["findings"] = {
            "norm": norm,
            "finding": finding,
            "ref": ref,
            "note": note,
            "conclusion": conclusion,
            "rec": rec,
            "version": version,
            "link": link,
            "raw": raw,
            "comment": comment,
        }
    return t["findings"]


def _dossier(t):
    return [t["dossier"].pk]


def _finding(t):
    return [t["dossier"].pk, _w(t)["finding"].pk]


def _of(key):
    return lambda t: [t["dossier"].pk, _w(t)[key].pk]


MATRIX = {
    "findings:dashboard": ("get", _dossier, MEMBERS_ONLY),
    "findings:norms": ("get", _dossier, MEMBERS_ONLY),
    "findings:norm_add": ("post", _dossier, EDITORS_POST),
    "findings:norm_edit": ("get", _of("norm"), EDITORS),
    "findings:norms_seed": ("post", _dossier, EDITORS_POST),
    "findings:norms_csv": ("get", _dossier, MEMBERS_ONLY),
    "findings:norms_xlsx": ("get", _dossier, MEMBERS_ONLY),
    "findings:finding_add": ("get", _dossier, EDITORS),
    "findings:finding": ("get", _finding, MEMBERS_ONLY),
    "findings:finding_edit": ("get", _finding, EDITORS),
    "findings:evidence_add": ("post", _finding, EDITORS_POST),
    "findings:evidence_pick": ("get", _finding, EDITORS),
    "findings:evidence_remove": ("post", lambda t: [*_finding(t), _w(t)["ref"].pk], EDITORS_POST),
    "findings:review_request": ("post", _finding, EDITORS_POST),
    "findings:note_add": ("post", _finding, COMMENTERS_POST),
    "findings:note_resolve": ("post", lambda t: [*_finding(t), _w(t)["note"].pk], COMMENTERS_POST),
    "findings:sign_off": ("post", _finding, SIGNERS_POST),
    "findings:chain": ("get", _dossier, MEMBERS_ONLY),
    "findings:trace_csv": ("get", _dossier, MEMBERS_ONLY),
    "findings:trace_xlsx": ("get", _dossier, MEMBERS_ONLY),
    "findings:conclusions": ("get", _dossier, MEMBERS_ONLY),
    "findings:conclusion_add": ("post", _dossier, EDITORS_POST),
    "findings:conclusion_link": ("post", _of("conclusion"), EDITORS_POST),
    "findings:recommendation_add": ("post", _dossier, EDITORS_POST),
    "findings:reaction": ("post", _of("rec"), EDITORS_POST),
    "findings:follow_up_add": ("post", _of("rec"), EDITORS_POST),
    "findings:nawoord": ("post", _dossier, EDITORS_POST),
    "findings:wederhoor": ("get", _dossier, MEMBERS_ONLY),
    "findings:version_freeze": ("post", _dossier, EDITORS_POST),
    "findings:version": ("get", _of("version"), MEMBERS_ONLY),
    "findings:link_create": ("post", _of("version"), EDITORS_POST),
    "findings:link_revoke": ("post", _of("link"), EDITORS_POST),
    "findings:comment_handle": ("post", _of("comment"), EDITORS_POST),
    "findings:public": ("get", lambda t: [_w(t)["raw"]], EVERYONE),
    "findings:follow_up": ("get", lambda t: [], ANY_USER),
    "findings:follow_up_csv": ("get", _dossier, MEMBERS_ONLY),
    "findings:follow_up_xlsx": ("get", _dossier, MEMBERS_ONLY),
}

POST_DATA = {
    "findings:nawoord": {"text": "Nawoord"},
    "findings:norm_add": {"code": "N9", "title": "Norm", "source_kind": "wet", "source": "Wet"},
}
