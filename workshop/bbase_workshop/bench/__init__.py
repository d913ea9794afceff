"""Benchmark commands (``bbase bench <area>``), one module per area.

Each module exposes ``register(sub)`` adding its ``bbase bench <area>`` parser.
Benchmarks are commands, never timed tests: they print medians and ratios
against a baseline measured in the same run (see docs/benchmarks.md).
"""
