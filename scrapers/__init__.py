"""Scrapy project of the ai-csam-law-tracker: spiders for official sources.

Spiders write the crawled store (``data/crawled/<spider>/*.jsonl``) through the
pipelines in :mod:`scrapers.pipelines`; see ``docs/architecture.md`` and
``docs/scrapers.md``.
"""
