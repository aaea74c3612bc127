"""Why a place was skipped and why a rule was left undecided, in Chinese, for ``pia.reports.i18n``.

The report keeps these reasons in English: they are data, written by the connectors and the
rules engine, compared by scripts and by ``bundle verify``. A Chinese reader was left with
English half-sentences in an otherwise Chinese report (QA), so the renderers say them in
Chinese at render time, matched by the stable English text the connector or engine writes,
the variable parts (paths, sizes, error names) carried over as they are. A reason this table
does not know (an operating system's or a server's message) is shown as written, in English,
rather than guessed at. Keyed by text because the connectors and the engine are owned
elsewhere: a reworded reason there shows in English here until this table learns it, and
``tests/reports/test_reports_reasons.py`` pins the texts the connectors write today.
"""

from __future__ import annotations

import re

_Table = tuple[tuple[re.Pattern[str], str], ...]


def _table(*pairs: tuple[str, str]) -> _Table:
    return tuple((re.compile(pattern, re.DOTALL), zh) for pattern, zh in pairs)


#: words a reason names that are said in Chinese inside its sentence
_WORDS = {
    "an executable": "可执行文件", "a PNG image": "PNG 图片", "a JPEG image": "JPEG 图片",
    "a GIF image": "GIF 图片", "a PDF document, not read": "PDF 文档，未读取",
    "a SQLite database": "SQLite 数据库",
    "a 7z archive, a format pia does not open": "7z 压缩包，pia 不打开此格式",
    "a RAR archive, a format pia does not open": "RAR 压缩包，pia 不打开此格式",
    "a zstd stream, a format pia does not open": "zstd 压缩流，pia 不打开此格式",
    "its whole blocks": "完整数据块", "the lines": "各行",
    "interrupted": "扫描被中断",
    " (bzip2 reads whole blocks of up to 900 kB)": "（bzip2 以最大 900 kB 的完整数据块读取）",
}

#: ``skipped[].reason``: files and archives (connectors/files), object storage
#: (connectors/s3), and the scan itself (an interrupt, a partition never scanned)
SKIPPED = _table(
    (r"file vanished", "文件已不存在（列出后被删除或移走）"),
    (r"permission denied", "无读取权限"),
    (r"cannot read: (?P<d>.+)", "无法读取：{d}"),
    (r"cannot list directory: (?P<d>.+)", "无法列出目录：{d}"),
    (r"cannot stat: (?P<d>.+)", "无法获取文件信息：{d}"),
    (r"symlink points outside the scanned tree", "符号链接指向扫描范围之外，未跟随"),
    (r"symlink is dangling or loops", "符号链接无效或形成循环"),
    (r"not a regular file", "不是普通文件"),
    (r"special file \(FIFO\)", "特殊文件（命名管道）"),
    (r"special file \(character device\)", "特殊文件（字符设备）"),
    (r"special file \(block device\)", "特殊文件（块设备）"),
    (r"special file \(socket\)", "特殊文件（套接字）"),
    (r"binary file", "二进制文件"),
    (r"binary file \(a SQLite database: scan it as a source of its own, (?P<cmd>pia scan .+)\)",
     "二进制文件（SQLite 数据库：请将其作为单独的数据源扫描，{cmd}）"),
    (r"binary file \((?P<what>[^()]+)\)", "二进制文件（{what}）"),
    (r"read error \((?P<d>.+)\)", "读取出错（{d}）"),
    (r"encrypted member", "加密的压缩包成员，无法读取"),
    (r"member refused: (?P<n>\d+) bytes > limit (?P<limit>\d+)",
     "拒绝读取该成员：{n} 字节，超过上限 {limit} 字节"),
    (r"member refused: compression ratio (?P<r>\S+) > limit (?P<limit>\S+) \(possible zip bomb\)",
     "拒绝读取该成员：压缩比 {r} 超过上限 {limit}（疑似压缩炸弹）"),
    (r"member refused: archive total exceeds (?P<n>\d+) bytes",
     "拒绝读取该成员：压缩包解压总量超过 {n} 字节"),
    (r"member larger than declared or corrupt", "成员大于其声明的大小，或已损坏"),
    (r"nested (?P<kind>\S+) archive not scanned", "嵌套的 {kind} 压缩包，未扫描"),
    (r"too many nested compression layers", "压缩嵌套层数过多，未扫描"),
    (r"(?P<kind>\S+) stream cut at (?P<n>\d+) decompressed bytes \(ratio limit (?P<r>\S+), "
     r"possible decompression bomb\)",
     "{kind} 压缩流在解压到 {n} 字节处截断（压缩比上限 {r}，疑似解压炸弹）"),
    (r"corrupt (?P<kind>\S+) stream \(cut short: (?P<d>[^()]+)\): read in part, "
     r"(?P<what>its whole blocks|the lines) before the damage",
     "{kind} 压缩流已损坏（提前结束：{d}）：只读取了损坏处之前的{what}"),
    (r"corrupt (?P<kind>\S+) stream \((?P<d>[^()]+)\): read in part, "
     r"(?P<what>its whole blocks|the lines) before the damage",
     "{kind} 压缩流已损坏（{d}）：只读取了损坏处之前的{what}"),
    (r"corrupt (?P<kind>\S+) stream \(cut short: (?P<d>[^()]+)\): nothing could be read "
     r"before the damage(?P<bz> \(bzip2 reads whole blocks of up to 900 kB\))?",
     "{kind} 压缩流已损坏（提前结束：{d}）：损坏处之前没有可读取的内容{bz}"),
    (r"corrupt (?P<kind>\S+) stream \((?P<d>[^()]+)\): nothing could be read before the "
     r"damage(?P<bz> \(bzip2 reads whole blocks of up to 900 kB\))?",
     "{kind} 压缩流已损坏（{d}）：损坏处之前没有可读取的内容{bz}"),
    (r"corrupt (?P<kind>zip|tar) archive \((?P<d>\w+)\)", "{kind} 压缩包已损坏（{d}）"),
    (r"zip archive larger than the total limit", "zip 压缩包超过解压总量上限，未扫描"),
    (r"archive cut: more than (?P<n>\d+) members", "压缩包只读取了一部分：成员超过 {n} 个"),
    (r"archive cut: total exceeds (?P<n>\d+) bytes",
     "压缩包只读取了一部分：解压总量超过 {n} 字节"),
    (r"link or special member not followed", "链接或特殊成员，未跟随"),
    (r"not scanned \(interrupted\)", "未扫描（扫描被中断）"),
    (r"partition (?P<key>.+) not scanned", "分区 {key} 未扫描"),
    (r"partition (?P<key>.+) not scanned \((?P<why>[^()]+)\)", "分区 {key} 未扫描（{why}）"),
    (r"access denied", "拒绝访问"),
    (r"no such bucket", "存储桶不存在"),
    (r"object vanished between listing and reading", "对象在列出后、读取前已被删除"),
    (r"(?P<n>\d+) objects? under (?P<prefix>.+?) not read: (?P<d>.+)",
     "{prefix} 下有 {n} 个对象未读取：{d}"),
    (r"(?P<n>\d+) objects? at the bucket's root not read: (?P<d>.+)",
     "存储桶根目录下有 {n} 个对象未读取：{d}"),
    (r"cannot reach (?P<o>\S+) \(connection failed\)", "无法连接 {o}（连接失败）"),
    (r"archived \((?P<cls>\w+)\): restore it before it can be read",
     "已归档（{cls}）：须先恢复才能读取"),
    (r"read in part: first (?P<n>\d+) of (?P<size>\d+) bytes \(raise --max-bytes to read it "
     r"whole\)",
     "只读取了一部分：共 {size} 字节，读取了前 {n} 字节（调大 --max-bytes 可完整读取）"),
    (r"(?P<kind>\S+) read in part: first (?P<n>\d+) of (?P<size>\d+) bytes \(raise --max-bytes "
     r"to read it whole\)",
     "{kind} 只读取了一部分：共 {size} 字节，读取了前 {n} 字节（调大 --max-bytes 可完整读取）"),
    (r"cannot list objects: (?P<d>.+)", "无法列出对象：{d}"),
    (r"listing cut after (?P<n>\d+) objects: (?P<d>.+)", "列出 {n} 个对象后中断：{d}"),
    (r"(?P<n>\d+) noncurrent versions? \(of objects overwritten, or deleted: (?P<deleted>\d+)\) "
     r"not read: versioning keeps them, and any PI in them",
     "{n} 个非当前版本（被覆盖或删除的对象的旧版本，其中删除 {deleted} 个）未读取："
     "版本控制保留着它们及其中的个人信息"),
    (r"(?P<n>\d+) noncurrent versions? \(of objects overwritten, or deleted: (?P<deleted>\d+)\) "
     r"not read: versioning keeps them, and any PI in them; --versions reads them",
     "{n} 个非当前版本（被覆盖或删除的对象的旧版本，其中删除 {deleted} 个）未读取："
     "版本控制保留着它们及其中的个人信息；使用 --versions 可读取"),
    (r"(?P<n>\d+) noncurrent versions? \(of objects overwritten, or deleted: (?P<deleted>\d+)\) "
     r"not read: past --max-objects (?P<m>\d+) per prefix",
     "{n} 个非当前版本（被覆盖或删除的对象的旧版本，其中删除 {deleted} 个）未读取："
     "超出每个前缀 --max-objects {m} 个的上限"),
    (r"decompressed sample cut at (?P<n>\d+) bytes: (?P<kind>.+?) stream read in part \(raise "
     r"--max-bytes, or --full, to read it whole\)",
     "解压后的样本在 {n} 字节处截断：{kind} 流只读取了一部分（调大 --max-bytes 或使用 --full "
     "可完整读取）"),
)

#: why a subject left a rule undecided (pia.rules.predicates, pia.rules.index)
UNDECIDED_WHY = _table(
    (r"log span unknown: the log file was not read in full",
     "日志时间跨度未知，该日志文件未完整读取"),
    (r"log span unknown: a log file in it or below it not read in full",
     "日志时间跨度未知，该目录或其子目录中有 1 个日志文件未完整读取"),
    (r"log span unknown: (?P<n>\d+) log files in it or below it not read in full",
     "日志时间跨度未知，该目录或其子目录中有 {n} 个日志文件未完整读取"),
    (r"log span unknown: some log files in it or below it not read in full",
     "日志时间跨度未知，该目录或其子目录中有若干日志文件未完整读取"),
    (r"log span unknown: a directory in it or below it could not be listed \((?P<paths>.+)\)",
     "日志时间跨度未知，该目录或其子目录中有 1 个目录无法列出（{paths}）"),
    (r"log span unknown: (?P<n>\d+) directories in it or below it could not be listed "
     r"\((?P<paths>.+)\)",
     "日志时间跨度未知，该目录或其子目录中有 {n} 个目录无法列出（{paths}）"),
    (r"no log entry yet: the log file is empty", "尚无日志条目，该日志文件为空"),
    (r"no log entry yet: its logs are empty", "尚无日志条目，其中的日志均为空"),
    (r"region unknown \(it could not be read\)", "区域未知（无法读取）"),
    (r"database region unknown: a database does not say where it is",
     "数据库所在区域未知：数据库本身不提供其所在位置"),
    (r"region (?P<region>\S+) of a self-hosted endpoint is of unknown jurisdiction",
     "自建端点的区域 {region} 所属司法辖区未知"),
    (r"region (?P<region>\S+) is of unknown jurisdiction", "区域 {region} 所属司法辖区未知"),
    (r"replication could not be read \((?P<d>[^()]+)\)", "无法读取跨区域复制配置（{d}）"),
    (r"asset (?P<asset>.+) lists no processing activity",
     "登记资产 {asset} 未列出处理活动"),
    (r"its values have the shape its name gives them but fail its check digit",
     "其值具有列名所指标识符的格式，但校验位不符"),
    (r"(?P<n>\d+) of the (?P<rows>\d+) rows read are flagged deleted and still hold PI, but "
     r"nothing says since when",
     "读取的 {rows} 行中有 {n} 行标记为已删除且仍有个人信息，但没有记录何时删除"),
)

#: how the user can let the rule decide, said after why
UNDECIDED_HINT = _table(
    (r"see skipped, and scan again once it can be read in full",
     "见“跳过的位置”，待其可完整读取后重新扫描"),
    (r"see skipped, and scan again once they can be read in full",
     "见“跳过的位置”，待这些文件可完整读取后重新扫描"),
    (r"see skipped, and scan again as a user who may list it",
     "见“跳过的位置”，请以有权列出该目录的用户重新扫描"),
    (r"see skipped, and scan again as a user who may list them",
     "见“跳过的位置”，请以有权列出这些目录的用户重新扫描"),
    (r"it is judged once it holds entries", "待其中有日志条目后再判定"),
    (r"it is judged once its logs hold entries", "待其日志中有条目后再判定"),
    (r"grant the auditor (?P<perm>s3:\w+)", "请授予审计账号 {perm} 权限"),
    (r"declare where its asset is in pia\.yaml, as assets\[\]\.region: mainland, hmt, overseas"
     r" or a region name",
     "请在 pia.yaml 中以 assets[].region 登记其资产所在区域：mainland 境内、hmt 港澳台、"
     "overseas 境外，或区域名称"),
    (r"list the mainland ones in organisation\.mainland_regions of pia\.yaml",
     "请在 pia.yaml 的 organisation.mainland_regions 中列出境内区域"),
    (r"list its processing activities, with their legal basis and consent, under the asset's"
     r" activities in pia\.yaml",
     "请在 pia.yaml 该资产的 activities 中列出其处理活动及其合法性基础和同意情况"),
    (r"check whether they are real identifiers; if they are, mask, encrypt or hash them"
     r" with a key", "请核实这些值是否为真实证件号；如是，请脱敏、加密或使用密钥哈希"),
    (r"record when rows are deleted, in a deleted_at set with the flag, or delete or anonymise"
     r" the flagged rows' personal information",
     "请在标记删除的同时记录删除时间（如 deleted_at），或删除、匿名化已标记行中的个人信息"),
)

#: what an undecided rule was asked about (pia.rules.engine._subject_name), word by word
_SUBJECTS = {"asset": "登记资产", "bucket": "存储桶", "database": "数据库", "table": "表",
             "path": "路径"}
_SUBJECT = re.compile(r"(?:^| )(bucket|database|table|path) ")


def said(reason: str, table: _Table) -> str | None:
    """``reason`` in Chinese by ``table``; None when the table does not know it."""
    for pattern, zh in table:
        match = pattern.fullmatch(reason)
        if match:
            return zh.format(**{k: _said_part(k, v, table) for k, v in match.groupdict().items()})
    return None


def _said_part(name: str, value: str | None, table: _Table) -> str:
    """A variable part of a reason in Chinese: a word ``_WORDS`` knows, a detail (``d``) that
    is itself a reason the table knows (``3 objects under p/ not read: cannot reach …``), or
    as written (a path, a size, an operating system's message)."""
    if value is None:
        return ""
    if value in _WORDS:
        return _WORDS[value]
    return (said(value, table) if name == "d" else None) or value


def kind(reason: str, table: _Table) -> str:
    """What kind of reason ``reason`` is: the sentence of ``table`` it is an instance of, or
    its own text when the table does not know it. Reasons that differ only in their variable
    parts (a size, a partition key, an error number) are one kind, so that a list capped per
    kind (``pia.reports.view.skipped_shown``) keeps a few of every kind."""
    for pattern, _ in table:
        if pattern.fullmatch(reason):
            return pattern.pattern
    return reason


def _pieces(text: str, table: _Table) -> tuple[str, bool]:
    """``a; b`` (how the engine joins several whys or hints) piece by piece, and whether
    every piece was known."""
    out = [said(piece, table) for piece in text.split("; ")]
    return ("；".join(o if o is not None else p for o, p in zip(out, text.split("; "),
                                                                strict=True)),
            all(o is not None for o in out))


def _subject(subject: str) -> str:
    """``path logs/app`` → ``路径 logs/app``; ``asset crm`` → ``登记资产 crm``."""
    if subject.startswith("asset "):
        return f"{_SUBJECTS['asset']} {subject[len('asset '):]}"
    parts = _SUBJECT.split(subject)
    if len(parts) < 3 or parts[0]:
        return subject
    return " ".join(f"{_SUBJECTS[word]} {value}" for word, value in zip(parts[1::2], parts[2::2],
                                                                          strict=True))


_MORE = re.compile(r"undecided for (?P<n>\d+) more \((?P<hints>[^()]*)\)", re.DOTALL)
_FOR = re.compile(r"undecided for (?P<head>.+) \((?P<hints>[^()]*)\)", re.DOTALL)


def undecided(reason: str) -> str | None:
    """An ``undecided for <subject>: <why> (<hint>)`` reason (or the headline's ``undecided:
    <why>``) in Chinese; None for any other reason."""
    if reason.startswith("undecided: "):
        return "无法判定：" + _pieces(reason[len("undecided: "):], UNDECIDED_WHY)[0]
    more = _MORE.fullmatch(reason)
    if more:
        hints = _pieces(more["hints"], UNDECIDED_HINT)[0]
        return f"另有 {more['n']} 个对象无法判定（{hints}）"
    found = _FOR.fullmatch(reason)
    if not found:
        return None
    head = found["head"]
    # the subject is a name from the audited system and may hold ": " itself: the split is
    # the first one after which every why is known, else the first
    cuts = [m.start() for m in re.finditer(": ", head)]
    if not cuts:
        return None
    cut = next((c for c in cuts if _pieces(head[c + 2:], UNDECIDED_WHY)[1]), cuts[0])
    whys = _pieces(head[cut + 2:], UNDECIDED_WHY)[0]
    hints = _pieces(found["hints"], UNDECIDED_HINT)[0]
    return f"{_subject(head[:cut])} 无法判定：{whys}（{hints}）"
