"""Australian Commonwealth statutes via the Federal Register of Legislation (FRL).

The FRL website is a JavaScript application, so the spider reads the data behind it:

1. ``GET https://api.prod.legislation.gov.au/v1/Versions?$filter=titleId eq '<id>' and
   isLatest eq true`` (keyless OData) gives the latest registered compilation. Its register
   id goes into state.json, so a new compilation is noticed and logged.
2. ``GET https://www.legislation.gov.au/<id>/latest/latest/text/latest/epub/OEBPS/document.ncx``
   is the table of contents of the compilation's ePub. The server hands out single ePub
   members, so the whole zip is never downloaded. Each ``navPoint`` label
   ("473.1  Definitions") points into one volume's HTML.
3. ``GET .../epub/OEBPS/document_N/document_N.html`` is fetched once per volume that holds
   a cited section. A section runs from its ``ActHead5`` heading paragraph to the next
   ``ActHead*`` paragraph.

The provisions come from data/sources.yml (spider au_legislation, title_id, section).
Bills are not on this register (see docs/scrapers.md).
"""
from __future__ import annotations

import re
from urllib.parse import quote

from lxml import html as lxml_html

from scrapers.base import LawSpider
from scrapers.items import ProvisionItem
from scrapers.text import clean_text

API = "https://api.prod.legislation.gov.au/v1"
SITE = "https://www.legislation.gov.au"
NCX = "{http://www.daisy.org/z3986/2005/ncx/}"
HEAD_RX = re.compile(r"ActHead\d")


def epub_base(title_id: str) -> str:
    return f"{SITE}/{title_id}/latest/latest/text/latest/epub/OEBPS/"


def label_matches(label: str | None, section: str) -> bool:
    label = clean_text(label) or ""
    return label == section or label.startswith(section + " ")


def sections_in_ncx(root, sections) -> dict[str, str]:
    """section number -> volume file (e.g. 'document_2/document_2.html') from document.ncx."""
    found = {}
    for nav in root.iter(f"{NCX}navPoint"):
        label = nav.findtext(f"{NCX}navLabel/{NCX}text")
        content = nav.find(f"{NCX}content")
        if content is None:
            continue
        for s in sections:
            if s not in found and label_matches(label, s):
                found[s] = content.get("src", "").split("#", 1)[0]
    return found


def section_from_html(doc, section: str):
    """(heading, text) of a section in an FRL compilation volume (ePub XHTML)."""
    for h in doc.xpath('//p[starts-with(@class,"ActHead5")]'):
        label = clean_text(h.text_content()) or ""
        if label_matches(label, section):
            heading = clean_text(label[len(section):]) or None
            pieces = []
            for sib in h.itersiblings():
                if HEAD_RX.match(sib.get("class") or ""):
                    break
                pieces.append(sib.text_content())
            return heading, clean_text(" ".join(pieces))
    return None, None


class AuLegislationSpider(LawSpider):
    name = "au_legislation"
    official_domains = ["api.prod.legislation.gov.au", "www.legislation.gov.au"]
    custom_settings = {"DOWNLOAD_DELAY": 1.5}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.known: dict = {}

    async def start(self):
        by_title: dict[str, list] = {}
        for p in self.provision_sources():
            by_title.setdefault(p["title_id"], []).append(p)
        self.known.update(self.load_state().get("latest_versions", {}))
        for title_id, entries in sorted(by_title.items()):
            flt = quote(f"titleId eq '{title_id}' and isLatest eq true")
            url = f"{API}/Versions?$filter={flt}"
            yield self.request(self.url(url), self.parse_versions,
                               cb_kwargs={"title_id": title_id, "entries": entries})

    def parse_versions(self, response, title_id, entries):
        data, values = self.json_list(response, "value")
        if values is None:
            return
        values = [v for v in values if v.get("registerId")]
        if not values:
            self.report_error(f"no registered version for title {title_id}", response.url)
            return
        v = max(values, key=lambda x: x.get("start") or "")
        register_id = v["registerId"]
        start = (v.get("start") or "")[:10] or None
        previous = self.known.get(title_id, {}).get("registerId")
        if previous and previous != register_id:
            self.logger.info("%s: new compilation of %s: %s (in force from %s; was %s)",
                             self.name, title_id, register_id, start, previous)
        self.state_updates.setdefault("latest_versions", {})[title_id] = {
            "registerId": register_id, "start": start}
        yield self.request(self.url(epub_base(title_id) + "document.ncx"), self.parse_ncx,
                           cb_kwargs={"title_id": title_id, "entries": entries, "start": start,
                                      "register_id": register_id})

    def parse_ncx(self, response, title_id, entries, start, register_id):
        root = self.xml_or_none(response)
        if root is None:
            return
        wanted = [str(e["section"]) for e in entries]
        where = sections_in_ncx(root, wanted)
        for s in wanted:
            if s not in where:
                self.report_error(f"section {s} not in the table of contents of {register_id}", response.url)
        by_volume: dict[str, list] = {}
        for e in entries:
            vol = where.get(str(e["section"]))
            if vol:
                by_volume.setdefault(vol, []).append(e)
        for vol, vol_entries in sorted(by_volume.items()):
            yield self.request(self.url(epub_base(title_id) + vol), self.parse_text,
                               cb_kwargs={"entries": vol_entries, "start": start, "register_id": register_id})

    def parse_text(self, response, entries, start, register_id):
        if self.is_challenge(response) or self.is_empty(response):
            return
        try:
            doc = lxml_html.fromstring(response.body)
        except Exception as exc:  # lxml raises ParserError on garbage ("Document is empty")
            self.report_error(f"malformed HTML ({exc})", response.url)
            return
        for e in entries:
            heading, text = section_from_html(doc, str(e["section"]))
            if not text:
                self.report_error(f"section {e['section']} not found in {register_id}", response.url)
                continue
            yield ProvisionItem(id=e["id"], url=e.get("url") or response.url, citation=e.get("citation"),
                                heading=heading, language="en", text=text, source_modified=start)
