# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from kansenaudit.web.accounts import views

app_name = "accounts"
urlpatterns = [
    path("inloggen/", views.LoginView.as_view(), name="login"),
    path("uitloggen/", views.LogoutView.as_view(), name="logout"),
    path("wachtwoord/", views.PasswordChangeView.as_view(), name="password_change"),
]
