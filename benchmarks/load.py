"""Load test of the served site on loopback, against the server's own floor in the same run.

    .venv/bin/python benchmarks/load.py [--clients 50] [--seconds 20] [--json out.json]

Starts `lawtracker serve` on 127.0.0.1 (a free port), then for each endpoint runs `--clients`
concurrent clients for `--seconds` and reports throughput, p50/p95/p99 latency and errors. The
floor is Datasette's own `/-/versions.json` on the same server. Traffic never leaves 127.0.0.1,
and every loop is bounded in time.
"""
import argparse
import asyncio
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
ENDPOINTS = {
    "floor: /-/versions.json": "/-/versions.json",
    "gap map data (comparison.json)": "/lawtracker/comparison.json?_shape=array&_size=max",
    "jurisdiction page": "/jurisdiction/US-CA",
    "search": "/lawtracker/search_statutes.json?q=computer&_shape=array",
    "CSV export (assessments)": "/lawtracker/assessments.csv?_size=max",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def hammer(base, path, clients, seconds):
    latencies, errors = [], 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        async def worker():
            nonlocal errors
            while time.perf_counter() < deadline:
                start = time.perf_counter()
                try:
                    r = await client.get(path)
                    ok = r.status_code == 200
                except httpx.HTTPError:
                    ok = False
                latencies.append((time.perf_counter() - start) * 1000)
                errors += not ok
        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        elapsed = time.perf_counter() - started
    latencies.sort()

    def pct(p):
        return round(latencies[min(len(latencies) - 1, int(len(latencies) * p))], 1)

    return {"requests": len(latencies), "errors": errors, "rps": round(len(latencies) / elapsed, 1),
            "p50_ms": round(statistics.median(latencies), 1), "p95_ms": pct(0.95), "p99_ms": pct(0.99)}


def wait_for(base, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if httpx.get(base + "/-/versions.json", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.3)
    raise RuntimeError("server did not start")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results" / "load.json")
    args = parser.parse_args()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "lawtracker.cli", "serve", "--port", str(port)],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(base)
        results = {"date": time.strftime("%Y-%m-%d"), "clients": args.clients, "seconds": args.seconds,
                   "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                               "python": platform.python_version()}, "endpoints": {}}
        for name, path in ENDPOINTS.items():
            if httpx.get(base + path, timeout=30).status_code != 200:
                results["endpoints"][name] = {"path": path, "skipped": "not 200 before the test"}
                continue
            res = asyncio.run(hammer(base, path, args.clients, args.seconds))
            res["path"] = path
            results["endpoints"][name] = res
            print(name, json.dumps(res), flush=True)
        floor = results["endpoints"]["floor: /-/versions.json"]["p95_ms"]
        for res in results["endpoints"].values():
            if "p95_ms" in res:
                res["p95_vs_floor"] = round(res["p95_ms"] / floor, 2)
    finally:
        server.terminate()
        server.wait(timeout=20)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
