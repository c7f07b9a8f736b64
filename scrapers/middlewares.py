"""Downloader middlewares: the official-host allow-list and retries with backoff."""
from __future__ import annotations

import asyncio
import email.utils
import logging
import time

from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.response import response_status_message

from scrapers.hosts import host_of, is_official_host

logger = logging.getLogger(__name__)


class OfficialHostsMiddleware:
    """Refuse any request to a host that is not on the official allow-list.

    robots.txt requests go through here as well. Hosts in the setting
    LAWTRACKER_EXTRA_ALLOWED_HOSTS are allowed too (tests: 127.0.0.1).
    """

    def __init__(self, crawler):
        self.crawler = crawler
        self.extra = tuple(crawler.settings.getlist("LAWTRACKER_EXTRA_ALLOWED_HOSTS"))

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request, spider=None):
        host = host_of(request.url)
        if not is_official_host(host, self.extra):
            self.crawler.stats.inc_value("lawtracker/refused_host")
            logger.error("refused request to non-official host %s: %s", host, request.url)
            raise IgnoreRequest(f"host {host} is not on the official allow-list")
        return None


class ReportingOffsiteMiddleware(OffsiteMiddleware):
    """Scrapy's offsite filter, but a filtered request (typically a redirect to another
    host) is a counted, logged error naming the URL it came from, not a silent DEBUG line:
    otherwise a source that starts redirecting elsewhere would just stop being refreshed."""

    def process_request(self, request, spider=None):
        try:
            return super().process_request(request)
        except IgnoreRequest:
            origin = (request.meta.get("redirect_urls") or [None])[0]
            self.crawler.stats.inc_value("lawtracker/errors")
            self.crawler.stats.inc_value("lawtracker/refused_host")
            logger.error("refused request to non-official host %s: %s%s", host_of(request.url), request.url,
                         f" (redirected from {origin})" if origin else "",
                         extra={"spider": self.crawler.spider})
            raise


def retry_after_seconds(value: bytes | str | None, now: float | None = None) -> float | None:
    """Parse a Retry-After header (delta-seconds or HTTP-date) into seconds."""
    if not value:
        return None
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        dt = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if dt is None:
        return None
    return max(0.0, dt.timestamp() - (now if now is not None else time.time()))


class BackoffRetryMiddleware(RetryMiddleware):
    """RetryMiddleware that waits before retrying: ``Retry-After`` when the server
    sends one, else exponential backoff (RETRY_BACKOFF_BASE * 2**n, capped at
    RETRY_BACKOFF_MAX). The wait only holds back that request."""

    def __init__(self, settings):
        super().__init__(settings)
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE", 2.0)
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX", 300.0)

    def backoff_delay(self, request, response=None) -> float:
        if response is not None:
            ra = retry_after_seconds(response.headers.get(b"Retry-After"))
            if ra is not None:
                return min(ra, self.backoff_max)
        n = request.meta.get("retry_times", 0)
        return min(self.backoff_max, self.backoff_base * (2 ** n))

    async def process_response(self, request, response, spider=None):
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        reason = response_status_message(response.status)
        new = self._retry(request, reason)
        if new is None:
            return response
        delay = self.backoff_delay(request, response)
        if delay > 0:
            logger.info("HTTP %s for %s: retrying in %.1f s", response.status, request.url, delay)
            self.crawler.stats.inc_value("lawtracker/backoff_seconds", int(delay))
            await asyncio.sleep(delay)
        return new
