"""The command line as a data steward meets it: help texts and usage errors."""
import subprocess

from conftest import ROOT, binary


def run(*args):
    return subprocess.run([binary(), *args], cwd=ROOT, capture_output=True, text=True, timeout=60)


def test_top_level_help_explains_purpose_commands_and_exit_codes():
    result = run("--help")
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    assert "Consolidates the 116 000 missing-children hotlines" in text
    for command in ("run", "validate"):
        assert f"\n  {command} " in result.stdout
    assert "Exit codes: 0 success; 2 partial" in text
    assert "64 usage or configuration error" in text


def test_run_help_explains_every_option():
    result = run("run", "--help")
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    assert "--pipeline <file> The pipeline file: where the inbox, the member mappings, the taxonomy and the output are." in text
    assert "(default: pipelines/annual-report.yaml)" in text
    assert "--out <folder> Write the dataset, staging, manifests and key under this folder" in text
    assert "--year <yyyy> The report year: cases opened in it are NEW, earlier ones ONGOING." in text
    assert "--stage <name> Run only this stage (extract, normalize, load or report); repeat the option for several." in text
    assert "--from <name> Start at this stage" in text
    assert "--to <name> Stop after this stage." in text
    assert "--member <id> Extract and normalize only this member's submissions, e.g. DE-IVK" in text
    assert "--force Reprocess every chosen submission, even those unchanged since the last successful run." in text
    assert "--dry-run Only list what would run and why (new, changed, unchanged, forced); write nothing." in text
    assert "--jobs <n> Process at most this many submissions at once" in text
    assert "--log-format <text|json> How to write messages to standard error" in text
    assert "HOTLINE_ETL_KEY" in text
    assert "quarantine" in text
    assert "Exit codes: 0 success; 2 partial" in text


def test_implausible_year_is_a_usage_error():
    result = run("run", "--year", "25")
    assert result.returncode == 64
    assert "--year 25 is not a plausible report year; give four digits such as 2025" in result.stderr


def test_validate_accepts_the_shipped_configuration():
    result = run("validate")
    assert result.returncode == 0, result.stderr
    members = sorted(
        line.split(":", 1)[1].strip()
        for path in (ROOT / "pipelines" / "members").glob("*.yaml")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("member:")
    )
    assert len(members) >= 3
    assert f"{len(members)} member mapping(s): {', '.join(members)}; no problems found" in result.stderr


def test_validate_reports_problems_with_file_line_and_column(tmp_path):
    members = tmp_path / "members"
    members.mkdir()
    (members / "xx-bad.yaml").write_text(
        "member: XX-BAD\ncountry: XX\nsubmissions:\n  - match: \"xx/*.csv\"\n    kind: cases\n    format: csv\n"
        "    fields:\n      case_id: Nr\n      colour: Farbe\n",
        encoding="utf-8",
    )
    pipeline = tmp_path / "pipeline.yaml"
    pipeline.write_text(
        f"report_year: 2025\ninbox: samples\nout: {tmp_path}/out\ntaxonomy: pipelines/taxonomy.yaml\nmembers: {members}\n",
        encoding="utf-8",
    )
    result = run("validate", "--pipeline", str(pipeline))
    assert result.returncode == 64
    lines = result.stderr.splitlines()
    bad = f"{members}/xx-bad.yaml"
    assert f'{bad}:9:7: unknown field "colour" for cases submissions (fields: case_id, child_id, opened_on, closed_on, category, cross_border, repeat_missing, violence_experienced, destination_country, child_age, birth_date, child_gender, outcome, found_by, days_missing, missing_since, found_on, first_channel)' in lines
    assert f"{bad}:8:7: required field opened_on is not mapped (add opened_on: with from:, value: or default:)" in lines
    for field in ("category", "child_gender", "outcome"):
        assert f"{bad}:8:7: required field {field} is not mapped (add {field}: with from:, value: or default:)" in lines
    assert lines[-1] == "hotline-etl: error: 5 problem(s) found"
