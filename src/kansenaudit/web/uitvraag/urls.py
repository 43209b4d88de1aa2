# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from kansenaudit.web.uitvraag import views

app_name = "uitvraag"
DOSSIER = "dossiers/<int:dossier_id>/uitvraag/"
REQUEST = DOSSIER + "<int:request_id>/"
FILE = REQUEST + "bestanden/<int:file_id>/"
urlpatterns = [
    path(DOSSIER, views.requests, name="requests"),
    path(DOSSIER + "nieuw/", views.create, name="create"),
    path(DOSSIER + "export.csv", views.export_csv, name="export_csv"),
    path(DOSSIER + "export.xlsx", views.export_xlsx, name="export_xlsx"),
    path(REQUEST, views.detail, name="detail"),
    path(REQUEST + "bewerken/", views.update, name="update"),
    path(REQUEST + "sjabloon.xlsx", views.template, name="template"),
    path(REQUEST + "sjabloon/vernieuwen/", views.template_refresh, name="template_refresh"),
    path(REQUEST + "upload/", views.upload, name="upload"),
    path(REQUEST + "status/", views.status, name="status"),
    path(REQUEST + "herinnering/", views.reminder, name="reminder"),
    path(REQUEST + "links/", views.token_create, name="token_create"),
    path(REQUEST + "links/<int:token_id>/intrekken/", views.token_revoke, name="token_revoke"),
    path(FILE, views.received, name="received"),
    path(FILE + "download/", views.received_download, name="received_download"),
    path(FILE + "inlezen/", views.apply, name="apply"),
    # The personal link of a directorate contact: no account, only this form.
    path("uitvraag/<str:token>/", views.public, name="public"),
    path("uitvraag/<str:token>/sjabloon.xlsx", views.public_template, name="public_template"),
]
