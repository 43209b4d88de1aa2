"""Permission-matrix rows of the fieldwork pages (merged by test_permission_matrix.py).

Originals, the pseudonym key and contact details need VIEW_ORIGINALS (the project leader)."""

import os

from tests.helpers.matrix_rows import EDITORS_POST, MEMBERS_ONLY, row

ORIGINALS = row(200, 403, 403, 403, 404, 404, 302)
ORIGINALS_POST = row(302, 403, 403, 403, 404, 404, 302)
TEST_KEY = "qXaCtpa0uDU5MOAwJLSWjYmYxUHz2NhZ2dpGFB3w_vI="
TRANSCRIPT = b"I: Hoe ging het?\nR: Goed, Jan Jansen hielp mij.\n"


def _fieldwork(t):
    """A measure, session, participant and transcript in the team's dossier (made once)."""
    if "fw_transcript" not in t:
        os.environ.setdefault("KANSENAUDIT_FIELDWORK_KEY", TEST_KEY)
        from kansenaudit.web.fieldwork import services, transcript_services
        from kansenaudit.web.policy.models import Measure

        dossier = t["dossier"]
        measure = Measure.objects.create(dossier=dossier, name="Veldwerkmaatregel")
        session = services.session_save(
            dossier=dossier, actor=None, kind="interview", title="Matrixsessie", measures=[measure]
        )
        participant = services.participant_save(
            dossier=dossier,
            actor=None,
            pseudonym="Bewoner 9",
            stakeholder_group="resident",
            sessions=[session],
        )
        services.contact_set(participant=participant, actor=None, details="jan@example.org")
        t["fw_measure"], t["fw_session"], t["fw_participant"] = measure, session, participant
        t["fw_transcript"] = transcript_services.transcript_import(
            session=session, actor=None, data=TRANSCRIPT, file_name="matrix.txt"
        )
    return t


def _d(t):
    return [t["dossier"].pk]


def _session(t):
    return [t["dossier"].pk, _fieldwork(t)["fw_session"].pk]


def _participant(t):
    return [t["dossier"].pk, _fieldwork(t)["fw_participant"].pk]


def _transcript(t):
    return [t["dossier"].pk, _fieldwork(t)["fw_transcript"].pk]


def _measure(t):
    return [t["dossier"].pk, _fieldwork(t)["fw_measure"].pk]


MATRIX = {
    "fieldwork:selection": ("get", _d, MEMBERS_ONLY),
    "fieldwork:selection_confirm": ("post", _d, EDITORS_POST),
    "fieldwork:measure": ("get", _measure, MEMBERS_ONLY),
    "fieldwork:sessions": ("get", _d, MEMBERS_ONLY),
    "fieldwork:session_create": ("post", _d, EDITORS_POST),
    "fieldwork:session": ("get", _session, MEMBERS_ONLY),
    "fieldwork:session_save": ("post", _session, EDITORS_POST),
    "fieldwork:transcript_upload": ("post", _session, EDITORS_POST),
    "fieldwork:participants": ("get", _d, MEMBERS_ONLY),
    "fieldwork:participant_create": ("post", _d, EDITORS_POST),
    "fieldwork:participant": ("get", _participant, MEMBERS_ONLY),
    "fieldwork:participant_save": ("post", _participant, EDITORS_POST),
    "fieldwork:consent": ("post", _participant, EDITORS_POST),
    "fieldwork:withdraw": ("post", _participant, EDITORS_POST),
    "fieldwork:contact": ("get", _participant, ORIGINALS),
    "fieldwork:contact_set": ("post", _participant, ORIGINALS_POST),
    "fieldwork:transcript": ("get", _transcript, MEMBERS_ONLY),
    "fieldwork:original": ("get", _transcript, ORIGINALS),
    "fieldwork:replacement_add": ("post", _transcript, EDITORS_POST),
    "fieldwork:replacement_undo": ("post", _transcript, EDITORS_POST),
    "fieldwork:key": ("get", _d, ORIGINALS),
}

POST_DATA = {
    "fieldwork:session_create": {
        "kind": "interview",
        "title": "Nieuwe sessie",
        "status": "planned",
    },
    "fieldwork:participant_create": {"pseudonym": "Partner 7", "stakeholder_group": "partner"},
    "fieldwork:consent": {"given_on": "2026-03-01", "scope": "quotation"},
    "fieldwork:replacement_add": {"phrase": "Goed", "kind": "institution"},
    "fieldwork:replacement_undo": {"index": "0"},
}
