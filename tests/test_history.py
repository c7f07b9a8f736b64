"""Assessment history from the git history of data/laws/*.yml."""
import os
import shutil
import subprocess

import pytest
import sqlite_utils

from lawtracker import history
from tests.conftest import REPO

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")

ENV = {**os.environ, "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.org",
       "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "t@example.org",
       "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def git(cwd, *args, date=None):
    env = dict(ENV)
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{date}T12:00:00+00:00"
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def law(status, scope=None, note="n", extra=""):
    scope_line = f"    scope: {scope}\n" if scope else ""
    return (f"jurisdiction: XX\nassessments:\n  - conduct: possess\n    status: {status}\n{scope_line}"
            f"    note: {note}\n    checked: 2026-01-01\n{extra}")


@pytest.fixture
def repo(tmp_path):
    root = tmp_path / "repo"
    laws = root / "data" / "laws"
    laws.mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    (laws / "XX.yml").write_text(law("unclear", note="not yet researched"))
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "Add XX", date="2026-01-05")
    (laws / "XX.yml").write_text(law("criminalised", "realistic", note="s. 5 read",
                                     extra="  - conduct: tools\n    status: not_criminalised\n"))
    git(root, "commit", "-q", "-am", "XX: possession criminalised\n\nRead s. 5 on the official site.", date="2026-02-10")
    (laws / "XX.yml").write_text(law("criminalised", "realistic", note="typo fixed",
                                     extra="  - conduct: tools\n    status: not_criminalised\n"))
    git(root, "commit", "-q", "-am", "Fix a typo in a note", date="2026-03-01")  # no status change
    (laws / "XX.yml").write_text(law("partial", "identifiable_child", note="s. 5 narrowed"))
    git(root, "commit", "-q", "-am", "XX: s. 5 amended by Act 7", date="2026-04-02")
    return root


def test_changes_from_commits(repo):
    rows = history.collect(repo / "data")
    got = [(r["conduct"], r["date"], r["change"], r["from_status"], r["to_status"]) for r in rows]
    assert got == [
        ("possess", "2026-01-05", "added", None, "unclear"),
        ("possess", "2026-02-10", "changed", "unclear", "criminalised"),
        ("tools", "2026-02-10", "added", None, "not_criminalised"),
        ("possess", "2026-04-02", "changed", "criminalised", "partial"),
        ("tools", "2026-04-02", "removed", "not_criminalised", None),
    ]
    last = rows[3]
    assert last["to_scope"] == "identifiable_child" and last["note"] == "s. 5 narrowed"
    assert history.sentence(last) == (
        "changed on 2026-04-02 from criminalised (realistic) to partial (identifiable_child) "
        "because XX: s. 5 amended by Act 7")
    assert "Read s. 5 on the official site." in rows[1]["reason"]


def test_shallow_clone_marks_baseline(repo, tmp_path):
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    rows = history.collect(clone / "data")
    assert [(r["change"], r["to_status"]) for r in rows] == [("baseline", "partial")]
    assert history.sentence(rows[0]).startswith("partial (identifiable_child) as of 2026-04-02")


def test_no_repository(tmp_path):
    (tmp_path / "data" / "laws").mkdir(parents=True)
    (tmp_path / "data" / "laws" / "XX.yml").write_text(law("unclear"))
    assert history.collect(tmp_path / "data") == []


def test_git_missing(repo, monkeypatch):
    monkeypatch.setenv("PATH", "")
    assert history.collect(repo / "data") == []


def test_broken_yaml_commit_is_skipped(repo):
    laws = repo / "data" / "laws"
    (laws / "XX.yml").write_text("jurisdiction: XX\nassessments: [\n")
    git(repo, "commit", "-q", "-am", "broken", date="2026-05-01")
    (laws / "XX.yml").write_text(law("criminalised", "realistic"))
    git(repo, "commit", "-q", "-am", "XX: back to criminalised", date="2026-05-02")
    rows = history.collect(repo / "data")
    assert (rows[-1]["date"], rows[-1]["from_status"], rows[-1]["to_status"]) == ("2026-05-02", "partial", "criminalised")


def test_history_table_in_real_build(real_db):
    db = sqlite_utils.Database(real_db)
    assert "assessment_history" in db.table_names()
    if (REPO / ".git").exists():
        assert db["assessment_history"].count > 0
        row = next(db["assessment_history"].rows)
        assert row["summary"] and row["commit"]
