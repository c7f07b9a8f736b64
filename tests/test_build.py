"""`lawtracker build`: tables, keys, FTS, quote verification, crawled merge, atomicity."""
import sqlite3

import pytest
import sqlite_utils

from lawtracker import build, cli, vocab

TABLES = {"jurisdictions", "instruments", "provisions", "bills", "bill_events", "assessments"}


def rows(db, sql, *params):
    return [dict(r) for r in sqlite_utils.Database(db).query(sql, params)]


def test_tables_and_counts(built_db):
    db = sqlite_utils.Database(built_db)
    assert TABLES <= set(db.table_names())
    assert {"comparison", "status_counts"} <= set(db.view_names())
    assert db["assessments"].count == 6  # 2 GB + 2 GB-EAW + 2 US-CA in the fixture
    assert db["instruments"].count == 2
    # 3 curated provisions + 1 crawled-only provision (s9); the damaged line is skipped
    assert db["provisions"].count == 4
    # curated bill + crawled candidate; the bill of an unknown jurisdiction is skipped
    assert {r["id"] for r in db["bills"].rows} == {"GB/2098-99/fixture-bill", "US-CA/2099-2100/ab9"}


def test_foreign_keys_hold(built_db):
    db = sqlite_utils.Database(built_db)
    assert list(db.query("pragma foreign_key_check")) == []
    fks = {(fk.column, fk.other_table) for fk in db["assessments"].foreign_keys}
    assert {("jurisdiction", "jurisdictions"), ("status", "statuses"), ("conduct", "conducts")} <= fks
    assert ("bill", "bills") in {(fk.column, fk.other_table) for fk in db["bill_events"].foreign_keys}


def test_jurisdictions_cover_un_members_and_us_states(built_db):
    counts = rows(built_db, "select sum(un_member) as un, sum(parent = 'US') as us_states from jurisdictions")[0]
    assert counts == {"un": 193, "us_states": 51}
    ids = {r["id"] for r in rows(built_db, "select id from jurisdictions")}
    assert {"EU", "US", "GB", "GB-EAW", "GB-SCT", "GB-NIR", "US-DC"} <= ids


def test_comparison_view_has_one_row_per_jurisdiction(built_db):
    db = sqlite_utils.Database(built_db)
    comparison = list(db["comparison"].rows)
    assert len(comparison) == db["jurisdictions"].count
    gb = next(r for r in comparison if r["jurisdiction"] == "GB")
    assert (gb["possess"], gb["tools"], gb["create"], gb["assessed"]) == ("criminalised", "pending", None, 2)
    assert set(vocab.CONDUCTS) <= set(gb)


def test_fts_finds_provision_text_and_bill_titles(built_db):
    hits = rows(built_db, "select p.id from provisions_fts f join provisions p on p.rowid = f.rowid where provisions_fts match ?", "artificial intelligence")
    assert {h["id"] for h in hits} == {"US-CA/penal-code/s311", "GB/ukpga-2099-1/s1"}
    # porter stemming: "generated" finds "generator" and "generated"
    stem = rows(built_db, "select rowid from provisions_fts where provisions_fts match 'generate'")
    assert len(stem) == 3
    bills = rows(built_db, "select rowid from bills_fts where bills_fts match 'abuse'")
    assert len(bills) == 1


def test_fts_triggers_keep_index_in_step(built_db):
    db = sqlite_utils.Database(built_db)
    db["provisions"].update("US-CA/penal-code/s311", {"text": "wholly new zebra wording"})
    assert db["provisions"].search("zebra", columns=["id"]).__next__()["id"] == "US-CA/penal-code/s311"


def test_quote_verification(built_db):
    got = {(r["jurisdiction"], r["conduct"]): (r["quote_verified"], r["quote_verified_against"])
           for r in rows(built_db, "select * from assessments")}
    # whitespace and case normalised against the curated excerpt
    assert got[("US-CA", "possess")] == (1, "curated")
    # verified against the newest crawled text
    assert got[("GB", "tools")] == (1, "crawled")
    assert got[("GB-EAW", "possess")] == (1, "crawled")
    # the official text changed and no longer holds the quote: published as unverified
    assert got[("GB", "possess")] == (0, "curated-only")
    assert got[("GB-EAW", "create")] == (None, None)  # unclear cell, no quote


def test_crawled_text_wins_but_curated_is_kept(built_db):
    p = rows(built_db, "select * from provisions where id = 'GB/ukpga-2099-1/s2'")[0]
    assert p["text"] == "It is an offence to make, adapt, possess or supply a CSA image generator."
    assert p["curated_text"] == "It is an offence to supply a CSA image generator."
    assert (p["text_origin"], p["crawled_versions"]) == ("crawled", 2)
    s1 = rows(built_db, "select unapplied_effects from provisions where id = 'GB/ukpga-2099-1/s1'")[0]
    assert "Fixture Act 2100" in s1["unapplied_effects"]


def test_bill_status_derived_from_merged_events(built_db):
    bill = rows(built_db, "select * from bills where id = 'GB/2098-99/fixture-bill'")[0]
    # curated: introduction + Commons passage; crawled adds Lords passage and Royal Assent
    assert bill["status"] == "enacted"
    assert bill["title"] == "Fixture Images Bill"  # curated wins over crawled
    assert (bill["origin"], bill["events"], bill["latest_action_date"]) == ("both", 4, "2025-07-01")
    candidate = rows(built_db, "select * from bills where id = 'US-CA/2099-2100/ab9'")[0]
    assert (candidate["status"], candidate["candidate"], candidate["origin"]) == ("in_committee", 1, "crawled")


def test_build_refuses_invalid_data(tmp_path, data_dir, crawl_dir):
    path = data_dir / "laws" / "GB.yml"
    path.write_text(path.read_text().replace("status: criminalised", "status: maybe", 1))
    with pytest.raises(build.BuildError) as exc:
        build.build(tmp_path / "x.db", data_dir, crawl_dir)
    assert any("status" in str(p) for p in exc.value.problems)
    assert not (tmp_path / "x.db").exists()


def test_failed_build_leaves_previous_database_intact(tmp_path, built_db, data_dir, crawl_dir, monkeypatch):
    before = built_db.read_bytes()

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(build, "_views", boom)
    with pytest.raises(RuntimeError):
        build.build(built_db, data_dir, crawl_dir)
    assert built_db.read_bytes() == before
    assert [p.name for p in built_db.parent.iterdir() if p.name.endswith(".tmp")] == []
    sqlite3.connect(built_db).execute("select count(*) from assessments").fetchone()


def test_cli_build_writes_the_named_database(tmp_path, data_dir, crawl_dir, capsys):
    target = tmp_path / "X.db"
    assert cli.main(["build", "--db", str(target), "--data", str(data_dir), "--crawled", str(crawl_dir)]) == 0
    assert TABLES <= set(sqlite_utils.Database(target).table_names())
    assert "assessments 6" in capsys.readouterr().out


def test_embedded_dataset_builds(real_db):
    db = sqlite_utils.Database(real_db)
    assert db["jurisdictions"].count >= 193 + 51 + 1
    assert db["assessments"].count > 0
    # Every quote in the embedded data must verify against the stored provision text.
    bad = list(db.query("select jurisdiction, conduct from assessments where quote is not null and not quote_verified"))
    assert bad == []
    statuses = {r["status"] for r in db.query("select distinct status from assessments")}
    assert statuses <= set(vocab.STATUSES)
