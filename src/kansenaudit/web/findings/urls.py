# SPDX-License-Identifier: EUPL-1.2
"""Pages of the findings app (each one is in tests/helpers/matrix_findings.py)."""

from django.urls import path

from kansenaudit.web.findings import views, views_chain, views_evidence, views_wederhoor

app_name = "findings"
BASE = "dossiers/<int:dossier_id>/bevindingen/"
FINDING = BASE + "<int:finding_id>/"
REC = BASE + "aanbevelingen/<int:rec_id>/"
WH = BASE + "wederhoor/"

urlpatterns = [
    path(BASE, views.dashboard, name="dashboard"),
    path(BASE + "normen/", views.norms, name="norms"),
    path(BASE + "normen/toevoegen/", views.norm_add, name="norm_add"),
    path(BASE + "normen/<int:norm_id>/wijzigen/", views.norm_edit, name="norm_edit"),
    path(BASE + "normen/uit-kaders/", views.norms_seed, name="norms_seed"),
    path(BASE + "normenkader.csv", views.norms_csv, name="norms_csv"),
    path(BASE + "normenkader.xlsx", views.norms_xlsx, name="norms_xlsx"),
    path(BASE + "nieuw/", views.finding_add, name="finding_add"),
    path(FINDING, views.finding, name="finding"),
    path(FINDING + "wijzigen/", views.finding_edit, name="finding_edit"),
    path(FINDING + "bewijs/", views.evidence_add, name="evidence_add"),
    path(FINDING + "bewijs/kiezen/", views_evidence.evidence_pick, name="evidence_pick"),
    path(FINDING + "bewijs/<int:ref_id>/weg/", views.evidence_remove, name="evidence_remove"),
    path(FINDING + "review/", views.review_request, name="review_request"),
    path(FINDING + "notities/", views.note_add, name="note_add"),
    path(FINDING + "notities/<int:note_id>/afgehandeld/", views.note_resolve, name="note_resolve"),
    path(FINDING + "aftekenen/", views.sign_off, name="sign_off"),
    path(BASE + "keten/", views_chain.chain, name="chain"),
    path(BASE + "keten.csv", views_chain.trace_csv, name="trace_csv"),
    path(BASE + "keten.xlsx", views_chain.trace_xlsx, name="trace_xlsx"),
    path(BASE + "conclusies/", views_chain.conclusions, name="conclusions"),
    path(BASE + "conclusies/toevoegen/", views_chain.conclusion_add, name="conclusion_add"),
    path(
        BASE + "conclusies/<int:conclusion_id>/koppelen/",
        views_chain.conclusion_link,
        name="conclusion_link",
    ),
    path(
        BASE + "aanbevelingen/toevoegen/", views_chain.recommendation_add, name="recommendation_add"
    ),
    path(REC + "reactie/", views_chain.reaction, name="reaction"),
    path(REC + "opvolging/", views_chain.follow_up_add, name="follow_up_add"),
    path(BASE + "nawoord/", views_chain.nawoord, name="nawoord"),
    path(BASE + "opvolging.csv", views_chain.follow_up_csv, name="follow_up_csv"),
    path(BASE + "opvolging.xlsx", views_chain.follow_up_xlsx, name="follow_up_xlsx"),
    path(WH, views_wederhoor.overview, name="wederhoor"),
    path(WH + "bevriezen/", views_wederhoor.version_freeze, name="version_freeze"),
    path(WH + "versies/<int:version_id>/", views_wederhoor.version, name="version"),
    path(WH + "versies/<int:version_id>/link/", views_wederhoor.link_create, name="link_create"),
    path(WH + "links/<int:link_id>/intrekken/", views_wederhoor.link_revoke, name="link_revoke"),
    path(
        WH + "reacties/<int:comment_id>/afhandelen/",
        views_wederhoor.comment_handle,
        name="comment_handle",
    ),
    path("wederhoor/<str:token>/", views_wederhoor.public, name="public"),
    path("opvolging/", views_chain.follow_up, name="follow_up"),
]
