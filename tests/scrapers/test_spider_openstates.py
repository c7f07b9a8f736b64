import json

import pytest

from scrapers.items import BillEventItem, BillItem, DocumentItem
from scrapers.spiders.openstates import OpenStatesSpider, jurisdiction_code, normalise_session

from scraper_helpers import (collect, fixture_bytes, http_error_failure, make_response, only,
                             requests_of, start_requests)

URL = "https://v3.openstates.org/bills?jurisdiction=ca&q=x&page=1"


@pytest.fixture
def key(monkeypatch):
    monkeypatch.setenv("OPENSTATES_API_KEY", "OSKEY")


def kwargs(page=1, since=None):
    return {"key": "ca|deepfake", "state": "ca", "query": "deepfake", "since": since, "page": page}


def test_missing_key(monkeypatch, harness):
    monkeypatch.delenv("OPENSTATES_API_KEY", raising=False)
    assert OpenStatesSpider.missing_api_key() == (
        "openstates: skipped: set OPENSTATES_API_KEY (free key: https://open.pluralpolicy.com/accounts/profile/)")
    assert start_requests(harness.spider(OpenStatesSpider)) == []


def test_start_resumes_from_stored_cursor(key, harness):
    harness.write_sources({"discovery": {"openstates": {"jurisdictions": ["ca"], "queries": ["deepfake"]}}})
    d = harness.store / "openstates"
    d.mkdir(parents=True)
    (d / "state.json").write_text(json.dumps({"sweeps": {"ca|deepfake": {"updated_since": "2026-10-01T00:00:00"}}}))
    (req,) = start_requests(harness.spider(OpenStatesSpider))
    assert req.headers[b"X-API-KEY"] == b"OSKEY"
    assert req.url == ("https://v3.openstates.org/bills?jurisdiction=ca&q=deepfake&sort=updated_asc&per_page=20"
                       "&page=1&updated_since=2026-10-01T00%3A00%3A00&include=actions&include=versions"
                       "&include=sources&include=abstracts")


def test_polite_settings():
    assert OpenStatesSpider.custom_settings["DOWNLOAD_DELAY"] >= 6.0  # 10 requests/minute quota
    assert OpenStatesSpider.custom_settings["CONCURRENT_REQUESTS_PER_DOMAIN"] == 1


def test_bills_page(key, harness):
    spider = harness.spider(OpenStatesSpider)
    out = collect(spider.parse_bills(make_response(URL, fixture_bytes("openstates/bills-ca-page1.json")), **kwargs()))
    (bill,) = only(out, BillItem)
    assert bill.id == "US-CA/2023-2024/ab1831"  # the curated id in data/laws/US-CA.yml
    assert bill.jurisdiction == "US-CA"
    assert bill.session == "2023-2024"
    assert bill.identifier == "AB 1831"
    assert bill.title == "Crimes: child pornography."
    assert bill.url == "https://leginfo.legislature.ca.gov/faces/billNavClient.xhtml?bill_id=202320240AB1831"
    assert bill.introduced == "2024-01-03"
    assert bill.source_id == "ocd-bill/5b1c7f0e-1e52-4d0b-9a43-0e8b7f2f8a11"
    assert bill.summary.startswith("This bill would expand the scope")
    evs = only(out, BillEventItem)
    assert [(e.date, e.order, e.classification, e.chamber) for e in evs] == [
        ("2024-01-03", 1, "introduction", "lower"), ("2024-01-22", 2, "referral", "lower"),
        ("2024-08-29", 3, "passage", "upper"), ("2024-09-29", 4, "executive-signature", "executive"),
        ("2024-09-29", 5, "became-law", "executive")]
    (doc,) = only(out, DocumentItem)
    assert (doc.title, doc.date, doc.media_type) == ("Introduced", "2024-01-03", "text/html")
    (nxt,) = requests_of(out)
    assert "page=2" in nxt.url and nxt.cb_kwargs["page"] == 2
    # cursor saved after every page: a sweep cut short resumes here
    assert spider.state_updates == {"sweeps": {"ca|deepfake": {"updated_since": "2024-10-01T05:11:42.654321+00:00"}}}
    kept = harness.run_items(spider, out)
    b = only(kept, BillItem)[0]
    assert b.candidate is True and "artificial intelligence" in b.matched_terms


def test_last_page_and_429(key, harness, errors):
    spider = harness.spider(OpenStatesSpider)
    out = collect(spider.parse_bills(make_response(URL, fixture_bytes("openstates/bills-ca-page2.json")), **kwargs(page=2)))
    assert out == [] and spider.state_updates == {}
    spider.errback(http_error_failure(URL, 429, b'{"detail": "exceeded limit of 10/min: 11"}'))
    assert any("HTTP 429" in e and "rate limited" in e for e in errors())


@pytest.mark.parametrize("raw,expected", [
    ("20232024", "2023-2024"), ("2025_26", "2025-2026"), ("2023-2024", "2023-2024"), ("103rd", "103"),
    ("194th", "194"), ("2024rs", "2024rs"), ("2025A", "2025a"), ("136", "136"), ("2025", "2025"),
    ("57th-1st-regular", "57th-1st-regular"),
])
def test_session_normalisation(raw, expected):
    assert normalise_session(raw) == expected


def test_session_override():
    assert normalise_session("222", {"222": "2026-2027"}) == "2026-2027"


def test_jurisdiction_code():
    assert jurisdiction_code({"id": "ocd-jurisdiction/country:us/state:tx/government"}) == "US-TX"
    assert jurisdiction_code("ocd-jurisdiction/country:us/district:dc/government") == "US-DC"
    assert jurisdiction_code("ocd-jurisdiction/country:us/territory:pr/government") == "US-PR"
    assert jurisdiction_code(None) is None
