"""Explainable, rule-based classifier of provisions and bills (issue 5).

For any text it reports what conduct an offence reaches (create, possess, distribute, access,
tools, manuals) and which *features* decide what material it reaches (computer-generated,
"indistinguishable", drawings, obscenity, a real child only, ...). Every finding keeps the
matched phrase and its character offsets in the text it was found in, so a reviewer can check
each proposal against the words of the statute.

The rules are data: one YAML file per language in `lawtracker/rules/<lang>.yml` (see
docs/analysis.md for the format). Matching uses the `regex` module (Unicode-aware); nothing is
downloaded at run time.

Two steps:

1. `classify_text(text, lang)` -> `Result`: findings of kind `conduct`, `feature`, `context`
   (mentions of a child/minor and of sexual material), `crossref` ("as defined in section
   X"), `limit` and `lift` (see LIMITS below). A conduct or feature preceded, within the same
   clause, by a negation cue of the rule set ("does not apply to", "other than", ...) is kept
   but marked `negated` and does not count.
2. `propose(results, conduct)` -> `Proposal`: the status and scope the findings of the cited
   texts support for one cell of the matrix, with the phrases that support it.
"""
from __future__ import annotations

import bisect
import functools
import json
from dataclasses import dataclass, field
from pathlib import Path

import regex
import yaml

from lawtracker import vocab

RULES_DIR = Path(__file__).with_name("rules")

CONDUCTS = tuple(vocab.CONDUCTS)

# Features and the scope each one points to (see derive_scope for how they combine).
FEATURE_SCOPE = {
    "nonexistent_person": "any_depiction",     # "whether or not the person depicted exists"
    "any_representation": "any_depiction",     # cartoons, animation, fictional, "any representation"
    "artificial_intelligence": "realistic",
    "indistinguishable": "realistic",
    "pseudo_photograph": "realistic",
    "realistic": "realistic",
    "appears_minor": "realistic",              # "appears to be a minor", "depicted as"
    "digitally_altered": "identifiable_child",
    "identifiable_child": "identifiable_child",
    "computer_generated": "realistic",         # weak: often a medium in a list
    "drawings": "any_depiction",               # weak: "picture, drawing, photograph" lists
    "obscenity": "obscene_only",
    "real_child_only": "real_child_only",
    # Not a scope: it says the CSAM definition also reaches written or advocacy material (text
    # that "advocates or counsels", "written material", "describes"), which makes a guide that
    # contains such material CSAM, so `manuals` is `partial` (docs/methodology.md).
    "written_material": None,
}
FEATURES = tuple(FEATURE_SCOPE)
STRONG_ANY = {"nonexistent_person", "any_representation"}
STRONG_REALISTIC = {"artificial_intelligence", "indistinguishable", "pseudo_photograph",
                    "realistic", "appears_minor"}
IDENTIFIABLE = {"digitally_altered", "identifiable_child"}
CONTEXTS = ("minor", "sexual")
# LIMITS. A *limit* says an offence reaches its conduct only in some forms: "en vue de sa
# diffusion" (production only for dissemination), "consulter habituellement" (only habitual
# viewing). It binds the conduct named in its own sentence. A *lift* in the same text removes
# the limit for that conduct ("même s'ils n'ont pas été commis en vue de la diffusion", images
# of a minor under 15).
# Conducts that are about CSAM itself need both contexts in the text (or the cited texts
# together); tools and manuals carry their own subject in the phrase that matches them.
NEEDS_CONTEXT = {"create", "possess", "distribute", "access"}


@dataclass
class Finding:
    kind: str            # conduct | feature | context | crossref | limit | lift
    label: str           # e.g. possess, computer_generated, minor, crossref
    phrase: str          # the matched text, exactly as in the input
    start: int           # character offsets into the input text (text[start:end] == phrase)
    end: int
    rule: str            # rule id: <lang>.<kind>.<label>.<n>
    negated: bool = False
    cue: str | None = None   # the negation cue, when negated
    target: str | None = None  # for crossref: what is referred to ("section 2256")

    def as_dict(self):
        # by hand: dataclasses.asdict deep-copies every field and dominated the build's profile
        return {"kind": self.kind, "label": self.label, "phrase": self.phrase, "start": self.start,
                "end": self.end, "rule": self.rule, "negated": self.negated, "cue": self.cue,
                "target": self.target}


@dataclass
class Result:
    language: str | None
    rules: str | None            # the rule set used (None: no rules for this language)
    findings: list = field(default_factory=list)
    text: str | None = field(default=None, repr=False)

    def labels(self, kind):
        found = [f for f in self.findings if f.kind == kind and not f.negated]
        if kind == "context":
            # "CSA image-generator": the child named inside a tools phrase describes the tool,
            # not material that a possession or supply offence in the same text reaches.
            tools = [(f.start, f.end) for f in self.findings if f.label == "tools" and not f.negated]
            found = [f for f in found if not any(s <= f.start and f.end <= e for s, e in tools)]
        return {f.label for f in found}

    @property
    def conducts(self):
        found = self.labels("conduct")
        if not _contexts_ok(self.labels("context")):
            found -= NEEDS_CONTEXT
        return found

    @property
    def features(self):
        return self.labels("feature")

    @property
    def scope(self):
        return derive_scope(self.features)

    def as_dict(self):
        return {
            "language": self.language,
            "rules": self.rules,
            "conducts": sorted(self.conducts, key=CONDUCTS.index),
            "features": sorted(self.features, key=FEATURES.index),
            "scope": self.scope,
            "findings": [f.as_dict() for f in self.findings],
        }


def _contexts_ok(contexts) -> bool:
    return set(CONTEXTS) <= set(contexts)


def derive_scope(features) -> str | None:
    """The scope a set of (non-negated) features supports; None when there is no evidence.

    Precedence, broadest reach first, with two qualifications that statutes force on us:
    an obscenity element limits everything else unless the text also reaches realistic
    images by name (18 U.S.C. § 1466A reaches drawings, but only obscene ones); and the *weak*
    features - "computer-generated image" or "drawing" in a list of media - count only when
    nothing more specific is said, because statutes list those media and still require that
    a real or identifiable child was used (Conn. Gen. Stat. § 53a-193, Minn. Stat. § 617.246).
    """
    f = set(features)
    if "obscenity" in f and not (f & {"indistinguishable", "pseudo_photograph", "realistic"}):
        return "obscene_only"
    if f & STRONG_ANY:
        return "any_depiction"
    if f & STRONG_REALISTIC:
        return "realistic"
    if f & IDENTIFIABLE:
        return "identifiable_child"
    if "real_child_only" in f:
        return "real_child_only"
    if "computer_generated" in f:
        return "realistic"
    if "drawings" in f:
        return "any_depiction"
    return None


# -- rule sets --------------------------------------------------------------------------------

@dataclass
class Rule:
    id: str
    kind: str
    label: str
    pattern: "regex.Pattern"
    negatable: bool = True
    target_group: str | None = None


@dataclass
class RuleSet:
    language: str
    name: str
    rules: list
    negation: list            # compiled cues
    window: int               # characters before a match searched for a cue
    boundary: "regex.Pattern"  # clause boundary: a cue beyond it does not count


_LANG = regex.compile(r"[a-z]{2,3}(?:-[a-z0-9]{2,8})?")


def available_languages() -> list[str]:
    return sorted(p.stem for p in RULES_DIR.glob("*.yml"))


def _compile(pattern: str, flags: int):
    return regex.compile(pattern, flags | regex.IGNORECASE | regex.UNICODE | regex.VERSION1)


@functools.lru_cache(maxsize=None)
def load_rules(lang: str, rules_dir: str | None = None) -> RuleSet | None:
    path = Path(rules_dir or RULES_DIR) / f"{lang}.yml"
    if not path.is_file():
        return None
    spec = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return ruleset_from_spec(spec, lang)


def ruleset_from_spec(spec: dict, lang: str) -> RuleSet:
    flags = 0  # IGNORECASE | UNICODE | VERSION1 are always on (see _compile)
    rules = []
    sections = (("conduct", spec.get("conducts") or {}), ("feature", spec.get("features") or {}),
                ("context", spec.get("context") or {}), ("limit", spec.get("limits") or {}),
                ("lift", spec.get("lifts") or {}))
    known_labels = {"conduct": CONDUCTS, "feature": FEATURES, "context": CONTEXTS,
                    "limit": CONDUCTS, "lift": CONDUCTS}
    for kind, section in sections:
        for label, entries in section.items():
            known = known_labels[kind]
            if label not in known:
                raise ValueError(f"rules/{lang}.yml: unknown {kind} {label!r}")
            for n, entry in enumerate(entries or [], 1):
                if isinstance(entry, str):
                    entry = {"pattern": entry}
                rules.append(Rule(
                    id=f"{lang}.{kind}.{label}.{n}", kind=kind, label=label,
                    pattern=_compile(entry["pattern"], flags),
                    negatable=entry.get("negatable", kind in ("conduct", "feature")),
                ))
    for n, entry in enumerate(spec.get("crossrefs") or [], 1):
        if isinstance(entry, str):
            entry = {"pattern": entry}
        rules.append(Rule(id=f"{lang}.crossref.{n}", kind="crossref", label="crossref",
                          pattern=_compile(entry["pattern"], flags), negatable=False,
                          target_group="target"))
    neg = spec.get("negation") or {}
    return RuleSet(
        language=lang,
        name=spec.get("name") or lang,
        rules=rules,
        negation=[_compile(c, flags) for c in neg.get("cues") or []],
        window=int(neg.get("window") or 60),
        boundary=_compile(neg.get("boundary") or r"[.;:!?。]|\n\s*(?:\(?[0-9a-z]{1,4}[).]|[a-z]\))", flags),
    )


# -- matching ---------------------------------------------------------------------------------

def _negation(text: str, start: int, rs: RuleSet):
    """The negation cue governing a match at `start`, if any (same clause, within the window)."""
    lo = max(0, start - rs.window)
    before = text[lo:start]
    cut = None
    for m in rs.boundary.finditer(before):
        cut = m.end()
    if cut is not None:
        before, lo = before[cut:], lo + cut
    best = None
    for cue in rs.negation:
        for m in cue.finditer(before):
            if best is None or m.start() > best.start():
                best = m
    return best.group(0) if best else None


def _overlaps(spans, start, end) -> bool:
    """Whether [start, end) overlaps a span of the sorted, non-overlapping `spans`."""
    i = bisect.bisect_left(spans, (start, end))
    return (i < len(spans) and spans[i][0] < end) or (i > 0 and spans[i - 1][1] > start)


def classify_text(text: str | None, lang: str | None, rules_dir: str | None = None) -> Result:
    """Findings for one text. Offsets index `text` exactly as given."""
    lang = (lang if isinstance(lang, str) else "").lower() or None
    rs = load_rules(lang, rules_dir) if lang and _LANG.fullmatch(lang) else None
    if not isinstance(text, str):  # crawled records are not trusted to hold strings
        text = None
    result = Result(language=lang, rules=rs.language if rs else None, text=text)
    if not text or rs is None:
        return result
    # The input is never rewritten (no normalisation, no lower-casing), so offsets always
    # index the caller's string; case and Unicode variants are handled by the patterns.
    taken = {}  # (kind, label) -> sorted [(start, end)]: drop overlapping duplicates of a label
    for rule in rs.rules:
        spans = taken.setdefault((rule.kind, rule.label), [])
        for m in rule.pattern.finditer(text):
            if m.end() == m.start() or _overlaps(spans, m.start(), m.end()):
                continue
            bisect.insort(spans, (m.start(), m.end()))
            cue = _negation(text, m.start(), rs) if rule.negatable else None
            target = None
            if rule.target_group and rule.target_group in rule.pattern.groupindex:
                target = (m.group(rule.target_group) or "").strip() or None
            result.findings.append(Finding(
                kind=rule.kind, label=rule.label, phrase=text[m.start():m.end()],
                start=m.start(), end=m.end(), rule=rule.id, negated=cue is not None, cue=cue,
                target=target,
            ))
    result.findings.sort(key=lambda f: (f.start, f.end, f.kind, f.label))
    return result


# -- proposals for one cell -------------------------------------------------------------------

@dataclass
class Proposal:
    conduct: str
    status: str | None        # criminalised | partial | not_criminalised | unclear | None (no rules)
    scope: str | None
    found: bool               # the conduct was found in the texts
    basis: str                # offence | definition | none | no_rules (see propose)
    evidence: list            # [(subject id, Finding)] supporting the proposal
    covered: bool             # at least one text had a rule set for its language

    def evidence_text(self, limit=6):
        out = []
        if self.basis == "definition":
            out.append("(cited texts are definitions: no conduct named; status from what the definition reaches)")
        for sid, f in self.evidence[:limit]:
            label = f"{f.kind} ({f.label})" if f.kind in ("limit", "lift") else f.label
            out.append(f"{sid} [{f.start}:{f.end}] {label}: \u201c{f.phrase}\u201d")
        return "; ".join(out)


def _obscenity_bound(result) -> bool:
    f = result.features
    return "obscenity" in f and not (f & {"indistinguishable", "pseudo_photograph", "realistic"})


_SENTENCE_END = regex.compile(r"[.;。](?=\s|$)|\n\s*\n")


def _same_sentence(result, a, b) -> bool:
    """Whether findings `a` and `b` of one text lie in the same sentence."""
    text = result.text or ""
    lo, hi = sorted((a.start, b.start))
    return _SENTENCE_END.search(text, lo, hi) is None


def propose(results: list, conduct: str, referenced: list = ()) -> Proposal:
    """Status and scope the findings of the cited texts support for one conduct.

    `results` is a list of (subject id, Result) for the cited texts; `referenced` the same for
    texts they cross-refer to ("as defined in section X"), which contribute features and
    contexts (what the defined term reaches) but never conducts. Contexts are pooled across the
    texts (a definition section names the child, the offence section the conduct).

    basis `offence`: the conduct is named in a cited text; `definition`: no cited text names
    any conduct (the curators cited only the definition the offence relies on), so the proposal
    says what that definition reaches; `none`: the conduct is not found.
    """
    pooled = list(results) + list(referenced)
    covered = any(r.rules for _, r in results)
    if not covered:
        return Proposal(conduct, None, None, False, "no_rules", [], False)
    contexts = set().union(*[r.labels("context") for _, r in pooled]) if pooled else set()
    conduct_hits = [(sid, f) for sid, r in results for f in r.findings
                    if f.kind == "conduct" and f.label == conduct and not f.negated]
    found = bool(conduct_hits) and (conduct not in NEEDS_CONTEXT or _contexts_ok(contexts))
    texts = dict(results)
    naming = {sid for sid, _ in conduct_hits}
    feature_hits = [(sid, f) for sid, r in pooled for f in r.findings
                    if f.kind == "feature" and not f.negated]
    # A text naming the conduct that says itself what material it reaches is not read with
    # the features of a separate offence cited beside it (see _other_offence).
    if conduct in NEEDS_CONTEXT and any(sid in naming for sid, _ in feature_hits):
        feature_hits = [(sid, f) for sid, f in feature_hits
                        if not (sid in texts and _other_offence(texts[sid], f, conduct))]
    written = [(sid, f) for sid, f in feature_hits if f.label == "written_material"]
    # An obscenity element binds the offence that states it, not every offence in the cell's
    # texts: 18 U.S.C. § 1466A reaches drawings only if obscene, while § 2252A, cited beside
    # it, reaches "indistinguishable" images without that condition. So when some text names
    # the conduct without an obscenity element, the obscenity-bound texts that name it are
    # set aside; when every such text is obscenity-bound, the scope is obscene_only.
    bound = {sid for sid, r in results if sid in naming and _obscenity_bound(r)}
    if naming and bound == naming:
        feature_hits = [(sid, f) for sid, f in feature_hits
                        if sid.split("#", 1)[0] in bound or f.label == "obscenity"]
    elif bound:  # (a bound text's heading goes with it: "Obscene visual representations ...")
        feature_hits = [(sid, f) for sid, f in feature_hits if sid.split("#", 1)[0] not in bound]
    scope = derive_scope({f.label for _, f in feature_hits})
    # What the offence reaches is best read in the sentence that names the conduct (§ 184b
    # StGB: possession reaches "wirklichkeitsnahe" content, distribution any content); only
    # when that sentence says nothing is the whole of the cited texts used.
    local = [(sid, f) for sid, f in feature_hits if sid in texts and any(
        s == sid and _same_sentence(texts[sid], f, c) for s, c in conduct_hits)]
    local_scope = derive_scope({f.label for _, f in local})
    if not (naming and bound == naming) and local_scope in ("any_depiction", "realistic") and \
            {f.label for _, f in local} & (STRONG_ANY | STRONG_REALISTIC):
        scope, feature_hits = local_scope, local
    if conduct == "manuals" and not found and written and _contexts_ok(contexts):
        return Proposal(conduct, "partial", None, False, "definition", written[:3], True)
    if conduct in ("tools", "manuals"):
        status = "criminalised" if found else "not_criminalised"
        return Proposal(conduct, status, None, found, "offence" if found else "none", conduct_hits[:3], True)
    any_conduct = any(f.kind == "conduct" and not f.negated for _, r in results for f in r.findings)
    if found:
        basis = "offence"
    elif not any_conduct and scope:
        basis = "definition"
    else:
        return Proposal(conduct, "not_criminalised", None, False, "none", [], True)
    limits = _limits(texts, conduct_hits, conduct) if found else []
    if scope in ("any_depiction", "realistic"):
        status = "partial" if limits else "criminalised"
    elif scope in ("identifiable_child", "obscene_only"):
        status = "partial"
    elif scope == "real_child_only":
        status = "not_criminalised"
    else:
        status = "unclear"  # the conduct is reached, but nothing says what material
    support = [(sid, f) for sid, f in feature_hits if scope and FEATURE_SCOPE[f.label] == scope]
    return Proposal(conduct, status, scope, found, basis,
                    conduct_hits[:2] + limits[:1] + support[:4], True)


def _other_offence(result, feature, conduct) -> bool:
    """Whether `feature` describes a separate offence of a cited text that does not name
    `conduct`: it lies in a sentence of that text naming another conduct. Poland's § 202 § 4b
    (produced or processed images; producing, possessing ...) says nothing of the access
    offence of § 4a cited beside it. Features in sentences naming no conduct (definitions) are
    kept."""
    hits = [f for f in result.findings if f.kind == "conduct" and not f.negated]
    if not hits or any(f.label == conduct for f in hits):
        return False
    return any(_same_sentence(result, feature, f) for f in hits)


def _limits(texts, conduct_hits, conduct) -> list:
    """The limit findings when *every* text naming `conduct` reaches it only in limited forms
    (see LIMITS at the top); empty when any naming of the conduct is unlimited. `texts` maps
    each cited text's id to its Result."""
    found = []
    for sid, hit in conduct_hits:
        r = texts[sid]
        if any(f.kind == "lift" and f.label == conduct for f in r.findings):
            return []
        bound = [f for f in r.findings
                 if f.kind == "limit" and f.label == conduct and _same_sentence(r, f, hit)]
        if not bound:
            return []
        found.append((sid, bound[0]))
    return found


def main_text(path: str, lang: str) -> str:
    """`lawtracker classify --text FILE --lang CODE`: findings as JSON."""
    text = Path(path).read_text(encoding="utf-8") if path != "-" else __import__("sys").stdin.read()
    result = classify_text(text, lang)
    out = result.as_dict()
    if result.rules is None:
        out["note"] = f"no rule set for language {lang!r}; available: {', '.join(available_languages())}"
    return json.dumps(out, ensure_ascii=False, indent=2)


# -- the whole dataset ------------------------------------------------------------------------

EVALUATED = ("criminalised", "partial", "not_criminalised")
POSITIVE = ("criminalised", "partial")
_NUMBER = regex.compile(r"\d+[a-z]?(?:[.\-]\d+[a-z]?)*", regex.IGNORECASE)


def _tokens(s):
    return set(_NUMBER.findall(s or ""))


@dataclass
class Analysis:
    """Classifier output for a whole dataset: per text, per cell, and the agreement."""

    texts: dict          # (subject_type, subject id, field) -> Result
    cells: list          # one dict per assessment
    report: dict


def bill_language(bill, provision_languages):
    return provision_languages.get(bill["jurisdiction"]) or "en"


def analyse(provisions, bills, assessments, assessment_provisions, rules_dir=None) -> Analysis:
    """Classify every provision and bill and propose a reading for every assessment cell."""
    texts = {}
    by_id = {p["id"]: p for p in provisions}
    langs = {}
    for p in provisions:
        texts["provision", p["id"], "text"] = classify_text(p.get("text"), p.get("language"), rules_dir)
        if p.get("heading"):
            # official section headings name the subject ("Sexual performance by a child:
            # definitions") that an excerpt may leave implicit
            texts["provision", p["id"], "heading"] = classify_text(p["heading"], p.get("language"), rules_dir)
        if p.get("language"):
            langs.setdefault(p["jurisdiction"], {}).setdefault(p["language"], 0)
            langs[p["jurisdiction"]][p["language"]] += 1
    main_lang = {j: max(c, key=c.get) for j, c in langs.items()}
    for b in bills:
        lang = bill_language(b, main_lang)
        for fld in ("title", "summary"):
            texts["bill", b["id"], fld] = classify_text(b.get(fld), lang, rules_dir)

    cited = {}
    for ap in sorted(assessment_provisions, key=lambda r: r.get("position") or 0):
        cited.setdefault((ap["jurisdiction"], ap["conduct"]), []).append(ap["provision"])

    cells = []
    for a in assessments:
        key = (a["jurisdiction"], a["conduct"])
        pids = [pid for pid in cited.get(key, []) if pid in by_id]
        results = [(pid, texts["provision", pid, "text"]) for pid in pids]
        refs = resolve_crossrefs(results, by_id, exclude=set(pids))
        feats = set().union(set(), *[texts["provision", pid, "text"].features for pid in pids + refs])
        if derive_scope(feats) is None:
            # The offence uses a term defined elsewhere in the same instrument: read the
            # instrument's definition provisions in the dataset, as a lawyer would.
            refs += [pid for pid in same_instrument_definitions(pids, provisions) if pid not in refs]
        # a definition may itself define by reference ("as defined in section 1 of the ... Act"):
        # follow one more step
        refs += resolve_crossrefs([(pid, texts["provision", pid, "text"]) for pid in refs], by_id,
                                  exclude=set(pids) | set(refs))
        headings = [(f"{pid}#heading", texts["provision", pid, "heading"]) for pid in pids
                    if ("provision", pid, "heading") in texts]
        prop = propose(results, a["conduct"], [(pid, texts["provision", pid, "text"]) for pid in refs] + headings)
        evaluated = a["status"] in EVALUATED and prop.covered
        disagreement = None
        if evaluated:
            if prop.status == "unclear":
                disagreement = None if a["status"] == "unclear" else "unconfirmed"
            elif prop.status != a["status"]:
                disagreement = "conduct_not_found" if prop.basis == "none" else "status"
            elif a.get("scope") and prop.scope and a["scope"] != prop.scope:
                disagreement = "scope"
        cells.append({
            "jurisdiction": a["jurisdiction"],
            "conduct": a["conduct"],
            "curated_status": a["status"],
            "curated_scope": a.get("scope"),
            "proposed_status": prop.status,
            "proposed_scope": prop.scope,
            "conduct_found": prop.found if prop.covered else None,
            "basis": prop.basis,
            "evaluated": evaluated,
            "disagreement": disagreement,
            "provisions": json.dumps(pids),
            "referenced": json.dumps(refs),
            "languages": json.dumps(sorted({by_id[p].get("language") or "?" for p in pids})),
            "evidence": prop.evidence_text(),
            "checked": a.get("checked"),
        })
    return Analysis(texts=texts, cells=cells, report=agreement(cells))


_DEFINITION = regex.compile(
    r"defini|interpret|\bmeans\b|\bincludes\b|begriff|bedeutet|s'entend|se entiende|entende-se|"
    r"significa|si intend|betyder|avses|verstaan|정의|定義|とは", regex.IGNORECASE)


def same_instrument_definitions(pids, provisions):
    """Definition provisions of the instruments the cited provisions belong to."""
    cited = [p for p in provisions if p["id"] in pids]
    instruments = {p.get("instrument") for p in cited if p.get("instrument")}
    return [p["id"] for p in provisions
            if p["id"] not in pids and p.get("instrument") in instruments
            and _DEFINITION.search(f"{p.get('heading') or ''} {p.get('text') or ''}")]


def resolve_crossrefs(results, provisions_by_id, exclude=()):
    """Provision ids that the cited texts refer to ("as defined in section 2256")."""
    found = []
    for sid, r in results:
        jur = sid.split("/", 1)[0]
        parents = {jur, jur.split("-", 1)[0]}
        for f in r.findings:
            if f.kind != "crossref" or not f.target:
                continue
            wanted = _tokens(f.target)
            if not wanted:
                continue
            for pid, p in provisions_by_id.items():
                if pid in exclude or pid in found or p["jurisdiction"] not in parents:
                    continue
                unit = pid.rsplit("/", 1)[-1]
                have = _tokens(p.get("citation")) | _tokens(unit)
                if wanted & have:
                    found.append(pid)
    return found


def _ratio(num, den):
    return round(num / den, 3) if den else None


def agreement(cells) -> dict:
    """Precision/recall of the proposals against the curated cells.

    Per conduct, a cell is *positive* when the conduct is reached for synthetic material in some
    form (status criminalised or partial). Only cells with a curated finding on the law in force
    (criminalised, partial, not_criminalised) whose cited texts have a rule set are evaluated;
    pending and unclear cells are counted but not scored.
    """
    conducts = {}
    for c in CONDUCTS:
        rows = [x for x in cells if x["conduct"] == c]
        ev = [x for x in rows if x["evaluated"]]
        tp = sum(1 for x in ev if x["curated_status"] in POSITIVE and x["proposed_status"] in POSITIVE)
        fp = sum(1 for x in ev if x["curated_status"] not in POSITIVE and x["proposed_status"] in POSITIVE)
        fn = sum(1 for x in ev if x["curated_status"] in POSITIVE and x["proposed_status"] not in POSITIVE)
        tn = len(ev) - tp - fp - fn
        same = sum(1 for x in ev if x["proposed_status"] == x["curated_status"])
        conducts[c] = {
            "cells": len(rows), "evaluated": len(ev),
            "not_scored_pending_unclear": sum(1 for x in rows if x["curated_status"] not in EVALUATED),
            "not_scored_no_rules": sum(1 for x in rows if x["curated_status"] in EVALUATED and not x["evaluated"]),
            "tp": tp, "fp": fp, "fn": fn, "tn": tn,
            "precision": _ratio(tp, tp + fp), "recall": _ratio(tp, tp + fn),
            "status_agreement": _ratio(same, len(ev)),
        }
    scoped = [x for x in cells if x["evaluated"] and x["curated_scope"]]
    scopes = {}
    for s in vocab.SCOPES:
        tp = sum(1 for x in scoped if x["curated_scope"] == s and x["proposed_scope"] == s)
        fp = sum(1 for x in scoped if x["curated_scope"] != s and x["proposed_scope"] == s)
        fn = sum(1 for x in scoped if x["curated_scope"] == s and x["proposed_scope"] != s)
        scopes[s] = {"curated": tp + fn, "proposed": tp + fp, "tp": tp, "fp": fp, "fn": fn,
                     "precision": _ratio(tp, tp + fp), "recall": _ratio(tp, tp + fn)}
    ev = [x for x in cells if x["evaluated"]]
    tp = sum(v["tp"] for v in conducts.values())
    fp = sum(v["fp"] for v in conducts.values())
    fn = sum(v["fn"] for v in conducts.values())
    return {
        "cells": len(cells),
        "evaluated": len(ev),
        "overall": {"precision": _ratio(tp, tp + fp), "recall": _ratio(tp, tp + fn),
                    "status_agreement": _ratio(sum(1 for x in ev if x["proposed_status"] == x["curated_status"]), len(ev)),
                    "scope_agreement": _ratio(sum(1 for x in scoped if x["proposed_scope"] == x["curated_scope"]), len(scoped))},
        "conducts": conducts,
        "scopes": scopes,
        "disagreements": [
            {k: x[k] for k in ("jurisdiction", "conduct", "curated_status", "curated_scope",
                               "proposed_status", "proposed_scope", "disagreement", "evidence")}
            for x in cells if x["disagreement"]
        ],
    }


def format_report(report: dict) -> str:
    def f(v):
        return "-" if v is None else f"{v:.2f}"

    out = [f"Agreement of the classifier with the curated assessments: {report['evaluated']} of "
           f"{report['cells']} cells scored (criminalised / partial / not_criminalised cells whose "
           "cited texts have a rule set).", "",
           "Per conduct (positive = reached for synthetic material: criminalised or partial)", "",
           "| conduct | scored | tp | fp | fn | tn | precision | recall | same status | pending/unclear | no rules |",
           "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for c, v in report["conducts"].items():
        out.append(f"| {c} | {v['evaluated']} | {v['tp']} | {v['fp']} | {v['fn']} | {v['tn']} | "
                   f"{f(v['precision'])} | {f(v['recall'])} | {f(v['status_agreement'])} | "
                   f"{v['not_scored_pending_unclear']} | {v['not_scored_no_rules']} |")
    o = report["overall"]
    out += ["", f"All conducts: precision {f(o['precision'])}, recall {f(o['recall'])}, same status "
            f"{f(o['status_agreement'])}, same scope {f(o['scope_agreement'])}.", "",
            "Per scope (scored cells with a curated scope)", "",
            "| scope | curated | proposed | tp | fp | fn | precision | recall |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for s, v in report["scopes"].items():
        out.append(f"| {s} | {v['curated']} | {v['proposed']} | {v['tp']} | {v['fp']} | {v['fn']} | "
                   f"{f(v['precision'])} | {f(v['recall'])} |")
    out += ["", f"Disagreeing cells ({len(report['disagreements'])})", "",
            "| cell | curated | proposed | evidence |", "| --- | --- | --- | --- |"]
    for d in report["disagreements"]:
        cur = d["curated_status"] + (f"/{d['curated_scope']}" if d["curated_scope"] else "")
        pro = (d["proposed_status"] or "-") + (f"/{d['proposed_scope']}" if d["proposed_scope"] else "")
        ev = (d["evidence"] or "(no supporting phrase found)").replace("|", "\\|").replace("\n", " ")
        out.append(f"| {d['jurisdiction']} {d['conduct']} | {cur} | {pro} | {ev} |")
    return "\n".join(out) + "\n"
