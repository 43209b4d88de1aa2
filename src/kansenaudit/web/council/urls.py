# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from kansenaudit.web.council import views

app_name = "council"
COUNCIL = "dossiers/<int:dossier_id>/raadsinformatie/"
ITEM = COUNCIL + "<int:item_id>/"
urlpatterns = [
    path(COUNCIL, views.items, name="items"),
    path(COUNCIL + "toevoegen/", views.item_add, name="item_add"),
    path(ITEM, views.item, name="item"),
    path(ITEM + "bewerken/", views.item_edit, name="item_edit"),
    path(ITEM + "verwijderen/", views.item_remove, name="item_remove"),
    path(COUNCIL + "tijdlijn/", views.timeline, name="timeline"),
    path(COUNCIL + "matrix/", views.matrix, name="matrix"),
    path(COUNCIL + "raadsinformatie.xlsx", views.export_xlsx, name="export_xlsx"),
    path(COUNCIL + "items.csv", views.items_csv, name="items_csv"),
    path(COUNCIL + "matrix.csv", views.matrix_csv, name="matrix_csv"),
]
