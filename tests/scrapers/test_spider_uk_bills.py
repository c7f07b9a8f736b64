import json

from scrapers.items import BillEventItem, BillItem, DocumentItem
from scrapers.spiders.uk_bills import UkBillsSpider, bill_id_for, lastupdate_key

from scraper_helpers import collect, fixture_bytes, make_response, only, requests_of, start_requests

API = "https://bills-api.parliament.uk/api/v1"


def _search(spider, body=None, term="child sexual abuse", skip=0):
    url = f"{API}/Bills?SearchTerm=x&SortOrder=DateUpdatedDescending&Skip={skip}&Take=20"
    return collect(spider.parse_search(make_response(url, body or fixture_bytes("uk_bills/search.json")),
                                       term=term, skip=skip, newest=None))


def test_start_searches_every_term(harness):
    harness.write_sources({"discovery": {"uk_bills": {"search_terms": ["child sexual abuse", "deepfake"]}}})
    reqs = start_requests(harness.spider(UkBillsSpider))
    assert [r.url for r in reqs] == [
        f"{API}/Bills?SearchTerm=child+sexual+abuse&SortOrder=DateUpdatedDescending&Skip=0&Take=20",
        f"{API}/Bills?SearchTerm=deepfake&SortOrder=DateUpdatedDescending&Skip=0&Take=20"]


def test_search_requests_details_and_sets_watermark(harness):
    spider = harness.spider(UkBillsSpider)
    spider.seen_bills = set()
    out = _search(spider)
    assert [r.url for r in requests_of(out)] == [f"{API}/Bills/4001", f"{API}/Bills/2818"]
    assert spider.state_updates == {"searches": {"child sexual abuse": "2026-11-20T16:05:12"}}


def test_search_stops_at_watermark(harness):
    spider = harness.spider(UkBillsSpider)
    spider.seen_bills = set()
    spider.watermarks = {"child sexual abuse": "2021-05-04T10:42:08"}
    out = _search(spider)
    assert [r.url for r in requests_of(out)] == [f"{API}/Bills/4001"]


def test_search_pages_until_total(harness):
    spider = harness.spider(UkBillsSpider)
    spider.seen_bills = set()
    data = json.loads(fixture_bytes("uk_bills/search.json"))
    data["totalResults"] = 45
    out = _search(spider, json.dumps(data).encode())
    assert requests_of(out)[-1].url.endswith("Skip=20&Take=20")
    assert spider.state_updates == {}  # sweep not finished: no watermark yet


def test_bill_stages_publications_chain(harness):
    spider = harness.spider(UkBillsSpider)
    (stages_req,) = collect(spider.parse_bill(make_response(f"{API}/Bills/4001",
                                                            fixture_bytes("uk_bills/bill-4001.json"))))
    assert stages_req.url == f"{API}/Bills/4001/Stages"
    out = collect(spider.parse_stages(make_response(stages_req.url, fixture_bytes("uk_bills/bill-4001-stages.json")),
                                      **stages_req.cb_kwargs))
    (bill,) = only(out, BillItem)
    assert bill.id == "GB/2024-26/artificial-intelligence-child-sexual-abuse-material-bill-hl"
    assert bill.jurisdiction == "GB"
    assert bill.session == "2024-26"
    assert bill.identifier == "Artificial Intelligence (Child Sexual Abuse Material) Bill [HL]"
    assert bill.url == "https://bills.parliament.uk/bills/4001"
    assert bill.source_id == "4001"
    assert bill.introduced == "2026-02-11"
    assert bill.summary.startswith("A Bill to make it an offence")
    (ev,) = only(out, BillEventItem)
    assert (ev.bill_id, ev.date, ev.order, ev.classification, ev.chamber, ev.text) == (
        bill.id, "2026-02-11", 100, "introduction", "upper", "1st reading (Lords)")
    (pub_req,) = requests_of(out)
    docs = collect(spider.parse_publications(
        make_response(pub_req.url, fixture_bytes("uk_bills/bill-4001-publications.json")), **pub_req.cb_kwargs))
    assert [(d.title, d.date, d.url, d.media_type) for d in only(docs, DocumentItem)] == [
        ("HL Bill 87 (as introduced) (Bill)", "2026-02-11T00:00:00",
         "https://publications.parliament.uk/pa/bills/lbill/59-01/087/5901087_en_1.html", "text/html"),
        ("HL Bill 87 (as introduced).pdf", "2026-02-11T00:00:00",
         f"{API}/Publications/61234/Documents/81002/Download", "application/pdf")]
    kept = harness.run_items(spider, out + docs)
    b = only(kept, BillItem)[0]
    assert b.candidate is True
    assert "artificial intelligence" in b.matched_terms and "child sexual abuse material" in b.matched_terms


def test_helpers():
    assert lastupdate_key("2021-05-04T10:42:08.0579851") == "2021-05-04T10:42:08"
    assert bill_id_for({"introducedSessionId": 39, "shortTitle": "Crime and Policing Bill"}) == \
        "GB/2024-26/crime-and-policing-bill"
    assert bill_id_for({"introducedSessionId": 99, "shortTitle": "X Bill"}) == "GB/s99/x-bill"


def test_tracked_by_id(harness):
    harness.write_sources({"bills": [{"id": "GB/2019-21/abolition-of-business-rates-bill", "spider": "uk_bills"}]})
    spider = harness.spider(UkBillsSpider)
    start_requests(spider)
    (req,) = collect(spider.parse_bill(make_response(f"{API}/Bills/2818", fixture_bytes("uk_bills/bill-4001.json")
                                                     .replace(b"4001", b"2818")
                                                     .replace(b"Artificial Intelligence (Child Sexual Abuse Material) Bill [HL]",
                                                              b"Abolition of Business Rates Bill")
                                                     .replace(b'"introducedSessionId": 39', b'"introducedSessionId": 35'))))
    assert req.cb_kwargs["bill"].tracked is True


def test_failed_bill_holds_the_watermark(harness, errors):
    from scraper_helpers import http_error_failure

    spider = harness.spider(UkBillsSpider)
    out = _search(spider)
    detail_2818 = requests_of(out)[1]
    assert detail_2818.meta == {"term": "child sexual abuse", "last_update": "2021-05-04T10:42:08"}
    failure = http_error_failure(detail_2818.url, 500)
    failure.request = detail_2818
    spider.bill_failed(failure)
    assert any("HTTP 500" in e for e in errors())
    # the sweep finished, but the failed bill keeps the watermark just below it
    assert spider.final_state_updates() == {"searches": {"child sexual abuse": "2021-05-04T10:42:07"}}
    # never moved backwards past a stored watermark
    spider.watermarks = {"child sexual abuse": "2024-01-01T00:00:00"}
    assert spider.final_state_updates() == {"searches": {"child sexual abuse": "2024-01-01T00:00:00"}}
