"""Bill action text -> event classification (vocabulary in docs/data-format.md).

classify_action(text) looks at the source's own wording (Congress.gov, Open States,
UK Parliament stage names, EU procedure event labels) and returns one of
CLASSIFICATIONS. Rules are tried in order; the first match wins, so the more
specific rules (veto override, "became law") come before the general ones.
"""
from __future__ import annotations

import re

CLASSIFICATIONS = (
    "introduction", "referral", "committee-passage", "passage", "amendment",
    "executive-receipt", "executive-signature", "executive-veto", "veto-override",
    "became-law", "in-force", "failure", "withdrawal", "other",
)
CHAMBERS = ("lower", "upper", "legislature", "executive")

_RULES: list[tuple[str, str]] = [
    ("veto-override", r"veto(?:ed)?\s+overrid|overrid\w*\s+(?:the\s+)?(?:governor'?s?\s+|president'?s?\s+)?veto|passed over (?:the )?(?:governor's |president's )?veto"),
    ("executive-veto", r"\bvetoed\b|\bveto message\b|pocket veto|returned without (?:approval|signature)"),
    ("amendment", r"^(?:(?:senate|house|floor|committee)\s+)?amendments?\b"),
    ("became-law", r"became (?:public|private)? ?law|became law|became act|\bpublic law no\b|\bchaptered\b|chapter \d+,? statutes of|royal assent|act of parliament|became effective without signature|law without signature|publication in the official journal|published in the official journal"),
    ("in-force", r"\bin force\b|\beffective (?:date|on|from)\b|\btakes? effect\b|commencement order|entry into force"),
    ("executive-signature", r"signed by (?:the )?(?:president|governor)|approved by (?:the )?governor|governor signed|signed by governor|signature by the president of the ep and by the president of the council|^signed\b"),
    ("executive-receipt", r"presented to (?:the )?(?:president|governor)|sent to (?:the )?governor|delivered to (?:the )?governor|to governor\b|enrolled and (?:presented|delivered)|transmitted to governor"),
    ("withdrawal", r"\bwithdrawn\b|\bwithdrawal\b|\bwithdraws\b"),
    ("failure", r"\bfailed\b|\bdefeated\b|\bdied\b|\bnegatived\b|\bindefinitely postponed\b|\bnot agreed\b|rejected|\blapsed\b|sine die|tabled indefinitely"),
    ("committee-passage", r"reported (?:favorabl|out|with|by|without|to)|ordered to be reported|do pass|committee (?:report|recommend|passed|approved)|passed (?:out of )?committee|reported favorably|discharged|committee stage"),
    ("referral", r"referred to|\breferral\b|re-referred|rereferred|committed to|assigned to (?:the )?committee|transmission to (?:council|parliament)"),
    ("passage", r"\bpassed\b|\bpasses\b|third reading|3rd reading|agreed to in (?:house|senate)|approval by the council|approved by the (?:house|senate|assembly|council)|adopted by|\bfinal passage\b|position at 1st reading|1st reading.*(?:ep|parliament) opinion|opinion on 1st reading|resolution adopted"),
    ("amendment", r"\bamendments? (?:\S+ )?(?:adopted|agreed|offered|proposed|considered|ordered)\b|\bamended\b|report stage|consideration of amendments|lords amendments|commons amendments|ping pong|\bamendment\b"),
    ("introduction", r"\bintroduced\b|\bfirst reading\b|\b1st reading\b|prefiled|pre-filed|\bfiled\b|read (?:the )?first time|adoption by commission|presentation|introduction|\bintroduced in\b"),
]

_COMPILED = [(cls, re.compile(rx, re.IGNORECASE)) for cls, rx in _RULES]


def classify_action(text: str | None) -> str:
    """Classify an action text; 'other' when nothing matches."""
    if not text:
        return "other"
    for cls, rx in _COMPILED:
        if rx.search(text):
            return cls
    return "other"


#: Open States action classifications (openstates-core common.py) -> our vocabulary.
OPENSTATES_MAP = {
    "introduction": "introduction",
    "filing": "introduction",
    "reading-1": "introduction",
    "referral-committee": "referral",
    "referral": "referral",
    "committee-passage": "committee-passage",
    "committee-passage-favorable": "committee-passage",
    "committee-passage-unfavorable": "committee-passage",
    "committee-failure": "failure",
    "passage": "passage",
    "failure": "failure",
    "withdrawal": "withdrawal",
    "amendment-introduction": "amendment",
    "amendment-passage": "amendment",
    "amendment-amendment": "amendment",
    "amendment-failure": "amendment",
    "amendment-withdrawal": "amendment",
    "executive-receipt": "executive-receipt",
    "executive-signature": "executive-signature",
    "executive-veto": "executive-veto",
    "executive-veto-line-item": "executive-veto",
    "veto-override-passage": "veto-override",
    "veto-override-failure": "failure",
    "became-law": "became-law",
    "enrolled": "other",
    "became-law-without-signature": "became-law",
    "reading-2": "other",
    "reading-3": "passage",
    "substitution": "amendment",
    "deferral": "other",
    "receipt": "other",
}

#: Order of precedence when an Open States action has several classifications.
_PRECEDENCE = ("became-law", "veto-override", "executive-veto", "executive-signature",
               "executive-receipt", "passage", "failure", "withdrawal", "committee-passage",
               "referral", "amendment", "introduction", "in-force", "other")


def classify_openstates(classifications, text: str | None) -> str:
    """Use Open States' own classification list when it has one, else the text rules."""
    mapped = {OPENSTATES_MAP.get(c) for c in (classifications or [])} - {None}
    for cls in _PRECEDENCE:
        if cls in mapped and cls != "other":
            return cls
    return classify_action(text)


#: Congress.gov/BILLSTATUS Library of Congress action codes (sourceSystem code 9).
CONGRESS_ACTION_CODES = {
    "1000": "introduction", "10000": "introduction",
    "H11100": "referral", "5000": "committee-passage", "14000": "committee-passage",
    "14500": "committee-passage",
    "8000": "passage", "17000": "passage", "H37300": "passage",
    "9000": "failure", "18000": "failure",
    "28000": "executive-receipt", "29000": "executive-signature",
    "31000": "executive-veto",
    "36000": "became-law",
}


def classify_congress(action_code: str | None, text: str | None) -> str:
    if action_code and action_code in CONGRESS_ACTION_CODES:
        return CONGRESS_ACTION_CODES[action_code]
    return classify_action(text)


#: UK Parliament stage names -> classification (the chamber comes from `house`).
UK_STAGES = {
    "1st reading": "introduction",
    "2nd reading": "other",
    "committee stage": "committee-passage",
    "report stage": "amendment",
    "3rd reading": "passage",
    "consideration of amendments": "amendment",
    "consideration of lords amendments": "amendment",
    "consideration of commons amendments": "amendment",
    "ping pong": "amendment",
    "royal assent": "became-law",
    "carry-over motion": "other",
    "programme motion": "other",
    "money resolution": "other",
    "ways and means resolution": "other",
}


def classify_uk_stage(description: str | None) -> str:
    d = (description or "").strip().lower()
    if d in UK_STAGES:
        return UK_STAGES[d]
    for key, cls in UK_STAGES.items():
        if d.startswith(key):
            return cls
    return classify_action(description)
