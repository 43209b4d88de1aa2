# SPDX-License-Identifier: EUPL-1.2
"""Building the published report from findings, conclusions and recommendations."""
