"""Item pipelines: validate + normalise (drop bad items with a logged reason), then
merge into the crawled store and write it atomically at the end of the crawl."""
from __future__ import annotations

import datetime as dt
import logging

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from scrapers.actions import CHAMBERS, CLASSIFICATIONS, classify_action
from scrapers.items import BillEventItem, BillItem, DocumentItem, ProvisionItem
from scrapers.keywords import match_terms
from scrapers.store import SpiderStore, StoreError, deep_merge
from scrapers.text import (BILL_ID, PROVISION_ID, clean_text, normalise_provision_text,
                           strip_tags, to_iso_date, utc_now_iso)

logger = logging.getLogger(__name__)

MIN_PROVISION_CHARS = 20


def _http_url(value) -> bool:
    return isinstance(value, str) and value.startswith(("http://", "https://"))


class ValidatePipeline:
    """Normalise whitespace, dates and ids; fill computed fields; drop what is invalid."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    @property
    def spider_name(self):
        return self.crawler.spider.name if self.crawler.spider else None

    def drop(self, reason: str):
        self.crawler.stats.inc_value("lawtracker/dropped")
        raise DropItem(reason)

    def process_item(self, item):
        try:
            if isinstance(item, ProvisionItem):
                return self.provision(item)
            if isinstance(item, BillItem):
                return self.bill(item)
            if isinstance(item, BillEventItem):
                return self.event(item)
            if isinstance(item, DocumentItem):
                return self.document(item)
        except (TypeError, AttributeError, ValueError) as exc:  # a field of the wrong type
            self.drop(f"{type(item).__name__}: invalid field ({type(exc).__name__}: {str(exc)[:80]})")
        self.drop(f"unknown item type {type(item).__name__}")

    def provision(self, item: ProvisionItem):
        if not item.id or not PROVISION_ID.match(item.id):
            self.drop(f"provision: bad id {item.id!r}")
        item.text = normalise_provision_text(item.text)
        if not item.text or len(item.text) < MIN_PROVISION_CHARS:
            self.drop(f"provision {item.id}: empty or too short text ({len(item.text or '')} chars)")
        if not _http_url(item.url):
            self.drop(f"provision {item.id}: bad url {item.url!r}")
        item.heading = clean_text(item.heading) or None
        item.citation = clean_text(item.citation) or None
        item.language = (item.language or "en").lower()
        item.source_modified = to_iso_date(item.source_modified)
        effects = []
        for e in item.unapplied_effects or []:
            e = clean_text(e)
            if e and e not in effects:
                effects.append(e)
        item.unapplied_effects = effects
        item.retrieved = item.retrieved or utc_now_iso()
        item.spider = item.spider or self.spider_name
        return item

    def bill(self, item: BillItem):
        if not item.id or not BILL_ID.match(item.id):
            self.drop(f"bill: bad id {item.id!r}")
        item.title = clean_text(item.title)
        if not item.title:
            self.drop(f"bill {item.id}: no title")
        item.summary = strip_tags(item.summary) or None
        item.identifier = clean_text(item.identifier) or None
        item.introduced = to_iso_date(item.introduced)
        if item.url is not None and not _http_url(item.url):
            self.drop(f"bill {item.id}: bad url {item.url!r}")
        item.jurisdiction = item.jurisdiction or item.id.split("/", 1)[0]
        item.session = item.session or item.id.split("/")[1]
        candidate, terms = match_terms(item.title, item.summary, item.text_for_matching)
        item.candidate = candidate
        item.matched_terms = terms
        item.retrieved = item.retrieved or utc_now_iso()
        item.spider = item.spider or self.spider_name
        return item

    def event(self, item: BillEventItem):
        if not item.bill_id or not BILL_ID.match(item.bill_id):
            self.drop(f"event: bad bill id {item.bill_id!r}")
        item.text = clean_text(item.text)
        if not item.text:
            self.drop(f"event of {item.bill_id}: no text")
        item.date = to_iso_date(item.date)
        if not item.date:
            self.drop(f"event of {item.bill_id}: no date ({item.text[:60]!r})")
        if item.classification not in CLASSIFICATIONS:
            item.classification = classify_action(item.text)
        tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
        if item.date > tomorrow and item.classification != "in-force":
            self.drop(f"event of {item.bill_id}: date {item.date} is in the future")
        if item.chamber not in CHAMBERS:
            item.chamber = None
        try:
            item.order = int(item.order) if item.order is not None else 0
        except (TypeError, ValueError):
            item.order = 0
        if item.source_url is not None and not _http_url(item.source_url):
            item.source_url = None
        return item

    def document(self, item: DocumentItem):
        if not item.bill_id or not BILL_ID.match(item.bill_id):
            self.drop(f"document: bad bill id {item.bill_id!r}")
        if not _http_url(item.url):
            self.drop(f"document of {item.bill_id}: bad url {item.url!r}")
        item.title = clean_text(item.title) or None
        item.date = to_iso_date(item.date)
        item.media_type = clean_text(item.media_type) or None
        return item


class StorePipeline:
    """Collect validated items; at the end merge them into data/crawled/<spider>/.

    Bills that are neither candidates (AI + CSAM terms) nor tracked in
    data/sources.yml nor already held are not stored (nor their events/documents).
    Watermarks the spider put in ``spider.state_updates`` go to state.json.
    """

    def __init__(self, crawler):
        self.crawler = crawler
        self.root = crawler.settings.get("LAWTRACKER_CRAWL_DIR")
        self.items: list = []

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self, spider=None):
        self.items = []
        self.detected = utc_now_iso()

    def process_item(self, item):
        self.items.append(item)
        return item

    def close_spider(self, spider=None):
        spider = spider or self.crawler.spider
        stats = self.crawler.stats
        store = SpiderStore(self.root, spider.name)
        try:
            store.load()
        except StoreError as exc:
            logger.error("crawled store not written: %s", exc, extra={"spider": spider})
            stats.inc_value("lawtracker/store_errors")
            return
        try:
            self._merge_and_save(spider, store, stats)
        except (TypeError, AttributeError, ValueError, KeyError) as exc:
            # a held line of an unexpected shape: render() runs before any write, so
            # nothing was written; the folder stays as it was
            logger.error("crawled store not written: %s: held data of an unexpected shape (%s: %s)",
                         store.dir, type(exc).__name__, str(exc)[:120], extra={"spider": spider})
            stats.inc_value("lawtracker/store_errors")

    def _merge_and_save(self, spider, store, stats):
        counts = {"new": 0, "changed": 0}
        bills = [i for i in self.items if isinstance(i, BillItem)]
        keep_bills = set(store.bills)
        for b in bills:
            if b.candidate or b.tracked:
                keep_bills.add(b.id)
        skipped = {b.id for b in bills} - keep_bills
        if skipped:
            logger.info("%d bill(s) not stored: not candidates and not tracked: %s",
                        len(skipped), ", ".join(sorted(skipped)[:10]))
            stats.set_value("lawtracker/not_candidates", len(skipped))
        for item in self.items:
            a = ItemAdapter(item).asdict()
            if isinstance(item, ProvisionItem):
                r = store.merge_provision(a, self.detected)
                if r in counts:
                    counts[r] += 1
            elif isinstance(item, BillEventItem) and item.bill_id in keep_bills:
                if store.merge_event(a):
                    stats.inc_value("lawtracker/new_events")
            elif isinstance(item, DocumentItem) and item.bill_id in keep_bills:
                store.merge_document(a)
        seen = set()
        for b in reversed(bills):  # the last item for a bill wins
            if b.id in keep_bills and b.id not in seen:
                seen.add(b.id)
                r = store.merge_bill(ItemAdapter(b).asdict(), self.detected)
                if r in counts:
                    counts[r] += 1
        final = getattr(spider, "final_state_updates", None)
        updates = final() if callable(final) else getattr(spider, "state_updates", None)
        if updates:
            deep_merge(store.state, updates)
        written = store.save()
        stats.set_value("lawtracker/new", counts["new"])
        stats.set_value("lawtracker/changed", counts["changed"])
        if written:
            logger.info("crawled store %s: wrote %s", store.dir, ", ".join(written))
        else:
            logger.info("crawled store %s: no change", store.dir)
