"""Hostile and malformed responses against EVERY spider parser callback (property-based,
bounded): truncated and garbled bodies, wrong encodings, huge documents, deep nesting,
XML entity expansion (billion laughs), external entities (XXE) and HTML with scripts.
Each call yields clean items, requests or a logged error; never an exception (which
would lose the callback's work) and never a hang (SIGALRM deadline)."""
import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from itemadapter import ItemAdapter

from rel_helpers import CALLBACKS, IDS, family, fixture, run_callback

FUZZ = settings(max_examples=25, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
NON_HTML = [c for c in CALLBACKS if family(c) != "html"]
XMLISH = [c for c in CALLBACKS if family(c) in ("xml", "html")]
HTML = [c for c in CALLBACKS if family(c) == "html"]


def item_strings(items):
    out = []
    for it in items:
        for v in ItemAdapter(it).values():
            if isinstance(v, str):
                out.append(v)
            elif isinstance(v, (list, tuple)):
                out.extend(x for x in v if isinstance(x, str))
    return out


def ok(harness, errors, case, body, accounted=False, **kw):
    """Run the callback; with ``accounted``, also require that it produced something or
    said why not (a logged error): silence is not an answer to a broken document."""
    n_errors = len(errors())
    items, requests = run_callback(harness, case, body, **kw)
    if accounted:
        assert items or requests or run_callback.dropped or len(errors()) > n_errors, "no output and no error logged"
    for r in requests:
        assert r.url.startswith(("http://", "https://")), r.url
    return items, requests


# -- every callback gets its own well-formed fixture first (sanity of the table) ---------
@pytest.mark.parametrize("case", CALLBACKS, ids=IDS)
def test_wellformed_fixture_is_handled(harness, errors, case):
    items, requests = ok(harness, errors, case, fixture(case))
    assert not any("unexpected data shape" in e for e in errors()), errors()


# -- property-based: mutations of the real fixture ---------------------------------------
mutation = st.one_of(
    st.tuples(st.just("truncate"), st.floats(0, 1)),
    st.tuples(st.just("flip"), st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), min_size=1, max_size=8)),
    st.tuples(st.just("insert"), st.floats(0, 1), st.binary(min_size=1, max_size=40)),
    st.tuples(st.just("delete"), st.floats(0, 1), st.integers(1, 200)),
)


def mutate(body: bytes, m) -> bytes:
    n = len(body)
    if m[0] == "truncate":
        return body[: int(n * m[1])]
    if m[0] == "flip":
        b = bytearray(body)
        for pos, val in m[1]:
            b[min(n - 1, int(n * pos))] = val
        return bytes(b)
    if m[0] == "insert":
        p = int(n * m[1])
        return body[:p] + m[2] + body[p:]
    p = int(n * m[1])
    return body[:p] + body[p + m[2]:]


@pytest.mark.parametrize("case", CALLBACKS, ids=IDS)
@FUZZ
@given(m=mutation)
def test_mutated_fixture_never_crashes(harness, errors, case, m):
    ok(harness, errors, case, mutate(fixture(case), m))


@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(case=st.sampled_from(CALLBACKS), blob=st.binary(max_size=300))
def test_random_bytes_never_crash(harness, errors, case, blob):
    ok(harness, errors, case, blob, accounted=True)


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20)),
    lambda kids: st.one_of(st.lists(kids, max_size=4),
                           st.dictionaries(st.text(max_size=10), kids, max_size=4)),
    max_leaves=20)


@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(case=st.sampled_from([c for c in CALLBACKS if family(c) == "json"]), value=json_values)
def test_arbitrary_json_shapes_never_crash(harness, errors, case, value):
    ok(harness, errors, case, json.dumps(value).encode())


@settings(max_examples=40, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(case=st.sampled_from([c for c in CALLBACKS if family(c) == "json"]),
       wrong=st.sampled_from([None, 0, -1, 1.5, True, "", "x", [], {}, [None], {"a": None}]),
       which=st.floats(0, 1))
def test_wrong_types_in_real_json_never_crash(harness, errors, case, wrong, which):
    """A real document with one value (chosen at random) replaced by a value of another type."""
    data = json.loads(fixture(case))
    paths = []

    def walk(o, path):
        if isinstance(o, dict):
            for k, v in o.items():
                paths.append(path + [k])
                walk(v, path + [k])
        elif isinstance(o, list):
            for i, v in enumerate(o):
                paths.append(path + [i])
                walk(v, path + [i])

    walk(data, [])
    if paths:
        path = paths[min(len(paths) - 1, int(len(paths) * which))]
        target = data
        for p in path[:-1]:
            target = target[p]
        target[path[-1]] = wrong
    ok(harness, errors, case, json.dumps(data).encode())


# -- encodings -------------------------------------------------------------------------
ENCODINGS = [
    ("utf-16", None, None),                       # UTF-16 bytes, no header: detection
    ("utf-16-le", {"Content-Type": "text/html; charset=utf-8"}, None),  # lies about it
    ("latin-1", {"Content-Type": "application/json; charset=utf-8"}, None),
    ("cp1252", None, None),
    ("utf-8", {"Content-Type": "text/xml; charset=shift_jis"}, None),
    ("utf-8", {"Content-Type": "text/xml; charset=no-such-charset"}, None),
    ("utf-8-sig", None, None),                    # byte-order mark
]


@pytest.mark.parametrize("enc", ENCODINGS, ids=[f"{e[0]}-{bool(e[1])}" for e in ENCODINGS])
@pytest.mark.parametrize("case", CALLBACKS, ids=IDS)
def test_wrong_encodings(harness, errors, case, enc):
    codec, headers, _ = enc
    raw = fixture(case)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    text += " caf\u00e9 \u201cquoted\u201d \u00a7 184b"
    body = text.encode(codec, errors="replace")
    ok(harness, errors, case, body, headers=headers, encoding=None)


@pytest.mark.parametrize("case", CALLBACKS, ids=IDS)
def test_invalid_utf8_sequences(harness, errors, case):
    body = fixture(case)
    mid = len(body) // 2
    ok(harness, errors, case, body[:mid] + b"\xff\xfe\xc3\x28\xa0\xa1\xf0\x28\x8c\xbc" + body[mid:], encoding=None)


# -- size and depth ----------------------------------------------------------------------
def _grow(case, big: bytes) -> bytes:
    body = fixture(case)
    if family(case) == "json":
        data = json.loads(body)
        pad = big.decode()
        if isinstance(data, dict):
            data["zzz_padding"] = pad
            return json.dumps(data).encode()
        return json.dumps([pad, data]).encode()
    # XML/HTML: a huge text node just inside the root element
    m = re.search(rb"<[A-Za-z][^>]*(?<!/)>", body[body.find(b"<", body.find(b"?>") + 1 if b"?>" in body[:200] else 0):])
    start = body.find(m.group(0)) + len(m.group(0)) if m else 0
    return body[:start] + big + body[start:]


@pytest.mark.parametrize("case", CALLBACKS, ids=IDS)
def test_huge_document(harness, errors, case):
    """12 MB of text (over libxml2's 10 MB text-node limit) in an otherwise real document."""
    ok(harness, errors, case, _grow(case, b"lorem ipsum " * 1_000_000), accounted=True, limit=20)


@pytest.mark.parametrize("case", CALLBACKS, ids=IDS)
def test_deeply_nested(harness, errors, case):
    depth = 200_000
    if family(case) == "json":
        body = b"[" * depth + b"]" * depth
        ok(harness, errors, case, body, accounted=True)
        body = b'{"items": ' * depth + b"1" + b"}" * depth
        ok(harness, errors, case, body, accounted=True)
    else:
        ok(harness, errors, case, _grow(case, b"<a>" * depth + b"x" + b"</a>" * depth), accounted=True)
        ok(harness, errors, case, b"<root>" + b"<a>" * depth + b"x" + b"</a>" * depth + b"</root>",
           accounted=True)


# -- entity attacks ----------------------------------------------------------------------
LAUGHS = (b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                     for i in range(1, 10))
          + b"]>")


def _with_doctype(body: bytes, doctype: bytes, ref: bytes) -> bytes:
    """Put ``doctype`` after the XML declaration and ``ref`` in front of every text run."""
    if body.startswith(b"\xef\xbb\xbf"):
        body = body[3:]
    decl = b""
    if body.startswith(b"<?xml"):
        end = body.find(b"?>") + 2
        decl, body = body[:end], body[end:]
    body = re.sub(rb"<!DOCTYPE[^>]*>", b"", body, count=1)
    body = re.sub(rb">([A-Za-z0-9])", b">" + ref + rb"\1", body, count=400)
    return decl + doctype + body


@pytest.mark.parametrize("case", XMLISH, ids=[f"{c[0].name}.{c[1]}" for c in XMLISH])
def test_billion_laughs(harness, errors, case):
    body = _with_doctype(fixture(case), LAUGHS, b"&lol9;")
    items, _ = ok(harness, errors, case, body, accounted=True, limit=10)
    assert all(len(s) < 2_000_000 for s in item_strings(items))
    assert not any("lollollol" * 100 in s for s in item_strings(items))


@pytest.mark.parametrize("case", XMLISH, ids=[f"{c[0].name}.{c[1]}" for c in XMLISH])
def test_external_entities_not_resolved(harness, errors, case, tmp_path, caplog):
    secret = tmp_path / "secret.txt"
    marker = "XXE-SECRET-7f3a9c"
    secret.write_text(marker)
    for doctype, ref in (
        (b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file://%s">]>' % str(secret).encode(), b"&xxe;"),
        (b'<!DOCTYPE x [<!ENTITY % p SYSTEM "file://' + str(secret).encode() + b'"> %p;]>', b""),
        (b'<!DOCTYPE x SYSTEM "file://' + str(secret).encode() + b'">', b""),
        (b'<!DOCTYPE x [<!ENTITY net SYSTEM "http://127.0.0.1:9/xxe">]>', b"&net;"),
    ):
        body = _with_doctype(fixture(case), doctype, ref)
        items, requests = ok(harness, errors, case, body)
        dumped = " ".join(item_strings(items)) + " ".join(r.url for r in requests)
        assert marker not in dumped
        assert marker not in caplog.text


@pytest.mark.parametrize("case", HTML, ids=[f"{c[0].name}.{c[1]}" for c in HTML])
def test_html_with_scripts(harness, errors, case):
    """Scripts, event handlers and javascript: links inside the text the spider extracts:
    the items carry plain text only (no markup survives), or nothing."""
    hostile = (b'<script>alert("pwned")</script><img src=x onerror="alert(1)">'
               b'<a href="javascript:alert(2)">link</a><style>body{}</style><iframe src="http://evil.example"></iframe>')
    body = re.sub(rb">([A-Za-z0-9])", b">" + hostile + rb"\1", fixture(case), count=200)
    items, requests = ok(harness, errors, case, body)
    for s in item_strings(items):
        assert "<script" not in s.lower() and "onerror=" not in s.lower() and "<img" not in s.lower(), s[:200]
        assert not s.lower().startswith("javascript:")
    for r in requests:
        assert not r.url.lower().startswith("javascript:")
