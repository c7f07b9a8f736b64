import io
import zipfile

from scrapers.items import ProvisionItem
from scrapers.spiders.us_code import UsCodeSpider

from scraper_helpers import collect, fixture_bytes, make_response, start_requests

PAGE = "https://uscode.house.gov/download/download.shtml"
ZIP_URL = "https://uscode.house.gov/download/releasepoints/us/pl/119/60/xml_usc18@119-60.zip"
SOURCES = {"provisions": [
    {"id": "US/usc-18/s2256", "spider": "us_code", "identifier": "/us/usc/t18/s2256",
     "citation": "18 U.S.C. § 2256", "url": "https://uscode.house.gov/view.xhtml?req=s2256"},
    {"id": "US/usc-18/s2252a.a.5.b", "spider": "us_code", "identifier": "/us/usc/t18/s2252A/a/5/B",
     "citation": "18 U.S.C. § 2252A(a)(5)(B)", "url": "https://uscode.house.gov/view.xhtml?req=s2252A"},
    {"id": "US/usc-18/s1466a", "spider": "us_code", "section": "1466A",
     "url": "https://uscode.house.gov/view.xhtml?req=s1466A"},
]}


def zipped(xml: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("usc18.xml", xml)
    return buf.getvalue()


def spider_for(harness):
    harness.write_sources(SOURCES)
    spider = harness.spider(UsCodeSpider)
    reqs = start_requests(spider)
    assert [r.url for r in reqs] == [PAGE]
    return spider


def test_download_page_to_title_zip(harness):
    spider = spider_for(harness)
    (req,) = collect(spider.parse_download_page(make_response(PAGE, fixture_bytes("us_code/download.shtml"), kind="html")))
    assert req.url == ZIP_URL
    assert spider.state_updates == {"release_point": "119-60"}


def test_sections_from_zip(harness, errors):
    spider = spider_for(harness)
    body = zipped(fixture_bytes("us_code/usc18.xml"))
    items = collect(spider.parse_title(make_response(ZIP_URL, body), release="119-60"))
    by_id = {i.id: i for i in items}
    assert set(by_id) == {"US/usc-18/s2256", "US/usc-18/s2252a.a.5.b", "US/usc-18/s1466a"}
    s1466a = by_id["US/usc-18/s1466a"]
    assert isinstance(s1466a, ProvisionItem)
    assert s1466a.citation == "18 U.S.C. § 1466A"
    assert s1466a.heading.strip() == "Obscene visual representations of the sexual abuse of children"
    assert s1466a.source_modified == "2026-11-16T14:05:11"
    kept = {i.id: i for i in harness.run_items(spider, items)}
    t = kept["US/usc-18/s1466a"].text
    assert t.startswith("(a) In General.— Any person who, in a circumstance described in subsection (d)")
    assert "(A) depicts a minor engaging in sexually explicit conduct; and (B) is obscene; or" in t
    assert "Pub. L." not in t and "Not part of the section text" not in t
    assert kept["US/usc-18/s2252a.a.5.b"].text.startswith("knowingly possesses, or knowingly accesses")
    assert "computer-generated image that is, or is indistinguishable from, that of a minor" in \
        kept["US/usc-18/s2256"].text
    assert errors() == []


def test_missing_section_is_reported(harness, errors):
    harness.write_sources({"provisions": SOURCES["provisions"] + [
        {"id": "US/usc-18/s9999", "spider": "us_code", "identifier": "/us/usc/t18/s9999", "url": "https://uscode.house.gov/x"}]})
    spider = harness.spider(UsCodeSpider)
    start_requests(spider)
    items = collect(spider.parse_title(make_response(ZIP_URL, fixture_bytes("us_code/usc18.xml"))))
    assert len(items) == 3
    assert any("/us/usc/t18/s9999 not found" in e for e in errors())


def test_page_without_link_and_bad_zip(harness, errors):
    spider = spider_for(harness)
    assert collect(spider.parse_download_page(make_response(PAGE, b"<html><body>maintenance</body></html>", kind="html"))) == []
    assert collect(spider.parse_title(make_response(ZIP_URL, b"PK\x03\x04garbage"))) == []
    msgs = errors()
    assert any("no title 18 XML download link" in e for e in msgs)
    assert any("bad zip file" in e for e in msgs)
