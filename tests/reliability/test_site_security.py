"""The published site under hostile data: a database whose every text column (every
table) holds hostile strings, and url columns hold javascript:/data: URLs. Every page type
(Datasette's table, row, query and index pages; the gap map, its SVG, jurisdiction,
compare, search, timeline, feeds, methodology) renders them escaped and never emits a
javascript: link. Every response carries the security headers; the database is served
immutable and nothing accepts a write."""
import html
import re
import shutil
import sqlite3
import xml.etree.ElementTree as ET
from urllib.parse import quote

import pytest

from lawtracker import serve

HOSTILE = ['<script>alert("xss")</script>', '"><img src=x onerror=alert(1)>', "'><svg onload=alert(2)>",
           "</textarea></title><script>alert(3)</script>", '<a href="javascript:alert(4)">x</a>',
           "{{7*7}}{% raw %}", "]]><x>", "&lt;script&gt;"]
BAD_URLS = ["javascript:alert(1)", " JaVaScRiPt:alert(2)", "java\tscript:alert(3)",
            "data:text/html,<script>alert(4)</script>", 'https://example.gov/"><script>alert(5)</script>',
            "vbscript:msgbox(6)"]
# identifier and vocabulary columns keep their values in the "append" database (the pages
# join on them); the "replace" database overwrites them too.
KEYS = {"id", "jurisdiction", "conduct", "status", "scope", "provision", "bill", "instrument", "parent",
        "kind", "subject_type", "subject_id", "field", "language", "key", "classification", "chamber",
        "text_origin", "origin", "curated_status", "curated_scope", "proposed_status", "proposed_scope",
        "from_status", "to_status", "from_scope", "to_scope", "change", "commit", "confidence", "rule",
        "label", "spider", "unapplied_effects", "matched_terms", "rules", "conducts", "features",
        "provisions", "referenced", "languages", "evidence"}
DATES = {"as_of", "effective", "checked", "introduced", "date", "latest_action_date", "retrieved",
         "crawled_retrieved", "since", "value"}


def is_url_column(name):
    return name == "url" or name.endswith("_url") or name in ("quote_verified_against", "path", "resolve")


def text_columns(conn):
    tables = [r[0] for r in conn.execute(
        "select name from sqlite_master where type='table' and name not like 'sqlite_%' "
        "and name not like '%_fts%'")]
    for t in tables:
        for cid, name, typ, *_ in conn.execute(f"pragma table_info([{t}])"):
            if typ.upper() == "TEXT":
                yield t, name


def poison(src, dst, mode):
    shutil.copy(src, dst)
    conn = sqlite3.connect(dst)
    n = 0
    for t, col in list(text_columns(conn)):
        rowids = [r[0] for r in conn.execute(f"select rowid from [{t}]")]
        for i, rowid in enumerate(rowids):
            h = HOSTILE[(i + n) % len(HOSTILE)]
            if is_url_column(col):
                value = BAD_URLS[(i + n) % len(BAD_URLS)]
                conn.execute(f"update [{t}] set [{col}] = ? where rowid = ?", (value, rowid))
            elif mode == "append" and (col in KEYS or col in DATES):
                continue
            elif mode == "append":
                conn.execute(f"update [{t}] set [{col}] = coalesce([{col}], '') || ? where rowid = ?", (" " + h, rowid))
            else:
                conn.execute(f"update or ignore [{t}] set [{col}] = ? where rowid = ?", (f"{h}{rowid}", rowid))
        n += 1
    conn.commit()
    conn.close()
    return dst


@pytest.fixture(scope="module")
def base_db(tmp_path_factory):
    from lawtracker import build
    from tests.conftest import REPO

    db = tmp_path_factory.mktemp("base") / "lawtracker.db"
    build.build(db, REPO / "tests" / "fixtures" / "data", REPO / "tests" / "fixtures" / "crawled")
    return db


@pytest.fixture(scope="module", params=["append", "replace"])
def hostile(request, base_db, tmp_path_factory):
    db = poison(base_db, tmp_path_factory.mktemp(request.param) / "lawtracker.db", request.param)
    return request.param, db


def unescaped(body: str) -> list[str]:
    """Hostile markup that reached the page as markup."""
    found = []
    for pat in (r"<script>alert", r"<img src=x onerror", r"<svg onload", r"</textarea></title><script",
                r"<a href=\"javascript:", r"<x>"):
        if re.search(pat, body, re.I):
            found.append(pat)
    for m in re.finditer(r"""\b(?:href|src|action|formaction|xlink:href|poster|data)\s*=\s*["']?\s*([^"'\s>]*)""", body, re.I):
        v = re.sub(r"[\s\x00-\x1f]", "", html.unescape(m.group(1))).lower()
        if v.startswith(("javascript:", "vbscript:", "data:text/html")):
            found.append(m.group(0))
    return found


def page_paths(db):
    conn = sqlite3.connect(db)
    paths = ["/", "/lawtracker", "/gap-map", "/gap-map.svg", "/gap-map?conduct=possess&scope=all",
             "/jurisdiction/GB", "/jurisdiction/GB-EAW", "/jurisdiction/US-CA", "/jurisdiction/GB/feed.atom",
             "/compare?j=GB&j=US-CA&j=GB-EAW", "/search?q=image", "/search?q=child", "/search?q=" + quote(HOSTILE[0]),
             "/timeline", "/feed.atom", "/methodology", "/lawtracker/comparison",
             "/lawtracker?sql=" + quote("select * from provisions"),
             "/lawtracker?sql=" + quote("select '<script>alert(9)</script>' as x, 'javascript:alert(9)' as url"),
             "/-/versions", "/-/metadata", "/no-such-page-<script>"]
    for (t,) in conn.execute("select name from sqlite_master where type in ('table','view') and name not like 'sqlite_%'"):
        paths.append(f"/lawtracker/{t}")
        if "_fts" in t:
            continue
        pks = [r[1] for r in conn.execute(f"pragma table_info([{t}])") if r[5]]
        cols = ", ".join(f"[{p}]" for p in pks) or "rowid"
        for row in conn.execute(f"select {cols} from [{t}] limit 3"):
            paths.append(f"/lawtracker/{t}/" + ",".join(quote(str(v).replace("~", "~7E").replace(",", "~2C").replace("/", "~2F").replace(".", "~2E"), safe="~") for v in row))
    for q in conn.execute("select id from jurisdictions where id in (select jurisdiction from assessments)"):
        paths.append(f"/jurisdiction/{q[0]}")
    conn.close()
    return sorted(set(paths))


HEADER_CHECKS = {
    "x-content-type-options": lambda v: v == "nosniff",
    "referrer-policy": lambda v: v in ("no-referrer", "same-origin", "strict-origin-when-cross-origin"),
}


def check_headers(path, r):
    ctype = r.headers.get("content-type", "")
    for h, ok in HEADER_CHECKS.items():
        assert ok(r.headers.get(h, "")), (path, h, r.headers.get(h))
    if "html" in ctype or "svg" in ctype:
        csp = r.headers.get("content-security-policy", "")
        assert "default-src 'self'" in csp and "object-src 'none'" in csp, (path, csp)
        assert "frame-ancestors 'none'" in csp or r.headers.get("x-frame-options") == "DENY", path


async def test_every_page_escapes_hostile_data(hostile):
    mode, db = hostile
    ds = serve.app(db)
    statuses = {}
    for path in page_paths(db):
        r = await ds.client.get(path)
        statuses[path] = r.status_code
        assert r.status_code != 500 or mode == "replace", (path, r.text[:800])
        check_headers(path, r)
        body = r.text
        ctype = r.headers.get("content-type", "")
        bad = unescaped(body)
        assert not bad, (mode, path, bad[:5])
        if "atom" in ctype or "svg" in ctype:
            root = ET.fromstring(r.content)  # well-formed: every string escaped
            for el in root.iter():
                assert not el.tag.endswith("}script") and el.tag != "script", path
                assert not [a for a in el.attrib if a.lower().startswith("on")], path
    ok_pages = [p for p, s in statuses.items() if s == 200]
    assert len(ok_pages) > 40, statuses
    if mode == "append":  # the hostile text did reach the pages (escaped)
        r = await ds.client.get("/jurisdiction/GB")
        assert "&lt;script&gt;alert" in r.text or "&lt;img src=x onerror" in r.text or "\\u003cscript" in r.text


async def test_immutable_read_only_no_admin(base_db):
    ds = serve.app(base_db)
    dbs = (await ds.client.get("/-/databases.json")).json()
    (db,) = [d for d in dbs if d["name"] == "lawtracker"]
    assert db["is_mutable"] is False
    assert ds.settings_dict()["sql_time_limit_ms"] <= 2000 and ds.settings_dict()["max_returned_rows"] <= 5000
    # no write API, no admin or debug tools, no other method than GET/HEAD
    for method, path in [("post", "/lawtracker/provisions/-/insert"), ("post", "/lawtracker/-/create"),
                         ("post", "/lawtracker/provisions/-/drop"), ("post", "/lawtracker/provisions/GB~2Fx/-/delete"),
                         ("post", "/lawtracker/provisions/GB~2Fx/-/update"), ("post", "/-/messages"),
                         ("post", "/lawtracker"), ("put", "/lawtracker/provisions"), ("delete", "/lawtracker/provisions")]:
        r = await getattr(ds.client, method)(path) if method != "post" else await ds.client.post(path, json={"row": {"id": "x"}})
        assert r.status_code in (404, 405), (method, path, r.status_code)
    for path in ["/-/allow-debug", "/-/messages", "/-/permissions", "/-/create-token"]:
        assert (await ds.client.get(path)).status_code in (403, 404), path
    # writing SQL is refused by Datasette's read-only connection
    for sql in ["delete from provisions", "insert into build_info values ('x','y')", "attach database ':memory:' as m",
                "pragma writable_schema=1", "create table t(x)"]:
        r = await ds.client.get("/lawtracker.json?sql=" + quote(sql))
        assert r.status_code in (400, 403), (sql, r.status_code)
    conn = sqlite3.connect(base_db)
    assert conn.execute("select count(*) from provisions").fetchone()[0] > 0
    conn.close()
    # an expensive query is cut off by the time limit
    slow = "with recursive c(x) as (select 1 union all select x+1 from c) select count(*) from c"
    r = await ds.client.get("/lawtracker.json?sql=" + quote(slow))
    assert r.status_code == 400 and ("interrupted" in r.text.lower() or "time limit" in r.text.lower()), r.text[:300]
