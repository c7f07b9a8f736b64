"""The crawled store contract (docs/architecture.md): versions, accumulation, no loss."""
import json

import pytest

from scrapers.items import (BILL_FIELDS, CHANGE_FIELDS, DOCUMENT_FIELDS, EVENT_FIELDS, PROVISION_FIELDS,
                            BillEventItem, BillItem, DocumentItem, ProvisionItem)
from scrapers.spiders.uk_legislation import UkLegislationSpider
from scrapers.store import SpiderStore, atomic_write

TEXT = "It is an offence for a person to take any indecent photograph or pseudo-photograph of a child."


def prov(text=TEXT, **kw):
    d = dict(id="GB/ukpga-1978-37/s1", url="https://www.legislation.gov.uk/ukpga/1978/37/section/1",
             citation="Protection of Children Act 1978, s. 1", heading="Indecent photographs of children",
             text=text, retrieved="2026-11-23T06:00:00Z")
    d.update(kw)
    return ProvisionItem(**d)


def bill(**kw):
    d = dict(id="GB/2024-26/ai-csam-bill", title="Artificial Intelligence (Child Sexual Abuse Material) Bill",
             url="https://bills.parliament.uk/bills/4001", source_id="4001", identifier="AI (CSAM) Bill")
    d.update(kw)
    return BillItem(**d)


def event(text="1st reading", date="2026-02-11", order=100, **kw):
    return BillEventItem(bill_id="GB/2024-26/ai-csam-bill", date=date, order=order, text=text, chamber="upper", **kw)


def read(path):
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_provision_versions_and_changes(harness):
    spider = harness.spider(UkLegislationSpider)
    d = harness.store / "uk_legislation"
    harness.run_items(spider, [prov()])
    rows = read(d / "provisions.jsonl")
    assert len(rows) == 1
    r = rows[0]
    assert list(r) == list(PROVISION_FIELDS)
    assert r["version"] == 1 and r["first_seen"] == r["last_seen"] == "2026-11-23"
    assert r["spider"] == "uk_legislation" and r["unapplied_effects"] == [] and len(r["sha256"]) == 64
    first = {p.name: p.read_bytes() for p in d.iterdir()}
    # same text again: byte-identical files
    harness.run_items(spider, [prov()])
    assert {p.name: p.read_bytes() for p in d.iterdir()} == first
    # whitespace-only difference: same normalised text, same hash
    harness.run_items(spider, [prov(text="  It is an offence for a person\n to take any indecent photograph or "
                                         "pseudo-photograph of a child. ")])
    assert len(read(d / "provisions.jsonl")) == 1
    # changed text: new version, the old one kept, change recorded
    harness.run_items(spider, [prov(text=TEXT.replace("take", "take or make"), retrieved="2026-11-24T06:00:00Z")])
    rows = read(d / "provisions.jsonl")
    assert [(r["version"], r["first_seen"]) for r in rows] == [(1, "2026-11-23"), (2, "2026-11-24")]
    assert rows[0]["text"] == TEXT
    changes = read(d / "changes.jsonl")
    assert [c["kind"] for c in changes] == ["provision-text", "provision-text"]
    (upd,) = [c for c in changes if c["old_sha256"]]
    assert upd["old_sha256"] == rows[0]["sha256"] and upd["new_sha256"] == rows[1]["sha256"]
    assert all(list(c) == list(CHANGE_FIELDS) for c in changes)


def test_bills_events_documents_accumulate(harness):
    spider = harness.spider(UkLegislationSpider)
    d = harness.store / "uk_legislation"
    doc = DocumentItem(bill_id="GB/2024-26/ai-csam-bill", title="HL Bill 87", date="2026-02-11",
                       url="https://publications.parliament.uk/pa/bills/lbill/59-01/087.pdf", media_type="application/pdf")
    harness.run_items(spider, [bill(), event(), doc])
    (b,) = read(d / "bills.jsonl")
    assert list(b) == list(BILL_FIELDS)
    assert b["candidate"] is True and b["jurisdiction"] == "GB" and b["session"] == "2024-26"
    (e,) = read(d / "bill_events.jsonl")
    assert list(e) == list(EVENT_FIELDS) and e["classification"] == "introduction"
    assert list(read(d / "documents.jsonl")[0]) == list(DOCUMENT_FIELDS)
    sha1 = b["sha256"]
    # next crawl: the source returns only the new stage: the old event is kept
    harness.run_items(spider, [bill(), event(text="2nd reading", date="2026-03-02", order=200)])
    events = read(d / "bill_events.jsonl")
    assert [x["text"] for x in events] == ["1st reading", "2nd reading"]
    assert read(d / "bills.jsonl")[0]["sha256"] != sha1
    assert [c["kind"] for c in read(d / "changes.jsonl")] == ["bill-new", "bill-status"]
    assert len(read(d / "documents.jsonl")) == 1
    # empty title in a later crawl never wipes what is held (the item is dropped)
    harness.run_items(spider, [bill(title="", summary=None)])
    assert read(d / "bills.jsonl")[0]["title"].startswith("Artificial Intelligence")


def test_non_candidate_bills_are_not_stored_unless_tracked(harness):
    spider = harness.spider(UkLegislationSpider)
    other = bill(id="GB/2019-21/abolition-of-business-rates-bill", title="Abolition of Business Rates Bill")
    harness.run_items(spider, [other, BillEventItem(bill_id=other.id, date="2021-01-12", text="1st reading")])
    assert not (harness.store / "uk_legislation" / "bills.jsonl").exists()
    tracked = bill(id=other.id, title=other.title, tracked=True)
    harness.run_items(spider, [tracked])
    (b,) = read(harness.store / "uk_legislation" / "bills.jsonl")
    assert b["candidate"] is False and b["matched_terms"] == []


@pytest.mark.parametrize("bad", [
    prov(id="gb/bad id"), prov(text="too short"), prov(url="ftp://x"),
    bill(id="nope"), bill(title="  "),
    event(date="not a date"), event(text=""), event(date="2099-01-01"),
    DocumentItem(bill_id="GB/2024-26/x", url="javascript:alert(1)"), {"a": "dict"},
])
def test_bad_items_dropped_with_reason(harness, caplog, bad):
    spider = harness.spider(UkLegislationSpider)
    kept = harness.run_items(spider, [bad])
    assert kept == []
    assert any(r.getMessage().startswith("Dropped: ") for r in caplog.records)
    assert spider.crawler.stats.get_value("lawtracker/dropped") == 1


def test_failed_crawl_loses_nothing(harness):
    spider = harness.spider(UkLegislationSpider)
    harness.run_items(spider, [prov(), bill(), event()])
    d = harness.store / "uk_legislation"
    before = {p.name: p.read_bytes() for p in d.iterdir()}
    harness.run_items(spider, [])  # source down / empty / garbage: no items
    assert {p.name: p.read_bytes() for p in d.iterdir()} == before


def test_corrupt_store_is_never_overwritten(harness, errors):
    spider = harness.spider(UkLegislationSpider)
    d = harness.store / "uk_legislation"
    d.mkdir(parents=True)
    (d / "provisions.jsonl").write_text('{"id": "GB/ukpga-1978-37/s1", "version": 1}\n{broken\n')
    harness.run_items(spider, [prov()])
    assert (d / "provisions.jsonl").read_text().endswith("{broken\n")
    assert any("crawled store not written" in e for e in errors())


def test_files_sorted_by_key(harness):
    spider = harness.spider(UkLegislationSpider)
    harness.run_items(spider, [prov(id="GB/ukpga-1988-33/s160"), prov(), bill(), event(date="2026-03-01", order=5),
                               event(date="2026-02-01", order=9)])
    d = harness.store / "uk_legislation"
    assert [r["id"] for r in read(d / "provisions.jsonl")] == ["GB/ukpga-1978-37/s1", "GB/ukpga-1988-33/s160"]
    assert [r["date"] for r in read(d / "bill_events.jsonl")] == ["2026-02-01", "2026-03-01"]


def test_state_updates_written(harness):
    spider = harness.spider(UkLegislationSpider)
    spider.state_updates = {"effects": {"ukpga/1978/37": {"unapplied": 1}}}
    harness.run_items(spider, [])
    assert json.loads((harness.store / "uk_legislation" / "state.json").read_text()) == {
        "effects": {"ukpga/1978/37": {"unapplied": 1}}}


def test_atomic_write_only_when_changed(tmp_path):
    p = tmp_path / "a.jsonl"
    assert atomic_write(p, "x\n") is True
    assert atomic_write(p, "x\n") is False
    assert [f.name for f in tmp_path.iterdir()] == ["a.jsonl"]  # no temp file left


def test_store_round_trip(tmp_path):
    s = SpiderStore(tmp_path, "x").load()
    assert s.provisions == [] and s.state == {}
