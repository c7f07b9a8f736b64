
import pytest

from scrapers.items import BillItem
from scrapers.spiders.us_congress import UsCongressSpider, bill_ids, parse_billstatus
from scrapers.base import parse_xml_bytes

from scraper_helpers import (collect, fixture_bytes, http_error_failure, make_response, only,
                             requests_of, start_requests)

API = "https://api.congress.gov/v3"


@pytest.fixture
def key(monkeypatch):
    monkeypatch.setenv("CONGRESS_GOV_API_KEY", "TESTKEY")
    monkeypatch.delenv("GOVINFO_API_KEY", raising=False)


def test_missing_key_is_one_clear_line(monkeypatch, harness, caplog):
    monkeypatch.delenv("CONGRESS_GOV_API_KEY", raising=False)
    msg = UsCongressSpider.missing_api_key()
    assert msg.startswith("us_congress: skipped: set CONGRESS_GOV_API_KEY")
    assert UsCongressSpider.missing_api_key(source="billstatus") is None
    spider = harness.spider(UsCongressSpider)
    assert start_requests(spider) == []


def test_billstatus_mode_needs_no_key(monkeypatch, harness):
    monkeypatch.delenv("CONGRESS_GOV_API_KEY", raising=False)
    harness.write_sources({"bills": [{"id": "US/119/s3021", "spider": "us_congress"}]})
    (req,) = start_requests(harness.spider(UsCongressSpider, source="billstatus"))
    assert req.url == "https://www.govinfo.gov/bulkdata/BILLSTATUS/119/s/BILLSTATUS-119s3021.xml"


def test_start_tracked_list_and_govinfo(key, harness, monkeypatch):
    monkeypatch.setenv("GOVINFO_API_KEY", "GKEY")
    harness.write_sources({"bills": [{"id": "US/119/s3021", "spider": "us_congress"}]})
    reqs = start_requests(harness.spider(UsCongressSpider, congress="119"))
    assert reqs[0].url == f"{API}/bill/119/s/3021?format=json"
    assert reqs[0].headers[b"X-Api-Key"] == b"TESTKEY"
    assert b"api_key" not in reqs[0].url.encode()  # key in a header, never in URLs or logs
    assert reqs[1].url.startswith(f"{API}/bill/119?sort=updateDate+desc&limit=250")
    assert reqs[2].method == "POST" and reqs[2].url == "https://api.govinfo.gov/search"
    assert b"collection:BILLS AND congress:119" in reqs[2].body


def test_list_filters_titles_locally(key, harness):
    spider = harness.spider(UsCongressSpider)
    out = collect(spider.parse_list(make_response(f"{API}/bill/119", fixture_bytes("us_congress/bill_119.json")),
                                    congress=119))
    assert [r.url for r in requests_of(out)] == [f"{API}/bill/119/s/3021?format=json"]
    assert spider.state_updates == {"list_from": "2026-11-19"}


def test_govinfo_search_pages_with_offset_mark(key, harness, monkeypatch):
    import json
    from scrapers.spiders import us_congress as mod
    monkeypatch.setattr(mod, "GOVINFO_PAGE", 1)
    monkeypatch.setenv("GOVINFO_API_KEY", "GKEY")
    spider = harness.spider(UsCongressSpider)
    out = collect(spider.parse_govinfo_search(make_response("https://api.govinfo.gov/search",
                                                            fixture_bytes("us_congress/govinfo-search.json")),
                                              congress=119))
    nxt = out[-1]
    assert nxt.method == "POST" and json.loads(nxt.body)["offsetMark"] == "AoJ43bKs2IEDPwtCSUxMUy0xMTlzMzAyMWlz"
    assert nxt.headers[b"X-Api-Key"] == b"GKEY"


def test_govinfo_search_to_details(key, harness):
    spider = harness.spider(UsCongressSpider)
    out = collect(spider.parse_govinfo_search(make_response("https://api.govinfo.gov/search",
                                                            fixture_bytes("us_congress/govinfo-search.json"))))
    assert [r.url for r in out] == [f"{API}/bill/119/s/3021?format=json"]


def test_bill_actions_text(key, harness):
    spider = harness.spider(UsCongressSpider)
    out = collect(spider.parse_bill(make_response(f"{API}/bill/119/s/3021",
                                                  fixture_bytes("us_congress/bill_119_s_3021.json"))))
    (bill,) = only(out, BillItem)
    assert bill.id == "US/119/s3021"
    assert bill.identifier == "S. 3021"
    assert bill.session == "119"
    assert bill.jurisdiction == "US"
    assert bill.url == "https://www.congress.gov/bill/119th-congress/senate-bill/3021"
    assert bill.source_id == "119/s/3021"
    assert bill.introduced == "2026-11-18"
    assert bill.title == "Protecting Children from AI-Generated Child Sexual Abuse Material Act"
    actions_req, text_req, summaries_req = requests_of(out)
    assert actions_req.url == f"{API}/bill/119/s/3021/actions?format=json"
    assert actions_req.headers[b"X-Api-Key"] == b"TESTKEY"
    evs = collect(spider.parse_actions(make_response(actions_req.url,
                                                     fixture_bytes("us_congress/bill_119_s_3021_actions.json")),
                                       **actions_req.cb_kwargs))
    assert [(e.date, e.order, e.classification, e.chamber, e.text) for e in evs] == [
        ("2026-11-18", 2, "referral", "upper", "Read twice and referred to the Committee on the Judiciary."),
        ("2026-11-18", 1, "introduction", None, "Introduced in Senate")]
    docs = collect(spider.parse_text(make_response(text_req.url,
                                                   fixture_bytes("us_congress/bill_119_s_3021_text.json")),
                                     **text_req.cb_kwargs))
    assert [(d.title, d.media_type) for d in docs] == [
        ("Introduced in Senate", "text/html"), ("Introduced in Senate", "application/pdf"),
        ("Introduced in Senate", "application/xml")]
    (with_summary,) = collect(spider.parse_summaries(make_response(
        summaries_req.url, fixture_bytes("us_congress/bill_119_s_3021_summaries.json")), **summaries_req.cb_kwargs))
    assert with_summary.id == bill.id and "artificial intelligence model" in with_summary.summary
    kept = harness.run_items(spider, out + evs + docs + [with_summary])
    b = only(kept, BillItem)[-1]
    assert b.candidate is True
    assert b.summary.startswith("Protecting Children from AI-Generated Child Sexual Abuse Material Act This bill")
    import json
    (stored,) = [json.loads(l) for l in (harness.store / "us_congress" / "bills.jsonl").read_text().splitlines()]
    assert stored["summary"] == b.summary  # the later item, with the summary, is the one stored


def test_detail_failure_falls_back_to_billstatus(key, harness, errors):
    spider = harness.spider(UsCongressSpider)
    req = spider.detail_request("119", "s", "3021")
    failure = http_error_failure(req.url, 503)
    failure.request = req
    spider.state_updates["list_from"] = "2026-11-19"
    (fallback,) = collect(spider.detail_failed(failure))
    assert fallback.url == "https://www.govinfo.gov/bulkdata/BILLSTATUS/119/s/BILLSTATUS-119s3021.xml"
    assert any("HTTP 503" in e for e in errors())
    assert spider.final_state_updates() == {}  # the list watermark waits for that bill
    billstatus = fixture_bytes("us_congress/BILLSTATUS-115hr5053-legacy.xml").replace(
        b"<billNumber>5053</billNumber>", b"<billNumber>3021</billNumber>").replace(
        b"<billType>HR</billType>", b"<billType>S</billType>").replace(b"<congress>115</congress>", b"<congress>119</congress>")
    out = collect(spider.parse_billstatus(make_response(fallback.url, billstatus, kind="xml")))
    assert only(out, BillItem)[0].id == "US/119/s3021"
    assert spider.final_state_updates() == {"list_from": "2026-11-19"}  # the fallback worked


def test_billstatus_legacy_layout(harness):
    root = parse_xml_bytes(fixture_bytes("us_congress/BILLSTATUS-115hr5053-legacy.xml"))
    bill, events, docs = parse_billstatus(root)
    assert bill.id == "US/115/hr5053"
    assert bill.identifier == "H.R. 5053"
    assert bill.title == "Justice for Juveniles Act"
    assert bill.introduced == "2018-02-14"
    assert "Prison Litigation Reform Act" in bill.summary
    assert [(e.date, e.classification, e.chamber) for e in events] == [
        ("2018-03-05", "referral", "lower"), ("2018-02-14", "referral", "lower"),
        ("2018-02-14", "introduction", None)]
    assert [d.url for d in docs] == ["https://www.govinfo.gov/content/pkg/BILLS-115hr5053ih/xml/BILLS-115hr5053ih.xml"]


def test_bill_ids():
    assert bill_ids(118, "HJRES", 7)["identifier"] == "H.J.Res. 7"
    assert bill_ids(121, "hr", 1)["url"] == "https://www.congress.gov/bill/121st-congress/house-bill/1"
    assert bill_ids(112, "s", 1)["url"] == "https://www.congress.gov/bill/112th-congress/senate-bill/1"
