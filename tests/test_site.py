"""The published site, through Datasette's own test client."""
import pytest
import sqlite_utils
import yaml

from lawtracker import serve, vocab
from tests.conftest import REPO


@pytest.fixture
def ds(built_db):
    return serve.app(built_db)


async def test_comparison_json_lists_every_jurisdiction(ds, built_db):
    r = await ds.client.get("/lawtracker/comparison.json?_shape=array&_size=max")
    assert r.status_code == 200
    data = r.json()
    assert len(data) == sqlite_utils.Database(built_db)["jurisdictions"].count
    us_ca = next(row for row in data if row["jurisdiction"] == "US-CA")
    assert {c: us_ca[c] for c in ("create", "possess", "distribute", "tools")} == {
        "create": None, "possess": "criminalised", "distribute": "not_criminalised", "tools": None}


async def test_canned_query_possession(ds):
    r = await ds.client.get("/lawtracker/possession_criminalised.json?_shape=array")
    assert r.status_code == 200
    assert {row["jurisdiction"] for row in r.json()} == {"GB", "GB-EAW", "US-CA"}


async def test_canned_search_statutes_returns_snippet(ds):
    r = await ds.client.get("/lawtracker/search_statutes.json?_shape=array&q=%22image+generator%22")
    hits = r.json()
    assert [h["id"] for h in hits] == ["GB/ukpga-2099-1/s2"]
    assert "[image generator]" in hits[0]["snippet"]


async def test_table_search(ds):
    r = await ds.client.get("/lawtracker/provisions.json?_search=pseudo&_shape=array")
    assert [row["id"] for row in r.json()] == ["GB/ukpga-2099-1/s9"]


async def test_pending_bills_query(ds):
    r = await ds.client.get("/lawtracker/pending_bills.json?_shape=array")
    assert [row["id"] for row in r.json()] == ["US-CA/2099-2100/ab9"]


async def test_database_is_immutable_and_sql_bounded(ds):
    r = await ds.client.get("/-/databases.json")
    db = next(d for d in r.json() if d["name"] == "lawtracker")
    assert db["is_mutable"] is False
    settings = (await ds.client.get("/-/settings.json")).json()
    assert settings["sql_time_limit_ms"] <= 2000 and settings["max_returned_rows"] <= 5000


async def test_hostile_text_is_escaped(tmp_path, data_dir, crawl_dir):
    from lawtracker import build

    path = data_dir / "laws" / "GB.yml"
    path.write_text(path.read_text().replace("heading: Image generators", "heading: \"<script>alert(1)</script>\""))
    db = tmp_path / "lawtracker.db"
    build.build(db, data_dir, crawl_dir)
    r = await serve.app(db).client.get("/lawtracker/provisions")
    assert "<script>alert(1)</script>" not in r.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text


def test_metadata_describes_every_table_and_column(real_db):
    meta = yaml.safe_load((REPO / "metadata.yml").read_text())["databases"]["lawtracker"]
    db = sqlite_utils.Database(real_db)
    missing = []
    for name in db.table_names() + db.view_names():
        if name.endswith(("_fts", "_fts_data", "_fts_idx", "_fts_docsize", "_fts_config")):
            continue
        table = meta["tables"].get(name)
        if table is None or not table.get("description"):
            missing.append(name)
            continue
        for col in (db[name].columns_dict if name in db.table_names() else db[name].columns_dict):
            if col not in table.get("columns", {}):
                missing.append(f"{name}.{col}")
    assert missing == []


async def test_every_canned_query_runs(ds):
    meta = yaml.safe_load((REPO / "metadata.yml").read_text())
    for name in meta["databases"]["lawtracker"]["queries"]:
        r = await ds.client.get(f"/lawtracker/{name}.json?q=image")
        assert r.status_code == 200, (name, r.text[:300])


def test_status_vocabulary_matches_methodology():
    text = (REPO / "docs" / "methodology.md").read_text()
    for status in vocab.STATUSES:
        assert f"**`{status}`**" in text
