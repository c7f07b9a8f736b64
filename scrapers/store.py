"""The crawled store: data/crawled/<spider>/*.jsonl (contract: docs/architecture.md).

Merging rules (nothing already held is ever lost):
- provisions: one line per (id, version). Same sha256 as the latest version -> only
  ``last_seen`` (a date, so same-day reruns are byte-identical) and the publisher's
  metadata are refreshed; a different sha256 -> a new version line and a
  ``provision-text`` change line. ``retrieved`` is when that version was first fetched.
- bills: latest state per id. ``sha256`` covers the status fields and the bill's
  known events; a new bill -> ``bill-new``, a changed hash -> ``bill-status``.
  Empty new values never overwrite held values.
- bill_events / documents: accumulate (union); held rows are never removed.
- files are sorted by their key, written atomically (temp file + rename), and only
  rewritten when their bytes change. An unreadable existing file stops the write of
  the whole spider folder (logged), so a bad state never overwrites good data.
"""
from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from pathlib import Path

from scrapers.items import (BILL_FIELDS, CHANGE_FIELDS, DOCUMENT_FIELDS, EVENT_FIELDS,
                            PROVISION_FIELDS)
from scrapers.text import sha256_text

logger = logging.getLogger(__name__)

FILES = ("provisions.jsonl", "bills.jsonl", "bill_events.jsonl", "documents.jsonl", "changes.jsonl")


class StoreError(Exception):
    """An existing store file cannot be read; the folder is left untouched."""


def _read_jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    rows = []
    try:
        # split on "\n" only: JSON strings may hold U+2028 and the like (ensure_ascii=False)
        lines = path.read_bytes().decode("utf-8").split("\n")
    except UnicodeDecodeError as exc:
        raise StoreError(f"{path}: not UTF-8 ({exc})") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except (ValueError, RecursionError) as exc:
            raise StoreError(f"{path}:{n}: not valid JSON ({str(exc)[:120]})") from None
        if not isinstance(row, dict):
            raise StoreError(f"{path}:{n}: not a JSON object")
        rows.append(row)
    return rows


def _dump_line(row: dict, fields) -> str:
    return json.dumps({f: row.get(f) for f in fields}, ensure_ascii=False, separators=(", ", ": "))


def atomic_write(path: Path, data: str) -> bool:
    """Write ``data`` to ``path`` via a temp file + rename; False if unchanged."""
    encoded = data.encode("utf-8")
    if path.exists() and path.read_bytes() == encoded:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(encoded)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return True


def _k(v):
    """Sort key part that never compares None with str/int."""
    return (v is None, "" if v is None else v)


def bill_status_sha(bill: dict, events: list[dict]) -> str:
    status = {
        "title": bill.get("title"), "identifier": bill.get("identifier"),
        "session": bill.get("session"), "introduced": bill.get("introduced"),
        "summary": bill.get("summary"), "url": bill.get("url"),
        "events": sorted([e.get("date") or "", e.get("classification") or "", e.get("chamber") or "",
                          e.get("text") or ""] for e in events),
    }
    return sha256_text(json.dumps(status, sort_keys=True, ensure_ascii=False))


def event_key(e: dict):
    return (e.get("bill_id"), e.get("date"), e.get("text"), e.get("chamber"))


class SpiderStore:
    """Read, merge and write one spider's folder of the crawled store."""

    def __init__(self, root: str | os.PathLike, spider: str):
        self.dir = Path(root) / spider
        self.spider = spider
        self.provisions: list[dict] = []
        self.bills: dict[str, dict] = {}
        self.events: dict[tuple, dict] = {}
        self.documents: dict[tuple, dict] = {}
        self.changes: list[dict] = []
        self.state: dict = {}
        self.loaded = False

    # -- reading ---------------------------------------------------------------
    def load(self) -> "SpiderStore":
        try:
            return self._load()
        except (TypeError, AttributeError) as exc:  # e.g. a list where an id string belongs
            raise StoreError(f"{self.dir}: a line has a field of the wrong type ({exc})") from None

    def _load(self) -> "SpiderStore":
        self.provisions = _read_jsonl(self.dir / "provisions.jsonl")
        self.bills = {r["id"]: r for r in _read_jsonl(self.dir / "bills.jsonl") if r.get("id")}
        self.events = {event_key(r): r for r in _read_jsonl(self.dir / "bill_events.jsonl")}
        self.documents = {(r.get("bill_id"), r.get("url")): r
                          for r in _read_jsonl(self.dir / "documents.jsonl")}
        self.changes = _read_jsonl(self.dir / "changes.jsonl")
        self.state = load_state_file(self.dir / "state.json")
        self.loaded = True
        return self

    def latest_provision(self, pid: str) -> dict | None:
        versions = [p for p in self.provisions if p.get("id") == pid]
        return max(versions, key=lambda p: p.get("version") or 0) if versions else None

    # -- merging ---------------------------------------------------------------
    def merge_provision(self, item: dict, detected: str) -> str:
        """Returns 'new', 'changed' or 'same'."""
        text = item["text"]
        sha = sha256_text(text)
        day = (item.get("retrieved") or detected)[:10]
        latest = self.latest_provision(item["id"])
        if latest is not None and latest.get("sha256") == sha:
            if (latest.get("last_seen") or "") < day:
                latest["last_seen"] = day
            for f in ("url", "citation", "heading", "language", "source_modified"):
                if item.get(f):
                    latest[f] = item[f]
            latest["unapplied_effects"] = list(item.get("unapplied_effects") or [])
            return "same"
        record = {f: item.get(f) for f in PROVISION_FIELDS}
        record.update(version=(latest.get("version") or 0) + 1 if latest else 1, sha256=sha,
                      first_seen=day, last_seen=day, spider=self.spider,
                      unapplied_effects=list(item.get("unapplied_effects") or []))
        if latest is not None:  # keep what the new fetch did not give
            for f in ("citation", "heading", "language", "url"):
                if not record.get(f):
                    record[f] = latest.get(f)
        self.provisions.append(record)
        self.changes.append({"detected": detected, "kind": "provision-text", "id": item["id"],
                             "old_sha256": latest.get("sha256") if latest else None,
                             "new_sha256": sha, "spider": self.spider})
        return "changed" if latest is not None else "new"

    def merge_event(self, item: dict) -> bool:
        key = event_key(item)
        if key in self.events:
            held = self.events[key]
            if held.get("classification") in (None, "other") and item.get("classification"):
                held["classification"] = item["classification"]
            if not held.get("source_url") and item.get("source_url"):
                held["source_url"] = item["source_url"]
            return False
        self.events[key] = {f: item.get(f) for f in EVENT_FIELDS}
        return True

    def merge_document(self, item: dict) -> bool:
        key = (item.get("bill_id"), item.get("url"))
        if key in self.documents:
            held = self.documents[key]
            for f in ("title", "date", "media_type"):
                if item.get(f):
                    held[f] = item[f]
            return False
        self.documents[key] = {f: item.get(f) for f in DOCUMENT_FIELDS}
        return True

    def events_of(self, bill_id: str) -> list[dict]:
        return [e for e in self.events.values() if e.get("bill_id") == bill_id]

    def merge_bill(self, item: dict, detected: str) -> str:
        held = self.bills.get(item["id"])
        record = {f: item.get(f) for f in BILL_FIELDS}
        record["spider"] = self.spider
        if held is not None:
            for f in BILL_FIELDS:
                if record.get(f) in (None, "", []) and held.get(f) not in (None, "", []):
                    record[f] = held[f]
            if held.get("candidate"):  # once a candidate, stays one (review queue)
                record["candidate"] = True
                record["matched_terms"] = sorted(set(held.get("matched_terms") or [])
                                                 | set(record.get("matched_terms") or []))
        sha = bill_status_sha(record, self.events_of(item["id"]))
        record["sha256"] = sha
        if held is None:
            self.bills[item["id"]] = record
            self.changes.append({"detected": detected, "kind": "bill-new", "id": item["id"],
                                 "old_sha256": None, "new_sha256": sha, "spider": self.spider})
            return "new"
        if held.get("sha256") == sha:
            # status unchanged: keep the held line as it is (byte-identical reruns)
            for f in ("candidate", "matched_terms"):
                held[f] = record[f]
            return "same"
        self.bills[item["id"]] = record
        self.changes.append({"detected": detected, "kind": "bill-status", "id": item["id"],
                             "old_sha256": held.get("sha256"), "new_sha256": sha,
                             "spider": self.spider})
        return "changed"

    # -- writing ---------------------------------------------------------------
    def render(self) -> dict[str, str]:
        prov = sorted(self.provisions, key=lambda r: (_k(r.get("id")), _k(r.get("version"))))
        bills = sorted(self.bills.values(), key=lambda r: _k(r.get("id")))
        events = sorted(self.events.values(), key=lambda r: (
            _k(r.get("bill_id")), _k(r.get("date")), _k(r.get("order")), _k(r.get("text"))))
        docs = sorted(self.documents.values(), key=lambda r: (_k(r.get("bill_id")), _k(r.get("url"))))
        changes = sorted(self.changes, key=lambda r: (_k(r.get("detected")), _k(r.get("kind")),
                                                      _k(r.get("id")), _k(r.get("new_sha256"))))
        out = {}
        for name, rows, fields in (("provisions.jsonl", prov, PROVISION_FIELDS),
                                   ("bills.jsonl", bills, BILL_FIELDS),
                                   ("bill_events.jsonl", events, EVENT_FIELDS),
                                   ("documents.jsonl", docs, DOCUMENT_FIELDS),
                                   ("changes.jsonl", changes, CHANGE_FIELDS)):
            if rows or (self.dir / name).exists():
                out[name] = "".join(_dump_line(r, fields) + "\n" for r in rows)
        if self.state or (self.dir / "state.json").exists():
            out["state.json"] = json.dumps(self.state, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        return out

    def save(self) -> list[str]:
        """Write changed files; returns the names written. Temp files left by a writer
        that was killed mid-write (``.<name>.*.tmp``, untouched for 10 minutes, so a
        concurrent writer's file is left alone) are removed first."""
        for stale in self.dir.glob(".*.tmp") if self.dir.is_dir() else ():
            try:
                if time.time() - stale.stat().st_mtime > 600:
                    stale.unlink()
            except OSError:
                pass
        written = []
        for name, data in self.render().items():
            if atomic_write(self.dir / name, data):
                written.append(name)
        return written


def load_state_file(path: Path) -> dict:
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        raise StoreError(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise StoreError(f"{path}: not a JSON object")
    return data


def load_state(root, spider: str) -> dict:
    """The spider's watermarks (state.json), {} when absent or unreadable."""
    try:
        return load_state_file(Path(root) / spider / "state.json")
    except StoreError as exc:
        logger.error("%s", exc)
        return {}


def deep_merge(base: dict, update: dict) -> dict:
    for k, v in update.items():
        if isinstance(v, dict) and isinstance(base.get(k), dict):
            deep_merge(base[k], v)
        else:
            base[k] = v
    return base
