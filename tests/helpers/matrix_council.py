"""Permission-matrix rows of the council pages (merged by test_permission_matrix.py)."""

from tests.helpers.matrix_rows import EDITORS, EDITORS_POST, MEMBERS_ONLY


def _council(t):
    """A letter to the council in the team's dossier, registered as an item (made once)."""
    if "council_item" not in t:
        from kansenaudit.ingest.extract import extract
        from kansenaudit.web.council import services as council
        from kansenaudit.web.evidence import services as evidence

        data = b"Raadsbrief over de voortgang van de kansenaanpak.\n"
        document, _ = evidence.document_store(
            dossier=t["dossier"],
            extracted=extract(data, "raadsbrief.txt", ocr=False),
            data=data,
            actor=None,
            overrides={"doc_type": "raadsbrief", "date": "2024-03-01", "title": "Raadsbrief"},
        )
        t["council_item"] = council.item_register(
            dossier=t["dossier"], document=document, reports_on="outputs", actor=None
        )
    return t["council_item"]


def _dossier(t):
    return [t["dossier"].pk]


def _item(t):
    return [t["dossier"].pk, _council(t).pk]


MATRIX = {
    "council:items": ("get", _dossier, MEMBERS_ONLY),
    "council:item": ("get", _item, MEMBERS_ONLY),
    "council:item_add": ("get", _dossier, EDITORS),
    "council:item_edit": ("get", _item, EDITORS),
    "council:item_remove": ("post", _item, EDITORS_POST),
    "council:timeline": ("get", _dossier, MEMBERS_ONLY),
    "council:matrix": ("get", _dossier, MEMBERS_ONLY),
    "council:export_xlsx": ("get", _dossier, MEMBERS_ONLY),
    "council:items_csv": ("get", _dossier, MEMBERS_ONLY),
    "council:matrix_csv": ("get", _dossier, MEMBERS_ONLY),
}
