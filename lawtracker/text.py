"""Text normalisation for quote checks and hashing."""
import hashlib
import re
import unicodedata

_TRANSLATE = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u00ab": '"', "\u00bb": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
        "\u2212": "-",
        "\u00ad": None,  # soft hyphen
        "\u200b": None,  # zero-width space
    }
)
_WS = re.compile(r"\s+")


def squash(text: str) -> str:
    """Whitespace collapsed, typographic quotes and dashes unified; case kept."""
    text = unicodedata.normalize("NFKC", text or "").translate(_TRANSLATE)
    return _WS.sub(" ", text).strip()


def normalise(text: str) -> str:
    """The form quotes are compared in: `squash` plus case folding."""
    return squash(text).casefold()


def contains_quote(haystack: str | None, quote: str | None) -> bool:
    if not haystack or not quote:
        return False
    return normalise(quote) in normalise(haystack)


def sha256(text: str) -> str:
    return hashlib.sha256(squash(text).encode("utf-8")).hexdigest()
