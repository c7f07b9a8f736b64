"""End-of-crawl report: one summary line per spider (requests, items, new, changed,
errors), kept in the stats for `lawtracker crawl`.

Several spiders can run in one process and Scrapy's ``log_count/ERROR`` counts the
errors of all of them, so this extension counts the ERROR records that carry *this*
crawler's spider (Scrapy and our spiders log with ``extra={"spider": ...}``) into
``lawtracker/errors_logged``.
"""
import logging

from scrapy import signals

logger = logging.getLogger(__name__)


def summary(stats: dict) -> dict:
    return {
        "requests": stats.get("downloader/request_count", 0),
        "items": stats.get("item_scraped_count", 0),
        "new": stats.get("lawtracker/new", 0),
        "changed": stats.get("lawtracker/changed", 0),
        "errors": stats.get("lawtracker/errors_logged", 0),
        "dropped": stats.get("item_dropped_count", 0),
    }


class _SpiderErrorCounter(logging.Handler):
    def __init__(self, crawler):
        super().__init__(level=logging.ERROR)
        self.crawler = crawler

    def emit(self, record):
        spider = getattr(record, "spider", None)
        if spider is not None and spider is self.crawler.spider:
            self.crawler.stats.inc_value("lawtracker/errors_logged")


class CrawlReport:
    def __init__(self, crawler):
        self.crawler = crawler
        self.handler = _SpiderErrorCounter(crawler)

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider):
        self.crawler.stats.set_value("lawtracker/errors_logged", 0)
        logging.getLogger().addHandler(self.handler)

    def spider_closed(self, spider, reason):
        s = summary(self.crawler.stats.get_stats())
        logger.info("%s finished (%s): %d requests, %d items, %d new, %d changed, %d errors",
                    spider.name, reason, s["requests"], s["items"], s["new"], s["changed"],
                    s["errors"], extra={"spider": spider})
        logging.getLogger().removeHandler(self.handler)
