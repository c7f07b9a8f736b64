"""`lawtracker check`: the curated data must be well-formed, cross-referenced and honest.

Every problem names the file, the line and the field, so a reviewer can jump straight to it.
"""
import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema

from lawtracker import jurisdictions, schema, text, vocab, yamlio


# Conducts about material, where `scope` (what material the offence reaches) applies.
MATERIAL_CONDUCTS = ("create", "possess", "distribute", "access")


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    field: str
    message: str
    severity: str = "error"

    def __str__(self):
        prefix = "" if self.severity == "error" else f"{self.severity}: "
        return f"{self.path}:{self.line}: {self.field}: {prefix}{self.message}"


def _field(loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(file)"


class Checker:
    """Collects problems for a set of loaded documents."""

    def __init__(self, data_dir: Path, today: dt.date | None = None):
        self.data_dir = Path(data_dir)
        self.today = today or dt.date.today()
        self.problems: list[Problem] = []
        self.docs: dict[str, yamlio.Document] = {}
        self.schema_errors: dict[str, set] = {}  # stem -> locations that failed the schema

    def add(self, doc, loc, message, severity="error"):
        self.problems.append(
            Problem(_rel(doc.path), doc.line(loc), _field(loc), message, severity)
        )

    @functools.cached_property
    def known_ids(self) -> set:
        return jurisdictions.known_ids(self.data_dir) | {"EU"}

    def check_groups(self, config):
        """`coverage_groups`: every member a known jurisdiction id (YAML turns a bare `NO` into
        false, which would silently drop Norway from the coverage report)."""
        groups = (config.data or {}).get("coverage_groups") or []
        for i, group in enumerate(groups if isinstance(groups, list) else []):
            for j, member in enumerate((group or {}).get("members") or []):
                if not isinstance(member, str) or member not in self.known_ids:
                    self.add(config, ("coverage_groups", i, "members", j),
                             f"{member!r} is not a jurisdiction id (quote ids YAML reads as booleans, e.g. \"NO\")")

    # -- loading and schema -------------------------------------------------------------
    def load(self, paths):
        validator = jsonschema.Draft202012Validator(schema.LAW_FILE)
        for path in paths:
            try:
                doc = yamlio.load(path)
            except yamlio.YamlError as exc:
                self.problems.append(Problem(_rel(exc.path), exc.line, "yaml", exc.message))
                continue
            if not isinstance(doc.data, dict):
                self.add(doc, (), "the file must be a mapping with a `jurisdiction` key")
                continue
            bad = self.schema_errors.setdefault(path.stem, set())
            for err in validator.iter_errors(doc.data):
                self._schema_error(doc, err)
                bad.add(tuple(err.absolute_path))
            self.docs[path.stem] = doc

    def _schema_error(self, doc, err):
        loc = tuple(err.absolute_path)
        if err.validator == "additionalProperties":
            allowed = set(err.schema.get("properties", {}))
            for key in sorted(set(err.instance) - allowed):
                self.add(doc, loc + (key,), f"unknown key (allowed: {', '.join(sorted(allowed))})")
            return
        if err.validator == "required":
            missing = err.message.split("'")[1] if "'" in err.message else err.message
            self.add(doc, loc + (missing,), "required field is missing")
            return
        if err.validator == "enum":
            self.add(doc, loc, f"{err.instance!r} is not one of: {', '.join(map(str, err.validator_value))}")
            return
        if err.validator == "pattern":
            self.add(doc, loc, f"{err.instance!r} does not have the expected form ({err.validator_value})")
            return
        self.add(doc, loc, err.message)

    # -- semantic checks ----------------------------------------------------------------
    def _items(self, stem, key):
        """(index, item) for the items of `key` that passed the schema: semantic checks only
        make sense on well-formed items, and the schema problem is already reported."""
        bad = self.schema_errors.get(stem, set())
        if (key,) in bad or () in bad and not isinstance(self.docs[stem].data.get(key, []), list):
            return []
        out = []
        for i, item in enumerate(_list(self.docs[stem].data, key)):
            if isinstance(item, dict) and not any(loc[:2] == (key, i) for loc in bad):
                out.append((i, item))
        return out

    def check_all(self):
        known = self.known_ids
        index = {}  # id -> (stem, kind)
        for stem, doc in self.docs.items():
            data = doc.data
            jid = data.get("jurisdiction")
            if ("jurisdiction",) in self.schema_errors.get(stem, ()):
                pass
            elif jid != stem:
                self.add(doc, ("jurisdiction",), f"must equal the file name ({stem!r})")
            if stem not in known:
                self.add(doc, ("jurisdiction",), f"{stem!r} is not an ISO 3166 code, EU, or an id in data/jurisdictions.yml")
            for kind in ("instruments", "provisions", "bills"):
                for i, item in self._items(stem, kind):
                    iid = item.get("id")
                    if not iid.startswith(f"{stem}/"):
                        self.add(doc, (kind, i, "id"), f"must start with '{stem}/'")
                    if iid in index:
                        self.add(doc, (kind, i, "id"), f"duplicate id (also in {index[iid][0]}.yml)")
                    index[iid] = (stem, kind)
        for stem, doc in self.docs.items():
            self._check_doc(stem, doc, index)

    def _resolves(self, stem, ref, kind, index):
        hit = index.get(ref)
        if not hit or hit[1] != kind:
            return False
        return hit[0] == stem or hit[0] == jurisdictions.parent_of(stem, self.data_dir)

    def _check_doc(self, stem, doc, index):
        data = doc.data
        texts = {}
        for i, p in self._items(stem, "provisions"):
            texts[p.get("id")] = p.get("text")
            if p.get("instrument") and not self._resolves(stem, p["instrument"], "instruments", index):
                self.add(doc, ("provisions", i, "instrument"), f"no instrument {p['instrument']!r} in this file or its parent's")
            elif p.get("instrument") and p.get("id") and not p["id"].startswith(p["instrument"] + "/"):
                self.add(doc, ("provisions", i, "id"), f"must start with its instrument id '{p['instrument']}/'")
            self._dates(doc, ("provisions", i), p, ("effective", "checked"))
            self._urls(doc, ("provisions", i), p)
        for i, b in self._items(stem, "bills"):
            self._dates(doc, ("bills", i), b, ("checked",))
            self._urls(doc, ("bills", i), b)
            for j, src in enumerate(b.get("sources") or []):
                if isinstance(src, dict):
                    self._urls(doc, ("bills", i, "sources", j), src)
            for j, ref in enumerate(b.get("provisions") or []):
                if not self._resolves(stem, ref, "provisions", index):
                    self.add(doc, ("bills", i, "provisions", j), f"no provision {ref!r} in this file or its parent's")
            for j, ev in enumerate(b.get("events") or []):
                if isinstance(ev, dict):
                    future_ok = ev.get("classification") == "in-force"
                    self._dates(doc, ("bills", i, "events", j), ev, ("date",), future_ok=future_ok)
        seen = {}
        for i, a in self._items(stem, "assessments"):
            self._check_assessment(stem, doc, i, a, seen, index, texts)
        missing = [c for c in vocab.CONDUCTS if c not in seen]
        if missing and _list(data, "assessments"):
            self.add(doc, ("assessments",), f"conducts not yet assessed: {', '.join(missing)}", "warning")

    def _check_assessment(self, stem, doc, i, a, seen, index, texts):
        loc = ("assessments", i)
        conduct, status = a.get("conduct"), a.get("status")
        if conduct in seen:
            self.add(doc, loc + ("conduct",), f"{conduct!r} is assessed twice (also item {seen[conduct]})")
        seen.setdefault(conduct, i)
        self._dates(doc, loc, a, ("checked",))
        self._dates(doc, loc, a, ("effective",), future_ok=status == "pending")
        for j, ref in enumerate(a.get("provisions") or []):
            if not self._resolves(stem, ref, "provisions", index):
                self.add(doc, loc + ("provisions", j), f"no provision {ref!r} in this file or its parent's")
        for j, ref in enumerate(a.get("bills") or []):
            if not self._resolves(stem, ref, "bills", index):
                self.add(doc, loc + ("bills", j), f"no bill {ref!r} in this file or its parent's")
        for j, src in enumerate(a.get("sources") or []):
            if isinstance(src, dict):
                self._urls(doc, loc + ("sources", j), src)
        quote = a.get("quote")
        if isinstance(quote, str) and ("..." in quote or "\u2026" in quote):
            self.add(doc, loc + ("quote",), "a quote is one contiguous verbatim run: no '...' or '…'")
        if status == "unclear":
            if not a.get("note"):
                self.add(doc, loc + ("note",), "an unclear cell needs a note saying what was checked")
            return
        for key in ("provisions", "quote", "sources", "confidence"):
            if not a.get(key):
                self.add(doc, loc + (key,), f"required when status is {status!r}")
        if status in ("criminalised", "partial") and conduct in MATERIAL_CONDUCTS and not a.get("scope"):
            self.add(doc, loc + ("scope",), f"required when status is {status!r}")
        if status == "pending" and not a.get("bills"):
            self.add(doc, loc + ("bills",), "a pending cell cites the bill or proposal")
        if status == "not_criminalised" and not a.get("note"):
            self.add(doc, loc + ("note",), "say what was checked: not_criminalised is a finding")
        if (stem == "US" or stem.startswith("US-")) and status in ("criminalised", "partial") \
                and conduct in MATERIAL_CONDUCTS and a.get("scope") in ("realistic", "any_depiction") \
                and "Ashcroft" not in str(a.get("note") or ""):
            # Methodology: a US offence reaching non-obscene virtual images is constitutionally
            # disputed, and the cell must say so.
            self.add(doc, loc + ("note",), "a US cell reaching non-obscene virtual images must note "
                     "Ashcroft v. Free Speech Coalition, 535 U.S. 234 (2002)")
        if quote and a.get("provisions"):
            cited = [self._provision_text(ref, texts, index) for ref in a["provisions"]]
            if not any(text.contains_quote(t, quote) for t in cited if t):
                self.add(doc, loc + ("quote",), "not found in the text of any cited provision (check it is verbatim and the provision text holds it)")

    def _provision_text(self, ref, texts, index):
        if ref in texts:
            return texts[ref]
        hit = index.get(ref)
        if hit:
            for p in _list(self.docs[hit[0]].data, "provisions"):
                if isinstance(p, dict) and p.get("id") == ref:
                    return p.get("text")
        return None

    def _urls(self, doc, loc, obj):
        """A source must be traceable: a page, not a bare host or an unnamed repository."""
        for key in ("url", "source"):
            value = obj.get(key)
            if not isinstance(value, str):
                continue
            parsed = urlsplit(value)
            if parsed.path in ("", "/") and not parsed.query:
                self.add(doc, loc + (key,), f"{value!r} names a site, not the page that was read")
            elif parsed.hostname in ("github.com", "www.github.com") and parsed.path.count("/") < 3:
                self.add(doc, loc + (key,), f"{value!r} does not name the repository file that was read")

    def _dates(self, doc, loc, obj, keys, future_ok=False):
        for key in keys:
            value = obj.get(key)
            if not isinstance(value, str):
                continue
            try:
                day = dt.date.fromisoformat(value)
            except ValueError:
                self.add(doc, loc + (key,), f"{value!r} is not a real date (YYYY-MM-DD)")
                continue
            if day > self.today and not future_ok:
                self.add(doc, loc + (key,), f"{value} is in the future")


def _list(data, key):
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, list) else []


def _rel(path) -> str:
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def law_files(data_dir: Path) -> list[Path]:
    return sorted((Path(data_dir) / "laws").glob("*.yml"))


def check(data_dir: Path, today: dt.date | None = None) -> Checker:
    """Validate every curated file under `data_dir`. Cross-references need them all."""
    checker = Checker(data_dir, today)
    config_path = Path(data_dir) / "jurisdictions.yml"
    try:
        config = yamlio.load(config_path)
    except (yamlio.YamlError, OSError) as exc:
        checker.problems.append(Problem(str(config_path), getattr(exc, "line", 1), "yaml", str(exc)))
        return checker
    checker.check_groups(config)
    checker.load(law_files(data_dir))
    checker.check_all()
    checker.problems.sort()
    return checker
