"""The deployment examples in deploy/ stay consistent with the image and the command line.

Every hotline-etl invocation in deploy/ (Kubernetes args, the systemd ExecStart, the cron line) is
checked against the help text of the binary at HOTLINE_ETL_BIN: a real subcommand, only options
that `hotline-etl <subcommand> --help` lists, and only the values it lists for them. The Kubernetes
manifests must also match the Dockerfile (ENTRYPOINT hotline-etl, WORKDIR /work, inbox at
/work/samples, output at /work/out) and take the key from a Secret.
"""
import functools
import json
import os
import pathlib
import re
import shlex
import subprocess

import pytest
import yaml

from conftest import ROOT, binary

DEPLOY = ROOT / "deploy"
KUBERNETES = DEPLOY / "kubernetes"
SUBCOMMANDS = {"run", "status", "validate"}
INBOX, OUT = "/work/samples", "/work/out"
SHELL_WRAPPER = ["/bin/sh", "-c"]

# Every manifest file and the kinds of its documents, in order. A new file must be added here.
EXPECTED_KINDS = {
    "cronjob.yaml": ["CronJob"],
    "indexed-job.yaml": ["Job"],
    "load-job.yaml": ["Job"],
    "storage.yaml": ["PersistentVolumeClaim", "PersistentVolumeClaim"],
}


# --- the command line, from the binary's own help -------------------------------------------------

@functools.cache
def top_level_subcommands() -> set[str]:
    text = subprocess.run([binary(), "--help"], capture_output=True, text=True, timeout=60, check=True).stdout
    section = text.split("SUBCOMMANDS:", 1)[1]
    return set(re.findall(r"^  (\w[\w-]*)\s", section, re.MULTILINE))


@functools.cache
def options_of(subcommand: str) -> dict[str, tuple[bool, frozenset[str] | None]]:
    """option -> (takes a value, allowed values or None), parsed from `hotline-etl SUB --help`."""
    result = subprocess.run([binary(), subcommand, "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    section = result.stdout.split("OPTIONS:", 1)[1]
    blocks = re.split(r"\n(?=  -)", "\n" + section)
    options: dict[str, tuple[bool, frozenset[str] | None]] = {}
    for block in blocks:
        block = " ".join(block.split())
        if not block.startswith("-"):
            continue
        for name, value in re.findall(r"(--?[\w-]+)(?: <([^>]+)>)?", block.split("  ")[0]):
            allowed = None
            match = re.search(r"\(values: ([^;)]+)", block)
            if match:
                allowed = frozenset(v.strip() for v in match.group(1).split(","))
            options[name] = (bool(value), allowed)
    return options


def test_help_parsing_finds_the_documented_run_options():
    run = options_of("run")
    for option in ["--pipeline", "--out", "--year", "--stage", "--from", "--to", "--member",
                   "--force", "--dry-run", "--jobs", "--log-format"]:
        assert option in run, f"`hotline-etl run --help` no longer lists {option}"
    assert run["--stage"] == (True, frozenset({"extract", "normalize", "load", "report"}))
    assert run["--log-format"] == (True, frozenset({"text", "json"}))
    assert run["--force"] == (False, None)
    assert SUBCOMMANDS <= top_level_subcommands()


def check_invocation(argv: list[str], where: str) -> dict[str, list[str]]:
    """Checks `hotline-etl SUB [options]` (argv without the program) and returns option -> values."""
    assert argv, f"{where}: no subcommand"
    subcommand, rest = argv[0], argv[1:]
    assert subcommand in SUBCOMMANDS and subcommand in top_level_subcommands(), (
        f"{where}: {subcommand!r} is not a hotline-etl subcommand ({sorted(SUBCOMMANDS)})")
    known = options_of(subcommand)
    seen: dict[str, list[str]] = {}
    i = 0
    while i < len(rest):
        token = rest[i]
        name, _, inline = token.partition("=")
        assert name in known, f"{where}: `hotline-etl {subcommand} --help` does not list {name!r}"
        takes_value, allowed = known[name]
        if takes_value:
            if not inline:
                assert i + 1 < len(rest), f"{where}: {name} needs a value"
                i += 1
                inline = rest[i]
            if allowed is not None:
                assert inline in allowed, f"{where}: {name} {inline!r} is not one of {sorted(allowed)}"
        else:
            assert not inline, f"{where}: {name} takes no value"
        seen.setdefault(name, []).append(inline if takes_value else "")
        i += 1
    return seen


def hotline_etl_argv(tokens: list[str], where: str) -> list[str]:
    """The arguments after the hotline-etl program in a shell token list, up to the first operator."""
    def command_position(i: int) -> bool:  # first word, after an operator, `exec` or VAR=value
        before = tokens[:i]
        while before and re.match(r"^[A-Za-z_]\w*=", before[-1]):
            before.pop()
        return not before or before[-1] == "exec" or bool(re.fullmatch(r"[;&|()]+", before[-1]))

    programs = [i for i, t in enumerate(tokens) if os.path.basename(t) == "hotline-etl" and command_position(i)]
    assert programs, f"{where}: does not call hotline-etl"
    argv = []
    for token in tokens[programs[0] + 1:]:
        if re.fullmatch(r"[;&|<>()]+", token):
            break
        argv.append(token)
    if argv and argv[-1].isdigit():  # the `2` of `2>>file`
        argv.pop()
    return argv


def shell_tokens(command: str) -> list[str]:
    lexer = shlex.shlex(command, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    return list(lexer)


# --- Kubernetes -----------------------------------------------------------------------------------

def manifests() -> dict[str, list[dict]]:
    return {
        path.name: [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc is not None]
        for path in sorted(KUBERNETES.glob("*.yaml"))
    }


def pod_spec(doc: dict) -> dict | None:
    if doc["kind"] == "CronJob":
        return doc["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    if doc["kind"] == "Job":
        return doc["spec"]["template"]["spec"]
    return None


def workloads() -> list[tuple[str, dict, dict]]:
    """(file, document, pod spec) for every document that runs pods."""
    return [(name, doc, spec) for name, docs in manifests().items() for doc in docs
            if (spec := pod_spec(doc)) is not None]


def job_spec(doc: dict) -> dict:
    return doc["spec"]["jobTemplate"]["spec"] if doc["kind"] == "CronJob" else doc["spec"]


def members() -> list[str]:
    found = []
    for path in sorted((ROOT / "pipelines" / "members").glob("*.yaml")):
        found.append(yaml.safe_load(path.read_text(encoding="utf-8"))["member"])
    return found


def container_invocation(name: str, container: dict) -> dict[str, list[str]]:
    """Checks how a container starts hotline-etl; returns the options of the `run` invocation."""
    where = f"{name}: container {container['name']}"
    if "command" not in container:
        args = container.get("args")
        assert isinstance(args, list) and args, f"{where}: needs args: [\"run\", ...] (ENTRYPOINT is hotline-etl)"
        assert all(isinstance(a, str) for a in args), f"{where}: args must be strings"
        return check_invocation(args, where)
    # The only allowed override: the image's /bin/sh running a script that execs hotline-etl.
    assert container["command"] == SHELL_WRAPPER, (
        f"{where}: command: overrides the image's ENTRYPOINT (hotline-etl); use args:, or "
        f"{SHELL_WRAPPER} with a script that execs hotline-etl")
    args = container.get("args")
    assert isinstance(args, list) and len(args) == 1, f"{where}: the shell wrapper takes one script"
    script = args[0]
    lines = [line.strip() for line in script.strip().splitlines() if line.strip()]
    assert lines[-1].startswith("exec hotline-etl "), f"{where}: the script must end with `exec hotline-etl ...`"
    assert sum("hotline-etl " in line and not line.startswith("*)") for line in lines) == 1, (
        f"{where}: the script must call hotline-etl exactly once")
    return check_invocation(hotline_etl_argv(shell_tokens(lines[-1]), where), where)


def test_manifests_parse_and_have_the_expected_kinds():
    found = manifests()
    assert set(found) == set(EXPECTED_KINDS), (
        f"deploy/kubernetes holds {sorted(found)}; update EXPECTED_KINDS in this test")
    for name, docs in found.items():
        assert [doc.get("kind") for doc in docs] == EXPECTED_KINDS[name], name
        for doc in docs:
            assert doc.get("apiVersion"), f"{name}: {doc.get('kind')} without apiVersion"
            assert doc.get("metadata", {}).get("name"), f"{name}: {doc['kind']} without metadata.name"


@pytest.mark.parametrize("name,doc,spec", workloads(), ids=lambda v: v if isinstance(v, str) else "")
def test_workload_matches_the_image_and_the_command_line(name, doc, spec):
    volumes = {v["name"]: v for v in spec.get("volumes", [])}
    containers = spec.get("initContainers", []) + spec["containers"]
    assert containers
    pod_security = spec.get("securityContext", {})
    for container in containers:
        where = f"{name}: container {container['name']}"
        image = container["image"]
        repository, _, tag = image.split("@")[0].rpartition("/")[2].partition(":")
        assert repository == "hotline-etl", f"{where}: image {image!r} is not hotline-etl"
        assert tag and tag != "latest", f"{where}: pin the image version ({image!r})"

        run = container_invocation(name, container)
        assert run.get("--log-format") == ["json"], f"{where}: schedulers want --log-format json"
        assert run.get("--out", [OUT]) == [OUT], f"{where}: --out must be the mounted {OUT}"

        mounts = {m["mountPath"]: m for m in container.get("volumeMounts", [])}
        assert INBOX in mounts and OUT in mounts, f"{where}: mount the inbox at {INBOX} and the output at {OUT}"
        assert mounts[INBOX].get("readOnly") is True, f"{where}: the inbox is mounted read-only"
        assert mounts[OUT].get("readOnly") is not True, f"{where}: the output folder must be writable"
        for path in (INBOX, OUT):
            assert "persistentVolumeClaim" in volumes[mounts[path]["name"]], f"{where}: {path} is not a PVC"
        assert volumes[mounts[INBOX]["name"]]["persistentVolumeClaim"].get("readOnly") is True

        keys = [e for e in container.get("env", []) if e["name"] == "HOTLINE_ETL_KEY"]
        assert len(keys) == 1, f"{where}: HOTLINE_ETL_KEY must be set once"
        assert "value" not in keys[0], f"{where}: never write the key into a manifest"
        ref = keys[0].get("valueFrom", {}).get("secretKeyRef", {})
        assert ref.get("name") and ref.get("key"), f"{where}: HOTLINE_ETL_KEY must come from a secretKeyRef"

        security = {**pod_security, **container.get("securityContext", {})}
        assert security.get("runAsNonRoot") is True, f"{where}: runAsNonRoot"
        assert security.get("runAsUser", 1) != 0, f"{where}: runs as root"
        assert container.get("securityContext", {}).get("allowPrivilegeEscalation") is False
        resources = container.get("resources", {})
        assert resources.get("requests", {}).get("memory") and resources.get("limits", {}).get("memory"), (
            f"{where}: set memory requests and limits")

    job = job_spec(doc)
    if "podFailurePolicy" in job:
        assert spec.get("restartPolicy") == "Never", f"{name}: podFailurePolicy needs restartPolicy: Never"
        for rule in job["podFailurePolicy"]["rules"]:
            codes = rule.get("onExitCodes")
            if codes:
                assert set(codes["values"]) <= {1, 2, 64}, f"{name}: hotline-etl exits with 0, 1, 2 or 64"
                assert codes.get("containerName") in {c["name"] for c in containers}
    else:
        assert spec.get("restartPolicy") in {"Never", "OnFailure"}, name


def workload(file: str) -> tuple[dict, dict]:
    [(doc, spec)] = [(d, s) for n, d, s in workloads() if n == file]
    return doc, spec


def test_cronjob_runs_all_stages_once_at_a_time():
    doc, spec = workload("cronjob.yaml")
    assert doc["spec"]["concurrencyPolicy"] == "Forbid"
    run = container_invocation("cronjob.yaml", spec["containers"][0])
    assert not ({"--stage", "--from", "--to", "--member", "--dry-run"} & set(run)), "the nightly run does everything"


def test_fan_out_has_one_index_per_member_then_a_load():
    doc, spec = workload("indexed-job.yaml")
    assert doc["kind"] == "Job" and doc["spec"]["completionMode"] == "Indexed"
    expected = members()
    assert doc["spec"]["completions"] == len(expected), "completions must equal the number of member mappings"
    container = spec["containers"][0]
    run = container_invocation("indexed-job.yaml", container)
    assert sorted(run.get("--stage", [])) == ["extract", "normalize"]
    assert run.get("--member") == ["$MEMBER"]
    cases = dict(re.findall(r"^\s*(\d+)\)\s*MEMBER=([\w-]+)\s*;;", container["args"][0], re.MULTILINE))
    assert cases == {str(i): m for i, m in enumerate(expected)}, (
        f"the case list must map 0..{len(expected) - 1} to the members in pipelines/members/ ({expected})")

    load_doc, load_spec = workload("load-job.yaml")
    load = container_invocation("load-job.yaml", load_spec["containers"][0])
    assert load.get("--from") == ["load"] and "--stage" not in load and "--member" not in load

    def out_claim(pod: dict) -> str:
        mount = next(m for m in pod["containers"][0]["volumeMounts"] if m["mountPath"] == OUT)
        volume = next(v for v in pod["volumes"] if v["name"] == mount["name"])
        return volume["persistentVolumeClaim"]["claimName"]

    claim = out_claim(spec)
    assert out_claim(load_spec) == claim, "the load Job must see the member pods' staging area"
    claims = {d["metadata"]["name"]: d for d in manifests()["storage.yaml"]}
    assert "ReadWriteMany" in claims[claim]["spec"]["accessModes"], "the shared staging area must be ReadWriteMany"


# --- systemd and cron -----------------------------------------------------------------------------

def unit_file(path: pathlib.Path) -> dict[str, dict[str, list[str]]]:
    sections: dict[str, dict[str, list[str]]] = {}
    current = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
            continue
        key, _, value = line.partition("=")
        assert current is not None, f"{path.name}: {line!r} outside a section"
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def test_systemd_service_and_timer():
    service = unit_file(DEPLOY / "systemd" / "hotline-etl.service")
    [exec_start] = service["Service"]["ExecStart"]
    argv = shlex.split(exec_start.lstrip("-@:+!"))
    assert os.path.isabs(argv[0]) and os.path.basename(argv[0]) == "hotline-etl", "ExecStart needs the absolute path"
    run = check_invocation(argv[1:], "hotline-etl.service ExecStart")
    assert argv[1] == "run" and run.get("--log-format") == ["json"]
    assert service["Service"]["Type"] == ["oneshot"]
    assert service["Service"].get("User", ["root"]) != ["root"], "do not run as root"
    assert "HOTLINE_ETL_KEY" not in exec_start
    prevented = " ".join(service["Service"].get("RestartPreventExitStatus", [])).split()
    assert {"2", "64"} <= set(prevented), "partial (2) and configuration errors (64) are not retried"

    timer = unit_file(DEPLOY / "systemd" / "hotline-etl.timer")
    assert timer["Timer"]["OnCalendar"]
    assert timer["Timer"].get("Unit", ["hotline-etl.service"]) == ["hotline-etl.service"]
    assert timer["Install"]["WantedBy"] == ["timers.target"]


def test_cron_line():
    entries = []
    for raw in (DEPLOY / "cron" / "hotline-etl.cron").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or re.match(r"^[A-Z_]+=", line):
            continue
        entries.append(line)
    assert entries, "no cron entry"
    for line in entries:
        fields = line.split(None, 6)
        assert len(fields) == 7, f"/etc/cron.d format: 5 time fields, a user, a command: {line!r}"
        for field in fields[:5]:
            assert re.fullmatch(r"[\d*/,-]+", field), f"bad time field {field!r}"
        assert fields[5] != "root", "do not run as root"
        command = fields[6]
        assert "%" not in command, "cron turns % into a newline; escape it"
        argv = hotline_etl_argv(shell_tokens(command), "cron")
        run = check_invocation(argv, "cron")
        assert argv[0] == "run" and run.get("--log-format") == ["json"]


# --- the Dockerfile the manifests rely on ---------------------------------------------------------

def test_dockerfile_entrypoint_and_workdir():
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    final_stage = re.split(r"^FROM\s", text, flags=re.MULTILINE)[-1]
    instructions = [(m.group(1).upper(), m.group(2).strip())
                    for m in re.finditer(r"^(\w+)\s+(.*)$", final_stage, re.MULTILINE)]
    entrypoints = [v for k, v in instructions if k == "ENTRYPOINT"]
    assert entrypoints and json.loads(entrypoints[-1]) == ["hotline-etl"]
    workdirs = [v for k, v in instructions if k == "WORKDIR"]
    assert workdirs and workdirs[-1] == "/work"
    users = [v for k, v in instructions if k == "USER"]
    assert users and users[-1] not in {"root", "0"}
    copies = " ".join(v for k, v in instructions if k == "COPY")
    assert "pipelines" in copies, "the image carries pipelines/ under /work, which the manifests rely on"
