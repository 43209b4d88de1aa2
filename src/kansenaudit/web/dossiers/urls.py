# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from kansenaudit.web.core import views as core_views
from kansenaudit.web.dossiers import views

app_name = "dossiers"
urlpatterns = [
    path("", views.dossier_list, name="list"),
    path("dossiers/nieuw/", views.dossier_create, name="create"),
    path("dossiers/<int:dossier_id>/", views.dossier_detail, name="detail"),
    path("dossiers/<int:dossier_id>/bewerken/", views.dossier_edit, name="edit"),
    path(
        "dossiers/<int:dossier_id>/deelvragen/<int:number>/",
        views.sub_question_edit,
        name="sub_question_edit",
    ),
    path("dossiers/<int:dossier_id>/team/", views.team, name="team"),
    path(
        "dossiers/<int:dossier_id>/team/<int:membership_id>/verwijderen/",
        views.team_remove,
        name="team_remove",
    ),
    path("dossiers/<int:dossier_id>/mijlpalen/", views.milestone_add, name="milestone_add"),
    path(
        "dossiers/<int:dossier_id>/mijlpalen/<int:milestone_id>/",
        views.milestone_toggle,
        name="milestone_toggle",
    ),
    path("dossiers/<int:dossier_id>/notities/", views.comment_add, name="comment_add"),
    path("dossiers/<int:dossier_id>/export.json", views.dossier_export, name="export"),
    path("dossiers/<int:dossier_id>/logboek/", core_views.audit_log, name="audit_log"),
    path("dossiers/<int:dossier_id>/logboek.csv", core_views.audit_log_csv, name="audit_log_csv"),
    path("api/dossiers/", views.api_dossier_list, name="api_list"),
    path("api/dossiers/<int:dossier_id>/", views.api_dossier_detail, name="api_detail"),
]
