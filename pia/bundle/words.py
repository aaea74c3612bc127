"""What ``bundle verify`` and ``bundle show`` say, in Chinese and English.

For a Chinese regulator the verdict is the one sentence that must not be left in English.
Check ids (``member-hashes``) stay as they are in both languages: they are what a message,
a script and the README name; in Chinese each is followed by what it checks. Details of a
failed check (which member, which field) stay as the check wrote them; what a passed check
saw, and why one did not run, are said in Chinese (``passed_detail``). Kept here rather than in
the reports' table (``pia.reports.i18n``) so that verify speaks Chinese even where the
report renderers are not installed. Tibetan, like the reports' labels without Tibetan text,
falls back to English.
"""

from __future__ import annotations

import re

LANGS = ("zh", "en")

_S: dict[str, tuple[str, str]] = {
    # key: (zh, en); {names} are filled in by ``say``
    "bundle": ("审计包：  {path}", "bundle:    {path}"),
    "verdict": ("结论：    {verdict}", "verdict:   {verdict}"),
    "valid": ("有效（VALID）", "VALID"),
    "invalid": ("无效（INVALID）", "INVALID"),
    "unreadable": ("无法读取（UNREADABLE）", "UNREADABLE"),
    "undecided": ("无法判定（UNDECIDED）：完整且已签名，但由另一版本的 pia 生成，本 pia 无法判定"
                  "（见标为“无法判定”的检查）",
                  "UNDECIDED: intact and signed, but made by another pia, which this pia "
                  "cannot judge (see the check marked UNDECIDED)"),
    "sha256": ("SHA-256： {digest}", "sha256:    {digest}"),
    "signer": ("签名者：  {signer}{key}", "signer:    {signer}{key}"),
    "none_trusted": ("无可信签名者", "none trusted"),
    "unverified": ("（未验证）", " (unverified)"),
    "created": ("创建时间：{time}{trust}", "created:   {time}{trust}"),
    # bundle create's default: the scan's finish, so that the same report gives the same bytes
    "created_is_finished": ("（即扫描结束时间，bundle create 的默认值，并非打包时间）",
                            " (= scan finished: bundle create's default, not when the bundle "
                            "was made)"),
    "scan": ("扫描：    开始于 {time}，{count} 个数据源{trust}",
             "scan:      started {time}, {sources}{trust}"),
    "incomplete": ("           未完成：扫描被中断或有数据源无法读取；问题只涵盖已扫描的部分{trust}",
                   "           INCOMPLETE: interrupted, or a source could not be read; the "
                   "findings cover only what was scanned{trust}"),
    "rulesets": ("规则集：  {rulesets}{trust}", "rulesets:  {rulesets}{trust}"),
    "none": ("无", "none"),
    "counts": ("数量：    清单条目 {items} 个，待处理问题 {findings} 个{severities}，已接受风险 "
               "{accepted} 个{trust}",
               "counts:    {items_en}, {findings_en}{severities}, {accepted} accepted{trust}"),
    "severities": ("（{list}）", " ({list})"),
    "list_sep": ("，", ", "),  # full-width in Chinese, as the scan's summary line
    "checks": ("检查：", "checks:"),
    "passed": ("通过    ", "ok     "),
    "failed": ("未通过  ", "FAILED "),
    "skipped": ("跳过    ", "skipped"),
    "undecided_mark": ("无法判定", "UNDECIDED"),
    "critical": ("严重", "critical"), "high": ("高", "high"), "medium": ("中", "medium"),
    "low": ("低", "low"), "info": ("提示", "info"),
    # the banner over a bundled report (bundle show), which it also says on stderr
    "ban_unreadable": ("无法读取（UNREADABLE）：{detail}", "UNREADABLE: {detail}"),
    "ban_failed": ("未通过验证（NOT VERIFIED）：检查 {check} 未通过（{detail}）；以下内容不可信",
                   "NOT VERIFIED: check {check} failed ({detail}); the content below is "
                   "untrusted"),
    "ban_undecided": ("未通过验证（NOT VERIFIED）：检查 {check} 无法判定（{detail}）；以下内容"
                      "无人担保",
                      "NOT VERIFIED: check {check} undecided ({detail}); the content below is "
                      "not vouched for"),
    "ban_no_key": ("未通过验证（NOT VERIFIED）：未提供公钥（--pubkey 或 --trusted-keys），签名者"
                   "未知；内容完整，其问题可由其证据推出",
                   "NOT VERIFIED: no key given (--pubkey or --trusted-keys), so the signer is "
                   "unknown; the content is intact and its findings follow from its evidence"),
    "ban_verified": ("已验证（VERIFIED）：由 {signer}{key} 签名；全部检查通过",
                     "VERIFIED: signed by {signer}{key}; all checks passed"),
    # after the banner when the bundle's report cannot be shown at all
    "no_report": ("{sentence}；无法显示其中的报告", "{sentence}; no report to show"),
    # a check's detail after its id; one not run says which check it waited for
    "detail": ("：{detail}", ": {detail}"),
    "needs": ("未运行：须先通过检查 {check}", "needs {check}"),
}

#: what each check verifies, said after its id in Chinese (the id is English words already)
CHECK_ZH = {
    "archive-readable": "文件是可读取的 zip 压缩包，且没有不属于任何成员的字节",
    "member-names-safe": "成员名称安全：无路径穿越、绝对路径、链接或重名",
    "archive-limits": "成员数量、大小和压缩比在限度内",
    "members-intact": "每个成员都能解压，CRC 和大小一致",
    "bundle-digest": "文件的 SHA-256 与另行收到的摘要（--expect-sha256）一致",
    "signature-envelope": "signature.dsse.json 是格式正确的 DSSE 签名信封",
    "signature-trusted": "由受信任且未被吊销的 Ed25519 密钥签名",
    "manifest-matches-signature": "manifest.json 与签名内容逐字节相同",
    "manifest-well-formed": "清单格式正确，并写明签名的密钥",
    "members-complete": "成员与清单所列完全一致，不缺不多",
    "member-hashes": "每个成员的 SHA-256 和大小与清单一致",
    "rules-engine": "生成报告的规则引擎不比本 pia 的新",
    "report-schema": "report.json 符合 pia-report/1 模式，汇总与内容相符",
    "samples-masked": "每个样本都已脱敏，每个指纹都是密钥指纹：不含原始个人信息",
    "credentials-redacted": "报告所列数据源均已隐去凭据：不含密码、密钥或令牌",
    "scan-consistent": "扫描时间、完整性和抽样的声明与证据不矛盾",
    "rulesets-match-report": "包内规则集就是报告评估所用的规则集",
    "rulesets-as-shipped": "与 pia 自带规则集同名的，逐字节相同",
    "declaration-readable": "pia.yaml 可解析，且是报告所记录的声明",
    "findings-follow-from-evidence": "按包内证据重新评估，所得问题与记录逐项相同",
}


#: what a check that passed says of what it saw, in Chinese, by the English the check writes
#: (kept in English in ``verify -f json``: scripts read it); a detail this table does not know,
#: and every failure's (which member, which field, as the check found it), stays as written
_PASSED_ZH = tuple((re.compile(pattern), zh) for pattern, zh in (
    (r"(?P<n>\d+) members", "{n} 个成员"),
    (r"(?P<n>\d+) bytes, signed", "{n} 字节，已签名"),
    (r"SHA-256 as expected", "SHA-256 与预期一致"),
    (r"no SHA-256 expected \(--expect-sha256\)", "未提供预期的 SHA-256（--expect-sha256）"),
    (r"signed by (?P<who>\S+)(?P<label> \(.*\))?", "由 {who}{label} 签名"),
    (r"signed by (?P<who>\S+)(?P<label> \(.*\))?; not among (?P<r>\d+) revoked keys?",
     "由 {who}{label} 签名，不在 {r} 个已吊销的密钥之中"),
    (r"(?P<fmt>pia-bundle/\d+), created (?P<time>\S+)", "{fmt}，创建于 {time}"),
    (r"(?P<n>\d+) SHA-256 digests match", "{n} 个 SHA-256 摘要一致"),
    (r"rules engine (?P<e>\d+), this pia's", "规则引擎第 {e} 版，与本 pia 相同"),
    (r"rules engine (?P<e>\d+), this pia's; made by pia (?P<v>\S+)",
     "规则引擎第 {e} 版，与本 pia 相同；由 pia {v} 生成"),
    (r"(?P<schema>pia-report/\d+), (?P<i>\d+) inventory items?, (?P<f>\d+) findings?",
     "{schema}，清单条目 {i} 个，问题 {f} 个"),
    (r"(?P<n>\d+) samples? masked", "{n} 个样本均已脱敏"),
    (r"(?P<n>\d+) source names?, none with a credential", "{n} 个数据源名称，均不含凭据"),
    (r"started (?P<s>\S+), finished (?P<f>\S+), created (?P<c>\S+)",
     "开始于 {s}，结束于 {f}，创建于 {c}"),
    (r"(?P<list>[\w., -]+) as shipped with pia (?P<v>\S+)",
     "{list} 与 pia {v} 自带的规则集逐字节相同"),
    # rulesets-match-report: each ruleset with its version
    (r"(?P<list>[\w.-]+ [\w.-]+(?:, [\w.-]+ [\w.-]+)*)", "{list}"),
    (r"no ruleset shipped with pia", "无与 pia 自带规则集同名的规则集"),
    (r"pia\.yaml, (?P<n>\d+) assets? \(credentials redacted\)",
     "pia.yaml，登记资产 {n} 项（凭据已隐去）"),
    (r"no declaration was used", "未使用处理活动清单"),
    (r"(?P<n>\d+) findings? re-derived", "重新推出 {n} 个问题，与记录相同"),
))


def passed_detail(detail: str, lang: str) -> str:
    """What a passed check saw, in ``lang`` where pia knows the sentence (QA: a Chinese
    verify listed "通过 … ：7 members")."""
    if lang == "zh":
        for pattern, zh in _PASSED_ZH:
            found = pattern.fullmatch(detail)
            if found:
                parts = {k: v or "" for k, v in found.groupdict().items()}
                if "list" in parts:  # ids listed, separated as the Chinese text separates
                    parts["list"] = say("list_sep", lang).join(parts["list"].split(", "))
                return zh.format(**parts)
    return detail


def text_lang(lang: str | None) -> str:
    """The language verify speaks: ``lang``, else the locale's (as the reports choose it),
    Tibetan falling back to English."""
    if lang is None:
        try:
            from pia.reports.i18n import default_lang
        except ImportError:  # the report renderers are not installed
            lang = "zh"
        else:
            lang = default_lang()
    return lang if lang in LANGS else "en"


def say(which: str, lang: str, /, **names: object) -> str:
    """The string ``which`` in ``lang`` (zh or en), with ``names`` filled in."""
    zh, en = _S[which]
    return (zh if lang == "zh" else en).format(**names)


def counted(n: object, one: str, many: str) -> str:
    """``1 source``, ``2 sources``; a count the manifest does not give (``?``) is plural."""
    return f"{n} {one if n == 1 else many}"


def check_name(name: str, lang: str) -> str:
    """A check's id, followed in Chinese by what it checks."""
    return f"{name}（{CHECK_ZH[name]}）" if lang == "zh" and name in CHECK_ZH else name
