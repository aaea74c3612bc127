"""CN_ADDRESS: postal addresses — province or municipality, city/district/county, township,
then roads, lanes, villages or estates, and the numbers down to the room (…路88弄3号楼1201室).
Anchored on the province names so the pattern only starts where an address can start; a
second, weaker pattern starts at a city or district, or at an autonomous prefecture or county,
a league or a prefecture (延边朝鲜族自治州, 锡林郭勒盟, 阿里地区), after a non-Chinese character, and
needs a number and a context word.

The span is one chain of segments, each a short name with its suffix (周口市, 郸城县, 汲冢镇,
王庄村, 人民南路 四段, 东四十条, 3组, 18号): it runs as far as the segments do, so it covers the
most identifying part and stops at the first character that cannot continue an address
(a comma, 电话 after 27号). Names never hold the function characters of prose (的, 了, 在 …),
so a sentence that mentions a district is not read as a road name.

Order exports (Taobao, JD) put one space between the levels: 广东省 深圳市 南山区 粤海街道
科技南十二路2号. A single space (an ideographic one is normalised to it) may come before any
segment up to the first number, and after that only before another number (3号楼 1201室):
a space after the number ends the address, so the next field (电话…, 收货人张三) stays out.
Suffixes, province names and labels also come in their traditional forms (廣東省, 南山區,
10000號, 收貨地址) for Hong Kong, Macau and Taiwan addresses.
"""

from __future__ import annotations

from pia.detection.builtin_pattern import BuiltinPattern as Pattern
from pia.detection.recognizer import PiaPatternRecognizer

PROVINCE_NAMES = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽",
    "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西",
    "甘肃", "青海", "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门",
    # traditional forms (the other names are written alike)
    "重慶", "遼寧", "黑龍江", "江蘇", "廣東", "貴州", "雲南", "陝西", "甘肅", "台灣", "臺灣",
    "內蒙古", "廣西", "寧夏", "澳門",
)
_HAN = "\u4e00-\u9fff"
#: characters of prose that never occur in a place name: a name stops before them
#: (simplified, then the traditional forms that differ)
_PROSE = ("的了是我你他她们这那哪吗呢吧啊把被着很也还就要想说去过在从与或及等为"
          "們這嗎著還說過從與為")
#: one space between segments (U+3000 is normalised to it before matching)
_SP = " ?"


def _han_without(excluded: str) -> str:
    """The CJK block as character-class ranges, minus ``excluded`` (a class body)."""
    ranges, low = [], 0x4E00
    for code in sorted({ord(ch) for ch in excluded}):
        if code > low:
            ranges.append((low, code - 1))
        low = code + 1
    ranges.append((low, 0x9FFF))
    return "".join(chr(a) if a == b else f"{chr(a)}-{chr(b)}" for a, b in ranges)


#: a character of a place name. Prose is kept out by a lookahead, not by the class:
#: Hyperscan drops the lookahead and gets one plain range, where a class with every prose
#: character cut out costs it hundreds of NFA states per name, and the pattern is refused
_NOT_PROSE = f"(?![{_PROSE}])"
_NAME = f"(?:{_NOT_PROSE}[{_HAN}])"
_PROVINCE = ("(?:" + "|".join(PROVINCE_NAMES) + ")(?:省|市|壮族自治区|回族自治区|维吾尔自治区"
             "|自治区|特别行政区|壯族自治區|回族自治區|維吾爾自治區|自治區|特別行政區)?")
#: prefecture, city, county, district (新区, 开发区, 工业园区), banner, league, autonomous
#: prefecture or county (凉山彝族自治州 ends in 州); 區 and 縣 are the traditional forms.
#: Its name holds no such suffix, so a chain of them splits one way only (杭州市 is 杭州 and
#: 市): look-alike runs (市市市…) cannot backtrack through every split.
_ADMIN = f"(?:{_NOT_PROSE}[" + _han_without("市区區县縣州旗盟") + "]){0,12}[市区區县縣州旗盟]"
#: a township: town, township, subdistrict
_TOWN = _NAME + "{1,8}?(?:街道|[镇鎮乡鄉])"
#: a road, street, alley, Beijing hutong or 条, village, estate, park or building, with its
#: section (信义路五段, 人民南路四段). The name is greedy: the segment ends at the last suffix
#: of the run, so names with suffixes inside (中关村大街, 王庄村, 科技园南路) stay whole
_STREET = (_NAME + "{1,10}(?:大道|大街|胡同|衚衕|社[区區]|小[区區]|新村|花[园園]|家[园園]"
           "|公寓|大[厦廈]|[广廣]场|廣場|[路街道巷弄条條里村屯庄莊邨苑园園])"
           "(?:[一二三四五六七八九十0-9]{1,3}段)?")
#: a number with its unit: 18号, 88弄, 3号楼, 七区, 12栋, 2单元502, 1201室, 3组, 150巷, A座, 15层,
#: 3鄰 (traditional forms: 號, 樓, 區, 棟, 組, 層, 戶, 單元)
_NUMBER = ("(?:(?:[0-9]{1,5}(?:-[0-9]{1,5}){0,2}|[A-Za-z]|[一二三四五六七八九十百零〇]{1,4})"
           "(?:[号號](?:[楼樓院])?|[弄巷区區栋棟幢座室组組层層楼樓户戶邻鄰])"
           "|[0-9]{1,3}[单單]元(?:[0-9]{1,5}(?![0-9室号號户戶]))?)")
#: after the first number, any run of townships, streets and numbers (路88号XX小区3栋2单元502室,
#: 王庄村3组18号), a space only before a number: the chain ends where no segment can go on.
#: Repeats of segments are bounded so that a run of look-alikes cannot backtrack for long.
_NUMBERED = f"{_SP}{_NUMBER}(?:{_TOWN}|{_STREET}|{_SP}{_NUMBER}){{0,12}}"
#: after the admin levels, a township or street, then more of them (spaced or not), then
#: the numbered part if any
_REST = f"(?:{_SP}(?:{_TOWN}|{_STREET})){{0,8}}(?:{_NUMBERED})?"
#: (two whole alternatives: Hyperscan finds one alternation after the province too large)
_FULL = (_PROVINCE + f"(?:{_SP}{_ADMIN}){{1,6}}{_SP}(?:{_TOWN}|{_STREET})" + _REST
         + "|" + _PROVINCE + f"(?:{_SP}{_STREET}){{1,4}}{_NUMBERED}")
#: (the city's name holds neither 省 nor a suffix, so where the pattern starts Hyperscan, which
#: opens the ``{2,4}``, finds the same name: not 河南省周口 before 市)
#: an autonomous prefecture or county, a league or a prefecture (延边朝鲜族自治州, 长阳土家族
#: 自治县, 锡林郭勒盟, 阿里地区) may start it as a city does, without its province
_PREFECTURE = (f"{_NAME}{{2,8}}?(?:自治州|自治[县縣]|地[区區]|盟)")
_CITY_STREET = (f"(?<![{_HAN}])(?:(?:{_NOT_PROSE}[" + _han_without("省市区區县縣") + "]){2,4}[市区區县縣]"
                + f"|{_PREFECTURE})"
                + f"(?:{_SP}{_ADMIN}){{0,5}}(?:{_SP}(?:{_TOWN}|{_STREET})){{1,5}}{_NUMBERED}")


class CnAddressRecognizer(PiaPatternRecognizer):
    ENTITY = "CN_ADDRESS"
    PRIORITY = 65
    CONTEXT_FIRST = True
    #: the exact forms take Hyperscan about 4 s to refuse as too large
    HYPERSCAN_WIDENED_ONLY = True
    PATTERNS = [
        Pattern("province … road (number)", _FULL, 0.6),
        Pattern("city/district … road number", _CITY_STREET, 0.4),
    ]
    CONTEXT = ["地址", "住址", "家庭住址", "联系地址", "收货地址", "户籍", "居住地", "address", "addr",
               "jtzz", "dz", "ཁ་བྱང", "སྡོད་གནས",
               # traditional forms (地址, 住址, 居住地 are written alike)
               "聯繫地址", "聯絡地址", "收貨地址", "戶籍", "通訊地址", "通讯地址"]
    CONTEXT_BEFORE = 12
