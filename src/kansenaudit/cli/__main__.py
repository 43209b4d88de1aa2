# SPDX-License-Identifier: EUPL-1.2
"""``python -m kansenaudit.cli`` runs the same command as ``kansenaudit``."""

from kansenaudit.cli.main import main

main()
