"""Published status changes of every assessment, from the git history of data/laws/*.yml.

A change is *published* when it is committed. For each commit that touched a curated file (oldest
first) the file's assessments are compared with the previous committed version: a conduct that
appears is `added`, one whose status or scope differs is `changed`, one that disappears is
`removed`. Each row says when (the commit date), from what to what, and why: the commit message
and the assessment's `note` as it stood after the change.

Git may be missing (a source tarball), or the clone shallow (CI checkouts): then the history
starts at the oldest commit available and its rows are marked `baseline` instead of `added`
(we cannot tell whether the status changed then or earlier). Nothing here ever fails the build:
no git, no history rows, a logged warning.
"""
from __future__ import annotations

import logging
import subprocess
from pathlib import Path

import yaml

log = logging.getLogger(__name__)

try:  # the C loader is much faster on long histories
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

_SEP_FIELD, _SEP_COMMIT = "\x1f", "\x1e"


def _git(args, cwd, input_bytes=None, timeout=60):
    return subprocess.run(["git", *args], cwd=cwd, input=input_bytes, capture_output=True,
                          timeout=timeout, check=True)


def _toplevel(path: Path):
    try:
        out = _git(["rev-parse", "--show-toplevel"], path)
    except (OSError, subprocess.SubprocessError):
        return None
    return Path(out.stdout.decode().strip())


def _cells(blob: bytes):
    try:
        doc = yaml.load(blob, Loader=_Loader) or {}
    except yaml.YAMLError:
        return None  # a commit with a broken file: skip it, compare with the next good one
    if not isinstance(doc, dict):
        return None
    out = {}
    for a in doc.get("assessments") or []:
        if isinstance(a, dict) and a.get("conduct"):
            out[a["conduct"]] = {"status": a.get("status"), "scope": a.get("scope"),
                                 "note": a.get("note"), "checked": str(a.get("checked") or "") or None}
    return out


def _read_blobs(top: Path, specs):
    """`git cat-file --batch` for many `<commit>:<path>` at once: {spec: bytes or None}."""
    if not specs:
        return {}
    out = _git(["cat-file", "--batch"], top, "\n".join(specs).encode() + b"\n", timeout=300).stdout
    blobs, pos = {}, 0
    for spec in specs:
        nl = out.index(b"\n", pos)
        header = out[pos:nl].split()
        pos = nl + 1
        if len(header) == 2 and header[1] == b"missing":
            blobs[spec] = None
            continue
        size = int(header[2])
        blobs[spec] = out[pos:pos + size]
        pos += size + 1
    return blobs


def collect(data_dir: Path) -> list[dict]:
    """History rows for every assessment in `data_dir/laws`, oldest first."""
    laws = (Path(data_dir) / "laws").resolve()
    if not laws.is_dir():
        return []
    top = _toplevel(laws)
    if top is None:
        log.warning("history: %s is not in a git repository (or git is missing); no assessment history", laws)
        return []
    try:
        rel = laws.relative_to(top.resolve()).as_posix()
        shallow = _git(["rev-parse", "--is-shallow-repository"], top).stdout.decode().strip() == "true"
        fmt = _SEP_COMMIT + _SEP_FIELD.join(["%H", "%cs", "%s", "%b"]) + _SEP_FIELD
        log_out = _git(["log", "--reverse", "--format=" + fmt, "--name-only", "--no-renames",
                        "--", f"{rel}/*.yml"], top).stdout.decode("utf-8", "replace")
    except (OSError, subprocess.SubprocessError, ValueError) as exc:
        log.warning("history: git log failed (%s); no assessment history", exc)
        return []

    commits = []
    for chunk in log_out.split(_SEP_COMMIT)[1:]:
        parts = chunk.split(_SEP_FIELD)
        if len(parts) < 5:
            continue
        sha, date, subject, body, names = parts[:5]
        files = [n.strip() for n in names.splitlines() if n.strip().endswith(".yml")]
        commits.append({"sha": sha, "date": date, "subject": subject.strip(),
                        "body": body.strip(), "files": files})
    specs = [f"{c['sha']}:{f}" for c in commits for f in c["files"]]
    try:
        blobs = _read_blobs(top, specs)
    except (OSError, subprocess.SubprocessError, ValueError) as exc:
        log.warning("history: reading file versions failed (%s); no assessment history", exc)
        return []

    rows, previous = [], {}
    for n, c in enumerate(commits):
        first_visible = n == 0 and shallow
        reason = c["subject"] + (f"\n\n{c['body']}" if c["body"] else "")
        for f in c["files"]:
            jur = Path(f).stem
            blob = blobs.get(f"{c['sha']}:{f}")
            now = {} if blob is None else _cells(blob)
            if now is None:
                continue
            before = previous.get(jur, {})
            for conduct in sorted(set(before) | set(now)):
                old, new = before.get(conduct), now.get(conduct)
                if old and new and (old["status"], old["scope"]) == (new["status"], new["scope"]):
                    continue
                change = "changed" if old and new else ("added" if new else "removed")
                if change == "added" and first_visible:
                    change = "baseline"
                rows.append({
                    "jurisdiction": jur,
                    "conduct": conduct,
                    "date": c["date"],
                    "change": change,
                    "from_status": (old or {}).get("status"),
                    "to_status": (new or {}).get("status"),
                    "from_scope": (old or {}).get("scope"),
                    "to_scope": (new or {}).get("scope"),
                    "reason": reason,
                    "note": (new or {}).get("note"),
                    "checked": (new or {}).get("checked"),
                    "commit": c["sha"],
                })
            previous[jur] = now
    return rows


def sentence(row: dict) -> str:
    """'changed on DATE from X to Y because Z', for pages and the CLI."""
    def label(status, scope):
        return f"{status} ({scope})" if status and scope else (status or "nothing")

    frm, to = label(row["from_status"], row["from_scope"]), label(row["to_status"], row["to_scope"])
    why = (row.get("reason") or "").splitlines()[0] if row.get("reason") else "no commit message"
    if row["change"] == "baseline":
        return f"{to} as of {row['date']} (earliest commit available: {why})"
    if row["change"] == "added":
        return f"first published on {row['date']} as {to} because {why}"
    if row["change"] == "removed":
        return f"removed on {row['date']} (was {frm}) because {why}"
    return f"changed on {row['date']} from {frm} to {to} because {why}"
