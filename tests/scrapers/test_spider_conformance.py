"""Conformance: the real responses in ../shared/reference-responses/ parsed by the
matching spider callbacks (skipped when that folder is absent)."""
import json

import pytest

from scrapers.base import parse_xml_bytes
from scrapers.items import BillEventItem, BillItem, DocumentItem
from scrapers.spiders.eu_cellar import EuCellarSpider
from scrapers.spiders.uk_bills import UkBillsSpider
from scrapers.spiders.us_code import iter_sections
from scrapers.spiders.us_congress import UsCongressSpider

from scraper_helpers import collect, make_response, only, reference_path, requests_of


@pytest.fixture(autouse=True)
def key(monkeypatch):
    monkeypatch.setenv("CONGRESS_GOV_API_KEY", "K")


def ref(rel):
    return reference_path(rel).read_bytes()


def test_congress_bill_list(harness):
    spider = harness.spider(UsCongressSpider)
    out = collect(spider.parse_list(make_response("https://api.congress.gov/v3/bill/117?format=json",
                                                  ref("congress-gov/bill_117.json")), congress=117))
    reqs = requests_of(out)
    # no title of that page is about AI + CSAM: the only request is the next page
    assert [r.url for r in reqs] == ["https://api.congress.gov/v3/bill/117?offset=20&limit=20&format=json"]
    assert reqs[0].headers[b"X-Api-Key"] == b"K"


def test_congress_bill_detail(harness):
    spider = harness.spider(UsCongressSpider)
    out = collect(spider.parse_bill(make_response("https://api.congress.gov/v3/bill/117/hr/21?format=json",
                                                  ref("congress-gov/bill_117_hr_21.json"))))
    (bill,) = only(out, BillItem)
    assert (bill.id, bill.identifier, bill.title, bill.introduced) == (
        "US/117/hr21", "H.R. 21", "FedRAMP Authorization Act", "2021-01-04")
    assert bill.url == "https://www.congress.gov/bill/117th-congress/house-bill/21"
    assert bill.text_for_matching == "Government Operations and Politics"
    assert [r.url for r in requests_of(out)] == [
        "https://api.congress.gov/v3/bill/117/hr/21/actions?format=json",
        "https://api.congress.gov/v3/bill/117/hr/21/text?format=json",
        "https://api.congress.gov/v3/bill/117/hr/21/summaries?format=json"]


def test_congress_actions(harness):
    spider = harness.spider(UsCongressSpider)
    evs = collect(spider.parse_actions(make_response("https://api.congress.gov/v3/bill/117/hr/21/actions",
                                                     ref("congress-gov/bill_117_hr_21_actions.json")),
                                       bill_id="US/117/hr21", page_url="https://www.congress.gov/bill/117th-congress/house-bill/21",
                                       acc=[]))
    assert len(evs) == 10 and all(isinstance(e, BillEventItem) for e in evs)
    first = evs[0]
    assert (first.date, first.order, first.classification, first.chamber) == ("2021-01-06", 10, "referral", "upper")
    assert first.text.startswith("Received in the Senate and Read twice and referred")
    passed = [e for e in evs if e.text.startswith("Passed/agreed to in House")]
    assert passed[0].classification == "passage"
    kept = harness.run_items(spider, evs)
    assert len(kept) == 10


def test_billstatus_2022_layout(harness):
    spider = harness.spider(UsCongressSpider)
    body = ref("govinfo-billstatus/BILLSTATUS-117s35.xml")
    out = collect(spider.parse_billstatus(make_response(
        "https://www.govinfo.gov/bulkdata/BILLSTATUS/117/s/BILLSTATUS-117s35.xml", body, kind="xml")))
    (bill,) = only(out, BillItem)
    assert (bill.id, bill.identifier, bill.introduced) == ("US/117/s35", "S. 35", "2021-01-22")
    assert bill.title == "Officer Eugene Goodman Congressional Gold Medal Act"
    assert "Congressional Gold Medal" in bill.summary
    root = parse_xml_bytes(body)
    assert len(only(out, BillEventItem)) == len(root.findall("bill/actions/item"))
    docs = only(out, DocumentItem)
    assert [d.title for d in docs] == ["Engrossed in Senate", "Introduced in Senate"]  # empty item skipped
    kept = harness.run_items(spider, out)
    evs = only(kept, BillEventItem)
    assert {"introduction", "passage", "referral"} <= {e.classification for e in evs}
    assert all(e.date for e in evs)


def test_uk_bills_search_envelope(harness):
    spider = harness.spider(UkBillsSpider)
    out = collect(spider.parse_search(make_response("https://bills-api.parliament.uk/api/v1/Bills",
                                                    ref("uk-parliament-bills/bills.json")),
                                      term="t", skip=0, newest=None))
    urls = [r.url for r in requests_of(out)]
    assert urls[0] == "https://bills-api.parliament.uk/api/v1/Bills/2818"
    assert "Skip=20" in urls[1]  # totalResults 3660: next page


def test_uk_bill_detail_and_stages(harness):
    spider = harness.spider(UkBillsSpider)
    (req,) = collect(spider.parse_bill(make_response("https://bills-api.parliament.uk/api/v1/Bills/2818",
                                                     ref("uk-parliament-bills/bill-2818.json"))))
    out = collect(spider.parse_stages(make_response(req.url, ref("uk-parliament-bills/bill-2818_stages.json")),
                                      **req.cb_kwargs))
    (bill,) = only(out, BillItem)
    assert (bill.id, bill.session, bill.introduced) == (
        "GB/2019-21/abolition-of-business-rates-bill", "2019-21", "2021-01-12")
    assert bill.summary == "A Bill to abolish business rates; and for connected purposes."
    (ev,) = only(out, BillEventItem)
    assert (ev.date, ev.classification, ev.chamber, ev.text) == ("2021-01-12", "introduction", "lower",
                                                                 "1st reading (Commons)")


def test_uk_publications(harness):
    spider = harness.spider(UkBillsSpider)
    bill = BillItem(id="GB/2009-10/constitutional-reform-and-governance-bill", source_id="512")
    body = ref("uk-parliament-bills/bill-2818_publications.json")
    docs = collect(spider.parse_publications(make_response("https://bills-api.parliament.uk/api/v1/Bills/512/Publications",
                                                           body), bill=bill))
    pubs = json.loads(body)["publications"]
    assert len(docs) == sum(len(p["links"]) + len(p["files"]) for p in pubs)
    assert docs[0].url == "http://www.opsi.gov.uk/acts/acts2010/pdf/ukpga_20100025_en.pdf"
    assert docs[0].media_type == "application/pdf" and docs[0].date == "2010-04-12T00:00:00"
    kept = harness.run_items(spider, docs)
    assert len(kept) == len(docs)


def test_eu_procedure_tree_notice(harness):
    spider = harness.spider(EuCellarSpider)
    out = collect(spider.parse_procedure(make_response("http://publications.europa.eu/resource/procedure/2013_449",
                                                       ref("eu-cellar/2013_449_tree.xml"), kind="xml"),
                                         ref="2013/0449(COD)"))
    (bill,) = only(out, BillItem)
    assert bill.id == "EU/2013/2013-0449-cod" and bill.identifier == "2013/0449(COD)"
    assert bill.title.startswith("Proposal for a REGULATION OF THE EUROPEAN PARLIAMENT AND OF THE COUNCIL amending")
    assert bill.introduced == "2014-01-09"
    evs = {e.text: e for e in only(out, BillEventItem)}
    assert len(evs) == 9
    assert evs["Adoption by Commission"].classification == "introduction"
    assert evs["Publication in the Official Journal"].classification == "became-law"
    assert evs["Publication in the Official Journal"].date == "2014-03-20"
    assert evs["Approval by the Council of the EP position at 1st reading"].chamber == "upper"


def test_uslm_real_document_by_identifier():
    body = ref("uslm/S1029_RFH.xml")
    import io
    found = {ident: el for ident, el in iter_sections(io.BytesIO(body), {"/us/bill/116/s/1029/s2/a"})}
    assert list(found) == ["/us/bill/116/s/1029/s2/a"]
