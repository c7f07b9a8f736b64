"""A bill's current status, derived from its dated events — never from a free-text string.

`derive(events)` folds the events in date order through `advance`, one transition at a time,
so each rule can be tested on its own.
"""
from lawtracker.vocab import BILL_STATUSES

_RANK = {name: i for i, name in enumerate(BILL_STATUSES)}
FINAL = {"enacted", "in_force"}


def advance(status: str | None, event: dict, chambers_passed: set) -> str:
    """The status after one event. `chambers_passed` is updated in place."""
    kind = event.get("classification")
    chamber = event.get("chamber")
    if kind == "in-force":
        return "in_force"
    if kind in ("became-law", "veto-override"):
        # A veto override makes the bill law; so does promulgation without signature.
        return "in_force" if status == "in_force" else "enacted"
    if status in FINAL:
        # Procedural noise recorded after enactment (printing, transmittal) never demotes it.
        return status
    if kind == "executive-signature":
        return "enacted"
    if kind == "executive-veto":
        return "vetoed"
    if kind == "failure":
        return "failed"
    if kind == "withdrawal":
        return "withdrawn"
    if kind == "passage":
        if chamber == "legislature":
            return "passed_legislature"
        chambers_passed.add(chamber)
        if {"lower", "upper"} <= chambers_passed:
            return "passed_legislature"
        return _at_least(status, "passed_chamber")
    if kind == "executive-receipt":
        return _at_least(status, "passed_legislature")
    if kind == "introduction":
        # A revived bill (reintroduced after failing) starts over from its latest real stage.
        return "introduced" if status in (None, "failed", "withdrawn") else status
    if kind in ("referral", "committee-passage", "amendment"):
        if status in (None, "introduced", "failed", "withdrawn"):
            return "in_committee"
        return status
    return status or "introduced"


def _at_least(status, floor):
    if status is None or status in ("failed", "withdrawn", "vetoed"):
        return floor
    return status if _RANK[status] >= _RANK[floor] else floor


def derive(events) -> str | None:
    status = None
    passed = set()
    for event in sorted(events, key=lambda e: (e.get("date") or "", e.get("order") or 0)):
        status = advance(status, event, passed)
    return status
