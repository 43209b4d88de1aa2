# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from kansenaudit.web.indicators import views

app_name = "indicators"
urlpatterns = [
    path("dossiers/<int:dossier_id>/statistiek/", views.statistics, name="statistics"),
    path(
        "dossiers/<int:dossier_id>/statistiek/download.csv",
        views.statistics_csv,
        name="statistics_csv",
    ),
]
