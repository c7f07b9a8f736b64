"""The tracker's own pages (plugins/lawtracker_pages.py + templates/), through Datasette's
test client: no browser, no network. The browser tests are in tests/browser/."""
import csv
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
import sqlite_utils

from lawtracker import build, serve
from tests.conftest import REPO

BLUE, VERMILLION = "#0072B2", "#D55E00"
CUSTOM_PAGES = ["/gap-map", "/jurisdiction/GB", "/jurisdiction/US-CA", "/compare?j=GB&j=US-CA",
                "/search?q=image", "/timeline", "/methodology"]
HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'


@pytest.fixture
def ds(built_db):
    return serve.app(built_db)


def fill_of(html, jid, tag="path"):
    m = re.search(rf'<{tag} class="(?:shape|marker)" data-id="{re.escape(jid)}" data-status="([a-z_]+)" fill="(#[0-9A-Fa-f]{{6}})"', html)
    assert m, f"no {tag} for {jid}"
    return m.group(1), m.group(2)


async def test_every_custom_page_renders_with_csp_and_notice(ds):
    for path in CUSTOM_PAGES:
        r = await ds.client.get(path)
        assert r.status_code == 200, (path, r.text[:500])
        csp = r.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp, path
        assert "not legal advice" in r.text, path
        assert "Data as of" in r.text and "2026-11-01" in r.text, path
        assert 'href="/methodology"' in r.text, path
        assert 'action="/search"' in r.text, path  # the search box on every page


async def test_pages_load_nothing_from_elsewhere(ds):
    """No CDN: every script, stylesheet, image and frame comes from this site."""
    for path in CUSTOM_PAGES + ["/", "/lawtracker/comparison"]:
        html = (await ds.client.get(path)).text
        external = re.findall(r'<(?:script|img|iframe|link|source|video|audio)\b[^>]*\b(?:src|href)="(?:https?:)?//', html)
        external = [e for e in external if "rel=\"alternate\"" not in e]
        assert external == [], (path, external)


async def test_datasette_pages_get_nav_search_and_notice(ds):
    for path in ["/", "/lawtracker", "/lawtracker/comparison"]:
        r = await ds.client.get(path)
        assert r.status_code == 200
        assert 'href="/gap-map"' in r.text and 'action="/search"' in r.text
        assert "not legal advice" in r.text
        assert '<span class="lt-as-of">2026-11-01</span>' in r.text
    assert 'href="/gap-map"' in (await ds.client.get("/")).text


async def test_gap_map_colours_by_conduct(ds):
    html = (await ds.client.get("/gap-map?conduct=possess")).text
    assert fill_of(html, "GB") == ("criminalised", BLUE)
    assert fill_of(html, "US-CA") == ("criminalised", BLUE)
    html = (await ds.client.get("/gap-map?conduct=distribute")).text
    assert fill_of(html, "US-CA") == ("not_criminalised", VERMILLION)
    assert fill_of(html, "GB")[0] == "none"
    html = (await ds.client.get("/gap-map")).text  # any AI-specific offence
    assert fill_of(html, "US-CA") == ("criminalised", BLUE)
    assert fill_of(html, "GB") == ("criminalised", BLUE)


async def test_gap_map_one_shape_per_mapped_jurisdiction(ds, built_db):
    html = (await ds.client.get("/gap-map")).text
    ids = re.findall(r'<path class="shape" data-id="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    db = sqlite_utils.Database(built_db)
    world = {f["id"] for f in json.loads((REPO / "static/geo/world.json").read_text())["features"]}
    countries = {r["id"] for r in db.query("select id, iso_numeric from jurisdictions where kind = 'country'")
                 if r["iso_numeric"] in world}
    states = {r["id"] for r in db.query("select id from jurisdictions where id like 'US-%'")}
    assert set(ids) == countries | states
    assert len(states) == 51


async def test_gap_map_lists_jurisdictions_without_geometry(ds):
    html = (await ds.client.get("/gap-map?conduct=possess")).text
    beside = html[html.index('id="beside-list"'):html.index("</ul>", html.index('id="beside-list"'))]
    for jid in ["EU", "US", "GB-EAW", "GB-SCT", "GB-NIR"]:
        assert f'data-id="{jid}"' in beside
    assert 'data-id="GB-EAW" data-status="criminalised"' in beside


async def test_gap_map_small_states_get_markers(ds):
    html = (await ds.client.get("/gap-map")).text
    for jid in ["MT", "SG", "LU", "US-RI", "US-DC"]:
        assert re.search(rf'class="marker" data-id="{jid}"', html), jid
    europe = (await ds.client.get("/gap-map?view=europe")).text
    assert 'data-id="MT"' in europe and 'viewBox="420 40 150 100"' in europe


async def test_gap_map_scope_filter_and_legend(ds):
    html = (await ds.client.get("/gap-map?conduct=possess&scope=any_depiction")).text
    assert fill_of(html, "GB")[0] == "criminalised"
    assert fill_of(html, "US-CA")[0] == "other_scope"  # realistic only
    legend = html[html.index('id="map-legend"'):html.index("</ul>", html.index('id="map-legend"'))]
    assert re.search(r'data-key="criminalised".*?<span class="lt-count">2</span>', legend, re.S)  # GB, GB-EAW


async def test_gap_map_table_alternative_and_permalink_state(ds):
    html = (await ds.client.get("/gap-map?conduct=distribute")).text
    table = html[html.index('id="map-table"'):]
    assert 'data-id="US-CA"' in table and "Not criminalised" in table
    assert '<option value="distribute" selected>' in html
    assert 'href="/gap-map.csv?conduct=distribute"' in html
    assert 'href="/gap-map.svg?conduct=distribute"' in html


async def test_gap_map_ignores_unknown_parameters(ds):
    r = await ds.client.get("/gap-map?conduct=%3Cscript%3E&scope=zzz&view=mars")
    assert r.status_code == 200 and "<script>" not in r.text.split('id="gap-data"')[0].split("</h1>")[0]
    assert '<option value="any" selected>' in r.text


async def test_gap_map_csv_and_svg_downloads(ds):
    r = await ds.client.get("/gap-map.csv?conduct=possess")
    assert r.headers["content-type"].startswith("text/csv")
    data = list(csv.DictReader(io.StringIO(r.text)))
    assert {(d["jurisdiction"], d["status"]) for d in data} == {
        ("GB", "criminalised"), ("GB-EAW", "criminalised"), ("US-CA", "criminalised")}
    assert {d["on_map"] for d in data if d["jurisdiction"] == "GB-EAW"} == {"0"}
    r = await ds.client.get("/gap-map.svg?conduct=possess")
    assert r.headers["content-type"].startswith("image/svg+xml")
    root = ET.fromstring(r.text.encode())
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert 'data-id="GB" data-status="criminalised" fill="#0072B2"' in r.text
    assert "Data as of 2026-11-01" in r.text


async def test_jurisdiction_page_matrix_provisions_bills_backdrop(ds):
    r = await ds.client.get("/jurisdiction/US-CA")
    html = r.text
    assert '<tr id="cell-possess">' in html
    assert 'href="#provision-US-CA-penal-code-s311"' in html
    assert 'id="provision-US-CA-penal-code-s311"' in html
    assert "includes any representation that is generated by Artificial Intelligence" in html
    assert "United States (federal)" in html  # the federal backdrop column
    assert 'id="bill-US-CA-2099-2100-ab9"' in html and "Referred to Com. on PUB. S." in html
    assert "Cite this" in html and "http://localhost/jurisdiction/US-CA" in html
    gb = (await ds.client.get("/jurisdiction/GB")).text
    assert "England and Wales" in gb  # children
    eaw = (await ds.client.get("/jurisdiction/GB-EAW")).text
    assert 'id="provision-GB-ukpga-2099-1-s1"' in eaw  # cited from the parent's file


async def test_jurisdiction_page_for_unassessed_and_unknown(ds):
    r = await ds.client.get("/jurisdiction/FR")
    assert r.status_code == 200 and "not been assessed yet" in r.text
    assert (await ds.client.get("/jurisdiction/XX-NOPE")).status_code == 404


async def test_compare_two_columns_and_differences(ds):
    html = (await ds.client.get("/compare?j=GB&j=US-CA")).text
    assert re.findall(r'<th scope="col" class="lt-col" data-id="([^"]+)"', html) == ["GB", "US-CA"]
    assert re.search(r'<tr class="lt-differs" data-conduct="distribute">', html)
    assert re.search(r'<tr class="lt-differs" data-conduct="possess">', html)  # scope differs
    r = await ds.client.get("/compare.csv?j=GB&j=US-CA")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == 12


async def test_search_ranks_and_highlights(ds):
    html = (await ds.client.get('/search?q=%22image+generator%22')).text
    assert 'data-id="GB/ukpga-2099-1/s2"' in html
    assert re.search(r"<mark>image( |</mark> <mark>)generator</mark>", html)
    html = (await ds.client.get("/search?q=computer-graphics")).text  # hyphen: plain words
    assert 'data-id="GB/ukpga-2099-1/s1"' in html
    html = (await ds.client.get('/search?q=%22unbalanced')).text
    assert "not valid FTS5 syntax" in html


async def test_search_facets_filter(ds):
    html = (await ds.client.get("/search?q=image&conduct=tools")).text
    ids = re.findall(r'class="lt-result" data-type="[a-z]+" data-id="([^"]+)"', html)
    assert set(ids) == {"GB/ukpga-2099-1/s2", "GB/2098-99/fixture-bill"}  # both relied on for tools
    html = (await ds.client.get("/search?q=artificial&type=bill")).text
    ids = re.findall(r'class="lt-result" data-type="([a-z]+)"', html)
    assert ids and set(ids) == {"bill"}


async def test_timeline_and_feeds(ds):
    html = (await ds.client.get("/timeline")).text
    assert 'data-conduct="possess"' in html and "Latest changes" in html
    for path in ["/feed.atom", "/jurisdiction/GB/feed.atom"]:
        r = await ds.client.get(path)
        assert r.headers["content-type"].startswith("application/atom+xml")
        root = ET.fromstring(r.text.encode())
        ns = {"a": "http://www.w3.org/2005/Atom"}
        entries = root.findall("a:entry", ns)
        assert entries, path
        dates = [e.find("a:updated", ns).text for e in entries]
        assert dates == sorted(dates, reverse=True)
    text = (await ds.client.get("/jurisdiction/GB/feed.atom")).text
    assert "Royal Assent" in text and "US-CA" not in text


async def test_hostile_strings_render_as_text(tmp_path, data_dir, crawl_dir):
    for name in ("GB.yml", "US-CA.yml"):
        path = data_dir / "laws" / name
        text = path.read_text()
        text = text.replace("heading: Image generators", f"heading: {json.dumps(HOSTILE)}")
        text = text.replace("citation: Fixture Images Act 2099, s. 2", f"citation: {json.dumps('s. 2 ' + HOSTILE)}")
        text = text.replace("note: Fixture finding.", f"note: {json.dumps(HOSTILE)}")
        text = text.replace("title: Fixture Images Bill", f"title: {json.dumps('Bill ' + HOSTILE)}")
        path.write_text(text)
    bills = crawl_dir / "test_spider" / "bills.jsonl"
    bills.write_text(bills.read_text().replace(
        "https://leginfo.legislature.ca.gov/faces/billNavClient.xhtml?bill_id=20992100AB9", "javascript:alert(3)"))
    db = tmp_path / "hostile.db"
    build.build(db, data_dir, crawl_dir)
    ds = serve.app(db)
    for path in ["/gap-map?conduct=tools", "/gap-map.svg?conduct=tools", "/jurisdiction/GB",
                 "/jurisdiction/US-CA", "/compare?j=GB&j=US-CA", "/search?q=generator",
                 "/search?q=bill", "/timeline", "/feed.atom", "/jurisdiction/GB/feed.atom"]:
        r = await ds.client.get(path)
        assert r.status_code == 200, path
        assert "<script>alert(1)" not in r.text, path
        assert "<img src=x" not in r.text, path
        assert 'href="javascript:' not in r.text, path
    html = (await ds.client.get("/jurisdiction/GB")).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'id="bill-US-CA-2099-2100-ab9"' in (await ds.client.get("/jurisdiction/US-CA")).text
    data = (await ds.client.get("/gap-map?conduct=tools")).text.split('id="gap-data">')[1].split("</script>")[0]
    assert "\\u003cscript\\u003e" in data and json.loads(data)["cells"]["GB"]["tools"][2].startswith("s. 2 <script>")


def test_geometry_is_committed_and_complete():
    world = json.loads((REPO / "static/geo/world.json").read_text())
    us = json.loads((REPO / "static/geo/us.json").read_text())
    ids = {f["id"] for f in world["features"]}
    assert {"470", "702", "442", "492", "674", "438", "336", "020"} <= ids  # Malta, Singapore, ...
    assert "010" not in ids  # Antarctica
    assert len({f["id"] for f in us["features"]}) == 51
    assert all(f["d"].startswith("M") for f in world["features"] + us["features"])
    assert "world-atlas" in world["source"] and "50m" in world["source"]
    assert (REPO / "scripts/geometry/build-geometry.mjs").exists()
    assert (REPO / "scripts/geometry/package-lock.json").exists()


def test_every_un_member_is_on_the_map_except_tuvalu(real_db):
    """Natural Earth 1:50m has every UN member state but Tuvalu; Tuvalu, if assessed, is
    listed beside the map."""
    world = {f["id"] for f in json.loads((REPO / "static/geo/world.json").read_text())["features"]}
    db = sqlite_utils.Database(real_db)
    missing = {r["id"] for r in db.query("select id, iso_numeric from jurisdictions where un_member")
               if r["iso_numeric"] not in world}
    assert missing == {"TV"}


async def test_feed_lists_published_status_changes(built_db):
    """When the build has the assessment history (from git), status changes are feed entries."""
    db = sqlite_utils.Database(built_db)
    row = {"jurisdiction": "US-CA", "conduct": "distribute", "date": "2026-11-20", "change": "changed",
           "from_status": "unclear", "to_status": "not_criminalised", "from_scope": None,
           "to_scope": None, "summary": "changed on 2026-11-20 from unclear to not_criminalised",
           "reason": "fixture", "note": None, "checked": "2026-11-20", "commit": "abc123",
           "author": "fixture"}
    db["assessment_history"].insert(row, alter=True)
    db.conn.close()
    ds = serve.app(built_db)
    text = (await ds.client.get("/jurisdiction/US-CA/feed.atom")).text
    assert "California: distribute changed (unclear → not criminalised)" in text
    html = (await ds.client.get("/timeline")).text
    assert "distribute changed" in html


async def test_provision_links_resolve(ds):
    html = (await ds.client.get("/jurisdiction/GB")).text
    links = set(re.findall(r'href="(/lawtracker/provisions/[^"]+)"', html))
    assert links
    for link in links:
        assert (await ds.client.get(link)).status_code == 200, link
