# SPDX-License-Identifier: EUPL-1.2
"""Pages of the network app (each one is in tests/helpers/matrix_network.py)."""

from django.urls import path

from kansenaudit.web.network import tie_views, views

app_name = "network"
DOSSIER = "dossiers/<int:dossier_id>/"
MAPS = DOSSIER + "netwerk/"
MAP = MAPS + "<int:map_id>/"
urlpatterns = [
    path(MAPS, views.maps, name="maps"),
    path(MAPS + "nieuw/", views.map_create, name="map_create"),
    path(MAP, views.map_detail, name="map"),
    # The data the page's script draws, not a download: no file ending, no attachment.
    path(MAP + "kaartgegevens/", views.map_data, name="map_data"),
    path(MAP + "nieuwe-versie/", views.map_copy, name="map_copy"),
    path(MAP + "vergelijken/", views.compare, name="compare"),
    path(MAP + "export/<slug:fmt>/", views.export, name="export"),
    path(MAP + "actoren/", views.member_set, name="member_set"),
    path(MAP + "actoren/<int:member_id>/weghalen/", views.member_remove, name="member_remove"),
    path(MAP + "relaties/", tie_views.tie_add, name="tie_add"),
    path(MAP + "relaties/<int:tie_id>/bewerken/", tie_views.tie_edit, name="tie_edit"),
    path(MAP + "relaties/<int:tie_id>/verwijderen/", tie_views.tie_remove, name="tie_remove"),
    path(MAP + "bewijs/", tie_views.evidence_add, name="evidence_add"),
    path(MAP + "indeling/", views.layout_save, name="layout_save"),
    path(MAP + "importeren/", tie_views.ties_import, name="ties_import"),
]
