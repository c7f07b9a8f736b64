"""Generic spider for the long tail of official statute pages, driven by the
``provisions`` entries of data/sources.yml that name ``spider: statute_pages``:

```yaml
- id: DE/stgb/s184b
  spider: statute_pages
  jurisdiction: DE
  citation: "§ 184b StGB"
  url: https://www.gesetze-im-internet.de/stgb/__184b.html
  language: de
  selectors:                      # "css:..." or "xpath:..."
    text: "css:div.jnhtml"
    heading: "css:span.jnentitel::text"
    modified: null                # optional: publisher's date ("current to")
  marker: "Verbreitung"           # optional: text that must be on the page
  warmup_url: null                # optional: visited first (cookies), e.g. uscode.house.gov
```
Only official hosts (scrapers.hosts) are fetched.
"""
from __future__ import annotations

from scrapers.base import LawSpider
from scrapers.hosts import host_of
from scrapers.loaders import ProvisionLoader


def _add(loader, field, selector):
    if not selector:
        return
    kind, _, expr = selector.partition(":")
    if kind == "css":
        loader.add_css(field, expr if "::" in expr else expr + " ::text")
    elif kind == "xpath":
        loader.add_xpath(field, expr)
    else:
        raise ValueError(f"selector must start with css: or xpath: ({selector!r})")


class StatutePagesSpider(LawSpider):
    name = "statute_pages"
    custom_settings = {"DOWNLOAD_DELAY": 2.0}

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        # allowed_domains = the official hosts of the registry entries (+ test hosts)
        hosts = {host_of(p.get("url", "")) for p in spider.provision_sources()}
        spider.allowed_domains = sorted(h for h in hosts if h) + list(
            crawler.settings.getlist("LAWTRACKER_EXTRA_ALLOWED_HOSTS"))
        return spider

    async def start(self):
        for entry in self.provision_sources():
            url = entry.get("url", "")
            if not entry.get("selectors", {}).get("text"):
                self.logger.error("%s: %s has no text selector in the registry", self.name, entry.get("id"))
                continue
            if not self.check_official(url):
                continue
            req = self.request(self.url(url), self.parse_page, cb_kwargs={"entry": entry},
                               dont_filter=True)
            if entry.get("warmup_url") and self.check_official(entry["warmup_url"]):
                yield self.request(self.url(entry["warmup_url"]), self.after_warmup,
                                   cb_kwargs={"then": req}, dont_filter=True)
            else:
                yield req

    def after_warmup(self, response, then):
        yield then

    def parse_page(self, response, entry):
        if self.is_challenge(response) or self.is_empty(response):
            return
        if not hasattr(response, "css"):
            self.report_error("not an HTML/XML page", response.url)
            return
        marker = entry.get("marker")
        if marker and marker not in response.text:
            self.report_error(f"expected marker {marker!r} not on the page (layout changed?)", response.url)
            return
        sel = entry.get("selectors") or {}
        loader = ProvisionLoader(response=response)
        try:
            _add(loader, "text", sel.get("text"))
            _add(loader, "heading", sel.get("heading"))
            _add(loader, "source_modified", sel.get("modified"))
        except ValueError as exc:
            self.report_error(str(exc), response.url)
            return
        loader.add_value("id", entry["id"])
        loader.add_value("url", entry["url"])
        loader.add_value("citation", entry.get("citation"))
        loader.add_value("language", entry.get("language", "en"))
        item = loader.load_item()
        if not item.text:
            self.report_error(f"selector {sel.get('text')!r} matched no text", response.url)
            return
        yield item
