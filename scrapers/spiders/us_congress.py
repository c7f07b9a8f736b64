"""US federal bills: Congress.gov API v3 (bills, actions, text versions; key in
CONGRESS_GOV_API_KEY), with govinfo for discovery (the Congress.gov API has no
keyword search) and govinfo BILLSTATUS bulk XML (2022+ and older layouts).

Requests per run:
- discovery: govinfo ``POST /search`` (collection:BILLS, AI + CSAM phrases) and a sweep of
  ``/v3/bill/{congress}?fromDateTime=<watermark>&sort=updateDate+desc`` filtered locally on titles;
- tracked bills from data/sources.yml (bills: spider us_congress, id US/119/s1829);
- per bill: detail, actions, text versions. When Congress.gov fails for a bill
  (429/5xx after retries), its BILLSTATUS XML from govinfo bulk data is used instead.
``-a source=billstatus`` reads tracked bills from BILLSTATUS only (no key needed).
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import replace
from urllib.parse import urlencode

import scrapy

from scrapers.actions import classify_congress
from scrapers.base import LawSpider
from scrapers.items import BillEventItem, BillItem, DocumentItem
from scrapers.keywords import match_terms

API = "https://api.congress.gov/v3"
GOVINFO_API = "https://api.govinfo.gov"
BULK = "https://www.govinfo.gov/bulkdata/BILLSTATUS"

TYPE_LABEL = {"hr": "H.R.", "s": "S.", "hjres": "H.J.Res.", "sjres": "S.J.Res.",
              "hconres": "H.Con.Res.", "sconres": "S.Con.Res.", "hres": "H.Res.", "sres": "S.Res."}
TYPE_SLUG = {"hr": "house-bill", "s": "senate-bill", "hjres": "house-joint-resolution",
             "sjres": "senate-joint-resolution", "hconres": "house-concurrent-resolution",
             "sconres": "senate-concurrent-resolution", "hres": "house-resolution",
             "sres": "senate-resolution"}
PACKAGE_RX = re.compile(r"BILLS-(\d+)(hr|s|hjres|sjres|hconres|sconres|hres|sres)(\d+)", re.I)
BILL_ID_RX = re.compile(r"^US/(\d+)/(hr|s|hjres|sjres|hconres|sconres|hres|sres)(\d+)$")

GOVINFO_PAGE = 100
GOVINFO_QUERY = ('collection:BILLS AND congress:{congress} AND '
                 '("artificial intelligence" OR "computer-generated" OR "AI-generated" OR deepfake) AND '
                 '("child sexual abuse material" OR "child pornography" OR "sexual exploitation of children" '
                 'OR "obscene visual representation")')


def ordinal(n: int) -> str:
    if 10 <= n % 100 <= 20:
        suf = "th"
    else:
        suf = {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suf}"


def bill_ids(congress, btype, number) -> dict:
    btype = str(btype).lower()
    congress = int(congress)
    return {
        "id": f"US/{congress}/{btype}{number}",
        "session": str(congress),
        "identifier": f"{TYPE_LABEL.get(btype, btype.upper())} {number}",
        "url": f"https://www.congress.gov/bill/{ordinal(congress)}-congress/{TYPE_SLUG.get(btype, btype)}/{number}",
        "source_id": f"{congress}/{btype}/{number}",
    }


def chamber_of(source_name: str | None, action_type: str | None = None) -> str | None:
    s = (source_name or "").lower()
    if "house" in s:
        return "lower"
    if "senate" in s:
        return "upper"
    if (action_type or "") == "President":
        return "executive"
    return None


def congress_events(actions: list, bill_id: str, source_url: str):
    """Events from Congress.gov ``actions[]`` or BILLSTATUS ``actions/item`` dicts (newest first)."""
    n = len(actions)
    for i, a in enumerate(actions):
        text = a.get("text")
        src = a.get("sourceSystem") or {}
        yield BillEventItem(
            bill_id=bill_id, date=a.get("actionDate"), order=n - i,
            classification=classify_congress(a.get("actionCode"), text),
            chamber=chamber_of(src.get("name"), a.get("type")), text=text, source_url=source_url)


# -- BILLSTATUS XML (both layouts) ---------------------------------------------------
def _t(el, path):
    v = el.findtext(path)
    return v.strip() if v and v.strip() else None


def parse_billstatus(root) -> tuple[BillItem | None, list, list]:
    """(bill, events, documents) from a BILLSTATUS document.

    2022+ layout (version 3.0.0): bill/number, bill/type, summaries/summary.
    Older layout: bill/billNumber, bill/billType, summaries/billSummaries/item.
    """
    bill = root.find("bill")
    if bill is None:
        return None, [], []
    number = _t(bill, "number") or _t(bill, "billNumber")
    btype = _t(bill, "type") or _t(bill, "billType")
    congress = _t(bill, "congress")
    if not (number and btype and congress):
        return None, [], []
    ids = bill_ids(congress, btype, number)
    summaries = bill.findall("summaries/summary") or bill.findall("summaries/billSummaries/item")
    summary = None
    if summaries:
        latest = max(summaries, key=lambda s: (_t(s, "actionDate") or "", _t(s, "updateDate") or ""))
        summary = _t(latest, "text")
    policy = _t(bill, "policyArea/name")
    item = BillItem(jurisdiction="US", title=_t(bill, "title"), introduced=_t(bill, "introducedDate"),
                    summary=summary, text_for_matching=policy, **ids)
    actions = []
    for a in bill.findall("actions/item"):
        actions.append({"actionDate": _t(a, "actionDate"), "text": _t(a, "text"),
                        "type": _t(a, "type"), "actionCode": _t(a, "actionCode"),
                        "sourceSystem": {"name": _t(a, "sourceSystem/name")}})
    events = list(congress_events(actions, ids["id"], ids["url"]))
    docs = []
    for tv in bill.findall("textVersions/item"):
        for f in tv.findall("formats/item"):
            url = _t(f, "url")
            if url:
                docs.append(DocumentItem(bill_id=ids["id"], title=_t(tv, "type"), date=_t(tv, "date"),
                                         url=url, media_type=media_type_of(url)))
    return item, events, docs


def media_type_of(url: str, label: str | None = None) -> str | None:
    u = url.lower()
    if u.endswith(".pdf") or (label or "").lower() == "pdf":
        return "application/pdf"
    if u.endswith(".xml") or "xml" in (label or "").lower():
        return "application/xml"
    if u.endswith((".htm", ".html")) or (label or "").lower() == "formatted text":
        return "text/html"
    return None


class UsCongressSpider(LawSpider):
    name = "us_congress"
    official_domains = ["api.congress.gov", "www.congress.gov", "api.govinfo.gov", "www.govinfo.gov"]
    api_key_env = "CONGRESS_GOV_API_KEY"
    api_key_help = "free api.data.gov key: https://api.congress.gov/sign-up/"
    custom_settings = {"DOWNLOAD_DELAY": 0.75}

    def __init__(self, *args, source: str = "api", congress: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.source = source
        self.congress = int(congress) if congress else None
        self.seen: set[str] = set()
        self.failed_bills: set[str] = set()

    @property
    def api_key(self):
        return os.environ.get("CONGRESS_GOV_API_KEY")

    @property
    def govinfo_key(self):
        return os.environ.get("GOVINFO_API_KEY") or os.environ.get("CONGRESS_GOV_API_KEY")

    def api(self, path: str, **params) -> str:
        params.setdefault("format", "json")
        return self.url(f"{API}{path}?{urlencode(params)}")

    def api_request(self, url, callback, **kw):
        headers = {"X-Api-Key": self.api_key} if self.api_key else {}
        return self.request(url, callback, headers=headers, **kw)

    def current_congress(self) -> int:
        import datetime as dt
        year = dt.date.today().year
        return self.congress or (year - 1789) // 2 + 1

    async def start(self):
        if self.source == "billstatus":
            for b in self.tracked_bills():
                m = BILL_ID_RX.match(b["id"])
                if m:
                    yield self.billstatus_request(*m.groups())
            return
        if not self.api_key:
            self.logger.error("%s", self.missing_api_key())
            return
        for b in self.tracked_bills():
            m = BILL_ID_RX.match(b["id"])
            if m:
                yield self.detail_request(*m.groups(), tracked=True)
        congress = self.current_congress()
        state = self.load_state()
        since = self.since or state.get("list_from")
        params = {"sort": "updateDate desc", "limit": 250}  # encoded as updateDate+desc
        if since:
            params["fromDateTime"] = f"{since[:10]}T00:00:00Z"
        yield self.api_request(self.api(f"/bill/{congress}", **params), self.parse_list,
                               cb_kwargs={"congress": congress})
        if self.govinfo_key:
            yield self.govinfo_search_request(congress, "*")

    # -- requests ----------------------------------------------------------------
    def govinfo_search_request(self, congress, offset_mark: str):
        body = {"query": GOVINFO_QUERY.format(congress=congress), "pageSize": GOVINFO_PAGE,
                "offsetMark": offset_mark, "sorts": [{"field": "lastModified", "sortOrder": "DESC"}]}
        return scrapy.Request(self.url(f"{GOVINFO_API}/search"), method="POST", body=json.dumps(body),
                              callback=self.parse_govinfo_search, errback=self.errback,
                              cb_kwargs={"congress": congress}, dont_filter=True,
                              headers={"Content-Type": "application/json", "X-Api-Key": self.govinfo_key})

    def detail_request(self, congress, btype, number, tracked=False):
        key = f"{congress}/{btype.lower()}/{number}"
        self.seen.add(key)
        return self.api_request(self.api(f"/bill/{congress}/{btype.lower()}/{number}"),
                                self.parse_bill,
                                cb_kwargs={"tracked": tracked},
                                errback=self.detail_failed,
                                meta={"bill": (str(congress), btype.lower(), str(number), tracked)})

    def billstatus_request(self, congress, btype, number, tracked=True):
        btype = btype.lower()
        url = self.url(f"{BULK}/{congress}/{btype}/BILLSTATUS-{congress}{btype}{number}.xml")
        return self.request(url, self.parse_billstatus, cb_kwargs={"tracked": tracked})

    def detail_failed(self, failure):
        self.errback(failure)
        congress, btype, number, tracked = failure.request.meta["bill"]
        self.failed_bills.add(f"{congress}/{btype}/{number}")
        self.logger.info("%s: falling back to govinfo BILLSTATUS for %s/%s/%s", self.name,
                         congress, btype, number)
        yield self.billstatus_request(congress, btype, number, tracked)

    # -- callbacks -----------------------------------------------------------------
    def parse_list(self, response, congress):
        data, bills = self.json_list(response, "bills")
        if bills is None:
            return
        if not bills:
            self.logger.warning("%s: no bills updated in this window", self.name)
        for b in bills:
            candidate, _ = match_terms(b.get("title"))
            key = f"{b.get('congress')}/{str(b.get('type', '')).lower()}/{b.get('number')}"
            if candidate and key not in self.seen:
                yield self.detail_request(b["congress"], str(b["type"]), b["number"])
        nxt = (data.get("pagination") or {}).get("next")
        if nxt:
            yield self.api_request(self.url(nxt), self.parse_list, cb_kwargs={"congress": congress})
        else:
            dates = [b.get("updateDate") for b in bills if b.get("updateDate")]
            if dates:
                self.state_updates["list_from"] = max(dates)[:10]

    def parse_govinfo_search(self, response, congress=None):
        data, results = self.json_list(response, "results")
        if results is None:
            return
        for r in results:
            m = PACKAGE_RX.search(r.get("packageId") or "")
            if not m:
                continue
            c, btype, number = m.groups()
            if f"{c}/{btype.lower()}/{number}" not in self.seen:
                yield self.detail_request(c, btype, number)
        mark = data.get("offsetMark")
        if mark and len(results) >= GOVINFO_PAGE and congress is not None:
            yield self.govinfo_search_request(congress, mark)

    def parse_bill(self, response, tracked=False):
        data = self.json_or_none(response)
        if data is None:
            return
        b = data.get("bill") if isinstance(data, dict) else None
        if not isinstance(b, dict) or not b.get("number"):
            self.report_error("unexpected JSON shape (no bill)", response.url)
            return
        ids = bill_ids(b["congress"], b["type"], b["number"])
        item = BillItem(jurisdiction="US", title=b.get("title"), introduced=b.get("introducedDate"),
                        text_for_matching=(b.get("policyArea") or {}).get("name"),
                        tracked=tracked, **ids)
        yield item
        if (b.get("actions") or {}).get("url"):
            yield self.api_request(self.url(b["actions"]["url"]), self.parse_actions,
                                   cb_kwargs={"bill_id": ids["id"], "page_url": ids["url"], "acc": []})
        if (b.get("textVersions") or {}).get("url"):
            yield self.api_request(self.url(b["textVersions"]["url"]), self.parse_text,
                                   cb_kwargs={"bill_id": ids["id"]})
        if (b.get("summaries") or {}).get("url") and (b["summaries"].get("count") or 0) > 0:
            # the CRS summary is part of what discovery matches on (the title alone often is not)
            yield self.api_request(self.url(b["summaries"]["url"]), self.parse_summaries,
                                   cb_kwargs={"bill": item})

    def parse_summaries(self, response, bill):
        data, summaries = self.json_list(response, "summaries")
        if summaries is None:
            return
        if not summaries:
            return
        latest = max(summaries, key=lambda x: (x.get("actionDate") or "", x.get("updateDate") or ""))
        if latest.get("text"):
            yield replace(bill, summary=latest["text"])

    def parse_actions(self, response, bill_id, page_url, acc):
        data, actions = self.json_list(response, "actions")
        if actions is None:
            return
        acc = acc + actions
        nxt = (data.get("pagination") or {}).get("next")
        if nxt:
            yield self.api_request(self.url(nxt), self.parse_actions,
                                   cb_kwargs={"bill_id": bill_id, "page_url": page_url, "acc": acc})
            return
        yield from congress_events(acc, bill_id, page_url)

    def parse_text(self, response, bill_id):
        data, versions = self.json_list(response, "textVersions")
        if versions is None:
            return
        for v in versions:
            for f in v.get("formats") or []:
                if f.get("url"):
                    yield DocumentItem(bill_id=bill_id, title=v.get("type"), date=v.get("date"),
                                       url=f["url"], media_type=media_type_of(f["url"], f.get("type")))

    def final_state_updates(self) -> dict:
        """The list watermark only moves when every bill of the sweep was read (directly or
        from BILLSTATUS), so a failed bill is looked at again next time."""
        out = dict(self.state_updates)
        if self.failed_bills:
            out.pop("list_from", None)
        return out

    def parse_billstatus(self, response, tracked=True):
        root = self.xml_or_none(response)
        if root is None:
            return
        bill, events, docs = parse_billstatus(root)
        if bill is None:
            self.report_error("not a BILLSTATUS document (no bill number/type/congress)", response.url)
            return
        bill.tracked = tracked
        self.failed_bills.discard(bill.source_id)  # the fallback worked
        yield bill
        yield from events
        yield from docs


def _missing_key(cls, **spider_args):
    if spider_args.get("source") == "billstatus":
        return None
    return LawSpider.missing_api_key.__func__(cls)


UsCongressSpider.missing_api_key = classmethod(_missing_key)
