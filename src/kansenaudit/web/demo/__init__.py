# SPDX-License-Identifier: EUPL-1.2
"""The bundled demo: fictional city Voorbeeldstad, its audit dossier, one account per role."""
