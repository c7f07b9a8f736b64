"""Fixtures for the offline scraper tests (helpers and shared fixtures live in scraper_helpers.py)."""
from scraper_helpers import errors, harness  # noqa: F401  (pytest fixtures)
