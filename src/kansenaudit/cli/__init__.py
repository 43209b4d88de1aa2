# SPDX-License-Identifier: EUPL-1.2
"""The ``kansenaudit`` command: the same services as the web workbench, for analysts and ops."""
