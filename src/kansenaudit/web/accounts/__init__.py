# SPDX-License-Identifier: EUPL-1.2
"""People: the user model, login with throttling, and creating accounts."""
