"""docs/manifest.md documents every field a real manifest carries, and nothing it lacks."""
import json
import re

from conftest import ROOT


def documented_fields():
    fields = set()
    for line in (ROOT / "docs" / "manifest.md").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\| ((?:`[a-z0-9_]+`(?:, )?)+) \|", line)
        if match:
            fields.update(re.findall(r"`([a-z0-9_]+)`", match.group(1)))
    return fields


def keys(value, found):
    if isinstance(value, dict):
        for key, inner in value.items():
            found.add(key)
            keys(inner, found)
    elif isinstance(value, list):
        for inner in value:
            keys(inner, found)
    return found


def test_every_manifest_field_is_documented(sample_run):
    out, _ = sample_run
    manifest = json.loads((out / "runs" / "latest.json").read_text())
    used = keys({k: v for k, v in manifest.items() if k != "quarantine"}, set())
    used.add("quarantine")
    documented = documented_fields()
    assert used - documented == set(), "fields missing from docs/manifest.md"
    optional = {"member", "kind", "format", "error", "previous_version_kept", "line", "column", "byte_offset",
                "message", "merged_record", "kept_file", "kept_record"}
    assert documented - used - optional == set(), "documented fields that the manifest never carries"
