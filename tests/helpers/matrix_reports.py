"""Permission-matrix rows of the report pages (merged by test_permission_matrix.py)."""

from tests.helpers.matrix_rows import EDITORS, EDITORS_POST, MEMBERS_ONLY, row

MEMBERS_POST = row(302, 302, 302, 302, 404, 404, 302)


def _report(t):
    """A nota van bevindingen with a saved draft (1) and a published version (2) (made once)."""
    if "report" not in t:
        from kansenaudit.web.reports import services as reports

        t["report"] = reports.report_create(
            dossier=t["dossier"], kind="nota_van_bevindingen", title="Nota", actor=None
        )
        reports.version_save(report=t["report"], purpose="draft", actor=None)
        reports.version_save(report=t["report"], purpose="publication", actor=None)
    return t["report"]


def _dossier(t):
    return [t["dossier"].pk]


def _with_report(t):
    return [t["dossier"].pk, _report(t).pk]


def _with_chapter(t):
    report = _report(t)
    return [t["dossier"].pk, report.pk, report.chapters.get(key="inleiding").pk]


def _with_version(t):
    return [t["dossier"].pk, _report(t).pk, 1]


def _with_build(t):
    """A finished build of the publication site (the tests' task backend runs it at once)."""
    if "report_build" not in t:
        from kansenaudit.web.reports.builds import build_request

        version = _report(t).versions.get(number=2)
        t["report_build"] = build_request(version=version, file_format="bundle", actor=None)
    return [t["dossier"].pk, _report(t).pk, 2, t["report_build"].pk]


def _with_download(t):
    return [t["dossier"].pk, _report(t).pk, 1, "html"]


MATRIX = {
    "reports:reports": ("get", _dossier, MEMBERS_ONLY),
    "reports:template": ("get", _dossier, EDITORS),
    "reports:report": ("get", _with_report, MEMBERS_ONLY),
    "reports:preview": ("get", _with_report, MEMBERS_ONLY),
    "reports:chapter_add": ("post", _with_report, EDITORS_POST),
    "reports:chapter_edit": ("get", _with_chapter, EDITORS),
    "reports:chapter_move": ("post", _with_chapter, EDITORS_POST),
    "reports:chapter_remove": ("post", _with_chapter, EDITORS_POST),
    "reports:version_save": ("post", _with_report, EDITORS_POST),
    "reports:version": ("get", _with_version, MEMBERS_ONLY),
    "reports:version_download": ("get", _with_download, MEMBERS_ONLY),
    "reports:version_build": ("post", _with_version, MEMBERS_POST),
    "reports:build_download": ("get", _with_build, MEMBERS_ONLY),
}

POST_DATA = {
    "reports:chapter_add": {"title": "Extra", "kind": "annex"},
    "reports:chapter_move": {"direction": "down"},
    "reports:version_save": {"purpose": "draft", "note": ""},
    "reports:version_build": {"format": "html"},
}
