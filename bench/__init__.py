"""Benchmarks: each figure is ours against a floor measured in the same run, reported as a ratio."""
