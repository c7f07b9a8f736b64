"""Spider parse throughput and a full local crawl, against baselines measured in the same run.

    .venv/bin/python benchmarks/bench_spiders.py [--seconds 1.0] [--docs 300] [--json out.json]

Parse: each spider callback on a recorded-shape fixture (responses/s, the callback's output
fully consumed), vs a bare ``json.loads`` / ``lxml.etree.fromstring`` of the same bytes.
Crawl: ``uk_legislation`` through Scrapy's engine (robots.txt, middlewares, pipelines,
store write) fetching N documents from a 127.0.0.1 server, vs the same requests with a
no-op parse callback; each crawl runs in its own process, whose peak RSS is reported.
Writes benchmarks/results/spiders.json. Nothing leaves the machine.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FIXTURES = ROOT / "tests" / "scrapers" / "fixtures"

from lxml import etree  # noqa: E402

# format, spider module:class, callback, kwargs, url, response kind, fixture, bare parser
FORMATS = [
    ("CLML XML (legislation.gov.uk)", "uk_legislation:UkLegislationSpider", "parse_provision",
     {"entry": {"id": "GB/ukpga-1978-37/s1", "url": "https://www.legislation.gov.uk/ukpga/1978/37/section/1"}},
     "https://www.legislation.gov.uk/ukpga/1978/37/section/1/data.xml", "xml",
     "uk_legislation/ukpga-1978-37-section-1.xml", "xml"),
    ("UK Bills API JSON (stages)", "uk_bills:UkBillsSpider", "parse_stages",
     {"bill": None, "detail": {}}, "https://bills-api.parliament.uk/api/v1/Bills/4001/Stages", "text",
     "uk_bills/bill-4001-stages.json", "json"),
    ("Congress.gov API JSON (bill)", "us_congress:UsCongressSpider", "parse_bill", {},
     "https://api.congress.gov/v3/bill/119/s/3021?format=json", "text", "us_congress/bill_119_s_3021.json", "json"),
    ("BILLSTATUS XML (govinfo)", "us_congress:UsCongressSpider", "parse_billstatus", {},
     "https://www.govinfo.gov/bulkdata/BILLSTATUS/119/s/BILLSTATUS-119s3021.xml", "xml",
     "us_congress/BILLSTATUS-115hr5053-legacy.xml", "xml"),
    ("Cellar XML (EU procedure)", "eu_cellar:EuCellarSpider", "parse_procedure", {"ref": "2024/0035(COD)"},
     "http://publications.europa.eu/resource/procedure/2024_35", "xml", "eu_cellar/procedure-2024_35-tree.xml", "xml"),
    ("Open States JSON (bills page)", "openstates:OpenStatesSpider", "parse_bills",
     {"key": "ca|q", "state": "ca", "query": "q", "since": None, "page": 1},
     "https://v3.openstates.org/bills?jurisdiction=ca", "text", "openstates/bills-ca-page1.json", "json"),
    ("LIMS XML (Canada Justice Laws)", "ca_justice:CaJusticeSpider", "parse_act",
     {"entries": {"163.1": {"id": "CA/criminal-code/s163.1",
                            "url": "https://laws-lois.justice.gc.ca/eng/acts/C-46/section-163.1.html"}}},
     "https://laws-lois.justice.gc.ca/eng/XML/C-46.xml", "xml", "ca_justice/C-46-excerpt.xml", "xml"),
]


def make_spider(spec, store):
    import importlib

    from scrapy.utils.test import get_crawler

    mod, cls_name = spec.split(":")
    cls = getattr(importlib.import_module(f"scrapers.spiders.{mod}"), cls_name)
    sources = Path(store) / "sources.yml"
    sources.write_text("provisions: []\n")
    crawler = get_crawler(cls, settings_dict={"LAWTRACKER_CRAWL_DIR": str(store),
                                              "LAWTRACKER_SOURCES": str(sources), "HTTPCACHE_ENABLED": False})
    crawler._apply_settings()
    spider = cls.from_crawler(crawler)
    crawler.spider = spider
    return spider


def rate(fn, seconds):
    """Calls per second of fn over about ``seconds`` (after one warm-up call)."""
    fn()
    n, start = 0, time.perf_counter()
    while True:
        fn()
        n += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return n / elapsed, n


def parse_benchmarks(seconds):
    from scrapy.http import TextResponse, XmlResponse
    from scrapy import Request

    from scrapers.items import BillItem

    os.environ.setdefault("CONGRESS_GOV_API_KEY", "bench")
    os.environ.setdefault("OPENSTATES_API_KEY", "bench")
    out = []
    with tempfile.TemporaryDirectory() as store:
        for name, spec, cb, kwargs, url, kind, fixture, bare in FORMATS:
            body = (FIXTURES / fixture).read_bytes()
            spider = make_spider(spec, store)
            if "bill" in kwargs and kwargs["bill"] is None:
                kwargs = dict(kwargs, bill=BillItem(id="GB/2024-26/x-bill", source_id="4001",
                                                    url="https://bills.parliament.uk/bills/4001"))
            cls = XmlResponse if kind == "xml" else TextResponse
            callback = getattr(spider, cb)
            produced = []

            def ours():
                resp = cls(url=url, body=body, encoding="utf-8", request=Request(url))
                produced[:] = list(callback(resp, **kwargs) or [])

            if bare == "json":
                def baseline():
                    json.loads(body)
            else:
                def baseline():
                    etree.fromstring(body)

            ours_rate, n1 = rate(ours, seconds)
            bare_rate, n2 = rate(baseline, seconds)
            out.append({"format": name, "callback": f"{spider.name}.{cb}", "bytes": len(body),
                        "outputs_per_response": len(produced),
                        "spider_responses_per_s": round(ours_rate, 1), "bare_parse_per_s": round(bare_rate, 1),
                        "ratio_of_bare": round(ours_rate / bare_rate, 4),
                        "spider_mb_per_s": round(ours_rate * len(body) / 1e6, 2),
                        "calls": [n1, n2]})
            print(f"{name:34} {ours_rate:9.0f}/s  bare {bare_rate:9.0f}/s  ratio {ours_rate / bare_rate:.3f}"
                  f"  ({len(body)} B, {len(produced)} outputs)", flush=True)
    return out


# -- full crawl --------------------------------------------------------------------------------

CLML = (FIXTURES / "uk_legislation/ukpga-1978-37-section-1.xml").read_bytes()


def serve_fixtures():
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            if self.path == "/robots.txt":
                body, ctype = b"User-agent: *\nAllow: /\n", "text/plain"
            elif "/section/" in self.path:
                body, ctype = CLML, "application/xml"
            else:
                body, ctype = b'<feed xmlns="http://www.w3.org/2005/Atom"/>', "application/atom+xml"
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True

    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def crawl_child(mode, base, docs, workdir):
    """Run in a child process: one crawl, print JSON with elapsed time and peak RSS."""
    import logging

    import yaml
    from scrapy.crawler import AsyncCrawlerProcess
    from scrapy.settings import Settings

    from scrapers.spiders.uk_legislation import UkLegislationSpider

    class NoopSpider(UkLegislationSpider):
        name = "uk_legislation"

        def parse_provision(self, response, entry):
            return []

        def parse_changes(self, response, act):
            return []

    work = Path(workdir)
    sources = work / "sources.yml"
    sources.write_text(yaml.safe_dump({"provisions": [
        {"id": f"GB/ukpga-1978-37/s{i}", "spider": "uk_legislation",
         "url": f"https://www.legislation.gov.uk/ukpga/1978/37/section/{i}"} for i in range(1, docs + 1)]}))
    settings = Settings()
    settings.setmodule("scrapers.settings", priority="project")
    for k, v in {"LAWTRACKER_CRAWL_DIR": str(work / f"crawled-{mode}"), "LAWTRACKER_SOURCES": str(sources),
                 "LAWTRACKER_BASE_URLS": {"uk_legislation": f"{base}/uk_legislation"},
                 "LAWTRACKER_EXTRA_ALLOWED_HOSTS": ["127.0.0.1"], "DOWNLOAD_DELAY": 0,
                 "AUTOTHROTTLE_ENABLED": False, "CONCURRENT_REQUESTS": 16,
                 "CONCURRENT_REQUESTS_PER_DOMAIN": 16, "LOG_LEVEL": "WARNING",
                 "HTTPCACHE_ENABLED": False}.items():
        settings.set(k, v, priority="cmdline")
    logging.getLogger().setLevel(logging.WARNING)
    process = AsyncCrawlerProcess(settings)
    crawler = process.create_crawler(NoopSpider if mode == "noop" else UkLegislationSpider)
    process.crawl(crawler)
    start = time.perf_counter()
    process.start()
    elapsed = time.perf_counter() - start
    stats = crawler.stats.get_stats()
    print(json.dumps({"mode": mode, "elapsed_s": elapsed,
                      "responses": stats.get("downloader/response_count", 0),
                      "items": stats.get("item_scraped_count", 0),
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def crawl_benchmarks(docs, repeats=2):
    server = serve_fixtures()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    results = {}
    try:
        for mode in ("noop", "ours") * repeats:
            with tempfile.TemporaryDirectory() as work:
                r = subprocess.run([sys.executable, __file__, "--crawl-child", mode, base, str(docs), work],
                                   capture_output=True, text=True, timeout=600, cwd=ROOT)
                line = [l for l in r.stdout.splitlines() if l.startswith("{")]
                if r.returncode != 0 or not line:
                    raise SystemExit(f"crawl child failed:\n{r.stdout}\n{r.stderr[-3000:]}")
                res = json.loads(line[-1])
                best = results.get(mode)
                if best is None or res["elapsed_s"] < best["elapsed_s"]:
                    results[mode] = res
    finally:
        server.shutdown()
        server.server_close()
    for res in results.values():
        res["responses_per_s"] = round(res["responses"] / res["elapsed_s"], 1)
        res["elapsed_s"] = round(res["elapsed_s"], 3)
        res["peak_rss_mb"] = round(res["peak_rss_mb"], 1)
    ours, noop = results["ours"], results["noop"]
    out = {"documents": docs, "ours": ours, "noop_callback": noop,
           "ratio_of_noop": round(ours["responses_per_s"] / noop["responses_per_s"], 3)}
    print(f"crawl {docs} docs: ours {ours['responses_per_s']}/s ({ours['items']} items, "
          f"peak RSS {ours['peak_rss_mb']} MB), no-op {noop['responses_per_s']}/s "
          f"(peak RSS {noop['peak_rss_mb']} MB), ratio {out['ratio_of_noop']}", flush=True)
    return out


def machine():
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import lxml
    import scrapy

    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(),
            "platform": platform.platform(), "scrapy": scrapy.__version__, "lxml": lxml.__version__}


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--crawl-child":
        crawl_child(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5])
        return
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=1.0, help="time per parse measurement")
    ap.add_argument("--docs", type=int, default=300, help="documents in the local crawl")
    ap.add_argument("--json", default=str(ROOT / "benchmarks" / "results" / "spiders.json"))
    args = ap.parse_args()
    result = {"date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "machine": machine(),
              "parse": parse_benchmarks(args.seconds), "crawl": crawl_benchmarks(args.docs)}
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
