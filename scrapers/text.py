"""Text, date and id normalisation shared by loaders, spiders and pipelines."""
from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
import unicodedata

_WS = re.compile(r"\s+")
_SECTION_SIGN = re.compile(r"§\s*")
_CHAR_REFS = re.compile(r"&#(?:13|10|x0*[dDaA]);")


def clean_text(value) -> str | None:
    """Unicode NFC, literal CR/LF character references removed, whitespace collapsed."""
    if value is None:
        return None
    s = str(value)
    s = _CHAR_REFS.sub(" ", s)
    s = unicodedata.normalize("NFC", s)
    s = s.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")
    s = _WS.sub(" ", s).strip()
    return s


def normalise_section_signs(s: str | None) -> str | None:
    """'§2256' and '§  2256' -> '§ 2256'."""
    if s is None:
        return None
    return _SECTION_SIGN.sub("§ ", s)


def normalise_provision_text(value) -> str | None:
    s = clean_text(value)
    if s is None:
        return None
    return normalise_section_signs(s)


def strip_tags(value: str | None) -> str | None:
    """Plain text of a small HTML fragment (summaries), entities decoded."""
    if value is None:
        return None
    s = re.sub(r"<[^>]+>", " ", str(value))
    return clean_text(html.unescape(s))


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_FORMATS = ("%d %B %Y", "%B %d, %Y", "%d %b %Y", "%b %d, %Y", "%d.%m.%Y", "%m/%d/%Y", "%Y%m%d")


def to_iso_date(value) -> str | None:
    """A date string in any common form -> 'YYYY-MM-DD' (None if not a date).

    ISO prefixes are taken as they are (the UK Bills API's 7-digit fractions,
    'Z' suffixes and the like are ignored); anything else goes to dateparser.
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    s = str(value).strip()
    m = _ISO_DATE.match(s)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            return None
    for fmt in _FORMATS:  # common official forms, before the (slow) general parser
        try:
            return dt.datetime.strptime(s, fmt).date().isoformat()
        except ValueError:
            pass
    import dateparser  # slow import; only for input none of the formats above read

    parsed = dateparser.parse(s, settings={"PREFER_DAY_OF_MONTH": "first", "DATE_ORDER": "DMY",
                                           "REQUIRE_PARTS": ["day", "month", "year"]})
    return parsed.date().isoformat() if parsed else None


def utc_now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def slugify(value: str) -> str:
    """Lower-case letters, digits and '-' (for id parts)."""
    s = unicodedata.normalize("NFKD", value or "").encode("ascii", "ignore").decode()
    s = re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")
    return s


def compact_identifier(identifier: str) -> str:
    """'H.R. 21' -> 'hr21', 'AB 1831' -> 'ab1831', 'S.J.Res. 3' -> 'sjres3'."""
    return re.sub(r"[^a-z0-9]", "", (identifier or "").lower())


ID_UNIT = re.compile(r"^[a-z0-9.\-]+$")
PROVISION_ID = re.compile(r"^(?:[A-Z]{2}(?:-[A-Z0-9]{1,3})?|EU)/[a-z0-9-]+/[a-z0-9.\-]+$")
BILL_ID = re.compile(r"^(?:[A-Z]{2}(?:-[A-Z0-9]{1,3})?|EU)/[A-Za-z0-9.\-]+/[a-z0-9.\-]+$")
