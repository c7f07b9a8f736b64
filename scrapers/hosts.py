"""The allow-list of hosts the spiders may fetch: official government, legislature
and gazette sites only (plus Open States, documented exception below).

A host is allowed when it equals an entry of OFFICIAL_HOSTS or ends with
"." + one of OFFICIAL_SUFFIXES (or equals the suffix itself).
"""
from urllib.parse import urlsplit

#: Public-sector second-level domains: every host under them is official.
OFFICIAL_SUFFIXES = (
    "gov",            # US federal and state: congress.gov, govinfo.gov, uscode.house.gov, *.state legislatures
    "gov.uk",         # legislation.gov.uk
    "parliament.uk",  # bills-api.parliament.uk, bills.parliament.uk
    "gov.au",         # legislation.gov.au, api.prod.legislation.gov.au, state parliaments
    "gc.ca",          # laws-lois.justice.gc.ca
    "parl.ca",        # LEGISinfo
    "europa.eu",      # publications.europa.eu (Cellar), eur-lex.europa.eu
    "gouv.fr",        # legifrance.gouv.fr
    "govt.nz",        # legislation.govt.nz
    "gov.ie",
)

#: Official hosts outside those suffixes.
OFFICIAL_HOSTS = (
    "gesetze-im-internet.de",     # German Federal Ministry of Justice
    "www.gesetze-im-internet.de",
    "www.irishstatutebook.ie",    # Office of the Attorney General (IE)
    "revisedacts.lawreform.ie",   # Law Reform Commission (IE) revised acts
    "api.oireachtas.ie",
    "www.oireachtas.ie",
    "www.retsinformation.dk",     # Danish official legal information
    "api.retsinformation.dk",
    # Exception: Open States is not a government host but the de-facto aggregator of
    # the official state legislature records; items cite the state's own URLs.
    "v3.openstates.org",
)


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().rstrip(".")


def is_official_host(host: str, extra=()) -> bool:
    host = (host or "").lower().rstrip(".")
    if not host:
        return False
    if host in OFFICIAL_HOSTS or host in {h.lower() for h in extra}:
        return True
    return any(host == s or host.endswith("." + s) for s in OFFICIAL_SUFFIXES)


def is_official_url(url: str, extra=()) -> bool:
    return urlsplit(url).scheme in ("http", "https") and is_official_host(host_of(url), extra)
