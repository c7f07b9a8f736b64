"""Typed items (dataclasses with defaults, so ItemLoader can create them empty).

Field names follow the crawled store contract in docs/architecture.md. Fields
that the store computes (sha256, version, first_seen, last_seen) are not items'
business; ``retrieved`` is filled by the validation pipeline when missing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional


@dataclass
class ProvisionItem:
    """The text of one provision (statute section / article) as the publisher shows it now."""
    id: Optional[str] = None            # provision id, same as the curated one: GB/ukpga-1978-37/s1
    url: Optional[str] = None           # official URL of the provision
    citation: Optional[str] = None      # "Protection of Children Act 1978, s. 1"
    heading: Optional[str] = None
    language: Optional[str] = None      # ISO 639-1
    text: Optional[str] = None          # normalised by the pipeline
    source_modified: Optional[str] = None   # publisher's date (YYYY-MM-DD) if given
    unapplied_effects: list = field(default_factory=list)  # amendments not yet in the revised text
    retrieved: Optional[str] = None     # ISO 8601 UTC; set by the pipeline if empty
    spider: Optional[str] = None


@dataclass
class BillItem:
    """A bill's latest state. Events and documents are separate items."""
    id: Optional[str] = None            # <jurisdiction>/<session>/<identifier>
    jurisdiction: Optional[str] = None
    session: Optional[str] = None
    identifier: Optional[str] = None    # as the legislature writes it: "H.R. 21", "S 35"
    title: Optional[str] = None
    url: Optional[str] = None           # official page
    introduced: Optional[str] = None    # YYYY-MM-DD
    source_id: Optional[str] = None     # the source's own id
    candidate: Optional[bool] = None    # computed by the pipeline from title + summary
    matched_terms: list = field(default_factory=list)
    summary: Optional[str] = None
    retrieved: Optional[str] = None
    spider: Optional[str] = None
    tracked: bool = False               # listed in data/sources.yml: kept even if not a candidate (not stored)
    text_for_matching: Optional[str] = None  # extra text (e.g. subjects) for discovery (not stored)


@dataclass
class BillEventItem:
    bill_id: Optional[str] = None
    date: Optional[str] = None          # YYYY-MM-DD
    order: Optional[int] = None
    classification: Optional[str] = None  # vocabulary in docs/data-format.md; set from text if empty
    chamber: Optional[str] = None       # lower | upper | legislature | executive
    text: Optional[str] = None
    source_url: Optional[str] = None


@dataclass
class DocumentItem:
    """A text version of a bill (introduced, engrossed, enrolled, ...)."""
    bill_id: Optional[str] = None
    title: Optional[str] = None
    date: Optional[str] = None
    url: Optional[str] = None
    media_type: Optional[str] = None


#: The fields each record kind has in the store, in order (docs/architecture.md).
PROVISION_FIELDS = ("id", "version", "url", "citation", "heading", "language", "text", "sha256",
                    "retrieved", "first_seen", "last_seen", "source_modified", "unapplied_effects",
                    "spider")
BILL_FIELDS = ("id", "jurisdiction", "session", "identifier", "title", "url", "introduced",
               "source_id", "candidate", "matched_terms", "summary", "retrieved", "sha256", "spider")
EVENT_FIELDS = ("bill_id", "date", "order", "classification", "chamber", "text", "source_url")
DOCUMENT_FIELDS = ("bill_id", "title", "date", "url", "media_type")
CHANGE_FIELDS = ("detected", "kind", "id", "old_sha256", "new_sha256", "spider")
