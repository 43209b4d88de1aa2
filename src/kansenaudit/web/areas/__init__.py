"""The area registry: stadsdelen, gebieden, wijken and buurten with codes, hierarchy and shapes."""
