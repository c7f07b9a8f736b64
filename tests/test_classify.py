"""The classifier machinery: rule sets as data, negation, proposals, the agreement report, CLI."""
import json

import pytest
import sqlite_utils

from lawtracker import build, classify, cli
from lawtracker.classify import agreement, classify_text, propose, ruleset_from_spec


def cell(conduct, cur, prop, cur_scope=None, prop_scope=None, evaluated=True, disagreement=None):
    return {"jurisdiction": "XX", "conduct": conduct, "curated_status": cur, "curated_scope": cur_scope,
            "proposed_status": prop, "proposed_scope": prop_scope, "evaluated": evaluated,
            "disagreement": disagreement, "evidence": ""}


def test_agreement_numbers_by_hand():
    cells = [
        cell("possess", "criminalised", "criminalised", "realistic", "realistic"),        # tp, scope ok
        cell("possess", "partial", "criminalised", "obscene_only", "any_depiction", disagreement="status"),  # tp
        cell("possess", "criminalised", "unclear", "realistic", None, disagreement="unconfirmed"),          # fn
        cell("possess", "not_criminalised", "partial", None, "obscene_only", disagreement="status"),        # fp
        cell("possess", "not_criminalised", "not_criminalised"),                           # tn
        cell("possess", "unclear", "criminalised", evaluated=False),                       # not scored
        cell("possess", "pending", None, evaluated=False),                                  # not scored
        cell("tools", "not_criminalised", "not_criminalised"),                              # tn
        cell("tools", "criminalised", "criminalised"),                                      # tp
    ]
    r = agreement(cells)
    p = r["conducts"]["possess"]
    assert (p["tp"], p["fp"], p["fn"], p["tn"]) == (2, 1, 1, 1)
    assert p["precision"] == round(2 / 3, 3) and p["recall"] == round(2 / 3, 3)
    assert p["evaluated"] == 5 and p["not_scored_pending_unclear"] == 2
    assert p["status_agreement"] == round(2 / 5, 3)
    t = r["conducts"]["tools"]
    assert (t["precision"], t["recall"]) == (1.0, 1.0)
    assert r["conducts"]["create"]["precision"] is None  # nothing proposed: undefined, not 0
    # scopes: over scored cells with a curated scope (3 of them)
    s = r["scopes"]
    assert (s["realistic"]["tp"], s["realistic"]["fn"], s["realistic"]["fp"]) == (1, 1, 0)
    assert (s["obscene_only"]["tp"], s["obscene_only"]["fn"]) == (0, 1)
    assert s["any_depiction"]["fp"] == 1 and s["any_depiction"]["precision"] == 0.0
    assert s["obscene_only"]["fp"] == 0  # the not_criminalised cell has no curated scope
    assert r["overall"]["precision"] == round(3 / 4, 3) and r["overall"]["recall"] == round(3 / 4, 3)
    assert len(r["disagreements"]) == 3
    text = classify.format_report(r)
    assert "| possess | 5 | 2 | 1 | 1 | 1 | 0.67 | 0.67 |" in text
    assert "| XX possess | not_criminalised | partial/obscene_only |" in text


def test_rules_are_data():
    rs = ruleset_from_spec({
        "context": {"minor": ["kid"], "sexual": ["lewd"]},
        "conducts": {"possess": ["holds"]},
        "features": {"computer_generated": ["synthesised"]},
        "negation": {"cues": [r"\bexcept\b"]},
    }, "xx")
    assert {r.kind for r in rs.rules} == {"context", "conduct", "feature"}
    with pytest.raises(ValueError):
        ruleset_from_spec({"conducts": {"steal": ["x"]}}, "xx")


def test_custom_rules_dir(tmp_path):
    (tmp_path / "xx.yml").write_text(
        "context: {minor: ['kid'], sexual: ['lewd']}\nconducts: {possess: ['holds']}\n"
        "features: {computer_generated: ['synthesised']}\nnegation: {cues: ['\\bexcept\\b']}\n")
    text = "Whoever holds a lewd synthesised image of a kid, except a synthesised one."
    r = classify_text(text, "xx", rules_dir=str(tmp_path))
    assert r.conducts == {"possess"} and r.scope == "realistic"
    cg = [f for f in r.findings if f.label == "computer_generated"]
    assert [f.negated for f in cg] == [False, True] and cg[1].cue == "except"


def test_context_is_required_for_csam_conducts():
    # possession alone, with no child or sexual material named, is not a CSAM offence
    r = classify_text("It is an offence for a person to be in possession of a firearm.", "en")
    assert r.conducts == set()


def test_definition_basis_and_unclear():
    definition = classify_text("the minor depicted does not have to actually exist", "en")  # US-VA/code/18.2-374.1
    p = propose([("US-VA/code/18.2-374.1", definition)], "possess")
    assert (p.status, p.scope, p.basis) == ("criminalised", "any_depiction", "definition")
    offence = classify_text("It is an offence for a person to have any indecent photograph of a child in his possession.", "en")
    p = propose([("x", offence)], "possess")
    assert (p.status, p.basis) == ("unclear", "offence")  # conduct found, nothing on the material
    assert propose([("x", offence)], "distribute").status == "not_criminalised"
    p = propose([("x", classify_text("Kdo vyrobí", "cs"))], "create")
    assert p.status is None and not p.covered


def test_cross_reference_pulls_in_the_definition():
    provisions = [
        {"id": "US-XX/code/s2", "jurisdiction": "US-XX", "instrument": "US-XX/code", "citation": "XX Code § 2",
         "language": "en", "text": "It is unlawful to possess child pornography as defined in section 1."},
        {"id": "US-XX/code/s1", "jurisdiction": "US-XX", "instrument": "US-XX/code", "citation": "XX Code § 1",
         "language": "en", "text": "a computer-generated image that is indistinguishable from that of a minor"},
    ]
    assessments = [{"jurisdiction": "US-XX", "conduct": "possess", "status": "criminalised", "scope": "realistic",
                    "checked": "2026-11-01"}]
    ap = [{"jurisdiction": "US-XX", "conduct": "possess", "provision": "US-XX/code/s2", "position": 0}]
    an = classify.analyse(provisions, [], assessments, ap)
    (c,) = an.cells
    assert json.loads(c["referenced"]) == ["US-XX/code/s1"]
    assert (c["proposed_status"], c["proposed_scope"], c["disagreement"]) == ("criminalised", "realistic", None)


def test_build_writes_classifier_tables(built_db):
    db = sqlite_utils.Database(built_db)
    assert {"classifications", "classification_findings", "classifier_proposals"} <= set(db.table_names())
    rows = {r["subject_id"]: r for r in db["classifications"].rows_where("subject_type = 'provision'")}
    assert json.loads(rows["GB/ukpga-2099-1/s2"]["conducts"]) == ["tools"]
    for f in db.query("select f.*, case f.field when 'heading' then p.heading else p.text end as source "
                      "from classification_findings f join provisions p "
                      "on f.subject_type = 'provision' and p.id = f.subject_id"):
        assert f["source"][f["start"]:f["end"]] == f["phrase"]
    for f in db.query("select f.*, case f.field when 'title' then b.title else b.summary end as source "
                      "from classification_findings f join bills b on f.subject_type = 'bill' and b.id = f.subject_id"):
        assert f["source"][f["start"]:f["end"]] == f["phrase"]
    assert db["classifier_proposals"].count == db["assessments"].count


def test_cli_text(tmp_path, capsys):
    path = tmp_path / "t.txt"
    text = ("(1)It is an offence for a person to have any indecent photograph or "
            "pseudo-photograph of a child . . . in his possession.")  # GB/ukpga-1988-33/s160
    path.write_text(text)
    assert cli.main(["classify", "--text", str(path), "--lang", "en"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["conducts"] == ["possess"] and out["scope"] == "realistic"
    assert any(f["phrase"] == "pseudo-photograph" and f["start"] == text.index("pseudo-photograph") for f in out["findings"])


def test_cli_report(data_dir, crawl_dir, capsys):
    assert cli.main(["classify", "--report", "--data", str(data_dir), "--crawled", str(crawl_dir)]) == 0
    out = capsys.readouterr().out
    assert "| conduct | scored |" in out and "Disagreeing cells" in out
    assert cli.main(["classify", "--report", "--json", "--data", str(data_dir), "--crawled", str(crawl_dir)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report["conducts"]) == set(classify.CONDUCTS)


def test_agreement_report_on_embedded_data(real_db):
    """CI runs the report on the embedded data; the figures are measured, not asserted."""
    from tests.conftest import REPO

    cells = list(sqlite_utils.Database(real_db)["classifier_proposals"].rows)
    report = agreement(cells)
    assert report["evaluated"] > 0 and set(report["conducts"]) == set(classify.CONDUCTS)
    for v in report["conducts"].values():
        assert v["tp"] + v["fp"] + v["fn"] + v["tn"] == v["evaluated"]
        for k in ("precision", "recall"):
            assert v[k] is None or 0 <= v[k] <= 1
    assert "| conduct | scored |" in classify.format_report(report)
    doc = (REPO / "docs" / "analysis.md").read_text()
    block = doc[doc.index("<!-- agreement:begin -->"):doc.index("<!-- agreement:end -->")]
    assert "| create |" in block and "| realistic |" in block and "Measured on" in block


def test_untrusted_values_do_not_break_the_classifier():
    for value in (None, 42, {"a": 1}, ["x"], "", "\x00" * 10, "child " * 20000):
        r = classify_text(value, "en")
        assert all(value[f.start:f.end] == f.phrase for f in r.findings)
    assert classify_text("child", {"not": "a language"}).rules is None
    assert classify_text("child", "../../etc/passwd").rules is None


def test_cli_lists_every_text(data_dir, crawl_dir, capsys):
    assert cli.main(["classify", "--data", str(data_dir), "--crawled", str(crawl_dir)]) == 0
    out = capsys.readouterr().out
    assert "provision GB/ukpga-2099-1/s2 [text] en: conducts tools" in out
    assert "bill      US-CA/2099-2100/ab9 [title] en" in out
