"""One transition at a time: a bill's status comes from its events."""
from lawtracker.billstatus import derive


def ev(date, kind, chamber=None):
    return {"date": date, "classification": kind, "chamber": chamber}


def test_no_events():
    assert derive([]) is None


def test_introduction():
    assert derive([ev("2025-01-01", "introduction", "lower")]) == "introduced"


def test_referral_puts_bill_in_committee():
    assert derive([ev("2025-01-01", "introduction"), ev("2025-01-02", "referral")]) == "in_committee"


def test_passage_in_one_chamber():
    assert derive([ev("2025-01-01", "introduction"), ev("2025-02-01", "passage", "lower")]) == "passed_chamber"


def test_passage_in_both_chambers():
    events = [ev("2025-02-01", "passage", "lower"), ev("2025-03-01", "passage", "upper")]
    assert derive(events) == "passed_legislature"


def test_unicameral_passage():
    assert derive([ev("2025-02-01", "passage", "legislature")]) == "passed_legislature"


def test_signature_enacts():
    events = [ev("2025-02-01", "passage", "legislature"), ev("2025-03-01", "executive-signature", "executive")]
    assert derive(events) == "enacted"


def test_veto():
    events = [ev("2025-02-01", "passage", "legislature"), ev("2025-03-01", "executive-veto")]
    assert derive(events) == "vetoed"


def test_veto_override_means_enacted():
    events = [ev("2025-02-01", "passage", "legislature"), ev("2025-03-01", "executive-veto"),
              ev("2025-04-01", "veto-override")]
    assert derive(events) == "enacted"


def test_procedural_noise_after_enactment_does_not_demote():
    events = [ev("2025-03-01", "became-law"), ev("2025-03-05", "referral"), ev("2025-03-06", "other"),
              ev("2025-03-07", "failure")]
    assert derive(events) == "enacted"


def test_in_force_after_enactment():
    assert derive([ev("2025-03-01", "became-law"), ev("2025-07-01", "in-force")]) == "in_force"


def test_failure_and_revival():
    events = [ev("2024-01-01", "introduction"), ev("2024-06-01", "failure"),
              ev("2025-01-10", "introduction"), ev("2025-02-01", "referral")]
    assert derive(events) == "in_committee"


def test_withdrawal():
    assert derive([ev("2025-01-01", "introduction"), ev("2025-01-05", "withdrawal")]) == "withdrawn"


def test_events_are_ordered_by_date_not_input_order():
    events = [ev("2025-03-01", "executive-signature"), ev("2025-01-01", "introduction")]
    assert derive(events) == "enacted"


def test_passage_does_not_regress_a_bill_already_through_the_legislature():
    events = [ev("2025-01-01", "passage", "legislature"), ev("2025-02-01", "passage", "lower")]
    assert derive(events) == "passed_legislature"
