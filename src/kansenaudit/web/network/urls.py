# SPDX-License-Identifier: EUPL-1.2
"""Pages of the network app (each one is in tests/helpers/matrix_network.py)."""

from django.urls import path  # noqa: F401

app_name = "network"

urlpatterns: list = []
