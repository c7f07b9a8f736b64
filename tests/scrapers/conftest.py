"""Fixtures for the offline scraper tests (helpers live in scraper_helpers.py)."""
import logging

import pytest

from scraper_helpers import Harness


@pytest.fixture
def harness(tmp_path):
    return Harness(tmp_path)


@pytest.fixture
def errors(caplog):
    """The ERROR log lines of the test (spider loggers included)."""
    caplog.set_level(logging.INFO)

    def get():
        return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]

    return get
