"""Benchmarks: `make bench` runs every suite and writes bench/README.md."""
