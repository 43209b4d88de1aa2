"""Shared rows of the permission matrix (see test_permission_matrix.py and matrix_<app>.py).

Codes: 200 shown, 302 redirected, 403 member without the capability, 404 not a member.
"""

ACTORS = ["projectleider", "onderzoeker", "reviewer", "meelezer", "outsider", "admin", "anonymous"]


def row(pl, oz, rv, ml, out, adm, anon):
    return dict(zip(ACTORS, (pl, oz, rv, ml, out, adm, anon), strict=True))


MEMBERS_ONLY = row(200, 200, 200, 200, 404, 404, 302)
EDITORS = row(200, 200, 403, 403, 404, 404, 302)
EDITORS_POST = row(302, 302, 403, 403, 404, 404, 302)
SIGNERS_POST = row(302, 403, 302, 403, 404, 404, 302)
LOG_READERS = row(200, 200, 200, 403, 404, 404, 302)
ANY_USER = row(200, 200, 200, 200, 200, 200, 302)
