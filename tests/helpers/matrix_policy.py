"""Permission-matrix rows of the policy pages (merged by test_permission_matrix.py)."""

from tests.helpers.matrix_rows import EDITORS, EDITORS_POST, MEMBERS_ONLY


def _policy(t):
    """A small register in the team's dossier (made once per test)."""
    if "policy" not in t:
        from tests.helpers.policy_fixtures import build_register

        t["policy"] = build_register(t["dossier"])
    return t["policy"]


def _d(t):
    return [t["dossier"].pk]


def _with(kind, key):
    return lambda t: [t["dossier"].pk, _policy(t)[kind][key].pk]


def _value(t):
    return [t["dossier"].pk, _policy(t)["indicators"]["i1"].values.first().pk]


def _evidence_link(t):
    from kansenaudit.web.policy.models import EvidenceLink

    _policy(t)
    return [t["dossier"].pk, EvidenceLink.objects.filter(dossier=t["dossier"]).first().pk]


class _Latest:
    """A form value read when the request is encoded, after the args built the register."""

    def __init__(self, what):
        self.what = what

    def __str__(self):
        from kansenaudit.web.evidence.models import Citation
        from kansenaudit.web.policy.models import Goal

        if self.what == "goal":
            goal = Goal.objects.filter(dossier__title="Onderzoek A").latest("pk")
            return f"policy.goal:{goal.pk}"
        return str(Citation.objects.filter(dossier__title="Onderzoek A").latest("pk").pk)


MATRIX = {
    "policy:overview": ("get", _d, MEMBERS_ONLY),
    "policy:actors": ("get", _d, MEMBERS_ONLY),
    "policy:actor_new": ("get", _d, EDITORS),
    "policy:actor_edit": ("get", _with("actors", "besturen"), EDITORS),
    "policy:actor_delete": ("post", _with("actors", "besturen"), EDITORS_POST),
    "policy:goals": ("get", _d, MEMBERS_ONLY),
    "policy:goal_new": ("get", _d, EDITORS),
    "policy:goal_detail": ("get", _with("goals", "d1"), MEMBERS_ONLY),
    "policy:goal_edit": ("get", _with("goals", "d1"), EDITORS),
    "policy:goal_delete": ("post", _with("goals", "d2"), EDITORS_POST),
    "policy:measures": ("get", _d, MEMBERS_ONLY),
    "policy:measure_new": ("get", _d, EDITORS),
    "policy:measure_detail": ("get", _with("measures", "m1"), MEMBERS_ONLY),
    "policy:measure_edit": ("get", _with("measures", "m1"), EDITORS),
    "policy:measure_delete": ("post", _with("measures", "m3"), EDITORS_POST),
    "policy:step_add": ("post", _with("measures", "m1"), EDITORS_POST),
    "policy:step_delete": ("post", _with("steps", "a1"), EDITORS_POST),
    "policy:link_add": ("post", _with("measures", "m1"), EDITORS_POST),
    "policy:link_delete": ("post", _with("links", "o1oc1"), EDITORS_POST),
    "policy:indicators": ("get", _d, MEMBERS_ONLY),
    "policy:indicator_new": ("get", _d, EDITORS),
    "policy:indicator_detail": ("get", _with("indicators", "i1"), MEMBERS_ONLY),
    "policy:indicator_edit": ("get", _with("indicators", "i1"), EDITORS),
    "policy:indicator_delete": ("post", _with("indicators", "i3"), EDITORS_POST),
    "policy:value_add": ("post", _with("indicators", "i3"), EDITORS_POST),
    "policy:value_delete": ("post", _value, EDITORS_POST),
    "policy:monitoring": ("get", _d, MEMBERS_ONLY),
    "policy:consistency": ("get", _d, MEMBERS_ONLY),
    "policy:theories": ("get", _d, MEMBERS_ONLY),
    "policy:export_xlsx": ("get", _d, MEMBERS_ONLY),
    "policy:export_json": ("get", _d, MEMBERS_ONLY),
    "policy:import_json": ("post", _d, EDITORS_POST),
    "policy:export_csv": ("get", lambda t: [t["dossier"].pk, "doelen"], MEMBERS_ONLY),
    "policy:evidence_add": ("post", lambda t: _policy(t) and _d(t), EDITORS_POST),
    "policy:evidence_remove": ("post", _evidence_link, EDITORS_POST),
}

POST_DATA = {
    "policy:step_add": {"stap-kind": "output", "stap-text": "Nieuwe output"},
    "policy:link_add": {"schakel-rationale": "omdat"},
    "policy:value_add": {"kind": "streefwaarde", "year": 2030, "value": 3},
    "policy:evidence_add": {"onderwerp": _Latest("goal"), "citaat": _Latest("citation")},
}
