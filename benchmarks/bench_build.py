"""Build throughput and full-text search latency, against baselines measured in the same run.

    .venv/bin/python benchmarks/bench_build.py [--sizes 1000 10000 100000] [--json out.json]

Build: `lawtracker.build.write` (tables, keys, indexes, FTS with triggers, views) on N synthetic
provisions, vs a bare sqlite3 `executemany` of the same rows into a table with no index (the
near-physical limit). Search: FTS5 queries through the `search_statutes` SQL, p50/p95 at N.
"""
import argparse
import json
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
import resource
import subprocess
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlite_utils  # noqa: E402

from benchmarks import synthetic  # noqa: E402
from lawtracker import build  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def bare_insert(rows, path):
    cols = list(rows[0])
    conn = sqlite3.connect(path)
    conn.execute(f"create table provisions ({', '.join(cols)})")
    start = time.perf_counter()
    with conn:
        conn.executemany(
            f"insert into provisions values ({', '.join('?' for _ in cols)})",
            [tuple(r[c] for c in cols) for r in rows],
        )
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def our_build(rows, path):
    ds = build.Dataset()
    ds.jurisdictions = [{"id": "DE", "name": "Germany", "kind": "country", "parent": None,
                         "un_member": True, "eu_member": True, "iso_numeric": "276",
                         "summary": None, "as_of": None}]
    ds.provisions = rows
    db = sqlite_utils.Database(path, recreate=True)
    db.execute("pragma journal_mode = off")  # as lawtracker.build.build does
    db.execute("pragma synchronous = off")
    start = time.perf_counter()
    with db.conn:
        build.write(db, ds, {"bench": 1})
    elapsed = time.perf_counter() - start
    db.close()
    return elapsed


def _search_sql():
    import yaml

    meta = yaml.safe_load((ROOT / "metadata.yml").read_text())
    # The published canned query, with its :q parameter bound positionally.
    return meta["databases"]["lawtracker"]["queries"]["search_statutes"]["sql"].replace("fts_query(:q)", "?").replace(":q", "?")


SEARCH_SQL = _search_sql()


def _percentiles(times):
    times = sorted(times)
    return {"p50_ms": round(statistics.median(times), 2),
            "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 2),
            "max_ms": round(times[-1], 2), "queries": len(times)}


def search_latency(path, queries):
    conn = sqlite3.connect(path)
    by_class = {}
    for i, q in enumerate(queries):
        start = time.perf_counter()
        conn.execute(SEARCH_SQL, (q,)).fetchall()
        by_class.setdefault(synthetic.QUERY_CLASSES[i % 4], []).append((time.perf_counter() - start) * 1000)
    conn.close()
    out = _percentiles([t for ts in by_class.values() for t in ts])
    out["by_class"] = {k: _percentiles(v) for k, v in by_class.items()}
    return out


def build_breakdown(rows, path):
    """Where the build's time goes: the FTS5 index and the classifier/review tables vs the rest
    (rows, keys, indexes, views)."""
    from lawtracker import review

    timings = {"fts_s": 0.0, "classify_review_s": 0.0}
    real_fts, real_review = sqlite_utils.db.Table.enable_fts, review.write_tables

    def timed(key, fn):
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                timings[key] += time.perf_counter() - start
        return wrapper

    sqlite_utils.db.Table.enable_fts = timed("fts_s", real_fts)
    review.write_tables = timed("classify_review_s", real_review)
    try:
        total = our_build(rows, path)
    finally:
        sqlite_utils.db.Table.enable_fts, review.write_tables = real_fts, real_review
    core = total - timings["fts_s"] - timings["classify_review_s"]
    return {"total_s": round(total, 2), "fts_s": round(timings["fts_s"], 2),
            "classify_review_s": round(timings["classify_review_s"], 2),
            "without_fts_rows_per_s": round(len(rows) / (total - timings["fts_s"])),
            "core_rows_per_s": round(len(rows) / core)}


def real_build_peak(path):
    """`lawtracker build` of the embedded dataset in a fresh child process: wall time and peak
    RSS. Measured by a wrapper process, so that no other child of this benchmark (e.g. git,
    run by the in-process builds above) counts towards the peak."""
    wrapper = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        f"subprocess.run([sys.executable, '-m', 'lawtracker.cli', 'build', '--db', {str(path)!r}], check=True, capture_output=True)\n"
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    out = subprocess.run([sys.executable, "-c", wrapper], check=True, cwd=ROOT, capture_output=True, text=True)
    wall, peak_kb = out.stdout.split()
    return {"embedded_dataset_build_s": round(float(wall), 2), "peak_rss_mb": round(int(peak_kb) / 1024, 1)}


def run(sizes):
    results = {"machine": {"python": platform.python_version(), "platform": platform.platform(),
                           "processor": platform.processor() or platform.machine(),
                           "sqlite": sqlite3.sqlite_version},
               "date": time.strftime("%Y-%m-%d"), "build": [], "search": None}
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            rows = synthetic.provisions(n)
            bare = min(bare_insert(rows, f"{tmp}/bare-{n}-{i}.db") for i in range(2))
            ours = min(our_build(rows, f"{tmp}/ours-{n}-{i}.db") for i in range(2 if n < 100000 else 1))
            split = build_breakdown(rows, f"{tmp}/split-{n}.db")
            entry = {"provisions": n, "bare_rows_per_s": round(n / bare), "build_rows_per_s": round(n / ours),
                     "ratio": round(bare / ours, 3),
                     **split, "ratio_without_fts": round(split["without_fts_rows_per_s"] / (n / bare), 3),
                     "ratio_core": round(split["core_rows_per_s"] / (n / bare), 3)}
            results["build"].append(entry)
            print(json.dumps(entry), flush=True)
        largest = max(sizes)
        results["search"] = {"provisions": largest, **search_latency(f"{tmp}/ours-{largest}-0.db", synthetic.queries())}
        print(json.dumps(results["search"]), flush=True)
        results["real_build"] = real_build_peak(f"{tmp}/real.db")
        print(json.dumps(results["real_build"]), flush=True)
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results" / "build.json")
    args = parser.parse_args()
    results = run(args.sizes)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
