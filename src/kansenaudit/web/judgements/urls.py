# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from kansenaudit.web.judgements import views

app_name = "judgements"
DOSSIER = "dossiers/<int:dossier_id>/"
JUDGEMENTS = DOSSIER + "oordelen/"
JUDGEMENT = JUDGEMENTS + "<int:judgement_id>/"
FRAMEWORK = DOSSIER + "kaders/<slug:key>/"
urlpatterns = [
    path(JUDGEMENTS, views.overview, name="overview"),
    path(JUDGEMENTS + "starten/", views.start, name="start"),
    path(JUDGEMENTS + "overeenstemming/", views.agreement, name="agreement"),
    path(JUDGEMENTS + "oordelen.csv", views.export_csv, name="export_csv"),
    path(JUDGEMENTS + "oordelen.xlsx", views.export_xlsx, name="export_xlsx"),
    path(JUDGEMENTS + "historie.csv", views.history_csv, name="history_csv"),
    path(JUDGEMENT, views.detail, name="detail"),
    path(JUDGEMENT + "beoordelen/", views.assess, name="assess"),
    path(JUDGEMENT + "consensus/", views.consensus, name="consensus"),
    path(JUDGEMENT + "aftekenen/", views.sign_off, name="sign_off"),
    path(JUDGEMENT + "beoordelaars/", views.assign, name="assign"),
    path(
        JUDGEMENT + "bewijs/<int:link_id>/verwijderen/",
        views.evidence_remove,
        name="evidence_remove",
    ),
    path(DOSSIER + "kaders/", views.frameworks, name="frameworks"),
    path(FRAMEWORK, views.framework, name="framework"),
    path(FRAMEWORK + "kader.json", views.framework_json, name="framework_json"),
    path(FRAMEWORK + "bewerken/", views.framework_edit, name="framework_edit"),
]
