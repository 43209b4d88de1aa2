"""The statistics page of a dossier whose municipality has no figures loaded."""

from __future__ import annotations

from django.urls import reverse


def test_municipality_without_data_is_told_politely(client, team):
    client.force_login(team["users"]["meelezer"])
    response = client.get(reverse("indicators:statistics", args=[team["dossier"].pk]))
    assert response.status_code == 200
    assert "nog geen cijfers" in response.content.decode()
    response = client.get(reverse("indicators:statistics_csv", args=[team["dossier"].pk]))
    assert response.status_code == 200
