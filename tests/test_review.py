"""The review queue: one test per reason, resolution, the table and the CLI."""
import datetime as dt
import json

import sqlite_utils

from lawtracker import build, classify, cli, review

TODAY = dt.date(2026, 11, 23)


def items(data_dir, crawl_dir, **kw):
    ds = build.collect(data_dir, crawl_dir)
    an = classify.analyse(ds.provisions, ds.bills, ds.assessments, ds.assessment_provisions)
    kw.setdefault("today", TODAY)
    return {it["id"]: it for it in review.queue(ds, an.cells, crawl_dir=crawl_dir, data_dir=data_dir, **kw)}


def edit(path, old, new):
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def test_candidate_bill(data_dir, crawl_dir):
    it = items(data_dir, crawl_dir)["candidate_bill:US-CA/2099-2100/ab9"]
    assert it["url"].startswith("https://leginfo.legislature.ca.gov/")
    assert it["path"] == "/lawtracker/bills/US-CA~2F2099-2100~2Fab9"
    assert "data/laws/US-CA.yml" in it["resolve"] and "data/review.yml" in it["resolve"]


def test_candidate_bill_leaves_when_dismissed(data_dir, crawl_dir):
    (data_dir / "review.yml").write_text(
        "resolved:\n  - item: candidate_bill:US-CA/2099-2100/ab9\n    checked: 2026-11-22\n"
        "    note: Not about synthetic material.\n")
    assert "candidate_bill:US-CA/2099-2100/ab9" not in items(data_dir, crawl_dir)


def test_bill_changed_after_check(data_dir, crawl_dir):
    gb = data_dir / "laws" / "GB.yml"
    assert not any(k.startswith("bill_changed:") for k in items(data_dir, crawl_dir))
    # the bill was last checked before the crawled passage (2025-06-01) and Royal Assent (2025-07-01)
    edit(gb, "      - {url: https://bills.parliament.uk/bills/1/stages, kind: primary}\n    checked: 2026-11-01",
         "      - {url: https://bills.parliament.uk/bills/1/stages, kind: primary}\n    checked: 2025-04-01")
    it = items(data_dir, crawl_dir)["bill_changed:GB/2098-99/fixture-bill"]
    assert it["since"] == "2025-07-01"
    assert "became-law" in it["detail"] and it["url"] == "https://bills.parliament.uk/bills/1"


def test_provision_text_changed(data_dir, crawl_dir):
    it = items(data_dir, crawl_dir)["provision_changed:GB/ukpga-2099-1/s2"]
    assert it["since"] == "2026-11-20" and "2 crawled version(s)" in it["detail"]
    assert "GB/tools" in it["detail"]
    # re-checking the provision after the new version was seen takes it off the queue
    edit(data_dir / "laws" / "GB.yml", "    text: It is an offence to supply a CSA image generator.\n    checked: 2026-11-01",
         "    text: It is an offence to supply a CSA image generator.\n    checked: 2026-11-21")
    assert "provision_changed:GB/ukpga-2099-1/s2" not in items(data_dir, crawl_dir)


def test_provision_change_recorded_by_spider(data_dir, crawl_dir):
    (crawl_dir / "test_spider" / "changes.jsonl").write_text(json.dumps(
        {"detected": "2026-11-15T03:00:00+00:00", "kind": "provision-text", "id": "GB/ukpga-2099-1/s1",
         "old_sha256": "a", "new_sha256": "w", "spider": "test_spider"}) + "\n")
    it = items(data_dir, crawl_dir)["provision_changed:GB/ukpga-2099-1/s1"]
    assert it["since"] == "2026-11-15"


def test_quote_no_longer_verifies(data_dir, crawl_dir):
    it = items(data_dir, crawl_dir)["quote_unverified:GB/possess"]
    assert "crawled official text does not" in it["detail"]
    assert it["path"] == "/lawtracker/assessments/GB,possess"


def test_classifier_disagreement_and_confirmation(data_dir, crawl_dir):
    it = items(data_dir, crawl_dir)["disagreement:US-CA/distribute"]
    assert "curated not_criminalised" in it["detail"] and "artificial intelligence" in it["detail"]
    (data_dir / "review.yml").write_text(
        "resolved:\n  - item: disagreement:US-CA/distribute\n    checked: 2026-11-01\n    note: reading stands\n")
    assert "disagreement:US-CA/distribute" not in items(data_dir, crawl_dir)
    # a later re-check of the assessment brings it back for a fresh look
    edit(data_dir / "laws" / "US-CA.yml", "    checked: 2026-11-01\n    confidence: low",
         "    checked: 2026-11-10\n    confidence: low")
    assert "disagreement:US-CA/distribute" in items(data_dir, crawl_dir)


def test_stale_assessments(data_dir, crawl_dir):
    assert not any(k.startswith("stale:") for k in items(data_dir, crawl_dir))  # default: 365 days
    stale = [k for k in items(data_dir, crawl_dir, max_age=10) if k.startswith("stale:")]
    assert len(stale) == 6  # every fixture assessment was checked 2026-11-01


def test_max_age_from_environment(monkeypatch):
    monkeypatch.setenv("LAWTRACKER_REVIEW_MAX_AGE_DAYS", "30")
    assert review.max_age_days() == 30 and review.max_age_days(7) == 7


def test_broken_review_file_is_ignored(data_dir, crawl_dir):
    (data_dir / "review.yml").write_text("resolved: [ {item: ")
    assert "candidate_bill:US-CA/2099-2100/ab9" in items(data_dir, crawl_dir)


def test_review_queue_table(built_db):
    db = sqlite_utils.Database(built_db)
    rows = {r["id"]: r for r in db["review_queue"].rows}
    assert {r["reason"] for r in rows.values()} >= {"candidate_bill", "provision_changed", "quote_unverified"}
    assert all(r["resolve"] and r["path"].startswith("/lawtracker/") for r in rows.values())


async def test_review_queue_page(built_db):
    from lawtracker import serve

    r = await serve.app(built_db).client.get("/lawtracker/review_queue.json?_shape=array")
    assert r.status_code == 200 and len(r.json()) >= 3


def test_cli_review(data_dir, crawl_dir, capsys):
    assert cli.main(["review", "--data", str(data_dir), "--crawled", str(crawl_dir), "--max-age", "10"]) == 0
    out = capsys.readouterr().out
    for reason in ("candidate_bill", "provision_changed", "quote_unverified", "disagreement", "stale"):
        assert f"[{reason}]" in out
    assert "resolve:" in out and "look at:" in out
    assert cli.main(["review", "--data", str(data_dir), "--crawled", str(crawl_dir), "--json",
                     "--reason", "quote_unverified"]) == 0
    assert [it["id"] for it in json.loads(capsys.readouterr().out)] == ["quote_unverified:GB/possess"]


def test_unofficial_url_enters_the_queue(tmp_path, data_dir, crawl_dir):
    """A finding relying on a provision hosted off the official list is queued for review."""
    from lawtracker import build as build_mod

    path = data_dir / "laws" / "US-CA.yml"
    path.write_text(path.read_text().replace(
        "url: https://leginfo.legislature.ca.gov/faces/codes_displaySection.xhtml?sectionNum=311",
        "url: https://law.example-copies.com/ca/penal/311", 1))
    ds = build_mod.collect(data_dir, crawl_dir)
    p = next(p for p in ds.provisions if p["id"] == "US-CA/penal-code/s311")
    assert p["url_official"] is False
    assert all(q["url_official"] for q in ds.provisions if q["id"].startswith("GB/ukpga-2099-1/s1"))
    from lawtracker import review

    items = [it for it in review.queue(ds, [], data_dir=data_dir, crawl_dir=crawl_dir)
             if it["reason"] == "unofficial_url"]
    assert [it["subject_id"] for it in items] == ["US-CA/penal-code/s311"]
    assert "US-CA/possess" in items[0]["detail"] and "US-CA/distribute" in items[0]["detail"]
