"""Shared spider base: official-host allow-list, base URL overrides (tests), the
data/sources.yml registry, watermarks, API keys, and uniform error reporting for
HTTP errors, malformed JSON/XML, empty responses and bot challenges."""
from __future__ import annotations

import functools
import inspect
import json
import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import scrapy
import yaml
from lxml import etree
from scrapy.spidermiddlewares.httperror import HttpError

from scrapers.hosts import host_of, is_official_host
from scrapers.store import load_state

CHALLENGE_MARKERS = (b"awswaf", b"challenge.js", b"AwsWafIntegration", b"aws-waf-token",
                     b"cf-challenge", b"cf_chl_", b"Just a moment...", b"captcha-delivery",
                     b"Please enable JavaScript to continue")


def safe_xml_parser(**kw) -> etree.XMLParser:
    """lxml parser with entity resolution and network access off (no XXE)."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=False, remove_comments=True, **kw)


def parse_xml_bytes(body: bytes):
    return etree.fromstring(body, parser=safe_xml_parser())


def localname(el) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def element_text(el, skip=(), inline=()) -> str:
    """Text of an element; block elements are separated by spaces, inline ones are not,
    and elements whose local name is in ``skip`` are left out entirely."""
    parts: list[str] = []

    def walk(e):
        name = localname(e)
        if name in skip:
            return
        block = name not in inline
        if block:
            parts.append(" ")
        if e.text and isinstance(e.tag, str):
            parts.append(e.text)
        for child in e:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if block:
            parts.append(" ")

    walk(el)
    return "".join(parts)


def rebase(url: str, base: str | None) -> str:
    """Replace scheme+host of ``url`` with ``base`` (path prefix kept) when a base is set."""
    if not base:
        return url
    b = urlsplit(base)
    u = urlsplit(url)
    path = b.path.rstrip("/") + u.path
    return urlunsplit((b.scheme, b.netloc, path, u.query, u.fragment))


SHAPE_ERRORS = (TypeError, AttributeError, KeyError, IndexError, ValueError, RecursionError)


def guard_callback(fn):
    """Wrap a parse_* callback: a document of an unexpected shape (a field of the wrong
    type, say) becomes one logged, counted error for that response instead of an
    exception; what the callback yielded before the problem is kept."""
    if getattr(fn, "_lawtracker_guarded", False) or inspect.iscoroutinefunction(fn) \
            or inspect.isasyncgenfunction(fn):
        return fn

    @functools.wraps(fn)
    def wrapper(self, response, *args, **kwargs):
        try:
            out = fn(self, response, *args, **kwargs)
            if out is None:
                return
            if inspect.isgenerator(out) or isinstance(out, (list, tuple)):
                yield from out
            else:  # a single request or item
                yield out
        except SHAPE_ERRORS as exc:
            self.crawler.stats.inc_value("lawtracker/shape_errors")
            self.report_error(f"unexpected data shape ({type(exc).__name__}: {str(exc)[:80]})",
                              getattr(response, "url", "?"))

    wrapper._lawtracker_guarded = True
    return wrapper


class LawSpider(scrapy.Spider):
    #: official hosts this spider talks to (checked against scrapers.hosts)
    official_domains: list[str] = []
    #: env var holding an API key, if the source needs one
    api_key_env: str | None = None
    api_key_help: str = ""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name, value in list(vars(cls).items()):
            if name.startswith("parse_") and inspect.isfunction(value):
                setattr(cls, name, guard_callback(value))

    def __init__(self, *args, base_url: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.base_url = base_url
        self.state_updates: dict = {}
        self._sources = None

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        overrides = crawler.settings.getdict("LAWTRACKER_BASE_URLS")
        if not spider.base_url and overrides.get(spider.name):
            spider.base_url = overrides[spider.name]
        extra = crawler.settings.getlist("LAWTRACKER_EXTRA_ALLOWED_HOSTS")
        spider.allowed_domains = list(cls.official_domains) + list(extra)
        return spider

    # -- configuration ---------------------------------------------------------
    @classmethod
    def missing_api_key(cls, **spider_args) -> str | None:
        """One clear line when the API key is missing, else None."""
        if cls.api_key_env and not os.environ.get(cls.api_key_env):
            return f"{cls.name}: skipped: set {cls.api_key_env} ({cls.api_key_help})"
        return None

    @property
    def api_key(self) -> str | None:
        return os.environ.get(self.api_key_env) if self.api_key_env else None

    def url(self, official_url: str) -> str:
        """The URL to request for an official URL (rebased onto base_url in tests)."""
        return rebase(official_url, self.base_url)

    @property
    def sources(self) -> dict:
        if self._sources is None:
            path = Path(self.settings.get("LAWTRACKER_SOURCES"))
            try:
                self._sources = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            except (OSError, yaml.YAMLError) as exc:
                self.logger.error("cannot read the sources registry %s: %s", path, exc)
                self._sources = {}
        return self._sources

    def provision_sources(self) -> list[dict]:
        return [p for p in self.sources.get("provisions", []) or [] if p.get("spider") == self.name]

    def tracked_bills(self) -> list[dict]:
        return [b for b in self.sources.get("bills", []) or [] if b.get("spider") == self.name]

    def discovery(self) -> dict:
        return (self.sources.get("discovery", {}) or {}).get(self.name, {}) or {}

    def load_state(self) -> dict:
        return load_state(self.settings.get("LAWTRACKER_CRAWL_DIR"), self.name)

    @property
    def since(self) -> str | None:
        return self.settings.get("LAWTRACKER_SINCE") or None

    def check_official(self, url: str) -> bool:
        extra = self.settings.getlist("LAWTRACKER_EXTRA_ALLOWED_HOSTS")
        if is_official_host(host_of(url), extra):
            return True
        self.report_error("not an official host, not fetched", url)
        return False

    # -- error reporting ---------------------------------------------------------
    def report_error(self, what: str, url: str):
        self.crawler.stats.inc_value("lawtracker/errors")
        self.logger.error("%s: %s: %s", self.name, what, url)

    def errback(self, failure):
        request = failure.request
        if failure.check(HttpError):
            response = failure.value.response
            status = response.status
            if status == 429:
                what = "HTTP 429 Too Many Requests (rate limited; retries exhausted)"
            elif status == 404:
                what = "HTTP 404 Not Found"
            elif status in (401, 403):
                what = f"HTTP {status} (refused: check the API key or a WAF block)"
            else:
                what = f"HTTP {status}"
            self.crawler.stats.inc_value(f"lawtracker/http_{status}")
            self.report_error(what, response.url)
        else:
            self.report_error(f"request failed: {failure.getErrorMessage() or failure.type.__name__}",
                              request.url)

    def is_challenge(self, response) -> bool:
        """True (and logged) when the response is a bot/WAF challenge page. We never try
        to solve one: the source is reported and skipped for this crawl."""
        body = response.body[:20000]
        header_hit = b"challenge" in (response.headers.get(b"x-amzn-waf-action") or b"").lower()
        if response.status == 202 or header_hit or any(m in body for m in CHALLENGE_MARKERS):
            self.crawler.stats.inc_value("lawtracker/bot_challenge")
            self.report_error(f"bot challenge page (HTTP {response.status}, e.g. AWS WAF); "
                              "not attempting to solve it, source skipped", response.url)
            return True
        return False

    def is_empty(self, response) -> bool:
        if not response.body.strip():
            self.report_error("empty response body", response.url)
            return True
        return False

    def json_or_none(self, response):
        if self.is_challenge(response) or self.is_empty(response):
            return None
        try:
            return json.loads(response.text)
        except (ValueError, AttributeError, RecursionError) as exc:  # RecursionError: absurd nesting
            self.report_error(f"malformed JSON ({exc.__class__.__name__}: {str(exc)[:80]})", response.url)
            return None

    def json_list(self, response, key):
        """(document, list under `key`) of a JSON object response; (None, None) after logging
        why when the body is not JSON or has no such list."""
        data = self.json_or_none(response)
        if data is None:
            return None, None
        items = data.get(key) if isinstance(data, dict) else None
        if not isinstance(items, list):
            self.report_error(f"unexpected JSON shape (no {key}[])", response.url)
            return None, None
        return data, items

    def xml_or_none(self, response):
        if self.is_challenge(response) or self.is_empty(response):
            return None
        try:
            return parse_xml_bytes(response.body)
        except etree.XMLSyntaxError as exc:
            self.report_error(f"malformed XML ({str(exc)[:80]})", response.url)
            return None

    def request(self, url, callback, **kw):
        kw.setdefault("errback", self.errback)
        return scrapy.Request(url, callback=callback, **kw)
