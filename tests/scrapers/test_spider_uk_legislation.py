from scrapers.items import ProvisionItem
from scrapers.spiders.uk_legislation import UkLegislationSpider

from scraper_helpers import collect, fixture_bytes, make_response, start_requests

ENTRY = {"id": "GB/ukpga-1978-37/s1", "spider": "uk_legislation",
         "citation": "Protection of Children Act 1978, s. 1",
         "url": "https://www.legislation.gov.uk/ukpga/1978/37/section/1"}
DATA_URL = "https://www.legislation.gov.uk/ukpga/1978/37/section/1/data.xml"


def test_start_requests_from_registry(harness):
    harness.write_sources({"provisions": [ENTRY, {"id": "X/y/z", "spider": "us_code"}]})
    spider = harness.spider(UkLegislationSpider)
    reqs = start_requests(spider)
    assert [r.url for r in reqs] == [
        DATA_URL, "https://www.legislation.gov.uk/changes/affected/ukpga/1978/37/data.feed?sort=modified"]


def test_base_url_override_keeps_path(harness):
    harness.write_sources({"provisions": [ENTRY]})
    spider = harness.spider(UkLegislationSpider, base_url="http://127.0.0.1:9/uk")
    assert start_requests(spider)[0].url == "http://127.0.0.1:9/uk/ukpga/1978/37/section/1/data.xml"


def test_parse_clml_section(harness):
    spider = harness.spider(UkLegislationSpider)
    resp = make_response(DATA_URL, fixture_bytes("uk_legislation/ukpga-1978-37-section-1.xml"), kind="xml")
    (item,) = collect(spider.parse_provision(resp, entry=ENTRY))
    assert isinstance(item, ProvisionItem)
    assert item.id == "GB/ukpga-1978-37/s1"
    assert item.url == ENTRY["url"]
    assert item.citation == "Protection of Children Act 1978, s. 1"
    assert item.heading == "Indecent photographs of children."
    assert item.language == "en"
    assert item.source_modified == "2025-11-14"
    kept = harness.run_items(spider, [item])[0]
    assert kept.text.startswith("(1) Subject to sections 1A and 1B, it is an offence for a person— "
                                "(a) to take, or permit to be taken or to make, any indecent photograph "
                                "or pseudo-photograph of a child; or (b) to distribute")
    assert "Sexual Offences Act 2003" not in kept.text  # commentary is not provision text
    assert ("(2A) In this section, references to a child include a person who appears to be a child. "
            "(4) Where a person is charged") in kept.text
    # the document lists the unapplied effects of the whole Act: only s. 1's are kept,
    # and not the one the editors marked as never to be applied (RequiresApplied="false")
    assert kept.unapplied_effects == [
        "s. 1(1)(a) words inserted by Crime and Policing Act 2026 s. 71(2) (amendment not yet in revised text)",
        "s. 1(4) words omitted by Crime and Policing Act 2026 s. 71(3) (amendment not yet in revised text)"]


def test_changes_feed_records_unapplied_effects(harness):
    harness.write_sources({"provisions": [ENTRY, dict(ENTRY, id="GB/ukpga-1978-37/s7",
                                                      url="https://www.legislation.gov.uk/ukpga/1978/37/section/7")]})
    spider = harness.spider(UkLegislationSpider)
    url = "https://www.legislation.gov.uk/changes/affected/ukpga/1978/37/data.feed"
    resp = make_response(url, fixture_bytes("uk_legislation/changes-affected-ukpga-1978-37.feed"), kind="xml")
    assert collect(spider.parse_changes(resp, act="ukpga/1978/37")) == []
    assert spider.state_updates["effects"]["ukpga/1978/37"] == {
        "updated": "2026-05-01T09:12:00Z", "total": 2, "unapplied": 1,
        "pending": {"GB/ukpga-1978-37/s1": [
            "s. 1(1)(a) words inserted by Crime and Policing Act 2026 s. 71(2) (amendment not yet in revised text)"]}}


def test_effect_matching_by_section():
    from scrapers.spiders.uk_legislation import effect_touches, id_uri_for
    from lxml import etree
    UKM = "http://www.legislation.gov.uk/namespaces/metadata"
    s1 = id_uri_for("https://www.legislation.gov.uk/ukpga/1978/37/section/1")
    assert s1 == "http://www.legislation.gov.uk/id/ukpga/1978/37/section/1"
    for attr, ok in [("s. 1(1)", True), ("s. 1", True), ("ss. 1-3", True), ("s. 10(2)", False),
                     ("s. 1A(1)", False), ("Sch. 1 para. 2", False)]:
        eff = etree.Element(f"{{{UKM}}}UnappliedEffect", AffectedProvisions=attr)
        assert effect_touches(eff, s1) is ok, attr


def test_document_without_provision_is_an_error(harness, errors):
    spider = harness.spider(UkLegislationSpider)
    body = b'<Legislation xmlns="http://www.legislation.gov.uk/namespaces/legislation"><Primary/></Legislation>'
    assert collect(spider.parse_provision(make_response(DATA_URL, body, kind="xml"), entry=ENTRY)) == []
    assert any("no provision" in e for e in errors())


def test_xxe_entities_are_not_resolved(harness, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    body = f"""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file://{secret}">]>
<Legislation xmlns="http://www.legislation.gov.uk/namespaces/legislation"><Primary><Body><P1group>
<Title>T</Title><P1><Pnumber>1</Pnumber><P1para><Text>Some provision text long enough &xxe; here.</Text></P1para></P1>
</P1group></Body></Primary></Legislation>""".encode()
    spider = harness.spider(UkLegislationSpider)
    items = collect(spider.parse_provision(make_response(DATA_URL, body, kind="xml"), entry=ENTRY))
    assert all("TOPSECRET" not in (i.text or "") for i in items)
