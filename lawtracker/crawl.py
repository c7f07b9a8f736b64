"""`lawtracker crawl`: run the Scrapy spiders in one process and summarise each run.

    lawtracker crawl [SPIDER ...] [--since DATE] [--list] [--cache]

Spiders write data/crawled/<spider>/ (or $LAWTRACKER_CRAWL_DIR). A spider whose API
key is missing is skipped with one line. `scrapy crawl NAME` works too (scrapy.cfg).
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys

#: every spider of scrapers/spiders (tests check this against Scrapy's SpiderLoader)
SPIDERS = ("uk_legislation", "uk_bills", "us_congress", "us_code", "openstates", "eu_cellar",
           "au_legislation", "ca_justice", "statute_pages")


def _date(value: str) -> str:
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def _pair(value: str) -> tuple[str, str]:
    if "=" not in value:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {value!r}")
    k, v = value.split("=", 1)
    return k.strip(), v


def configure_parser(parser: argparse.ArgumentParser) -> None:
    parser.description = (__doc__ or "").splitlines()[0]
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = ("spiders: " + ", ".join(SPIDERS) + "\n"
                     "API keys: CONGRESS_GOV_API_KEY (us_congress), OPENSTATES_API_KEY (openstates), "
                     "GOVINFO_API_KEY (optional, us_congress discovery). See docs/scrapers.md.")
    parser.add_argument("spiders", nargs="*", metavar="SPIDER",
                        help="spiders to run (default: all): " + ", ".join(SPIDERS))
    parser.add_argument("--since", type=_date, metavar="DATE",
                        help="only look at records updated since DATE (overrides stored watermarks)")
    parser.add_argument("--list", action="store_true", help="list the spiders and exit")
    parser.add_argument("--cache", action="store_true",
                        help="use the RFC2616 HTTP cache in .scrapy/httpcache (development)")
    parser.add_argument("--crawl-dir", metavar="DIR",
                        help="where the crawled store lives (default: data/crawled or $LAWTRACKER_CRAWL_DIR)")
    parser.add_argument("--sources", metavar="FILE", help="crawl registry (default: data/sources.yml)")
    parser.add_argument("-s", "--set", type=_pair, action="append", default=[], metavar="NAME=VALUE",
                        help="override a Scrapy setting")
    parser.add_argument("-a", "--arg", type=_pair, action="append", default=[], metavar="NAME=VALUE",
                        help="spider argument, passed to every spider run")
    parser.add_argument("--log-level", default=None, help="DEBUG, INFO (default), WARNING, ERROR")


def _settings(args):
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "scrapers.settings")
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    if args.crawl_dir:
        settings.set("LAWTRACKER_CRAWL_DIR", os.path.abspath(args.crawl_dir), priority="cmdline")
    if args.sources:
        settings.set("LAWTRACKER_SOURCES", os.path.abspath(args.sources), priority="cmdline")
    if args.since:
        settings.set("LAWTRACKER_SINCE", args.since, priority="cmdline")
    if args.cache:
        settings.set("HTTPCACHE_ENABLED", True, priority="cmdline")
    if args.log_level:
        settings.set("LOG_LEVEL", args.log_level.upper(), priority="cmdline")
    for k, v in args.set:
        settings.set(k, v, priority="cmdline")
    return settings


def run(args) -> int:
    settings = _settings(args)
    from scrapy.spiderloader import SpiderLoader

    loader = SpiderLoader.from_settings(settings)
    available = sorted(loader.list())
    if args.list:
        for name in available:
            doc = (loader.load(name).__module__ and sys.modules[loader.load(name).__module__].__doc__) or ""
            print(f"{name:16} {doc.strip().splitlines()[0] if doc.strip() else ''}")
        return 0
    names = args.spiders or available
    unknown = [n for n in names if n not in available]
    if unknown:
        print(f"lawtracker crawl: unknown spider(s): {', '.join(unknown)} "
              f"(available: {', '.join(available)})", file=sys.stderr)
        return 2
    spider_args = dict(args.arg)
    to_run, skipped = [], []
    for name in names:
        cls = loader.load(name)
        msg = cls.missing_api_key(**spider_args) if hasattr(cls, "missing_api_key") else None
        if msg:
            print(msg)
            skipped.append(name)
        else:
            to_run.append(cls)
    if not to_run:
        print("nothing to crawl")
        return 0

    import logging

    from scrapy.crawler import AsyncCrawlerProcess

    root = logging.getLogger()
    # `lawtracker` may already have configured logging: then keep its handler (no duplicate
    # lines) and only apply the crawl's log level.
    own_handler = not root.handlers
    if not own_handler:
        root.setLevel(settings.get("LOG_LEVEL", "INFO"))
    process = AsyncCrawlerProcess(settings, install_root_handler=own_handler)
    crawlers = []
    for cls in to_run:
        crawler = process.create_crawler(cls)
        crawlers.append(crawler)
        process.crawl(crawler, **spider_args)
    process.start()

    from scrapers.monitors import summary

    print()
    print(f"{'spider':16} {'requests':>8} {'items':>6} {'new':>5} {'changed':>7} {'errors':>6}")
    failed = False
    for crawler in crawlers:
        s = summary(crawler.stats.get_stats())
        failed = failed or s["errors"] > 0
        print(f"{crawler.spidercls.name:16} {s['requests']:>8} {s['items']:>6} {s['new']:>5} "
              f"{s['changed']:>7} {s['errors']:>6}")
    for name in skipped:
        print(f"{name:16} skipped (no API key)")
    return 1 if failed else 0
