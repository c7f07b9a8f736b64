"""The site in a real browser: headless Chromium against a server on 127.0.0.1.

Known cases come from the synthetic fixture dataset (tests/fixtures/data): GB and US-CA
criminalise possession; US-CA does not criminalise distribution; the fixture provision
GB/ukpga-2099-1/s2 speaks of a "CSA image generator". Screenshots of the embedded dataset
are written to test-artifacts/screenshots/ (and to docs/screenshots/ with
LAWTRACKER_UPDATE_SCREENSHOTS=1)."""
import json

import pytest
import sqlite_utils

from tests.conftest import REPO

pytestmark = pytest.mark.browser

BLUE = "rgb(0, 114, 178)"
VERMILLION = "rgb(213, 94, 0)"


def by_css(driver, css):
    from selenium.webdriver.common.by import By

    return driver.find_elements(By.CSS_SELECTOR, css)


def wait_for(driver, condition, timeout=5):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(lambda d: condition(d))


def fill(driver, css):
    return driver.execute_script(
        "var e = document.querySelector(arguments[0]); return e && getComputedStyle(e).fill;", css)


def mapped_ids(db_path):
    db = sqlite_utils.Database(db_path)
    world = {f["id"] for f in json.loads((REPO / "static/geo/world.json").read_text())["features"]}
    countries = {r["id"] for r in db.query("select id, iso_numeric from jurisdictions where kind = 'country'")
                 if r["iso_numeric"] in world}
    states = {r["id"] for r in db.query("select id from jurisdictions where id like 'US-%'")}
    return countries | states


def test_map_draws_one_shape_per_jurisdiction_coloured_by_status(browser, fixture_site):
    d = browser.driver
    browser.get(fixture_site.url("/gap-map?conduct=possess"))
    ids = d.execute_script(
        "return Array.from(document.querySelectorAll('svg path.shape')).map(e => e.dataset.id)")
    assert len(ids) == len(set(ids))
    db = fixture_site.proc.args[fixture_site.proc.args.index("--db") + 1]
    assert set(ids) == mapped_ids(db)
    assert fill(d, 'path.shape[data-id="GB"]') == BLUE
    assert fill(d, 'path.shape[data-id="US-CA"]') == BLUE
    assert fill(d, 'rect.marker[data-id="US-RI"]')  # small states get a visible marker
    assert by_css(d, 'circle.marker[data-id="MT"]')[0].is_displayed()
    tiles = [e.get_attribute("data-id") for e in by_css(d, "#beside-list [data-id]")]
    assert tiles[:5] == ["EU", "US", "GB-EAW", "GB-SCT", "GB-NIR"]
    assert browser.js_errors() == []
    browser.assert_all_local()


def test_switching_conduct_recolours_in_place_and_updates_the_url(browser, fixture_site):
    from selenium.webdriver.support.ui import Select

    d = browser.driver
    browser.get(fixture_site.url("/gap-map?conduct=possess"))
    d.execute_script("window.__sameDocument = true")
    Select(by_css(d, "#map-conduct")[0]).select_by_value("distribute")
    wait_for(d, lambda d: fill(d, 'path.shape[data-id="US-CA"]') == VERMILLION)
    assert d.execute_script("return window.__sameDocument") is True  # no reload
    assert d.current_url.endswith("/gap-map?conduct=distribute")
    assert by_css(d, "#map-heading")[0].text == "Distribute"
    rows = {tr.get_attribute("data-id"): tr.text for tr in by_css(d, "#map-table tbody tr")}
    assert list(rows) == ["US-CA"] and "Not criminalised" in rows["US-CA"]
    legend = by_css(d, '#map-legend li[data-key="not_criminalised"] .lt-count')[0].text
    assert legend == "1"
    assert by_css(d, "#dl-csv")[0].get_attribute("href").endswith("/gap-map.csv?conduct=distribute")
    # The permalink restores the same view on a fresh load.
    browser.get(fixture_site.url("/gap-map?conduct=distribute"))
    assert fill(d, 'path.shape[data-id="US-CA"]') == VERMILLION
    browser.assert_all_local()


def test_png_download_is_made_in_the_browser(browser, fixture_site):
    d = browser.driver
    browser.get(fixture_site.url("/gap-map?conduct=tools"))
    # Record the download instead of saving a file: the script clicks a temporary link.
    d.execute_script("""
        window.__downloads = [];
        window.__blobs = [];
        HTMLAnchorElement.prototype.click = function () {
          window.__downloads.push([this.download, this.href]);
        };
        const create = URL.createObjectURL;
        URL.createObjectURL = function (blob) {
          window.__blobs.push([blob.type, blob.size]);
          return create(blob);
        };""")
    by_css(d, "#dl-png")[0].click()
    wait_for(d, lambda d: d.execute_script("return window.__downloads.length"), timeout=10)
    name, href = d.execute_script("return window.__downloads[0]")
    assert name == "gap-map-conduct-tools.png" and href.startswith("blob:")
    blob_type, blob_size = d.execute_script("return window.__blobs[window.__blobs.length - 1]")
    assert blob_type == "image/png" and blob_size > 10_000
    assert browser.js_errors() == []
    browser.assert_all_local()


def test_hover_shows_tooltip_and_click_opens_the_jurisdiction(browser, fixture_site):
    from selenium.webdriver.common.action_chains import ActionChains

    d = browser.driver
    browser.get(fixture_site.url("/gap-map?conduct=possess"))
    shape = by_css(d, 'path.shape[data-id="US-CA"]')[0]
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", shape)
    ActionChains(d).move_to_element(shape).perform()
    tip = by_css(d, "#map-tip")[0]
    wait_for(d, lambda d: tip.is_displayed())
    assert "California" in tip.text and "Criminalised" in tip.text and "Pen. Code § 311" in tip.text
    ActionChains(d).move_to_element(shape).click().perform()
    wait_for(d, lambda d: "/jurisdiction/US-CA" in d.current_url)
    assert "California" in by_css(d, "h1")[0].text
    assert by_css(d, "#cell-possess .lt-badge")[0].text == "Criminalised"
    browser.assert_all_local()


def test_search_finds_provision_with_highlighted_snippet(browser, fixture_site):
    d = browser.driver
    browser.get(fixture_site.url("/jurisdiction/GB"))
    box = by_css(d, "#lt-q")[0]  # the search box in the header of every page
    box.send_keys('"image generator"')
    box.submit()
    wait_for(d, lambda d: "/search?q=" in d.current_url)
    results = by_css(d, "li.lt-result")
    assert results[0].get_attribute("data-id") == "GB/ukpga-2099-1/s2"
    marks = [m.text.lower() for m in by_css(results[0], "mark")]
    assert "image generator" in " ".join(marks)
    browser.assert_all_local()


def test_compare_shows_two_columns(browser, fixture_site):
    d = browser.driver
    browser.get(fixture_site.url("/compare?j=GB&j=US-CA"))
    cols = [e.get_attribute("data-id") for e in by_css(d, "#compare-table th.lt-col")]
    assert cols == ["GB", "US-CA"]
    assert by_css(d, 'tr.lt-differs[data-conduct="distribute"]')
    browser.assert_all_local()


def test_without_javascript_the_map_is_links_and_a_table(browser_nojs, fixture_site):
    d = browser_nojs.driver
    browser_nojs.get(fixture_site.url("/gap-map?conduct=possess"))
    assert not by_css(d, "#dl-png")[0].is_displayed()  # the script did not run
    assert fill(d, 'path.shape[data-id="GB"]') == BLUE  # the server drew and coloured the map
    shape_link = by_css(d, 'path.shape[data-id="US-CA"]')[0].find_element("xpath", "..")
    assert shape_link.get_dom_attribute("href") == "/jurisdiction/US-CA"
    rows = [tr.get_attribute("data-id") for tr in by_css(d, "#map-table tbody tr")]
    assert set(rows) == {"GB", "GB-EAW", "US-CA"}
    browser_nojs.get(fixture_site.url("/gap-map?conduct=distribute"))
    rows = [tr.get_attribute("data-id") for tr in by_css(d, "#map-table tbody tr")]
    assert rows == ["US-CA"]
    browser_nojs.assert_all_local()


def test_screenshots_of_the_embedded_dataset(browser, real_site):
    """Map, jurisdiction page and search, for the README (reviewed by eye)."""
    d = browser.driver
    shots = [
        ("gap-map", "/gap-map", 1650),
        ("jurisdiction", "/jurisdiction/GB-EAW", 1250),
        ("search", "/search?q=computer-generated", 1100),
        ("compare", "/compare?j=GB-EAW&j=US-CA&j=DE", 1000),
    ]
    for name, path, height in shots:
        d.set_window_size(1280, height)
        browser.get(real_site.url(path))
        assert browser.js_errors() == [], path
        assert browser.screenshot(name).stat().st_size > 20_000
    d.set_window_size(1280, 1000)
    browser.assert_all_local()
