"""Context words in both Chinese scripts.

Recognizers declare their context words in simplified Chinese (手机, 身份证, 订单号), but
Hong Kong, Macao and Taiwan systems, and many a mainland export made for them, label the
same fields in traditional characters (手機, 身份證, 訂單號). Every context and negative
word therefore also counts in its traditional form, derived here character by character,
plus the few labels that are different words altogether (短信 is 簡訊 in Taiwan).

The table covers the characters of the built-in words that differ between the scripts; a
character it does not know stays as it is, so a user's YAML word still counts as written.
"""

from __future__ import annotations

from collections.abc import Iterable

_TO_TRADITIONAL = str.maketrans({
    "业": "業", "乡": "鄉", "价": "價", "会": "會", "传": "傳", "余": "餘", "储": "儲",
    "军": "軍", "凭": "憑", "创": "創", "办": "辦", "动": "動", "单": "單", "号": "號",
    "员": "員", "处": "處", "学": "學", "审": "審", "执": "執", "护": "護", "担": "擔",
    "态": "態", "总": "總", "户": "戶", "机": "機", "条": "條", "湾": "灣", "状": "狀",
    "电": "電", "监": "監", "码": "碼", "称": "稱", "系": "繫", "经": "經", "统": "統",
    "编": "編", "职": "職", "联": "聯", "节": "節", "营": "營", "订": "訂", "记": "記",
    "证": "證", "话": "話", "误": "誤", "请": "請", "负": "負", "责": "責", "账": "帳",
    "货": "貨", "贷": "貸", "车": "車", "辆": "輛", "运": "運", "递": "遞", "邮": "郵",
    "银": "銀", "错": "錯", "队": "隊", "陆": "陸", "险": "險", "额": "額", "库": "庫",
    "开": "開", "异": "異", "录": "錄", "内": "內", "干": "幹", "来": "來", "门": "門",
    "区": "區", "县": "縣", "镇": "鎮", "楼": "樓", "层": "層", "栋": "棟", "驾": "駕",
    "驶": "駛", "医": "醫", "疗": "療", "卫": "衛", "计": "計", "务": "務", "纳": "納",
    "税": "稅", "网": "網", "络": "絡", "讯": "訊",
})

#: labels that are other words in traditional usage, not other characters
_OTHER_WORDS: dict[str, tuple[str, ...]] = {
    "短信": ("簡訊", "短訊"),
}


def traditional(word: str) -> str:
    """``word`` with each simplified character the table knows in its traditional form."""
    return word.translate(_TO_TRADITIONAL)


def script_forms(words: Iterable[str]) -> list[str]:
    """``words`` and their traditional forms, each once, in order (declared words first)."""
    out: dict[str, None] = {}
    for word in words:
        out[word] = None
    for word in list(out):
        out.setdefault(traditional(word), None)
        for other in _OTHER_WORDS.get(word, ()):
            out.setdefault(other, None)
    return list(out)
