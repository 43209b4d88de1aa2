# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from kansenaudit.web.policy import views

app_name = "policy"
BASE = "dossiers/<int:dossier_id>/beleid/"
urlpatterns = [
    path(BASE, views.overview, name="overview"),
    path(BASE + "actoren/", views.actors, name="actors"),
    path(BASE + "actoren/nieuw/", views.actor_new, name="actor_new"),
    path(BASE + "actoren/<int:actor_id>/", views.actor_edit, name="actor_edit"),
    path(BASE + "actoren/<int:actor_id>/verwijderen/", views.actor_delete, name="actor_delete"),
    path(BASE + "doelen/", views.goals, name="goals"),
    path(BASE + "doelen/nieuw/", views.goal_new, name="goal_new"),
    path(BASE + "doelen/<int:goal_id>/", views.goal_detail, name="goal_detail"),
    path(BASE + "doelen/<int:goal_id>/bewerken/", views.goal_edit, name="goal_edit"),
    path(BASE + "doelen/<int:goal_id>/verwijderen/", views.goal_delete, name="goal_delete"),
    path(BASE + "maatregelen/", views.measures, name="measures"),
    path(BASE + "maatregelen/nieuw/", views.measure_new, name="measure_new"),
    path(BASE + "maatregelen/<int:measure_id>/", views.measure_detail, name="measure_detail"),
    path(BASE + "maatregelen/<int:measure_id>/bewerken/", views.measure_edit, name="measure_edit"),
    path(
        BASE + "maatregelen/<int:measure_id>/verwijderen/",
        views.measure_delete,
        name="measure_delete",
    ),
    path(BASE + "maatregelen/<int:measure_id>/stap/", views.step_add, name="step_add"),
    path(BASE + "maatregelen/<int:measure_id>/schakel/", views.link_add, name="link_add"),
    path(BASE + "stappen/<int:step_id>/verwijderen/", views.step_delete, name="step_delete"),
    path(BASE + "schakels/<int:link_id>/verwijderen/", views.link_delete, name="link_delete"),
    path(BASE + "indicatoren/", views.indicators, name="indicators"),
    path(BASE + "indicatoren/nieuw/", views.indicator_new, name="indicator_new"),
    path(BASE + "indicatoren/<int:indicator_id>/", views.indicator_detail, name="indicator_detail"),
    path(
        BASE + "indicatoren/<int:indicator_id>/bewerken/",
        views.indicator_edit,
        name="indicator_edit",
    ),
    path(
        BASE + "indicatoren/<int:indicator_id>/verwijderen/",
        views.indicator_delete,
        name="indicator_delete",
    ),
    path(BASE + "indicatoren/<int:indicator_id>/waarde/", views.value_add, name="value_add"),
    path(BASE + "waarden/<int:value_id>/verwijderen/", views.value_delete, name="value_delete"),
    path(BASE + "monitoring/", views.monitoring, name="monitoring"),
    path(BASE + "consistentie/", views.consistency, name="consistency"),
    path(BASE + "beleidstheorie/", views.theories, name="theories"),
    path(BASE + "export/beleidsregisters.xlsx", views.export_xlsx, name="export_xlsx"),
    path(BASE + "export/beleidsregisters.json", views.export_json, name="export_json"),
    path(BASE + "importeren/", views.import_json, name="import_json"),
    path(BASE + "export/<slug:register>.csv", views.export_csv, name="export_csv"),
    path(BASE + "bewijs/", views.evidence_add, name="evidence_add"),
    path(BASE + "bewijs/<int:link_id>/verwijderen/", views.evidence_remove, name="evidence_remove"),
]
