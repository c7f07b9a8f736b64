"""Discovery keyword sets: a bill is a *candidate* when its title/summary/text
matches at least one AI term AND at least one child-sexual-abuse term.

Each term is (label, language, regular expression). Matching is case-insensitive
except for the short acronyms (AI, KI, IA), which must be upper case and stand
alone so that "said", "Kiel" or "via" never match. The labels are what
bills.jsonl records in ``matched_terms``. Documented in docs/scrapers.md.
"""
from __future__ import annotations

import re
import unicodedata

# (label, language, pattern, case_sensitive)
AI_TERMS: list[tuple[str, str, str, bool]] = [
    ("artificial intelligence", "en", r"artificial[\s-]+intelligence", False),
    ("AI", "en", r"(?<![A-Za-z])AI(?![A-Za-z])", True),
    ("AI-generated", "en", r"\bAI[\s-]+(?:generated|created|produced|modified)\b", False),
    ("generative", "en", r"\bgenerative\b", False),
    ("deepfake", "en", r"\bdeep[\s-]?fakes?\b", False),
    ("computer-generated", "en", r"\bcomputer[\s-]+(?:generated|edited|created|manipulated)\b", False),
    ("digitally altered", "en", r"\bdigitally[\s-]+(?:altered|created|generated|manipulated|modified)\b", False),
    ("synthetic media", "en", r"\bsynthetic(?:ally)?[\s-]+(?:media|images?|imagery|content|material|depictions?|generated)\b", False),
    ("machine learning", "en", r"\bmachine[\s-]+learning\b", False),
    ("image generator", "en", r"\b(?:image|content)[\s-]+generat(?:or|ors|ion|ing)\b", False),
    ("morphed image", "en", r"\bmorphed\b", False),
    ("pseudo-photograph", "en", r"\bpseudo[\s-]+photographs?\b", False),
    ("künstliche Intelligenz", "de", r"k(?:ü|ue)nstlicher?n?[\s-]+intelligenz", False),
    ("KI", "de", r"(?<![A-Za-zÄÖÜäöü])KI(?![A-Za-zÄÖÜäöü])", True),
    ("computergeneriert", "de", r"computer[\s-]?generiert", False),
    ("wirklichkeitsnah", "de", r"wirklichkeitsnah", False),
    ("intelligence artificielle", "fr", r"intelligence[\s-]+artificielle", False),
    ("IA", "fr/es", r"(?<![A-Za-zÀ-ÿ])IA(?![A-Za-zÀ-ÿ])", True),
    ("hypertrucage", "fr", r"hypertrucag", False),
    ("généré par ordinateur", "fr", r"g[ée]n[ée]r[ée]e?s?[\s-]+par[\s-]+(?:ordinateur|l'intelligence|une intelligence)", False),
    ("images de synthèse", "fr", r"images?[\s-]+de[\s-]+synth[èe]se", False),
    ("inteligencia artificial", "es", r"inteligencia[\s-]+artificial", False),
    ("ultrafalso", "es", r"ultrafals[oa]s?", False),
    ("generado por ordenador", "es", r"generad[oa]s?[\s-]+(?:por[\s-]+)?(?:ordenador|computadora|inteligencia)", False),
    ("intelligenza artificiale", "it", r"intelligenza[\s-]+artificiale", False),
    ("kunstmatige intelligentie", "nl", r"kunstmatige[\s-]+intelligentie", False),
]

CSAM_TERMS: list[tuple[str, str, str, bool]] = [
    ("child sexual abuse material", "en", r"\bchild[\s-]+sexual[\s-]+abuse[\s-]+(?:material|images?|imagery|content)\b", False),
    ("CSAM", "en", r"(?<![A-Za-z])CSAM(?![A-Za-z])", True),
    ("child sexual abuse", "en", r"\bchild[\s-]+sexual[\s-]+(?:abuse|exploitation)\b", False),
    ("sexual abuse of children", "en", r"\bsexual[\s-]+(?:abuse|exploitation)[\s-]+of[\s-]+(?:a[\s-]+)?(?:children|child|minors?)\b", False),
    ("child pornography", "en", r"\bchild[\s-]+pornograph", False),
    ("child abuse material", "en", r"\bchild[\s-]+abuse[\s-]+(?:material|images?|imagery)\b", False),
    ("indecent images of children", "en", r"\bindecent[\s-]+(?:images?|photographs?|pseudo[\s-]+photographs?)[\s-]+of[\s-]+(?:a[\s-]+)?(?:children|child)\b", False),
    ("obscene visual representation", "en", r"\bobscene[\s-]+visual[\s-]+representations?\b", False),
    ("sexually explicit depiction of a minor", "en", r"\bsexual(?:ly)?[\s-]+explicit[\s-]+(?:\w+[\s-]+){0,3}(?:minors?|child|children)\b", False),
    ("Kinderpornographie", "de", r"kinderpornogra(?:ph|f)", False),
    ("sexueller Missbrauch von Kindern", "de", r"(?:sexuelle[nrs]?[\s-]+missbrauch[s]?[\s-]+von[\s-]+kindern|kindesmissbrauch|missbrauchsdarstellung)", False),
    ("pédopornographie", "fr", r"p[ée]dopornogra", False),
    ("abus sexuels sur enfants", "fr", r"(?:abus|exploitation)[\s-]+sexuel(?:le)?s?[\s-]+(?:sur|des|à l'égard des|d')[\s-]*(?:des[\s-]+)?(?:enfants|mineurs)", False),
    ("pornografía infantil", "es", r"pornograf[íi]a[\s-]+infantil", False),
    ("abuso sexual infantil", "es", r"abusos?[\s-]+sexual(?:es)?[\s-]+(?:infantil|a[\s-]+menores|de[\s-]+menores)", False),
    ("pedopornografia", "it", r"pedopornografi|pornografia[\s-]+minorile", False),
    ("abuso sessuale su minori", "it", r"abus[oi][\s-]+sessual[ei][\s-]+(?:su|sui|dei)[\s-]+minori", False),
    ("kinderpornografie", "nl", r"kinderpornografie|seksueel[\s-]+misbruik[\s-]+van[\s-]+kinderen", False),
]


def _compile(terms):
    return [(label, re.compile(pat, 0 if cs else re.IGNORECASE)) for label, _lang, pat, cs in terms]


_AI = _compile(AI_TERMS)
_CSAM = _compile(CSAM_TERMS)


def _matches(compiled, text: str) -> list[str]:
    return [label for label, rx in compiled if rx.search(text)]


def match_terms(*texts: str | None) -> tuple[bool, list[str]]:
    """Return (candidate, matched term labels sorted) for the given texts."""
    text = unicodedata.normalize("NFC", " \n ".join(t for t in texts if t))
    ai = _matches(_AI, text)
    csam = _matches(_CSAM, text)
    candidate = bool(ai) and bool(csam)
    return candidate, sorted(set(ai + csam))


#: Search phrases sent to sources that support keyword search (UK Bills SearchTerm,
#: Open States q=). Kept short: sources search titles, so these are CSAM-side terms and
#: the AI side is checked locally with match_terms().
SEARCH_QUERIES_EN = [
    "child sexual abuse",
    "child pornography",
    "indecent images",
    "artificial intelligence",
    "deepfake",
    "crime and policing",
]
