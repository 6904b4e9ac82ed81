"""Use cases: one public method = one transaction. Pure Python, no Qt."""
