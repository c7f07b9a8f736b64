"""Scrapy settings for the ai-csam-law-tracker spiders.

Polite by default: robots.txt obeyed, one request at a time per domain, a
delay floor with AutoThrottle on top, an honest User-Agent with a contact URL,
retries with exponential backoff (``Retry-After`` honoured) and timeouts.
"""
import os
from pathlib import Path

BOT_NAME = "lawtracker"
SPIDER_MODULES = ["scrapers.spiders"]
NEWSPIDER_MODULE = "scrapers.spiders"

REPO_ROOT = Path(__file__).resolve().parent.parent

# Where the crawled store lives (docs/architecture.md) and the crawl registry.
LAWTRACKER_CRAWL_DIR = os.environ.get("LAWTRACKER_CRAWL_DIR", str(REPO_ROOT / "data" / "crawled"))
LAWTRACKER_SOURCES = os.environ.get("LAWTRACKER_SOURCES", str(REPO_ROOT / "data" / "sources.yml"))
# Per-spider base URL overrides, e.g. {"uk_bills": "http://127.0.0.1:8000/uk_bills"} (tests).
LAWTRACKER_BASE_URLS = {}
# Hosts allowed in addition to the official allow-list (tests add 127.0.0.1). Never a real site.
LAWTRACKER_EXTRA_ALLOWED_HOSTS = []
# Only record changes since this date (set by `lawtracker crawl --since`).
LAWTRACKER_SINCE = None

USER_AGENT = "ai-csam-law-tracker/0.1 (+https://github.com/ai-csam-law-tracker/ai-csam-law-tracker)"
ROBOTSTXT_OBEY = True

CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 1.0
RANDOMIZE_DOWNLOAD_DELAY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

DOWNLOAD_TIMEOUT = 60
# The Canadian Criminal Code file is about 5 MB; US Code title zips are larger.
DOWNLOAD_MAXSIZE = 64 * 1024 * 1024
DOWNLOAD_WARNSIZE = 16 * 1024 * 1024

RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
# Backoff between retries: min(RETRY_BACKOFF_MAX, RETRY_BACKOFF_BASE * 2**n), or Retry-After.
RETRY_BACKOFF_BASE = 2.0
RETRY_BACKOFF_MAX = 300.0

DOWNLOADER_MIDDLEWARES = {
    "scrapers.middlewares.OfficialHostsMiddleware": 40,
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "scrapers.middlewares.ReportingOffsiteMiddleware": 50,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "scrapers.middlewares.BackoffRetryMiddleware": 550,
}

ITEM_PIPELINES = {
    "scrapers.pipelines.ValidatePipeline": 100,
    "scrapers.pipelines.StorePipeline": 900,
}

EXTENSIONS = {
    "scrapers.monitors.CrawlReport": 500,
}

# RFC2616 HTTP cache for development: LAWTRACKER_HTTPCACHE=1 or `lawtracker crawl --cache`.
HTTPCACHE_ENABLED = os.environ.get("LAWTRACKER_HTTPCACHE", "") not in ("", "0", "false")
HTTPCACHE_POLICY = "scrapy.extensions.httpcache.RFC2616Policy"
HTTPCACHE_STORAGE = "scrapy.extensions.httpcache.FilesystemCacheStorage"
HTTPCACHE_DIR = "httpcache"
HTTPCACHE_IGNORE_HTTP_CODES = [202, 403, 429, 500, 502, 503, 504]

FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = os.environ.get("LAWTRACKER_LOG_LEVEL", "INFO")
TELNETCONSOLE_ENABLED = False
