"""`pia demo`: the whole audit flow on the bundled sample estate, in one command.

Lays out the estate, scans the database and the logs with the declaration, writes JSON and
HTML reports, creates a signing key, signs an audit bundle, verifies it as a regulator would,
and checks the migrations as CI would. Everything uses the same library calls as the
individual commands, so the demo cannot drift from what they do.
"""

from __future__ import annotations

import os
import stat
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pia.errors import UsageError
from pia.sample.estate import build_estate
from pia.writes import write_output

_MARKER = ".pia-demo"


@dataclass
class DemoResult:
    root: Path
    outputs: dict[str, Path] = field(default_factory=dict)
    report: dict[str, Any] = field(default_factory=dict)
    bundle_valid: bool = False
    migration_errors: int = 0
    migration_warnings: int = 0
    migration_lines: list[str] = field(default_factory=list)


@contextmanager
def _inside(path: Path):
    """Run with ``path`` as the working directory, so the report shows relative sources that
    the declaration's assets match."""
    previous = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(previous)


def _unsafe(path: Path) -> str | None:
    """Why pia may not write under ``path`` (which exists), or None. Only the user can have
    put anything into a folder of theirs that nobody else may write, so nothing planted
    there (a symlink to a file of theirs) can be written through."""
    st = os.lstat(path)
    if stat.S_ISLNK(st.st_mode):
        return "is a symbolic link"
    if st.st_uid != os.getuid():
        return "is owned by another user"
    if stat.S_ISDIR(st.st_mode) and st.st_mode & 0o022:
        return "is writable by other users"
    return None


def _check_tree(root: Path) -> None:
    """Refuse a demo folder, or anything in it, that another user controls or that links
    elsewhere: the demo overwrites what it finds there."""
    for folder, dirs, files in os.walk(root):
        for name in (".", *dirs, *files):
            path = Path(folder, name) if name != "." else Path(folder)
            problem = _unsafe(path)
            if problem:
                raise UsageError(f"{path} {problem}; choose another --dir")


def _prepare(root: Path) -> None:
    try:
        if root.is_symlink() or (root.exists() and not root.is_dir()):
            raise UsageError(f"{root} exists and is not a directory; choose another --dir")
        if root.exists() and any(root.iterdir()) and not (root / _MARKER).exists():
            raise UsageError(f"{root} exists and is not a pia demo folder; choose another --dir")
        root.mkdir(parents=True, exist_ok=True)
        _check_tree(root)
        write_output(root / _MARKER, b"created by pia demo; safe to delete\n")
        for stale in ("demo-signing.key", "demo-signing.key.pub"):
            (root / stale).unlink(missing_ok=True)
    except OSError as err:
        raise UsageError(f"cannot lay out the demo in {root}: {err.strerror}; choose another"
                         " --dir") from None


def run_demo(root: str | Path, lang: str = "zh") -> DemoResult:
    from pia.bundle import create_bundle, generate_keypair, load_private_key, verify_bundle
    from pia.bundle.keys import load_public_key
    from pia.migrations import check_files, load_declared
    from pia.reports import render
    from pia.scan import ScanRequest, run_scan

    root = Path(root).resolve()
    _prepare(root)
    estate = build_estate(root)
    result = DemoResult(root)
    with _inside(root):
        outcome = run_scan(ScanRequest(sources=["shop.db", "logs"], declaration="pia.yaml"))
        report = outcome.report
        result.report = report
        for fmt, name in (("json", "report.json"), ("html", "report.html")):
            write_output(name, [render(report, fmt, lang=lang)])
            result.outputs[fmt] = root / name
        key_path = root / "demo-signing.key"
        generate_keypair(key_path)
        bundle = create_bundle(report, outcome.rulesets, outcome.declaration,
                               load_private_key(key_path))
        write_output(root / "audit-bundle.zip", bundle)
        result.outputs["bundle"] = root / "audit-bundle.zip"
        result.outputs["key"] = key_path
        public = load_public_key(key_path.with_name(key_path.name + ".pub"))
        from pia.bundle.keys import fingerprint

        verification = verify_bundle(bundle, {fingerprint(public): public})
        result.bundle_valid = verification.valid
        paths = sorted(str(p.relative_to(root)) for p in estate.migrations.glob("*.sql"))
        findings, _errors = check_files(paths, declared=load_declared("pia.yaml"))
        for finding in findings:
            if finding.severity == "error":
                result.migration_errors += 1
            else:
                result.migration_warnings += 1
            result.migration_lines.append(
                f"{finding.file}:{finding.line}:{finding.col}: {finding.severity} "
                f"{finding.rule_id} {finding.text(lang)}")
    return result


TEXT = {
    "zh": {
        "title": "pia 演示：示例科技有限公司（虚构数据）",
        "estate": "示例数据",
        "reports": "报告",
        "bundle": "签名审计包",
        "valid": "已验证（签名、完整性、结论可由证据复现）",
        "invalid": "验证失败",
        "migrations": "迁移检查",
        "migration_summary": "{errors} 个错误，{warnings} 个警告",
        "top": "最重要的问题",
        "counts": "个人信息清单 {items} 项，待处理问题 {findings} 个（{by}）",
        "severity": {"critical": "严重", "high": "高", "medium": "中", "low": "低"},
        "sep": "，",
        "colon": "：",
        "next": "打开 {html} 查看完整报告；监管方可运行：pia bundle verify {bundle} --pubkey {pub}",
    },
    "en": {
        "title": "pia demo: 示例科技有限公司 (synthetic data)",
        "estate": "sample estate",
        "reports": "reports",
        "bundle": "signed audit bundle",
        "valid": "verified (signature, integrity, findings re-derived from the evidence)",
        "invalid": "verification FAILED",
        "migrations": "migration check",
        "migration_summary": "{errors} {errors_noun}, {warnings} {warnings_noun}",
        "top": "top findings",
        "counts": "inventory {items}, open findings {findings} ({by})",
        "severity": {"critical": "critical", "high": "high", "medium": "medium", "low": "low"},
        "sep": ", ",
        "colon": ": ",
        "next": "open {html} for the full report; a regulator runs: "
                "pia bundle verify {bundle} --pubkey {pub}",
    },
}


def summary_lines(result: DemoResult, lang: str = "zh") -> list[str]:
    from pia.reports.overview import top_findings
    from pia.reports.references import articles_text

    text = TEXT.get(lang, TEXT["en"])
    report = result.report
    summary = report["summary"]
    lines = [text["title"], ""]
    colon = text["colon"]
    lines.append(f"  {text['estate']}{colon}{result.root}")
    lines.append(f"  {text['reports']}{colon}{result.outputs['json']}  {result.outputs['html']}")
    verdict = text["valid"] if result.bundle_valid else text["invalid"]
    lines.append(f"  {text['bundle']}{colon}{result.outputs['bundle']} — {verdict}")
    errors, warnings = result.migration_errors, result.migration_warnings
    lines.append(f"  {text['migrations']}{colon}" + text["migration_summary"].format(
        errors=errors, warnings=warnings, errors_noun="error" if errors == 1 else "errors",
        warnings_noun="warning" if warnings == 1 else "warnings"))
    by = summary["by_severity"]
    counts = text["sep"].join(f"{text['severity'][s]} {by[s]}"
                              for s in ("critical", "high", "medium", "low") if by[s])
    lines.append("  " + text["counts"].format(items=summary["inventory_items"],
                                              findings=summary["findings"], by=counts))
    lines += ["", (text["top"] + colon).rstrip()]
    for finding in top_findings(report):
        title = finding["title"].get(lang) or finding["title"]["en"]
        where = _where(finding["locations"][0]) if finding["locations"] else ""
        severity = text["severity"].get(finding["severity"], finding["severity"])
        lines.append(f"  [{severity}] {finding['rule_id']} — {title}")
        lines.append(f"      {articles_text(finding['references'], lang)} · {where}")
    lines += ["", text["next"].format(html=result.outputs["html"],
                                       bundle=result.outputs["bundle"],
                                       pub=str(result.outputs["key"]) + ".pub")]
    return lines


def _where(location: dict[str, Any]) -> str:
    if "column" in location and "table" in location:
        return f"{location['table']}.{location['column']}"
    if "path" in location:
        return location["path"]
    if "bucket" in location:
        return f"{location['bucket']}/{location.get('key', '')}"
    return ""
