# SPDX-License-Identifier: EUPL-1.2
"""The Django workbench: one app per domain, business logic in services and selectors."""
