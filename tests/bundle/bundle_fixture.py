"""A real report, built the way a scan builds one: inventory and facts from a database, a log
directory and a bucket, findings from the bundled rulesets and a declaration."""

from __future__ import annotations

from pia.masking import Fingerprinter, mask
from pia.report import finalize, new_report
from pia.rules import apply_rules, load_rulesets

STARTED = "2026-03-02T08:00:00Z"
FINISHED = "2026-03-02T08:05:00Z"
CREDENTIAL = "s3cret-Pa55"
DB = f"postgresql://auditor:{CREDENTIAL}@db.example.cn:5432/crm"
DB_REDACTED = "postgresql://auditor:***@db.example.cn:5432/crm"
RAW_VALUES = {  # what the scan saw; the bundle may hold none of these
    "CN_RESIDENT_ID": ["11010519491231002X", "440524188001010014"],
    "CN_MOBILE": ["13812345678", "15987654321"],
}
DECLARATION = f"""\
version: 1
organisation:
  name: 示例科技有限公司
  ciio: false
assets:
  - id: crm
    source: {DB}
    pi_categories: [CN_RESIDENT_ID, CN_MOBILE]
    sensitive: true
    retention: {{period: P3Y}}
    activities: [orders]
activities:
  - id: orders
    purpose: 订单履约
    legal_basis: contract
accept:
  - rule: "*LOG*"
    reason: 新系统上线不足六个月
    owner: 安全合规部
    expires: "2026-12-31"
"""


def _item(source, location, entity_type, protection="plaintext"):
    prints = Fingerprinter(b"k" * 32)
    values = RAW_VALUES.get(entity_type, [])
    return {
        "source": source, "location": location, "entity_type": entity_type,
        "count": 1200, "sampled": 200, "score": 0.95, "signals": ["name", "values"],
        "sensitive": entity_type == "CN_RESIDENT_ID",
        "protected": protection != "plaintext", "protection": protection,
        "evidence": {"samples": [mask(entity_type, v) for v in values],
                     "fingerprints": [prints(entity_type, v) for v in values]},
    }


def build_report(declaration) -> dict:
    report = new_report([DB_REDACTED, "/var/log/app", "s3://crm-exports"],
                        {"sample_rows": 200, "seed": 7}, started=STARTED)
    report["inventory"] += [
        _item(DB_REDACTED, {"database": "crm", "schema": "public", "table": "customer",
                            "column": "id_card"}, "CN_RESIDENT_ID"),
        _item(DB_REDACTED, {"database": "crm", "schema": "public", "table": "customer",
                            "column": "mobile"}, "CN_MOBILE", "masked"),
        _item("/var/log/app", {"path": "/var/log/app/access.log", "first_line": 3},
              "CN_MOBILE"),
        _item("s3://crm-exports", {"bucket": "crm-exports", "key": "2026/01/export.csv"},
              "CN_RESIDENT_ID"),
    ]
    report["facts"] += [
        {"kind": "log_dir", "source": "/var/log/app", "location": {"path": "/var/log/app"},
         "attributes": {"oldest": "2026-01-20T00:00:00Z", "span_days": 41, "files": 12}},
        {"kind": "bucket", "source": "s3://crm-exports", "location": {"bucket": "crm-exports"},
         "attributes": {"region": "us-east-1", "public_access": True, "encryption": None,
                        "versioning": "Disabled", "replication": []}},
        {"kind": "column", "source": DB_REDACTED,
         "location": {"database": "crm", "schema": "public", "table": "customer",
                      "column": "id_card"},
         "attributes": {"data_type": "varchar(18)", "comment": "身份证号"}},
    ]
    apply_rules(report, load_rulesets(), declaration)
    finalize(report)
    report["scan"]["finished"] = FINISHED
    return report


