"""What ``pia rulesets``, ``pia recognizers`` and ``pia keygen`` say, in Chinese and English.

These commands spoke English only, with bilingual titles, to a Chinese-first user whose reports
were in Chinese (QA). They take ``--lang`` and default to the locale as ``pia scan`` does
(``pia.reports.i18n.default_lang``). English keeps the output it always had, bilingual titles
included; Tibetan, as the reports' labels without Tibetan text, falls back to English. Kept
apart from the reports' table (``pia.reports.i18n``) because that table is the reports' own
and these are a few lines of three commands. Error lines stay in English, as pia's others do.
"""

from __future__ import annotations

import typer

_S: dict[str, tuple[str, str]] = {
    # key: (zh, en)
    "list:id": ("标识", "id"), "list:version": ("版本", "version"),
    "list:rules": ("规则数", "rules"), "list:title": ("标题", "title"),
    "show:id": ("规则", "id"), "show:severity": ("严重程度 / 适用范围", "severity / scope"),
    "show:title": ("标题", "title"), "show:law": ("法律依据", "law"),
    "rule:minors": ("未成年人数据：{raised}", "未成年人数据 / minors' data: {raised}"),
    "rule:sensitive": ("敏感个人信息：{raised}", "敏感个人信息 / sensitive PI: {raised}"),
    "rule:raised": ("上调一级（至多为严重）", "上调一级 / raised one level to at most critical"),
    "rule:not_raised": ("不上调", "不上调 / not raised"),
    "rule:title": ("标题", "标题 / title"), "rule:observes": ("观察", "观察 / observes"),
    "rule:remediation": ("整改建议", "整改 / remediation"),
    "rule:law": ("法律依据", "法律依据 / law"),
    "rule:colon": ("：", ":"),
    "recognizers:name": ("名称", "name"), "recognizers:entity": ("个人信息种类", "entity"),
    "recognizers:languages": ("语言", "languages"), "recognizers:source": ("来源", "source"),
    "keygen:private": ("私钥：{path}（权限 0600，{protection}；请妥善保密）",
                       "private key: {path} (mode 0600, {protection}; keep it secret)"),
    "keygen:public": ("公钥：{path}（交给验证审计包的人）",
                      "public key:  {path} (give this to whoever verifies your bundles)"),
    "keygen:fingerprint": ("指纹：{fingerprint}", "fingerprint: {fingerprint}"),
    "keygen:protected": ("已用口令加密", "passphrase-protected"),
    "keygen:plain": ("未加密", "not encrypted"),
}

LANG_OPTION = typer.Option(None, "--lang", metavar="LANG",
                           help="zh, en or bo (default: locale).")


def command_lang(lang: str | None) -> str:
    """``--lang`` checked (a usage error names the choices), else the locale's language."""
    from pia.reports.i18n import check_lang, default_lang

    return check_lang(lang) if lang is not None else default_lang()


def say(key: str, lang: str, **values: object) -> str:
    """``key`` in ``lang`` (English for anything but Chinese), formatted with ``values``."""
    zh, en = _S[key]
    return (zh if lang == "zh" else en).format(**values)
