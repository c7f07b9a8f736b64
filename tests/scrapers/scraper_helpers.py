"""Helpers (imported by the tests) for the offline scraper tests: spiders built through a real Crawler with
test settings, fixture responses, and the two pipelines run by hand."""
from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest
import yaml
from scrapy import Request
from scrapy.http import HtmlResponse, TextResponse, XmlResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from scrapers.pipelines import StorePipeline, ValidatePipeline

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
REPO = HERE.parent.parent
REFERENCE = REPO.parent / "shared" / "reference-responses"


def fixture_bytes(rel: str) -> bytes:
    return (FIXTURES / rel).read_bytes()


def reference_path(rel: str) -> Path:
    p = REFERENCE / rel
    if not p.exists():
        pytest.skip(f"reference response {rel} not available ({REFERENCE} absent)")
    return p


def make_response(url: str, body: bytes | str, status: int = 200, kind: str = "text",
                  headers=None, meta=None, encoding: str | None = "utf-8"):
    """A response as the downloader would hand it over. ``encoding=None`` lets Scrapy
    detect it (Content-Type header, then the document's own declaration)."""
    if isinstance(body, str):
        body = body.encode("utf-8")
    cls = {"text": TextResponse, "html": HtmlResponse, "xml": XmlResponse}[kind]
    req = Request(url, meta=meta or {})
    kw = {"encoding": encoding} if encoding else {}
    return cls(url=url, body=body, status=status, headers=headers or {}, request=req, **kw)


def http_error_failure(url: str, status: int, body: bytes = b"", headers=None):
    resp = make_response(url, body, status=status, headers=headers)
    failure = Failure(HttpError(resp, f"Ignoring non-200 response ({status})"))
    failure.request = resp.request
    return failure


class Harness:
    """A spider instance wired to a tmp store and a tmp sources registry."""

    def __init__(self, tmp_path: Path):
        self.tmp = tmp_path
        self.store = tmp_path / "crawled"
        self.sources_path = tmp_path / "sources.yml"
        self.sources_path.write_text("provisions: []\n")

    def write_sources(self, data: dict):
        self.sources_path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))

    def spider(self, cls, settings=None, **kwargs):
        s = {"LAWTRACKER_CRAWL_DIR": str(self.store), "LAWTRACKER_SOURCES": str(self.sources_path),
             "HTTPCACHE_ENABLED": False}
        s.update(settings or {})
        crawler = get_crawler(cls, settings_dict=s)
        crawler._apply_settings()
        spider = cls.from_crawler(crawler, **kwargs)
        crawler.spider = spider
        return spider

    def pipelines(self, spider):
        v = ValidatePipeline.from_crawler(spider.crawler)
        st = StorePipeline.from_crawler(spider.crawler)
        st.open_spider(spider)
        return v, st

    def run_items(self, spider, items):
        """Validate + store like the engine does; returns the kept items."""
        from scrapy.exceptions import DropItem

        v, st = self.pipelines(spider)
        kept = []
        for it in items:
            try:
                kept.append(st.process_item(v.process_item(it)))
            except DropItem as exc:
                logging.getLogger("test").warning("Dropped: %s", exc)
        st.close_spider(spider)
        return kept


def collect(gen) -> list:
    """List the output of a callback (None, list, generator)."""
    if gen is None:
        return []
    return list(gen)


def start_requests(spider) -> list:
    async def run():
        return [r async for r in spider.start()]

    return asyncio.run(run())


def only(items, cls):
    return [i for i in items if isinstance(i, cls)]


def requests_of(items):
    return [i for i in items if isinstance(i, Request)]




# -- fixtures shared by tests/scrapers and tests/reliability (imported by both conftests) -------

@pytest.fixture
def harness(tmp_path):
    return Harness(tmp_path)


@pytest.fixture
def errors(caplog):
    """The ERROR log lines of the test (spider loggers included)."""
    caplog.set_level(logging.INFO)

    def get():
        return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]

    return get
