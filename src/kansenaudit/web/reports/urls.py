# SPDX-License-Identifier: EUPL-1.2
"""Pages of the reports app (each one is in tests/helpers/matrix_reports.py)."""

from django.urls import path

from kansenaudit.web.reports import views

app_name = "reports"
REPORTS = "dossiers/<int:dossier_id>/rapporten/"
REPORT = REPORTS + "<int:report_id>/"
CHAPTER = REPORT + "hoofdstukken/<int:chapter_id>/"
VERSION = REPORT + "versies/<int:number>/"

urlpatterns = [
    path(REPORTS, views.reports, name="reports"),
    path(REPORTS + "sjabloon/", views.template, name="template"),
    path(REPORT, views.report, name="report"),
    path(REPORT + "voorbeeld/", views.preview, name="preview"),
    path(REPORT + "hoofdstukken/toevoegen/", views.chapter_add, name="chapter_add"),
    path(CHAPTER + "bewerken/", views.chapter_edit, name="chapter_edit"),
    path(CHAPTER + "verplaatsen/", views.chapter_move, name="chapter_move"),
    path(CHAPTER + "verwijderen/", views.chapter_remove, name="chapter_remove"),
    path(REPORT + "versies/", views.version_save, name="version_save"),
    path(VERSION, views.version, name="version"),
    path(VERSION + "bouwen/", views.version_build, name="version_build"),
    path(VERSION + "bouwsels/<int:job_id>/download/", views.build_download, name="build_download"),
    path(VERSION + "<str:file_format>/", views.version_download, name="version_download"),
]
