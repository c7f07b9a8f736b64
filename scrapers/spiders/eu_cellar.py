"""EU acts and legislative procedures from the Publications Office's Cellar.

- Procedures (data/sources.yml ``bills: spider eu_cellar, procedure: 2024/0035(COD)``):
  ``GET http://publications.europa.eu/resource/procedure/2024_35`` with
  ``Accept: application/xml;notice=tree`` -> the DOSSIER and its EVENTs (procedure steps).
- Acts (``provisions: spider eu_cellar, celex: 32011L0093, article: "5"``):
  ``GET http://publications.europa.eu/resource/celex/32011L0093`` with
  ``Accept: application/xhtml+xml`` and ``Accept-Language: eng`` (Cellar wants ISO 639-2
  codes) -> the article text. When several manifestations exist Cellar answers 300
  Multiple Choices; that is logged as an error (add the manifestation URL to the registry).

EUR-Lex HTML pages answer scripts with an AWS WAF JavaScript challenge (HTTP 202):
any challenge page is detected, logged as an error and skipped, never solved.
"""
from __future__ import annotations

import re

from lxml import html as lxml_html

from scrapers.actions import classify_action
from scrapers.base import LawSpider, localname
from scrapers.items import BillEventItem, BillItem, ProvisionItem
from scrapers.text import clean_text

CELLAR = "http://publications.europa.eu/resource"
PROC_RX = re.compile(r"^(\d{4})/(\d{1,4})\s*\((COD|CNS|APP|NLE|BUD|DEC|INI|SYN|AVC)\)$", re.I)

#: Cellar event-type codes (authority table "event") -> (classification, chamber).
EVENT_CODES = {
    "ADP_byCOM": ("introduction", "executive"),
    "TRS_EP_byCOM": ("referral", "lower"),
    "TRS_toCONSIL_byCOM": ("referral", "upper"),
    "OPI_R1_byEP": ("passage", "lower"),
    "POS_R1_byEP": ("passage", "lower"),
    "APR_R1_byCONSIL": ("passage", "upper"),
    "ADP_R1_byCONSIL": ("passage", "upper"),
    "POS_R1_byCONSIL": ("passage", "upper"),
    "APR_R2_byEP": ("passage", "lower"),
    "SIGN_byEP_CONSIL": ("executive-signature", "legislature"),
    "PUB_OJ": ("became-law", "legislature"),
    "WDR_byCOM": ("withdrawal", "executive"),
    "OPI_byEESC": ("other", None),
    "OPI_byCOR": ("other", None),
    "OPI_byECB": ("other", None),
}
INSTITUTION_CHAMBER = {"EP": "lower", "CONSIL": "upper", "COM": "executive"}

#: Cellar negotiates languages by ISO 639-2 (three-letter) codes.
CELLAR_LANG = {"en": "eng", "de": "deu", "fr": "fra", "es": "spa", "it": "ita", "nl": "nld",
               "pt": "por", "pl": "pol", "da": "dan", "sv": "swe", "fi": "fin", "el": "ell",
               "cs": "ces", "sk": "slk", "sl": "slv", "hu": "hun", "ro": "ron", "bg": "bul",
               "hr": "hrv", "et": "est", "lv": "lav", "lt": "lit", "mt": "mlt", "ga": "gle"}


def procedure_parts(ref: str):
    """'2024/0035(COD)' -> ('2024', '35', 'cod')."""
    m = PROC_RX.match(ref.strip())
    if not m:
        return None
    return m.group(1), str(int(m.group(2))), m.group(3).lower()


def _value(el, path):
    v = el.findtext(path)
    return clean_text(v) if v else None


def _lang_value(els, lang="en"):
    best = None
    for t in els:
        v = _value(t, "VALUE")
        if not v:
            continue
        if (t.findtext("LANG") or "").lower() == lang:
            return v
        best = best or v
    return best


def parse_procedure_notice(root, ref: str):
    """(bill, events) from a Cellar tree notice of a procedure dossier."""
    dossier = root.find("DOSSIER")
    if dossier is None:
        return None, []
    ref_value = _value(dossier, "PROCEDURE_CODE_INTERINSTITUTIONAL_REFERENCE_PROCEDURE/VALUE")
    if ref_value:  # '2013/0449/COD'
        y, n, t = ref_value.split("/")
        ref = f"{y}/{n}({t})"
    parts = procedure_parts(ref)
    if not parts:
        return None, []
    year, num, ptype = parts
    bill_id = f"EU/{year}/{year}-{int(num):04d}-{ptype}"
    url = f"https://eur-lex.europa.eu/procedure/EN/{year}_{num}"
    title = _lang_value(dossier.findall("TITLE")) or _lang_value(dossier.findall("DOSSIER_TITLE"))
    events = []
    for i, ev in enumerate(root.findall("EVENT")):
        code = _value(ev, "EVENT_LEGAL_HAS_TYPE_CONCEPT_TYPE_EVENT_LEGAL/IDENTIFIER")
        label = (_value(ev, "EVENT_LEGAL_HAS_TYPE_CONCEPT_TYPE_EVENT_LEGAL/PREFLABEL")
                 or _value(ev, "TYPE") or code)
        date = _value(ev, "EVENT_LEGAL_DATE/VALUE") or _value(ev, "DATE/VALUE")
        inst = _value(ev, "EVENT_LEGAL_INITIATED_BY_INSTITUTION/IDENTIFIER")
        cls, chamber = EVENT_CODES.get(code or "", (None, None))
        if cls is None:
            cls = classify_action(label)
            chamber = INSTITUTION_CHAMBER.get(inst or "")
        events.append(BillEventItem(bill_id=bill_id, date=date, order=i, classification=cls,
                                    chamber=chamber, text=label, source_url=url))
    dates = sorted(e.date for e in events if e.date)
    bill = BillItem(id=bill_id, jurisdiction="EU", session=year, identifier=f"{year}/{int(num):04d}({ptype.upper()})",
                    title=title, url=url, introduced=_value(dossier, "DATE/VALUE") or (dates[0] if dates else None),
                    source_id=f"procedure/{year}_{num}",
                    text_for_matching=_lang_value(dossier.findall("DOSSIER_TITLE")))
    return bill, events


def article_text(doc, article: str):
    """(heading, text) of 'Article N' in an OJ XHTML manifestation (old and new layouts)."""
    # 2023+ layout: <div class="eli-subdivision" id="art_5"> ... <p class="oj-ti-art">
    div = doc.xpath(f'//div[@id="art_{article}"]')
    if div:
        d = div[0]
        heading = " ".join(d.xpath('.//p[contains(@class,"sti-art")]//text()')) or None
        body = [p for p in d.xpath('.//p | .//td') if "ti-art" not in (p.get("class") or "")]
        text = " ".join(" ".join(p.xpath(".//text()")) for p in body if not p.xpath(".//p | .//td"))
        return clean_text(heading), clean_text(text)
    # older layout: <p class="ti-art">Article 5</p><p class="sti-art">...</p> <p class="normal">...
    heads = [p for p in doc.xpath('//p[contains(@class,"ti-art")]')
             if "sti-art" not in (p.get("class") or "")
             and clean_text(p.text_content()) == f"Article {article}"]
    if not heads:
        return None, None
    heading, pieces = None, []
    for sib in heads[0].itersiblings():
        cls = sib.get("class") or ""
        if "ti-art" in cls and "sti-art" not in cls:
            break
        if localname(sib) == "p" and "sti-art" in cls:
            heading = clean_text(sib.text_content())
            continue
        if sib.tag in ("hr",) or "final" in cls:
            break
        pieces.append(sib.text_content())
    return heading, clean_text(" ".join(pieces))


class EuCellarSpider(LawSpider):
    name = "eu_cellar"
    official_domains = ["publications.europa.eu", "eur-lex.europa.eu"]
    custom_settings = {"DOWNLOAD_DELAY": 2.0}

    async def start(self):
        for b in self.tracked_bills():
            parts = procedure_parts(b.get("procedure", ""))
            if not parts:
                self.logger.error("%s: bad procedure reference %r in sources", self.name, b.get("procedure"))
                continue
            year, num, _t = parts
            yield self.request(self.url(f"{CELLAR}/procedure/{year}_{num}"), self.parse_procedure,
                               headers={"Accept": "application/xml;notice=tree", "Accept-Language": "eng"},
                               cb_kwargs={"ref": b["procedure"]})
        for p in self.provision_sources():
            yield self.request(self.url(f"{CELLAR}/celex/{p['celex']}"), self.parse_act,
                               headers={"Accept": "application/xhtml+xml",
                                        "Accept-Language": CELLAR_LANG.get(p.get("language", "en"), "eng")},
                               cb_kwargs={"entry": p})

    def parse_procedure(self, response, ref):
        root = self.xml_or_none(response)
        if root is None:
            return
        bill, events = parse_procedure_notice(root, ref)
        if bill is None:
            self.report_error("not a procedure tree notice (no DOSSIER)", response.url)
            return
        bill.tracked = True
        yield bill
        yield from events

    def parse_act(self, response, entry):
        if self.is_challenge(response) or self.is_empty(response):
            return
        try:
            doc = lxml_html.fromstring(response.body)
        except Exception as exc:  # lxml raises ParserError on garbage
            self.report_error(f"malformed XHTML ({exc})", response.url)
            return
        heading, text = article_text(doc, str(entry["article"]))
        if not text:
            self.report_error(f"Article {entry['article']} not found", response.url)
            return
        yield ProvisionItem(id=entry["id"], url=entry.get("url") or response.url,
                            citation=entry.get("citation"), heading=heading,
                            language=entry.get("language", "en"), text=text)
