"""Where things live. Every path can be overridden, so tests never touch the real data."""
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    return Path(os.environ.get("LAWTRACKER_DATA", ROOT / "data"))


def default_db() -> Path:
    return Path(os.environ.get("LAWTRACKER_DB", ROOT / "build" / "lawtracker.db"))


def crawled_dir(data: Path | None = None) -> Path:
    env = os.environ.get("LAWTRACKER_CRAWL_DIR")
    if env:
        return Path(env)
    return (data or data_dir()) / "crawled"
