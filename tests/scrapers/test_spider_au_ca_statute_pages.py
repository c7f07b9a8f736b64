import io
import time

from scrapers.items import ProvisionItem
from scrapers.spiders.au_legislation import AuLegislationSpider
from scrapers.spiders.ca_justice import CaJusticeSpider, iter_cited_sections
from scrapers.spiders.statute_pages import StatutePagesSpider

from scraper_helpers import collect, fixture_bytes, make_response, start_requests

AU_ENTRY = {"id": "AU/criminal-code-1995/s473.1", "spider": "au_legislation", "title_id": "C2004A04868",
            "section": "473.1", "citation": "Criminal Code (Cth), s. 473.1",
            "url": "https://www.legislation.gov.au/C2004A04868/latest/text"}
CA_ENTRY = {"id": "CA/criminal-code/s163.1", "spider": "ca_justice", "act": "C-46", "section": "163.1",
            "citation": "Criminal Code, R.S.C. 1985, c. C-46, s. 163.1",
            "url": "https://laws-lois.justice.gc.ca/eng/acts/C-46/section-163.1.html"}
DE_ENTRY = {"id": "DE/stgb/s184b", "spider": "statute_pages", "citation": "§ 184b StGB",
            "url": "https://www.gesetze-im-internet.de/stgb/__184b.html", "language": "de",
            "selectors": {"text": "css:div.jnhtml div.jurAbsatz", "heading": "css:span.jnentitel"},
            "marker": "184b"}


# -- au_legislation ------------------------------------------------------------------
EPUB = "https://www.legislation.gov.au/C2004A04868/latest/latest/text/latest/epub/OEBPS/"


def test_au_versions_ncx_volume(harness):
    harness.write_sources({"provisions": [AU_ENTRY]})
    spider = harness.spider(AuLegislationSpider)
    (req,) = start_requests(spider)
    assert req.url == ("https://api.prod.legislation.gov.au/v1/Versions?$filter=titleId%20eq%20%27C2004A04868%27"
                       "%20and%20isLatest%20eq%20true")
    (ncx_req,) = collect(spider.parse_versions(make_response(req.url, fixture_bytes(
        "au_legislation/versions-C2004A04868.json")), **req.cb_kwargs))
    assert ncx_req.url == EPUB + "document.ncx"
    assert spider.state_updates == {"latest_versions": {"C2004A04868": {"registerId": "C2026C00412",
                                                                        "start": "2026-10-01"}}}
    (vol_req,) = collect(spider.parse_ncx(make_response(ncx_req.url, fixture_bytes("au_legislation/document.ncx"),
                                                        kind="xml"), **ncx_req.cb_kwargs))
    assert vol_req.url == EPUB + "document_2/document_2.html"  # only the volume holding s. 473.1
    (item,) = collect(spider.parse_text(make_response(vol_req.url, fixture_bytes(
        "au_legislation/document_2.html"), kind="html"), **vol_req.cb_kwargs))
    assert item.id == AU_ENTRY["id"]
    assert item.heading == "Definitions"
    assert item.citation == "Criminal Code (Cth), s. 473.1"
    assert item.source_modified == "2026-10-01"
    assert item.text.startswith("In this Part: child abuse material means: (a) material that depicts a person")
    assert "473.2" not in item.text and "Not cited" not in item.text


def test_au_new_compilation_is_logged(harness, caplog):
    import logging
    caplog.set_level(logging.INFO)
    spider = harness.spider(AuLegislationSpider)
    spider.known = {"C2004A04868": {"registerId": "C2026C00100"}}
    collect(spider.parse_versions(make_response("https://api.prod.legislation.gov.au/v1/Versions", fixture_bytes(
        "au_legislation/versions-C2004A04868.json")), title_id="C2004A04868", entries=[AU_ENTRY]))
    assert any("new compilation of C2004A04868: C2026C00412" in r.getMessage() for r in caplog.records)


def test_au_no_registered_version_is_an_error(harness, errors):
    spider = harness.spider(AuLegislationSpider)
    body = b'{"value": [{"titleId": "C2004A04868", "isLatest": true, "registerId": null}]}'
    out = collect(spider.parse_versions(make_response("https://api.prod.legislation.gov.au/v1/Versions", body),
                                        title_id="C2004A04868", entries=[AU_ENTRY]))
    assert out == []
    assert any("no registered version for title C2004A04868" in e for e in errors())


def test_au_section_missing_from_toc(harness, errors):
    spider = harness.spider(AuLegislationSpider)
    out = collect(spider.parse_ncx(make_response(EPUB + "document.ncx", fixture_bytes("au_legislation/document.ncx"),
                                                 kind="xml"), title_id="C2004A04868",
                                   entries=[dict(AU_ENTRY, section="474.22A")], start=None, register_id="C2026C00412"))
    assert out == []
    assert any("section 474.22A not in the table of contents" in e for e in errors())


# -- ca_justice --------------------------------------------------------------------------
def test_ca_cited_section_only(harness):
    harness.write_sources({"provisions": [CA_ENTRY]})
    spider = harness.spider(CaJusticeSpider)
    (req,) = start_requests(spider)
    assert req.url == "https://laws-lois.justice.gc.ca/eng/XML/C-46.xml"
    (item,) = collect(spider.parse_act(make_response(req.url, fixture_bytes("ca_justice/C-46-excerpt.xml"),
                                                     kind="xml"), **req.cb_kwargs))
    assert isinstance(item, ProvisionItem)
    assert item.id == "CA/criminal-code/s163.1"
    assert item.heading == "Definition of “child pornography”"
    assert item.source_modified == "2026-06-20"
    kept = harness.run_items(spider, [item])[0]
    assert kept.text == ("(1) In this section, “child pornography” means (a) a photographic, film, video or other "
                         "visual representation, whether or not it was made by electronic or mechanical means, "
                         "(2) Every person who makes, prints, publishes or possesses for the purpose of publication "
                         "any child pornography is guilty of an indictable offence.")


def test_ca_streams_a_large_file(harness):
    """~5 MB of sections: stream-parsed, only the cited one kept, fast."""
    filler = "".join(f'<Section lims:id="{n}"><MarginalNote>Note {n}</MarginalNote><Label>{n}</Label>'
                     f'<Subsection><Label>(1)</Label><Text>{"Lorem ipsum dolor sit amet. " * 8}</Text></Subsection>'
                     f'</Section>' for n in range(1000, 20000))
    body = fixture_bytes("ca_justice/C-46-excerpt.xml").replace(b"</Body>", filler.encode() + b"</Body>")
    assert len(body) > 5_000_000
    t = time.perf_counter()
    found = [(label, el.findtext("MarginalNote")) for _a, label, el in iter_cited_sections(io.BytesIO(body), {"163.1", "19999"})]
    assert [f[0] for f in found] == ["163.1", "19999"]
    assert time.perf_counter() - t < 10


# -- statute_pages -------------------------------------------------------------------------
def test_statute_page_with_selectors(harness):
    harness.write_sources({"provisions": [DE_ENTRY]})
    spider = harness.spider(StatutePagesSpider)
    assert "www.gesetze-im-internet.de" in spider.allowed_domains
    (req,) = start_requests(spider)
    resp = make_response(req.url, fixture_bytes("statute_pages/stgb-184b.html"), kind="html", encoding=None,
                         headers={"Content-Type": "text/html; charset=ISO-8859-1"})
    (item,) = collect(spider.parse_page(resp, **req.cb_kwargs))
    assert item.id == "DE/stgb/s184b"
    assert item.citation == "§ 184b StGB"
    assert item.language == "de"
    assert item.heading == "Verbreitung, Erwerb und Besitz kinderpornographischer Inhalte"
    # the page is ISO-8859-1 (as gesetze-im-internet.de serves it); the numbered list sits
    # inside the paragraph div
    assert item.text.startswith("(1) Mit Freiheitsstrafe von einem Jahr bis zu zehn Jahren wird bestraft, wer "
                                "1. einen kinderpornographischen Inhalt verbreitet oder der Öffentlichkeit zugänglich macht;")
    assert "tatsächliches oder wirklichkeitsnahes Geschehen" in item.text
    assert "outside the norm body" not in item.text


def test_statute_page_refuses_unofficial_hosts(harness, errors):
    harness.write_sources({"provisions": [dict(DE_ENTRY, url="https://law-mirror.example.com/stgb/184b")]})
    assert start_requests(harness.spider(StatutePagesSpider)) == []
    assert any("not an official host" in e for e in errors())


def test_statute_page_marker_missing(harness, errors):
    spider = harness.spider(StatutePagesSpider)
    resp = make_response(DE_ENTRY["url"], b"<html><body><div class='jnhtml'>Wartungsarbeiten</div></body></html>", kind="html")
    assert collect(spider.parse_page(resp, entry=DE_ENTRY)) == []
    assert any("expected marker" in e for e in errors())
