# SPDX-License-Identifier: EUPL-1.2
"""Pages of the fieldwork app (each one is in tests/helpers/matrix_fieldwork.py)."""

from django.urls import path

from kansenaudit.web.fieldwork import views

app_name = "fieldwork"
BASE = "dossiers/<int:dossier_id>/veldwerk/"
SESSION = BASE + "sessies/<int:session_id>/"
PARTICIPANT = BASE + "deelnemers/<int:participant_id>/"
TRANSCRIPT = BASE + "transcripten/<int:transcript_id>/"

urlpatterns = [
    path(BASE, views.selection, name="selection"),
    path(BASE + "selectie/vastleggen/", views.selection_confirm, name="selection_confirm"),
    path(BASE + "maatregelen/<int:measure_id>/", views.measure, name="measure"),
    path(BASE + "sessies/", views.sessions, name="sessions"),
    path(BASE + "sessies/nieuw/", views.session_create, name="session_create"),
    path(SESSION, views.session, name="session"),
    path(SESSION + "opslaan/", views.session_save, name="session_save"),
    path(SESSION + "transcript/", views.transcript_upload, name="transcript_upload"),
    path(BASE + "deelnemers/", views.participants, name="participants"),
    path(BASE + "deelnemers/nieuw/", views.participant_create, name="participant_create"),
    path(PARTICIPANT, views.participant, name="participant"),
    path(PARTICIPANT + "opslaan/", views.participant_save, name="participant_save"),
    path(PARTICIPANT + "toestemming/", views.consent, name="consent"),
    path(PARTICIPANT + "intrekken/", views.withdraw, name="withdraw"),
    path(PARTICIPANT + "contact/", views.contact, name="contact"),
    path(PARTICIPANT + "contact/opslaan/", views.contact_set, name="contact_set"),
    path(TRANSCRIPT, views.transcript, name="transcript"),
    path(TRANSCRIPT + "origineel/", views.original, name="original"),
    path(TRANSCRIPT + "vervanging/", views.replacement_add, name="replacement_add"),
    path(TRANSCRIPT + "vervanging/ongedaan/", views.replacement_undo, name="replacement_undo"),
    path(BASE + "sleutel/", views.key, name="key"),
]
