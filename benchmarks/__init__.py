"""Benchmarks: `make bench` runs them and prints figures for docs/benchmarks.md."""
