"""The bundled demo: the fictional city Voorbeeldstad, its audit dossier and one account per role."""
