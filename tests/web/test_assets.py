"""Front-end assets are installed by the set-up and served from this origin."""

from django.contrib.staticfiles import finders


def test_design_system_stylesheets_are_installed_and_complete():
    for name, marker in (("vendor/ams/tokens.css", "--ams-"),
                         ("vendor/ams/components.css", ".ams-button")):
        path = finders.find(name)
        assert path, f"{name} missing: run `make setup`"
        text = open(path, encoding="utf-8-sig").read()  # noqa: PTH123
        assert marker in text and "sourceMappingURL" not in text


def test_stylesheets_are_served_locally(client, db):
    response = client.get("/static/vendor/ams/components.css")
    assert response.status_code == 200
    assert b".ams-button" in b"".join(response.streaming_content)
