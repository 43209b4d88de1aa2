# SPDX-License-Identifier: EUPL-1.2
"""The area registry: stadsdelen, gebieden, wijken and buurten with codes, hierarchy and shapes."""
