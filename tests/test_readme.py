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
import subprocess
import sys
import uuid
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


def yaml_block(marker: str) -> str:
    return next(b for b in blocks("yaml") if marker in b)


@pytest.fixture(scope="module")
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


@pytest.fixture
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


def test_every_readme_command_runs(tmp_path: Path, s3_endpoint: str,
                                   readme_tables: str) -> None:
    build_estate(tmp_path)
    (tmp_path / "my-recognizers.yaml").write_text(yaml_block("recognizers:"), encoding="utf-8")
    (tmp_path / "my-rules.yaml").write_text(yaml_block("ruleset: acme-internal"),
                                            encoding="utf-8")
    (tmp_path / "notes.txt").write_text("工号EMP123456 请假\n", encoding="utf-8")
    env = dict(os.environ, PIA_FINGERPRINT_KEY="readme-test-key-0123456789",
               AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
               AWS_DEFAULT_REGION="cn-north-1", NO_COLOR="1")
    ran = []
    for command in commands():
        command = command.replace("http://127.0.0.1:9000", s3_endpoint)
        argv = [sys.executable, "-m", "pia", *shlex.split(command)[1:]]
        run = subprocess.run(argv, cwd=tmp_path, env=env, capture_output=True, text=True,
                             timeout=600)
        assert run.returncode in (0, 1), f"{command}\n{run.stdout[-2000:]}\n{run.stderr[-2000:]}"
        assert "Traceback" not in run.stderr, command
        ran.append(command)
    assert len(ran) >= 20
    assert (tmp_path / "audit.zip").exists() and (tmp_path / "report.sarif").exists()
