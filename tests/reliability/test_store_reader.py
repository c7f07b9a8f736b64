"""The crawled-store reader against hostile files: garbled, truncated, wrongly typed or
huge JSON Lines, bad state.json. Loading either works or raises StoreError (one clear
message); the pipeline then leaves every file byte-identical. Never another exception,
never a hang."""
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rel_helpers import deadline
from scrapers.items import ProvisionItem
from scrapers.store import FILES, SpiderStore, StoreError

FUZZ = settings(max_examples=80, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])

GOOD = {
    "provisions.jsonl": '{"id": "GB/ukpga-1978-37/s1", "version": 1, "text": "a good provision text here", "sha256": "x"}\n',
    "bills.jsonl": '{"id": "GB/2024-26/x-bill", "title": "X Bill", "sha256": "y"}\n',
    "bill_events.jsonl": '{"bill_id": "GB/2024-26/x-bill", "date": "2026-01-01", "order": 1, "text": "1st reading"}\n',
    "documents.jsonl": '{"bill_id": "GB/2024-26/x-bill", "url": "https://bills.parliament.uk/x.pdf"}\n',
    "changes.jsonl": '{"detected": "2026-01-01T00:00:00Z", "kind": "bill-new", "id": "GB/2024-26/x-bill"}\n',
    "state.json": '{"searches": {"t": "2026-01-01T00:00:00"}}\n',
}
NAMES = list(FILES) + ["state.json"]

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=10))
values = st.recursive(scalars, lambda k: st.one_of(st.lists(k, max_size=3),
                                                   st.dictionaries(st.text(max_size=5), k, max_size=3)),
                      max_leaves=8)
rows = st.dictionaries(st.sampled_from(["id", "version", "bill_id", "date", "text", "url", "order",
                                        "chamber", "sha256", "candidate", "matched_terms", "x"]), values, max_size=6)


def seed(d, files):
    d.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (d / name).write_bytes(data if isinstance(data, bytes) else data.encode())
    return {p.name: p.read_bytes() for p in d.iterdir()}


def load_or_store_error(root):
    with deadline(10):
        try:
            SpiderStore(root, "sp").load()
            return True
        except StoreError:
            return False


@FUZZ
@given(name=st.sampled_from(NAMES), blob=st.binary(max_size=300))
def test_random_bytes(tmp_path_factory, name, blob):
    root = tmp_path_factory.mktemp("store")
    seed(root / "sp", {**GOOD, name: blob})
    load_or_store_error(root)


@FUZZ
@given(name=st.sampled_from(NAMES), cut=st.floats(0, 1))
def test_truncated(tmp_path_factory, name, cut):
    root = tmp_path_factory.mktemp("store")
    data = GOOD[name].encode()
    seed(root / "sp", {**GOOD, name: data[: int(len(data) * cut)]})
    load_or_store_error(root)


@FUZZ
@given(name=st.sampled_from(list(FILES)), lines=st.lists(st.one_of(rows, values), max_size=5))
def test_wrong_types(tmp_path_factory, name, lines):
    root = tmp_path_factory.mktemp("store")
    seed(root / "sp", {**GOOD, name: "".join(json.dumps(x) + "\n" for x in lines)})
    load_or_store_error(root)


def test_huge_and_deep(tmp_path):
    seed(tmp_path / "sp", {**GOOD, "provisions.jsonl": "[" * 200_000 + "]" * 200_000 + "\n"})
    assert load_or_store_error(tmp_path) is False
    seed(tmp_path / "sp", {**GOOD, "provisions.jsonl": json.dumps({"id": "a", "text": "x" * 20_000_000}) + "\n"})
    assert load_or_store_error(tmp_path) is True
    seed(tmp_path / "sp", {**GOOD, "state.json": b"\xff\xfe garbage"})
    assert load_or_store_error(tmp_path) is False


@settings(max_examples=40, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(NAMES),
       blob=st.one_of(st.binary(max_size=200),
                      st.lists(rows, min_size=1, max_size=4).map(
                          lambda ls: "".join(json.dumps(x) + "\n" for x in ls).encode())))
def test_pipeline_never_overwrites_an_unreadable_store(tmp_path_factory, name, blob):
    """A crawl that finds the store unreadable writes nothing: every file stays as it was."""
    from scraper_helpers import Harness
    from scrapers.spiders.uk_legislation import UkLegislationSpider

    h = Harness(tmp_path_factory.mktemp("h"))
    spider = h.spider(UkLegislationSpider)
    d = h.store / spider.name
    before = seed(d, {**GOOD, name: blob})
    try:
        SpiderStore(h.store, spider.name).load()
        ok = True
    except StoreError:
        ok = False
    with deadline(10):
        h.run_items(spider, [ProvisionItem(id="GB/ukpga-1978-37/s1", url="https://www.legislation.gov.uk/x",
                                           text="a changed provision text of enough length")])
    after = {p.name: p.read_bytes() for p in d.iterdir()}
    if not ok:
        assert after == before
    else:  # readable: nothing held was lost (every held line is still there)
        for n, data in before.items():
            if n.endswith(".jsonl"):
                held = [json.loads(x) for x in data.decode().splitlines() if x.strip()]
                now = after[n].decode()
                for row in held:
                    if n == "provisions.jsonl" and isinstance(row.get("text"), str):
                        assert json.dumps(row["text"], ensure_ascii=False) in now
    assert not [p for p in d.iterdir() if p.name.endswith(".tmp")]
