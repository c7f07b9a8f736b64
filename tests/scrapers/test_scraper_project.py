"""Project-level checks: the CLI, settings (politeness), the host allow-list, retry
backoff, and that every spider has fixtures and tests."""
import argparse
import re
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.settings import Settings
from scrapy.spiderloader import SpiderLoader
from scrapy.utils.test import get_crawler

from lawtracker import cli, crawl
from scrapers import settings as project_settings
from scrapers.hosts import is_official_url
from scrapers.middlewares import BackoffRetryMiddleware, OfficialHostsMiddleware, retry_after_seconds

from scraper_helpers import FIXTURES, HERE

ISSUE_SPIDERS = {"uk_legislation", "uk_bills", "us_congress", "us_code", "openstates", "eu_cellar",
                 "au_legislation", "ca_justice", "statute_pages"}


def loader():
    return SpiderLoader.from_settings(Settings({"SPIDER_MODULES": ["scrapers.spiders"]}))


def test_every_spider_is_registered_and_named_for_its_module():
    names = set(loader().list())
    assert names == ISSUE_SPIDERS == set(crawl.SPIDERS)
    for name in names:
        assert loader().load(name).__module__ == f"scrapers.spiders.{name}"


@pytest.mark.parametrize("name", sorted(ISSUE_SPIDERS))
def test_every_spider_has_fixtures_and_tests(name):
    assert any((FIXTURES / name).iterdir()), f"no fixtures for {name}"
    tests = "".join(p.read_text() for p in HERE.glob("test_spider_*.py"))
    cls = loader().load(name).__name__
    assert tests.count(cls) >= 2, f"{cls} has no tests"


def test_crawl_help_lists_every_spider(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["crawl", "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for name in ISSUE_SPIDERS:
        assert name in out
    assert "--since" in out and "--list" in out and "CONGRESS_GOV_API_KEY" in out


def parse(argv):
    p = argparse.ArgumentParser()
    crawl.configure_parser(p)
    return p.parse_args(argv)


def test_list(capsys):
    assert crawl.run(parse(["--list"])) == 0
    out = capsys.readouterr().out
    assert all(re.search(rf"^{n}\s", out, re.M) for n in ISSUE_SPIDERS)


def test_unknown_spider(capsys):
    assert crawl.run(parse(["nope"])) == 2
    assert "unknown spider" in capsys.readouterr().err


def test_missing_keys_skip_with_one_line(monkeypatch, capsys):
    monkeypatch.delenv("CONGRESS_GOV_API_KEY", raising=False)
    monkeypatch.delenv("OPENSTATES_API_KEY", raising=False)
    assert crawl.run(parse(["us_congress", "openstates"])) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("us_congress: skipped: set CONGRESS_GOV_API_KEY")
    assert out[1].startswith("openstates: skipped: set OPENSTATES_API_KEY")
    assert "Traceback" not in "\n".join(out)


def test_since_must_be_a_date():
    with pytest.raises(SystemExit):
        parse(["--since", "yesterday"])
    assert parse(["--since", "2026-11-01"]).since == "2026-11-01"


def test_cli_options_become_settings(tmp_path):
    s = crawl._settings(parse(["--cache", "--since", "2026-11-01", "--crawl-dir", str(tmp_path),
                               "-s", "DOWNLOAD_DELAY=5"]))
    assert s.getbool("HTTPCACHE_ENABLED") is True
    assert s.get("LAWTRACKER_SINCE") == "2026-11-01"
    assert s.get("LAWTRACKER_CRAWL_DIR") == str(tmp_path)
    assert s.getfloat("DOWNLOAD_DELAY") == 5


def test_polite_settings():
    s = project_settings
    assert s.ROBOTSTXT_OBEY is True
    assert s.USER_AGENT == "ai-csam-law-tracker/0.1 (+https://github.com/ai-csam-law-tracker/ai-csam-law-tracker)"
    assert s.CONCURRENT_REQUESTS_PER_DOMAIN == 1 and s.DOWNLOAD_DELAY >= 1
    assert s.AUTOTHROTTLE_ENABLED is True and s.AUTOTHROTTLE_TARGET_CONCURRENCY == 1.0
    assert s.HTTPCACHE_POLICY == "scrapy.extensions.httpcache.RFC2616Policy"
    assert 429 in s.RETRY_HTTP_CODES and 503 in s.RETRY_HTTP_CODES
    assert s.DOWNLOAD_TIMEOUT <= 120
    assert "scrapers.middlewares.OfficialHostsMiddleware" in s.DOWNLOADER_MIDDLEWARES


def test_crawl_dir_setting_from_env(monkeypatch):
    import importlib

    monkeypatch.setenv("LAWTRACKER_CRAWL_DIR", "/tmp/elsewhere")
    mod = importlib.reload(project_settings)
    assert mod.LAWTRACKER_CRAWL_DIR == "/tmp/elsewhere"
    monkeypatch.delenv("LAWTRACKER_CRAWL_DIR")
    mod = importlib.reload(project_settings)
    assert Path(mod.LAWTRACKER_CRAWL_DIR) == Path(__file__).resolve().parents[2] / "data" / "crawled"


@pytest.mark.parametrize("url,ok", [
    ("https://www.legislation.gov.uk/ukpga/1978/37", True),
    ("https://bills-api.parliament.uk/api/v1/Bills", True),
    ("https://api.congress.gov/v3/bill", True),
    ("https://uscode.house.gov/download/download.shtml", True),
    ("https://leginfo.legislature.ca.gov/faces/x", True),
    ("http://publications.europa.eu/resource/celex/32011L0093", True),
    ("https://laws-lois.justice.gc.ca/eng/XML/C-46.xml", True),
    ("https://api.prod.legislation.gov.au/v1/titles", True),
    ("https://www.gesetze-im-internet.de/stgb/__184b.html", True),
    ("https://v3.openstates.org/bills", True),
    ("https://casetext.com/statute/x", False),
    ("https://evilgov.com/x", False),
    ("https://legislation.gov.uk.evil.example/x", False),
    ("file:///etc/passwd", False),
])
def test_allow_list(url, ok):
    assert is_official_url(url) is ok


def test_allow_list_middleware(harness):
    crawler = get_crawler(settings_dict={"LAWTRACKER_EXTRA_ALLOWED_HOSTS": ["127.0.0.1"]})
    mw = OfficialHostsMiddleware.from_crawler(crawler)
    assert mw.process_request(Request("http://127.0.0.1:8000/x")) is None
    assert mw.process_request(Request("https://www.govinfo.gov/x")) is None
    with pytest.raises(IgnoreRequest):
        mw.process_request(Request("https://casetext.com/statute/x"))


def test_retry_after_and_backoff():
    assert retry_after_seconds(b"120") == 120
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10
    assert retry_after_seconds(b"soon") is None and retry_after_seconds(None) is None
    crawler = get_crawler(settings_dict={"RETRY_BACKOFF_BASE": 2.0, "RETRY_BACKOFF_MAX": 60})
    mw = BackoffRetryMiddleware.from_crawler(crawler)
    req = Request("https://api.congress.gov/v3/bill", meta={"retry_times": 3})
    assert mw.backoff_delay(req) == 16
    assert mw.backoff_delay(Request("https://x.gov", meta={"retry_times": 10})) == 60
    resp = Response("https://api.congress.gov/v3/bill", status=429, headers={"Retry-After": "7"})
    assert mw.backoff_delay(req, resp) == 7
