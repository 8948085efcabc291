"""Benchmarks over real HTTP: `make bench`, or `python -m bench --help` (see __main__.py)."""
