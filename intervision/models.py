"""Intervision groups, methods and live sessions (issue 6)."""
