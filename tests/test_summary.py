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


def test_summary_reports_settled_jurisdictions_and_groups(data_dir):
    config = data_dir / "jurisdictions.yml"
    config.write_text(config.read_text() + "\ncoverage_groups:\n  - id: uk\n    name: United Kingdom\n"
                      "    members: [GB-EAW, GB-SCT]\n")
    text = summary.render(data_dir)
    assert "settled** (all 6 conducts assessed, none `unclear`): 0" in text
    assert "| United Kingdom | 2 | 0 | GB-EAW, GB-SCT |" in text
