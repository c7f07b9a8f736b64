"""Read the crawled store (`data/crawled/<spider>/*.jsonl`, see docs/architecture.md).

A line that is not valid JSON is skipped with a logged error: one damaged line must not take
the whole dataset down with it.
"""
import json
import logging
from pathlib import Path

log = logging.getLogger(__name__)


def read_jsonl(path: Path):
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.strip()
            if not line:
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                log.error("%s:%d: skipped, not JSON (%s)", path, n, exc.msg)
                continue
            if isinstance(record, dict):
                yield record
            else:
                log.error("%s:%d: skipped, not a JSON object", path, n)


def records(crawl_dir: Path, kind: str):
    """All records of one kind (`provisions`, `bills`, ...) across spiders."""
    crawl_dir = Path(crawl_dir)
    if not crawl_dir.is_dir():
        return
    for path in sorted(crawl_dir.glob(f"*/{kind}.jsonl")):
        for record in read_jsonl(path):
            record.setdefault("spider", path.parent.name)
            yield record


def latest_provisions(crawl_dir: Path) -> dict:
    """Provision id -> its newest crawled version, plus the count of versions seen."""
    latest = {}
    for rec in records(crawl_dir, "provisions"):
        pid, text = rec.get("id"), rec.get("text")
        if not isinstance(pid, str) or not isinstance(text, str) or not text.strip():
            continue
        prev = latest.get(pid)
        count = (prev or {}).get("_versions", 0) + 1
        if prev is None or (rec.get("version") or 0, rec.get("retrieved") or "") >= (
            prev.get("version") or 0,
            prev.get("retrieved") or "",
        ):
            latest[pid] = dict(rec)
        latest[pid]["_versions"] = count
    return latest
