"""Every `pia` command the README shows runs, in order, in a workspace laid out like the
demo's — against the real PostgreSQL and MariaDB of the test machine and a moto S3 server.

The README's first block (set-up) is what runs this suite, so it is not run again here; YAML
blocks that the commands refer to (my-recognizers.yaml, my-rules.yaml) are taken from the
README itself, so the examples cannot drift from what works.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import uuid
from itertools import pairwise
from pathlib import Path

import pytest

from pia.sample.estate import build_estate

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def commands() -> list[str]:
    found = []
    for block in blocks("sh")[1:]:
        found += [line for line in block.splitlines() if line.startswith("pia ")]
    return found


COMMANDS = commands()


def written(argv: list[str]) -> set[str]:
    """What a README command writes: its -o files, its --state directory, keygen's keys."""
    names = {value for option, value in pairwise(argv) if option in ("-o", "--state")}
    if argv[1] == "keygen":
        names |= {argv[2], argv[2] + ".pub"}
    return names


def chain(index: int) -> tuple[int, ...]:
    """The README commands to run, in order, before and including command ``index``: for
    each file it reads, the latest earlier command that wrote it, and that one's chain."""
    argv = shlex.split(COMMANDS[index])
    reads = set(argv[2:]) - {value for option, value in pairwise(argv) if option == "-o"}
    if "--resume" not in argv:
        reads -= written(argv)
    steps = {index}
    for name in reads:
        writers = [i for i in range(index) if name in written(shlex.split(COMMANDS[i]))]
        if writers:
            steps |= set(chain(writers[-1]))
    return tuple(sorted(steps))


def yaml_block(marker: str) -> str:
    return next(b for b in blocks("yaml") if marker in b)


@pytest.fixture(scope="session")
def s3_endpoint():
    pytest.importorskip("moto.server")
    import boto3
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="cn-north-1",
                      aws_access_key_id="testing", aws_secret_access_key="testing")
    s3.create_bucket(Bucket="pia-demo-logs",
                     CreateBucketConfiguration={"LocationConstraint": "cn-north-1"})
    s3.put_object(Bucket="pia-demo-logs", Key="app/2026-11-01.log",
                  Body="2026-11-01 10:00:00 INFO 手机13812345678\n".encode())
    yield endpoint
    server.stop()


@pytest.fixture(scope="session")
def readme_tables():
    """A table in each database the README scans: an --include that selects no table is an
    error, and the test databases of a fresh machine hold none. Dropped afterwards."""
    import psycopg
    import pymysql

    table = f"pia_readme_{uuid.uuid4().hex[:8]}"
    create = (f"CREATE TABLE {table} (id int, sfzh varchar(18))",
              f"INSERT INTO {table} VALUES (1, '11010519491231002X')")
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/test", autocommit=True) as pg:
        for statement in create:
            pg.execute(statement)
    mysql = pymysql.connect(host="127.0.0.1", port=3306, user="root", password="",
                            database="test", autocommit=True)
    with mysql.cursor() as cursor:
        for statement in create:
            cursor.execute(statement)
    try:
        yield table
    finally:
        with mysql.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
        mysql.close()
        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/test",
                             autocommit=True) as pg:
            pg.execute(f"DROP TABLE IF EXISTS {table}")


def test_readme_shows_the_two_setup_commands() -> None:
    setup = blocks("sh")[0].strip().splitlines()
    assert setup == ["python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/pia demo",
                     "./scripts/test"]
    assert (ROOT / ".ci" / "run").read_text().strip().endswith("exec ./scripts/test")


def test_readme_declaration_and_rule_examples_load(tmp_path: Path) -> None:
    from pia.declaration import load_declaration
    from pia.rules import load_ruleset_file

    declaration = tmp_path / "pia.yaml"
    declaration.write_text(yaml_block("version: 1"), encoding="utf-8")
    assert load_declaration(declaration).data["accept"][0]["rule"] == "PIPL-51-CLASSIFICATION"
    rules = tmp_path / "my-rules.yaml"
    rules.write_text(yaml_block("ruleset: acme-internal"), encoding="utf-8")
    assert load_ruleset_file(rules).id == "acme-internal"


class Workspaces:
    """The workspace after a chain of README commands, each chain run once per test process.

    A command runs in a copy of the workspace its prerequisites left (see ``chain``), so each
    README command is a test of its own that any test process can take, while a command
    several others read from (the first scan's report.json, keygen, bundle create) runs once.
    """

    def __init__(self, base: Path, env: dict[str, str], endpoint: str,
                 factory: pytest.TempPathFactory) -> None:
        self.env, self.endpoint, self.factory = env, endpoint, factory
        self.done: dict[tuple[int, ...], tuple[Path, subprocess.CompletedProcess[str]]] = {}
        self.base = base

    def after(self, steps: tuple[int, ...]) -> tuple[Path, subprocess.CompletedProcess[str]]:
        if steps not in self.done:
            before = self.after(steps[:-1])[0] if len(steps) > 1 else self.base
            folder = self.factory.mktemp("readme")
            shutil.copytree(before, folder, dirs_exist_ok=True)
            command = COMMANDS[steps[-1]].replace("http://127.0.0.1:9000", self.endpoint)
            argv = [sys.executable, "-m", "pia", *shlex.split(command)[1:]]
            run = subprocess.run(argv, cwd=folder, env=self.env, capture_output=True,
                                 text=True, timeout=600)
            self.done[steps] = folder, run
        return self.done[steps]


@pytest.fixture(scope="session")
def workspaces(tmp_path_factory: pytest.TempPathFactory, s3_endpoint: str,
               readme_tables: str) -> Workspaces:
    base = tmp_path_factory.mktemp("readme-estate")
    build_estate(base)
    (base / "my-recognizers.yaml").write_text(yaml_block("recognizers:"), encoding="utf-8")
    (base / "my-rules.yaml").write_text(yaml_block("ruleset: acme-internal"), encoding="utf-8")
    (base / "notes.txt").write_text("工号EMP123456 请假\n", encoding="utf-8")
    env = dict(os.environ, PIA_FINGERPRINT_KEY="readme-test-key-0123456789",
               AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
               AWS_DEFAULT_REGION="cn-north-1", NO_COLOR="1")
    return Workspaces(base, env, s3_endpoint, tmp_path_factory)


def test_the_readme_shows_at_least_twenty_commands() -> None:
    assert len(COMMANDS) >= 20


def test_commands_that_read_an_earlier_ones_output_run_after_it() -> None:
    # what the chains below must get right: were one of these empty, its command would run
    # in a workspace without the file it reads (and fail there, exit 2)
    def steps(start: str) -> list[str]:
        index = next(i for i, c in enumerate(COMMANDS) if c.startswith(start))
        return [COMMANDS[i].split(" -o ")[0] for i in chain(index)]

    assert steps("pia report report.json --format md") == [
        "pia scan shop.db logs --config pia.yaml", "pia report report.json --format md"]
    assert steps("pia bundle show") == [
        "pia scan shop.db logs --config pia.yaml", "pia keygen signer.key",
        "pia bundle create report.json --key signer.key --config pia.yaml",
        "pia bundle show audit.zip --pubkey signer.key.pub"]
    assert steps("pia scan logs --workers 2 --state .pia-state --resume") == [
        "pia scan logs --workers 2 --state .pia-state",
        "pia scan logs --workers 2 --state .pia-state --resume"]
    assert steps("pia rulesets list") == ["pia rulesets list"]


@pytest.mark.parametrize("index", range(len(COMMANDS)),
                         ids=[f"{i:02d}-{c[4:]}" for i, c in enumerate(COMMANDS)])
def test_readme_command_runs(index: int, workspaces: Workspaces) -> None:
    """Each command runs, after the earlier commands whose outputs it reads, as in the
    README's order; what it says it writes is there."""
    steps = chain(index)
    for done in range(1, len(steps) + 1):
        folder, run = workspaces.after(steps[:done])
        command = COMMANDS[steps[done - 1]]
        assert run.returncode in (0, 1), f"{command}\n{run.stdout[-2000:]}\n{run.stderr[-2000:]}"
        assert "Traceback" not in run.stderr, command
    for name in written(shlex.split(COMMANDS[index])):
        assert (folder / name).exists(), f"{COMMANDS[index]}: no {name}"
