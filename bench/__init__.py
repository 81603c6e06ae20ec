"""Measurements of Academy that are figures for BENCHMARKS.md and the README, not pass/fail."""
