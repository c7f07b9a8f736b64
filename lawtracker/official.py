"""Is a URL on an official publisher's host? (`data/official_hosts.yml`)"""
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import yaml


@lru_cache(maxsize=8)
def _rules(path: str):
    config = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    hosts = {h.lower().removeprefix("www.") for h in config.get("hosts", [])}
    suffixes = tuple("." + s.lower() for s in config.get("suffixes", []))
    return hosts, suffixes


def is_official(url: str | None, data_dir: Path) -> bool | None:
    if not url:
        return None
    path = Path(data_dir) / "official_hosts.yml"
    if not path.exists():
        return None
    hosts, suffixes = _rules(str(path))
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    return host in hosts or ("." + host).endswith(suffixes)
