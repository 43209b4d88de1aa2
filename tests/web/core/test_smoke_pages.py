from django.urls import reverse


def test_overview_renders_for_projectleider(client, team):
    client.force_login(team["users"]["projectleider"])
    response = client.get(reverse("dossiers:detail", args=[team["dossier"].pk]))
    assert response.status_code == 200
    assert "Onderzoek A" in response.content.decode()
