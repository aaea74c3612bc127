"""pia.yaml: validation with line numbers, asset matching, redaction for bundles."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest

from pia.declaration import (
    load_declaration,
    load_declaration_data,
    load_declaration_text,
    period_days,
    source_matches,
)
from pia.errors import ConfigError

EXAMPLE = textwrap.dedent("""\
    version: 1
    organisation:
      name: 示例科技有限公司
      ciio: false
      last_pi_audit: 2024-11-30
      mainland_regions: [cn-north-1, cn-northwest-1, "oss-cn-*", ap-beijing]
    assets:
      - id: crm-db
        source: postgresql://crm_ro:hunter2@crm.internal/crm
        pi_categories: [CN_NAME, CN_MOBILE, CN_RESIDENT_ID]
        sensitive: true
        minors: false
        retention: {period: P3Y, timestamp_column: closed_at}
        protection: {encrypted_columns: [customers.id_no]}
        activities: [membership]
      - id: app-logs
        source: /var/log/app/**
      - id: log-buckets
        source: s3://logs-*
    activities:
      - id: membership
        purpose: 会员服务
        legal_basis: contract
        consent: {separate: true}
        pia: {id: PIA-2025-07, date: 2025-03-02}
    cross_border:
      - asset: crm-db
        destination: SG
        mechanism: standard_contract
    log_policy: {min_retention_days: 180, max_pi_retention_days: 365}
    accept:
      - rule: CSL-21-LOG-RETENTION
        location: {path: /var/log/app}
        reason: new system
        owner: ops
        expires: 2026-12-31
    """)


def test_the_catalogue_example_loads() -> None:
    decl = load_declaration_text(EXAMPLE, "pia.yaml")
    assert decl.organisation["last_pi_audit"] == "2024-11-30"  # dates become ISO strings
    assert [a["id"] for a in decl.assets] == ["crm-db", "app-logs", "log-buckets"]
    assert decl.sha256 == hashlib.sha256(EXAMPLE.encode()).hexdigest()
    assert decl.reference() == {
        "path": "pia.yaml", "sha256": decl.sha256, "organisation": "示例科技有限公司",
        "asset_lines": {"crm-db": 8, "app-logs": 16, "log-buckets": 18},
        "redacted_sha256": hashlib.sha256(decl.redacted_text().encode()).hexdigest()}


def test_load_from_file_hashes_the_exact_bytes(tmp_path) -> None:
    path = tmp_path / "pia.yaml"
    path.write_bytes(EXAMPLE.encode())
    decl = load_declaration(path)
    assert decl.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert decl.path == str(path)
    with pytest.raises(ConfigError, match="cannot read declaration"):
        load_declaration(tmp_path / "missing.yaml")


def test_redacted_view_drops_credentials_only() -> None:
    decl = load_declaration_text(EXAMPLE)
    redacted = decl.redacted()
    assert redacted["assets"][0]["source"] == "postgresql://crm_ro:***@crm.internal/crm"
    assert "hunter2" not in str(redacted)
    assert "hunter2" in decl.data["assets"][0]["source"]  # the original is untouched
    assert redacted["organisation"] == decl.data["organisation"]


def test_redacted_view_hides_a_password_holding_at_slash_and_hash() -> None:
    text = EXAMPLE.replace("postgresql://crm_ro:hunter2@crm.internal/crm",
                           "'postgresql://crm_ro:hun@ter:2/x#yz@crm.internal:5432/crm'")
    redacted = load_declaration_text(text).redacted()
    assert redacted["assets"][0]["source"] == "postgresql://crm_ro:***@crm.internal:5432/crm"
    assert "ter:2" not in str(redacted) and "x#yz" not in str(redacted)


@pytest.mark.parametrize(
    ("old", "new", "line", "reason"),
    [
        ("  ciio: false\n", "  ciio: maybe\n", 4,
         "organisation/ciio: must be a boolean (got a string)"),
        ("  - id: app-logs\n", "  - id: app-logs\n    sensitve: true\n", 17,
         "unknown key 'sensitve'"),
        ("legal_basis: contract", "legal_basis: contracts", 23, "legal_basis: must be one of"),
        ("mechanism: standard_contract", "mechanism: bcr", 29, "mechanism: must be one of"),
        ("period: P3Y", "period: 3 years", 13, "period: invalid ISO 8601 duration"),
        # "P" and "PT" matched the old pattern's all-optional parts and turned both
        # retention rules off
        ("period: P3Y", "period: P", 13, "period: invalid ISO 8601 duration"),
        ("period: P3Y", "period: PT", 13, "period: invalid ISO 8601 duration"),
        ("period: P3Y", "period: PT24H", 13, "period: invalid ISO 8601 duration"),
        ("expires: 2026-12-31", "expires: soon", 36, "expires: does not have the expected form"),
        ("expires: 2026-12-31", 'expires: "2026-02-30"', 36, "must be a calendar date"),
        # a date YAML cannot read names its whole path, as the schema's errors do
        ("expires: 2026-12-31", "expires: 2026-02-30", 36,
         ": accept/0/expires: not a calendar date (YYYY-MM-DD)"),
        ("last_pi_audit: 2024-11-30", "last_pi_audit: 2022-13-45", 5,
         ": organisation/last_pi_audit: not a calendar date (YYYY-MM-DD)"),
        ("  - asset: crm-db\n", "  - asset: crm\n", 27, "unknown asset 'crm'"),
        ("activities: [membership]", "activities: [members]", 15, "unknown activity 'members'"),
        ("  - id: log-buckets\n", "  - id: app-logs\n", 18, "duplicate asset id 'app-logs'"),
        ("version: 1\n", "version: 2\n", 1, "version: must be 1"),
        ("  ciio: false\n", "  ciio: false\n  records_asset: archive\n", 5,
         "unknown asset 'archive'"),
        ("    reason: new system\n", "", 32, "'reason' is a required property"),
    ],
)
def test_errors_name_the_line(old: str, new: str, line: int, reason: str) -> None:
    assert old in EXAMPLE
    with pytest.raises(ConfigError) as err:
        load_declaration_text(EXAMPLE.replace(old, new, 1), "pia.yaml")
    assert str(err.value).startswith(f"pia.yaml:{line}: "), str(err.value)
    assert reason in str(err.value)


@pytest.mark.parametrize(("old", "new", "reason"), [
    ("  ciio: false\n", '  ciio: "13812345678"\n',
     "pia.yaml:4: organisation/ciio: must be a boolean (got a string)"),
    ("pi_categories: [CN_NAME,", "pi_categories: [13912345678,",
     "pia.yaml:10: assets/0/pi_categories/0: must be a string (got an integer)"),
    ("legal_basis: contract", "legal_basis: '13912345678'",
     "pia.yaml:23: activities/0/legal_basis: must be one of"),
    ("period: P3Y", "period: '11010519491231002X'", "pia.yaml:13: assets/0/retention/period: "
     "invalid ISO 8601 duration"),
    ("expires: 2026-12-31", 'expires: "1949-12-32"', "pia.yaml:36: accept/0/expires: must be"),
])
def test_errors_do_not_echo_the_value(old: str, new: str, reason: str) -> None:
    with pytest.raises(ConfigError) as err:
        load_declaration_text(EXAMPLE.replace(old, new, 1), "pia.yaml")
    message = str(err.value)
    assert message.startswith(reason), message
    for value in ("13812345678", "13912345678", "11010519491231002X", "1949-12-32"):
        assert value not in message


def test_redacted_data_reloads_and_matches_the_same_assets() -> None:
    decl = load_declaration_text(EXAMPLE)
    again = load_declaration_data(decl.redacted(), "bundle:declaration.json", decl.sha256)
    assert again.sha256 == decl.sha256
    source, location = "postgresql://crm.internal/crm", {"table": "t", "column": "c"}
    assert again.asset_for(source, location)["id"] == decl.asset_for(source, location)["id"]
    with pytest.raises(ConfigError, match="^bundle:declaration.json: .*must be a boolean"):
        load_declaration_data({**decl.redacted(), "organisation": {"ciio": "yes"}},
                              "bundle:declaration.json")


def test_errors_never_echo_a_credential() -> None:
    text = EXAMPLE.replace("source: postgresql://crm_ro:hunter2@crm.internal/crm",
                           "source: [postgresql://crm_ro:hunter2@crm.internal/crm]")
    with pytest.raises(ConfigError) as err:
        load_declaration_text(text, "pia.yaml")
    assert "pia.yaml:9:" in str(err.value)
    assert "hunter2" not in str(err.value)


@pytest.mark.parametrize(
    ("pattern", "source", "location", "expected"),
    [
        # databases: scheme family, host, port and database; credentials and case ignored
        ("postgresql://crm.internal/crm", "postgres://u:pw@CRM.internal:5432/crm", None, True),
        ("postgresql://crm.internal/crm", "postgresql://crm.internal:5433/crm", None, False),
        ("postgresql://crm.internal/crm", "postgresql://crm.internal/billing", None, False),
        ("postgresql://crm.internal/crm", "mysql://crm.internal/crm", None, False),
        ("postgresql://crm.internal", "postgresql://crm.internal/anything", None, True),
        ("mysql://db.internal/shop_*", "mariadb://db.internal:3306/shop_cn", None, True),
        ("postgresql://crm.internal/crm", "postgresql://crm.internal",
         {"database": "crm", "table": "t", "column": "c"}, True),
        ("postgresql://*.internal/crm", "postgresql://crm.internal/crm", None, True),
        ("sqlite:///srv/app/data.db", "sqlite:///srv/app/data.db", None, True),
        ("sqlite:///srv/app/data.db", "sqlite:///srv/app/other.db", None, False),
        ("sqlite:///srv/app/*.db", "sqlite:///srv/app/other.db", None, True),
        # files: ** crosses directories, * does not; a plain directory covers what is under it
        ("/var/log/app/**", "/var/log/app", {"path": "/var/log/app/a/b.log"}, True),
        ("/var/log/app/**", "/var/log/app", None, True),
        ("/var/log/app/*.log", "/var/log/app", {"path": "/var/log/app/a/b.log"}, False),
        ("/var/log/app/*.log", "/var/log/app", {"path": "/var/log/app/b.log"}, True),
        ("/var/log/app", "file:///var/log/app", {"path": "x.log"}, True),
        ("/var/log/app", "/var/log/application", None, False),
        ("/var/log/app/**", "/var/log/other", {"path": "/var/log/other/x.log"}, False),
        # buckets: globs on the bucket name, optional key prefix
        ("s3://logs-*", "s3://logs-2024", {"bucket": "logs-2024", "key": "a.log"}, True),
        ("s3://logs-*", "s3://crm", {"bucket": "crm", "key": "logs-1"}, False),
        ("s3://crm/exports/", "s3://crm", {"bucket": "crm", "key": "exports/u.csv"}, True),
        ("s3://crm/exports/", "s3://crm", {"bucket": "crm", "key": "media/u.jpg"}, False),
        ("s3://crm", "s3://crm?endpoint=https://minio:9000", {"bucket": "crm"}, True),
    ],
)
def test_asset_matching(pattern, source, location, expected) -> None:
    assert source_matches(pattern, source, location) is expected


def test_most_specific_asset_wins() -> None:
    text = EXAMPLE.replace("  - id: log-buckets\n",
                           "  - id: app-audit\n    source: /var/log/app/audit/**\n"
                           "  - id: log-buckets\n")
    decl = load_declaration_text(text)
    audit = decl.asset_for("/var/log/app", {"path": "/var/log/app/audit/x.log"})
    assert audit["id"] == "app-audit"
    assert decl.asset_for("/var/log/app", {"path": "/var/log/app/x.log"})["id"] == "app-logs"
    assert decl.asset_for("/srv/x", {"path": "/srv/x/y.log"}) is None


@pytest.mark.parametrize(("period", "days"), [("P3Y", 1095), ("P18M", 540), ("P2W", 14),
                                              ("P90D", 90), ("P1Y6M", 545), ("P", None),
                                              ("3Y", None)])
def test_period_days(period, days) -> None:
    assert period_days(period) == days


# --- local paths: compared resolved, declared ones from the declaration's directory ----------

@pytest.mark.parametrize(("pattern", "source", "location"), [
    ("shop.db", "shop.db", None),
    ("shop.db", "./shop.db", None),
    ("shop.db", "{root}/estate/shop.db", None),
    ("shop.db", "sqlite://{root}/estate/shop.db", None),
    ("shop.db", "sqlite:///{root}/estate/shop.db", None),
    ("./shop.db", "estate/shop.db", None),  # scanned from the parent directory
    ("logs/**", "./logs", None),
    ("logs/**", "estate/logs", {"path": "estate/logs/app/a.log"}),
    ("logs/**", "file://{root}/estate/logs", None),
    ("logs/**", "file://localhost{root}/estate/logs", None),
    ("logs/*.log", ".", {"path": "./logs/a.log"}),
    ("{root}/estate/logs", "logs/../logs", None),
])
def test_relative_paths_resolve_before_matching(tmp_path, monkeypatch, pattern, source,
                                                location) -> None:
    root = str(tmp_path)
    estate = tmp_path / "estate"
    estate.mkdir()
    pattern, source = pattern.format(root=root), source.format(root=root)
    cwd = tmp_path if source.startswith("estate/") else estate
    monkeypatch.chdir(cwd)
    assert source_matches(pattern, source, location, str(estate))
    # the same pattern, declared one directory up, no longer names the same place
    if not pattern.startswith("/"):
        assert not source_matches(pattern, source, location, str(tmp_path / "elsewhere"))


@pytest.mark.parametrize(("pattern", "source"), [
    ("shop.db", "other/shop.db"),
    ("logs/**", "file://evilhost/estate/logs"),
    ("postgresql://h/crm", "./crm"),
    ("shop.db", "postgresql://h/shop.db"),
])
def test_different_places_do_not_match(tmp_path, monkeypatch, pattern, source) -> None:
    monkeypatch.chdir(tmp_path)
    assert not source_matches(pattern, source, None, str(tmp_path))


def test_server_uris_compare_after_redaction() -> None:
    pattern = "postgresql://crm.internal:5432/crm"
    assert source_matches(pattern, "postgresql://u:p@ss/w#rd@crm.internal/crm")
    assert not source_matches(pattern, "postgresql://u:p@ss/w#rd@other.internal/crm")


def test_unmatched_assets_are_listed(tmp_path, monkeypatch) -> None:
    path = tmp_path / "pia.yaml"
    path.write_text(EXAMPLE.replace("source: /var/log/app/**", "source: logs/**"),
                    encoding="utf-8")
    decl = load_declaration(path)
    monkeypatch.chdir(tmp_path.parent)
    report = {"scan": {"sources": [f"{tmp_path.name}/logs"]},
              "inventory": [], "facts": [], "skipped": []}
    decl.bind(report)
    reference = decl.reference(report)
    assert reference["unmatched_assets"] == ["crm-db", "log-buckets"]
    assert reference["base_dir"] == str(tmp_path) and reference["cwd"] == str(tmp_path.parent)
    # a bundle's copy, re-evaluated anywhere, resolves from the recorded directories
    again = load_declaration_data(decl.redacted(), "bundle:declaration.json", decl.sha256)
    monkeypatch.chdir("/")
    again.bind({"scan": {"declaration": reference}})
    assert again.asset_for(f"{tmp_path.name}/logs")["id"] == "app-logs"


def _pia(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pia", *args], cwd=cwd, text=True,
                          capture_output=True, timeout=300,
                          env=dict(os.environ, PIA_FINGERPRINT_KEY="k" * 32))


@pytest.fixture
def demo_copy(demo: tuple[Path, subprocess.CompletedProcess[str]], tmp_path: Path) -> Path:
    """A copy of `pia demo`'s folder (made once per test process) at tmp_path/pia-demo, for
    tests that scan in it and write their reports there."""
    folder, run = demo
    assert run.returncode in (0, 1), run.stderr
    shutil.copytree(folder, tmp_path / "pia-demo")
    return tmp_path / "pia-demo"


def _scan_demo(demo: Path, cwd: Path, args: list[str], serial: bool) -> list[tuple]:
    out = demo.parent / f"r-{uuid.uuid4().hex[:8]}.json"
    # one scan on worker processes, as a user runs it; the others in one process
    # (starting workers costs seconds, and the paths are resolved before they start)
    run = _pia("scan", *args, "-q", "-o", str(out), *(["--executor", "serial"] * serial),
               cwd=cwd)
    assert run.returncode == 1, run.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["scan"]["declaration"]["unmatched_assets"] == [], args
    assert report["scan"]["declaration"]["organisation"] == "示例科技有限公司"
    return sorted((f["rule_id"], f["severity"], f.get("status")) for f in report["findings"])


@pytest.fixture(scope="session")
def demo_findings_as_typed_plainly(demo, tmp_path_factory) -> list[tuple]:
    """The demo estate's findings scanned as `pia scan shop.db logs --config pia.yaml`."""
    folder = tmp_path_factory.mktemp("typed") / "pia-demo"
    shutil.copytree(demo[0], folder)
    return _scan_demo(folder, folder, ["shop.db", "logs", "--config", "pia.yaml"], False)


# where a scan of the demo estate runs (relative to tmp_path/pia-demo) and how it names it
PATHS_TYPED = {
    "dot-slash": (".", ["./shop.db", "./logs", "--config", "pia.yaml"]),
    "uris": (".", ["sqlite://{demo}/shop.db", "file://{demo}/logs", "--config", "pia.yaml"]),
    "from-the-parent": ("..", ["pia-demo/shop.db", "pia-demo/logs",
                               "--config", "pia-demo/pia.yaml"]),
    "from-a-subdirectory": ("logs", ["../shop.db", ".", "--config", "../pia.yaml"]),
}


def test_demo_estate_findings_typed_plainly(demo_findings_as_typed_plainly) -> None:
    assert demo_findings_as_typed_plainly  # the estate is built to have findings


@pytest.mark.parametrize("typed", PATHS_TYPED)
def test_demo_estate_findings_do_not_depend_on_how_paths_are_typed(
        demo_copy: Path, demo_findings_as_typed_plainly: list[tuple], typed: str) -> None:
    where, args = PATHS_TYPED[typed]
    args = [arg.format(demo=demo_copy) for arg in args]
    findings = _scan_demo(demo_copy, (demo_copy / where).resolve(), args, True)
    assert findings == demo_findings_as_typed_plainly


def test_a_declared_asset_nothing_scanned_fell_under_is_named(demo_copy: Path) -> None:
    run = _pia("scan", "./shop.db", "--config", "pia.yaml", "-q", "-o", "db.json",
               "--lang", "en", cwd=demo_copy)
    report = json.loads((demo_copy / "db.json").read_text(encoding="utf-8"))
    assert report["scan"]["declaration"]["unmatched_assets"] == ["app-logs"]
    assert ("pia: warning: declared asset(s) matched no scanned source: app-logs"
            in run.stderr.splitlines())


def test_a_bundle_scanned_from_the_parent_directory_verifies_anywhere(demo_copy: Path) -> None:
    parent = demo_copy.parent
    run = _pia("scan", "pia-demo/shop.db", "pia-demo/logs", "--config", "pia-demo/pia.yaml",
               "-q", "--bundle", "b.zip", "--key", "pia-demo/demo-signing.key", cwd=parent)
    assert run.returncode == 1, run.stderr
    (parent / "elsewhere").mkdir()
    verify = _pia("bundle", "verify", "../b.zip", "--pubkey", "../pia-demo/demo-signing.key.pub",
                  cwd=parent / "elsewhere")
    assert verify.returncode == 0, verify.stdout + verify.stderr


def test_an_accept_entry_source_resolves_like_an_asset_source(tmp_path, monkeypatch) -> None:
    """``accept: [{source: shop.db}]`` in estate/pia.yaml names estate/shop.db, whatever
    directory the scan ran in."""
    from datetime import date

    from pia.rules.acceptance import apply_acceptance

    estate = tmp_path / "estate"
    estate.mkdir()
    monkeypatch.chdir("/")
    entry = {"rule": "PIPL-51-*", "source": "shop.db", "reason": "r", "owner": "o",
             "expires": "2099-01-01"}

    def finding() -> dict:
        return {"rule_id": "PIPL-51-ACCESS", "source": "estate/shop.db", "locations": [{}],
                "status": "open"}

    scanned_from_parent = finding()
    apply_acceptance([scanned_from_parent], [entry], date(2026, 11, 29), str(estate),
                     str(tmp_path))
    assert scanned_from_parent["status"] == "accepted"
    elsewhere = finding()  # the same words, declared beside another shop.db
    apply_acceptance([elsewhere], [entry], date(2026, 11, 29), str(tmp_path / "other"),
                     str(tmp_path))
    assert elsewhere["status"] == "open"


def test_credentials_in_free_text_never_reach_the_redacted_copy() -> None:
    """A reason or a purpose that quotes a connection string (a bundle carries the redacted
    declaration, and a report the acceptance reason)."""
    decl = load_declaration_text(textwrap.dedent("""\
        version: 1
        organisation: {name: QA, ciio: false}
        activities:
          - id: a1
            purpose: "sync to postgresql://etl:S3cretPW@10.0.0.5/crm nightly (password=Hunter2)"
            legal_basis: contract
        accept:
          - rule: PIPL-51-CLASSIFICATION
            reason: "copy lives in mysql://root:MySQLpw9@db.internal/test until 2027"
            owner: dpo@example.cn
            expires: 2027-03-31
        """), "pia.yaml")
    shown = str(decl.redacted())
    for secret in ("S3cretPW", "Hunter2", "MySQLpw9"):
        assert secret not in shown
    assert "postgresql://etl:***@10.0.0.5/crm" in shown and "dpo@example.cn" in shown


def test_an_acceptance_reason_is_shown_without_its_credentials() -> None:
    from datetime import date

    from pia.rules.acceptance import apply_acceptance

    finding = {"rule_id": "R-1", "source": "app.db", "locations": [{"table": "t"}]}
    apply_acceptance([finding], [{"rule": "R-1", "owner": "ops:pw@host",
                                  "reason": "see postgresql://u:S3cretPW@h/db",
                                  "expires": "2099-01-01"}], date(2026, 1, 1))
    assert finding["status"] == "accepted"
    assert finding["acceptance"] == {"reason": "see postgresql://u:***@h/db",
                                     "owner": "ops:***@host", "expires": "2099-01-01"}


# --- names and columns a declaration refers to must exist ------------------------------------

def test_unknown_categories_and_accept_rules_are_refused_with_their_line() -> None:
    from pia.rules import known_rule_ids, load_rulesets

    rule_ids = known_rule_ids(load_rulesets(["cn-csl"]))  # every bundled rule, not the selection
    load_declaration_text(EXAMPLE, "pia.yaml").check_names(rule_ids)
    typo = load_declaration_text(EXAMPLE.replace("[CN_NAME,", "[CN_NAEM,"), "pia.yaml")
    with pytest.raises(ConfigError, match=r"^pia\.yaml:10: unknown entity type 'CN_NAEM' in "
                                          r"pi_categories \(known: BIOMETRIC, CN_ADDRESS, "):
        typo.check_names(rule_ids)
    rule = load_declaration_text(EXAMPLE.replace("rule: CSL-21-LOG-RETENTION",
                                                 "rule: CSL-21-LOG-RETENTON"), "pia.yaml")
    with pytest.raises(ConfigError, match=r"^pia\.yaml:32: accept rule 'CSL-21-LOG-RETENTON' "
                                          "matches no rule id"):
        rule.check_names(rule_ids)
    pattern = EXAMPLE.replace("rule: CSL-21-LOG-RETENTION", "rule: PIPL-*")
    load_declaration_text(pattern, "pia.yaml").check_names(rule_ids)


def test_a_custom_recognizers_entity_type_is_a_known_category(tmp_path) -> None:
    recognizers = tmp_path / "r.yaml"
    recognizers.write_text(textwrap.dedent("""\
        recognizers:
          - name: employee id
            supported_entity: EMPLOYEE_ID
            patterns: [{name: e, regex: "E\\\\d{6}", score: 0.6}]
        """), encoding="utf-8")
    decl = load_declaration_text(EXAMPLE.replace("[CN_NAME,", "[EMPLOYEE_ID,"), "pia.yaml")
    with pytest.raises(ConfigError, match="unknown entity type 'EMPLOYEE_ID'"):
        decl.check_names(set())
    decl.check_names({"CSL-21-LOG-RETENTION"}, [str(recognizers)])


def test_a_scan_refuses_a_declaration_naming_what_does_not_exist(tmp_path) -> None:
    from pia.scan import ScanRequest, run_scan

    path = tmp_path / "pia.yaml"
    path.write_text(EXAMPLE.replace("[CN_NAME,", "[CN_NAEM,"), encoding="utf-8")
    with pytest.raises(ConfigError, match=rf"^{path}:10: unknown entity type 'CN_NAEM'"):
        run_scan(ScanRequest(sources=[str(tmp_path)], declaration=str(path)))


def test_declared_columns_no_scanned_column_matches_are_listed() -> None:
    decl = load_declaration_text(EXAMPLE, "pia.yaml")
    source = "postgresql://crm.internal/crm"

    def report(*columns: str) -> dict:
        facts = [{"kind": "column", "source": source, "attributes": {},
                  "location": {"table": t, "column": c}}
                 for t, c in (name.split(".") for name in columns)]
        return {"scan": {"sources": [source, "/var/log/app", "s3://logs-a"]},
                "inventory": [], "facts": facts, "skipped": []}

    assert decl.reference(report("customers.closed_att", "customers.id_noo"))[
        "unmatched_columns"] == ["crm-db: retention.timestamp_column closed_at",
                                 "crm-db: protection.encrypted_columns customers.id_no"]
    assert decl.unmatched_columns(report("customers.closed_at", "customers.id_no")) == []


def test_declared_protection_follows_a_relative_source_from_any_directory(tmp_path) -> None:
    """``source: vault.db`` is relative to pia.yaml: scanned as ``estate/vault.db`` from the
    parent directory, its declared encrypted column is still the declared one (ciphertext of
    a digest's shape read as an unsalted hash when the asset was missed)."""
    import base64
    import sqlite3
    import subprocess
    import sys

    estate = tmp_path / "estate"
    estate.mkdir()
    with sqlite3.connect(estate / "vault.db") as conn:
        conn.execute("CREATE TABLE members (id integer, sfzh text)")
        conn.executemany("INSERT INTO members VALUES (?, ?)",
                         [(i, base64.b64encode(os.urandom(32)).decode()) for i in range(60)])
    conn.close()
    (estate / "pia.yaml").write_text(
        "version: 1\norganisation: {name: 示例, ciio: false}\nassets:\n"
        "  - id: vault\n    source: vault.db\n    pi_categories: [CN_RESIDENT_ID]\n"
        "    protection: {encrypted_columns: [members.sfzh]}\n", encoding="utf-8")
    env = dict(os.environ, PIA_FINGERPRINT_KEY="k" * 32)
    protections = []
    for cwd, args in ((estate, ["vault.db", "--config", "pia.yaml"]),
                      (tmp_path, ["estate/vault.db", "--config", "estate/pia.yaml"])):
        out = tmp_path / f"r{len(protections)}.json"
        run = subprocess.run([sys.executable, "-m", "pia", "scan", *args, "-q", "-o", str(out)],
                             cwd=cwd, env=env, text=True, capture_output=True, timeout=300)
        assert run.returncode in (0, 1), run.stderr
        report = json.loads(out.read_text(encoding="utf-8"))
        protections.append({(i["location"]["column"], i["protection"])
                            for i in report["inventory"]})
    assert protections == [{("sfzh", "encrypted")}] * 2


def test_a_declaration_that_is_not_utf8_names_the_line_and_byte(tmp_path) -> None:
    """'is not UTF-8' alone left the author to hunt for the byte in the whole file."""
    path = tmp_path / "pia.yaml"
    path.write_bytes(EXAMPLE.replace("会员服务", "会员").encode("utf-8").replace(
        "会员".encode(), "会员".encode("gbk")))
    offset = EXAMPLE.replace("会员服务", "会员").encode("utf-8").index("会员".encode())
    with pytest.raises(ConfigError) as err:
        load_declaration(path)
    assert str(err.value) == f"{path}:22: declaration is not UTF-8 (byte offset {offset})"


def test_nesting_too_deep_names_the_line_where_it_goes_too_deep() -> None:
    """50,000 '[' ended in PyYAML's RecursionError, reported with no line at all."""
    text = "version: 1\nx-note: ok\nx-deep: " + "[" * 50_000 + "]" * 50_000 + "\n"
    with pytest.raises(ConfigError) as err:
        load_declaration_text(text, "pia.yaml")
    assert str(err.value) == "pia.yaml:3: nesting deeper than 40 levels"
    nested = "version: 1\nx-deep:\n" + "".join(
        " " * (2 * i) + f"- k{i}:\n" for i in range(45)) + " " * 90 + "- 1\n"
    with pytest.raises(ConfigError) as err:
        load_declaration_text(nested, "pia.yaml")
    assert str(err.value).startswith("pia.yaml:"), str(err.value)
    assert str(err.value).endswith(": nesting deeper than 40 levels")
    assert int(str(err.value).split(":")[1]) > 10  # where it goes too deep, not the top


def test_a_tab_in_the_indentation_says_tabs_are_not_allowed() -> None:
    with pytest.raises(ConfigError) as err:
        load_declaration_text("version: 1\norganisation:\n\tname: x\n", "pia.yaml")
    assert str(err.value).startswith("pia.yaml:3: ")
    assert "tabs are not allowed for indentation in YAML" in str(err.value)


# --- accept: entries that can accept nothing ---------------------------------------------------

@pytest.mark.parametrize(("location", "key"), [
    ("{tabel: customers, column: id_no}", "tabel"),
    ("{table: customers, colum: id_no}", "colum"),
    ("{lines: 3}", "lines"),  # a finding's identity leaves line numbers out
    ("{file: a.sql}", "file"),  # check-migrations' findings, which pia.yaml does not accept
])
def test_an_accept_location_key_no_finding_has_is_refused_with_its_line(location: str,
                                                                          key: str) -> None:
    text = EXAMPLE.replace("location: {path: /var/log/app}", f"location: {location}")
    with pytest.raises(ConfigError) as err:
        load_declaration_text(text, "pia.yaml")
    assert str(err.value) == (
        f"pia.yaml:33: accept/0/location/{key}: unknown location key {key!r}: a finding's "
        "location has database, schema, table, column, path, member, bucket, key, "
        "version_id, field, name_fingerprint")


def test_accept_location_keys_are_those_of_a_report_location() -> None:
    from pia.declaration import ACCEPT_LOCATION_KEYS
    from pia.rules.yamlsafe import schema

    keys = set(schema("report.schema.json")["$defs"]["location"]["properties"])
    # path_fingerprints, like the line numbers, is no part of a finding's identity: an entry
    # names a masked place by its name_fingerprint
    assert set(ACCEPT_LOCATION_KEYS) == keys - {"file", "line", "col", "lines", "first_line",
                                                "path_fingerprints"}


def test_an_accept_entry_can_name_one_version_of_an_object() -> None:
    """``pia scan --versions`` locates a noncurrent version by its key and version id: an
    entry naming the version accepts that copy and not the current object's findings."""
    from pia.rules.acceptance import matches

    text = EXAMPLE.replace("location: {path: /var/log/app}",
                           "location: {bucket: exports, key: c.csv, version_id: v1}")
    entry = load_declaration_text(text, "pia.yaml").data["accept"][0]
    finding = {"rule_id": entry["rule"], "source": "s3://exports", "locations": [
        {"bucket": "exports", "key": "c.csv", "version_id": "v1"}]}
    current = {**finding, "locations": [{"bucket": "exports", "key": "c.csv"}]}
    assert matches(entry, finding) and not matches(entry, current)


def test_accept_entries_that_matched_no_finding_are_listed_with_their_line(tmp_path,
                                                                            capsys) -> None:
    """A source that was not scanned or a location no finding has accepted nothing, and
    nothing said so: the compliance engineer believed the risk recorded as accepted."""
    import sqlite3

    from pia.scan import ScanRequest, run_scan

    with sqlite3.connect(tmp_path / "shop.db") as conn:
        conn.execute("CREATE TABLE members (id integer, sjh text)")
        conn.executemany("INSERT INTO members VALUES (?, ?)",
                         [(i, f"139{i:08d}") for i in range(60)])
    conn.close()
    path = tmp_path / "pia.yaml"
    path.write_text(textwrap.dedent("""\
        version: 1
        organisation: {name: 示例, ciio: false}
        assets:
          - {id: shop, source: shop.db, pi_categories: [CN_MOBILE]}
        accept:
          - {rule: "*", location: {table: members}, reason: r, owner: o, expires: 2099-01-01}
          - {rule: "*", source: nosuch.db, location: {table: members}, reason: r, owner: o,
             expires: 2099-01-01}
          - {rule: "*", location: {table: orders}, reason: r, owner: o, expires: 2099-01-01}
          - rule: "*"
            location: {column: sjh}
            reason: expired, yet it matched
            owner: o
            expires: 2020-01-01
        """), encoding="utf-8")
    report = run_scan(ScanRequest(sources=[str(tmp_path / "shop.db")],
                                  declaration=str(path))).report
    assert any(f["status"] == "accepted" for f in report["findings"])
    assert report["scan"]["declaration"]["unmatched_accepts"] == [
        f"{path}:7: rule *", f"{path}:9: rule *"]
    # pia scan says so on stderr, one line per entry
    from pia.cli import main
    from pia.rules import report_today

    with pytest.raises(SystemExit) as exit_info:
        main(["scan", str(tmp_path / "shop.db"), "--config", str(path), "-q",
              "-o", str(tmp_path / "r.json"), "--lang", "en"])
    _out, err = capsys.readouterr()
    assert exit_info.value.code == 0
    # beside the summary line, which -q -o keeps on stderr
    warnings = [line for line in err.splitlines() if "warning" in line]
    assert warnings == [f"pia: warning: {path}:{line}: rule *: this accept entry "
                        "matched no finding" for line in (7, 9)] + [
        f"pia: warning: {path}:6: rule *: this accept entry expires 2099-01-01, more than a "
        "year after the scan (" + report_today(report).isoformat() + "); an accepted risk should"
        " be reviewed again within a year"]  # the one that accepts findings
    assert len(err.splitlines()) == 4


def test_an_accept_entry_can_name_the_field_of_a_file(tmp_path) -> None:
    """A password column of a CSV export is a finding at {path, field}: an acceptance can
    name that field, and one naming another field of the file accepts nothing."""
    from datetime import date

    from pia.rules import evaluate, load_rulesets

    item = {"source": "exports", "location": {"path": "exports/users.csv", "field": "password",
                                              "first_line": 2, "lines": [2]},
            "entity_type": "CREDENTIAL", "count": 2, "sampled": 2, "score": 1.0,
            "sensitive": True, "protected": False, "protection": "plaintext", "evidence": {}}
    fact = {"kind": "file", "source": "exports", "location": {"path": "exports/users.csv"},
            "attributes": {"path": "exports/users.csv", "is_log": False}}
    accept = ("version: 1\naccept:\n  - rule: PIPL-28-SENSITIVE-PLAINTEXT\n"
              "    location: {{path: exports/users.csv, field: {field}}}\n"
              "    reason: test data\n    owner: dpo@example.com\n    expires: 2027-01-01\n")

    def status(field: str) -> str:
        declaration = load_declaration_text(accept.format(field=field), "pia.yaml")
        found = evaluate(load_rulesets(), [item], [fact], declaration,
                         today=date(2026, 12, 1)).findings
        (finding,) = [f for f in found if f["rule_id"] == "PIPL-28-SENSITIVE-PLAINTEXT"]
        return finding["status"]

    assert status("password") == "accepted"
    assert status("email") == "open"


def test_many_unmatched_assets_are_warned_about_in_one_short_line(tmp_path) -> None:
    """13,000 declared assets none of which matched printed every id on one 100 KB line; the
    warning names the first ten, and the JSON report keeps them all."""
    import subprocess
    import sys

    assets = "".join(f"  - {{id: a{i}, source: /nowhere/a{i}/**}}\n" for i in range(25))
    accept = "".join(f"  - {{rule: CSL-40-PUBLIC-EXPOSURE, location: {{bucket: b{i}}}, "
                     "reason: r, owner: o, expires: 2099-01-01}\n" for i in range(12))
    (tmp_path / "pia.yaml").write_text(f"version: 1\nassets:\n{assets}accept:\n{accept}",
                                       encoding="utf-8")
    (tmp_path / "ok.log").write_text("nothing personal here\n", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "pia", "scan", "ok.log", "--config", "pia.yaml", "-q",
         "-o", "r.json", "--lang", "en"], cwd=tmp_path, text=True, capture_output=True, timeout=300,
        env=dict(os.environ, PIA_FINGERPRINT_KEY="k" * 32))
    assert run.returncode in (0, 1), run.stderr
    (warning,) = [line for line in run.stderr.splitlines() if "matched no scanned" in line]
    assert warning == ("pia: warning: declared asset(s) matched no scanned source: "
                       + ", ".join(f"a{i}" for i in range(10)) + " and 15 more (see "
                       "scan.declaration.unmatched_assets in the JSON report)")
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert report["scan"]["declaration"]["unmatched_assets"] == [f"a{i}" for i in range(25)]
    # accept entries are warned about one a line, with their line: ten, then how many more
    accepts = [line for line in run.stderr.splitlines() if "accept entr" in line]
    assert accepts[0] == ("pia: warning: pia.yaml:29: rule CSL-40-PUBLIC-EXPOSURE: this accept "
                          "entry matched no finding")
    assert len(accepts) == 11 and accepts[-1] == (
        "pia: warning: and 2 more accept entries matched no finding (see "
        "scan.declaration.unmatched_accepts in the JSON report)")


def test_each_assets_line_is_recorded_when_read_from_a_file() -> None:
    """SARIF points a declared asset's finding at its line; a copy read from data (a
    bundle's redacted pia.yaml, whose lines are not the file's) records none."""
    decl = load_declaration_text(EXAMPLE, "pia.yaml")
    assert decl.reference()["asset_lines"] == {"crm-db": 8, "app-logs": 16, "log-buckets": 18}
    again = load_declaration_data(decl.redacted(), "bundle:declaration.json", decl.sha256)
    assert "asset_lines" not in again.reference()


def test_deletion_grace_from_the_asset_else_the_organisation_else_thirty_days() -> None:
    """PIPL-47-DELETE's grace period: an asset's own, else the organisation's, else the
    default a month, each saying where it came from."""
    decl = load_declaration_text(textwrap.dedent("""\
        version: 1
        organisation: {deletion_grace: P6M}
        assets:
          - {id: shop, source: shop.db, retention: {period: P3Y, deletion_grace: P15D}}
          - {id: crm, source: crm.db, retention: {period: P3Y}}
        """))
    shop, crm = decl.assets
    assert decl.deletion_grace(shop) == (15, "asset")
    assert decl.deletion_grace(crm) == (180, "organisation")
    assert decl.deletion_grace(None) == (180, "organisation")
    bare = load_declaration_text("version: 1\nassets: [{id: a, source: a.db}]\n")
    assert bare.deletion_grace(bare.assets[0]) == (30, "default")


@pytest.mark.parametrize(("text", "line", "path"), [
    ("version: 1\norganisation: {deletion_grace: 30 days}\n", 2,
     "organisation/deletion_grace"),
    ("version: 1\nassets:\n  - id: a\n    source: a.db\n    retention: {deletion_grace: PT1H}\n",
     5, "assets/0/retention/deletion_grace"),
])
def test_an_invalid_deletion_grace_names_its_line(text: str, line: int, path: str) -> None:
    with pytest.raises(ConfigError) as err:
        load_declaration_text(text, "pia.yaml")
    assert str(err.value).startswith(f"pia.yaml:{line}: {path}: invalid ISO 8601 duration")
