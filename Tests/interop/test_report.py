"""`hotline-etl report` against an independent recomputation.

Every number in OUT/report/YYYY/tables/*.csv is recomputed here with DuckDB over OUT/dataset
(hive partitioning) and compared exactly; suppressed cells are checked against the rule of
docs/report.md, re-implemented below. The page is checked for external references and rendered
with headless Chromium, whose PNG must show the charts. Chromium missing is a failure, not a skip.
"""
import csv
import pathlib
import re
import shutil
import struct
import subprocess
import zlib

import duckdb
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from conftest import ROOT, binary, run_pipeline

YEAR = 2025
THRESHOLD = 5  # pipelines/annual-report.yaml: report: suppression_threshold

CATEGORIES = ["RUNAWAY", "PARENTAL_ABDUCTION", "CRIMINAL_ABDUCTION", "MISSING_MIGRANT", "LOST_INJURED",
              "OTHERWISE_MISSING"]
CHANNELS = ["PHONE", "SMS", "EMAIL", "CHAT", "SOCIAL_MEDIA", "APP", "IN_PERSON", "OTHER"]
CONTACT_TYPES = ["CASE_RELATED", "INFORMATION", "SILENT", "PRANK", "ABUSIVE", "WRONG_NUMBER", "OTHER"]
FOUND_BY = ["POLICE", "OWN_ACCORD", "FAMILY", "PUBLIC", "OTHER"]
GENDERS = ["FEMALE", "MALE", "OTHER"]
TABLE_ORDER = ["headline", "contacts", "new_cases_by_category", "new_cases_by_member", "cross_border",
               "repeat_missing", "violence_experienced", "found_within_year", "time_missing", "found_by", "age",
               "gender", "coverage"]


def report(out: pathlib.Path, year: int = YEAR):
    return subprocess.run([binary(), "report", "--out", str(out), "--year", str(year)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    out = tmp_path_factory.mktemp("report-out")
    result = run_pipeline(out)
    assert result.returncode == 0, result.stderr
    first = report(out)
    assert first.returncode == 0, first.stderr
    return out, first


def folder(out):
    return out / "report" / str(YEAR)


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


# --- The independent recomputation --------------------------------------------------------------

class Expected:
    """Cells as ('text', s) | ('count', key, v) | ('number', v) | ('percent', numkey, denkey) |
    ('median', value_or_None, n) | ('change', key, prevkey_or_None) | ('numchange', v, prev) | ('empty',)."""

    def __init__(self, con, year, previous):
        self.con = con
        self.year = year
        self.previous = previous
        self.values = {}
        self.lines = []  # (members keys, total key), in the order the tables list them
        self.tables = {}

    def q(self, sql):
        return self.con.execute(sql).fetchall()

    def cell(self, key, value):
        self.values[key] = int(value)
        return ("count", key, int(value))

    def cross(self, tid, row_codes, col_codes, counts, share_of=None):
        """counts: {(row, col): n}. Rows then ALL; columns then total; lines rows then columns."""
        grid = []
        for r in row_codes:
            line = [self.cell(f"{tid}|{r}|{c}", counts.get((r, c), 0)) for c in col_codes]
            line.append(self.cell(f"{tid}|{r}|total", sum(counts.get((r, c), 0) for c in col_codes)))
            grid.append(line)
        allrow = [self.cell(f"{tid}|ALL|{c}", sum(counts.get((r, c), 0) for r in row_codes)) for c in col_codes]
        allrow.append(self.cell(f"{tid}|ALL|total", sum(counts.values())))
        grid.append(allrow)
        width = len(col_codes)
        for line in grid:
            self.lines.append(([c[1] for c in line[:width]], line[width][1]))
        for j in range(width + 1):
            self.lines.append(([line[j][1] for line in grid[:-1]], grid[-1][j][1]))
        rows = []
        for label, line in zip(row_codes + ["ALL"], grid):
            row = [("text", label)] + line
            if share_of is not None:
                row.append(("percent", line[share_of][1], line[width][1]))
            rows.append(row)
        return rows

    def breakdown(self, tid, column_sql, where, col_codes, share_of=None):
        counts = {(cat, col): n for cat, col, n in self.q(
            f"SELECT category, {column_sql} AS col, count(*) FROM cases WHERE {where} GROUP BY ALL")}
        self.tables[tid] = self.cross(tid, CATEGORIES, col_codes, counts, share_of)


def counts_of(con, view):
    q = lambda sql: con.execute(sql).fetchone()[0]
    cases, contacts = view["cases"], view["contacts"]
    return {
        "hotlines": q(f"SELECT count(DISTINCT member_id) FROM (SELECT member_id FROM {cases} UNION ALL "
                      f"SELECT member_id FROM {contacts})"),
        "contacts": q(f"SELECT coalesce(sum(count), 0) FROM {contacts}"),
        "contact_members": q(f"SELECT count(DISTINCT member_id) FROM {contacts}"),
        "contact_rows": q(f"SELECT count(*) FROM {contacts}"),
        "worked": q(f"SELECT count(DISTINCT (member_id, case_key)) FROM {cases}"),
        "new": q(f"SELECT count(DISTINCT (member_id, case_key)) FROM {cases} WHERE case_status = 'NEW'"),
        "ongoing": q(f"SELECT count(DISTINCT (member_id, case_key)) FROM {cases} WHERE case_status = 'ONGOING'"),
        "children": q(f"SELECT count(DISTINCT (member_id, case_key, child_key)) FROM {cases}"),
        "case_rows": q(f"SELECT count(*) FROM {cases}"),
        "case_members": q(f"SELECT count(DISTINCT member_id) FROM {cases}"),
        "new_rows": q(f"SELECT count(*) FROM {cases} WHERE case_status = 'NEW'"),
        "new_members": q(f"SELECT count(DISTINCT member_id) FROM {cases} WHERE case_status = 'NEW'"),
        "ongoing_rows": q(f"SELECT count(*) FROM {cases} WHERE case_status = 'ONGOING'"),
        "ongoing_members": q(f"SELECT count(DISTINCT member_id) FROM {cases} WHERE case_status = 'ONGOING'"),
    }


def recompute(out: pathlib.Path, year: int = YEAR):
    con = duckdb.connect()
    base = out / "dataset"
    years = {r[0] for r in con.execute(
        f"SELECT DISTINCT report_year FROM read_parquet('{base}/cases/**/*.parquet', hive_partitioning=true)"
    ).fetchall()}
    for table in ("cases", "contacts"):
        con.execute(f"CREATE VIEW all_{table} AS SELECT * FROM read_parquet('{base}/{table}/**/*.parquet', "
                    "hive_partitioning=true)")
        con.execute(f"CREATE VIEW {table} AS SELECT * FROM all_{table} WHERE report_year = {year}")
        con.execute(f"CREATE VIEW prev_{table} AS SELECT * FROM all_{table} WHERE report_year = {year - 1}")
    previous = (year - 1) in years
    e = Expected(con, year, previous)
    now = counts_of(con, {"cases": "cases", "contacts": "contacts"})
    before = counts_of(con, {"cases": "prev_cases", "contacts": "prev_contacts"}) if previous else None

    # headline
    def prevcell(name, field):
        return e.cell(f"previous|{name}", before[field]) if before else ("empty",)

    def hrow(name, key, field, hotlines, records):
        cur = e.cell(key, now[field])
        p = prevcell(name, field)
        return [("text", name), cur, p, ("change", key, p[1] if before else None),
                ("number", hotlines), ("number", records)]

    e.tables["headline"] = [
        [("text", "hotlines_reporting"), ("number", now["hotlines"]),
         ("number", before["hotlines"]) if before else ("empty",),
         ("numchange", now["hotlines"], before["hotlines"] if before else None), ("number", now["hotlines"]),
         ("number", now["case_rows"] + now["contact_rows"])],
        hrow("contacts", "contacts|ALL|total", "contacts", now["contact_members"], now["contact_rows"]),
        hrow("cases_worked_on", "headline|cases_worked_on", "worked", now["case_members"], now["case_rows"]),
        hrow("new_cases", "new_cases_by_member|ALL|total", "new", now["new_members"], now["new_rows"]),
        hrow("ongoing_cases", "headline|ongoing_cases", "ongoing", now["ongoing_members"], now["ongoing_rows"]),
        hrow("children", "headline|children", "children", now["case_members"], now["case_rows"]),
    ]
    e.lines.append((["new_cases_by_member|ALL|total", "headline|ongoing_cases"], "headline|cases_worked_on"))
    if before:
        e.lines.append((["previous|new_cases", "previous|ongoing_cases"], "previous|cases_worked_on"))

    # contacts
    present = {r[0] for r in e.q("SELECT DISTINCT channel FROM contacts")}
    channels = [c for c in CHANNELS if c in present] + sorted(present - set(CHANNELS))
    present = {r[0] for r in e.q("SELECT DISTINCT contact_type FROM contacts")}
    types = [t for t in CONTACT_TYPES if t in present] + sorted(present - set(CONTACT_TYPES))
    counts = {(ch, t.lower()): int(n) for ch, t, n in e.q(
        "SELECT channel, contact_type, sum(count) FROM contacts GROUP BY ALL")}
    e.tables["contacts"] = e.cross("contacts", channels, [t.lower() for t in types], counts)

    # new cases per member and category; the category table is its ALL row
    members = sorted(r[0] for r in e.q("SELECT DISTINCT member_id FROM cases"))
    counts = {(m, c.lower()): n for m, c, n in e.q(
        "SELECT member_id, category, count(DISTINCT case_key) FROM cases WHERE case_status = 'NEW' GROUP BY ALL")}
    by_member = e.cross("new_cases_by_member", members, [c.lower() for c in CATEGORIES], counts)
    total_key = "new_cases_by_member|ALL|total"
    e.tables["new_cases_by_category"] = [
        [("text", c), ("count", f"new_cases_by_member|ALL|{c.lower()}", e.values[f"new_cases_by_member|ALL|{c.lower()}"]),
         ("percent", f"new_cases_by_member|ALL|{c.lower()}", total_key)] for c in CATEGORIES
    ] + [[("text", "ALL"), ("count", total_key, e.values[total_key]), ("percent", total_key, total_key)]]
    e.tables["new_cases_by_member"] = by_member

    def yes_no(tid, expr, yes, no):
        e.breakdown(tid, f"CASE WHEN {expr} THEN '{yes}' ELSE '{no}' END", f"({expr}) IS NOT NULL", [yes, no], 0)

    yes_no("cross_border", "cross_border", "cross_border", "not_cross_border")
    yes_no("repeat_missing", "repeat_missing", "repeat_missing", "first_time")
    yes_no("violence_experienced", "violence_experienced", "violence_experienced", "none_reported")
    e.breakdown(
        "found_within_year",
        f"CASE WHEN outcome IN ('FOUND', 'FOUND_DECEASED') AND coalesce(closed_on BETWEEN DATE '{year}-01-01' "
        f"AND DATE '{year}-12-31', false) THEN 'found_within_year' ELSE 'not_found_within_year' END",
        "outcome IN ('FOUND', 'FOUND_DECEASED', 'NOT_FOUND')", ["found_within_year", "not_found_within_year"], 0)
    e.breakdown(
        "time_missing",
        "CASE WHEN days_missing <= 6 THEN 'under_7_days' WHEN days_missing <= 30 THEN '7_to_30_days' "
        "WHEN days_missing <= 182 THEN '31_to_182_days' ELSE 'over_182_days' END",
        "days_missing >= 0", ["under_7_days", "7_to_30_days", "31_to_182_days", "over_182_days"])
    e.breakdown("found_by", "lower(found_by)", "found_by IN ('POLICE', 'OWN_ACCORD', 'FAMILY', 'PUBLIC', 'OTHER')",
                [f.lower() for f in FOUND_BY])
    e.breakdown(
        "age",
        "CASE WHEN child_age <= 5 THEN 'age_0_5' WHEN child_age <= 11 THEN 'age_6_11' "
        "WHEN child_age <= 14 THEN 'age_12_14' ELSE 'age_15_17' END",
        "child_age BETWEEN 0 AND 17", ["age_0_5", "age_6_11", "age_12_14", "age_15_17"])
    medians = {c: (m, n) for c, m, n in e.q(
        "SELECT category, median(child_age), count(child_age) FROM cases WHERE child_age BETWEEN 0 AND 17 GROUP BY ALL")}
    medians["ALL"] = tuple(e.q("SELECT median(child_age), count(child_age) FROM cases WHERE child_age BETWEEN 0 AND 17")[0])
    for row in e.tables["age"]:
        m, n = medians.get(row[0][1], (None, 0))
        row.append(("median", m, n))
    e.breakdown("gender", "lower(child_gender)", "child_gender IN ('FEMALE', 'MALE', 'OTHER')",
                [g.lower() for g in GENDERS], 0)

    # coverage
    fields = ["cross_border", "destination_country", "child_age", "child_gender", "repeat_missing",
              "violence_experienced", "outcome", "closed_on", "found_by", "days_missing", "first_channel"]
    present_sql = {f: f"count({f})" for f in fields}
    present_sql["child_gender"] = "count(*) FILTER (WHERE child_gender <> 'UNKNOWN')"
    present_sql["outcome"] = "count(*) FILTER (WHERE outcome <> 'UNKNOWN')"
    supplied = {r[0]: r[1:] for r in e.q(
        f"SELECT member_id, {', '.join(present_sql[f] for f in fields)} FROM cases GROUP BY ALL")}
    with_contacts = {r[0] for r in e.q("SELECT DISTINCT member_id FROM contacts")}
    all_members = sorted(set(supplied) | with_contacts)
    e.tables["coverage"] = [
        [("text", m)] + [("text", "yes" if m in supplied and supplied[m][i] > 0 else "no") for i in range(len(fields))]
        + [("text", "yes" if m in with_contacts else "no")] for m in all_members]

    # figures.csv: what every table rests on
    def basis(where):
        return tuple(e.q(f"SELECT count(DISTINCT member_id), count(*) FROM cases WHERE {where}")[0])

    e.basis = {
        "headline": (now["hotlines"], now["case_rows"] + now["contact_rows"]),
        "contacts": (now["contact_members"], now["contact_rows"]),
        "new_cases_by_category": basis("case_status = 'NEW'"),
        "new_cases_by_member": basis("case_status = 'NEW'"),
        "cross_border": basis("cross_border IS NOT NULL"),
        "repeat_missing": basis("repeat_missing IS NOT NULL"),
        "violence_experienced": basis("violence_experienced IS NOT NULL"),
        "found_within_year": basis("outcome IN ('FOUND', 'FOUND_DECEASED', 'NOT_FOUND')"),
        "time_missing": basis("days_missing >= 0"),
        "found_by": basis("found_by IN ('POLICE', 'OWN_ACCORD', 'FAMILY', 'PUBLIC', 'OTHER')"),
        "age": basis("child_age BETWEEN 0 AND 17"),
        "gender": basis("child_gender IN ('FEMALE', 'MALE', 'OTHER')"),
        "coverage": (len(all_members), now["case_rows"] + now["contact_rows"]),
    }
    e.now, e.before = now, before
    return e


def suppress(values, lines, threshold):
    """docs/report.md: primary 1..threshold-1; then, until stable, every line (in table order) with
    exactly one hidden cell hides its smallest visible non-zero member (first on ties), else its
    smallest visible zero, else its total."""
    hidden = {k for k, v in values.items() if 0 < v < threshold}
    changed = True
    while changed:
        changed = False
        for members, total in lines:
            if len({k for k in members + [total] if k in hidden}) != 1:
                continue
            visible = [k for k in members if k not in hidden]
            nonzero = [k for k in visible if values[k] > 0]
            pick = None
            for group in (nonzero, visible):
                if group:
                    pick = min(group, key=lambda k: values[k])  # min keeps the first on ties
                    break
            if pick is None and total not in hidden:
                pick = total
            if pick is not None:
                hidden.add(pick)
                changed = True
    return hidden


def per_mille_text(num, den):
    if den <= 0:
        return ""
    p = (2000 * num + den) // (2 * den)
    return f"{p // 10}.{p % 10}"


def change_text(cur, prev):
    if prev is None or prev <= 0:
        return ""
    d = cur - prev
    m = (200 * abs(d) + prev) // (2 * prev)
    return "0" if m == 0 else ("+" if d > 0 else "-") + str(m)


def expected_text(cell, values, hidden, threshold):
    kind = cell[0]
    if kind == "text":
        return cell[1]
    if kind == "number":
        return str(cell[1])
    if kind == "empty":
        return ""
    if kind == "count":
        _, key, v = cell
        if key not in hidden:
            return str(v)
        return f"<{threshold}" if 0 < v < threshold else "c"
    if kind == "percent":
        _, n, d = cell
        return "" if n in hidden or d in hidden else per_mille_text(values[n], values[d])
    if kind == "median":
        _, m, n = cell
        if m is None or n == 0 or n < threshold:
            return ""
        twice = round(m * 2)
        assert twice == m * 2
        return str(twice // 2) if twice % 2 == 0 else f"{twice // 2}.5"
    if kind == "change":
        _, k, p = cell
        if p is None or k in hidden or p in hidden:
            return ""
        return change_text(values[k], values[p])
    if kind == "numchange":
        return change_text(cell[1], cell[2])
    raise AssertionError(cell)


def check_tables(out, e, threshold=THRESHOLD):
    hidden = suppress(e.values, e.lines, threshold)
    tables = folder(out) / "tables"
    written = sorted(p.name for p in tables.glob("*.csv"))
    assert written == sorted([t + ".csv" for t in TABLE_ORDER] + ["figures.csv"])
    compared = suppressed = 0
    for tid in TABLE_ORDER:
        rows = read_csv(tables / f"{tid}.csv")[1:]
        expected = e.tables[tid]
        assert [r[0] for r in rows] == [x[0][1] for x in expected], tid
        for row, exp in zip(rows, expected):
            assert len(row) == len(exp), (tid, row)
            for j, (got, cell) in enumerate(zip(row, exp)):
                want = expected_text(cell, e.values, hidden, threshold)
                assert got == want, f"{tid}.csv row {row[0]} column {j}: {got!r}, recomputed {want!r} ({cell})"
                compared += 1
                if cell[0] == "count" and cell[1] in hidden:
                    suppressed += 1
    figures = read_csv(tables / "figures.csv")
    assert figures[0] == ["table", "title", "hotlines", "records", "unit"]
    assert [r[0] for r in figures[1:]] == TABLE_ORDER
    for r in figures[1:]:
        assert (int(r[2]), int(r[3])) == e.basis[r[0]], r
    return compared, suppressed, hidden


# --- Tests ---------------------------------------------------------------------------------------

def test_every_number_in_the_tables_matches_duckdb_and_suppression_follows_the_rule(published):
    out, _ = published
    e = recompute(out)
    compared, suppressed, hidden = check_tables(out, e)
    assert compared > 400
    # The samples have small cells (criminal abductions), so both kinds of suppression occur.
    assert any(0 < e.values[k] < THRESHOLD for k in hidden)
    assert any(e.values[k] >= THRESHOLD for k in hidden), "expected at least one secondary suppression"
    # No line lets a hidden count be recovered by subtraction.
    for members, total in e.lines:
        assert len({k for k in members + [total] if k in hidden}) != 1


def test_no_published_count_below_the_threshold_and_no_single_hidden_cell_in_a_line(published):
    out, _ = published
    for path in (folder(out) / "tables").glob("*.csv"):
        if path.name in ("figures.csv", "coverage.csv", "headline.csv"):
            continue
        rows = read_csv(path)
        header = rows[0]
        counts = [j for j, h in enumerate(header) if j > 0 and h not in ("share_percent", "median_age")]
        for row in rows[1:]:
            for j in counts:
                if row[j] not in ("<5", "c"):
                    assert not 0 < int(row[j]) < THRESHOLD, (path.name, row)
        if path.name == "new_cases_by_category.csv":
            continue
        # Rows: values plus total; a lone hidden cell in a row would be recoverable.
        for row in rows[1:]:
            cells = [row[j] for j in counts]
            assert sum(c in ("<5", "c") for c in cells) != 1, (path.name, row)
        for j in counts:
            column = [row[j] for row in rows[1:]]
            assert sum(c in ("<5", "c") for c in column) != 1, (path.name, header[j])


def test_change_against_the_previous_year_when_its_partition_exists(published, tmp_path):
    out, _ = published
    # A dataset with 2025 as published and a smaller 2024 written by pyarrow (so our reader also
    # reads pyarrow's files): one member and some contacts left out.
    two = tmp_path / "out"
    for table in ("cases", "contacts"):
        src = out / "dataset" / table / f"report_year={YEAR}"
        dst = two / "dataset" / table / f"report_year={YEAR}"
        shutil.copytree(src, dst)
        t = pq.read_table(src)
        t = t.filter(pc.not_equal(t["member_id"], "PT-IAC"))
        prev = two / "dataset" / table / f"report_year={YEAR - 1}"
        prev.mkdir(parents=True)
        pq.write_table(t, prev / "part-00000.parquet")
    result = report(two)
    assert result.returncode == 0, result.stderr
    e = recompute(two)
    assert e.before is not None
    check_tables(two, e)
    headline = {r[0]: r for r in read_csv(folder(two) / "tables" / "headline.csv")[1:]}
    worked = headline["cases_worked_on"]
    assert int(worked[2]) == e.before["worked"]
    assert worked[3] == change_text(e.now["worked"], e.before["worked"]) and worked[3].startswith("+")
    assert f"- Cases worked on: {e.now['worked']:,} ({e.now['new']:,} new, {e.now['ongoing']:,} ongoing), " \
           f"{worked[3]}% on {YEAR - 1}" in result.stdout.splitlines()
    assert f"{worked[3]}% on {YEAR - 1}" in (folder(two) / "index.html").read_text(encoding="utf-8")


def test_markdown_summary_headline_lines(published):
    out, result = published
    e = recompute(out)
    n = e.now
    lines = result.stdout.splitlines()
    assert lines[0] == f"# Missing children in Europe: figures and trends {YEAR}"
    assert lines[2:6] == [
        f"- Hotlines reporting: {n['hotlines']:,}",
        f"- Contacts: {n['contacts']:,}",
        f"- Cases worked on: {n['worked']:,} ({n['new']:,} new, {n['ongoing']:,} ongoing)",
        f"- Children: {n['children']:,}",
    ]
    assert "report for 2025 written to" in result.stderr


def test_same_dataset_same_bytes(published):
    out, first = published
    def snapshot():
        root = folder(out)
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
    before = snapshot()
    second = report(out)
    assert second.returncode == 0, second.stderr
    assert second.stdout == first.stdout
    assert snapshot() == before
    # Published through a link switched in one step; no temporary folders left behind.
    assert (out / "report" / str(YEAR)).is_symlink()
    leftovers = [p.name for p in (out / "report" / ".releases").iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_page_references_nothing_external(published):
    out, _ = published
    html = (folder(out) / "index.html").read_text(encoding="utf-8")
    assert "http://" not in html and "https://" not in html
    assert not re.search(r"""["'(]\s*//""", html), "protocol-relative URL"
    assert "<script" not in html.lower() and "@import" not in html and "@font-face" not in html
    for attr, value in re.findall(r"""\b(src|href|xlink:href|action)\s*=\s*["']([^"']*)["']""", html, re.I):
        assert not re.match(r"^[a-z][a-z0-9+.-]*:", value, re.I) and not value.startswith("//"), (attr, value)
        assert value.startswith("tables/") or value.startswith("#"), (attr, value)
    for url in re.findall(r"url\(([^)]*)\)", html):
        assert url.strip("'\" ").startswith("#"), url
    assert html.count("<svg") >= 10
    assert "<style>" in html and "@media print" in html and 'name="viewport"' in html


# --- Rendering -----------------------------------------------------------------------------------

def read_png(path):
    """Pure-Python PNG decoder (8-bit RGB/RGBA, not interlaced): rows of bytes and bytes per pixel."""
    data = pathlib.Path(path).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    while pos < len(data):
        length, = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and color in (2, 6) and interlace == 0, (depth, color, interlace)
            bpp = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    raw, stride = zlib.decompress(idat), width * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(height):
        f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        if f == 1:
            for x in range(bpp, stride):
                line[x] = (line[x] + line[x - bpp]) & 255
        elif f == 2:
            for x in range(stride):
                line[x] = (line[x] + prev[x]) & 255
        elif f == 3:
            for x in range(stride):
                a = line[x - bpp] if x >= bpp else 0
                line[x] = (line[x] + ((a + prev[x]) >> 1)) & 255
        elif f == 4:
            for x in range(stride):
                a = line[x - bpp] if x >= bpp else 0
                b, c = prev[x], (prev[x - bpp] if x >= bpp else 0)
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


# Fills used only by the SVG charts' bars (Sources/Report/Charts.swift palette).
CHART_COLORS = {(0x2e, 0x86, 0xc1), (0x85, 0xc1, 0xe9), (0xe5, 0x98, 0x66), (0xa0, 0x40, 0x00)}


def chart_pixels(png):
    width, height, bpp, rows = read_png(png)
    n = 0
    for row in rows:
        for x in range(0, width * bpp, bpp):
            if (row[x], row[x + 1], row[x + 2]) in CHART_COLORS:
                n += 1
    return n, width, height


def render(html_path, png):
    chromium = shutil.which("chromium")
    assert chromium, "chromium is missing: run scripts/install-chromium.sh (make test does)"
    result = subprocess.run(
        [chromium, "--headless", "--disable-gpu", "--no-sandbox", "--hide-scrollbars", f"--screenshot={png}",
         "--window-size=1200,3000", html_path.as_uri()],
        capture_output=True, text=True, timeout=180)
    assert result.returncode == 0 and png.exists(), result.stderr


def test_chromium_renders_the_charts(published, tmp_path):
    out, _ = published
    page = folder(out) / "index.html"
    png = tmp_path / "report.png"
    render(page, png)
    with_charts, width, height = chart_pixels(png)
    assert (width, height) == (1200, 3000)
    # The same page without its SVG elements: the chart colours must (almost) disappear.
    stripped = tmp_path / "stripped.html"
    stripped.write_text(re.sub(r"<svg.*?</svg>", "", page.read_text(encoding="utf-8"), flags=re.S), encoding="utf-8")
    bare = tmp_path / "bare.png"
    render(stripped, bare)
    without, _, _ = chart_pixels(bare)
    assert with_charts > 20000, f"only {with_charts} chart-coloured pixels"
    assert without < with_charts // 20, (with_charts, without)
