"""The bundled demo: fictional city Voorbeeldstad, its audit dossier, one account per role."""
