from lawtracker import summary
from tests.conftest import REPO


def test_summary_counts_fixture(data_dir):
    text = summary.render(data_dir)
    assert "Jurisdictions with a curated file: 3; with all 6 conducts assessed: 0" in text
    # fixture: possess is criminalised in GB, GB-EAW and US-CA
    assert "| `possess` | 3 | 0 | 0 | 0 | 0 | 3 |" in text
    assert "| `tools` | 0 | 0 | 1 | 0 | 0 | 1 |" in text


def test_coverage_doc_is_generated_from_current_data():
    """docs/coverage.md must be regenerated whenever data/laws changes."""
    expected = summary.render(REPO / "data")
    actual = (REPO / "docs" / "coverage.md").read_text()
    assert actual == expected, "run: ./run.sh summary --write docs/coverage.md"
