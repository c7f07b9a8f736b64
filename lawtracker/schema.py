"""JSON Schema for one curated file, `data/laws/<JURISDICTION>.yml`.

Built from the vocabularies so the two never drift; `lawtracker schema` prints it for editors
(e.g. the YAML language server). Cross-file rules (ids resolve, quotes, dates) live in
`lawtracker.validate`.
"""
from lawtracker import vocab

DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "format": "date"}
URL = {"type": "string", "pattern": r"^https?://[^\s]+$"}
SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
JUR = r"(?:[A-Z]{2}(?:-[A-Z0-9]{1,3})?)"
INSTRUMENT_ID = rf"^{JUR}/{SLUG}$"
PROVISION_ID = rf"^{JUR}/{SLUG}/[a-z0-9][a-z0-9.\-]*$"
BILL_ID = rf"^{JUR}/[A-Za-z0-9.\-]+/[a-z0-9][a-z0-9.\-]*$"
TEXT = {"type": "string", "minLength": 1}


def _obj(required, **props):
    return {
        "type": "object",
        "additionalProperties": False,
        "required": list(required),
        "properties": props,
    }


SOURCE = _obj(
    ["url", "kind"],
    url=URL,
    kind={"enum": list(vocab.SOURCE_KINDS)},
    title=TEXT,
)

INSTRUMENT = _obj(
    ["id", "title", "kind", "url", "language"],
    id={"type": "string", "pattern": INSTRUMENT_ID},
    title=TEXT,
    kind={"enum": list(vocab.INSTRUMENT_KINDS)},
    url=URL,
    language={"type": "string", "pattern": r"^[a-z]{2}$"},
    note=TEXT,
)

PROVISION = _obj(
    ["id", "instrument", "citation", "url", "language", "text", "checked"],
    id={"type": "string", "pattern": PROVISION_ID},
    instrument={"type": "string", "pattern": INSTRUMENT_ID},
    citation=TEXT,
    heading=TEXT,
    url=URL,
    language={"type": "string", "pattern": r"^[a-z]{2}$"},
    text=TEXT,
    text_en=TEXT,
    excerpt={"type": "boolean"},
    effective=DATE,
    source=URL,
    checked=DATE,
)

EVENT = _obj(
    ["date", "classification"],
    date=DATE,
    classification={"enum": list(vocab.EVENT_CLASSIFICATIONS)},
    chamber={"enum": list(vocab.CHAMBERS)},
    text=TEXT,
    source=URL,
)

BILL = _obj(
    ["id", "identifier", "title", "url", "events", "sources", "checked"],
    id={"type": "string", "pattern": BILL_ID},
    identifier=TEXT,
    title=TEXT,
    session={"type": ["string", "integer"]},
    url=URL,
    summary=TEXT,
    provisions={"type": "array", "items": {"type": "string", "pattern": PROVISION_ID}},
    events={"type": "array", "minItems": 1, "items": EVENT},
    sources={"type": "array", "minItems": 1, "items": SOURCE},
    checked=DATE,
)

ASSESSMENT = _obj(
    ["conduct", "status", "checked"],
    conduct={"enum": list(vocab.CONDUCTS)},
    status={"enum": list(vocab.STATUSES)},
    scope={"enum": list(vocab.SCOPES)},
    provisions={
        "type": "array",
        "items": {"type": "string", "pattern": PROVISION_ID},
    },
    quote=TEXT,
    quote_en=TEXT,
    penalty=TEXT,
    effective=DATE,
    bills={"type": "array", "items": {"type": "string", "pattern": BILL_ID}},
    note=TEXT,
    sources={"type": "array", "items": SOURCE},
    checked=DATE,
    confidence={"enum": list(vocab.CONFIDENCE)},
)

LAW_FILE = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "ai-csam-law-tracker curated jurisdiction file",
    **_obj(
        ["jurisdiction"],
        jurisdiction={"type": "string", "pattern": rf"^(?:{JUR}|EU)$"},
        summary=TEXT,
        instruments={"type": "array", "items": INSTRUMENT},
        provisions={"type": "array", "items": PROVISION},
        bills={"type": "array", "items": BILL},
        assessments={"type": "array", "items": ASSESSMENT},
    ),
}
