import shutil
from pathlib import Path

import pytest

from lawtracker import build

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def data_dir(tmp_path):
    """A private copy of the fixture dataset that a test may edit."""
    target = tmp_path / "data"
    shutil.copytree(FIXTURES / "data", target)
    return target


@pytest.fixture
def crawl_dir(tmp_path):
    target = tmp_path / "crawled"
    shutil.copytree(FIXTURES / "crawled", target)
    return target


@pytest.fixture
def built_db(tmp_path, data_dir, crawl_dir):
    db = tmp_path / "lawtracker.db"
    build.build(db, data_dir, crawl_dir)
    return db


@pytest.fixture(scope="session")
def real_db(tmp_path_factory):
    """The embedded dataset as shipped, built once per session."""
    db = tmp_path_factory.mktemp("real") / "lawtracker.db"
    build.build(db, REPO / "data")
    return db
