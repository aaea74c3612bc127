"""A law article cited as a Chinese lawyer writes it: ``《个人信息保护法》第五十一条第（三）项``.

Reports said ``PIPL 第51条(三)``: an English abbreviation, a half-width bracket beside the
full-width ``（修正前第21条）``, and an item number no Chinese legal text writes that way (QA).
Chinese statutes and their commentaries name a law by its short title in book-title marks and
count articles and items in Chinese numerals; that is the one form every Chinese output uses
(reports, ``pia rulesets show``, ``pia check-migrations``). English keeps ``PIPL Art. 51(3)``,
and a standard's section keeps the standard's own numbering (``GB/T 35273-2020 6.3 a)``).
The short titles are those of the texts in /work/shared/law/ (the 中华人民共和国 prefix
dropped, as citations do).
"""

from __future__ import annotations

#: ruleset law ids → the short titles Chinese citations give them
LAW_TITLES = {
    "PIPL": "个人信息保护法",
    "DSL": "数据安全法",
    "CSL": "网络安全法",
    "NDSR": "网络数据安全管理条例",
    "CAC-AUDIT-2025": "个人信息保护合规审计管理办法",
}

_DIGITS = "零一二三四五六七八九"


def chinese_numeral(number: int) -> str:
    """1 → 一, 10 → 十, 21 → 二十一, 105 → 一百零五, as article numbers are written; a number
    outside 1–999 as Arabic digits."""
    if not 0 < number < 1000:
        return str(number)
    hundreds, tens, ones = number // 100, number // 10 % 10, number % 10
    out = f"{_DIGITS[hundreds]}百" if hundreds else ""
    if tens:
        out += ("" if tens == 1 and not hundreds else _DIGITS[tens]) + "十"
    elif hundreds and ones:
        out += "零"
    return out + (_DIGITS[ones] if ones else "")


def _article(article: str) -> str:
    """``51`` → 五十一; anything not a plain number as it is."""
    return chinese_numeral(int(article)) if article.isdigit() else article


def law_title(law: str) -> str:
    """``PIPL`` → 《个人信息保护法》; a Chinese name a custom ruleset gives in book-title marks
    too; any other name (a company policy in Latin letters) as it is, set off by a space."""
    title = LAW_TITLES.get(law, law)
    if title.startswith("《"):
        return title
    if any("\u4e00" <= c <= "\u9fff" for c in title):
        return f"《{title}》"
    return f"{title} "


def zh_article(law: str, article: str, clause_number: int | None, clause: str,
               article_2016: str | None) -> str:
    """``《网络安全法》第二十三条第（三）项（修正前第二十一条）``: an item (``(三)``) as
    第（三）项, any other clause as it is written after the article."""
    text = f"{law_title(law)}第{_article(article)}条"
    if clause_number is not None:
        text += f"第（{chinese_numeral(clause_number)}）项"
    else:
        text += clause
    if article_2016 and article_2016 != article:
        text += f"（修正前第{_article(article_2016)}条）"
    return text
