"""The session's bundle material: keys, declaration, rulesets, report and bundle bytes."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from bundle_fixture import DECLARATION, build_report

from pia.bundle import create_bundle, generate_keypair, load_private_key
from pia.declaration import load_declaration
from pia.report import dumps
from pia.rules import load_rulesets


@pytest.fixture(scope="session")
def material(tmp_path_factory):
    """Keys, declaration, rulesets, report and bundle bytes, built once per session."""
    base = tmp_path_factory.mktemp("bundle-material")
    decl_path = base / "pia.yaml"
    decl_path.write_text(DECLARATION, encoding="utf-8")
    declaration = load_declaration(decl_path)
    rulesets = load_rulesets()
    report = build_report(declaration)
    key_path, other_path = base / "signer.key", base / "other.key"
    generate_keypair(key_path)
    generate_keypair(other_path)
    key = load_private_key(key_path)
    data = create_bundle(report, rulesets, declaration, key)
    return {
        "base": base, "declaration_path": decl_path, "declaration": declaration,
        "rulesets": rulesets, "report": report, "key_path": key_path,
        "pub_path": Path(str(key_path) + ".pub"), "other_pub_path": Path(str(other_path) + ".pub"),
        "key": key, "bundle": data,
    }


@pytest.fixture(scope="session")
def scanned(tmp_path_factory):
    """A real ``pia scan --bundle`` of a SQLite database of customers (``qa2_scan``)."""
    from qa2_scan import scan_bundle

    return scan_bundle(tmp_path_factory.mktemp("scanned"))


@pytest.fixture
def work(material, sandbox):
    """A clean working directory holding the report, declaration, keys and a bundle."""
    tmp_path = Path.cwd()
    (tmp_path / "report.json").write_text(dumps(material["report"]), encoding="utf-8")
    (tmp_path / "pia.yaml").write_bytes(material["declaration_path"].read_bytes())
    for name in ("key_path", "pub_path", "other_pub_path"):
        (tmp_path / material[name].name).write_bytes(material[name].read_bytes())
    (tmp_path / "bundle.zip").write_bytes(material["bundle"])
    return tmp_path


@pytest.fixture
def sandbox(tmp_path, monkeypatch):
    """A private working directory two levels down and a private temporary directory, both
    under one root; returns a function listing every path under that root, so a test can
    prove that nothing was written in the working directory, above it, or in the temp dir
    (the machine-wide /tmp is shared with other processes and cannot be compared)."""
    cwd = tmp_path / "up" / "cwd"
    temp = tmp_path / "tmp"
    cwd.mkdir(parents=True)
    temp.mkdir()
    monkeypatch.chdir(cwd)
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))

    def snapshot() -> set[str]:
        return {str(p) for p in tmp_path.rglob("*")}

    return snapshot


@pytest.fixture(autouse=True)
def english_verdicts(monkeypatch):
    """The tests read verify's and show's verdicts in English; the locale's language (zh
    under C.UTF-8, as pia scan chooses it) is tested in test_bundle_lang.py."""
    monkeypatch.setenv("LC_MESSAGES", "en_US.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
