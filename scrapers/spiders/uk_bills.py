"""UK Parliament Bills API: keyword discovery, bill detail, stages (status history)
and publications (texts).

Discovery: ``GET /api/v1/Bills?SearchTerm=<term>&SortOrder=DateUpdatedDescending&Skip=&Take=``
for each term in data/sources.yml (discovery.uk_bills.search_terms), newest-updated
first, stopping at the stored ``lastUpdate`` watermark of that term (or --since).
Tracked bills (bills: spider uk_bills, source_id) are always fetched.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlencode

from scrapers.actions import classify_uk_stage
from scrapers.base import LawSpider
from scrapers.items import BillEventItem, BillItem, DocumentItem
from scrapers.keywords import SEARCH_QUERIES_EN
from scrapers.text import slugify, to_iso_date

API = "https://bills-api.parliament.uk/api/v1"
PAGE = 20

#: Bills API session ids -> session names used in bill ids (GB/<session>/<slug>).
#: Unknown ids fall back to "s<id>"; extend as new sessions open.
SESSIONS = {
    35: "2019-21", 36: "2021-22", 37: "2022-23", 38: "2023-24", 39: "2024-26",
}

HOUSE_CHAMBER = {"commons": "lower", "lords": "upper"}


def lastupdate_key(value: str | None) -> str:
    """'2021-05-04T10:42:08.0579851' -> '2021-05-04T10:42:08' (7-digit fractions dropped)."""
    return (value or "")[:19]


def bill_id_for(detail: dict) -> str:
    session = SESSIONS.get(detail.get("introducedSessionId"), f"s{detail.get('introducedSessionId')}")
    return f"GB/{session}/{slugify(detail.get('shortTitle') or str(detail.get('billId')))}"


class UkBillsSpider(LawSpider):
    name = "uk_bills"
    official_domains = ["bills-api.parliament.uk", "bills.parliament.uk"]
    custom_settings = {"DOWNLOAD_DELAY": 1.0}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.watermarks: dict = {}
        self.seen_bills: set = set()
        self.tracked_ids: set = set()
        self.tracked_bill_ids: set = set()
        # term -> oldest lastUpdate among bills whose detail/stages could not be fetched
        self.failed: dict[str, str] = {}

    def search_url(self, term: str, skip: int = 0) -> str:
        q = urlencode({"SearchTerm": term, "SortOrder": "DateUpdatedDescending",
                       "Skip": skip, "Take": PAGE})
        return self.url(f"{API}/Bills?{q}")

    async def start(self):
        state = self.load_state()
        self.watermarks = dict(state.get("searches", {}))
        self.tracked_bill_ids = {b["id"] for b in self.tracked_bills() if b.get("id")}
        for b in self.tracked_bills():
            if not b.get("source_id"):
                continue  # tracked by id: found through the keyword searches
            bill_id = int(b["source_id"])
            self.tracked_ids.add(bill_id)
            self.seen_bills.add(bill_id)
            yield self.request(self.url(f"{API}/Bills/{bill_id}"), self.parse_bill,
                               cb_kwargs={"tracked": True})
        terms = self.discovery().get("search_terms") or SEARCH_QUERIES_EN
        for term in terms:
            yield self.request(self.search_url(term), self.parse_search,
                               cb_kwargs={"term": term, "skip": 0, "newest": None})

    def parse_search(self, response, term, skip, newest):
        data = self.json_or_none(response)
        if data is None:
            return
        if not isinstance(data, dict) or not isinstance(data.get("items"), list):
            self.report_error("unexpected JSON shape (no items[])", response.url)
            return
        items = data["items"]
        if not items and skip == 0:
            self.logger.warning("%s: no bills for search term %r", self.name, term)
        floor = lastupdate_key(self.watermarks.get(term) or "")
        if self.since:
            floor = max(floor, self.since)
        stop = False
        for it in items:
            lu = lastupdate_key(it.get("lastUpdate"))
            newest = max(newest or "", lu)
            if floor and lu and lu <= floor:
                stop = True  # sorted newest-updated first: the rest is already held
                break
            bid = it.get("billId")
            if bid is None or bid in self.seen_bills:
                continue
            self.seen_bills.add(bid)
            yield self.request(self.url(f"{API}/Bills/{bid}"), self.parse_bill,
                               cb_kwargs={"tracked": False}, errback=self.bill_failed,
                               meta={"term": term, "last_update": lu})
        total = data.get("totalResults") or 0
        if not stop and items and skip + len(items) < total:
            yield self.request(self.search_url(term, skip + PAGE), self.parse_search,
                               cb_kwargs={"term": term, "skip": skip + PAGE, "newest": newest})
        elif newest:
            # sweep of this term completed: advance its watermark
            self.state_updates.setdefault("searches", {})[term] = newest

    def bill_failed(self, failure):
        """Log the failure and hold that search term's watermark below this bill, so the
        next crawl fetches it again."""
        self.errback(failure)
        meta = failure.request.meta
        term, lu = meta.get("term"), meta.get("last_update")
        if term and lu:
            self.failed[term] = min(self.failed.get(term, lu), lu)

    def final_state_updates(self) -> dict:
        searches = dict(self.state_updates.get("searches", {}))
        for term, oldest_failed in self.failed.items():
            previous = self.watermarks.get(term)
            # just below the failed bill (ISO strings: drop the last second), never backwards
            held = (datetime.fromisoformat(oldest_failed) - timedelta(seconds=1)).isoformat()
            if previous and held < previous:
                held = previous
            if previous or term in searches:
                searches[term] = held
        out = dict(self.state_updates)
        if searches:
            out["searches"] = searches
        return out

    def parse_bill(self, response, tracked=False):
        d = self.json_or_none(response)
        if d is None:
            return
        if not isinstance(d, dict) or "billId" not in d:
            self.report_error("unexpected JSON shape (no billId)", response.url)
            return
        bid = d["billId"]
        bill = BillItem(
            id=bill_id_for(d), jurisdiction="GB",
            session=SESSIONS.get(d.get("introducedSessionId"), f"s{d.get('introducedSessionId')}"),
            identifier=d.get("shortTitle"), title=d.get("shortTitle"),
            url=f"https://bills.parliament.uk/bills/{bid}", source_id=str(bid),
            summary=d.get("summary") or d.get("longTitle"),
            text_for_matching=" ".join(filter(None, [d.get("longTitle"), d.get("formerShortTitle")])),
            tracked=tracked or bid in self.tracked_ids,
        )
        bill.tracked = bill.tracked or bill.id in self.tracked_bill_ids
        yield self.request(self.url(f"{API}/Bills/{bid}/Stages"), self.parse_stages,
                           cb_kwargs={"bill": bill, "detail": d}, errback=self.bill_failed,
                           meta={k: response.meta[k] for k in ("term", "last_update") if k in response.meta})

    def parse_stages(self, response, bill, detail):
        data = self.json_or_none(response)
        if data is None or not isinstance(data, dict) or not isinstance(data.get("items"), list):
            if data is not None:
                self.report_error("unexpected JSON shape (no items[])", response.url)
            return
        events = list(stage_events(data["items"], bill.id, bill.url))
        dates = [e.date for e in events if e.date and e.classification == "introduction"]
        bill.introduced = min(dates) if dates else None
        if detail.get("billWithdrawn"):
            events.append(BillEventItem(bill_id=bill.id, date=detail["billWithdrawn"], order=99999,
                                        classification="withdrawal", chamber=None,
                                        text="Bill withdrawn", source_url=bill.url))
        yield bill
        yield from events
        yield self.request(self.url(f"{API}/Bills/{bill.source_id}/Publications"),
                           self.parse_publications, cb_kwargs={"bill": bill})

    def parse_publications(self, response, bill):
        data, pubs = self.json_list(response, "publications")
        if pubs is None:
            return
        yield from publication_documents(pubs, bill.id)


def stage_events(stages: list, bill_id: str, source_url: str):
    for stage in stages:
        desc = stage.get("description") or ""
        house = (stage.get("house") or "").lower()
        chamber = HOUSE_CHAMBER.get(house, "legislature")
        cls = classify_uk_stage(desc)
        if cls == "became-law":
            chamber = "legislature"
        for i, sitting in enumerate(stage.get("stageSittings") or []):
            date = to_iso_date(sitting.get("date"))
            if not date:
                continue
            house_name = stage.get("house") if house in HOUSE_CHAMBER else None
            text = f"{desc} ({house_name})" if house_name else desc
            yield BillEventItem(bill_id=bill_id, date=date,
                                order=int(stage.get("sortOrder") or 0) * 100 + i,
                                classification=cls, chamber=chamber, text=text,
                                source_url=source_url)


def publication_documents(pubs: list, bill_id: str):
    for pub in pubs:
        ptype = (pub.get("publicationType") or {}).get("name")
        for link in pub.get("links") or []:
            title = link.get("title") or pub.get("title")
            yield DocumentItem(bill_id=bill_id, title=f"{title} ({ptype})" if ptype else title,
                               date=pub.get("displayDate"), url=link.get("url"),
                               media_type=link.get("contentType"))
        for f in pub.get("files") or []:
            if f.get("id") is None or pub.get("id") is None:
                continue
            yield DocumentItem(
                bill_id=bill_id, title=f.get("filename") or pub.get("title"),
                date=pub.get("displayDate"),
                url=f"{API}/Publications/{pub['id']}/Documents/{f['id']}/Download",
                media_type=f.get("contentType"))
