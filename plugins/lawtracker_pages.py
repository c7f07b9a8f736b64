"""The tracker's own pages on top of Datasette (loaded with --plugins-dir plugins).

Routes (all read-only, rendered from the built database, no external request):

  /gap-map                     choropleth of the world + US states, per conduct, with a table
  /gap-map.svg, /gap-map.csv   the current map view as a standalone SVG / as CSV
  /jurisdiction/<id>           the matrix, provisions, bills, sources of one jurisdiction
  /jurisdiction/<id>/feed.atom changes for one jurisdiction
  /compare?j=GB&j=US-CA        2-4 jurisdictions side by side
  /search?q=...                full-text search over provisions and bills (FTS5), with facets
  /timeline                    criminalised cells over time, and the latest changes
  /feed.atom                   changes: bill events, coverage coming into force, re-assessments
  /methodology                 the status, scope and conduct definitions

Every page sets a Content-Security-Policy that allows only this site ('self').
"""
import csv
import datetime as dt
import io
import json
import re
from pathlib import Path
from urllib.parse import urlencode

from datasette import hookimpl
from datasette.utils import escape_fts, tilde_encode
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup, escape

ROOT = Path(__file__).resolve().parent.parent
GEO_DIR = ROOT / "static" / "geo"
METHODOLOGY_URL = "https://github.com/ai-csam-law-tracker/ai-csam-law-tracker/blob/main/docs/methodology.md"
SITE_NAME = "ai-csam-law-tracker"

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}

CONDUCTS = ["create", "possess", "distribute", "access", "tools", "manuals"]
CONDUCT_LABELS = {
    "create": "Create",
    "possess": "Possess",
    "distribute": "Distribute",
    "access": "Access / view",
    "tools": "AI tools",
    "manuals": "Manuals",
}
MAP_CONDUCTS = {
    "any": "Any AI-specific offence",
    "create": "Create / generate",
    "possess": "Possess",
    "distribute": "Distribute",
    "tools": "AI tools designed to generate CSAM",
    "access": "Access / view",
    "manuals": "Manuals",
}
STATUSES = ["criminalised", "partial", "pending", "not_criminalised", "unclear"]
STATUS_LABELS = {
    "criminalised": "Criminalised",
    "partial": "Partial",
    "pending": "Pending",
    "not_criminalised": "Not criminalised",
    "unclear": "Unclear",
    "other_scope": "Other scope (filtered out)",
    "none": "Not assessed",
}
# Okabe-Ito colours (distinguishable with the common colour-vision deficiencies); every
# colour is also named in the legend, the tooltip and the table.
STATUS_COLOURS = {
    "criminalised": "#0072B2",
    "partial": "#56B4E9",
    "pending": "#E69F00",
    "not_criminalised": "#D55E00",
    "unclear": "#8C8C8C",
    "other_scope": "#FFFFFF",
    "none": "#E4E4E4",
}
MAP_KEYS = STATUSES + ["other_scope", "none"]
# For "any AI-specific offence": the strongest status among a jurisdiction's cells.
ANY_ORDER = ["criminalised", "partial", "pending", "unclear", "not_criminalised"]
SCOPE_LABELS = {
    "any_depiction": "Any depiction (incl. drawings, computer-generated)",
    "realistic": "Realistic synthetic images",
    "identifiable_child": "Only a real, identifiable child",
    "obscene_only": "Only obscene material",
    "real_child_only": "Only material made with a real child",
}
# Jurisdictions drawn beside the map (no shape of their own).
BESIDE_MAP = ["EU", "US", "GB-EAW", "GB-SCT", "GB-NIR"]
VIEWS = {"world": "World", "europe": "Europe"}
EUROPE_VIEWBOX = (420, 40, 150, 100)  # x, y, width, height in world.json coordinates
MAX_COMPARE = 4


# -- data -----------------------------------------------------------------------------------

_geometry = {}


def geometry(name):
    if name not in _geometry:
        _geometry[name] = json.loads((GEO_DIR / f"{name}.json").read_text(encoding="utf-8"))
    return _geometry[name]


def database(datasette):
    names = [n for n in datasette.databases if n not in ("_internal", "_memory")]
    name = "lawtracker" if "lawtracker" in names else names[0]
    return datasette.get_database(name)


async def rows(db, sql, params=None):
    return [dict(r) for r in (await db.execute(sql, params or {})).rows]


async def load(datasette):
    """Everything the map, compare and timeline need; the database is immutable, so cache it."""
    db = database(datasette)
    cache = getattr(datasette, "_lawtracker_cache", None)
    if cache and cache["db"] == db.name:
        return cache
    jurisdictions = {r["id"]: r for r in await rows(db, "select * from jurisdictions order by id")}
    cells = {}
    for a in await rows(db, "select * from assessments"):
        cells.setdefault(a["jurisdiction"], {})[a["conduct"]] = a
    info = {r["key"]: r["value"] for r in await rows(db, "select key, value from build_info")}
    cache = {
        "db": db.name,
        "jurisdictions": jurisdictions,
        "cells": cells,
        "info": info,
        "as_of": info.get("data_as_of") or "",
    }
    datasette._lawtracker_cache = cache
    return cache


def any_cell(cells):
    """The cell that decides "any AI-specific offence": the strongest status found."""
    best = None
    for conduct in CONDUCTS:
        c = cells.get(conduct)
        if c and (best is None or ANY_ORDER.index(c["status"]) < ANY_ORDER.index(best["status"])):
            best = c
    return best


def map_cell(cells, conduct, scope):
    """(key, cell) for one jurisdiction on the map: key is a status, other_scope or none."""
    cell = any_cell(cells) if conduct == "any" else cells.get(conduct)
    if cell is None:
        return "none", None
    if scope and cell["status"] in ("criminalised", "partial") and cell["scope"] != scope:
        return "other_scope", cell
    return cell["status"], cell


def norm_choice(value, choices, default):
    return value if value in choices else default


def map_state(request):
    conduct = norm_choice(request.args.get("conduct"), MAP_CONDUCTS, "any")
    scope = norm_choice(request.args.get("scope"), SCOPE_LABELS, "")
    view = norm_choice(request.args.get("view"), VIEWS, "world")
    return conduct, scope, view


def query_string(**params):
    return urlencode({k: v for k, v in params.items() if v and not (k == "conduct" and v == "any")
                      and not (k == "view" and v == "world")})


def map_model(data, conduct, scope, view):
    """Shapes, markers, legend and table rows for one map view."""
    jur = data["jurisdictions"]
    cells = data["cells"]
    by_numeric = {j["iso_numeric"]: j for j in jur.values() if j["iso_numeric"] and j["kind"] == "country"}

    def entry(j):
        key, cell = map_cell(cells.get(j["id"], {}), conduct, scope)
        return {
            "id": j["id"],
            "name": j["name"],
            "key": key,
            "label": STATUS_LABELS[key],
            "colour": STATUS_COLOURS[key],
            "scope": (cell or {}).get("scope") or "",
            "citation": (cell or {}).get("citation") or "",
            "conduct": (cell or {}).get("conduct") or "",
        }

    world = geometry("world")
    if view == "europe":
        x, y, w, h = EUROPE_VIEWBOX
    else:
        x, y, w, h = 0, 0, world["width"], world["height"]
    zoom = world["width"] / w
    world_shapes, background = [], []
    for f in world["features"]:
        j = by_numeric.get(f["id"])
        if j is None:
            background.append({"d": f["d"], "name": f["name"]})
            continue
        e = entry(j)
        e["d"] = f["d"]
        # A marker where the shape is too small to see at this zoom.
        e["marker"] = (f["area"] * zoom * zoom < 12) and _inside(f, (x, y, w, h))
        e["cx"], e["cy"] = f["cx"], f["cy"]
        world_shapes.append(e)
    us = geometry("us")
    us_shapes = []
    for f in us["features"]:
        j = jur.get(f["id"])
        if j is None:
            continue
        e = entry(j)
        e.update(d=f["d"], cx=f["cx"], cy=f["cy"], callout=f.get("marker"), short=f["id"][3:])
        us_shapes.append(e)
    beside = [entry(jur[i]) for i in BESIDE_MAP if i in jur]
    mapped = {e["id"] for e in world_shapes} | {e["id"] for e in us_shapes}
    everything = {e["id"]: e for e in world_shapes + us_shapes + beside}
    for j in jur.values():
        if j["id"] not in everything and j["id"] in cells:
            everything[j["id"]] = entry(j)  # e.g. sub-national units without a shape
    counts = {k: 0 for k in MAP_KEYS}
    for e in everything.values():
        counts[e["key"]] += 1
    table = sorted((e for e in everything.values() if e["key"] != "none"),
                   key=lambda e: (MAP_KEYS.index(e["key"]), e["name"]))
    unmapped = [e for e in everything.values() if e["id"] not in mapped and e["id"] not in BESIDE_MAP
                and e["key"] != "none"]
    return {
        "conduct": conduct,
        "conduct_label": MAP_CONDUCTS[conduct],
        "scope": scope,
        "view": view,
        "world": {"viewbox": f"{x} {y} {w} {h}", "width": world["width"], "height": world["height"],
                  "shapes": world_shapes, "background": background, "marker_r": round(3.2 / zoom, 2),
                  "stroke": round(0.5 / zoom, 3), "source": world["source"]},
        "us": {"viewbox": f"0 0 {us['width']} {us['height']}", "shapes": us_shapes, "source": us["source"]},
        "beside": beside,
        "unmapped": sorted(unmapped, key=lambda e: e["id"]),
        "counts": [{"key": k, "label": STATUS_LABELS[k], "colour": STATUS_COLOURS[k], "count": counts[k]}
                   for k in MAP_KEYS if counts[k] or k != "other_scope"],
        "table": table,
        "total": len(everything),
        "mapped": len(mapped),
    }


def _inside(f, box):
    x, y, w, h = box
    return x <= f["cx"] <= x + w and y <= f["cy"] <= y + h


def client_data(data):
    """The compact data the map script recolours from (embedded as JSON, not executed)."""
    out = {}
    for jid, cells in data["cells"].items():
        out[jid] = {c: [a["status"], a["scope"] or "", a["citation"] or ""] for c, a in cells.items()}
    return out


def json_for_html(value):
    # Safe inside <script type="application/json">: no "</script>" or "<!--" can be formed.
    return Markup(json.dumps(value, ensure_ascii=False, separators=(",", ":"))
                  .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


# -- changes (timeline + feeds) -------------------------------------------------------------

async def changes(datasette, jurisdiction=None, limit=50):
    """Dated changes, newest first: bill events, coverage in force, re-assessed cells."""
    db = database(datasette)
    data = await load(datasette)
    names = {j: r["name"] for j, r in data["jurisdictions"].items()}
    today = dt.date.today().isoformat()
    where = "where b.jurisdiction = :j" if jurisdiction else ""
    params = {"j": jurisdiction} if jurisdiction else {}
    out = []
    for ev in await rows(db, f"""
            select e.bill, e.position, e.date, e.classification, e.chamber, e.text, e.source_url,
              b.jurisdiction, b.identifier, b.title, b.url, b.status
            from bill_events e join bills b on b.id = e.bill {where}""", params):
        kind = "bill-new" if ev["classification"] == "introduction" else "bill-event"
        out.append({
            "date": ev["date"],
            "kind": kind,
            "id": f"bill/{ev['bill']}/{ev['position']}",
            "jurisdiction": ev["jurisdiction"],
            "jurisdiction_name": names.get(ev["jurisdiction"], ev["jurisdiction"]),
            "title": f"{ev['identifier']}: {ev['text'] or ev['classification']}",
            "summary": f"{ev['title']} ({ev['classification']}; bill status now: {ev['status']})",
            "url": ev["url"] or "",
            "local": f"/jurisdiction/{ev['jurisdiction']}#bill-{slug(ev['bill'])}",
        })
    checked = {}
    for jid, cells in data["cells"].items():
        if jurisdiction and jid != jurisdiction:
            continue
        for conduct, a in cells.items():
            if a["effective"] and a["effective"] <= today and a["status"] in ("criminalised", "partial"):
                out.append({
                    "date": a["effective"],
                    "kind": "in-force",
                    "id": f"in-force/{jid}/{conduct}",
                    "jurisdiction": jid,
                    "jurisdiction_name": names.get(jid, jid),
                    "title": f"{names.get(jid, jid)}: {CONDUCT_LABELS[conduct].lower()} offence in force ({STATUS_LABELS[a['status']].lower()})",
                    "summary": a["citation"] or "",
                    "url": a["official_url"] or "",
                    "local": f"/jurisdiction/{jid}#cell-{conduct}",
                })
            if a["checked"]:
                checked.setdefault((jid, a["checked"]), []).append(a)
    out += await status_changes(db, names, jurisdiction)
    per_date = {}
    for (jid, date) in checked:
        per_date.setdefault(date, []).append(jid)
    for (jid, date), cells in checked.items():
        if not jurisdiction and len(per_date[date]) > GROUP_CHECKS:
            continue  # summarised below, so a day of re-checks does not bury the rest
        cells.sort(key=lambda a: CONDUCTS.index(a["conduct"]))
        out.append({
            "date": date,
            "kind": "assessed",
            "id": f"assessed/{jid}/{date}",
            "jurisdiction": jid,
            "jurisdiction_name": names.get(jid, jid),
            "title": f"{names.get(jid, jid)}: {len(cells)} cell(s) checked",
            "summary": "; ".join(f"{a['conduct']}: {STATUS_LABELS[a['status']].lower()}" for a in cells),
            "url": "",
            "local": f"/jurisdiction/{jid}",
        })
    for date, jids in per_date.items():
        if jurisdiction or len(jids) <= GROUP_CHECKS:
            continue
        jids.sort()
        out.append({
            "date": date,
            "kind": "assessed",
            "id": f"assessed/{date}",
            "jurisdiction": "",
            "jurisdiction_name": "",
            "title": f"{len(jids)} jurisdictions checked against their sources",
            "summary": ", ".join(names.get(j, j) for j in jids),
            "url": "",
            "local": f"/lawtracker/assessments?checked={date}",
        })
    out.sort(key=lambda c: (c["date"], KIND_RANK.get(c["kind"], 9), c["id"]), reverse=True)
    return out[:limit]


GROUP_CHECKS = 3
KIND_RANK = {"assessed": 0, "in-force": 1, "bill-event": 2, "bill-new": 2, "status-change": 3}


async def status_changes(db, names, jurisdiction=None):
    """Published status changes, when the build has the assessment history (from git)."""
    try:
        if not await db.table_exists("assessment_history"):
            return []
        # First publications ('added', 'baseline') are covered by the "checked" entries.
        where = "where change in ('changed', 'removed')" + (" and jurisdiction = :j" if jurisdiction else "")
        found = await rows(db, f"""select jurisdiction, conduct, date, change, from_status, to_status,
            summary, [commit] from assessment_history {where} order by date desc limit 500""",
            {"j": jurisdiction} if jurisdiction else {})
    except Exception:  # an older or newer layout of the table: no history entries
        return []
    out = []
    for h in found:
        jid = h["jurisdiction"]
        frm = STATUS_LABELS.get(h["from_status"], h["from_status"] or "none").lower()
        to = STATUS_LABELS.get(h["to_status"], h["to_status"] or "none").lower()
        out.append({
            "date": h["date"],
            "kind": "status-change",
            "id": f"status/{jid}/{h['conduct']}/{(h['commit'] or '')[:12]}",
            "jurisdiction": jid,
            "jurisdiction_name": names.get(jid, jid),
            "title": f"{names.get(jid, jid)}: {h['conduct']} {h['change']} ({frm} → {to})",
            "summary": h["summary"] or "",
            "url": "",
            "local": f"/jurisdiction/{jid}#cell-{h['conduct']}",
        })
    return out


KIND_LABELS = {"bill-new": "New bill", "bill-event": "Bill", "in-force": "In force", "assessed": "Checked",
               "status-change": "Status"}


def atom(datasette, request, title, self_path, alt_path, entries, as_of):
    def e(s):
        return escape(s or "")

    updated = f"{entries[0]['date']}T00:00:00Z" if entries else f"{as_of or '1970-01-01'}T00:00:00Z"
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"<title>{e(title)}</title>",
        f'<link rel="self" href="{e(datasette.absolute_url(request, self_path))}"/>',
        f'<link rel="alternate" type="text/html" href="{e(datasette.absolute_url(request, alt_path))}"/>',
        f"<id>tag:{SITE_NAME},2026:{e(self_path)}</id>",
        f"<updated>{updated}</updated>",
        f"<author><name>{SITE_NAME}</name></author>",
        "<rights>CC BY 4.0. Legal information, not legal advice.</rights>",
    ]
    for c in entries:
        link = datasette.absolute_url(request, c["local"])
        parts += [
            "<entry>",
            f"<title>{e(KIND_LABELS[c['kind']])}: {e(c['title'])}</title>",
            f'<link rel="alternate" type="text/html" href="{e(link)}"/>',
        ]
        if http_url(c["url"]) != "#":
            parts.append(f'<link rel="related" href="{e(c["url"])}"/>')
        parts += [
            f"<id>tag:{SITE_NAME},2026:{e(c['id'])}/{e(c['date'])}</id>",
            f"<updated>{e(c['date'])}T00:00:00Z</updated>",
            f'<category term="{e(c["kind"])}"/>',
            *([f'<category term="{e(c["jurisdiction"])}" label="{e(c["jurisdiction_name"])}"/>']
              if c["jurisdiction"] else []),
            f"<summary>{e(c['summary'])}</summary>",
            "</entry>",
        ]
    parts.append("</feed>")
    return Response("\n".join(parts) + "\n", content_type="application/atom+xml; charset=utf-8",
                    headers=dict(SECURITY_HEADERS))


# -- helpers for templates --------------------------------------------------------------------

def http_url(value):
    """Only http(s) URLs become links: a crawled or curated `javascript:` URL renders as '#'."""
    value = (value or "").strip()
    return value if re.match(r"^https?://", value, re.I) else "#"


def slug(value):
    return re.sub(r"[^A-Za-z0-9_-]+", "-", value or "").strip("-")


def marked(text):
    """Escape FTS5 output, then turn the \\x02 / \\x03 markers into <mark>."""
    return Markup(str(escape(text or "")).replace("\x02", "<mark>").replace("\x03", "</mark>"))


def provision_url(datasette, db_name, pid):
    return datasette.urls.row(db_name, "provisions", tilde_encode(pid))


async def page(datasette, request, template, context, status=200):
    data = await load(datasette)
    ctx = {
        "as_of": data["as_of"],
        "methodology_url": METHODOLOGY_URL,
        "status_labels": STATUS_LABELS,
        "status_colours": STATUS_COLOURS,
        "conduct_labels": CONDUCT_LABELS,
        "scope_labels": SCOPE_LABELS,
        "conducts": CONDUCTS,
        "statuses": STATUSES,
        "db_name": database(datasette).name,
        "q": context.get("q", ""),
        **context,
    }
    html = await datasette.render_template(template, ctx, request=request)
    return Response.html(html, status=status, headers=dict(SECURITY_HEADERS))


# -- views ------------------------------------------------------------------------------------

async def gap_map(datasette, request):
    data = await load(datasette)
    conduct, scope, view = map_state(request)
    model = map_model(data, conduct, scope, view)
    qs = query_string(conduct=conduct, scope=scope, view=view)
    return await page(datasette, request, "lt_gap_map.html", {
        "title": f"Gap map: {model['conduct_label']}",
        "m": model,
        "map_conducts": MAP_CONDUCTS,
        "views": VIEWS,
        "map_keys": MAP_KEYS,
        "qs": qs,
        "client_data": json_for_html({
            "cells": client_data(data),
            "labels": STATUS_LABELS,
            "colours": STATUS_COLOURS,
            "conducts": MAP_CONDUCTS,
            "order": ANY_ORDER,
            "conductOrder": CONDUCTS,
            "keys": MAP_KEYS,
        }),
    })


async def gap_map_svg(datasette, request):
    data = await load(datasette)
    conduct, scope, view = map_state(request)
    model = map_model(data, conduct, scope, view)
    svg = await datasette.render_template("lt_gap_map_standalone.svg", {
        "m": model, "as_of": data["as_of"], "scope_labels": SCOPE_LABELS,
        "absolute": datasette.absolute_url(request, "/gap-map"),
    }, request=request)
    name = f"gap-map-{conduct}{'-' + scope if scope else ''}-{view}.svg"
    return Response(svg, content_type="image/svg+xml; charset=utf-8", headers={
        **SECURITY_HEADERS, "content-disposition": f'attachment; filename="{name}"'})


async def gap_map_csv(datasette, request):
    data = await load(datasette)
    conduct, scope, view = map_state(request)
    model = map_model(data, conduct, scope, view)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["jurisdiction", "name", "conduct", "status", "scope", "citation", "on_map", "as_of"])
    mapped_ids = {e["id"] for e in model["world"]["shapes"]} | {e["id"] for e in model["us"]["shapes"]}
    for e in sorted(model["table"], key=lambda e: e["id"]):
        w.writerow([e["id"], e["name"], e["conduct"] or conduct, e["key"], e["scope"], e["citation"],
                    "1" if e["id"] in mapped_ids else "0", data["as_of"]])
    name = f"gap-map-{conduct}{'-' + scope if scope else ''}.csv"
    return Response(buf.getvalue(), content_type="text/csv; charset=utf-8", headers={
        **SECURITY_HEADERS, "content-disposition": f'attachment; filename="{name}"'})


async def jurisdiction_page(datasette, request):
    jid = request.url_vars["id"]
    data = await load(datasette)
    j = data["jurisdictions"].get(jid)
    if j is None:
        raise NotFound(f"No jurisdiction {jid}")
    db = database(datasette)
    jurs = data["jurisdictions"]
    cells = data["cells"].get(jid, {})
    cited = {}
    for r in await rows(db, """
            select ap.conduct, ap.provision, ap.position from assessment_provisions ap
            where ap.jurisdiction = :j order by ap.position""", {"j": jid}):
        cited.setdefault(r["conduct"], []).append(r["provision"])
    sources = {}
    for r in await rows(db, "select * from assessment_sources where jurisdiction = :j order by position", {"j": jid}):
        sources.setdefault(r["conduct"], []).append(r)
    cell_bills = {}
    for r in await rows(db, "select * from assessment_bills where jurisdiction = :j", {"j": jid}):
        cell_bills.setdefault(r["conduct"], []).append(r["bill"])
    cited_ids = sorted({p for ps in cited.values() for p in ps})
    placeholders = ", ".join(f":p{n}" for n in range(len(cited_ids))) or "null"
    provisions = await rows(db, f"""
        select p.*, i.title as instrument_title from provisions p
        left join instruments i on i.id = p.instrument
        where p.jurisdiction = :j or p.id in ({placeholders})
        order by p.jurisdiction != :j, p.id""", {"j": jid, **{f"p{n}": p for n, p in enumerate(cited_ids)}})
    by_pid = {p["id"]: p for p in provisions}
    for p in provisions:
        p["anchor"] = "provision-" + slug(p["id"])
        p["row_url"] = provision_url(datasette, db.name, p["id"])
        p["cited_for"] = [c for c in CONDUCTS if p["id"] in cited.get(c, [])]
        try:
            p["unapplied"] = json.loads(p["unapplied_effects"] or "[]")
        except ValueError:
            p["unapplied"] = []
    bills = await rows(db, """select * from bills where jurisdiction = :j
        order by candidate, latest_action_date desc""", {"j": jid})
    bill_ids = [b["id"] for b in bills]
    events = {}
    if bill_ids:
        for ev in await rows(db, f"""select * from bill_events where bill in
                ({",".join(":b%d" % n for n in range(len(bill_ids)))}) order by bill, position""",
                             {f"b{n}": b for n, b in enumerate(bill_ids)}):
            events.setdefault(ev["bill"], []).append(ev)
    for b in bills:
        b["anchor"] = "bill-" + slug(b["id"])
        b["timeline"] = events.get(b["id"], [])
    matrix = []
    for c in CONDUCTS:
        a = cells.get(c)
        matrix.append({
            "conduct": c,
            "a": a,
            "provisions": [{"id": p, "anchor": "provision-" + slug(p),
                            "citation": (by_pid.get(p) or {}).get("citation") or p}
                           for p in cited.get(c, [])],
            "sources": sources.get(c, []),
            "bills": [{"id": b, "anchor": "bill-" + slug(b)} for b in cell_bills.get(c, [])],
        })
    # The backdrop: the parent's law (US federal law on every state page, UK-wide law for the
    # UK nations) and EU law for EU member states.
    backdrops = []
    if j["parent"] and j["parent"] in jurs:
        backdrops.append(jurs[j["parent"]])
    if j["eu_member"] and "EU" in jurs:
        backdrops.append(jurs["EU"])
    backdrop_rows = [{"j": b, "cells": data["cells"].get(b["id"], {})} for b in backdrops]
    children = [r for r in jurs.values() if r["parent"] == jid]
    children_rows = [{"j": r, "cells": data["cells"].get(r["id"], {})} for r in children]
    as_of = j["as_of"] or data["as_of"]
    stable = datasette.absolute_url(request, f"/jurisdiction/{jid}")
    return await page(datasette, request, "lt_jurisdiction.html", {
        "title": j["name"],
        "j": j,
        "matrix": matrix,
        "assessed": bool(cells),
        "provisions": provisions,
        "bills": bills,
        "backdrops": backdrop_rows,
        "children": children_rows,
        "j_as_of": as_of,
        "stable_url": stable,
        "cite": f'{SITE_NAME}, "{j["name"]} ({jid})", data as of {as_of or "n/a"}, {stable}',
    })


async def jurisdiction_feed(datasette, request):
    jid = request.url_vars["id"]
    data = await load(datasette)
    j = data["jurisdictions"].get(jid)
    if j is None:
        raise NotFound(f"No jurisdiction {jid}")
    entries = await changes(datasette, jid)
    return atom(datasette, request, f"{j['name']}: AI-generated CSAM law changes",
                f"/jurisdiction/{jid}/feed.atom", f"/jurisdiction/{jid}", entries, data["as_of"])


async def feed(datasette, request):
    data = await load(datasette)
    entries = await changes(datasette)
    return atom(datasette, request, "AI-generated CSAM law tracker: changes", "/feed.atom",
                "/timeline", entries, data["as_of"])


async def compare(datasette, request):
    data = await load(datasette)
    jurs = data["jurisdictions"]
    wanted = []
    for raw in request.args.getlist("j"):
        raw = raw.strip().upper()
        if raw and raw in jurs and raw not in wanted:
            wanted.append(raw)
    wanted = wanted[:MAX_COMPARE]
    cols = [{"j": jurs[w], "cells": data["cells"].get(w, {})} for w in wanted]
    matrix = []
    for c in CONDUCTS:
        statuses = [(col["cells"].get(c) or {}).get("status") for col in cols]
        scopes = [(col["cells"].get(c) or {}).get("scope") for col in cols]
        matrix.append({
            "conduct": c,
            "cells": [col["cells"].get(c) for col in cols],
            "differs": len(cols) > 1 and (len(set(statuses)) > 1 or len(set(scopes)) > 1),
        })
    options = sorted((j for j in jurs.values() if j["id"] in data["cells"]), key=lambda j: j["name"])
    pickers = [wanted[n] if n < len(wanted) else "" for n in range(MAX_COMPARE)]
    return await page(datasette, request, "lt_compare.html", {
        "title": "Compare " + (", ".join(jurs[w]["name"] for w in wanted) if wanted else "jurisdictions"),
        "cols": cols,
        "matrix": matrix,
        "options": options,
        "pickers": pickers,
        "too_few": len(cols) < 2,
        "csv_url": "/compare.csv?" + urlencode([("j", w) for w in wanted]),
    })


async def compare_csv(datasette, request):
    data = await load(datasette)
    jurs = data["jurisdictions"]
    wanted = [w for w in dict.fromkeys(x.strip().upper() for x in request.args.getlist("j")) if w in jurs][:MAX_COMPARE]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["jurisdiction", "name", "conduct", "status", "scope", "citation", "penalty",
                "effective", "checked", "official_url"])
    for jid in wanted:
        for c in CONDUCTS:
            a = data["cells"].get(jid, {}).get(c) or {}
            w.writerow([jid, jurs[jid]["name"], c, a.get("status", ""), a.get("scope") or "",
                        a.get("citation") or "", a.get("penalty") or "", a.get("effective") or "",
                        a.get("checked") or "", a.get("official_url") or ""])
    return Response(buf.getvalue(), content_type="text/csv; charset=utf-8", headers={
        **SECURITY_HEADERS, "content-disposition": 'attachment; filename="compare.csv"'})


SEARCH_LIMIT = 300


FTS_SYNTAX = re.compile(r'["*()^:]|\b(AND|OR|NOT|NEAR)\b')


def fts_query(q):
    """SQL function `fts_query(:q)` for the canned queries: plain words are quoted one by one
    (so `computer-generated` is a search, not a syntax error); FTS5 syntax runs as typed."""
    if q is None:
        return None
    return q if FTS_SYNTAX.search(q) else (escape_fts(q) or '""')


@hookimpl
def prepare_connection(conn):
    conn.create_function("fts_query", 1, fts_query, deterministic=True)


async def _fts(db, sql, q):
    """Plain words are quoted one by one (so "computer-generated" or "s.1" just work); a query
    using FTS5 syntax (quotes, OR, NOT, NEAR, prefix*) runs as typed, quoted if it is invalid."""
    escaped = escape_fts(q)
    if not escaped:
        return [], None
    if FTS_SYNTAX.search(q):
        try:
            return await rows(db, sql, {"q": q}), None
        except Exception:  # sqlite3.OperationalError: malformed MATCH expression
            pass
        note = "The query is not valid FTS5 syntax: searched for the words as typed."
    else:
        note = None
    try:
        return await rows(db, sql, {"q": escaped}), note
    except Exception:
        return [], "The query could not be run."


async def search(datasette, request):
    data = await load(datasette)
    db = database(datasette)
    q = (request.args.get("q") or "").strip()[:300]
    filters = {k: (request.args.get(k) or "").strip() for k in ("jurisdiction", "conduct", "status", "language", "type")}
    results, note = [], None
    if q:
        provs, note = await _fts(db, f"""
            select 'provision' as type, p.id, p.jurisdiction, p.citation as title, p.heading,
              p.url, p.language,
              snippet(provisions_fts, -1, char(2), char(3), ' … ', 28) as snip,
              snippet(provisions_fts, 2, char(2), char(3), ' … ', 28) as text_snip,
              highlight(provisions_fts, 0, char(2), char(3)) as hl_title,
              bm25(provisions_fts) as score
            from provisions_fts join provisions p on p.rowid = provisions_fts.rowid
            where provisions_fts match :q order by score limit {SEARCH_LIMIT}""", q)
        bills, note2 = await _fts(db, f"""
            select 'bill' as type, b.id, b.jurisdiction, b.identifier || ': ' || b.title as title,
              b.status as heading, b.url, null as language,
              snippet(bills_fts, -1, char(2), char(3), ' … ', 28) as snip,
              null as text_snip,
              highlight(bills_fts, 1, char(2), char(3)) as hl_title,
              bm25(bills_fts) as score
            from bills_fts join bills b on b.rowid = bills_fts.rowid
            where bills_fts match :q order by score limit {SEARCH_LIMIT}""", q)
        note = note or note2
        links = {}
        for r in await rows(db, """select ap.provision as id, a.conduct, a.status from assessment_provisions ap
                join assessments a on a.jurisdiction = ap.jurisdiction and a.conduct = ap.conduct"""):
            links.setdefault(("provision", r["id"]), []).append((r["conduct"], r["status"]))
        for r in await rows(db, """select ab.bill as id, a.conduct, a.status from assessment_bills ab
                join assessments a on a.jurisdiction = ab.jurisdiction and a.conduct = ab.conduct"""):
            links.setdefault(("bill", r["id"]), []).append((r["conduct"], r["status"]))
        results = sorted(provs + bills, key=lambda r: r["score"])
        for r in results:
            r["cells"] = links.get((r["type"], r["id"]), [])
            r["jurisdiction_name"] = data["jurisdictions"].get(r["jurisdiction"], {}).get("name", r["jurisdiction"])
            r["local"] = f"/jurisdiction/{r['jurisdiction']}#{r['type']}-{slug(r['id'])}"
            # Lawyers want the statute's words: the text's snippet whenever the text matched.
            r["snippet_html"] = marked(r["text_snip"] if "\x02" in (r["text_snip"] or "") else r["snip"])
            r["title_html"] = marked(r["hl_title"]) if r["type"] == "provision" else escape(r["title"])

    def keep(r, skip=None):
        for k, v in filters.items():
            if not v or k == skip:
                continue
            if k == "jurisdiction" and r["jurisdiction"] != v:
                return False
            if k == "language" and (r["language"] or "") != v:
                return False
            if k == "type" and r["type"] != v:
                return False
            if k == "conduct" and not any(c == v and (not filters["status"] or s == filters["status"])
                                          for c, s in r["cells"]):
                return False
            if k == "status" and not any(s == v for c, s in r["cells"]):
                return False
        return True

    shown = [r for r in results if keep(r)]
    facets = []
    for key, label in (("type", "Type"), ("jurisdiction", "Jurisdiction"), ("conduct", "Conduct"),
                       ("status", "Status"), ("language", "Language")):
        counts = {}
        for r in results:
            if not keep(r, skip=key):
                continue
            if key in ("conduct", "status"):
                values = {c if key == "conduct" else s for c, s in r["cells"]}
            else:
                values = {r[key]} if r[key] else set()
            for v in values:
                counts[v] = counts.get(v, 0) + 1
        items = []
        for v, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            params = {**filters, key: "" if filters[key] == v else v, "q": q}
            shown_label = v
            if key == "jurisdiction":
                shown_label = data["jurisdictions"].get(v, {}).get("name", v)
            elif key == "status":
                shown_label = STATUS_LABELS.get(v, v)
            items.append({"value": v, "label": shown_label, "count": n, "selected": filters[key] == v,
                          "url": "/search?" + urlencode({k: x for k, x in params.items() if x})})
        if items:
            facets.append({"key": key, "label": label, "values": items[:25], "more": max(0, len(items) - 25)})
    return await page(datasette, request, "lt_search.html", {
        "title": f"Search: {q}" if q else "Search statutes and bills",
        "q": q,
        "results": shown[:100],
        "total": len(shown),
        "facets": facets,
        "filters": filters,
        "note": note,
        "limit": SEARCH_LIMIT,
    })


async def timeline(datasette, request):
    data = await load(datasette)
    today = dt.date.today()
    series, undated, dated_total = [], {}, 0
    first_year = today.year
    for c in CONDUCTS:
        dates = []
        for jid, cells in data["cells"].items():
            a = cells.get(c)
            if a and a["status"] == "criminalised":
                if a["effective"] and a["effective"] <= today.isoformat():
                    dates.append(a["effective"])
                else:
                    undated[c] = undated.get(c, 0) + 1
        dates.sort()
        dated_total += len(dates)
        if dates:
            first_year = min(first_year, int(dates[0][:4]))
        series.append({"conduct": c, "dates": dates})
    chart = timeline_chart(series, first_year, today)
    entries = await changes(datasette, limit=60)
    return await page(datasette, request, "lt_timeline.html", {
        "title": "Timeline",
        "chart": chart,
        "series": series,
        "undated": undated,
        "dated_total": dated_total,
        "entries": entries,
        "kind_labels": KIND_LABELS,
    })


# Distinct colours and dash patterns, so lines differ without colour too.
SERIES_STYLE = {
    "create": ("#0072B2", ""),
    "possess": ("#D55E00", "6 3"),
    "distribute": ("#009E73", "2 3"),
    "access": ("#CC79A7", "8 3 2 3"),
    "tools": ("#E69F00", "1 2"),
    "manuals": ("#000000", "4 4"),
}


def timeline_chart(series, first_year, today):
    """A step chart as plain SVG geometry (drawn server-side: no script, no library)."""
    w, h, left, right, top, bottom = 760, 320, 44, 130, 14, 30
    start = dt.date(first_year, 1, 1)
    span = max((today - start).days, 1)
    ymax = max([len(s["dates"]) for s in series] + [1])
    step = 1 if ymax <= 10 else 5 if ymax <= 50 else 10 if ymax <= 100 else 25

    def x(d):
        return round(left + (w - left - right) * (d - start).days / span, 1)

    def y(n):
        return round(top + (h - top - bottom) * (1 - n / (ymax + step * 0.2)), 1)

    lines = []
    label_slots = []
    for s in series:
        colour, dash = SERIES_STYLE[s["conduct"]]
        pts = [(x(start), y(0))]
        for n, d in enumerate(s["dates"], 1):
            xd = x(dt.date.fromisoformat(d))
            pts.append((xd, pts[-1][1]))
            pts.append((xd, y(n)))
        pts.append((x(today), pts[-1][1]))
        label_slots.append([pts[-1][1], s, colour, dash])
        lines.append({"conduct": s["conduct"], "colour": colour, "dash": dash,
                      "points": " ".join(f"{a},{b}" for a, b in pts), "count": len(s["dates"])})
    # End labels, nudged apart so they never overlap.
    label_slots.sort(key=lambda t: t[0])
    for i in range(1, len(label_slots)):
        if label_slots[i][0] - label_slots[i - 1][0] < 15:
            label_slots[i][0] = label_slots[i - 1][0] + 15
    labels = [{"y": round(yy + 4, 1), "x": x(today) + 6, "text": f"{CONDUCT_LABELS[s['conduct']]} ({len(s['dates'])})",
               "colour": colour} for yy, s, colour, dash in label_slots]
    years = list(range(first_year, today.year + 1))
    every = max(1, round(len(years) / 8))
    xticks = [{"x": x(dt.date(yr, 1, 1)), "label": str(yr)} for yr in years[::every]]
    yticks = [{"y": y(n), "label": str(n)} for n in range(0, ymax + 1, step)]
    return {"w": w, "h": h, "left": left, "right": w - right, "top": top, "bottom": h - bottom,
            "lines": lines, "labels": labels, "xticks": xticks, "yticks": yticks}


async def methodology(datasette, request):
    db = database(datasette)
    return await page(datasette, request, "lt_methodology.html", {
        "title": "Methodology",
        "status_rows": await rows(db, "select * from statuses order by position"),
        "scope_rows": await rows(db, "select * from scopes order by position"),
        "conduct_rows": await rows(db, "select * from conducts order by position"),
    })


# -- hooks ------------------------------------------------------------------------------------

@hookimpl
def register_routes():
    jid = r"(?P<id>[A-Za-z]{2}(?:-[A-Za-z0-9]{1,3})?)"
    return [
        (r"^/gap-map$", gap_map),
        (r"^/gap-map\.svg$", gap_map_svg),
        (r"^/gap-map\.csv$", gap_map_csv),
        (rf"^/jurisdiction/{jid}$", jurisdiction_page),
        (rf"^/jurisdiction/{jid}/feed\.atom$", jurisdiction_feed),
        (r"^/compare$", compare),
        (r"^/compare\.csv$", compare_csv),
        (r"^/search$", search),
        (r"^/timeline$", timeline),
        (r"^/feed\.atom$", feed),
        (r"^/methodology$", methodology),
    ]


@hookimpl
def startup(datasette):
    datasette.jinja_env.filters["http_url"] = http_url


@hookimpl
def extra_template_vars(datasette):
    async def inner():
        try:
            data = await load(datasette)
        except Exception:  # a database without our tables: the plugin stays out of the way
            return {"lt_as_of": None, "lt_methodology_url": METHODOLOGY_URL}
        return {"lt_as_of": data["as_of"], "lt_methodology_url": METHODOLOGY_URL}

    return inner


@hookimpl
def extra_css_urls():
    return ["/static/lawtracker.css"]


# -- security headers and read-only methods for every response (Datasette's own pages too) ---

# Datasette's own pages (tables, rows, the SQL editor) carry inline scripts, so their CSP
# allows inline script; everything else is as strict as on the tracker's pages. Output is
# autoescaped on both.
DATASETTE_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
READ_METHODS = {"GET", "HEAD", "OPTIONS"}
# Datasette's debugging tools: no use on a public read-only site
CLOSED_PATHS = {"/-/allow-debug", "/-/messages", "/-/permissions", "/-/create-token", "/-/logout"}


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def secured(scope, receive, send):
            if scope.get("type") != "http":
                return await app(scope, receive, send)
            path = scope.get("path", "")
            closed = path.rstrip("/") in CLOSED_PATHS
            if scope.get("method", "GET").upper() not in READ_METHODS or closed:
                status = 404 if closed else 405
                headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"allow", b"GET, HEAD")]
                headers += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
                await send({"type": "http.response.start", "status": status, "headers": headers})
                await send({"type": "http.response.body",
                            "body": b"Not found\n" if closed else b"This site is read-only.\n"})
                return None

            async def send_secured(message):
                if message["type"] == "http.response.start":
                    headers = list(message.get("headers") or [])
                    have = {k.lower() for k, _ in headers}
                    extra = dict(SECURITY_HEADERS)
                    extra["content-security-policy"] = DATASETTE_CSP
                    for k, v in extra.items():
                        if k.encode() not in have:
                            headers.append((k.encode(), v.encode()))
                    message = dict(message, headers=headers)
                await send(message)

            return await app(scope, receive, send_secured)

        return secured

    return wrap
