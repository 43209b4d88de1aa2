# SPDX-License-Identifier: EUPL-1.2
"""URL configuration. Every view is listed in the permission matrix test."""

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from kansenaudit.web.core import views as core_views

urlpatterns = [
    path("health/", core_views.health_view, name="health"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("accounts/", include("kansenaudit.web.accounts.urls")),
    path("beheer/", admin.site.urls),
    path("gebieden/", include("kansenaudit.web.areas.urls")),
    path("", include("kansenaudit.web.indicators.urls")),
    path("", include("kansenaudit.web.evidence.urls")),
    path("", include("kansenaudit.web.policy.urls")),
    path("", include("kansenaudit.web.uitvraag.urls")),
    path("", include("kansenaudit.web.judgements.urls")),
    path("", include("kansenaudit.web.council.urls")),
    path("", include("kansenaudit.web.fieldwork.urls")),
    path("", include("kansenaudit.web.coding.urls")),
    path("", include("kansenaudit.web.network.urls")),
    path("", include("kansenaudit.web.findings.urls")),
    path("", include("kansenaudit.web.reports.urls")),
    path("", include("kansenaudit.web.dossiers.urls")),
]
