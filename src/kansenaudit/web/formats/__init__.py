# SPDX-License-Identifier: EUPL-1.2
"""Django's date formats for the two interface languages, the same styles as
:mod:`kansenaudit.reporting.formatting` (so ``|date`` and the ``ka_*`` filters agree)."""
