# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from kansenaudit.web.areas import views

app_name = "areas"
urlpatterns = [path("", views.area_map, name="map")]
