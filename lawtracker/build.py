"""`lawtracker build`: curated YAML + crawled JSON Lines -> one SQLite database.

A few plain functions from files to rows, then one function that writes the tables. The
database is written to a temporary file beside the target and renamed into place only when
complete, so a failed build never leaves a half-written database behind.
"""
import datetime as dt
import json
import logging
import os
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from lawtracker import billstatus, crawled, jurisdictions, official, paths, text, validate, vocab

log = logging.getLogger(__name__)


class BuildError(Exception):
    def __init__(self, problems):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the curated data; run `lawtracker check`")


@dataclass
class Dataset:
    """Everything the tables are made from, as plain rows."""

    jurisdictions: list = field(default_factory=list)
    instruments: list = field(default_factory=list)
    provisions: list = field(default_factory=list)
    bills: list = field(default_factory=list)
    bill_events: list = field(default_factory=list)
    bill_provisions: list = field(default_factory=list)
    assessments: list = field(default_factory=list)
    assessment_provisions: list = field(default_factory=list)
    assessment_bills: list = field(default_factory=list)
    assessment_sources: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # crawled records that could not be joined
    data_dir: Path | None = None  # where it came from (review queue, assessment history)
    crawl_dir: Path | None = None
    today: dt.date | None = None


def _docs(data_dir: Path, today=None):
    checker = validate.check(data_dir, today)
    errors = [p for p in checker.problems if p.severity == "error"]
    if errors:
        raise BuildError(errors)
    return {stem: doc.data for stem, doc in sorted(checker.docs.items())}


def _items(data, key):
    return data.get(key) or []


def collect(data_dir: Path, crawl_dir: Path, today=None) -> Dataset:
    docs = _docs(data_dir, today)
    ds = Dataset(data_dir=Path(data_dir), crawl_dir=Path(crawl_dir), today=today)
    summaries = {stem: d.get("summary") for stem, d in docs.items()}
    as_of = {
        stem: max((a["checked"] for a in _items(d, "assessments")), default=None)
        for stem, d in docs.items()
    }
    for row in jurisdictions.all_jurisdictions(data_dir, with_files=docs):
        row = dict(row)
        row["summary"] = summaries.get(row["id"])
        row["as_of"] = as_of.get(row["id"])
        ds.jurisdictions.append(row)
    known_jur = {j["id"] for j in ds.jurisdictions}

    for stem, d in docs.items():
        for ins in _items(d, "instruments"):
            ds.instruments.append({"jurisdiction": stem, "note": None, **ins})
    instrument_ids = {i["id"] for i in ds.instruments}

    latest = crawled.latest_provisions(crawl_dir)
    for stem, d in docs.items():
        for p in _items(d, "provisions"):
            ds.provisions.append(_provision_row(stem, p, latest.pop(p["id"], None)))
    for pid, rec in sorted(latest.items()):
        jur = pid.split("/", 1)[0]
        if jur not in known_jur:
            ds.skipped.append(("provision", pid, "unknown jurisdiction"))
            continue
        instrument = pid.rsplit("/", 1)[0]
        ds.provisions.append(
            _provision_row(jur, {"id": pid, "instrument": instrument if instrument in instrument_ids else None}, rec)
        )
    for p in ds.provisions:
        p["url_official"] = official.is_official(p["url"], data_dir)
    provision_text = {p["id"]: p for p in ds.provisions}

    _collect_bills(ds, docs, crawl_dir, known_jur, {p["id"] for p in ds.provisions})

    for stem, d in docs.items():
        for a in _items(d, "assessments"):
            ds.assessments.append(_assessment_row(stem, a, provision_text))
            key = {"jurisdiction": stem, "conduct": a["conduct"]}
            for n, pid in enumerate(a.get("provisions") or []):
                ds.assessment_provisions.append({**key, "provision": pid, "position": n})
            for bid in a.get("bills") or []:
                ds.assessment_bills.append({**key, "bill": bid})
            for n, s in enumerate(a.get("sources") or []):
                ds.assessment_sources.append(
                    {**key, "position": n, "url": s["url"], "kind": s["kind"], "title": s.get("title")}
                )
    return ds


def _provision_row(jur, p, rec):
    curated = p.get("text")
    crawled_text = rec.get("text") if rec else None
    return {
        "id": p["id"],
        "instrument": p.get("instrument"),
        "jurisdiction": jur,
        "citation": p.get("citation") or (rec or {}).get("citation") or p["id"],
        "heading": p.get("heading") or (rec or {}).get("heading"),
        "url": p.get("url") or (rec or {}).get("url"),
        "language": p.get("language") or (rec or {}).get("language"),
        # Crawled text is the truth for wording; the curated excerpt is kept beside it.
        "text": crawled_text or curated,
        "text_origin": "crawled" if crawled_text else ("curated" if curated else None),
        "curated_text": curated,
        "excerpt": bool(p.get("excerpt")) if curated else None,
        "text_en": p.get("text_en"),
        "effective": p.get("effective"),
        "source": p.get("source"),
        "checked": p.get("checked"),
        "crawled_url": (rec or {}).get("url"),
        "crawled_retrieved": (rec or {}).get("retrieved"),
        "crawled_sha256": (rec or {}).get("sha256"),
        "crawled_versions": (rec or {}).get("_versions", 0),
        "unapplied_effects": json.dumps((rec or {}).get("unapplied_effects") or []),
        "spider": (rec or {}).get("spider"),
    }


def _event_key(ev):
    return (ev.get("date"), ev.get("classification"), text.normalise(ev.get("text") or ""))


def _collect_bills(ds, docs, crawl_dir, known_jur, provision_ids):
    bills, events = {}, {}
    for stem, d in docs.items():
        for b in _items(d, "bills"):
            bills[b["id"]] = {
                "id": b["id"],
                "jurisdiction": stem,
                "session": str(b["session"]) if b.get("session") is not None else None,
                "identifier": b["identifier"],
                "title": b["title"],
                "url": b["url"],
                "summary": b.get("summary"),
                "candidate": False,
                "matched_terms": "[]",
                "origin": "curated",
                "checked": b.get("checked"),
                "retrieved": None,
            }
            events[b["id"]] = {_event_key(ev): {**ev, "origin": "curated"} for ev in b["events"]}
            for pid in b.get("provisions") or []:
                ds.bill_provisions.append({"bill": b["id"], "provision": pid})
    for rec in crawled.records(crawl_dir, "bills"):
        bid = rec.get("id")
        if not isinstance(bid, str) or bid.split("/", 1)[0] not in known_jur:
            ds.skipped.append(("bill", bid, "no id or unknown jurisdiction"))
            continue
        row = bills.get(bid)
        if row is None:
            row = bills[bid] = {
                "id": bid,
                "jurisdiction": bid.split("/", 1)[0],
                "session": rec.get("session"),
                "identifier": rec.get("identifier") or bid.rsplit("/", 1)[-1],
                "title": rec.get("title") or "(untitled)",
                "url": rec.get("url"),
                "summary": rec.get("summary"),
                "candidate": bool(rec.get("candidate")),
                "matched_terms": json.dumps(rec.get("matched_terms") or []),
                "origin": "crawled",
                "checked": None,
                "retrieved": rec.get("retrieved"),
            }
            events[bid] = {}
        else:
            # Curated judgement wins; crawling only adds what the curators did not say.
            row["origin"] = "both"
            row["retrieved"] = rec.get("retrieved")
            row["candidate"] = row["candidate"] or bool(rec.get("candidate"))
            row["summary"] = row["summary"] or rec.get("summary")
    for rec in crawled.records(crawl_dir, "bill_events"):
        bid = rec.get("bill_id")
        if bid in events and rec.get("date") and rec.get("classification") in vocab.EVENT_CLASSIFICATIONS:
            events[bid].setdefault(_event_key(rec), {**rec, "origin": "crawled"})
        else:
            ds.skipped.append(("bill_event", bid, "unknown bill, no date or unknown classification"))
    for bid, row in sorted(bills.items()):
        evs = sorted(events[bid].values(), key=lambda e: (e["date"], e.get("order") or 0))
        row["status"] = billstatus.derive(evs)
        intro = [e["date"] for e in evs if e.get("classification") == "introduction"]
        row["introduced"] = intro[0] if intro else (evs[0]["date"] if evs else None)
        row["latest_action"] = evs[-1].get("text") or evs[-1]["classification"] if evs else None
        row["latest_action_date"] = evs[-1]["date"] if evs else None
        row["events"] = len(evs)
        ds.bills.append(row)
        for n, ev in enumerate(evs):
            ds.bill_events.append(
                {
                    "bill": bid,
                    "position": n,
                    "date": ev["date"],
                    "classification": ev["classification"],
                    "chamber": ev.get("chamber"),
                    "text": ev.get("text"),
                    "source_url": ev.get("source") or ev.get("source_url"),
                    "origin": ev["origin"],
                }
            )
    ds.bill_provisions = [bp for bp in ds.bill_provisions if bp["provision"] in provision_ids]


def _assessment_row(jur, a, provisions):
    quote = a.get("quote")
    verified, against = None, None
    if quote:
        cited = [provisions[p] for p in a.get("provisions") or [] if p in provisions]
        verified = False
        for p in cited:
            if text.contains_quote(p["text"], quote):
                verified, against = True, p["text_origin"]
                break
        if not verified and any(text.contains_quote(p["curated_text"], quote) for p in cited):
            # The curated excerpt holds it but the crawled official text does not: the law
            # may have changed. Published as unverified, so it lands in the review queue.
            against = "curated-only"
    cited_rows = [provisions[p] for p in a.get("provisions") or [] if p in provisions]
    return {
        "jurisdiction": jur,
        "conduct": a["conduct"],
        "status": a["status"],
        "scope": a.get("scope"),
        "citation": "; ".join(p["citation"] for p in cited_rows) or None,
        "provision": cited_rows[0]["id"] if cited_rows else None,
        "official_url": cited_rows[0]["url"] if cited_rows else None,
        "quote": quote,
        "quote_en": a.get("quote_en"),
        "quote_verified": verified,
        "quote_verified_against": against,
        "penalty": a.get("penalty"),
        "effective": a.get("effective"),
        "note": a.get("note"),
        "checked": a.get("checked"),
        "confidence": a.get("confidence"),
    }


# -- writing ------------------------------------------------------------------------------

def _lookup_tables(db):
    db["conducts"].insert_all(
        [{"id": k, "label": v, "position": i} for i, (k, v) in enumerate(vocab.CONDUCTS.items())],
        pk="id",
    )
    db["statuses"].insert_all(
        [{"id": k, "definition": v, "position": i} for i, (k, v) in enumerate(vocab.STATUSES.items())],
        pk="id",
    )
    db["scopes"].insert_all(
        [{"id": k, "label": v, "position": i} for i, (k, v) in enumerate(vocab.SCOPES.items())],
        pk="id",
    )
    db["bill_statuses"].insert_all(
        [{"id": k, "label": v, "position": i} for i, (k, v) in enumerate(vocab.BILL_STATUSES.items())],
        pk="id",
    )


def _create(db, name, columns, rows, pk, fks=(), not_null=()):
    """sqlite-utils writes the schema (keys, foreign keys); rows go in with one executemany,
    which is several times faster than insert_all's per-row conversion and savepoints."""
    db[name].create(columns, pk=pk, foreign_keys=list(fks), not_null=set(not_null))
    insert_rows(db, name, rows)


def insert_rows(db, name, rows):
    """Insert dicts into an existing table in one executemany (missing keys become NULL)."""
    cols = list(db[name].columns_dict)
    sql = f"insert into [{name}] ({', '.join(f'[{c}]' for c in cols)}) values ({', '.join('?' for _ in cols)})"
    db.conn.executemany(sql, (tuple(row.get(c) for c in cols) for row in rows))


def write(db: sqlite_utils.Database, ds: Dataset, info: dict):
    _lookup_tables(db)
    _create(
        db, "jurisdictions",
        {"id": str, "name": str, "kind": str, "parent": str, "un_member": bool,
         "eu_member": bool, "iso_numeric": str, "summary": str, "as_of": str},
        ds.jurisdictions, "id", [("parent", "jurisdictions", "id")], ("name", "kind"),
    )
    _create(
        db, "instruments",
        {"id": str, "jurisdiction": str, "title": str, "kind": str, "url": str, "language": str, "note": str},
        ds.instruments, "id", [("jurisdiction", "jurisdictions", "id")], ("jurisdiction", "title"),
    )
    _create(
        db, "provisions",
        {"id": str, "instrument": str, "jurisdiction": str, "citation": str, "heading": str,
         "url": str, "url_official": bool, "language": str, "text": str, "text_origin": str,
         "curated_text": str,
         "excerpt": bool, "text_en": str, "effective": str, "source": str, "checked": str,
         "crawled_url": str, "crawled_retrieved": str, "crawled_sha256": str,
         "crawled_versions": int, "unapplied_effects": str, "spider": str},
        ds.provisions, "id",
        [("instrument", "instruments", "id"), ("jurisdiction", "jurisdictions", "id")],
        ("jurisdiction", "citation"),
    )
    _create(
        db, "bills",
        {"id": str, "jurisdiction": str, "session": str, "identifier": str, "title": str,
         "status": str, "introduced": str, "latest_action": str, "latest_action_date": str,
         "events": int, "url": str, "summary": str, "candidate": bool, "matched_terms": str,
         "origin": str, "checked": str, "retrieved": str},
        ds.bills, "id",
        [("jurisdiction", "jurisdictions", "id"), ("status", "bill_statuses", "id")],
        ("jurisdiction", "identifier", "title"),
    )
    _create(
        db, "bill_events",
        {"bill": str, "position": int, "date": str, "classification": str, "chamber": str,
         "text": str, "source_url": str, "origin": str},
        ds.bill_events, ("bill", "position"), [("bill", "bills", "id")], ("date", "classification"),
    )
    _create(
        db, "bill_provisions", {"bill": str, "provision": str}, ds.bill_provisions,
        ("bill", "provision"), [("bill", "bills", "id"), ("provision", "provisions", "id")],
    )
    _create(
        db, "assessments",
        {"jurisdiction": str, "conduct": str, "status": str, "scope": str, "citation": str,
         "provision": str, "official_url": str, "quote": str, "quote_en": str,
         "quote_verified": bool, "quote_verified_against": str, "penalty": str,
         "effective": str, "note": str, "checked": str, "confidence": str},
        ds.assessments, ("jurisdiction", "conduct"),
        [("jurisdiction", "jurisdictions", "id"), ("conduct", "conducts", "id"),
         ("status", "statuses", "id"), ("scope", "scopes", "id"),
         ("provision", "provisions", "id")],
        ("status", "checked"),
    )
    _create(
        db, "assessment_provisions",
        {"jurisdiction": str, "conduct": str, "provision": str, "position": int},
        ds.assessment_provisions, ("jurisdiction", "conduct", "provision"),
        [("jurisdiction", "jurisdictions", "id"), ("provision", "provisions", "id")],
    )
    _create(
        db, "assessment_bills", {"jurisdiction": str, "conduct": str, "bill": str},
        ds.assessment_bills, ("jurisdiction", "conduct", "bill"),
        [("jurisdiction", "jurisdictions", "id"), ("bill", "bills", "id")],
    )
    _create(
        db, "assessment_sources",
        {"jurisdiction": str, "conduct": str, "position": int, "url": str, "kind": str, "title": str},
        ds.assessment_sources, ("jurisdiction", "conduct", "position"),
        [("jurisdiction", "jurisdictions", "id")],
    )
    _indexes(db)
    db["provisions"].enable_fts(["citation", "heading", "text", "text_en"], tokenize="porter", create_triggers=True)
    db["bills"].enable_fts(["identifier", "title", "summary"], tokenize="porter", create_triggers=True)
    _views(db)
    from lawtracker import review  # classifier, review queue, assessment history (issue 5)

    review.write_tables(db, ds)
    db["build_info"].insert_all([{"key": k, "value": str(v)} for k, v in info.items()], pk="key")


INDEXES = {
    "jurisdictions": [["kind"], ["parent"], ["un_member"], ["eu_member"]],
    "instruments": [["jurisdiction"]],
    "provisions": [["jurisdiction"], ["instrument"], ["language"], ["text_origin"], ["url_official"]],
    "bills": [["jurisdiction"], ["status"], ["latest_action_date"], ["candidate"], ["origin"]],
    "bill_events": [["date"], ["classification"]],
    "bill_provisions": [["provision"]],
    "assessments": [["conduct"], ["status"], ["scope"], ["confidence"], ["quote_verified"],
                    ["provision"], ["checked"], ["conduct", "status"]],
    "assessment_provisions": [["provision"]],
    "assessment_bills": [["bill"]],
}


def _indexes(db):
    for table, sets in INDEXES.items():
        for cols in sets:
            db[table].create_index(cols)


def _views(db):
    pivot = ",\n  ".join(
        f"max(case when a.conduct = '{c}' then a.status end) as [{c}]" for c in vocab.CONDUCTS
    )
    db.create_view(
        "comparison",
        f"""select j.id as jurisdiction, j.name, j.kind, j.parent,
  {pivot},
  count(a.conduct) as assessed,
  max(a.checked) as checked
from jurisdictions j left join assessments a on a.jurisdiction = j.id
group by j.id
order by j.kind = 'supranational' desc, j.kind, j.id""",
    )
    db.create_view(
        "status_counts",
        """select c.id as conduct, s.id as status, count(a.status) as jurisdictions
from conducts c cross join statuses s
left join assessments a on a.conduct = c.id and a.status = s.id
group by c.id, s.id
order by c.position, s.position""",
    )


def _git_commit():
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=paths.ROOT, capture_output=True,
            text=True, timeout=5,
        )
        return out.stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


def _fsync(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def build(db_path=None, data_dir=None, crawl_dir=None, today=None) -> dict:
    """Build the database atomically; return a summary of what was written."""
    data_dir = Path(data_dir or paths.data_dir())
    crawl_dir = Path(crawl_dir or paths.crawled_dir(data_dir))
    db_path = Path(db_path or paths.default_db())
    ds = collect(data_dir, crawl_dir, today)
    for kind, ident, why in ds.skipped:
        log.warning("crawled %s %s skipped: %s", kind, ident, why)
    checked = [a["checked"] for a in ds.assessments if a["checked"]]
    info = {
        "built_at": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
        "data_as_of": max(checked, default=""),
        "git_commit": _git_commit() or "",
        "jurisdictions": len(ds.jurisdictions),
        "assessments": len(ds.assessments),
        "provisions": len(ds.provisions),
        "bills": len(ds.bills),
        "quotes_verified": sum(1 for a in ds.assessments if a["quote_verified"]),
        "quotes_unverified": sum(1 for a in ds.assessments if a["quote_verified"] is False),
    }
    db_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{db_path.name}.", suffix=".tmp", dir=db_path.parent)
    os.close(fd)
    try:
        db = sqlite_utils.Database(tmp, recreate=True)
        # No journal and no fsync while writing: the file is private until the rename below,
        # and a crash simply leaves a temp file that the next build replaces.
        db.execute("pragma journal_mode = off")
        db.execute("pragma synchronous = off")
        with db.conn:
            write(db, ds, info)
        violations = list(db.query("pragma foreign_key_check"))
        if violations:
            raise RuntimeError(f"foreign key violations: {violations[:5]}")
        db.execute("pragma journal_mode = delete")
        db.close()
        _fsync(tmp)
        os.replace(tmp, db_path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    info["skipped_crawled"] = len(ds.skipped)
    return info
