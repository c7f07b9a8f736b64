"""ItemLoader with normalising processors (whitespace, section signs, dates), used by the
selector-driven statute_pages spider; the API spiders build their dataclass items directly
and the validation pipeline normalises every item the same way."""
from itemloaders.processors import Compose, Identity, Join, MapCompose, TakeFirst
from scrapy.loader import ItemLoader

from scrapers.items import ProvisionItem
from scrapers.text import clean_text, normalise_provision_text, to_iso_date


def _not_empty(v):
    return v if v not in (None, "") else None


class ProvisionLoader(ItemLoader):
    default_item_class = ProvisionItem
    default_input_processor = MapCompose(clean_text, _not_empty)
    default_output_processor = TakeFirst()
    # every text node the selector matched, joined, then normalised as provision text
    text_in = MapCompose(str)
    text_out = Compose(Join(" "), normalise_provision_text)
    heading_out = Compose(Join(" "), clean_text)
    source_modified_in = MapCompose(clean_text, to_iso_date, _not_empty)
    unapplied_effects_out = Identity()
