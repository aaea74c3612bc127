"""A realistic report built the way a scan builds one: raw values go in, only masks come out.

``RAW_VALUES`` and ``SECRETS`` are what the fixture was built from; no rendering may contain
any of them. Titles and table names include markup-like text to prove every format escapes.
"""

from __future__ import annotations

from typing import Any

from pia.masking import Fingerprinter, mask
from pia.report import finalize, new_report, validate_report
from pia.uri import redact

KEY = b"pia-test-fingerprint-key-0123456789"
PASSWORD = "S3cr3t-Pa55word"
ACCESS_SECRET = "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY"

SOURCES = [
    f"postgresql://auditor:{PASSWORD}@db.internal:5432/crm",
    f"mysql://root:{PASSWORD}@127.0.0.1:3306/shop",
    "/var/log/app",
    f"s3://exports-bucket?aws_secret_access_key={ACCESS_SECRET}&region=ap-southeast-1",
    "migrations/",
]
RAW_VALUES = {
    "CN_RESIDENT_ID": ["11010519491231002X", "440524188001010014"],
    "CN_MOBILE": ["13812345678", "15900001111"],
    "CN_BANK_CARD": ["6222021234567890128"],
    "EMAIL_ADDRESS": ["zhang.wei@example.cn"],
    "CN_NAME": ["张伟明"],
}
SECRETS = [PASSWORD, ACCESS_SECRET]
HOSTILE = '<script>alert("x")</script>|[red]x[/red]`**'
#: ``pia.yaml`` ``accept:`` decisions as the engine attaches them: one live, one lapsed.
ACCEPTED = {"reason": f"标签迁移计划于 2027Q1 完成 {HOSTILE}", "owner": "dpo-office",
            "expires": "2027-03-31"}
LAPSED = {"reason": "加密改造中 ticket-4711", "owner": "dba-team", "expires": "2026-01-01",
          "expired": True}

Q_LOG = "并按照规定留存相关的网络日志不少于六个月"
Q_ENCRYPT = "采取相应的加密、去标识化等安全技术措施"
Q_SECRET = "对其收集的用户信息严格保密"
Q_LEAK = "确保其收集的个人信息安全，防止信息泄露、毁损、丢失"
Q_MIN = "收集个人信息，应当限于实现处理目的的最小范围"
Q_CLASS = "对个人信息实行分类管理"


def _evidence(entity_type: str, fp: Fingerprinter) -> dict[str, Any]:
    values = RAW_VALUES[entity_type]
    return {"samples": [mask(entity_type, v) for v in values],
            "fingerprints": [fp(entity_type, v) for v in values]}


def _item(source: str, location: dict[str, Any], entity_type: str, count: int, fp: Fingerprinter,
          *, protection: str = "plaintext", score: float = 0.95) -> dict[str, Any]:
    from pia.entities import is_sensitive

    return {"source": redact(source), "location": location, "entity_type": entity_type,
            "count": count, "sampled": min(count, 1000), "score": score,
            "sensitive": is_sensitive(entity_type), "protected": protection != "plaintext",
            "protection": protection, "evidence": _evidence(entity_type, fp)}


def _finding(rule_id: str, severity: str, title: tuple[str, str], refs: list[dict[str, Any]],
             locations: list[dict[str, Any]], source: str, evidence: dict[str, Any],
             *, status: str = "open", acceptance: dict[str, Any] | None = None
             ) -> dict[str, Any]:
    finding = {"rule_id": rule_id, "ruleset": "cn-pipl", "severity": severity,
               "title": {"zh": title[0], "en": title[1]}, "references": refs,
               "source": redact(source), "locations": locations, "evidence": evidence,
               "remediation": {"zh": f"整改：{title[0]}", "en": f"Fix: {title[1]}"},
               "status": status, "fingerprint": f"sha256:{abs(hash(rule_id)) % 10**12:012d}"}
    if acceptance:
        finding["acceptance"] = acceptance
    return finding


def build_report() -> dict[str, Any]:
    fp = Fingerprinter(KEY)
    pg, my, logs, s3, mig = SOURCES
    report = new_report([redact(s) for s in SOURCES], {"sample_rows": 1000, "seed": 7},
                        started="2026-11-28T08:00:00Z")
    report["scan"]["rulesets"] = [{"id": "cn-pipl", "version": "1", "sha256": "a" * 64}]
    db_id = {"database": "crm", "schema": "public", "table": "customers", "column": "id_card"}
    db_mobile = {"database": "crm", "schema": "public", "table": "customers", "column": "mobile"}
    db_hostile = {"database": "shop", "table": HOSTILE, "column": "card_no"}
    log_loc = {"path": "/var/log/app/access.log", "first_line": 42, "lines": [42, 97, 130]}
    zip_loc = {"path": "/var/log/app/old.zip", "member": "2026-01.log", "first_line": 7}
    obj_loc = {"bucket": "exports-bucket", "key": "dumps/users 2026.csv"}
    mig_loc = {"file": "migrations/0042_add_phone.sql", "line": 3, "col": 5,
               "table": "users", "column": "phone"}
    report["inventory"] = [
        _item(pg, db_id, "CN_RESIDENT_ID", 12840, fp),
        _item(pg, db_mobile, "CN_MOBILE", 12011, fp, protection="hashed_unsalted", score=0.9),
        _item(pg, {**db_mobile, "column": "contact_name"}, "CN_NAME", 12800, fp, score=0.7),
        _item(my, db_hostile, "CN_BANK_CARD", 311, fp),
        _item(logs, log_loc, "CN_MOBILE", 3, fp, score=0.85),
        _item(logs, log_loc, "EMAIL_ADDRESS", 9, fp),
        _item(logs, zip_loc, "CN_RESIDENT_ID", 1, fp),
        _item(s3, obj_loc, "CN_RESIDENT_ID", 5000, fp),
        _item(mig, mig_loc, "CN_MOBILE", 0, fp, score=0.6),
    ]
    pipl = {"law": "个人信息保护法", "verified": True}
    csl = {"law": "网络安全法", "verified": True}
    report["findings"] = [
        _finding("PIPL-28-SENSITIVE-PLAINTEXT", "critical",
                 ("敏感个人信息明文存储", f"Sensitive PI stored in plaintext {HOSTILE}"),
                 [{**pipl, "article": "51", "clause": "（三）", "quote": Q_ENCRYPT}],
                 [db_id, obj_loc], pg,
                 {**_evidence("CN_RESIDENT_ID", fp), "count": 12840, "protection": "plaintext",
                  "validated_share": 0.98}),
        _finding("CSL-40-PUBLIC-EXPOSURE", "critical", ("存有个人信息的存储桶公开可读",
                                                        "Bucket holding PI is publicly readable"),
                 [{**csl, "article": "42", "article_2016": "40", "quote": Q_SECRET}],
                 [{"bucket": "exports-bucket"}], s3,
                 {"acl": "public-read", "region": "ap-southeast-1"}),
        _finding("CSL-42-PI-IN-LOGS", "high", ("日志中含未脱敏个人信息", "Unmasked PI in logs"),
                 [{**csl, "article": "44", "article_2016": "42", "quote": Q_LEAK,
                   "numbering_inferred": True}],
                 [log_loc, zip_loc], logs, {**_evidence("CN_MOBILE", fp), "count": 4}),
        _finding("CSL-21-LOG-RETENTION", "high",
                 ("日志留存不足六个月", "Logs kept under six months"),
                 [{**csl, "article": "23", "article_2016": "21", "clause": "（三）",
                   "quote": Q_LOG}],
                 [{"path": "/var/log/app"}], logs, {"oldest_days": 31, "required_days": 180}),
        _finding("PIPL-6-MINIMISATION", "medium", ("迁移新增未声明的个人信息字段",
                                                   "Migration adds an undeclared PI column"),
                 [{**pipl, "article": "6", "quote": Q_MIN}], [mig_loc], mig, {"column": "phone"}),
        _finding("PIPL-51-CLASSIFICATION", "low", ("个人信息字段缺少分级标签",
                                                   "PI column without classification label"),
                 [{**pipl, "article": "51", "clause": "（二）", "quote": Q_CLASS}],
                 [db_mobile], pg, {"label": None, "count": 1}, acceptance=LAPSED),
        _finding("PIPL-51-CLASSIFICATION", "info", ("个人信息字段缺少分级标签",
                                                    "PI column without classification label"),
                 [{**pipl, "article": "51", "clause": "（二）", "quote": Q_CLASS,
                   "verified": False}],
                 [{**db_mobile, "column": "contact_name"}], pg, {"count": 1}),
        _finding("PIPL-51-CLASSIFICATION", "medium", ("个人信息字段缺少分级标签",
                                                      "PI column without classification label"),
                 [{**pipl, "article": "51", "clause": "（二）", "quote": Q_CLASS}],
                 [db_hostile], my, {"count": 1}, status="accepted", acceptance=ACCEPTED),
    ]
    report["not_evaluated"] = [{"rule_id": "PIPL-54-AUDIT-SCALE",
                                "reason": "no declared inventory (pia.yaml)"}]
    report["skipped"] = [{"source": redact(logs), "location": {"path": "/var/log/app/core.bin"},
                          "reason": "binary file"}]
    finalize(report)
    report["scan"]["finished"] = "2026-11-28T08:05:00Z"
    validate_report(report)
    return report

