"""`pia bundle create|show -o` never replaces what the command reads (the bundle, the keys,
the report) and writes nothing when there is nothing to write: `show -o bundle.zip`
replaced the signed bundle with its rendering, `create -o signer.key` the private key with
the bundle, and a failed `show -o keep.txt` emptied keep.txt."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from bundle_helpers import run_cli

CREATE = ["bundle", "create", "report.json", "--key", "signer.key", "--config", "pia.yaml"]
SHOW = ["bundle", "show", "bundle.zip", "--pubkey", "signer.key.pub"]


def _refused(code: int, out: str, err: str, says: str) -> None:
    assert (code, out) == (2, ""), err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert says in err


@pytest.mark.parametrize(("output", "says"), [
    ("bundle.zip", "is the bundle file"),
    ("signer.key.pub", "is the --pubkey file"),
    ("revoked.txt", "is the --revoked file"),
    ("link.zip", "is the bundle file"),  # a hard link to the bundle
    ("sym.html", "is the bundle file"),  # a symlink to it
])
def test_show_refuses_an_output_that_is_one_of_its_inputs(work, capsys, output, says):
    Path("revoked.txt").write_text("# none\n")
    os.link("bundle.zip", "link.zip")
    Path("sym.html").symlink_to("bundle.zip")
    before = {name: Path(name).read_bytes() for name in
              ("bundle.zip", "signer.key.pub", "revoked.txt")}
    code, out, err = run_cli([*SHOW, "--revoked", "revoked.txt", "-f", "html", "-o", output],
                             capsys)
    _refused(code, out, err, says)
    assert {name: Path(name).read_bytes() for name in before} == before


def test_show_refuses_an_output_inside_the_trusted_keys_directory(work, capsys):
    Path("trusted").mkdir()
    Path("trusted/signer.pub").write_bytes(Path("signer.key.pub").read_bytes())
    code, out, err = run_cli(["bundle", "show", "bundle.zip", "--trusted-keys", "trusted",
                              "-o", "trusted/view.txt"], capsys)
    _refused(code, out, err, "inside the --trusted-keys directory")
    assert sorted(p.name for p in Path("trusted").iterdir()) == ["signer.pub"]


def test_a_failed_show_leaves_an_existing_output_alone(work, capsys):
    Path("junk.zip").write_bytes(b"not a zip at all")
    Path("keep.txt").write_text("keep\n")
    code, out, err = run_cli(["bundle", "show", "junk.zip", "--pubkey", "signer.key.pub",
                              "-o", "keep.txt"], capsys)
    assert code == 2 and "no report to show" in err and out == ""
    assert Path("keep.txt").read_text() == "keep\n"


def test_show_takes_its_format_from_the_output_extension(work, capsys):
    code, _, err = run_cli([*SHOW, "-o", "view.html"], capsys)
    assert code == 0, err
    assert Path("view.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    code, out, err = run_cli([*SHOW, "-f", "table", "-o", "view2.html"], capsys)
    _refused(code, out, err, "--format table does not match view2.html (html)")
    assert not Path("view2.html").exists()


@pytest.mark.parametrize(("output", "says"), [
    ("signer.key", "is the --key file"),
    ("report.json", "is the report file"),
    ("pia.yaml", "is the --config file"),
    ("pass.txt", "is the --passphrase-file file"),
])
def test_create_refuses_an_output_that_is_one_of_its_inputs(work, capsys, output, says):
    Path("pass.txt").write_text("unused\n")
    before = {name: Path(name).read_bytes() for name in
              ("signer.key", "report.json", "pia.yaml", "pass.txt")}
    extra = ["--passphrase-file", "pass.txt"] if output == "pass.txt" else []
    code, out, err = run_cli([*CREATE, *extra, "-o", output], capsys)
    _refused(code, out, err, says)
    assert {name: Path(name).read_bytes() for name in before} == before


def test_create_warns_when_the_bundle_is_not_named_zip(work, capsys):
    code, _, err = run_cli([*CREATE, "-o", "made.html"], capsys)
    assert code == 0
    assert "made.html does not end in .zip" in err
    assert Path("made.html").read_bytes()[:2] == b"PK"


def _scanned_here(ran_in: Path) -> None:
    """report.json as if its scan had read ./shop.db and ./logs from ``ran_in``."""
    import json

    from pia.report import dumps

    report = json.loads(Path("report.json").read_text(encoding="utf-8"))
    report["scan"]["sources"] = ["shop.db", "logs", *report["scan"]["sources"]]
    report["scan"]["declaration"]["cwd"] = str(ran_in)
    Path("report.json").write_text(dumps(report), encoding="utf-8")
    for folder in {Path.cwd(), ran_in}:
        (folder / "logs" / "app").mkdir(parents=True, exist_ok=True)
        (folder / "logs" / "app" / "app.log").write_text("GET /\n")
        (folder / "shop.db").write_bytes(b"SQLite format 3\x00" + bytes(84))


@pytest.mark.parametrize(("output", "says"), [
    ("shop.db", "is the source shop.db the report's scan read"),
    ("logs/app/app.log", "is inside logs, a source the report's scan read"),
    ("logs/bundle.zip", "is inside logs, a source"),
    ("{ran_in}/shop.db", "is the source {ran_in}/shop.db the report's scan read"),
    ("{ran_in}/logs/app/app.log", "is inside {ran_in}/logs, a source"),
])
def test_create_refuses_an_output_in_a_source_the_report_names(work, capsys, output, says):
    """As pia scan refuses its own: ``-o shop.db`` replaced the scanned database with the
    bundle (QA). Relative sources are taken from here and from where the scan ran."""
    ran_in = work.parent / "scanned-there"
    _scanned_here(ran_in)
    output, says = output.format(ran_in=ran_in), says.format(ran_in=ran_in)
    before = {p: p.read_bytes() for folder in (work, ran_in) for p in folder.rglob("*")
              if p.is_file()}
    code, out, err = run_cli([*CREATE, "-o", output], capsys)
    _refused(code, out, err, says)
    assert {p: p.read_bytes() for p in before} == before
    assert not Path(output).exists() or Path(output).absolute() in before


def _scan_in_shop(work: Path, monkeypatch, capsys) -> bytes:
    """``pia scan shop.db logs -o ../scanned.json`` run in ``work/shop``, a real SQLite
    database and log folder there; back in ``work``; the database's bytes."""
    import sqlite3

    shop = work / "shop"
    (shop / "logs").mkdir(parents=True)
    (shop / "logs" / "app.log").write_text("GET / 200\n", encoding="utf-8")
    with sqlite3.connect(shop / "shop.db") as db:
        db.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, sfzh TEXT)")
        db.execute("INSERT INTO customers VALUES (1, '33010619870105528X')")
    db.close()
    monkeypatch.chdir(shop)
    code, _, err = run_cli(["scan", "shop.db", "logs", "-o", "../scanned.json"], capsys)
    assert code in (0, 1), err
    monkeypatch.chdir(work)
    return (shop / "shop.db").read_bytes()


@pytest.mark.parametrize(("output", "says"), [
    ("shop/shop.db", "is the source"),
    ("shop/logs/audit.zip", "is inside"),
])
def test_create_refuses_a_source_read_where_the_scan_ran(work, capsys, monkeypatch, output,
                                                         says):
    """QA: ``pia scan shop.db`` in ``shop/``, then ``bundle create -o shop/shop.db`` from the
    directory above replaced the database with the bundle: a report without a declaration
    did not say where its scan ran. It does now (``scan.cwd``)."""
    database = _scan_in_shop(work, monkeypatch, capsys)
    assert Path(json.loads(Path("scanned.json").read_text())["scan"]["cwd"]) == work / "shop"
    code, out, err = run_cli(["bundle", "create", "scanned.json", "--key", "signer.key",
                              "-o", output], capsys)
    _refused(code, out, err, says)
    assert (work / "shop" / "shop.db").read_bytes() == database
    assert not (work / "shop" / "logs" / "audit.zip").exists()


def test_create_writes_over_no_file_but_a_bundle_when_the_report_does_not_say_where_it_ran(
        work, capsys, monkeypatch):
    """A report made before ``scan.cwd`` was recorded cannot say where ``shop.db`` was: the
    database is not written over all the same, as no existing file but a zip archive is;
    an earlier bundle is (``bundle.zip``)."""
    database = _scan_in_shop(work, monkeypatch, capsys)
    report = json.loads(Path("scanned.json").read_text())
    del report["scan"]["cwd"]
    Path("scanned.json").write_text(json.dumps(report), encoding="utf-8")
    create = ["bundle", "create", "scanned.json", "--key", "signer.key", "-o"]
    code, out, err = run_cli([*create, "shop/shop.db"], capsys)
    _refused(code, out, err, "is a file that is no bundle")
    assert (work / "shop" / "shop.db").read_bytes() == database
    code, _, err = run_cli([*create, "bundle.zip"], capsys)
    assert code == 0, err


@pytest.mark.parametrize("output", ["out.pdf", "out.md", "out"])
def test_show_refuses_an_extension_it_does_not_write(work, capsys, output):
    """It wrote its text table to out.pdf and out.md (QA), where pia report -o refuses."""
    code, out, err = run_cli([*SHOW, "-o", output], capsys)
    _refused(code, out, err, f"output path {output}: unknown extension")
    assert ".html, .htm, .txt" in err and not Path(output).exists()


@pytest.mark.parametrize("command", ["verify", "show"])
def test_pubkey_given_twice_is_refused(work, capsys, command):
    """The last one alone was trusted, silently: a reader expecting "either key" got another
    trust set than the one typed (QA 9)."""
    code, out, err = run_cli(["bundle", command, "bundle.zip", "--pubkey", "other.key.pub",
                              "--pubkey", "signer.key.pub"], capsys)
    _refused(code, out, err, "--pubkey given more than once")
    assert "--trusted-keys DIR" in err
