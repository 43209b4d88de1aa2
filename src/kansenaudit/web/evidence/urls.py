# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from kansenaudit.web.evidence import views

app_name = "evidence"
DOSSIER = "dossiers/<int:dossier_id>/"
DOCUMENT = DOSSIER + "documenten/<int:document_id>/"
urlpatterns = [
    path(DOSSIER + "documenten/", views.documents, name="documents"),
    path(DOSSIER + "documenten/upload/", views.upload, name="upload"),
    path(DOSSIER + "documenten/raadsdocumenten/", views.council_pull, name="council_pull"),
    path(DOSSIER + "documenten/taken/", views.jobs, name="jobs"),
    path(DOCUMENT, views.document, name="document"),
    path(DOCUMENT + "pagina/<int:number>.png", views.page_image, name="page_image"),
    path(DOCUMENT + "citeren/", views.cite, name="cite"),
    path(DOCUMENT + "bewerken/", views.document_edit, name="document_edit"),
    path(DOCUMENT + "opnieuw-inlezen/", views.document_reread, name="document_reread"),
    path(DOSSIER + "citaten/", views.citations, name="citations"),
    path(DOSSIER + "citaten.csv", views.citations_csv, name="citations_csv"),
    path(DOSSIER + "termen/", views.terms, name="terms"),
    path(DOSSIER + "termen/toevoegen/", views.term_add, name="term_add"),
    path(DOSSIER + "termen/<int:term_id>/verwijderen/", views.term_remove, name="term_remove"),
    path(DOSSIER + "termen/definitie/", views.definition_add, name="definition_add"),
    path(DOSSIER + "termen/gebruik.csv", views.terms_csv, name="terms_csv"),
]
