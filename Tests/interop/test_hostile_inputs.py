"""Hostile input at the pipeline level: each hostile file is one more submission beside the good
ones of samples/. The run must finish within seconds and in bounded memory, refuse that one
submission (or quarantine its bad records) with a message naming the file and the position,
and publish every other member's data exactly as samples/expected.json says.

Only the binary's command line, its exit codes, runs/latest.json (status, submissions[].file /
status / error / counts) and the dataset files are relied on.
"""
import json
import os
import pathlib
import re
import shutil
import signal
import subprocess
import time
import zlib

import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from conftest import ROOT, TEST_KEY, binary

WALL_LIMIT_S = 10.0
RSS_LIMIT_KIB = 256 * 1024
SAMPLE_IGNORE = ["README.md", "generate.py", "expected.json"]

# A test-only member with a plain UTF-8 CSV (no sample member sends one), for the invalid-UTF-8
# and 100 MB field cases.
TEST_MEMBER = """\
member: NL-TEST
country: NL
name: hostile-input test member (synthetic)
submissions:
  - match: "nl-test/zaken-*.csv"
    kind: cases
    format: csv
    csv: { delimiter: ",", encoding: utf-8, header: true }
    fields:
      case_id: zaak
      opened_on: { from: geopend, formats: ["yyyy-MM-dd"] }
      category: { from: categorie, map: { weglopen: RUNAWAY, ontvoering: PARENTAL_ABDUCTION } }
      child_age: leeftijd
      child_gender: { from: geslacht, map: { v: FEMALE, m: MALE }, default: UNKNOWN }
      outcome: { from: uitkomst, map: { gevonden: FOUND, onbekend: UNKNOWN }, default: UNKNOWN }
"""
TEST_HEADER = b"zaak,geopend,categorie,leeftijd,geslacht,uitkomst,opmerking\n"


def member_row(n: int, remark: bytes = b"") -> bytes:
    category = b"weglopen" if n % 3 else b"ontvoering"
    gender = b"v" if n % 2 else b"m"
    return b"NL-%04d,2025-%02d-%02d,%s,%d,%s,gevonden,%s\n" % (n, 1 + n % 12, 1 + n % 28, category, 8 + n % 9, gender, remark)


class Workspace:
    """samples/ copied to a temporary inbox, the sample mappings plus NL-TEST, and a pipeline file."""

    def __init__(self, tmp: pathlib.Path):
        self.inbox = tmp / "inbox"
        self.out = tmp / "out"
        members = tmp / "members"
        shutil.copytree(ROOT / "samples", self.inbox)
        shutil.copytree(ROOT / "pipelines" / "members", members)
        (members / "nl-test.yaml").write_text(TEST_MEMBER, encoding="utf-8")
        self.pipeline = tmp / "pipeline.yaml"
        self.pipeline.write_text(
            f"name: hostile\nreport_year: 2025\ninbox: {self.inbox}\nout: {self.out}\n"
            f"taxonomy: {ROOT / 'pipelines' / 'taxonomy.yaml'}\nmembers: {members}\n"
            f"ignore: [{', '.join(SAMPLE_IGNORE)}]\n",
            encoding="utf-8",
        )

    def path(self, rel: str) -> pathlib.Path:
        p = self.inbox / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        return p

    def run(self):
        """Runs the pipeline; returns (exit code, wall seconds, peak RSS in KiB, stderr, manifest)."""
        env = dict(os.environ, HOTLINE_ETL_KEY=TEST_KEY)
        started = time.monotonic()
        proc = subprocess.Popen(
            [binary(), "run", "--pipeline", str(self.pipeline), "--out", str(self.out)],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        # os.wait4 gives this child's own peak RSS (RUSAGE_CHILDREN would mix in earlier children).
        # stderr is small (one line per submission), so waiting before reading it cannot deadlock.
        deadline = started + 3 * WALL_LIMIT_S
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.send_signal(signal.SIGKILL)
                os.wait4(proc.pid, 0)
                pytest.fail(f"hotline-etl still running after {3 * WALL_LIMIT_S:.0f} s")
            time.sleep(0.02)
        wall = time.monotonic() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        stderr = proc.stderr.read().decode("utf-8", "replace")
        manifest_path = self.out / "runs" / "latest.json"
        manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else None
        return proc.returncode, wall, usage.ru_maxrss, stderr, manifest


@pytest.fixture
def workspace(tmp_path):
    return Workspace(tmp_path)


def error_text(error) -> str:
    """The manifest's error: a message string, or an object whose `message` is that string."""
    return error["message"] if isinstance(error, dict) else error


def names_file_and_position(error, file: str) -> bool:
    """The message reads `file:line[:column]...` or names `byte N` / `byte offset N`."""
    text = error_text(error)
    if not text.startswith(file):
        return False
    rest = text[len(file):]
    return bool(re.match(r":\d+", rest) or re.search(r"byte( offset)? \d+", rest))


def check_run(ws: Workspace, expected, hostile: str, *, position: bool = True):
    code, wall, rss_kib, stderr, manifest = ws.run()
    assert manifest is not None, f"no manifest; exit {code}\n{stderr}"
    assert wall < WALL_LIMIT_S, f"run took {wall:.1f} s"
    assert rss_kib < RSS_LIMIT_KIB, f"peak RSS {rss_kib / 1024:.0f} MiB"
    subs = {s["file"]: s for s in manifest["submissions"]}
    bad = subs.pop(hostile)
    assert code == 2, f"exit {code}, want 2 (partial)\n{stderr}"
    assert manifest["status"] == "partial"
    assert bad["status"] == "rejected", bad
    message = error_text(bad["error"])
    assert message.startswith(hostile + ":") or message.startswith(hostile + " "), message
    if position:
        assert names_file_and_position(bad["error"], hostile), bad["error"]
    assert hostile in stderr
    # Every other submission is published with exactly the expected counts.
    want = {f: c for m in expected["members"].values() for f, c in m["submissions"].items()}
    assert {f: s["counts"] for f, s in subs.items()} == want
    assert all(s["status"] == "loaded" for s in subs.values()), subs
    cases = ds.dataset(ws.out / "dataset" / "cases", format="parquet", partitioning="hive").to_table()
    got = {}
    for row in cases.group_by(["member_id", "category"]).aggregate([("case_key", "count")]).to_pylist():
        got[(row["member_id"], row["category"])] = row["case_key_count"]
    for member, figures in expected["members"].items():
        for category, n in figures["cases_by_category"].items():
            assert got.get((member, category)) == n, (member, category)
    return bad, manifest


def test_billion_laughs_is_refused(workspace, expected):
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10}">' for i in range(1, 10)
    ]
    workspace.path("be-cf/dossiers-hostile.xml").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE cf:export [\n' + "\n".join(entities) + "\n]>\n"
        '<cf:export xmlns:cf="urn:example:childfocus:dossiers:1"><cf:dossiers>\n'
        '<cf:dossier id="X-1"><cf:ouverture>2025-01-01</cf:ouverture><cf:categorie>&lol9;</cf:categorie>'
        "</cf:dossier>\n</cf:dossiers></cf:export>\n"
    )
    bad, _ = check_run(workspace, expected, "be-cf/dossiers-hostile.xml")
    assert bad["counts"]["loaded"] == 0


def test_external_entity_is_not_expanded(workspace, expected):
    workspace.path("be-cf/contacts-hostile.xml").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE contacts [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        '<contacts xmlns="urn:example:childfocus:contacts:1">\n'
        '<ligne mois="01"><canal>&xxe;</canal><type>information</type><nombre>1</nombre></ligne>\n'
        "</contacts>\n"
    )
    check_run(workspace, expected, "be-cf/contacts-hostile.xml")
    passwd_line = pathlib.Path("/etc/passwd").read_text().splitlines()[0].encode()
    for path in workspace.out.rglob("*"):
        if path.is_file():
            assert passwd_line not in path.read_bytes(), f"/etc/passwd content leaked into {path}"


def write_gzip_bomb(path: pathlib.Path):
    """1 GiB of zeros after a valid header, compressed as it is written (about 1 MB on disk)."""
    zeros = bytes(1 << 20)
    with open(path, "wb") as fh:
        compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + 15)  # gzip wrapper
        header = ("Fallnummer;Kind-Nr;Eröffnet;Abgeschlossen;Kategorie;Grenzüberschreitend;Zielland;Alter;"
                  "Geschlecht;Wiederholt vermisst;Gewalterfahrung;Ergebnis;Gefunden durch;Tage vermisst;"
                  "Erstkontakt;Vorname;Bemerkung\r\n")
        fh.write(compressor.compress(header.encode("cp1252")))
        for _ in range(1024):  # 1 GiB of zeros
            fh.write(compressor.compress(zeros))
        fh.write(compressor.flush())
    assert path.stat().st_size < 2 << 20


def test_gzip_bomb_is_stopped_by_the_compression_ratio_limit(workspace, expected):
    write_gzip_bomb(workspace.path("de-ivk/faelle-bomb.csv.gz"))
    bad, _ = check_run(workspace, expected, "de-ivk/faelle-bomb.csv.gz", position=True)
    assert bad["counts"]["loaded"] == 0
    assert "maxCompressionRatio" in error_text(bad["error"]), bad["error"]
    assert "stopped at compressed byte " in error_text(bad["error"]), bad["error"]


def test_truncated_gzip_is_refused(workspace, expected):
    text = "Monat;Kanal;Kontaktart;Anzahl\r\n" + "".join(
        f"{1 + n % 12:02d};Telefon;fallbezogen;{n}\r\n" for n in range(20000))
    data = zlib.compress(text.encode("cp1252"), 6, wbits=16 + 15)
    workspace.path("de-ivk/kontakte-truncated.csv.gz").write_bytes(data[: len(data) // 2])
    bad, _ = check_run(workspace, expected, "de-ivk/kontakte-truncated.csv.gz")
    assert bad["counts"]["loaded"] == 0
    assert "truncated" in error_text(bad["error"]), bad["error"]


def test_invalid_utf8_bytes_quarantine_only_the_bad_records(workspace, expected):
    rows = [member_row(n) for n in range(1, 21)]
    rows[4] = rows[4].replace(b"weglopen", b"weglop\xe9n")  # a Latin-1 byte in a UTF-8 file (line 6)
    rows[11] = rows[11].replace(b"NL-0012", b"NL-\xc3\x28012")  # an invalid UTF-8 sequence (line 13)
    workspace.path("nl-test/zaken-utf8.csv").write_bytes(TEST_HEADER + b"".join(rows))
    file = "nl-test/zaken-utf8.csv"
    code, wall, rss_kib, stderr, manifest = workspace.run()
    assert code == 0, stderr
    assert wall < WALL_LIMIT_S and rss_kib < RSS_LIMIT_KIB
    bad = next(s for s in manifest["submissions"] if s["file"] == file)
    assert bad["status"] == "loaded"
    assert bad["counts"] == {"read": 20, "loaded": 18, "quarantined": 2, "merged": 0}
    check_others = {f: c for m in expected["members"].values() for f, c in m["submissions"].items()}
    assert {s["file"]: s["counts"] for s in manifest["submissions"] if s["file"] != file} == check_others
    quarantine = pq.read_table(workspace.out / "dataset" / "quarantine" / "report_year=2025").to_pylist()
    ours = sorted((q for q in quarantine if q["source_file"] == file), key=lambda q: q["source_record"])
    assert [(q["source_record"], q["reason"]) for q in ours] == [(6, "MALFORMED"), (13, "MALFORMED")]
    header_len = len(TEST_HEADER)
    offsets = [header_len + sum(map(len, rows[:4])) + rows[4].index(b"\xe9"),
               header_len + sum(map(len, rows[:11])) + rows[11].index(b"\xc3")]
    for q, line, offset in zip(ours, (6, 13), offsets):
        assert f"line {line}" in q["message"], q["message"]
        assert re.search(rf"byte( offset)? {offset}\b", q["message"]), (offset, q["message"])
    cases = ds.dataset(workspace.out / "dataset" / "cases", format="parquet", partitioning="hive").to_table()
    assert cases.filter(ds.field("member_id") == "NL-TEST").num_rows == 18


def test_json_nested_100000_deep_is_refused(workspace, expected):
    depth = 100_000
    workspace.path("it-ta/casi-hostile.json").write_text(
        '{"dossiers": [' + "[" * depth + "]" * depth + "]}\n")
    bad, _ = check_run(workspace, expected, "it-ta/casi-hostile.json")
    assert bad["counts"]["loaded"] == 0
    assert re.search(r"deep|depth|nest", error_text(bad["error"]), re.I), bad["error"]


def test_a_single_100_mb_csv_field_is_refused(workspace, expected):
    path = workspace.path("nl-test/zaken-huge.csv")
    chunk = b"x" * (1 << 20)
    with open(path, "wb") as fh:
        fh.write(TEST_HEADER)
        fh.write(member_row(1))
        fh.write(b'NL-0002,2025-02-02,weglopen,14,v,gevonden,"')
        for _ in range(100):  # 100 MiB in one quoted field
            fh.write(chunk)
        fh.write(b'"\n')
        fh.write(member_row(3))
    bad, _ = check_run(workspace, expected, "nl-test/zaken-huge.csv")
    assert bad["counts"]["loaded"] == 0
    assert error_text(bad["error"]).startswith("nl-test/zaken-huge.csv:3"), bad["error"]
