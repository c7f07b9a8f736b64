"""The list of jurisdictions: ISO 3166 via pycountry, plus `data/jurisdictions.yml`."""
from pathlib import Path

import pycountry

from lawtracker import yamlio


def _country_name(c) -> str:
    return getattr(c, "common_name", None) or c.name


def load_config(data_dir: Path) -> dict:
    return yamlio.load(Path(data_dir) / "jurisdictions.yml").data or {}


def all_jurisdictions(data_dir: Path, with_files=()) -> list[dict]:
    """Every jurisdiction the tracker lists: UN members, the configured subdivisions and
    extras, and anything that has a curated file (`with_files`: ids)."""
    config = load_config(data_dir)
    not_members = set(config["un_members"]["not_members"])
    eu = set(config["eu_members"]["members"])
    names = config.get("names", {})
    rows = {}
    for c in pycountry.countries:
        rows[c.alpha_2] = {
            "id": c.alpha_2,
            "name": names.get(c.alpha_2, _country_name(c)),
            "kind": "country",
            "parent": None,
            "un_member": c.alpha_2 not in not_members,
            "eu_member": c.alpha_2 in eu,
            "iso_numeric": c.numeric,
        }
    for country, types in config.get("subdivisions", {}).items():
        for s in pycountry.subdivisions.get(country_code=country):
            if s.type in types:
                rows[s.code] = _subdivision(s)
    for code in config.get("include", []):
        rows[code] = _subdivision(pycountry.subdivisions.get(code=code))
    for extra in config.get("extra", []):
        rows[extra["id"]] = {
            "id": extra["id"],
            "name": extra["name"],
            "kind": extra["kind"],
            "parent": extra.get("parent"),
            "un_member": False,
            "eu_member": False,
            "iso_numeric": None,
        }
    wanted = {j for j, r in rows.items() if r["kind"] != "country" or r["un_member"]}
    wanted |= set(with_files)
    for jid in with_files:
        if jid not in rows:
            sub = pycountry.subdivisions.get(code=jid)
            if sub is not None:
                rows[jid] = _subdivision(sub)
    return [rows[j] for j in sorted(wanted) if j in rows]


def _subdivision(s) -> dict:
    return {
        "id": s.code,
        "name": s.name,
        "kind": "subdivision",
        "parent": s.country_code,
        "un_member": False,
        "eu_member": False,
        "iso_numeric": None,
    }


def known_ids(data_dir: Path) -> set[str]:
    """Every id a curated file may be named after."""
    config = load_config(data_dir)
    ids = {c.alpha_2 for c in pycountry.countries}
    ids |= {s.code for s in pycountry.subdivisions}
    ids |= {e["id"] for e in config.get("extra", [])}
    return ids


def parent_of(jid: str, data_dir: Path) -> str | None:
    config = load_config(data_dir)
    for e in config.get("extra", []):
        if e["id"] == jid:
            return e.get("parent")
    if "-" in jid:
        return jid.split("-", 1)[0]
    return None
