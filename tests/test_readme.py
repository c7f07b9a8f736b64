"""Every site path the README shows a newcomer must answer on the embedded data."""
import re

import pytest

from lawtracker import serve
from tests.conftest import REPO

README = (REPO / "README.md").read_text()
PATHS = sorted({p for p in re.findall(r"`(/[^`\s]*)`", README) if not p.endswith("...")})


def test_readme_lists_site_paths():
    assert "/gap-map" in PATHS and "/lawtracker/comparison" in PATHS and len(PATHS) >= 15


@pytest.mark.parametrize("path", PATHS)
async def test_readme_path_answers(real_db, path):
    ds = serve.app(real_db)
    r = await ds.client.get(path.replace("&amp;", "&"))
    assert r.status_code == 200, (path, r.status_code, r.text[:200])
