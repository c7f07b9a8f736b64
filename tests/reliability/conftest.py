"""Fixtures for the reliability/security tests: the scraper test helpers are shared
(tests/scrapers/scraper_helpers.py), and every spider that needs an API key gets a fake one."""
import sys
from pathlib import Path

import pytest

SCRAPER_TESTS = Path(__file__).resolve().parent.parent / "scrapers"
if str(SCRAPER_TESTS) not in sys.path:
    sys.path.insert(0, str(SCRAPER_TESTS))

from scraper_helpers import errors, harness  # noqa: E402,F401  (pytest fixtures)


@pytest.fixture(autouse=True)
def _fake_api_keys(monkeypatch):
    monkeypatch.setenv("CONGRESS_GOV_API_KEY", "K")
    monkeypatch.setenv("OPENSTATES_API_KEY", "K")
