"""Browser tests: headless Debian Chromium driven by Selenium and the matching chromedriver,
against a `lawtracker serve` started here on 127.0.0.1 (never a downloaded browser, never the
network). Skipped, with the reason, when Chromium or chromedriver is missing: CI installs them
(`.ci/run`: apt-get install chromium chromium-driver)."""
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from lawtracker import build
from tests.conftest import FIXTURES, REPO

# Debian's packages; overridable for other systems (still a system browser, never a download).
CHROMIUM = os.environ.get("LAWTRACKER_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("LAWTRACKER_CHROMEDRIVER", "/usr/bin/chromedriver")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--disable-default-apps", "--disable-extensions", "--disable-dev-shm-usage",
         "--hide-scrollbars", "--force-device-scale-factor=1", "--window-size=1280,1000",
         "--lang=en-GB"]
ARTIFACTS = REPO / "test-artifacts" / "screenshots"


def pytest_collection_modifyitems(items):
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not os.path.exists(p)]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("the selenium package")
    if missing:
        skip = pytest.mark.skip(reason=f"browser tests need {', '.join(missing)} "
                                       "(apt-get install chromium chromium-driver; pip install selenium)")
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(skip)


def die_with_parent():
    """In the child, before exec: get SIGTERM when the test process dies (Linux), so a killed
    test run leaves no server, chromedriver or Chromium behind."""
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Site:
    def __init__(self, db: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(db.with_suffix(".log"), "w")
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "from lawtracker.cli import main; raise SystemExit(main())",
             "serve", "--db", str(db), "--no-build", "--host", "127.0.0.1", "--port", str(self.port)],
            cwd=REPO, stdout=self.log, stderr=subprocess.STDOUT, preexec_fn=die_with_parent)
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(self.base + "/-/versions.json", timeout=1).read()
                break
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"server did not start: {db.with_suffix('.log').read_text()[-2000:]}")
                time.sleep(0.2)

    def url(self, path):
        return self.base + path

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory):
    """The synthetic fixture dataset (known cases: GB, GB-EAW, US-CA)."""
    folder = tmp_path_factory.mktemp("browser-fixture")
    db = folder / "lawtracker.db"
    data = folder / "data"
    shutil.copytree(FIXTURES / "data", data)
    build.build(db, data, FIXTURES / "crawled")
    site = Site(db)
    yield site
    site.stop()


@pytest.fixture(scope="session")
def real_site(real_db):
    """The embedded dataset, for the screenshots shown in the README."""
    site = Site(real_db)
    yield site
    site.stop()


def make_driver(javascript=True):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in FLAGS:
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    if not javascript:
        opts.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    service = Service(CHROMEDRIVER, popen_kw={"preexec_fn": die_with_parent})
    driver = webdriver.Chrome(service=service, options=opts)
    driver.set_page_load_timeout(30)
    return driver


class Browser:
    """A Chromium that records every request it makes, to prove they all stay on 127.0.0.1."""

    def __init__(self, driver):
        self.driver = driver
        self.requests = []

    def get(self, url):
        self.driver.get(url)
        self.collect()

    def collect(self):
        for entry in self.driver.get_log("performance"):
            msg = json.loads(entry["message"])["message"]
            if msg["method"] in ("Network.requestWillBeSent", "Network.webSocketCreated"):
                url = msg["params"].get("request", {}).get("url") or msg["params"].get("url")
                self.requests.append(url)
        return self.requests

    def assert_all_local(self):
        self.collect()
        assert self.requests, "no request recorded"
        elsewhere = [u for u in self.requests
                     if urlsplit(u).scheme not in ("data", "blob", "about")
                     and urlsplit(u).hostname != "127.0.0.1"]
        assert elsewhere == [], f"requests left 127.0.0.1: {elsewhere}"

    def js_errors(self):
        return [e for e in self.driver.get_log("browser") if e["level"] == "SEVERE"]

    def screenshot(self, name, height=None):
        if height:
            self.driver.set_window_size(1280, height)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.driver.save_screenshot(str(path))
        if os.environ.get("LAWTRACKER_UPDATE_SCREENSHOTS"):
            docs = REPO / "docs" / "screenshots"
            docs.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, docs / f"{name}.png")
        return path


@pytest.fixture(scope="session")
def browser():
    driver = make_driver()
    yield Browser(driver)
    driver.quit()


@pytest.fixture(scope="session")
def browser_nojs():
    driver = make_driver(javascript=False)
    yield Browser(driver)
    driver.quit()
