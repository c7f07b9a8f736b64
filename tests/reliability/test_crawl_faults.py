"""Faults during a real crawl (`lawtracker crawl`, Scrapy's engine, two spiders in one
process) against a fault-injecting HTTP server on 127.0.0.1: 429 with Retry-After,
500/503, a timeout, a connection reset, redirects to other hosts and a half-written body.
Retries and backoff happen, the other spider carries on, and the store held before the
crawl is byte-identical afterwards. A crawl SIGKILLed mid-way leaves the store intact and
the next run recovers; so does a write killed mid-way."""
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from scraper_helpers import FIXTURES, REPO

CLML = (FIXTURES / "uk_legislation/ukpga-1978-37-section-1.xml").read_bytes()
FEED = (FIXTURES / "uk_legislation/changes-affected-ukpga-1978-37.feed").read_bytes()
SECTIONS = {  # section -> fault served in "faults" mode
    "1": "429-then-ok", "2": "503-twice-then-ok", "3": "500-always", "4": "timeout",
    "5": "reset", "6": "redirect-offsite", "7": "half-body", "8": "redirect-localhost",
}
FAILING = {"3", "4", "5", "6", "7", "8"}


class FaultSite:
    def __init__(self):
        self.mode = "good"
        self.log: list[tuple[float, str]] = []
        self.hits: dict[str, int] = {}
        self.hosts: set[str] = set()
        self.lock = threading.Lock()
        self.stall = threading.Event()   # "stall" mode: hold the slow request until set
        self.stalled = threading.Event()  # set once a request is being held

    def count(self, path):
        with self.lock:
            self.log.append((time.monotonic(), path))
            self.hits[path] = self.hits.get(path, 0) + 1
            return self.hits[path]


@pytest.fixture
def fault_site():
    state = FaultSite()

    class Handler(BaseHTTPRequestHandler):
        def send(self, status, body=b"", ctype="application/xml", headers=None, length=None):
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body) if length is None else length))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):  # noqa: C901
            path = urlsplit(self.path).path
            n = state.count(path)
            state.hosts.add(self.headers.get("Host", "").split(":")[0])
            f = FIXTURES
            if path == "/robots.txt":
                return self.send(200, b"User-agent: *\nAllow: /\n", "text/plain")
            if path.startswith("/uk_bills/"):
                sub = path[len("/uk_bills/api/v1/"):]
                files = {"Bills": "search.json", "Bills/4001": "bill-4001.json",
                         "Bills/4001/Stages": "bill-4001-stages.json",
                         "Bills/4001/Publications": "bill-4001-publications.json"}
                if sub in files:
                    return self.send(200, (f / "uk_bills" / files[sub]).read_bytes(), "application/json")
                return self.send(404, b'{"status": 404}', "application/json")
            if path.startswith("/uk_legislation/changes/"):
                return self.send(200, FEED, "application/atom+xml")
            if path.startswith("/uk_legislation/ukpga/1978/37/section/"):
                sec = path.split("/section/")[1].split("/")[0]
                if state.mode == "stall" and sec == "8":
                    state.stalled.set()
                    state.stall.wait(30)
                    return self.send(200, CLML)
                fault = SECTIONS.get(sec) if state.mode == "faults" else None
                if fault == "429-then-ok" and n == 1:
                    return self.send(429, b"slow down", "text/plain", {"Retry-After": "1"})
                if fault == "503-twice-then-ok" and n <= 2:
                    return self.send(503, b"unavailable", "text/plain")
                if fault == "500-always":
                    return self.send(500, b"<error/>")
                if fault == "timeout":
                    time.sleep(3.5)  # longer than DOWNLOAD_TIMEOUT=2; bounded
                    try:
                        return self.send(200, CLML)
                    except OSError:
                        return None
                if fault == "reset":
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    self.connection.close()
                    self.close_connection = True
                    return None
                if fault == "redirect-offsite":
                    return self.send(302, b"", "text/plain", {"Location": "http://attacker.example/steal.xml"})
                if fault == "redirect-localhost":
                    port = self.server.server_address[1]
                    return self.send(301, b"", "text/plain", {"Location": f"http://localhost:{port}{path}"})
                if fault == "half-body":
                    self.send(200, CLML[: len(CLML) // 2], length=len(CLML))
                    self.close_connection = True
                    return None
                return self.send(200, CLML)
            return self.send(404, b"not found", "text/plain")

        def log_message(self, *args):
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request, client_address):
            pass  # resets and client timeouts are the point of this server

    server = Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    yield state
    state.stall.set()
    server.shutdown()
    server.server_close()


def sources(tmp_path):
    path = tmp_path / "sources.yml"
    path.write_text(yaml.safe_dump({
        "provisions": [{"id": f"GB/ukpga-1978-37/s{s}", "spider": "uk_legislation",
                        "citation": f"Protection of Children Act 1978, s. {s}",
                        "url": f"https://www.legislation.gov.uk/ukpga/1978/37/section/{s}"} for s in SECTIONS],
        "discovery": {"uk_bills": {"search_terms": ["child sexual abuse"]}},
    }))
    return path


def crawl_cmd(site, tmp_path):
    bases = {"uk_bills": f"{site.base}/uk_bills", "uk_legislation": f"{site.base}/uk_legislation"}
    return [sys.executable, "-m", "lawtracker.cli", "crawl", "uk_legislation", "uk_bills",
            "--crawl-dir", str(tmp_path / "crawled"), "--sources", str(sources(tmp_path)),
            "-s", f"LAWTRACKER_BASE_URLS={json.dumps(bases)}",
            "-s", "LAWTRACKER_EXTRA_ALLOWED_HOSTS=127.0.0.1",
            "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
            "-s", "RETRY_TIMES=2", "-s", "RETRY_BACKOFF_BASE=0.2", "-s", "RETRY_BACKOFF_MAX=2",
            "-s", "DOWNLOAD_TIMEOUT=2", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=4"]


def env():
    e = {k: v for k, v in os.environ.items() if not k.startswith("LAWTRACKER_")}
    e["PYTHONPATH"] = str(REPO)
    return e


def crawl(site, tmp_path):
    return subprocess.run(crawl_cmd(site, tmp_path), cwd=REPO, env=env(), capture_output=True,
                          text=True, timeout=120)


def snapshot(root: Path) -> dict:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def report(stdout: str) -> dict:
    return {l.split()[0]: [int(x) for x in l.split()[1:]] for l in stdout.splitlines()
            if l.startswith(("uk_bills ", "uk_legislation "))}


def test_faults_retry_backoff_and_store_intact(fault_site, tmp_path):
    r1 = crawl(fault_site, tmp_path)
    out1 = r1.stdout + r1.stderr
    # the only error of a clean run: uk_bills' search lists bill 2818, which is a 404 here
    assert r1.returncode == 1 and report(r1.stdout)["uk_legislation"][4] == 0, out1
    store = tmp_path / "crawled"
    held = snapshot(store)
    provs = [json.loads(l) for l in held["uk_legislation/provisions.jsonl"].decode().splitlines()]
    assert sorted(p["id"] for p in provs) == sorted(f"GB/ukpga-1978-37/s{s}" for s in SECTIONS)

    fault_site.mode = "faults"
    fault_site.log.clear()
    fault_site.hits.clear()
    t0 = time.monotonic()
    r2 = crawl(fault_site, tmp_path)
    out = r2.stdout + r2.stderr
    (tmp_path / "faults.log").write_text(out)
    assert time.monotonic() - t0 < 90
    assert r2.returncode == 1, out  # errors were reported

    hits = fault_site.hits
    sec = lambda s: f"/uk_legislation/ukpga/1978/37/section/{s}/data.xml"  # noqa: E731
    # 429 then OK: retried once, after the Retry-After (1 s) wait
    assert hits[sec(1)] >= 2  # (more only if the loaded machine timed a request out)
    times = [t for t, p in fault_site.log if p == sec(1)]
    assert times[1] - times[0] >= 0.9, "Retry-After was not honoured"
    # 503 twice then OK: retried with backoff, then stored as the same text
    assert hits[sec(2)] >= 3
    # 500 always and the timeout: 1 + RETRY_TIMES attempts, then given up
    assert hits[sec(3)] == 3
    assert hits[sec(4)] == 3
    assert "HTTP 500" in out
    assert "took longer than 2.0 seconds" in out
    # connection reset and half-written body: retried, then reported
    assert hits[sec(5)] == 3 and hits[sec(7)] == 3
    assert "ResponseDataLossError" in out and "Connection to the other side was lost" in out
    # redirects to other hosts are refused, never followed
    assert fault_site.hosts == {"127.0.0.1"}, fault_site.hosts  # the redirect to localhost: not followed
    assert "refused request to non-official host attacker.example: http://attacker.example/steal.xml" \
           " (redirected from " in out
    assert "refused request to non-official host localhost" in out
    for s in FAILING:
        assert f"section/{s}" in out  # each failure is named in the log
    # the other spider in the same process carried on and finished its work
    rep = report(r2.stdout)
    before = report(r1.stdout)["uk_bills"]
    assert [rep["uk_bills"][i] for i in (0, 1, 4)] == [before[i] for i in (0, 1, 4)], r2.stdout
    assert hits["/uk_bills/api/v1/Bills/4001/Publications"] == 1
    # uk_legislation: 2 items (s1, s2, retried) and 6 errors
    assert rep["uk_legislation"][1] == 2 and rep["uk_legislation"][4] >= len(FAILING), r2.stdout
    # nothing lost, nothing half-written: the store is byte-identical
    assert snapshot(store) == held


def test_sigkill_mid_crawl_then_recover(fault_site, tmp_path):
    r1 = crawl(fault_site, tmp_path)
    assert report(r1.stdout)["uk_legislation"][4] == 0, r1.stdout + r1.stderr
    store = tmp_path / "crawled"
    held = snapshot(store)
    fault_site.mode = "stall"
    proc = subprocess.Popen(crawl_cmd(fault_site, tmp_path), cwd=REPO, env=env(),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        assert fault_site.stalled.wait(60), "the crawl never reached the stalled request"
        time.sleep(0.3)  # other responses are being parsed
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    assert snapshot(store) == held  # killed before the end: nothing written, nothing lost
    # the next run recovers: completes and the store is intact (same texts -> same bytes)
    fault_site.stall.set()
    fault_site.mode = "good"
    r3 = crawl(fault_site, tmp_path)
    assert report(r3.stdout)["uk_legislation"][4] == 0, r3.stdout + r3.stderr
    assert snapshot(store) == held


WRITER = r"""
import sys
from pathlib import Path
from scrapers.store import atomic_write
path = Path(sys.argv[1])
big = ("{\"id\": \"x\", \"text\": \"" + "y" * 1000 + "\"}\n") * 200_000
print("ready", flush=True)
while True:
    atomic_write(path, big)
    atomic_write(path, big.replace("y", "z"))
"""


def test_sigkill_mid_write_leaves_old_or_new_file(tmp_path):
    """A process killed while writing a store file leaves the old or the new content,
    never a torn file; the next save of the folder still works."""
    path = tmp_path / "sp" / "provisions.jsonl"
    path.parent.mkdir()
    path.write_text('{"id": "held"}\n')
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], cwd=REPO, env=env(),
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready"
        end = time.monotonic() + 20
        while time.monotonic() < end and not list(path.parent.glob(".*.tmp")):
            time.sleep(0.001)
        os.kill(proc.pid, signal.SIGKILL)  # while a temp file is being written
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.stdout.close()
    data = path.read_bytes()
    lines = data.decode().splitlines()
    assert lines and all(json.loads(l) for l in lines)
    assert len({l for l in lines}) == 1  # entirely one version
    from scrapers.store import SpiderStore

    for tmp in path.parent.glob(".*.tmp"):  # the dead writer's temp file, as found later
        os.utime(tmp, (time.time() - 3600, time.time() - 3600))
    st = SpiderStore(tmp_path, "sp").load()
    st.save()  # the next run: reads the intact file, cleans up the dead writer's temp file
    assert [json.loads(l)["id"] for l in path.read_text().splitlines()] == [json.loads(l)["id"] for l in lines]
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")], "stale temp files left behind"
