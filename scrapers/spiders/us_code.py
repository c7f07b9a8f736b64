"""18 U.S.C. sections from the official US Code (Office of the Law Revision Counsel).

The OLRC publishes USLM XML only as whole-title downloads per release point. The
spider opens the download page (which also sets the JSESSIONID cookie the site
wants before a download), finds the current ``xml_usc18@<release>.zip`` link,
downloads it and stream-parses (lxml iterparse) only the sections listed in
data/sources.yml (spider: us_code, section: "2256"), by USLM ``identifier``
(``/us/usc/t18/s2256``). Notes and source credits are not part of the text.
"""
from __future__ import annotations

import io
import re
import zipfile

from lxml import etree

from scrapers.base import LawSpider, element_text, localname
from scrapers.items import ProvisionItem
from scrapers.text import clean_text

DOWNLOAD_PAGE = "https://uscode.house.gov/download/download.shtml"
ZIP_RX = re.compile(r"""href=["']([^"']*xml_usc18@([^"']+?)\.zip)["']""", re.I)
SKIP = {"notes", "note", "sourceCredit", "toc", "meta", "footnote"}
OWN = {"num", "heading"}  # the element's own number and heading are not part of its text
INLINE = {"i", "b", "inline", "ref", "date", "term", "span", "sup", "sub", "shortTitle", "quotedText"}


def iter_sections(stream, wanted: set[str]):
    """Yield (identifier, element) for USLM elements (sections, subsections, paragraphs...)
    whose identifier is in ``wanted``; top-level sections are freed once read."""
    ctx = etree.iterparse(stream, events=("end",), resolve_entities=False, no_network=True,
                          load_dtd=False, huge_tree=True, remove_comments=True)
    for _event, el in ctx:
        ident = el.get("identifier")
        if ident in wanted:
            yield ident, el
        if localname(el) != "section":
            continue
        # free memory of everything parsed so far (only top-level sections are kept)
        if el.getparent() is not None and localname(el.getparent()) in ("chapter", "subchapter", "part", "title"):
            el.clear()
            while el.getprevious() is not None:
                del el.getparent()[0]


def section_item(el, entry: dict, release: str | None, created: str | None) -> ProvisionItem:
    num = None
    for c in el:
        if localname(c) == "num":
            num = c.get("value") or (c.text or "").strip(" §.")
    heading = next((clean_text(element_text(c, (), INLINE)) for c in el if localname(c) == "heading"), None)
    text = " ".join(element_text(c, SKIP, INLINE) for c in el
                    if localname(c) not in SKIP and localname(c) not in OWN)
    return ProvisionItem(
        id=entry["id"], url=entry.get("url"),
        citation=entry.get("citation") or f"18 U.S.C. § {num or entry.get('section')}",
        heading=heading, language="en", text=text, source_modified=created,
    )


class UsCodeSpider(LawSpider):
    name = "us_code"
    official_domains = ["uscode.house.gov"]
    custom_settings = {"DOWNLOAD_DELAY": 2.0, "COOKIES_ENABLED": True}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.entries: dict[str, dict] = {}

    async def start(self):
        for e in self.provision_sources():
            ident = e.get("identifier") or f"/us/usc/t18/s{e['section']}"
            e.setdefault("section", ident.split("/s", 1)[-1])
            self.entries[ident] = e
        if not self.entries:
            self.logger.warning("%s: no us_code provisions in the sources registry", self.name)
            return
        yield self.request(self.url(DOWNLOAD_PAGE), self.parse_download_page)

    def parse_download_page(self, response):
        if self.is_challenge(response) or self.is_empty(response):
            return
        m = ZIP_RX.search(response.text)
        if not m:
            self.report_error("no title 18 XML download link (xml_usc18@...zip) on the page", response.url)
            return
        release = m.group(2)
        self.state_updates["release_point"] = release
        yield self.request(response.urljoin(m.group(1)), self.parse_title,
                           cb_kwargs={"release": release})

    def parse_title(self, response, release=None):
        if self.is_challenge(response) or self.is_empty(response):
            return
        body = response.body
        try:
            if body[:2] == b"PK":
                with zipfile.ZipFile(io.BytesIO(body)) as zf:
                    names = [n for n in zf.namelist() if n.lower().endswith(".xml")]
                    if not names:
                        self.report_error("zip holds no XML file", response.url)
                        return
                    data = zf.read(names[0])
            else:
                data = body
        except zipfile.BadZipFile as exc:
            self.report_error(f"bad zip file ({exc})", response.url)
            return
        created = None
        m = re.search(rb"<dcterms:created>([^<]+)</dcterms:created>", data[:5000])
        if m:
            created = m.group(1).decode("utf-8", "replace")
        found = set()
        try:
            for ident, el in iter_sections(io.BytesIO(data), set(self.entries)):
                found.add(ident)
                yield section_item(el, self.entries[ident], release, created)
        except etree.XMLSyntaxError as exc:
            self.report_error(f"malformed XML ({str(exc)[:80]})", response.url)
            return
        for ident in sorted(set(self.entries) - found):
            self.report_error(f"section {ident} not found in the title", response.url)
