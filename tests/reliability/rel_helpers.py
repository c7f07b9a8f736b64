"""Helpers shared by the reliability tests: a wall-clock deadline (no test may hang)
and the table of every spider parser callback with a well-formed fixture body."""
from __future__ import annotations

import contextlib
import signal
import sys
from pathlib import Path

SCRAPER_TESTS = Path(__file__).resolve().parent.parent / "scrapers"
if str(SCRAPER_TESTS) not in sys.path:
    sys.path.insert(0, str(SCRAPER_TESTS))

from scrapy import Request  # noqa: E402
from scrapy.exceptions import DropItem  # noqa: E402

from scrapers.items import BillItem  # noqa: E402
from scrapers.spiders.au_legislation import AuLegislationSpider  # noqa: E402
from scrapers.spiders.ca_justice import CaJusticeSpider  # noqa: E402
from scrapers.spiders.eu_cellar import EuCellarSpider  # noqa: E402
from scrapers.spiders.openstates import OpenStatesSpider  # noqa: E402
from scrapers.spiders.statute_pages import StatutePagesSpider  # noqa: E402
from scrapers.spiders.uk_bills import UkBillsSpider  # noqa: E402
from scrapers.spiders.uk_legislation import UkLegislationSpider  # noqa: E402
from scrapers.spiders.us_code import UsCodeSpider  # noqa: E402
from scrapers.spiders.us_congress import UsCongressSpider  # noqa: E402

from scraper_helpers import FIXTURES, make_response  # noqa: E402


class Hang(Exception):
    pass


@contextlib.contextmanager
def deadline(seconds: float):
    """Raise Hang if the block runs longer than ``seconds`` (SIGALRM; main thread)."""
    def on_alarm(signum, frame):
        raise Hang(f"took longer than {seconds} s")

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


GB_BILL = BillItem(id="GB/2024-26/x-bill", source_id="4001", url="https://bills.parliament.uk/bills/4001")
PROV = {"id": "GB/ukpga-1978-37/s1", "url": "https://www.legislation.gov.uk/ukpga/1978/37/section/1"}
AU = [{"id": "AU/criminal-code-1995/s473.1", "section": "473.1"}]
DE_ENTRY = {"id": "DE/stgb/s184b", "url": "https://www.gesetze-im-internet.de/stgb/__184b.html", "language": "de",
            "selectors": {"text": "css:div.jnhtml div.jurAbsatz", "heading": "css:span.jnentitel"}}
EU_ENTRY = {"id": "EU/dir-2011-93/a2", "article": "2",
            "url": "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32011L0093"}
CA_ENTRIES = {"163.1": {"id": "CA/criminal-code/s163.1",
                        "url": "https://laws-lois.justice.gc.ca/eng/acts/C-46/section-163.1.html"}}

# spider class, callback, kwargs, url, response kind, well-formed fixture, format family
CALLBACKS = [
    (UkLegislationSpider, "parse_provision", {"entry": PROV}, "https://www.legislation.gov.uk/ukpga/1978/37/section/1/data.xml", "xml", "uk_legislation/ukpga-1978-37-section-1.xml"),
    (UkLegislationSpider, "parse_changes", {"act": "ukpga/1978/37"}, "https://www.legislation.gov.uk/changes/affected/ukpga/1978/37/data.feed", "xml", "uk_legislation/changes-affected-ukpga-1978-37.feed"),
    (UkBillsSpider, "parse_search", {"term": "t", "skip": 0, "newest": None}, "https://bills-api.parliament.uk/api/v1/Bills?SearchTerm=t", "text", "uk_bills/search.json"),
    (UkBillsSpider, "parse_bill", {}, "https://bills-api.parliament.uk/api/v1/Bills/4001", "text", "uk_bills/bill-4001.json"),
    (UkBillsSpider, "parse_stages", {"bill": GB_BILL, "detail": {}}, "https://bills-api.parliament.uk/api/v1/Bills/4001/Stages", "text", "uk_bills/bill-4001-stages.json"),
    (UkBillsSpider, "parse_publications", {"bill": GB_BILL}, "https://bills-api.parliament.uk/api/v1/Bills/4001/Publications", "text", "uk_bills/bill-4001-publications.json"),
    (UsCongressSpider, "parse_list", {"congress": 119}, "https://api.congress.gov/v3/bill/119?format=json", "text", "us_congress/bill_119.json"),
    (UsCongressSpider, "parse_bill", {}, "https://api.congress.gov/v3/bill/119/s/3021?format=json", "text", "us_congress/bill_119_s_3021.json"),
    (UsCongressSpider, "parse_actions", {"bill_id": "US/119/s3021", "page_url": "https://www.congress.gov/x", "acc": []}, "https://api.congress.gov/v3/bill/119/s/3021/actions", "text", "us_congress/bill_119_s_3021_actions.json"),
    (UsCongressSpider, "parse_text", {"bill_id": "US/119/s3021"}, "https://api.congress.gov/v3/bill/119/s/3021/text", "text", "us_congress/bill_119_s_3021_text.json"),
    (UsCongressSpider, "parse_summaries", {"bill": BillItem(id="US/119/s3021")}, "https://api.congress.gov/v3/bill/119/s/3021/summaries", "text", "us_congress/bill_119_s_3021_summaries.json"),
    (UsCongressSpider, "parse_govinfo_search", {}, "https://api.govinfo.gov/search", "text", "us_congress/govinfo-search.json"),
    (UsCongressSpider, "parse_billstatus", {}, "https://www.govinfo.gov/bulkdata/BILLSTATUS/119/s/BILLSTATUS-119s3021.xml", "xml", "us_congress/BILLSTATUS-115hr5053-legacy.xml"),
    (UsCodeSpider, "parse_download_page", {}, "https://uscode.house.gov/download/download.shtml", "html", "us_code/download.shtml"),
    (UsCodeSpider, "parse_title", {"release": "119-60"}, "https://uscode.house.gov/download/releasepoints/us/pl/119/60/xml_usc18@119-60.zip", "text", "us_code/usc18.xml"),
    (OpenStatesSpider, "parse_bills", {"key": "ca|q", "state": "ca", "query": "q", "since": None, "page": 1}, "https://v3.openstates.org/bills?jurisdiction=ca", "text", "openstates/bills-ca-page1.json"),
    (EuCellarSpider, "parse_procedure", {"ref": "2024/0035(COD)"}, "http://publications.europa.eu/resource/procedure/2024_35", "xml", "eu_cellar/procedure-2024_35-tree.xml"),
    (EuCellarSpider, "parse_act", {"entry": EU_ENTRY}, "http://publications.europa.eu/resource/celex/32011L0093", "html", "eu_cellar/32011L0093-en.xhtml"),
    (AuLegislationSpider, "parse_versions", {"title_id": "C2004A04868", "entries": AU}, "https://api.prod.legislation.gov.au/v1/versions", "text", "au_legislation/versions-C2004A04868.json"),
    (AuLegislationSpider, "parse_ncx", {"title_id": "C2004A04868", "entries": AU, "start": None, "register_id": "C1"}, "https://www.legislation.gov.au/C2004A04868/latest/latest/text/latest/epub/OEBPS/document.ncx", "xml", "au_legislation/document.ncx"),
    (AuLegislationSpider, "parse_text", {"entries": AU, "start": None, "register_id": "C1"}, "https://www.legislation.gov.au/C2004A04868/latest/latest/text/latest/epub/OEBPS/document_2/document_2.html", "html", "au_legislation/document_2.html"),
    (CaJusticeSpider, "parse_act", {"entries": CA_ENTRIES}, "https://laws-lois.justice.gc.ca/eng/XML/C-46.xml", "xml", "ca_justice/C-46-excerpt.xml"),
    (StatutePagesSpider, "parse_page", {"entry": DE_ENTRY}, "https://www.gesetze-im-internet.de/stgb/__184b.html", "html", "statute_pages/stgb-184b.html"),
]
IDS = [f"{c[0].name}.{c[1]}" for c in CALLBACKS]


def family(case) -> str:
    """'json', 'xml' or 'html' by the fixture's content."""
    fx = case[5]
    if fx.endswith(".json"):
        return "json"
    if case[4] == "html":
        return "html"
    return "xml"


def fixture(case) -> bytes:
    return (FIXTURES / case[5]).read_bytes()


def run_callback(harness, case, body: bytes, *, kind=None, headers=None, encoding="utf-8", limit=10.0):
    """Call the callback like the engine does, then the validation pipeline on its items.
    Returns (items, requests); dropped items count as items (Scrapy logs each drop).
    Any exception escaping the callback fails the test."""
    cls, cb, kwargs, url, default_kind, _fx = case
    spider = harness.spider(cls)
    if cls is UsCodeSpider:  # its wanted sections come from the registry at start()
        spider.entries = {"/us/usc/t18/s2256": {"id": "US/usc-18/s2256", "section": "2256",
                                                "url": "https://uscode.house.gov/view.xhtml?req=18+USC+2256"}}
    resp = make_response(url, body, kind=kind or default_kind, headers=headers, encoding=encoding)
    items, requests, dropped = [], [], []
    from scrapers.pipelines import ValidatePipeline

    v = ValidatePipeline.from_crawler(spider.crawler)
    with deadline(limit):
        out = getattr(spider, cb)(resp, **kwargs)
        for o in (out or []):
            if isinstance(o, Request):
                requests.append(o)
                continue
            try:
                items.append(v.process_item(o))
            except DropItem:
                dropped.append(o)
    run_callback.dropped = dropped
    return items, requests
