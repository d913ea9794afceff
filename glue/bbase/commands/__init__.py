"""Command groups of the ``bbase`` console script, one module each."""
