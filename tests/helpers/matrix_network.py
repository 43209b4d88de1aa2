"""Permission-matrix rows of the network pages (merged by test_permission_matrix.py)."""

from tests.helpers.matrix_rows import EDITORS, EDITORS_POST, MEMBERS_ONLY


def _world(t):
    """A small register and an organisation map with three ties in the team's dossier."""
    if "network" not in t:
        from tests.web.network.builders import organisation_map, register

        reg = register(t["dossier"])
        item, quote = organisation_map(t["dossier"], reg)
        t["network"] = {**reg, "map": item, "quote": quote}
    return t["network"]


def _map_args(t):
    return [t["dossier"].pk, _world(t)["map"].pk]


def _member_args(t):
    world = _world(t)
    member = world["map"].members.get(actor=world["groep"])  # no ties: may be taken off
    return [t["dossier"].pk, world["map"].pk, member.pk]


def _tie_args(t):
    world = _world(t)
    return [t["dossier"].pk, world["map"].pk, world["map"].ties.get(kind="mandate").pk]


MATRIX = {
    "network:maps": ("get", lambda t: [t["dossier"].pk], MEMBERS_ONLY),
    "network:map_create": ("post", lambda t: [t["dossier"].pk], EDITORS_POST),
    "network:map": ("get", _map_args, MEMBERS_ONLY),
    "network:map_data": ("get", _map_args, MEMBERS_ONLY),
    "network:map_copy": ("post", _map_args, EDITORS_POST),
    "network:compare": ("get", _map_args, MEMBERS_ONLY),
    "network:export": ("get", lambda t: [*_map_args(t), "gexf"], MEMBERS_ONLY),
    "network:member_set": ("post", _map_args, EDITORS_POST),
    "network:member_remove": ("post", _member_args, EDITORS_POST),
    "network:tie_add": ("post", _map_args, EDITORS_POST),
    "network:tie_edit": ("get", _tie_args, EDITORS),
    "network:tie_remove": ("post", _tie_args, EDITORS_POST),
    "network:evidence_add": ("post", _map_args, EDITORS_POST),
    "network:layout_save": ("post", _map_args, EDITORS_POST),
    "network:ties_import": ("post", _map_args, EDITORS_POST),
}

POST_DATA = {
    "network:map_create": {"versie": "2030"},
    "network:map_copy": {"versie-versie": "2031"},
}
