"""The review queue: what needs a human decision to keep the comparison current (issue 5).

Reasons, each with what to look at and how the item leaves the queue:

| reason | raised when | leaves the queue when |
| --- | --- | --- |
| `candidate_bill` | a spider found a bill matching the AI + CSAM keywords that no curated file lists | the bill is added to `data/laws/<J>.yml` (or dismissed in `data/review.yml`) |
| `bill_changed` | a bill cited by an assessment (or a curated bill) has events dated after the `checked` date | the bill and the assessments citing it are re-checked (`checked` >= the latest event) |
| `provision_changed` | the spiders saw a new version of a provision's official text after its `checked` date | the provision (and the assessments citing it) are re-read and `checked` is updated |
| `quote_unverified` | the build could not find an assessment's quote in the text of a cited provision | the quote (or the provision text) is corrected and the build verifies it |
| `disagreement` | the classifier's reading of the cited texts differs from the curated status or scope | the assessment is corrected, or the curated reading is confirmed in `data/review.yml` |
| `unofficial_url` | a provision relied on by a finding (not `unclear`) links a host that is not an official publisher (`data/official_hosts.yml`) | the provision's `url` is replaced by the official page (or the host is added to `data/official_hosts.yml` with a reason) |
| `stale` | an assessment was last checked more than `max_age` days ago (default 365) | the sources are re-read and `checked` is updated |

`data/review.yml` (optional) records decisions that the curated files cannot express:

```yaml
resolved:
  - item: disagreement:US/create      # the queue item's id
    checked: 2026-11-23               # hides the item while nothing newer triggers it
    note: Curated reading stands; the classifier does not see that s. 1466A requires obscenity.
```

An entry hides the item only while the item's `since` date is not after `checked`: if the
assessment or its texts change later, the item comes back.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
from pathlib import Path

import yaml

from lawtracker import classify, crawled, history

log = logging.getLogger(__name__)

REASONS = {
    "candidate_bill": "New candidate bill found by the spiders",
    "bill_changed": "Bill events after the assessment was checked",
    "provision_changed": "Official text changed after it was checked",
    "quote_unverified": "Quote not found in the cited text",
    "disagreement": "Classifier and curated reading disagree",
    "unofficial_url": "Finding relies on a provision without an official link",
    "stale": "Assessment not checked for a long time",
}
DEFAULT_MAX_AGE_DAYS = 365
# Disagreements that enter the queue: the classifier reads a definite, different status or
# scope. `unconfirmed` (conduct found, nothing on the material) and `conduct_not_found` (the
# cited excerpt does not name the conduct) stay in classifier_proposals and the report only.
QUEUED_DISAGREEMENTS = ("status", "scope")
DB = "lawtracker"


def max_age_days(value=None) -> int:
    if value is not None:
        return int(value)
    return int(os.environ.get("LAWTRACKER_REVIEW_MAX_AGE_DAYS", DEFAULT_MAX_AGE_DAYS))


def _tilde(s: str) -> str:
    from datasette.utils import tilde_encode

    return tilde_encode(s)


def row_path(table: str, *pk) -> str:
    return f"/{DB}/{table}/" + ",".join(_tilde(str(k)) for k in pk)


def _date(s) -> str | None:
    return str(s)[:10] if s else None


def load_resolved(data_dir) -> dict:
    """`data/review.yml` -> {item id: {checked, note}}; a broken file is ignored with a warning."""
    if data_dir is None:
        return {}
    path = Path(data_dir) / "review.yml"
    if not path.is_file():
        return {}
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        out = {}
        for entry in doc.get("resolved") or []:
            out[str(entry["item"])] = {"checked": _date(entry.get("checked")), "note": entry.get("note")}
        return out
    except (yaml.YAMLError, KeyError, TypeError, AttributeError) as exc:
        log.warning("%s ignored: %s", path, exc)
        return {}


def provision_changes(crawl_dir) -> dict:
    """provision id -> latest date a change of its crawled text was detected (changes.jsonl)."""
    out = {}
    if crawl_dir is None:
        return out
    for rec in crawled.records(Path(crawl_dir), "changes"):
        if rec.get("kind") == "provision-text" and isinstance(rec.get("id"), str):
            d = _date(rec.get("detected"))
            if d and d > out.get(rec["id"], ""):
                out[rec["id"]] = d
    return out


def _item(reason, ident, since, detail, resolve, *, jurisdiction=None, conduct=None,
          subject_type=None, subject_id=None, url=None, path=None):
    return {
        "id": f"{reason}:{ident}",
        "reason": reason,
        "jurisdiction": jurisdiction,
        "conduct": conduct,
        "subject_type": subject_type,
        "subject_id": subject_id,
        "since": since,
        "detail": detail,
        "url": url,
        "path": path,
        "resolve": resolve,
    }


def _reading(texts, bill_id):
    """What the classifier reads in a bill's title and summary, for the candidate item."""
    if not texts:
        return ""
    conducts, features = set(), set()
    for fld in ("title", "summary"):
        r = texts.get(("bill", bill_id, fld))
        if r is not None:
            conducts |= r.conducts
            features |= r.features
    if not conducts and not features:
        return "; classifier: nothing found in title or summary"
    return (f"; classifier: conducts {', '.join(sorted(conducts)) or '-'}, "
            f"features {', '.join(sorted(features)) or '-'}")


def queue(ds, cells, *, today=None, max_age=None, crawl_dir=None, data_dir=None, texts=None) -> list[dict]:
    """Every open review item, from a build `Dataset` and the classifier's cells (and texts)."""
    today = today or dt.date.today()
    max_age = max_age_days(max_age)
    items = []
    assessments = {(a["jurisdiction"], a["conduct"]): a for a in ds.assessments}
    provisions = {p["id"]: p for p in ds.provisions}
    bills = {b["id"]: b for b in ds.bills}
    events = {}
    for ev in ds.bill_events:
        events.setdefault(ev["bill"], []).append(ev)
    cited_by = {}
    for ap in ds.assessment_provisions:
        cited_by.setdefault(ap["provision"], []).append((ap["jurisdiction"], ap["conduct"]))
    bill_cells = {}
    for ab in ds.assessment_bills:
        bill_cells.setdefault(ab["bill"], []).append((ab["jurisdiction"], ab["conduct"]))

    # 1. candidate bills nobody has curated yet
    for b in ds.bills:
        if b.get("candidate") and b.get("origin") == "crawled":
            terms = ", ".join(map(str, json.loads(b.get("matched_terms") or "[]")))
            items.append(_item(
                "candidate_bill", b["id"], b.get("introduced") or _date(b.get("retrieved")),
                f"{b['identifier']}: {b['title']} (status {b.get('status')}; matched: {terms or '-'}"
                f"{_reading(texts, b['id'])})",
                f"Read the bill. If it matters, add it to data/laws/{b['jurisdiction']}.yml under "
                "`bills` (and cite it from the assessments it affects); if not, add "
                f"`candidate_bill:{b['id']}` under `resolved:` in data/review.yml with a note.",
                jurisdiction=b["jurisdiction"], subject_type="bill", subject_id=b["id"],
                url=b.get("url"), path=row_path("bills", b["id"])))

    # 2. bills with events after the assessment (or the bill record) was checked
    for bid, b in bills.items():
        cells_of_bill = bill_cells.get(bid, [])
        checks = [assessments[c].get("checked") for c in cells_of_bill if c in assessments]
        if b.get("checked"):
            checks.append(b["checked"])
        checks = [c for c in checks if c]
        if not checks:
            continue
        oldest = min(checks)
        newer = [e for e in events.get(bid, []) if str(e["date"]) > oldest]
        if not newer:
            continue
        stale_cells = [f"{j}/{c}" for j, c in cells_of_bill
                       if ((assessments.get((j, c)) or {}).get("checked") or "") < str(newer[-1]["date"])]
        evs = "; ".join(f"{e['date']} {e['classification']}: {e.get('text') or ''}".strip() for e in newer[-3:])
        items.append(_item(
            "bill_changed", bid, str(newer[-1]["date"]),
            f"{b['identifier']} is now {b.get('status')}; {len(newer)} event(s) after {oldest}: {evs}"
            + (f"; assessments to re-check: {', '.join(stale_cells)}" if stale_cells else ""),
            f"Read the bill's events; update the bill in data/laws/{b['jurisdiction']}.yml and the "
            "status/note of each assessment citing it; set their `checked` to today. The item "
            "leaves the queue once every `checked` date is on or after the latest event.",
            jurisdiction=b["jurisdiction"], subject_type="bill", subject_id=bid,
            url=b.get("url"), path=row_path("bills", bid)))

    # 3. provisions whose official text changed after it was checked
    changes = provision_changes(crawl_dir)
    for p in ds.provisions:
        if p.get("text_origin") != "crawled":
            continue
        changed = changes.get(p["id"])
        if changed is None and (p.get("crawled_versions") or 0) > 1:
            changed = _date(p.get("crawled_retrieved"))
        if changed is None:
            continue
        refs = [assessments[c].get("checked") for c in cited_by.get(p["id"], []) if c in assessments]
        reference = p.get("checked") or (min(r for r in refs if r) if any(refs) else None)
        if reference and changed <= reference:
            continue
        cells_txt = ", ".join(f"{j}/{c}" for j, c in cited_by.get(p["id"], [])) or "none"
        items.append(_item(
            "provision_changed", p["id"], changed,
            f"{p['citation']}: {p.get('crawled_versions') or 1} crawled version(s), latest text "
            f"seen {changed}, checked {reference or 'never'}; cited by: {cells_txt}",
            "Compare the crawled official text with the curated excerpt (the provision page shows "
            f"both); update the excerpt in data/laws/{p['jurisdiction']}.yml and the assessments "
            "citing it, then set the provision's `checked` to today.",
            jurisdiction=p["jurisdiction"], subject_type="provision", subject_id=p["id"],
            url=p.get("url") or p.get("crawled_url"), path=row_path("provisions", p["id"])))

    # 4. quotes that no longer verify
    for a in ds.assessments:
        if a.get("quote") and a.get("quote_verified") is False:
            how = ("the curated excerpt holds it but the crawled official text does not"
                   if a.get("quote_verified_against") == "curated-only" else
                   "not found in the text of any cited provision")
            items.append(_item(
                "quote_unverified", f"{a['jurisdiction']}/{a['conduct']}", a.get("checked"),
                f"Quote \u201c{a['quote']}\u201d: {how} ({a.get('citation') or 'no citation'})",
                f"Make the quote in data/laws/{a['jurisdiction']}.yml a verbatim run of words of a "
                "cited provision's text (or correct the provision text), re-check and rebuild; the "
                "item leaves the queue when the build verifies the quote.",
                jurisdiction=a["jurisdiction"], conduct=a["conduct"], subject_type="assessment",
                subject_id=f"{a['jurisdiction']}/{a['conduct']}", url=a.get("official_url"),
                path=row_path("assessments", a["jurisdiction"], a["conduct"])))

    # 5. classifier / curation disagreements
    for c in cells:
        if c.get("disagreement") not in QUEUED_DISAGREEMENTS:
            continue
        key = (c["jurisdiction"], c["conduct"])
        a = assessments.get(key, {})
        since = a.get("checked")
        for pid in json.loads(c.get("provisions") or "[]"):
            ch = changes.get(pid)
            if ch and (since is None or ch > since):
                since = ch
        cur = c["curated_status"] + (f"/{c['curated_scope']}" if c.get("curated_scope") else "")
        pro = (c["proposed_status"] or "-") + (f"/{c['proposed_scope']}" if c.get("proposed_scope") else "")
        items.append(_item(
            "disagreement", f"{c['jurisdiction']}/{c['conduct']}", since,
            f"curated {cur}, classifier proposes {pro} ({c['disagreement']}); evidence: "
            f"{c.get('evidence') or 'no supporting phrase in the cited texts'}",
            "Re-read the cited provisions. If the curated reading is wrong, correct the assessment "
            f"in data/laws/{c['jurisdiction']}.yml; if it stands, add `disagreement:"
            f"{c['jurisdiction']}/{c['conduct']}` under `resolved:` in data/review.yml with "
            "`checked` and a note (or improve lawtracker/rules/).",
            jurisdiction=c["jurisdiction"], conduct=c["conduct"], subject_type="assessment",
            subject_id=f"{c['jurisdiction']}/{c['conduct']}", url=a.get("official_url"),
            path=row_path("classifier_proposals", c["jurisdiction"], c["conduct"])))

    # 6. findings that rely on a provision without an official link
    finding_cells = {}
    for ap in ds.assessment_provisions:
        a = assessments.get((ap["jurisdiction"], ap["conduct"]))
        if a and a["status"] != "unclear":
            finding_cells.setdefault(ap["provision"], []).append(f"{a['jurisdiction']}/{a['conduct']}")
    for pid, cells_of in sorted(finding_cells.items()):
        p = provisions.get(pid)
        if p is None or p.get("url_official") is not False:
            continue
        items.append(_item(
            "unofficial_url", pid, p.get("checked"),
            f"{p['citation']} links {p['url']}, which is not an official publisher; relied on by "
            f"{', '.join(cells_of)}",
            f"Find the provision on the official legislation site and put that URL in "
            f"data/laws/{p['jurisdiction']}.yml (keep the copy you read as `source`); if the host "
            "is in fact official, add it to data/official_hosts.yml with a comment.",
            jurisdiction=p["jurisdiction"], subject_type="provision", subject_id=pid,
            url=p.get("url"), path=row_path("provisions", pid)))

    # 7. assessments not checked for a long time
    cutoff = (today - dt.timedelta(days=max_age)).isoformat()
    for a in ds.assessments:
        if a.get("checked") and a["checked"] < cutoff:
            items.append(_item(
                "stale", f"{a['jurisdiction']}/{a['conduct']}", a["checked"],
                f"{a['status']} since check on {a['checked']}, more than {max_age} days ago",
                f"Re-read the sources of the assessment in data/laws/{a['jurisdiction']}.yml, "
                "update it if the law changed, and set `checked` to today.",
                jurisdiction=a["jurisdiction"], conduct=a["conduct"], subject_type="assessment",
                subject_id=f"{a['jurisdiction']}/{a['conduct']}", url=a.get("official_url"),
                path=row_path("assessments", a["jurisdiction"], a["conduct"])))

    resolved = load_resolved(data_dir)
    out = []
    for it in items:
        r = resolved.get(it["id"])
        if r and r["checked"] and (it["since"] is None or it["since"] <= r["checked"]):
            continue
        out.append(it)
    order = list(REASONS)
    out.sort(key=lambda it: (order.index(it["reason"]), it["jurisdiction"] or "", it["id"]))
    return out


# -- tables -----------------------------------------------------------------------------------

def write_tables(db, ds):
    """Called at the end of `build.write`: classifier, review queue and history tables."""
    from lawtracker import build
    an = classify.analyse(ds.provisions, ds.bills, ds.assessments, ds.assessment_provisions)
    jur_of = {p["id"]: p["jurisdiction"] for p in ds.provisions} | {b["id"]: b["jurisdiction"] for b in ds.bills}
    texts, findings = [], []
    for (stype, sid, fld), r in an.texts.items():
        d = r.as_dict()
        texts.append({
            "subject_type": stype, "subject_id": sid, "field": fld, "jurisdiction": jur_of.get(sid),
            "language": r.language, "rules": r.rules, "conducts": json.dumps(d["conducts"]),
            "features": json.dumps(d["features"]), "scope": d["scope"], "findings": len(r.findings),
        })
        for n, f in enumerate(r.findings):
            findings.append({"subject_type": stype, "subject_id": sid, "field": fld, "position": n,
                             **{k: v for k, v in f.as_dict().items()}})
    db["classifications"].create(
        {"subject_type": str, "subject_id": str, "field": str, "jurisdiction": str, "language": str,
         "rules": str, "conducts": str, "features": str, "scope": str, "findings": int},
        pk=("subject_type", "subject_id", "field"))
    build.insert_rows(db, "classifications", texts)
    db["classification_findings"].create(
        {"subject_type": str, "subject_id": str, "field": str, "position": int, "kind": str,
         "label": str, "phrase": str, "start": int, "end": int, "rule": str, "negated": bool,
         "cue": str, "target": str},
        pk=("subject_type", "subject_id", "field", "position"))
    build.insert_rows(db, "classification_findings", findings)
    db["classifier_proposals"].create(
        {"jurisdiction": str, "conduct": str, "curated_status": str, "curated_scope": str,
         "proposed_status": str, "proposed_scope": str, "conduct_found": bool, "basis": str, "evaluated": bool,
         "disagreement": str, "provisions": str, "referenced": str, "languages": str,
         "evidence": str, "checked": str},
        pk=("jurisdiction", "conduct"), foreign_keys=[("jurisdiction", "jurisdictions", "id")])
    build.insert_rows(db, "classifier_proposals", an.cells)

    items = queue(ds, an.cells, today=getattr(ds, "today", None), texts=an.texts,
                  crawl_dir=getattr(ds, "crawl_dir", None), data_dir=getattr(ds, "data_dir", None))
    db["review_queue"].create(
        {"id": str, "reason": str, "jurisdiction": str, "conduct": str, "subject_type": str,
         "subject_id": str, "since": str, "detail": str, "url": str, "path": str, "resolve": str},
        pk="id")
    build.insert_rows(db, "review_queue", items)

    rows = history.collect(ds.data_dir) if getattr(ds, "data_dir", None) else []
    for r in rows:
        r["summary"] = history.sentence(r)
    db["assessment_history"].create(
        {"jurisdiction": str, "conduct": str, "date": str, "change": str, "from_status": str,
         "to_status": str, "from_scope": str, "to_scope": str, "summary": str, "reason": str,
         "note": str, "checked": str, "commit": str},
        pk=("jurisdiction", "conduct", "commit"))
    build.insert_rows(db, "assessment_history", rows)
    for table, cols in (("classification_findings", ["label"]), ("classifier_proposals", ["disagreement"]),
                        ("review_queue", ["reason"]), ("review_queue", ["jurisdiction"]),
                        ("assessment_history", ["date"]), ("classifications", ["jurisdiction"])):
        db[table].create_index(cols)
    return {"review_items": len(items), "history_rows": len(rows),
            "disagreements": sum(1 for c in an.cells if c["disagreement"])}


# -- CLI ----------------------------------------------------------------------------------------

def _dataset(args):
    from lawtracker import build, paths

    data_dir = Path(args.data or paths.data_dir())
    crawl_dir = Path(getattr(args, "crawled", None) or paths.crawled_dir(data_dir))
    ds = build.collect(data_dir, crawl_dir)
    return ds, data_dir, crawl_dir


def run(args) -> int:
    """`lawtracker review`: print the review queue."""
    ds, data_dir, crawl_dir = _dataset(args)
    an = classify.analyse(ds.provisions, ds.bills, ds.assessments, ds.assessment_provisions)
    items = queue(ds, an.cells, max_age=args.max_age, crawl_dir=crawl_dir, data_dir=data_dir, texts=an.texts)
    if args.reason:
        items = [it for it in items if it["reason"] in args.reason]
    if args.json:
        print(json.dumps(items, ensure_ascii=False, indent=2))
        return 0
    counts = {r: sum(1 for it in items if it["reason"] == r) for r in REASONS}
    print(f"{len(items)} item(s) to review: " + ", ".join(f"{r} {n}" for r, n in counts.items() if n))
    for it in items:
        print(f"\n[{it['reason']}] {it['id']} (since {it['since'] or '-'})")
        print(f"  {it['detail']}")
        if it["url"]:
            print(f"  look at: {it['url']}")
        print(f"  on the site: {it['path']}")
        print(f"  resolve: {it['resolve']}")
    return 0


def run_classify(args) -> int:
    """`lawtracker classify`: findings for a text, the agreement report, or every text's summary."""
    if args.text:
        if not args.lang:
            print("--text needs --lang CODE", file=__import__("sys").stderr)
            return 2
        print(classify.main_text(args.text, args.lang))
        return 0
    ds, _, _ = _dataset(args)
    an = classify.analyse(ds.provisions, ds.bills, ds.assessments, ds.assessment_provisions)
    if args.report:
        print(json.dumps(an.report, ensure_ascii=False, indent=2) if args.json else classify.format_report(an.report))
        return 0
    rows = []
    for (stype, sid, fld), r in sorted(an.texts.items()):
        d = r.as_dict()
        rows.append({"subject_type": stype, "subject_id": sid, "field": fld, **d} if args.json else
                    f"{stype:9} {sid} [{fld}] {r.language or '?'}{'' if r.rules else ' (no rules)'}: "
                    f"conducts {','.join(d['conducts']) or '-'}; scope {d['scope'] or '-'}; "
                    f"features {','.join(d['features']) or '-'}")
    print(json.dumps(rows, ensure_ascii=False, indent=2) if args.json else "\n".join(rows))
    return 0
