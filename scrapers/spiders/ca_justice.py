"""Canadian federal statutes from Justice Laws LIMS XML (laws-lois.justice.gc.ca).

The Criminal Code file (``/eng/XML/C-46.xml``) is about 5 MB: it is stream-parsed
with lxml iterparse (entities and network off) and only the sections cited in
data/sources.yml (spider: ca_justice, act: C-46, section: "163.1") are kept; every
other section is cleared from memory as soon as it has been read.
"""
from __future__ import annotations

import io

from lxml import etree

from scrapers.base import LawSpider, element_text, localname
from scrapers.items import ProvisionItem
from scrapers.text import clean_text

SITE = "https://laws-lois.justice.gc.ca"
LIMS = "http://justice.gc.ca/lims"
SKIP = {"HistoricalNote", "MarginalNote", "Footnote", "FootnoteRef"}
INLINE = {"DefinedTermEn", "DefinedTermFr", "Emphasis", "XRefExternal", "XRefInternal", "Language",
          "Sup", "Sub", "FootnoteRef", "Repealed", "AmendedText", "DefinitionRef", "Emphasis"}


def iter_cited_sections(stream, wanted: set[str]):
    """Yield (statute attributes, label, section element) for the wanted section labels."""
    root_attrs = {}
    ctx = etree.iterparse(stream, events=("start", "end"), resolve_entities=False, no_network=True,
                          load_dtd=False, huge_tree=True, remove_comments=True)
    depth = 0
    for event, el in ctx:
        name = localname(el)
        if event == "start":
            if depth == 0:
                root_attrs = dict(el.attrib)
            depth += 1
            continue
        depth -= 1
        if name != "Section":
            continue
        label = None
        for c in el:
            if localname(c) == "Label":
                label = (c.text or "").strip()
                break
        if label in wanted:
            yield root_attrs, label, el
        if el.getparent() is not None and localname(el.getparent()) != "Section":
            el.clear()
            while el.getprevious() is not None:
                del el.getparent()[0]


def quote_defined_terms(el, language: str = "en") -> None:
    """The official pages show the defined term of the page's language in quotation marks
    (“…” in English, « … » in French); the other language's term stays as it is."""
    name, left, right = ("DefinedTermFr", "« ", " »") if language == "fr" else ("DefinedTermEn", "“", "”")
    for term in el.iter(name):
        term.text = left + (term.text or "")
        if len(term):
            last = term[-1]
            last.tail = (last.tail or "") + right
        else:
            term.text += right


def section_item(el, label: str, entry: dict, attrs: dict) -> ProvisionItem:
    quote_defined_terms(el, entry.get("language", "en"))
    heading = None
    for c in el:
        if localname(c) == "MarginalNote":
            heading = clean_text(element_text(c, (), INLINE))
            break
    text = " ".join(element_text(c, SKIP, INLINE) for c in el
                    if localname(c) not in SKIP and localname(c) != "Label")
    modified = (attrs.get(f"{{{LIMS}}}lastAmendedDate") or attrs.get(f"{{{LIMS}}}current-date"))
    return ProvisionItem(id=entry["id"], url=entry.get("url"), citation=entry.get("citation"),
                         heading=heading, language=entry.get("language", "en"), text=text,
                         source_modified=modified)


class CaJusticeSpider(LawSpider):
    name = "ca_justice"
    official_domains = ["laws-lois.justice.gc.ca"]
    custom_settings = {"DOWNLOAD_DELAY": 2.0}

    async def start(self):
        acts: dict[str, dict] = {}
        for p in self.provision_sources():
            lang = p.get("language", "en")
            acts.setdefault((p["act"], lang), {})[str(p["section"])] = p
        for (act, lang), entries in sorted(acts.items()):
            path = "eng" if lang == "en" else "fra"
            yield self.request(self.url(f"{SITE}/{path}/XML/{act}.xml"), self.parse_act,
                               cb_kwargs={"entries": entries})

    def parse_act(self, response, entries):
        if self.is_challenge(response) or self.is_empty(response):
            return
        found = set()
        try:
            for attrs, label, el in iter_cited_sections(io.BytesIO(response.body), set(entries)):
                found.add(label)
                yield section_item(el, label, entries[label], attrs)
        except etree.XMLSyntaxError as exc:
            self.report_error(f"malformed XML ({str(exc)[:80]})", response.url)
            return
        for label in sorted(set(entries) - found):
            self.report_error(f"section {label} not found", response.url)
