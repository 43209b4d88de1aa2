"""Permission-matrix rows of the coding pages (merged by test_permission_matrix.py)."""

from tests.helpers.matrix_rows import EDITORS_POST, MEMBERS_ONLY, SIGNERS_POST


def _world(t):
    """A code, a transcript with a segment by the onderzoeker, a finished double-coding sample
    and a document, built lazily once per test."""
    if "coding" not in t:
        from django.contrib.auth import get_user_model

        from kansenaudit.web.coding import mirror_services, segments, services
        from kansenaudit.web.dossiers.services import membership_set
        from tests.web.coding.support import document, measure_with_theory, transcript

        dossier, users = t["dossier"], t["users"]
        code = services.code_create(dossier=dossier, actor=None, name="Bereikbaarheid")
        item = transcript(dossier)
        segment = segments.segment_code(
            actor=users["onderzoeker"], codes=[code], start=30, end=60, transcript=item
        )
        second = get_user_model().objects.create_user(username="tweede-codeur")
        membership_set(dossier=dossier, user=second, role="onderzoeker", actor=None)
        other = transcript(dossier, title="Interview 2")
        sample = segments.double_coding_start(
            transcript=other, coder_1=users["onderzoeker"], coder_2=second, actor=None
        )
        segments.double_coding_done(sample=sample, actor=users["onderzoeker"])
        segments.double_coding_done(sample=sample, actor=second)
        measure, _steps, _links = measure_with_theory(dossier)
        rows = mirror_services.mirror_start(dossier=dossier, measure=measure, actor=None)
        t["coding"] = {
            "measure": measure,
            "row": rows[0],
            "code": code,
            "transcript": item,
            "segment": segment,
            "sample": sample,
            "document": document(dossier),
        }
    return t["coding"]


def _d(t):
    return [t["dossier"].pk]


def _with_world(t):
    """The dossier, with a code in its codebook (an empty codebook is no REFI-QDA file)."""
    _world(t)
    return [t["dossier"].pk]


def _code(t):
    return [t["dossier"].pk, _world(t)["code"].pk]


def _transcript(t):
    return [t["dossier"].pk, _world(t)["transcript"].pk]


def _page(t):
    return [t["dossier"].pk, _world(t)["document"].pk, 1]


def _segment(t):
    return [t["dossier"].pk, _world(t)["segment"].pk]


def _sample(t):
    return [t["dossier"].pk, _world(t)["sample"].pk]


def _measure(t):
    return [t["dossier"].pk, _world(t)["measure"].pk]


def _row(t):
    return [t["dossier"].pk, _world(t)["row"].pk]


MATRIX = {
    "coding:overview": ("get", _d, MEMBERS_ONLY),
    "coding:codebook": ("get", _d, MEMBERS_ONLY),
    "coding:code_add": ("post", _d, EDITORS_POST),
    "coding:codes_deductive": ("post", _d, EDITORS_POST),
    "coding:code": ("get", _code, MEMBERS_ONLY),
    "coding:code_edit": ("post", _code, EDITORS_POST),
    "coding:code_merge": ("post", _code, EDITORS_POST),
    "coding:code_split": ("post", _code, EDITORS_POST),
    "coding:code_memo": ("post", _code, EDITORS_POST),
    "coding:transcript": ("get", _transcript, MEMBERS_ONLY),
    "coding:transcript_code": ("post", _transcript, EDITORS_POST),
    "coding:transcript_memo": ("post", _transcript, EDITORS_POST),
    "coding:double_done": ("post", _transcript, EDITORS_POST),
    "coding:page": ("get", _page, MEMBERS_ONLY),
    "coding:page_code": ("post", _page, EDITORS_POST),
    "coding:segment_remove": ("post", _segment, EDITORS_POST),
    "coding:segment_memo": ("post", _segment, EDITORS_POST),
    "coding:double_start": ("post", _d, EDITORS_POST),
    "coding:compare": ("get", _sample, MEMBERS_ONLY),
    "coding:consensus": ("post", _sample, EDITORS_POST),
    "coding:agreement": ("get", _d, MEMBERS_ONLY),
    "coding:retrieve": ("get", _d, MEMBERS_ONLY),
    "coding:analysis": ("get", _d, MEMBERS_ONLY),
    "coding:segments_csv": ("get", _d, MEMBERS_ONLY),
    "coding:analysis_xlsx": ("get", _d, MEMBERS_ONLY),
    "coding:export_qdpx": ("get", _d, MEMBERS_ONLY),
    "coding:export_qdc": ("get", _with_world, MEMBERS_ONLY),
    "coding:import_refi": ("post", _d, EDITORS_POST),
    "coding:mirror": ("get", _d, MEMBERS_ONLY),
    "coding:mirror_measure": ("get", _measure, MEMBERS_ONLY),
    "coding:mirror_start": ("post", _measure, EDITORS_POST),
    "coding:mirror_row": ("get", _row, MEMBERS_ONLY),
    "coding:mirror_assess": ("post", _row, EDITORS_POST),
    "coding:mirror_consensus": ("post", _row, EDITORS_POST),
    "coding:mirror_sign_off": ("post", _row, SIGNERS_POST),
    "coding:mirror_csv": ("get", _d, MEMBERS_ONLY),
    "coding:mirror_xlsx": ("get", _d, MEMBERS_ONLY),
}
