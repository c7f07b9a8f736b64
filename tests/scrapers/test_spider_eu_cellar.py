from scrapers.items import BillEventItem, BillItem, ProvisionItem
from scrapers.spiders.eu_cellar import EuCellarSpider, procedure_parts

from scraper_helpers import collect, fixture_bytes, make_response, only, start_requests

PROC_URL = "http://publications.europa.eu/resource/procedure/2024_35"
CELEX_URL = "http://publications.europa.eu/resource/celex/32011L0093"
ENTRY = {"id": "EU/dir-2011-93/a2", "spider": "eu_cellar", "celex": "32011L0093", "article": "2",
         "citation": "Directive 2011/93/EU, Article 2",
         "url": "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32011L0093"}


def test_start_requests_negotiate_content(harness):
    harness.write_sources({"provisions": [ENTRY],
                           "bills": [{"id": "EU/2024/2024-0035-cod", "spider": "eu_cellar",
                                      "procedure": "2024/0035(COD)"}]})
    proc, act = start_requests(harness.spider(EuCellarSpider))
    assert proc.url == PROC_URL
    assert proc.headers[b"Accept"] == b"application/xml;notice=tree"
    assert act.url == CELEX_URL
    assert act.headers[b"Accept"] == b"application/xhtml+xml"
    assert act.headers[b"Accept-Language"] == b"eng"  # Cellar negotiates ISO 639-2 codes
    assert proc.headers[b"Accept-Language"] == b"eng"


def test_procedure_tree_notice(harness):
    spider = harness.spider(EuCellarSpider)
    out = collect(spider.parse_procedure(make_response(PROC_URL, fixture_bytes("eu_cellar/procedure-2024_35-tree.xml"),
                                                       kind="xml"), ref="2024/0035(COD)"))
    (bill,) = only(out, BillItem)
    assert bill.id == "EU/2024/2024-0035-cod"
    assert bill.identifier == "2024/0035(COD)"
    assert bill.session == "2024"
    assert bill.url == "https://eur-lex.europa.eu/procedure/EN/2024_35"
    assert bill.introduced == "2024-02-06"
    assert bill.title.startswith("Proposal for a DIRECTIVE OF THE EUROPEAN PARLIAMENT AND OF THE COUNCIL on combating")
    assert "&#13;" not in bill.title
    assert bill.tracked is True
    assert [(e.date, e.classification, e.chamber, e.text) for e in only(out, BillEventItem)] == [
        ("2024-02-06", "introduction", "executive", "Adoption by Commission"),
        ("2024-02-06", "referral", "lower", "Transmission to Parliament"),
        ("2024-04-17", "passage", "lower", "EP position on 1st reading")]
    kept = harness.run_items(spider, out)
    b = only(kept, BillItem)[0]
    assert "child sexual abuse material" in b.matched_terms


def test_article_from_xhtml(harness):
    spider = harness.spider(EuCellarSpider)
    (item,) = collect(spider.parse_act(make_response(CELEX_URL, fixture_bytes("eu_cellar/32011L0093-en.xhtml"),
                                                     kind="html"), entry=ENTRY))
    assert isinstance(item, ProvisionItem)
    assert item.heading == "Definitions"
    assert item.text.startswith("For the purposes of this Directive the following definitions apply:")
    assert "realistic images of a child engaged in sexually explicit conduct" in item.text
    assert "Article 3" not in item.text and "Offences concerning sexual abuse" not in item.text


def test_waf_challenge_is_detected_not_solved(harness, errors):
    spider = harness.spider(EuCellarSpider)
    resp = make_response("https://eur-lex.europa.eu/legal-content/EN/TXT/HTML/?uri=CELEX:32011L0093",
                         fixture_bytes("common/waf-challenge.html"), status=202, kind="html")
    assert collect(spider.parse_act(resp, entry=ENTRY)) == []
    assert any("bot challenge" in e and "not attempting to solve it" in e for e in errors())
    assert spider.crawler.stats.get_value("lawtracker/bot_challenge") == 1


def test_procedure_parts():
    assert procedure_parts("2024/0035(COD)") == ("2024", "35", "cod")
    assert procedure_parts("2022/0155 (COD)") == ("2022", "155", "cod")
    assert procedure_parts("nonsense") is None


def test_article_from_2023_layout(harness):
    """OJ XHTML since 2023 wraps each article in <div class="eli-subdivision" id="art_N">."""
    body = """<html xmlns="http://www.w3.org/1999/xhtml"><body><div class="eli-container">
<div class="eli-subdivision" id="art_1"><p class="oj-ti-art">Article 1</p>
<div class="eli-title" id="art_1.tit_1"><p class="oj-sti-art">Subject matter</p></div>
<div id="001.001"><p class="oj-normal">This Directive establishes minimum rules.</p></div></div>
<div class="eli-subdivision" id="art_5"><p class="oj-ti-art">Article 5</p>
<div class="eli-title" id="art_5.tit_1"><p class="oj-sti-art">Offences concerning child sexual abuse material</p></div>
<div id="005.001"><p class="oj-normal">1.   Member States shall take the necessary measures.</p></div>
<div id="005.006"><p class="oj-normal">6.   Producing child sexual abuse material shall be punishable.</p></div></div>
</div></body></html>""".encode()
    spider = harness.spider(EuCellarSpider)
    (item,) = collect(spider.parse_act(make_response(CELEX_URL, body, kind="html"),
                                       entry=dict(ENTRY, id="EU/dir-2011-93/a5", article="5")))
    assert item.heading == "Offences concerning child sexual abuse material"
    assert item.text == ("1. Member States shall take the necessary measures. "
                         "6. Producing child sexual abuse material shall be punishable.")
