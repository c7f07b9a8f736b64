"""US state bills from the Open States API v3 (key in OPENSTATES_API_KEY).

For each state and query in data/sources.yml (discovery.openstates):
``GET /bills?jurisdiction=<st>&q=<query>&sort=updated_asc&updated_since=<watermark>
&include=actions&include=versions&include=sources&include=abstracts&per_page=20&page=N``.
Sorted oldest-updated first, so after every page the sweep's cursor (the last
``updated_at`` seen) is a safe resume point: a sweep cut short by the quota (429)
resumes there next time. The default quota is 10 requests/minute, so requests are
spaced 6.5 s apart on this host.
"""
from __future__ import annotations

import re
from urllib.parse import urlencode

from scrapers.actions import classify_openstates
from scrapers.base import LawSpider
from scrapers.hosts import is_official_url
from scrapers.items import BillEventItem, BillItem, DocumentItem
from scrapers.text import compact_identifier

API = "https://v3.openstates.org"
DEFAULT_QUERIES = ['"child sexual abuse material"', '"child pornography" AND "artificial intelligence"',
                   'deepfake AND minor', '"computer-generated" AND "child"']
ORG_CHAMBER = {"lower": "lower", "upper": "upper", "legislature": "legislature",
               "executive": "executive"}


def jurisdiction_code(j) -> str | None:
    """Open States jurisdiction -> ISO 3166-2 code ('US-CA')."""
    if isinstance(j, dict):
        ocd = j.get("id") or ""
    else:
        ocd = j or ""
    for part in ocd.split("/"):
        if part.startswith(("state:", "district:", "territory:")):
            return "US-" + part.split(":", 1)[1].upper()
    return None


def normalise_session(session: str, overrides: dict | None = None) -> str:
    """Open States session identifiers -> the session part of our bill ids, matching the
    curated files: '20232024' -> '2023-2024', '2025_26' -> '2025-2026', '103rd' -> '103',
    '2024RS' -> '2024rs'. ``overrides`` (data/sources.yml) maps anything else."""
    s = str(session or "").strip()
    if overrides and s in overrides:
        return str(overrides[s])
    m = re.fullmatch(r"(\d{4})(\d{4})", s)
    if m and int(m[2]) == int(m[1]) + 1:
        return f"{m[1]}-{m[2]}"
    m = re.fullmatch(r"(\d{4})[_-](\d{2})", s)
    if m:
        return f"{m[1]}-{m[1][:2]}{m[2]}"
    m = re.fullmatch(r"(\d+)(?:st|nd|rd|th)", s, re.I)
    if m:
        return m[1]
    return re.sub(r"[^a-z0-9.\-]+", "-", s.lower()).strip("-")


def parse_bill(b: dict, session_overrides: dict | None = None):
    """(bill, events, documents) from one Open States bill object."""
    jur = jurisdiction_code(b.get("jurisdiction"))
    overrides = (session_overrides or {}).get((jur or "").split("-")[-1].lower())
    session = normalise_session(b.get("session"), overrides)
    ident = b.get("identifier") or ""
    if not (jur and session and ident):
        return None, [], []
    bill_id = f"{jur}/{session}/{compact_identifier(ident)}"
    sources = [s.get("url") for s in b.get("sources") or [] if s.get("url")]
    official = next((u for u in sources if is_official_url(u)), None)
    abstracts = [a.get("abstract") for a in b.get("abstracts") or [] if a.get("abstract")]
    bill = BillItem(
        id=bill_id, jurisdiction=jur, session=session, identifier=ident, title=b.get("title"),
        url=official or b.get("openstates_url"), introduced=b.get("first_action_date"),
        source_id=b.get("id"), summary=abstracts[0] if abstracts else None,
        text_for_matching=" ".join(b.get("subject") or []))
    events = []
    for i, a in enumerate(b.get("actions") or []):
        org = (a.get("organization") or {}).get("classification")
        events.append(BillEventItem(
            bill_id=bill_id, date=(a.get("date") or "")[:10] or None,
            order=a.get("order") if a.get("order") is not None else i,
            classification=classify_openstates(a.get("classification"), a.get("description")),
            chamber=ORG_CHAMBER.get(org), text=a.get("description"),
            source_url=official or bill.url))
    docs = []
    for v in b.get("versions") or []:
        for link in v.get("links") or []:
            if link.get("url"):
                docs.append(DocumentItem(bill_id=bill_id, title=v.get("note"), date=v.get("date"),
                                         url=link["url"], media_type=link.get("media_type")))
    return bill, events, docs


class OpenStatesSpider(LawSpider):
    name = "openstates"
    official_domains = ["v3.openstates.org"]
    api_key_env = "OPENSTATES_API_KEY"
    api_key_help = "free key: https://open.pluralpolicy.com/accounts/profile/"
    custom_settings = {"DOWNLOAD_DELAY": 6.5, "RANDOMIZE_DOWNLOAD_DELAY": False,
                       "CONCURRENT_REQUESTS_PER_DOMAIN": 1, "RETRY_BACKOFF_BASE": 30.0}

    def bills_url(self, state: str, query: str, since: str | None, page: int) -> str:
        params = [("jurisdiction", state), ("q", query), ("sort", "updated_asc"),
                  ("per_page", 20), ("page", page)]
        if since:
            params.append(("updated_since", since))
        params += [("include", x) for x in ("actions", "versions", "sources", "abstracts")]
        return self.url(f"{API}/bills?{urlencode(params)}")

    async def start(self):
        if not self.api_key:
            self.logger.error("%s", self.missing_api_key())
            return
        disc = self.discovery()
        states = disc.get("jurisdictions") or []
        queries = disc.get("queries") or DEFAULT_QUERIES
        sweeps = self.load_state().get("sweeps", {})
        if not states:
            self.logger.warning("%s: no jurisdictions in discovery.openstates", self.name)
        for st in states:
            for q in queries:
                key = f"{st}|{q}"
                since = self.since or (sweeps.get(key) or {}).get("updated_since")
                yield self.request(self.bills_url(st, q, since, 1), self.parse_bills,
                                   headers={"X-API-KEY": self.api_key},
                                   cb_kwargs={"key": key, "state": st, "query": q, "since": since,
                                              "page": 1})

    def parse_bills(self, response, key, state, query, since, page):
        data, results = self.json_list(response, "results")
        if results is None:
            return
        if not results and page == 1:
            self.logger.info("%s: no bills for %s %s since %s", self.name, state, query, since)
        for b in results:
            bill, events, docs = parse_bill(b, self.discovery().get("session_overrides"))
            if bill is None:
                self.logger.warning("%s: bill without jurisdiction/session/identifier skipped", self.name)
                continue
            yield bill
            yield from events
            yield from docs
        # resume point: everything up to the last updated_at of this page is held
        stamps = [b.get("updated_at") for b in results if b.get("updated_at")]
        if stamps:
            self.state_updates.setdefault("sweeps", {})[key] = {"updated_since": max(stamps)}
        pag = data.get("pagination") or {}
        if page < (pag.get("max_page") or 1):
            yield self.request(self.bills_url(state, query, since, page + 1), self.parse_bills,
                               headers={"X-API-KEY": self.api_key},
                               cb_kwargs={"key": key, "state": state, "query": query,
                                          "since": since, "page": page + 1})
