"""Keyword sets (discovery) and action classification, including non-English terms."""
import pytest
from hypothesis import given, strategies as st

from scrapers.actions import (CLASSIFICATIONS, classify_action, classify_openstates, classify_uk_stage)
from scrapers.keywords import AI_TERMS, CSAM_TERMS, match_terms
from scrapers.text import clean_text, compact_identifier, to_iso_date


@pytest.mark.parametrize("text", [
    "Protecting Children from AI-Generated Child Sexual Abuse Material Act",
    "A bill relating to artificial intelligence and child pornography",
    "Deepfake images: sexual exploitation of children",
    "Computer-generated indecent images of children",
    "Gesetz zur Bekämpfung KI-generierter Kinderpornographie",                       # de
    "Verbreitung wirklichkeitsnaher kinderpornographischer Inhalte durch künstliche Intelligenz",  # de
    "Proposition de loi visant à lutter contre la pédopornographie générée par l'intelligence artificielle",  # fr
    "Hypertrucages et exploitation sexuelle des enfants",                             # fr
    "Proposición de ley sobre pornografía infantil generada por inteligencia artificial",  # es
    "Disegno di legge: pedopornografia e intelligenza artificiale",                   # it
    "Wetsvoorstel kinderpornografie en kunstmatige intelligentie",                    # nl
])
def test_candidates(text):
    candidate, terms = match_terms(text)
    assert candidate, (text, terms)


@pytest.mark.parametrize("text", [
    "Artificial Intelligence Risk Management Act",          # AI only
    "Child Sexual Abuse Prevention Act",                    # CSAM only
    "Said the chair of the committee on child welfare",     # 'AI' inside words
    "Kiel Canal Act; via Paris",                            # 'KI', 'IA' inside words
    "Abolition of Business Rates Bill",
])
def test_not_candidates(text):
    assert match_terms(text)[0] is False


def test_matched_terms_are_labels():
    assert match_terms("AI and CSAM") == (True, ["AI", "CSAM"])
    assert match_terms(None, "", "deepfake child pornography")[1] == ["child pornography", "deepfake"]


def test_term_tables_document_languages():
    langs = {lang for _l, lang, _p, _c in AI_TERMS + CSAM_TERMS}
    assert {"en", "de", "fr", "es", "it", "nl"} <= {x for lang in langs for x in lang.split("/")}


@pytest.mark.parametrize("text,expected", [
    ("Introduced in House", "introduction"),
    ("Read first time. To print.", "introduction"),
    ("Read twice and referred to the Committee on the Judiciary.", "referral"),
    ("Referred to Com. on PUB. S.", "referral"),
    ("Ordered to be Reported in the Nature of a Substitute (Amended) by Voice Vote.", "committee-passage"),
    ("Reported by Senator Durbin with an amendment in the nature of a substitute.", "committee-passage"),
    ("Passed/agreed to in House: On motion to suspend the rules and pass the bill Agreed to by voice vote.", "passage"),
    ("Passed Senate with an amendment by Unanimous Consent.", "passage"),
    ("Amendment SA 123 proposed by Senator X.", "amendment"),
    ("Presented to President.", "executive-receipt"),
    ("Enrolled and presented to the Governor at 3:30 p.m.", "executive-receipt"),
    ("Signed by President.", "executive-signature"),
    ("Approved by the Governor.", "executive-signature"),
    ("Vetoed by Governor.", "executive-veto"),
    ("Veto overridden by the House.", "veto-override"),
    ("Passed over the Governor's veto", "veto-override"),
    ("Became Public Law No: 118-59.", "became-law"),
    ("Chaptered by Secretary of State - Chapter 926, Statutes of 2024.", "became-law"),
    ("Royal Assent", "became-law"),
    ("Effective date 07/01/2025", "in-force"),
    ("Failed to pass in committee", "failure"),
    ("Died in committee", "failure"),
    ("Withdrawn by sponsor", "withdrawal"),
    ("Motion to reconsider laid on the table Agreed to without objection.", "other"),
    ("", "other"),
])
def test_classify_action(text, expected):
    assert classify_action(text) == expected


def test_classify_openstates_prefers_source_classification():
    assert classify_openstates(["passage", "reading-3"], "whatever") == "passage"
    assert classify_openstates(["executive-signature", "became-law"], "") == "became-law"
    assert classify_openstates([], "Vetoed by Governor") == "executive-veto"


def test_classify_uk_stages():
    assert classify_uk_stage("1st reading") == "introduction"
    assert classify_uk_stage("3rd reading") == "passage"
    assert classify_uk_stage("Royal Assent") == "became-law"
    assert classify_uk_stage("Committee stage") == "committee-passage"
    assert classify_uk_stage("Consideration of Lords amendments") == "amendment"


@given(st.text())
def test_classify_is_total(text):
    assert classify_action(text) in CLASSIFICATIONS


def test_normalisers():
    assert clean_text("  a\u00a0 b\n\tc&#13;d ") == "a b c d"
    assert to_iso_date("2021-05-04T10:42:08.0579851") == "2021-05-04"
    assert to_iso_date("12 March 2024") == "2024-03-12"
    assert to_iso_date("garbage") is None
    assert compact_identifier("H.R. 21") == "hr21" and compact_identifier("AB 1831") == "ab1831"
