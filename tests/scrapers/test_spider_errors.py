"""Every spider callback against the failure modes of real sources: empty body,
malformed XML/JSON (or a page without the expected content), a wrong JSON shape, a
bot-challenge page, and HTTP 404/429 (errback). Each gives a clear logged error,
yields no data, and leaves the crawled store as it was."""
import pytest
from scrapy import Request

from scrapers.items import BillItem
from scrapers.spiders.au_legislation import AuLegislationSpider
from scrapers.spiders.ca_justice import CaJusticeSpider
from scrapers.spiders.eu_cellar import EuCellarSpider
from scrapers.spiders.openstates import OpenStatesSpider
from scrapers.spiders.statute_pages import StatutePagesSpider
from scrapers.spiders.uk_bills import UkBillsSpider
from scrapers.spiders.uk_legislation import UkLegislationSpider
from scrapers.spiders.us_code import UsCodeSpider
from scrapers.spiders.us_congress import UsCongressSpider

from scraper_helpers import collect, fixture_bytes, http_error_failure, make_response

GB_BILL = BillItem(id="GB/2024-26/x-bill", source_id="4001", url="https://bills.parliament.uk/bills/4001")
PROV = {"id": "GB/ukpga-1978-37/s1", "url": "https://www.legislation.gov.uk/ukpga/1978/37/section/1"}
JSON, XML, HTML = "json", "xml", "html"

# spider, callback, kwargs, url, body kind, "wrong content" body, expected error for it
CASES = [
    (UkLegislationSpider, "parse_provision", {"entry": PROV}, "https://www.legislation.gov.uk/ukpga/1978/37/section/1/data.xml", XML, None, None),
    (UkLegislationSpider, "parse_changes", {"act": "ukpga/1978/37"}, "https://www.legislation.gov.uk/changes/affected/ukpga/1978/37/data.feed", XML, b"<notafeed/>", "not an Atom feed"),
    (UkBillsSpider, "parse_search", {"term": "t", "skip": 0, "newest": None}, "https://bills-api.parliament.uk/api/v1/Bills?SearchTerm=t", JSON, None, None),
    (UkBillsSpider, "parse_bill", {}, "https://bills-api.parliament.uk/api/v1/Bills/4001", JSON, b'{"title": "x"}', "no billId"),
    (UkBillsSpider, "parse_stages", {"bill": GB_BILL, "detail": {}}, "https://bills-api.parliament.uk/api/v1/Bills/4001/Stages", JSON, None, None),
    (UkBillsSpider, "parse_publications", {"bill": GB_BILL}, "https://bills-api.parliament.uk/api/v1/Bills/4001/Publications", JSON, None, None),
    (UsCongressSpider, "parse_list", {"congress": 119}, "https://api.congress.gov/v3/bill/119?format=json", JSON, None, None),
    (UsCongressSpider, "parse_bill", {}, "https://api.congress.gov/v3/bill/119/s/3021?format=json", JSON, None, None),
    (UsCongressSpider, "parse_actions", {"bill_id": "US/119/s3021", "page_url": "https://www.congress.gov/x", "acc": []}, "https://api.congress.gov/v3/bill/119/s/3021/actions", JSON, None, None),
    (UsCongressSpider, "parse_text", {"bill_id": "US/119/s3021"}, "https://api.congress.gov/v3/bill/119/s/3021/text", JSON, None, None),
    (UsCongressSpider, "parse_summaries", {"bill": BillItem(id="US/119/s3021")}, "https://api.congress.gov/v3/bill/119/s/3021/summaries", JSON, None, None),
    (UsCongressSpider, "parse_govinfo_search", {}, "https://api.govinfo.gov/search", JSON, None, None),
    (UsCongressSpider, "parse_billstatus", {}, "https://www.govinfo.gov/bulkdata/BILLSTATUS/119/s/BILLSTATUS-119s3021.xml", XML, b"<billStatus><bill/></billStatus>", "not a BILLSTATUS document"),
    (UsCodeSpider, "parse_download_page", {}, "https://uscode.house.gov/download/download.shtml", HTML, b"<html><body>Service unavailable</body></html>", "no title 18 XML download link"),
    (UsCodeSpider, "parse_title", {"release": "119-60"}, "https://uscode.house.gov/download/releasepoints/us/pl/119/60/xml_usc18@119-60.zip", XML, b"PK\x03\x04not a zip", "bad zip file"),
    (OpenStatesSpider, "parse_bills", {"key": "ca|q", "state": "ca", "query": "q", "since": None, "page": 1}, "https://v3.openstates.org/bills?jurisdiction=ca", JSON, None, None),
    (EuCellarSpider, "parse_procedure", {"ref": "2024/0035(COD)"}, "http://publications.europa.eu/resource/procedure/2024_35", XML, b"<NOTICE/>", "no DOSSIER"),
    (EuCellarSpider, "parse_act", {"entry": {"id": "EU/dir-2011-93/a2", "article": "2"}}, "http://publications.europa.eu/resource/celex/32011L0093", HTML, b"<html><body><p>Other</p></body></html>", "Article 2 not found"),
    (AuLegislationSpider, "parse_versions", {"title_id": "C2004A04868", "entries": []}, "https://api.prod.legislation.gov.au/v1/versions", JSON, None, None),
    (AuLegislationSpider, "parse_ncx", {"title_id": "C2004A04868", "entries": [{"id": "AU/criminal-code-1995/s473.1", "section": "473.1"}], "start": None, "register_id": "C1"}, "https://www.legislation.gov.au/C2004A04868/latest/latest/text/latest/epub/OEBPS/document.ncx", XML, b'<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/"><navMap/></ncx>', "not in the table of contents"),
    (AuLegislationSpider, "parse_text", {"entries": [{"id": "AU/criminal-code-1995/s473.1", "section": "473.1"}], "start": None, "register_id": "C1"}, "https://www.legislation.gov.au/C2004A04868/latest/latest/text/latest/epub/OEBPS/document_2/document_2.html", HTML, b"<html><body><p class='ActHead5'>1 Other</p></body></html>", "section 473.1 not found"),
    (CaJusticeSpider, "parse_act", {"entries": {"163.1": {"id": "CA/criminal-code/s163.1"}}}, "https://laws-lois.justice.gc.ca/eng/XML/C-46.xml", XML, b"<Statute/>", "section 163.1 not found"),
    (StatutePagesSpider, "parse_page", {"entry": {"id": "DE/stgb/s184b", "url": "https://www.gesetze-im-internet.de/stgb/__184b.html", "selectors": {"text": "css:div.jnhtml"}}}, "https://www.gesetze-im-internet.de/stgb/__184b.html", HTML, b"<html><body><p>Nichts</p></body></html>", "matched no text"),
]
IDS = [f"{c[0].name}.{c[1]}" for c in CASES]


@pytest.fixture(autouse=True)
def keys(monkeypatch):
    monkeypatch.setenv("CONGRESS_GOV_API_KEY", "K")
    monkeypatch.setenv("OPENSTATES_API_KEY", "K")


def seeded(harness, spider_name):
    d = harness.store / spider_name
    d.mkdir(parents=True, exist_ok=True)
    (d / "bill_events.jsonl").write_text('{"bill_id": "US/119/s3021", "date": "2026-11-18", "order": 1, '
                                         '"classification": "introduction", "chamber": null, "text": "Introduced in Senate", '
                                         '"source_url": null}\n')
    return {p.name: p.read_bytes() for p in d.iterdir()}


def run_case(harness, cls, cb, kwargs, url, body, status=200, kind="text"):
    spider = harness.spider(cls)
    before = seeded(harness, spider.name)
    out = collect(getattr(spider, cb)(make_response(url, body, status=status, kind=kind), **kwargs))
    data = [o for o in out if not isinstance(o, Request)]
    harness.run_items(spider, data)
    after = {p.name: p.read_bytes() for p in (harness.store / spider.name).iterdir()}
    return data, before, after


def bad_body(kind):
    return {JSON: fixture_bytes("common/truncated.json"), XML: fixture_bytes("common/truncated.xml"),
            HTML: None}[kind]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_empty_body(harness, errors, case):
    cls, cb, kw, url, kind, *_ = case
    data, before, after = run_case(harness, cls, cb, kw, url, b"")
    assert data == [] and after == before
    assert any("empty response body" in e for e in errors())


# HTML parsers accept any bytes: a broken HTML page is covered by test_wrong_content
PARSED = [c for c in CASES if c[4] != HTML]


@pytest.mark.parametrize("case", PARSED, ids=[f"{c[0].name}.{c[1]}" for c in PARSED])
def test_malformed(harness, errors, case):
    cls, cb, kw, url, kind, wrong, wrong_msg = case
    data, before, after = run_case(harness, cls, cb, kw, url, bad_body(kind))
    assert data == [] and after == before
    assert any(("malformed JSON" if kind == JSON else "malformed XML") in e or "bad zip" in e
               for e in errors()), errors()


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_wrong_content(harness, errors, case):
    cls, cb, kw, url, kind, wrong, wrong_msg = case
    if wrong is None:
        wrong = b'{"unexpected": true}' if kind == JSON else b"<unexpected/>"
        wrong_msg = "unexpected JSON shape" if kind == JSON else "no provision"
    data, before, after = run_case(harness, cls, cb, kw, url, wrong)
    assert data == [] and after == before
    assert any(wrong_msg in e for e in errors()), errors()


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_bot_challenge(harness, errors, case):
    cls, cb, kw, url, kind, *_ = case
    data, before, after = run_case(harness, cls, cb, kw, url, fixture_bytes("common/waf-challenge.html"),
                                   status=202, kind="html")
    assert data == [] and after == before
    assert any("bot challenge" in e for e in errors())


@pytest.mark.parametrize("status,phrase", [(404, "HTTP 404 Not Found"), (429, "HTTP 429 Too Many Requests"),
                                           (503, "HTTP 503"), (403, "HTTP 403")])
@pytest.mark.parametrize("cls", sorted({c[0] for c in CASES}, key=lambda c: c.name), ids=lambda c: c.name)
def test_http_errors_via_errback(harness, errors, cls, status, phrase):
    spider = harness.spider(cls)
    before = seeded(harness, spider.name)
    out = spider.errback(http_error_failure("https://www.legislation.gov.uk/x", status))
    assert not out
    harness.run_items(spider, [])
    assert {p.name: p.read_bytes() for p in (harness.store / spider.name).iterdir()} == before
    assert any(phrase in e for e in errors())
    assert spider.crawler.stats.get_value("lawtracker/errors") == 1
