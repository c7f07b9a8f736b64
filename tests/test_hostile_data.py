"""Hostile or malformed curated input gives a clear error, never a crash or a hang."""
import datetime as dt
import os
import signal
import subprocess
import sys
import time

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lawtracker import validate, yamlio

TODAY = dt.date(2026, 11, 23)
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                    st.text(max_size=30))
trees = st.recursive(scalars, lambda kids: st.one_of(
    st.lists(kids, max_size=4),
    st.dictionaries(st.sampled_from(["id", "status", "conduct", "quote", "provisions", "assessments",
                                     "instruments", "bills", "events", "text", "url", "x"]), kids, max_size=5),
), max_leaves=25)


def check_file(data_dir, name, content: bytes):
    (data_dir / "laws" / name).write_bytes(content)
    return validate.check(data_dir, TODAY)


@FAST
@given(st.binary(max_size=400))
def test_random_bytes_never_crash(data_dir, blob):
    checker = check_file(data_dir, "GB.yml", blob)
    assert all(str(p).count(":") >= 3 for p in checker.problems)


@FAST
@given(trees)
def test_random_structures_are_reported_not_raised(data_dir, tree):
    doc = {"jurisdiction": "GB", "assessments": [tree], "provisions": [tree]}
    checker = check_file(data_dir, "GB.yml", yaml.safe_dump(doc, allow_unicode=True).encode())
    for p in checker.problems:
        assert p.path.endswith("GB.yml") or p.path.endswith(".yml")
        assert p.line >= 1


@FAST
@given(st.text(max_size=300))
def test_random_text_loads_or_raises_yaml_error(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("y") / "f.yml"
    path.write_text(text, encoding="utf-8")
    try:
        yamlio.load(path)
    except yamlio.YamlError as exc:
        assert exc.line >= 1


def test_billion_laughs_is_not_expanded(data_dir):
    """YAML aliases nested to explode memory: the loader must finish quickly."""
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i-1}'] * 9)}]")
    lines.append("jurisdiction: GB")
    start = time.perf_counter()
    checker = check_file(data_dir, "GB.yml", "\n".join(lines).encode())
    assert time.perf_counter() - start < 20
    assert [str(p).split("GB.yml:")[1] for p in checker.problems if "GB.yml:" in str(p)] == [
        "1: yaml: anchors and aliases (&x, *x) are not allowed"]


def test_python_tags_are_refused(data_dir):
    checker = check_file(data_dir, "GB.yml", b"jurisdiction: !!python/object/apply:os.system ['echo pwned']\n")
    assert any(": yaml: " in str(p) for p in checker.problems)


def test_not_utf8(data_dir):
    checker = check_file(data_dir, "GB.yml", "jurisdiction: GB\nsummary: caf\xe9\n".encode("latin-1"))
    assert any("not UTF-8" in str(p) for p in checker.problems)


def test_killed_build_leaves_previous_database_and_next_build_recovers(tmp_path, data_dir, crawl_dir):
    """SIGKILL a build mid-way (inside the write): the old database stays, the next build works."""
    from lawtracker import build

    db = tmp_path / "lawtracker.db"
    build.build(db, data_dir, crawl_dir)
    before = db.read_bytes()
    script = (
        "import sys, time\n"
        "from lawtracker import build\n"
        "real = build._views\n"
        "def slow(db):\n"
        "    print('writing', flush=True); time.sleep(30); real(db)\n"
        "build._views = slow\n"
        f"build.build({str(db)!r}, {str(data_dir)!r}, {str(crawl_dir)!r})\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                            cwd=os.getcwd(), env={**os.environ, "PYTHONPATH": os.getcwd()})
    assert proc.stdout.readline().strip() == "writing"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert db.read_bytes() == before
    build.build(db, data_dir, crawl_dir)
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    # A killed build leaves its private temp file behind; it is never read, and is cleaned below.
    assert len(leftovers) <= 1
