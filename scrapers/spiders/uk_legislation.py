"""legislation.gov.uk: revised text of the UK provisions the dataset cites (CLML XML),
the unapplied effects listed in each document ("amendment not yet in revised text"),
and the changes (effects) feed of each Act to notice amendments.

Provisions come from data/sources.yml (spider: uk_legislation), e.g.
``{id: GB/ukpga-1978-37/s1, url: https://www.legislation.gov.uk/ukpga/1978/37/section/1}``;
the spider requests ``<url>/data.xml`` and ``/changes/affected/<type>/<year>/<number>/data.feed``.
"""
from __future__ import annotations

import re

from scrapers.base import LawSpider, element_text, localname
from scrapers.items import ProvisionItem

LEG = "http://www.legislation.gov.uk/namespaces/legislation"
UKM = "http://www.legislation.gov.uk/namespaces/metadata"
DC = "http://purl.org/dc/elements/1.1/"
ATOM = "http://www.w3.org/2005/Atom"
NS = {"leg": LEG, "ukm": UKM, "dc": DC, "atom": ATOM}

SKIP = {"Commentaries", "Commentary", "CommentaryRef", "Metadata", "Footnotes", "Footnote",
        "FootnoteRef", "MarginNotes", "MarginNote", "Resources", "Contents"}
INLINE = {"Emphasis", "Strong", "Underline", "SmallCaps", "Superior", "Inferior", "Citation",
          "CitationSubRef", "Addition", "Substitution", "Repeal", "Term", "Definition", "Span",
          "InternalLink", "ExternalLink", "Abbreviation", "Acronym", "Character", "Uppercase",
          "Expanded", "Proviso", "Underline", "Strike"}

ACT_RX = re.compile(r"legislation\.gov\.uk/((?:ukpga|asp|anaw|asc|nia|ukla|uksi)/\d{4}/\d+)")


def _section_number(id_uri: str | None) -> str | None:
    m = re.search(r"/section/([0-9A-Za-z]+)$", id_uri or "")
    return m.group(1) if m else None


def effect_touches(eff, id_uri: str | None) -> bool:
    """Does an effect (ukm:UnappliedEffect / ukm:Effect) affect the provision ``id_uri``
    (e.g. http://www.legislation.gov.uk/id/ukpga/1978/37/section/1)? The per-section
    documents list the unapplied effects of the whole Act, so they must be filtered."""
    if not id_uri:
        return True
    uris = [sec.get("URI", "") for sec in eff.iterfind(f"{{{UKM}}}AffectedProvisions/{{{UKM}}}Section")]
    if uris:
        return any(u == id_uri or u.startswith(id_uri + "/") for u in uris)
    number = _section_number(id_uri)
    text = (eff.get("AffectedProvisions") or "").strip()
    if not number or not text:
        return True
    return re.match(rf"^ss?\.\s*{re.escape(number)}(?![0-9A-Za-z])", text) is not None


def describe_effect(eff) -> str:
    a = eff.attrib
    affecting = (eff.findtext(f"{{{UKM}}}AffectingTitle") or a.get("AffectingTitle")
                 or a.get("AffectingURI") or "").strip()
    s = f"{a.get('AffectedProvisions', '').strip()} {a.get('Type', 'amended').strip()}".strip()
    if affecting:
        s += f" by {affecting}"
    if a.get("AffectingProvisions"):
        s += f" {a['AffectingProvisions'].strip()}"
    return s + " (amendment not yet in revised text)"


def unapplied_effects(root, id_uri: str | None = None) -> list[str]:
    return [describe_effect(eff) for eff in root.iter(f"{{{UKM}}}UnappliedEffect")
            if eff.get("RequiresApplied", "true").lower() != "false" and effect_touches(eff, id_uri)]


def id_uri_for(url: str) -> str | None:
    """https://www.legislation.gov.uk/ukpga/1978/37/section/1 -> http://www.legislation.gov.uk/id/ukpga/1978/37/section/1"""
    m = re.search(r"legislation\.gov\.uk/(?:id/)?(.+?)/?$", url or "")
    return f"http://www.legislation.gov.uk/id/{m.group(1)}" if m else None


def strip_commentary_refs(root) -> None:
    """CommentaryRef markers sit inside numbers and headings; drop them, keep their tails."""
    for ref in list(root.iter(f"{{{LEG}}}CommentaryRef")):
        parent = ref.getparent()
        if parent is None:
            continue
        tail = ref.tail or ""
        prev = ref.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
        parent.remove(ref)


def render_numbers(root) -> None:
    """Number subdivisions as the website shows them: CLML stores "1", "a", "i" in
    ``Pnumber`` (sometimes wrapped in ``Addition``/``Substitution``) and the punctuation in
    PuncBefore/PuncAfter (default "(" and ")"). The section's own number (directly under
    P1) is left as it is."""
    for num in root.iter(f"{{{LEG}}}Pnumber"):
        parent = num.getparent()
        if parent is None or localname(parent) == "P1":
            continue
        txt = "".join(num.itertext()).strip()
        if not txt or txt.startswith("("):
            continue
        before, after = num.get("PuncBefore", "("), num.get("PuncAfter", ")")
        num.text = before + (num.text or "").lstrip()
        if len(num):
            num[-1].tail = (num[-1].tail or "").rstrip() + after
        else:
            num.text = num.text.rstrip() + after


def parse_clml(root, entry: dict, url: str) -> ProvisionItem | None:
    """ProvisionItem from a CLML section document (None when it holds no provision)."""
    if root is not None:
        strip_commentary_refs(root)
        render_numbers(root)
    body = root.find(f".//{{{LEG}}}Body") if root is not None else None
    if body is None:
        body = root.find(f".//{{{LEG}}}Schedules") if root is not None else None
    if body is None:
        return None
    group = body.find(f".//{{{LEG}}}P1group")
    p1 = body.find(f".//{{{LEG}}}P1")
    container = p1 if p1 is not None else group
    if container is None:
        return None
    heading = None
    if group is not None and group.find(f"{{{LEG}}}Title") is not None:
        heading = element_text(group.find(f"{{{LEG}}}Title"), SKIP, INLINE).strip()
    # the section's own number is metadata; the text starts after it
    own_num = container.find(f"{{{LEG}}}Pnumber") if localname(container) == "P1" else None
    pieces = []
    for child in container:
        if child is own_num or localname(child) in SKIP or localname(child) == "Title":
            if child.tail:
                pieces.append(child.tail)
            continue
        pieces.append(element_text(child, SKIP, INLINE))
        if child.tail:
            pieces.append(child.tail)
    text = " ".join(pieces)
    md = root.find(f"{{{UKM}}}Metadata")
    title = md.findtext(f"{{{DC}}}title") if md is not None else None
    modified = md.findtext(f"{{{DC}}}modified") if md is not None else None
    number = own_num.text if own_num is not None and own_num.text else None
    citation = entry.get("citation") or (f"{title}, s. {number}" if title and number else title)
    return ProvisionItem(
        id=entry["id"], url=entry.get("url") or url, citation=citation, heading=heading,
        language=entry.get("language", "en"), text=text, source_modified=modified,
        unapplied_effects=unapplied_effects(
            root, (p1.get("IdURI") if p1 is not None else None) or id_uri_for(entry.get("url") or url)))


def parse_effects_feed(root, tracked: dict[str, str] | None = None) -> dict:
    """Summary of a changes/affected Atom feed (first page, newest first): when it was
    updated, how many effects it lists, and the unapplied effects that touch a tracked
    provision (``tracked``: provision id -> id URI)."""
    updated = root.findtext(f"{{{ATOM}}}updated")
    total = root.findtext("{http://a9.com/-/spec/opensearch/1.1/}totalResults")
    effects = list(root.iter(f"{{{UKM}}}Effect"))
    unapplied = [e for e in effects if e.get("Applied", "").lower() == "false"]
    pending = {}
    for pid, uri in sorted((tracked or {}).items()):
        hits = [describe_effect(e) for e in unapplied if effect_touches(e, uri)]
        if hits:
            pending[pid] = hits
    return {"updated": updated, "total": int(total) if total and total.isdigit() else len(effects),
            "unapplied": len(unapplied), "pending": pending}


class UkLegislationSpider(LawSpider):
    name = "uk_legislation"
    official_domains = ["legislation.gov.uk"]
    custom_settings = {"DOWNLOAD_DELAY": 1.0}

    async def start(self):
        acts = set()
        for entry in self.provision_sources():
            url = entry["url"].rstrip("/")
            if not self.check_official(url):
                continue
            yield self.request(self.url(url + "/data.xml"), self.parse_provision,
                               cb_kwargs={"entry": entry})
            m = ACT_RX.search(url)
            if m:
                acts.add(m.group(1))
        for act in sorted(acts):
            feed = f"https://www.legislation.gov.uk/changes/affected/{act}/data.feed?sort=modified"
            yield self.request(self.url(feed), self.parse_changes, cb_kwargs={"act": act})

    def parse_provision(self, response, entry):
        root = self.xml_or_none(response)
        if root is None:
            return
        item = parse_clml(root, entry, response.url)
        if item is None:
            self.report_error("no provision (P1/P1group) in the CLML document", response.url)
            return
        if item.unapplied_effects:
            self.logger.info("%s: %d amendment(s) not yet in the revised text", entry["id"],
                             len(item.unapplied_effects))
        yield item

    def parse_changes(self, response, act):
        root = self.xml_or_none(response)
        if root is None:
            return
        if localname(root) != "feed":
            self.report_error("not an Atom feed", response.url)
            return
        tracked = {e["id"]: id_uri_for(e["url"]) for e in self.provision_sources()
                   if f"/{act}/" in (e.get("url") or "") + "/"}
        summary = parse_effects_feed(root, tracked)
        for pid, hits in summary["pending"].items():
            self.logger.info("%s: %d amendment(s) pending in the revised text", pid, len(hits))
        self.state_updates.setdefault("effects", {})[act] = summary
        return []
