"""CN_ADDRESS: postal addresses — province or municipality, city/district/county, then a road,
street, lane or village, usually a number (…路88号). Anchored on the province names so the
pattern only starts where an address can start.
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from pia.detection.recognizer import PiaPatternRecognizer

PROVINCE_NAMES = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽",
    "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西",
    "甘肃", "青海", "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门",
)
_HAN = "\u4e00-\u9fff"
_PROVINCE = "(?:" + "|".join(PROVINCE_NAMES) + ")(?:省|市|自治区|壮族自治区|回族自治区|维吾尔自治区|特别行政区)?"
_UNIT = "(?:市|区|县|州|旗|盟)"
_ROAD = "(?:路|街|大道|道|巷|弄|胡同|里|村|镇|乡)"
#: a number, then (within a few characters) the building, and the unit, floor and room
#: written as digits with their suffix (88弄3号楼1201室, 12栋2单元502)
_NUMBER = ("(?:[0-9]{1,5}(?:号|弄|栋|幢|座|室)(?:[0-9A-Za-z" + _HAN
           + "]{0,10}?(?:室|号楼|楼|层|单元|号))?(?:[0-9A-Za-z]{1,6}(?:号楼|栋|幢|座|楼|层|单元|室|号)){0,3})")

# a road with its number where there is one (中关村大街27号, not 中关村: 村 is a road too),
# else the first road
_FULL = (_PROVINCE + f"[{_HAN}]{{0,12}}?" + _UNIT + f"(?:[{_HAN}0-9]{{0,16}}?" + _ROAD
         + _NUMBER + f"|[{_HAN}0-9]{{0,16}}?" + _ROAD + ")")
_CITY_STREET = (f"(?<![{_HAN}])[{_HAN}]{{2,4}}" + "(?:市|区|县)" + f"[{_HAN}]{{1,10}}?" + _ROAD
                + _NUMBER)


class CnAddressRecognizer(PiaPatternRecognizer):
    ENTITY = "CN_ADDRESS"
    PRIORITY = 65
    CONTEXT_FIRST = True
    PATTERNS = [
        Pattern("province … road (number)", _FULL, 0.6),
        Pattern("city/district … road number", _CITY_STREET, 0.4),
    ]
    CONTEXT = ["地址", "住址", "家庭住址", "联系地址", "收货地址", "户籍", "居住地", "address", "addr",
               "jtzz", "dz", "ཁ་བྱང", "སྡོད་གནས"]
    CONTEXT_BEFORE = 12
