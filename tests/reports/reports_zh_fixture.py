"""A report of Chinese findings as the bundled rulesets write them (QA zh, item 6): article
labels with a 2016 number (CSL 第44条（修正前第42条）), a GB/T clause, several articles per
finding, a raised severity, a long title, and an acceptance whose reason has a year in it.
The sources, inventory and masked evidence are ``reports_fixture``'s."""

from __future__ import annotations

from typing import Any

from reports_fixture import SOURCES, _finding, build_report

from pia.report import finalize, validate_report

Q = "采取相应的加密、去标识化等安全技术措施"
PIPL = {"law": "PIPL", "quote": Q}
CSL = {"law": "CSL", "quote": Q}
GBT = {"law": "GB/T 35273-2020", "verified": False, "quote": Q}
#: the accepted risk's reason: its year must not be cut (将于202 / 7年)
REASON = "数据分级标签将于2028年第一季度补齐"
LOCATION = {"database": "crm", "schema": "main", "table": "客户信息", "column": "家庭住址"}

#: rule id, severity, title, references (as cn-pipl, cn-csl and cn-gbt35273 write them)
FINDINGS: list[tuple[str, str, str, list[dict[str, Any]]]] = [
    ("PIPL-28-SENSITIVE-PLAINTEXT", "critical", "敏感个人信息以明文存储",
     [{**PIPL, "article": "28"}, {**PIPL, "article": "51", "clause": "(三)"},
      {**GBT, "article": "6.3", "clause": "a)"}]),
    ("CSL-21-LOG-RETENTION", "high", "网络日志留存不足六个月",
     [{**CSL, "article": "23", "article_2016": "21", "clause": "(三)"}]),
    ("CSL-42-PI-IN-LOGS", "high", "日志中含有未脱敏的个人信息",
     [{**CSL, "article": "44", "article_2016": "42"}]),
    ("GB35273-6.3-RAW-BIOMETRIC", "high", "存储原始个人生物识别信息",
     [{**GBT, "article": "6.3", "clause": "c)"}, {**PIPL, "article": "28"}]),
    ("PIPL-31-MINORS", "high", "存在未登记的不满十四周岁未成年人个人信息",
     [{**PIPL, "article": "28"}, {**PIPL, "article": "31"}]),
    ("PIPL-6-MINIMISATION", "medium", "所处理的个人信息种类超出清单登记范围",
     [{**PIPL, "article": "6"}, {**CSL, "article": "43", "article_2016": "41"}]),
    ("PIPL-73-PSEUDONYM-REVERSIBLE", "high",
     "去标识化无效：可枚举标识符以无盐哈希存储，可穷举还原",
     [{**PIPL, "article": "73", "clause": "(三)"}]),
    ("PIPL-55-PIA-TRIGGER", "medium", "未事前开展个人信息保护影响评估",
     [{**PIPL, "article": "55"}, {**PIPL, "article": "55", "clause": "(一)"}]),
]


def build_zh_report() -> dict[str, Any]:
    report = build_report()
    source = SOURCES[0]
    findings = [_finding(rule_id, severity, (title, rule_id), refs, [LOCATION], source,
                         {"count": 3})
                for rule_id, severity, title, refs in FINDINGS]
    findings[-1]["evidence"]["severity_raised"] = {"from": "medium", "reason": "minors"}
    findings[-1]["severity"] = "high"
    findings.append(_finding(
        "PIPL-51-CLASSIFICATION", "medium", ("个人信息未做分类标记", "no label"),
        [{**PIPL, "article": "51", "clause": "(二)"}, {"law": "DSL", "article": "21",
                                                       "quote": Q}],
        [LOCATION], source, {"count": 1}, status="accepted",
        acceptance={"reason": REASON, "owner": "dpo@example.cn", "expires": "2027-03-31"}))
    report["findings"] = findings
    finalize(report)
    validate_report(report)
    return report
