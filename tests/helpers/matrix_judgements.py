"""Permission-matrix rows of the judgements pages (merged by test_permission_matrix.py)."""

from tests.helpers.matrix_rows import EDITORS_POST, MEMBERS_ONLY, SIGNERS_POST

# A judgement in the team's dossier, built lazily once per test.


def _judgement(t):
    """An effectladder judgement with both assessments and a consensus by the onderzoeker,
    so that projectleider and reviewer may sign off (neither assessed nor agreed it)."""
    if "judgement" not in t:
        from kansenaudit.web.dossiers.services import membership_set
        from kansenaudit.web.judgements import services
        from kansenaudit.web.policy.models import Measure

        dossier, users = t["dossier"], t["users"]
        measure = Measure.objects.create(dossier=dossier, name="Matrixmaatregel")
        created, _ = services.judgements_start(
            dossier=dossier,
            framework_key="effectladder",
            subject=measure,
            criteria=None,
            mode="dubbel",
            actor=None,
        )
        from django.contrib.auth import get_user_model

        second = get_user_model().objects.create_user(username="tweede-beoordelaar")
        membership_set(dossier=dossier, user=second, role="onderzoeker", actor=None)
        judgement = created[0]
        services.assessment_submit(
            judgement=judgement, actor=users["onderzoeker"], score=2, rationale="m"
        )
        services.assessment_submit(judgement=judgement, actor=second, score=3, rationale="m")
        services.consensus_record(
            judgement=judgement, actor=users["onderzoeker"], score=2, rationale="samen"
        )
        t["judgement"] = judgement
    return t["judgement"]


def _detail_args(t):
    return [t["dossier"].pk, _judgement(t).pk]


def _evidence_args(t):
    """Evidence on the consensus, which any member with EDIT may remove."""
    from kansenaudit.web.judgements import services
    from tests.helpers.judgements_support import citation

    judgement = _judgement(t)
    quote = citation(t["dossier"])
    services.consensus_record(
        judgement=judgement,
        actor=t["users"]["onderzoeker"],
        score=2,
        rationale="samen",
        citations=[quote],
    )
    from kansenaudit.web.judgements.selectors import evidence_for

    return [t["dossier"].pk, judgement.pk, evidence_for(judgement)[0].pk]


MATRIX = {
    "judgements:overview": ("get", lambda t: [t["dossier"].pk], MEMBERS_ONLY),
    "judgements:start": ("post", lambda t: [t["dossier"].pk], EDITORS_POST),
    "judgements:agreement": ("get", lambda t: [t["dossier"].pk], MEMBERS_ONLY),
    "judgements:export_csv": ("get", lambda t: [t["dossier"].pk], MEMBERS_ONLY),
    "judgements:export_xlsx": ("get", lambda t: [t["dossier"].pk], MEMBERS_ONLY),
    "judgements:history_csv": ("get", lambda t: [t["dossier"].pk], MEMBERS_ONLY),
    "judgements:detail": ("get", _detail_args, MEMBERS_ONLY),
    "judgements:assess": ("post", _detail_args, EDITORS_POST),
    "judgements:consensus": ("post", _detail_args, EDITORS_POST),
    "judgements:sign_off": ("post", _detail_args, SIGNERS_POST),
    "judgements:evidence_remove": ("post", _evidence_args, EDITORS_POST),
    "judgements:assign": ("post", _detail_args, EDITORS_POST),
    "judgements:frameworks": ("get", lambda t: [t["dossier"].pk], MEMBERS_ONLY),
    "judgements:framework": ("get", lambda t: [t["dossier"].pk, "effectladder"], MEMBERS_ONLY),
    "judgements:framework_json": (
        "get",
        lambda t: [t["dossier"].pk, "effectladder"],
        MEMBERS_ONLY,
    ),
    "judgements:framework_edit": (
        "post",
        lambda t: [t["dossier"].pk, "smart"],
        EDITORS_POST,
    ),
}


def _smart_json():
    import json

    from kansenaudit.policy.frameworks import framework, to_dict

    data = to_dict(framework("smart"))
    data["name"] = "SMART (dossier)"
    return json.dumps(data)


POST_DATA = {
    "judgements:start": {"kader": "effectladder", "criteria": ["E"], "werkwijze": "enkel"},
    "judgements:assess": {"eigen-score": "2", "eigen-motivering": "matrix"},
    "judgements:consensus": {"consensus-score": "2", "consensus-motivering": "matrix"},
    "judgements:framework_edit": {"json": _smart_json(), "notitie": "matrix"},
}
